/**
 * What every action on a request shares: inside the action's transaction, re-read the request, hold the year
 * lock, ask the law whether the action is allowed (src/law/reply-clock.ts validateAction), store the event
 * and the row's changes, recompute the clock, append the audit entry and answer the fresh view.
 */
import type { Executor } from '../../../db/database.js';
import { AppError } from '../../../errors.js';
import type { Calendar } from '../../../law/calendar.js';
import type { ActionRefusal, ClockEvent, RefusalCode } from '../../../law/reply-clock.js';
import { appendAudit } from '../../audit-log/audit-log.service.js';
import { assertYearsOpen } from '../../year-lock/year-lock.service.js';
import { todayCst, type Actor, type Ctx } from '../../context.js';
import { refusalsOf } from '../requests.clock.js';
import { recompute } from '../requests.recompute.js';
import * as repo from '../requests.repository.js';
import type { RequestRow } from '../requests.repository.js';
import { buildView, type RequestView } from '../requests.views.js';

/** One action as stored: the event (type as the clock knows it, date, data) and the row's changes. */
export interface RequestAction {
  /** The action asked for (audit: `request.${action}`); 'transfer' is stored as a 'reply' event. */
  action: string;
  /** The stored event's type. */
  type: string;
  on: string;
  data: Record<string, unknown>;
  patch: repo.RequestPatch;
  /**
   * Facts that must be read in the action's own transaction (e.g. the fee ordinal: which request of the
   * applicant's month this is), completing `data` and `patch` before the law is asked.
   */
  complete?: (tx: Executor, current: RequestRow) => Promise<void>;
}

/** Who acts and the calendar to count on (loaded before the transaction opens). */
export interface ActingOn {
  ctx: Ctx;
  actor: Actor;
  cal: Calendar;
}

const VALIDATION_REFUSALS: ReadonlySet<RefusalCode> = new Set([
  'INVALID_DATE',
  'UNKNOWN_ACTION',
  'DATE_BEFORE_RECEIPT',
  'DATE_BEFORE_PREVIOUS_ACTION',
  'EXTENSION_DAYS_INVALID',
  'OUTCOME_INVALID',
  'CORRECTION_PERIOD_INVALID',
  'CONSULTATION_PARTY_AMBIGUOUS',
]);

export function refusalError(r: ActionRefusal, field: string): AppError {
  const reason = `request.${r.code.toLowerCase()}`;
  const fields = [{ field, message: r.message }];
  if (r.code === 'CALENDAR_NOT_COVERED') return new AppError('calendar_not_covered', r.message, { reason, fields });
  if (VALIDATION_REFUSALS.has(r.code)) return new AppError('validation', r.message, { reason, fields });
  return new AppError('conflict', r.message, { reason, fields });
}

function fieldOfRefusal(code: RefusalCode): string {
  if (code === 'OUTCOME_INVALID' || code === 'CORRECTION_NOT_OVERDUE' || code === 'FEE_NOT_OVERDUE' || code === 'STILL_UNCLEAR_WITHOUT_CORRECTION') return 'outcome';
  if (code.startsWith('EXTENSION_DAYS')) return 'days';
  if (code === 'CONSULTATION_PARTY_AMBIGUOUS') return 'party';
  return 'on';
}

/** Events that do not move the clock (letters served, notes, a 一事一申请 split): stored without asking the law. */
const OUTSIDE_THE_CLOCK = new Set(['deliver', 'note', 'split']);

export async function applyClockAction(tx: Executor, request: RequestRow, event: RequestAction, by: ActingOn): Promise<RequestView> {
  const { ctx, actor, cal } = by;
  const { type, on, data, patch } = event;
  const disclosure = request.kind === 'disclosure';
  const cur = (await repo.findById(tx, request.id))!;
  // A published report locks its year: neither the action's date nor a reply it replaces may fall in it.
  await assertYearsOpen(tx, cur.agencyId, [on, event.action === 'reply' ? cur.repliedOn : null]);
  if (event.complete) await event.complete(tx, cur);
  const events = await repo.listEvents(tx, request.id);
  if (!OUTSIDE_THE_CLOCK.has(type)) {
    const clockEvent = { type, on, ...data } as Record<string, unknown>;
    if (!disclosure && type === 'reply') delete clockEvent.outcome;
    const refusals = refusalsOf(cal, cur.receivedOn, events, clockEvent as unknown as ClockEvent, disclosure);
    if (refusals.length) throw refusalError(refusals[0]!, fieldOfRefusal(refusals[0]!.code));
  }
  const at = ctx.now();
  await repo.insertEvent(tx, { requestId: request.id, type, on, data, actorId: actor.userId, at: at.toISOString() });
  if (Object.keys(patch).length) await repo.updateRequest(tx, request.id, patch, at.toISOString());
  const updated = (await repo.findById(tx, request.id))!;
  const view = await recompute(tx, cal, updated, todayCst(at), at.toISOString());
  await appendAudit(tx, {
    actor,
    agencyId: request.agencyId,
    action: `request.${event.action}`,
    entity: 'request',
    entityId: request.id,
    data: {
      trackingNo: request.trackingNo,
      on,
      ...(data.outcome ? { outcome: data.outcome } : {}),
      ...(data.days !== undefined ? { days: data.days } : {}),
      ...(data.method ? { method: data.method, amount: data.amount } : {}),
      ...(data.count !== undefined ? { count: data.count } : {}),
      ...(data.letter ? { letter: data.letter, serviceMethod: data.serviceMethod } : {}),
      ...(data.items ? { items: (data.items as string[]).length } : {}),
      dueOn: view.dueOn,
      status: view.status,
    },
    at,
  });
  const fresh = (await repo.findById(tx, request.id))!;
  return buildView(tx, cal, fresh, todayCst(at), true, true);
}
