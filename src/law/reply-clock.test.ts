// Expected dates were counted by hand from the holiday table in ../shared/spec/holidays.md §4.1
// (the counts are written out beside each case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarNotCoveredError, createCalendar, type YearArrangement } from './calendar.js';
import {
  REPLY_CLOCK_REFUSALS,
  ReplyClockError,
  checkCorrectionTimely,
  checkExtension,
  computeReplyClock,
  correctionWindowEndsOn,
  tryComputeReplyClock,
  validateAction,
  type ClockEvent,
  type RefusalCode,
} from './reply-clock.js';

const cal = createCalendar();
const due = (receivedOn: string, events: ClockEvent[] = [], asOf?: string) =>
  computeReplyClock(receivedOn, events, cal, asOf ? { asOf } : {}).dueOn;
const codes = (receivedOn: string, events: ClockEvent[], next: ClockEvent): RefusalCode[] =>
  validateAction(receivedOn, events, next, cal).map((r) => r.code);

test('第33条第二款: receipt 2025-01-20, just before 春节 2025 → 2025-02-21, with the trace', () => {
  // 1/21–24 (4), 1/26 调休 (5), 1/27 (6), 1/28–2/4 春节, 2/5–7 (9), 2/8 调休 (10), 2/10–14 (15), 2/17–21 (20)
  const c = computeReplyClock('2025-01-20', [], cal);
  assert.equal(c.dueOn, '2025-02-21');
  assert.equal(c.state, 'running');
  assert.equal(c.limitWorkingDays, 20);
  assert.equal(c.trace.length, 1);
  assert.equal(c.trace[0]!.text, '收到申请 2025-01-20（第31条）；自次日起计算 20 个工作日（第33条第二款）→ 2025-02-21');
});

test('第33条第二款: receipts just before 春节, 2020–2026', () => {
  // 2020 (extension to 2/2): 1/21–23 (3), 1/24–2/2 off, 2/3–7 (8), 2/10–14 (13), 2/17–21 (18), 2/24 (19), 2/25 (20)
  assert.equal(due('2020-01-20'), '2020-02-25');
  // 2021: 2/9–10 (2), 2/11–17 off, 2/18–19 (4), 2/20 调休 (5), 2/22–26 (10), 3/1–5 (15), 3/8–12 (20)
  assert.equal(due('2021-02-08'), '2021-03-12');
  // 2022: 1/29–30 调休 (2), 1/31–2/6 off, 2/7–11 (7), 2/14–18 (12), 2/21–25 (17), 2/28–3/2 (20)
  assert.equal(due('2022-01-28'), '2022-03-02');
  // 2023: 1/20 (1), 1/21–27 off, 1/28–29 调休 (3), 1/30–2/3 (8), 2/6–10 (13), 2/13–17 (18), 2/20–21 (20)
  assert.equal(due('2023-01-19'), '2023-02-21');
  // 2024: 2/9 除夕 is a working day (1), 2/10–17 off, 2/18 调休 (2), 2/19–23 (7), 2/26–3/1 (12), 3/4–8 (17), 3/11–13 (20)
  assert.equal(due('2024-02-08'), '2024-03-13');
  // 2026: 2/14 调休 (1), 2/15–23 off, 2/24–27 (5), 2/28 调休 (6), 3/2–6 (11), 3/9–13 (16), 3/16–19 (20)
  assert.equal(due('2026-02-13'), '2026-03-19');
});

