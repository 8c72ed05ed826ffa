import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPLICANT_KINDS, OUTCOME_KEYS, REQUEST_ROW_KEYS } from '../law/report-model.js';
import { sampleReport } from './sample-report.js';

describe('sampleReport', () => {
  for (const seed of [1, 2, 3, 42, 2025]) {
    for (const format of ['2021', '2019'] as const) {
      it(`is consistent (seed ${seed}, ${format})`, () => {
        const r = sampleReport(seed, { format });
        assert.equal(r.format, format);
        for (const key of REQUEST_ROW_KEYS) {
          const row = r.requests[key];
          assert.equal(row.total, APPLICANT_KINDS.reduce((s, k) => s + row[k], 0), `${key} 总计`);
        }
        for (const col of [...APPLICANT_KINDS, 'total'] as const) {
          const concluded = OUTCOME_KEYS.reduce((s, k) => s + r.requests[k][col], 0);
          assert.equal(r.requests.concludedTotal[col], concluded, `（七）总计 ${col}`);
          assert.equal(
            r.requests.new[col] + r.requests.carriedOver[col],
            r.requests.concludedTotal[col] + r.requests.carriedForward[col],
            `勾稽关系 ${col}`,
          );
          assert.ok(r.requests.new[col] >= 0);
        }
        for (const g of Object.values(r.reviews)) assert.equal(g.total, g.upheld + g.corrected + g.other + g.pending);
        if (format === '2019') {
          assert.equal(r.requests['other.correction_overdue'].total, 0);
          assert.equal(r.requests['other.fee_overdue'].total, 0);
        }
      });
    }
  }
  it('is deterministic', () => {
    assert.deepEqual(sampleReport(9), sampleReport(9));
    assert.notDeepEqual(sampleReport(9).requests, sampleReport(10).requests);
  });
});
