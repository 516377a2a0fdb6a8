import { test, expect, Page } from '@playwright/test';
import { chinaDateTime } from './support/china-time';
import { signedIn, signedInFirstTime } from './support/login';

/** Opens an account on the page's 账号管理 and returns the one-time password shown once. */
async function openAccount(page: Page, login: string, name: string, role: string, place: { code?: string; label?: string; branch?: string }) {
  await page.goto('/');
  await page.getByRole('link', { name: '账号管理' }).click();
  const form = page.locator('section#open');
  await form.getByLabel('登录名').fill(login);
  await form.getByLabel('姓名').fill(name);
  await form.getByLabel('角色').selectOption({ label: role });
  if (place.code) await form.getByLabel('区县代码（6 位）').fill(place.code);
  if (place.label) await form.getByLabel('所在组织').selectOption({ label: place.label });
  if (place.branch) await form.getByLabel('网格党支部（授予支部书记时选择）').selectOption({ label: place.branch });
  await form.getByRole('button', { name: '开通账号' }).click();
  const code = page.locator('.handover code');
  await expect(code).toBeVisible();
  return ((await code.textContent()) ?? '').trim();
}

test('a new district, end to end: the operator opens 南关区, each level opens the next, a member signs up; a revoked role stops at once', async ({ browser }) => {
  test.setTimeout(120_000);
  // The operator opens 长春市南关区 (imported, no accounts yet) with its first organiser.
  const operator = await signedIn(browser, 'admin');
  const toOrganiser = await openAccount(operator, 'nanguan', '孙志刚', '区委组织部', { code: '220102' });

  // Each level opens the level below; every first sign-in chooses its own password.
  const organiser = await signedInFirstTime(browser, 'nanguan', toOrganiser);
  await expect(organiser.getByRole('heading', { level: 1, name: '南关区' })).toBeVisible();
  const toStreet = await openAccount(organiser, 'nanling', '周丽', '街道党工委', { label: '南岭街道' });
  const street = await signedInFirstTime(browser, 'nanling', toStreet);
  await expect(street.getByRole('heading', { level: 1, name: '南岭街道' })).toBeVisible();
  const toSecretary = await openAccount(street, 'huayang', '吴秀英', '社区书记', { label: '华阳社区' });
  const secretary = await signedInFirstTime(browser, 'huayang', toSecretary);
  await expect(secretary.getByRole('heading', { level: 1, name: '华阳社区' })).toBeVisible();

  // The secretary sets up a grid branch, imports a small roster, opens the branch secretary's
  // and a worker's accounts, and publishes an activity.
  await secretary.getByLabel('新增网格党支部').fill('华阳第一网格党支部');
  await secretary.getByRole('button', { name: '新增', exact: true }).last().click();
  await expect(secretary.locator('.unit-name', { hasText: '华阳第一网格党支部' })).toBeVisible();
  await secretary.getByRole('link', { name: '党员名册' }).click();
  await secretary.getByRole('link', { name: '导入党员名册' }).click();
  const csv = [
    '姓名,性别,出生日期,手机号,入党日期,党员分类,状态',
    '钱海燕,女,1970-01-01,13700000101,1995-07-01,自管居民,正常',
    '冯春生,男,1958-09-09,,1980-07-01,离退休,正常',
  ].join('\n');
  await secretary.getByLabel('名册文件').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await secretary.getByRole('button', { name: '开始导入' }).click();
  await expect(secretary.getByRole('status')).toContainText('成功 2 人', { timeout: 15_000 });
  await openAccount(secretary, 'hyzhibu', '郑建国', '网格党支部书记', { label: '华阳社区', branch: '华阳第一网格党支部' });
  await expect(secretary.locator('section#accounts')).toContainText('网格党支部书记 · 华阳社区 · 华阳第一网格党支部');
  await openAccount(secretary, 'hyxiaoli', '李小丽', '党务工作者', { label: '华阳社区' });
  const title = '志愿服务：华阳社区楼院清扫';
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '活动', exact: true }).click();
  await secretary.getByLabel('活动类型').selectOption({ label: '志愿服务' });
  await secretary.getByLabel('活动名称').fill(title);
  await secretary.getByLabel('活动地点').fill('华阳社区广场');
  await secretary.getByLabel('开始时间').fill(chinaDateTime(24));
  await secretary.getByLabel('结束时间').fill(chinaDateTime(26));
  await secretary.getByLabel('报名开始').fill(chinaDateTime(-1));
  await secretary.getByLabel('报名截止').fill(chinaDateTime(20));
  await secretary.getByLabel('参加积分').fill('2');
  await secretary.getByRole('button', { name: '发布活动' }).click();
  await expect(secretary.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // A member of the roster gets a login and signs up on the first visit.
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '党员名册' }).click();
  await secretary.getByRole('link', { name: '钱海燕' }).click();
  await secretary.getByLabel('登录名').fill('qianhy');
  await secretary.getByLabel('初始密码').fill('Qianhy-2026-x');
  await secretary.getByRole('button', { name: '开通账号' }).click();
  await expect(secretary.getByRole('status')).toHaveText('已保存。');
  const member = await signedInFirstTime(browser, 'qianhy', 'Qianhy-2026-x');
  await member.getByRole('link', { name: '活动报名' }).click();
  await member.locator('article', { hasText: title }).getByRole('button', { name: '报名' }).click();
  await expect(member.getByRole('status')).toHaveText('已保存。');

  // The district takes the street staff's role back: their open session stops on its next request.
  await organiser.goto('/');
  await organiser.getByRole('link', { name: '账号管理' }).click();
  await organiser.getByRole('row', { name: /周丽/ }).getByRole('button', { name: '撤销' }).click();
  await expect(organiser.getByRole('status')).toHaveText('已保存。');
  await street.reload();
  await expect(street.getByRole('heading', { name: '无权访问' })).toBeVisible();

  // The secretary resets the worker's forgotten password: a new one-time password, shown once.
  await secretary.goto('/');
  await secretary.getByRole('link', { name: '账号管理' }).click();
  await secretary.getByRole('row', { name: /李小丽/ }).getByRole('button', { name: '重置密码' }).click();
  await expect(secretary.locator('.handover')).toContainText('hyxiaoli');
  await expect(secretary.getByRole('row', { name: /李小丽/ })).toContainText('待修改一次性密码');
});
