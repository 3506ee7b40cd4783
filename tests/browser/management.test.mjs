// The management and settings pages in a real browser against a real WebFront on a fresh install:
// crontab configs run by hand, members, script package export and import, restore points, the
// overview, experimental features with the func cache and store managers, operation records, clearing caches,
// resources and Python packages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, fixture, newPage, shot, signIn, success, useFixture } from './harness.mjs';

const admin = { username: 'admin', password: 'admin-password-1' };
const member = { username: 'ops1', password: 'ops-password-1' };
const setId = 'gov';
const scriptId = 'gov__jobs';
const funcId = `${scriptId}.tick`;
/** Once a year, so within the test it only runs when asked to. */
const yearly = '0 0 1 1 *';

const jobsCode = `@DFF.API('Tick')
def tick():
    DFF.CACHE.set('last_tick', 'ticked')
    DFF.STORE.set('last_tick', {'by': 'tick'})
    print('tick')
    return 'ok'
`;

let page;
let token;

/** An API call as the administrator, for arranging and checking what the pages do. */
async function call(method, path, body) {
  const response = await fetch(`${fixture.server.baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Dff-Auth-Token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = await response.json();
  assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(envelope)}`);
  return envelope.data;
}

/** Clicks the confirm button of the question an action asks first. */
async function confirm(target, button) {
  await target.locator('.el-message-box').getByRole('button', { name: button }).click();
}

useFixture(async () => {
  const { baseUrl } = fixture.server;
  const post = (path, body, headers = {}) => fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  assert.equal((await post('/api/v1/setup', admin)).status, 200);
  token = (await (await post('/api/v1/auth/sign-in', admin)).json()).data.token;
  await call('POST', '/api/v1/script-sets', { id: setId, title: 'Governance' });
  await call('POST', '/api/v1/scripts', { id: scriptId, scriptSetId: setId, title: 'Jobs', codeDraft: jobsCode });
  await call('POST', `/api/v1/scripts/${scriptId}/publish`, {});
  page = await newPage();
  await signIn(page, admin);
});

check('the overview counts what the installation holds', async () => {
  await page.goto('/management');
  await page.waitForURL(/\/management\/overview$/);
  const count = key => page.locator(`[data-test="count:${key}"] .el-statistic__number`).innerText();
  await page.locator('[data-test="count:funcs"]').waitFor();
  assert.deepEqual([await count('scriptSets'), await count('scripts'), await count('funcs'), await count('users')], ['1', '1', '1', '1']);
});

