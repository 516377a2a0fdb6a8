import { test, expect } from '@playwright/test';
import { noViolations } from './support/axe';
import { chinaDate } from './support/china-time';
import { signedIn, signedInFirstTime } from './support/login';

test('a need goes from a community through the street joint meeting to a closed resolution', async ({ browser }) => {
  test.setTimeout(90_000);
  // The street registers a unit, pairs it with 长江路社区 and opens its liaison's login.
  const street = await signedIn(browser, 'zhanqian');
  // The demo meeting left a resolution overdue: it waits on the street's 工作台.
  const workbench = street.locator('section.workbench');
  await expect(workbench.getByRole('link', { name: '1 项议定事项逾期' })).toBeVisible();
  await street.getByRole('link', { name: '共建单位', exact: true }).click();
  await street.getByLabel('单位名称').fill('长春市第八中学');
  await street.getByLabel('单位类型').selectOption({ label: '学校' });
  await street.getByLabel('联络员', { exact: true }).fill('王老师');
  await street.getByLabel('联络员电话').fill('13800002222');
  await street.getByRole('button', { name: '登记共建单位' }).click();
  await expect(street.getByRole('heading', { level: 1, name: '长春市第八中学' })).toBeVisible();
  await street.getByLabel('与社区结对').selectOption({ label: '长江路社区' });
  await street.getByRole('button', { name: '结对', exact: true }).click();
  await street.getByLabel('登录名').fill('bazhong');
  await street.getByLabel('初始密码').fill('Bazhong@2026');
  await street.getByRole('button', { name: '开通账号' }).click();
  await expect(street.getByRole('status')).toHaveText('已保存。');

  // The community posts a micro-wish, and a need it cannot meet, which it hands to the street.
  const community = await signedIn(browser, 'changjiang');
  await community.getByRole('link', { name: '需求清单' }).click();
  await community.getByLabel('需求内容').fill('帮独居老人代购降压药');
  await community.getByLabel('需求类别').selectOption({ label: '助老' });
  await community.getByLabel('微心愿').check();
  await community.getByRole('button', { name: '发布需求' }).click();
  await community.getByLabel('需求内容').fill('老旧小区路灯损坏需维修');
  await community.getByLabel('需求类别').selectOption({ label: '治安' });
  await community.getByRole('button', { name: '发布需求' }).click();
  await community.locator('article', { hasText: '老旧小区路灯损坏需维修' }).getByRole('button', { name: '上报街道' }).click();
  await expect(community.locator('article', { hasText: '老旧小区路灯损坏需维修' })).toContainText('已上报');

  // The unit's liaison claims the wish.
  const liaison = await signedInFirstTime(browser, 'bazhong', 'Bazhong@2026');
  await liaison.getByRole('link', { name: '微心愿' }).click();
  await liaison.locator('article', { hasText: '帮独居老人代购降压药' }).getByRole('button', { name: '认领' }).click();
  await expect(liaison.getByRole('status')).toHaveText('已保存。');

  // The street plans today's meeting, invites the unit and the community, and puts the
  // escalated need on the agenda.
  await street.goto('/');
  await street.getByRole('link', { name: '街道党建联席会议' }).click();
  await street.getByLabel('会议名称').fill('四季度党建联席会议');
  await street.getByLabel('召集人').fill('李秀英');
  await street.getByLabel('会议日期').fill(chinaDate());
  await street.getByLabel('开始时间').fill('14:30');
  await street.getByLabel('会议地点').fill('站前街道党群服务中心');
  await street.getByRole('button', { name: '筹备会议' }).click();
  await expect(street.getByRole('heading', { level: 1, name: '四季度党建联席会议' })).toBeVisible();
  const inviteBy = (label: string) =>
    street.locator('form', { has: street.getByLabel(label, { exact: true }) }).getByRole('button', { name: '邀请参会' });
  await street.getByLabel('共建单位', { exact: true }).selectOption({ label: '长春市第八中学' });
  await inviteBy('共建单位').click();
  await street.getByLabel('社区', { exact: true }).selectOption({ label: '长江路社区' });
  await inviteBy('社区').click();
  await street.getByLabel('议题', { exact: true }).fill('研究路灯维修');
  await street.getByLabel('关联需求').selectOption({ label: '老旧小区路灯损坏需维修' });
  await street.getByRole('button', { name: '提交议题' }).click();
  await expect(street.locator('section#agenda')).toContainText('关联需求：老旧小区路灯损坏需维修');

  // On the day the liaison signs in on screen; the street signs the community in by hand.
  await liaison.goto('/');
  await liaison.getByRole('link', { name: '联席会议' }).click();
  await liaison.getByRole('link', { name: '四季度党建联席会议' }).click();
  await liaison.getByRole('row', { name: /长春市第八中学/ }).getByRole('button', { name: '签到' }).click();
  await expect(liaison.getByRole('status')).toHaveText('已保存。');
  // The liaison's unit page gathers what the unit took on and the meetings it is invited to.
  await liaison.goto('/');
  await liaison.getByRole('link', { name: '长春市第八中学' }).click();
  await expect(liaison.locator('section#taken-on')).toContainText('帮独居老人代购降压药');
  await expect(liaison.locator('section#unit-meetings')).toContainText('四季度党建联席会议');
  await street.reload();
  await expect(street.getByRole('row', { name: /长春市第八中学/ })).not.toContainText('未签到');
  const row = street.getByRole('row', { name: /长江路社区/ });
  await row.getByRole('textbox').fill('张丽华');
  await row.getByRole('button', { name: '签到' }).click();
  await expect(street.getByRole('row', { name: /长江路社区/ })).toContainText('张丽华');

  // A resolution without an owner is refused; then it is assigned to the community.
  await street.getByLabel('议定事项内容').fill('协调供电公司维修路灯，社区每周报告进展');
  await street.getByLabel('完成时限').fill(chinaDate(14));
  await street.getByRole('button', { name: '录入议定事项' }).click();
  await expect(street.getByRole('alert')).toHaveText('责任方不能为空');
  await expect(street.getByLabel('议定事项内容')).toHaveValue('协调供电公司维修路灯，社区每周报告进展');
  await street.getByLabel('责任方', { exact: true }).selectOption({ label: '长江路社区' });
  await street.getByRole('button', { name: '录入议定事项' }).click();
  const decided = street.locator('section#resolutions article', { hasText: '协调供电公司维修路灯' });
  await expect(decided).toContainText('未开始');
  await street.getByLabel('会议纪要').fill('会议听取了长江路社区路灯维修需求，议定由社区牵头协调。');
  await street.getByRole('button', { name: '保存会议纪要' }).click();
  await expect(street.getByRole('status')).toHaveText('已保存。');

  // Nobody told the community by hand: its 消息 has the wish claimed, the invitation, the
  // resolution given to it and the minutes, each leading to its page.
  await community.goto('/');
  await community.getByRole('link', { name: /消息/ }).click();
  for (const told of [
    '需求已认领：帮独居老人代购降压药',
    '会议邀请：四季度党建联席会议',
    '会议纪要：四季度党建联席会议',
  ]) {
    await expect(community.getByRole('link', { name: told })).toBeVisible();
  }
  await community.getByRole('link', { name: '议定事项交办：协调供电公司维修路灯，社区每周报告进展' }).click();
  await expect(community.getByText('已交由您（本单位）落实')).toContainText(`完成时限：${chinaDate(14)}`);
  await noViolations(community);
  // The liaison was invited too (at the street, where their role is).
  await liaison.goto('/');
  await liaison.getByRole('link', { name: /消息/ }).click();
  await liaison.getByText('提醒设置', { exact: true }).click();
  await expect(liaison.getByLabel('议定事项督办')).toBeChecked();
  await expect(liaison.getByLabel('活动提醒')).toHaveCount(0);
  await liaison.getByRole('link', { name: '会议邀请：四季度党建联席会议' }).click();
  await liaison.getByRole('link', { name: '查看会议' }).click();
  await expect(liaison.getByRole('heading', { level: 1, name: '四季度党建联席会议' })).toBeVisible();

  // The community finds it in its task list and reports progress.
  await community.getByRole('link', { name: '查看议定事项' }).click();
  const task = community.locator('article', { hasText: '协调供电公司维修路灯' });
  await task.locator('summary').click();
  await task.getByLabel('进展情况').fill('已联系供电公司，本周五上门');
  await task.getByRole('button', { name: '报告进展' }).click();
  await expect(community.locator('article', { hasText: '协调供电公司维修路灯' })).toContainText('进行中');
  await expect(community.locator('article', { hasText: '协调供电公司维修路灯' })).toContainText('已联系供电公司');
  await expect(community.locator('article', { hasText: '协调供电公司维修路灯' }).getByRole('button', { name: '销号' })).toHaveCount(0);

  // The street closes it on evidence; the completion rate follows.
  await street.goto('/');
  await street.getByRole('link', { name: '督办', exact: true }).click();
  const open = street.locator('article', { hasText: '协调供电公司维修路灯' });
  await open.locator('summary').click();
  await open.getByRole('button', { name: '销号' }).click();
  // Closing needs evidence: the browser stops the empty form (the server refuses it too).
  await expect(open.getByLabel('办结依据')).toBeFocused();
  await open.getByLabel('办结依据').fill('路灯已修复，居民确认');
  await open.getByRole('button', { name: '销号' }).click();
  await expect(street.getByRole('status')).toHaveText('已保存。');
  await expect(street.locator('section#rates').getByRole('row', { name: /四季度党建联席会议/ })).toContainText('100%');
  await expect(street.locator('details#done')).toContainText('协调供电公司维修路灯');

  // The minutes print on A4 without the page's chrome.
  await street.getByRole('link', { name: '四季度党建联席会议' }).first().click();
  await street.getByRole('link', { name: '会议纪要（打印）' }).click();
  const doc = street.locator('article.print-doc');
  await expect(doc.getByRole('heading', { level: 1 })).toContainText('会议纪要');
  await expect(doc).toContainText('长春市第八中学');
  await expect(doc).toContainText('张丽华（长江路社区）');
  await expect(doc).toContainText('研究路灯维修');
  await expect(doc).toContainText('会议听取了长江路社区路灯维修需求');
  await expect(doc.getByRole('row', { name: /协调供电公司维修路灯/ })).toContainText('已办结');
  await street.emulateMedia({ media: 'print' });
  await expect(street.locator('header.top')).toBeHidden();
  await expect(street.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(doc).toBeVisible();
});
