/**
 * Background jobs as the site shows them: each job's record (kind, who or what started it, what it works on,
 * state, progress, result or error, which process runs it) and its uploaded files, in the database, so that
 * any process serves a job's page and a job outlives the process that accepted it. Which process runs a job,
 * once, with retries, is the queue's (src/db/queue.ts); the job's own code reports its progress through the
 * reporter `runTracked` passes it (total, step …), written to the record as it goes.
 *
 * States: queued → running → done | failed; a failed attempt with a retry to come goes back to queued (with
 * its error), a running job whose heartbeat stopped (its process died) shows as interrupted until the queue
 * takes it again. Staff read them as 排队中 / 进行中 / 已完成 / 失败 / 重试中 (shownState).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError } from '../../errors.js';
import { isAdmin } from '../accounts/access.js';
import type { Actor, Ctx } from '../context.js';
import * as repo from './jobs.repository.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** The kinds of job, in words (the kind is also the name of the job's queue). */
export const JOB_KIND_LABELS: Record<string, string> = {
  'report.audit': '报告审核（批量）',
  'report.build': '年度报告生成',
  'search.maintenance': '搜索维护',
  'search.documents': '年度报告和公开指南编入检索',
  'requests.reminders': '办理期限提醒',
  'jobs.forget': '清理过期任务记录',
};
export const kindLabel = (kind: string): string => JOB_KIND_LABELS[kind] ?? '后台任务';

/** A running job says it is alive this often; one silent for STALE_MS was interrupted. */
export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 45_000;
/** Progress is written at most this often (and once more at the end). */
const PROGRESS_WRITE_MS = 200;

/** This process, as a job's record names it. */
export const WORKER = `${hostname()}:${process.pid}`;

