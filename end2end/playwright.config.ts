import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './tests/support/chromium';
import { CLOCK_FILE } from './tests/support/clock';
import { MAILDIR, ROBOT_PORT, SMS_PORT, SMS_SECRET, SMTP_PORT, python } from './tests/support/receivers';

// The server binary is built by scripts/test; it runs here on a fresh SQLite file in dev mode,
// which seeds the demo district (password from DEMO_PASSWORD).
const port = process.env.E2E_PORT ?? '3300';
const server = process.env.GONGJIAN_SERVER_BIN;
if (!server) throw new Error('GONGJIAN_SERVER_BIN is not set (run scripts/test)');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: CHROMIUM,
  },
  webServer: [{
    // A real SMTP server the e-mails go to, delivering into a Maildir the tests read.
    command: `${python()} -m aiosmtpd -n -l 127.0.0.1:${SMTP_PORT} -c aiosmtpd.handlers.Mailbox ${MAILDIR}`,
    port: SMTP_PORT,
    timeout: 30_000,
    reuseExistingServer: false,
  }, {
    // The demo district, then 长春市南关区 imported without accounts (the new-district test opens it).
    command: `${server} seed-demo && ${server} import-divisions --scope 220102 && exec ${server} serve`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${process.env.E2E_DB_DIR ?? '.tmp/e2e'}/gongjian.db?mode=rwc`,
      FILES_DIR: `${process.env.E2E_DB_DIR ?? '.tmp/e2e'}/files`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      DEMO_PASSWORD: 'Demo@2026',
      GONGJIAN_MODE: 'dev',
      // Every test signs in from 127.0.0.1, far more often than the per-address login limit
      // (20 a minute) allows a person; the limit itself is tested in server/tests/http_login.rs.
      LOGIN_ATTEMPTS_PER_MINUTE: '600',
      RUST_LOG: 'warn',
      // Reminders that fall due are sent within a second (an activity starting within two
      // hours has its reminder due at once).
      REMINDERS_EVERY_SECONDS: '1',
      REMINDERS_CLOCK_FILE: CLOCK_FILE,
      // E-mail through the SMTP server above; group robots may name the test's receiver.
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      MAIL_FROM: '共建平台 <noreply@gongjian.test>',
      ROBOT_TEST_HOSTS: `127.0.0.1:${ROBOT_PORT}`,
      // Texts through the test's stand-in for Aliyun's SMS API.
      ALIYUN_SMS_ACCESS_KEY_ID: 'e2e-sms-id',
      ALIYUN_SMS_ACCESS_KEY_SECRET: SMS_SECRET,
      ALIYUN_SMS_SIGN_NAME: '共建',
      ALIYUN_SMS_TEMPLATE_CODE: 'SMS_E2E',
      ALIYUN_SMS_CODE_TEMPLATE: 'SMS_E2E_CODE',
      ALIYUN_SMS_ENDPOINT: `http://127.0.0.1:${SMS_PORT}/`,
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    },
  }],
});
