/**
 * Reminders and notices.
 *
 * `runReminders(ctx, now)` is the daily run (scheduled by the server; safe to run any number of times, in any
 * number of processes): for every request whose reply clock runs it works out which reminders are due today
 * (schedule.ts, on the official calendar), writes each as a notification with a unique key per (kind, request,
 * limit, recipient) — an existing key means it was sent already, by this or another runner — plus its deliveries
 * (mail, webhook) and one line on the request's 办理记录; then the daily digests per handler and per agency; then
 * it sends what is pending. A delivery is claimed before it is sent, so two runners never send it twice; a
 * failed or timed-out attempt is retried later with a growing wait, and never holds up the others.
 *
 * Recipients: the request's handler (all of the agency's handlers when none is assigned); overdue requests go up
 * to the agency's approvers and, after `officeAfter` working days, to the oversight office (the supervisors of
 * the nearest ancestor agency that has any). The applicant is told by mail (when an address was given) when the
 * reply or a notice (补正, 延期, 收费) is issued.
 */
import { dueStatus } from '../../law/due-status.js';
import { AppError, invalid } from '../../errors.js';
import type { Db } from '../../db/database.js';
import { usersWithRoles } from '../accounts/accounts.service.js';
import { isAdmin, hasRole } from '../accounts/access.js';
import { getAgency, listAgencies, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { applicantContact, recordNotice, runningLimits, type LimitRow } from '../requests/notices.service.js';
import { onRequestActed, type RequestActed } from '../requests/requests.hooks.js';
import * as repo from './notifications.repository.js';
import { DEFAULT_REMINDER_SETTINGS, parseLeadDays, remindersDue, type ReminderKind, type ReminderSettings } from './schedule.js';
import { transportsOf, type Transports } from './transports.js';

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  due_in: '答复期限临近',
  due_today: '今天是答复期限的最后一天',
  overdue: '申请已超过答复期限',
  escalate_approver: '超期申请提请督促',
  escalate_office: '超期申请报送监督检查机构',
  digest_handler: '每日待办汇总',
  digest_agency: '本机构每日汇总',
  applicant_notice: '告知申请人',
  supervision: '督办',
};

const TIMELINE_TO: Record<ReminderKind, string> = {
  due_in: '承办人',
  due_today: '承办人',
  overdue: '承办人',
  escalate_approver: '本机构签发人',
  escalate_office: '上级监督检查机构',
};

/** Attempts before a delivery is given up; the wait after attempt n (minutes). */
export const MAX_ATTEMPTS = 8;
const RETRY_MINUTES = [1, 5, 30, 120, 360, 720, 1440];

export interface RunSummary {
  today: string;
  created: number;
  sent: number;
  failed: number;
}

// ---------------------------------------------------------------------------------------------
// Writing notifications

interface Recipient {
  userId: number;
}

/** Writes the notification once per key (and its deliveries); true when this call created it. */
async function notifyOnce(
  tx: Db,
  t: Transports | null,
  contacts: Map<number, { email: string | null; phone: string | null }>,
  n: Omit<repo.NewNotification, 'userId' | 'dedupeKey'> & { key: string },
  to: Recipient,
): Promise<number | null> {
  const id = await repo.insertOnce(tx, { ...n, dedupeKey: `${n.key}:u${to.userId}`, userId: to.userId });
  if (id === null) return null;
  const c = contacts.get(to.userId);
  if (t?.mail && c?.email) await repo.insertDelivery(tx, { notificationId: id, channel: 'email', address: c.email, at: n.at });
  if (t?.webhook && c?.phone) await repo.insertDelivery(tx, { notificationId: id, channel: 'webhook', address: c.phone, at: n.at });
  return id;
}

/** The supervisors of the nearest ancestor agency that has any (the oversight office above `agency`). */
function officeAbove(agency: Agency, byId: Map<number, Agency>, supervisors: Map<number, number[]>): number[] {
  for (let p = agency.parentId === null ? undefined : byId.get(agency.parentId); p; p = p.parentId === null ? undefined : byId.get(p.parentId)) {
    const s = supervisors.get(p.id);
    if (s?.length) return s;
  }
  return [];
}

