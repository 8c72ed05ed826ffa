// Expected dates below were counted by hand from the holiday table in ../shared/spec/holidays.md §4.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CalendarNotCoveredError,
  InvalidDateError,
  addDays,
  builtInCoveredYears,
  createCalendar,
  dayOfWeek,
  daysBetween,
  expandDateSpec,
  fromDayNumber,
  isIsoDate,
  parseYearArrangement,
  parseYearArrangements,
  toDayNumber,
  validateArrangement,
  type YearArrangement,
} from './calendar.js';

const cal = createCalendar();

/** A made-up 2027 arrangement used as test data only (the real notice is not yet known). */
const ARRANGEMENT_2027: YearArrangement = {
  year: 2027,
  notice: '测试用：2027年部分节假日安排',
  holidays: ['2027-01-01..2027-01-03', '2027-02-06..2027-02-13', '2027-04-05', '2027-05-01..2027-05-05', '2027-10-01..2027-10-07'],
  workdays: ['2027-02-14', '2027-10-09'],
};

test('plain date arithmetic is time-zone independent', () => {
  assert.equal(toDayNumber('1970-01-01'), 0);
  assert.equal(fromDayNumber(toDayNumber('2024-02-29')), '2024-02-29');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addDays('2025-12-31', 1), '2026-01-01');
  assert.equal(daysBetween('2025-01-01', '2026-01-01'), 365);
  assert.equal(dayOfWeek('2025-01-20'), 1); // Monday
  assert.equal(dayOfWeek('2026-02-15'), 0); // Sunday (holidays.md: 2月15日 周日)
  assert.equal(dayOfWeek('2025-10-11'), 6); // Saturday
  assert.equal(isIsoDate('2025-02-29'), false);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2025-2-1'), false);
  assert.throws(() => toDayNumber('2025-13-01'), InvalidDateError);
  assert.throws(() => cal.isWorkingDay('2025-02-30'), InvalidDateError);
});

test('day numbers agree with Date.UTC on every day of four centuries (and round-trip)', () => {
  const start = Math.round(Date.UTC(1800, 0, 1) / 86_400_000);
  const end = Math.round(Date.UTC(2200, 11, 31) / 86_400_000);
  for (let n = start; n <= end; n++) {
    const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
    if (fromDayNumber(n) !== iso || toDayNumber(iso) !== n) assert.fail(`day ${n}: ${fromDayNumber(n)} / ${toDayNumber(iso)} (Date.UTC: ${iso})`);
  }
  for (const bad of ['1900-02-29', '2100-02-29', '2025-04-31', '2025-00-10', '2025-01-00', '2025-01-32', ' 2025-01-01', '2025-01-01T00:00']) {
    assert.equal(isIsoDate(bad), false, bad);
    assert.throws(() => toDayNumber(bad), InvalidDateError);
  }
  assert.equal(isIsoDate('2000-02-29'), true);
});

test('days of an uncovered year are refused at both ends of the covered span', () => {
  assert.throws(() => cal.isWorkingDay('2003-12-31'), CalendarNotCoveredError);
  assert.throws(() => cal.isWorkingDay('2027-01-01'), CalendarNotCoveredError);
  assert.throws(() => cal.addWorkingDays('2026-12-25', 10), (e: unknown) => e instanceof CalendarNotCoveredError && e.year === 2027);
  assert.equal(cal.isWorkingDay('2004-01-02'), true);
  assert.equal(cal.isWorkingDay('2026-12-31'), true);
  // A year loaded as data far beyond the built-in ones covers only itself, not the years between.
  const far = createCalendar([{ year: 2030, holidays: ['2030-10-01..2030-10-07'], workdays: [] }]);
  assert.equal(far.isWorkingDay('2030-10-08'), true);
  assert.equal(far.isWorkingDay('2030-10-01'), false);
  assert.throws(() => far.isWorkingDay('2028-06-01'), CalendarNotCoveredError);
});

test('coverage comes from the data: 2004–2026 built in, 2027 not', () => {
  const years = builtInCoveredYears();
  assert.equal(years[0], 2004);
  assert.equal(years.at(-1), 2026);
  assert.equal(years.length, 23);
  assert.equal(cal.covers(2026), true);
  assert.equal(cal.covers(2027), false);
  assert.equal(cal.covers(2003), false);
});

