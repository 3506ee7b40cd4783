// A server whose operator accepted workers without the sandbox (OrleansFunc:Engine:Sandbox = None,
// AcceptUnisolatedWorkers = true): every page of the console says so, from setup on.
import assert from 'node:assert/strict';
import { check, inDevelopment, newPage, shot, useFixture } from './harness.mjs';

const admin = { username: 'admin', password: 'admin-password-1' };
let page;

useFixture(async () => {
  page = await newPage();
}, { OrleansFunc__Engine__Sandbox: 'None', OrleansFunc__Engine__AcceptUnisolatedWorkers: 'true' });

const warning = () => page.locator('[data-test=unisolated-workers]');

check('unisolated workers are announced on the setup, sign-in and editor pages', async () => {
  await page.goto('/');
  await page.waitForURL(/\/setup/);
  await warning().waitFor();
  await page.locator('input[name=password]').fill(admin.password);
  await page.locator('input[name=confirm]').fill(admin.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.waitForURL(/\/sign-in/);
  await warning().waitFor();
  await page.locator('input[name=password]').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(inDevelopment);
  await warning().waitFor();
  assert.match(await warning().innerText(), /without isolation/);
  await page.goto('/management/overview');
  await warning().waitFor();
  await shot(page, 'unisolated-workers');
});
