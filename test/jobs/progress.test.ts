/**
 * Jobs show their progress (issue 18 part 2): a batch audit's job page shows how far it has come, then its
 * result; a failed job shows its error in Chinese and can be retried; the progress one app instance writes is
 * what another instance on the same database shows (pages and GET /api/v1/jobs/:id); a report's computation
 * started from its page shows there; the new pages carry no English.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'node-html-parser';
import { openStore } from '../../src/db/open.js';
import type { JobRun } from '../../src/db/queue.js';
import type { App } from '../../src/http/types.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import type { Actor } from '../../src/modules/context.js';
import { runTracked, type JobProgress } from '../../src/modules/jobs/jobs.service.js';
import { AUDIT_JOB_KIND, auditJobWork, startAudit } from '../../src/modules/oversight/audit.service.js';
import { startReportBuild } from '../../src/modules/reports/reports.service.js';
import { buildApp } from '../../src/web/app.js';
import { api, Browser, buildTestApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

const HARBIN = readFileSync(fileURLToPath(new URL('../../../shared/examples/reports/harbin-wenguanglv-2022.txt', import.meta.url)));
/** A queue that accepts and never runs (the process that would run the job is another, or dead). */
const elsewhere = { send: async () => null };
const run = (over: Partial<JobRun> = {}): JobRun => ({ id: 'unused', retryCount: 0, retryLimit: 0, signal: new AbortController().signal, ...over });

