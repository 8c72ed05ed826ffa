/**
 * The annual report built from records: a scenario of requests spanning 2023–2025 (carried over, carried
 * forward, every outcome family, each applicant kind), review cases and registry entries; every cell of the
 * 2024 report is checked, on the run's engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APPLICANT_KINDS, REQUEST_ROW_KEYS, type AnnualReport, type RequestRow } from '../../src/law/report-model.js';
import { checkReportRules } from '../../src/law/report-rules.js';
import { computeAnnualReport } from '../../src/modules/reports/reports.service.js';
import { getAgency } from '../../src/modules/agencies/agencies.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

type Kind = (typeof APPLICANT_KINDS)[number];
function row(cells: Partial<Record<Kind, number>>): RequestRow {
  const r = { natural_person: 0, commercial_enterprise: 0, research_institution: 0, social_welfare_org: 0, legal_service_org: 0, other_org: 0, total: 0, ...cells };
  r.total = APPLICANT_KINDS.reduce((s, k) => s + r[k], 0);
  return r;
}

describe('the annual report computed from the records', () => {
  let t: TestApp;
  let bureau: number;
  let sibling: number;
  before(async () => {
    t = await buildTestApp({ now: '2025-01-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    await t.agency('sib', { parent: 'city', name: '某市教育局' });
    bureau = await f.agencyId(t.ctx, 'bureau');
    sibling = await f.agencyId(t.ctx, 'sib');
    const c = t.ctx;
    // Received in 2023, replied in 2024 (carried over, concluded).
    await f.request(c, bureau, { receivedOn: '2023-11-20', kind: 'natural_person', repliedOn: '2024-01-10', outcome: 'disclosed' });
    await f.request(c, bureau, { receivedOn: '2023-12-25', kind: 'commercial_enterprise', repliedOn: '2024-02-01', outcome: 'withheld.third_party_rights' });
    // Received in 2023, replied in 2025 (carried over and carried forward).
    await f.request(c, bureau, { receivedOn: '2023-12-28', kind: 'natural_person', repliedOn: '2025-01-05', outcome: 'disclosed' });
    // 2023 only.
    await f.request(c, bureau, { receivedOn: '2023-05-01', repliedOn: '2023-06-01', outcome: 'disclosed' });
    // Received and replied in 2024, one per family and applicant kind.
    await f.request(c, bureau, { receivedOn: '2024-01-01', repliedOn: '2024-01-01', outcome: 'disclosed' });
    await f.request(c, bureau, { receivedOn: '2024-03-01', repliedOn: '2024-03-20', outcome: 'partially_disclosed', feeYuan: 20, feePaidOn: '2024-03-15' });
    await f.request(c, bureau, { receivedOn: '2024-02-02', repliedOn: '2024-02-20', outcome: 'withheld.state_secret' });
    await f.request(c, bureau, { receivedOn: '2024-04-01', kind: 'research_institution', repliedOn: '2024-04-15', outcome: 'unavailable.not_held' });
    await f.request(c, bureau, { receivedOn: '2024-05-01', kind: 'social_welfare_org', repliedOn: '2024-05-10', outcome: 'not_processed.duplicate' });
    await f.request(c, bureau, { receivedOn: '2024-06-01', kind: 'legal_service_org', repliedOn: '2024-07-30', outcome: 'other.correction_overdue' });
    await f.request(c, bureau, { receivedOn: '2024-07-01', kind: 'other_org', repliedOn: '2024-08-30', outcome: 'other.fee_overdue' });
    await f.request(c, bureau, { receivedOn: '2024-09-01', repliedOn: '2024-12-31', outcome: 'other.other' });
    // Received in 2024, open at the end of the year.
    await f.request(c, bureau, { receivedOn: '2024-12-20', repliedOn: '2025-01-10', outcome: 'disclosed' });
    await f.request(c, bureau, { receivedOn: '2024-12-31', kind: 'commercial_enterprise' });
    // Not counted: 2025, a 更正 request, another agency.
    await f.request(c, bureau, { receivedOn: '2025-01-02' });
    await f.request(c, bureau, { receivedOn: '2024-08-01', requestKind: 'record_correction', repliedOn: '2024-08-10', outcome: 'disclosed' });
    await f.request(c, sibling, { receivedOn: '2024-03-03', repliedOn: '2024-03-10', outcome: 'disclosed' });

    await f.reviewCase(c, bureau, { kind: 'reconsideration', filedOn: '2024-03-01', result: 'upheld', concludedOn: '2024-05-01' });
    await f.reviewCase(c, bureau, { kind: 'reconsideration', filedOn: '2024-06-01', result: 'corrected', concludedOn: '2024-09-01' });
    await f.reviewCase(c, bureau, { kind: 'reconsideration', filedOn: '2024-11-01', result: 'other', concludedOn: '2025-02-01' });
    await f.reviewCase(c, bureau, { kind: 'reconsideration', filedOn: '2023-10-01', result: 'upheld', concludedOn: '2024-02-01' });
    await f.reviewCase(c, bureau, { kind: 'litigation_direct', filedOn: '2024-04-01', result: 'other', concludedOn: '2024-10-01' });
    await f.reviewCase(c, bureau, { kind: 'litigation_direct', filedOn: '2024-12-01' });
    await f.reviewCase(c, bureau, { kind: 'litigation_after_reconsideration', filedOn: '2024-07-01', result: 'corrected', concludedOn: '2024-12-31' });

    await f.document(c, bureau, { kind: 'normative_document', issuedOn: '2022-05-01' });
    await f.document(c, bureau, { kind: 'normative_document', issuedOn: '2024-03-01' });
    await f.document(c, bureau, { kind: 'normative_document', issuedOn: '2021-01-01', abolishedOn: '2024-06-01' });
    await f.document(c, bureau, { kind: 'normative_document', issuedOn: '2024-02-01', abolishedOn: '2024-11-01' });
    await f.document(c, bureau, { kind: 'rule', issuedOn: '2024-05-05' });
    await f.decision(c, bureau, 'licensing', '2024-01-05', 3);
    await f.decision(c, bureau, 'licensing', '2024-10-05', 2);
    await f.decision(c, bureau, 'licensing', '2023-10-05', 9);
    await f.decision(c, bureau, 'penalty', '2024-06-06');
    await f.fee(c, bureau, '2024-04-01', 123456);
    await f.fee(c, bureau, '2023-04-01', 999999);
    await f.items(c, bureau, '2024-05-01', 3);
    await f.items(c, bureau, null, 1, 'draft');
    await f.items(c, bureau, '2023-05-01', 1);
    await f.newMedia(c, bureau, 'wechat', '2024-02-01', 10);
    await f.newMedia(c, bureau, 'douyin', '2024-08-01', 5);
    await f.newMedia(c, bureau, 'wechat', '2023-08-01', 7);
  });
  after(async () => t.close());

  async function build(year: number, opts = {}) {
    return computeAnnualReport(t.ctx, await getAgency(t.ctx, 'bureau'), year, opts);
  }

  test('table 三: every cell of 2024', async () => {
    const { report } = await build(2024);
    const expected: Partial<Record<(typeof REQUEST_ROW_KEYS)[number], RequestRow>> = {
      new: row({ natural_person: 5, commercial_enterprise: 1, research_institution: 1, social_welfare_org: 1, legal_service_org: 1, other_org: 1 }),
      carriedOver: row({ natural_person: 2, commercial_enterprise: 1 }),
      disclosed: row({ natural_person: 2 }),
      partially_disclosed: row({ natural_person: 1 }),
      'withheld.state_secret': row({ natural_person: 1 }),
      'withheld.third_party_rights': row({ commercial_enterprise: 1 }),
      'unavailable.not_held': row({ research_institution: 1 }),
      'not_processed.duplicate': row({ social_welfare_org: 1 }),
      'other.correction_overdue': row({ legal_service_org: 1 }),
      'other.fee_overdue': row({ other_org: 1 }),
      'other.other': row({ natural_person: 1 }),
      concludedTotal: row({ natural_person: 5, commercial_enterprise: 1, research_institution: 1, social_welfare_org: 1, legal_service_org: 1, other_org: 1 }),
      carriedForward: row({ natural_person: 2, commercial_enterprise: 1 }),
    };
    for (const key of REQUEST_ROW_KEYS) {
      assert.deepEqual(report.requests[key], expected[key] ?? row({}), `row ${key}`);
    }
    assert.equal(report.format, '2021');
    assert.deepEqual(report.agency, { code: 'bureau', name: '某市文化和旅游局' });
  });

  test('the 勾稽关系, row totals and group sums hold, and the law rules find nothing in the tables', async () => {
    for (const year of [2023, 2024, 2025]) {
      const { report } = await build(year);
      for (const col of [...APPLICANT_KINDS, 'total'] as const) {
        const r = report.requests;
        assert.equal(r.new[col] + r.carriedOver[col], r.concludedTotal[col] + r.carriedForward[col], `${year} ${col}`);
      }
      const tableFindings = checkReportRules(report as AnnualReport);
      assert.deepEqual(tableFindings, [], `${year}`);
    }
  });

  test('carried forward in 2024 is carried over in 2025', async () => {
    const y24 = (await build(2024)).report;
    const y25 = (await build(2025)).report;
    assert.deepEqual(y25.requests.carriedOver, y24.requests.carriedForward);
    assert.deepEqual(y25.requests.new, row({ natural_person: 1 }));
  });

  test('table 四: cases filed in the year with their result at 31 December (default reading)', async () => {
    const { report, reviewsReading } = await build(2024);
    assert.equal(reviewsReading, 'filed');
    assert.deepEqual(report.reviews, {
      reconsideration: { upheld: 1, corrected: 1, other: 0, pending: 1, total: 3 },
      litigationDirect: { upheld: 0, corrected: 0, other: 1, pending: 1, total: 2 },
      litigationAfterReconsideration: { upheld: 0, corrected: 1, other: 0, pending: 0, total: 1 },
    });
  });

  test('table 四, the other reading: concluded in the year by result, plus pending at its end', async () => {
    const { report } = await build(2024, { reviewsReading: 'activity' });
    assert.deepEqual(report.reviews.reconsideration, { upheld: 2, corrected: 1, other: 0, pending: 1, total: 4 });
    assert.deepEqual(report.reviews.litigationDirect, { upheld: 0, corrected: 0, other: 1, pending: 1, total: 2 });
  });

  test('table 二 from the registries', async () => {
    const { report } = await build(2024);
    assert.deepEqual(report.proactive, {
      rules: { issued: 1, abolished: 0, inForce: 1 },
      normativeDocuments: { issued: 2, abolished: 2, inForce: 2 },
      licensing: { decisions: 5 },
      penalties: { decisions: 1 },
      enforcement: { decisions: 0 },
      fees: { amount10kYuan: 0.1235 },
    });
  });

  test('the draft prose states the records (items, new media, requests, 信息处理费) and passes its own checks', async () => {
    const { report, facts } = await build(2024);
    assert.equal(facts.itemsPublished, 3);
    assert.equal(facts.newMediaTotal, 15);
    assert.equal(facts.processingFeeYuan, 20);
    const n = report.narrative;
    assert.match(n.overview!, /全年主动公开政府信息共18条，其中通过门户网站主动公开政府信息3条，通过政务新媒体发布信息15条/);
    assert.match(n.overview!, /新收政府信息公开申请10件，上年结转3件，年末结转下年度继续办理3件；本年办结10件，其中予以公开2件，部分公开1件，不予公开2件，无法提供1件，不予处理1件，其他处理3件。/);
    assert.match(n.other!, /收取信息处理费20元/);
    // The only errors of a fresh draft are the parts staff must write (section 五).
    const errors = report.findings.filter((x) => x.severity === 'error');
    assert.deepEqual(errors.map((e) => e.rule), ['narrative.incomplete']);
    assert.equal(errors[0]!.where, 'narrative.problems');
  });

  test('a prose figure that contradicts the tables or the records is flagged', async () => {
    const base = (await build(2024)).report.narrative;
    const { report } = await build(2024, {
      narrative: {
        ...base,
        problems: '信息公开的规范性有待提升。',
        overview: `${base.overview}\n本年度共受理政府信息公开申请12件。门户网站主动公开政府信息30条。`,
        other: '本年度未收取信息处理费。',
      },
    });
    const rules = report.findings.map((x) => x.rule).sort();
    assert.ok(rules.includes('prose.requests-received'), rules.join());
    assert.ok(rules.includes('prose.items-published'), rules.join());
    assert.ok(rules.includes('prose.processing-fee'), rules.join());
    const fee = report.findings.find((x) => x.rule === 'prose.processing-fee')!;
    assert.match(fee.message, /20 元/);
    assert.equal(fee.where, 'narrative.other');
  });

  test('roll-up: the government sums its departments and shows each unit', async () => {
    const city = await getAgency(t.ctx, 'city');
    const alone = await computeAnnualReport(t.ctx, city, 2024);
    assert.equal(alone.report.requests.new.total, 0);
    const all = await computeAnnualReport(t.ctx, city, 2024, { rollup: true });
    assert.equal(all.report.requests.new.total, 11);
    assert.equal(all.report.requests.disclosed.total, 3);
    assert.deepEqual(all.scope, ['city', 'bureau', 'sib']);
    assert.deepEqual(
      all.contributions.map((c) => [c.code, c.newRequests, c.concluded]),
      [['city', 0, 0], ['bureau', 10, 10], ['sib', 1, 1]],
    );
    const chosen = await computeAnnualReport(t.ctx, city, 2024, { rollup: ['sib'] });
    assert.equal(chosen.report.requests.new.total, 1);
    await assert.rejects(computeAnnualReport(t.ctx, await getAgency(t.ctx, 'bureau'), 2024, { rollup: ['city'] }), /不是.*下级机构/);
  });
});
