/**
 * The DOCX files as LibreOffice lays them out (what an office on LibreOffice or WPS sees): GB/T 9704-2012
 * wants 28 characters × 22 lines on the body text (7.1: 版心 156 mm × 225 mm, 3号仿宋), headings kept with what
 * follows, the 落款 on the page of the last paragraph (7.3.5), tables whose labels do not wrap letter by letter.
 * One LibreOffice run converts the four documents; every assertion reads the same PDFs.
 *
 * Needs LibreOffice and poppler: skipped with a message when missing, a failure under CI=true.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { LetterInput } from './letters.js';
import { renderLetterDocx } from './letters-docx.js';
import type { ConvertedPdf } from './office-harness.js';
import { convertToPdf, lineWidth, officeSkipReason, textLines } from './office-harness.js';
import { renderReportDocx } from './report-docx.js';
import { sampleReport } from './sample-report.js';

const skip = officeSkipReason();

const base: Omit<LetterInput, 'kind'> = {
  agency: { name: '哈尔滨市文化广电和旅游局', office: '哈尔滨市文化广电和旅游局办公室', address: '哈尔滨市松北区世纪大道1号', postcode: '150021', phone: '0451-12345678' },
  letterNo: '哈文旅依申复〔2026〕7号',
  date: '2026-03-20',
  applicantName: '张三',
  subject: '2025年松北区文化惠民演出项目的政府采购合同及验收报告',
  trackingNo: 'YSQ-2026-000123',
  receivedOn: '2026-03-03',
  reconsiderationBody: '哈尔滨市人民政府',
};

// A paragraph of CJK text only (no half-width characters), so every full line must hold exactly the grid.
const PARA =
  '本机关深入贯彻落实政府信息公开条例，坚持以公开为常态、不公开为例外，依法依规做好主动公开、依申请公开、政府信息管理、平台建设和监督保障等各项工作，不断提升政府信息公开工作的质量和实效，切实保障人民群众的知情权、参与权、表达权和监督权。';

const HEADING = /^(?:[一二三四五六]、|（[一二三四五六七八九十]+）)[^。，\d]{1,30}$/;

let out: Record<string, ConvertedPdf> = {};

describe('DOCX in LibreOffice (GB/T 9704 grid)', { skip }, () => {
  before(async () => {
    const long = sampleReport(31);
    // One long paragraph first, so that page 2 is body text from top to bottom.
    long.narrative.overview = [PARA.repeat(12), '（一）主动公开情况', PARA, PARA, '（二）依申请公开情况', PARA, PARA].join('\n');
    const withTables = sampleReport(21);
    out = convertToPdf({
      'reply.docx': await renderLetterDocx({ ...base, kind: 'reply', outcome: 'withheld.process_information', reasons: '所申请的信息为会议讨论记录，属于过程性信息。' }),
      'fee.docx': await renderLetterDocx({ ...base, kind: 'fee', fee: { method: 'per_page', amount: 1700, units: 150, paymentMethod: '通过政府非税收入缴款系统缴纳（缴款码：1234567890）' } }),
      'long.docx': await renderReportDocx(long, { dateLine: '2026年1月20日' }),
      'tables.docx': await renderReportDocx(withTables, { dateLine: '2026年1月20日' }),
    });
  });

  it('sets 28 characters on every full line of body text (26–28 counted from the PDF)', () => {
    const lines = out['long.docx']!.pages.flatMap(textLines);
    // The lines of PARA: every line of the paragraph but its last is full.
    const body = lines.filter((l) => PARA.repeat(2).includes(l.replace(/\s+/g, '')) && l.replace(/\s+/g, '').length > 10);
    assert.ok(body.length >= 40, `found ${body.length} body lines`);
    const full = body.filter((l) => !PARA.endsWith(l.replace(/\s+/g, '')));
    const widths = full.map(lineWidth);
    for (const w of widths) assert.ok(w >= 26 && w <= 28, `a full line holds ${w} characters: ${widths.join(',')}`);
    // The first line of a paragraph is indented two characters: 26; the others 28 (27 where a closing mark
    // may not start a line).
    assert.ok(widths.filter((w) => w === 28).length >= full.length / 2, widths.join(','));
  });

  it('sets 22 lines on a page of body text', () => {
    const pages = out['long.docx']!.pages;
    // Page 2 is body text from top to bottom (page 1 carries the title).
    const lines = textLines(pages[1]!);
    assert.equal(lines.length, 22, lines.join('\n'));
  });

  it('letters: 26–28 characters a line, one or two pages, the 落款 on the page of the last paragraph', () => {
    for (const name of ['reply.docx', 'fee.docx']) {
      const { pages } = out[name]!;
      assert.ok(pages.length <= 2, `${name}: ${pages.length} pages`);
      const all = pages.flatMap(textLines);
      const from = all.findIndex((l) => l.startsWith('张三：'));
      const to = all.findLastIndex((l) => l.replace(/\s+/g, '') === base.agency.name);
      assert.ok(from > 0 && to > from, `${name}: addressee and 落款 found`);
      const widths = all.slice(from + 1, to).map(lineWidth);
      assert.ok(Math.max(...widths) <= 28 && Math.max(...widths) >= 26, `${name}: widths ${widths.join(',')}`);
      assert.ok(widths.filter((w) => w >= 26).length >= 4, `${name}: widths ${widths.join(',')}`);
      const signed = pages.find((p) => textLines(p).some((l) => l.replace(/\s+/g, '') === '2026年3月20日'))!;
      const signedLines = textLines(signed).map((l) => l.replace(/\s+/g, ''));
      assert.ok(signedLines.some((l) => /^特此(告知|通知)。$/.test(l)), `${name}: the 落款 page has the last paragraph:\n${signedLines.join('\n')}`);
      assert.equal(signedLines.filter((l) => l === base.agency.name).length, pages.length === 1 ? 2 : 1, `${name}: the agency's name is with the date`);
    }
  });

  it('no page ends with a heading', () => {
    for (const name of ['long.docx', 'tables.docx']) {
      out[name]!.pages.forEach((p, i) => {
        const last = textLines(p).at(-1) ?? '';
        assert.ok(!HEADING.test(last.replace(/\s+/g, '')), `${name} page ${i + 1} ends with the heading ${last}`);
      });
    }
  });

  it('tables are not snapped to a character grid: row labels stay on one line', () => {
    const text = out['tables.docx']!.pages.join('\n').replace(/ +/g, '');
    for (const label of ['行政规范性文件', '行政事业性收费', '一、本年新收政府信息公开申请数量']) assert.ok(text.includes(label), label);
  });
});
