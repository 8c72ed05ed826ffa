/**
 * 法定节假日 of 《全国年节及纪念日放假办法》, for a year whose State Council notice (国务院办公厅关于XXXX年部分节假日
 * 安排的通知) is not loaded yet: the **provisional** calendar.
 *
 * The holidays themselves are law; only the notice's 调休 swaps (weekend days declared working days, working
 * days moved next to a holiday) are unknown until it is published. So for such a year a limit can be counted on
 * weekends plus the statutory holidays, marked 暂定, and counted again when the notice arrives.
 *
 * 第二条 (as revised by 国务院令第795号, 2024-11-10, in force 2025-01-01) — 全体公民放假的节日:
 *   新年 1月1日 1天；春节 农历除夕、正月初一至初三 4天；清明节 农历清明当日 1天；劳动节 5月1日、2日 2天；
 *   端午节 农历端午当日 1天；中秋节 农历中秋当日 1天；国庆节 10月1日至3日 3天.
 * Before 2025 (the 2013 text, 国务院令第644号, in force 2014-01-01): 春节 正月初一至初三 3天, 劳动节 5月1日 1天;
 * the rest as above.
 * 第六条: 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假. Which working day is the notice's choice;
 * here (DERIVED) the first Monday–Friday after it that is not itself a holiday — what the notices of 2020–2026
 * did whenever they made no other swap (e.g. 2026 清明 4月5日 is a Sunday: 4月6日 off).
 *
 * Lunar dates (除夕, 正月初一至初三, 端午 五月初五, 中秋 八月十五) come from `chinese-days` (already our holiday data;
 * its lunar table covers 1900–2100, the table the Hong Kong Observatory's almanac agrees with), and 清明 is the day
 * of the 清明 solar term (the sun at 15° ecliptic longitude) from the same package's solar-term formula. Node's
 * Intl Chinese calendar (ICU 78) was tried first and is wrong for 2027: it puts 正月初一 on 2027-02-07, a day late
 * (the new moon is at 23:56 Beijing time on 02-06, and ICU's approximation lands after midnight). Pure: no clock,
 * no I/O, the same result in every time zone (the tests run under UTC and Asia/Shanghai).
 */
import { createRequire } from 'node:module';
import {
  CalendarNotCoveredError,
  addDays,
  dayOfWeek,
  fromDayNumber,
  toDayNumber,
  type Calendar,
  type IsoDate,
  type YearArrangement,
} from './calendar.js';

export const STATUTORY_HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;
export type StatutoryHolidayName = (typeof STATUTORY_HOLIDAY_NAMES)[number];

export interface StatutoryDay {
  date: IsoDate;
  name: StatutoryHolidayName;
  /** 第六条 补假: a working day given because a holiday fell on a Saturday or Sunday. */
  substitute?: true;
}

/** The first year the provisional clock can count (the 2013 text is in force from 2014). */
export const FIRST_STATUTORY_YEAR = 2014;
/** The last year the lunar and solar-term sources are trusted for. */
export const LAST_STATUTORY_YEAR = 2099;

interface ChineseDays {
  getLunarDate(date: string): { lunarMon: number; lunarDay: number; isLeap: boolean };
  getSolarTermDate(year: number, month: number, term: string): string;
}
let chineseDays: ChineseDays | undefined;
function lib(): ChineseDays {
  if (!chineseDays) chineseDays = createRequire(import.meta.url)('chinese-days') as ChineseDays;
  return chineseDays;
}

/** The lunar month (leap months flagged) and day of a Gregorian date. */
export function lunarMonthDay(date: IsoDate): { month: number; leap: boolean; day: number } {
  toDayNumber(date); // validates
  const l = lib().getLunarDate(date);
  return { month: l.lunarMon, leap: l.isLeap, day: l.lunarDay };
}

/** The first Gregorian date of year `year` within [from, to] (MM-DD) that is lunar month/day (not leap). */
function findLunar(year: number, from: string, to: string, month: number, day: number): IsoDate {
  const y = String(year).padStart(4, '0');
  const end = toDayNumber(`${y}-${to}`);
  for (let n = toDayNumber(`${y}-${from}`); n <= end; n++) {
    const l = lunarMonthDay(fromDayNumber(n));
    if (!l.leap && l.month === month && l.day === day) return fromDayNumber(n);
  }
  throw new RangeError(`${year} 年未能推算农历 ${month} 月 ${day} 日`);
}

