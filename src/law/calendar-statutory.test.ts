// 《全国年节及纪念日放假办法》 (2024 revision) 第二条 and 第六条, and the provisional reply clock for a year whose
// State Council notice is not loaded. Dates counted by hand in the comments (weekdays checked from
// 2027-01-01 = Friday: 2026-01-01 was a Thursday and 2026 has 365 days).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CalendarNotCoveredError, addDays, createCalendar, dayOfWeek, parseYearArrangement } from './calendar.js';
import { lunarMonthDay, provisionalCalendar, qingmingOf, statutoryHolidays } from './calendar-statutory.js';
import { computeReplyClock, computeReplyClockProvisionally, validateAction } from './reply-clock.js';

const official = createCalendar();

test('第二条、第六条: the statutory holidays of 2027 and their 补假', () => {
  // 元旦 1-1 (Fri). 春节: 正月初一 is 2027-02-06 (Sat), so 除夕 02-05 (Fri), 初一–初三 02-06, 02-07 (Sun), 02-08 (Mon).
  // 清明 04-05 (Mon). 劳动节 05-01 (Sat), 05-02 (Sun). 端午 (五月初五) 06-09 (Wed). 中秋 (八月十五) 09-15 (Wed).
  // 国庆 10-01 (Fri), 10-02 (Sat), 10-03 (Sun).
  // 第六条 补假, the first free Monday–Friday after each weekend holiday: 02-06 → 02-09 (Tue; 02-08 is 初三),
  // 02-07 → 02-10 (Wed); 05-01 → 05-03 (Mon), 05-02 → 05-04 (Tue); 10-02 → 10-04 (Mon), 10-03 → 10-05 (Tue).
  const days = statutoryHolidays(2027);
  assert.deepEqual(
    days.map((d) => `${d.date} ${d.name}${d.substitute ? ' 补假' : ''}`),
    [
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-02-09 春节 补假',
      '2027-02-10 春节 补假',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-05-03 劳动节 补假',
      '2027-05-04 劳动节 补假',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
      '2027-10-04 国庆节 补假',
      '2027-10-05 国庆节 补假',
    ],
  );
  // 7 statutory days count 1 + 4 + 1 + 2 + 1 + 1 + 3 = 13 (第二条).
  assert.equal(days.filter((d) => !d.substitute).length, 13);
});

test('the lunar dates and 清明 agree with the 2026 notice (除夕 2-16, 端午 6-19, 中秋 9-25, 清明 4-5)', () => {
  assert.deepEqual(lunarMonthDay('2026-02-17'), { month: 1, leap: false, day: 1 });
  assert.deepEqual(lunarMonthDay('2026-06-19'), { month: 5, leap: false, day: 5 });
  assert.deepEqual(lunarMonthDay('2026-09-25'), { month: 8, leap: false, day: 15 });
  // 2025 has a leap sixth month: 2025-07-25 is 闰六月初一.
  assert.deepEqual(lunarMonthDay('2025-07-25'), { month: 6, leap: true, day: 1 });
  assert.equal(qingmingOf(2026), '2026-04-05');
  assert.equal(qingmingOf(2027), '2027-04-05');
  // Every 2026 statutory day (and 补假: 清明 4-5 Sun → 4-6; 5-2 Sat → 5-4; 10-3 Sat → 10-5) is a rest day in the notice.
  for (const d of statutoryHolidays(2026)) assert.equal(official.isWorkingDay(d.date), false, d.date);
});

test('before 2025 the 2013 text applies: 春节 初一至初三 (no 除夕), 劳动节 one day', () => {
  // 2024: 正月初一 2024-02-10 (Sat): 除夕 02-09 is not a holiday (the notice only "encourages" it).
  const d2024 = statutoryHolidays(2024).map((d) => d.date);
  assert.ok(!d2024.includes('2024-02-09'));
  assert.ok(d2024.includes('2024-02-10') && d2024.includes('2024-02-12'));
  assert.ok(d2024.includes('2024-05-01') && !d2024.includes('2024-05-02'));
});

test('property: on 2020–2026 the provisional clock equals the official one wherever no 调休 touches the window', () => {
  // 调休 = the notice's swaps: its 调休上班 weekend days, its moved rest days (inLieuDays of chinese-days) and
  // the 2020 extension of 春节 (国办发明电〔2020〕1号: 01-31 to 02-02). Every other official rest day must be a
  // weekend or a statutory holiday or 补假, so the 20-working-day limit must agree day for day.
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as { workdays: Record<string, string>; inLieuDays: Record<string, string> };
  const swaps = new Set([...Object.keys(data.workdays), ...Object.keys(data.inLieuDays), '2020-01-31', '2020-02-01', '2020-02-02']);
  const rest = new Set<string>();
  for (let y = 2020; y <= 2027; y++) for (const d of statutoryHolidays(y)) rest.add(d.date);
  const working = (d: string) => dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6 && !rest.has(d);
  const add20 = (from: string) => {
    let d = from;
    for (let n = 20; n > 0; ) if (working((d = addDays(d, 1)))) n--;
    return d;
  };
  let compared = 0;
  for (let d = '2020-01-01'; d <= '2026-11-30'; d = addDays(d, 1)) {
    const off = official.addWorkingDays(d, 20);
    const prov = add20(d);
    const end = off > prov ? off : prov;
    let touched = false;
    for (let x = addDays(d, 1); x <= end && !touched; x = addDays(x, 1)) touched = swaps.has(x);
    if (touched) continue;
    compared++;
    assert.equal(prov, off, `received ${d}`);
  }
  // Most windows of a year touch a swap; still, well over a thousand are compared (1 540 when written).
  assert.ok(compared > 1000, `only ${compared} windows compared`);
});

