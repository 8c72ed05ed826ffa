/**
 * Reports that say what they are: a draft is marked 草稿 on every page in every format and lists its open
 * findings at the end; a roll-up is titled "……年度政府信息公开工作年度报告（汇总）"; the PDF keeps each heading
 * with what follows (GB/T 9704 7.3.3); the XLSX prints on A4 with row heights, wrap and print titles; the HTML
 * print stylesheet is A4 and splits no table row. Bad input: a report with every cell zero renders in all formats.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { AnnualReport, Finding } from '../law/report-model.js';
import { renderReportDocx } from './report-docx.js';
import { renderReportHtml } from './report-html.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_MARK, reportTitle } from './report-layout.js';
import { renderReportPdf } from './report-pdf.js';
import { renderReportText } from './report-text.js';
import { renderReportXlsx } from './report-xlsx.js';
import { sampleReport } from './sample-report.js';
import { readZip, xmlText } from './zip-reader.js';
import { gongwenFace } from './fonts.js';

interface Item {
  str: string;
  transform: number[];
}

async function pdfPages(buf: Buffer): Promise<Item[][]> {
  const pdf = await getDocument({ data: new Uint8Array(buf), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: Item[][] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const tc = await (await pdf.getPage(p)).getTextContent();
    pages.push((tc.items as Item[]).filter((i) => 'str' in i && i.str.trim() !== ''));
  }
  await pdf.destroy();
  return pages;
}

const findings: Finding[] = [
  { severity: 'error', rule: 'requests.balance', message: '表三“总计”列：第一项加第二项之和（2696）不等于第三项加第四项之和（51 + 2745）', where: 'requests.total' },
  { severity: 'warning', rule: 'prose.placeholder', message: '五、存在的主要问题及改进情况：尚有【待填写】', where: 'narrative.problems' },
];

const HEADING = /^(?:[一二三四五六]、|（[一二三四五六七八九十]+）)[^。，\d]{1,30}$/;

function zeroReport(): AnnualReport {
  const r = sampleReport(5);
  const zero = <T>(x: T): T => JSON.parse(JSON.stringify(x), (_k, v) => (typeof v === 'number' ? 0 : v)) as T;
  return { ...r, proactive: zero(r.proactive), requests: zero(r.requests), reviews: zero(r.reviews) };
}

describe('drafts are marked 草稿 with their open findings', () => {
  it('PDF: 草稿 on every page, the findings on the last', async () => {
    const pages = await pdfPages(await renderReportPdf(sampleReport(21), { draft: { findings } }));
    for (const [i, p] of pages.entries()) assert.ok(p.some((it) => it.str.includes(DRAFT_MARK)), `page ${i + 1} has 草稿`);
    const last = pages.at(-1)!.map((i) => i.str).join('');
    assert.ok(last.includes(DRAFT_FINDINGS_TITLE));
    assert.ok(last.includes('（2696）不等于') && last.includes('【错误】') && last.includes('【提示】'));
    const published = await pdfPages(await renderReportPdf(sampleReport(21)));
    assert.ok(!published.flat().some((it) => it.str.includes(DRAFT_MARK)), 'a published report carries no mark');
  });

  it('DOCX: 草稿 in the header of every page, the findings on a last page', async () => {
    const zip = readZip(await renderReportDocx(sampleReport(21), { draft: { findings } }));
    const headers = [...zip.keys()].filter((k) => /^word\/header\d+\.xml$/.test(k)).map((k) => xmlText(zip.get(k)!.toString('utf8')).join(''));
    assert.equal(headers.length, 2, 'odd and even pages');
    for (const h of headers) assert.ok(h.includes(DRAFT_MARK));
    const xml = zip.get('word/document.xml')!.toString('utf8');
    assert.match(xml, /<w:pageBreakBefore\/>/);
    assert.ok(xmlText(xml).join('').includes('（2696）不等于'));
    const plain = readZip(await renderReportDocx(sampleReport(21)));
    assert.equal([...plain.keys()].filter((k) => k.startsWith('word/header')).length, 0);
  });

  it('HTML, XLSX and text carry the mark and the findings', async () => {
    const html = renderReportHtml(sampleReport(21), { draft: { findings } });
    assert.match(html, /class="annual-report draft"/);
    assert.match(html, /草稿：本稿尚未签发，不得对外公开/);
    assert.match(html, /<li>【错误】表三/);
    assert.doesNotMatch(renderReportHtml(sampleReport(21)), /draft-note"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportXlsx(sampleReport(21), { draft: { findings } })) as unknown as ArrayBuffer);
    assert.ok(wb.worksheets.every((ws) => (ws.headerFooter.oddHeader ?? '').includes(DRAFT_MARK)), 'every sheet prints 草稿');
    const last = wb.worksheets.at(-1)!;
    assert.ok(String(last.getCell(2, 1).value).includes('（2696）不等于'));
    const text = renderReportText(sampleReport(21), { draft: { findings } });
    assert.ok(text.startsWith('【草稿') && text.includes(DRAFT_FINDINGS_TITLE));
  });

  it('a draft with no open finding says so', () => {
    assert.match(renderReportText(sampleReport(21), { draft: { findings: [] } }), /尚待解决的问题\n未发现问题。/);
  });
});

describe('roll-ups are titled （汇总）', () => {
  it('in every format', async () => {
    const r = sampleReport(21, { agency: { code: 'hrb', name: '哈尔滨市人民政府' } });
    const title = '哈尔滨市人民政府2025年度政府信息公开工作年度报告（汇总）';
    assert.equal(reportTitle(r, { rollup: true }), title);
    assert.ok(renderReportHtml(r, { rollup: true }).includes(title));
    assert.ok(renderReportText(r, { rollup: true }).startsWith(title));
    const docText = xmlText(readZip(await renderReportDocx(r, { rollup: true })).get('word/document.xml')!.toString('utf8')).join('');
    assert.ok(docText.includes('2025年度政府信息公开工作年度报告（汇总）'));
    const pdf = (await pdfPages(await renderReportPdf(r, { rollup: true })))[0]!.map((i) => i.str).join('');
    assert.ok(pdf.includes('（汇总）'));
    assert.equal(reportTitle(r), '哈尔滨市人民政府2025年政府信息公开工作年度报告');
  });
});

describe('PDF keeps each heading with what follows', () => {
  it('no page ends with a heading, however long the overview', async () => {
    const para = '本年度，本机关坚持以公开为常态、不公开为例外，依法依规做好各项工作，不断提升政府信息公开工作质量。';
    // Lengths chosen so that the heading 二、 (with its table) falls at every height of page 1 and 2.
    for (let n = 4; n <= 22; n += 2) {
      const r = sampleReport(21);
      r.narrative.overview = ['（一）主动公开情况', ...Array.from({ length: n }, () => para)].join('\n');
      // Sections 二 and 三 open straight with their tables (as a report without a lead-in sentence does).
      r.narrative.proactive = '';
      if (n % 4 === 0) r.narrative.requests = '';
      const pages = await pdfPages(await renderReportPdf(r));
      pages.forEach((items, i) => {
        const body = items.filter((it) => !/^—\s*\d+\s*—$/.test(it.str.trim()));
        const lowest = Math.min(...body.map((it) => it.transform[5]!));
        const last = body.filter((it) => Math.abs(it.transform[5]! - lowest) < 1).map((it) => it.str).join('');
        assert.ok(!HEADING.test(last.trim()), `${n} paragraphs: page ${i + 1} ends with the heading “${last}”`);
        assert.ok(!/如下：$/.test(last.trim()), `${n} paragraphs: page ${i + 1} ends with the lead-in to a table “${last}”`);
      });
    }
  });
});

describe('XLSX prints on A4 with row heights, wrap and print titles', () => {
  it('every sheet A4, grid sheets repeat their header rows, rows tall enough for their wrapped text', async () => {
    const wb = new ExcelJS.Workbook();
    const r = sampleReport(21);
    await wb.xlsx.load((await renderReportXlsx(r)) as unknown as ArrayBuffer);
    for (const ws of wb.worksheets) assert.equal(ws.pageSetup.paperSize, 9, `${ws.name}: A4`);
    const requests = wb.getWorksheet('三、收到和处理政府信息公开申请情况')!;
    assert.equal(requests.pageSetup.printTitlesRow, '1:3');
    for (let row = 1; row <= requests.rowCount; row++) assert.ok((requests.getRow(row).height ?? 0) >= 18, `row ${row} has a height`);
    const prose = wb.worksheets[0]!;
    let checked = 0;
    prose.eachRow((row) => {
      const text = String(row.getCell(1).value ?? '');
      assert.ok(row.getCell(1).alignment?.wrapText, 'wrapped');
      // A paragraph of 120 characters needs at least three lines at 14 pt in the 90-unit column.
      if (text.length > 120) {
        assert.ok((row.height ?? 0) >= 3 * 14, `${row.height}pt for ${text.length} characters`);
        checked++;
      }
    });
    assert.ok(checked > 0 || prose.rowCount > 5);
  });
});

describe('HTML print stylesheet', () => {
  it('A4 page, table rows never split, headings kept with what follows', () => {
    const html = renderReportHtml(sampleReport(21));
    assert.match(html, /@page\{size:A4;margin:37mm 26mm 35mm 28mm\}/);
    assert.match(html, /\.report-table tr,\.report-table th,\.report-table td\{break-inside:avoid;page-break-inside:avoid\}/);
    assert.match(html, /thead\{display:table-header-group\}/);
    assert.match(html, /h2,\.annual-report p\.subheading\{break-after:avoid/);
  });
});

describe('bad input: a report with every cell zero', () => {
  it('renders in all five formats with zeros, not blanks or errors', async () => {
    const r = zeroReport();
    const text = renderReportText(r);
    assert.ok(/\| 0 \| 0 \| 0/.test(text));
    assert.ok(renderReportHtml(r).includes('<td class="num">0</td>'));
    const pdf = (await pdfPages(await renderReportPdf(r))).flat().map((i) => i.str);
    assert.ok(pdf.filter((s) => s === '0').length > 100);
    assert.ok(xmlText(readZip(await renderReportDocx(r)).get('word/document.xml')!.toString('utf8')).filter((t) => t === '0').length > 100);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportXlsx(r, { draft: { findings: [] } })) as unknown as ArrayBuffer);
    assert.equal(wb.getWorksheet('二、主动公开政府信息情况')!.getCell(3, 2).value, 0);
  });
});

describe('PDF fonts: 黑体 and 楷体 by open-licence substitutes, named in the document properties', () => {
  it('first-level headings in Noto Sans SC, second-level in LXGW WenKai where installed; the note in Keywords', async () => {
    const r = sampleReport(21);
    r.narrative.overview = ['总述。', '（一）主动公开情况', '本年主动公开。'].join('\n');
    const buf = await renderReportPdf(r);
    const raw = buf.toString('latin1');
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    const kai = gongwenFace('kai');
    if (kai) assert.match(raw, /\/BaseFont \/[A-Z]{6}\+LXGWWenKai/);
    else console.log('# fonts-lxgw-wenkai not installed: 楷体 falls back to Noto Serif SC');
    const pdf = await getDocument({ data: new Uint8Array(buf), isEvalSupported: false, useSystemFonts: false }).promise;
    const { info } = (await pdf.getMetadata()) as { info: { Keywords?: string } };
    await pdf.destroy();
    assert.match(info.Keywords ?? '', /字体替代（SIL Open Font License 1\.1）：仿宋_GB2312→Noto Serif SC；黑体→Noto Sans SC；楷体_GB2312→(LXGW WenKai|Noto Serif SC)/);
  });
});
