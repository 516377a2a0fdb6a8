import { test, expect, Page } from '@playwright/test';

import { PASSWORD } from './support/login';

/** Signs in from the home page, which first sends an anonymous visitor to the login page. */
async function login(page: Page, name: string) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('用户名或手机号').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

test('street staff sees the street communities and opens one', async ({ page }) => {
  const errors = watchConsole(page);
  await login(page, 'zhanqian');
  await expect(page.getByRole('heading', { level: 1, name: '站前街道' })).toBeVisible();
  const row = page.getByRole('row', { name: /长江路社区/ });
  await expect(row).toContainText('220103002001');
  await expect(page.getByRole('row')).toHaveCount(9); // header + 8 communities of 站前街道
  await row.getByRole('link', { name: '长江路社区' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '长江路社区' })).toBeVisible();
  await expect(page.getByText('上级单位只能查看汇总数据')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '位置' }).getByRole('link', { name: '站前街道' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a community secretary sees only their community', async ({ page, browser }) => {
  // Find the sibling community's id the way a curious user would: from a street page.
  const street = await browser.newPage();
  await login(street, 'zhanqian');
  const href = await street.getByRole('link', { name: '丹东路社区' }).getAttribute('href');
  await street.close();
  expect(href).toMatch(/^\/org\//);

  await login(page, 'changjiang');
  await expect(page.getByRole('heading', { level: 1, name: '长江路社区' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '组织设置' })).toBeVisible();
  await expect(page.locator('ul.tree > li').first()).toContainText('第一网格党支部');

  const response = await page.goto(href!);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  await expect(page.getByText('丹东路社区')).toHaveCount(0);
});

test('language switch, password toggle and logout', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/login');
  // The password toggle is an island: it only works once the wasm has hydrated.
  const password = page.getByLabel('密码', { exact: true });
  await expect(password).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: '显示密码' }).click();
  await expect(password).toHaveAttribute('type', 'text');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();

  await login(page, 'changjiang');
  const communityUrl = page.url();
  expect(communityUrl).toMatch(/\/org\//);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByText('您已退出登录')).toBeVisible();
  await page.goto(communityUrl);
  // The login page, carrying the page to return to.
  await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(new URL(communityUrl).pathname)}$`));
  expect(errors).toEqual([]);
});

test('wrong password gets a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill('changjiang');
  await page.getByLabel('密码', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
});

test('fits a 360 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await login(page, 'zhanqian');
  await expect(page.getByRole('heading', { level: 1, name: '站前街道' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