test('a request received on 7 December 2026 gets a provisional limit (2027 notice not loaded)', () => {
  // Received 2026-12-07 (Mon). Working days from 12-08: 12-08..12-11 (4), 12-14..18 (9), 12-21..25 (14),
  // 12-28..31 (18); 2027-01-01 (Fri) 元旦 rest; 01-04 (19), 01-05 (20) → 2027-01-05, 暂定.
  assert.throws(() => computeReplyClock('2026-12-07', [], official), CalendarNotCoveredError);
  const c = computeReplyClockProvisionally('2026-12-07', [], official);
  assert.equal(c.dueOn, '2027-01-05');
  assert.equal(c.provisional?.year, 2027);
  assert.equal(c.trace.at(-1)!.action, 'provisional');
  assert.match(c.trace.at(-1)!.text, /暂定.*2027 年部分节假日安排的通知尚未载入/);
  // A year covered by its notice is not provisional.
  assert.equal(computeReplyClockProvisionally('2026-06-01', [], official).provisional, undefined);
});

test('no action is refused because a year is uncovered: an extension in December counts on, 暂定', () => {
  // Received 2026-12-31 (Thu): 2027-01-01 元旦; 01-04..08 (5), 11..15 (10), 18..22 (15), 25..29 (20) → 2027-01-29.
  // Extended by 20 on 2027-01-04… (dated 2026-12-31 here, the day of receipt): from 01-29, 02-01..04 (4); 02-05 除夕,
  // 02-06/07 weekend, 02-08 初三, 02-09 and 02-10 补假; 02-11 (5), 02-12 (6), 02-15..19 (11), 02-22..26 (16),
  // 03-01..04 (20) → 2027-03-04.
  const extend = { type: 'extend' as const, on: '2026-12-31', days: 20 };
  assert.deepEqual(validateAction('2026-12-31', [], extend, official), []);
  const c = computeReplyClockProvisionally('2026-12-31', [extend], official);
  assert.equal(c.trace[0]!.dueOn, '2027-01-29');
  assert.equal(c.dueOn, '2027-03-04');
  assert.ok(c.provisional);
  // A reply in December on a provisional limit is allowed too.
  assert.deepEqual(validateAction('2026-12-07', [], { type: 'reply', on: '2026-12-21', outcome: 'disclosed' }, official), []);
});

test('loading the notice replaces the provisional days: a notice that moves 春节 moves the limit', () => {
  // A made-up 2027 notice (test data only): 春节 02-05..02-13 with 02-20 (Sat) worked. From 2027-01-29, 20 working
  // days: 02-01..04 (4); 02-05..13 rest; 02-14 (Sun) rest; 02-15..19 (9), 02-20 Sat worked (10), 02-22..26 (15),
  // 03-01..05 (20) → 2027-03-05 (one day later than provisional 03-04).
  const notice = parseYearArrangement({ year: 2027, holidays: ['2027-01-01', '2027-02-05..2027-02-13', '2027-10-01..2027-10-07'], workdays: ['2027-02-20'] });
  assert.ok(notice.ok, JSON.stringify(notice));
  const loaded = createCalendar([notice.value]);
  const c = computeReplyClockProvisionally('2026-12-31', [{ type: 'extend', on: '2026-12-31', days: 20 }], loaded);
  assert.equal(c.provisional, undefined);
  assert.equal(c.dueOn, '2027-03-05');
  // The provisional calendar leaves a loaded year untouched and fills only the years after it.
  assert.deepEqual(provisionalCalendar(loaded).provisionalYears, [2028, 2029, 2030]);
  assert.deepEqual(provisionalCalendar(official).provisionalYears, [2027, 2028, 2029]);
  assert.equal(provisionalCalendar(official).isProvisional(2027), true);
  assert.equal(provisionalCalendar(official).isProvisional(2026), false);
});

test('bad notices are refused with a message naming the date', () => {
  const refused = (holidays: string[], workdays: string[] = []) => {
    const r = parseYearArrangement({ year: 2027, holidays, workdays });
    assert.equal(r.ok, false);
    return (r as { errors: string[] }).errors.join('；');
  };
  assert.match(refused(['2028-01-01', '2027-10-01..2027-10-07']), /放假日期 2028-01-01 不在 2027 年/);
  assert.match(refused(['2027-10-01..2027-10-07', '2027-10-05']), /放假日期 2027-10-05 重复出现/);
  assert.match(refused(['2027-10-01..2027-10-07'], ['2027-10-03']), /2027-10-03 既是放假日又是调休上班日/);
  // 10-01..10-17 (Fri..Sun): 17 days without a working day, more than any notice (10 days, 2020 春节).
  assert.match(refused(['2027-10-01..2027-10-17']), /2027-10-01 至 2027-10-17 连续 17 天没有工作日/);
  // 2027-10-01 (Fri)..10-08 (Fri), then 10-09/10 weekend: 10 days, accepted (as long as 2020's 春节).
  assert.ok(parseYearArrangement({ year: 2027, holidays: ['2027-01-01', '2027-10-01..2027-10-08'], workdays: [] }).ok);
  // 11 days (10-01..10-11, Mon 10-11 off too): refused.
  assert.match(refused(['2027-10-01..2027-10-11']), /连续 11 天没有工作日/);
  // The real 2026 notice (a Monday-to-Sunday week, 02-16..02-22, with no working day) is accepted.
  assert.ok(
    parseYearArrangement({
      year: 2026,
      holidays: ['2026-01-01..2026-01-03', '2026-02-15..2026-02-23', '2026-04-04..2026-04-06', '2026-05-01..2026-05-05', '2026-06-19..2026-06-21', '2026-09-25..2026-09-27', '2026-10-01..2026-10-07'],
      workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    }).ok,
  );
});
