/**
 * The consistency rules of the annual report (条例第50条; 国办公开办函〔2021〕30号 表三 勾稽关系).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnualReport, Cell, RequestRow } from './report-model.js';
import { APPLICANT_KINDS, REQUEST_ROW_KEYS } from './report-model.js';
import {
  checkAgencyCategories,
  checkCarriedOverContinuity,
  checkColumnBalance,
  checkConcludedTotal,
  checkInForceContinuity,
  checkReportRules,
  checkRequestRowTotals,
  checkReviewGroups,
} from './report-rules.js';

function row(n: number[]): RequestRow<Cell> {
  const r = {} as RequestRow<Cell>;
  APPLICANT_KINDS.forEach((k, i) => (r[k] = n[i]));
  r.total = n.slice(0, 6).reduce((a, b) => a + b, 0);
  return r;
}

/** 自然人: 10 new + 2 carried over = 9 concluded (5 disclosed, 4 not held) + 3 carried forward. */
function report(): AnnualReport<Cell> {
  const requests = Object.fromEntries(REQUEST_ROW_KEYS.map((k) => [k, row([0, 0, 0, 0, 0, 0])])) as AnnualReport<Cell>['requests'];
  requests.new = row([10, 1, 0, 0, 0, 0]);
  requests.carriedOver = row([2, 0, 0, 0, 0, 0]);
  requests.disclosed = row([5, 1, 0, 0, 0, 0]);
  requests['unavailable.not_held'] = row([4, 0, 0, 0, 0, 0]);
  requests.concludedTotal = row([9, 1, 0, 0, 0, 0]);
  requests.carriedForward = row([3, 0, 0, 0, 0, 0]);
  const res = (a: number, b: number, c: number, d: number) => ({ upheld: a, corrected: b, other: c, pending: d, total: a + b + c + d });
  return {
    agency: { code: 'x', name: '某镇人民政府' },
    year: 2024,
    format: '2021',
    proactive: {
      rules: { issued: 0, abolished: 0, inForce: 0 },
      normativeDocuments: { issued: 3, abolished: 1, inForce: 12 },
      licensing: { decisions: 1 },
      penalties: { decisions: 2 },
      enforcement: { decisions: 0 },
      fees: { amount10kYuan: 0 },
    },
    requests,
    reviews: { reconsideration: res(1, 0, 0, 1), litigationDirect: res(0, 0, 0, 0), litigationAfterReconsideration: res(0, 1, 0, 0) },
    narrative: {},
    findings: [],
  };
}

