/**
 * 答复期限 — the reply limit of 条例第30条–第34条, with the fee pause of 国办函〔2020〕109号.
 *
 * - 第33条第二款: reply within 20 工作日 of receipt; the count starts the day after (DERIVED, regulations.md
 *   §2.7; the contract fixes it). An extension needs the head of the disclosure office's consent, must be told
 *   to the applicant, and is at most 20 工作日 in total.
 * - 第30条: an unclear request is sent back for 补正 once (一次性告知), within 7 工作日 of receipt. The limit then
 *   runs from the day the corrected request is received: 20 工作日 counted from the next day. The applicant's
 *   补正期限 is "合理的" — not fixed by statute.
 * - 第33条第三款: time spent consulting a third party (第32条) or other agencies (第34条) does not count. The
 *   consulted party has 15 工作日 to answer.
 * - 国办函〔2020〕109号 and the 四川 implementing notice (fees.md §3.4): the time to pay the fee does not count
 *   (UNVERIFIED for the national 办法); the applicant pays within 20 工作日 from the day after the notice.
 *
 * A pause (consultation or fee) runs from its start to its end: the working days after the start, up to and
 * including the end, do not count. `dueOn` is always the last day of the limit as it stands after every event
 * so far. Pure: the calendar is passed in, and "today" only through `options.asOf`.
 */
import { OUTCOME_KEYS, type OutcomeKey } from './report-model.js';
import { CalendarNotCoveredError, addDays, isIsoDate, type Calendar, type IsoDate } from './calendar.js';
import { provisionalCalendar, provisionalReason } from './calendar-statutory.js';

// ---------------------------------------------------------------------------------------------
// Events (the contract's actions)

export type ClockEvent =
  | { type: 'request_correction'; on: IsoDate; items?: string[]; /** the 补正期限 stated in the notice */ periodWorkingDays?: number }
  | { type: 'receive_correction'; on: IsoDate }
  | { type: 'start_consultation'; on: IsoDate; party?: string }
  | { type: 'end_consultation'; on: IsoDate; party?: string }
  | { type: 'extend'; on: IsoDate; days?: number }
  | { type: 'notify_fee'; on: IsoDate; method?: 'per_request' | 'per_page'; pages?: number; amount?: number }
  | { type: 'receive_payment'; on: IsoDate }
  | { type: 'reply'; on: IsoDate; outcome?: OutcomeKey | string };

export type ClockAction = ClockEvent['type'];

export const CLOCK_ACTIONS: readonly ClockAction[] = [
  'request_correction',
  'receive_correction',
  'start_consultation',
  'end_consultation',
  'extend',
  'notify_fee',
  'receive_payment',
  'reply',
];

export const CLOCK_ACTION_LABELS: Record<ClockAction, string> = {
  request_correction: '告知补正',
  receive_correction: '收到补正',
  start_consultation: '征求意见',
  end_consultation: '征求意见结束',
  extend: '延长答复期限',
  notify_fee: '发出收费通知',
  receive_payment: '收到缴费',
  reply: '答复',
};

// ---------------------------------------------------------------------------------------------
// Options

export interface ReplyClockOptions {
  /** 第33条第二款: 20 工作日. */
  replyLimitWorkingDays: number;
  /** 第30条: 补正 must be requested within 7 工作日 of receipt. */
  correctionNoticeWorkingDays: number;
  /** 第33条第二款: extensions total at most 20 工作日. */
  maxExtensionWorkingDays: number;
  /**
   * The applicant's 补正期限 (第30条 "合理的补正期限"). UNVERIFIED: the statute fixes no number; 15 工作日 is a
   * common choice in agencies' notices. Configurable, and a single request_correction may state its own.
   */
  correctionPeriodWorkingDays: number;
  /**
   * The fee payment period: "收到收费通知次日起20个工作日内" (四川省财政厅/发展改革委 2021, fees.md §3.4).
   * UNVERIFIED for the national 办法. Counted from the day after the notice is sent (we assume it is received
   * the day it is sent, e.g. online; UNVERIFIED).
   */
  feePaymentWorkingDays: number;
  /** 第32条、第34条: the consulted party answers within 15 工作日 (counted from the day after the start). */
  consultationAnswerWorkingDays: number;
  /**
   * "Today", passed in (law code has no clock). While a pause or a 补正 is open, the limit is computed as if
   * it ended on `asOf`; `overdue` and `workingDaysLeft` use it. Without it an open pause adds nothing yet.
   */
  asOf?: IsoDate;
}

