/**
 * Re-handling after a 纠正 review result (called by the reviews module inside its transaction), and the
 * recomputation of open requests after a calendar year is loaded.
 */
import type { Executor } from '../../db/database.js';
import { invalid, notFound } from '../../errors.js';
import type { Calendar } from '../../law/calendar.js';
import { canRead } from '../accounts/access.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { assertYearsOpen } from '../year-lock/year-lock.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { agencyRef } from './requests.access.js';
import { recompute } from './requests.recompute.js';
import * as repo from './requests.repository.js';

export interface RequestSummary {
  id: number;
  agencyId: number;
  agencyPath: string;
  trackingNo: string;
  subject: string;
  receivedOn: string;
  repliedOn: string | null;
  status: string;
  kind: string;
}

export async function requestSummary(db: Executor, id: number): Promise<RequestSummary | undefined> {
  const r = await repo.findById(db, id);
  return r && { id: r.id, agencyId: r.agencyId, agencyPath: r.agencyPath, trackingNo: r.trackingNo, subject: r.subject, receivedOn: r.receivedOn, repliedOn: r.repliedOn, status: r.status, kind: r.kind };
}

/** Looks a request up by tracking number for a review case (the staff member must be able to read it). */
export async function findRequestForReview(ctx: Ctx, actor: Actor, trackingNo: string): Promise<RequestSummary | undefined> {
  const r = await repo.findByTrackingNo(ctx.db, trackingNo.trim().toUpperCase());
  if (!r || !canRead(actor, agencyRef(r))) return undefined;
  return requestSummary(ctx.db, r.id);
}

/** The official calendar (load it before opening the transaction that calls reopenForRehandling). */
export const officialCalendar = (ctx: Ctx) => loadCalendar(ctx);

/**
 * A 纠正 result: the request is handled again, the way an office does it — the re-handling is new work in the year
 * it happens, and the first reply stays what it was. So the first reply moves to first_outcome / first_replied_on
 * (it stays counted where it was: the years of the receipt and of that reply, published or not), reopened_on is
 * `on`, and outcome / replied_on wait for the re-handling's own reply. The annual report counts the re-handling as
 * 本年新收 in the year of `on`, 结转下年度 while open at a year's end, and under its outcome in the year of its
 * reply (requests.read-model.ts). Only `on` must be in an open year (year-lock.service.ts): a reply in a later
 * year to a request first answered in a locked year rewrites nothing there.
 *
 * A second 纠正 on the same request: the first reply stays; the earlier re-handling (its reopening and reply) is
 * replaced by the new one, so its dates must be in open years too.
 */
export async function reopenForRehandling(ctx: Ctx, tx: Executor, cal: Calendar, actor: Actor, requestId: number, on: string, caseId: number): Promise<void> {
  const r = await repo.findById(tx, requestId);
  if (!r) throw notFound('申请');
  if (r.status !== 'replied') return; // still being handled: nothing to reopen
  await assertYearsOpen(tx, r.agencyId, [on, ...(r.reopenedOn ? [r.reopenedOn, r.repliedOn] : [])]);
  if (r.repliedOn && on < r.repliedOn) throw invalid(`结案日期 ${on} 早于原答复日期 ${r.repliedOn}`, [{ field: 'concludedOn', message: '结案日期早于原答复日期' }], 'review.before_reply');
  const at = ctx.now();
  await repo.insertEvent(tx, { requestId, type: 'reopen', on, data: { caseId }, actorId: actor.userId, at: at.toISOString() });
  const first = r.reopenedOn ? { first_outcome: r.firstOutcome, first_replied_on: r.firstRepliedOn } : { first_outcome: r.outcome, first_replied_on: r.repliedOn };
  await repo.updateRequest(tx, requestId, { ...first, reopened_on: on, outcome: null, replied_on: null }, at.toISOString());
  const view = await recompute(tx, cal, r, todayCst(at), at.toISOString());
  await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.reopen', entity: 'request', entityId: requestId, data: { trackingNo: r.trackingNo, on, caseId, dueOn: view.dueOn, firstRepliedOn: first.first_replied_on }, at });
}

/**
 * After a calendar year is loaded: recompute every request whose clock was provisional or could not be
 * computed; the number no longer flagged. (The office page and the CLI use loadHolidayNotice, which also says
 * what moved.)
 */
export async function recomputeFlagged(ctx: Ctx): Promise<number> {
  const cal = await loadCalendar(ctx);
  const ids = await repo.listFlagged(ctx.db);
  let fixed = 0;
  for (const id of ids) {
    await ctx.db.transaction().execute(async (tx) => {
      const r = (await repo.findById(tx, id))!;
      const at = ctx.now();
      const v = await recompute(tx, cal, r, todayCst(at), at.toISOString());
      if (!v.calendarFlag) fixed++;
    });
  }
  return fixed;
}
