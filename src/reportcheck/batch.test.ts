/**
 * Batch audits: folders and zip archives expanded into documents (sorted, only report kinds), hostile
 * archives refused (too many entries, too large, lying sizes, path tricks), progress reported, the CSVs.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeZip } from '../../test/oversight/zip-writer.js';
import { auditFile } from './audit.js';
import {
  BatchInputError,
  auditBatch,
  expandInputs,
  findingsCsv,
  isReportArchive,
  summaryCsv,
  unsafeEntryName,
  uploadKind,
  uploadedDocuments,
  zipDocuments,
} from './batch.js';
import { readDocx, unzipEntry } from './readers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const ex = (name: string) => join(repoRoot, '..', 'shared', 'examples', 'reports', name);
const HARBIN = readFileSync(ex('harbin-wenguanglv-2022.txt'));
const HUAIAN = readFileSync(ex('huaian-2024.pdf'));
const LONGGANG = readFileSync(ex('longgang-bumen-2024.txt'));

/** Parses our CSV (quoted cells, CRLF rows) after checking the BOM. */
function parseCsv(text: string): string[][] {
  assert.equal(text.charCodeAt(0), 0xfeff, 'starts with a UTF-8 BOM');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  return rows;
}

describe('expandInputs: folders', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongkai-batch-'));
    mkdirSync(join(dir, 'b', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'a'));
    copyFileSync(ex('harbin-wenguanglv-2022.txt'), join(dir, 'b', 'sub', 'harbin.TXT'));
    copyFileSync(ex('longgang-bumen-2024.txt'), join(dir, 'a', 'longgang.txt'));
    copyFileSync(ex('huaian-2024.pdf'), join(dir, 'huaian.pdf'));
    writeFileSync(join(dir, 'notes.md'), '# not a report');
    writeFileSync(join(dir, 'a', 'table.xlsx'), 'x');
    writeFileSync(join(dir, '.hidden.txt'), 'hidden');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the report kinds recursively (extension in any case), sorted by path, skipping others and hidden files', async () => {
    const docs = await expandInputs([dir]);
    assert.deepEqual(
      docs.map((d) => d.name.slice(dir.length + 1).replace(/\\/g, '/')),
      ['a/longgang.txt', 'b/sub/harbin.TXT', 'huaian.pdf'],
    );
    assert.deepEqual(await docs[0]!.load(), LONGGANG);
  });

  it('a plain file is one document whatever its extension; a folder without reports is refused', async () => {
    const docs = await expandInputs([join(dir, 'notes.md')]);
    assert.equal(docs.length, 1);
    const empty = mkdtempSync(join(tmpdir(), 'gongkai-empty-'));
    try {
      await assert.rejects(expandInputs([empty]), (e: Error) => e instanceof BatchInputError && /没有可审核的报告/.test(e.message));
    } finally {
      rmSync(empty, { recursive: true });
    }
    await assert.rejects(expandInputs([join(dir, 'missing.txt')]), /文件不存在/);
  });

  it('audits each document, reporting progress (done, total, file) after each, with the same result as one by one', async () => {
    const docs = await expandInputs([dir]);
    const seen: [number, number, string][] = [];
    const result = await auditBatch(docs, { onProgress: (d, t, f) => seen.push([d, t, f]) });
    assert.deepEqual(seen.map(([d, t]) => `${d}/${t}`), ['1/3', '2/3', '3/3']);
    assert.deepEqual(seen.map(([, , f]) => f), docs.map((d) => d.name));
    assert.equal(result.reports.length, 3);
    const harbin = result.reports[1]!;
    assert.deepEqual(harbin.findings, (await auditFile(join(dir, 'b', 'sub', 'harbin.TXT'))).findings);
    assert.ok(harbin.findings.some((f) => f.severity === 'error' && f.rule === 'prose.sum'));
  });
});