test('第33条第二款: receipts just before 国庆, 2021–2026', () => {
  // 2021: 10/1–7 off, 10/8 (1), 10/9 调休 (2), 10/11–15 (7), 10/18–22 (12), 10/25–29 (17), 11/1–3 (20)
  assert.equal(due('2021-09-30'), '2021-11-03');
  // 2022: 10/8–9 调休 (2), 10/10–14 (7), 10/17–21 (12), 10/24–28 (17), 10/31–11/2 (20)
  assert.equal(due('2022-09-30'), '2022-11-02');
  // 2023: 9/29–10/6 off, 10/7–8 调休 (2), 10/9–13 (7), 10/16–20 (12), 10/23–27 (17), 10/30–11/1 (20)
  assert.equal(due('2023-09-28'), '2023-11-01');
  // 2024: 9/29 调休 (1), 9/30 (2), 10/1–7 off, 10/8–11 (6), 10/12 调休 (7), 10/14–18 (12), 10/21–25 (17), 10/28–30 (20)
  assert.equal(due('2024-09-27'), '2024-10-30');
  // 2025: 9/28 调休 (1), 9/29–30 (3), 10/1–8 off, 10/9–10 (5), 10/11 调休 (6), 10/13–17 (11), 10/20–24 (16), 10/27–30 (20)
  assert.equal(due('2025-09-26'), '2025-10-30');
  // 2026: 10/1–7 off, 10/8–9 (2), 10/10 调休 (3), 10/12–16 (8), 10/19–23 (13), 10/26–30 (18), 11/2–3 (20)
  assert.equal(due('2026-09-30'), '2026-11-03');
});

test('第33条第一款: a reply on the day of receipt is 当场答复 and on time', () => {
  const c = computeReplyClock('2025-03-03', [{ type: 'reply', on: '2025-03-03', outcome: 'disclosed' }], cal);
  assert.equal(c.state, 'replied');
  assert.equal(c.overdue, false);
  assert.equal(c.outcome, 'disclosed');
  assert.match(c.trace[1]!.text, /当场答复/);
});

test('第30条: 补正 over 春节 2025 — window, applicant deadline, restart after receipt of the correction', () => {
  // window: 1/21–24 (4), 1/26 调休 (5), 1/27 (6), 2/5 (7) → 2025-02-05
  assert.equal(correctionWindowEndsOn('2025-01-20', cal), '2025-02-05');
  const asked: ClockEvent[] = [{ type: 'request_correction', on: '2025-01-27', items: ['所需信息的文号'] }];
  const c1 = computeReplyClock('2025-01-20', asked, cal);
  assert.equal(c1.state, 'awaiting_correction');
  // 15 working days after 1/27: 2/5–7 (3), 2/8 调休 (4), 2/10–14 (9), 2/17–21 (14), 2/24 (15)
  assert.equal(c1.correctionDeadline, '2025-02-24');
  assert.deepEqual(c1.lapse, { outcome: 'other.correction_overdue', on: '2025-02-25' });
  assert.deepEqual(c1.correction?.items, ['所需信息的文号']);
  assert.match(c1.trace[1]!.text, /一次性告知申请人补正（第30条；收到申请后第 6 个工作日，不晚于 2025-02-05）/);
  // Received 2/10: 2/11–14 (4), 2/17–21 (9), 2/24–28 (14), 3/3–7 (19), 3/10 (20)
  const c2 = computeReplyClock('2025-01-20', [...asked, { type: 'receive_correction', on: '2025-02-10' }], cal);
  assert.equal(c2.state, 'running');
  assert.equal(c2.countsFrom, '2025-02-10');
  assert.equal(c2.dueOn, '2025-03-10');
  assert.equal(c2.trace[2]!.text, '收到补正 2025-02-10（第30条）；自次日起重新计算 20 个工作日 → 2025-03-10');
});

test('第30条: a 补正 notice after the 7th working day is refused', () => {
  // 2025-02-06 is the 8th working day after 2025-01-20.
  assert.deepEqual(codes('2025-01-20', [], { type: 'request_correction', on: '2025-02-06' }), ['CORRECTION_WINDOW_PASSED']);
  assert.deepEqual(codes('2025-01-20', [], { type: 'request_correction', on: '2025-02-05' }), []);
  const r = checkCorrectionTimely('2025-01-20', '2025-02-06', cal);
  assert.equal(r?.code, 'CORRECTION_WINDOW_PASSED');
  assert.match(r!.message, /最迟应于 2025-02-05 告知补正，2025-02-06 已是第 8 个工作日/);
  assert.equal(checkCorrectionTimely('2025-01-20', '2025-01-19', cal)?.code, 'DATE_BEFORE_RECEIPT');
  // Only once (一次性告知).
  assert.deepEqual(
    codes('2025-01-20', [{ type: 'request_correction', on: '2025-01-21' }, { type: 'receive_correction', on: '2025-01-22' }], { type: 'request_correction', on: '2025-01-23' }),
    ['CORRECTION_ALREADY_REQUESTED'],
  );
});

