import { test, expect } from '@playwright/test';
import { login, signedIn } from './support/login';

test('双报到: a member reports, the secretary confirms, the feedback prints and exports', async ({ browser }) => {
  const ExcelJS = require('exceljs');
  const member = await signedIn(browser, 'dangyuan');
  const own = member.locator('section#reporting');
  await expect(own.getByRole('heading', { name: '双报到' })).toBeVisible();
  // Nothing picked: a clear message, nothing stored.
  await own.getByRole('button', { name: '提交报到' }).click();
  await expect(member.getByRole('alert')).toHaveText('服务岗位不能为空');
  await expect(own.getByText('尚未报到。')).toBeVisible();
  await own.getByRole('checkbox', { name: /政策宣讲/ }).check();
  await own.getByRole('checkbox', { name: /助老服务/ }).check();
  await own.getByRole('button', { name: '提交报到' }).click();
  await expect(own.getByText('待确认')).toBeVisible();
  await expect(own.getByText('政策宣讲、助老服务')).toBeVisible();

  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '党员名册' }).click();
  await secretary.getByRole('link', { name: '双报到' }).click();
  const row = secretary.getByRole('row', { name: /陈晓明/ });
  await expect(row).toContainText('待确认');
  await row.getByRole('button', { name: '确认' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.getByRole('row', { name: /陈晓明/ })).toContainText('已确认');

  // The secretary reports a new in-service member on their behalf: confirmed at once.
  await secretary.goto(secretary.url().replace(/reporting.*$/, 'new'));
  await secretary.getByLabel('姓名').fill('慕容雪');
  await secretary.getByLabel('出生日期').fill('1990-02-03');
  await secretary.getByLabel('入党日期').fill('2015-07-01');
  await secretary.getByLabel('党员分类').selectOption({ label: '在职' });
  await secretary.getByLabel('工作单位', { exact: true }).fill('宽城区人民检察院');
  await secretary.getByRole('button', { name: '保存' }).click();
  const behalf = secretary.locator('section#reporting');
  await behalf.getByRole('checkbox', { name: /平安巡逻/ }).check();
  await behalf.getByRole('button', { name: '代为报到' }).click();
  await expect(behalf.getByText('已确认')).toBeVisible();
  await secretary.getByRole('link', { name: '党员名册' }).first().click();
  await secretary.getByRole('link', { name: '双报到' }).click();
  await secretary.getByRole('link', { name: '报到反馈表' }).click();
  const sheet = secretary.locator('section.feedback-sheet', { hasText: '长春市第一汽车制造厂' });
  await expect(sheet.getByRole('heading', { level: 2 })).toHaveText(/\d{4}年度在职党员到社区报到反馈表/);
  await expect(sheet.getByRole('row', { name: /陈晓明/ })).toContainText('政策宣讲、助老服务');
  const [download] = await Promise.all([
    secretary.waitForEvent('download'),
    secretary.getByRole('link', { name: '导出 Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^报到反馈-\d{4}\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const unit = workbook.getWorksheet('长春市第一汽车制造厂');
  const names: string[] = [];
  unit.eachRow((r: any) => names.push(String(r.getCell(2).value)));
  expect(names).toContain('陈晓明');
  // Printed, the buttons and the year picker are gone and each unit starts a page.
  await secretary.emulateMedia({ media: 'print' });
  await expect(secretary.getByRole('button', { name: '打印' })).toBeHidden();
  // Units sort by name: 宽城区人民检察院 first, then 长春市第一汽车制造厂 (the last sheet).
  const sheets = secretary.locator('section.feedback-sheet');
  await expect(sheets.first()).toContainText('宽城区人民检察院');
  await expect(sheets.first()).toHaveCSS('break-after', 'page');
  await expect(sheet).toHaveCSS('break-after', 'auto');

  // Confirmed: the member sees it and can no longer change the posts.
  await member.reload();
  await expect(own.getByText('已确认')).toBeVisible();
  await expect(own.getByRole('button', { name: '提交报到' })).toHaveCount(0);
});

test('a secretary moves several members to a branch at once', async ({ page }) => {
  await login(page, 'changjiang');
  await page.getByRole('link', { name: '党员名册' }).click();
  const picks = page.locator('td.pick input[type=checkbox]');
  const first = await picks.nth(0).getAttribute('aria-label');
  const second = await picks.nth(1).getAttribute('aria-label');
  await picks.nth(0).check();
  await picks.nth(1).check();
  await page.getByLabel('将勾选的党员移至').selectOption({ label: '第三网格党支部' });
  await page.getByRole('button', { name: '移动', exact: true }).click();
  await expect(page.getByText('已移动 2 人。')).toBeVisible();

  // Demo members sit in building groups, so the branch itself holds exactly the two moved.
  await page.getByLabel('所在支部/党小组').selectOption({ label: '第三网格党支部' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('status')).toHaveText('共 2 人');
  await expect(page.getByRole('row', { name: new RegExp(first!) }).first()).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(second!) }).first()).toBeVisible();
});
