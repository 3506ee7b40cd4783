// The web console in a real browser (Debian's Chromium through playwright-core) against a real
// WebFront on a fresh install: the path a new user takes, from setup to a published func called
// over its auth link, plus an error run, the edit lock as a second user sees it, and expiry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { check, fixture, inDevelopment, newPage, sessionToken, shot, signIn, success, useFixture } from './harness.mjs';

const admin = { username: 'admin', password: 'admin-password-1' };
const member = { username: 'member1', password: 'member-password-1' };
const scriptId = 'demo__basic';

const plusCode = `@DFF.API('Plus', category='math', tags=['demo'])
def plus(x, y):
    '''
    Adds two numbers
    '''
    print('adding', x, y)
    return {'sum': float(x) + float(y)}

def boom():
    value = 1
    raise ValueError('broken on purpose')
`;


/** The element's box once two looks 100 ms apart agree (an opening transition has ended). */
async function settledBox(locator) {
  let last = await locator.boundingBox();
  for (let looks = 0; looks < 30; looks++) {
    await new Promise(resolve => setTimeout(resolve, 100));
    const box = await locator.boundingBox();
    if (box && last && box.x === last.x && box.y === last.y && box.width === last.width && box.height === last.height) return box;
    last = box;
  }
  return last;
}
let page;

useFixture(async () => {
  page = await newPage();
});

/** Replaces the editor's whole text as a user pasting it would (typing would auto-indent every line). */
async function replaceCode(target, code) {
  await target.evaluate(text => navigator.clipboard.writeText(text), code);
  await target.locator('[data-test=code-editor] .view-lines').first().click();
  await target.keyboard.press('ControlOrMeta+A');
  await target.keyboard.press('ControlOrMeta+V');
  await target.waitForFunction(text => document.querySelector('[data-test=code-editor] .view-lines')?.textContent?.replace(/[\s\u00b7]/g, '') ===
    text.replace(/\s/g, ''), code);
}

async function pickFunc(target, name) {
  await target.locator('[data-test=func-picker]').click();
  await target.locator('.el-select-dropdown__item:visible', { hasText: `${name}()` }).click();
}

/** Clicks a button that ends in a new outcome in the output pane, and waits for that outcome. */
async function clickForOutcome(target, button) {
  const seen = Number(await target.locator('[data-test=editor]').getAttribute('data-outcomes'));
  await target.locator(`[data-test=${button}]`).click();
  await target.locator(`[data-test=editor][data-outcomes="${seen + 1}"] [data-test=output]`).waitFor();
}

async function run(target, name, kwargs) {
  await pickFunc(target, name);
  await target.locator('[data-test=kwargs]').fill(kwargs);
  await clickForOutcome(target, 'run');
}

check('a fresh install shows setup, then sign-in; the session survives a reload', async () => {
  await page.goto('/');
  await page.waitForURL(/\/setup/);
  await page.locator('input[name=password]').fill(admin.password);
  await page.locator('input[name=confirm]').fill(admin.password);
  await shot(page, 'setup');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.waitForURL(/\/sign-in/);
  await shot(page, 'sign-in');
  await page.locator('input[name=password]').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(inDevelopment);
  await page.reload();
  await page.locator('[data-test=user-menu]').getByText('admin').waitFor();
  assert.match(page.url(), /\/development/);
  // Scripts run in the sandbox (the default): no warning.
  assert.equal(await page.locator('[data-test=unisolated-workers]').count(), 0);
});

check('a set and a script are created from the library tree, and the editor opens on the new script', async () => {
  await page.locator('[data-test=add-set]').click();
  await page.locator('input[name=id]').fill('demo');
  await page.locator('input[name=title]').fill('Demo set');
  await page.locator('textarea[name=description]').fill('Functions for the browser test');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/scripts\/new\?scriptSetId=demo/);
  await page.locator('input[name=name]').fill('basic');
  await page.locator('input[name=title]').fill('Basic funcs');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(new RegExp(`/scripts/${scriptId}/edit`));
  await page.locator('[data-test=script-id]').getByText(scriptId).waitFor();
  await page.locator(`[data-test="script:${scriptId}"]`).waitFor();
});

