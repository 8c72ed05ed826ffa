/**
 * Abuse (issue 8.5, revised by issue 16): login throttled per account and per address and account, lockout after repeated failures with the
 * administrator told on /office and /office/users, sessions revocable by an administrator; the public form's
 * per-applicant daily limit (the per-address limit and the challenge are in test/requests/pages.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueChallenge, solveChallenge } from '../../src/modules/challenge/challenge.service.js';
import { PORTAL_DAILY_LIMIT, filingOrigin } from '../../src/modules/requests/requests.routes.js';
import { submitRequest } from '../../src/modules/requests/requests.service.js';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

describe('abuse: login limits, lockout with notice, session revocation, per-applicant limit', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('city', 'root', 'admin');
    await t.user('env', 'victim', 'editor');
    await t.user('env', 'h1', 'handler');
  });
  after(async () => t?.close());

  const tryLogin = async (username: string, password: string, ip: string) => {
    const b = t.anonymous();
    const csrf = await b.csrf('/office/login');
    return b.request({ method: 'POST', url: '/office/login', remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ username, password, _csrf: csrf }).toString() });
  };

  test('login: an address slowed, not refused; an account throttled across addresses; locked after repeated failures; the administrator is told and can unlock', async () => {
    // Per address: many accounts guessed from one address are slowed (test/security/login.test.ts), never refused.
    for (let i = 0; i < 31; i++) assert.equal((await tryLogin(`nobody${i}`, 'wrong-password-1', '203.0.113.9')).statusCode, 401);
    // Per account: ten failures from ten addresses, then refused for the window at new addresses; twenty lock it.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10; i++) assert.equal((await tryLogin('victim', `wrong-${round}-${i}-x1`, `198.51.100.${round * 10 + i}`)).statusCode, 401);
      const throttled = await tryLogin('victim', 'wrong-again-1', '198.51.100.99');
      assert.equal(throttled.statusCode, 429);
      assert.match(throttled.body, /登录失败次数过多/);
      t.setNow(new Date(t.ctx.now().getTime() + 16 * 60_000).toISOString());
    }
    const locked = await tryLogin('victim', TEST_PASSWORD, '198.51.100.200');
    assert.equal(locked.statusCode, 403);
    assert.match(locked.body, /账号已被临时锁定/);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'user.locked').execute();
    assert.equal(audit.length, 1);

    const admin = await t.login('root');
    const office = await admin.get('/office');
    assert.match(office.body, /账号锁定提醒（1）/);
    assert.match(office.body, /victim/);
    const users = await admin.get('/office/users');
    assert.match(users.body, /账号锁定提醒（1）/);
    assert.match(users.body, /已锁定/);
    // Others are not told.
    const h1 = await t.login('h1');
    assert.doesNotMatch((await h1.get('/office')).body, /账号锁定提醒/);
    const un = await admin.post('/office/users/victim/unlock', {}, { from: '/office/users' });
    assert.equal(un.statusCode, 303);
    assert.equal((await tryLogin('victim', TEST_PASSWORD, '198.51.100.201')).statusCode, 303);
    assert.doesNotMatch((await admin.get('/office')).body, /账号锁定提醒/);
  });

  test('an administrator revokes a person\'s sessions: the next page asks them to sign in', async () => {
    const h1 = await t.login('h1');
    assert.equal((await h1.get('/office/requests')).statusCode, 200);
    const admin = await t.login('root');
    const r = await admin.post('/office/users/h1/revoke-sessions', {}, { from: '/office/users' });
    assert.equal(r.statusCode, 303);
    const after = await h1.get('/office/requests');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/office\/login/);
    // Not an administrator: refused.
    const h1again = await t.login('h1');
    const refused = await h1again.post('/office/users/root/revoke-sessions', {}, { from: '/office' });
    assert.equal(refused.statusCode, 403);
  });

  test(`the public form: the same applicant files at most ${PORTAL_DAILY_LIMIT} requests a day online from one address (test/security/daily-limit.test.ts: not a weapon)`, async () => {
    const form = {
      agency: 'env', applicantKind: 'natural_person', name: '王重复', idType: 'resident_id', idNumber: '11010519491231002X', phone: '13900139000',
      description: '请公开某项政府信息', formWanted: 'electronic', delivery: 'online',
    };
    const file = async (n: number, from: string, extra: Record<string, string> = {}) => {
      const b = t.anonymous();
      const csrf = await b.csrf('/apply');
      const ch = await issueChallenge({ secret: t.config.secret, now: t.ctx.now(), work: 50 });
      return b.request({
        method: 'POST', url: '/apply', remoteAddress: from, headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, subject: `第 ${n} 件`, ...extra, _csrf: csrf, challenge: ch.token, altcha: await solveChallenge(ch) }).toString(),
      });
    };
    // The address's own limit (10 in 10 minutes) would stop the eleventh filing first: the first nine are
    // filed through the service as the form files them (same origin), the tenth and eleventh through the form.
    const origin = filingOrigin(t.config.secret, '192.0.2.1');
    for (let n = 1; n < PORTAL_DAILY_LIMIT; n++) {
      await submitRequest(
        t.ctx,
        { public: 'portal' },
        { agency: 'env', kind: 'disclosure', applicant: { kind: 'natural_person', name: '王重复', idType: 'resident_id', idNumber: '11010519491231002X', phone: '13900139000' }, subject: `第 ${n} 件`, description: '请公开某项政府信息', formWanted: 'electronic', delivery: 'online' },
        { strict: true, accessKey: `k${n}`, perApplicantDailyLimit: PORTAL_DAILY_LIMIT, origin },
      );
    }
    const tenth = await file(PORTAL_DAILY_LIMIT, '192.0.2.1');
    assert.equal(tenth.statusCode, 303, tenth.body.match(/error-text[^>]*>([^<]+)/)?.[1] ?? tenth.body.slice(0, 300));
    const over = await file(PORTAL_DAILY_LIMIT + 1, '192.0.2.1');
    assert.equal(over.statusCode, 429);
    assert.match(over.body, /同一申请人每天在网上提交的申请不能超过/);
    assert.match(over.body, /value="王重复"/); // the input is kept
    // Another applicant at that address is not affected, nor the same applicant elsewhere.
    assert.equal((await file(50, '192.0.2.1', { name: '李不同', idNumber: 'E99999999', idType: 'passport' })).statusCode, 303);
    assert.equal((await file(51, '192.0.2.77')).statusCode, 303);
  });
});

describe('account forms with values of the wrong type', () => {
  test('a password or username that is not a string is refused with a message, never a 500', async () => {
    const t = await buildTestApp();
    try {
      await t.agency('city');
      await t.user('city', 'root', 'admin');
      const root = await t.login('root');
      const csrf = await root.csrf('/office/users');
      const weird = { _csrf: csrf, agency: 'city', username: 'newbie', role: 'editor', password: Array.from({ length: 12 }, (_, i) => `a${i}`) };
      const res = await root.request({ method: 'POST', url: '/office/users', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, payload: JSON.stringify(weird) });
      assert.ok(res.statusCode < 500, `answered ${res.statusCode}`);
      const login = await t.anonymous().request({ method: 'POST', url: '/office/login', headers: { 'content-type': 'application/json', 'x-csrf-token': 'x' }, payload: JSON.stringify({ username: ['root'], password: { a: 1 } }) });
      assert.ok(login.statusCode < 500, `login answered ${login.statusCode}`);
    } finally {
      await t.close();
    }
  });
});