export const DEFAULT_REPLY_CLOCK_OPTIONS: Readonly<ReplyClockOptions> = Object.freeze({
  replyLimitWorkingDays: 20,
  correctionNoticeWorkingDays: 7,
  maxExtensionWorkingDays: 20,
  correctionPeriodWorkingDays: 15,
  feePaymentWorkingDays: 20,
  consultationAnswerWorkingDays: 15,
});

// ---------------------------------------------------------------------------------------------
// Refusals: a stable code per refusal, with a Chinese message

export const REPLY_CLOCK_REFUSALS = {
  INVALID_DATE: '日期格式不正确（应为 YYYY-MM-DD）',
  UNKNOWN_ACTION: '未知的办理操作',
  DATE_BEFORE_RECEIPT: '日期早于收到申请之日',
  DATE_BEFORE_PREVIOUS_ACTION: '日期早于上一项办理操作的日期',
  ALREADY_REPLIED: '该申请已经答复，不能再办理',
  CORRECTION_ALREADY_REQUESTED: '补正应当一次性告知（条例第30条），不能再次告知补正',
  CORRECTION_WINDOW_PASSED: '已超过收到申请之日起7个工作日的补正告知期限（条例第30条）',
  CORRECTION_WHILE_PAUSED: '征求意见或等待缴费期间不能告知补正',
  NO_PENDING_CORRECTION: '没有待收到的补正，不能登记收到补正',
  AWAITING_CORRECTION: '正在等待申请人补正，答复期限尚未重新起算',
  CORRECTION_PERIOD_INVALID: '补正期限应为1个以上的整数工作日',
  CONSULTATION_ALREADY_OPEN: '正在向该方征求意见，不能重复开始',
  NO_OPEN_CONSULTATION: '没有正在进行的征求意见',
  CONSULTATION_PARTY_AMBIGUOUS: '有多项正在进行的征求意见，请指明结束哪一方',
  PAUSE_AFTER_DUE: '已超过答复期限，征求意见或收费不能再中止计算答复期限',
  EXTENSION_DAYS_INVALID: '延长的期限应为1至20个工作日的整数',
  EXTENSION_EXCEEDS_LIMIT: '延长答复期限累计不得超过20个工作日（条例第33条第二款）',
  EXTENSION_AFTER_DUE: '答复期限届满后不能再延长（条例第33条第二款）',
  FEE_ALREADY_NOTIFIED: '已发出收费通知，尚未缴费',
  NO_PENDING_FEE: '没有待缴纳的信息处理费，不能登记收到缴费',
  OUTCOME_INVALID: '办理结果不是年度报告表三的21项之一',
  CORRECTION_NOT_OVERDUE: '只有在补正期限届满后申请人仍未补正的，才能按“逾期不补正”办结（条例第30条）',
  FEE_NOT_OVERDUE: '只有在缴费期限届满后申请人仍未缴费的，才能按“逾期未缴费”办结',
  STILL_UNCLEAR_WITHOUT_CORRECTION: '只有在告知补正、申请人补正后（或补正期限届满后）申请内容仍不明确的，才能按“补正后申请内容仍不明确”答复（条例第30条）',
  CALENDAR_NOT_COVERED: '节假日日历未覆盖所需年份，无法计算期限',
} as const;

export type RefusalCode = keyof typeof REPLY_CLOCK_REFUSALS;

export interface ActionRefusal {
  code: RefusalCode;
  /** Chinese, with the dates or numbers involved. */
  message: string;
}

/** Thrown by computeReplyClock when the recorded events are not a valid history. */
export class ReplyClockError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly eventIndex: number,
  ) {
    super(message);
    this.name = 'ReplyClockError';
  }
}

const refuse = (code: RefusalCode, detail?: string): ActionRefusal => ({
  code,
  message: detail ? `${REPLY_CLOCK_REFUSALS[code]}：${detail}` : REPLY_CLOCK_REFUSALS[code],
});

// ---------------------------------------------------------------------------------------------
// The result

export type ClockState = 'running' | 'awaiting_correction' | 'paused' | 'replied';

export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  running: '办理中',
  awaiting_correction: '等待补正',
  paused: '期限中止',
  replied: '已答复',
};

export interface TraceStep {
  on: IsoDate;
  /** 'provisional': the note that the limit is 暂定 (a needed year's notice is not loaded). */
  action: 'receive' | ClockAction | 'provisional';
  /** Chinese, e.g. "收到申请 2025-01-20；自次日起计算 20 个工作日 → 2025-02-21". */
  text: string;
  /** The limit as it stands after this step. */
  dueOn: IsoDate;
}

export interface PauseReason {
  kind: 'consultation' | 'fee';
  since: IsoDate;
  party?: string;
  /** Consultation: the party's answer is due (第32条、第34条). Fee: the payment deadline. */
  until: IsoDate;
  /** With asOf: working days since the pause began (after its start, up to asOf). */
  ranWorkingDays?: number;
}

