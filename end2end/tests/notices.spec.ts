import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { login, signedIn } from './support/login';
import { chinaDate } from './support/china-time';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function noViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

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
  await secretary.getByRole('button', { name: '发布', exact: true }).click();
  await expect(secretary.getByRole('status')).toHaveText('通知已发布。');
  await expect(secretary.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(secretary.locator('.page-head')).toContainText('指定支部党员（第一网格党支部）');
  const figures = secretary.locator('dl.figures');
  await expect(figures).toContainText(/接收人数[1-9]/);
  await expect(figures).toContainText('已读0');
  await noViolations(secretary);

  // The member, on a phone: the header counts one unread; opened, then confirmed.
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(phone, 'dangyuan');
  const messages = phone.getByRole('link', { name: /消息/ });
  await expect(messages.locator('.badge')).toHaveText('1');
  await messages.click();
  await expect(phone.getByRole('row', { name: new RegExp(title) })).toContainText(`请于 ${chinaDate(3)} 前确认收到`);
  await noViolations(phone);
  await phone.getByRole('link', { name: title }).click();
  await expect(phone.getByText('请准时参加。')).toBeVisible();
  await noViolations(phone);
  await phone.getByRole('button', { name: '确认收到' }).click();
  await expect(phone.getByRole('status')).toHaveText('已确认收到。');
  await expect(phone.getByRole('button', { name: '确认收到' })).toHaveCount(0);
  await expect(phone.locator('header.top .badge')).toHaveCount(0);
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
