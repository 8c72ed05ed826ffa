/**
 * Several processes, one site (issue 18): two `gongkai serve` processes on one PostgreSQL schema and one
 * Redis. A withdrawal through one is gone from the other's cached pages within a second (the database
 * announces the commit); a client refused for its rate by one is refused by the other (the counters are in
 * Redis); a challenge spent on one cannot be spent again on the other; with Redis stopped both keep serving,
 * the limits held per process, and the log says so. PostgreSQL only (on SQLite one process serves the site).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createToken, createUser } from '../../src/modules/accounts/accounts.service.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { solvedChallenge } from '../helpers/challenge.js';
import { createTestDb, ENGINE, type TestDb } from '../helpers/db.js';
import type { Served } from '../reliability/server.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jar, startProcesses, startRedis, stopProcesses, type PrivateRedis, scaleSkip } from './cluster.js';

const HARBIN = readFileSync(fileURLToPath(new URL('../../../shared/examples/reports/harbin-wenguanglv-2022.txt', import.meta.url)));

const form = {
  agency: 'env', applicantKind: 'natural_person', name: '李四', idType: 'resident_id', idNumber: '11010519491231002X',
  phone: '13900139000', email: 'ls@example.com', subject: '某河道整治工程验收报告', description: '请公开2024年某河道整治工程的竣工验收报告',
  formWanted: 'electronic', delivery: 'online',
};

// A private Redis is started for the test (redis-server from Debian's package); without it the test cannot run.
const noRedis = spawnSync('redis-server', ['--version']).status !== 0 && 'redis-server not found (apt-get install redis-server)';
if (noRedis && ENGINE === 'postgres' && (process.env.CI === 'true' || process.env.CI === '1')) throw new Error(`the several-processes test cannot run here: ${noRedis}`);

describe('several processes, one site: PostgreSQL + Redis', { skip: scaleSkip((ENGINE !== 'postgres' && 'several processes need PostgreSQL') || noRedis) }, () => {
  let db: TestDb;
  let redis: PrivateRedis;
  let ps: Served[] = [];
  const tokens: Record<string, string> = {};
  before(async () => {
    db = await createTestDb();
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    await createAgency(ctx, { system: 'test' }, { code: 'env', name: '某市生态环境局', kind: 'government', parentCode: null });
    for (const [u, role] of [['ed', 'editor'], ['rev', 'reviewer'], ['appr', 'approver'], ['sup', 'supervisor'], ['adm', 'admin'], ['clerk', 'editor']] as const) {
      await createUser(ctx, { system: 'test' }, { agencyCode: 'env', username: u, role, password: 'Test-passw0rd' });
      tokens[u] = await createToken(ctx, { system: 'test' }, u);
    }
    redis = await startRedis();
    ps = await startProcesses(2, { ...db.env, REDIS_URL: redis.url, GONGKAI_DATA_DIR: mkdtempSync(join(tmpdir(), 'gk-scale-')) });
  });
  after(async () => {
    await stopProcesses(ps);
    await redis?.stop();
    await db?.cleanup();
  });

  const apiCall = async (base: string, user: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${tokens[user]}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('a withdrawal through one process is gone from the other\'s cached page within a second', async () => {
    const [a, b] = ps as [Served, Served];
    const cats = (await apiCall(a.base, 'ed', 'GET', '/api/v1/agencies/env/categories')).body as { id: number }[];
    const d = await apiCall(a.base, 'ed', 'POST', '/api/v1/items', { agency: 'env', title: '关于某河道整治工程的公告', categoryId: cats[0]!.id, generatedOn: '2025-02-27' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const id = d.body.id as number;
    for (const [u, act] of [['ed', { type: 'submit' }], ['rev', { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' }], ['rev', { type: 'approve' }], ['appr', { type: 'sign_off' }]] as const) {
      const r = await apiCall(a.base, u, 'POST', `/api/v1/items/${id}/actions`, act);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // The other process renders the page, then answers it from its cache.
    let page = await fetch(`${b.base}/items/${id}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /关于某河道整治工程的公告/);
    page = await fetch(`${b.base}/items/${id}`);
    assert.equal(page.headers.get('x-page-cache'), 'hit');
    await page.text();

    const w = await apiCall(a.base, 'appr', 'POST', `/api/v1/items/${id}/actions`, { type: 'withdraw', reason: '文号有误，更正后重新发布' });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    const acked = Date.now();
    let gone = -1;
    while (Date.now() - acked < 3000) {
      const r = await fetch(`${b.base}/items/${id}`);
      const text = await r.text();
      if (r.status !== 200 || !text.includes('关于某河道整治工程的公告') || text.includes('已撤回')) {
        gone = Date.now() - acked;
        break;
      }
      await sleep(20);
    }
    console.log(`scale: the withdrawn item left the other process's page ${gone} ms after the acknowledgement`);
    assert.ok(gone >= 0 && gone < 1000, `still shown ${gone < 0 ? 'after 3 s' : `${gone} ms`}`);
  });

  test('a report audit uploaded through one process runs once, in the queue, and its page is served by the other', async () => {
    const [a, b] = ps as [Served, Served];
    const jar = new Jar();
    const loginPage = await (await jar.fetch(`${a.base}/office/login`)).text();
    const login = await jar.post(`${a.base}/office/login`, { username: 'sup', password: 'Test-passw0rd', _csrf: loginPage.match(/name="_csrf" value="([^"]+)"/)![1]! });
    assert.equal(login.status, 303);
    const up = await (await jar.fetch(`${a.base}/office/oversight/audit`)).text();
    const fd = new FormData();
    fd.set('_csrf', up.match(/name="_csrf" value="([^"]+)"/)![1]!);
    fd.append('files', new Blob([HARBIN]), 'harbin.txt');
    const res = await jar.fetch(`${a.base}/office/oversight/audit`, { method: 'POST', body: fd });
    assert.equal(res.status, 303, await res.text());
    const jobUrl = res.headers.get('location')!;
    let body = '';
    for (let i = 0; i < 200; i++) {
      const page = await jar.fetch(`${b.base}${jobUrl}`); // the other process: same session, same job
      assert.equal(page.status, 200);
      body = await page.text();
      if (!body.includes('http-equiv="refresh"')) break;
      assert.match(body, /已审核 \d+ \/ 1/);
      await sleep(100);
    }
    assert.match(body, /报告审核结果/);
    assert.match(body, /共 1 份报告/);
    assert.match(body, /harbin\.txt/);
    const runs = await db.store.db.selectFrom('jobs').select(['attempts', 'state']).where('kind', '=', 'report.audit').execute();
    assert.deepEqual(runs.map((r) => [Number(r.attempts), r.state]), [[1, 'done']]);
  });

  test('sessions revoked through one process are refused by the other at once', async () => {
    const [a, b] = ps as [Served, Served];
    const login = async (base: string, username: string) => {
      const jar = new Jar();
      const page = await (await jar.fetch(`${base}/office/login`)).text();
      const r = await jar.post(`${base}/office/login`, { username, password: 'Test-passw0rd', _csrf: page.match(/name="_csrf" value="([^"]+)"/)![1]! });
      assert.equal(r.status, 303);
      return jar;
    };
    const clerk = await login(b.base, 'clerk');
    assert.equal((await clerk.fetch(`${b.base}/office`)).status, 200);
    const adm = await login(a.base, 'adm');
    const users = await (await adm.fetch(`${a.base}/office/users`)).text();
    const revoke = await adm.post(`${a.base}/office/users/clerk/revoke-sessions`, { _csrf: users.match(/name="_csrf" value="([^"]+)"/)![1]! });
    assert.equal(revoke.status, 303);
    const after = await clerk.fetch(`${b.base}/office`);
    assert.notEqual(after.status, 200, 'the other process still let the revoked session in');
    assert.match(String(after.headers.get('location') ?? (await after.text())), /login|登录/);
  });

  test('a challenge spent on one process is refused on the other', async () => {
    const [a, b] = ps as [Served, Served];
    const jar = new Jar();
    const page = await (await jar.fetch(`${a.base}/apply`)).text();
    const csrf = page.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const ch = await solvedChallenge(page);
    const first = await jar.post(`${a.base}/apply`, { ...form, ...ch, _csrf: csrf, idempotencyKey: 'k'.repeat(20) });
    assert.equal(first.status, 303, await first.text());
    const again = await jar.post(`${b.base}/apply`, { ...form, ...ch, _csrf: csrf, idempotencyKey: 'j'.repeat(20), subject: '另一项申请' });
    assert.equal(again.status, 400);
    assert.match(await again.text(), /该表单已提交过/);
  });

  test('a client refused by one process for its rate is refused by the other; with Redis stopped both serve, limits per process', async () => {
    const [a, b] = ps as [Served, Served];
    // POST /apply allows 10 per 10 minutes per address (this file's earlier posts count too).
    let refusedAt = 0;
    for (let i = 1; i <= 12 && !refusedAt; i++) {
      const r = await fetch(`${a.base}/apply`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      await r.text();
      if (r.status === 429) refusedAt = i;
    }
    assert.ok(refusedAt > 0, 'process A never refused');
    const other = await fetch(`${b.base}/apply`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(other.status, 429, 'process B let through a client that A refused');
    await other.text();

    await redis.stop();
    await sleep(300);
    for (const p of ps) {
      const home = await fetch(`${p.base}/`);
      assert.equal(home.status, 200);
      await home.text();
    }
    // B's own count starts afresh: the limit now holds per process.
    const afterStop = await fetch(`${b.base}/apply`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    await afterStop.text();
    assert.notEqual(afterStop.status, 429);
    assert.notEqual(afterStop.status, 500);
    await sleep(100);
    for (const p of ps) assert.match(p.output(), /共享状态（Redis）不可用：频率限制与一次性令牌暂时只在本进程内生效/);
  });
});
