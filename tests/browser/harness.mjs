// What every browser test file shares: a fresh WebFront, Chromium, pages of the right size,
// failure pictures, screenshots for the README, and signing in.
import { after, before, test } from 'node:test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

/** Main pages are saved here when ORLEANSFUNC_SCREENSHOTS names a folder (the README's are made so). */
const screenshots = process.env.ORLEANSFUNC_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'orleansfunc-screenshots-'));
mkdirSync(screenshots, { recursive: true });

/** The server and browser of one test file. */
export const fixture = { server: null, browser: null };

/**
 * Starts a fresh WebFront and Chromium before the file's first test, then runs the file's own
 * `setUp`, in one hook so that it sees them; both stop after the file's last test. `serverEnvironment`
 * adds settings to the server's.
 */
export function useFixture(setUp, serverEnvironment = {}) {
  before(async () => {
    fixture.server = await startServer(serverEnvironment);
    fixture.browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    await setUp();
  }, { timeout: 240_000 });

  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
}

/** A page in a context of its own; `options` adds to the context's (a `locale` such as 'zh-CN' sets the browser's language). */
export async function newPage(options = {}) {
  const context = await fixture.browser.newContext({
    viewport: { width: 1400, height: 860 }, baseURL: fixture.server.baseUrl, permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true,
    locale: 'en-US', ...options,
  });
  const created = await context.newPage();
  created.setDefaultTimeout(20_000);
  return created;
}

export const shot = (target, name) => target.screenshot({ path: join(screenshots, `${name}.png`) });

/** A test that, when it fails, leaves a picture of every open page beside the screenshots. */
export function check(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      const pages = fixture.browser?.contexts().flatMap(context => context.pages()) ?? [];
      await Promise.all(pages.map((open, index) => shot(open, `failed-${name.slice(0, 40).replace(/\W+/g, '-')}-${index}`)));
      throw error;
    }
  });
}

export const success = target => target.locator('.el-message--success').last();

/** The script editor section, not a sign-in page that only names it in its "next". */
export const inDevelopment = url => url.pathname.startsWith('/development');

/** The session token of a page's browser context: an HttpOnly cookie, out of reach of the page's scripts. */
export async function sessionToken(target) {
  const cookie = (await target.context().cookies()).find(c => c.name === 'dff_session');
  return cookie?.value ?? null;
}

export async function signIn(target, user) {
  await target.goto('/');
  await target.waitForURL(/\/sign-in/);
  await target.locator('input[name=username]').fill(user.username);
  await target.locator('input[name=password]').fill(user.password);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.waitForURL(inDevelopment);
}