export interface CorrectionInfo {
  requestedOn: IsoDate;
  items?: string[];
  periodWorkingDays: number;
  /** Last day for the applicant to submit the correction. */
  deadline: IsoDate;
  /** From this day the request may be closed as `other.correction_overdue`. */
  lapsesOn: IsoDate;
  receivedOn?: IsoDate;
}

export interface FeeInfo {
  notifiedOn: IsoDate;
  method?: 'per_request' | 'per_page';
  pages?: number;
  amount?: number;
  /** Last day to pay. */
  deadline: IsoDate;
  /** From this day the request may be closed as `other.fee_overdue`. */
  lapsesOn: IsoDate;
  paidOn?: IsoDate;
}

export interface ConsultationInfo {
  party?: string;
  startedOn: IsoDate;
  answerDueOn: IsoDate;
  endedOn?: IsoDate;
}

export interface ReplyClock {
  receivedOn: IsoDate;
  state: ClockState;
  /** The last day of the limit as it stands now. */
  dueOn: IsoDate;
  /** The limit counts working days after this day (receipt, or receipt of the correction). */
  countsFrom: IsoDate;
  /** 20 + extensions. */
  limitWorkingDays: number;
  extendedWorkingDays: number;
  /** Working days not counted because of pauses since `countsFrom`. */
  pausedWorkingDays: number;
  /** Last day on which 补正 may be requested (第30条). */
  correctionWindowEndsOn: IsoDate;
  correction?: CorrectionInfo;
  /** While awaiting correction: the applicant's deadline. */
  correctionDeadline?: IsoDate;
  consultations: ConsultationInfo[];
  fee?: FeeInfo;
  /** Set while paused. */
  paused?: { since: IsoDate; reasons: PauseReason[] };
  /** While a 补正 or a fee is pending: the outcome and the day from which the request may lapse. */
  lapse?: { outcome: 'other.correction_overdue' | 'other.fee_overdue'; on: IsoDate };
  repliedOn?: IsoDate;
  outcome?: string;
  /** Replied after dueOn, or (with asOf) still open after dueOn. */
  overdue: boolean;
  /** With asOf and running: working days left after asOf up to dueOn (negative when overdue). */
  workingDaysLeft?: number;
  trace: TraceStep[];
  /**
   * Set when a date the limit needs lies in a year whose State Council notice is not loaded: the limit was
   * counted on weekends and the statutory holidays (calendar-statutory.ts) and is 暂定 until the notice is
   * loaded. `year` is the first uncovered year met; `reason` says so in Chinese (also the trace's last step).
   */
  provisional?: { year: number; reason: string };
}

// ---------------------------------------------------------------------------------------------
// The state machine

interface Pause {
  kind: 'consultation' | 'fee';
  start: IsoDate;
  end?: IsoDate;
  party?: string;
  /**
   * A consultation's answer is due on this day (第32条: 15 工作日). A party silent beyond it does not pause the
   * limit any longer: "第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开" — the pause ends there.
   */
  cap?: IsoDate;
}

interface State {
  receivedOn: IsoDate;
  lastOn: IsoDate;
  countsFrom: IsoDate;
  extended: number;
  pauses: Pause[];
  correction?: CorrectionInfo;
  awaitingCorrection: boolean;
  consultations: ConsultationInfo[];
  fee?: FeeInfo;
  feePending: boolean;
  repliedOn?: IsoDate;
  outcome?: string;
  dueOn: IsoDate;
  trace: TraceStep[];
}

function resolveOptions(options?: Partial<ReplyClockOptions>): ReplyClockOptions {
  return { ...DEFAULT_REPLY_CLOCK_OPTIONS, ...(options ?? {}) };
}

/** Last day on which 补正 may be requested: the 7th working day after receipt (第30条). */
export function correctionWindowEndsOn(receivedOn: IsoDate, calendar: Calendar, options?: Partial<ReplyClockOptions>): IsoDate {
  return calendar.addWorkingDays(receivedOn, resolveOptions(options).correctionNoticeWorkingDays);
}

/** 第30条: refuses a 补正 notice later than 7 working days after receipt (or before receipt). */
export function checkCorrectionTimely(
  receivedOn: IsoDate,
  on: IsoDate,
  calendar: Calendar,
  options?: Partial<ReplyClockOptions>,
): ActionRefusal | null {
  if (!isIsoDate(on)) return refuse('INVALID_DATE', String(on));
  if (on < receivedOn) return refuse('DATE_BEFORE_RECEIPT', `${on} 早于 ${receivedOn}`);
  const last = correctionWindowEndsOn(receivedOn, calendar, options);
  if (on > last) {
    const n = calendar.workingDaysBetween(receivedOn, on);
    return refuse('CORRECTION_WINDOW_PASSED', `收到申请 ${receivedOn}，最迟应于 ${last} 告知补正，${on} 已是第 ${n} 个工作日`);
  }
  return null;
}

