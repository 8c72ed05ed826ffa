/**
 * "Overdue" and "due soon" — one definition for the clock view, the lists, the SQL counters and the dashboards.
 *
 * - 逾期 (overdue): an open request whose limit (条例第33条, as moved by pauses and extensions) ended before today;
 *   a replied request whose reply came after its limit.
 * - 即将到期 (due soon): an open request not overdue whose limit ends within DUE_SOON_WORKING_DAYS working days
 *   of today (today itself included: 0 left). A house rule, not the statute's.
 *
 * Pure: today and the calendar are passed in.
 */
import type { Calendar, IsoDate } from './calendar.js';

export const DUE_SOON_WORKING_DAYS = 5;

export interface DueStatus {
  overdue: boolean;
  dueSoon: boolean;
  /** Working days after today up to dueOn (negative: working days overdue); null when not running. */
  workingDaysLeft: number | null;
}

/**
 * The status of a limit on `today`. `repliedOn` set: overdue only if the reply came after the limit. `running`
 * false (awaiting a 补正, no limit): neither. A calendar gap leaves the count unknown (null) but not the dates.
 */
export function dueStatus(cal: Calendar, today: IsoDate, dueOn: IsoDate | null, opts: { repliedOn?: IsoDate | null; running?: boolean } = {}): DueStatus {
  if (!dueOn) return { overdue: false, dueSoon: false, workingDaysLeft: null };
  if (opts.repliedOn) return { overdue: opts.repliedOn > dueOn, dueSoon: false, workingDaysLeft: null };
  if (opts.running === false) return { overdue: false, dueSoon: false, workingDaysLeft: null };
  let left: number | null;
  try {
    left = today <= dueOn ? cal.workingDaysBetween(today, dueOn) : -cal.workingDaysBetween(dueOn, today);
  } catch {
    left = null;
  }
  const overdue = today > dueOn;
  return { overdue, dueSoon: !overdue && (left === null ? false : left <= DUE_SOON_WORKING_DAYS), workingDaysLeft: left };
}

/**
 * The SQL counters' bounds: overdue = open with due_on < `overdueBefore`; due soon = open with
 * `overdueBefore` ≤ due_on ≤ `dueSoonThrough`. The same rule as dueStatus.
 */
export function dueBounds(cal: Calendar, today: IsoDate): { overdueBefore: IsoDate; dueSoonThrough: IsoDate | null } {
  // A limit always ends on a working day, so "within 5 working days" is "on or before the 5th working day".
  let through: IsoDate | null;
  try {
    through = cal.addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  } catch {
    through = null;
  }
  return { overdueBefore: today, dueSoonThrough: through };
}