test('2020 春节 extension (国办发明电〔2020〕1号): 2020-02-01 is not a working day', () => {
  assert.equal(cal.isWorkingDay('2020-01-19'), true); // 调休上班 (星期日)
  assert.equal(cal.isWorkingDay('2020-01-23'), true);
  for (const d of expandDateSpec('2020-01-24..2020-02-02')) assert.equal(cal.isWorkingDay(d), false, d);
  assert.equal(cal.dayDetail('2020-02-01').kind, 'holiday');
  assert.equal(cal.isWorkingDay('2020-02-03'), true);
  // 2020-01-23 + 1 working day jumps the whole extended holiday.
  assert.equal(cal.addWorkingDays('2020-01-23', 1), '2020-02-03');
});

test('调休上班 weekend days are working days (holidays.md, contract: make-up days count)', () => {
  for (const d of ['2021-02-07', '2021-02-20', '2022-01-29', '2022-01-30', '2023-01-28', '2023-01-29', '2024-02-04', '2024-02-18', '2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']) {
    assert.equal(cal.isWorkingDay(d), true, d);
    assert.equal(cal.dayDetail(d).kind, 'makeup_workday', d);
  }
  // 2024-02-09 除夕 is only encouraged as a rest day: it stays a 工作日.
  assert.equal(cal.isWorkingDay('2024-02-09'), true);
  // An ordinary weekend.
  assert.equal(cal.isWorkingDay('2025-03-01'), false);
  assert.equal(cal.dayDetail('2025-03-01').kind, 'weekend');
  assert.equal(cal.dayDetail('2025-03-03').kind, 'workday');
});

test('holidays on weekdays are not working days, with their names', () => {
  assert.equal(cal.isWorkingDay('2025-01-28'), false);
  assert.deepEqual(cal.dayDetail('2025-01-28'), { date: '2025-01-28', kind: 'holiday', isWorkingDay: false, name: '春节' });
  assert.equal(cal.dayDetail('2025-10-08').name, '国庆节');
  assert.equal(cal.isWorkingDay('2026-02-23'), false); // 2026 春节 ends on Monday 02-23
  assert.equal(cal.isWorkingDay('2026-02-24'), true);
});

test('条例第33条: 20 working days after receipt 2025-01-20 (before 春节 2025) → 2025-02-21', () => {
  // 1/21–24 (4), 1/26 调休 (5), 1/27 (6), 1/28–2/4 holiday, 2/5–7 (9), 2/8 调休 (10), 2/10–14 (15), 2/17–21 (20)
  assert.equal(cal.addWorkingDays('2025-01-20', 20), '2025-02-21');
  assert.equal(cal.workingDaysBetween('2025-01-20', '2025-02-21'), 20);
});

test('条例第33条: receipt 2025-09-26 just before 国庆 2025 → 2025-10-30', () => {
  // 9/28 调休 (1), 9/29–30 (3), 10/1–8 holiday, 10/9–10 (5), 10/11 调休 (6), 10/13–17 (11), 10/20–24 (16), 10/27–30 (20)
  assert.equal(cal.addWorkingDays('2025-09-26', 20), '2025-10-30');
});

test('addWorkingDays does not count the start day, and n = 0 is the day itself', () => {
  assert.equal(cal.addWorkingDays('2025-03-03', 1), '2025-03-04');
  assert.equal(cal.addWorkingDays('2025-03-07', 1), '2025-03-10'); // Friday → Monday
  assert.equal(cal.addWorkingDays('2025-03-08', 1), '2025-03-10'); // from a Saturday
  assert.equal(cal.addWorkingDays('2025-03-08', 0), '2025-03-08');
  assert.equal(cal.nextWorkingDay('2025-09-30'), '2025-10-09');
  assert.equal(cal.workingDayOnOrAfter('2025-10-01'), '2025-10-09');
  assert.equal(cal.workingDayOnOrAfter('2025-10-09'), '2025-10-09');
  assert.throws(() => cal.addWorkingDays('2025-03-03', -1), RangeError);
  assert.throws(() => cal.addWorkingDays('2025-03-03', 1.5), RangeError);
});

test('workingDaysBetween counts after a up to and including b', () => {
  assert.equal(cal.workingDaysBetween('2025-01-27', '2025-02-05'), 1); // only 2/5
  assert.equal(cal.workingDaysBetween('2025-03-03', '2025-03-03'), 0);
  assert.equal(cal.workingDaysBetween('2025-03-07', '2025-03-03'), 0);
  assert.equal(cal.workingDaysBetween('2025-03-02', '2025-03-09'), 5);
});

