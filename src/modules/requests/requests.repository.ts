/** SQL of 依申请公开: requests, their events, and (read-only here) the review cases linked to them. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { RequestsTable } from './requests.tables.js';
import './requests.tables.js';
import '../accounts/accounts.read-model.js';
import '../agencies/agencies.read-model.js';

export interface Applicant {
  kind: string;
  name: string;
  idType: string | null;
  idNumber: string | null;
  orgCode: string | null;
  contact: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  postcode: string | null;
}

export interface RequestRow {
  id: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  agencyPath: string;
  trackingNo: string;
  accessKeyHash: string | null;
  kind: 'disclosure' | 'record_correction';
  channel: string;
  receivedOn: string;
  submittedAt: string;
  applicant: Applicant;
  applicantKey: string | null;
  subject: string;
  description: string;
  docNumber: string | null;
  formWanted: string | null;
  delivery: string | null;
  status: string;
  dueOn: string | null;
  calendarFlag: string | null;
  outcome: string | null;
  repliedOn: string | null;
  /** The first reply, kept when a 纠正 reopened the request (outcome / repliedOn are then the re-handling's). */
  firstOutcome: string | null;
  firstRepliedOn: string | null;
  reopenedOn: string | null;
  replyText: string | null;
  feeMethod: string | null;
  feePages: number | null;
  feeYuan: number;
  feePaidOn: string | null;
  /** 件数 after a 一事一申请 split; 1 when not split. */
  splitItems: number;
  handlerId: number | null;
  handlerName: string | null;
  duplicateOf: number | null;
  transferredTo: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EventRow {
  id: number;
  requestId: number;
  type: string;
  on: string;
  data: Record<string, unknown>;
  actorId: number | null;
  actorName: string | null;
  createdAt: string;
}

type Joined = Selectable<RequestsTable> & { agency_code: string; agency_name: string; agency_path: string; handler_name: string | null };

