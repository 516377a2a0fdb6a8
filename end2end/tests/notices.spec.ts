import { test, expect } from '@playwright/test';
import { noViolations } from './support/axe';
import { login, signedIn } from './support/login';
import { chinaDate, chinaDateTime } from './support/china-time';
import { setClockAhead } from './support/clock';
import { readFileSync } from 'node:fs';

const AGENDA = Buffer.from('%PDF-1.4\n% 党员大会议程\n');

test('通知公告: the secretary sends to a branch, a member reads and confirms on a phone, the secretary follows up', async ({ browser }) => {
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '通知公告' }).click();
  await expect(secretary.getByRole('heading', { level: 1 })).toHaveText('通知公告');
  const title = '关于召开十二月党员大会的通知';
  await secretary.getByLabel('标题', { exact: true }).fill(title);
  await secretary.getByLabel('发送范围').selectOption({ label: '指定支部党员' });
  await secretary.getByLabel('接收支部').selectOption({ label: '第一网格党支部' });
  await secretary.getByLabel('正文').fill('12月12日（周六）上午9:00在社区党群服务中心召开党员大会。\n请准时参加。');
  // A day already past: refused with its reason, what was typed kept.
  await secretary.getByLabel('要求确认收到的截止日期').fill('2020-01-01');
  await secretary.getByRole('button', { name: '发布', exact: true }).click();
  await expect(secretary.getByRole('alert')).toHaveText('确认截止日期不能早于今天');
  await expect(secretary.getByLabel('标题', { exact: true })).toHaveValue(title);
  await noViolations(secretary);
  await secretary.getByLabel('要求确认收到的截止日期').fill(chinaDate(3));
  // The agenda goes with it (a browser does not keep a picked file over a refusal).
  await secretary.getByLabel('附件（可选）').setInputFiles({ name: '党员大会议程.pdf', mimeType: 'application/pdf', buffer: AGENDA });
  await secretary.getByRole('button', { name: '发布', exact: true }).click();
  await expect(secretary.getByRole('status')).toHaveText('通知已发布。');
  await expect(secretary.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(secretary.locator('.page-head')).toContainText('指定支部党员（第一网格党支部）');
  const figures = secretary.locator('dl.figures');
  await expect(figures).toContainText(/接收人数[1-9]/);
  await expect(figures).toContainText('已读0');
  await noViolations(secretary);
  await expect(secretary.locator('section.attachments')).toContainText('PDF · 1 KB');

  // The member, on a phone: the header counts one unread; opened, then confirmed.
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(phone, 'dangyuan');
  // Unread: this notice, and the reminders of activities earlier tests signed them up for.
  const messages = phone.getByRole('link', { name: /消息/ });
  await expect(messages.locator('.badge')).toHaveText(/^[1-9]\d*$/);
  const unread = Number(await messages.locator('.badge').textContent());
  await messages.click();
  await expect(phone.getByRole('row', { name: new RegExp(title) })).toContainText(`请于 ${chinaDate(3)} 前确认收到`);
  await noViolations(phone);
  await phone.getByRole('link', { name: title }).click();
  await expect(phone.getByText('请准时参加。')).toBeVisible();
  await noViolations(phone);
  const download = phone.waitForEvent('download');
  await phone.getByRole('link', { name: '党员大会议程.pdf' }).click();
  const agenda = await download;
  expect(agenda.suggestedFilename()).toBe('党员大会议程.pdf');
  expect(readFileSync(await agenda.path())).toEqual(AGENDA);
  await phone.getByRole('button', { name: '确认收到' }).click();
  await expect(phone.getByRole('status')).toHaveText('已确认收到。');
  await expect(phone.getByRole('button', { name: '确认收到' })).toHaveCount(0);
  const badge = phone.locator('header.top .badge');
  if (unread === 1) await expect(badge).toHaveCount(0);
  else await expect(badge).toHaveText(String(unread - 1));
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The secretary sees it read and confirmed, by whom; a reminder finds no one waiting.
  await secretary.reload();
  await expect(figures).toContainText('已读1');
  await expect(figures).toContainText('已确认1');
  await expect(secretary.locator('section#people tbody tr').last()).toContainText(chinaDate(0));
  await secretary.getByRole('button', { name: '提醒未确认人员' }).click();
  await expect(secretary.getByRole('status')).toHaveText(/^已提醒 \d+ 人。$/);
  // Printed: the record without the buttons.
  await secretary.emulateMedia({ media: 'print' });
  await expect(secretary.getByRole('button', { name: '提醒未确认人员' })).toBeHidden();
  await expect(secretary.locator('section#people')).toBeVisible();
  await secretary.emulateMedia({ media: 'screen' });
  // Withdrawn: gone from the member's messages, kept in the list marked so.
  await secretary.getByText('撤回通知').click();
  await secretary.getByRole('button', { name: '确认撤回' }).click();
  await expect(secretary.getByRole('status')).toHaveText('通知已撤回。');
  await expect(secretary.locator('.page-head')).toContainText('已撤回');
  await secretary.getByRole('link', { name: '通知公告' }).first().click();
  await expect(secretary.getByRole('row', { name: new RegExp(title) })).toContainText('已撤回');
  await phone.goto(phone.url().replace(/messages\/.*$/, 'messages'));
  await expect(phone.getByText(title)).toHaveCount(0);
});

