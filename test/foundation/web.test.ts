import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

describe('web shell, sessions, CSRF, throttling, isolation between agencies', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('a', { parent: 'city', name: '甲局' });
    await t.agency('b', { parent: 'city', name: '乙局' });
    await t.agency('a1', { parent: 'a', kind: 'township', name: '甲局下属' });
    await t.agency('other', { kind: 'government', name: '另一市人民政府' });
    await t.user('a', 'alice', 'editor');
    await t.user('b', 'bob', 'editor');
    await t.user('city', 'sup', 'supervisor');
    await t.user('city', 'root', 'admin');
  });
  after(async () => t.close());

  test('the portal home is a Chinese page with the security headers', async () => {
    const res = await t.anonymous().get('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /<html lang="zh-CN">/);
    assert.match(res.body, /政府信息公开/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.doesNotMatch(res.headers['content-security-policy'] as string, /script-src[^;]*unsafe-inline/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  test('/healthz and the OpenAPI document', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    assert.equal(h.statusCode, 200);
    assert.equal(h.json().status, 'ok');
    const o = await t.app.inject({ url: '/api/v1/openapi.json' });
    assert.equal(o.statusCode, 200);
    const doc = o.json();
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/api/v1/agencies']);
  });

  test('an unknown page is a Chinese 404; an API 404 is JSON', async () => {
    const p = await t.anonymous().get('/no/such/page');
    assert.equal(p.statusCode, 404);
    assert.match(p.body, /页面不存在/);
    const a = await t.app.inject({ url: '/api/v1/nothing' });
    assert.equal(a.statusCode, 404);
    assert.equal(a.json().error.code, 'not_found');
  });

  test('office pages need a login; the session cookie is http-only and SameSite', async () => {
    const anon = t.anonymous();
    const r = await anon.get('/office/agencies');
    assert.equal(r.statusCode, 303);
    assert.match(r.headers.location as string, /^\/office\/login\?next=/);
    const b = t.anonymous();
    const res = await b.post('/office/login', { username: 'alice', password: 'Test-passw0rd' });
    assert.equal(res.statusCode, 303);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string[]).find((c) => c.startsWith('gk_sid='))!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.equal((await b.get('/office/agencies')).statusCode, 200);
    // logout revokes the session
    await b.post('/office/logout', {}, { from: '/office' });
    assert.equal((await b.get('/office/agencies')).statusCode, 303);
  });

  test('a form post without the CSRF token is refused and changes nothing', async () => {
    const b = await t.login('alice');
    const res = await b.post('/office/agencies/a', { name: '被篡改的名称' }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /防伪令牌/);
    const wrong = await b.post('/office/agencies/a', { name: '被篡改的名称' }, { csrf: 'forged-token-forged-token' });
    assert.equal(wrong.statusCode, 403);
    const page = await b.get('/office/agencies/a');
    assert.match(page.body, /甲局/);
    assert.doesNotMatch(page.body, /被篡改的名称/);
  });

  test('staff of agency A can neither read nor change agency B, in pages or through the API', async () => {
    const alice = await t.login('alice');
    assert.equal((await alice.get('/office/agencies/b')).statusCode, 403);
    const res = await alice.post('/office/agencies/b', { name: '甲改乙', phone: '1' }, { from: '/office/agencies/a' });
    assert.equal(res.statusCode, 403);
    const ok = await alice.post('/office/agencies/a', { name: '甲局', phone: '0451-12345678', postcode: '150001' }, { from: '/office/agencies/a' });
    assert.equal(ok.statusCode, 303);
    const list = await alice.get('/office/agencies');
    assert.match(list.body, /甲局/);
    assert.doesNotMatch(list.body, /乙局/);
    const token = await t.token('alice');
    const audit = await api(t.app, token, 'GET', '/api/v1/audit/verify');
    assert.equal(audit.status, 403);
  });

  test('bad contact input is refused with a message at the field, nothing saved', async () => {
    const alice = await t.login('alice');
    const res = await alice.post('/office/agencies/a', { name: '甲局', postcode: '15', email: 'not-mail' }, { from: '/office/agencies/a' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /邮政编码应为 6 位数字/);
    assert.match(res.body, /电子邮箱格式不正确/);
    assert.match(res.body, /value="not-mail"/); // the input comes back
  });

  test('the supervisor reads its agency and every agency below, and writes nothing', async () => {
    const sup = await t.login('sup');
    for (const code of ['city', 'a', 'b', 'a1']) assert.equal((await sup.get(`/office/agencies/${code}`)).statusCode, 200, code);
    assert.equal((await sup.get('/office/agencies/other')).statusCode, 403);
    const page = await sup.get('/office/agencies/a');
    assert.doesNotMatch(page.body, /<form method="post" action="\/office\/agencies\/a"/);
    const w = await sup.post('/office/agencies/a', { name: '监督改名' }, { from: '/office/agencies/a' });
    assert.equal(w.statusCode, 403);
    const u = await sup.post('/office/users', { agency: 'a', username: 'x9', role: 'editor', password: 'Abcdefgh123' }, { from: '/office/agencies/a' });
    assert.equal(u.statusCode, 403);
  });

  test('repeated wrong passwords are throttled, and the account locks after more', async () => {
    await t.user('a', 'carol', 'handler');
    const b = t.anonymous();
    for (let i = 0; i < 5; i++) {
      const r = await b.post('/office/login', { username: 'carol', password: 'wrong-password-1' });
      assert.equal(r.statusCode, 401);
      assert.match(r.body, /用户名或密码不正确/);
    }
    const throttled = await b.post('/office/login', { username: 'carol', password: 'Test-passw0rd' });
    assert.equal(throttled.statusCode, 429);
    assert.match(throttled.body, /登录失败次数过多/);
    // after the window, the right password works again
    t.setNow('2025-03-03T03:00:00Z');
    const ok = await b.post('/office/login', { username: 'carol', password: 'Test-passw0rd' });
    assert.equal(ok.statusCode, 303);
  });

  test('an administrator can revoke a user\'s sessions', async () => {
    const bob = await t.login('bob');
    assert.equal((await bob.get('/office/agencies/b')).statusCode, 200);
    const root = await t.login('root');
    const r = await root.post('/office/users/bob/revoke-sessions', {}, { from: '/office/users' });
    assert.equal(r.statusCode, 303);
    assert.equal((await bob.get('/office/agencies/b')).statusCode, 303);
  });

  test('API tokens: a wrong token is refused; the agencies API lists the hierarchy', async () => {
    const bad = await api(t.app, 'gk_wrong', 'GET', '/api/v1/agencies');
    assert.equal(bad.status, 401);
    const token = await t.token('alice');
    const ok = await api(t.app, token, 'GET', '/api/v1/agencies');
    assert.equal(ok.status, 200);
    assert.ok(ok.body.some((a: { code: string; parent: string }) => a.code === 'a1' && a.parent === 'a'));
  });
});