test('year-end crossing: 2022-12-30 → next working day 2023-01-03 (元旦 2022-12-31..2023-01-02)', () => {
  assert.equal(cal.isWorkingDay('2022-12-31'), false);
  assert.equal(cal.isWorkingDay('2023-01-02'), false);
  assert.equal(cal.addWorkingDays('2022-12-30', 1), '2023-01-03');
  // 2025-12-19 + 20: 12/22–26 (5), 12/29–31 (8), 2026-01-01..03 holiday, 1/4 调休 (9), 1/5–9 (14), 1/12–16 (19), 1/19 (20)
  assert.equal(cal.addWorkingDays('2025-12-19', 20), '2026-01-19');
});

test('a date in 2027 is flagged with CalendarNotCoveredError, never guessed', () => {
  assert.throws(() => cal.isWorkingDay('2027-01-04'), (e: unknown) => e instanceof CalendarNotCoveredError && e.year === 2027 && e.code === 'CALENDAR_NOT_COVERED');
  // 2026-12-15 + 20 runs out of 2026 after 12 working days (12/16–18, 21–25, 28–31) and needs 2027.
  assert.throws(() => cal.addWorkingDays('2026-12-15', 20), (e: unknown) => e instanceof CalendarNotCoveredError && e.year === 2027 && e.date === '2027-01-01');
  assert.equal(cal.addWorkingDays('2026-12-15', 12), '2026-12-31');
  assert.throws(() => cal.workingDaysBetween('2026-12-30', '2027-01-05'), CalendarNotCoveredError);
  assert.throws(() => cal.assertCovered('2003-06-01'), CalendarNotCoveredError);
  assert.match(new CalendarNotCoveredError(2027).message, /2027 年/);
});

test('loading a 2027 arrangement as data covers 2027', () => {
  const c = createCalendar([ARRANGEMENT_2027]);
  assert.equal(c.covers(2027), true);
  assert.equal(c.notice(2027), '测试用：2027年部分节假日安排');
  assert.equal(c.isWorkingDay('2027-01-01'), false); // Friday holiday
  assert.equal(c.isWorkingDay('2027-02-14'), true); // Sunday 调休
  assert.equal(c.isWorkingDay('2027-02-08'), false);
  // 2026-12-15 + 20: 12 in 2026, 1/1–3 holiday, 1/4–8 (17), 1/11–13 (20)
  assert.equal(c.addWorkingDays('2026-12-15', 20), '2027-01-13');
  // The built-in calendar is unchanged.
  assert.equal(cal.covers(2027), false);
  assert.throws(() => c.isWorkingDay('2028-01-03'), CalendarNotCoveredError);
});

test('an arrangement loaded for a built-in year replaces that year', () => {
  const c = createCalendar([{ year: 2026, holidays: ['2026-10-01..2026-10-08'], workdays: [] }]);
  assert.equal(c.isWorkingDay('2026-10-08'), false);
  assert.equal(c.isWorkingDay('2026-02-16'), true); // the built-in 春节 was replaced
  assert.equal(c.isWorkingDay('2025-01-28'), false); // other years untouched
});

test('parseYearArrangement accepts the notice as JSON', () => {
  const r = parseYearArrangement(JSON.stringify(ARRANGEMENT_2027));
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.value, ARRANGEMENT_2027);
  const list = parseYearArrangements(JSON.stringify([ARRANGEMENT_2027]));
  assert.equal(list.ok, true);
  const yearAsString = parseYearArrangement({ ...ARRANGEMENT_2027, year: '2027' });
  assert.equal(yearAsString.ok, true);
});

