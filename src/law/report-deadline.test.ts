import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentReportYear, deadlineState, reportDeadline } from './report-deadline.js';

test('第四十九条: departments by 31 January, a government by 31 March of the next year', () => {
  assert.equal(reportDeadline('department', 2022), '2023-01-31');
  assert.equal(reportDeadline('township', 2022), '2023-01-31');
  assert.equal(reportDeadline('government', 2022), '2023-03-31');
});

test('late, due, published on the day, published late', () => {
  assert.equal(deadlineState('department', 2022, null, '2023-01-31'), 'due');
  assert.equal(deadlineState('department', 2022, null, '2023-02-01'), 'late');
  assert.equal(deadlineState('government', 2022, null, '2023-02-01'), 'due');
  assert.equal(deadlineState('department', 2022, '2023-01-31', '2023-05-01'), 'published');
  assert.equal(deadlineState('department', 2022, '2023-02-03', '2023-05-01'), 'published_late');
  assert.equal(currentReportYear('2023-02-10'), 2022);
});

test('each deadline says where it comes from; the township one says the statute is silent', async () => {
  const { DEADLINE_SOURCE } = await import('./report-deadline.js');
  assert.match(DEADLINE_SOURCE.department, /第四十九条第一款/);
  assert.match(DEADLINE_SOURCE.government, /第四十九条第二款/);
  assert.match(DEADLINE_SOURCE.township, /未规定乡镇、街道的报告时限/);
});
