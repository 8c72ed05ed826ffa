/**
 * Generated consistent reports (random, seeded) rendered to text layouts, HTML with rowspans, DOCX tables and
 * a pdfkit-laid-out PDF, read back: the tables come back exactly and no `error` is found; a random
 * single-cell change is caught.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import type { AnnualReport, Cell } from '../law/report-model.js';
import { APPLICANT_KINDS, REQUEST_ROW_KEYS } from '../law/report-model.js';
import { REVIEW_GROUPS, REVIEW_RESULT_COLUMNS } from '../law/report-format.js';
import { checkReportRules } from '../law/report-rules.js';
import { cjkFont } from '../render/fonts.js';
import type { AuditedReport } from './audit.js';
import { auditBuffer, auditText } from './audit.js';
import { htmlToText } from './readers.js';
import type { TextLayout } from './synthetic.js';
import { prng, renderSyntheticText, syntheticReport } from './synthetic.js';

const LAYOUTS: TextLayout[] = ['pipes', 'spaces', 'tabs', 'lines', 'paragraphs'];

function cellsOf(r: { requests: AnnualReport<Cell>['requests']; reviews: AnnualReport<Cell>['reviews'] }, format: string) {
  const out: [string, Cell][] = [];
  for (const k of REQUEST_ROW_KEYS) {
    if (format === '2019' && (k === 'other.correction_overdue' || k === 'other.fee_overdue')) continue;
    for (const c of [...APPLICANT_KINDS, 'total'] as const) out.push([`requests.${k}.${c}`, r.requests[k][c]]);
  }
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_RESULT_COLUMNS) out.push([`reviews.${g}.${c.key}`, r.reviews[g][c.key]]);
  return out;
}

function assertReadBack(report: AnnualReport, got: AuditedReport, label: string) {
  assert.deepEqual(cellsOf(got, report.format), cellsOf(report, report.format), label);
  if (report.format === '2021') assert.deepEqual(got.proactive, report.proactive, label);
  else {
    assert.equal(got.proactive.licensing.decisions, report.proactive.licensing.decisions, label);
    assert.equal(got.proactive.normativeDocuments.inForce, report.proactive.normativeDocuments.inForce, label);
  }
}

describe('the generator', () => {
  it('makes reports that satisfy every rule', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = syntheticReport(seed, { format: seed % 4 === 0 ? '2019' : '2021' });
      assert.deepEqual(checkReportRules(r), [], `seed ${seed}`);
    }
  });
});

describe('consistent generated reports read back exactly, with no error', () => {
  for (const layout of LAYOUTS) {
    it(`layout: ${layout} (60 seeds, 2021 and 2019 formats)`, () => {
      for (let seed = 1; seed <= 60; seed++) {
        const format = seed % 4 === 0 ? '2019' : '2021';
        const report = syntheticReport(seed * 7919 + layout.length, { format });
        const got = auditText(renderSyntheticText(report, layout), `${layout}-${seed}.txt`);
        assert.equal(got.format, format);
        assertReadBack(report, got, `${layout} seed ${seed}`);
        assert.deepEqual(got.findings.filter((f) => f.severity !== 'info'), [], `${layout} seed ${seed}`);
        assert.deepEqual(got.findings, [], `${layout} seed ${seed}`);
      }
    });
  }
  it('cells run together: never a wrong value, never an error; what cannot be split is blank with an info finding', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const format = seed % 4 === 0 ? '2019' : '2021';
      const report = syntheticReport(seed * 104729, { format });
      const got = auditText(renderSyntheticText(report, 'runtogether'), `rt-${seed}.txt`);
      assert.deepEqual(got.findings.filter((f) => f.severity !== 'info'), [], `seed ${seed}`);
      const want = new Map(cellsOf(report, format));
      for (const [path, value] of cellsOf(got, format)) {
        if (value !== null) assert.equal(value, want.get(path), `seed ${seed} ${path}`);
      }
      const ambiguousRows = got.findings.filter((f) => f.rule === 'table.ambiguous-split').map((f) => f.where);
      for (const [path, value] of cellsOf(got, format)) {
        if (value === null) assert.ok(ambiguousRows.some((w) => path.startsWith(w)) || got.findings.length > 0, `seed ${seed} ${path}`);
      }
    }
  });
});

describe('a random single-cell change is caught', () => {
  it('in tables 三 and 四 (100 seeds, pipe and one-cell-per-line layouts)', () => {
    const rand = prng(20240601);
    for (let seed = 1; seed <= 100; seed++) {
      const report = syntheticReport(seed, { format: '2021' });
      const cells = cellsOf(report, '2021');
      const [path] = cells[Math.floor(rand() * cells.length)];
      const [table, row, col] = path.split(/\.(?=[^.]+$)|^(requests|reviews)\./).filter(Boolean) as [string, string, string];
      const target = (report as unknown as Record<string, Record<string, Record<string, number>>>)[table][row];
      const old = target[col];
      target[col] = old === 0 ? 1 + Math.floor(rand() * 5) : rand() < 0.5 ? old - 1 : old + 1 + Math.floor(rand() * 3);
      const layout = seed % 2 ? 'pipes' : 'lines';
      const got = auditText(renderSyntheticText(report, layout), `changed-${seed}.txt`);
      const errs = got.findings.filter((f) => f.severity === 'error');
      assert.ok(errs.length > 0, `seed ${seed}: ${path} ${old} → ${target[col]} not caught`);
      assert.ok(errs.every((e) => /≠|不成立|而/.test(e.message)), JSON.stringify(errs));
      // The error names the changed cell's row or column.
      const rowKey = row;
      assert.ok(
        errs.some((e) => e.where.includes(rowKey) || e.where.endsWith(`.${col}`) || e.where.startsWith('narrative')),
        `seed ${seed}: ${path}: ${JSON.stringify(errs.map((e) => e.where))}`,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// HTML, DOCX, PDF renderings of the official table layout

function esc(s: string) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function tableHtml(report: AnnualReport): string {
  const r = report.requests;
  const num = (row: AnnualReport['requests']['new']) => [...APPLICANT_KINDS.map((k) => row[k]), row.total].map((v) => `<td>${v}</td>`).join('');
  const p = report.proactive;
  const t2 = `<table border="1">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>${p.rules.issued}</td><td>${p.rules.abolished}</td><td>${p.rules.inForce}</td></tr>
<tr><td>行政规范性文件</td><td>${p.normativeDocuments.issued}</td><td>${p.normativeDocuments.abolished}</td><td>${p.normativeDocuments.inForce}</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">${p.licensing.decisions}</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">${p.penalties.decisions}</td></tr><tr><td>行政强制</td><td colspan="3">${p.enforcement.decisions}</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">${p.fees.amount10kYuan}</td></tr></table>`;
  const groups: [string, [string, keyof AnnualReport['requests']][]][] = [
    ['（三）不予公开', [['1.属于国家秘密', 'withheld.state_secret'], ['2.其他法律行政法规禁止公开', 'withheld.prohibited_by_law'], ['3.危及“三安全一稳定”', 'withheld.security_stability'], ['4.保护第三方合法权益', 'withheld.third_party_rights'], ['5.属于三类内部事务信息', 'withheld.internal_affairs'], ['6.属于四类过程性信息', 'withheld.process_information'], ['7.属于行政执法案卷', 'withheld.enforcement_file'], ['8.属于行政查询事项', 'withheld.administrative_inquiry']]],
    ['（四）无法提供', [['1.本机关不掌握相关政府信息', 'unavailable.not_held'], ['2.没有现成信息需要另行制作', 'unavailable.needs_creation'], ['3.补正后申请内容仍不明确', 'unavailable.still_unclear']]],
    ['（五）不予处理', [['1.信访举报投诉类申请', 'not_processed.petition_complaint'], ['2.重复申请', 'not_processed.duplicate'], ['3.要求提供公开出版物', 'not_processed.publication'], ['4.无正当理由大量反复申请', 'not_processed.excessive'], ['5.要求行政机关确认或重新出具已获取信息', 'not_processed.confirm_or_reissue']]],
    ['（六）其他处理', [['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other.correction_overdue'], ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'other.fee_overdue'], ['3.其他', 'other.other']]],
  ];
  let t3 = `<table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>${num(r.new)}</tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>${num(r.carriedOver)}</tr>
<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>${num(r.disclosed)}</tr>
<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>${num(r.partially_disclosed)}</tr>`;
  for (const [g, items] of groups) {
    items.forEach(([label, key], i) => {
      t3 += `<tr>${i === 0 ? `<td rowspan="${items.length}">${g}</td>` : ''}<td>${esc(label)}</td>${num(r[key])}</tr>\n`;
    });
  }
  t3 += `<tr><td colspan="2">（七）总计</td>${num(r.concludedTotal)}</tr><tr><td colspan="3">四、结转下年度继续办理</td>${num(r.carriedForward)}</tr></table>`;
  const v = report.reviews;
  const res = (x: AnnualReport['reviews']['reconsideration']) => [x.upheld, x.corrected, x.other, x.pending, x.total].map((n) => `<td>${n}</td>`).join('');
  const t4 = `<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr>${res(v.reconsideration)}${res(v.litigationDirect)}${res(v.litigationAfterReconsideration)}</tr></table>`;
  return `<!DOCTYPE html><html><head><title>年报</title><style>td{border:1px}</style></head><body>
<h1>${report.agency.name}${report.year}年政府信息公开工作年度报告</h1>
<h2>一、总体情况</h2><p>本年度共收到政府信息公开申请${r.new.total}件。</p>
<h2>二、主动公开政府信息情况</h2>${t2}
<h2>三、收到和处理政府信息公开申请情况</h2>${t3}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>${t4}
<h2>五、存在的主要问题及改进情况</h2><p>无。</p><h2>六、其他需要报告的事项</h2><p>无。</p></body></html>`;
}

describe('HTML tables with rowspans read back exactly', () => {
  it('20 seeds', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const report = syntheticReport(seed * 31);
      const got = await auditBuffer(Buffer.from(tableHtml(report)), `r${seed}.html`);
      assertReadBack(report, got, `html seed ${seed}`);
      assert.deepEqual(got.findings, [], `html seed ${seed}`);
    }
  });
  it('a blank cell (<td></td>) reads as null and "/" as "n/a", not as errors', async () => {
    const report = syntheticReport(5);
    const html = tableHtml(report)
      .replace(/(<td>行政强制<\/td><td colspan="3">)\d+/, '$1')
      .replace(/(<td>规章<\/td><td>)\d+/, '$1/');
    const got = await auditBuffer(Buffer.from(html), 'blank.html');
    assert.equal(got.proactive.enforcement.decisions, null);
    assert.equal(got.proactive.rules.issued, 'n/a');
    assert.deepEqual(got.findings.filter((f) => f.severity === 'error'), []);
  });
  it('htmlToText puts each table row on one line with cells between pipes', () => {
    const t = htmlToText('<p>甲</p><table><tr><td>规章</td><td>1</td><td></td><td>3</td></tr></table><p>乙</p>');
    assert.match(t, /\| 规章 \| 1 \| {2}\| 3 \|/);
  });
});

async function docxOf(report: AnnualReport): Promise<Buffer> {
  const docx = await import('docx');
  const { Document, Packer, Paragraph, Table, TableCell, TableRow } = docx;
  const cell = (text: string, opts: { rowSpan?: number; columnSpan?: number } = {}) =>
    new TableCell({ children: [new Paragraph(text)], ...opts });
  const r = report.requests;
  const numCells = (row: AnnualReport['requests']['new']) => [...APPLICANT_KINDS.map((k) => row[k]), row.total].map((v) => cell(String(v)));
  const rows: InstanceType<typeof TableRow>[] = [
    new TableRow({ children: [cell('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { columnSpan: 3, rowSpan: 3 }), cell('申请人情况', { columnSpan: 7 })] }),
    new TableRow({ children: [cell('自然人', { rowSpan: 2 }), cell('法人或其他组织', { columnSpan: 5 }), cell('总计', { rowSpan: 2 })] }),
    new TableRow({ children: ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((t) => cell(t)) }),
    new TableRow({ children: [cell('一、本年新收政府信息公开申请数量', { columnSpan: 3 }), ...numCells(r.new)] }),
    new TableRow({ children: [cell('二、上年结转政府信息公开申请数量', { columnSpan: 3 }), ...numCells(r.carriedOver)] }),
  ];
  const outcomeRows: [string | null, string, keyof AnnualReport['requests'], number][] = [
    [null, '（一）予以公开', 'disclosed', 0],
    [null, '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 'partially_disclosed', 0],
    ['（三）不予公开', '1.属于国家秘密', 'withheld.state_secret', 8], [null, '2.其他法律行政法规禁止公开', 'withheld.prohibited_by_law', -1],
    [null, '3.危及“三安全一稳定”', 'withheld.security_stability', -1], [null, '4.保护第三方合法权益', 'withheld.third_party_rights', -1],
    [null, '5.属于三类内部事务信息', 'withheld.internal_affairs', -1], [null, '6.属于四类过程性信息', 'withheld.process_information', -1],
    [null, '7.属于行政执法案卷', 'withheld.enforcement_file', -1], [null, '8.属于行政查询事项', 'withheld.administrative_inquiry', -1],
    ['（四）无法提供', '1.本机关不掌握相关政府信息', 'unavailable.not_held', 3], [null, '2.没有现成信息需要另行制作', 'unavailable.needs_creation', -1],
    [null, '3.补正后申请内容仍不明确', 'unavailable.still_unclear', -1],
    ['（五）不予处理', '1.信访举报投诉类申请', 'not_processed.petition_complaint', 5], [null, '2.重复申请', 'not_processed.duplicate', -1],
    [null, '3.要求提供公开出版物', 'not_processed.publication', -1], [null, '4.无正当理由大量反复申请', 'not_processed.excessive', -1],
    [null, '5.要求行政机关确认或重新出具已获取信息', 'not_processed.confirm_or_reissue', -1],
    ['（六）其他处理', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other.correction_overdue', 3],
    [null, '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'other.fee_overdue', -1],
    [null, '3.其他', 'other.other', -1],
  ];
  outcomeRows.forEach(([group, label, key, span], i) => {
    const lead = i === 0 ? [cell('三、本年度办理结果', { rowSpan: 22 })] : [];
    const children = span === 0 ? [...lead, cell(label, { columnSpan: 2 })] : [...lead, ...(group ? [cell(group, { rowSpan: span })] : []), cell(label)];
    rows.push(new TableRow({ children: [...children, ...numCells(r[key])] }));
  });
  rows.push(new TableRow({ children: [cell('（七）总计', { columnSpan: 2 }), ...numCells(r.concludedTotal)] }));
  rows.push(new TableRow({ children: [cell('四、结转下年度继续办理', { columnSpan: 3 }), ...numCells(r.carriedForward)] }));
  const v = report.reviews;
  const t4 = new Table({
    rows: [
      new TableRow({ children: [cell('行政复议', { columnSpan: 5 }), cell('行政诉讼', { columnSpan: 10 })] }),
      new TableRow({ children: [...['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((t) => cell(t, { rowSpan: 2 })), cell('未经复议直接起诉', { columnSpan: 5 }), cell('复议后起诉', { columnSpan: 5 })] }),
      new TableRow({ children: [...['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((t) => cell(t))] }),
      new TableRow({
        children: REVIEW_GROUPS.flatMap((g) => REVIEW_RESULT_COLUMNS.map((c) => cell(String(v[g][c.key])))),
      }),
    ],
  });
  const p = report.proactive;
  const t2 = new Table({
    rows: [
      new TableRow({ children: [cell('第二十条第（一）项', { columnSpan: 4 })] }),
      new TableRow({ children: ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'].map((t) => cell(t)) }),
      new TableRow({ children: ['规章', p.rules.issued, p.rules.abolished, p.rules.inForce].map((t) => cell(String(t))) }),
      new TableRow({ children: ['行政规范性文件', p.normativeDocuments.issued, p.normativeDocuments.abolished, p.normativeDocuments.inForce].map((t) => cell(String(t))) }),
      new TableRow({ children: [cell('第二十条第（五）项', { columnSpan: 4 })] }),
      new TableRow({ children: [cell('信息内容'), cell('本年处理决定数量', { columnSpan: 3 })] }),
      new TableRow({ children: [cell('行政许可'), cell(String(p.licensing.decisions), { columnSpan: 3 })] }),
      new TableRow({ children: [cell('第二十条第（六）项', { columnSpan: 4 })] }),
      new TableRow({ children: [cell('信息内容'), cell('本年处理决定数量', { columnSpan: 3 })] }),
      new TableRow({ children: [cell('行政处罚'), cell(String(p.penalties.decisions), { columnSpan: 3 })] }),
      new TableRow({ children: [cell('行政强制'), cell(String(p.enforcement.decisions), { columnSpan: 3 })] }),
      new TableRow({ children: [cell('第二十条第（八）项', { columnSpan: 4 })] }),
      new TableRow({ children: [cell('信息内容'), cell('本年收费金额（单位：万元）', { columnSpan: 3 })] }),
      new TableRow({ children: [cell('行政事业性收费'), cell(String(p.fees.amount10kYuan), { columnSpan: 3 })] }),
    ],
  });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph(`${report.agency.name}${report.year}年政府信息公开工作年度报告`),
          new Paragraph('一、总体情况'),
          new Paragraph(`本年度共收到政府信息公开申请${r.new.total}件。`),
          new Paragraph('二、主动公开政府信息情况'),
          t2,
          new Paragraph('三、收到和处理政府信息公开申请情况'),
          new Table({ rows }),
          new Paragraph('四、政府信息公开行政复议、行政诉讼情况'),
          t4,
          new Paragraph('五、存在的主要问题及改进情况'),
          new Paragraph('无。'),
          new Paragraph('六、其他需要报告的事项'),
          new Paragraph('无。'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('DOCX tables (vertical merges) read back exactly', () => {
  it('10 seeds', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const report = syntheticReport(seed * 17);
      const got = await auditBuffer(await docxOf(report), `r${seed}.docx`);
      assertReadBack(report, got, `docx seed ${seed}`);
      assert.deepEqual(got.findings, [], `docx seed ${seed}`);
    }
  });
});

/** A PDF laid out like a renderer would: one table row per line, cells at fixed column positions. */
export async function pdfOf(report: AnnualReport, lines?: string[][]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res) => doc.on('end', () => res(Buffer.concat(chunks))));
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk').fontSize(7);
  const text = renderSyntheticText(report, 'tabs');
  const rows = lines ?? text.split('\n').map((l) => l.split('\t'));
  let y = 40;
  for (const row of rows) {
    if (y > 780) {
      doc.addPage();
      y = 40;
    }
    // Label cells (text) in the first column, numbers in fixed columns to the right.
    const firstNum = row.findIndex((c) => /^[\d./]+$/.test(c));
    const labels = firstNum < 0 ? row : row.slice(0, firstNum);
    const nums = firstNum < 0 ? [] : row.slice(firstNum);
    if (labels.length) doc.text(labels.join(' '), 40, y, { lineBreak: false });
    nums.forEach((c, i) => doc.text(c, 330 + i * 17, y, { lineBreak: false }));
    y += 12;
  }
  doc.end();
  return done;
}

describe('PDF (pdfkit layout) reads back exactly', () => {
  it('5 seeds', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const report = syntheticReport(seed * 101);
      const got = await auditBuffer(await pdfOf(report), `r${seed}.pdf`);
      assertReadBack(report, got, `pdf seed ${seed}`);
      assert.deepEqual(got.findings, [], `pdf seed ${seed}`);
    }
  });
});
