import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROW_NEW, SECTION_TITLES, requestRowLabels } from '../law/report-format.js';
import { renderReportText } from './report-text.js';
import { sampleReport } from './sample-report.js';
import { allReportLabels } from './test-helpers.js';

describe('renderReportText', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`prints the title, the six sections in order and every label (${format})`, () => {
      const report = sampleReport(5, { format });
      const text = renderReportText(report);
      const lines = text.split('\n');
      assert.equal(lines[0], `哈尔滨市司法局2025年政府信息公开工作年度报告`);
      const positions = Object.values(SECTION_TITLES).map((t) => lines.indexOf(t));
      assert.ok(positions.every((p) => p > 0));
      assert.deepEqual([...positions].sort((a, b) => a - b), positions);
      for (const label of allReportLabels(format)) assert.ok(text.includes(label), `missing ${label}`);
    });

    it(`prints each row of table 三 on one line: labels then the 7 numbers (${format})`, () => {
      const report = sampleReport(5, { format });
      const lines = renderReportText(report).split('\n');
      for (const { key, label } of requestRowLabels(format)) {
        const line = lines.find((l) => l.split(' | ').includes(label));
        assert.ok(line, label);
        const cells = line.split(' | ');
        const nums = cells.slice(cells.indexOf(label) + 1).map(Number);
        const row = report.requests[key];
        assert.deepEqual(nums, [
          row.natural_person, row.commercial_enterprise, row.research_institution, row.social_welfare_org,
          row.legal_service_org, row.other_org, row.total,
        ]);
      }
      const grouped = lines.find((l) => l.startsWith('（三）不予公开 | 1.属于国家秘密 | '));
      assert.ok(grouped, 'group label on its first item line');
      assert.ok(lines.find((l) => l.startsWith('三、本年度办理结果 | （一）予以公开 | ')));
      assert.ok(lines.find((l) => l.startsWith(`${ROW_NEW} | `)));
    });
  }

  it('prints table 四 as its header rows and one line of 15 numbers', () => {
    const report = sampleReport(5);
    const lines = renderReportText(report).split('\n');
    const i = lines.indexOf('行政复议 | 行政诉讼');
    assert.ok(i > 0);
    const nums = lines[i + 3].split(' | ').map(Number);
    const g = report.reviews;
    const expected = [g.reconsideration, g.litigationDirect, g.litigationAfterReconsideration].flatMap((x) => [
      x.upheld, x.corrected, x.other, x.pending, x.total,
    ]);
    assert.deepEqual(nums, expected);
  });

  it('prints a blank cell empty and a not-applicable cell as "/"', () => {
    const report = sampleReport(5) as unknown as import('../law/report-model.js').AnnualReport<number | null | 'n/a'>;
    report.requests.new.natural_person = null;
    report.requests.new.total = 'n/a';
    const line = renderReportText(report).split('\n').find((l) => l.startsWith(ROW_NEW));
    assert.ok(line);
    const cells = line.split(' | ');
    assert.equal(cells[1], '');
    assert.equal(cells[7], '/');
  });
});
