/**
 * Decompression bombs and pathological files, read the way an upload or `gongkai check` reads them: refused by
 * their declared sizes before anything is inflated, or stopped at a ceiling when they lie; and the worker that
 * reads uploads dies alone when a file needs more memory than it is given.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { deflateBomb, writeZip } from '../../test/oversight/zip-writer.js';
import { auditUploadsIsolated } from './isolated.js';
import { readReport } from './readers.js';
import { ZipBombError, unzipEntry, zipEntries } from './zip.js';

const HARBIN = readFileSync(fileURLToPath(new URL('../../../shared/examples/reports/harbin-wenguanglv-2022.txt', import.meta.url)));
const MiB = 1024 * 1024;
const docx = (xml: { data?: Buffer; deflated?: Buffer; declaredSize?: number }) =>
  writeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/document.xml', data: xml.data ?? Buffer.alloc(0), ...xml }]);

/** A one-page PDF whose content stream (FlateDecode) inflates to `size` bytes of spaces. */
function pdfWithStream(content: Buffer): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let len = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    len += b.length;
  };
  objs.forEach((o, i) => {
    offsets.push(len);
    push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`));
  });
  offsets.push(len);
  push(Buffer.from(`4 0 obj\n<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`));
  push(content);
  push(Buffer.from('\nendstream\nendobj\n'));
  const xref = len;
  push(Buffer.from(`xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(parts);
}

describe('archives are bounded: entry count, per-entry size, ratio, lying sizes', () => {
  it('a DOCX whose document.xml declares 1 GiB is refused before inflating (error finding, not an unreadable-file note)', async () => {
    const t0 = performance.now();
    const doc = await readReport(docx({ deflated: deflateBomb(1024 * MiB), declaredSize: 1024 * MiB }), 'r.docx');
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(doc.findings.map((f) => [f.severity, f.rule]), [['error', 'input.bomb']]);
    assert.match(doc.findings[0]!.message, /条目解压后 1024 MB，超过单个条目 32 MB 的上限（疑似压缩炸弹）：word\/document\.xml/);
  });

  it('a small entry that is too compressed (8 MiB of spaces in ≈ 8 KB: ratio ≈ 1000) is refused by its ratio', async () => {
    const doc = await readReport(docx({ deflated: deflateBomb(8 * MiB), declaredSize: 8 * MiB }), 'r.docx');
    assert.equal(doc.findings[0]!.rule, 'input.bomb');
    assert.match(doc.findings[0]!.message, /压缩比为 \d+ 倍，超过 200 倍的上限/);
  });

  it('an entry that lies (declares 2 MiB, inflates to 64 MiB) is stopped at its declared size', async () => {
    const doc = await readReport(docx({ deflated: deflateBomb(64 * MiB), declaredSize: 2 * MiB }), 'r.docx');
    assert.equal(doc.findings[0]!.rule, 'input.bomb');
    assert.match(doc.findings[0]!.message, /超过声明的大小/);
  });

  it('an archive with more entries than allowed is refused before its directory is read', () => {
    const many = writeZip(Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x'), store: true })));
    assert.throws(() => zipEntries(many), (e: Error) => e instanceof ZipBombError && /条目过多（2001 个，上限 2000 个）/.test(e.message));
    assert.throws(() => unzipEntry(many, 'f1.txt', { maxEntries: 100, maxEntryBytes: MiB, maxRatio: 200, ratioFloorBytes: MiB }), /上限 100 个/);
  });

  it('an ordinary DOCX of ordinary compression is still read', async () => {
    // 20 000 paragraphs that differ as a report's lines do (numbers, rows): ≈ 2 MB of XML, compressed ≈ 20 times.
    const paras = Array.from({ length: 20000 }, (_, i) => `<w:p w:rsidR="${(i * 2654435761) >>> 0}"><w:r><w:t>第${i}行：本年度共收到政府信息公开申请 ${(i * 7919) % 10007} 件。</w:t></w:r></w:p>`);
    const xml = Buffer.from(`<w:document><w:body>${paras.join('')}</w:body></w:document>`);
    const doc = await readReport(docx({ data: xml }), 'r.docx');
    assert.deepEqual(doc.findings, []);
    assert.match(doc.text, /第19999行：本年度共收到政府信息公开申请 \d+ 件。/);
  });

  it('a PDF whose content stream inflates beyond 64 MiB is refused (error finding), not inflated by pdfjs itself', async () => {
    const stream = deflateSync(Buffer.alloc(80 * MiB, 0x20), { level: 9 });
    const t0 = performance.now();
    const doc = await readReport(pdfWithStream(stream), 'r.pdf');
    assert.deepEqual(doc.findings.map((f) => [f.severity, f.rule]), [['error', 'input.bomb']], JSON.stringify(doc.findings));
    assert.match(doc.findings[0]!.message, /超过 64 MB 的数据流（疑似压缩炸弹）/);
    assert.ok(performance.now() - t0 < 10_000);
    const fine = await readReport(pdfWithStream(deflateSync(Buffer.from('BT /F1 12 Tf 72 712 Td (Hello) Tj ET'))), 'ok.pdf');
    assert.ok(!fine.findings.some((f) => f.rule === 'input.bomb'));
  });
});

describe('uploads are read in a worker process with memory and time limits', () => {
  it('a file that needs more than the worker’s heap kills only the worker: an error finding for it, the next file audited', async () => {
    const huge = Buffer.from(`<html><body>${'<p><b>一</b></p>'.repeat(4_000_000)}</body></html>`);
    const progress: string[] = [];
    const r = await auditUploadsIsolated(
      [
        { name: 'huge.html', data: huge },
        { name: 'harbin.txt', data: HARBIN },
      ],
      null,
      { limits: { maxHeapMb: 64, documentTimeoutMs: 60_000 }, onProgress: (done, total, file) => progress.push(`${done}/${total} ${file}`) },
    );
    assert.deepEqual(r.reports[0]!.findings.map((f) => [f.severity, f.rule]), [['error', 'input.limits']]);
    assert.match(r.reports[0]!.findings[0]!.message, /huge\.html：读取该文件所需内存超过 64 MB 的上限/);
    assert.equal(r.reports[1]!.agency, '哈尔滨市文化广电和旅游局');
    assert.deepEqual(progress, ['1/2 huge.html', '2/2 harbin.txt']);
  });

  it('a file that takes longer than the time limit is stopped with an error finding', async () => {
    const r = await auditUploadsIsolated([{ name: 'slow.txt', data: HARBIN }], null, { limits: { maxHeapMb: 256, documentTimeoutMs: 1 } });
    assert.equal(r.reports[0]!.findings[0]!.rule, 'input.limits');
    assert.match(r.reports[0]!.findings[0]!.message, /超过 0 秒的时限/);
  });
});
