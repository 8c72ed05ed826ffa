/** SQL behind reminders and notices about requests (read by the notifications module through notices.service). */
import type { Executor } from '../../db/database.js';
import './requests.tables.js';

export interface LimitRow {
  id: number;
  agencyId: number;
  trackingNo: string;
  subject: string;
  dueOn: string;
  handlerId: number | null;
}

/** Requests whose clock runs (open or re-handled, with a last day): the ones a reminder can be about. */
export async function runningLimits(db: Executor, agencyIds?: number[]): Promise<LimitRow[]> {
  let q = db
    .selectFrom('requests')
    .select(['id', 'agency_id', 'tracking_no', 'subject', 'due_on', 'handler_id'])
    .where('status', 'in', ['open', 'reopened'])
    .where('due_on', 'is not', null);
  if (agencyIds) q = q.where('agency_id', 'in', agencyIds.length ? agencyIds : [-1]);
  const rows = await q.orderBy('due_on').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, trackingNo: r.tracking_no, subject: r.subject, dueOn: r.due_on!, handlerId: r.handler_id }));
}

export async function applicantContact(db: Executor, id: number): Promise<{ id: number; agencyId: number; trackingNo: string; subject: string; email: string | null } | undefined> {
  const r = await db.selectFrom('requests').select(['id', 'agency_id', 'tracking_no', 'subject', 'applicant_email']).where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, agencyId: r.agency_id, trackingNo: r.tracking_no, subject: r.subject, email: r.applicant_email };
}

export async function insertNoticeEvent(db: Executor, e: { requestId: number; on: string; data: Record<string, unknown>; at: string }): Promise<void> {
  await db
    .insertInto('request_events')
    .values({ request_id: e.requestId, type: 'notify', event_on: e.on, data: JSON.stringify(e.data), actor_id: null, created_at: e.at })
    .execute();
}

export interface ReleasedRow {
  id: number;
  trackingNo: string;
  applicantKey: string;
  subject: string;
  description: string;
  repliedOn: string;
}

/** Disclosure requests answered with the information released (wholly or partly) since `since`, newest first. */
export async function releasedSince(db: Executor, agencyId: number, since: string, limit: number): Promise<ReleasedRow[]> {
  const rows = await db
    .selectFrom('requests')
    .select(['id', 'tracking_no', 'applicant_key', 'applicant_name', 'subject', 'description', 'replied_on'])
    .where('agency_id', '=', agencyId)
    .where('kind', '=', 'disclosure')
    .where('outcome', 'in', ['disclosed', 'partially_disclosed'])
    .where('replied_on', '>=', since)
    .orderBy('replied_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, applicantKey: r.applicant_key ?? `name:${r.applicant_name}`, subject: r.subject, description: r.description, repliedOn: r.replied_on! }));
}

export async function byTrackingNos(db: Executor, agencyId: number, nos: string[]): Promise<{ id: number; trackingNo: string; subject: string; dueOn: string | null; status: string }[]> {
  if (!nos.length) return [];
  const rows = await db.selectFrom('requests').select(['id', 'tracking_no', 'subject', 'due_on', 'status']).where('agency_id', '=', agencyId).where('tracking_no', 'in', nos).execute();
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, subject: r.subject, dueOn: r.due_on, status: r.status }));
}

export async function byIds(db: Executor, ids: number[]): Promise<{ id: number; trackingNo: string; subject: string; dueOn: string | null; status: string }[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('requests').select(['id', 'tracking_no', 'subject', 'due_on', 'status']).where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, subject: r.subject, dueOn: r.due_on, status: r.status }));
}