/** The day of the 清明 solar term in `year` (4 to 6 April). */
export function qingmingOf(year: number): IsoDate {
  return lib().getSolarTermDate(year, 4, 'pure_brightness');
}

/**
 * The statutory holidays of `year` with their 补假 days (第二条、第六条), in date order. Throws RangeError for a
 * year outside FIRST_STATUTORY_YEAR..LAST_STATUTORY_YEAR.
 */
export function statutoryHolidays(year: number): StatutoryDay[] {
  if (!Number.isInteger(year) || year < FIRST_STATUTORY_YEAR || year > LAST_STATUTORY_YEAR) {
    throw new RangeError(`无法推算 ${year} 年的法定节假日（支持 ${FIRST_STATUTORY_YEAR}–${LAST_STATUTORY_YEAR} 年）`);
  }
  const y = String(year).padStart(4, '0');
  const revised2024 = year >= 2025;
  const days: StatutoryDay[] = [];
  const add = (date: IsoDate, name: StatutoryHolidayName) => days.push({ date, name });
  add(`${y}-01-01`, '元旦');
  const newYear = findLunar(year, '01-20', '02-21', 1, 1);
  if (revised2024) add(addDays(newYear, -1), '春节'); // 除夕: the last day of the twelfth month
  for (let i = 0; i < 3; i++) add(addDays(newYear, i), '春节');
  add(qingmingOf(year), '清明节');
  add(`${y}-05-01`, '劳动节');
  if (revised2024) add(`${y}-05-02`, '劳动节');
  add(findLunar(year, '05-28', '06-25', 5, 5), '端午节');
  add(findLunar(year, '09-07', '10-08', 8, 15), '中秋节');
  for (const d of ['10-01', '10-02', '10-03']) add(`${y}-${d}`, '国庆节');
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // 第六条: each holiday on a Saturday or Sunday gives the first free Monday–Friday after it.
  const taken = new Set(days.map((d) => d.date));
  const substitutes: StatutoryDay[] = [];
  for (const h of days) {
    const dow = dayOfWeek(h.date);
    if (dow !== 0 && dow !== 6) continue;
    let n = toDayNumber(h.date) + 1;
    for (;;) {
      const d = fromDayNumber(n);
      const w = dayOfWeek(d);
      if (w !== 0 && w !== 6 && !taken.has(d)) break;
      n++;
    }
    const d = fromDayNumber(n);
    taken.add(d);
    substitutes.push({ date: d, name: h.name, substitute: true });
  }
  return [...days, ...substitutes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A provisional 节假日安排 for `year`: the statutory holidays and their 补假, no 调休上班 days. */
export function provisionalArrangement(year: number): YearArrangement {
  return {
    year,
    notice: `暂定：${year} 年节假日安排通知尚未载入，按《全国年节及纪念日放假办法》规定的法定节假日推算`,
    holidays: statutoryHolidays(year).map((d) => d.date),
    workdays: [],
  };
}

/** Years after the last covered one that the provisional calendar fills (a notice comes a year at a time). */
export const PROVISIONAL_YEARS_AHEAD = 3;

const provisionalCache = new WeakMap<Calendar, Calendar>();

/**
 * The official calendar with the years after its last covered year (up to PROVISIONAL_YEARS_AHEAD of them)
 * filled provisionally. Days of a loaded year are never changed; `isProvisional(year)` says which are guessed.
 */
export function provisionalCalendar(official: Calendar): Calendar {
  const hit = provisionalCache.get(official);
  if (hit) return hit;
  const last = official.coveredYears.at(-1) ?? FIRST_STATUTORY_YEAR - 1;
  const years: number[] = [];
  for (let y = Math.max(last + 1, FIRST_STATUTORY_YEAR); y <= Math.min(last + PROVISIONAL_YEARS_AHEAD, LAST_STATUTORY_YEAR); y++) years.push(y);
  const cal = official.withProvisionalYears(years.map(provisionalArrangement));
  provisionalCache.set(official, cal);
  return cal;
}

/** The reason a computation is provisional, for traces and pages (Chinese). */
export function provisionalReason(e: CalendarNotCoveredError): string {
  return `国务院办公厅关于 ${e.year} 年部分节假日安排的通知尚未载入：涉及 ${e.year} 年的日期暂按双休日和《全国年节及纪念日放假办法》规定的法定节假日（含补假）推算，未计调休；通知载入后将重新计算`;
}
