import { test, expect } from '@playwright/test';
import { signedIn, signedInFirstTime, OWN_PASSWORD } from './support/login';

test('a secretary opens a worker account; the worker chooses a password first; the street resets it when forgotten', async ({ browser }) => {
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '账号管理' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: '账号管理' })).toBeVisible();
  const open = secretary.locator('section#open');
  await open.getByLabel('登录名').fill('xiaozhao');
  await open.getByLabel('姓名').fill('赵小红');
  await open.getByLabel('角色').selectOption({ label: '党务工作者' });
  await open.getByRole('button', { name: '开通账号' }).click();
  // The one-time password shows once, to hand over in person.
  const handover = secretary.locator('.handover');
  await expect(handover).toContainText('xiaozhao');
  const once = ((await handover.locator('code').textContent()) ?? '').trim();
  expect(once).toMatch(/^[A-Za-z0-9]{12}$/);
  await expect(secretary.getByRole('row', { name: /赵小红/ })).toContainText('待修改一次性密码');
  await secretary.reload();
  await expect(secretary.locator('.handover')).toHaveCount(0);

  // The worker's first sign-in: nothing opens before a password of their own.
  const worker = await signedInFirstTime(browser, 'xiaozhao', once);
  await expect(worker.getByRole('heading', { level: 1, name: '长江路社区' })).toBeVisible();
  await worker.getByRole('link', { name: '赵小红' }).click();
  await expect(worker.getByRole('cell', { name: '本设备' })).toBeVisible();

  // Forgotten: the street resets it; the worker's open session ends.
  const street = await signedIn(browser, 'zhanqian');
  await street.getByRole('link', { name: '账号管理' }).click();
  await street.getByRole('row', { name: /赵小红/ }).getByRole('button', { name: '重置密码' }).click();
  const again = ((await street.locator('.handover code').textContent()) ?? '').trim();
  expect(again).toMatch(/^[A-Za-z0-9]{12}$/);
  await worker.goto('/');
  await expect(worker).toHaveURL(/\/login/);
  const back = await signedIn(browser, 'xiaozhao', OWN_PASSWORD);
  await expect(back).toHaveURL(/\/login/);
  await signedInFirstTime(browser, 'xiaozhao', again);
});
