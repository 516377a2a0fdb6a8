import { test, expect, Page, Browser } from '@playwright/test';
import { chinaDateTime } from './support/china-time';
import { noViolations } from './support/axe';
import { login } from './support/login';


async function phone(browser: Browser, login_name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(page, login_name);
  return page;
}

async function noSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('on phones: two members take the two seats, a third waits in place, a cancellation promotes them live', async ({ browser }) => {
  test.setTimeout(60_000);
  const title = '主题党日：参观伪满皇宫博物院';
  const secretary = await phone(browser, 'changjiang');
  await secretary.getByRole('link', { name: '活动', exact: true }).click();
  await secretary.getByLabel('活动类型').selectOption({ label: '主题党日' });
  await secretary.getByLabel('活动名称').fill(title);
  await secretary.getByLabel('活动地点').fill('伪满皇宫博物院');
  await secretary.getByLabel('开始时间').fill(chinaDateTime(24));
  await secretary.getByLabel('结束时间').fill(chinaDateTime(23));
  await secretary.getByLabel('名额', { exact: true }).fill('2');
  await secretary.getByLabel('报名开始').fill(chinaDateTime(-1));
  await secretary.getByLabel('报名截止').fill(chinaDateTime(20));
  await secretary.getByLabel('参加积分').fill('5');
  await secretary.getByRole('button', { name: '发布活动' }).click();
  // Ends before it starts: refused, nothing typed is lost.
  await expect(secretary.getByRole('alert')).toHaveText('结束时间应晚于开始时间');
  await expect(secretary.getByLabel('活动名称')).toHaveValue(title);
  await secretary.getByLabel('结束时间').fill(chinaDateTime(26));
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
  await expect(first.locator('.signup-live')).toContainText('已报名');
  await noSideways(first);

  // Without JavaScript the activity page's own form posts, and the page comes back saved.
  const plain = await (await browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled: false })).newPage();
  await login(plain, 'wangxiulan');
  await plain.getByRole('link', { name: '活动报名' }).click();
  await plain.locator('article', { hasText: title }).getByRole('link', { name: title }).click();
  await plain.locator('.signup-live').getByRole('button', { name: '报名' }).click();
  await expect(plain.getByRole('status')).toHaveText('已保存。');
  await expect(plain.locator('.signup-live')).toContainText('2/2 · 名额已满');

  // With it, the third joins on the activity page and is answered in place, no reload.
  const third = await phone(browser, 'liuchunsheng');
  await third.getByRole('link', { name: '活动报名' }).click();
  await third.locator('article', { hasText: title }).getByRole('link', { name: title }).click();
  const live = third.locator('.signup-live');
  await expect(live).toContainText('2/2 · 名额已满');
  // Hydrated: from now on the buttons answer in place (before it, they post the form).
  await expect(third.locator('.signup-live[data-ready="1"]')).toBeVisible();
  const at = third.url();
  await live.getByRole('button', { name: '名额已满，候补' }).click();
  await expect(live.locator('.signup-answer')).toHaveText('名额已满，您已进入候补，第 1 位');
  await expect(live).toContainText('候补第 1 位');
  await expect(live).toContainText('候补 1 人');
  expect(third.url()).toBe(at);
  await noViolations(third);
  await noSideways(third);

  // The first cancels in place; the one waiting sees the seat become theirs without reloading,
  // and the first sees the activity full again.
  await expect(first.locator('.signup-live[data-ready="1"]')).toBeVisible();
  await first.locator('.signup-live').getByRole('button', { name: '取消报名' }).click();
  await expect(first.locator('.signup-answer')).toHaveText('已取消报名');
  await expect(live.locator('.badge')).toHaveText('已报名');
  await expect(live.locator('.seats-now')).toHaveText('2/2 · 名额已满');
  await expect(live.locator('.signup-answer')).toHaveText('');
  await expect(first.getByRole('button', { name: '名额已满，候补' })).toBeVisible();
  await third.reload();
  await expect(third.locator('.signup-live')).toContainText('已报名');
  await expect(third.getByRole('link', { name: '加入日历' })).toBeVisible();

  await secretary.reload();
  const list = secretary.locator('section#signups');
  await expect(list.getByRole('row', { name: /刘春生/ })).toContainText('已报名');
  await expect(list.getByRole('row', { name: /王秀兰/ })).toContainText('已报名');
  await expect(list).not.toContainText('陈晓明');
});