/** 第33条第二款: refuses an extension of other than 1–20 days, beyond 20 in total, or after the due date. */
export function checkExtension(
  clock: Pick<ReplyClock, 'dueOn' | 'extendedWorkingDays' | 'state'>,
  on: IsoDate,
  days: number,
  options?: Partial<ReplyClockOptions>,
): ActionRefusal | null {
  const o = resolveOptions(options);
  if (clock.state === 'replied') return refuse('ALREADY_REPLIED');
  if (clock.state === 'awaiting_correction') return refuse('AWAITING_CORRECTION');
  if (!Number.isInteger(days) || days < 1 || days > o.maxExtensionWorkingDays) return refuse('EXTENSION_DAYS_INVALID', String(days));
  if (clock.extendedWorkingDays + days > o.maxExtensionWorkingDays) {
    return refuse('EXTENSION_EXCEEDS_LIMIT', `已延长 ${clock.extendedWorkingDays} 个工作日，最多还能延长 ${o.maxExtensionWorkingDays - clock.extendedWorkingDays} 个工作日`);
  }
  if (on > clock.dueOn) return refuse('EXTENSION_AFTER_DUE', `答复期限已于 ${clock.dueOn} 届满`);
  return null;
}

/** The effective end of a pause for counting: its end, or (open) asOf, never before its start nor after its cap. */
function pauseEnd(p: Pause, asOf: IsoDate | undefined): IsoDate {
  const end = p.end ?? (asOf && asOf > p.start ? asOf : p.start);
  return p.cap && end > p.cap ? p.cap : end;
}

/** An open pause still running on `asOf` (a consultation whose party has been silent past its cap is not). */
function runningOn(p: Pause, asOf: IsoDate | undefined): boolean {
  return !p.end && !(asOf && p.cap && asOf > p.cap);
}

/**
 * The limit as it stands on `on`: with a pause open, the working days it has taken up to `on` are added (every
 * check of an action dated `on` uses this, not the limit as it stood when the pause opened).
 */
function dueAsOf(s: State, cal: Calendar, o: ReplyClockOptions, on: IsoDate): IsoDate {
  if (s.awaitingCorrection || !openPauses(s).length) return s.dueOn;
  return computeDue(s, cal, o, on).dueOn;
}

function isPaused(d: IsoDate, pauses: readonly Pause[], asOf: IsoDate | undefined): boolean {
  for (const p of pauses) if (d > p.start && d <= pauseEnd(p, asOf)) return true;
  return false;
}

/** The limit's last day: the (20 + extensions)-th counted working day after countsFrom. */
function computeDue(s: State, cal: Calendar, o: ReplyClockOptions, asOf: IsoDate | undefined): { dueOn: IsoDate; paused: number } {
  const limit = o.replyLimitWorkingDays + s.extended;
  let d = s.countsFrom;
  let counted = 0;
  let paused = 0;
  while (counted < limit) {
    d = addDays(d, 1);
    if (!cal.isWorkingDay(d)) continue;
    if (isPaused(d, s.pauses, asOf)) paused++;
    else counted++;
  }
  return { dueOn: d, paused };
}

function hypotheticalRestartDue(s: State, cal: Calendar, o: ReplyClockOptions, asOf: IsoDate | undefined): IsoDate {
  const from = asOf && asOf > s.lastOn ? asOf : s.lastOn;
  return cal.addWorkingDays(from, o.replyLimitWorkingDays);
}

function openPauses(s: State): Pause[] {
  return s.pauses.filter((p) => !p.end);
}

