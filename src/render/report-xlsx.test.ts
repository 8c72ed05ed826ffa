import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { REQUESTS_CORNER_NOTE, RESULTS_LABEL, ROW_NEW, SECTION_TITLES } from '../law/report-format.js';
import { PROSE_SHEET_NAME, renderReportXlsx } from './report-xlsx.js';
import { sampleReport } from './sample-report.js';
import { proactiveLabels, requestsLabels, reviewsLabels } from './test-helpers.js';
import { readZip } from './zip-reader.js';

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function sheetTexts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => {
    if (typeof c.value === 'string' && !c.isMerged) out.push(c.value);
    else if (typeof c.value === 'string' && c.master === c) out.push(c.value);
  }));
  return out;
}

describe('renderReportXlsx', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`has a sheet per table with every label, and the prose (${format})`, async () => {
      const report = sampleReport(31, { format });
      const buf = await renderReportXlsx(report);
      const zip = readZip(buf);
      assert.ok(zip.has('xl/workbook.xml') && zip.has('[Content_Types].xml'));
      const wb = await load(buf);
      assert.deepEqual(
        wb.worksheets.map((w) => w.name),
        [PROSE_SHEET_NAME, SECTION_TITLES.proactive, SECTION_TITLES.requests, SECTION_TITLES.reviews],
      );
      const two = sheetTexts(wb.getWorksheet(SECTION_TITLES.proactive)!);
      for (const l of proactiveLabels(format)) assert.ok(two.includes(l), `missing ${l}`);
      const three = sheetTexts(wb.getWorksheet(SECTION_TITLES.requests)!);
      for (const l of requestsLabels(format)) assert.ok(three.includes(l), `missing ${l}`);
      const four = sheetTexts(wb.getWorksheet(SECTION_TITLES.reviews)!);
      for (const l of reviewsLabels()) assert.ok(four.includes(l), `missing ${l}`);
      const prose = sheetTexts(wb.getWorksheet(PROSE_SHEET_NAME)!);
      for (const t of Object.values(SECTION_TITLES)) assert.ok(prose.includes(t));
      assert.ok(prose.some((p) => p.startsWith('一是')));
    });
  }

  it('merges cells as the format does and writes numbers as numbers', async () => {
    const report = sampleReport(32);
    const wb = await load(await renderReportXlsx(report));
    const ws = wb.getWorksheet(SECTION_TITLES.requests)!;
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    for (const m of ['A1:C3', 'D1:J1', 'D2:D3', 'E2:I2', 'J2:J3', 'A4:C4', 'A6:A27', 'B6:C6', 'B8:B15', 'B16:B18', 'B19:B23', 'B24:B26', 'B27:C27', 'A28:C28'])
      assert.ok(merges.includes(m), `merge ${m} in ${merges.join(',')}`);
    assert.equal(ws.getCell('A1').value, REQUESTS_CORNER_NOTE);
    assert.equal(ws.getCell('A6').value, RESULTS_LABEL);
    assert.equal(ws.getCell('A4').value, ROW_NEW);
    assert.equal(ws.getCell('D4').value, report.requests.new.natural_person);
    assert.equal(ws.getCell('J4').value, report.requests.new.total);
    assert.equal(ws.getCell('J27').value, report.requests.concludedTotal.total);
    const four = wb.getWorksheet(SECTION_TITLES.reviews)!;
    const m4 = (four.model as unknown as { merges: string[] }).merges;
    for (const m of ['A1:E1', 'F1:O1', 'A2:A3', 'F2:J2', 'K2:O2']) assert.ok(m4.includes(m), m);
    assert.equal(four.getCell('E4').value, report.reviews.reconsideration.total);
  });
});
