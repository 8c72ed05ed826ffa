/**
 * 工作日 on the official calendar (国务院办公厅关于XXXX年部分节假日安排的通知).
 *
 * The statute counts its limits in 工作日 (条例第26条、第30条、第32条、第33条、第34条). A working day is a
 * Monday–Friday that is not a statutory holiday, or a weekend day the State Council declared a working day
 * (调休上班). Reading (DERIVED, ../shared/spec/regulations.md §2.7; the contract fixes it): 调休上班 days count.
 *
 * The built-in years come from the `chinese-days` package (2004–2026, incl. the 2020 春节 extension,
 * 国办发明电〔2020〕1号). A year that no notice covers is never guessed: every computation that touches a day
 * of such a year throws `CalendarNotCoveredError`. An administrator loads a new year's notice as data
 * (`YearArrangement`, see `parseYearArrangement`), and the calendar then covers it.
 *
 * Dates are 'YYYY-MM-DD' strings. All arithmetic is on day numbers (days since 1970-01-01, computed with
 * Date.UTC), so the result never depends on the process time zone.
 */
import { createRequire } from 'node:module';

export type IsoDate = string;

/** One year's 节假日安排 as data: the holidays (single dates or ranges 'A..B') and the 调休上班 days. */
export interface YearArrangement {
  year: number;
  /** The notice, e.g. '国办发明电〔2026〕X号' or its title. */
  notice?: string;
  /** 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD' (inclusive). */
  holidays: string[];
  /** 调休上班: weekend days declared working days. */
  workdays: string[];
}

export class InvalidDateError extends Error {
  readonly code = 'INVALID_DATE';
  constructor(readonly value: unknown) {
    super(`日期格式不正确：${String(value)}（应为 YYYY-MM-DD）`);
    this.name = 'InvalidDateError';
  }
}

/** A computation needed a day in a year for which no holiday arrangement is loaded. */
export class CalendarNotCoveredError extends Error {
  readonly code = 'CALENDAR_NOT_COVERED';
  constructor(
    readonly year: number,
    readonly date?: IsoDate,
  ) {
    super(
      `节假日日历未覆盖 ${year} 年${date ? `（计算涉及 ${date}）` : ''}：请先导入国务院办公厅关于 ${year} 年部分节假日安排的通知`,
    );
    this.name = 'CalendarNotCoveredError';
  }
}

// ---------------------------------------------------------------------------------------------
// Plain date arithmetic (time-zone independent)

/** True if `s` is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && parseDayNumber(s) !== undefined;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The day number of a real 'YYYY-MM-DD' date, else undefined. The reply clock counts day by day, so this and
 * fromDayNumber run tens of times per computed clock: plain integer arithmetic (days from civil, H. Hinnant),
 * no Date objects; the tests check both against Date.UTC over four centuries.
 */
function parseDayNumber(s: string): number | undefined {
  // /^\d{4}-\d{2}-\d{2}$/ by hand (this runs for every day the clock counts): no match arrays.
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  let y = 0;
  let mo = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) mo = mo * 10 + c;
    else d = d * 10 + c;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 (UTC); throws InvalidDateError. */
export function toDayNumber(date: IsoDate): number {
  const n = typeof date === 'string' ? parseDayNumber(date) : undefined;
  if (n === undefined) throw new InvalidDateError(date);
  return n;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Calendar days: `date` + n days. */
export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + n);
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** −1, 0, 1 (the strings compare like the dates, but this validates them). */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(toDayNumber(a) - toDayNumber(b));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function yearOf(date: IsoDate): number {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  return Number(date.slice(0, 4));
}

const WEEKDAY_LABELS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;
export function weekdayLabel(date: IsoDate): string {
  return WEEKDAY_LABELS[dayOfWeek(date)]!;
}

// ---------------------------------------------------------------------------------------------
// The calendar

export type DayKind =
  | 'workday' // 工作日 (Monday–Friday)
  | 'makeup_workday' // 调休上班 (a weekend day declared a working day)
  | 'weekend' // 休息日
  | 'holiday'; // 法定节假日 (incl. 调休 rest days)

export const DAY_KIND_LABELS: Record<DayKind, string> = {
  workday: '工作日',
  makeup_workday: '调休上班日',
  weekend: '休息日',
  holiday: '节假日',
};

export interface DayDetail {
  date: IsoDate;
  kind: DayKind;
  isWorkingDay: boolean;
  /** The holiday's Chinese name for a holiday from the built-in data (e.g. '春节'), when known. */
  name?: string;
}