check('a crontab config is created for a func, run now, and its task record shows the run', async () => {
  await page.goto('/management/crontab-configs');
  await page.locator('[data-test=new-crontab-config]').click();
  await page.locator('input[name=id]').fill('tick_yearly');
  await page.locator('[data-test=func-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: funcId }).click();
  await page.locator('input[name=crontab]').fill(yearly);
  await page.locator('[data-test=save]').click();
  await page.waitForURL(/\/management\/crontab-configs$/);
  const row = page.locator('[data-test=crontab-configs] .el-table__row', { hasText: 'tick_yearly' }).first();
  await row.getByText(yearly).waitFor();

  await row.locator('[data-test=run-now]').click();
  await success(page).getByText(/Task .* succeeded/).waitFor({ timeout: 60_000 });
  const tasks = page.locator('[data-test=task-records] .el-table__row');
  await tasks.first().getByText('success').waitFor();
  assert.equal(await tasks.count(), 1);
  assert.equal((await call('GET', '/api/v1/task-records?origin=crontab&originId=tick_yearly')).length, 1);
  await shot(page, 'crontab-tasks');
  await page.keyboard.press('Escape');
  await shot(page, 'crontab-configs');
});

check('every crontab config is paused for maintenance: a banner says so on every page until resumed; the run is in task records', async () => {
  await page.goto('/management/crontab-configs');
  await page.locator('[data-test=pause-all]').click();
  await page.locator('.el-dialog .el-date-editor input').first().fill(new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
  await page.locator('.el-dialog .el-date-editor input').first().press('Enter');
  await page.locator('input[name=pause-note]').fill('database upgrade');
  await page.locator('[data-test=confirm-pause-all]').click();
  const banner = page.locator('[data-test=crontab-pause-banner]');
  await banner.getByText('database upgrade').waitFor();
  await page.goto('/management/overview');
  await banner.waitFor();
  await page.locator('[data-test=firings-last-hour]').getByText('tick_yearly').waitFor();
  await shot(page, 'crontab-paused');
  await page.goto('/management/crontab-configs');
  await page.locator('[data-test=resume-all]').click();
  await banner.waitFor({ state: 'detached' });

  await page.goto('/management/task-records');
  await page.locator('[data-test=task-status-filter]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'success' }).click();
  await page.locator('[data-test=task-records] .el-table__row', { hasText: funcId }).first().waitFor();
  await page.locator('[data-test=task-status-filter]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'failure' }).click();
  await page.locator('[data-test=task-records] .el-table__row', { hasText: funcId }).waitFor({ state: 'detached' });
});

check('turning on the func cache manager shows its page, which lists and deletes DFF.CACHE keys', async () => {
  await page.goto('/management/experimental-features');
  const menu = page.locator('[data-test=side-menu]');
  await menu.getByText('Experimental features').waitFor();
  assert.equal(await menu.getByText('Func cache manager').count(), 0);
  await page.locator('[data-test="feature:funcCacheManager"] [data-test=feature-switch]').click();
  await success(page).getByText('Feature enabled').waitFor();
  await shot(page, 'experimental-features');
  await menu.getByText('Func cache manager').click();
  await page.waitForURL(/\/management\/func-caches$/);
  const key = page.locator('[data-test=cache-keys] .el-table__row', { hasText: 'last_tick' });
  await key.getByText('ticked').waitFor();
  await shot(page, 'func-cache-manager');
  await key.locator('[data-test=delete-key]').click();
  await confirm(page, 'Delete');
  await success(page).getByText('Cache key deleted').waitFor();
  await key.waitFor({ state: 'detached' });
});

check('the func store manager lists, edits and deletes DFF.STORE entries', async () => {
  await page.goto('/management/experimental-features');
  const menu = page.locator('[data-test=side-menu]');
  await page.locator('[data-test="feature:funcStoreManager"] [data-test=feature-switch]').click();
  await success(page).getByText('Feature enabled').waitFor();
  await menu.getByText('Func store manager').click();
  await page.waitForURL(/\/management\/func-stores$/);
  const entry = page.locator('[data-test=store-entries] .el-table__row', { hasText: 'last_tick' });
  await entry.getByText('{"by":"tick"}').waitFor();
  await entry.locator('[data-test=edit-entry]').click();
  const dialog = page.locator('.el-dialog');
  await dialog.locator('textarea[name=valueJSON]').fill('{"by": "hand"}');
  await dialog.locator('[data-test=save-entry]').click();
  await success(page).getByText('Store entry saved').waitFor();
  await entry.getByText('{"by":"hand"}').waitFor();
  assert.equal((await call('GET', `/api/v1/func-stores?scope=${scriptId}`))[0].valueJSON, '{"by":"hand"}');
  await shot(page, 'func-store-manager');
  await entry.locator('[data-test=delete-entry]').click();
  await confirm(page, 'Delete');
  await success(page).getByText('Store entry deleted').waitFor();
  await entry.waitFor({ state: 'detached' });
  assert.equal((await call('GET', `/api/v1/func-stores?scope=${scriptId}`)).length, 0);
});

check('a password env variable is added from its form, never shown again, and kept when saved without a value', async () => {
  const secret = 'pw-Browser-77';
  await page.goto('/development/env-variables/new');
  await page.locator('input[name=id]').fill('BROWSER_PW');
  await page.locator('[data-test=auto-type]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'Password' }).click();
  await page.locator('input[name=value][type=password]').fill(secret);
  await page.getByRole('button', { name: 'Save' }).click();
  await success(page).getByText('Env variable saved').waitFor();
  await page.waitForURL(/\/development\/env-variables\/BROWSER_PW\/setup$/);
  assert.equal(await page.locator('input[name=value]').inputValue(), '');
  await page.locator('input[name=title]').fill('Renamed');
  await page.getByRole('button', { name: 'Save' }).click();
  await success(page).getByText('Env variable saved').waitFor();

  await page.goto('/management/env-variables');
  const row = page.locator('.el-table__row', { hasText: 'BROWSER_PW' });
  await row.getByText('******').waitFor();
  assert.ok(!(await page.content()).includes(secret));
  await call('POST', '/api/v1/scripts', { id: 'gov__pw', codeDraft: "def read():\n    return DFF.ENV('BROWSER_PW')\n" });
  assert.equal((await call('POST', '/api/v1/scripts/gov__pw/run', { funcName: 'read' })).result, secret);
});

check('a member is added, sees no administrator pages, and is signed out everywhere when disabled', async () => {
  await page.goto('/settings/members');
  await page.locator('[data-test=new-member]').click();
  await page.locator('input[name=member-username]').fill(member.username);
  await page.locator('input[name=member-name]').fill('Operations');
  await page.locator('input[name=member-password]').fill(member.password);
  await page.locator('[data-test=save-member]').click();
  await success(page).getByText('Member added').waitFor();
  const row = page.locator('[data-test=members] .el-table__row', { hasText: member.username });
  await row.locator('[data-test=member-state]').getByText('Enabled').waitFor();
  await shot(page, 'members');

  const second = await newPage();
  await signIn(second, member);
  await second.goto('/settings/profile');
  await second.locator('[data-test=side-menu]').getByText('Change password').waitFor();
  assert.equal(await second.locator('[data-test=side-menu]').getByText('Members').count(), 0);
  await second.goto('/settings/members');
  await second.waitForURL(/\/management\/overview$/);

  await row.locator('[data-test=toggle-member]').click();
  await confirm(page, 'Disable');
  await row.locator('[data-test=member-state]').getByText('Disabled').waitFor();
  await second.goto('/management/auth-links');
  await second.waitForURL(/\/sign-in\?.*expired=1/);
  await second.context().close();
});

check('a sign-in func lets a user of another system in as a member, whose profile and password stay there', async () => {
  await call('POST', '/api/v1/scripts', { id: `${setId}__directory`, scriptSetId: setId, codeDraft: `@DFF.API('Company directory', integration='signIn')
def sign_in(username, password):
    return {'id': username, 'name': 'Dora Directory'} if password == 'dora-secret-1' else False
` });
  await call('POST', `/api/v1/scripts/${setId}__directory/publish`, {});

  const visitor = await newPage();
  await visitor.goto('/');
  await visitor.waitForURL(/\/sign-in/);
  // The server answers the list from memory for a few seconds: a page opened just after the publish may need a reload.
  for (let tries = 0; !(await visitor.locator('[data-test=sign-in-via]').isVisible()); tries++) {
    assert.ok(tries < 20, 'the sign-in page offers the sign-in func');
    await visitor.waitForTimeout(1000);
    await visitor.reload();
  }
  await visitor.locator('[data-test=sign-in-via]').click();
  await visitor.locator('.el-select-dropdown__item', { hasText: 'Company directory' }).click();
  await visitor.locator('input[name=username]').fill('dora');
  await visitor.locator('input[name=password]').fill('wrong-secret-1');
  await visitor.getByRole('button', { name: 'Sign in' }).click();
  await visitor.locator('.el-message--error').getByText('Sign-in function returned False or nothing').waitFor();
  await visitor.locator('input[name=password]').fill('dora-secret-1');
  await visitor.getByRole('button', { name: 'Sign in' }).click();
  await visitor.waitForURL(url => !url.pathname.startsWith('/sign-in'));
  await visitor.goto('/settings/password');
  await visitor.locator('[data-test=func-account-note]').getByText(`${setId}__directory.sign_in`).waitFor();
  assert.equal(await visitor.locator('.el-form input[type=password]').first().isDisabled(), true);
  await shot(visitor, 'signed-in-through-func');
  await visitor.context().close();

  await page.goto('/settings/members');
  const row = page.locator('[data-test=members] .el-table__row', { hasText: 'Dora Directory' });
  await row.locator('[data-test=member-via-func]').waitFor();
});

check('an access key is added, its token shown once works on the API, and a revoke stops it', async () => {
  await page.goto('/settings/access-keys');
  await page.locator('[data-test=new-access-key]').click();
  await page.locator('input[name=access-key-name]').fill('ci-deploy');
  await page.locator('[data-test=save-access-key]').click();
  const token = await page.locator('input[data-test=access-key-token], [data-test=access-key-token] input').first().inputValue();
  assert.match(token, /^ofk_[0-9a-f]{16}_/);
  await shot(page, 'access-key-made');
  await page.locator('[data-test=close-access-key-token]').click();
  const me = await fetch(`${fixture.server.baseUrl}/api/v1/me`, { headers: { 'X-Dff-Auth-Token': token } });
  assert.equal(me.status, 200);

  const row = page.locator('[data-test=access-keys] .el-table__row', { hasText: 'ci-deploy' });
  await row.locator('[data-test=revoke-access-key]').click();
  await confirm(page, 'Revoke');
  await row.locator('[data-test=access-key-state]').getByText('Revoked').waitFor();
  assert.equal((await fetch(`${fixture.server.baseUrl}/api/v1/me`, { headers: { 'X-Dff-Auth-Token': token } })).status, 401);
});

check('the resource manager makes a folder, uploads into it, zips it, unzips the zip and downloads a file', async () => {
  await page.goto('/management/resources');
  await page.locator('[data-test=new-resource-folder]').click();
  await page.locator('.el-message-box input').fill('templates');
  await page.locator('.el-message-box').getByRole('button', { name: 'OK' }).click();
  await page.locator('[data-test="open:templates"]').click();
  await page.locator('[data-test=resource-path]').getByText('templates').waitFor();
  await page.locator('[data-test=resource-files]').setInputFiles([
    { name: 'mail.html', mimeType: 'text/html', buffer: Buffer.from('<p>Hello {{ name }}</p>') },
    { name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
  ]);
  await success(page).getByText('Uploaded 2 files').waitFor();
  await page.locator('[data-test=resources]').getByText('rows.csv').waitFor();
  await shot(page, 'resources');

  const download = page.waitForEvent('download');
  await page.locator('[data-test="download:mail.html"]').click();
  assert.equal((await download).suggestedFilename(), 'mail.html');

  await page.locator('[data-test=resource-path]').getByText('resources').click();
  await page.locator('[data-test="zip:templates"]').click();
  await page.locator('[data-test=resources]').getByText('templates.zip').waitFor();
  await page.locator('[data-test="delete:templates"]').click();
  await confirm(page, 'Delete');
  await page.locator('[data-test="open:templates"]').waitFor({ state: 'detached' });
  await page.locator('[data-test="unzip:templates.zip"]').click();
  await page.locator('[data-test="open:templates"]').click();
  await page.locator('[data-test="open:templates"]').click();
  await page.locator('[data-test=resources]').getByText('mail.html').waitFor();
});

check('a wheel uploaded on the Python packages page is installed with its output shown, imported by a script, and uninstalled', async () => {
  // A tiny package built here with Debian's pip (no index on this machine): `browserpkg.GREETING`.
  const folder = mkdtempSync(join(tmpdir(), 'browser-wheel-'));
  mkdirSync(join(folder, 'src', 'browserpkg'), { recursive: true });
  writeFileSync(join(folder, 'src', 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "browserpkg"\nversion = "0.3"\n');
  writeFileSync(join(folder, 'src', 'browserpkg', '__init__.py'), "GREETING = 'hello from a wheel'\n");
  execFileSync('/usr/bin/python3', ['-m', 'pip', 'wheel', '--no-build-isolation', '--no-deps', '--no-index', '--disable-pip-version-check',
    '-w', join(folder, 'dist'), join(folder, 'src')], { stdio: 'ignore' });

  await page.goto('/management/python-packages');
  await page.locator('[data-test=wheel-file]').setInputFiles(join(folder, 'dist', 'browserpkg-0.3-py3-none-any.whl'));
  await page.locator('[data-test=shown-status]').getByText('succeeded').waitFor({ timeout: 120_000 });
  assert.match(await page.locator('[data-test=operation-output]').innerText(), /Successfully installed browserpkg-0\.3/);
  await page.locator('[data-test=installed-packages]').getByText('browserpkg').waitFor();
  await shot(page, 'python-packages');
  await call('POST', '/api/v1/scripts', { id: `${setId}__wheel`, scriptSetId: setId, codeDraft: 'import browserpkg\n\ndef greet():\n    return browserpkg.GREETING\n' });
  assert.equal((await call('POST', `/api/v1/scripts/${setId}__wheel/run`, { funcName: 'greet', kwargs: {} })).result, 'hello from a wheel');

  await page.locator('[data-test="uninstall:browserpkg"]').click();
  await confirm(page, 'Uninstall');
  await page.locator('[data-test=shown-status]').getByText('succeeded').waitFor({ timeout: 120_000 });
  await page.locator('[data-test=installed-packages]').getByText('No packages installed').waitFor();
});

check('a package exported with a password is previewed and imported back, replacing what changed since', async () => {
  await page.goto('/management/script-packages/export');
  await page.locator('[data-test=export-sets]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: setId }).click();
  await page.keyboard.press('Escape');
  await page.locator('[data-test=include-crontab-configs]').click();
  await page.locator('textarea[name=note]').fill('nightly copy');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
  const password = await page.locator('[data-test=export-password]').innerText();
  assert.match(password, /^\S{16,}$/);
  assert.match(download.suggestedFilename(), /^dataflux-func-\d{8}_\d{6}\.func-pkg$/);
  assert.match(await page.locator('[data-test=work-outcome][data-outcome=success]').innerText(), /^Saved dataflux-func-\S+\.func-pkg \([\d.,]+ K?B\)$/);
  await page.locator('[data-test=copy-password]').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
  await shot(page, 'package-export');
  const file = { name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: readFileSync(await download.path()) };

  await call('PATCH', '/api/v1/crontab-configs/tick_yearly', { note: 'changed after the export', expireTime: null });

  await page.goto('/management/script-packages/import');
  await page.locator('[data-test=import-package]').click();
  const dialog = page.locator('[data-test=import-dialog]');
  await dialog.locator('[data-test=import-file]').setInputFiles(file);
  await dialog.locator('input[name=import-password]').fill(`${password}x`);
  await dialog.locator('[data-test=import-preview]').click();
  await page.locator('.el-message--error').first().waitFor();
  await dialog.locator('[data-test=work-outcome][data-outcome=error]').waitFor();
  assert.equal(await dialog.locator('[data-test=import-confirm]').isDisabled(), true);

  // Each stage the dialog shows is recorded as it appears; a slow uplink makes the upload's percentages visible.
  await page.evaluate(() => {
    window.stagesShown = [];
    new MutationObserver(() => {
      const shown = document.querySelector('[data-test=import-dialog] [data-test=work-progress]');
      const stage = shown && `${shown.dataset.stage}${shown.querySelector('.el-progress__text') ? ' %' : ''}`;
      if (stage && window.stagesShown.at(-1) !== stage) window.stagesShown.push(stage);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const network = await page.context().newCDPSession(page);
  await network.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: 4096 });
  await dialog.locator('input[name=import-password]').fill(password);
  await dialog.locator('[data-test=import-preview]').click();
  await dialog.getByText('Note: nightly copy').waitFor();
  await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await network.detach();
  const stages = await page.evaluate(() => window.stagesShown);
  for (const stage of ['Reading the file', 'Uploading %', 'Checking the package on the server']) assert.ok(stages.includes(stage), JSON.stringify(stages));
  assert.match(await dialog.locator('[data-test=work-outcome][data-outcome=success]').innerText(), /^Package read: \d+ item\(s\) to add or replace$/);
  await dialog.locator(`[data-test="action:scriptSet:${setId}"]`).getByText('Replaced').waitFor();
  await dialog.locator('[data-test="action:crontabConfig:tick_yearly"]').getByText('Replaced').waitFor();
  await page.locator('.el-message--error').waitFor({ state: 'detached' });
  await shot(page, 'package-import');
  await dialog.locator('[data-test=import-confirm]').click();
  await confirm(page, 'Import');
  await success(page).getByText(/Imported \d+ item\(s\)/).waitFor();
  await page.locator('[data-test=import-history] .el-table__row', { hasText: 'nightly copy' }).waitFor();
  assert.equal((await call('GET', '/api/v1/crontab-configs/tick_yearly')).note, '');
});

check('an earlier version is compared with the newest in the publish history and published again', async () => {
  const { codeDraftMD5 } = await call('GET', `/api/v1/scripts/${scriptId}`);
  await call('PATCH', `/api/v1/scripts/${scriptId}`, { codeDraft: jobsCode.replace("return 'ok'", "return 'v2'"), prevCodeDraftMD5: codeDraftMD5 });
  const versionTwo = (await call('POST', `/api/v1/scripts/${scriptId}/publish`, { note: 'returns v2' })).publishVersion;
  await page.goto(`/development/scripts/${scriptId}`);
  await page.locator('[data-test=open-publish-history]').click();
  const drawer = page.locator('[data-test=publish-history]');
  await drawer.locator('[data-test=publish-versions]').getByText('returns v2').waitFor();
  await drawer.locator('[data-test=code-diff] .monaco-diff-editor').waitFor();
  await shot(page, 'publish-history');
  await drawer.locator('[data-test="republish:1"]').click();
  await confirm(page, 'Publish again');
  await success(page).getByText(`Version 1 published again as version ${versionTwo + 1}`).waitFor();
  const run = await call('POST', `/api/v1/func/${funcId}`, { kwargs: {} });
  assert.equal(run.result, 'ok');
  await page.keyboard.press('Escape');
});

check('a restore point brings back a draft changed after it; the restore saves the state before it', async () => {
  await page.goto('/management/restore-points');
  await page.locator('[data-test=new-restore-point]').click();
  await page.locator('textarea[name=note]').fill('before the edit');
  await page.locator('[data-test=create-restore-point]').click();
  await success(page).getByText('Restore point created').waitFor();
  const point = page.locator('[data-test=restore-points] .el-table__row', { hasText: 'before the edit' });
  await point.waitFor();

  await call('PATCH', `/api/v1/scripts/${scriptId}`, { codeDraft: `${jobsCode}\n# edited\n` });
  await point.locator('[data-test=restore]').click();
  // The preview says what changes before anything does: the edited script, with its draft on both sides.
  const preview = page.locator('[data-test=restore-preview]');
  await preview.locator(`[data-test="restore-change:${scriptId}"]`).getByText('changes').waitFor();
  await shot(page, 'restore-preview');
  await preview.locator('[data-test=confirm-restore]').click();
  await success(page).getByText(/Restored: 1 set\(s\) replaced/).waitFor();
  await page.locator('[data-test=work-outcome][data-outcome=success]').getByText(/Restored: 1 set\(s\) replaced/).waitFor();
  await page.locator('[data-test=restore-points] .el-table__row', { hasText: 'Before a restore' }).first().waitFor();
  assert.equal((await call('GET', `/api/v1/scripts/${scriptId}`)).codeDraft, jobsCode);
  await shot(page, 'restore-points');
});

check('a publish or a delete that would break a batch lists it and waits for "anyway"', async () => {
  const extra = 'brk__extra';
  await call('POST', '/api/v1/script-sets', { id: 'brk', title: 'Breakable' });
  await call('POST', '/api/v1/scripts', { id: extra, title: 'Extra', codeDraft: "@DFF.API('Work')\ndef work():\n    return 1\n" });
  await call('POST', `/api/v1/scripts/${extra}/publish`, {});
  const batch = (await call('POST', '/api/v1/batches', { id: 'brk_batch', funcId: `${extra}.work` })).id;
  const { codeDraftMD5 } = await call('GET', `/api/v1/scripts/${extra}`);
  await call('PATCH', `/api/v1/scripts/${extra}`, { codeDraft: "@DFF.API('Labour')\ndef labour():\n    return 2\n", prevCodeDraftMD5: codeDraftMD5 });

  await page.goto(`/development/scripts/${extra}/edit`);
  await page.locator('[data-test=publish]').click();
  const box = page.locator('.el-message-box');
  await box.locator(`[data-test="broken:${batch}"]`).getByText(`${extra}.work would no longer be exported`).waitFor();
  await box.getByText('This would break 1 caller(s) of its funcs').waitFor();
  // The box's opening transitions end; a spinner's endless one never does, so it is not waited for.
  await page.evaluate(() => Promise.allSettled(document.getAnimations()
    .filter(animation => Number.isFinite(animation.effect?.getComputedTiming().endTime)).map(animation => animation.finished)));
  await shot(page, 'publish-breaks-callers');
  await box.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await call('GET', `/api/v1/scripts/${extra}`)).publishVersion, 1);

  await page.locator('[data-test=publish]').click();
  await confirm(page, 'Publish anyway');
  await success(page).getByText('Published version 2').waitFor();

  // Deleting the script asks the same, from its set-up page.
  await page.goto(`/development/scripts/${extra}/setup`);
  await page.locator('[data-test=delete]').click();
  await confirm(page, 'Delete');
  await box.locator(`[data-test="broken:${batch}"]`).waitFor();
  await confirm(page, 'Delete anyway');
  await success(page).getByText('Script deleted').waitFor();
  const gone = await fetch(`${fixture.server.baseUrl}/api/v1/scripts/${extra}`, { headers: { 'X-Dff-Auth-Token': token } });
  assert.equal(gone.status, 404);
});

check('a batch retries a failing run as its form says, its records list the attempts and the handler, and the installation handler is set', async () => {
  const script = 'rty__jobs';
  await call('POST', '/api/v1/script-sets', { id: 'rty', title: 'Retries' });
  await call('POST', '/api/v1/scripts', {
    id: script, title: 'Jobs',
    codeDraft: "@DFF.API('Broken')\ndef broken():\n    raise RuntimeError('upstream down')\n\n@DFF.API('On failure')\ndef on_failure(task):\n    return task['id']\n",
  });
  await call('POST', `/api/v1/scripts/${script}/publish`, {});

  await page.goto('/management/batches/new');
  await page.locator('[data-test=func-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `${script}.broken` }).click();
  await page.locator('[data-test=retry-mode] label', { hasText: /^Retry$/ }).click();
  await page.locator('[data-test=retry-count] input').fill('1');
  await page.locator('[data-test=retry-delay] input').fill('0');
  await page.locator('[data-test=error-handler-select]').click();
  await page.keyboard.type('on_failure');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('[data-test=error-handler-select]').getByText(`${script}.on_failure`).waitFor();
  await shot(page, 'batch-retries-form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/management\/batches$/);
  const batch = (await call('GET', '/api/v1/batches')).find(b => b.funcId === `${script}.broken`);
  assert.deepEqual([batch.retry.count, batch.retry.delay, batch.errorHandlerFuncId], [1, 0, `${script}.on_failure`]);
  await page.locator('.el-table__row', { hasText: batch.id }).locator('[data-test=retry-tag]').getByText('retry ×1').waitFor();

  const { taskId } = (await (await fetch(`${fixture.server.baseUrl}/api/v1/bat/${batch.id}`, { method: 'POST' })).json()).data;
  for (let tries = 0; ; tries++) {
    const attempts = await call('GET', `/api/v1/task-records/${encodeURIComponent(taskId)}/attempts`);
    if (attempts.length === 3 && attempts.every(a => !['queued', 'running'].includes(a.status))) break;
    assert.ok(tries < 300, 'the attempts and the handler call settled');
    await new Promise(resolve => setTimeout(resolve, 100));
  }

  await page.goto('/management/task-records');
  const retried = page.locator('[data-test=task-records] .el-table__row', { hasText: `${taskId}~2`, has: page.locator('[data-test=task-attempt]') });
  await retried.locator('[data-test=task-attempt]').getByText('attempt 2').waitFor();
  await retried.locator('.el-table__expand-icon').click();
  const attempts = page.locator('[data-test=task-attempts] li');
  await attempts.nth(2).getByText('errorHandler').waitFor();
  assert.deepEqual((await attempts.allInnerTexts()).map(text => text.split(/\s+/)[0]), [taskId, `${taskId}~2`, `${taskId}~handler`]);
  await shot(page, 'task-attempts');

  await page.locator('[data-test=installation-error-handler-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `${script}.on_failure` }).click();
  await page.locator('[data-test=installation-error-handler-save]').click();
  await success(page).getByText('Error handler saved').waitFor();
  assert.equal((await call('GET', '/api/v1/installation-settings')).errorHandlerFuncId, `${script}.on_failure`);
  await call('PATCH', '/api/v1/installation-settings', { errorHandlerFuncId: '' });
});

check('operation records are filtered by entity type and show the masked request body', async () => {
  await page.goto('/management/operation-records');
  await page.locator('input[name=entityType]').fill('user');
  await page.locator('[data-test=filter]').click();
  const created = page.locator('[data-test=operation-records] .el-table__row', { hasText: 'user · create' });
  await created.waitFor();
  const actions = await page.locator('[data-test=operation-records] .el-table__row td:nth-child(4)').allInnerTexts();
  assert.ok(actions.length > 0 && actions.every(action => action.startsWith('user · ')), actions.join(', '));
  await created.locator('.el-table__expand-icon').click();
  const body = await page.locator('[data-test=body-summary]').first().innerText();
  assert.match(body, new RegExp(member.username));
  assert.doesNotMatch(body, new RegExp(member.password));
  await shot(page, 'operation-records');
});

check('the request log lists a failed request with the trace ID its answer carried', async () => {
  const answer = await fetch(`${fixture.server.baseUrl}/api/v1/no-such-route-for-the-log`);
  const traceId = answer.headers.get('x-trace-id');
  // The log is written behind the answer: wait until it has the entry, then look at the page.
  for (let tries = 0; !(await call('GET', '/api/v1/request-log?kind=failed')).some(e => e.traceId === traceId); tries++) {
    assert.ok(tries < 100, 'the failed request reached the request log');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  await page.goto('/management/request-log');
  await page.locator('[data-test=request-kind] label', { hasText: /^Failed$/ }).click();
  const row = page.locator('[data-test=request-log] .el-table__row', { hasText: '/api/v1/no-such-route-for-the-log' });
  await row.waitFor();
  assert.equal(await row.locator('[data-test=trace-id]').innerText(), traceId);
  await shot(page, 'request-log');
});

check('the overview charts the last hour of calls; caches are cleared from the settings after a confirmation', async () => {
  await page.goto('/management/overview');
  await page.locator('[data-test=calls-chart]').waitFor();
  assert.equal(await page.locator('[data-test="count:crontabConfigs"] .el-statistic__number').innerText(), '1');
  await shot(page, 'overview');

  await page.goto('/settings/clear-cache');
  await page.locator('[data-test=clear-caches]').click();
  await confirm(page, 'Clear');
  await success(page).getByText(/Caches cleared \(generation \d+\)/).waitFor();
});
