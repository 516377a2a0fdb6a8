import { test, expect } from '@playwright/test';
import { login, signedIn } from './support/login';
import { noViolations } from './support/axe';

test('a secretary adds a member and finds them with the filters', async ({ page }) => {
  await login(page, 'changjiang');
  await page.getByRole('link', { name: '党员名册' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '党员名册' })).toBeVisible();
  await page.getByRole('link', { name: '新增党员' }).click();

  await page.getByLabel('姓名').fill('欧阳春梅');
  await page.getByLabel('出生日期').fill('1962-04-18');
  await page.getByLabel('入党日期').fill('2099-07-01');
  await page.getByLabel('党员分类').selectOption({ label: '流动' });
  await page.getByLabel('手机号').fill('13612345678');
  await page.getByRole('button', { name: '保存' }).click();

  // Refused: the reason is shown and nothing typed is lost.
  await expect(page.getByRole('alert')).toHaveText('入党日期不能晚于今天');
  await expect(page.getByLabel('姓名')).toHaveValue('欧阳春梅');
  await page.getByLabel('入党日期').fill('1985-07-01');
  await page.getByRole('button', { name: '保存' }).click();

  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(page.getByRole('heading', { level: 1, name: '欧阳春梅' })).toBeVisible();
  // The phone shows masked; the secretary reveals it once (recorded), a reload masks it again.
  await expect(page.locator('#phone')).toHaveText('136****5678');
  await page.getByRole('button', { name: '显示完整号码' }).click();
  await expect(page.locator('#phone')).toHaveText('13612345678');
  await expect(page.getByText('（本次查看已记录）')).toBeVisible();
  await page.reload();
  await expect(page.locator('#phone')).toHaveText('136****5678');
  await expect(page.getByRole('heading', { name: '变动记录' })).toBeVisible();

  await page.getByRole('link', { name: '党员名册' }).click();
  await page.getByLabel('党员分类').selectOption({ label: '流动' });
  await page.getByLabel('搜索姓名或电话').fill('欧阳');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('status')).toHaveText('共 1 人');
  await expect(page.getByRole('row', { name: /欧阳春梅/ })).toContainText('流动');
  // A new member is a 正式党员 unless said otherwise: not among the 预备党员.
  await page.getByLabel('党员身份').selectOption({ label: '预备党员' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('status')).toHaveText('共 0 人');
  await expect(page.getByLabel('党员身份')).toHaveValue('probationary');
  await page.getByLabel('党员身份').selectOption({ label: '正式党员' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('status')).toHaveText('共 1 人');
});

test('the filtered roster exports to an xlsx that opens with the expected rows', async ({ page }) => {
  const ExcelJS = require('exceljs');
  await login(page, 'changjiang');
  await page.getByRole('link', { name: '党员名册' }).click();
  await page.getByLabel('党员分类').selectOption({ label: '在职' });
  await page.getByRole('button', { name: '查询' }).click();
  const shown = await page.getByRole('row').count() - 1; // minus the header row

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出 Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^党员名册-\d{8}\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.getWorksheet('党员名册');
  expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
  expect(sheet.getRow(1).getCell(6).value).toBe('党员分类');
  expect(sheet.rowCount - 1).toBe(shown);
  for (let r = 2; r <= sheet.rowCount; r++) {
    expect(sheet.getRow(r).getCell(6).value).toBe('在职');
  }
  // 陈晓明 (the demo member, in service) is among them.
  const names = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(1).value);
  expect(names).toContain('陈晓明');
});

test('a secretary imports a small roster and reads the per-row report', async ({ page }) => {
  await login(page, 'dandong');
  await page.getByRole('link', { name: '党员名册' }).click();
  await page.getByRole('link', { name: '导入党员名册' }).click();
  await expect(page.getByRole('link', { name: '下载导入模板' })).toBeVisible();
  const csv = [
    '姓名,性别,出生日期,手机号,入党日期,党员分类,状态',
    '钱海燕,女,1970-01-01,13700000001,1995-07-01,自管居民,正常',
    '孔德明,男,1960-01-01,,2099-07-01,离退休,正常',
    '冯春生,男,1958-09-09,,1980-07-01,离退休,正常',
  ].join('\n');
  await page.getByLabel('名册文件').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page.getByRole('status')).toHaveText('导入完成：成功 2 人，未导入 1 行。', { timeout: 15_000 });
  const rejected = page.getByRole('row', { name: /孔德明/ });
  await expect(rejected).toContainText('3');
  await expect(rejected).toContainText('入党日期不能晚于今天');

  await page.getByRole('link', { name: '返回党员名册' }).click();
  await page.getByLabel('搜索姓名或电话').fill('钱海燕');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('status')).toHaveText('共 1 人');
});

