/** SQL of review cases (行政复议 / 行政诉讼, table 四). */
import type { Executor } from '../../db/database.js';
import '../agencies/agencies.read-model.js';
import { trackingNumbersOf } from '../requests/requests.read-model.js';
import './reviews.tables.js';

export interface ReviewCase {
  id: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  requestId: number | null;
  trackingNo: string | null;
  kind: string;
  caseNo: string | null;
  body: string | null;
  filedOn: string;
  result: string;
  concludedOn: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

function base(db: Executor) {
  return db
    .selectFrom('review_cases')
    .innerJoin('agencies', 'agencies.id', 'review_cases.agency_id')
    .selectAll('review_cases')
    .select(['agencies.code as agency_code', 'agencies.name as agency_name']);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

/** The cases with the tracking numbers of the requests they concern (the requests module's read model). */
async function toCases(db: Executor, rows: Row[]): Promise<ReviewCase[]> {
  const ids = [...new Set(rows.map((r) => r.request_id).filter((id): id is number => id !== null))];
  const numbers = ids.length ? await trackingNumbersOf(db, ids) : new Map<number, string>();
  return rows.map((r) => toCase(r, r.request_id === null ? null : (numbers.get(r.request_id) ?? null)));
}

function toCase(r: Row, trackingNo: string | null): ReviewCase {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    requestId: r.request_id,
    trackingNo,
    kind: r.kind,
    caseNo: r.case_no,
    body: r.body,
    filedOn: r.filed_on,
    result: r.result,
    concludedOn: r.concluded_on,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findById(db: Executor, id: number): Promise<ReviewCase | undefined> {
  const r = await base(db).where('review_cases.id', '=', id).executeTakeFirst();
  return r && (await toCases(db, [r]))[0];
}

export async function list(db: Executor, f: { agencyIds: number[]; year?: number; kind?: string; result?: string; requestId?: number }): Promise<ReviewCase[]> {
  let q = base(db).where('review_cases.agency_id', 'in', f.agencyIds.length ? f.agencyIds : [-1]);
  if (f.year) q = q.where('review_cases.filed_on', '>=', `${f.year}-01-01`).where('review_cases.filed_on', '<=', `${f.year}-12-31`);
  if (f.kind) q = q.where('review_cases.kind', '=', f.kind);
  if (f.result) q = q.where('review_cases.result', '=', f.result);
  if (f.requestId) q = q.where('review_cases.request_id', '=', f.requestId);
  const rows = await q.orderBy('review_cases.filed_on', 'desc').orderBy('review_cases.id', 'desc').limit(500).execute();
  return toCases(db, rows);
}

/** The cases linked to one request, oldest first. */
export async function listLinkedTo(db: Executor, requestId: number): Promise<ReviewCase[]> {
  const rows = await base(db).where('review_cases.request_id', '=', requestId).orderBy('review_cases.filed_on').orderBy('review_cases.id').execute();
  return toCases(db, rows);
}

/** Cases by kind and result (GROUP BY). */
export async function countByKindResult(db: Executor, agencyIds: number[]): Promise<{ kind: string; result: string; n: number }[]> {
  const rows = await db
    .selectFrom('review_cases')
    .select(['kind', 'result', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agency_id', 'in', agencyIds.length ? agencyIds : [-1])
    .groupBy(['kind', 'result'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, result: r.result, n: Number(r.n) }));
}

export interface CaseValues {
  agencyId: number;
  requestId: number | null;
  kind: string;
  caseNo: string | null;
  body: string | null;
  filedOn: string;
  result: string;
  concludedOn: string | null;
  notes: string | null;
}

export async function insert(db: Executor, v: CaseValues, at: string): Promise<number> {
  const { id } = await db
    .insertInto('review_cases')
    .values({ agency_id: v.agencyId, request_id: v.requestId, kind: v.kind, case_no: v.caseNo, body: v.body, filed_on: v.filedOn, result: v.result, concluded_on: v.concludedOn, notes: v.notes, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function update(db: Executor, id: number, v: Omit<CaseValues, 'agencyId'>, at: string): Promise<void> {
  await db
    .updateTable('review_cases')
    .set({ request_id: v.requestId, kind: v.kind, case_no: v.caseNo, body: v.body, filed_on: v.filedOn, result: v.result, concluded_on: v.concludedOn, notes: v.notes, updated_at: at })
    .where('id', '=', id)
    .execute();
}