/** Checks one event against the state; returns a refusal or null. */
function check(s: State, e: ClockEvent, cal: Calendar, o: ReplyClockOptions): ActionRefusal | null {
  if (!e || typeof e !== 'object' || !CLOCK_ACTIONS.includes((e as ClockEvent).type)) {
    return refuse('UNKNOWN_ACTION', String((e as { type?: unknown })?.type));
  }
  if (!isIsoDate(e.on)) return refuse('INVALID_DATE', String(e.on));
  if (e.on < s.receivedOn) return refuse('DATE_BEFORE_RECEIPT', `${e.on} 早于收到申请之日 ${s.receivedOn}`);
  if (e.on < s.lastOn) return refuse('DATE_BEFORE_PREVIOUS_ACTION', `${e.on} 早于 ${s.lastOn}`);
  if (s.repliedOn) return refuse('ALREADY_REPLIED', `已于 ${s.repliedOn} 答复`);
  const open = openPauses(s);
  const dueNow = dueAsOf(s, cal, o, e.on);
  switch (e.type) {
    case 'request_correction': {
      if (s.correction) return refuse('CORRECTION_ALREADY_REQUESTED', `已于 ${s.correction.requestedOn} 告知补正`);
      if (open.length) return refuse('CORRECTION_WHILE_PAUSED');
      if (e.periodWorkingDays !== undefined && (!Number.isInteger(e.periodWorkingDays) || e.periodWorkingDays < 1)) {
        return refuse('CORRECTION_PERIOD_INVALID', String(e.periodWorkingDays));
      }
      return checkCorrectionTimely(s.receivedOn, e.on, cal, o);
    }
    case 'receive_correction':
      if (!s.awaitingCorrection) return refuse('NO_PENDING_CORRECTION');
      return null;
    case 'start_consultation': {
      if (s.awaitingCorrection) return refuse('AWAITING_CORRECTION');
      if (open.some((p) => p.kind === 'consultation' && (p.party ?? '') === (e.party ?? ''))) {
        return refuse('CONSULTATION_ALREADY_OPEN', e.party ?? '（未指明）');
      }
      if (e.on > dueNow) return refuse('PAUSE_AFTER_DUE', `答复期限已于 ${dueNow} 届满`);
      return null;
    }
    case 'end_consultation': {
      const consults = open.filter((p) => p.kind === 'consultation');
      if (consults.length === 0) return refuse('NO_OPEN_CONSULTATION');
      if (e.party === undefined) return consults.length > 1 ? refuse('CONSULTATION_PARTY_AMBIGUOUS') : null;
      if (!consults.some((p) => (p.party ?? '') === e.party)) return refuse('NO_OPEN_CONSULTATION', e.party);
      return null;
    }
    case 'extend':
      return checkExtension({ dueOn: dueNow, extendedWorkingDays: s.extended, state: s.awaitingCorrection ? 'awaiting_correction' : 'running' }, e.on, e.days ?? o.maxExtensionWorkingDays, o);
    case 'notify_fee':
      if (s.awaitingCorrection) return refuse('AWAITING_CORRECTION');
      if (s.feePending) return refuse('FEE_ALREADY_NOTIFIED', `已于 ${s.fee?.notifiedOn} 发出收费通知`);
      if (e.on > dueNow) return refuse('PAUSE_AFTER_DUE', `答复期限已于 ${dueNow} 届满`);
      return null;
    case 'receive_payment':
      if (!s.feePending) return refuse('NO_PENDING_FEE');
      return null;
    case 'reply': {
      if (e.outcome !== undefined && !(OUTCOME_KEYS as readonly string[]).includes(e.outcome)) return refuse('OUTCOME_INVALID', e.outcome);
      if (e.outcome === 'other.correction_overdue') {
        if (!s.awaitingCorrection || !s.correction) return refuse('CORRECTION_NOT_OVERDUE', '没有待补正的事项');
        if (e.on <= s.correction.deadline) return refuse('CORRECTION_NOT_OVERDUE', `补正期限至 ${s.correction.deadline}`);
      }
      // 第30条: "补正后申请内容仍不明确" presupposes a 补正 requested and answered, or its period run out.
      if (e.outcome === 'unavailable.still_unclear') {
        if (!s.correction) return refuse('STILL_UNCLEAR_WITHOUT_CORRECTION', '本申请未告知补正');
        if (!s.correction.receivedOn && e.on <= s.correction.deadline) return refuse('STILL_UNCLEAR_WITHOUT_CORRECTION', `补正期限至 ${s.correction.deadline}，申请人尚未补正`);
      }
      if (e.outcome === 'other.fee_overdue') {
        if (!s.feePending || !s.fee) return refuse('FEE_NOT_OVERDUE', '没有待缴纳的费用');
        if (e.on <= s.fee.deadline) return refuse('FEE_NOT_OVERDUE', `缴费期限至 ${s.fee.deadline}`);
      }
      return null;
    }
  }
}

function partyText(party: string | undefined): string {
  return party ? `（${party}）` : '';
}

