// The data source pages in a real browser against a real WebFront (SPEC D1, D3): a PostgreSQL
// source is added from the side bar (a wrong password refused with the driver's message), used in
// the debug panel (statements, rows, errors, copy buttons), browsed, set up and deleted. The
// PostgreSQL it connects to is the test WebFront's own embedded server, with a role and database
// made for the test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createPostgresDatabase } from './postgres.mjs';
import { startServer } from './server.mjs';

const admin = { username: 'admin', password: 'admin-password-1' };
const sourceId = 'pg_demo';

/** Main pages are saved here when ORLEANSFUNC_SCREENSHOTS names a folder (the README's are made so). */
const screenshots = process.env.ORLEANSFUNC_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'orleansfunc-screenshots-'));
mkdirSync(screenshots, { recursive: true });

let server;
let browser;
let page;
let postgres;

before(async () => {
  server = await startServer();
  postgres = await createPostgresDatabase({ user: 'ds_tester', password: 'ds-password-1', database: 'ds_test' });
  const setup = await fetch(`${server.baseUrl}/api/v1/setup`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(admin),
  });
  assert.equal(setup.status, 200);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, baseURL: server.baseUrl, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  // A connectivity check may take the drivers' whole 15 s before it gives up.
  page.setDefaultTimeout(30_000);
  await page.goto('/');
  await page.locator('input[name=username]').fill(admin.username);
  await page.locator('input[name=password]').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(url => url.pathname.startsWith('/development'));
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
  await postgres?.stop();
});

const shot = name => page.screenshot({ path: join(screenshots, `${name}.png`) });
/** The README's pictures wait for the passing "Copied" and "Saved" messages to go. */
const cleanShot = async name => {
  await page.waitForFunction(() => !document.querySelector('.el-message'));
  await shot(name);
};
const success = text => page.locator('.el-message--success', { hasText: text }).last();
const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

/** A test that, when it fails, leaves a picture of the page beside the screenshots. */
function check(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      await shot(`failed-${name.slice(0, 40).replace(/\W+/g, '-')}`);
      throw error;
    }
  });
}

async function runQuery(command, outcome) {
  await page.locator('textarea[name=command]').fill(command);
  await page.locator('[data-test=run-query]').click();
  await outcome.waitFor();
}

/** The panel's row count line saying exactly `text`: a new answer, not the one before it. */
const rowCount = text => page.locator('[data-test=row-count]').filter({ hasText: new RegExp(`^${text.replace(/[()]/g, '\\$&')}$`) });

/** The result table's cells, row by row. */
async function resultRows() {
  return page.locator('[data-test=result-table] .el-table__body tr').evaluateAll(rows =>
    rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.textContent.trim())));
}

/** Opens a lazily loaded structure node by its expand arrow. */
async function expandNode(key) {
  await page.locator('.el-tree-node__content', { has: page.locator(`[data-test="node:${key}"]`) }).locator('.el-tree-node__expand-icon').click();
}