test('第30条: the 补正期限 is configurable (UNVERIFIED default 15) and may be set per notice', () => {
  // 10 working days after 2025-01-27: 2/5–7 (3), 2/8 (4), 2/10–14 (9), 2/17 (10)
  const a = computeReplyClock('2025-01-20', [{ type: 'request_correction', on: '2025-01-27' }], cal, { correctionPeriodWorkingDays: 10 });
  assert.equal(a.correctionDeadline, '2025-02-17');
  const b = computeReplyClock('2025-01-20', [{ type: 'request_correction', on: '2025-01-27', periodWorkingDays: 5 }], cal);
  // 2/5–7 (3), 2/8 (4), 2/10 (5)
  assert.equal(b.correctionDeadline, '2025-02-10');
  assert.deepEqual(codes('2025-01-20', [], { type: 'request_correction', on: '2025-01-27', periodWorkingDays: 0 }), ['CORRECTION_PERIOD_INVALID']);
});

test('第30条: 逾期不补正 may close the request only after the deadline', () => {
  const ev: ClockEvent[] = [{ type: 'request_correction', on: '2025-01-27' }];
  assert.deepEqual(codes('2025-01-20', ev, { type: 'reply', on: '2025-02-24', outcome: 'other.correction_overdue' }), ['CORRECTION_NOT_OVERDUE']);
  assert.deepEqual(codes('2025-01-20', ev, { type: 'reply', on: '2025-02-25', outcome: 'other.correction_overdue' }), []);
  assert.deepEqual(codes('2025-01-20', [], { type: 'reply', on: '2025-02-25', outcome: 'other.correction_overdue' }), ['CORRECTION_NOT_OVERDUE']);
  const c = computeReplyClock('2025-01-20', [...ev, { type: 'reply', on: '2025-02-25', outcome: 'other.correction_overdue' }], cal);
  assert.equal(c.state, 'replied');
  assert.equal(c.overdue, false);
});

test('第30条: while awaiting the correction nothing else runs, and receive_correction needs a pending 补正', () => {
  const ev: ClockEvent[] = [{ type: 'request_correction', on: '2025-03-04' }];
  assert.deepEqual(codes('2025-03-03', ev, { type: 'extend', on: '2025-03-05', days: 5 }), ['AWAITING_CORRECTION']);
  assert.deepEqual(codes('2025-03-03', ev, { type: 'start_consultation', on: '2025-03-05' }), ['AWAITING_CORRECTION']);
  assert.deepEqual(codes('2025-03-03', ev, { type: 'notify_fee', on: '2025-03-05' }), ['AWAITING_CORRECTION']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'receive_correction', on: '2025-03-05' }), ['NO_PENDING_CORRECTION']);
  // While awaiting, dueOn is the limit if the correction arrived on asOf (or on the notice day).
  assert.equal(due('2025-03-03', ev), '2025-04-01'); // 3/5–7 (3), 3/10–14 (8), 3/17–21 (13), 3/24–28 (18), 3/31–4/1 (20)
  assert.equal(due('2025-03-03', ev, '2025-03-10'), '2025-04-08'); // 3/11–14 (4), …, 4/1–3 (18), 4/7–8 (20)
});

