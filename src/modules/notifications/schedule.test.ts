import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCalendar } from '../../law/calendar.js';
import { parseLeadDays, remindersDue } from './schedule.js';

const cal = createCalendar();

/**
 * 国务院办公厅 2025 arrangement: 10月1日至8日 放假调休, 9月28日（星期日）and 10月11日（星期六）上班.
 * A reply limit ending Tuesday 2025-10-14 (条例第33条: the last day is a working day). Counting back:
 *   10-14 (Tue) ← 10-13 (Mon) 1 ← 10-11 (Sat, 调休上班) 2 ← 10-10 (Fri) 3 ← 10-09 (Thu) 4 ← 10-01…08 holiday
 *   ← 09-30 (Tue) 5.
 * So the 5-day reminder goes out on 09-30, the 2-day one on Saturday 10-11 (a make-up working day), none on
 * the holiday, the weekend day 10-12, or 09-27 (Saturday, a rest day).
 */
test('reminders fall on the right working days across 国庆 and a 调休 make-up day', () => {
  const sent: string[] = [];
  for (let t = Date.parse('2025-09-20'); t <= Date.parse('2025-10-20'); t += 86400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    for (const r of remindersDue(cal, '2025-10-14', day)) sent.push(`${day} ${r.kind}${r.lead ? r.lead : ''}:${r.workingDays}`);
  }
  // A runner sees the key (kind, lead, dueOn): only the first day of each key is a send.
  const first = new Map<string, string>();
  for (const s of sent) {
    const [day, what] = s.split(' ');
    const key = what!.split(':')[0]!;
    if (!first.has(key)) first.set(key, `${day} ${what}`);
  }
  assert.deepEqual([...first.values()], [
    '2025-09-30 due_in5:5',
    '2025-10-11 due_in2:2',
    '2025-10-14 due_today:0',
    '2025-10-15 overdue:1',
    '2025-10-15 escalate_approver:1',
    '2025-10-17 escalate_office:3',
  ]);
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-10-05'), [], 'nothing on a holiday');
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-10-12'), [], 'nothing on a Sunday');
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-09-29'), [], '6 working days left: no reminder yet');
  // 9-28 is a Sunday declared a working day: counted as one (9-29, 9-30, 10-9, 10-10, 10-11, 10-13, 10-14 = 7 left).
  assert.equal(cal.workingDaysBetween('2025-09-28', '2025-10-14'), 7);
});

test('a missed day is caught up by the next run, with the lead it belongs to', () => {
  // 10-09: 4 working days left (10-10, 10-11, 10-13, 10-14) → still the 5-day reminder.
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-10-09'), [{ kind: 'due_in', lead: 5, workingDays: 4 }]);
  // 10-13: 1 working day left → the 2-day reminder.
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-10-13'), [{ kind: 'due_in', lead: 2, workingDays: 1 }]);
});

test('per-agency settings', () => {
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-09-30', { leadDays: [3], officeAfter: 1 }), []);
  assert.deepEqual(remindersDue(cal, '2025-10-14', '2025-10-15', { leadDays: [3], officeAfter: 1 }).map((r) => r.kind), ['overdue', 'escalate_approver', 'escalate_office']);
  assert.deepEqual(parseLeadDays('5,2'), [5, 2]);
  assert.deepEqual(parseLeadDays('1、3，5'), [5, 3, 1]);
  assert.equal(parseLeadDays(''), null);
  assert.equal(parseLeadDays('0'), null);
  assert.equal(parseLeadDays('五'), null);
});