check('a source is added from the side bar; a missing field and a wrong password are refused, the latter with the driver\'s message', async () => {
  await page.getByRole('tab', { name: 'Data sources' }).click();
  await page.locator('[data-test=add-data-source]').click();
  await page.waitForURL(/\/development\/data-sources\/new$/);
  await page.locator('input[name=id]').fill(sourceId);
  await page.locator('input[name=title]').fill('Shop database');
  await page.locator('textarea[name=description]').fill('Orders and prices of the demo shop');
  await page.locator('[data-test=type-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'PostgreSQL' }).click();
  assert.equal(await page.locator('input[name=port]').inputValue(), '5432');
  assert.equal(await page.locator('input[name=charset]').inputValue(), 'utf8');
  await page.locator('[data-test=save]').click();
  const hostError = page.locator('.el-form-item', { has: page.locator('input[name=host]') }).locator('.el-form-item__error');
  await hostError.getByText("Config field 'host' is required").waitFor();
  assert.equal(await page.locator('[data-test=refusal]').count(), 0);

  await page.locator('input[name=host]').fill(postgres.host);
  await page.locator('input[name=port]').fill(String(postgres.port));
  await page.locator('input[name=port]').press('Tab');
  await page.locator('input[name=database]').fill(postgres.database);
  await page.locator('input[name=user]').fill(postgres.user);
  await page.locator('input[name=password]').fill('not-the-password');
  await page.locator('[data-test=save]').click();
  const refusal = page.locator('[data-test=refusal]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Cannot connect[\s\S]*password authentication failed for user "ds_tester"/);
  assert.match(page.url(), /\/data-sources\/new$/);
  await cleanShot('data-source-refused');

  await page.locator('input[name=password]').fill(postgres.password);
  await page.locator('[data-test=save]').click();
  await page.waitForURL(new RegExp(`/development/data-sources/${sourceId}$`));
  await page.locator(`[data-test="source:${sourceId}"]`).waitFor();
  await page.locator('[data-test=debug-panel]').getByText(`DFF.SRC('${sourceId}')`).waitFor();
});

check('the debug panel runs a statement and a query, shows the rows, copies them and their code, and shows a failure', async () => {
  await runQuery(
    'CREATE TABLE fruits (id int PRIMARY KEY, name text, price numeric(5, 2));\n' +
    "INSERT INTO fruits VALUES (1, 'apple', 1.5), (2, 'pear', 2.25), (3, 'plum', NULL)",
    rowCount('3 row(s) affected'));

  const select = 'SELECT id, name, price FROM fruits ORDER BY id';
  await runQuery(select, rowCount('3 row(s)'));
  assert.deepEqual(await page.locator('[data-test=result-table] .el-table__header th').allInnerTexts(), ['id', 'name', 'price']);
  assert.deepEqual(await resultRows(), [['1', 'apple', '1.50'], ['2', 'pear', '2.25'], ['3', 'plum', 'NULL']]);

  await page.locator('[data-test=copy-code]').click();
  assert.equal(await clipboard(), `helper = DFF.SRC('${sourceId}')\nrows = helper.query('${select}')`);
  await page.locator('[data-test=copy-query]').click();
  assert.equal(await clipboard(), select);
  await page.locator('[data-test=copy-result]').click();
  assert.deepEqual(JSON.parse(await clipboard()), [
    { id: 1, name: 'apple', price: '1.50' }, { id: 2, name: 'pear', price: '2.25' }, { id: 3, name: 'plum', price: null },
  ]);

  await runQuery('SELECT * FROM no_such_table', page.locator('[data-test=query-error]'));
  assert.match(await page.locator('[data-test=query-error]').innerText(), /The query failed: relation "no_such_table" does not exist/);
  assert.equal(await page.locator('[data-test=query-result]').count(), 0);
});

check('the structure tree lists databases, tables and columns; a table fills the panel with a query on it', async () => {
  const database = postgres.database;
  await page.locator(`[data-test="node:${database}"]`).waitFor();
  assert.equal(await page.locator('[data-test="node:template0"]').count(), 0);
  await expandNode(database);
  await expandNode(`${database}/fruits`);
  const columns = ['id', 'name', 'price'].map(column => page.locator(`[data-test="node:${database}/fruits/${column}"]`));
  await columns[2].waitFor();
  assert.deepEqual(await Promise.all(columns.map(column => column.innerText())), ['id\ninteger', 'name\ntext', 'price\nnumeric']);

  await page.locator(`[data-test="node:${database}/fruits"]`).click();
  assert.equal(await page.locator('textarea[name=command]').inputValue(), 'SELECT * FROM fruits LIMIT 10');
  assert.equal(await page.locator('input[name=database]').inputValue(), database);
  await page.locator('textarea[name=command]').press('Control+Enter');
  await rowCount('3 row(s)').waitFor();
  await page.locator('[data-test=copy-code]').click();
  assert.equal(await clipboard(), `helper = DFF.SRC('${sourceId}', database='${database}')\nrows = helper.query('SELECT * FROM fruits LIMIT 10')`);
  await cleanShot('data-sources');
});

check('the window icon opens the debug panel over the script editor: dragged, queried, hidden with its tab, closed', async () => {
  const token = (await page.context().cookies()).find(c => c.name === 'dff_session').value;
  for (const [path, body] of [['/api/v1/script-sets', { id: 'ds', title: 'Data' }], ['/api/v1/scripts', { id: 'ds__report', title: 'Report', codeDraft: "def report():\n    return 1\n" }]]) {
    const created = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Dff-Auth-Token': token }, body: JSON.stringify(body) });
    assert.equal(created.status, 200);
  }
  await page.goto('/development/scripts/ds__report/edit');
  await page.locator('[data-test=editor] [data-test=code-editor]').waitFor();
  await page.getByRole('tab', { name: 'Data sources' }).click();
  await page.locator(`[data-test="source:${sourceId}"] [data-test=debug-panel-button]`).click();
  const panel = page.locator('[data-test=source-debug-panel]');
  await panel.getByText(`DFF.SRC('${sourceId}')`).waitFor();
  assert.match(page.url(), /\/scripts\/ds__report\/edit$/);

  const before = await panel.boundingBox();
  const bar = await page.locator('[data-test=source-debug-panel-bar] .mono').first().boundingBox();
  await page.mouse.move(bar.x + 5, bar.y + 5);
  await page.mouse.down();
  await page.mouse.move(bar.x - 195, bar.y + 105, { steps: 5 });
  await page.mouse.up();
  const moved = await panel.boundingBox();
  assert.deepEqual([Math.round(moved.x - before.x), Math.round(moved.y - before.y)], [-200, 100]);

  await panel.locator('textarea[name=command]').fill('SELECT name FROM fruits WHERE id = 2');
  await panel.locator('[data-test=run-query]').click();
  await panel.locator('[data-test=row-count]').filter({ hasText: /^1 row\(s\)$/ }).waitFor();
  assert.deepEqual(await panel.locator('[data-test=result-table] .el-table__body td').allInnerTexts(), ['pear']);
  // The editor stays open and usable beneath it.
  assert.equal(await page.locator('[data-test=save]').isDisabled(), false);
  await cleanShot('data-source-debug-panel');

  // Shown only while the side bar shows the data sources, as the manual says; it comes back with its tab.
  await page.getByRole('tab', { name: 'Script library' }).click();
  await panel.waitFor({ state: 'detached' });
  await page.getByRole('tab', { name: 'Data sources' }).click();
  await panel.waitFor();
  await panel.locator('[data-test=close-panel]').click();
  await panel.waitFor({ state: 'detached' });
});

check('setting up keeps the stored password unless a new one is typed, and refuses one that cannot connect', async () => {
  await page.locator(`[data-test="source:${sourceId}"] [data-test=setup]`).click();
  await page.waitForURL(new RegExp(`/data-sources/${sourceId}/setup$`));
  const password = page.locator('input[name=password]');
  await password.and(page.locator('[placeholder="Set; leave empty to keep"]')).waitFor();
  assert.equal(await password.inputValue(), '');
  assert.equal(await page.locator('[data-test=type-select] input').isDisabled(), true);

  await page.locator('input[name=title]').fill('Demo PostgreSQL');
  await page.locator('[data-test=save]').click();
  await success('Data source saved').waitFor();
  await page.locator(`[data-test="source:${sourceId}"]`).getByText('Demo PostgreSQL').waitFor();

  await password.fill('another-wrong-password');
  await page.locator('[data-test=save]').click();
  await page.locator('[data-test=refusal]', { hasText: 'password authentication failed for user "ds_tester"' }).waitFor();
  await page.locator('[data-test=check]').click();
  await success('Connected').waitFor();
});

check('deleting asks for confirmation, then the source is gone', async () => {
  await page.locator('[data-test=delete]').click();
  const confirm = page.locator('.el-message-box');
  await confirm.getByText(`Delete data source "${sourceId}"?`).waitFor();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/development$/);
  await page.locator(`[data-test="source:${sourceId}"]`).waitFor({ state: 'detached' });
  const token = (await page.context().cookies()).find(c => c.name === 'dff_session')?.value;
  const gone = await fetch(`${server.baseUrl}/api/v1/data-sources/${sourceId}`, { headers: { 'X-Dff-Auth-Token': token } });
  assert.equal(gone.status, 404);
});

check('a source whose server is down is saved only after confirming to skip the check', async () => {
  await page.locator('[data-test=add-data-source]').click();
  await page.waitForURL(/\/development\/data-sources\/new$/);
  await page.locator('input[name=id]').fill('pg_down');
  await page.locator('[data-test=type-select]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'PostgreSQL' }).click();
  await page.locator('input[name=host]').fill('127.0.0.1');
  await page.locator('input[name=port]').fill('1');
  await page.locator('input[name=port]').press('Tab');
  await page.locator('input[name=database]').fill('nothing');
  await page.locator('input[name=user]').fill('nobody');
  await page.locator('input[name=password]').fill('no-password-1');
  await page.locator('[data-test=save]').click();
  await page.locator('[data-test=refusal]').getByText('Cannot connect').waitFor();
  await page.locator('[data-test=save-unchecked]').click();
  await page.locator('.el-message-box').getByRole('button', { name: 'Save unchecked' }).click();
  await page.waitForURL(/\/development\/data-sources\/pg_down$/);
  await page.locator('[data-test="source:pg_down"]').waitFor();
});
