import { test, expect } from '@playwright/test';
import http2 from 'node:http2';
import { login } from '../tests/support/login';

// The release build behind nginx (scripts/test-deploy): the demo accounts share the password
// `seed-demo --yes-into-production` printed.
const password = process.env.DEPLOY_PASSWORD ?? '';

/** The status of `path` asked over HTTP/2 (negotiated by ALPN, as browsers do). */
function overHttp2(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(base, { rejectUnauthorized: false });
    client.on('error', reject);
    const request = client.request({ ':path': path });
    request.on('response', (headers) => {
      resolve(Number(headers[':status']));
      client.close();
    });
    request.on('error', reject);
    request.end();
  });
}

test('nginx serves TLS and HTTP/2, compresses pages and lets browsers keep the build files', async ({ request, baseURL }) => {
  expect(await overHttp2(baseURL!, '/healthz')).toBe(200);

  const page = await request.get('/login', { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(page.status()).toBe(200);
  expect(page.headers()['content-encoding']).toBe('br');
  // The server's own headers pass through.
  expect(page.headers()['content-security-policy']).toBeTruthy();
  expect(page.headers()['strict-transport-security']).toBeTruthy();
  const gzipped = await request.get('/login', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gzipped.headers()['content-encoding']).toBe('gzip');

  const html = await page.text();
  // Named stem.hash.wasm (cargo-leptos hash-files).
  const wasm = html.match(/\/pkg\/[^"'.\/]+\.[^"'.\/]+\.wasm/)?.[0];
  expect(wasm, 'the page names its hashed wasm').toBeTruthy();
  const file = await request.get(wasm!, { headers: { 'Accept-Encoding': 'br' } });
  expect(file.status()).toBe(200);
  expect(file.headers()['cache-control']).toContain('immutable');
  expect(file.headers()['content-encoding']).toBe('br');
  expect(file.headers()['content-type']).toBe('application/wasm');

  // Metrics are never served through the proxy; the server itself refuses a forwarded request
  // (no token is configured here) and answers its loopback peer.
  expect((await request.get('/metrics')).status()).toBe(404);
  const app = process.env.DEPLOY_APP_URL!;
  expect((await request.get(`${app}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status()).toBe(404);
  const metrics = await request.get(`${app}/metrics`);
  expect(metrics.status()).toBe(200);
  expect(await metrics.text()).toContain('gongjian_http_requests_total{route="/login",method="GET",status="2xx"}');
});

test('a secretary signs in, adds a member, downloads and imports a roster; the address kept is the browser\'s', async ({ browser }) => {
  // A client's own X-Forwarded-For is replaced by the proxy, not believed.
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.7' } });
  const page = await context.newPage();
  await login(page, 'changjiang', password);
  await page.getByRole('link', { name: '党员名册' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '党员名册' })).toBeVisible();

  // A form post.
  await page.getByRole('link', { name: '新增党员' }).click();
  await page.getByLabel('姓名').fill('部署验证');
  await page.getByLabel('出生日期').fill('1980-03-01');
  await page.getByLabel('入党日期').fill('2005-07-01');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存。');
  await expect(page.getByRole('heading', { level: 1, name: '部署验证' })).toBeVisible();

  // A download.
  await page.getByRole('link', { name: '党员名册' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出 Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^党员名册-\d{8}\.xlsx$/);
  const bytes = require('node:fs').readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');

  // An upload above the 1 MiB other requests may carry, through the proxy's larger limit for
  // roster files: one member, and a row too long to import.
  await page.getByRole('link', { name: '导入党员名册' }).click();
  const csv = [
    '姓名,性别,出生日期,手机号,入党日期,党员分类,状态',
    '部署导入,女,1975-05-05,,2001-07-01,离退休,正常',
    `${'长'.repeat(400_000)},男,1970-01-01,,2000-07-01,离退休,正常`,
  ].join('\n');
  expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
  await page.getByLabel('名册文件').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page.getByRole('status')).toHaveText('导入完成：成功 1 人，未导入 1 行。', { timeout: 15_000 });

  // The session is kept under the browser's address, not the proxy's nor the forged one.
  await page.goto('/account');
  const current = page.getByRole('row', { name: /本设备/ });
  await expect(current).toContainText('127.0.0.1');
  await expect(page.getByText('203.0.113.7')).toHaveCount(0);
  await expect(page.getByText('127.0.0.2')).toHaveCount(0);
  await context.close();
});