test('第32条、第33条第三款: a consultation over the 2024 中秋 and 国庆 holidays is not counted', () => {
  // Without it: 9/3–6 (4), 9/9–13 (9), 9/14 调休 (10), 9/15–17 off, 9/18–20 (13), 9/23–27 (18), 9/29 调休 (19), 9/30 (20)
  assert.equal(due('2024-09-02'), '2024-09-30');
  const start: ClockEvent = { type: 'start_consultation', on: '2024-09-12', party: '第三方' };
  // Still open on 2024-10-08: the pause has taken 9/13 (1), 9/14 调休 (2), 9/18–20 (5), 9/23–27 (10), 9/29 调休 (11),
  // 9/30 (12), 10/8 (13) → 9/30 + 13: 10/8–11 (4), 10/12 调休 (5), 10/14–18 (10), 10/21–23 (13) → 2024-10-23.
  const open = computeReplyClock('2024-09-02', [start], cal, { asOf: '2024-10-08' });
  assert.equal(open.state, 'paused');
  assert.equal(open.dueOn, '2024-10-23');
  // 12 working days of the limit remain after 10/8: 10/9–11 (3), 10/12 (4), 10/14–18 (9), 10/21–23 (12).
  assert.equal(open.workingDaysLeft, 12);
  assert.equal(open.paused?.reasons[0]?.ranWorkingDays, 13);
  // An extension on 10/8 is lawful: the limit as moved by the open pause (10/23), not as it stood (9/30).
  assert.deepEqual(codes('2024-09-02', [start], { type: 'extend', on: '2024-10-08', days: 10 }), []);
  assert.deepEqual(codes('2024-09-02', [start], { type: 'notify_fee', on: '2024-10-08' }), []);
  const openNoAsOf = computeReplyClock('2024-09-02', [start], cal);
  // Answer due 15 working days after 9/12: 9/13 (1), 9/14 (2), 9/18–20 (5), 9/23–27 (10), 9/29–30 (12), 10/8–10 (15)
  assert.deepEqual(openNoAsOf.paused, { since: '2024-09-12', reasons: [{ kind: 'consultation', since: '2024-09-12', party: '第三方', until: '2024-10-10' }] });
  assert.equal(openNoAsOf.consultations[0]!.answerDueOn, '2024-10-10');
  // As of 9/20 the pause has taken 9/13, 9/14, 9/18, 9/19, 9/20 (5): 9/30 → 10/8–12 → 10/12 (a 调休 Saturday)
  assert.equal(due('2024-09-02', [start], '2024-09-20'), '2024-10-12');
  // Ended 10/10: 15 working days not counted; 9/30 + 15 = 10/8–12 (5), 10/14–18 (10), 10/21–25 (15)
  const ended = computeReplyClock('2024-09-02', [start, { type: 'end_consultation', on: '2024-10-10', party: '第三方' }], cal);
  assert.equal(ended.state, 'running');
  assert.equal(ended.dueOn, '2024-10-25');
  assert.equal(ended.pausedWorkingDays, 15);
  assert.equal(ended.trace[2]!.text, '2024-10-10 征求意见结束（第三方）；2024-09-12 次日至 2024-10-10 的 15 个工作日不计算在答复期限内（第33条第三款）：2024-09-30 → 2024-10-25');
});

test('第33条第三款、第34条: overlapping consultations pause once (the union), parties are named', () => {
  const ev: ClockEvent[] = [
    { type: 'start_consultation', on: '2025-03-04', party: '第三方' },
    { type: 'start_consultation', on: '2025-03-06', party: '市自然资源局' },
  ];
  assert.deepEqual(codes('2025-03-03', ev, { type: 'end_consultation', on: '2025-03-07' }), ['CONSULTATION_PARTY_AMBIGUOUS']);
  assert.deepEqual(codes('2025-03-03', ev, { type: 'start_consultation', on: '2025-03-07', party: '第三方' }), ['CONSULTATION_ALREADY_OPEN']);
  assert.deepEqual(codes('2025-03-03', ev, { type: 'end_consultation', on: '2025-03-07', party: '某某' }), ['NO_OPEN_CONSULTATION']);
  const all: ClockEvent[] = [
    ...ev,
    { type: 'end_consultation', on: '2025-03-10', party: '第三方' },
    { type: 'end_consultation', on: '2025-03-12', party: '市自然资源局' },
  ];
  // Base 2025-03-31; paused 3/5–7, 3/10–12 (6) → 4/1–3 (3), 4/4–6 清明, 4/7–9 (6)
  assert.equal(due('2025-03-03'), '2025-03-31');
  assert.equal(due('2025-03-03', all), '2025-04-09');
  assert.deepEqual(codes('2025-03-03', all, { type: 'end_consultation', on: '2025-03-13' }), ['NO_OPEN_CONSULTATION']);
});

test('第33条第三款: a pause cannot start after the limit has run out', () => {
  assert.deepEqual(codes('2025-03-03', [], { type: 'start_consultation', on: '2025-04-01' }), ['PAUSE_AFTER_DUE']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'notify_fee', on: '2025-04-01' }), ['PAUSE_AFTER_DUE']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'start_consultation', on: '2025-03-31' }), []);
});

