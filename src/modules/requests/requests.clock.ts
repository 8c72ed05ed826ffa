/**
 * The reply clock of a stored request: its events → src/law/reply-clock.ts. Pure (no I/O).
 *
 * A request re-handled after a 纠正 review result (event 'reopen') has a second handling period: the limit of
 * 条例第33条 counted again from the day the agency received the decision (DERIVED: the statute does not say;
 * decisions usually order a new reply "within a time limit", and agencies apply the 20 working days). The
 * trace shows both periods.
 */
import { CalendarNotCoveredError, type Calendar } from '../../law/calendar.js';
import { provisionalCalendar } from '../../law/calendar-statutory.js';
import { dueStatus } from '../../law/due-status.js';
import { CLOCK_ACTIONS, ReplyClockError, computeReplyClockProvisionally, validateAction, type ActionRefusal, type ClockAction, type ClockEvent, type ReplyClock, type TraceStep } from '../../law/reply-clock.js';
import type { EventRow } from './requests.repository.js';

export interface Segment {
  receivedOn: string;
  events: ClockEvent[];
}

export function isClockAction(t: string): t is ClockAction {
  return (CLOCK_ACTIONS as readonly string[]).includes(t);
}

/** A stored event as the law's ClockEvent (only the fields the clock reads). */
export function toClockEvent(e: { type: string; on: string; data: Record<string, unknown> }, withOutcome: boolean): ClockEvent {
  const d = e.data;
  switch (e.type) {
    case 'request_correction':
      return { type: 'request_correction', on: e.on, ...(Array.isArray(d.items) ? { items: d.items as string[] } : {}), ...(typeof d.periodWorkingDays === 'number' ? { periodWorkingDays: d.periodWorkingDays } : {}) };
    case 'start_consultation':
    case 'end_consultation':
      return { type: e.type, on: e.on, ...(typeof d.party === 'string' && d.party ? { party: d.party } : {}) };
    case 'extend':
      return { type: 'extend', on: e.on, days: typeof d.days === 'number' ? d.days : 20 };
    case 'notify_fee':
      return { type: 'notify_fee', on: e.on, ...(d.method ? { method: d.method as 'per_request' | 'per_page' } : {}), ...(typeof d.pages === 'number' ? { pages: d.pages } : {}), ...(typeof d.amount === 'number' ? { amount: d.amount } : {}) };
    case 'reply':
      return { type: 'reply', on: e.on, ...(withOutcome && typeof d.outcome === 'string' ? { outcome: d.outcome } : {}) };
    default:
      return { type: e.type as 'receive_payment' | 'receive_correction', on: e.on };
  }
}

/** The handling periods: the first from receipt, one more after each 'reopen'. */
export function segmentsOf(receivedOn: string, events: readonly EventRow[], withOutcome: boolean): Segment[] {
  const segs: Segment[] = [{ receivedOn, events: [] }];
  for (const e of events) {
    if (e.type === 'reopen') segs.push({ receivedOn: e.on, events: [] });
    else if (isClockAction(e.type)) segs.at(-1)!.events.push(toClockEvent(e, withOutcome));
  }
  return segs;
}

export interface ClockView {
  /** Null when not even the provisional calendar covers a needed date. */
  clock: ReplyClock | null;
  /**
   * Set when a needed year's notice is not loaded (stored as requests.calendar_flag, so that loading the
   * notice recomputes the request): the provisional reason, or why nothing could be computed.
   */
  calendarFlag: string | null;
  /** dueOn was counted on the provisional calendar (weekends and statutory holidays only): 暂定. */
  dueProvisional: boolean;
  dueOn: string | null;
  state: ReplyClock['state'] | 'unknown';
  /** Stored status: open | correction_pending | paused | replied | reopened. */
  status: string;
  overdue: boolean;
  workingDaysLeft: number | null;
  /** Due within 5 working days (and not overdue). */
  dueSoon: boolean;
  trace: (TraceStep | { on: string; action: 'reopen'; text: string; dueOn: string })[];
  rehandling: boolean;
}

