import { test, expect } from '@playwright/test';
import { signedIn } from './support/login';
import { noViolations } from './support/axe';

test('支部委员会: the secretary adds a member to a branch committee and takes them off again', async ({ browser }) => {
  const page = await signedIn(browser, 'changjiang');
  await page.getByRole('link', { name: '三会一课' }).click();
  const section = page.locator('section#committees');
  await expect(section.getByRole('heading', { name: '支部委员会', level: 2 })).toBeVisible();
  // The first branch (seven members or more) has its committee of three from the demo.
  const form = section.locator('form').filter({ has: page.getByRole('button', { name: '增补委员' }) }).first();
  const member = form.locator('select[name="member"]');
  const name = (await member.locator('option').nth(3).textContent())!.trim();
  await member.selectOption({ label: name });
  await form.locator('select[name="post"]').selectOption({ label: '纪检委员' });
  await form.getByRole('button', { name: '增补委员' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  const row = section.getByRole('row', { name: new RegExp(`纪检委员 ${name}`) });
  await expect(row).toBeVisible();
  await noViolations(page);
  await row.getByRole('button', { name: `移出 ${name}` }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(section.getByRole('row', { name: new RegExp(`纪检委员 ${name}`) })).toHaveCount(0);
});