test('第33条第二款: extension of 20 working days over 清明 2025', () => {
  // Base: 3/4–7 (4), 3/10–14 (9), 3/17–21 (14), 3/24–28 (19), 3/31 (20)
  // +20: 4/1–3 (3), 4/4–6 清明, 4/7–11 (8), 4/14–18 (13), 4/21–25 (18), 4/27 调休 (19), 4/28 (20)
  const c = computeReplyClock('2025-03-03', [{ type: 'extend', on: '2025-03-28' }], cal);
  assert.equal(c.dueOn, '2025-04-28');
  assert.equal(c.extendedWorkingDays, 20);
  assert.equal(c.limitWorkingDays, 40);
  assert.equal(
    c.trace[1]!.text,
    '2025-03-28 经政府信息公开工作机构负责人同意并告知申请人，延长答复期限 20 个工作日（第33条第二款，累计延长 20 个工作日）：2025-03-31 → 2025-04-28',
  );
  // Two extensions of 10: 3/31 → 4/15 → 4/28
  const two: ClockEvent[] = [
    { type: 'extend', on: '2025-03-10', days: 10 },
    { type: 'extend', on: '2025-04-15', days: 10 },
  ];
  assert.equal(due('2025-03-03', two.slice(0, 1)), '2025-04-15');
  assert.equal(due('2025-03-03', two), '2025-04-28');
});

test('第33条第二款: extensions beyond 20 in total, of 0 or 21 days, or after the due date are refused', () => {
  assert.deepEqual(codes('2025-03-03', [{ type: 'extend', on: '2025-03-28' }], { type: 'extend', on: '2025-03-28', days: 1 }), ['EXTENSION_EXCEEDS_LIMIT']);
  assert.deepEqual(codes('2025-03-03', [{ type: 'extend', on: '2025-03-10', days: 15 }], { type: 'extend', on: '2025-03-11', days: 6 }), ['EXTENSION_EXCEEDS_LIMIT']);
  assert.deepEqual(codes('2025-03-03', [{ type: 'extend', on: '2025-03-10', days: 15 }], { type: 'extend', on: '2025-03-11', days: 5 }), []);
  assert.deepEqual(codes('2025-03-03', [], { type: 'extend', on: '2025-03-10', days: 0 }), ['EXTENSION_DAYS_INVALID']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'extend', on: '2025-03-10', days: 21 }), ['EXTENSION_DAYS_INVALID']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'extend', on: '2025-03-10', days: 2.5 }), ['EXTENSION_DAYS_INVALID']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'extend', on: '2025-04-01', days: 5 }), ['EXTENSION_AFTER_DUE']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'extend', on: '2025-03-31', days: 5 }), []);
  const clock = computeReplyClock('2025-03-03', [], cal);
  const r = checkExtension(clock, '2025-04-01', 5);
  assert.equal(r?.code, 'EXTENSION_AFTER_DUE');
  assert.equal(r?.message, `${REPLY_CLOCK_REFUSALS.EXTENSION_AFTER_DUE}：答复期限已于 2025-03-31 届满`);
});

