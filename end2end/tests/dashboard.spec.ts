import { test, expect, Page, Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';

import { login } from './support/login';

async function signIn(browser: Browser, name: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled });
  const page = await context.newPage();
  await login(page, name);
  return page;
}

test('a district organiser drills from the district to a street to a community and back', async ({ browser }) => {
  const page = await signIn(browser, 'quwei');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '党建统筹' })).toBeVisible();
  await expect(page.locator('header.page-head')).toContainText('宽城区');
  const streets = page.locator('section#ranking');
  await streets.getByRole('link', { name: '站前街道' }).click();
  await expect(page.locator('header.page-head')).toContainText('站前街道');
  // Ranked by 三会一课 branches behind: the most behind first, and those rows marked.
  await page.getByLabel('排名依据').selectOption({ label: '三会一课滞后支部' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByLabel('排名依据')).toHaveValue('behind');
  const rows = page.locator('section#ranking tbody tr');
  // The eighth number column is 三会一课滞后支部.
  const behind = (await rows.locator('td:nth-of-type(8)').allInnerTexts()).map(Number);
  expect(behind.length).toBe(8);
  expect([...behind].sort((x, y) => y - x)).toEqual(behind);
  for (const [i, n] of behind.entries()) {
    if (n > 0) await expect(rows.nth(i)).toHaveClass(/is-behind/);
  }
  await page.locator('section#ranking').getByRole('link', { name: '长江路社区', exact: true }).click();
  await expect(page.locator('header.page-head')).toContainText('长江路社区');
  // The bottom: a community's figures, no further level and no list of people.
  await expect(page.locator('section#ranking')).toHaveCount(0);
  await expect(page.getByText('陈晓明')).toHaveCount(0);
  await page.goBack();
  await page.goBack();
  await page.goBack();
  await expect(page.locator('header.page-head')).toContainText('宽城区');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the charts are there without JavaScript, each with its table', async ({ browser }) => {
  const page = await signIn(browser, 'zhanqian', false);
  await page.goto('/');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  const charts = page.locator('.chart svg');
  await expect(charts).toHaveCount(4);
  for (const chart of await charts.all()) await expect(chart).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(5);
  await expect(page.getByRole('row', { name: /^志愿服务 \d+ \d+ \d+$/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /离退休/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^失联 \d+$/ })).toBeVisible();
});

test('双报到 and lost contact: figures for the street, its communities ranked and marked', async ({ browser }) => {
  const page = await signIn(browser, 'zhanqian');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  const figure = (label: string) => page.locator('dl.figures > div', { has: page.getByText(label, { exact: true }) }).locator('dd');
  const inService = Number(await figure('在职党员').innerText());
  const reported = Number(await figure('已报到在职党员').innerText());
  expect(reported).toBeGreaterThan(0);
  expect(reported).toBeLessThanOrEqual(inService);
  await expect(figure('报到率')).toHaveText(`${Math.round((reported * 100) / inService)}%`);
  // Ranked by 失联党员: highest first, each such community marked.
  await page.getByLabel('排名依据').selectOption({ label: '失联党员' });
  await page.getByRole('button', { name: '查询' }).click();
  const rows = page.locator('section#ranking tbody tr');
  const lost = (await rows.locator('td:nth-of-type(2)').allInnerTexts()).map(Number);
  expect([...lost].sort((x, y) => y - x)).toEqual(lost);
  expect(lost[0]).toBeGreaterThan(0);
  for (const [i, n] of lost.entries()) {
    if (n > 0) {
      await expect(rows.nth(i)).toHaveClass(/is-behind/);
      await expect(rows.nth(i).locator('td').nth(1)).toHaveClass(/behind/);
    }
  }
  expect(lost.reduce((x, y) => x + y, 0)).toBe(Number(await figure('失联党员').innerText()));
});

test('a street\'s dashboard prints on one A4 page', async ({ browser }) => {
  const page = await signIn(browser, 'zhanqian');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '党建统筹' })).toBeVisible();
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  const pages = pdf.match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBe(1);
});

test('a street of 33 communities still prints on one A4 page', async ({ browser }) => {
  // 丹阳街道 (菏泽), one of the largest streets of the divisions file (99 % have 26 or fewer).
  execFileSync(process.env.GONGJIAN_SERVER_BIN!, ['import-divisions', '--scope', '371771001'], {
    cwd: '..',
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${process.env.E2E_DB_DIR ?? '.tmp/e2e'}/gongjian.db?mode=rwc`,
      GONGJIAN_MODE: 'dev',
      RUST_LOG: 'warn',
    },
  });
  const page = await signIn(browser, 'admin');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  for (const name of ['山东省', '菏泽市', '菏泽经济技术开发区', '丹阳街道']) {
    await page.locator('section#ranking').getByRole('link', { name, exact: true }).click();
    await expect(page.locator('header.page-head')).toContainText(name);
  }
  await expect(page.locator('section#ranking tbody tr')).toHaveCount(33);
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  const pages = pdf.match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBe(1);
});
