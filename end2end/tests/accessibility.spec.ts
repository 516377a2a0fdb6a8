import { test, expect, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { WCAG_AA } from './support/axe';
import { login } from './support/login';

// WCAG 2.1 AA on every kind of page: each role's pages are walked from its home, one page of
// each shape (ids stand for any id), and axe-core must find no violation on any of them.
const ROLES = ['changjiang', 'zhanqian', 'quwei', 'dangyuan', 'yiqi', 'admin'];
const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function audit(browser: Browser, name: string | null, seen: Set<string>): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (name) {
    await login(page, name);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
  else await page.goto('/login');
  const queue = [page.url()];
  const problems: string[] = [];
  let visited = 0;
  while (queue.length > 0 && visited < 40) {
    const url = queue.shift()!;
    const path = new URL(url).pathname;
    const shape = path.replace(ID, ':id');
    if (seen.has(shape)) continue;
    seen.add(shape);
    const response = await page.goto(url);
    if (!response || response.status() !== 200) continue;
    visited += 1;
    const result = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
    for (const v of result.violations) {
      problems.push(`${name ?? 'anonymous'} ${shape}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    }
    const links = await page.locator('a[href^="/org/"], a[href="/account"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const link of links) {
      const target = new URL(link);
      if (!/\.(xlsx|ics)$/.test(target.pathname)) queue.push(target.origin + target.pathname);
    }
  }
  await context.close();
  return problems;
}

test('no page has a WCAG 2.1 AA violation (axe-core), for any role', async ({ browser }) => {
  test.setTimeout(240_000);
  const seen = new Set<string>();
  const problems = await audit(browser, null, seen);
  for (const role of ROLES) problems.push(...(await audit(browser, role, seen)));
  expect(seen.size).toBeGreaterThan(25);
  expect(problems).toEqual([]);
});