test('国办函〔2020〕109号: the fee pause over 劳动节 2025, payment deadline and lapse', () => {
  // Base: 4/22–25 (4), 4/27 调休 (5), 4/28–30 (8), 5/1–5 off, 5/6–9 (12), 5/12–16 (17), 5/19–21 (20)
  assert.equal(due('2025-04-21'), '2025-05-21');
  const notice: ClockEvent = { type: 'notify_fee', on: '2025-04-25', method: 'per_page', pages: 150, amount: 1700 };
  const c1 = computeReplyClock('2025-04-21', [notice], cal);
  assert.equal(c1.state, 'paused');
  // Payment within 20 working days from the next day: 4/27 (1), 4/28–30 (4), 5/6–9 (8), 5/12–16 (13), 5/19–23 (18), 5/26–27 (20)
  assert.equal(c1.fee?.deadline, '2025-05-27');
  assert.deepEqual(c1.lapse, { outcome: 'other.fee_overdue', on: '2025-05-28' });
  assert.equal(c1.paused?.reasons[0]?.until, '2025-05-27');
  assert.match(c1.trace[1]!.text, /金额 1700 元/);
  // Paid 5/8: 4/27, 4/28–30, 5/6–8 not counted (7): 5/21 → 5/22–23 (2), 5/26–30 (7)
  const c2 = computeReplyClock('2025-04-21', [notice, { type: 'receive_payment', on: '2025-05-08' }], cal);
  assert.equal(c2.dueOn, '2025-05-30');
  assert.equal(c2.fee?.paidOn, '2025-05-08');
  assert.equal(c2.pausedWorkingDays, 7);
  // Fee overdue only after the deadline.
  assert.deepEqual(codes('2025-04-21', [notice], { type: 'reply', on: '2025-05-27', outcome: 'other.fee_overdue' }), ['FEE_NOT_OVERDUE']);
  assert.deepEqual(codes('2025-04-21', [notice], { type: 'reply', on: '2025-05-28', outcome: 'other.fee_overdue' }), []);
  assert.deepEqual(codes('2025-04-21', [], { type: 'receive_payment', on: '2025-05-08' }), ['NO_PENDING_FEE']);
  assert.deepEqual(codes('2025-04-21', [notice], { type: 'notify_fee', on: '2025-04-28' }), ['FEE_ALREADY_NOTIFIED']);
  // The payment period is a parameter (UNVERIFIED).
  assert.equal(computeReplyClock('2025-04-21', [notice], cal, { feePaymentWorkingDays: 10 }).fee?.deadline, '2025-05-13');
});

test('第33条: overdue and working days left, with asOf passed in', () => {
  const open = computeReplyClock('2025-01-20', [], cal, { asOf: '2025-02-17' });
  assert.equal(open.overdue, false);
  assert.equal(open.workingDaysLeft, 4); // 2/18–21
  const late = computeReplyClock('2025-01-20', [], cal, { asOf: '2025-02-25' });
  assert.equal(late.overdue, true);
  assert.equal(late.workingDaysLeft, -2); // 2/24, 2/25
  const replied = computeReplyClock('2025-01-20', [{ type: 'reply', on: '2025-02-24', outcome: 'disclosed' }], cal);
  assert.equal(replied.overdue, true);
  assert.equal(replied.trace[1]!.text, '2025-02-24 答复，超过答复期限 2025-02-21 1 个工作日');
  const onTime = computeReplyClock('2025-01-20', [{ type: 'reply', on: '2025-02-21', outcome: 'disclosed' }], cal);
  assert.equal(onTime.overdue, false);
});

test('第33条: a reply during a consultation ends the pause', () => {
  const c = computeReplyClock('2024-09-02', [{ type: 'start_consultation', on: '2024-09-12' }, { type: 'reply', on: '2024-10-10', outcome: 'withheld.third_party_rights' }], cal);
  assert.equal(c.state, 'replied');
  assert.equal(c.dueOn, '2024-10-25');
  assert.equal(c.overdue, false);
  assert.equal(c.consultations[0]!.endedOn, '2024-10-10');
});

test('refusals: reply after reply, dates before receipt or before the previous action, unknown outcome', () => {
  const replied: ClockEvent[] = [{ type: 'reply', on: '2025-03-05', outcome: 'disclosed' }];
  assert.deepEqual(codes('2025-03-03', replied, { type: 'reply', on: '2025-03-06', outcome: 'disclosed' }), ['ALREADY_REPLIED']);
  assert.deepEqual(codes('2025-03-03', replied, { type: 'extend', on: '2025-03-06' }), ['ALREADY_REPLIED']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'reply', on: '2025-03-02', outcome: 'disclosed' }), ['DATE_BEFORE_RECEIPT']);
  assert.deepEqual(codes('2025-03-03', [{ type: 'extend', on: '2025-03-10', days: 5 }], { type: 'reply', on: '2025-03-07' }), ['DATE_BEFORE_PREVIOUS_ACTION']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'reply', on: '2025-03-07', outcome: 'granted' }), ['OUTCOME_INVALID']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'reply', on: '2025-3-7' }), ['INVALID_DATE']);
  assert.deepEqual(codes('2025-03-03', [], { type: 'approve', on: '2025-03-07' } as unknown as ClockEvent), ['UNKNOWN_ACTION']);
  assert.deepEqual(codes('2025-03-03', [{ type: 'start_consultation', on: '2025-03-04' }], { type: 'request_correction', on: '2025-03-05' }), ['CORRECTION_WHILE_PAUSED']);
  const [r] = validateAction('2025-03-03', replied, { type: 'reply', on: '2025-03-06' }, cal);
  assert.equal(r!.message, '该申请已经答复，不能再办理：已于 2025-03-05 答复');
  // Every refusal code has a Chinese message.
  for (const m of Object.values(REPLY_CLOCK_REFUSALS)) assert.match(m, /[\u4e00-\u9fff]/);
});

