import { test, expect } from '@playwright/test';
import { signedIn } from './support/login';
import { noViolations } from './support/axe';

test('民主评议: the secretary grades a branch in one form, records its decision and prints it; the street sees counts only', async ({ browser }) => {
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '民主评议党员' }).click();
  await expect(secretary.getByRole('heading', { level: 1 })).toContainText('民主评议党员');
  await noViolations(secretary);
  const branch = secretary.locator('table').getByRole('link').first();
  const branchName = (await branch.textContent())!.trim();
  await branch.click();
  await expect(secretary.getByRole('heading', { level: 1 })).toContainText(branchName);

  // Every member graded in one save: the first 优秀, the rest 合格.
  const grades = secretary.locator('section#grades');
  const selects = grades.locator('select');
  const count = await selects.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    await selects.nth(i).selectOption(i === 0 ? 'excellent' : 'qualified');
  }
  const first = (await grades.getByRole('row').nth(1).getByRole('cell').first().textContent())!.trim();
  await grades.getByRole('button', { name: '保存评定' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(grades.getByLabel(`评定等次 ${first}`)).toHaveValue('excellent');
  await noViolations(secretary);

  // The branch decides: the grades stand and are shown, not edited.
  const decision = secretary.locator('section#decision');
  await decision.getByLabel('支部决定', { exact: true }).fill('经支部党员大会讨论，评定结果如上。');
  await decision.getByRole('button', { name: '记录支部决定' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(secretary.locator('section#decision')).toContainText('评定结果已生效');
  await expect(grades.locator('select')).toHaveCount(0);
  await expect(grades.getByRole('row', { name: new RegExp(`^${first} `) })).toContainText('优秀');
  await noViolations(secretary);
  // Printed: the results and the decision, without the buttons.
  await secretary.emulateMedia({ media: 'print' });
  await expect(secretary.getByRole('button', { name: '打印评议结果' })).toBeHidden();
  await expect(grades).toBeVisible();
  await secretary.emulateMedia({ media: 'screen' });
  await secretary.setViewportSize({ width: 360, height: 740 });
  await expect(grades).toBeVisible();

  // The street: per community, counts and the share of 优秀, never a name.
  const street = await signedIn(browser, 'zhanqian');
  await street.getByRole('link', { name: '民主评议情况' }).click();
  const row = street.getByRole('row', { name: /长江路社区/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await expect(street.getByText(first)).toHaveCount(0);
  await noViolations(street);

  // Reopened to correct a grade: the selects are back.
  await secretary.getByRole('button', { name: '重新评定（更正结果）' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  await expect(grades.locator('select')).toHaveCount(count);
});