/** Applies a checked event. */
function apply(s: State, e: ClockEvent, cal: Calendar, o: ReplyClockOptions): void {
  s.lastOn = e.on;
  const stepDue = (): IsoDate => {
    // As of the event: an open pause has taken the working days up to it.
    s.dueOn = s.awaitingCorrection ? hypotheticalRestartDue(s, cal, o, undefined) : computeDue(s, cal, o, e.on).dueOn;
    return s.dueOn;
  };
  const push = (text: string): void => {
    s.trace.push({ on: e.on, action: e.type, text, dueOn: s.dueOn });
  };
  switch (e.type) {
    case 'request_correction': {
      const period = e.periodWorkingDays ?? o.correctionPeriodWorkingDays;
      const deadline = cal.addWorkingDays(e.on, period);
      const n = cal.workingDaysBetween(s.receivedOn, e.on);
      s.correction = {
        requestedOn: e.on,
        ...(e.items ? { items: e.items } : {}),
        periodWorkingDays: period,
        deadline,
        lapsesOn: addDays(deadline, 1),
      };
      s.awaitingCorrection = true;
      stepDue();
      push(
        `${e.on} 一次性告知申请人补正（第30条；收到申请后第 ${n} 个工作日，不晚于 ${correctionWindowEndsOn(s.receivedOn, cal, o)}）；` +
          `答复期限自收到补正之日起重新计算；补正期限 ${period} 个工作日 → ${deadline}，逾期无正当理由不补正的视为放弃申请`,
      );
      return;
    }
    case 'receive_correction': {
      s.awaitingCorrection = false;
      if (s.correction) s.correction.receivedOn = e.on;
      s.countsFrom = e.on;
      s.extended = 0;
      s.pauses = [];
      const late = s.correction && e.on > s.correction.deadline ? `（晚于补正期限 ${s.correction.deadline}）` : '';
      stepDue();
      push(`收到补正 ${e.on}${late}（第30条）；自次日起重新计算 ${o.replyLimitWorkingDays} 个工作日 → ${s.dueOn}`);
      return;
    }
    case 'start_consultation': {
      const answerDueOn = cal.addWorkingDays(e.on, o.consultationAnswerWorkingDays);
      s.pauses.push({ kind: 'consultation', start: e.on, ...(e.party ? { party: e.party } : {}), cap: answerDueOn });
      s.consultations.push({ ...(e.party ? { party: e.party } : {}), startedOn: e.on, answerDueOn });
      stepDue();
      push(
        `${e.on} 书面征求意见${partyText(e.party)}（第32条、第34条）；征求意见所需时间不计算在答复期限内（第33条第三款），` +
          `自次日起中止计算；被征求意见方应在 ${o.consultationAnswerWorkingDays} 个工作日内（至 ${answerDueOn}）提出意见`,
      );
      return;
    }
    case 'end_consultation': {
      const p = s.pauses.find((x) => x.kind === 'consultation' && !x.end && (e.party === undefined || (x.party ?? '') === e.party))!;
      p.end = e.on;
      const c = s.consultations.find((x) => !x.endedOn && x.startedOn === p.start && (x.party ?? '') === (p.party ?? ''));
      if (c) c.endedOn = e.on;
      const until = pauseEnd(p, e.on);
      const n = cal.workingDaysBetween(p.start, until);
      const prev = s.dueOn;
      stepDue();
      const late = until < e.on ? `（被征求意见方逾期未提出意见，自 ${until} 次日起恢复计算，第32条）` : '';
      push(`${e.on} 征求意见结束${partyText(p.party)}；${p.start} 次日至 ${until} 的 ${n} 个工作日不计算在答复期限内（第33条第三款）${late}：${prev} → ${s.dueOn}`);
      return;
    }
    case 'extend': {
      const days = e.days ?? o.maxExtensionWorkingDays;
      s.extended += days;
      const prev = s.dueOn;
      stepDue();
      push(
        `${e.on} 经政府信息公开工作机构负责人同意并告知申请人，延长答复期限 ${days} 个工作日（第33条第二款，累计延长 ${s.extended} 个工作日）：${prev} → ${s.dueOn}`,
      );
      return;
    }
    case 'notify_fee': {
      const deadline = cal.addWorkingDays(e.on, o.feePaymentWorkingDays);
      s.fee = {
        notifiedOn: e.on,
        ...(e.method ? { method: e.method } : {}),
        ...(e.pages !== undefined ? { pages: e.pages } : {}),
        ...(e.amount !== undefined ? { amount: e.amount } : {}),
        deadline,
        lapsesOn: addDays(deadline, 1),
      };
      s.feePending = true;
      s.pauses.push({ kind: 'fee', start: e.on });
      stepDue();
      const amount = e.amount !== undefined ? `，金额 ${e.amount} 元` : '';
      push(
        `${e.on} 发出收费通知（国办函〔2020〕109号${amount}）；缴费期间不计算在答复期限内，自次日起中止计算；` +
          `申请人应在收到收费通知次日起 ${o.feePaymentWorkingDays} 个工作日内（至 ${deadline}）缴纳，逾期未缴纳的视为放弃申请`,
      );
      return;
    }
    case 'receive_payment': {
      const p = s.pauses.find((x) => x.kind === 'fee' && !x.end)!;
      p.end = e.on;
      s.feePending = false;
      if (s.fee) s.fee.paidOn = e.on;
      const n = cal.workingDaysBetween(p.start, e.on);
      const prev = s.dueOn;
      stepDue();
      push(`${e.on} 收到缴费；${p.start} 次日至 ${e.on} 的 ${n} 个工作日不计算在答复期限内：${prev} → ${s.dueOn}`);
      return;
    }
    case 'reply': {
      // Open pauses end with the reply.
      for (const p of openPauses(s)) p.end = e.on;
      for (const c of s.consultations) if (!c.endedOn) c.endedOn = e.on;
      if (!s.awaitingCorrection) stepDue();
      s.repliedOn = e.on;
      if (e.outcome) s.outcome = e.outcome;
      let when: string;
      if (s.awaitingCorrection) when = '（申请人未补正，答复期限未重新起算）';
      else if (e.on <= s.dueOn) when = `，在答复期限 ${s.dueOn} 内`;
      else when = `，超过答复期限 ${s.dueOn} ${cal.workingDaysBetween(s.dueOn, e.on)} 个工作日`;
      push(`${e.on} 答复${e.on === s.receivedOn ? '（当场答复，第33条第一款）' : ''}${when}`);
      return;
    }
  }
}

