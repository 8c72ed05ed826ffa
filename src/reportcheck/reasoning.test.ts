/**
 * Reasoning over the readings of rows whose digits ran together, prose that contradicts itself (two statements
 * of one quantity, sums in every form) and the positions of findings — on generated reports with the hazards
 * of published ones put in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnualReport, Cell, Finding } from '../law/report-model.js';
import { auditText, formatAuditText } from './audit.js';
import { reasonOverReadings } from './readings.js';
import { renderSyntheticText, syntheticReport } from './synthetic.js';
import { blankProactive, blankRequests, blankReviews } from './model.js';

const OVERVIEW = '一、总体情况\n';

/** A generated 2021 report whose 行政规范性文件 row is printed `row`, with `prose` added to 一、总体情况. */
function withNormativeRow(row: string, prose: string, layout: 'pipes' | 'lines' = 'pipes'): string {
  const report = syntheticReport(77);
  const nd = report.proactive.normativeDocuments;
  let text = renderSyntheticText(report, layout);
  const printed = layout === 'pipes' ? `| 行政规范性文件 | ${nd.issued} | ${nd.abolished} | ${nd.inForce} |` : `行政规范性文件\n${nd.issued}\n${nd.abolished}\n${nd.inForce}`;
  assert.ok(text.includes(printed));
  text = text.replace(printed, layout === 'pipes' ? `| 行政规范性文件 | ${row} |` : `行政规范性文件\n${row}`);
  return text.replace(OVERVIEW, `${OVERVIEW}${prose}\n`);
}

const byRule = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('a row with several readings: "77132470" (21 splits)', () => {
  const prose = '本年度制发的规范性文件77件。截至年底，现行有效行政规范性文件393件。';
  for (const layout of ['pipes', 'lines'] as const) {
    const text = withNormativeRow('77132470', prose, layout);
    const r = auditText(text, 'r.txt');
    it(`${layout}: the prose's 393 contradicts the table whichever split is right: an error, with certainty`, () => {
      const f = byRule(r.findings, 'prose.proactive');
      assert.equal(f.length, 1, JSON.stringify(r.findings, null, 1));
      assert.equal(f[0].severity, 'error');
      assert.match(f[0].message, /现行有效规范性文件 393 件/);
      assert.match(f[0].message, /“77132470”/);
      assert.match(f[0].message, /无论如何拆分（共 21 种）都不成立/);
      // Both places: the sentence and the table row.
      assert.equal(f[0].places?.length, 2);
      assert.match(f[0].places![0].quote, /现行有效行政规范性文件393件/);
      assert.match(f[0].places![1].quote, /行政规范性文件 77132470/);
      for (const p of f[0].places!) assert.equal(text.slice(p.offset, p.offset + 2), p.quote.slice(0, 2));
    });
    it(`${layout}: the prose's 77 narrows the readings to 5; the row stays blank (info names them)`, () => {
      const f = byRule(r.findings, 'table.ambiguous-split');
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'info');
      assert.match(f[0].message, /可拆分为 21 种/);
      assert.match(f[0].message, /按正文所述制发规范性文件 77 件排除后仍有 5 种（77,1,32470 \/ 77,13,2470 \/ 77,132,470 \/ 77,1324,70 \/ 77,13247,0）/);
      assert.deepEqual(r.proactive.normativeDocuments, { issued: null, abolished: null, inForce: null });
      assert.deepEqual(r.findings.filter((x) => x.severity === 'error').map((x) => x.rule), ['prose.proactive']);
    });
  }
  it('prose that fits one reading decides it (info), and nothing is wrong', () => {
    const r = auditText(withNormativeRow('77132470', '本年度制发规范性文件77件，现行有效规范性文件2470件。'), 'r.txt');
    assert.deepEqual(r.proactive.normativeDocuments, { issued: 77, abolished: 13, inForce: 2470 });
    const f = byRule(r.findings, 'table.split-resolved');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /按正文所述制发规范性文件 77 件、正文所述现行有效规范性文件 2470 件读作 77,13,2470/);
    assert.deepEqual(r.findings.filter((x) => x.severity !== 'info'), []);
  });
  it('without prose it stays undecided, with no error or warning', () => {
    const r = auditText(withNormativeRow('77132470', ''), 'r.txt');
    assert.deepEqual(r.findings.filter((x) => x.severity !== 'info'), []);
    assert.match(byRule(r.findings, 'table.ambiguous-split')[0].message, /可拆分为 21 种/);
  });
  it('prose that no reading fits, and nothing else: an error naming every split', () => {
    const r = auditText(withNormativeRow('693665', '本年制发规范性文件70件。'), 'r.txt');
    const f = byRule(r.findings, 'prose.proactive');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /制发规范性文件 70 件.*“693665”，无论如何拆分（共 10 种）都不成立/);
  });
});

