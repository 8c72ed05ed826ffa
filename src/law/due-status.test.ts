// One definition of overdue and due soon (issue 12 part 5). Dates counted by hand on the 2025 calendar
// (no holiday between 2025-02-28 and 2025-03-12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCalendar } from './calendar.js';
import { DUE_SOON_WORKING_DAYS, dueBounds, dueStatus } from './due-status.js';

const cal = createCalendar();

test('due soon: within 5 working days of today, today included; overdue: the limit ended before today', () => {
  assert.equal(DUE_SOON_WORKING_DAYS, 5);
  // Today Mon 2025-03-03. Due Mon 03-10: 3/4–7 (4), 3/10 (5) → 5 left, due soon.
  assert.deepEqual(dueStatus(cal, '2025-03-03', '2025-03-10'), { overdue: false, dueSoon: true, workingDaysLeft: 5 });
  // Due Tue 03-11: 6 left, not yet due soon.
  assert.deepEqual(dueStatus(cal, '2025-03-03', '2025-03-11'), { overdue: false, dueSoon: false, workingDaysLeft: 6 });
  // Due today: 0 left, due soon, not overdue.
  assert.deepEqual(dueStatus(cal, '2025-03-03', '2025-03-03'), { overdue: false, dueSoon: true, workingDaysLeft: 0 });
  // Due Fri 02-28: overdue by one working day (3/3).
  assert.deepEqual(dueStatus(cal, '2025-03-03', '2025-02-28'), { overdue: true, dueSoon: false, workingDaysLeft: -1 });
  // Replied 03-12 on a limit of 03-11: overdue; replied on the day: not.
  assert.equal(dueStatus(cal, '2025-06-30', '2025-03-11', { repliedOn: '2025-03-12' }).overdue, true);
  assert.equal(dueStatus(cal, '2025-06-30', '2025-03-11', { repliedOn: '2025-03-11' }).overdue, false);
  // Awaiting a 补正: no limit runs.
  assert.deepEqual(dueStatus(cal, '2025-03-03', '2025-02-28', { running: false }), { overdue: false, dueSoon: false, workingDaysLeft: null });
});

test('the SQL bounds say the same: overdue before today, due soon through the 5th working day', () => {
  // 2025-03-03 + 5 working days = 03-10 (counted above).
  assert.deepEqual(dueBounds(cal, '2025-03-03'), { overdueBefore: '2025-03-03', dueSoonThrough: '2025-03-10' });
  // Over 劳动节 2025 (5/1–5/5 off, 4/27 Sun worked): today Mon 04-28 → 4/29 (1), 4/30 (2), 5/6 (3), 5/7 (4), 5/8 (5).
  assert.equal(dueBounds(cal, '2025-04-28').dueSoonThrough, '2025-05-08');
  assert.equal(dueStatus(cal, '2025-04-28', '2025-05-08').dueSoon, true);
  assert.equal(dueStatus(cal, '2025-04-28', '2025-05-09').dueSoon, false);
});
