import { test, expect, Page } from '@playwright/test';
import { noViolations } from './support/axe';
import { login, signedIn } from './support/login';

/** Every count on the 工作台 leads to a page of the person's that opens (no refusal, no 404). */
async function eachCountOpens(page: Page) {
  const home = page.url();
  const links = await page.locator('section.workbench ul.waiting > li > a')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  for (const href of links) {
    const answer = await page.goto(href);
    expect(answer?.status(), href).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.goto(home);
  return links.length;
}

test('工作台: a secretary\'s home leads with what waits, the work areas grouped; a member\'s on a phone', async ({ browser }) => {
  test.setTimeout(60_000);
  const secretary = await signedIn(browser, 'changjiang');
  const workbench = secretary.locator('section.workbench');
  await expect(workbench.getByRole('heading', { name: '工作台 · 待办' })).toBeVisible();
  // The demo's day leaves work waiting for the secretary: at least one count, each a link.
  expect(await eachCountOpens(secretary)).toBeGreaterThan(0);
  const areas = secretary.getByRole('navigation', { name: '业务功能' });
  for (const group of ['党员', '共建', '活动', '统筹']) {
    await expect(areas.getByRole('heading', { name: group, exact: true })).toBeVisible();
  }
  await expect(areas.getByRole('link', { name: '双报到' })).toBeVisible();
  await noViolations(secretary);
  // Printed, the home page is the figures and the tree, not the buttons.
  await secretary.emulateMedia({ media: 'print' });
  await expect(workbench).toBeHidden();
  await secretary.emulateMedia({ media: 'screen' });

  const phone = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(phone, 'liuchunsheng');
  await expect(phone.locator('section.workbench')).toBeVisible();
  await eachCountOpens(phone);
  await noViolations(phone);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