function toRequest(r: Joined): RequestRow {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    agencyPath: r.agency_path,
    trackingNo: r.tracking_no,
    accessKeyHash: r.access_key_hash,
    kind: r.kind === 'record_correction' ? 'record_correction' : 'disclosure',
    channel: r.channel,
    receivedOn: r.received_on,
    submittedAt: r.submitted_at,
    applicant: {
      kind: r.applicant_kind,
      name: r.applicant_name,
      idType: r.applicant_id_type,
      idNumber: r.applicant_id_number,
      orgCode: r.applicant_org_code,
      contact: r.applicant_contact,
      phone: r.applicant_phone,
      email: r.applicant_email,
      address: r.applicant_address,
      postcode: r.applicant_postcode,
    },
    applicantKey: r.applicant_key,
    subject: r.subject,
    description: r.description,
    docNumber: r.doc_number,
    formWanted: r.form_wanted,
    delivery: r.delivery,
    status: r.status,
    dueOn: r.due_on,
    calendarFlag: r.calendar_flag,
    outcome: r.outcome,
    repliedOn: r.replied_on,
    firstOutcome: r.first_outcome,
    firstRepliedOn: r.first_replied_on,
    reopenedOn: r.reopened_on,
    replyText: r.reply_text,
    feeMethod: r.fee_method,
    feePages: r.fee_pages,
    feeYuan: Number(r.fee_yuan ?? 0),
    feePaidOn: r.fee_paid_on,
    splitItems: Number(r.split_items ?? 1),
    handlerId: r.handler_id,
    handlerName: r.handler_name,
    duplicateOf: r.duplicate_of,
    transferredTo: r.transferred_to,
    idempotencyKey: r.idempotency_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function base(db: Executor) {
  return db
    .selectFrom('requests')
    .innerJoin('agencies', 'agencies.id', 'requests.agency_id')
    .leftJoin('users', 'users.id', 'requests.handler_id')
    .selectAll('requests')
    .select(['agencies.code as agency_code', 'agencies.name as agency_name', 'agencies.path as agency_path', 'users.display_name as handler_name']);
}

export async function findById(db: Executor, id: number): Promise<RequestRow | undefined> {
  const r = await base(db).where('requests.id', '=', id).executeTakeFirst();
  return r && toRequest(r as Joined);
}

export async function findByTrackingNo(db: Executor, trackingNo: string): Promise<RequestRow | undefined> {
  const r = await base(db).where('requests.tracking_no', '=', trackingNo).executeTakeFirst();
  return r && toRequest(r as Joined);
}

export async function findByIdempotencyKey(db: Executor, key: string): Promise<RequestRow | undefined> {
  const r = await base(db).where('requests.idempotency_key', '=', key).executeTakeFirst();
  return r && toRequest(r as Joined);
}

/**
 * PostgreSQL: locks the agency's row until the transaction ends, so concurrent submissions to one agency take
 * their tracking serials one after the other instead of colliding on the unique index and retrying. (SQLite
 * serialises writers anyway and has no row locks.)
 */
export async function lockAgencyForSerial(db: Executor, agencyId: number): Promise<void> {
  await db.selectFrom('agencies').select('id').where('id', '=', agencyId).forUpdate().execute();
}

/** Digits of a tracking number's serial (e.g. YSQ2025007 + 00042). */
export const SERIAL_DIGITS = 5;

/**
 * The highest serial used so far for a tracking-number prefix (e.g. 'YSQ2025007'). Only numbers exactly one
 * serial longer than the prefix count: the agency part is the id padded to three digits, so agency 123's
 * prefix (YSQ2025123) is also the start of agency 1234's numbers (YSQ20251234…), which are longer.
 */
export async function lastSerial(db: Executor, prefix: string): Promise<number> {
  const r = await db
    .selectFrom('requests')
    .select((eb) => eb.fn.max('tracking_no').as('m'))
    // The range lets both engines use the unique index on tracking_no (a LIKE alone scans the table on
    // SQLite and on PostgreSQL with a non-C collation); serials are digits, so the range holds them all.
    // The pattern is a literal (the prefix is letters and digits): SQLite re-prepares a statement whose LIKE
    // pattern is a bound parameter every time it runs, which cost 5 times the lookup.
    .where('tracking_no', '>=', prefix)
    .where('tracking_no', '<=', `${prefix}${'9'.repeat(SERIAL_DIGITS)}`)
    .where('tracking_no', 'like', sql.lit(`${prefix}%`))
    .where(sql`length(tracking_no)`, '=', sql.lit(prefix.length + SERIAL_DIGITS))
    .executeTakeFirst();
  const m = r?.m as string | null | undefined;
  if (!m) return 0;
  const n = Number(m.slice(prefix.length));
  return Number.isFinite(n) ? n : 0;
}

/** The columns a new request is inserted with (the others keep their defaults: no reply, fee or handler yet). */
const INSERTED = [
  'agency_id', 'tracking_no', 'access_key_hash', 'kind', 'channel', 'received_on', 'submitted_at',
  'applicant_kind', 'applicant_name', 'applicant_id_type', 'applicant_id_number', 'applicant_org_code', 'applicant_contact',
  'applicant_phone', 'applicant_email', 'applicant_address', 'applicant_postcode', 'applicant_key',
  'subject', 'description', 'doc_number', 'form_wanted', 'delivery', 'status', 'due_on', 'calendar_flag',
  'duplicate_of', 'idempotency_key', 'subject_key', 'description_key', 'created_at', 'updated_at',
] as const satisfies readonly (keyof RequestsTable)[];
type RequestInsert = { [K in (typeof INSERTED)[number]]: Selectable<RequestsTable>[K] };

const insertRequestStatement = precompiled<RequestInsert>()((db, p) =>
  db
    .insertInto('requests')
    .values(Object.fromEntries(INSERTED.map((c) => [c, p[c]])) as RequestInsert)
    .returning('id'),
);

/**
 * Inserts a new request as `r` describes it (its id, the agency's fields and the handler's name are not
 * columns; a new request has no reply, fee or handler yet) with the duplicate check's keys; its id.
 */
export async function insertRequest(db: Executor, r: RequestRow, keys: { subjectKey: string; descriptionKey: string | null }): Promise<number> {
  const [row] = await insertRequestStatement.execute(db, {
    agency_id: r.agencyId,
    tracking_no: r.trackingNo,
    access_key_hash: r.accessKeyHash,
    kind: r.kind,
    channel: r.channel,
    received_on: r.receivedOn,
    submitted_at: r.submittedAt,
    applicant_kind: r.applicant.kind,
    applicant_name: r.applicant.name,
    applicant_id_type: r.applicant.idType,
    applicant_id_number: r.applicant.idNumber,
    applicant_org_code: r.applicant.orgCode,
    applicant_contact: r.applicant.contact,
    applicant_phone: r.applicant.phone,
    applicant_email: r.applicant.email,
    applicant_address: r.applicant.address,
    applicant_postcode: r.applicant.postcode,
    applicant_key: r.applicantKey,
    subject: r.subject,
    description: r.description,
    doc_number: r.docNumber,
    form_wanted: r.formWanted,
    delivery: r.delivery,
    status: r.status,
    due_on: r.dueOn,
    calendar_flag: r.calendarFlag,
    duplicate_of: r.duplicateOf,
    idempotency_key: r.idempotencyKey,
    subject_key: keys.subjectKey,
    description_key: keys.descriptionKey,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  });
  return row!.id;
}

export interface RequestPatch {
  status?: string;
  due_on?: string | null;
  calendar_flag?: string | null;
  outcome?: string | null;
  replied_on?: string | null;
  first_outcome?: string | null;
  first_replied_on?: string | null;
  reopened_on?: string | null;
  reply_text?: string | null;
  fee_method?: string | null;
  fee_pages?: number | null;
  fee_yuan?: number;
  fee_paid_on?: string | null;
  split_items?: number;
  handler_id?: number | null;
  transferred_to?: string | null;
}

export async function updateRequest(db: Executor, id: number, patch: RequestPatch, at: string): Promise<void> {
  await db.updateTable('requests').set({ ...patch, updated_at: at }).where('id', '=', id).execute();
}

const insertEventStatement = precompiled<{ requestId: number; type: string; on: string; data: string; actorId: number | null; at: string }>()((db, p) =>
  db
    .insertInto('request_events')
    .values({ request_id: p.requestId, type: p.type, event_on: p.on, data: p.data, actor_id: p.actorId, created_at: p.at })
    .returning('id'),
);

export async function insertEvent(
  db: Executor,
  e: { requestId: number; type: string; on: string; data: Record<string, unknown>; actorId: number | null; at: string },
): Promise<number> {
  const [row] = await insertEventStatement.execute(db, { ...e, data: JSON.stringify(e.data) });
  return row!.id;
}

export async function listEvents(db: Executor, requestId: number): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('request_events')
    .leftJoin('users', 'users.id', 'request_events.actor_id')
    .select([
      'request_events.id',
      'request_events.request_id',
      'request_events.type',
      'request_events.event_on',
      'request_events.data',
      'request_events.actor_id',
      'request_events.created_at',
      'users.display_name as actor_name',
    ])
    .where('request_events.request_id', '=', requestId)
    .orderBy('request_events.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    type: r.type,
    on: r.event_on,
    data: JSON.parse(r.data) as Record<string, unknown>,
    actorId: r.actor_id,
    actorName: r.actor_name ?? null,
    createdAt: r.created_at,
  }));
}