/** Latin words in the visible text of a page (the few people read as they are allowed). */
function english(html: string): string[] {
  const root = parse(html, { blockTextElements: { script: false, style: false } });
  const body = root.querySelector('body')!;
  for (const el of body.querySelectorAll('input[type=hidden]')) el.remove();
  const text = [body.textContent, ...body.querySelectorAll('[aria-label]').map((e) => e.getAttribute('aria-label') ?? '')].join('\n');
  // Values Latin by nature: paths, file names' extensions, the test accounts' names, the software's name.
  const values = text.replace(/\/[\w/:.?=&%-]*/g, ' ').replace(/\.(txt|pdf|docx|zip)\b/g, ' ').replace(/\b(sup|hd|adm|gongkai)\b/g, ' ');
  return (values.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['PDF', 'DOCX', 'CSV', 'JSON', 'ZIP', 'HTML'].includes(w));
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe(`jobs show their progress on their pages (${ENGINE})`, () => {
  let t: TestApp;
  let supActor: Actor;
  let sup: Browser;
  let hd: Browser;
  let other: App;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('city', 'sup2', 'supervisor');
    await t.user('city', 'adm', 'admin');
    await t.user('bureau', 'hd', 'handler');
    const id = (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'sup').executeTakeFirstOrThrow()).id;
    supActor = (await actorFor(t.ctx, id))!;
    sup = await t.login('sup');
    hd = await t.login('hd');
    // A second instance of the site on the same database (another process of a deployment): its own pool.
    const store = await openStore(t.db.config);
    other = await buildApp({ config: t.config, store, now: () => t.ctx.now() });
    await other.ready();
  });
  after(async () => {
    await other?.close();
    await t?.close();
  });

  test("a batch audit's job page shows its progress, then its result", async () => {
    const id = await startAudit(t.ctx, elsewhere, supActor, {
      files: [{ name: '甲.txt', data: HARBIN, truncated: false }, { name: '乙.txt', data: HARBIN, truncated: false }],
      previous: null,
      documents: 2,
    });
    const page = `/office/jobs/${id}`;
    const waiting = await sup.get(page);
    assert.equal(waiting.statusCode, 200);
    assert.match(waiting.body, /排队中/);
    assert.match(waiting.body, /<progress max="2" value="0"/);
    assert.equal(waiting.headers.refresh, '2');
    assert.match(waiting.body, /<meta http-equiv="refresh" content="2"/);

    // The job's own code reports: the first document done, then it waits (a long audit, seen half way).
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reporter!: JobProgress;
    const running = runTracked(t.ctx, AUDIT_JOB_KIND, { jobId: id }, run({ retryLimit: 2 }), async (job, progress) => {
      reporter = progress;
      progress.total(2);
      progress.update(1, '甲.txt');
      await gate;
      return auditJobWork(t.ctx, job.id, progress, new AbortController().signal);
    });
    const half = await until('half way', () => sup.get(page), (r) => r.body.includes('1 / 2（50%）'));
    assert.match(half.body, /进行中/);
    assert.match(half.body, /<progress max="2" value="1"/);
    assert.match(half.body, /刚完成：甲\.txt/);
    assert.match(half.body, /开始时间/);
    assert.match(half.body, /2025-03-03 10:00:00/, 'times in Beijing time');
    const auditPage = await sup.get(`/office/oversight/audit/${id}`);
    assert.match(auditPage.body, /进行中<\/strong>：已审核 1 \/ 2/);
    assert.deepEqual(english(half.body), []);
    // The jobs page lists it, running, with its progress bar.
    const list = await sup.get('/office/jobs');
    assert.match(list.body, new RegExp(`data-job="${id}"[\\s\\S]*?报告审核（批量）[\\s\\S]*?2 份报告[\\s\\S]*?进行中[\\s\\S]*?<progress max="2" value="1"`));
    assert.deepEqual(english(list.body), []);
    assert.ok(reporter);

    release();
    await running;
    const done = await sup.get(page);
    assert.match(done.body, /已完成/);
    assert.doesNotMatch(done.body, /http-equiv="refresh"/);
    assert.equal(done.headers.refresh, undefined);
    assert.match(done.body, new RegExp(`<a class="button" href="/office/oversight/audit/${id}">查看结果</a>`));
    const result = await sup.get(`/office/oversight/audit/${id}`);
    assert.match(result.body, /报告审核结果/);
    assert.match(result.body, /summary\.csv/);
    // Only its owner and an admin see it.
    assert.equal((await (await t.login('sup2')).get(page)).statusCode, 403);
    assert.equal((await (await t.login('adm')).get(page)).statusCode, 200);
  });

  test('a failed job shows its error in Chinese, and is retried from its page', async () => {
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'hd').executeTakeFirstOrThrow()).id))!;
    const id = await startReportBuild(t.ctx, elsewhere, actor, 'bureau', 2024);
    // Its one attempt fails with an internal error (in English, as a driver says it): never shown as such.
    await assert.rejects(
      runTracked(t.ctx, 'report.build', { jobId: id }, run(), async () => {
        throw new Error('connection terminated unexpectedly');
      }),
    );
    const page = `/office/jobs/${id}`;
    const failed = await hd.get(page);
    assert.equal(failed.statusCode, 200);
    assert.match(failed.body, /失败/);
    assert.match(failed.body, /年度报告生成未能完成：内部错误（详情已写入服务日志）/);
    assert.doesNotMatch(failed.body, /connection terminated/);
    assert.match(failed.body, new RegExp(`<form method="post" action="/office/jobs/${id}/retry"`));
    assert.deepEqual(english(failed.body), []);
    // The report's page shows the failed computation when asked with its id.
    const reportPage = await hd.get(`/office/reports/bureau/2024?job=${id}`);
    assert.match(reportPage.body, /按最新记录生成报告/);
    assert.match(reportPage.body, /年度报告生成未能完成/);

    // Retried: queued again, the site's queue runs it to its end, the page links to the report.
    const retry = await hd.post(`${page}/retry`, {}, { from: page });
    assert.equal(retry.statusCode, 303);
    const done = await until('the retried job', () => hd.get(page), (r) => r.body.includes('查看结果'));
    assert.match(done.body, /已完成/);
    assert.match(done.body, /<a class="button" href="\/office\/reports\/bureau\/2024">查看结果<\/a>/);
    assert.match(done.body, /尝试次数<\/dt><dd>2/);
    assert.match((await hd.get('/office/reports/bureau/2024')).body, /最近生成：/);
    // A job that did not fail is not retried.
    const again = await hd.post(`${page}/retry`, {}, { from: page });
    assert.equal(again.statusCode, 409);
  });

  test("a report's computation started from its page answers with the report, or shows its progress there", async () => {
    const page = '/office/reports/bureau/2024';
    const res = await hd.post(`${page}/build`, {}, { from: page });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /notice=/, 'a short computation answers at once');
    // One started elsewhere (another process's queue) and still running: the report page shows it.
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'hd').executeTakeFirstOrThrow()).id))!;
    const id = await startReportBuild(t.ctx, elsewhere, actor, 'bureau', 2024);
    const shown = await hd.get(page);
    assert.match(shown.body, new RegExp(`data-job="${id}"`));
    assert.match(shown.body, /排队中/);
    assert.match(shown.body, /<progress max="15" value="0"/);
    assert.equal(shown.headers.refresh, '2');
    assert.doesNotMatch(shown.body, /action="\/office\/reports\/bureau\/2024\/build"/, 'no second computation while one runs');
    // Asked again, the same computation is answered (one at a time per report).
    const second = await hd.post(`${page}/build`, {}, { from: '/office/reports' });
    assert.equal(second.statusCode, 303);
    assert.equal(String(second.headers.location), `${page}?job=${id}`);
    // Run it (as the queue would) and the panel says it is done.
    const { runReportBuild } = await import('../../src/modules/reports/reports.service.js');
    await runReportBuild(t.ctx, { jobId: id }, run());
    const after = await hd.get(`${page}?job=${id}`);
    assert.match(after.body, /已完成/);
    assert.equal(after.headers.refresh, undefined);
  });

  test('the progress one instance writes is what another instance shows, in its pages and its API', async () => {
    const id = await startAudit(t.ctx, elsewhere, supActor, { files: [{ name: '丙.txt', data: HARBIN, truncated: false }], previous: null, documents: 3 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = runTracked(t.ctx, AUDIT_JOB_KIND, { jobId: id }, run(), async (_job, progress) => {
      progress.total(3);
      progress.update(2, '丙.txt');
      await gate;
      progress.update(3);
      return { reports: [] };
    });
    // Through the other instance: log in there (sessions are in the database), read the page and the API.
    const there = new Browser(other);
    const login = await there.post('/office/login', { username: 'sup', password: 'Test-passw0rd' });
    assert.equal(login.statusCode, 303);
    const seen = await until('the progress through the other instance', () => there.get(`/office/jobs/${id}`), (r) => r.body.includes('2 / 3（66%）'));
    assert.match(seen.body, /进行中/);
    const token = await t.token('sup');
    const json = await until('the API', () => api(other, token, 'GET', `/api/v1/jobs/${id}`), (r) => r.body?.done === 2);
    assert.equal(json.status, 200);
    assert.equal(json.body.state, 'running');
    assert.equal(json.body.stateLabel, '进行中');
    assert.equal(json.body.total, 3);
    assert.equal(json.body.percent, 66);
    assert.equal(json.body.kindLabel, '报告审核（批量）');
    assert.equal(json.body.resultUrl, null);
    release();
    await running;
    const done = await api(other, token, 'GET', `/api/v1/jobs/${id}`);
    assert.equal(done.body.state, 'done');
    assert.equal(done.body.percent, 100);
    assert.equal(done.body.resultUrl, `/office/oversight/audit/${id}`);
    assert.equal((await api(other, token, 'GET', '/api/v1/jobs/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await api(other, await t.token('hd'), 'GET', `/api/v1/jobs/${id}`)).status, 403);
    const spec = (await other.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.equal(spec.paths['/api/v1/jobs/{id}'].get.operationId, 'getJob');
    assert.ok(spec.paths['/api/v1/jobs/{id}'].get.responses['404']);
  });

  test('a run its process stopped answering for shows as interrupted, waiting for the queue', async () => {
    const id = await startAudit(t.ctx, elsewhere, supActor, { files: [{ name: '丁.txt', data: HARBIN, truncated: false }], previous: null, documents: 1 });
    await t.ctx.db.updateTable('jobs').set({ state: 'running', attempts: 1, worker: 'gone:1', heartbeat_at: '2025-03-03T01:58:00.000Z', started_at: '2025-03-03T01:58:00.000Z' }).where('id', '=', id).execute();
    const res = await sup.get(`/office/jobs/${id}`);
    assert.match(res.body, /重试中/);
    assert.match(res.body, /已停止响应/);
    const token = await t.token('sup');
    const json = await api(t.app, token, 'GET', `/api/v1/jobs/${id}`);
    assert.equal(json.body.interrupted, true);
    assert.equal(json.body.state, 'retrying');
  });
});
