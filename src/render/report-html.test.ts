import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'node-html-parser';
import type { HTMLElement } from 'node-html-parser';
import { h } from 'preact';
import { render } from 'preact-render-to-string';
import {
  REQUESTS_CORNER_NOTE,
  RESULTS_LABEL,
  ROW_CARRIED_FORWARD,
  ROW_CARRIED_OVER,
  ROW_CONCLUDED_TOTAL,
  ROW_NEW,
  SECTION_TITLES,
  outcomeGroups,
  requestRowLabels,
} from '../law/report-format.js';
import type { FormatVersion } from '../law/report-model.js';
import { ReportTable, renderReportHtml } from './report-html.js';
import { sampleReport } from './sample-report.js';
import { proactiveLabels, requestsLabels, reviewsLabels } from './test-helpers.js';

function cellByText(table: HTMLElement, text: string): HTMLElement {
  const found = table.querySelectorAll('th,td').filter((c) => c.text === text);
  assert.equal(found.length, 1, `one cell "${text}" (found ${found.length})`);
  return found[0];
}

function spans(c: HTMLElement): [number, number] {
  return [Number(c.getAttribute('rowspan') ?? 1), Number(c.getAttribute('colspan') ?? 1)];
}

/** Resolves the spans and checks that every row covers exactly `columns` grid columns. */
function assertRectangular(table: HTMLElement, columns: number): void {
  const rows = table.querySelectorAll('tr');
  const taken: boolean[][] = rows.map(() => Array<boolean>(columns).fill(false));
  rows.forEach((tr, r) => {
    let c = 0;
    for (const cell of tr.querySelectorAll('th,td')) {
      while (taken[r][c]) c++;
      const [rs, cs] = spans(cell);
      for (let i = 0; i < rs; i++)
        for (let j = 0; j < cs; j++) {
          assert.ok(r + i < rows.length, `cell "${cell.text}" spans past the table`);
          assert.equal(taken[r + i][c + j], false, `overlap at row ${r + i} col ${c + j}`);
          assert.ok(c + j < columns, `row ${r} overflows at "${cell.text}"`);
          taken[r + i][c + j] = true;
        }
      c += cs;
    }
  });
  taken.forEach((row, r) => assert.ok(row.every(Boolean), `row ${r} has a hole`));
}

function htmlTable(format: FormatVersion, id: 'proactive' | 'requests' | 'reviews'): HTMLElement {
  const doc = parse(render(h(ReportTable, { report: sampleReport(7, { format }), table: id })));
  const t = doc.querySelector('table');
  assert.ok(t);
  return t;
}

