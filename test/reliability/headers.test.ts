/**
 * Headers and secrets (issue 8.7) and personal data out of logs (8.4): CSP without inline scripts and no
 * inline script on the pages, HSTS and Secure cookies only over TLS (behind a trusted proxy), the server's
 * log of a submission carries neither the applicant's ID number nor phone nor the private-link key, the
 * audit log holds none, and the repository holds no secret.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import { createUser } from '../../src/modules/accounts/accounts.service.js';
import { issueChallenge, solveChallenge } from '../../src/modules/challenge/challenge.service.js';
import { loggerOptions } from '../../src/server.js';
import { buildApp } from '../../src/web/app.js';
import type { App } from '../../src/http/types.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const ID = '11010519491231002X';
const PHONE = '13912345678';

describe('headers, cookies over TLS, logs without personal data, no secrets in the repository', () => {
  let db: TestDb;
  let app: App;
  let log = '';
  before(async () => {
    db = await createTestDb();
    const config = loadConfig({ ...db.env, GONGKAI_SECRET: 'k'.repeat(40), GONGKAI_TRUST_PROXY: '1', LOG_LEVEL: 'info' });
    const stream = new Writable({ write(chunk, _enc, cb) { log += String(chunk); cb(); } });
    app = await buildApp({ config, store: db.store, now: () => new Date('2025-03-03T02:00:00Z'), logger: { ...loggerOptions('info'), stream } as never });
    await app.ready();
    await createAgency(app.ctx, { system: 'test' }, { code: 'env', name: '某市生态环境局', kind: 'government', parentCode: null });
    await createUser(app.ctx, { system: 'test' }, { agencyCode: 'env', username: 'h1', role: 'handler', password: 'Test-passw0rd' });
  });
  after(async () => {
    await app?.close();
    await db?.cleanup();
  });

  test('CSP forbids inline scripts; the pages have none; HSTS and Secure cookies only over TLS', async () => {
    for (const url of ['/', '/apply', '/office/login', '/search?q=%E6%8A%A5%E5%91%8A', '/track', '/nope']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
      assert.equal(scriptSrc.trim(), "'self'", url);
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
      for (const tag of res.body.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="\/assets\/[a-z0-9-]+\.js"/, `inline script on ${url}: ${tag}`);
      assert.doesNotMatch(res.body, /\son[a-z]+="/i, `inline event handler on ${url}`);
    }
    const tls = await app.inject({ method: 'GET', url: '/office/login', headers: { 'x-forwarded-proto': 'https', accept: 'text/html' } });
    assert.match(String(tls.headers['strict-transport-security']), /max-age=\d{7,}/);
    const csrfCookie = (tls.cookies as { name: string; secure?: boolean; httpOnly?: boolean }[]).find((c) => c.name === 'gk_csrf');
    assert.equal(csrfCookie?.secure, true);
    assert.equal(csrfCookie?.httpOnly, true);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(tls.body)![1]!;
    const login = await app.inject({
      method: 'POST', url: '/office/login', headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', cookie: `gk_csrf=${csrfCookie!.name === 'gk_csrf' ? (tls.cookies as { name: string; value: string }[]).find((c) => c.name === 'gk_csrf')!.value : ''}` },
      payload: new URLSearchParams({ username: 'h1', password: 'Test-passw0rd', _csrf: csrf }).toString(),
    });
    assert.equal(login.statusCode, 303);
    const sid = (login.cookies as { name: string; secure?: boolean; httpOnly?: boolean; sameSite?: string }[]).find((c) => c.name === 'gk_sid');
    assert.equal(sid?.secure, true);
    assert.equal(sid?.httpOnly, true);
    assert.equal(sid?.sameSite, 'Lax');
    const plain = await app.inject({ method: 'GET', url: '/office/login' });
    assert.equal((plain.cookies as { name: string; secure?: boolean }[]).find((c) => c.name === 'gk_csrf')?.secure, undefined);
  });

  test('a submission with an ID number and a phone: neither reaches the log nor the audit log; the private-link key is not logged', async () => {
    log = '';
    const page = await app.inject({ method: 'GET', url: '/apply', headers: { accept: 'text/html' } });
    const cookie = (page.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const ch = await issueChallenge({ secret: app.config.secret, now: app.ctx.now(), work: 50 });
    const res = await app.inject({
      method: 'POST', url: '/apply', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, accept: 'text/html' },
      payload: new URLSearchParams({
        _csrf: csrf, challenge: ch.token, altcha: await solveChallenge(ch), agency: 'env', applicantKind: 'natural_person', name: '赵日志', idType: 'resident_id', idNumber: ID,
        phone: PHONE, address: '某市某区日志路1号', subject: '日志测试', description: '日志测试申请', formWanted: 'electronic', delivery: 'online',
      }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const key = /key=([^&]+)/.exec(String(res.headers.location))![1]!;
    await app.inject({ method: 'GET', url: String(res.headers.location), headers: { accept: 'text/html' } });
    // Also a failing submission (validation) and an unhandled path.
    await app.inject({ method: 'POST', url: '/apply', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: `_csrf=${csrf}&idNumber=${ID}&phone=${PHONE}` });
    assert.ok(log.includes('"url":"/apply"'), 'the log records requests');
    for (const secret of [ID, PHONE, '某市某区日志路1号', key, csrf, app.config.secret]) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 6)}…`);
    assert.match(log, /key=\[redacted\]/);
    const audit = await db.store.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(audit);
    assert.ok(text.includes('request.submit'));
    for (const secret of [ID, PHONE, '某市某区日志路1号']) assert.ok(!text.includes(secret), 'the audit log holds personal data');
  });

  test('no secret in the repository', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => f && !f.startsWith('node_modules/') && !/\.(png|jpe?g|gif|woff2?|ttf|otf|pdf|docx|xlsx|db)$/i.test(f));
    const patterns = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bgk_[A-Za-z0-9_-]{30,}\b/, /AKIA[0-9A-Z]{16}/, /postgres:\/\/[^:@\s]+:[^@\s]+@/, /GONGKAI_SECRET=[^\s'"`]{20,}/];
    const found: string[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(`${root}/${f}`, 'utf8');
      } catch {
        continue;
      }
      for (const p of patterns) if (p.test(text)) found.push(`${f}: ${p}`);
    }
    assert.ok(files.length > 50);
    assert.deepEqual(found, []);
    const ignored = readFileSync(`${root}/.gitignore`, 'utf8');
    assert.match(ignored, /data/); // the data directory (secret.key, databases) is not committed
  });
});
