import { test, expect } from '@playwright/test';
import { signedIn } from './support/login';
import { noViolations } from './support/axe';
import { chinaDate } from './support/china-time';

test('党费: a member in arrears pays and leaves the list; the month prints and downloads; the street sees figures only', async ({ browser }) => {
  const ExcelJS = require('exceljs');
  const thisMonth = chinaDate().slice(0, 7);
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '党费收缴' }).click();
  await expect(secretary.getByRole('heading', { level: 1 })).toContainText('党费收缴');
  await noViolations(secretary);
  const arrears = secretary.locator('section#arrears');
  const owing = arrears.getByRole('row').nth(1);
  const link = owing.getByRole('link');
  const name = (await link.textContent())!.trim();
  await link.click();
  await expect(secretary.getByRole('heading', { level: 1 })).toContainText(name);
  await noViolations(secretary);

  // A month already paid is refused with its reason; nothing is recorded.
  const pay = secretary.locator('section#pay');
  const firstUnpaid = await pay.getByLabel('起始月份').inputValue();
  await pay.getByLabel('起始月份').fill(`${Number(thisMonth.slice(0, 4)) - 1}${thisMonth.slice(4)}`);
  await pay.getByLabel('截止月份').fill(thisMonth);
  await pay.getByRole('button', { name: '登记缴纳' }).click();
  await expect(secretary.getByRole('alert')).toContainText('其中有已缴纳的月份');

  // Paid by their daughter, by transfer: from the first unpaid month to this one.
  await pay.getByLabel('起始月份').fill(firstUnpaid);
  await pay.getByLabel('截止月份').fill(thisMonth);
  await pay.getByLabel('缴纳方式').selectOption({ label: '转账' });
  await pay.getByLabel('代缴人').fill(`${name}之女`);
  await pay.getByRole('button', { name: '登记缴纳' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.locator('section#payments').getByRole('row', { name: new RegExp(`^${thisMonth} `) })).toContainText(`${name}之女`);

  await secretary.getByRole('link', { name: '党费收缴' }).first().click();
  await expect(secretary.locator('section#arrears').getByRole('link', { name, exact: true })).toHaveCount(0);
  const line = secretary.locator('section#lines').getByRole('row', { name: new RegExp(name) });
  await expect(line).toContainText('已交');
  await expect(line).toContainText(`${name}之女`);

  // The month's workbook: the summary and the member's line.
  const [download] = await Promise.all([
    secretary.waitForEvent('download'),
    secretary.getByRole('link', { name: '下载月报（Excel）' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`党费收缴月报-${thisMonth}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const names: string[] = [];
  workbook.getWorksheet('明细').eachRow((r: any) => names.push(String(r.getCell(2).value)));
  expect(names).toContain(name);
  // Printed: the summary and the lines, without the forms, the arrears and the buttons.
  await secretary.emulateMedia({ media: 'print' });
  await expect(secretary.getByRole('button', { name: '打印月报' })).toBeHidden();
  await expect(secretary.locator('section#arrears')).toBeHidden();
  await expect(secretary.locator('section#summary')).toBeVisible();
  await secretary.emulateMedia({ media: 'screen' });

  // At 360 px the page still reads.
  await secretary.setViewportSize({ width: 360, height: 740 });
  await expect(secretary.locator('section#summary')).toBeVisible();

  // The street: per community, counts and money, never a name.
  const street = await signedIn(browser, 'zhanqian');
  await street.getByRole('link', { name: '党费收缴情况' }).click();
  await expect(street.getByRole('row', { name: /长江路社区/ })).toBeVisible();
  await expect(street.getByText(name)).toHaveCount(0);
  await noViolations(street);
});
