import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mammoth from 'mammoth';
import { parse } from 'node-html-parser';
import { REQUESTS_CORNER_NOTE, RESULTS_LABEL } from '../law/report-format.js';
import { renderReportDocx } from './report-docx.js';
import { sampleReport } from './sample-report.js';
import { allReportLabels } from './test-helpers.js';
import { readZip, xmlText } from './zip-reader.js';

const twip = (mm: number) => Math.round((mm * 1440) / 25.4);

describe('renderReportDocx', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`is a DOCX package with every label (${format})`, async () => {
      const buf = await renderReportDocx(sampleReport(21, { format }), { dateLine: '2026年1月20日' });
      const zip = readZip(buf);
      for (const part of ['[Content_Types].xml', 'word/document.xml', 'word/styles.xml', 'word/fontTable.xml'])
        assert.ok(zip.has(part), part);
      const xml = zip.get('word/document.xml')!.toString('utf8');
      const texts = xmlText(xml);
      for (const label of allReportLabels(format)) assert.ok(texts.includes(label), `missing ${label}`);
      assert.ok(texts.includes('哈尔滨市司法局'));
      assert.ok(texts.includes('2025年政府信息公开工作年度报告'));
    });
  }

  it('lays out the page in 公文格式', async () => {
    const zip = readZip(await renderReportDocx(sampleReport(22)));
    const xml = zip.get('word/document.xml')!.toString('utf8');
    assert.match(xml, new RegExp(`<w:pgMar w:top="${twip(37)}" w:right="${twip(26)}" w:bottom="${twip(35)}" w:left="${twip(28)}"`));
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/);
    // The line grid only, and characters closed up by 0.25 pt: 28 a line in Word, WPS and LibreOffice alike
    // (LibreOffice read the character grid of linesAndChars as about 14 a line; office-layout.test.ts).
    assert.match(xml, /<w:docGrid w:type="lines" w:linePitch="579"/);
    assert.doesNotMatch(xml, /linesAndChars|w:charSpace/);
    assert.match(xml, /<w:spacing w:val="-5"\/>/);
    assert.match(xml, /w:eastAsia="方正小标宋简体"[^>]*\/>(?:<[^>]+>)*<w:sz w:val="44"\/>/);
    assert.match(xml, /w:eastAsia="仿宋_GB2312"/);
    assert.match(xml, /w:eastAsia="黑体"/);
    const fonts = zip.get('word/fontTable.xml')!.toString('utf8');
    assert.match(fonts, /<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
    assert.match(fonts, /<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    const footers = [...zip.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map((k) => zip.get(k)!.toString('utf8'));
    assert.equal(footers.length, 2);
    for (const f of footers) {
      assert.match(f, /— /);
      assert.match(f, /PAGE/);
    }
    assert.ok(zip.get('word/settings.xml')!.toString('utf8').includes('evenAndOddHeaders'));
  });

  it('sets first-level headings in 黑体 and second-level ones in 楷体 (GB/T 9704 7.3.3)', async () => {
    const report = sampleReport(24);
    report.narrative.overview = ['总述。', '（一）主动公开情况', '本年主动公开。'].join('\n');
    const xml = readZip(await renderReportDocx(report)).get('word/document.xml')!.toString('utf8');
    const runOf = (text: string) => {
      const i = xml.indexOf(`>${text}</w:t>`);
      assert.ok(i > 0, text);
      return xml.slice(xml.lastIndexOf('<w:p>', i), i);
    };
    assert.match(runOf('一、总体情况'), /w:eastAsia="黑体"/);
    assert.match(runOf('一、总体情况'), /<w:keepNext\/>/);
    assert.match(runOf('（一）主动公开情况'), /w:eastAsia="楷体_GB2312"/);
    assert.match(runOf('（一）主动公开情况'), /<w:keepNext\/>/);
    assert.match(runOf('本年主动公开。'), /w:eastAsia="仿宋_GB2312"/);
    const fonts = readZip(await renderReportDocx(report)).get('word/fontTable.xml')!.toString('utf8');
    assert.match(fonts, /<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"\/>/);
  });

  it('merges the cells of table 三 as the format does (read back with mammoth)', async () => {
    const buf = await renderReportDocx(sampleReport(23));
    const html = (await mammoth.convertToHtml({ buffer: buf })).value;
    const tables = parse(html).querySelectorAll('table');
    assert.equal(tables.length, 3);
    const t = tables[1];
    const find = (text: string) => t.querySelectorAll('th,td').find((c) => c.text === text);
    const spans = (text: string) => {
      const c = find(text);
      assert.ok(c, text);
      return [Number(c.getAttribute('rowspan') ?? 1), Number(c.getAttribute('colspan') ?? 1)];
    };
    assert.deepEqual(spans(REQUESTS_CORNER_NOTE), [3, 3]);
    assert.deepEqual(spans('申请人情况'), [1, 7]);
    assert.deepEqual(spans('自然人'), [2, 1]);
    assert.deepEqual(spans('法人或其他组织'), [1, 5]);
    assert.deepEqual(spans(RESULTS_LABEL), [22, 1]);
    assert.deepEqual(spans('（三）不予公开'), [8, 1]);
    assert.deepEqual(spans('（六）其他处理'), [3, 1]);
    assert.deepEqual(spans('（七）总计'), [1, 2]);
    const four = tables[2];
    const f = (text: string) => four.querySelectorAll('th,td').find((c) => c.text === text)!;
    assert.equal(f('行政复议').getAttribute('colspan'), '5');
    assert.equal(f('行政诉讼').getAttribute('colspan'), '10');
  });
});
