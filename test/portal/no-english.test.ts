/**
 * No English and no internal keys on any page: a crawl of the demo city's portal (anonymous) and office (as
 * the administrator and as a handler) through every link, a few pages of each address pattern, that fails on a
 * Latin word in the visible text outside an allow-list of names people know (PDF, DOCX, ICP…) and of values
 * that are Latin by nature (索引号, 登记编号, user names, e-mail and web addresses).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'node-html-parser';
import { loadDemo, DEMO_PASSWORD } from '../../src/cli/commands/demo.js';
import { buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

/** Words people read on Chinese government sites as they are. */
const ALLOWED = new Set([
  'year', 'notice', 'holidays', 'workdays', // the keys of the calendar file staff paste (its example and hint)
  'HTM', 'Tab', 'Shift', 'Enter', 'Cookie', 'JavaScript', 'POST', 'GET', 'PDF', 'DOCX', 'DOC', 'Word', 'Excel', 'XLSX', 'XLS', 'WPS', 'OFD', 'ODF', 'PowerPoint', 'PNG', 'JPEG', 'JPG', 'GIF', 'TXT', 'CSV', 'HTML', 'JSON', 'ICP', 'Atom', 'RSS', 'API', 'ID', 'URL', 'A', 'AA', 'WCAG', 'gongkai', 'key', 'OpenAPI', 'Bearer', 'CA', 'GB', 'T', 'KB', 'MB', 'GiB', 'Redis', 'PostgreSQL', 'SQLite', 'Webhook', 'webhook', 'SMTP', 'ZIP', 'zip', 'Unicode', 'UTF', 'B', 'CBD', 'LED', 'App', 'APP', 'AI']);

/** Values that are Latin by nature, removed before looking for words. */
const VALUES = [
  /[A-Z0-9][A-Z0-9-]*\/\d{4}-\d{5}/g, // 索引号
  /YSQ\d{4}[-\w]*/gi, // 登记编号
  /[\w.+-]+@[\w-]+(\.[\w-]+)+/g, // e-mail
  /(https?:\/\/)?(www\.)?[\w-]+(\.[\w-]+)*\.(cn|com|org|net)(\/[^\s\u3000-\uffff]*)?/gi, // web addresses
  /\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/g, // hashes
  /\b[0-9A-HJ-NPQRTUWXY]{18}\b/g, // 统一社会信用代码
  /\b(harbin|hrb-[a-z]+)\b/g, // agency codes, shown to staff beside the names (for the CLI and the API)
  /[a-z]+\.(handler|editor|reviewer|approver)\b/g, // demo user names
  /(admin|jiandu)\b/g,
  /\/[\w/:.?=&%-]*/g, // paths shown as text
  /\b\d+[a-z]?\b/gi,
];

function latinWords(text: string): string[] {
  let t = text;
  for (const re of VALUES) t = t.replace(re, ' ');
  return (t.match(/[A-Za-z][A-Za-z_]*(?:[.-][A-Za-z_]+)*/g) ?? []).filter((w) => !ALLOWED.has(w) && !ALLOWED.has(w.toUpperCase()));
}

/** The visible text of a page: the body without scripts, styles and hidden form values. */
function visibleText(html: string): string {
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false } });
  const body = root.querySelector('body') ?? root;
  // Code samples (file formats, commands) are shown as they are typed.
  for (const el of body.querySelectorAll('input[type=hidden], [hidden], code, pre, kbd, samp')) el.remove();
  const extra = body.querySelectorAll('input[placeholder], textarea[placeholder]').map((e) => e.getAttribute('placeholder') ?? '');
  const labels = body.querySelectorAll('[aria-label]').map((e) => e.getAttribute('aria-label') ?? '');
  return [body.textContent, root.querySelector('title')?.textContent ?? '', ...extra, ...labels].join('\n');
}

/** The address pattern of a link (numbers and codes replaced), to visit a few pages of each. */
const pattern = (u: string) => u.replace(/\?.*$/, '').replace(/\/\d+/g, '/:n').replace(/\/(hrb-[a-z]+|harbin)(?=\/|$)/g, '/:code').replace(/\/YSQ[^/]+/g, '/:no');

const SKIP = /\.(docx|pdf|xlsx|json|xml|csv|zip|txt|svg)(\?|$)|^\/(api|assets|attachments)\/|\/logout|\/letters\/|\/files\/|\/export|\/download|large-text/;

describe('no English or internal keys on the pages of the demo city', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2026-06-15T02:00:00Z' });
    await loadDemo(t.ctx, { quiet: true });
  });
  after(async () => t.close());

  async function crawl(b: Browser, starts: string[], perPattern = 2, limit = 400): Promise<{ pages: number; found: string[] }> {
    const seen = new Set<string>();
    const perKind = new Map<string, number>();
    const queue = [...starts];
    const found: string[] = [];
    let pages = 0;
    while (queue.length && pages < limit) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const kind = pattern(url);
      const n = perKind.get(kind) ?? 0;
      if (n >= perPattern) continue;
      perKind.set(kind, n + 1);
      const res = await b.get(url);
      if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
      pages++;
      const words = latinWords(visibleText(res.body));
      if (words.length) found.push(`${url}: ${[...new Set(words)].slice(0, 8).join(', ')}`);
      for (const m of res.body.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (!SKIP.test(href) && !seen.has(href)) queue.push(href);
      }
    }
    return { pages, found };
  }

  test('the portal, anonymous', async () => {
    const { pages, found } = await crawl(t.anonymous(), ['/', '/track', '/accessibility', '/search?q=%E6%97%85%E6%B8%B8', '/office/login']);
    assert.ok(pages > 25, `crawled ${pages} pages`);
    assert.deepEqual(found, []);
  });

  test('the office, as the administrator and as a handler', async () => {
    for (const user of ['admin', 'wglj.handler', 'jiandu']) {
      const b = await t.login(user, DEMO_PASSWORD);
      const { pages, found } = await crawl(b, ['/office', '/office/requests', '/office/items', '/office/reports', '/office/reports/hrb-wglj/2022', '/office/oversight', '/office/audit', '/office/jobs', '/office/oversight/audit'], 2, 250);
      assert.ok(pages > 20, `${user}: crawled ${pages} pages`);
      assert.deepEqual(found, [], user);
    }
  });
});