export { DUE_SOON_WORKING_DAYS } from '../../law/due-status.js';

/** The clock of the current handling period, seen on `today` (China Standard Time). */
export function clockView(cal: Calendar, receivedOn: string, events: readonly EventRow[], withOutcome: boolean, today: string): ClockView {
  const segs = segmentsOf(receivedOn, events, withOutcome);
  const rehandling = segs.length > 1;
  const trace: ClockView['trace'] = [];
  try {
    let clock: ReplyClock | null = null;
    let provisional: ReplyClock['provisional'] | undefined;
    segs.forEach((s, i) => {
      // As of today: an open pause has moved the limit by the working days it has taken so far (the law's asOf).
      clock = computeReplyClockProvisionally(s.receivedOn, s.events, cal, { asOf: today });
      provisional ??= clock.provisional;
      if (i > 0) trace.push({ on: s.receivedOn, action: 'reopen', text: `${s.receivedOn} 行政复议或行政诉讼结果为纠正，重新办理；答复期限自次日起重新计算（DERIVED）`, dueOn: clock.dueOn });
      trace.push(...(i > 0 ? clock.trace.slice(1) : clock.trace));
    });
    const c = clock as unknown as ReplyClock;
    // Count the days left on the calendar the limit was counted on.
    const counting = provisional ? provisionalCalendar(cal) : cal;
    // One definition of overdue and due soon (src/law/due-status.ts), on the calendar the limit was counted on.
    const due = dueStatus(counting, today, c.dueOn, { repliedOn: c.state === 'replied' ? (c.repliedOn ?? null) : null, running: c.state === 'running' || c.state === 'paused' });
    const overdue = due.overdue;
    const left = due.workingDaysLeft;
    const status =
      c.state === 'replied' ? 'replied' : c.state === 'awaiting_correction' ? 'correction_pending' : c.state === 'paused' ? 'paused' : rehandling ? 'reopened' : 'open';
    return {
      clock: c,
      calendarFlag: provisional ? provisional.reason : null,
      dueProvisional: !!provisional,
      dueOn: c.dueOn,
      state: c.state,
      status,
      overdue,
      workingDaysLeft: left,
      dueSoon: due.dueSoon,
      trace,
      rehandling,
    };
  } catch (e) {
    if (!(e instanceof CalendarNotCoveredError)) throw e;
    const last = segs.at(-1)!;
    const replied = last.events.some((x) => x.type === 'reply');
    return {
      clock: null,
      calendarFlag: e.message,
      dueProvisional: false,
      dueOn: null,
      state: 'unknown',
      status: replied ? 'replied' : rehandling ? 'reopened' : 'open',
      overdue: false,
      workingDaysLeft: null,
      dueSoon: false,
      trace: [{ on: last.receivedOn, action: 'receive', text: `无法计算答复期限：${e.message}`, dueOn: '' }],
      rehandling,
    };
  }
}

/** Refusals of the next action in the current handling period (empty when allowed). */
export function refusalsOf(cal: Calendar, receivedOn: string, events: readonly EventRow[], next: ClockEvent, withOutcome: boolean): ActionRefusal[] {
  const seg = segmentsOf(receivedOn, events, withOutcome).at(-1)!;
  try {
    return validateAction(seg.receivedOn, seg.events, next, cal);
  } catch (e) {
    if (e instanceof ReplyClockError) return [{ code: e.code, message: e.message }];
    throw e;
  }
}

/** The clock of the current handling period alone (for fee and correction facts); null on a calendar gap. */
export function currentClock(cal: Calendar, receivedOn: string, events: readonly EventRow[], withOutcome: boolean): ReplyClock | null {
  const seg = segmentsOf(receivedOn, events, withOutcome).at(-1)!;
  try {
    return computeReplyClockProvisionally(seg.receivedOn, seg.events, cal);
  } catch (e) {
    if (e instanceof CalendarNotCoveredError) return null;
    throw e;
  }
}