test('a member sees only their own record', async ({ page }) => {
  await login(page, 'dangyuan');
  await expect(page.getByRole('heading', { name: '我的信息' })).toBeVisible();
  await expect(page.getByRole('main').getByText('陈晓明')).toBeVisible();
  await expect(page.getByRole('heading', { name: '变动记录' })).toBeVisible();
  await expect(page.getByText('长春市第一汽车制造厂')).toBeVisible();
  await expect(page.getByRole('link', { name: '党员名册' })).toHaveCount(0);
  const roster = await page.goto(page.url() + '/members');
  expect(roster?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
});

test('a branch secretary on a phone sees their own branch, its members and its activities', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(page, 'zhibu');
  await expect(page.locator('p.notice')).toContainText('第一网格党支部');
  await expect(page.getByRole('link', { name: '需求清单' })).toHaveCount(0);
  await page.getByRole('link', { name: '党员名册' }).click();
  await expect(page.getByRole('link', { name: '添加党员' })).toHaveCount(0);
  // Every member listed is placed in the first branch (its building groups 1 and 2).
  const places = await page.locator('table tbody tr td:nth-child(5)').allTextContents();
  expect(places.length).toBeGreaterThan(0);
  for (const place of places) expect(place).toContain('第一网格党支部');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The community's co-construction is not theirs.
  const needs = await page.goto(page.url().replace(/\/members.*$/, '/needs'));
  expect(needs?.status()).toBe(403);
});

test('a secretary adds a grid branch and a building group under it', async ({ page }) => {
  await login(page, 'dandong');
  await page.getByLabel('新增网格党支部').fill('第四网格党支部');
  await page.getByRole('button', { name: '新增', exact: true }).last().click();
  const branch = page.locator('ul.tree > li').filter({
    has: page.locator(':scope > .unit-name', { hasText: '第四网格党支部' }),
  });
  await expect(branch).toBeVisible();
  await branch.locator('summary').first().click();
  await branch.getByLabel('新增楼栋党小组').fill('9号楼党小组');
  await branch.getByRole('button', { name: '新增', exact: true }).click();
  await expect(branch.locator(':scope > ul > li > .unit-name')).toHaveText(['9号楼党小组']);

  // Founded this June: its meetings are owed from then on, and the date shows beside it.
  await branch.locator('summary').first().click();
  await noViolations(page);
  await branch.getByLabel('成立日期（选填）').first().fill('2026-06-10');
  await branch.getByRole('button', { name: '保存' }).first().click();
  await expect(branch.locator(':scope > .hint')).toHaveText('2026-06-10 成立');
  await branch.locator('summary').first().click();
  await branch.getByLabel('成立日期（选填）').first().fill('1920-05-01');
  await branch.getByRole('button', { name: '保存' }).first().click();
  await expect(page.getByRole('alert')).toHaveText('成立日期不能早于 1921 年');
  await expect(branch.locator(':scope > .hint')).toHaveText('2026-06-10 成立');
});

test('a member proposes a new phone and address on a phone; the secretary approves it', async ({ browser }) => {
  const member = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await login(member, 'dangyuan');
  const own = member.locator('section#proposal');
  await own.getByLabel('手机号').fill('13911112222');
  await own.getByLabel('楼栋').fill('5号楼');
  await own.getByRole('button', { name: '提交修改' }).click();
  await expect(member.getByRole('status')).toHaveText('已保存。');
  await expect(own).toContainText('您提出的修改正在等待社区审核');
  await expect(own.getByRole('button', { name: '提交修改' })).toHaveCount(0);

  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '党员名册' }).click();
  await secretary.getByRole('link', { name: '信息修改审核' }).click();
  const row = secretary.getByRole('row', { name: /陈晓明/ });
  await expect(row).toContainText('139****2222');
  await expect(row).toContainText('5号楼');
  await row.getByRole('button', { name: '通过' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.getByText('暂无待审核的修改。')).toBeVisible();

  await member.reload();
  await expect(own).toContainText('已通过');
  await expect(own.getByLabel('手机号')).toHaveValue('13911112222');
});
