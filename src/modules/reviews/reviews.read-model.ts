/**
 * The reviews module's read model: 行政复议 and 行政诉讼 cases as the annual report (table 四) and oversight
 * count them.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { YearRange } from '../../law/report-period.js';
import './reviews.tables.js';
import { listLinkedTo, type ReviewCase } from './reviews.repository.js';

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

/** A review case as a request shows it (and its JSON): the case without the agency's and the log's fields. */
export type ReviewCaseRow = Omit<ReviewCase, 'agencyCode' | 'agencyName' | 'trackingNo' | 'createdAt' | 'updatedAt'>;

/** The review cases linked to a request, oldest first (shown with the request and in its JSON). */
export async function reviewCasesOf(db: Executor, requestId: number): Promise<ReviewCaseRow[]> {
  return (await listLinkedTo(db, requestId)).map(({ agencyCode: _c, agencyName: _n, trackingNo: _t, createdAt: _a, updatedAt: _u, ...row }) => row);
}

/** 考核: cases concluded within the year by kind, and how many the agency lost (纠正). */
export async function concludedWithin(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; kind: string; n: number; corrected: number }[]> {
  if (!agencyIds.length) return [];
  const rows = await db
    .selectFrom('review_cases')
    .where('agency_id', 'in', agencyIds)
    .where('concluded_on', '>=', y.start)
    .where('concluded_on', '<=', y.end)
    .where('result', '<>', 'pending')
    .select(['agency_id', 'kind', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when result = 'corrected' then 1 else 0 end)`.as('corrected')])
    .groupBy(['agency_id', 'kind'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, kind: r.kind, n: Number(r.n), corrected: Number(r.corrected ?? 0) }));
}

/** The records behind concludedWithin for one agency. */
export async function concludedWithinRecords(db: Executor, agencyId: number, y: YearRange, limit = 1000) {
  const rows = await db
    .selectFrom('review_cases')
    .where('agency_id', '=', agencyId)
    .where('concluded_on', '>=', y.start)
    .where('concluded_on', '<=', y.end)
    .where('result', '<>', 'pending')
    .select(['id', 'kind', 'case_no', 'result', 'filed_on', 'concluded_on'])
    .orderBy('concluded_on')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, caseNo: r.case_no, result: r.result, filedOn: r.filed_on, concludedOn: r.concluded_on! }));
}