export interface JobRecord<R = unknown> {
  id: string;
  kind: string;
  ownerId: number | null;
  ownerName: string | null;
  state: JobState;
  done: number;
  total: number;
  current: string | null;
  data: Record<string, unknown>;
  result: R | null;
  error: string | null;
  attempts: number;
  retryLimit: number;
  subject: string | null;
  href: string | null;
  agencyId: number | null;
  worker: string | null;
  heartbeatAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function toRecord<R>(r: repo.JobRow): JobRecord<R> {
  return {
    id: r.id,
    kind: r.kind,
    ownerId: r.owner_id === null ? null : Number(r.owner_id),
    ownerName: r.owner_name,
    state: r.state as JobState,
    done: Number(r.done),
    total: Number(r.total),
    current: r.current,
    data: JSON.parse(r.data) as Record<string, unknown>,
    result: r.result === null ? null : (JSON.parse(r.result) as R),
    error: r.error,
    attempts: Number(r.attempts),
    retryLimit: Number(r.retry_limit ?? 0),
    subject: r.subject ?? null,
    href: r.href ?? null,
    agencyId: r.agency_id === null || r.agency_id === undefined ? null : Number(r.agency_id),
    worker: r.worker ?? null,
    heartbeatAt: r.heartbeat_at ? new Date(r.heartbeat_at) : null,
    createdAt: new Date(r.created_at),
    startedAt: r.started_at ? new Date(r.started_at) : null,
    finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

// ---- How staff read a job --------------------------------------------------------------------

export type ShownState = 'queued' | 'running' | 'done' | 'failed' | 'retrying';
export const SHOWN_STATE_LABELS: Record<ShownState, string> = { queued: '排队中', running: '进行中', done: '已完成', failed: '失败', retrying: '重试中' };

/** Running, but its process stopped saying so: interrupted (a restart, a crash); the queue takes it again. */
export function isInterrupted(job: JobRecord, now: Date): boolean {
  return job.state === 'running' && !!job.heartbeatAt && now.getTime() - job.heartbeatAt.getTime() > STALE_MS;
}

export function shownState(job: JobRecord, now: Date): ShownState {
  if (job.state === 'queued' && job.attempts > 0) return 'retrying';
  if (isInterrupted(job, now)) return 'retrying';
  return job.state;
}

/** Whole percent done, or null while the total is unknown. */
export function percentDone(job: Pick<JobRecord, 'state' | 'done' | 'total'>): number | null {
  if (job.state === 'done') return 100;
  if (job.total <= 0) return null;
  return Math.min(100, Math.floor((job.done * 100) / job.total));
}

/** Who or what started the job, in words. */
export function startedBy(job: JobRecord): string {
  if (job.ownerName) return job.ownerName;
  return job.data.trigger === 'start' ? '服务启动时自动执行' : '系统定时任务';
}

// ---- Records -----------------------------------------------------------------------------------

/** A new job's record (and its files), in one transaction; the caller then puts it in the queue. */
export async function recordJob(
  ctx: Ctx,
  input: {
    kind: string;
    owner?: { id: number; name: string };
    total?: number;
    data?: Record<string, unknown>;
    files?: { role: string; name: string; data: Buffer }[];
    subject?: string;
    href?: string;
    agencyId?: number;
    retryLimit?: number;
    id?: string;
  },
): Promise<string> {
  const id = input.id ?? randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.insertJob(tx, {
      id, kind: input.kind, owner_id: input.owner?.id ?? null, owner_name: input.owner?.name ?? null, state: 'queued',
      done: 0, total: input.total ?? 0, current: null, data: JSON.stringify({ ...(input.data ?? {}), ...(input.files?.length ? { withFiles: true } : {}) }), result: null, error: null,
      attempts: 0, created_at: ctx.now().toISOString(), started_at: null, finished_at: null,
      subject: input.subject ?? null, href: input.href ?? null, agency_id: input.agencyId ?? null, retry_limit: input.retryLimit ?? 0,
      worker: null, heartbeat_at: null,
    });
    if (input.files?.length) await repo.insertFiles(tx, id, input.files);
  });
  return id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function findJob<R>(ctx: Ctx, id: string): Promise<JobRecord<R> | null> {
  const r = UUID.test(id) ? await repo.findJob(ctx.db, id) : undefined;
  return r ? toRecord<R>(r) : null;
}

/** Jobs of a kind created since `since`, newest first (of one owner, or everyone's when ownerId is null). */
export async function listJobs<R>(ctx: Ctx, kind: string, since: Date, ownerId: number | null): Promise<JobRecord<R>[]> {
  return (await repo.listJobs(ctx.db, kind, since.toISOString(), ownerId)).map((r) => toRecord<R>(r));
}

/** Jobs of a kind not finished (for a queue that keeps no list of its own: SQLite's, after a restart). */
export async function unfinishedJobs(ctx: Ctx, kind: string): Promise<string[]> {
  return (await repo.unfinished(ctx.db, kind)).map((r) => r.id);
}

export async function jobFiles(ctx: Ctx, id: string) {
  return repo.filesOf(ctx.db, id);
}

/** Finished jobs created before `before` are forgotten (records and files). */
export async function forgetJobsBefore(ctx: Ctx, before: Date): Promise<number> {
  return repo.deleteFinishedBefore(ctx.db, before.toISOString());
}

// ---- What the office sees ----------------------------------------------------------------------

/** How far back the jobs page lists finished jobs. */
export const JOBS_LISTED_MS = 24 * 3600_000;

/** An admin sees every job; anyone else the jobs they started. */
export function maySeeJob(actor: Actor, job: Pick<JobRecord, 'ownerId'>): boolean {
  return isAdmin(actor) || (job.ownerId !== null && job.ownerId === actor.userId);
}

/** The jobs page: running and waiting jobs, and those of the last day; an admin sees all, others their own. */
export async function jobsFor(ctx: Ctx, actor: Actor, limit = 200): Promise<JobRecord[]> {
  const since = new Date(ctx.now().getTime() - JOBS_LISTED_MS).toISOString();
  return (await repo.listRecent(ctx.db, since, isAdmin(actor) ? null : actor.userId, limit)).map((r) => toRecord(r));
}

/** One job for its owner or an admin. */
export async function jobFor<R = unknown>(ctx: Ctx, actor: Actor, id: string): Promise<JobRecord<R>> {
  const job = await findJob<R>(ctx, id);
  if (!job) throw new AppError('not_found', '后台任务不存在或记录已清理（任务记录保留一天）');
  if (!maySeeJob(actor, job)) throw new AppError('forbidden', '只有发起该任务的账号和系统管理员可以查看该任务');
  return job;
}

/** The job of a kind about an agency and subject still waiting or running, if any (a report's computation). */
export async function unfinishedJobAbout(ctx: Ctx, kind: string, agencyId: number, subject: string): Promise<JobRecord | null> {
  const r = await repo.unfinishedAbout(ctx.db, kind, agencyId, subject);
  return r ? toRecord(r) : null;
}

/**
 * Waits up to `ms` for a job to finish (a page that started a short job answers with its result at once;
 * a long one's page shows its progress instead). The job as it then is.
 */
export async function waitForJob(ctx: Ctx, id: string, ms: number): Promise<JobRecord | null> {
  const end = Date.now() + ms;
  for (;;) {
    const job = await findJob(ctx, id);
    if (!job || job.state === 'done' || job.state === 'failed' || Date.now() >= end) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- Running a job -----------------------------------------------------------------------------

/** What a job's code is handed to say how far it has come. Writes are coalesced; none of them throws. */
export interface JobProgress {
  /** How many steps there are in all (documents, queries, agencies), when it is known. */
  total(n: number): void;
  /** `done` steps of the total are done; `current`: what was just done (a file's name, a step's name). */
  update(done: number, current?: string | null): void;
  /** One more step done. */
  step(current?: string | null): void;
}

/** What the queue hands a job's run (src/db/queue.ts JobRun). */
export interface RunInfo {
  id: string;
  retryCount: number;
  retryLimit: number;
  signal: AbortSignal;
}

/** Makes a job's message readable by staff: the Chinese message of our own errors, never an internal one. */
export function describeJobError(kind: string, e: unknown, aborted: boolean): string {
  if (aborted) return '服务停止，任务中断，将在服务恢复后重新执行';
  const msg = e instanceof Error ? e.message : String(e);
  const chinese = e instanceof AppError || /[\u4e00-\u9fff]/.test(msg);
  return `${kindLabel(kind)}未能完成：${chinese ? msg : '内部错误（详情已写入服务日志）'}`;
}

function progressWriter(ctx: Ctx, id: string) {
  const state = { done: 0, total: -1, current: null as string | null, dirty: false, lastWrite: 0 };
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const write = () => {
    timer = null;
    if (!state.dirty) return;
    state.dirty = false;
    state.lastWrite = Date.now();
    const set = { done: state.done, current: state.current, heartbeat_at: ctx.now().toISOString(), ...(state.total >= 0 ? { total: state.total } : {}) };
    chain = chain.then(() => repo.updateJob(ctx.db, id, set)).catch(() => {});
  };
  const changed = () => {
    state.dirty = true;
    if (timer) return;
    const wait = PROGRESS_WRITE_MS - (Date.now() - state.lastWrite);
    if (wait <= 0) write();
    else timer = setTimeout(write, wait);
  };
  const progress: JobProgress = {
    total(n) {
      state.total = Math.max(0, Math.floor(n));
      changed();
    },
    update(done, current) {
      state.done = Math.max(0, Math.floor(done));
      if (current !== undefined) state.current = current;
      changed();
    },
    step(current) {
      state.done++;
      if (current !== undefined) state.current = current;
      changed();
    },
  };
  const heartbeat = setInterval(() => {
    chain = chain.then(() => repo.updateJob(ctx.db, id, { heartbeat_at: ctx.now().toISOString() })).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    progress,
    /** Writes what is left and stops the heartbeat. */
    async close() {
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      write();
      await chain;
    },
  };
}

/**
 * Runs one attempt of a job under its record: the record is found (`data.jobId`, or the queue's id for a
 * recurring job, whose record is made here), marked running by this process, handed a progress reporter,
 * then marked done with the result or failed with the error in Chinese (queued again when the queue retries
 * it). The error is thrown on, so that the queue retries. A job already done (or failed for good) is not run.
 */
export async function runTracked(
  ctx: Ctx,
  kind: string,
  data: Record<string, unknown>,
  run: RunInfo,
  work: (job: JobRecord, progress: JobProgress) => Promise<unknown>,
): Promise<void> {
  const id = typeof data.jobId === 'string' ? data.jobId : run.id;
  let job = await findJob(ctx, id);
  if (!job) {
    if (typeof data.jobId === 'string') return; // forgotten meanwhile
    await recordJob(ctx, { kind, id, retryLimit: run.retryLimit, data: { trigger: data.trigger === 'start' ? 'start' : 'schedule' } });
    job = (await findJob(ctx, id))!;
  }
  if (job.state === 'done' || job.state === 'failed') return;
  const startedAt = ctx.now().toISOString();
  await repo.updateJob(ctx.db, id, {
    state: 'running', attempts: job.attempts + 1, retry_limit: run.retryLimit, started_at: startedAt, finished_at: null,
    done: 0, current: null, error: null, worker: WORKER, heartbeat_at: startedAt,
  });
  const writer = progressWriter(ctx, id);
  let result: unknown;
  try {
    result = await work({ ...job, state: 'running', attempts: job.attempts + 1 }, writer.progress);
  } catch (e) {
    await writer.close();
    const aborted = run.signal.aborted;
    const final = run.retryCount >= run.retryLimit && !aborted;
    await jobFailed(ctx, id, describeJobError(kind, e, aborted), final);
    throw e;
  }
  await writer.close();
  await jobFinished(ctx, id, result ?? null);
}

/** A run its process gave up when it stopped (the queue hands the job out again): waiting, and saying why. */
export async function jobInterrupted(ctx: Ctx, id: string): Promise<void> {
  await repo.updateRunning(ctx.db, id, { state: 'queued', current: null, error: '服务停止，任务中断，已重新排队' });
}

/** Done: the result is kept, the uploads are not. */
export async function jobFinished(ctx: Ctx, id: string, result: unknown): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateJob(tx, id, { state: 'done', result: JSON.stringify(result), current: null, finished_at: ctx.now().toISOString() });
    await repo.deleteFiles(tx, id);
  });
}

/**
 * An attempt failed: `final` when no retry follows. The uploads stay with a failed job (so that it can be
 * retried by hand) until its record is forgotten a day later.
 */
export async function jobFailed(ctx: Ctx, id: string, error: string, final: boolean): Promise<void> {
  if (!final) await repo.updateJob(ctx.db, id, { state: 'queued', error, current: null });
  else await repo.updateJob(ctx.db, id, { state: 'failed', error, current: null, finished_at: ctx.now().toISOString() });
}

// ---- Retrying and restarting -------------------------------------------------------------------

type Send = (name: string, data: Record<string, unknown>, opts?: { key?: string; id?: string }) => Promise<string | null>;

/** Whether a failed job can be run again: its uploads (if it had any) are still there. */
export async function canRetry(ctx: Ctx, job: JobRecord): Promise<boolean> {
  if (job.state !== 'failed') return false;
  if (job.data.withFiles === true && !(await repo.hasFiles(ctx.db, job.id))) return false;
  return true;
}

/** A failed job is queued again by its owner or an admin (a new attempt of the same record). */
export async function retryJob(ctx: Ctx, send: Send, actor: Actor, id: string): Promise<JobRecord> {
  const job = await jobFor(ctx, actor, id);
  if (job.state !== 'failed') throw new AppError('conflict', '只有失败的任务可以重试；该任务仍在排队、进行中或已完成');
  if (!(await canRetry(ctx, job))) throw new AppError('conflict', '该任务上传的文件已清理，无法重试；请重新上传');
  await repo.updateJob(ctx.db, id, { state: 'queued', finished_at: null, current: null, done: 0 });
  try {
    await send(job.kind, { jobId: id }, { key: `retry:${id}:${job.attempts}` });
  } catch {
    await repo.updateJob(ctx.db, id, { state: 'failed', finished_at: job.finishedAt?.toISOString() ?? ctx.now().toISOString() });
    throw new AppError('conflict', '本服务没有该类任务的队列，无法重试');
  }
  return (await findJob(ctx, id))!;
}

/**
 * After a restart of a site that keeps no queue of its own (SQLite): every unfinished job is queued again,
 * those a restart interrupted saying so. `kinds`: the queues this process works.
 */
export async function requeueUnfinished(ctx: Ctx, send: Send, kinds: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for (const r of await repo.allUnfinished(ctx.db)) {
    if (!kinds.has(r.kind)) continue;
    if (r.state === 'running') await repo.updateJob(ctx.db, r.id, { state: 'queued', current: null, error: '服务重启，任务中断，已重新排队' });
    await send(r.kind, { jobId: r.id }, { id: r.id, key: `restart:${r.id}` });
    n++;
  }
  return n;
}