describe('the reasoning itself: certain and possible contradictions', () => {
  const report: AnnualReport<Cell> = {
    agency: { code: '', name: '' },
    year: 2024,
    format: '2021',
    proactive: blankProactive(),
    requests: blankRequests(),
    reviews: blankReviews(),
    narrative: {},
    findings: [],
  };
  const amb = {
    row: 'proactive.normativeDocuments',
    label: '表二“行政规范性文件”',
    printed: '1234',
    paths: ['proactive.normativeDocuments.issued', 'proactive.normativeDocuments.abolished', 'proactive.normativeDocuments.inForce'],
    readings: [
      [1, 2, 34],
      [12, 3, 4],
      [1, 23, 4],
    ] as Cell[][],
  };
  // A check that is not evidence: in force must not be below abolished (made up for the test).
  const check = (r: AnnualReport<Cell>): Finding[] => {
    const nd = r.proactive.normativeDocuments;
    const out: Finding[] = [];
    if (typeof nd.inForce === 'number' && typeof nd.abolished === 'number' && nd.inForce < nd.abolished)
      out.push({ severity: 'error', rule: 't.low', message: `现行有效 ${nd.inForce} < 废止 ${nd.abolished}`, where: 'proactive.normativeDocuments.inForce' });
    if (typeof nd.issued === 'number' && nd.issued > 100) out.push({ severity: 'error', rule: 't.big', message: 'x', where: 'proactive' });
    return out;
  };
  it('holding under some readings: a warning naming them; the row stays blank', () => {
    const out = reasonOverReadings({ report: structuredClone(report), ambiguities: [amb], facts: [], check });
    const low = out.filter((f) => f.rule === 't.low');
    assert.equal(low.length, 1);
    assert.equal(low[0].severity, 'warning');
    assert.match(low[0].message, /若读作 1,23,4 则如此；读作 1,2,34 \/ 12,3,4 则不然/);
    assert.ok(!out.some((f) => f.rule === 't.big'));
  });
  it('holding under every reading: certain, with its own severity', () => {
    const amb2 = { ...amb, readings: [[1, 23, 4], [12, 30, 4]] as Cell[][] };
    const out = reasonOverReadings({ report: structuredClone(report), ambiguities: [amb2], facts: [], check });
    const low = out.filter((f) => f.rule === 't.low');
    assert.equal(low.length, 1);
    assert.equal(low[0].severity, 'error');
    assert.match(low[0].message, /无论如何拆分（共 2 种）都不成立/);
  });
});