test('check-in by the code on the organiser screen; the points and volunteer hours follow attendance', async ({ browser }) => {
  test.setTimeout(60_000);
  const title = '志愿服务：社区环境清扫';
  const team = '环境清扫志愿服务队';
  const secretary = await phone(browser, 'changjiang');
  // A volunteer team with 陈晓明 on it runs the activity.
  await secretary.getByRole('link', { name: '志愿服务', exact: true }).click();
  await secretary.getByLabel('服务队名称').fill(team);
  await secretary.getByLabel('服务内容').fill('每月清扫楼院');
  await secretary.getByRole('button', { name: '成立志愿服务队' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: team })).toBeVisible();
  await secretary.getByLabel('搜索姓名或电话').fill('陈晓明');
  await secretary.getByRole('button', { name: '查询' }).click();
  await secretary.getByRole('button', { name: '加入本队 陈晓明' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.locator('section#members').getByRole('row', { name: /陈晓明/ })).toBeVisible();
  await noSideways(secretary);
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '活动', exact: true }).click();
  await secretary.getByLabel('活动类型').selectOption({ label: '志愿服务' });
  await secretary.getByLabel('志愿服务队', { exact: true }).selectOption({ label: team });
  await secretary.getByLabel('活动名称').fill(title);
  await secretary.getByLabel('活动地点').fill('长江路社区广场');
  await secretary.getByLabel('开始时间').fill(chinaDateTime(0.25));
  await secretary.getByLabel('结束时间').fill(chinaDateTime(2));
  await secretary.getByLabel('报名开始').fill(chinaDateTime(-1));
  await secretary.getByLabel('报名截止').fill(chinaDateTime(0.2));
  await secretary.getByLabel('参加积分').fill('5');
  await secretary.getByLabel('志愿服务时长（小时）').fill('-1');
  await secretary.getByRole('button', { name: '发布活动' }).click();
  await expect(secretary.getByRole('alert')).toHaveText('志愿服务时长（小时）不能为负数');
  await secretary.getByLabel('志愿服务时长（小时）').fill('1.5');
  await secretary.getByRole('button', { name: '发布活动' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: title })).toBeVisible();

  const member = await phone(browser, 'dangyuan');
  await member.getByRole('link', { name: '活动报名' }).click();
  await member.locator('article', { hasText: title }).getByRole('button', { name: '报名' }).click();
  // Signing up earns nothing yet.
  await member.goto('/');
  await member.getByRole('link', { name: '我的积分' }).click();
  await expect(member.locator('section#ledger h2')).toContainText('合计 0');

  // At the venue: the organiser's screen shows the code and its QR code.
  await secretary.getByRole('link', { name: '显示签到码' }).click();
  const code = (await secretary.locator('.checkin-code').innerText()).trim();
  expect(code).toMatch(/^\d{6}$/);
  await expect(secretary.locator('.checkin-qr svg')).toBeVisible();

  await member.goto('/');
  await member.getByRole('link', { name: '活动报名' }).click();
  await member.getByRole('link', { name: title }).click();
  const wrong = code === '000000' ? '000001' : '000000';
  await member.getByLabel('签到码').fill(wrong);
  await member.getByRole('button', { name: '签到', exact: true }).click();
  await expect(member.getByRole('alert')).toContainText('签到码不正确');
  // The code may have turned over meanwhile; the one just before still counts.
  await member.getByLabel('签到码').fill(code);
  await member.getByRole('button', { name: '签到', exact: true }).click();
  await expect(member.getByText('已签到', { exact: true })).toBeVisible();

  await member.goto('/');
  await member.getByRole('link', { name: '我的积分' }).click();
  // 5 for attending and 1.5 volunteer hours at 2 points an hour.
  await expect(member.locator('section#ledger h2')).toContainText('合计 8');
  await expect(member.locator('section#ledger')).toContainText(title);

  // The organiser sees it in the signup list and the community's ranking.
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '积分管理' }).click();
  await expect(secretary.locator('section#ranking').getByRole('row', { name: /陈晓明/ })).toContainText('8');
  // The hours count for the member and for the team.
  await member.goto('/');
  await member.getByRole('link', { name: '我的积分' }).click();
  await expect(member.locator('section#service')).toContainText('1.5');
  await expect(member.locator('section#service')).toContainText(team);
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '志愿服务', exact: true }).click();
  await expect(secretary.locator('section#teams').getByRole('row', { name: new RegExp(team) })).toContainText('1.5');
  await expect(secretary.locator('section#volunteers').getByRole('row', { name: /陈晓明/ })).toContainText('1.5');
});

test('a paired unit\'s liaison runs an activity for the community; a member joins it', async ({ browser }) => {
  test.setTimeout(60_000);
  const title = '一汽开放日：走进红旗工厂';
  const liaison = await phone(browser, 'yiqi');
  await liaison.getByRole('link', { name: '长春市第一汽车制造厂' }).click();
  await liaison.locator('section#pairings').getByRole('row', { name: /长江路社区/ }).getByRole('link', { name: '组织活动' }).click();
  // A unit's liaison is offered its own kinds only (三会一课 and 主题党日 are the community's).
  await expect(liaison.getByLabel('活动类型').locator('option')).toHaveText(['志愿服务', '学习教育', '文体活动']);
  await liaison.getByLabel('活动类型').selectOption({ label: '学习教育' });
  await liaison.getByLabel('活动名称').fill(title);
  await liaison.getByLabel('活动地点').fill('红旗工厂展厅');
  await liaison.getByLabel('开始时间').fill(chinaDateTime(48));
  await liaison.getByLabel('结束时间').fill(chinaDateTime(50));
  await liaison.getByLabel('名额', { exact: true }).fill('30');
  await liaison.getByLabel('报名开始').fill(chinaDateTime(-1));
  await liaison.getByLabel('报名截止').fill(chinaDateTime(40));
  await liaison.getByRole('button', { name: '发布活动' }).click();
  await expect(liaison.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(liaison.locator('header.page-head')).toContainText('共建单位组织');
  // The liaison cannot sign the community's members up (no 代报名 search).
  await expect(liaison.getByLabel('代报名：查找党员')).toHaveCount(0);
  await noSideways(liaison);

  const member = await phone(browser, 'wangxiulan');
  await member.getByRole('link', { name: '活动报名' }).click();
  await member.locator('article', { hasText: title }).getByRole('button', { name: '报名' }).click();
  await expect(member.getByRole('status')).toHaveText('已保存。');
  await liaison.reload();
  await expect(liaison.locator('section#signups').getByRole('row', { name: /王秀兰/ })).toContainText('已报名');
});