export interface Calendar {
  /** Years with a loaded arrangement, ascending. */
  readonly coveredYears: readonly number[];
  covers(year: number): boolean;
  /** Throws CalendarNotCoveredError unless the date's year is covered. */
  assertCovered(date: IsoDate): void;
  isWorkingDay(date: IsoDate): boolean;
  dayDetail(date: IsoDate): DayDetail;
  /** The n-th working day after `date`, not counting `date` (n ≥ 0; n = 0 returns `date`). */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Working days after `a` up to and including `b` (0 when b ≤ a). */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate;
  /** `date` itself if it is a working day, otherwise the next one. */
  workingDayOnOrAfter(date: IsoDate): IsoDate;
  /** The arrangement notices loaded as data, by year. */
  notice(year: number): string | undefined;
  /** Years counted on the statutory holidays alone because their notice is not loaded (calendar-statutory.ts). */
  readonly provisionalYears: readonly number[];
  isProvisional(year: number): boolean;
  /** This calendar plus provisional arrangements for years it does not cover (see provisionalCalendar). */
  withProvisionalYears(arrangements: readonly YearArrangement[]): Calendar;
}

interface DayInfo {
  rest: boolean; // holiday (true) or 调休上班 (false)
  name?: string;
}

interface BuiltInData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let builtIn: BuiltInData | undefined;
function loadBuiltIn(): BuiltInData {
  if (!builtIn) {
    const require = createRequire(import.meta.url);
    builtIn = require('chinese-days/dist/chinese-days.json') as BuiltInData;
  }
  return builtIn;
}

/**
 * The years the built-in data covers. A year counts as covered when its 国庆节 (10-01) is a holiday key:
 * every notice since 1999 has one, and a stray date from the next year's notice (e.g. 2022-12-31 in the
 * 2023 notice) cannot make a year look covered.
 */