check('typed code runs from the editor: cost, print lines and return value in the output pane', async () => {
  await replaceCode(page, plusCode);
  await run(page, 'plus', '{"x": 1, "y": 2}');
  assert.equal(await page.locator('[data-test=output-status]').innerText(), 'success');
  assert.match(await page.locator('[data-test=output-cost]').innerText(), /cost \d+\.\d{3} s/);
  assert.equal(await page.locator('[data-test=output-print]').innerText(), 'adding 1 2');
  assert.deepEqual(JSON.parse(await page.locator('[data-test=output-result]').innerText()), { sum: 3 });
  await shot(page, 'editor-run');
});

check('invalid kwargs JSON is refused before running', async () => {
  await page.locator('[data-test=kwargs]').fill('{"x": 1,');
  await page.locator('[data-test=kwargs-error]').getByText('Not valid JSON').waitFor();
  assert.equal(await page.locator('[data-test=run]').isDisabled(), true);
  await page.locator('[data-test=kwargs]').fill('{}');
});

check('an error run highlights the failing line and shows the traceback', async () => {
  await run(page, 'boom', '{}');
  assert.equal(await page.locator('[data-test=output-status]').innerText(), 'failure');
  assert.match(await page.locator('[data-test=output-error]').innerText(), /ValueError: broken on purpose \(line 11\)/);
  assert.match(await page.locator('[data-test=output-traceback]').innerText(), /line 11/);
  await page.locator('.code-error-line').first().waitFor();
  await shot(page, 'editor-error');
});

check('Ctrl+S saves the draft and the tree marks the script as edited; Publish makes its func live', async () => {
  await replaceCode(page, plusCode + '\n');
  await page.locator('[data-test=dirty]').waitFor();
  await page.keyboard.press('ControlOrMeta+S');
  await success(page).getByText('Draft saved').waitFor();
  await page.locator('[data-test=dirty]').waitFor({ state: 'detached' });
  await page.locator(`[data-test="script:${scriptId}"] [data-test=unpublished]`).waitFor();
  await page.locator('[data-test=publish]').click();
  await success(page).getByText('Published version 1 with 1 exported func(s)').waitFor();
  await page.locator(`[data-test="func:${scriptId}.plus"]`).waitFor();
  await page.locator(`[data-test="script:${scriptId}"] [data-test=unpublished]`).waitFor({ state: 'detached' });
});

check('a failed publish check shows the bad line the same way and changes nothing', async () => {
  await replaceCode(page, plusCode + 'print(undefined_name)\n');
  await clickForOutcome(page, 'publish');
  assert.match(await page.locator('[data-test=output-error]').innerText(), /NameError.*\(line 12\)/);
  await page.locator('.code-error-line').first().waitFor();
  await replaceCode(page, plusCode);
  await page.keyboard.press('ControlOrMeta+S');
  await success(page).getByText('Draft saved').last().waitFor();
});

/** The labels the editor suggests at the end of `code` (Ctrl+Space, as a user asks); `picture` names a screenshot of them. */
async function suggestionsAt(target, code, picture) {
  await replaceCode(target, code);
  await target.keyboard.press('ControlOrMeta+End');
  await target.keyboard.press('Control+Space');
  const rows = target.locator('.suggest-widget.visible .monaco-list-row');
  await rows.first().waitFor();
  const labels = (await rows.allInnerTexts()).map(text => text.split('\n')[0]);
  if (picture) await shot(target, picture);
  await target.keyboard.press('Escape');
  return labels;
}

/** What the hover over the first `word` of the editor's text says (Monaco merges tokens of one colour into a span). */
async function hoverText(target, word) {
  await target.mouse.move(0, 0);
  await target.locator('.monaco-hover:not(.hidden) .hover-contents').first().waitFor({ state: 'hidden' });
  const box = await target.evaluate(wanted => {
    const pattern = new RegExp(`\\b${wanted}\\b`);
    for (const span of document.querySelectorAll('[data-test=code-editor] .view-line span span')) {
      const text = span.firstChild;
      const found = text?.textContent?.search(pattern) ?? -1;
      if (found < 0) continue;
      const range = document.createRange();
      range.setStart(text, found);
      range.setEnd(text, found + wanted.length);
      const { x, y, width, height } = range.getBoundingClientRect();
      return { x: x + width / 2, y: y + height / 2 };
    }
    return null;
  }, word);
  assert.ok(box, `${word} is not in the editor`);
  await target.mouse.move(box.x, box.y, { steps: 3 });
  const hover = target.locator('.monaco-hover:not(.hidden) .hover-contents').first();
  await hover.waitFor();
  return (await target.locator('.monaco-hover:not(.hidden)').first().innerText());
}

