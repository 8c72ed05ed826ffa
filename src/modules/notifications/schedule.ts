/**
 * When a reminder is due: pure (no I/O, no clock) over the official calendar, so that the working days before a
 * limit are counted the way the limit itself is (holidays skipped, 调休上班 days counted).
 *
 * On a working day `today`, for a request whose reply limit ends on `dueOn` (always a working day):
 * - before the limit: with n working days left (working days after today up to and including dueOn), the
 *   reminder of the smallest configured lead L ≥ n is due (default leads 5 and 2). Keyed by L and dueOn, so each
 *   goes out once per limit, and a day missed (server down) is caught up on the next run;
 * - on the day: 'due_today';
 * - after the limit (k working days overdue): 'overdue' to the handler and 'escalate_approver' from k ≥ 1, and
 *   'escalate_office' (the supervising oversight office) from k ≥ officeAfter.
 * Nothing is due on a rest day: reminders and digests go out on working days.
 */
import type { Calendar } from '../../law/calendar.js';
import { dueStatus } from '../../law/due-status.js';

export interface ReminderSettings {
  /** Working days before the limit at which the handler is told, descending (default [5, 2]). */
  leadDays: number[];
  /** Working days overdue after which the oversight office is told (default 3). */
  officeAfter: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { leadDays: [5, 2], officeAfter: 3 };

export type ReminderKind = 'due_in' | 'due_today' | 'overdue' | 'escalate_approver' | 'escalate_office';

export interface ReminderDue {
  kind: ReminderKind;
  /** due_in: the lead it belongs to (5, 2); others: 0. Part of the key. */
  lead: number;
  /** due_in: working days left; overdue kinds: working days overdue; due_today: 0. */
  workingDays: number;
}

export function remindersDue(cal: Calendar, dueOn: string, today: string, s: ReminderSettings = DEFAULT_REMINDER_SETTINGS): ReminderDue[] {
  if (!cal.covers(Number(today.slice(0, 4))) || !cal.covers(Number(dueOn.slice(0, 4)))) return [];
  if (!cal.isWorkingDay(today)) return [];
  if (today === dueOn) return [{ kind: 'due_today', lead: 0, workingDays: 0 }];
  // Working days left (negative: overdue) counted as the law's one definition counts them (src/law/due-status.ts).
  const left = dueStatus(cal, today, dueOn).workingDaysLeft;
  if (left === null) return [];
  if (left > 0) {
    const n = left;
    const leads = [...s.leadDays].sort((a, b) => a - b);
    const lead = leads.find((l) => l >= n);
    return lead === undefined ? [] : [{ kind: 'due_in', lead, workingDays: n }];
  }
  const k = -left;
  if (k < 1) return [];
  const out: ReminderDue[] = [
    { kind: 'overdue', lead: 0, workingDays: k },
    { kind: 'escalate_approver', lead: 0, workingDays: k },
  ];
  if (k >= s.officeAfter) out.push({ kind: 'escalate_office', lead: 0, workingDays: k });
  return out;
}

/** Parses an agency's lead days ('5,2', '5、3、1'): distinct integers 1–30, at most 5; null when malformed. */
export function parseLeadDays(input: string): number[] | null {
  const parts = input.split(/[,，、\s]+/).filter(Boolean);
  if (!parts.length || parts.length > 5) return null;
  const ns = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
  if (ns.some((n) => !Number.isInteger(n) || n < 1 || n > 30)) return null;
  return [...new Set(ns)].sort((a, b) => b - a);
}
