import { test, expect, Response } from '@playwright/test';

// A phone's first visit to the login page on a 3G network (the DevTools protocol's throttle:
// 300 ms per request, 700 kbit/s each way, Lighthouse's "regular 3G"), then its second visit.
// The time is printed for README (a figure, not a pass mark: the machine is shared); what is
// asserted is what makes it fast: the page is compressed, the build files are named by hash
// and kept, and the second visit fetches the page alone.
const THREE_G = {
  offline: false,
  latency: 300,
  downloadThroughput: (700 * 1024) / 8,
  uploadThroughput: (700 * 1024) / 8,
};

test('a phone on 3G: the login page arrives compressed, and the second visit fetches only the page', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THREE_G);

  const responses: Response[] = [];
  page.on('response', (r) => responses.push(r));
  // The stylesheet and the islands' loader, whenever they arrive on the slow network.
  const builtFiles = ['css', 'js'].map((ext) =>
    page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(`.${ext}`), { timeout: 20_000 }),
  );
  const started = Date.now();
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { ready: nav.domContentLoadedEventEnd, paint: paint?.startTime ?? null };
  });
  console.log(
    `3G first visit to /login: first contentful paint ${Math.round(timing.paint ?? -1)} ms, ` +
      `DOMContentLoaded ${Math.round(timing.ready)} ms (wall ${Date.now() - started} ms)`,
  );

  const pageResponse = responses.find((r) => new URL(r.url()).pathname === '/login');
  expect(pageResponse).toBeDefined();
  const pageHeaders = await pageResponse!.allHeaders();
  expect(pageHeaders['content-encoding']).toMatch(/^(br|gzip)$/);
  expect(pageHeaders['cache-control']).toBe('no-store');

  // The stylesheet and the islands' loader are named by their content and kept for good.
  const built = await Promise.all(builtFiles);
  for (const r of built) {
    expect(new URL(r.url()).pathname).toMatch(/^\/pkg\/gongjian\.[A-Za-z0-9_-]{16,}\.(css|js)$/);
    expect((await r.allHeaders())['cache-control']).toBe('public, max-age=31536000, immutable');
  }

  // Off the throttle until the islands have loaded (the debug build's wasm is large), so the
  // second visit finds everything in the cache.
  await cdp.send('Network.emulateNetworkConditions', { ...THREE_G, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForLoadState('load');
  await page.getByRole('button', { name: '显示密码' }).click();
  await expect(page.getByLabel('密码', { exact: true })).toHaveAttribute('type', 'text');

  // Second visit, on 3G again: the build files come from the browser's cache.
  await cdp.send('Network.emulateNetworkConditions', THREE_G);
  const fromCache = new Set<string>();
  const received: { id: string; path: string; disk: boolean }[] = [];
  cdp.on('Network.requestServedFromCache', (e) => fromCache.add(e.requestId));
  cdp.on('Network.responseReceived', (e) =>
    received.push({ id: e.requestId, path: new URL(e.response.url).pathname, disk: !!e.response.fromDiskCache }),
  );
  const again = Date.now();
  await page.goto('/login', { waitUntil: 'load' });
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  console.log(`3G second visit to /login: load ${Date.now() - again} ms`);
  const overNetwork = received
    .filter((r) => !r.disk && !fromCache.has(r.id))
    .map((r) => r.path)
    .filter((p) => p === '/login' || p.startsWith('/pkg/'));
  expect(received.map((r) => r.path)).toContain('/login');
  expect(overNetwork).toEqual(['/login']);
  await context.close();
});

test('a phone can add the app to its home screen: the manifest, its icons, and Chromium finds it installable', async ({ page, request }) => {
  await page.goto('/login');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ short_name: '共建', display: 'standalone', start_url: '/', lang: 'zh-CN' });
  for (const size of [192, 512]) {
    const icon = manifest.icons.find((i: { sizes: string }) => i.sizes === `${size}x${size}`);
    const reply = await request.get(icon.src);
    expect(reply.status()).toBe(200);
    expect(reply.headers()['content-type']).toBe('image/png');
    // The PNG's own header: width and height as the manifest says.
    const png = await reply.body();
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
  }
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // A test's browser context is incognito, where nothing installs; nothing else stands in the way.
  const errors = installabilityErrors.map((e: { errorId: string }) => e.errorId);
  expect(errors.filter((id: string) => id !== 'in-incognito')).toEqual([]);
});
