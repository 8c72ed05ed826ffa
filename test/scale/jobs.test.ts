/**
 * Jobs that run once (issue 18): the site's queue (src/db/queue.ts). On PostgreSQL two pg-boss queues on one
 * schema stand for two processes: a job enqueued twice (once through each) runs once; a job is taken by one
 * worker only; a failed attempt is retried; a job queued while no process worked the queue runs when one
 * starts (it survived the restart). On SQLite the in-process queue keeps the same rules in one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessQueue, PgBossQueue, type JobQueue } from '../../src/db/queue.js';
import { createTestDb, ENGINE, type TestDb } from '../helpers/db.js';
import { scaleSkip } from './cluster.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterStart, defineSiteJobs } from '../../src/jobs/site-jobs.js';
import { actorFor, createUser } from '../../src/modules/accounts/accounts.service.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { findJob, jobFiles, recordJob, requeueUnfinished, shownState } from '../../src/modules/jobs/jobs.service.js';
import { AUDIT_JOB_KIND, getAuditJob, startAudit } from '../../src/modules/oversight/audit.service.js';

const HARBIN = readFileSync(fileURLToPath(new URL('../../../shared/examples/reports/harbin-wenguanglv-2022.txt', import.meta.url)));

const log = { warn: () => {}, error: () => {} };

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

/** The audit job's view once it is done (or after 15 s, for the assertion to say what it became). */
async function auditWhenDone(ctx: Ctx, actor: Parameters<typeof getAuditJob>[1], id: Parameters<typeof getAuditJob>[2]) {
  let job = await getAuditJob(ctx, actor, id);
  for (let i = 0; i < 300 && job.state !== 'done'; i++) {
    await sleep(50);
    job = await getAuditJob(ctx, actor, id);
  }
  return job;
}