check('the editor knows DFF: completions and hover help for DFF, variables, IDs and other scripts, and the check marks lines on save', async () => {
  const token = await sessionToken(page);
  const call = async (method, path, body) => {
    const response = await fetch(`${fixture.server.baseUrl}${path}`, {
      method, headers: { 'Content-Type': 'application/json', 'X-Dff-Auth-Token': token }, body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${method} ${path}: ${await response.text()}`);
  };
  await call('POST', '/api/v1/scripts', { id: 'demo__helper', title: 'Helpers', codeDraft: "def helper_greet(name):\n    '''Greets someone by name'''\n    return 'hello ' + name\n" });
  await call('POST', '/api/v1/scripts/demo__helper/publish', {});
  await call('POST', '/api/v1/env-variables', { id: 'demo_greeting', title: 'Greeting', valueTEXT: 'hi' });
  await page.reload();
  await page.locator('[data-test=code-editor] .view-lines').waitFor();

  assert.ok((await suggestionsAt(page, 'x = DFF.CA')).includes('CACHE'));
  assert.ok((await suggestionsAt(page, "def count():\n    return DFF.CACHE.h", 'editor-completions')).includes('hset'));
  assert.ok((await suggestionsAt(page, 'x = DFF.ENV(\'')).includes('demo_greeting'));
  assert.ok((await suggestionsAt(page, 'x = _DFF_TR')).includes('_DFF_TRIGGER_TIME'));
  assert.ok((await suggestionsAt(page, 'from demo__')).includes('demo__helper'));
  assert.ok((await suggestionsAt(page, 'from demo__helper import hel')).includes('helper_greet'));
  assert.ok((await suggestionsAt(page, 'import demo__helper as h\nx = h.')).includes('helper_greet'));
  const options = await suggestionsAt(page, "@DFF.API('Plus', timeout=10, ");
  assert.ok(options.includes('category='));
  assert.ok(!options.includes('timeout='));
  assert.ok((await suggestionsAt(page, 'def own_func(a, b=2):\n    pass\n\nx = own')).includes('own_func'));

  await replaceCode(page, "from demo__helper import helper_greet\n\n@DFF.API('Greet', timeout=10)\ndef greet(name):\n    return helper_greet(name) + DFF.CACHE.get('k')\n");
  assert.match(await hoverText(page, 'CACHE'), /DFF\.CACHE\(key, scope=None\)[\s\S]*Redis-like cache/);
  assert.match(await hoverText(page, 'timeout'), /Seconds a run may take/);
  assert.match(await hoverText(page, 'helper_greet'), /def helper_greet\(name\)[\s\S]*Greets someone by name[\s\S]*demo__helper/);
  await shot(page, 'editor-hover');

  // The publish check runs as the draft is saved: a bad option underlines its line, DFF.SIGN (not available) warns.
  await replaceCode(page, "import json\n\n@DFF.API('Plus', colour='red')\ndef plus(x, y):\n    return x + y\n");
  await page.keyboard.press('ControlOrMeta+S');
  const state = page.locator('[data-test=check-state]');
  await state.and(page.locator('[data-state=failed]')).getByText('Check failed at line 3').waitFor();
  await page.locator('[data-test=code-editor] .squiggly-error').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.el-message'));
  await shot(page, 'editor-check-marks');
  await replaceCode(page, "@DFF.API('Plus')\ndef plus(x, y):\n    return DFF.SIGN\n");
  await page.keyboard.press('ControlOrMeta+S');
  await state.and(page.locator('[data-state=warnings]')).waitFor();
  await page.locator('[data-test=code-editor] .squiggly-warning').first().waitFor();
  assert.equal(await page.locator('[data-test=code-editor] .squiggly-error').count(), 0);
  await replaceCode(page, plusCode);
  await page.keyboard.press('ControlOrMeta+S');
  await state.and(page.locator('[data-state=passed]')).waitFor();
  assert.equal(await page.locator('[data-test=code-editor] .squiggly-warning').count(), 0);
});

check('the viewer shows draft, published and their diff; the help popover and the quick view work', async () => {
  await page.locator('[data-test=exit]').click();
  await page.waitForURL(new RegExp(`/scripts/${scriptId}$`));
  await page.locator('[data-test=viewer-mode]').getByText('Diff').click();
  await page.locator('[data-test=code-diff] .monaco-diff-editor').waitFor();
  await shot(page, 'viewer-diff');
  await page.locator(`[data-test="func:${scriptId}.plus"] [data-test=help]`).click();
  const help = page.locator('[data-test=help-body]:visible');
  await help.getByText('Adds two numbers').waitFor();
  assert.match(await help.innerText(), /demo__basic\.plus\(x=\.\.\., y=\.\.\.\)/);
  await shot(page, 'help-popover');
  await page.keyboard.press('Escape');
  await page.locator(`[data-test="script:${scriptId}"] [data-test=quick-view-button]`).click();
  const panel = page.locator('[data-test=quick-view]');
  await panel.waitFor();
  // Drag once the panel stands still: a full run once saw the drag move nothing, likely begun while it still opened.
  const before = await settledBox(panel);
  const bar = await settledBox(page.locator('[data-test=quick-view-bar] .mono'));
  await page.mouse.move(bar.x + 5, bar.y + 5);
  await page.mouse.down();
  await page.mouse.move(bar.x - 295, bar.y + 205, { steps: 5 });
  await page.mouse.up();
  const moved = await panel.boundingBox();
  assert.deepEqual([Math.round(moved.x - before.x), Math.round(moved.y - before.y)], [-300, 200]);
  await shot(page, 'quick-view');
});

check('an auth link is created for the func, called with the curl of its examples, and listed in the docs', async () => {
  await page.goto('/management/auth-links');
  await page.locator('[data-test=new-auth-link]').click();
  await page.locator('input[name=id]').fill('plus_link');
  await page.locator('[data-test=func-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `${scriptId}.plus` }).click();
  assert.deepEqual(JSON.parse(await page.locator('[data-test=kwargs-template]').inputValue()), { x: 'INPUT_BY_CALLER', y: 'INPUT_BY_CALLER' });
  await page.locator('[data-test=show-in-doc]').click();
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/auth-links$/);
  await page.locator('[data-test=auth-links]').getByText('plus_link', { exact: true }).waitFor();
  await shot(page, 'auth-links');

  await page.locator('[data-test=examples]').first().click();
  const curls = page.locator('[data-test=call-examples] [data-test=example-curl]');
  await curls.first().waitFor();
  await shot(page, 'call-examples');
  const postCurl = (await curls.allInnerTexts()).find(text => text.startsWith('curl -X POST') && !text.includes('/simplified'));
  const { stdout } = await promisify(execFile)('bash', ['-c', postCurl.replace(/"value"/g, '"20"')]);
  assert.deepEqual(JSON.parse(stdout), { sum: 40 });
  await page.keyboard.press('Escape');

  await page.goto('/auth-link-docs');
  await page.locator(`[data-test="doc:${scriptId}.plus"]`).waitFor();
  assert.equal(await page.locator('[data-test=doc-url]').innerText(), '/api/v1/al/plus_link');
  await shot(page, 'auth-link-docs');
  await page.goto('/func-docs');
  await page.locator(`[data-test="doc:${scriptId}.plus"]`).waitFor();
  await shot(page, 'func-docs');
});

check('an API auth is added and attached to the link: calls need its header, and the examples send it', async () => {
  await page.goto('/management/api-auths');
  await page.locator('[data-test=new-api-auth]').click();
  const dialog = page.locator('[data-test=api-auth-dialog]');
  await dialog.locator('input[name=api-auth-name]').fill('Partner key');
  await dialog.locator('input[name=field-value-0]').fill('console-key-1');
  await dialog.locator('[data-test=save-api-auth]').click();
  await success(page).getByText('API auth added').waitFor();
  await page.locator('[data-test=api-auths]').getByText('Partner key').waitFor();
  await shot(page, 'api-auths');

  await page.goto('/management/auth-links/plus_link/setup');
  await page.locator('[data-test=api-auth-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'Partner key' }).click();
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/auth-links$/);
  await page.locator('[data-test=link-api-auth]').first().waitFor();

  const refused = await fetch(`${fixture.server.baseUrl}/api/v1/al/plus_link/simplified?x=1&y=2`);
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).message, 'Fixed Field Auth failed');
  await page.locator('[data-test=examples]').first().click();
  const curls = page.locator('[data-test=call-examples] [data-test=example-curl]');
  await curls.first().waitFor();
  const postCurl = (await curls.allInnerTexts()).find(text => text.startsWith('curl -X POST') && !text.includes('/simplified'));
  assert.ok(postCurl.includes("-H 'X-Api-Key: console-key-1'"), postCurl);
  const { stdout } = await promisify(execFile)('bash', ['-c', postCurl.replace(/"value"/g, '"20"')]);
  assert.deepEqual(JSON.parse(stdout), { sum: 40 });
  await page.keyboard.press('Escape');
  await page.goto('/auth-link-docs');
  await page.locator('[data-test=doc-credentials]').getByText('needed: Fixed field').waitFor();
});

check('a limit per caller is set on the link\'s form: a second call of the same address is refused, the link stays open', async () => {
  await page.goto('/management/auth-links/plus_link/setup');
  await page.locator('[data-test=caller-by]').getByText('By address').click();
  await page.locator('[data-test=caller-byDay] input').fill('1');
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/auth-links$/);
  await page.locator('[data-test=auth-links]').getByText('per caller (ip): 1/day').waitFor();
  const call = () => fetch(`${fixture.server.baseUrl}/api/v1/al/plus_link/simplified?x=1&y=2`, { headers: { 'X-Api-Key': 'console-key-1' } });
  assert.equal((await call()).status, 200);
  const refused = await call();
  assert.equal(refused.status, 429);
  assert.equal((await refused.json()).detail.rule, 'perCaller.byDay');

  await page.goto('/management/auth-links/plus_link/setup');
  await page.locator('[data-test=caller-by]').getByText('Off').click();
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/auth-links$/);
  assert.equal((await call()).status, 200);
});

check('a second user sees the script read-only, with who holds the edit lock', async () => {
  const token = await sessionToken(page);
  // The session is out of reach of page scripts: not in storage, not in document.cookie.
  assert.ok(token);
  assert.equal(await page.evaluate(() => document.cookie.includes('dff_session')), false);
  assert.equal(await page.evaluate(t => JSON.stringify({ ...localStorage }).includes(t), token), false);
  const created = await fetch(`${fixture.server.baseUrl}/api/v1/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Dff-Auth-Token': token },
    body: JSON.stringify({ ...member, role: 'member' }),
  });
  assert.equal(created.status, 200);
  await page.goto(`/development/scripts/${scriptId}/edit`);
  await page.locator('[data-test=save]:not(.is-disabled)').waitFor();

  const second = await newPage();
  await signIn(second, member);
  await second.goto(`/development/scripts/${scriptId}/edit`);
  await second.locator('[data-test=lock-holder]').getByText('being edited by admin').waitFor();
  assert.equal(await second.locator('[data-test=save]').isDisabled(), true);
  assert.equal(await second.locator('[data-test=publish]').isDisabled(), true);
  await shot(second, 'edit-lock');
  await second.context().close();
});

check('editor settings change the editor at once and are kept across reloads', async () => {
  await page.goto('/settings/editor');
  await page.locator('[data-test=editor-theme]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'Dark' }).first().click();
  await page.locator('[data-test=editor-preview] .monaco-editor.vs-dark').waitFor();
  await shot(page, 'editor-settings');
  await page.reload();
  await page.locator('[data-test=editor-preview] .monaco-editor.vs-dark').waitFor();
});

check('an expired session sends the user to sign-in, and sign-out ends the session', async () => {
  await page.context().addCookies([{ name: 'dff_session', value: 'expired-token', url: `${fixture.server.baseUrl}/api/` }]);
  await page.goto('/management/auth-links');
  await page.waitForURL(/\/sign-in\?.*expired=1/);
  await page.getByText('Your session has expired').waitFor();
  await signIn(page, admin);
  await page.locator('[data-test=user-menu]').click();
  await page.getByText('Sign out').click();
  await page.waitForURL(/\/sign-in/);
  assert.equal(await sessionToken(page), null);
});
