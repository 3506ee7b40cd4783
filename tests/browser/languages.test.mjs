// The console in Chinese and English: a browser whose language is Chinese goes through a new user's main flow in
// Chinese (setup, sign-in, a set and a script, publish, an auth link called over its URL, the docs, the overview), then
// the language chosen in the user menu is kept in this browser and on the account, so another browser shows it too.
// The texts it looks for are read from the catalogues, so a changed wording changes no test.
import assert from 'node:assert/strict';
import { catalogue } from './catalogues.mjs';
import { check, fixture, inDevelopment, newPage, shot, useFixture } from './harness.mjs';

const admin = { username: 'admin', password: 'admin-password-1' };
const zh = catalogue('zh-CN');
const en = catalogue('en');
const scriptId = 'lang__demo';
const code = `@DFF.API('Plus')
def plus(x, y):
    return {'sum': float(x) + float(y)}
`;

let page;
let token;

async function call(method, path, body) {
  const response = await fetch(`${fixture.server.baseUrl}${path}`, {
    method, headers: { 'Content-Type': 'application/json', 'X-Dff-Auth-Token': token }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = await response.json();
  assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(envelope)}`);
  return envelope.data;
}

/** Signs in through the page's own form (its button is in the page's language). */
async function signInWithForm(target) {
  await target.goto('/');
  await target.waitForURL(/\/sign-in/);
  await target.locator('input[name=username]').fill(admin.username);
  await target.locator('input[name=password]').fill(admin.password);
  await target.locator('button[type=submit]').click();
  await target.waitForURL(inDevelopment);
}

const topMenu = target => target.locator('.top-menu');

useFixture(async () => {
  page = await newPage({ locale: 'zh-CN' });
});

check('a Chinese browser gets the console in Chinese, from setup to a func called over its auth link', async () => {
  await page.goto('/');
  await page.waitForURL(/\/setup/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await page.locator('.auth-card h2').getByText(zh.get('users.setup.title')).waitFor();
  await page.locator('input[name=password]').fill(admin.password);
  await page.locator('input[name=confirm]').fill(admin.password);
  await shot(page, 'zh-setup');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/sign-in/);
  await page.locator('.auth-card h2').getByText(zh.get('users.signIn.title')).waitFor();
  await shot(page, 'zh-sign-in');
  await signInWithForm(page);
  token = (await (await fetch(`${fixture.server.baseUrl}/api/v1/auth/sign-in`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(admin),
  })).json()).data.token;
  await topMenu(page).getByText(zh.get('app.scriptEditor')).waitFor();
  await topMenu(page).getByText(zh.get('app.management')).waitFor();
  // A fresh installation offers the samples: added, published, opened.
  await page.locator('[data-test=samples-offer]').getByText(zh.get('samples.title')).waitFor();
  await shot(page, 'zh-intro');
  await page.locator('[data-test=add-samples]').click();
  await page.waitForURL(/\/scripts\/samples__hello$/);
  await page.locator('[data-test="func:samples__hello.hello_world"]').waitFor();
  await page.locator('.side').getByText(zh.get('libraryTree.tabs.library')).waitFor();

  await page.locator('[data-test=add-set]').click();
  await page.locator('input[name=id]').fill('lang');
  await page.locator('input[name=title]').fill('语言');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/scripts\/new\?scriptSetId=lang/);
  await page.locator('input[name=name]').fill('demo');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(new RegExp(`/scripts/${scriptId}/edit`));
  const { codeDraftMD5 } = await call('GET', `/api/v1/scripts/${scriptId}`);
  await call('PATCH', `/api/v1/scripts/${scriptId}`, { codeDraft: code, prevCodeDraftMD5: codeDraftMD5 });
  await page.reload();
  await page.locator('[data-test=publish]').click();
  await page.locator(`[data-test="func:${scriptId}.plus"]`).waitFor();
  await shot(page, 'zh-editor');

  await page.goto('/management/auth-links');
  await page.locator('[data-test=side-menu]').getByText(zh.get('menus.auth-links')).waitFor();
  await page.locator('[data-test=new-auth-link]').click();
  await page.locator('input[name=id]').fill('lang_link');
  await page.locator('[data-test=func-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `${scriptId}.plus` }).click();
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/auth-links$/);
  await page.locator('[data-test=auth-links]').getByText('lang_link', { exact: true }).waitFor();
  await shot(page, 'zh-auth-links');
  const called = await (await fetch(`${fixture.server.baseUrl}/api/v1/al/lang_link/simplified?x=1&y=2`)).json();
  assert.deepEqual(called, { sum: 3 });

  await page.goto('/management/overview');
  await page.locator('[data-test=side-menu]').getByText(zh.get('menus.overview')).waitFor();
  await shot(page, 'zh-overview');
});

check('the language chosen in the user menu stays in this browser and follows the account to another', async () => {
  await page.goto('/development');
  await page.locator('[data-test=user-menu]').click();
  await page.locator('[data-test="language:en"]').click();
  await topMenu(page).getByText(en.get('app.scriptEditor')).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await topMenu(page).getByText(en.get('app.scriptEditor')).waitFor();
  assert.equal((await call('GET', '/api/v1/me')).language, 'en');

  // Another browser, Chinese by its own language, shows English once the account is known.
  const other = await newPage({ locale: 'zh-CN' });
  await signInWithForm(other);
  await topMenu(other).getByText(en.get('app.scriptEditor')).waitFor();

  await other.locator('[data-test=user-menu]').click();
  await other.locator('[data-test="language:browser"]').click();
  await topMenu(other).getByText(zh.get('app.scriptEditor')).waitFor();
  assert.equal((await call('GET', '/api/v1/me')).language ?? null, null);
  await other.context().close();
});
