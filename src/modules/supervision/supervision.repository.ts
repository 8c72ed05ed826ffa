/** SQL of 督办: supervisions, their steps and files; counts per agency and year. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { SupervisionsTable } from './supervision.tables.js';
import './supervision.tables.js';
import '../agencies/agencies.read-model.js';
import '../accounts/accounts.read-model.js';

export interface SupervisionRow {
  id: number;
  officeAgencyId: number;
  officeName: string;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  agencyPath: string;
  year: number;
  matter: 'requests' | 'report' | 'other';
  title: string;
  details: string;
  requestIds: number[];
  reportYear: number | null;
  findings: { reportState?: string; deadline?: string; findings?: { severity: string; message: string }[] } | null;
  deadline: string;
  status: 'open' | 'answered' | 'returned' | 'accepted';
  firstAnsweredOn: string | null;
  acceptedOn: string | null;
  createdAt: string;
}

type Joined = Selectable<SupervisionsTable> & { office_name: string; agency_code: string; agency_name: string; agency_path: string };

function toRow(r: Joined): SupervisionRow {
  return {
    id: r.id,
    officeAgencyId: r.office_agency_id,
    officeName: r.office_name,
    agencyId: r.agency_id,
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    agencyPath: r.agency_path,
    year: r.year,
    matter: r.matter as SupervisionRow['matter'],
    title: r.title,
    details: r.details,
    requestIds: r.request_ids ? (JSON.parse(r.request_ids) as number[]) : [],
    reportYear: r.report_year,
    findings: r.findings ? JSON.parse(r.findings) : null,
    deadline: r.deadline,
    status: r.status as SupervisionRow['status'],
    firstAnsweredOn: r.first_answered_on,
    acceptedOn: r.accepted_on,
    createdAt: r.created_at,
  };
}

function base(db: Executor) {
  return db
    .selectFrom('supervisions as s')
    .innerJoin('agencies as o', 'o.id', 's.office_agency_id')
    .innerJoin('agencies as a', 'a.id', 's.agency_id')
    .selectAll('s')
    .select(['o.name as office_name', 'a.code as agency_code', 'a.name as agency_name', 'a.path as agency_path']);
}

export async function findById(db: Executor, id: number): Promise<SupervisionRow | undefined> {
  const r = await base(db).where('s.id', '=', id).executeTakeFirst();
  return r && toRow(r as Joined);
}

/** Supervisions on agencies under any of `paths` or on any of `agencyIds`, optionally of one year; newest first. */
export async function list(db: Executor, f: { paths: string[]; agencyIds: number[]; all: boolean; year?: number; limit: number }): Promise<SupervisionRow[]> {
  let q = base(db);
  if (!f.all) {
    q = q.where((eb) => eb.or([...f.paths.map((p) => eb('a.path', 'like', `${p}%`)), eb('s.agency_id', 'in', f.agencyIds.length ? f.agencyIds : [-1])]));
  }
  if (f.year) q = q.where('s.year', '=', f.year);
  const rows = await q.orderBy('s.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => toRow(r as Joined));
}

export async function insert(db: Executor, s: Omit<SupervisionsTable, 'id'>): Promise<number> {
  const r = await db.insertInto('supervisions').values(s).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function update(db: Executor, id: number, patch: Partial<Pick<SupervisionsTable, 'status' | 'first_answered_on' | 'accepted_on' | 'updated_at'>>): Promise<void> {
  await db.updateTable('supervisions').set(patch).where('id', '=', id).execute();
}

export async function insertStep(db: Executor, s: { supervisionId: number; step: string; on: string; text: string; actorId: number | null; at: string }): Promise<number> {
  const r = await db
    .insertInto('supervision_steps')
    .values({ supervision_id: s.supervisionId, step: s.step, step_on: s.on, text: s.text, actor_id: s.actorId, created_at: s.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface StepRow {
  id: number;
  step: string;
  on: string;
  text: string;
  actorName: string | null;
  createdAt: string;
  files: { id: number; fileName: string; size: number }[];
}

export async function stepsOf(db: Executor, supervisionId: number): Promise<StepRow[]> {
  const [steps, files] = await Promise.all([
    db
      .selectFrom('supervision_steps as st')
      .leftJoin('users as u', 'u.id', 'st.actor_id')
      .select(['st.id', 'st.step', 'st.step_on', 'st.text', 'st.created_at', 'u.display_name'])
      .where('st.supervision_id', '=', supervisionId)
      .orderBy('st.id')
      .execute(),
    db.selectFrom('supervision_files').select(['id', 'step_id', 'file_name', 'size']).where('supervision_id', '=', supervisionId).orderBy('id').execute(),
  ]);
  return steps.map((s) => ({
    id: s.id,
    step: s.step,
    on: s.step_on,
    text: s.text,
    actorName: s.display_name ?? null,
    createdAt: s.created_at,
    files: files.filter((f) => f.step_id === s.id).map((f) => ({ id: f.id, fileName: f.file_name, size: f.size })),
  }));
}

export async function insertFile(db: Executor, f: { supervisionId: number; stepId: number; fileName: string; mediaType: string; data: Buffer; sha256: string; at: string }): Promise<number> {
  const r = await db
    .insertInto('supervision_files')
    .values({ supervision_id: f.supervisionId, step_id: f.stepId, file_name: f.fileName, media_type: f.mediaType, size: f.data.length, sha256: f.sha256, data: f.data, created_at: f.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findFile(db: Executor, id: number): Promise<{ id: number; supervisionId: number; fileName: string; mediaType: string; data: Buffer } | undefined> {
  const r = await db.selectFrom('supervision_files').select(['id', 'supervision_id', 'file_name', 'media_type', 'data']).where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, supervisionId: r.supervision_id, fileName: r.file_name, mediaType: r.media_type, data: Buffer.from(r.data) };
}

export interface YearCount {
  agencyId: number;
  year: number;
  opened: number;
  answeredOnTime: number;
  answeredLate: number;
  unanswered: number;
  accepted: number;
}

/** Per agency and year: opened, first answered by the deadline or after, not answered, accepted (GROUP BY). */
export async function countsByAgencyYear(db: Executor, agencyIds: number[], year?: number): Promise<YearCount[]> {
  if (!agencyIds.length) return [];
  let q = db
    .selectFrom('supervisions')
    .select((eb) => [
      'agency_id',
      'year',
      eb.fn.countAll<number>().as('opened'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('first_answered_on', 'is not', null), eb('first_answered_on', '<=', eb.ref('deadline'))])).then(1).else(0).end()).as('on_time'),
      eb.fn.sum<number>(eb.case().when('first_answered_on', '>', eb.ref('deadline')).then(1).else(0).end()).as('late'),
      eb.fn.sum<number>(eb.case().when('first_answered_on', 'is', null).then(1).else(0).end()).as('unanswered'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'accepted').then(1).else(0).end()).as('accepted'),
    ])
    .where('agency_id', 'in', agencyIds);
  if (year) q = q.where('year', '=', year);
  const rows = await q.groupBy(['agency_id', 'year']).orderBy('year', 'desc').orderBy('agency_id').execute();
  return rows.map((r) => ({
    agencyId: r.agency_id,
    year: r.year,
    opened: Number(r.opened),
    answeredOnTime: Number(r.on_time),
    answeredLate: Number(r.late),
    unanswered: Number(r.unanswered),
    accepted: Number(r.accepted),
  }));
}
