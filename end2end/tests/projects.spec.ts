import { test, expect } from '@playwright/test';
import { signedIn } from './support/login';

test('a community matches a need to a unit resource; the unit reports the outcome', async ({ browser }) => {
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '项目清单' }).click();
  await secretary.getByLabel('项目名称').fill('周末亲子活动');
  await secretary.getByLabel('牵头单位').selectOption({ label: '长春市第一汽车制造厂' });
  await secretary.getByLabel('负责人').fill('王主任');
  await secretary.getByLabel('完成时限').fill('2099-06-30');
  await secretary.getByRole('button', { name: '供需对接，新建项目' }).click();
  await expect(secretary.getByRole('alert')).toHaveText('对接资源不能为空');
  await expect(secretary.getByLabel('项目名称')).toHaveValue('周末亲子活动');
  await expect(secretary.locator('#owner-unit option:checked')).toHaveText('长春市第一汽车制造厂');
  await secretary.getByRole('checkbox', { name: /职工活动中心/ }).check();
  await secretary.getByRole('button', { name: '供需对接，新建项目' }).click();
  const card = secretary.locator('article', { hasText: '周末亲子活动' });
  await expect(card).toContainText('筹备中');
  await expect(card).toContainText('职工活动中心');

  const liaison = await signedIn(browser, 'yiqi');
  await liaison.getByRole('link', { name: '项目清单' }).click();
  const owned = liaison.locator('article', { hasText: '周末亲子活动' });
  await owned.getByText('更新进展').click();
  await owned.getByLabel('项目状态').selectOption({ label: '已完成' });
  await owned.getByLabel('项目成效').fill('举办 4 场，家庭 60 户参加');
  await owned.getByLabel('受益人数').fill('180');
  await owned.getByRole('button', { name: '保存' }).click();
  await expect(liaison.getByRole('status')).toHaveText('已保存。');

  await secretary.reload();
  await expect(secretary.locator('article', { hasText: '周末亲子活动' })).toContainText('举办 4 场，家庭 60 户参加');
});