describe('zip archives', () => {
  const zip = writeZip([
    { name: 'reports/harbin-wenguanglv-2022.txt', data: HARBIN },
    { name: 'reports/', data: Buffer.alloc(0), store: true },
    { name: 'reports/huaian-2024.pdf', data: HUAIAN, store: true },
    { name: 'README.md', data: Buffer.from('readme') },
    { name: '__MACOSX/reports/._huaian-2024.pdf', data: Buffer.from('junk') },
    { name: 'a-first/longgang.htm', data: Buffer.from(`<html><body><pre>${LONGGANG.toString('utf8')}</pre></body></html>`) },
  ]);

  it('gives the report entries in name order, named archive/entry, with their exact content', async () => {
    const docs = zipDocuments(zip, '/tmp/x/batch.zip');
    assert.deepEqual(docs.map((d) => d.name), ['batch.zip/a-first/longgang.htm', 'batch.zip/reports/harbin-wenguanglv-2022.txt', 'batch.zip/reports/huaian-2024.pdf']);
    assert.deepEqual(await docs[1]!.load(), HARBIN);
    assert.deepEqual(await docs[2]!.load(), HUAIAN);
  });

  it('audits the examples from the archive: the seed report’s prose error, the huaian tables without errors', async () => {
    const result = await auditBatch(zipDocuments(zip, 'batch.zip'));
    const [, harbin, huaian] = result.reports;
    assert.equal(harbin!.file, 'batch.zip/reports/harbin-wenguanglv-2022.txt');
    assert.ok(harbin!.findings.some((f) => f.rule === 'prose.sum' && f.severity === 'error' && /2696/.test(f.message)));
    assert.equal(huaian!.agency, '淮安市人民政府');
    assert.equal(huaian!.year, 2024);
    assert.deepEqual(huaian!.findings.filter((f) => f.severity === 'error'), []);
    assert.deepEqual(huaian!.requests.new, (await auditFile(ex('huaian-2024.pdf'))).requests.new);
  });

  it('an uploaded zip is an archive of reports, a DOCX is not (even though it is a zip too)', () => {
    const docx = writeZip([{ name: 'word/document.xml', data: Buffer.from('<w:document><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>') }]);
    assert.equal(isReportArchive(zip, 'upload.bin'), true);
    assert.equal(isReportArchive(docx, 'report.docx'), false);
    assert.equal(isReportArchive(docx, 'report'), false);
    assert.equal(readDocx(docx).text.trim(), '正文');
    assert.equal(unzipEntry(docx, 'missing.xml'), null);
    const docs = uploadedDocuments([
      { name: 'a.zip', data: zip },
      { name: 'report.docx', data: docx },
    ]);
    assert.equal(docs.length, 4);
    assert.equal(docs[3]!.name, 'report.docx');
  });

  it('refuses an archive with more entries than allowed (2 000 by default), before reading any', () => {
    const many = writeZip(Array.from({ length: 2001 }, (_, i) => ({ name: `r${i}.txt`, data: Buffer.alloc(0), store: true })));
    assert.throws(() => zipDocuments(many, 'many.zip'), (e: Error) => e instanceof BatchInputError && /条目过多（2001 个，上限 2000 个）/.test(e.message));
    assert.equal(zipDocuments(many, 'many.zip', { maxEntries: 3000, maxTotalBytes: 1 }).length, 2001);
  });

  it('refuses an archive whose reports would expand beyond the size budget (500 MB by default)', () => {
    const bomb = writeZip([{ name: 'bomb.txt', data: Buffer.alloc(10), declaredSize: 600 * 1024 * 1024 }]);
    assert.throws(() => zipDocuments(bomb, 'bomb.zip'), (e: Error) => e instanceof BatchInputError && /超过上限 500 MB/.test(e.message));
    const zeros = writeZip([{ name: 'zeros.txt', data: Buffer.alloc(200_000) }]);
    assert.ok(zeros.length < 1000);
    assert.throws(() => zipDocuments(zeros, 'zeros.zip', { maxEntries: 10, maxTotalBytes: 100_000 }), /疑似压缩炸弹/);
  });

  it('an entry that expands beyond its declared size is stopped at that size and not audited', async () => {
    const liar = writeZip([
      { name: 'liar.txt', data: Buffer.alloc(5_000_000, 0x41), declaredSize: 100 },
      { name: 'ok.txt', data: HARBIN },
    ]);
    const docs = zipDocuments(liar, 'liar.zip');
    await assert.rejects(docs[0]!.load(), /超过声明的大小/);
    const result = await auditBatch(docs);
    assert.equal(result.reports[0]!.findings.length, 1);
    assert.equal(result.reports[0]!.findings[0]!.rule, 'input.bomb');
    assert.equal(result.reports[0]!.findings[0]!.severity, 'error');
    assert.match(result.reports[0]!.findings[0]!.message, /疑似压缩炸弹/);
    assert.ok(result.reports[1]!.findings.some((f) => f.rule === 'prose.sum'));
  });

  it('refuses the whole archive when an entry name is a path trick', () => {
    for (const name of ['../evil.txt', 'a/../../evil.txt', '/etc/evil.txt', 'C:\\evil.txt', 'a\\..\\..\\evil.txt', 'nul\u0000.txt']) {
      assert.equal(unsafeEntryName(name), true, name);
      const z = writeZip([
        { name: 'fine.txt', data: Buffer.from('x') },
        { name, data: Buffer.from('x') },
      ]);
      assert.throws(() => zipDocuments(z, 'trick.zip'), (e: Error) => e instanceof BatchInputError && /不安全的条目名/.test(e.message), name);
    }
    for (const name of ['a/b.txt', '报告/2024年 报告..txt', 'x..y/z.pdf']) assert.equal(unsafeEntryName(name), false, name);
  });

  it('refuses what is not a zip, or a damaged one', () => {
    assert.throws(() => zipDocuments(Buffer.from('PK\u0003\u0004 not really'), 'bad.zip'), BatchInputError);
    const z = writeZip([{ name: 'a.txt', data: HARBIN }]);
    assert.throws(() => zipDocuments(z.subarray(0, z.length - 40), 'cut.zip'), BatchInputError);
  });
});

