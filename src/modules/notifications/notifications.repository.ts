/** SQL of reminders and notices: the notification log (unique key), deliveries and their claims, contacts, settings. */
import type { Executor } from '../../db/database.js';
import './notifications.tables.js';

export interface NewNotification {
  dedupeKey: string;
  kind: string;
  agencyId: number;
  requestId: number | null;
  userId: number | null;
  sentOn: string;
  title: string;
  body: string;
  link: string | null;
  at: string;
}

/** Inserts unless the key exists (another runner, an earlier run): the new id, or null when it was there already. */
export async function insertOnce(db: Executor, n: NewNotification): Promise<number | null> {
  const row = await db
    .insertInto('notifications')
    .values({
      dedupe_key: n.dedupeKey,
      kind: n.kind,
      agency_id: n.agencyId,
      request_id: n.requestId,
      user_id: n.userId,
      sent_on: n.sentOn,
      title: n.title,
      body: n.body,
      link: n.link,
      created_at: n.at,
      read_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function insertDelivery(db: Executor, d: { notificationId: number; channel: string; address: string; at: string }): Promise<void> {
  await db
    .insertInto('notification_deliveries')
    .values({ notification_id: d.notificationId, channel: d.channel, address: d.address, status: 'pending', next_attempt_at: d.at, claimed_until: null, last_error: null, sent_at: null, created_at: d.at })
    .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
    .execute();
}

export interface DueDelivery {
  id: number;
  notificationId: number;
  channel: string;
  address: string;
  attempts: number;
  title: string;
  body: string;
  link: string | null;
  kind: string;
  userId: number | null;
}

export async function dueDeliveries(db: Executor, now: string, limit: number, ids?: number[]): Promise<DueDelivery[]> {
  let q = db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .select(['d.id', 'd.notification_id', 'd.channel', 'd.address', 'd.attempts', 'n.title', 'n.body', 'n.link', 'n.kind', 'n.user_id'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', now)]));
  if (ids) q = q.where('d.notification_id', 'in', ids.length ? ids : [-1]);
  const rows = await q.orderBy('d.id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, notificationId: r.notification_id, channel: r.channel, address: r.address, attempts: r.attempts, title: r.title, body: r.body, link: r.link, kind: r.kind, userId: r.user_id }));
}

/** Takes a delivery for one attempt (true), unless another runner holds it or it is no longer due. */
export async function claim(db: Executor, id: number, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('notification_deliveries')
    .set((eb) => ({ claimed_until: until, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markSent(db: Executor, id: number, at: string): Promise<void> {
  await db.updateTable('notification_deliveries').set({ status: 'sent', sent_at: at, claimed_until: null, last_error: null }).where('id', '=', id).execute();
}

export async function markFailed(db: Executor, id: number, error: string, next: string | null): Promise<void> {
  await db
    .updateTable('notification_deliveries')
    .set({ status: next ? 'pending' : 'failed', next_attempt_at: next ?? '9999-12-31T00:00:00.000Z', claimed_until: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export async function deliveriesOf(db: Executor, notificationIds: number[]): Promise<{ notificationId: number; channel: string; status: string; attempts: number }[]> {
  if (!notificationIds.length) return [];
  const rows = await db.selectFrom('notification_deliveries').select(['notification_id', 'channel', 'status', 'attempts']).where('notification_id', 'in', notificationIds).execute();
  return rows.map((r) => ({ notificationId: r.notification_id, channel: r.channel, status: r.status, attempts: r.attempts }));
}

export async function contactsOf(db: Executor, userIds: number[]): Promise<Map<number, { email: string | null; phone: string | null }>> {
  if (!userIds.length) return new Map();
  const rows = await db.selectFrom('notification_contacts').selectAll().where('user_id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.user_id, { email: r.email, phone: r.phone }]));
}

export async function saveContact(db: Executor, userId: number, c: { email: string | null; phone: string | null }, at: string): Promise<void> {
  await db
    .insertInto('notification_contacts')
    .values({ user_id: userId, email: c.email, phone: c.phone, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email: c.email, phone: c.phone, updated_at: at }))
    .execute();
}

export async function settingsOf(db: Executor, agencyIds: number[]): Promise<Map<number, { leadDays: string; officeAfter: number }>> {
  if (!agencyIds.length) return new Map();
  const rows = await db.selectFrom('notification_settings').selectAll().where('agency_id', 'in', agencyIds).execute();
  return new Map(rows.map((r) => [r.agency_id, { leadDays: r.lead_days, officeAfter: r.office_after }]));
}

export async function saveSettings(db: Executor, agencyId: number, leadDays: string, officeAfter: number, at: string): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values({ agency_id: agencyId, lead_days: leadDays, office_after: officeAfter, updated_at: at })
    .onConflict((oc) => oc.column('agency_id').doUpdateSet({ lead_days: leadDays, office_after: officeAfter, updated_at: at }))
    .execute();
}

export interface NotificationRow {
  id: number;
  kind: string;
  requestId: number | null;
  sentOn: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export async function listForUser(db: Executor, userId: number, opts: { unreadOnly?: boolean; limit: number }): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, requestId: r.request_id, sentOn: r.sent_on, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at }));
}

export async function countUnread(db: Executor, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function markRead(db: Executor, userId: number, ids: number[] | 'all', at: string): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : [-1]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function countByKeyPrefix(db: Executor, prefix: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('dedupe_key', 'like', `${prefix}%`).executeTakeFirst();
  return Number(r?.n ?? 0);
}