function settingsFrom(raw: { leadDays: string; officeAfter: number } | undefined): ReminderSettings {
  if (!raw) return DEFAULT_REMINDER_SETTINGS;
  return { leadDays: parseLeadDays(raw.leadDays) ?? DEFAULT_REMINDER_SETTINGS.leadDays, officeAfter: raw.officeAfter };
}

function reminderText(kind: ReminderKind, r: LimitRow, workingDays: number, agencyName: string): { title: string; body: string } {
  const what = `受理编号 ${r.trackingNo}（${r.subject.slice(0, 60)}）`;
  switch (kind) {
    case 'due_in':
      return { title: `${NOTIFICATION_KIND_LABELS.due_in}：还有 ${workingDays} 个工作日`, body: `${what}的答复期限为 ${r.dueOn}，还有 ${workingDays} 个工作日，请按时答复。` };
    case 'due_today':
      return { title: NOTIFICATION_KIND_LABELS.due_today, body: `${what}的答复期限为今天（${r.dueOn}），请在今天内答复，或依法办理延期。` };
    case 'overdue':
      return { title: `${NOTIFICATION_KIND_LABELS.overdue}（${workingDays} 个工作日）`, body: `${what}的答复期限为 ${r.dueOn}，已超期 ${workingDays} 个工作日，请立即答复。` };
    case 'escalate_approver':
      return { title: `${NOTIFICATION_KIND_LABELS.escalate_approver}：${r.trackingNo}`, body: `${agencyName}${what}已超过答复期限（${r.dueOn}），请督促承办人答复。` };
    case 'escalate_office':
      return { title: `${NOTIFICATION_KIND_LABELS.escalate_office}：${agencyName}`, body: `${agencyName}${what}的答复期限为 ${r.dueOn}，已超期 ${workingDays} 个工作日，可对该机构发起督办。` };
  }
}

/**
 * The daily run. `now` is the instant of the run (its Beijing date is the day reminders are for). Idempotent:
 * a second run the same day — here or in another process — creates and sends nothing more.
 */
