import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { importItems, type SourceRow } from '../../src/modules/disclosure/import.service.js';

async function* rows(records: Record<string, unknown>[]): AsyncGenerator<SourceRow> {
  let line = 1;
  for (const record of records) yield { line: line++, record };
}

describe('rendered-page cache for anonymous portal readers', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-06-02T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府', kind: 'government' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('city', 'root', 'admin');
    await importItems(t.ctx, { system: 'test' }, 'edu', rows([
      { title: '某市教育局关于2025年义务教育招生入学工作的通知', category: '政策文件', publishedOn: '2025-05-20', body: '招生工作坚持公开、公平、公正。' },
    ]), { file: 'test.jsonl' });
  });
  after(async () => t.close());

  test('a second anonymous read is served from the cache: same body, ETag, no cookie; 304 on If-None-Match', async () => {
    const first = await t.app.inject({ url: '/agencies' });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-page-cache'], undefined);
    assert.equal(first.headers['set-cookie'], undefined, 'a page without a form sets no cookie');
    const second = await t.app.inject({ url: '/agencies' });
    assert.equal(second.statusCode, 200);
    assert.equal(second.headers['x-page-cache'], 'hit');
    assert.equal(second.body, first.body);
    assert.equal(second.headers.etag, first.headers.etag);
    assert.equal(second.headers['set-cookie'], undefined);
    assert.match(second.headers['content-security-policy'] as string, /default-src 'self'/);
    const gz = await t.app.inject({ url: '/agencies', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString('utf8'), first.body);
    const notModified = await t.app.inject({ url: '/agencies', headers: { 'if-none-match': first.headers.etag as string } });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');
  });

  test('a page with a form gets the reader its own CSRF cookie and is never shared', async () => {
    const a = await t.app.inject({ url: '/apply' });
    const b = await t.app.inject({ url: '/apply' });
    assert.equal(a.statusCode, 200);
    assert.equal(b.headers['x-page-cache'], undefined);
    const tokenOf = (body: string) => body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(tokenOf(a.body));
    assert.notEqual(tokenOf(a.body), tokenOf(b.body));
    const cookie = ([] as string[]).concat(a.headers['set-cookie'] as string[]).find((c) => c.startsWith('gk_csrf='));
    assert.ok(cookie, 'the form page sets the double-submit cookie');
    assert.equal(cookie!.slice('gk_csrf='.length).split(';')[0], tokenOf(a.body));
  });

  test('an import (an audited change) is visible on the next read', async () => {
    await t.app.inject({ url: '/' });
    assert.equal((await t.app.inject({ url: '/' })).headers['x-page-cache'], 'hit');
    await importItems(t.ctx, { system: 'test' }, 'edu', rows([
      { title: '某市教育局关于做好2025年暑期安全工作的通知', category: '政策文件', publishedOn: '2025-06-01', body: '暑期安全。' },
    ]), { file: 'test2.jsonl' });
    const after = await t.app.inject({ url: '/' });
    assert.equal(after.headers['x-page-cache'], undefined);
    assert.match(after.body, /暑期安全工作的通知/);
  });

  test('a staff edit through the office is visible on the next anonymous read', async () => {
    await t.app.inject({ url: '/agencies' });
    assert.equal((await t.app.inject({ url: '/agencies' })).headers['x-page-cache'], 'hit');
    const b = await t.login('root');
    const res = await b.post('/office/agencies/edu', { name: '某市教育体育局' }, { from: '/office/agencies/edu' });
    assert.equal(res.statusCode, 303);
    const page = await t.app.inject({ url: '/agencies' });
    assert.match(page.body, /某市教育体育局/);
  });

  test('signed-in readers and 长者模式 are never given the anonymous page', async () => {
    await t.app.inject({ url: '/accessibility' });
    assert.equal((await t.app.inject({ url: '/accessibility' })).headers['x-page-cache'], 'hit');
    const b = await t.login('root');
    const staff = await b.get('/accessibility');
    assert.equal(staff.statusCode, 200);
    assert.equal(staff.headers['x-page-cache'], undefined);
    const large = await t.app.inject({ url: '/accessibility', headers: { cookie: 'gk_large=1' } });
    assert.equal(large.headers['x-page-cache'], undefined);
    assert.match(large.body, /large-text/);
    const normal = await t.app.inject({ url: '/accessibility' });
    assert.doesNotMatch(normal.body, /<body class="[^"]*large-text/);
  });

  test('readers arriving together at a page that is not cached cost one render; form pages stay their own', async () => {
    const url = '/search?q=%E6%95%99%E8%82%B2&together=1';
    const search = await Promise.all(Array.from({ length: 12 }, () => t.app.inject({ url })));
    assert.ok(search.every((r) => r.statusCode === 200));
    // Without one render per page at a time, all twelve miss (each starts the same search).
    assert.equal(search.filter((r) => r.headers['x-page-cache'] === undefined).length, 1, 'one render for twelve concurrent readers');
    assert.ok(search.every((r) => r.body === search[0]!.body));
    // /apply carries each reader's own CSRF token: never stored, every reader gets a form of their own.
    await t.app.inject({ url: '/apply?together=1' });
    const forms = await Promise.all(Array.from({ length: 4 }, () => t.app.inject({ url: '/apply?together=1' })));
    assert.ok(forms.every((r) => r.statusCode === 200 && r.headers['x-page-cache'] === undefined));
    assert.equal(new Set(forms.map((r) => r.body.match(/name="_csrf" value="([^"]+)"/)?.[1])).size, 4);
  });

  test('over a real socket, a hit is answered before Fastify with the same bytes and headers', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address() as { port: number };
    const url = `http://127.0.0.1:${addr.port}/agencies?fast=1`;
    const first = await fetch(url);
    const firstBody = await first.text();
    assert.equal(first.headers.get('x-page-cache'), null);
    const second = await fetch(url);
    assert.equal(second.headers.get('x-page-cache'), 'hit');
    assert.equal(await second.text(), firstBody);
    for (const h of ['content-security-policy', 'x-frame-options', 'etag', 'cache-control', 'content-type']) assert.equal(second.headers.get(h), first.headers.get(h), h);
    const notModified = await fetch(url, { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(notModified.status, 304);
    // A signed-in reader always goes to the application (and gets the page rendered for them).
    const b = await t.login('root');
    const withSession = await fetch(url, { headers: { cookie: `gk_sid=${b.cookies.get('gk_sid')}` } });
    assert.equal(withSession.status, 200);
    assert.equal(withSession.headers.get('x-page-cache'), null);
  });
});
