import { Browser, Page } from '@playwright/test';

/** The demo accounts' password (`server seed-demo`). */
export const PASSWORD = 'Demo@2026';

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