test('parseYearArrangement rejects bad data with Chinese messages', () => {
  const bad = (x: unknown): string[] => {
    const r = parseYearArrangement(x);
    assert.equal(r.ok, false);
    return r.ok ? [] : r.errors;
  };
  assert.match(bad('{not json')[0]!, /不是有效的 JSON/);
  assert.match(bad([])[0]!, /应为一个对象/);
  assert.match(bad({ holidays: [] })[0]!, /缺少年份/);
  assert.ok(bad({ ...ARRANGEMENT_2027, workdays: ['2027-02-15'] }).some((e) => /不是周末/.test(e)));
  assert.ok(bad({ ...ARRANGEMENT_2027, workdays: ['2027-02-13'] }).some((e) => /既是放假日又是调休上班日/.test(e)));
  assert.ok(bad({ ...ARRANGEMENT_2027, holidays: [...ARRANGEMENT_2027.holidays, '2027-02-30'] }).some((e) => /日期不正确/.test(e)));
  assert.ok(bad({ ...ARRANGEMENT_2027, holidays: [...ARRANGEMENT_2027.holidays, '2028-01-01'] }).some((e) => /不在 2027 年/.test(e)));
  assert.ok(bad({ ...ARRANGEMENT_2027, holidays: ['2027-01-01'] }).some((e) => /国庆节/.test(e)));
  // Overlapping ranges name the first date counted twice: 10-01..10-07 and 10-05..10-08 share 10-05.
  assert.ok(bad({ ...ARRANGEMENT_2027, holidays: [...ARRANGEMENT_2027.holidays, '2027-10-05..2027-10-08'] }).some((e) => /放假日期 2027-10-05 重复出现（放假区间相互重叠）/.test(e)));
  // A stretch with no working day: Fri 10-01 to Fri 10-15 off, then Sat 10-16 and Sun 10-17 → 17 days from
  // 10-01 to 10-17 (Thu 09-30 and Mon 10-18 are working days), more than the longest in any notice (10).
  const long = { ...ARRANGEMENT_2027, holidays: ['2027-01-01..2027-01-03', '2027-02-06..2027-02-13', '2027-04-05', '2027-05-01..2027-05-05', '2027-10-01..2027-10-15'], workdays: ['2027-02-14'] };
  assert.ok(bad(long).some((e) => /2027-10-01 至 2027-10-17 连续 17 天没有工作日/.test(e)), JSON.stringify(bad(long)));
  assert.ok(bad({ year: 2027, holidays: [], workdays: [] }).some((e) => /缺少放假日期/.test(e)));
  const many = parseYearArrangements([ARRANGEMENT_2027, { year: 2028 }]);
  assert.equal(many.ok, false);
  if (!many.ok) assert.match(many.errors[0]!, /^第 2 项/);
  // A previous-December date is allowed (the 2023 notice starts 2022-12-31).
  assert.deepEqual(validateArrangement({ year: 2023, holidays: ['2022-12-31..2023-01-02', '2023-10-01'], workdays: [] }), []);
  assert.throws(() => createCalendar([{ year: 2027, holidays: ['2027-10-01'], workdays: ['2027-10-04'] }]), /节假日安排数据有误/);
});

test('every built-in year 2020–2026 matches the spec table (holidays.md §4.1)', () => {
  const table: Record<number, { holidays: string[]; workdays: string[] }> = {
    2020: { holidays: ['2020-01-01', '2020-01-24..2020-02-02', '2020-04-04..2020-04-06', '2020-05-01..2020-05-05', '2020-06-25..2020-06-27', '2020-10-01..2020-10-08'], workdays: ['2020-01-19', '2020-04-26', '2020-05-09', '2020-06-28', '2020-09-27', '2020-10-10'] },
    2021: { holidays: ['2021-01-01..2021-01-03', '2021-02-11..2021-02-17', '2021-04-03..2021-04-05', '2021-05-01..2021-05-05', '2021-06-12..2021-06-14', '2021-09-19..2021-09-21', '2021-10-01..2021-10-07'], workdays: ['2021-02-07', '2021-02-20', '2021-04-25', '2021-05-08', '2021-09-18', '2021-09-26', '2021-10-09'] },
    2022: { holidays: ['2022-01-01..2022-01-03', '2022-01-31..2022-02-06', '2022-04-03..2022-04-05', '2022-04-30..2022-05-04', '2022-06-03..2022-06-05', '2022-09-10..2022-09-12', '2022-10-01..2022-10-07', '2022-12-31'], workdays: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'] },
    2023: { holidays: ['2023-01-01..2023-01-02', '2023-01-21..2023-01-27', '2023-04-05', '2023-04-29..2023-05-03', '2023-06-22..2023-06-24', '2023-09-29..2023-10-06'], workdays: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'] },
    2024: { holidays: ['2024-01-01', '2024-02-10..2024-02-17', '2024-04-04..2024-04-06', '2024-05-01..2024-05-05', '2024-06-10', '2024-09-15..2024-09-17', '2024-10-01..2024-10-07'], workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'] },
    2025: { holidays: ['2025-01-01', '2025-01-28..2025-02-04', '2025-04-04..2025-04-06', '2025-05-01..2025-05-05', '2025-05-31..2025-06-02', '2025-10-01..2025-10-08'], workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'] },
    2026: { holidays: ['2026-01-01..2026-01-03', '2026-02-15..2026-02-23', '2026-04-04..2026-04-06', '2026-05-01..2026-05-05', '2026-06-19..2026-06-21', '2026-09-25..2026-09-27', '2026-10-01..2026-10-07'], workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'] },
  };
  for (const [year, t] of Object.entries(table)) {
    const rest = new Set(t.holidays.flatMap(expandDateSpec));
    const work = new Set(t.workdays);
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      const dow = dayOfWeek(d);
      const expected = work.has(d) || (!rest.has(d) && dow !== 0 && dow !== 6);
      assert.equal(cal.isWorkingDay(d), expected, d);
    }
  }
});