export async function runReminders(ctx: Ctx, now: Date): Promise<RunSummary> {
  const today = todayCst(now);
  const at = now.toISOString();
  const cal = await loadCalendar(ctx);
  const t = transportsOf(ctx);
  let created = 0;
  if (cal.covers(Number(today.slice(0, 4))) && cal.isWorkingDay(today)) {
    const limits = await runningLimits(ctx);
    const agencies = await listAgencies(ctx);
    const byId = new Map(agencies.map((a) => [a.id, a]));
    const agencyIds = [...new Set(limits.map((l) => l.agencyId))];
    const ancestorIds = [...new Set(agencyIds.flatMap((id) => (byId.get(id)?.path ?? '').split('/').filter(Boolean).map(Number)))];
    const [staff, settings] = await Promise.all([usersWithRoles(ctx, ancestorIds, ['handler', 'approver', 'supervisor']), repo.settingsOf(ctx.db, agencyIds)]);
    const of = (agencyId: number, role: string) => staff.filter((s) => s.agencyId === agencyId && s.role === role).map((s) => s.id);
    const supervisors = new Map<number, number[]>();
    for (const s of staff) if (s.role === 'supervisor') supervisors.set(s.agencyId, [...(supervisors.get(s.agencyId) ?? []), s.id]);
    const contacts = await repo.contactsOf(ctx.db, [...new Set(staff.map((s) => s.id))]);

    // Per request: its reminders, one transaction each.
    const digestOf = new Map<number, LimitRow[]>(); // handler → requests due soon or overdue
    for (const r of limits) {
      const agency = byId.get(r.agencyId);
      if (!agency) continue;
      const s = settingsFrom(settings.get(r.agencyId));
      const dues = remindersDue(cal, r.dueOn, today, s);
      const handlers = r.handlerId ? [r.handlerId] : of(r.agencyId, 'handler');
      const left = dueStatus(cal, today, r.dueOn).workingDaysLeft;
      const soon = r.dueOn <= today || (left !== null && left <= Math.max(...s.leadDays));
      if (soon) for (const h of handlers) digestOf.set(h, [...(digestOf.get(h) ?? []), r]);
      if (!dues.length) continue;
      created += await ctx.db.transaction().execute(async (tx) => {
        let n = 0;
        for (const d of dues) {
          const to = d.kind === 'escalate_approver' ? of(r.agencyId, 'approver') : d.kind === 'escalate_office' ? officeAbove(agency, byId, supervisors) : handlers;
          const text = reminderText(d.kind, r, d.workingDays, agency.name);
          let made = 0;
          for (const userId of to) {
            const id = await notifyOnce(
              tx,
              t,
              contacts,
              { key: `${d.kind}${d.lead || ''}:r${r.id}:${r.dueOn}`, kind: d.kind, agencyId: r.agencyId, requestId: r.id, sentOn: today, ...text, link: `/office/requests/${r.id}`, at },
              { userId },
            );
            if (id !== null) made++;
          }
          if (made) await recordNotice(tx, { requestId: r.id, on: today, what: text.title, to: `${TIMELINE_TO[d.kind]} ${made} 人`, at: now });
          n += made;
        }
        return n;
      });
    }

    // Daily digests: each handler's list, and each agency's counts to its approvers.
    await ctx.db.transaction().execute(async (tx) => {
      for (const [userId, rs] of digestOf) {
        const over = rs.filter((r) => r.dueOn < today).length;
        const body = rs
          .slice(0, 50)
          .map((r) => `${r.trackingNo}　${r.subject.slice(0, 40)}　期限 ${r.dueOn}${r.dueOn < today ? '（已超期）' : r.dueOn === today ? '（今天到期）' : ''}`)
          .join('\n');
        const id = await notifyOnce(
          tx,
          t,
          contacts,
          { key: `digest_handler:${today}`, kind: 'digest_handler', agencyId: rs[0]!.agencyId, requestId: null, sentOn: today, title: `${NOTIFICATION_KIND_LABELS.digest_handler}：${rs.length} 件临近期限或已超期${over ? `（其中超期 ${over} 件）` : ''}`, body, link: '/office/requests', at },
          { userId },
        );
        if (id !== null) created++;
      }
      for (const agencyId of agencyIds) {
        const rs = limits.filter((l) => l.agencyId === agencyId);
        const s = settingsFrom(settings.get(agencyId));
        const over = rs.filter((r) => r.dueOn < today).length;
        const soon = rs.filter((r) => { const left = dueStatus(cal, today, r.dueOn).workingDaysLeft; return r.dueOn >= today && left !== null && left <= Math.max(...s.leadDays); }).length;
        if (!over && !soon) continue;
        const name = byId.get(agencyId)?.name ?? '';
        for (const userId of of(agencyId, 'approver')) {
          const id = await notifyOnce(
            tx,
            t,
            contacts,
            { key: `digest_agency:a${agencyId}:${today}`, kind: 'digest_agency', agencyId, requestId: null, sentOn: today, title: `${NOTIFICATION_KIND_LABELS.digest_agency}：${name}`, body: `${name}办理中的申请 ${rs.length} 件，其中已超期 ${over} 件、${Math.max(...s.leadDays)} 个工作日内到期 ${soon} 件。`, link: '/office/requests', at },
            { userId },
          );
          if (id !== null) created++;
        }
      }
    });
  }
  const { sent, failed } = await deliverPending(ctx, now);
  return { today, created, sent, failed };
}

// ---------------------------------------------------------------------------------------------
// Sending

/**
 * Sends the deliveries due at `now` (all, or those of the given notifications), a few at a time. Each is claimed
 * first (another runner skips it), sent within the transport's timeout, then marked sent, or pending again with a
 * later attempt, or failed after MAX_ATTEMPTS. Returns how many were sent and failed in this call.
 */