/** How many of an applicant's latest requests at an agency the duplicate check compares with (a bound). */
export const DUPLICATE_WINDOW = 100;

const latestDuplicateStatement = precompiled<{ agencyId: number; applicantKey: string; subjectKey: string; descriptionKey: string | null }>()((db, p) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('requests')
        .select(['id', 'tracking_no', 'replied_on', 'received_on', 'subject_key', 'description_key'])
        // The casts keep SQLite from re-preparing the statement on every run: with the STAT4 samples that
        // PRAGMA optimize collects, a bare parameter compared with an indexed column makes the plan depend on
        // its value (60 µs instead of 6 µs on the benchmark's database; the same plan either way).
        .where('agency_id', '=', sql<number>`cast(${p.agencyId} as integer)`)
        .where('applicant_key', '=', sql<string>`cast(${p.applicantKey} as text)`)
        .where('kind', '=', sql.lit('disclosure'))
        .orderBy('received_on', 'desc')
        .orderBy('id', 'desc')
        // Literal limits: with bound ones SQLite reads the whole window even when the latest request matches.
        .limit(sql.lit(DUPLICATE_WINDOW))
        .as('recent'),
    )
    .select(['recent.id', 'recent.tracking_no', 'recent.replied_on'])
    // A null description key (a description too short to compare) equals nothing.
    .where((eb) => eb.or([eb('recent.subject_key', '=', p.subjectKey), eb('recent.description_key', '=', p.descriptionKey)]))
    .orderBy('recent.received_on', 'desc')
    .orderBy('recent.id', 'desc')
    .limit(sql.lit(1)),
);

