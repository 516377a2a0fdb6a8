import { Browser, Page, expect } from '@playwright/test';

/** The demo accounts' password (`server seed-demo`). */
export const PASSWORD = 'Demo@2026';

/** What a person chooses in place of a one-time password (meets the strength rules). */
export const OWN_PASSWORD = '青山绿水-长江路-77';

/** Signs `page` in through the login form. */
export async function login(page: Page, name: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** A page of its own browser context (its own session), signed in as `name`. */
export async function signedIn(browser: Browser, name: string, password = PASSWORD): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, name, password);
  return page;
}

/** The first sign-in of an account someone else opened: the one-time password leads to the
 *  account page, which asks for the person's own password before anything else. */
export async function signedInFirstTime(browser: Browser, name: string, oneTime: string): Promise<Page> {
  const page = await signedIn(browser, name, oneTime);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('status')).toContainText('一次性密码');
  await page.getByLabel('当前密码').fill(oneTime);
  await page.getByLabel('新密码', { exact: true }).fill(OWN_PASSWORD);
  await page.getByLabel('再次输入新密码').fill(OWN_PASSWORD);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/account'));
  return page;
}
