/**
 * The site's background jobs, in one list: what runs in the queue (src/db/queue.ts: pg-boss on PostgreSQL,
 * once across all processes, retried, surviving restarts; in-process on SQLite) and when.
 *
 * TO ADD A RECURRING JOB (a reminders sweep, the year's report computations): write the use case in its
 * module (it takes the Ctx and does its work in its own transactions; it must be safe to run again after a
 * failure, since a failed run is retried), then add one entry to RECURRING below:
 *
 *   { name: 'reports.precompute', cron: '0 2 * * *', once: true, run: (ctx, _job, progress) => precomputeReports(ctx, progress) },
 *
 * Every run of every job has a record (src/modules/jobs) that the office's jobs page (/office/jobs) and
 * GET /api/v1/jobs/:id show from any process: `progress` (total, step, update) is how the job says how far it
 * has come; a failure's message is shown in Chinese (an AppError's, or a generic one); give the kind its
 * Chinese name in jobs.service JOB_KIND_LABELS.
 *
 * `name` is the queue's name (letters, digits, dots); `cron` has five fields in Beijing time ('0 2 * * *':
 * every day at 02:00); `once` keeps a second occurrence from queueing while one waits. Nothing else is
 * needed: every `gongkai serve` defines the queue and works it, and the occurrence is queued once per site.
 * A one-off job with a page of its own (like the report audit) keeps its record with src/modules/jobs.
 */
import { refreshPlannerStatistics } from '../db/optimize.js';
import type { JobQueue, JobRun, QueueDefinition } from '../db/queue.js';
import type { Ctx } from '../modules/context.js';
import { forgetJobsBefore, jobInterrupted, listJobs, requeueUnfinished, runTracked, type JobProgress } from '../modules/jobs/jobs.service.js';
import { runReminders } from '../modules/notifications/notifications.service.js';
import { AUDIT_JOB_KIND, AUDIT_RETRY_LIMIT, runAuditJob } from '../modules/oversight/audit.service.js';
import { indexGuides } from '../modules/portal/guide.service.js';
import { tidySearchIndex } from '../modules/search/search.service.js';
import { indexPublishedReports, REPORT_BUILD_JOB, REPORT_BUILD_RETRY_LIMIT, runReportBuild } from '../modules/reports/reports.service.js';

export interface RecurringJob extends QueueDefinition {
  name: string;
  cron: string;
  run(ctx: Ctx, job: JobRun, progress: JobProgress): Promise<unknown>;
}

/** Finished jobs' records are kept a day (the audit pages show them for an hour). */
const JOB_RECORDS_KEPT_MS = 24 * 3600_000;

export const RECURRING: RecurringJob[] = [
  {
    // Planner statistics (SQLite; PostgreSQL's autovacuum does it), and on SQLite the search index merged in
    // steps of a fraction of a second: its crowded levels, or the whole index when bulk writes left it spread over
    // several large segments (tidySearchIndex; GIN merges its pending list itself). Also queued once when a
    // server starts.
    name: 'search.maintenance',
    cron: '7 * * * *',
    once: true,
    retryLimit: 1,
    expireInSeconds: 3600,
    async run(ctx, _job, progress) {
      progress.total(2);
      await refreshPlannerStatistics(ctx.db, ctx.engine);
      progress.step('已更新查询统计信息');
      const t = await tidySearchIndex(ctx, 10 * 60_000);
      progress.step(t.done ? '检索索引已整理' : '检索索引已部分整理，下次继续');
      return { tidySteps: t.steps, tidyDone: t.done };
    },
  },
  {
    // Annual reports and guides in the search: each is indexed when it is published or saved; this pass indexes
    // what was published before the search held them (after the migration) and guides that follow agency data
    // changed elsewhere (contact block, catalogue). Unchanged documents are not rewritten. Also queued at start.
    name: 'search.documents',
    cron: '37 * * * *',
    once: true,
    retryLimit: 1,
    expireInSeconds: 3600,
    async run(ctx, _job, progress) {
      progress.total(2);
      const reports = await indexPublishedReports(ctx);
      progress.step(`已检查 ${reports} 份已发布的年度报告`);
      const guides = await indexGuides(ctx);
      progress.step(`已检查 ${guides} 个机构的政府信息公开指南`);
    },
  },
  {
    // The deadline reminders and daily digests: runReminders is idempotent per day (each reminder is sent
    // once), so the hourly runs send only what a new day, a changed limit or a retry of a failed mail makes due.
    name: 'requests.reminders',
    cron: '23 * * * *',
    once: true,
    retryLimit: 1,
    async run(ctx, _job, progress) {
      progress.total(1);
      const r = await runReminders(ctx, ctx.now());
      progress.step('已发送到期提醒');
      return r ?? null;
    },
  },
  {
    name: 'jobs.forget',
    cron: '17 3 * * *',
    once: true,
    async run(ctx, _job, progress) {
      progress.total(1);
      const forgotten = await forgetJobsBefore(ctx, new Date(ctx.now().getTime() - JOB_RECORDS_KEPT_MS));
      progress.step(`已清理 ${forgotten} 条任务记录`);
      return { forgotten };
    },
  },
];

