import * as path from 'path';
import { test, expect, Page, Browser } from '@playwright/test';
import { chinaDate, chinaDateTime } from './support/china-time';
import { noViolations } from './support/axe';
import { login } from './support/login';

async function phone(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(page, name);
  return page;
}

/** The street's 三会一课滞后支部 figure on its dashboard. */
async function streetBehind(page: Page): Promise<number> {
  await page.goto('/');
  await page.getByRole('link', { name: '党建统筹（图表）' }).click();
  const card = page.locator('dl.figures > div').filter({ has: page.locator('dt', { hasText: '三会一课滞后支部' }) });
  return Number(await card.locator('dd').innerText());
}

/** Publishes a branch meeting of `kind` as the 支部书记 (the signup window left empty). */
async function publish(page: Page, kind: string, title: string, starts: string, ends: string) {
  await page.getByRole('link', { name: '活动', exact: true }).click();
  await page.getByLabel('活动类型').selectOption({ label: kind });
  await page.getByLabel('活动名称').fill(title);
  await page.getByLabel('活动地点').fill('党群服务中心二楼会议室');
  await page.getByLabel('开始时间').fill(starts);
  await page.getByLabel('结束时间').fill(ends);
  await page.locator('select[name="branch"]').selectOption({ index: 1 });
  await page.getByRole('button', { name: '发布活动' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test('a 支部书记 records last month\'s 支委会: one on leave, minutes and a photo, printed; the street\'s behind figure moves', async ({ browser }) => {
  test.setTimeout(90_000);
  // In January no month of the year has finished: nothing is behind yet.
  test.skip(chinaDate().slice(5, 7) === '01', 'no finished month this year');
  const street = await phone(browser, 'zhanqian');
  const before = await streetBehind(street);
  expect(before).toBeGreaterThan(0);

  const secretary = await phone(browser, 'zhibu');
  const [year, month] = chinaDate().split('-').map(Number);
  const last = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  const title = `支委会：研究${month - 1}月党员发展工作`;
  await publish(secretary, '支部委员会', title, `${last}-20T14:30`, `${last}-20T16:00`);
  await secretary.getByRole('link', { name: '会议记录与出勤' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: `${title} 会议记录` })).toBeVisible();
  // 应到 is the branch committee (three in the demo), nobody signed up.
  const roll = secretary.locator('section#roll');
  await expect(roll.getByRole('heading', { name: '应到人员（3 人）' })).toBeVisible();
  const names = (await roll.locator('tbody tr td:first-child').allInnerTexts()).map((n) => n.trim());
  expect(names).toHaveLength(3);
  await roll.getByRole('button', { name: `${names[0]} 请假` }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await secretary.locator('section#roll').getByRole('button', { name: `${names[1]} 实到` }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await secretary.locator('section#roll').getByRole('button', { name: /结束登记/ }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');

  // The minutes: refused without a chair, with nothing typed lost; then saved.
  const minutes = secretary.locator('section#minutes');
  await minutes.getByLabel('记录人').fill(names[1]);
  await minutes.getByLabel('会议议题').fill('研究确定入党积极分子');
  await minutes.getByLabel('会议内容').fill('一、传达街道党工委会议精神。\n二、讨论确定两名入党积极分子。');
  await minutes.getByLabel('主持人').fill(' ');
  await minutes.getByRole('button', { name: '保存' }).click();
  await expect(secretary.getByRole('alert')).toHaveText('主持人不能为空');
  await expect(secretary.locator('section#minutes').getByLabel('会议议题')).toHaveValue('研究确定入党积极分子');
  await secretary.locator('section#minutes').getByLabel('主持人').fill(names[1]);
  await secretary.locator('section#minutes').getByRole('button', { name: '保存' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');

  // A photo: a PDF is refused, a PNG is kept and shown as its thumbnail.
  const photos = secretary.locator('section#photos');
  await photos.getByLabel('添加照片').setInputFiles({ name: '纪要.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 not a photo') });
  await photos.getByRole('button', { name: '上传' }).click();
  await expect(secretary.getByRole('alert')).toContainText('不是可识别的照片');
  await secretary.locator('section#photos').getByLabel('添加照片').setInputFiles(path.join(__dirname, 'fixtures', 'meeting.png'));
  await secretary.locator('section#photos').getByRole('button', { name: '上传' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  const sheet = secretary.locator('article.meeting-record');
  const thumb = sheet.locator('ul.photos img');
  await expect(thumb).toHaveAttribute('alt', 'meeting.png');
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  // The record reads as inspected: counts, names by mark, the minutes.
  await expect(sheet).toContainText('应到 3 人，实到 1 人，请假 1 人，缺席 1 人');
  await expect(sheet).toContainText(names[0]);
  await expect(sheet).toContainText('二、讨论确定两名入党积极分子。');
  await noViolations(secretary);
  // On paper: the A4 record alone, on one page.
  await secretary.emulateMedia({ media: 'print' });
  await expect(secretary.locator('section#roll')).toBeHidden();
  await expect(sheet).toBeVisible();
  const pdf = (await secretary.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  expect((pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);

  // Last month is no longer missing: the street counts one branch fewer behind.
  expect(await streetBehind(street)).toBe(before - 1);
});

test('a member asks for leave from a coming branch meeting on their phone; the 支部书记 approves it', async ({ browser }) => {
  const title = `主题党日：重温入党誓词 ${Date.now() % 100000}`;
  const secretary = await phone(browser, 'zhibu');
  await publish(secretary, '主题党日', title, chinaDateTime(48), chinaDateTime(50));

  const member = await phone(browser, 'dangyuan');
  await member.getByRole('link', { name: '活动报名' }).click();
  await member.locator('article', { hasText: title }).getByRole('link', { name: title }).click();
  const leave = member.locator('section#leave');
  await expect(leave).toContainText('你在本次会议的应到名单中');
  await leave.getByLabel('请假事由').fill('在外地照顾老人');
  await leave.getByRole('button', { name: '请假' }).click();
  await expect(member.getByRole('status')).toHaveText('已保存。');
  await expect(member.locator('section#leave')).toContainText('请假待审批：在外地照顾老人');
  await noViolations(member);

  await secretary.getByRole('link', { name: '会议记录与出勤' }).click();
  const roll = secretary.locator('section#roll');
  await expect(roll).toContainText('有 1 条请假申请待审批。');
  await roll.getByRole('button', { name: '陈晓明 准假' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.locator('section#roll')).toContainText('已准假：在外地照顾老人');
  await member.reload();
  await expect(member.locator('section#leave')).toContainText('已准假');
  // Plans change before it starts: the member withdraws it and is expected again.
  await member.locator('section#leave').getByRole('button', { name: '撤回请假' }).click();
  await expect(member.getByRole('status')).toHaveText('已保存。');
  await expect(member.locator('section#leave')).not.toContainText('已准假');
  await expect(member.locator('section#leave').getByLabel('请假事由')).toBeVisible();
  await noViolations(member);
});
