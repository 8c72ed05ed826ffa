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
 * A 纠正 result: the request is handled again. Its first reply (outcome, replied_on) stays in the record until
 * the new reply replaces it; status becomes 'reopened' and a new handling period starts from `on`.
 */
export async function reopenForRehandling(ctx: Ctx, tx: Executor, cal: Calendar, actor: Actor, requestId: number, on: string, caseId: number): Promise<void> {
  const r = await repo.findById(tx, requestId);
  if (!r) throw notFound('申请');
  if (r.status !== 'replied') return; // still being handled: nothing to reopen
  // The reopening counts in the year it happens: the first reply (and its outcome, counted in its year) stays in
  // the record, so only the reopening's own date must be in an open year (year-lock.service.ts).
  await assertYearsOpen(tx, r.agencyId, [on]);
  if (r.repliedOn && on < r.repliedOn) throw invalid(`结案日期 ${on} 早于原答复日期 ${r.repliedOn}`, [{ field: 'concludedOn', message: '结案日期早于原答复日期' }], 'review.before_reply');
  const at = ctx.now();
  await repo.insertEvent(tx, { requestId, type: 'reopen', on, data: { caseId }, actorId: actor.userId, at: at.toISOString() });
  const view = await recompute(tx, cal, r, todayCst(at), at.toISOString());
  await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.reopen', entity: 'request', entityId: requestId, data: { trackingNo: r.trackingNo, on, caseId, dueOn: view.dueOn }, at });
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