for (const format of ['2021', '2019'] as const) {
  describe(`HTML table 三 (${format} format)`, () => {
    const table = htmlTable(format, 'requests');
    it('has the merged header cells of the format', () => {
      assert.deepEqual(spans(cellByText(table, REQUESTS_CORNER_NOTE)), [3, 3]);
      assert.deepEqual(spans(cellByText(table, '申请人情况')), [1, 7]);
      assert.deepEqual(spans(cellByText(table, '自然人')), [2, 1]);
      assert.deepEqual(spans(cellByText(table, '法人或其他组织')), [1, 5]);
      const totals = table.querySelectorAll('th').filter((c) => c.text === '总计');
      assert.equal(totals.length, 1);
      assert.deepEqual(spans(totals[0]), [2, 1]);
      for (const l of ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'])
        assert.deepEqual(spans(cellByText(table, l)), [1, 1]);
    });
    it('has the row labels with their spans', () => {
      assert.deepEqual(spans(cellByText(table, ROW_NEW)), [1, 3]);
      assert.deepEqual(spans(cellByText(table, ROW_CARRIED_OVER)), [1, 3]);
      assert.deepEqual(spans(cellByText(table, RESULTS_LABEL)), [format === '2021' ? 22 : 20, 1]);
      assert.deepEqual(spans(cellByText(table, ROW_CONCLUDED_TOTAL)), [1, 2]);
      assert.deepEqual(spans(cellByText(table, ROW_CARRIED_FORWARD)), [1, 3]);
      const expected: Record<string, [number, number]> = {
        '（一）予以公开': [1, 2],
        '（二）部分公开（区分处理的，只计这一情形，不计其他情形）': [1, 2],
        '（三）不予公开': [8, 1],
        '（四）无法提供': [3, 1],
        '（五）不予处理': [5, 1],
        '（六）其他处理': format === '2021' ? [3, 1] : [1, 2],
      };
      for (const [label, s] of Object.entries(expected)) assert.deepEqual(spans(cellByText(table, label)), s, label);
      assert.equal(outcomeGroups(format).length, 6);
    });
    it('is rectangular (10 columns) and prints every label once, in order', () => {
      assertRectangular(table, 10);
      const texts = table.querySelectorAll('th,td').map((c) => c.text);
      for (const l of requestsLabels(format)) assert.ok(texts.includes(l), `missing ${l}`);
      const rowLabels = requestRowLabels(format).map((r) => r.label);
      const positions = rowLabels.map((l) => texts.indexOf(l));
      assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'row labels in table order');
      assert.equal(table.querySelectorAll('tbody tr').length, format === '2021' ? 25 : 23);
    });
    it('has accessible headers', () => {
      assert.ok(table.querySelector('caption')?.text);
      assert.equal(cellByText(table, RESULTS_LABEL).getAttribute('scope'), 'rowgroup');
      assert.equal(cellByText(table, '申请人情况').getAttribute('scope'), 'colgroup');
      assert.equal(cellByText(table, '1.属于国家秘密').getAttribute('scope'), 'row');
      assert.equal(table.querySelectorAll('thead tr').length, 3);
    });
    it('prints the numbers of each row in column order', () => {
      const report = sampleReport(7, { format });
      const tr = cellByText(table, ROW_NEW).parentNode;
      assert.ok(tr);
      const nums = tr.querySelectorAll('td').map((c) => Number(c.text));
      const r = report.requests.new;
      assert.deepEqual(nums, [
        r.natural_person, r.commercial_enterprise, r.research_institution, r.social_welfare_org, r.legal_service_org, r.other_org, r.total,
      ]);
    });
  });

  describe(`HTML tables 二 and 四 (${format} format)`, () => {
    it('table 二: block headers span the table, labels verbatim', () => {
      const table = htmlTable(format, 'proactive');
      const columns = 4;
      assertRectangular(table, columns);
      for (const h of ['第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项']) {
        const cells = table.querySelectorAll('th').filter((c) => c.text === h);
        assert.equal(cells.length, 1, h);
        assert.deepEqual(spans(cells[0]), [1, columns]);
      }
      const texts = table.querySelectorAll('th,td').map((c) => c.text);
      for (const l of proactiveLabels(format)) assert.ok(texts.includes(l), `missing ${l}`);
      if (format === '2021') {
        assert.ok(!texts.includes('第二十条第（九）项'));
        assert.deepEqual(spans(cellByText(table, '本年收费金额（单位：万元）')), [1, 3]);
      } else assert.ok(texts.includes('政府集中采购'));
    });
    it('table 四: 行政复议 colspan 5, 行政诉讼 colspan 10, 15 numbers', () => {
      const table = htmlTable(format, 'reviews');
      assertRectangular(table, 15);
      assert.deepEqual(spans(cellByText(table, '行政复议')), [1, 5]);
      assert.deepEqual(spans(cellByText(table, '行政诉讼')), [1, 10]);
      assert.deepEqual(spans(cellByText(table, '未经复议直接起诉')), [1, 5]);
      assert.deepEqual(spans(cellByText(table, '复议后起诉')), [1, 5]);
      const upheld = table.querySelectorAll('th').filter((c) => c.text === '结果维持');
      assert.deepEqual(upheld.map(spans), [[2, 1], [1, 1], [1, 1]]);
      const texts = table.querySelectorAll('th').map((c) => c.text);
      for (const l of reviewsLabels()) assert.ok(texts.includes(l), `missing ${l}`);
      assert.equal(table.querySelectorAll('td').length, 15);
    });
  });
}

describe('renderReportHtml', () => {
  it('is a standalone document with the title, six sections in order and the prose', () => {
    const report = sampleReport(3);
    const html = renderReportHtml(report, { dateLine: '2026年1月20日' });
    assert.match(html, /^<!DOCTYPE html>/);
    const doc = parse(html);
    assert.equal(doc.querySelector('html')?.getAttribute('lang'), 'zh-CN');
    assert.equal(doc.querySelector('title')?.text, '哈尔滨市司法局2025年政府信息公开工作年度报告');
    assert.equal(doc.querySelector('h1')?.text, '哈尔滨市司法局2025年政府信息公开工作年度报告');
    assert.deepEqual(doc.querySelectorAll('h2').map((h) => h.text), Object.values(SECTION_TITLES));
    assert.equal(doc.querySelectorAll('table').length, 3);
    assert.ok(doc.querySelector('[data-section=problems] p')?.text.startsWith('一是'));
    assert.ok(doc.querySelector('.signature')?.text.includes('2026年1月20日'));
  });
  it('escapes what it prints', () => {
    const report = sampleReport(3);
    report.narrative.other = '<script>alert(1)</script>';
    assert.ok(!renderReportHtml(report).includes('<script>'));
  });
});
