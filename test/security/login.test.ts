/**
 * Security probe, findings 3 and 5, from the attacker's side:
 * - 30 failed logins under made-up names from one address used to block every account from that address for
 *   15 minutes (429 for a correct password); now the address is slowed, and a valid account there signs in;
 * - failures are throttled per (address, account) and per account; the person at an address they have signed in
 *   from before is not shut out by someone guessing elsewhere;
 * - a wrong password cost 117 ms for an existing name and 12.8 ms for an unknown one; now both do the same
 *   password-hash work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOGIN_POLICY } from '../../src/modules/accounts/accounts.service.js';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

describe('login cannot be turned into a lockout, and does not tell which names exist', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.user('city', 'clerk', 'editor');
    await t.user('city', 'victim', 'editor');
    await t.user('city', 'timing', 'editor');
  });
  after(async () => t?.close());

  const tryLogin = async (username: string, password: string, ip: string) => {
    const b = t.anonymous();
    const csrf = await b.csrf('/office/login');
    const t0 = performance.now();
    const res = await b.request({
      method: 'POST',
      url: '/office/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
    });
    return { status: res.statusCode, body: res.body, ms: performance.now() - t0 };
  };

  it('30 failures under made-up names from one address: the next attempts there are slowed, and a valid account still signs in', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < LOGIN_POLICY.maxPerIp; i++) assert.equal((await tryLogin(`made-up-${i}`, 'Wrong-passw0rd', ip)).status, 401);
    const ok = await tryLogin('clerk', TEST_PASSWORD, ip);
    assert.equal(ok.status, 303, 'a correct password from that address is not refused');
    assert.ok(ok.ms >= LOGIN_POLICY.slowMs * 0.95, `the address is slowed (${ok.ms.toFixed(0)} ms)`);
    const another = await tryLogin('made-up-x', 'Wrong-passw0rd', ip);
    assert.equal(another.status, 401, 'still answered, never 429 for the address as a whole');
    const elsewhere = await tryLogin('clerk', TEST_PASSWORD, '203.0.113.51');
    assert.ok(elsewhere.ms < LOGIN_POLICY.slowMs, 'other addresses are not slowed');
  });

  it('per (address, account): five failures refuse that pair, even the right password; the owner at a known address signs in', async () => {
    assert.equal((await tryLogin('victim', TEST_PASSWORD, '10.1.2.3')).status, 303, 'the owner signs in at the office once');
    const attacker = '198.51.100.66';
    for (let i = 0; i < LOGIN_POLICY.maxPerAddressAccount; i++) assert.equal((await tryLogin('victim', `guess-${i}-aaaa1`, attacker)).status, 401);
    const refused = await tryLogin('victim', TEST_PASSWORD, attacker);
    assert.equal(refused.status, 429);
    assert.match(refused.body, /登录失败次数过多/);
    assert.equal((await tryLogin('victim', TEST_PASSWORD, '10.1.2.3')).status, 303, 'the owner is not shut out');
    assert.equal((await tryLogin('victim', TEST_PASSWORD, '10.9.9.9')).status, 303, 'nor at a new address: one attacking address is not enough');
  });

  it('per account: failures from many addresses refuse new addresses, but not the address the owner signs in from', async () => {
    await t.user('city', 'target', 'editor');
    assert.equal((await tryLogin('target', TEST_PASSWORD, '10.1.2.4')).status, 303);
    for (let i = 0; i < LOGIN_POLICY.maxPerUser; i++) assert.equal((await tryLogin('target', `guess-${i}-bbbb1`, `192.0.2.${i + 1}`)).status, 401);
    assert.equal((await tryLogin('target', TEST_PASSWORD, '192.0.2.200')).status, 429, 'a new address is refused for the window');
    assert.equal((await tryLogin('target', TEST_PASSWORD, '10.1.2.4')).status, 303, 'the known address signs in');
  });

  it('a wrong password takes as long for a name that does not exist as for one that does (same hash work)', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push((await tryLogin('timing', 'Wrong-passw0rd', `172.16.0.${i + 1}`)).ms);
      unknown.push((await tryLogin(`nobody-${i}`, 'Wrong-passw0rd', `172.16.1.${i + 1}`)).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const k = median(known);
    const u = median(unknown);
    // Before: 117 ms against 12.8 ms (a ratio of 9). The hash dominates both now.
    assert.ok(u > k * 0.6 && u < k * 1.6, `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
  });
});
