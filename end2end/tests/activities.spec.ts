import { test, expect, Page, Browser } from '@playwright/test';

const PASSWORD = 'Demo@2026';

async function login(page: Page, name: string) {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Local date and time `hours` from now, as a datetime-local field takes it. */
function localTime(hours: number): string {
  const d = new Date(Date.now() + hours * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function phone(browser: Browser, login_name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(page, login_name);
  return page;
}

async function noSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('on phones: two members take the two seats, a third waits, a cancellation promotes them', async ({ browser }) => {
  test.setTimeout(60_000);
  const title = '主题党日：参观伪满皇宫博物院';
  const secretary = await phone(browser, 'changjiang');
  await secretary.getByRole('link', { name: '活动', exact: true }).click();
  await secretary.getByLabel('活动类型').selectOption({ label: '主题党日' });
  await secretary.getByLabel('活动名称').fill(title);
  await secretary.getByLabel('活动地点').fill('伪满皇宫博物院');
  await secretary.getByLabel('开始时间').fill(localTime(24));
  await secretary.getByLabel('结束时间').fill(localTime(23));
  await secretary.getByLabel('名额', { exact: true }).fill('2');
  await secretary.getByLabel('报名开始').fill(localTime(-1));
  await secretary.getByLabel('报名截止').fill(localTime(20));
  await secretary.getByLabel('参加积分').fill('5');
  await secretary.getByRole('button', { name: '发布活动' }).click();
  // Ends before it starts: refused, nothing typed is lost.
  await expect(secretary.getByRole('alert')).toHaveText('结束时间不能早于开始时间');
  await expect(secretary.getByLabel('活动名称')).toHaveValue(title);
  await secretary.getByLabel('结束时间').fill(localTime(26));
  await secretary.getByRole('button', { name: '发布活动' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await noSideways(secretary);

  const join = async (page: Page, button: string) => {
    await page.getByRole('link', { name: '活动报名' }).click();
    await page.locator('article', { hasText: title }).getByRole('button', { name: button }).click();
    await expect(page.getByRole('status')).toHaveText('已保存。');
  };
  const first = await phone(browser, 'dangyuan');
  await join(first, '报名');
  await expect(first.locator('header.page-head')).toContainText('已报名');
  await noSideways(first);
  const second = await phone(browser, 'wangxiulan');
  await join(second, '报名');
  const third = await phone(browser, 'liuchunsheng');
  await join(third, '名额已满，候补');
  await expect(third.locator('header.page-head')).toContainText('候补第 1 位');

  // The first cancels; the one waiting moves up.
  await first.getByRole('button', { name: '取消报名' }).click();
  await expect(first.getByRole('status')).toHaveText('已保存。');
  // The seat went to the one waiting, so the activity is full again.
  await expect(first.getByRole('button', { name: '名额已满，候补' })).toBeVisible();
  await third.reload();
  await expect(third.locator('header.page-head')).toContainText('已报名');
  await expect(third.getByRole('link', { name: '加入日历' })).toBeVisible();

  await secretary.reload();
  const list = secretary.locator('section#signups');
  await expect(list.getByRole('row', { name: /刘春生/ })).toContainText('已报名');
  await expect(list.getByRole('row', { name: /王秀兰/ })).toContainText('已报名');
  await expect(list).not.toContainText('陈晓明');
});
