import { test, expect } from '@playwright/test';
import { noViolations } from './support/axe';
import { login, signedIn } from './support/login';
import { ROBOT_PORT, mails, robotReceiver, smsReceiver } from './support/receivers';

test('beyond the app: a member\'s e-mail and the community\'s 企业微信 group get the notice; the operator sees the channels', async ({ browser }) => {
  test.setTimeout(60_000);
  const robot = await robotReceiver();
  const sms = await smsReceiver();
  try {
    // The member, on a phone, gives an e-mail address on their account page.
    const address = `dangyuan.${Date.now() % 100000}@example.cn`;
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    await login(phone, 'dangyuan');
    await phone.goto('/account');
    await phone.getByLabel('电子邮箱', { exact: true }).fill('dangyuan@changjiang'); // the browser takes it, a mail server would not
    await phone.getByRole('button', { name: '保存邮箱' }).click();
    await expect(phone.getByRole('alert')).toHaveText('电子邮箱格式不正确（例如 zhangsan@example.cn）');
    await phone.getByLabel('电子邮箱', { exact: true }).fill(address);
    await phone.getByRole('button', { name: '保存邮箱' }).click();
    // A code goes to the address; only typed back does the address become theirs.
    await expect(phone.locator('#email').getByRole('status')).toContainText(`验证码已发送至 ${address}`);
    await expect.poll(() => mails().filter((m) => m.to === address).length, { timeout: 20_000 }).toBe(1);
    const mailed = mails().find((m) => m.to === address)!.subject.match(/\d{6}/)![0];
    await phone.locator('#email').getByLabel('验证码').fill(mailed === '000000' ? '111111' : '000000');
    await phone.locator('#email').getByRole('button', { name: '确认' }).click();
    await expect(phone.getByRole('alert')).toHaveText('验证码不正确');
    await phone.locator('#email').getByLabel('验证码').fill(mailed);
    await phone.locator('#email').getByRole('button', { name: '确认' }).click();
    await expect(phone.locator('#email').getByRole('status')).toHaveText('已保存。');
    await expect(phone.getByLabel('电子邮箱', { exact: true })).toHaveValue(address);
    // And a number for texts: what they agree to is said; a wrong one is refused.
    await expect(phone.locator('#sms')).toContainText('同意接收短信提醒');
    await phone.getByLabel('接收短信的手机号').fill('1380013');
    await phone.getByRole('button', { name: '保存手机号' }).click();
    await expect(phone.getByRole('alert')).toHaveText('接收短信的手机号应为 11 位手机号');
    await phone.getByLabel('接收短信的手机号').fill('13800138000');
    await phone.getByRole('button', { name: '保存手机号' }).click();
    await expect(phone.locator('#sms').getByRole('status')).toContainText('验证码已发送至 13800138000');
    await noViolations(phone);
    const texted = sms.texts.find((t) => t.phone === '13800138000' && t.template === 'SMS_E2E_CODE');
    expect(texted?.params.code).toMatch(/^\d{6}$/);
    await phone.locator('#sms').getByLabel('验证码').fill(texted!.params.code);
    await phone.locator('#sms').getByRole('button', { name: '确认' }).click();
    await expect(phone.locator('#sms').getByRole('status')).toHaveText('已保存。');
    await expect(phone.locator('#email').getByRole('status')).toHaveCount(0);
    await noViolations(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The secretary names the group's robot (a wrong address is refused), then sends a notice.
    const secretary = await signedIn(browser, 'changjiang');
    await secretary.getByRole('link', { name: '通知公告' }).click();
    await secretary.getByText('群机器人', { exact: true }).click();
    await expect(secretary.locator('#robot')).toContainText('尚未设置');
    await secretary.getByLabel('Webhook 地址').fill('https://example.com/hook');
    await secretary.getByRole('button', { name: '保存群机器人' }).click();
    await expect(secretary.getByRole('alert')).toHaveText('Webhook 地址格式不正确');
    await secretary.getByText('群机器人', { exact: true }).click();
    await secretary.getByLabel('机器人类型').selectOption({ label: '企业微信' });
    await secretary.getByLabel('Webhook 地址').fill(`http://127.0.0.1:${ROBOT_PORT}/cgi-bin/webhook/send?key=changjiang-e2e`);
    await secretary.getByRole('button', { name: '保存群机器人' }).click();
    await expect(secretary.getByRole('status')).toHaveText('已保存。');
    await secretary.getByText('群机器人', { exact: true }).click();
    await expect(secretary.locator('#robot')).toContainText('已设置企业微信群机器人');
    await expect(secretary.locator('#robot')).not.toContainText('changjiang-e2e');
    await noViolations(secretary);

    const title = `关于开展冬季环境整治志愿服务的通知 ${Date.now() % 100000}`;
    await secretary.getByLabel('标题', { exact: true }).fill(title);
    await secretary.getByLabel('发送范围').selectOption({ label: '全体党员' });
    await secretary.getByLabel('正文').fill('本周六上午9点在社区广场集合。\n请穿好志愿者马甲。');
    await secretary.getByRole('button', { name: '发布', exact: true }).click();
    await expect(secretary.getByRole('status')).toHaveText('通知已发布。');

    // Within seconds both arrive: the post in the group, the e-mail in the member's mailbox,
    // with a link into the app.
    await expect.poll(() => robot.posts.map((p) => p.key + ' ' + p.content).join('\n'), { timeout: 20_000 })
      .toContain(`changjiang-e2e 【长江路社区】${title}`);
    await expect.poll(() => mails().filter((m) => m.to === address).map((m) => m.subject).slice(1), { timeout: 20_000 })
      .toEqual([`【长江路社区】${title}`]);
    await expect.poll(() => sms.texts.filter((t) => t.phone === '13800138000' && t.template === 'SMS_E2E').map((t) => t.params.from), { timeout: 20_000 })
      .toEqual(['长江路社区']);
    const mail = mails().filter((m) => m.to === address)[1];
    expect(mail.from).toBe('共建平台 <noreply@gongjian.test>');
    expect(mail.body).toContain('请穿好志愿者马甲。');
    const link = mail.body.match(/http:\/\/127\.0\.0\.1:\d+\/org\/[0-9a-f-]+\/messages/)?.[0];
    expect(link).toBeTruthy();
    await phone.goto(link!);
    await expect(phone.getByRole('link', { name: title })).toBeVisible();

    // The operator sees each channel's queue, not whom it went to.
    const operator = await signedIn(browser, 'admin');
    await operator.getByRole('link', { name: '账号管理' }).click();
    const outbound = operator.locator('section#outbound');
    await expect(outbound.getByRole('row', { name: /电子邮件/ })).toContainText('已启用');
    await expect(outbound.getByRole('row', { name: /群机器人/ })).toContainText('已启用');
    await expect(outbound.getByRole('row', { name: /短信/ })).toContainText('已启用');
    await expect(outbound).not.toContainText('13800138000');
    await expect(outbound).not.toContainText(address);
    // And the service's health: the pool, the upper totals (none waiting on SQLite), no replica.
    const health = operator.locator('section#health');
    await expect(health.getByRole('heading', { name: '服务状态' })).toBeVisible();
    await expect(health).toContainText(/使用中 \d+，已打开 \d+，上限 10/);
    await expect(health).toContainText('已同步');
    await expect(health).toContainText('未配置（统计页面读主库）');
    await noViolations(operator);

    // Posting stops when the secretary says so.
    await secretary.getByRole('link', { name: '通知公告' }).first().click();
    await secretary.getByText('群机器人', { exact: true }).click();
    await secretary.getByRole('button', { name: '停止推送' }).click();
    await expect(secretary.getByRole('status')).toHaveText('已保存。');
    await secretary.getByText('群机器人', { exact: true }).click();
    await expect(secretary.locator('#robot')).toContainText('尚未设置');
  } finally {
    await robot.close();
    await sms.close();
  }
});
