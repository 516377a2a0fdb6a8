import { test, expect } from '@playwright/test';
import { signedIn } from './support/login';

test('a community posts a micro-wish, a unit claims it first, a member is told, the community confirms', async ({ browser }) => {
  const secretary = await signedIn(browser, 'changjiang');
  await secretary.getByRole('link', { name: '需求清单' }).click();
  await secretary.getByLabel('需求内容').fill('为独居老人更换灯泡');
  await secretary.getByLabel('需求类别').selectOption({ label: '助老' });
  await secretary.getByLabel('微心愿').check();
  await secretary.getByLabel('求助人', { exact: true }).fill('赵淑芬');
  await secretary.getByLabel('求助人电话').fill('1381234');
  await secretary.getByRole('button', { name: '发布需求' }).click();
  await expect(secretary.getByRole('alert')).toHaveText('求助人电话应为 11 位手机号');
  await secretary.getByLabel('求助人电话').fill('13812341234');
  await secretary.getByRole('button', { name: '发布需求' }).click();
  const posted = secretary.locator('article', { hasText: '为独居老人更换灯泡' });
  // The phone shows masked; the secretary reveals it once (the reveal is audited).
  await expect(posted).toContainText('赵淑芬 138****1234');
  await posted.getByRole('button', { name: '显示完整号码' }).click();
  await expect(posted).toContainText('13812341234');
  await expect(posted).toContainText('本次查看已记录');
  await secretary.reload();
  await expect(posted).toContainText('138****1234');
  await expect(posted).not.toContainText('13812341234');

  // The liaison of a paired unit claims it; who asked shows masked.
  const liaison = await signedIn(browser, 'yiqi');
  await liaison.getByRole('link', { name: '微心愿' }).click();
  const wish = liaison.locator('article', { hasText: '为独居老人更换灯泡' });
  await expect(wish).toContainText('赵*芬');
  await expect(wish).not.toContainText('13812341234');

  // A member opened the list before the claim; their click comes second.
  const member = await signedIn(browser, 'dangyuan');
  await member.getByRole('link', { name: '微心愿' }).click();
  await wish.getByRole('button', { name: '认领' }).click();
  await expect(liaison.getByRole('status')).toHaveText('已保存。');
  await member.locator('article', { hasText: '为独居老人更换灯泡' }).getByRole('button', { name: '认领' }).click();
  await expect(member.getByRole('alert')).toHaveText('已被长春市第一汽车制造厂认领，请选择其他心愿。');

  await liaison.locator('article', { hasText: '为独居老人更换灯泡' }).getByRole('button', { name: '已送达' }).click();
  await secretary.reload();
  await posted.getByRole('button', { name: '确认完成' }).click();
  await expect(secretary.locator('article', { hasText: '为独居老人更换灯泡' })).toContainText('已完成');
  await expect(secretary.locator('article', { hasText: '为独居老人更换灯泡' })).toContainText('长春市第一汽车制造厂');
});
