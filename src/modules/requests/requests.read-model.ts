/**
 * The requests module's read model: the aggregates it owns that other modules (the annual report, oversight)
 * read. GROUP BY in the database, always also by agency so that a roll-up can show each unit's contribution.
 *
 * Counting rules (../shared/spec/contract.md): a request counts as `new` in the year of received_on, under its
 * outcome in the year of replied_on, `carriedForward` when received on or before 31 Dec and not replied by then,
 * `carriedOver` when received before 1 Jan and not replied before it. Only `kind = 'disclosure'` requests
 * (政府信息公开申请) count; 更正 requests (第41条) do not.
 *
 * A request reopened by a 纠正 review result (reopened_on set) is two handlings, each counted by those rules:
 *   the first      received_on → first_replied_on (first_outcome): counted as it always was, so a year whose report
 *                  is published keeps its figures when the request is reopened and answered again later;
 *   the re-handling reopened_on → replied_on (outcome): new work in the year of the reopening (本年新收), carried
 *                  forward while open at a year's end, under its outcome in the year of its reply.
 * This keeps 新收 + 上年结转 = 办理结果合计 + 结转下年度 in every year. A request not reopened is one handling:
 * received_on → replied_on. Each count is one query per handling kind (the first handling of reopened requests
 * and the re-handlings are few, found through requests_agency_reopened), summed here.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { YearRange } from '../../law/report-period.js';
import { OUTCOME_KEYS } from '../../law/report-model.js';
import './requests.tables.js';

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

/** Sums counts of the same agency and kind (and outcome) from the handlings' queries. */
function merged<T extends KindCount>(parts: T[][], key: (c: T) => string): T[] {
  const out = new Map<string, T>();
  for (const c of parts.flat()) {
    const k = key(c);
    const have = out.get(k);
    if (have) have.n += c.n;
    else out.set(k, { ...c });
  }
  return [...out.values()];
}
const byKind = (c: KindCount) => `${c.agencyId}|${c.applicantKind}`;
const byOutcome = (c: OutcomeCount) => `${c.agencyId}|${c.applicantKind}|${c.outcome}`;
/** Counts the rows of a disclosure-requests query by agency and applicant kind. */
async function kindCounts(q: ReturnType<typeof disclosureRequests>): Promise<KindCount[]> {
  return mapKind(await q.select(['agency_id', 'applicant_kind', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['agency_id', 'applicant_kind']).execute());
}

/** 一、本年新收: received in the year; and re-handlings begun in it (a 纠正 reopening). */
export async function countNew(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  const [received, reopened] = await Promise.all([
    kindCounts(disclosureRequests(db, agencyIds).where('received_on', '>=', y.start).where('received_on', '<=', y.end)),
    kindCounts(disclosureRequests(db, agencyIds).where('reopened_on', '>=', y.start).where('reopened_on', '<=', y.end)),
  ]);
  return merged([received, reopened], byKind);
}

/**
 * Handlings still open at a boundary: begun `begun` it and replied `unreplied` it (or not yet) — the plain
 * requests, the first handling of reopened ones (first_replied_on), and the re-handlings (reopened_on).
 */
async function countOpenAt(db: Executor, agencyIds: number[], begun: ['<' | '<=', string], unreplied: ['>=' | '>', string]): Promise<KindCount[]> {
  const [plain, firstOfReopened, rehandling] = await Promise.all([
    kindCounts(
      disclosureRequests(db, agencyIds)
        .where('received_on', begun[0], begun[1])
        .where('reopened_on', 'is', null)
        .where((eb) => eb.or([eb('replied_on', 'is', null), eb('replied_on', unreplied[0], unreplied[1])]))
    ),
    kindCounts(
      disclosureRequests(db, agencyIds)
        .where('reopened_on', 'is not', null)
        .where('received_on', begun[0], begun[1])
        .where((eb) => eb.or([eb('first_replied_on', 'is', null), eb('first_replied_on', unreplied[0], unreplied[1])]))
    ),
    kindCounts(
      disclosureRequests(db, agencyIds)
        .where('reopened_on', begun[0], begun[1])
        .where((eb) => eb.or([eb('replied_on', 'is', null), eb('replied_on', unreplied[0], unreplied[1])]))
    ),
  ]);
  return merged([plain, firstOfReopened, rehandling], byKind);
}

/** 二、上年结转: handlings begun before the year and not replied before it. */
export function countCarriedOver(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  return countOpenAt(db, agencyIds, ['<', y.start], ['>=', y.start]);
}

/** 四、结转下年度继续办理: handlings begun by 31 Dec and not replied by then. */
export function countCarriedForward(db: Executor, agencyIds: number[], y: YearRange): Promise<KindCount[]> {
  return countOpenAt(db, agencyIds, ['<=', y.end], ['>', y.end]);
}

/**
 * 三、本年度办理结果: replies made in the year, by outcome — a request's only reply, a re-handling's reply
 * (replied_on, outcome), and the first reply of a reopened request (first_replied_on, first_outcome).
 */
export async function countOutcomes(db: Executor, agencyIds: number[], y: YearRange): Promise<OutcomeCount[]> {
  const [replies, firstReplies] = await Promise.all([
    disclosureRequests(db, agencyIds)
      .where('replied_on', '>=', y.start)
      .where('replied_on', '<=', y.end)
      .select(['agency_id', 'applicant_kind', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['agency_id', 'applicant_kind', 'outcome'])
      .execute(),
    disclosureRequests(db, agencyIds)
      .where('reopened_on', 'is not', null)
      .where('first_replied_on', '>=', y.start)
      .where('first_replied_on', '<=', y.end)
      .select(['agency_id', 'applicant_kind', 'first_outcome as outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['agency_id', 'applicant_kind', 'first_outcome'])
      .execute(),
  ]);
  const map = (rows: typeof replies) => rows.map((r) => ({ agencyId: r.agency_id, applicantKind: r.applicant_kind, outcome: r.outcome ?? '', n: Number(r.n) }));
  return merged([map(replies), map(firstReplies)], byOutcome);
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

/** The tracking numbers (登记编号) of the given requests, by id: for the records that refer to a request. */
export async function trackingNumbersOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  const rows = await db.selectFrom('requests').select(['id', 'tracking_no']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.tracking_no]));
}

/**
 * 考核: disclosure requests replied in the year, and how many by the last day of their limit (replied_on <=
 * due_on). Requests without a computed limit (calendar not loaded) are left out of both.
 */
export async function replyTimeliness(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; replied: number; onTime: number }[]> {
  if (!agencyIds.length) return [];
  const rows = await disclosureRequests(db, agencyIds)
    .where('replied_on', '>=', y.start)
    .where('replied_on', '<=', y.end)
    .where('due_on', 'is not', null)
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when replied_on <= due_on then 1 else 0 end)`.as('on_time')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, replied: Number(r.n), onTime: Number(r.on_time ?? 0) }));
}

/** The records behind replyTimeliness for one agency, late ones first. */
export async function replyTimelinessRecords(db: Executor, agencyId: number, y: YearRange, limit = 1000) {
  const rows = await disclosureRequests(db, [agencyId])
    .where('replied_on', '>=', y.start)
    .where('replied_on', '<=', y.end)
    .where('due_on', 'is not', null)
    .select(['id', 'tracking_no', 'subject', 'received_on', 'due_on', 'replied_on'])
    .orderBy(sql`case when replied_on > due_on then 0 else 1 end`)
    .orderBy('replied_on')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, subject: r.subject, receivedOn: r.received_on, dueOn: r.due_on!, repliedOn: r.replied_on!, onTime: r.replied_on! <= r.due_on! }));
}