describe('prose that contradicts itself', () => {
  const base = renderSyntheticText(syntheticReport(5));
  const audit = (prose: string) => auditText(base.replace(OVERVIEW, `${OVERVIEW}${prose}\n`), 'p.txt');
  it('two statements of one quantity: 审计信息栏目 20 in (一), 16 for the whole year in (四)', () => {
    const text = base
      .replace(OVERVIEW, `${OVERVIEW}（一）主动公开情况。本年度在门户网站审计信息栏目发布信息20条，及时公开审计结果。\n`)
      .replace('二、主动公开政府信息情况', '（四）平台建设。全年审计信息栏目共发布16条。\n二、主动公开政府信息情况');
    const r = auditText(text, 'q.txt');
    const f = byRule(r.findings, 'prose.same-quantity');
    assert.equal(f.length, 1, JSON.stringify(r.findings, null, 1));
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /“门户网站审计信息栏目”|“审计信息栏目”/);
    assert.match(f[0].message, /20条.*16条/);
    assert.equal(f[0].places?.length, 2);
    const lines = text.split('\n');
    assert.match(lines[f[0].places![0].line - 1], /审计信息栏目发布信息20条/);
    assert.match(lines[f[0].places![1].line - 1], /审计信息栏目共发布16条/);
  });
  it('a part stated above the whole: 审计结果公告 20 but the 栏目 16 in all', () => {
    const r = audit('审计信息栏目发布审计结果公告20条。全年审计信息栏目共发布16条。');
    const f = byRule(r.findings, 'prose.same-quantity');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /“审计信息栏目”发布“审计结果公告” 20条.*多于该栏目全部发布数 16条/);
    assert.equal(byRule(audit('审计信息栏目发布审计结果公告10条。全年审计信息栏目共发布16条。').findings, 'prose.same-quantity').length, 0);
  });
  it('the same quantity stated twice alike, or for part of the year, is not a contradiction', () => {
    const r = audit('审计信息栏目发布信息20条。全年审计信息栏目共发布20条。上半年审计信息栏目发布12条。政务微博发布信息30条，政务微信公众号发布信息40条。');
    assert.deepEqual(byRule(r.findings, 'prose.same-quantity'), []);
  });
  it('"共2700条，其中…54条，…2578条": the parts (2632) fall short of the total (a warning: the rest is not accounted for)', () => {
    const r = audit('全年共主动公开政府信息2700条，其中通过政府网站公开54条，通过政务新媒体公开2578条。');
    const f = byRule(r.findings, 'prose.sum-incomplete');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /2700条.*54 \+ 2578 = 2632条，少 68条/);
  });
  it('parts beyond the total, or an exhaustive list that falls short: errors', () => {
    assert.equal(byRule(audit('全年共发布信息100条，其中网站发布60条，新媒体发布50条。').findings, 'prose.sum')[0].severity, 'error');
    assert.equal(byRule(audit('全年共发布信息100条，其中网站发布60条，其他渠道发布30条。').findings, 'prose.sum').length, 1);
  });
  it('"分别为", "合计" and "含" lists', () => {
    const f1 = byRule(audit('共办理建议提案12件，分别为人大代表建议5件、政协提案6件。').findings, 'prose.sum');
    assert.equal(f1.length, 1);
    assert.match(f1[0].message, /12件 ≠ “分别为”所列各项之和 5 \+ 6 = 11件/);
    const f2 = byRule(audit('门户网站发布信息51条，新媒体发布信息2745条，合计2700条。').findings, 'prose.sum');
    assert.equal(f2.length, 1);
    assert.match(f2[0].message, /合计 2700条 ≠ 其前所列各项之和 51 \+ 2745 = 2796条/);
    const f3 = byRule(audit('全年发布信息100条（含政策解读60条、图解50条）。').findings, 'prose.sum');
    assert.equal(f3.length, 1);
    assert.match(f3[0].message, /100条 ≠ 其所列各项之和 60 \+ 50 = 110条/);
  });
  it('sums that hold are not flagged in any form', () => {
    const r = audit(
      '全年共发布信息100条，其中网站发布60条，新媒体发布40条。共办理建议提案11件，分别为人大代表建议5件、政协提案6件。门户网站发布信息51条，新媒体发布信息49条，合计100条。全年发布信息100条（含政策解读60条、图解40条）。',
    );
    assert.deepEqual(r.findings.filter((f) => f.rule.startsWith('prose.sum')), []);
  });
});

describe('positions (--json) and the readable report', () => {
  it('the readable report names the lines', () => {
    const text = withNormativeRow('77132470', '本年度制发的规范性文件77件。现行有效行政规范性文件393件。');
    const r = auditText(text, 'r.txt');
    const f = byRule(r.findings, 'prose.proactive')[0];
    const lines = text.split('\n');
    const sentenceLine = lines.findIndex((l) => l.includes('393件')) + 1;
    const rowLine = lines.findIndex((l) => l.includes('77132470')) + 1;
    assert.deepEqual(f.places!.map((p) => p.line), [sentenceLine, rowLine]);
    assert.match(formatAuditText({ reports: [r] }), new RegExp(`prose\\.proactive @ narrative\\.overview，第 ${sentenceLine}、${rowLine} 行`));
  });
  it('every finding about a row or a sentence points into the text as read, CRLF and header lines included', () => {
    const text = withNormativeRow('77132470', '本年度制发的规范性文件77件。现行有效行政规范性文件393件。');
    const raw = `SOURCE: test\nYEAR: 2024\n---\n${text}`.replace(/\n/g, '\r\n');
    const r = auditText(raw, 'crlf.txt');
    const f = byRule(r.findings, 'prose.proactive')[0];
    assert.ok(f.places);
    const rawLines = raw.split('\r\n');
    for (const p of f.places) {
      assert.equal(raw.slice(p.offset, p.offset + 4), p.quote.slice(0, 4), JSON.stringify(p));
      assert.ok(rawLines[p.line - 1].includes(p.quote.slice(0, 4)));
      assert.equal(rawLines[p.line - 1].slice(p.column - 1, p.column + 3), p.quote.slice(0, 4));
    }
  });
});