describe('uploadKind: what an upload is, by content', () => {
  it('PDF, zip, UTF-8 / UTF-16 / GB18030 text and HTML are accepted; binary is not', () => {
    assert.equal(uploadKind(HUAIAN), 'pdf');
    assert.equal(uploadKind(writeZip([{ name: 'a.txt', data: Buffer.from('x') }])), 'zip');
    assert.equal(uploadKind(HARBIN), 'text');
    assert.equal(uploadKind(Buffer.from('<html><body>报告</body></html>')), 'text');
    assert.equal(uploadKind(Buffer.from([0xff, 0xfe, 0x4a, 0x75])), 'text');
    assert.equal(uploadKind(Buffer.from([0x41, 0xd6])), null); // a cut multi-byte character
    assert.equal(uploadKind(Buffer.from([0xb1, 0xa8, 0xb8, 0xe6])), 'text'); // 报告 in GB18030
    assert.equal(uploadKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])), null); // PNG
    assert.equal(uploadKind(Buffer.from('MZ\u0090\u0000\u0003\u0000')), null);
    assert.equal(uploadKind(Buffer.alloc(0)), null);
  });
});

describe('CSV summaries', () => {
  it('summary: a BOM, one row per report with 文件, 机关, 年度, 格式, counts and the first error messages', async () => {
    const result = await auditBatch([
      { name: 'harbin.txt', load: async () => HARBIN },
      { name: '=cmd|"x", y.txt', load: async () => Buffer.from('这不是年度报告。') },
    ]);
    const rows = parseCsv(summaryCsv(result));
    assert.deepEqual(rows[0], ['文件', '机关', '年度', '格式', '错误数', '警告数', '提示数', '主要问题']);
    assert.equal(rows.length, 3);
    const h = result.reports[0]!;
    const errors = h.findings.filter((f) => f.severity === 'error');
    assert.ok(errors.length > 0);
    assert.deepEqual(rows[1]!.slice(0, 7), [
      'harbin.txt',
      h.agency!,
      String(h.year),
      h.format ?? '',
      String(errors.length),
      String(h.findings.filter((f) => f.severity === 'warning').length),
      String(h.findings.filter((f) => f.severity === 'info').length),
    ]);
    assert.equal(h.agency, '哈尔滨市文化广电和旅游局');
    // Up to three error messages, the first of each rule first: the missing table and the prose contradiction.
    assert.ok(rows[1]![7]!.startsWith(errors[0]!.message));
    assert.ok(rows[1]![7]!.includes(errors.find((f) => f.rule === 'prose.sum')!.message));
    assert.ok(rows[1]![7]!.endsWith(`等 ${errors.length} 项错误`));
    // A name that a spreadsheet would run as a formula is defused; quotes and commas survive.
    assert.equal(rows[2]![0], `'=cmd|"x", y.txt`);
    assert.deepEqual(rows[2]!.slice(1, 5), ['', '', '', '0']);
  });

  it('findings: one row per finding with severity in Chinese, rule, message and where', async () => {
    const result = await auditBatch([{ name: 'harbin.txt', load: async () => HARBIN }]);
    const rows = parseCsv(findingsCsv(result));
    assert.deepEqual(rows[0], ['文件', '机关', '年度', '严重程度', '规则', '问题', '位置']);
    const f = result.reports[0]!.findings;
    assert.equal(rows.length, f.length + 1);
    const sum = rows.find((r) => r[4] === 'prose.sum')!;
    assert.equal(sum[3], '错误');
    assert.equal(sum[5], f.find((x) => x.rule === 'prose.sum')!.message);
  });
});