test('computeReplyClock throws ReplyClockError on an invalid history', () => {
  assert.throws(
    () => computeReplyClock('2025-03-03', [{ type: 'receive_payment', on: '2025-03-04' }], cal),
    (e: unknown) => e instanceof ReplyClockError && e.code === 'NO_PENDING_FEE' && e.eventIndex === 0 && /第 1 项办理操作（收到缴费 2025-03-04）/.test(e.message),
  );
  assert.throws(() => computeReplyClock('2025-3-3', [], cal), ReplyClockError);
});

test('year-end crossing into 2027: flagged until a 2027 arrangement is loaded', () => {
  assert.throws(() => computeReplyClock('2026-12-15', [], cal), (e: unknown) => e instanceof CalendarNotCoveredError && e.year === 2027);
  const t = tryComputeReplyClock('2026-12-15', [], cal);
  assert.equal(t.ok, false);
  if (!t.ok) assert.equal(t.notCovered.year, 2027);
  // No action is refused because a year is uncovered: the extension is judged on the provisional calendar
  // (calendar-statutory.test.ts counts those dates).
  assert.deepEqual(codes('2026-12-01', [], { type: 'extend', on: '2026-12-10', days: 20 }), []);
  const y2027: YearArrangement = {
    year: 2027,
    holidays: ['2027-01-01..2027-01-03', '2027-02-06..2027-02-13', '2027-10-01..2027-10-07'],
    workdays: ['2027-02-14'],
  };
  const cal2027 = createCalendar([y2027]);
  // 12/16–18 (3), 12/21–25 (8), 12/28–31 (12), 2027-01-01..03 off, 1/4–8 (17), 1/11–13 (20)
  assert.equal(computeReplyClock('2026-12-15', [], cal2027).dueOn, '2027-01-13');
  const ok = tryComputeReplyClock('2026-12-15', [], cal2027);
  assert.equal(ok.ok && ok.clock.dueOn, '2027-01-13');
});

test('year-end crossing 2025→2026 (元旦 2026 and the 1/4 调休)', () => {
  // 12/22–26 (5), 12/29–31 (8), 1/1–3 off, 1/4 调休 (9), 1/5–9 (14), 1/12–16 (19), 1/19 (20)
  assert.equal(due('2025-12-19'), '2026-01-19');
});

test('dueOn in the trace follows every event', () => {
  const c = computeReplyClock(
    '2024-09-02',
    [
      { type: 'start_consultation', on: '2024-09-12', party: '第三方' },
      { type: 'end_consultation', on: '2024-10-10', party: '第三方' },
      { type: 'extend', on: '2024-10-21', days: 5 },
      { type: 'reply', on: '2024-10-31', outcome: 'partially_disclosed' },
    ],
    cal,
  );
  // 10/25 + 5: 10/28–11/1 → 11/1
  assert.deepEqual(
    c.trace.map((s) => s.dueOn),
    ['2024-09-30', '2024-09-30', '2024-10-25', '2024-11-01', '2024-11-01'],
  );
  assert.deepEqual(
    c.trace.map((s) => s.action),
    ['receive', 'start_consultation', 'end_consultation', 'extend', 'reply'],
  );
  assert.equal(c.overdue, false);
});

