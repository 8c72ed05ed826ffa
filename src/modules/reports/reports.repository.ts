/**
 * The annual report's SQL: read-only aggregates over the records of a set of agencies for one year (GROUP BY
 * in the database, always also by agency so that a roll-up can show each unit's contribution), the checks that
 * find broken records, and the reports' own rows (working copy, published snapshot, unlocks).
 *
 * Counting rules (../shared/spec/contract.md): a request counts as `new` in the year of received_on, under its
 * outcome in the year of replied_on, `carriedForward` when received on or before 31 Dec and not replied by then,
 * `carriedOver` when received before 1 Jan and not replied before it. Only `kind = 'disclosure'` requests
 * (政府信息公开申请) count; 更正 requests (第41条) do not.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import { OUTCOME_KEYS } from '../../law/report-model.js';
import '../requests/requests.tables.js';
import '../registries/registries.tables.js';
import './reports.tables.js';
import type { ReportsTable, ReportUnlocksTable } from './reports.tables.js';

export interface YearRange {
  start: string; // YYYY-01-01
  end: string; // YYYY-12-31
}

export function yearRange(year: number): YearRange {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

export interface KindCount {
  agencyId: number;
  applicantKind: string;
  n: number;
}
export interface OutcomeCount extends KindCount {
  outcome: string;
}

const disclosureRequests = (db: Executor, agencyIds: number[]) =>
  db.selectFrom('requests').where('kind', '=', 'disclosure').where('agency_id', 'in', agencyIds);

function mapKind(rows: { agency_id: number; applicant_kind: string; n: number | string | bigint }[]): KindCount[] {
  return rows.map((r) => ({ agencyId: r.agency_id, applicantKind: r.applicant_kind, n: Number(r.n) }));
}

/** 一、本年新收: received in the year. */
export async function countNew(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('received_on', '>=', y.start)
    .where('received_on', '<=', y.end)
    .select(['agency_id', 'applicant_kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['agency_id', 'applicant_kind'])
    .execute();
  return mapKind(rows);
}

/** 二、上年结转: received before the year and not replied before it. */
export async function countCarriedOver(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('received_on', '<', y.start)
    .where((eb) => eb.or([eb('replied_on', 'is', null), eb('replied_on', '>=', y.start)]))
    .select(['agency_id', 'applicant_kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['agency_id', 'applicant_kind'])
    .execute();
  return mapKind(rows);
}

/** 四、结转下年度继续办理: received by 31 Dec and not replied by then. */
export async function countCarriedForward(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('received_on', '<=', y.end)
    .where((eb) => eb.or([eb('replied_on', 'is', null), eb('replied_on', '>', y.end)]))
    .select(['agency_id', 'applicant_kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['agency_id', 'applicant_kind'])
    .execute();
  return mapKind(rows);
}

/** 三、本年度办理结果: replied in the year, by outcome. */
export async function countOutcomes(db: Executor, agencyIds: number[], y: YearRange): Promise<OutcomeCount[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('replied_on', '>=', y.start)
    .where('replied_on', '<=', y.end)
    .select(['agency_id', 'applicant_kind', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['agency_id', 'applicant_kind', 'outcome'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, applicantKind: r.applicant_kind, outcome: r.outcome ?? '', n: Number(r.n) }));
}

export interface ReviewCount {
  agencyId: number;
  kind: string;
  result: string;
  n: number;
}

/**
 * Table 四. `filed`: cases filed in the year, each with its result as at 31 Dec (尚未审结 if not concluded by then).
 * `activity`: cases concluded in the year by result, plus cases filed by 31 Dec and still pending then.
 */
export async function countReviews(
  db: Executor,
  agencyIds: number[],
  y: YearRange,
  reading: 'filed' | 'activity',
): Promise<ReviewCount[]> {
  const inner = db
    .selectFrom('review_cases')
    .where('agency_id', 'in', agencyIds)
    .where('filed_on', '<=', y.end)
    .select([
      'agency_id',
      'kind',
      sql<string>`case when concluded_on is not null and concluded_on <= ${y.end} and result <> 'pending' then result else 'pending' end`.as('r'),
    ]);
  const scoped =
    reading === 'filed'
      ? inner.where('filed_on', '>=', y.start)
      : inner.where((eb) =>
          eb.or([
            eb.and([eb('concluded_on', '>=', y.start), eb('concluded_on', '<=', y.end), eb('result', '<>', 'pending')]),
            eb('concluded_on', 'is', null),
            eb('concluded_on', '>', y.end),
            eb('result', '=', 'pending'),
          ]),
        );
  const rows = await db
    .selectFrom(scoped.as('t'))
    .select(['t.agency_id', 't.kind', 't.r', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['t.agency_id', 't.kind', 't.r'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, kind: r.kind, result: r.r, n: Number(r.n) }));
}

export interface ProactiveCounts {
  agencyId: number;
  rulesIssued: number;
  rulesAbolished: number;
  rulesInForce: number;
  docsIssued: number;
  docsAbolished: number;
  docsInForce: number;
  licensing: number;
  penalties: number;
  enforcement: number;
  feesFen: number;
}

/** Table 二 from the registries (规章/规范性文件 by dates, decisions by their counts, 行政事业性收费 in fen). */
export async function proactiveCounts(db: Executor, agencyIds: number[], y: YearRange): Promise<ProactiveCounts[]> {
  const by = new Map<number, ProactiveCounts>();
  const get = (id: number): ProactiveCounts => {
    let c = by.get(id);
    if (!c) {
      c = { agencyId: id, rulesIssued: 0, rulesAbolished: 0, rulesInForce: 0, docsIssued: 0, docsAbolished: 0, docsInForce: 0, licensing: 0, penalties: 0, enforcement: 0, feesFen: 0 };
      by.set(id, c);
    }
    return c;
  };
  const docs = await db
    .selectFrom('normative_documents')
    .where('agency_id', 'in', agencyIds)
    .select([
      'agency_id',
      'kind',
      sql<number>`sum(case when issued_on >= ${y.start} and issued_on <= ${y.end} then 1 else 0 end)`.as('issued'),
      sql<number>`sum(case when abolished_on >= ${y.start} and abolished_on <= ${y.end} then 1 else 0 end)`.as('abolished'),
      sql<number>`sum(case when issued_on <= ${y.end} and (abolished_on is null or abolished_on > ${y.end}) then 1 else 0 end)`.as('in_force'),
    ])
    .groupBy(['agency_id', 'kind'])
    .execute();
  for (const d of docs) {
    const c = get(d.agency_id);
    if (d.kind === 'rule') {
      c.rulesIssued += Number(d.issued);
      c.rulesAbolished += Number(d.abolished);
      c.rulesInForce += Number(d.in_force);
    } else if (d.kind === 'normative_document') {
      c.docsIssued += Number(d.issued);
      c.docsAbolished += Number(d.abolished);
      c.docsInForce += Number(d.in_force);
    }
  }
  const decisions = await db
    .selectFrom('enforcement_decisions')
    .where('agency_id', 'in', agencyIds)
    .where('decided_on', '>=', y.start)
    .where('decided_on', '<=', y.end)
    .select(['agency_id', 'kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['agency_id', 'kind'])
    .execute();
  for (const d of decisions) {
    const c = get(d.agency_id);
    const n = Number(d.n ?? 0);
    if (d.kind === 'licensing') c.licensing += n;
    else if (d.kind === 'penalty') c.penalties += n;
    else if (d.kind === 'enforcement') c.enforcement += n;
  }
  const fees = await db
    .selectFrom('fee_collections')
    .where('agency_id', 'in', agencyIds)
    .where('collected_on', '>=', y.start)
    .where('collected_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.sum<number>('amount_fen').as('fen')])
    .groupBy('agency_id')
    .execute();
  for (const f of fees) get(f.agency_id).feesFen += Number(f.fen ?? 0);
  return [...by.values()];
}

export interface ChannelCount {
  agencyId: number;
  channel: string;
  n: number;
}

/** What went out on new media in the year, by channel (sum of the counted rows). */
export async function newMediaCounts(db: Executor, agencyIds: number[], y: YearRange): Promise<ChannelCount[]> {
  const rows = await db
    .selectFrom('new_media_posts')
    .where('agency_id', 'in', agencyIds)
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', 'channel', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['agency_id', 'channel'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, channel: r.channel, n: Number(r.n ?? 0) }));
}

const tableCache = new WeakMap<object, Set<string>>();

/** Whether a table exists (the items table belongs to the disclosure capability's migration). */
async function hasTable(db: Executor, name: string): Promise<boolean> {
  let names = tableCache.get(db);
  if (!names || !names.has(name)) {
    names = new Set((await db.introspection.getTables()).map((t) => t.name));
    tableCache.set(db, names);
  }
  return names.has(name);
}

/** Items published on the portal in the year, per agency (0 when the disclosure capability is not installed). */
export async function itemsPublished(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; n: number }[]> {
  if (!(await hasTable(db, 'items'))) return [];
  const q = db as unknown as import('kysely').Kysely<{ items: { agency_id: number; status: string; published_on: string | null } }>;
  const rows = await q
    .selectFrom('items')
    .where('agency_id', 'in', agencyIds)
    .where('status', '=', 'published')
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }));
}

/** 信息处理费 paid in the year (yuan), per agency. */
export async function processingFees(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; yuan: number; requests: number }[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('fee_paid_on', '>=', y.start)
    .where('fee_paid_on', '<=', y.end)
    .where('fee_yuan', '>', 0)
    .select(['agency_id', (eb) => eb.fn.sum<number>('fee_yuan').as('yuan'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, yuan: Number(r.yuan ?? 0), requests: Number(r.n) }));
}

// ---------------------------------------------------------------------------------------------
// Broken records: what would make the year's figures wrong.

export interface RequestProblemRow {
  id: number;
  agencyId: number;
  trackingNo: string;
  receivedOn: string;
  repliedOn: string | null;
  outcome: string | null;
  applicantKind: string;
  status: string;
}

/** Requests that count in the year (received by 31 Dec, open or replied on/after 1 Jan), plus any replied in it. */
export async function requestsForCheck(db: Executor, agencyIds: number[], y: YearRange): Promise<RequestProblemRow[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where((eb) =>
      eb.or([
        eb.and([eb('received_on', '<=', y.end), eb.or([eb('replied_on', 'is', null), eb('replied_on', '>=', y.start)])]),
        eb.and([eb('replied_on', '>=', y.start), eb('replied_on', '<=', y.end)]),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('replied_on', '<', eb.ref('received_on')),
        eb.and([eb('replied_on', 'is not', null), eb('outcome', 'is', null)]),
        eb.and([eb('replied_on', 'is', null), eb('outcome', 'is not', null)]),
        eb.and([eb('replied_on', 'is', null), eb('status', 'in', ['replied', 'closed'])]),
        eb('applicant_kind', 'not in', ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_org', 'legal_service_org', 'other_org']),
      ]),
    )
    .select(['id', 'agency_id', 'tracking_no', 'received_on', 'replied_on', 'outcome', 'applicant_kind', 'status'])
    .orderBy('id')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    trackingNo: r.tracking_no,
    receivedOn: r.received_on,
    repliedOn: r.replied_on,
    outcome: r.outcome,
    applicantKind: r.applicant_kind,
    status: r.status,
  }));
}

/**
 * Requests replied in the year whose outcome key is not a row of table 三 (the only ones the report needs:
 * filtering in the database keeps a roll-up from reading back every replied request).
 */
export async function outcomesUsed(db: Executor, agencyIds: number[], y: YearRange): Promise<{ outcome: string; trackingNo: string }[]> {
  const rows = await disclosureRequests(db, agencyIds)
    .where('replied_on', '>=', y.start)
    .where('replied_on', '<=', y.end)
    .where('outcome', 'is not', null)
    .where('outcome', 'not in', [...OUTCOME_KEYS])
    .select(['outcome', 'tracking_no'])
    .execute();
  return rows.map((r) => ({ outcome: r.outcome!, trackingNo: r.tracking_no }));
}

export interface CaseProblemRow {
  id: number;
  caseNo: string | null;
  kind: string;
  filedOn: string;
  result: string;
  concludedOn: string | null;
}

export async function reviewCasesForCheck(db: Executor, agencyIds: number[], y: YearRange): Promise<CaseProblemRow[]> {
  const rows = await db
    .selectFrom('review_cases')
    .where('agency_id', 'in', agencyIds)
    .where('filed_on', '<=', y.end)
    .where((eb) => eb.or([eb('concluded_on', 'is', null), eb('concluded_on', '>=', y.start)]))
    .where((eb) =>
      eb.or([
        eb('concluded_on', '<', eb.ref('filed_on')),
        eb.and([eb('result', '<>', 'pending'), eb('concluded_on', 'is', null)]),
        eb.and([eb('result', '=', 'pending'), eb('concluded_on', 'is not', null)]),
        eb('result', 'not in', ['upheld', 'corrected', 'other', 'pending']),
        eb('kind', 'not in', ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration']),
      ]),
    )
    .select(['id', 'case_no', 'kind', 'filed_on', 'result', 'concluded_on'])
    .orderBy('id')
    .limit(200)
    .execute();
  return rows.map((r) => ({ id: r.id, caseNo: r.case_no, kind: r.kind, filedOn: r.filed_on, result: r.result, concludedOn: r.concluded_on }));
}

export async function documentsForCheck(db: Executor, agencyIds: number[], y: YearRange) {
  return db
    .selectFrom('normative_documents')
    .where('agency_id', 'in', agencyIds)
    .where('abolished_on', 'is not', null)
    .where((eb) => eb('abolished_on', '<', eb.ref('issued_on')))
    .where('issued_on', '<=', y.end)
    .select(['id', 'title', 'doc_number', 'issued_on', 'abolished_on'])
    .limit(200)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The reports' own rows.

export type ReportRow = Selectable<ReportsTable>;
export type UnlockRow = Selectable<ReportUnlocksTable>;

export async function findReport(db: Executor, agencyId: number, year: number): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('agency_id', '=', agencyId).where('year', '=', year).executeTakeFirst();
}

export async function insertReport(db: Executor, row: Omit<ReportRow, 'id' | 'rollup' | 'revision'> & { rollup: number }): Promise<ReportRow> {
  return db.insertInto('reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateReport(db: Executor, id: number, patch: Partial<Omit<ReportRow, 'id'>>): Promise<void> {
  await db.updateTable('reports').set(patch).where('id', '=', id).execute();
}

export async function listReports(db: Executor, opts: { agencyIds?: number[]; year?: number; publishedOnly?: boolean }): Promise<ReportRow[]> {
  let q = db.selectFrom('reports').selectAll();
  if (opts.agencyIds) q = q.where('agency_id', 'in', opts.agencyIds.length ? opts.agencyIds : [-1]);
  if (opts.year !== undefined) q = q.where('year', '=', opts.year);
  if (opts.publishedOnly) q = q.where('published', 'is not', null);
  return q.orderBy('year', 'desc').orderBy('agency_id').execute();
}

/** Published reports of a year whose scope covers the agency (its own report, or a roll-up that sums it). */
/**
 * Published reports of `year` owned by one of `ownerIds` (an agency and its ancestors: a report covers only
 * its owner and, in a roll-up, agencies below it), with the owner's name.
 */
export async function publishedCovering(db: Executor, year: number, ownerIds: number[]): Promise<{ agencyId: number; scope: string; ownerName: string }[]> {
  if (!ownerIds.length) return [];
  // Every write checks the year lock: compiled once, for hierarchies up to 8 deep (the list is padded by
  // repeating an id); deeper ones are built each time.
  const [o0, o1 = o0, o2 = o0, o3 = o0, o4 = o0, o5 = o0, o6 = o0, o7 = o0] = ownerIds as [number, ...number[]];
  const rows =
    ownerIds.length <= 8
      ? await publishedCoveringStatement.execute(db, { year, o0, o1, o2, o3, o4, o5, o6, o7 })
      : await publishedCoveringQuery(db, year, ownerIds).execute();
  return rows.map((r) => ({ agencyId: r.agency_id, scope: r.scope, ownerName: r.name }));
}

const publishedCoveringQuery = (db: Executor, year: number, ownerIds: number[]) =>
  db
    .selectFrom('reports')
    .innerJoin('agencies', 'agencies.id', 'reports.agency_id')
    .where('reports.year', '=', year)
    .where('reports.published', 'is not', null)
    .where('reports.agency_id', 'in', ownerIds)
    .select(['reports.agency_id', 'reports.scope', 'agencies.name']);
const publishedCoveringStatement = precompiled<Record<'year' | 'o0' | 'o1' | 'o2' | 'o3' | 'o4' | 'o5' | 'o6' | 'o7', number>>()((db, p) =>
  publishedCoveringQuery(db, p.year, [p.o0, p.o1, p.o2, p.o3, p.o4, p.o5, p.o6, p.o7]),
);

/** The code and materialised path of an agency (for the year lock). */
export async function agencyCodeAndPath(db: Executor, id: number): Promise<{ code: string; path: string } | undefined> {
  return db.selectFrom('agencies').select(['code', 'path']).where('id', '=', id).executeTakeFirst();
}

export async function openUnlock(db: Executor, agencyId: number, year: number): Promise<UnlockRow | undefined> {
  return db
    .selectFrom('report_unlocks')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .where('relocked_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertUnlock(db: Executor, row: Omit<UnlockRow, 'id' | 'relocked_at'>): Promise<UnlockRow> {
  return db.insertInto('report_unlocks').values({ ...row, relocked_at: null }).returningAll().executeTakeFirstOrThrow();
}

export async function relockAll(db: Executor, agencyIds: number[], year: number, at: string): Promise<void> {
  if (!agencyIds.length) return;
  await db
    .updateTable('report_unlocks')
    .set({ relocked_at: at })
    .where('agency_id', 'in', agencyIds)
    .where('year', '=', year)
    .where('relocked_at', 'is', null)
    .execute();
}

export async function listUnlocks(db: Executor, agencyId: number, year: number): Promise<UnlockRow[]> {
  return db.selectFrom('report_unlocks').selectAll().where('agency_id', '=', agencyId).where('year', '=', year).orderBy('id', 'desc').execute();
}

// ---------------------------------------------------------------------------------------------
// Oversight: open work per agency.

export async function openRequestCounts(db: Executor, agencyIds: number[], today: string) {
  const rows = await disclosureRequests(db, agencyIds)
    .where('replied_on', 'is', null)
    .where('status', 'not in', ['replied', 'closed'])
    .select([
      'agency_id',
      (eb) => eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when due_on is not null and due_on < ${today} then 1 else 0 end)`.as('overdue'),
    ])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, open: Number(r.open), overdue: Number(r.overdue ?? 0) }));
}

export async function concludedCases(db: Executor, agencyIds: number[], since: string) {
  const rows = await db
    .selectFrom('review_cases')
    .where('agency_id', 'in', agencyIds)
    .where('concluded_on', '>=', since)
    .where('result', '<>', 'pending')
    .select([
      'agency_id',
      'kind',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when result = 'corrected' then 1 else 0 end)`.as('corrected'),
    ])
    .groupBy(['agency_id', 'kind'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, kind: r.kind, n: Number(r.n), corrected: Number(r.corrected ?? 0) }));
}