export function builtInCoveredYears(): number[] {
  const years = new Set<number>();
  for (const k of Object.keys(loadBuiltIn().holidays)) if (k.endsWith('-10-01')) years.add(Number(k.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/** Expands 'A' or 'A..B' into dates; throws InvalidDateError. */
export function expandDateSpec(spec: string): IsoDate[] {
  const parts = spec.split('..').map((s) => s.trim());
  if (parts.length === 1) {
    toDayNumber(parts[0]!);
    return [parts[0]!];
  }
  if (parts.length !== 2) throw new InvalidDateError(spec);
  const a = toDayNumber(parts[0]!);
  const b = toDayNumber(parts[1]!);
  if (b < a || b - a > 60) throw new InvalidDateError(spec);
  const out: IsoDate[] = [];
  for (let n = a; n <= b; n++) out.push(fromDayNumber(n));
  return out;
}

/**
 * The official calendar: the built-in years plus any arrangements loaded as data. An arrangement for a
 * year the built-in data already has replaces that year's built-in days (a corrected notice).
 */
export function createCalendar(extraYears: readonly YearArrangement[] = [], provisional: readonly YearArrangement[] = []): Calendar {
  const days = new Map<IsoDate, DayInfo>();
  const data = loadBuiltIn();
  for (const [d, v] of Object.entries(data.holidays)) days.set(d, { rest: true, name: v.split(',')[1] });
  for (const d of Object.keys(data.workdays)) days.set(d, { rest: false });
  const covered = new Set(builtInCoveredYears());
  const notices = new Map<number, string>();

  for (const arr of extraYears) {
    const problems = validateArrangement(arr, { plausibility: false });
    if (problems.length) throw new Error(`节假日安排数据有误：${problems.join('；')}`);
    for (const d of [...days.keys()]) if (yearOf(d) === arr.year) days.delete(d);
    for (const spec of arr.holidays) for (const d of expandDateSpec(spec)) days.set(d, { rest: true });
    for (const spec of arr.workdays) for (const d of expandDateSpec(spec)) days.set(d, { rest: false });
    covered.add(arr.year);
    if (arr.notice) notices.set(arr.year, arr.notice);
  }
  // Provisional years: only where no notice is loaded; their days are the statutory holidays alone.
  const provisionalYears = Object.freeze(provisional.map((a) => a.year).filter((y) => !covered.has(y)).sort((a, b) => a - b));
  for (const arr of provisional) {
    if (!provisionalYears.includes(arr.year)) continue;
    for (const spec of arr.holidays) for (const d of expandDateSpec(spec)) if (yearOf(d) === arr.year) days.set(d, { rest: true });
    covered.add(arr.year);
  }
  const coveredYears = Object.freeze([...covered].sort((a, b) => a - b));

  // Every day from the first covered year to the last, by day number: 0 not covered, 1 working, 2 rest.
  // Counting working days then reads one array cell per day instead of formatting and looking up dates.
  const first = coveredYears.length ? toDayNumber(`${String(coveredYears[0]).padStart(4, '0')}-01-01`) : 0;
  const kinds = new Uint8Array(coveredYears.length ? toDayNumber(`${String(coveredYears.at(-1)).padStart(4, '0')}-12-31`) - first + 1 : 0);
  for (const y of coveredYears) {
    const end = toDayNumber(`${String(y).padStart(4, '0')}-12-31`);
    for (let n = toDayNumber(`${String(y).padStart(4, '0')}-01-01`); n <= end; n++) {
      const dow = (((n + 4) % 7) + 7) % 7;
      kinds[n - first] = dow !== 0 && dow !== 6 ? 1 : 2;
    }
  }
  for (const [d, info] of days) {
    const n = toDayNumber(d);
    if (n >= first && n - first < kinds.length && kinds[n - first] !== 0) kinds[n - first] = info.rest ? 2 : 1;
  }

  const kindOf = (n: number): number => {
    const k = n >= first && n - first < kinds.length ? kinds[n - first]! : 0;
    if (k === 0) {
      const d = fromDayNumber(n);
      throw new CalendarNotCoveredError(Number(d.slice(0, 4)), d);
    }
    return k;
  };
  const assertCoveredDay = (n: number): void => void kindOf(n);
  const isWorkingDayN = (n: number): boolean => kindOf(n) === 1;

  const cal: Calendar = {
    coveredYears,
    covers: (year) => covered.has(year),
    assertCovered: (date) => assertCoveredDay(toDayNumber(date)),
    isWorkingDay: (date) => isWorkingDayN(toDayNumber(date)),
    dayDetail(date) {
      const n = toDayNumber(date);
      const working = isWorkingDayN(n);
      const info = days.get(date);
      const dow = dayOfWeek(date);
      const weekend = dow === 0 || dow === 6;
      let kind: DayKind;
      if (info?.rest) kind = 'holiday';
      else if (working) kind = weekend ? 'makeup_workday' : 'workday';
      else kind = 'weekend';
      return { date, kind, isWorkingDay: working, ...(info?.name ? { name: info.name } : {}) };
    },
    addWorkingDays(date, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数：${n}`);
      let d = toDayNumber(date);
      if (n === 0) {
        assertCoveredDay(d);
        return date;
      }
      let left = n;
      while (left > 0) {
        d++;
        if (isWorkingDayN(d)) left--;
      }
      return fromDayNumber(d);
    },
    workingDaysBetween(a, b) {
      const x = toDayNumber(a);
      const y = toDayNumber(b);
      let count = 0;
      for (let d = x + 1; d <= y; d++) if (isWorkingDayN(d)) count++;
      return count;
    },
    nextWorkingDay: (date) => cal.addWorkingDays(date, 1),
    workingDayOnOrAfter: (date) => (cal.isWorkingDay(date) ? date : cal.addWorkingDays(date, 1)),
    notice: (year) => notices.get(year),
    provisionalYears,
    isProvisional: (year) => provisionalYears.includes(year),
    withProvisionalYears: (arrangements) => createCalendar(extraYears, arrangements),
  };
  return cal;
}

// ---------------------------------------------------------------------------------------------
// Loading a notice as data

/** The longest stretch without a working day any notice has made (2020: 春节 01-24 to 02-02 with its extension). */
export const MAX_DAYS_WITHOUT_WORK = 10;

/**
 * Problems with an arrangement, in Chinese, each naming the date (empty when it is sound). `plausibility: false`
 * skips the check for an implausibly long stretch without a working day (used when reading stored years).
 */
export function validateArrangement(arr: YearArrangement, opts: { plausibility?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(arr.year) || arr.year < 1999 || arr.year > 2199) {
    problems.push(`年份不正确：${String(arr.year)}`);
    return problems;
  }
  const rest = new Set<IsoDate>();
  const expand = (spec: unknown, what: string): IsoDate[] => {
    if (typeof spec !== 'string') {
      problems.push(`${what}应为日期字符串：${JSON.stringify(spec)}`);
      return [];
    }
    try {
      return expandDateSpec(spec);
    } catch {
      problems.push(`${what}日期不正确：${spec}（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）`);
      return [];
    }
  };
  // A notice may reach back into the last days of the previous December (2023: 2022-12-31).
  const inScope = (d: IsoDate): boolean => yearOf(d) === arr.year || (yearOf(d) === arr.year - 1 && d.slice(5, 7) === '12');
  if (!Array.isArray(arr.holidays) || arr.holidays.length === 0) problems.push('缺少放假日期（holidays）');
  if (!Array.isArray(arr.workdays)) problems.push('缺少调休上班日期（workdays，可为空数组）');
  for (const spec of Array.isArray(arr.holidays) ? arr.holidays : []) {
    for (const d of expand(spec, '放假')) {
      if (!inScope(d)) problems.push(`放假日期 ${d} 不在 ${arr.year} 年`);
      else if (rest.has(d)) problems.push(`放假日期 ${d} 重复出现（放假区间相互重叠）`);
      rest.add(d);
    }
  }
  const work = new Set<IsoDate>();
  for (const spec of Array.isArray(arr.workdays) ? arr.workdays : []) {
    for (const d of expand(spec, '调休上班')) {
      if (!inScope(d)) problems.push(`调休上班日期 ${d} 不在 ${arr.year} 年`);
      const dow = dayOfWeek(d);
      if (dow !== 0 && dow !== 6) problems.push(`调休上班日期 ${d} 是${weekdayLabel(d)}，不是周末`);
      if (rest.has(d)) problems.push(`${d} 既是放假日又是调休上班日`);
      else if (work.has(d)) problems.push(`调休上班日期 ${d} 重复出现`);
      work.add(d);
    }
  }
  // A stretch without a single working day longer than any notice has made is most likely a typing error in a
  // range. The longest so far: 2020's 春节 with its extension, 01-24 to 02-02, 10 days. (A Monday-to-Sunday
  // week without a working day is not enough to refuse: the 2026 notice makes one, 02-16 to 02-22.)
  if (problems.length === 0 && opts.plausibility !== false) {
    const y = String(arr.year).padStart(4, '0');
    const end = toDayNumber(`${y}-12-31`);
    let runStart = -1;
    for (let n = toDayNumber(`${y}-01-01`); n <= end + 1; n++) {
      const d = fromDayNumber(n);
      const dow = ((n + 4) % 7 + 7) % 7;
      const off = n <= end && !work.has(d) && (dow === 0 || dow === 6 || rest.has(d));
      if (off && runStart < 0) runStart = n;
      if (!off && runStart >= 0) {
        const days = n - runStart;
        if (days > MAX_DAYS_WITHOUT_WORK) {
          problems.push(`${fromDayNumber(runStart)} 至 ${fromDayNumber(n - 1)} 连续 ${days} 天没有工作日（历年通知最长为 ${MAX_DAYS_WITHOUT_WORK} 天），请核对放假日期`);
        }
        runStart = -1;
      }
    }
  }
  if (!rest.has(`${arr.year}-10-01`) && problems.length === 0 && rest.size > 0) {
    problems.push(`放假日期中没有国庆节（${arr.year}-10-01），安排可能不完整`);
  }
  return problems;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Parses one year's arrangement given as JSON (a string or an already parsed value):
 * `{ "year": 2027, "notice": "…", "holidays": ["2027-01-01", "2027-02-06..2027-02-13"], "workdays": ["2027-02-14"] }`.
 * Errors are Chinese and name the offending entry.
 */
export function parseYearArrangement(input: unknown): ParseResult<YearArrangement> {
  let v: unknown = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [`不是有效的 JSON：${(e as Error).message}`] };
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, errors: ['应为一个对象（year、holidays、workdays）'] };
  const o = v as Record<string, unknown>;
  const year = typeof o.year === 'string' && /^\d{4}$/.test(o.year) ? Number(o.year) : o.year;
  if (typeof year !== 'number') return { ok: false, errors: ['缺少年份（year）'] };
  if (o.notice !== undefined && typeof o.notice !== 'string') return { ok: false, errors: ['通知（notice）应为文字'] };
  const arr: YearArrangement = {
    year,
    ...(typeof o.notice === 'string' && o.notice.trim() ? { notice: o.notice.trim() } : {}),
    holidays: o.holidays as string[],
    workdays: (o.workdays ?? []) as string[],
  };
  const errors = validateArrangement(arr);
  return errors.length ? { ok: false, errors } : { ok: true, value: arr };
}

/** Parses a JSON array of arrangements (or a single one). */
export function parseYearArrangements(input: unknown): ParseResult<YearArrangement[]> {
  let v: unknown = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [`不是有效的 JSON：${(e as Error).message}`] };
    }
  }
  const list = Array.isArray(v) ? v : [v];
  const out: YearArrangement[] = [];
  const errors: string[] = [];
  list.forEach((item, i) => {
    const r = parseYearArrangement(item);
    if (r.ok) out.push(r.value);
    else errors.push(...r.errors.map((e) => (list.length > 1 ? `第 ${i + 1} 项：${e}` : e)));
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}
