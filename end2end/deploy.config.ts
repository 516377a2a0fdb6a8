import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './tests/support/chromium';

// The smoke tests through nginx (scripts/test-deploy starts the release build behind Debian's
// nginx with a self-signed certificate, then runs these against it).
const base = process.env.DEPLOY_BASE_URL;
if (!base) throw new Error('DEPLOY_BASE_URL is not set (run scripts/test-deploy)');

export default defineConfig({
  testDir: './deploy',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: base,
    ignoreHTTPSErrors: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: CHROMIUM,
  },
});