/**
 * Defines the site's queues on `queue`. `recurring`: also their schedules (a server; not a test app).
 * `extra`: more recurring jobs (tests).
 */
export function defineSiteJobs(queue: JobQueue, ctx: Ctx, opts: { recurring: boolean; extra?: RecurringJob[] }): void {
  queue.define(AUDIT_JOB_KIND, { retryLimit: AUDIT_RETRY_LIMIT, retryDelaySeconds: 5, expireInSeconds: 30 * 60 }, (data, run) => runAuditJob(ctx, data, run));
  queue.define(REPORT_BUILD_JOB, { retryLimit: REPORT_BUILD_RETRY_LIMIT, retryDelaySeconds: 5, expireInSeconds: 30 * 60 }, (data, run) => runReportBuild(ctx, data, run));
  for (const j of [...RECURRING, ...(opts.extra ?? [])]) {
    queue.define(j.name, j, (data, run) => runTracked(ctx, j.name, data, run, (_job, progress) => j.run(ctx, run, progress)));
    if (opts.recurring) queue.every(j.name, j.cron);
  }
  // A run still going when the process stops is handed back to the queue; its record says so (runTracked's id).
  queue.onAbandoned((_name, id, data) => jobInterrupted(ctx, typeof data.jobId === 'string' ? data.jobId : id));
  definedKinds.set(queue, new Set([AUDIT_JOB_KIND, REPORT_BUILD_JOB, ...RECURRING.map((j) => j.name), ...(opts.extra ?? []).map((j) => j.name)]));
}

const definedKinds = new WeakMap<JobQueue, Set<string>>();

/**
 * After start: on SQLite the jobs a restart interrupted or left waiting are queued again (pg-boss keeps its
 * own: a job whose process died is taken again once it expires), then search maintenance and the reminders
 * are queued once (as the timers did at start), and the indexing of guides and reports unless a run began within
 * the hour.
 */
export async function afterStart(queue: JobQueue, ctx: Ctx): Promise<void> {
  if (queue.kind === 'in-process') await requeueUnfinished(ctx, (n, d, o) => queue.send(n, d, o), definedKinds.get(queue) ?? new Set());
  await queue.send('search.maintenance', { trigger: 'start' });
  await queue.send('requests.reminders', { trigger: 'start' });
  // Indexing every guide and report costs a province's site half a minute at each start (docs/scaling.md): when
  // a run began within the hour and did not fail, a restart — or the next process of a rolling restart —
  // leaves what changed since to the hourly run.
  const recent = await listJobs(ctx, 'search.documents', new Date(ctx.now().getTime() - 3600_000), null);
  if (!recent.some((j) => j.state !== 'failed')) await queue.send('search.documents', { trigger: 'start' });
}
