/** Reading requests: one request (staff, or the applicant's private link) and the lists with their counters. */
import { listActiveHandlers } from '../accounts/accounts.service.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, notFound } from '../../errors.js';
import type { Executor } from '../../db/database.js';
import type { Calendar } from '../../law/calendar.js';
import type { LetterKind } from '../../render/letters.js';
import { readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { agencyRef, applicantFor, canHandle, loadForStaff, sha256 } from './requests.access.js';
import { clockView, type ClockView } from './requests.clock.js';
import { provisionalCalendar } from '../../law/calendar-statutory.js';
import { dueBounds, dueStatus } from '../../law/due-status.js';
import { lettersAvailable } from './requests.letter-dates.js';
import * as repo from './requests.repository.js';
import type { Applicant, EventRow, RequestRow } from './requests.repository.js';
import { reviewCasesOf, type ReviewCaseRow } from '../reviews/reviews.read-model.js';

export interface RequestView {
  request: RequestRow;
  events: EventRow[];
  clock: ClockView;
  /** The reader handles this agency's requests: may act and see personal data. */
  canHandle: boolean;
  applicant: Applicant;
  reviewCases: ReviewCaseRow[];
  suggestion: { outcome: string; reason: string } | null;
  letters: LetterKind[];
  fee: { method: string | null; amount: number; deadline?: string; paidOn: string | null } | null;
}

export async function buildView(db: Executor, cal: Calendar, r: RequestRow, today: string, full: boolean, handle: boolean): Promise<RequestView> {
  const events = await repo.listEvents(db, r.id);
  const clock = clockView(cal, r.receivedOn, events, r.kind === 'disclosure', today);
  const prior = clock.state !== 'replied' && r.kind === 'disclosure' && r.duplicateOf ? await repo.findById(db, r.duplicateOf) : undefined;
  return viewOf(r, events, clock, prior, await reviewCasesOf(db, r.id), today, full, handle);
}

/** The view of a request from its row, events, clock, the request it duplicates (if read) and its review cases. */
export function viewOf(
  r: RequestRow,
  events: EventRow[],
  clock: ClockView,
  prior: { trackingNo: string; repliedOn: string | null } | undefined,
  reviewCases: ReviewCaseRow[],
  today: string,
  full: boolean,
  handle: boolean,
): RequestView {
  let suggestion: RequestView['suggestion'] = null;
  if (clock.state !== 'replied' && r.kind === 'disclosure') {
    if (r.duplicateOf) {
      if (prior && prior.repliedOn) {
        suggestion = { outcome: 'not_processed.duplicate', reason: `同一申请人曾申请公开相同政府信息（${prior.trackingNo}，已于 ${prior.repliedOn} 答复），可按重复申请不予重复处理（条例第三十六条第（六）项）` };
      }
    }
    const lapse = clock.clock?.lapse;
    if (lapse && today >= lapse.on) {
      suggestion = {
        outcome: lapse.outcome,
        reason: lapse.outcome === 'other.correction_overdue' ? `补正期限已于 ${clock.clock!.correction?.deadline} 届满，申请人未补正，可按逾期不补正办结（条例第三十条）` : `缴费期限已于 ${clock.clock!.fee?.deadline} 届满，申请人未缴费，可按逾期未缴费办结`,
      };
    }
  }
  const fee = r.feeMethod ? { method: r.feeMethod, amount: r.feeYuan, ...(clock.clock?.fee?.deadline ? { deadline: clock.clock.fee.deadline } : {}), paidOn: r.feePaidOn } : null;
  return {
    request: r,
    events,
    clock,
    canHandle: handle,
    applicant: applicantFor(r.applicant, full),
    reviewCases,
    suggestion,
    letters: lettersAvailable(r, events),
    fee,
  };
}

export async function getRequest(ctx: Ctx, actor: Actor, id: number): Promise<RequestView> {
  const r = await loadForStaff(ctx, actor, id);
  const handle = canHandle(actor, agencyRef(r));
  return buildView(ctx.db, await loadCalendar(ctx), r, todayCst(ctx.now()), handle, handle);
}

/** The applicant's private link: the tracking number and the key. A wrong key reveals nothing. */
export async function getRequestByTracking(ctx: Ctx, trackingNo: string, key: string): Promise<RequestView> {
  const r = trackingNo && key ? await repo.findByTrackingNo(ctx.db, trackingNo.trim().toUpperCase()) : undefined;
  const a = Buffer.from(sha256(key ?? ''));
  const b = Buffer.from(r?.accessKeyHash ?? sha256(randomBytes(8).toString('hex')));
  if (!r || !r.accessKeyHash || !timingSafeEqual(a, b)) throw notFound('该申请（查询编号或查询码不正确）');
  return buildView(ctx.db, await loadCalendar(ctx), r, todayCst(ctx.now()), false, false);
}

export interface ListQuery {
  agency?: string;
  status?: string;
  kind?: string;
  q?: string;
  mine?: boolean;
  page?: number;
  pageSize?: number;
}

export interface ListedRequest {
  request: RequestRow;
  overdue: boolean;
  dueSoon: boolean;
  workingDaysLeft: number | null;
}

export interface RequestList {
  items: ListedRequest[];
  total: number;
  page: number;
  pages: number;
  agencies: Agency[];
  counts: { open: number; overdue: number; dueSoon: number; correctionPending: number; paused: number; flagged: number };
}

export async function listRequests(ctx: Ctx, actor: Actor, q: ListQuery): Promise<RequestList> {
  const agencies = await readableAgencies(ctx, actor);
  let ids = agencies.map((a) => a.id);
  if (q.agency) {
    const a = agencies.find((x) => x.code === q.agency);
    if (!a) throw new AppError('forbidden', '您无权查看该机构的申请');
    ids = [a.id];
  }
  const pageSize = Math.min(Math.max(q.pageSize ?? 50, 1), 200);
  const page = Math.max(q.page ?? 1, 1);
  const filter: repo.ListFilter = { agencyIds: ids, status: q.status ?? 'open', kind: q.kind, q: q.q?.trim() || undefined, handlerId: q.mine ? actor.userId : undefined, limit: pageSize, offset: (page - 1) * pageSize };
  const [rows, total, byStatus] = await Promise.all([repo.listRequests(ctx.db, filter), repo.countRequests(ctx.db, filter), repo.countOpenByStatus(ctx.db, ids)]);
  const cal = await loadCalendar(ctx);
  const today = todayCst(ctx.now());
  const items: ListedRequest[] = [];
  for (const row of rows) {
    let r = row;
    // A pause or an awaited 补正 moves the limit day by day: these rows show the limit as of today, as the
    // request's own page does (the stored due_on is as of the last action).
    if (r.status === 'paused' || r.status === 'correction_pending') {
      const v = clockView(cal, r.receivedOn, await repo.listEvents(ctx.db, r.id), r.kind === 'disclosure', today);
      r = { ...r, dueOn: v.dueOn };
    }
    const counting = r.calendarFlag && r.dueOn ? provisionalCalendar(cal) : cal;
    const due = dueStatus(counting, today, r.dueOn, { repliedOn: r.status === 'replied' ? r.repliedOn : null, running: r.status !== 'correction_pending' });
    items.push({ request: r, overdue: due.overdue, dueSoon: due.dueSoon, workingDaysLeft: due.workingDaysLeft });
  }
  // Counters over all open requests (SQL), by the same rule (src/law/due-status.ts).
  const bounds = dueBounds(provisionalCalendar(cal), today);
  const [overdue, dueByLimit] = await Promise.all([
    repo.countDueBy(ctx.db, ids, bounds.overdueBefore, true),
    bounds.dueSoonThrough ? repo.countDueBy(ctx.db, ids, bounds.dueSoonThrough) : Promise.resolve(0),
  ]);
  const open = Object.values(byStatus).reduce((s, n) => s + n, 0);
  const flagged = rows.filter((r) => r.calendarFlag).length;
  return {
    items,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    agencies,
    counts: { open, overdue, dueSoon: Math.max(0, dueByLimit - overdue), correctionPending: byStatus.correction_pending ?? 0, paused: byStatus.paused ?? 0, flagged },
  };
}

/** Agencies where the actor may register requests (handler role). */
export async function registrableAgencies(ctx: Ctx, actor: Actor): Promise<Agency[]> {
  const all = await readableAgencies(ctx, actor);
  return all.filter((a) => canHandle(actor, a));
}

export async function handlersFor(ctx: Ctx, actor: Actor, id: number): Promise<{ id: number; name: string }[]> {
  const r = await loadForStaff(ctx, actor, id);
  return listActiveHandlers(ctx, r.agencyId);
}
