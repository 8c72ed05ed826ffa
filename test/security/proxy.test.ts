/**
 * Security probe, finding 4 (spoofed client address), from the attacker's side: with GONGKAI_TRUST_PROXY=1 the
 * left-most X-Forwarded-For was believed, so an attacker behind the proxy chose their own address for every
 * request: per-address limits on /apply and login were bypassed, and they could pick whom to lock out. Now the
 * variable takes a hop count or the proxies' addresses, as Fastify's trustProxy, and only what a trusted proxy
 * wrote is believed.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, trustProxyFrom } from '../../src/config.js';
import type { App } from '../../src/http/types.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import { createUser } from '../../src/modules/accounts/accounts.service.js';
import { buildApp } from '../../src/web/app.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const PROXY = '10.0.0.2';

async function appWith(trust: string): Promise<{ app: App; db: TestDb }> {
  const db = await createTestDb();
  const config = loadConfig({ ...db.env, GONGKAI_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', GONGKAI_TRUST_PROXY: trust });
  const app = await buildApp({ config, store: db.store, now: () => new Date('2025-03-03T02:00:00Z') });
  app.get('/__whoami', async (req) => ({ ip: req.ip, protocol: req.protocol }));
  await app.ready();
  await createAgency(app.ctx, { system: 'test' }, { code: 'city', name: '某市人民政府', kind: 'government', parentCode: null });
  await createUser(app.ctx, { system: 'test' }, { agencyCode: 'city', username: 'victim', role: 'editor', password: TEST_PASSWORD });
  return { app, db };
}

const whoami = async (app: App, from: string, xff?: string, proto?: string) =>
  (
    await app.inject({
      method: 'GET',
      url: '/__whoami',
      remoteAddress: from,
      headers: { ...(xff ? { 'x-forwarded-for': xff } : {}), ...(proto ? { 'x-forwarded-proto': proto } : {}) },
    })
  ).json() as { ip: string; protocol: string };

describe('GONGKAI_TRUST_PROXY: only what a trusted proxy wrote is believed', () => {
  const open: { app: App; db: TestDb }[] = [];
  after(async () => {
    for (const o of open) {
      await o.app.close();
      await o.db.cleanup();
    }
  });

  it('the variable: a hop count, addresses, or off; anything else is a configuration error', () => {
    assert.equal(trustProxyFrom(undefined), false);
    assert.equal(trustProxyFrom('0'), false);
    assert.equal(trustProxyFrom('1'), 1);
    assert.equal(trustProxyFrom('true'), 1);
    assert.equal(trustProxyFrom('2'), 2);
    assert.deepEqual(trustProxyFrom('10.0.0.2, 10.0.1.0/24,loopback'), ['10.0.0.2', '10.0.1.0/24', 'loopback']);
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'nginx']) assert.throws(() => trustProxyFrom(bad), ConfigError, bad);
  });

  it('one hop: a spoofed left-most X-Forwarded-For is ignored; the address the proxy saw is the client', async () => {
    const o = await appWith('1');
    open.push(o);
    assert.deepEqual(await whoami(o.app, PROXY, '1.2.3.4, 198.51.100.7', 'https'), { ip: '198.51.100.7', protocol: 'https' });
    assert.equal((await whoami(o.app, PROXY, '198.51.100.7')).ip, '198.51.100.7');
  });

  it('one hop: guessing a password behind the proxy with a new spoofed address each time is still throttled', async () => {
    const { app } = open[0]!;
    const attempt = async (password: string, spoofed: string) => {
      const page = await app.inject({ method: 'GET', url: '/office/login', remoteAddress: PROXY, headers: { 'x-forwarded-for': `${spoofed}, 198.51.100.7` } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return app.inject({
        method: 'POST',
        url: '/office/login',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': `${spoofed}, 198.51.100.7`, 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ username: 'victim', password, _csrf: csrf }).toString(),
      });
    };
    for (let i = 0; i < 5; i++) assert.equal((await attempt(`guess-${i}-aaaa1`, `203.0.113.${i}`)).statusCode, 401);
    assert.equal((await attempt(TEST_PASSWORD, '203.0.113.99')).statusCode, 429, 'the pair (198.51.100.7, victim) is throttled');
  });

  it('proxy addresses: a request from elsewhere is taken at its socket address, whatever its headers say', async () => {
    const o = await appWith(`${PROXY},10.0.1.0/24`);
    open.push(o);
    assert.equal((await whoami(o.app, PROXY, '198.51.100.7')).ip, '198.51.100.7');
    assert.equal((await whoami(o.app, '10.0.1.9', '198.51.100.8')).ip, '198.51.100.8');
    assert.deepEqual(await whoami(o.app, '203.0.113.5', '1.2.3.4', 'https'), { ip: '203.0.113.5', protocol: 'http' });
    // Two trusted proxies in a row: the client is the first address neither of them is.
    assert.equal((await whoami(o.app, PROXY, '1.2.3.4, 198.51.100.7, 10.0.1.9')).ip, '198.51.100.7');
  });

  it('off: X-Forwarded-For is never believed', async () => {
    const o = await appWith('');
    open.push(o);
    assert.deepEqual(await whoami(o.app, PROXY, '198.51.100.7', 'https'), { ip: PROXY, protocol: 'http' });
  });
});