test('第30条、第33条: 补正 restart, a consultation pause and an extension over 清明 and the 劳动节 make-up day (2025)', () => {
  const events: ClockEvent[] = [
    { type: 'request_correction', on: '2025-03-05' },
    // restart: 3/11–14 (4), 3/17–21 (9), 3/24–28 (14), 3/31 (15), 4/1–3 (18), 4/4 清明, 4/7–8 (20)
    { type: 'receive_correction', on: '2025-03-10' },
    { type: 'start_consultation', on: '2025-03-12', party: '某公司' },
    // 3/13, 3/14, 3/17, 3/18, 3/19 do not count → 4/9–11, 4/14–15: 2025-04-15
    { type: 'end_consultation', on: '2025-03-19', party: '某公司' },
    // +10: 4/16–18 (3), 4/21–25 (8), 4/27 Sunday 调休上班 (9), 4/28 (10)
    { type: 'extend', on: '2025-04-10', days: 10 },
  ];
  assert.equal(due('2025-03-03', events.slice(0, 2)), '2025-04-08');
  assert.equal(due('2025-03-03', events.slice(0, 4)), '2025-04-15');
  const c = computeReplyClock('2025-03-03', events, cal);
  assert.equal(c.dueOn, '2025-04-28');
  assert.equal(c.pausedWorkingDays, 5);
  assert.equal(c.extendedWorkingDays, 10);
  // After each step: receipt 3/3 + 20 (3/4–7 (4), 3/10–14 (9), 3/17–21 (14), 3/24–28 (19), 3/31 (20)) → 3/31;
  // 补正 requested 3/5, the limit as if the correction came that day (3/6–7 (2), 3/10–14 (7), 3/17–21 (12),
  // 3/24–28 (17), 3/31–4/2 (20)) → 4/2; correction received 3/10 → 4/8 (counted above); the consultation opened
  // 3/12 has taken no working day yet on its own day → still 4/8; ended 3/19 → 4/15; extended → 4/28.
  assert.deepEqual(c.trace.map((s) => s.dueOn), ['2025-03-31', '2025-04-02', '2025-04-08', '2025-04-08', '2025-04-15', '2025-04-28']);
});

test('第32条: a third party silent past its 15 working days no longer pauses the limit', () => {
  const start: ClockEvent = { type: 'start_consultation', on: '2024-09-12', party: '第三方' };
  // Answer due 10/10 (counted above). As of 10/21 the party is silent: the pause ran 9/13..10/10 only (15 working
  // days), so the limit is 9/30 + 15 = 10/25 (10/8–12 (5), 10/14–18 (10), 10/21–25 (15)) and the clock runs again.
  const c = computeReplyClock('2024-09-02', [start], cal, { asOf: '2024-10-21' });
  assert.equal(c.state, 'running');
  assert.equal(c.dueOn, '2024-10-25');
  // 10/22–25: 4 working days left.
  assert.equal(c.workingDaysLeft, 4);
  // The answer arriving late (10/21) is recorded; only the 15 days count.
  const ended = computeReplyClock('2024-09-02', [start, { type: 'end_consultation', on: '2024-10-21', party: '第三方' }], cal);
  assert.equal(ended.dueOn, '2024-10-25');
  assert.equal(ended.pausedWorkingDays, 15);
  assert.match(ended.trace[2]!.text, /逾期未提出意见，自 2024-10-10 次日起恢复计算/);
});

test('第30条: “补正后申请内容仍不明确” only after a 补正 was requested and answered, or its period ran out', () => {
  const still = (on: string) => ({ type: 'reply' as const, on, outcome: 'unavailable.still_unclear' });
  // No 补正 at all: refused.
  assert.deepEqual(codes('2025-03-03', [], still('2025-03-10')), ['STILL_UNCLEAR_WITHOUT_CORRECTION']);
  // 补正 requested 3/5 with 15 working days: 3/6–7 (2), 3/10–14 (7), 3/17–21 (12), 3/24–26 (15) → deadline 3/26.
  const asked: ClockEvent[] = [{ type: 'request_correction', on: '2025-03-05' }];
  assert.deepEqual(codes('2025-03-03', asked, still('2025-03-26')), ['STILL_UNCLEAR_WITHOUT_CORRECTION']);
  assert.deepEqual(codes('2025-03-03', asked, still('2025-03-27')), []);
  // Answered on 3/10: allowed from then on.
  assert.deepEqual(codes('2025-03-03', [...asked, { type: 'receive_correction', on: '2025-03-10' }], still('2025-03-12')), []);
});