function initialState(receivedOn: IsoDate, cal: Calendar, o: ReplyClockOptions): State {
  if (!isIsoDate(receivedOn)) throw new ReplyClockError('INVALID_DATE', `${REPLY_CLOCK_REFUSALS.INVALID_DATE}：${String(receivedOn)}`, -1);
  const s: State = {
    receivedOn,
    lastOn: receivedOn,
    countsFrom: receivedOn,
    extended: 0,
    pauses: [],
    awaitingCorrection: false,
    consultations: [],
    feePending: false,
    dueOn: receivedOn,
    trace: [],
  };
  s.dueOn = computeDue(s, cal, o, undefined).dueOn;
  s.trace.push({
    on: receivedOn,
    action: 'receive',
    text: `收到申请 ${receivedOn}（第31条）；自次日起计算 ${o.replyLimitWorkingDays} 个工作日（第33条第二款）→ ${s.dueOn}`,
    dueOn: s.dueOn,
  });
  return s;
}

function run(receivedOn: IsoDate, events: readonly ClockEvent[], cal: Calendar, o: ReplyClockOptions): State {
  const s = initialState(receivedOn, cal, o);
  events.forEach((e, i) => {
    const r = check(s, e, cal, o);
    if (r) throw new ReplyClockError(r.code, `第 ${i + 1} 项办理操作（${CLOCK_ACTION_LABELS[e.type] ?? String(e.type)} ${String(e.on)}）：${r.message}`, i);
    apply(s, e, cal, o);
  });
  return s;
}

/**
 * The reply limit after the recorded events. Throws ReplyClockError if the events are not a valid history,
 * and CalendarNotCoveredError if a date it needs lies in a year the calendar does not cover.
 */
