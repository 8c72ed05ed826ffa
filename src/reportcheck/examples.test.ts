/**
 * The report audit on every published report in ../shared/examples/reports/: the tables read (where the
 * text has them) and the findings.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Cell, Finding, RequestRowKey } from '../law/report-model.js';
import type { AuditedReport } from './audit.js';
import { auditFile, checkReportFiles } from './audit.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, '..', 'shared', 'examples', 'reports');
const ex = (name: string) => join(examples, name);

const rows = (r: AuditedReport, key: RequestRowKey): Cell[] => Object.values(r.requests[key]);
const errors = (r: AuditedReport): Finding[] => r.findings.filter((f) => f.severity === 'error');
const nonInfo = (r: AuditedReport): Finding[] => r.findings.filter((f) => f.severity !== 'info');
const rules = (r: AuditedReport, sev?: string) => r.findings.filter((f) => !sev || f.severity === sev).map((f) => f.rule);

describe('examples directory', () => {
  it('is present beside the repository and every report example is covered below', () => {
    assert.ok(existsSync(examples), `missing ${examples}`);
    const files = readdirSync(examples).filter((f) => f !== 'README.md').sort();
    assert.deepEqual(files, [
      'harbin-wenguanglv-2022.txt',
      'huaian-2024.pdf',
      'longgang-bumen-2024.txt',
      'pingtan-2021.txt',
      'pingwu-tongjiju-2021.txt',
      'wendeng-xinfangju-2022-p8.txt',
      'xixian-taipingzhen-2022.txt',
    ]);
  });
});

describe('harbin-wenguanglv-2022.txt (tables lost, prose carries the figures)', async () => {
  const r = await auditFile(ex('harbin-wenguanglv-2022.txt'));
  it('reads agency, year and format from the title and the cited format notice', () => {
    assert.equal(r.agency, '哈尔滨市文化广电和旅游局');
    assert.equal(r.year, 2022);
    assert.equal(r.format, '2021');
  });
  it('finds the prose contradicting itself: 2696 items stated, 51 + 2745 = 2796 listed', () => {
    const f = r.findings.find((x) => x.rule === 'prose.sum');
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /2696/);
    assert.match(f.message, /51 \+ 2745 = 2796/);
    assert.equal(f.where, 'narrative.overview');
  });
  it('reports the three missing tables as errors, and no missing section', () => {
    const missing = r.findings.filter((x) => x.rule === 'structure.missing-table');
    assert.deepEqual(missing.map((x) => [x.severity, x.where]), [
      ['error', 'proactive'],
      ['error', 'requests'],
      ['error', 'reviews'],
    ]);
    assert.ok(!rules(r).includes('structure.missing-section'));
  });
  it('the consistent prose about applications (2 = 1 + 1) is not flagged; all cells stay blank', () => {
    assert.equal(errors(r).length, 4);
    assert.ok(rows(r, 'new').every((c) => c === null));
    assert.equal(r.reviews.reconsideration.total, null);
  });
});

describe('huaian-2024.pdf (a whole city-government report, PDF text layer)', async () => {
  const r = await auditFile(ex('huaian-2024.pdf'));
  it('reads agency, year, format', () => {
    assert.equal(r.agency, '淮安市人民政府');
    assert.equal(r.year, 2024);
    assert.equal(r.format, '2021');
  });
  it('reads table 二', () => {
    assert.deepEqual(r.proactive, {
      rules: { issued: 1, abolished: 0, inForce: 11 },
      normativeDocuments: { issued: 8, abolished: 26, inForce: 66 },
      licensing: { decisions: 447228 },
      penalties: { decisions: 3985758 },
      enforcement: { decisions: 88283 },
      fees: { amount10kYuan: 96171.6 },
    });
  });
  it('reads table 三 cell by cell (wrapped labels, vertical group labels, a page break inside the table)', () => {
    assert.deepEqual(rows(r, 'new'), [3001, 53, 0, 0, 61, 4, 3119]);
    assert.deepEqual(rows(r, 'carriedOver'), [34, 0, 0, 0, 0, 0, 34]);
    assert.deepEqual(rows(r, 'disclosed'), [1288, 21, 0, 0, 50, 3, 1362]);
    assert.deepEqual(rows(r, 'partially_disclosed'), [447, 7, 0, 0, 0, 0, 454]);
    assert.deepEqual(rows(r, 'withheld.administrative_inquiry'), [105, 0, 0, 0, 0, 0, 105]);
    assert.deepEqual(rows(r, 'unavailable.not_held'), [746, 12, 0, 0, 10, 1, 769]);
    assert.deepEqual(rows(r, 'unavailable.needs_creation'), [11, 0, 0, 0, 0, 0, 11]);
    assert.deepEqual(rows(r, 'not_processed.confirm_or_reissue'), [1, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(rows(r, 'other.correction_overdue'), [67, 3, 0, 0, 1, 0, 71]);
    assert.deepEqual(rows(r, 'other.fee_overdue'), [6, 0, 0, 0, 0, 0, 6]);
    assert.deepEqual(rows(r, 'other.other'), [108, 2, 0, 0, 0, 0, 110]);
    assert.deepEqual(rows(r, 'concludedTotal'), [2932, 53, 0, 0, 61, 4, 3050]);
    assert.deepEqual(rows(r, 'carriedForward'), [103, 0, 0, 0, 0, 0, 103]);
    for (const row of Object.values(r.requests)) assert.ok(Object.values(row).every((c) => typeof c === 'number'));
  });
  it('reads table 四', () => {
    assert.deepEqual(r.reviews, {
      reconsideration: { upheld: 72, corrected: 64, other: 178, pending: 37, total: 351 },
      litigationDirect: { upheld: 13, corrected: 4, other: 8, pending: 1, total: 26 },
      litigationAfterReconsideration: { upheld: 12, corrected: 1, other: 1, pending: 6, total: 20 },
    });
  });
  it('is consistent: tables, 勾稽关系 and prose (3119 received, 3050 answered, 103 carried forward, 351 复议, 46 诉讼) agree', () => {
    assert.deepEqual(r.findings, []);
  });
});

describe('pingtan-2021.txt (every cell run together)', async () => {
  const r = await auditFile(ex('pingtan-2021.txt'));
  it('reads agency and year', () => {
    assert.equal(r.agency, '平潭综合实验区');
    assert.equal(r.year, 2021);
    assert.equal(r.format, '2021');
  });
  it('splits table 三 by the row totals and the 勾稽关系 (640020470 → 64 0 0 2 0 4 70)', () => {
    assert.deepEqual(rows(r, 'new'), [64, 0, 0, 2, 0, 4, 70]);
    assert.deepEqual(rows(r, 'carriedOver'), [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(rows(r, 'disclosed'), [27, 0, 0, 2, 0, 1, 30]);
    assert.deepEqual(rows(r, 'partially_disclosed'), [5, 0, 0, 0, 0, 0, 5]);
    assert.deepEqual(rows(r, 'withheld.internal_affairs'), [1, 0, 0, 0, 0, 0, 1]); // "10000016.属于…": the 6 is the next label's
    assert.deepEqual(rows(r, 'withheld.enforcement_file'), [6, 0, 0, 0, 0, 0, 6]);
    assert.deepEqual(rows(r, 'unavailable.not_held'), [22, 0, 0, 0, 0, 3, 25]);
    assert.deepEqual(rows(r, 'other.other'), [1, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(rows(r, 'concludedTotal'), [63, 0, 0, 2, 0, 4, 69]);
    assert.deepEqual(rows(r, 'carriedForward'), [1, 0, 0, 0, 0, 0, 1]);
  });
  it('splits table 四 by the group totals (10203120001200000)', () => {
    assert.deepEqual(r.reviews, {
      reconsideration: { upheld: 1, corrected: 0, other: 2, pending: 0, total: 3 },
      litigationDirect: { upheld: 12, corrected: 0, other: 0, pending: 0, total: 12 },
      litigationAfterReconsideration: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
    });
  });
  it('reads table 二, and does not guess where "693665" has several splits (an info finding)', () => {
    assert.deepEqual(r.proactive.rules, { issued: 0, abolished: 0, inForce: 0 });
    assert.deepEqual(r.proactive.normativeDocuments, { issued: null, abolished: null, inForce: null });
    assert.equal(r.proactive.licensing.decisions, 2293);
    assert.equal(r.proactive.penalties.decisions, 1282);
    assert.equal(r.proactive.enforcement.decisions, 42);
    assert.equal(r.proactive.fees.amount10kYuan, 24252.311082);
    const f = r.findings.find((x) => x.rule === 'table.ambiguous-split');
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.equal(f.where, 'proactive.normativeDocuments');
    assert.match(f.message, /693665/);
  });
  it('has no error or warning (prose: 70 received, 69 concluded, 1 carried forward agrees)', () => {
    assert.deepEqual(nonInfo(r), []);
  });
  it('with last year\'s report, 现行有效 = last year + 制发 − 废止 decides the split (599 + 69 − 3 = 665)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'gk-prev-'));
    const prev = join(dir, 'pingtan-2020.txt');
    writeFileSync(
      prev,
      '平潭综合实验区2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 40 2 599\n',
    );
    const res = await checkReportFiles([ex('pingtan-2021.txt')], { previous: prev });
    assert.deepEqual(res.reports[0].proactive.normativeDocuments, { issued: 69, abolished: 3, inForce: 665 });
    assert.ok(!res.reports[0].findings.some((x) => x.rule === 'table.ambiguous-split'));
  });
});

describe('longgang-bumen-2024.txt (pipe rows, truncated in table 三)', async () => {
  const r = await auditFile(ex('longgang-bumen-2024.txt'));
  it('reads table 二 from pipe rows with half-width punctuation', () => {
    assert.deepEqual(r.proactive, {
      rules: { issued: 0, abolished: 0, inForce: 0 },
      normativeDocuments: { issued: 5, abolished: 1, inForce: 25 },
      licensing: { decisions: 0 },
      penalties: { decisions: 0 },
      enforcement: { decisions: 0 },
      fees: { amount10kYuan: 0 },
    });
  });
  it('reads table 三 up to the cut, including a group label sharing a row with its first item', () => {
    assert.deepEqual(rows(r, 'new'), [58, 7, 0, 0, 1, 0, 66]);
    assert.deepEqual(rows(r, 'carriedOver'), [2, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual(rows(r, 'disclosed'), [2, 1, 0, 0, 0, 0, 3]);
    assert.deepEqual(rows(r, 'partially_disclosed'), [16, 1, 0, 0, 0, 0, 17]);
    assert.deepEqual(rows(r, 'withheld.state_secret'), [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(rows(r, 'withheld.internal_affairs'), [1, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(rows(r, 'withheld.process_information'), [0, 0, 0, 0, 0, 0, 0]);
    assert.ok(rows(r, 'withheld.enforcement_file').every((c) => c === null)); // last cell missing
    assert.ok(rows(r, 'concludedTotal').every((c) => c === null));
  });
  it('says what it could not read (info), and no error for the sections cut off', () => {
    assert.deepEqual(nonInfo(r), []);
    assert.ok(rules(r, 'info').includes('table.cells-missing'));
    assert.ok(rules(r, 'info').includes('structure.truncated'));
  });
});

describe('xixian-taipingzhen-2022.txt (one cell per paragraph, header words split; a township)', async () => {
  const r = await auditFile(ex('xixian-taipingzhen-2022.txt'));
  it('reads agency and year from the title', () => {
    assert.equal(r.agency, '太平镇人民政府');
    assert.equal(r.year, 2022);
    assert.equal(r.format, '2021');
  });
  it('reads table 二 and table 三 up to the cut', () => {
    assert.deepEqual(r.proactive.rules, { issued: 0, abolished: 0, inForce: 0 });
    assert.deepEqual(r.proactive.normativeDocuments, { issued: 0, abolished: 0, inForce: 0 });
    assert.equal(r.proactive.fees.amount10kYuan, 0);
    for (const k of ['new', 'carriedOver', 'disclosed', 'partially_disclosed', 'withheld.state_secret', 'withheld.prohibited_by_law', 'withheld.security_stability'] as const) {
      assert.deepEqual(rows(r, k), [0, 0, 0, 0, 0, 0, 0], k);
    }
    assert.ok(rows(r, 'withheld.third_party_rights').every((c) => c === null));
  });
  it('no error or warning; the cut is an info finding', () => {
    assert.deepEqual(nonInfo(r), []);
    assert.ok(rules(r, 'info').includes('structure.truncated'));
  });
});

describe('pingwu-tongjiju-2021.txt (one cell per line, spacer lines of |)', async () => {
  const r = await auditFile(ex('pingwu-tongjiju-2021.txt'));
  it('takes the agency from the header line when there is no title', () => {
    assert.equal(r.agency, '平武县统计局');
    assert.equal(r.year, 2021);
  });
  it('reads table 二 up to the cut', () => {
    assert.deepEqual(r.proactive, {
      rules: { issued: 0, abolished: 0, inForce: 0 },
      normativeDocuments: { issued: 0, abolished: 0, inForce: 0 },
      licensing: { decisions: 0 },
      penalties: { decisions: 0 },
      enforcement: { decisions: 0 },
      fees: { amount10kYuan: null },
    });
  });
  it('no error or warning', () => {
    assert.deepEqual(nonInfo(r), []);
    assert.ok(rules(r, 'info').includes('structure.truncated'));
  });
});

describe('wendeng-xinfangju-2022-p8.txt (one page; table 四 with wrapped header words)', async () => {
  const r = await auditFile(ex('wendeng-xinfangju-2022-p8.txt'));
  it('reads table 四', () => {
    const zero = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
    assert.deepEqual(r.reviews, { reconsideration: zero, litigationDirect: zero, litigationAfterReconsideration: zero });
  });
  it('sections before page 8 and after the cut are info, not errors', () => {
    assert.deepEqual(nonInfo(r), []);
    assert.ok(rules(r, 'info').includes('structure.fragment'));
    assert.ok(rules(r, 'info').includes('structure.truncated'));
    assert.equal(r.agency, '威海市文登区信访局');
  });
});