/**
 * The latest of the applicant's DUPLICATE_WINDOW most recent disclosure requests at the agency whose subject
 * key or (when given) description key is the same: the duplicate check, compared by the database.
 */
export async function findLatestDuplicate(
  db: Executor,
  agencyId: number,
  applicantKey: string,
  keys: { subjectKey: string; descriptionKey: string | null },
): Promise<{ id: number; trackingNo: string; repliedOn: string | null } | undefined> {
  const [r] = await latestDuplicateStatement.execute(db, { agencyId, applicantKey, ...keys });
  return r && { id: r.id, trackingNo: r.tracking_no, repliedOn: r.replied_on };
}

/** The applicant's public online filings on a day from one origin (a keyed hash of the client address). */
export async function countOnlineFilingsFrom(db: Executor, applicantKey: string, origin: string, on: string): Promise<number> {
  const r = await db
    .selectFrom('online_filings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('applicant_key', '=', applicantKey)
    .where('origin', '=', origin)
    .where('received_on', '=', on)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertOnlineFiling(db: Executor, f: { requestId: number; origin: string; applicantKey: string; receivedOn: string }): Promise<void> {
  await db.insertInto('online_filings').values({ request_id: f.requestId, origin: f.origin, applicant_key: f.applicantKey, received_on: f.receivedOn }).execute();
}

/** The applicant's disclosure requests to this agency received in the month up to this one (inclusive). */
/** One of an applicant's disclosure requests in a natural month, as the 按件 count needs it. */
export interface MonthApplicationRow {
  id: number;
  trackingNo: string;
  receivedOn: string;
  splitItems: number;
  feeMethod: string | null;
}

/**
 * The applicant's disclosure requests to the agency received in `receivedOn`'s natural month, by receipt (same
 * day by id). On PostgreSQL their rows are locked until the transaction ends (FOR UPDATE), so that a 件 count
 * read here cannot be changed underneath by a concurrent split or fee notice of the same applicant's month
 * (SQLite serialises writers anyway and has no row locks).
 */
export async function applicationsInMonth(db: Executor, engine: 'sqlite' | 'postgres', agencyId: number, applicantKey: string, receivedOn: string): Promise<MonthApplicationRow[]> {
  const month = receivedOn.slice(0, 7);
  let q = db
    .selectFrom('requests')
    .select(['id', 'tracking_no', 'received_on', 'split_items', 'fee_method'])
    .where('agency_id', '=', agencyId)
    .where('applicant_key', '=', applicantKey)
    .where('kind', '=', 'disclosure')
    .where('received_on', '>=', `${month}-01`)
    .where('received_on', '<=', `${month}-31`)
    .orderBy('id');
  if (engine === 'postgres') q = q.forUpdate();
  const rows = await q.execute();
  return rows
    .map((r) => ({ id: r.id, trackingNo: r.tracking_no, receivedOn: r.received_on, splitItems: Number(r.split_items ?? 1), feeMethod: r.fee_method }))
    .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.id - b.id));
}