export function computeReplyClock(
  receivedOn: IsoDate,
  events: readonly ClockEvent[],
  calendar: Calendar,
  options?: Partial<ReplyClockOptions>,
): ReplyClock {
  const o = resolveOptions(options);
  const s = run(receivedOn, events, calendar, o);
  const asOf = o.asOf && isIsoDate(o.asOf) ? o.asOf : undefined;
  // Pauses still running on asOf (a consultation whose party has been silent past 15 working days is not).
  const open = openPauses(s).filter((p) => runningOn(p, asOf));

  let state: ClockState;
  let dueOn: IsoDate;
  let paused = 0;
  if (s.repliedOn) {
    state = 'replied';
    dueOn = s.dueOn;
    if (!s.awaitingCorrection) paused = computeDue(s, calendar, o, undefined).paused;
  } else if (s.awaitingCorrection) {
    state = 'awaiting_correction';
    dueOn = hypotheticalRestartDue(s, calendar, o, asOf);
  } else {
    state = open.length ? 'paused' : 'running';
    const r = computeDue(s, calendar, o, asOf);
    dueOn = r.dueOn;
    paused = r.paused;
  }

  const clock: ReplyClock = {
    receivedOn,
    state,
    dueOn,
    countsFrom: s.countsFrom,
    limitWorkingDays: o.replyLimitWorkingDays + s.extended,
    extendedWorkingDays: s.extended,
    pausedWorkingDays: paused,
    correctionWindowEndsOn: correctionWindowEndsOn(receivedOn, calendar, o),
    consultations: s.consultations,
    overdue: false,
    trace: s.trace,
  };
  if (s.correction) clock.correction = s.correction;
  if (s.fee) clock.fee = s.fee;
  if (s.repliedOn) {
    clock.repliedOn = s.repliedOn;
    if (s.outcome) clock.outcome = s.outcome;
    clock.overdue = !s.awaitingCorrection && s.repliedOn > dueOn;
    return clock;
  }
  if (s.awaitingCorrection && s.correction) {
    clock.correctionDeadline = s.correction.deadline;
    clock.lapse = { outcome: 'other.correction_overdue', on: s.correction.lapsesOn };
    return clock;
  }
  if (s.feePending && s.fee) clock.lapse = { outcome: 'other.fee_overdue', on: s.fee.lapsesOn };
  if (open.length) {
    const since = open.map((p) => p.start).sort()[0]!;
    clock.paused = {
      since,
      reasons: open.map((p) => {
        const until =
          p.kind === 'fee'
            ? s.fee!.deadline
            : (s.consultations.find((c) => !c.endedOn && c.startedOn === p.start && (c.party ?? '') === (p.party ?? ''))?.answerDueOn ?? p.start);
        // How long it has run so far: a pause never runs unnoticed.
        return { kind: p.kind, since: p.start, ...(p.party ? { party: p.party } : {}), until, ...(asOf ? { ranWorkingDays: calendar.workingDaysBetween(p.start, asOf) } : {}) };
      }),
    };
  }
  if (asOf) {
    clock.overdue = asOf > dueOn;
    // Paused or not: the working days of the limit not yet used (while paused they wait; they do not run).
    clock.workingDaysLeft = asOf <= dueOn ? calendar.workingDaysBetween(asOf, dueOn) : -calendar.workingDaysBetween(dueOn, asOf);
  }
  return clock;
}

/**
 * computeReplyClock, and when the official calendar does not cover a needed year, the same on the provisional
 * calendar (weekends and the statutory holidays of 《全国年节及纪念日放假办法》), marked `provisional`. Throws
 * CalendarNotCoveredError only when even the provisional calendar cannot count (a year before 2014 or more than
 * PROVISIONAL_YEARS_AHEAD after the last notice).
 */
export function computeReplyClockProvisionally(
  receivedOn: IsoDate,
  events: readonly ClockEvent[],
  calendar: Calendar,
  options?: Partial<ReplyClockOptions>,
): ReplyClock {
  try {
    return computeReplyClock(receivedOn, events, calendar, options);
  } catch (e) {
    if (!(e instanceof CalendarNotCoveredError)) throw e;
    const clock = computeReplyClock(receivedOn, events, provisionalCalendar(calendar), options);
    const reason = provisionalReason(e);
    clock.provisional = { year: e.year, reason };
    clock.trace.push({ on: clock.trace.at(-1)?.on ?? receivedOn, action: 'provisional', text: `答复期限 ${clock.dueOn} 为暂定：${reason}`, dueOn: clock.dueOn });
    return clock;
  }
}

/** Like computeReplyClock, but a calendar gap is a value, not an exception. */
export function tryComputeReplyClock(
  receivedOn: IsoDate,
  events: readonly ClockEvent[],
  calendar: Calendar,
  options?: Partial<ReplyClockOptions>,
): { ok: true; clock: ReplyClock } | { ok: false; notCovered: CalendarNotCoveredError } {
  try {
    return { ok: true, clock: computeReplyClock(receivedOn, events, calendar, options) };
  } catch (e) {
    if (e instanceof CalendarNotCoveredError) return { ok: false, notCovered: e };
    throw e;
  }
}

/**
 * Whether `next` may follow the recorded events: the refusals (empty when allowed), with stable codes and
 * Chinese messages. The recorded events themselves must be valid (else ReplyClockError is thrown).
 */
export function validateAction(
  receivedOn: IsoDate,
  events: readonly ClockEvent[],
  next: ClockEvent,
  calendar: Calendar,
  options?: Partial<ReplyClockOptions>,
): ActionRefusal[] {
  const o = resolveOptions(options);
  const attempt = (cal: Calendar): ActionRefusal[] => {
    const s = run(receivedOn, events, cal, o);
    const r = check(s, next, cal, o);
    if (r) return [r];
    // The action itself must be computable on the calendar.
    apply(s, next, cal, o);
    return [];
  };
  try {
    return attempt(calendar);
  } catch (e) {
    if (!(e instanceof CalendarNotCoveredError)) throw e;
  }
  // No action is refused because a year's notice is not loaded: it is judged on the provisional calendar.
  try {
    return attempt(provisionalCalendar(calendar));
  } catch (e) {
    if (e instanceof CalendarNotCoveredError) return [refuse('CALENDAR_NOT_COVERED', e.message)];
    throw e;
  }
}