describe(`jobs run once, are retried and survive a restart (${ENGINE})`, { skip: scaleSkip(false) }, () => {
  let db: TestDb;
  const queues: JobQueue[] = [];
  before(async () => {
    db = await createTestDb();
  });
  after(async () => {
    for (const q of queues) await q.stop(1000);
    await db?.cleanup();
  });

  const open = (opts: { work?: boolean } = {}): JobQueue => {
    const q = db.config.engine === 'postgres' ? new PgBossQueue(db.config, log, { pollingIntervalSeconds: 0.5, ...opts }) : new InProcessQueue(log);
    queues.push(q);
    return q;
  };

  test('a job enqueued twice runs once; a job is run by one worker only', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const n = ENGINE === 'postgres' ? 2 : 1;
    const qs = Array.from({ length: n }, () => open());
    for (const [i, q] of qs.entries()) {
      q.define('test.once', { once: true, retryLimit: 0 }, async (data) => {
        runs.push(`${i}:${String(data.tag)}`);
        await gate;
      });
      q.define('test.plain', { retryLimit: 0 }, async (data) => {
        runs.push(`${i}:${String(data.tag)}`);
      });
    }
    // Enqueued before the workers start: both sends find the first one waiting.
    const first = await qs[0]!.send('test.once', { tag: 'a' });
    const second = await qs[n - 1]!.send('test.once', { tag: 'b' });
    assert.ok(first);
    assert.equal(second, null, 'the second enqueue of a waiting job was accepted');
    for (const q of qs) await q.start();
    for (let i = 0; i < 6; i++) await qs[i % n]!.send('test.plain', { tag: `p${i}` });
    await until(() => runs.filter((r) => r.includes(':p')).length === 6 && runs.some((r) => r.endsWith(':a')));
    release();
    await sleep(1500); // time for a wrongly duplicated run to show
    assert.equal(runs.filter((r) => /:[ab]$/.test(r)).length, 1, runs.join(' '));
    const plain = runs.filter((r) => r.includes(':p')).map((r) => r.split(':')[1]).sort();
    assert.deepEqual(plain, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  });

  test('a failed attempt is retried', async () => {
    const q = open();
    const attempts: number[] = [];
    q.define('test.flaky', { retryLimit: 2, retryDelaySeconds: 1 }, async (_d, run) => {
      attempts.push(run.retryCount);
      if (run.retryCount === 0) throw new Error('first attempt fails');
    });
    await q.start();
    await q.send('test.flaky', {});
    await until(() => attempts.length === 2);
    await sleep(1500);
    assert.deepEqual(attempts, [0, 1]);
  });

  test('a job still running when its process stops is handed back at once: another process runs it within seconds, not at its expiry', { skip: ENGINE !== 'postgres' && 'pg-boss only; on SQLite a restart queues unfinished jobs again (below)' }, async () => {
    const stopping = open();
    let started = false;
    // A run that does not watch its stop signal (as the search indexing of a province's guides)
    stopping.define('test.stubborn', { retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 900 }, async () => {
      started = true;
      await sleep(30_000, undefined, { ref: false });
    });
    const handedBack: string[] = [];
    stopping.onAbandoned(async (name, _id, data) => void handedBack.push(`${name}:${String(data.tag)}`));
    await stopping.start();
    await stopping.send('test.stubborn', { tag: 'x' });
    await until(() => started);
    const stoppedAt = Date.now();
    await stopping.stop(300);
    assert.deepEqual(handedBack, ['test.stubborn:x']);
    const other = open();
    const ran: string[] = [];
    other.define('test.stubborn', { retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 900 }, async (d, run) => void ran.push(`${String(d.tag)}:${run.retryCount}`));
    await other.start();
    await until(() => ran.length === 1, 20_000);
    assert.deepEqual(ran, ['x:1'], 'taken again as its second attempt');
    assert.ok(Date.now() - stoppedAt < 20_000);
  });

  test('the record of a run handed back at stop says so and is waiting again', { skip: ENGINE !== 'postgres' && 'pg-boss only' }, async () => {
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    const q = open();
    defineSiteJobs(q, ctx, {
      recurring: false,
      extra: [{ name: 'test.hang', cron: '0 0 1 1 *', retryLimit: 2, retryDelaySeconds: 60, run: () => sleep(30_000, undefined, { ref: false }) }],
    });
    await q.start();
    const id = (await q.send('test.hang', {}))!;
    let record = await findJob(ctx, id);
    for (let i = 0; i < 300 && record?.state !== 'running'; i++) {
      await sleep(50);
      record = await findJob(ctx, id);
    }
    assert.equal(record?.state, 'running');
    await q.stop(300);
    const after = (await findJob(ctx, id))!;
    assert.equal(after.state, 'queued');
    assert.equal(after.error, '服务停止，任务中断，已重新排队');
  });

  test('a job queued while no process worked its queue runs when one starts', { skip: ENGINE !== 'postgres' && 'pg-boss only; on SQLite see the next test' }, async () => {
    const idle = open({ work: false });
    idle.define('test.later', {}, async () => {});
    await idle.start();
    const id = await idle.send('test.later', { tag: 'kept' });
    assert.ok(id);
    await idle.stop(1000);
    const ran: string[] = [];
    const q = open();
    q.define('test.later', {}, async (d) => void ran.push(String(d.tag)));
    await q.start();
    await until(() => ran.length === 1);
    assert.deepEqual(ran, ['kept']);
  });

  test('SQLite: an audit job a restart interrupted is queued again at start and runs to its result', { skip: ENGINE !== 'sqlite' && 'pg-boss keeps its own jobs (previous test)' }, async () => {
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    await createAgency(ctx, { system: 'test' }, { code: 'city', name: '某市人民政府', kind: 'government', parentCode: null });
    await createUser(ctx, { system: 'test' }, { agencyCode: 'city', username: 'sup', role: 'supervisor', password: 'Test-passw0rd' });
    const actor = (await actorFor(ctx, (await ctx.db.selectFrom('users').select('id').where('username', '=', 'sup').executeTakeFirstOrThrow()).id))!;
    // The process that accepted the upload died before running it: the record and its files are all there is.
    const dead = { send: async () => null };
    const id = await startAudit(ctx, dead, actor, { files: [{ name: 'harbin.txt', data: HARBIN, truncated: false }], previous: null, documents: 1 });
    assert.equal((await getAuditJob(ctx, actor, id)).state, 'queued');
    const q = open();
    defineSiteJobs(q, ctx, { recurring: false });
    await q.start();
    await afterStart(q, ctx);
    const job = await auditWhenDone(ctx, actor, id);
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal(job.done, 1);
    assert.equal(job.result?.reports.length, 1);
    assert.equal((await jobFiles(ctx, id)).length, 0, 'the uploads are deleted once the job has run');
  });

  test('SQLite: a job a restart interrupted while it ran says so, is queued again and runs to its result', { skip: ENGINE !== 'sqlite' && 'pg-boss takes a dead process\'s job again once it expires' }, async () => {
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    const actor = (await actorFor(ctx, (await ctx.db.selectFrom('users').select('id').where('username', '=', 'sup').executeTakeFirstOrThrow()).id))!;
    const id = await startAudit(ctx, { send: async () => null }, actor, { files: [{ name: 'harbin.txt', data: HARBIN, truncated: false }], previous: null, documents: 1 });
    // The process died half way through its first attempt.
    await ctx.db.updateTable('jobs').set({ state: 'running', attempts: 1, done: 0, worker: 'gone:1', heartbeat_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', id).execute();
    const q = open();
    defineSiteJobs(q, ctx, { recurring: false });
    await requeueUnfinished(ctx, async () => null, new Set([AUDIT_JOB_KIND]));
    const waiting = (await findJob(ctx, id))!;
    assert.equal(waiting.state, 'queued');
    assert.equal(waiting.error, '服务重启，任务中断，已重新排队');
    assert.equal(shownState(waiting, new Date()), 'retrying');
    await q.start();
    await afterStart(q, ctx);
    const job = await auditWhenDone(ctx, actor, id);
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal(job.record?.attempts, 2, 'the interrupted attempt and the one that finished');
  });

  test('a restart within the hour of an indexing run does not index every guide and report again', async () => {
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    const sent: string[] = [];
    const recorder = { kind: 'in-process', send: async (name: string) => (sent.push(name), 'x') } as unknown as JobQueue;
    await ctx.db.deleteFrom('jobs').where('kind', '=', 'search.documents').execute();
    await afterStart(recorder, ctx);
    assert.ok(sent.includes('search.documents'), 'the first start indexes');
    // A run began ten minutes ago and finished.
    await recordJob(ctx, { kind: 'search.documents', id: 'sd-1', retryLimit: 2, data: { trigger: 'start' } });
    await ctx.db.updateTable('jobs').set({ state: 'done', created_at: new Date(Date.now() - 600_000).toISOString() }).where('id', '=', 'sd-1').execute();
    sent.length = 0;
    await afterStart(recorder, ctx);
    assert.deepEqual(sent, ['search.maintenance', 'requests.reminders'], 'the next start leaves it to the hourly run');
    // It failed: the start runs it again. And a run older than an hour does not count.
    await ctx.db.updateTable('jobs').set({ state: 'failed' }).where('id', '=', 'sd-1').execute();
    sent.length = 0;
    await afterStart(recorder, ctx);
    assert.ok(sent.includes('search.documents'));
    await ctx.db.updateTable('jobs').set({ state: 'done', created_at: new Date(Date.now() - 2 * 3600_000).toISOString() }).where('id', '=', 'sd-1').execute();
    sent.length = 0;
    await afterStart(recorder, ctx);
    assert.ok(sent.includes('search.documents'));
  });
});