export async function deliverPending(ctx: Ctx, now: Date, notificationIds?: number[]): Promise<{ sent: number; failed: number }> {
  const t = transportsOf(ctx);
  const at = now.toISOString();
  const due = await repo.dueDeliveries(ctx.db, at, 500, notificationIds);
  let sent = 0;
  let failed = 0;
  const timeoutMs = t?.config.timeoutMs ?? 20_000;
  const claimUntil = new Date(now.getTime() + timeoutMs * 3 + 60_000).toISOString();
  const one = async (d: repo.DueDelivery) => {
    if (!(await repo.claim(ctx.db, d.id, at, claimUntil))) return;
    const attempt = d.attempts + 1;
    try {
      const link = d.link ? `${t?.config.baseUrl ?? ''}${d.link}` : '';
      const text = `${d.body}${link ? `\n\n${link}` : ''}\n\n（本邮件由政府信息公开平台自动发送，请勿直接回复。）`;
      if (d.channel === 'email') {
        if (!t?.mail) throw new Error('未配置邮件服务器（GONGKAI_SMTP_URL）');
        await t.mail({ to: d.address, subject: d.title, text });
      } else {
        if (!t?.webhook) throw new Error('未配置短信/政务微信/钉钉网关（GONGKAI_NOTIFY_WEBHOOK_URL）');
        await t.webhook({ to: d.address, subject: d.title, text: d.body, kind: d.kind });
      }
      await repo.markSent(ctx.db, d.id, new Date().toISOString());
      sent++;
    } catch (err) {
      const wait = RETRY_MINUTES[Math.min(attempt - 1, RETRY_MINUTES.length - 1)]!;
      const next = attempt >= MAX_ATTEMPTS ? null : new Date(now.getTime() + wait * 60_000).toISOString();
      await repo.markFailed(ctx.db, d.id, err instanceof Error ? err.message : String(err), next);
      failed++;
    }
  };
  // At most 4 at a time: a hanging server holds one slot for its timeout, the rest go on.
  const queue = [...due];
  await Promise.all(
    Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await one(d);
    }),
  );
  return { sent, failed };
}

// ---------------------------------------------------------------------------------------------
// The applicant's notices

const APPLICANT_NOTICES: Record<string, string> = {
  reply: '已作出答复',
  request_correction: '需要补正申请内容（补正告知）',
  extend: '答复期限已依法延长（延期告知）',
  notify_fee: '需要缴纳信息处理费（收费通知）',
};

/** Mails the applicant (when an address was given and mail is configured) that a reply or notice was issued. */
export async function notifyApplicant(ctx: Ctx, e: RequestActed): Promise<void> {
  const what = APPLICANT_NOTICES[e.type];
  const t = transportsOf(ctx);
  if (!what || !t?.mail) return;
  const r = await applicantContact(ctx, e.requestId);
  if (!r?.email) return;
  const now = ctx.now();
  const id = await ctx.db.transaction().execute(async (tx) => {
    const id = await repo.insertOnce(tx, {
      dedupeKey: `applicant_${e.type}:r${r.id}:${e.on}:applicant`,
      kind: 'applicant_notice',
      agencyId: r.agencyId,
      requestId: r.id,
      userId: null,
      sentOn: todayCst(now),
      title: `您的政府信息公开申请${what}（受理编号 ${r.trackingNo}）`,
      body: `您好！您提交的政府信息公开申请（受理编号 ${r.trackingNo}，“${r.subject.slice(0, 60)}”）${what}。请通过受理回执中的查询链接（含查询码）查看文书全文。`,
      link: `/track/${encodeURIComponent(r.trackingNo)}`,
      at: now.toISOString(),
    });
    if (id === null) return null;
    await repo.insertDelivery(tx, { notificationId: id, channel: 'email', address: r.email!, at: now.toISOString() });
    await recordNotice(tx, { requestId: r.id, on: e.on, what: `电子邮件告知申请人：${what}`, to: '申请人', at: now });
    return id;
  });
  if (id !== null) await deliverPending(ctx, now, [id]);
}

onRequestActed(notifyApplicant);

// ---------------------------------------------------------------------------------------------
// Notifying about a 督办 (supervision module)

/** In-office notice (and mail / webhook) to accounts holding a role at an agency; once per key. */
export async function notifyRole(ctx: Ctx, n: { key: string; agencyId: number; roles: ('handler' | 'approver' | 'supervisor' | 'editor' | 'reviewer')[]; title: string; body: string; link: string }): Promise<number> {
  const users = [...new Set((await usersWithRoles(ctx, [n.agencyId], n.roles)).map((u) => u.id))];
  if (!users.length) return 0;
  const t = transportsOf(ctx);
  const contacts = await repo.contactsOf(ctx.db, users);
  const now = ctx.now();
  const ids = await ctx.db.transaction().execute(async (tx) => {
    const out: number[] = [];
    for (const userId of users) {
      const id = await notifyOnce(tx, t, contacts, { key: n.key, kind: 'supervision', agencyId: n.agencyId, requestId: null, sentOn: todayCst(now), title: n.title, body: n.body, link: n.link, at: now.toISOString() }, { userId });
      if (id !== null) out.push(id);
    }
    return out;
  });
  if (ids.length) void deliverPending(ctx, now, ids).catch(() => {});
  return ids.length;
}

