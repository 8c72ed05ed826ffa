/**
 * Background jobs as the site shows them: each job's record (kind, owner, state, progress, result or error)
 * and its uploaded files, in the database, so that any process serves a job's page and a job outlives the
 * process that accepted it. Which process runs a job, once, with retries, is the queue's (src/db/queue.ts);
 * the job's own code reports through these functions: started → progress … → finished | failed.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import * as repo from './jobs.repository.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

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
    createdAt: new Date(r.created_at),
    startedAt: r.started_at ? new Date(r.started_at) : null,
    finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

/** A new job's record (and its files), in one transaction; the caller then puts it in the queue. */
export async function recordJob(
  ctx: Ctx,
  input: { kind: string; owner?: { id: number; name: string }; total?: number; data?: Record<string, unknown>; files?: { role: string; name: string; data: Buffer }[] },
): Promise<string> {
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.insertJob(tx, {
      id, kind: input.kind, owner_id: input.owner?.id ?? null, owner_name: input.owner?.name ?? null, state: 'queued',
      done: 0, total: input.total ?? 0, current: null, data: JSON.stringify(input.data ?? {}), result: null, error: null,
      attempts: 0, created_at: ctx.now().toISOString(), started_at: null, finished_at: null,
    });
    if (input.files?.length) await repo.insertFiles(tx, id, input.files);
  });
  return id;
}

export async function findJob<R>(ctx: Ctx, id: string): Promise<JobRecord<R> | null> {
  const r = /^[0-9a-f-]{36}$/.test(id) ? await repo.findJob(ctx.db, id) : undefined;
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

export async function jobStarted(ctx: Ctx, id: string, attempt: number): Promise<void> {
  await repo.updateJob(ctx.db, id, { state: 'running', attempts: attempt + 1, started_at: ctx.now().toISOString(), done: 0, current: null, error: null });
}

export async function jobProgress(ctx: Ctx, id: string, done: number, current: string | null): Promise<void> {
  await repo.updateJob(ctx.db, id, { done, current });
}

/** Done: the result is kept, the uploads are not. */
export async function jobFinished(ctx: Ctx, id: string, result: unknown): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateJob(tx, id, { state: 'done', result: JSON.stringify(result), current: null, finished_at: ctx.now().toISOString() });
    await repo.deleteFiles(tx, id);
  });
}

/** An attempt failed: `final` when no retry follows (then the uploads go too). */
export async function jobFailed(ctx: Ctx, id: string, error: string, final: boolean): Promise<void> {
  if (!final) {
    await repo.updateJob(ctx.db, id, { state: 'queued', error, current: null });
    return;
  }
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateJob(tx, id, { state: 'failed', error, current: null, finished_at: ctx.now().toISOString() });
    await repo.deleteFiles(tx, id);
  });
}

/** Finished jobs created before `before` are forgotten (records and files). */
export async function forgetJobsBefore(ctx: Ctx, before: Date): Promise<number> {
  return repo.deleteFinishedBefore(ctx.db, before.toISOString());
}
