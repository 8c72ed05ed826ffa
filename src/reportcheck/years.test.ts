/**
 * Cross-year checks in a batch (a folder of years) and with --previous: 二、上年结转 against last year's
 * 四、结转下年度继续办理, 现行有效件数 against last year's plus 制发 minus 废止, with the readings that each
 * year's prose supports.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AnnualReport } from '../law/report-model.js';
import { checkReportFiles } from './audit.js';
import { auditBatch, folderDocuments } from './batch.js';
import { renderSyntheticText, syntheticReport } from './synthetic.js';
import { agencyKey, previousYearPairs } from './years.js';

const NAME = '某市某区人民政府';

function yearReport(seed: number, year: number): AnnualReport {
  return syntheticReport(seed, { year, name: NAME });
}

/** The report's text with its 行政规范性文件 row printed `row` and `prose` added to 一、总体情况. */
function text(r: AnnualReport, row?: string, prose = ''): string {
  const nd = r.proactive.normativeDocuments;
  let t = renderSyntheticText(r, 'pipes');
  if (row) t = t.replace(`| 行政规范性文件 | ${nd.issued} | ${nd.abolished} | ${nd.inForce} |`, `| 行政规范性文件 | ${row} |`);
  return t.replace('一、总体情况\n', `一、总体情况\n${prose}\n`);
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gk-years-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('pairing reports by agency and year', () => {
  it('pairs each report with the same agency’s report of the year before; names compared without spaces and notes', () => {
    assert.equal(agencyKey(' 某市 某区人民政府（区级汇总）'), '某市某区人民政府');
    const { previous, order } = previousYearPairs([
      { agency: '甲局', year: 2024 },
      { agency: '甲局', year: 2023 },
      { agency: '乙局', year: 2023 },
      { agency: '甲局', year: 2022 },
      { agency: null, year: 2024 },
    ]);
    assert.deepEqual(previous, [1, 3, -1, -1, -1]);
    assert.deepEqual(order.map((i) => i), [3, 1, 2, 0, 4]);
  });
  it('two reports of one agency and year are not paired (which one would be last year?)', () => {
    const { previous } = previousYearPairs([
      { agency: '甲局', year: 2024 },
      { agency: '甲局', year: 2023 },
      { agency: '甲局', year: 2023 },
    ]);
    assert.deepEqual(previous, [-1, -1, -1]);
  });
});

describe('a folder of years', () => {
  const y2023 = yearReport(11, 2023);
  const y2024 = yearReport(12, 2024);
  // Make 2024 follow from 2023 where the rules look: carried over = last year's carried forward, in force.
  function follow(next: AnnualReport, prev: AnnualReport): AnnualReport {
    const r = structuredClone(next);
    const nd = r.proactive.normativeDocuments;
    nd.inForce = prev.proactive.normativeDocuments.inForce + nd.issued - nd.abolished;
    return r;
  }
  it('consistent years: no cross-year finding; an inconsistent pair: the warnings, in the later year only', async () => {
    const good = follow(y2024, y2023);
    const bad = structuredClone(good);
    bad.proactive.normativeDocuments.inForce += 7;
    for (const [cur, expect] of [
      [good, 0],
      [bad, 1],
    ] as const) {
      const dir = folder({ 'a-2023.txt': text(y2023), 'a-2024.txt': text(cur) });
      const result = await auditBatch(await folderDocuments(dir));
      const [r23, r24] = result.reports;
      assert.equal(r23.year, 2023);
      assert.ok(!r23.findings.some((f) => f.rule.includes('continuity')));
      const inForce = r24.findings.filter((f) => f.rule === 'proactive.in-force-continuity');
      assert.equal(inForce.length, expect, JSON.stringify(r24.findings));
      if (expect) {
        assert.equal(inForce[0].severity, 'warning');
        assert.match(inForce[0].message, /2023年现行有效/);
      }
      // carried over vs last year's carried forward: the generator's years do not follow, so it is queried.
      const co = r24.findings.filter((f) => f.rule === 'requests.carried-over-continuity');
      const expected = ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_org', 'legal_service_org', 'other_org', 'total'].filter(
        (c) => (cur.requests.carriedOver as Record<string, number>)[c] !== (y2023.requests.carriedForward as Record<string, number>)[c],
      ).length;
      assert.equal(co.length, expected);
      // checkReportFiles (gongkai check with files) pairs them the same way.
      const files = await checkReportFiles([join(dir, 'a-2024.txt'), join(dir, 'a-2023.txt')]);
      assert.equal(files.reports[0].findings.filter((f) => f.rule === 'proactive.in-force-continuity').length, expect);
    }
  });
  it('last year’s row run together counts with the readings its prose supports; they decide this year’s split', async () => {
    // 2023: "402599" (制发 40 per the prose: 40,2,599 / 40,25,99 / 40,259,9 remain); 2024: "693665" (10 splits).
    const t23 = text(y2023, '402599', '本年度制发规范性文件40件。');
    const t24 = text(y2024, '693665');
    const dir = folder({ '2023.txt': t23, '2024.txt': t24 });
    const [r23, r24] = (await auditBatch(await folderDocuments(dir))).reports;
    assert.deepEqual(r23.proactive.normativeDocuments, { issued: null, abolished: null, inForce: null });
    assert.match(r23.findings.find((f) => f.rule === 'table.ambiguous-split')!.message, /排除后仍有 3 种/);
    assert.deepEqual(r24.proactive.normativeDocuments, { issued: 69, abolished: 3, inForce: 665 });
    const f = r24.findings.find((x) => x.rule === 'table.split-resolved');
    assert.ok(f, JSON.stringify(r24.findings));
    assert.match(f.message, /按2023年报告的现行有效件数读作 69,3,665/);
    assert.ok(!r24.findings.some((x) => x.rule === 'proactive.in-force-continuity'));
    // Alone, 2024 stays undecided.
    const alone = await checkReportFiles([join(dir, '2024.txt')]);
    assert.deepEqual(alone.reports[0].proactive.normativeDocuments, { issued: null, abolished: null, inForce: null });
  });
  it('--previous names last year’s report explicitly: the batch is not re-paired', async () => {
    const dir = folder({ '2023.txt': text(y2023), '2024.txt': text(follow(y2024, y2023)) });
    const prev = await checkReportFiles([join(dir, '2023.txt')]);
    const result = await auditBatch(await folderDocuments(dir), { previous: prev.reports[0] });
    // The 2023 report against itself as "previous" is not a year before: said as info, not checked.
    assert.ok(result.reports[0].findings.some((f) => f.rule === 'previous.year'));
    assert.ok(!result.reports[1].findings.some((f) => f.rule === 'proactive.in-force-continuity'));
  });
});