export interface ListFilter {
  agencyIds: number[];
  /** 'open' (not replied), 'replied', 'all', or a status value. */
  status?: string;
  kind?: string;
  q?: string;
  handlerId?: number;
  limit: number;
  offset: number;
}

function filtered(db: Executor, f: ListFilter) {
  let q = base(db).where('requests.agency_id', 'in', f.agencyIds.length ? f.agencyIds : [-1]);
  if (f.status === 'open') q = q.where('requests.status', '!=', 'replied');
  else if (f.status && f.status !== 'all') q = q.where('requests.status', '=', f.status);
  if (f.kind) q = q.where('requests.kind', '=', f.kind);
  if (f.handlerId) q = q.where('requests.handler_id', '=', f.handlerId);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('requests.tracking_no', 'like', like), eb('requests.subject', 'like', like)]));
  }
  return q;
}

/**
 * Sorted by urgency: open requests first by due date (earliest first; flagged and correction-pending ones,
 * which have no due date, after them), then replied ones, newest reply first.
 */
export async function listRequests(db: Executor, f: ListFilter): Promise<RequestRow[]> {
  const rows = await filtered(db, f)
    .orderBy((eb) => eb.case().when('requests.status', '=', 'replied').then(1).else(0).end())
    .orderBy((eb) => eb.case().when('requests.due_on', 'is', null).then(1).else(0).end())
    .orderBy('requests.due_on')
    .orderBy('requests.replied_on', 'desc')
    .orderBy('requests.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return rows.map((r) => toRequest(r as Joined));
}

export async function countRequests(db: Executor, f: ListFilter): Promise<number> {
  let q = db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('agency_id', 'in', f.agencyIds.length ? f.agencyIds : [-1]);
  if (f.status === 'open') q = q.where('status', '!=', 'replied');
  else if (f.status && f.status !== 'all') q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.handlerId) q = q.where('handler_id', '=', f.handlerId);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('tracking_no', 'like', like), eb('subject', 'like', like)]));
  }
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Open requests by status (GROUP BY), for the office's counters. */
export async function countOpenByStatus(db: Executor, agencyIds: number[]): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('requests')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agency_id', 'in', agencyIds.length ? agencyIds : [-1])
    .where('status', '!=', 'replied')
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Open requests whose due date is on or before `date` (overdue or due soon), counted in SQL. */
export async function countDueBy(db: Executor, agencyIds: number[], date: string, strictlyBefore = false): Promise<number> {
  const r = await db
    .selectFrom('requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_id', 'in', agencyIds.length ? agencyIds : [-1])
    .where('status', 'in', ['open', 'reopened'])
    .where('due_on', strictlyBefore ? '<' : '<=', date)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Requests whose clock could not be computed (calendar gap), to recompute after a year is loaded. */
export async function listFlagged(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('requests').select('id').where('calendar_flag', 'is not', null).execute();
  return rows.map((r) => r.id);
}

/**
 * Requests whose limit a newly loaded notice can move: those counted provisionally (calendar_flag) and those
 * not yet replied that were received on or after `since`.
 */
export async function listRecomputable(db: Executor, since: string): Promise<number[]> {
  const rows = await db
    .selectFrom('requests')
    .select('id')
    .where((eb) => eb.or([eb('calendar_flag', 'is not', null), eb.and([eb('status', '!=', 'replied'), eb('received_on', '>=', since)])]))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

