/**
 * The period an annual report covers (条例第50条: 上一年度 — the calendar year, 1 January to 31 December), as
 * inclusive ISO dates. Every figure of the report counts records dated within it.
 */
export interface YearRange {
  start: string; // YYYY-01-01
  end: string; // YYYY-12-31
}

export function reportPeriod(year: number): YearRange {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}