test('an activity reminds the member who signed up, in 消息, on its own (the scheduler\'s clock moved on)', async ({ browser }) => {
  const title = `支部书记讲党课 ${Date.now() % 100000}`;
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '活动', exact: true }).click();
  await secretary.getByLabel('活动类型').selectOption({ label: '主题党日' });
  await secretary.getByLabel('活动名称').fill(title);
  await secretary.getByLabel('活动地点').fill('社区党群服务中心二楼');
  await secretary.getByLabel('开始时间').fill(chinaDateTime(6));
  await secretary.getByLabel('结束时间').fill(chinaDateTime(7));
  await secretary.getByLabel('报名开始').fill(chinaDateTime(-1));
  await secretary.getByLabel('报名截止').fill(chinaDateTime(5));
  await secretary.getByRole('button', { name: '发布活动' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: title })).toBeVisible();

  const phone = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(phone, 'liuchunsheng');
  await phone.getByRole('link', { name: '活动报名' }).click();
  await phone.locator('article', { hasText: title }).getByRole('button', { name: '报名' }).click();
  await expect(phone.getByRole('status')).toHaveText('已保存。');
  const inbox = phone.url().replace(/\/activities.*$/, '/messages');

  // Four hours on (for the scheduler alone), two before it starts: nobody sends the reminder,
  // it arrives within seconds.
  const reminder = `活动即将开始：${title}`;
  setClockAhead(4 * 3600);
  try {
    await expect(async () => {
      await phone.goto(inbox);
      await expect(phone.getByRole('link', { name: reminder })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  } finally {
    setClockAhead(0);
  }
  await expect(phone.getByRole('link', { name: /消息/ }).locator('.badge')).toHaveText(/^[1-9]\d*$/);
  // 提醒设置: every kind ticked until turned off; a change is kept.
  await phone.getByText('提醒设置', { exact: true }).click();
  await expect(phone.getByLabel('活动变更')).toBeChecked();
  await noViolations(phone);
  await phone.getByLabel('活动变更').uncheck();
  await phone.getByRole('button', { name: '保存' }).click();
  await expect(phone.getByRole('status')).toHaveText('已保存。');
  await phone.getByText('提醒设置', { exact: true }).click();
  await expect(phone.getByLabel('活动变更')).not.toBeChecked();
  await expect(phone.getByLabel('活动提醒')).toBeChecked();
  // A member is offered what reaches members; the rest of the account's setting rides along.
  await expect(phone.getByLabel('会议邀请')).toHaveCount(0);
  await expect(phone.locator('#settings input[type=hidden][value="meeting_invited"]')).toHaveCount(1);
  await phone.getByRole('link', { name: reminder }).click();
  await expect(phone.getByText(`您报名的活动「${title}」即将于`)).toContainText('社区党群服务中心二楼');
  await noViolations(phone);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await phone.getByRole('link', { name: '查看活动' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: title })).toBeVisible();
});