describe('report rules', () => {
  it('a consistent report has no finding', () => {
    assert.deepEqual(checkReportRules(report()), []);
  });
  it('requests.row-total: 总计 ≠ the six applicant columns', () => {
    const r = report();
    r.requests.disclosed.total = 7;
    const f = checkRequestRowTotals(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].rule, 'requests.row-total');
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].where, 'requests.disclosed.total');
    assert.match(f[0].message, /（一）予以公开 总计 7 ≠ 各申请人类别之和 6/);
  });
  it('requests.concluded-total: （七）总计 ≠ the outcome rows, quoting the numbers', () => {
    const r = report();
    r.requests.concludedTotal.natural_person = 12;
    r.requests.concludedTotal.total = 13;
    const f = checkConcludedTotal(r);
    assert.deepEqual(
      f.map((x) => x.message),
      ['（七）总计 自然人 12 ≠ 各项之和 9', '（七）总计 总计 13 ≠ 各项之和 10'],
    );
    assert.deepEqual(f.map((x) => x.where), ['requests.concludedTotal.natural_person', 'requests.concludedTotal.total']);
  });
  it('requests.column-balance: 一 + 二 ≠ （七） + 四 (the 勾稽关系)', () => {
    const r = report();
    r.requests.carriedForward.natural_person = 4;
    r.requests.carriedForward.total = 4;
    const f = checkColumnBalance(r);
    assert.equal(f.length, 2);
    assert.match(f[0].message, /一、本年新收 10 \+ 二、上年结转 2 = 12，而（七）总计 9 \+ 四、结转下年度继续办理 4 = 13/);
  });
  it('reviews.group-total', () => {
    const r = report();
    r.reviews.litigationAfterReconsideration.total = 3;
    const f = checkReviewGroups(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].where, 'reviews.litigationAfterReconsideration.total');
    assert.match(f[0].message, /复议后起诉.*总计 3 ≠ 各项之和 1/);
  });
  it('blank cells are not errors and stop the sums they are in; "/" parts count as 0', () => {
    const r = report();
    r.requests.disclosed.natural_person = null;
    r.requests.disclosed.total = 99;
    r.reviews.reconsideration.upheld = 'n/a';
    r.reviews.reconsideration.total = 1;
    assert.deepEqual(checkRequestRowTotals(r), []);
    assert.deepEqual(checkConcludedTotal(r).map((f) => f.where), ['requests.concludedTotal.total']); // 自然人 skipped: a blank part
    assert.deepEqual(checkReviewGroups(r), []);
    const all = report();
    for (const k of REQUEST_ROW_KEYS) for (const c of [...APPLICANT_KINDS, 'total'] as const) all.requests[k][c] = null;
    assert.deepEqual(checkReportRules(all), []);
  });
  it('2019 format: （六）其他处理 is one row; the 2021 sub-rows are not part of the sum', () => {
    const r = report();
    r.format = '2019';
    r.requests['other.correction_overdue'] = row([null as unknown as number, 0, 0, 0, 0, 0]);
    assert.deepEqual(checkConcludedTotal(r), []);
  });
  it('cross-year: carried over ≠ last year carried forward; 现行有效 ≠ last year + 制发 − 废止 (warnings)', () => {
    const prev = report();
    prev.year = 2023;
    prev.requests.carriedForward = row([1, 0, 0, 0, 0, 0]);
    prev.proactive.normativeDocuments.inForce = 10;
    const cur = report();
    const f1 = checkCarriedOverContinuity(cur, prev);
    assert.deepEqual(f1.map((f) => [f.severity, f.rule, f.where]), [
      ['warning', 'requests.carried-over-continuity', 'requests.carriedOver.natural_person'],
      ['warning', 'requests.carried-over-continuity', 'requests.carriedOver.total'],
    ]);
    assert.match(f1[0].message, /自然人 2 ≠ 2023年报告“四、结转下年度继续办理” 1/);
    assert.deepEqual(checkInForceContinuity(cur, prev), []); // 10 + 3 − 1 = 12
    prev.proactive.normativeDocuments.inForce = 11;
    const f2 = checkInForceContinuity(cur, prev);
    assert.equal(f2.length, 1);
    assert.equal(f2[0].rule, 'proactive.in-force-continuity');
    assert.match(f2[0].message, /现行有效件数 12 ≠ 2023年现行有效 11 \+ 本年制发 3 − 本年废止 1 = 13/);
    // A previous report in the 2019 trial format holds no 现行有效件数 to continue from: no finding.
    const prev2019 = { ...prev, format: '2019' as const };
    assert.deepEqual(checkInForceContinuity(cur, prev2019), []);
  });
  it('agency-kind.category: a township or county agency reporting 规章 (《立法法》第93条)', () => {
    const r = report();
    r.proactive.rules.issued = 1;
    r.proactive.rules.inForce = 1;
    assert.equal(checkAgencyCategories(r, { kind: 'township' }).length, 2);
    assert.equal(checkAgencyCategories(r, { kind: 'department', level: 'county' })[0].severity, 'warning');
    assert.deepEqual(checkAgencyCategories(r, { kind: 'government', level: 'city' }), []);
    assert.equal(checkReportRules(r, { agency: { kind: 'township' } })[0].rule, 'agency-kind.category');
  });
});