// ---------------------------------------------------------------------------------------------
// The office list, contacts and settings

export interface NotificationItem extends repo.NotificationRow {
  kindLabel: string;
  deliveries: { channel: string; status: string; attempts: number }[];
}

export async function myNotifications(ctx: Ctx, actor: Actor, opts: { unreadOnly?: boolean } = {}): Promise<{ items: NotificationItem[]; unread: number }> {
  const rows = await repo.listForUser(ctx.db, actor.userId, { unreadOnly: opts.unreadOnly, limit: 200 });
  const dels = await repo.deliveriesOf(ctx.db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({ ...r, kindLabel: NOTIFICATION_KIND_LABELS[r.kind] ?? '通知', deliveries: dels.filter((d) => d.notificationId === r.id) })),
    unread: await repo.countUnread(ctx.db, actor.userId),
  };
}

export const unreadCount = (ctx: Ctx, actor: Actor) => repo.countUnread(ctx.db, actor.userId);

export async function markNotificationsRead(ctx: Ctx, actor: Actor, ids: number[] | 'all'): Promise<number> {
  return repo.markRead(ctx.db, actor.userId, ids, ctx.now().toISOString());
}

export async function myContact(ctx: Ctx, actor: Actor): Promise<{ email: string | null; phone: string | null }> {
  return (await repo.contactsOf(ctx.db, [actor.userId])).get(actor.userId) ?? { email: null, phone: null };
}

const EMAIL = /^[^\s@<>()，,;；]+@[^\s@<>()，,;；]+\.[^\s@<>()，,;；]+$/;
const PHONE = /^1\d{10}$/;

export async function saveMyContact(ctx: Ctx, actor: Actor, input: { email?: string; phone?: string }): Promise<void> {
  const email = (input.email ?? '').trim() || null;
  const phone = (input.phone ?? '').replace(/[\s-]/g, '') || null;
  const fields = [];
  if (email && (!EMAIL.test(email) || email.length > 200)) fields.push({ field: 'email', message: '电子邮箱格式不正确' });
  if (phone && !PHONE.test(phone)) fields.push({ field: 'phone', message: '手机号码应为 11 位数字' });
  if (fields.length) throw invalid('提醒接收方式填写有误', fields, 'notify.contact');
  await repo.saveContact(ctx.db, actor.userId, { email, phone }, ctx.now().toISOString());
}

export async function reminderSettings(ctx: Ctx, agencyId: number): Promise<ReminderSettings> {
  return settingsFrom((await repo.settingsOf(ctx.db, [agencyId])).get(agencyId));
}

/** An agency's reminder days and escalation (its approvers, or an administrator); audited. */
export async function saveReminderSettings(ctx: Ctx, actor: Actor, agencyCode: string, input: { leadDays?: string; officeAfter?: string | number }): Promise<ReminderSettings> {
  const agency = await getAgency(ctx, agencyCode);
  if (!isAdmin(actor) && !hasRole(actor, agency, ['approver'])) throw new AppError('forbidden', '只有本机构签发人或系统管理员可以设置期限提醒');
  const lead = parseLeadDays(String(input.leadDays ?? ''));
  const after = Number(input.officeAfter);
  const fields = [];
  if (!lead) fields.push({ field: 'leadDays', message: '请填写 1–30 之间的工作日数，用逗号分隔，最多 5 个，如“5,2”' });
  if (!Number.isInteger(after) || after < 1 || after > 60) fields.push({ field: 'officeAfter', message: '请填写 1–60 之间的整数' });
  if (fields.length || !lead) throw invalid('期限提醒设置有误', fields, 'notify.settings');
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.saveSettings(tx, agency.id, lead.join(','), after, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'notify.settings', entity: 'agency', entityId: agency.id, data: { leadDays: lead, officeAfter: after }, at });
  });
  return { leadDays: lead, officeAfter: after };
}
