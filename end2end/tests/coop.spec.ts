import { test, expect } from '@playwright/test';
import { signedIn, signedInFirstTime } from './support/login';

test('street staff registers a unit, pairs it, opens its liaison login; the community and the liaison see it', async ({ browser }) => {
  const street = await signedIn(browser, 'zhanqian');
  await street.getByRole('link', { name: '共建单位', exact: true }).click();
  await expect(street.getByRole('heading', { level: 1, name: '共建单位' })).toBeVisible();

  await street.getByLabel('单位名称').fill('宽城区第二实验小学');
  await street.getByLabel('单位类型').selectOption({ label: '学校' });
  await street.getByLabel('单位党组织').fill('第二实验小学党支部');
  await street.getByLabel('联络员', { exact: true }).fill('周老师');
  await street.getByLabel('联络员电话').fill('1380000');
  await street.getByRole('button', { name: '登记共建单位' }).click();
  // Refused: the reason, and nothing typed is lost.
  await expect(street.getByRole('alert')).toHaveText('联络员电话应为 11 位手机号');
  await expect(street.getByLabel('单位名称')).toHaveValue('宽城区第二实验小学');
  await street.getByLabel('联络员电话').fill('13800001111');
  await street.getByRole('button', { name: '登记共建单位' }).click();
  await expect(street.getByRole('heading', { level: 1, name: '宽城区第二实验小学' })).toBeVisible();

  await street.getByLabel('与社区结对').selectOption({ label: '长江路社区' });
  await street.getByRole('button', { name: '结对', exact: true }).click();
  await expect(street.locator('section#pairings').getByRole('row', { name: /长江路社区/ })).toBeVisible();

  await street.getByLabel('登录名').fill('erxiao');
  await street.getByLabel('初始密码').fill('Erxiao@2026');
  await street.getByRole('button', { name: '开通账号' }).click();
  await expect(street.getByRole('status')).toHaveText('已保存。');
  await expect(street.getByRole('button', { name: '开通账号' })).toHaveCount(0);

  // The paired community sees the unit; the liaison sees their unit and its communities.
  const community = await signedIn(browser, 'changjiang');
  await community.getByRole('link', { name: '结对共建单位' }).click();
  await community.getByRole('link', { name: '宽城区第二实验小学' }).click();
  await expect(community.getByText('第二实验小学党支部')).toBeVisible();
  // The community signs an agreement with the unit and ticks a commitment off.
  await community.locator('summary', { hasText: '签订共建协议' }).click();
  await community.getByLabel('协议名称').fill('共驻共建协议书');
  await community.getByLabel('开始日期').fill('2026-01-01');
  await community.getByLabel('结束日期').fill('2028-12-31');
  await community.getByLabel('承诺事项').fill('开放学校操场\n共建四点半课堂');
  await community.getByRole('button', { name: '签订共建协议' }).click();
  const signed = community.locator('section#agreements article', { hasText: '共驻共建协议书' });
  await expect(signed).toContainText('协议方：长江路社区');
  const item = signed.getByRole('listitem').filter({ hasText: '开放学校操场' });
  await item.getByRole('button', { name: '标记完成' }).click();
  await expect(item).toContainText('已完成');

  const liaison = await signedInFirstTime(browser, 'erxiao', 'Erxiao@2026');
  await liaison.getByRole('link', { name: '宽城区第二实验小学' }).click();
  await expect(liaison.locator('section#pairings')).toContainText('长江路社区');
  await expect(liaison.getByRole('button', { name: '结对', exact: true })).toHaveCount(0);
});
