/**
 * The site's background jobs, in one list: what runs in the queue (src/db/queue.ts: pg-boss on PostgreSQL,
 * once across all processes, retried, surviving restarts; in-process on SQLite) and when.
 *
 * TO ADD A RECURRING JOB (a reminders sweep, the year's report computations): write the use case in its
 * module (it takes the Ctx and does its work in its own transactions; it must be safe to run again after a
 * failure, since a failed run is retried), then add one entry to RECURRING below:
 *
 *   { name: 'reports.precompute', cron: '0 2 * * *', once: true, run: (ctx) => precomputeReports(ctx) },
 *
 * `name` is the queue's name (letters, digits, dots); `cron` has five fields in Beijing time ('0 2 * * *':
 * every day at 02:00); `once` keeps a second occurrence from queueing while one waits. Nothing else is
 * needed: every `gongkai serve` defines the queue and works it, and the occurrence is queued once per site.
 * A one-off job with a page of its own (like the report audit) keeps its record with src/modules/jobs.
 */
import { refreshPlannerStatistics } from '../db/optimize.js';
import type { JobQueue, JobRun, QueueDefinition } from '../db/queue.js';
import type { Ctx } from '../modules/context.js';
import { forgetJobsBefore, unfinishedJobs } from '../modules/jobs/jobs.service.js';
import { runReminders } from '../modules/notifications/notifications.service.js';
import { AUDIT_JOB_KIND, runAuditJob } from '../modules/oversight/audit.service.js';

export interface RecurringJob extends QueueDefinition {
  name: string;
  cron: string;
  run(ctx: Ctx, job: JobRun): Promise<void>;
}

/** Finished jobs' records are kept a day (the audit pages show them for an hour). */
const JOB_RECORDS_KEPT_MS = 24 * 3600_000;

export const RECURRING: RecurringJob[] = [
  {
    // Planner statistics (SQLite; PostgreSQL's autovacuum does it). The search index itself needs no pass:
    // FTS5 merges its segments as it is written, GIN its pending list. Also queued once when a server starts.
    name: 'search.maintenance',
    cron: '7 * * * *',
    once: true,
    retryLimit: 1,
    expireInSeconds: 3600,
    async run(ctx) {
      await refreshPlannerStatistics(ctx.db, ctx.engine);
    },
  },
  {
    // The deadline reminders and daily digests: runReminders is idempotent per day (each reminder is sent
    // once), so the hourly runs send only what a new day, a changed limit or a retry of a failed mail makes due.
    name: 'requests.reminders',
    cron: '23 * * * *',
    once: true,
    retryLimit: 1,
    async run(ctx) {
      await runReminders(ctx, ctx.now());
    },
  },
  {
    name: 'jobs.forget',
    cron: '17 3 * * *',
    once: true,
    async run(ctx) {
      await forgetJobsBefore(ctx, new Date(ctx.now().getTime() - JOB_RECORDS_KEPT_MS));
    },
  },
];

/**
 * Defines the site's queues on `queue`. `recurring`: also their schedules (a server; not a test app).
 * `extra`: more recurring jobs (tests).
 */
export function defineSiteJobs(queue: JobQueue, ctx: Ctx, opts: { recurring: boolean; extra?: RecurringJob[] }): void {
  queue.define(AUDIT_JOB_KIND, { retryLimit: 2, retryDelaySeconds: 5, expireInSeconds: 30 * 60 }, (data, run) => runAuditJob(ctx, String(data.jobId), run));
  for (const j of [...RECURRING, ...(opts.extra ?? [])]) {
    queue.define(j.name, j, (_data, run) => j.run(ctx, run));
    if (opts.recurring) queue.every(j.name, j.cron);
  }
}

/**
 * After start: search maintenance and the reminders are queued once (as the timers did at start), and on SQLite the audit
 * jobs a restart interrupted are queued again (pg-boss keeps its own).
 */
export async function afterStart(queue: JobQueue, ctx: Ctx): Promise<void> {
  await queue.send('search.maintenance', {});
  await queue.send('requests.reminders', {});
  if (queue.kind === 'in-process') {
    for (const id of await unfinishedJobs(ctx, AUDIT_JOB_KIND)) await queue.send(AUDIT_JOB_KIND, { jobId: id }, { id });
  }
}
