/** SQL of the jobs' records (see jobs.service.ts). */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { JobsTable } from './jobs.tables.js';
import './jobs.tables.js';

export type JobRow = Selectable<JobsTable>;

export async function insertJob(db: Executor, row: JobRow): Promise<void> {
  await db.insertInto('jobs').values(row).execute();
}

export async function insertFiles(db: Executor, jobId: string, files: { role: string; name: string; data: Buffer }[]): Promise<void> {
  for (const [seq, f] of files.entries()) await db.insertInto('job_files').values({ job_id: jobId, seq, role: f.role, name: f.name, data: f.data }).execute();
}

export async function findJob(db: Executor, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listJobs(db: Executor, kind: string, since: string, ownerId: number | null): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('created_at', '>=', since);
  if (ownerId !== null) q = q.where('owner_id', '=', ownerId);
  return q.orderBy('created_at', 'desc').limit(100).execute();
}

/** Jobs of every kind created since `since` or still unfinished, newest first (of one owner, or all). */
export async function listRecent(db: Executor, since: string, ownerId: number | null, limit: number): Promise<JobRow[]> {
  let q = db
    .selectFrom('jobs')
    .selectAll()
    .where((eb) => eb.or([eb('created_at', '>=', since), eb('state', 'in', ['queued', 'running'])]));
  if (ownerId !== null) q = q.where('owner_id', '=', ownerId);
  return q.orderBy('created_at', 'desc').limit(limit).execute();
}

/** The newest unfinished job of a kind about an agency and subject (a report's computation). */
export async function unfinishedAbout(db: Executor, kind: string, agencyId: number, subject: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', kind)
    .where('agency_id', '=', agencyId)
    .where('subject', '=', subject)
    .where('state', 'in', ['queued', 'running'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Every unfinished job (any kind), oldest first. */
export async function allUnfinished(db: Executor): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().where('state', 'in', ['queued', 'running']).orderBy('created_at').execute();
}

export async function hasFiles(db: Executor, jobId: string): Promise<boolean> {
  return !!(await db.selectFrom('job_files').select('seq').where('job_id', '=', jobId).limit(1).executeTakeFirst());
}

export async function unfinished(db: Executor, kind: string): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('state', 'in', ['queued', 'running']).orderBy('created_at').execute();
}

export async function filesOf(db: Executor, jobId: string): Promise<{ role: string; name: string; data: Buffer }[]> {
  const rows = await db.selectFrom('job_files').select(['role', 'name', 'data']).where('job_id', '=', jobId).orderBy('seq').execute();
  return rows.map((r) => ({ role: r.role, name: r.name, data: Buffer.from(r.data) }));
}

export async function updateJob(db: Executor, id: string, set: Partial<Omit<JobRow, 'id'>>): Promise<void> {
  await db.updateTable('jobs').set(set).where('id', '=', id).execute();
}

/** updateJob, only while the job is running. */
export async function updateRunning(db: Executor, id: string, set: Partial<Omit<JobRow, 'id'>>): Promise<void> {
  await db.updateTable('jobs').set(set).where('id', '=', id).where('state', '=', 'running').execute();
}

export async function deleteFinishedBefore(db: Executor, before: string): Promise<number> {
  const old = db.selectFrom('jobs').select('id').where('created_at', '<', before).where('state', 'in', ['done', 'failed']);
  await db.deleteFrom('job_files').where('job_id', 'in', old).execute();
  const r = await db.deleteFrom('jobs').where('created_at', '<', before).where('state', 'in', ['done', 'failed']).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteFiles(db: Executor, jobId: string): Promise<void> {
  await db.deleteFrom('job_files').where('job_id', '=', jobId).execute();
}
