import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ROW_NEW } from '../law/report-format.js';
import { renderReportPdf } from './report-pdf.js';
import { sampleReport } from './sample-report.js';
import { allReportLabels, requestsLabels } from './test-helpers.js';

interface TextItem {
  str: string;
  transform: number[];
}

async function pdfPages(buf: Buffer): Promise<TextItem[][]> {
  const pdf = await getDocument({ data: new Uint8Array(buf), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: TextItem[][] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const tc = await (await pdf.getPage(p)).getTextContent();
    pages.push((tc.items as TextItem[]).filter((i) => 'str' in i));
  }
  await pdf.destroy();
  return pages;
}

describe('renderReportPdf', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`is a PDF whose text layer holds every label (${format})`, async () => {
      const report = sampleReport(11, { format });
      const buf = await renderReportPdf(report, { dateLine: '2026年1月20日' });
      assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
      const pages = await pdfPages(buf);
      assert.ok(pages.length >= 2);
      const text = pages.flat().map((i) => i.str).join('');
      for (const label of [...requestsLabels(format), ...allReportLabels(format)])
        assert.ok(text.includes(label), `missing ${label}`);
      assert.ok(text.includes('— 1 —'), 'page number');
      assert.ok(text.includes('哈尔滨市司法局'));
    });
  }

  it('writes each table row left to right on one baseline', async () => {
    const report = sampleReport(12);
    const pages = await pdfPages(await renderReportPdf(report));
    const items = pages.flat();
    const start = items.findIndex((i) => i.str === ROW_NEW);
    assert.ok(start >= 0);
    const baseline = items[start].transform[5];
    const row = items.slice(start + 1).filter((i) => i.str.trim() !== '').slice(0, 7);
    assert.ok(row.every((i) => Math.abs(i.transform[5] - baseline) < 0.5), 'same baseline');
    const xs = row.map((i) => i.transform[4]);
    assert.deepEqual([...xs].sort((a, b) => a - b), xs, 'left to right');
    const r = report.requests.new;
    assert.deepEqual(
      row.map((i) => Number(i.str)),
      [r.natural_person, r.commercial_enterprise, r.research_institution, r.social_welfare_org, r.legal_service_org, r.other_org, r.total],
    );
  });

  // Its speed is a benchmark's business (bench/), not a test's: a loaded machine would fail a time limit here.
  it('embeds the font as a subset', async () => {
    const buf = await renderReportPdf(sampleReport(13));
    assert.ok(buf.length < 400_000, `size ${buf.length}`);
  });
});
