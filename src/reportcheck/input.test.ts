/**
 * Bad input never crashes the audit (an info finding says what could not be read); the `gongkai check`
 * command's exit codes, JSON and text output; label and heading variants.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { checkCommand } from '../cli/commands/check.js';
import { auditBuffer, auditText, checkReportFiles, formatAuditText } from './audit.js';
import { readReport } from './readers.js';
import { renderSyntheticText, syntheticReport } from './synthetic.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const ex = (name: string) => join(repoRoot, '..', 'shared', 'examples', 'reports', name);
const dir = mkdtempSync(join(tmpdir(), 'gk-check-'));

function blankPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res) => doc.on('end', () => res(Buffer.concat(chunks))));
  doc.rect(50, 50, 200, 100).fill('#333'); // a "scan": graphics only, no text
  doc.end();
  return done;
}

describe('bad input: an info finding, never a crash', () => {
  const only = async (buf: Buffer, name: string) => {
    const r = await auditBuffer(buf, name);
    assert.equal(r.findings.filter((f) => f.severity === 'error').length, 0, JSON.stringify(r.findings));
    assert.ok(r.findings.length >= 1);
    return r.findings.map((f) => f.rule);
  };
  it('an empty file', async () => {
    assert.deepEqual(await only(Buffer.alloc(0), 'empty.txt'), ['input.empty']);
    assert.deepEqual(await only(Buffer.from('   \n\n'), 'blank.txt'), ['input.empty']);
  });
  it('a binary file', async () => {
    const bin = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    assert.deepEqual(await only(bin, 'x.bin'), ['input.unreadable']);
  });
  it('a PDF without a text layer', async () => {
    assert.deepEqual(await only(await blankPdf(), 'scan.pdf'), ['input.no-text-layer']);
  });
  it('a broken PDF and a broken DOCX', async () => {
    assert.deepEqual(await only(Buffer.from('%PDF-1.7\n1 0 obj <<>> garbage'), 'broken.pdf'), ['input.unreadable']);
    assert.deepEqual(await only(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), 'broken.docx'), ['input.unreadable']);
  });
  it('a document of another kind (a notice, the examples README)', async () => {
    assert.deepEqual(
      await only(Buffer.from('关于做好2024年春节假期安全工作的通知\n各单位：\n请做好值班安排。\n'), 'notice.txt'),
      ['input.not-annual-report'],
    );
    const { readFileSync } = await import('node:fs');
    assert.deepEqual(await only(readFileSync(ex('README.md')), 'README.md'), ['input.not-annual-report']);
  });
  it('UTF-8 is read as is, GB18030-encoded text is decoded', async () => {
    const text = renderSyntheticText(syntheticReport(3), 'pipes');
    assert.equal((await readReport(Buffer.from(text), 'utf8.txt')).text, text);
    const gb = Buffer.from('d2bba1a2d7dccce5c7e9bff6', 'hex'); // 一、总体情况 in GB18030
    assert.equal((await readReport(gb, 'gb.txt')).text, '一、总体情况');
  });
});

describe('variants seen in published reports', () => {
  const base = syntheticReport(42);
  const text = renderSyntheticText(base, 'pipes');
  it('half-width punctuation, the older heading of 四, a mistyped label, page furniture inside a table', () => {
    const variant = text
      .replace(/（/g, '(')
      .replace(/）/g, ')')
      .replace('四、政府信息公开行政复议、行政诉讼情况', '四、因政府信息公开工作被申请行政复议提起行政诉讼情况')
      .replace('5.属于三类内部事务信息', '5.属于三类内容事务信息')
      .replace('只计这一情形', '只计这一情况')
      .replace(/(\| 3\.要求提供公开出版物[^\n]*\n)/, '$1- 3 -\n某市某区人民政府2024年政府信息公开工作年度报告\n');
    const r = auditText(variant, 'variant.txt');
    // The mistyped label is read, and said (info); nothing else is found.
    assert.deepEqual(r.findings.map((f) => [f.severity, f.rule, f.where]), [['info', 'table.label-typo', 'requests.withheld.internal_affairs']]);
    assert.match(r.findings[0].message, /5\.属于三类内容事务信息/);
    assert.deepEqual(r.requests, base.requests);
    assert.deepEqual(r.reviews, base.reviews);
  });
  it('a missing section is an error; a 2019 label in a 2021 table is a warning', () => {
    const noFive = text.replace(/五、存在的主要问题及改进情况\n[^\n]*\n/, '');
    const r = auditText(noFive, 'no5.txt');
    assert.deepEqual(r.findings.map((f) => [f.severity, f.rule, f.where]), [['error', 'structure.missing-section', 'sections.problems']]);
    const old = auditText(text.replace('行政规范性文件', '规范性文件'), 'old.txt');
    assert.deepEqual(old.findings.map((f) => [f.severity, f.rule]), [['warning', 'format.version-labels']]);
    assert.match(old.findings[0].message, /规范性文件/);
  });
  it('a 2024 report in the 2019 trial format is a warning', () => {
    const r2019 = syntheticReport(8, { format: '2019', year: 2024 });
    const r = auditText(renderSyntheticText(r2019, 'pipes'), '2019.txt');
    assert.equal(r.format, '2019');
    assert.deepEqual(r.findings.map((f) => [f.severity, f.rule]), [['warning', 'format.version']]);
  });
  it('prose contradicting table 三 is an error quoting both numbers', () => {
    const n = base.requests.new.total;
    const r = auditText(text.replace(`共收到政府信息公开申请${n}件`, `共收到政府信息公开申请${n + 5}件`), 'prose.txt');
    const f = r.findings.find((x) => x.rule === 'prose.requests-received');
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.match(f.message, new RegExp(`${n + 5} 件.*总计为 ${n}`));
  });
  it('a percentage that does not match its counts is a warning; a truncated one is not', () => {
    const withSentence = (x: string) => text.replace('一、总体情况\n', `一、总体情况\n${x}\n`);
    const r = auditText(withSentence('全年共办理答复事项3件，其中当场答复1件，占66.7%。'), 'pct.txt');
    const f = r.findings.filter((x) => x.rule === 'prose.percentage');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    const ok = auditText(withSentence('全年共办理答复事项3件，其中当场答复1件，占33.3%。'), 'pct.txt');
    assert.ok(!ok.findings.some((x) => x.rule === 'prose.percentage'));
    const trunc = auditText(withSentence('全年共办理答复事项3件，其中当场答复2件，占66.6%。'), 'pct.txt');
    assert.ok(!trunc.findings.some((f) => f.rule === 'prose.percentage'));
  });
  it('a township reporting 规章 is a warning', () => {
    const r = syntheticReport(9, { name: '某县某镇人民政府' });
    r.proactive.rules = { issued: 1, abolished: 0, inForce: 1 };
    const got = auditText(renderSyntheticText(r, 'pipes'), 'town.txt');
    assert.deepEqual([...new Set(got.findings.map((f) => f.rule))], ['agency-kind.category']);
  });
});

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  const log = console.log;
  const error = console.error;
  // Only strings: the test runner's own protocol goes through the same stream as buffers.
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) =>
    typeof s === 'string' ? (out.push(s), true) : w(s, ...rest)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) =>
    typeof s === 'string' ? (err.push(s), true) : e(s, ...rest)) as typeof process.stderr.write;
  console.log = (...a: unknown[]) => out.push(a.join(' ') + '\n');
  console.error = (...a: unknown[]) => err.push(a.join(' ') + '\n');
  try {
    return { code: await fn(), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w;
    process.stderr.write = e;
    console.log = log;
    console.error = error;
  }
}

describe('gongkai check', () => {
  it('exits 0 on a consistent report and 1 when an error is found', async () => {
    assert.equal((await capture(() => checkCommand([ex('pingtan-2021.txt')]))).code, 0);
    const bad = await capture(() => checkCommand([ex('pingtan-2021.txt'), ex('harbin-wenguanglv-2022.txt')]));
    assert.equal(bad.code, 1);
    assert.match(bad.out, /错误/);
    assert.match(bad.out, /2696/);
  });
  it('--json prints the contract\'s Audit JSON', async () => {
    const { code, out } = await capture(() => checkCommand(['--json', ex('huaian-2024.pdf'), ex('harbin-wenguanglv-2022.txt')]));
    assert.equal(code, 1);
    const json = JSON.parse(out) as { reports: Record<string, unknown>[] };
    assert.equal(json.reports.length, 2);
    const [h, hb] = json.reports;
    for (const r of json.reports) {
      for (const k of ['file', 'agency', 'year', 'format', 'proactive', 'requests', 'reviews', 'findings']) assert.ok(k in r, k);
    }
    assert.equal(h.agency, '淮安市人民政府');
    assert.equal(h.year, 2024);
    assert.equal(h.format, '2021');
    assert.equal((h.requests as Record<string, Record<string, number>>).new.total, 3119);
    assert.deepEqual(h.findings, []);
    // The contract's keys, plus `places` (issue 17: where the quoted words are in the document's text).
    for (const f of hb.findings as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(f).filter((k) => k !== 'places').sort(), ['message', 'rule', 'severity', 'where']);
      for (const p of (f.places ?? []) as Record<string, unknown>[]) assert.deepEqual(Object.keys(p).sort(), ['column', 'line', 'offset', 'quote']);
    }
    const placed = (hb.findings as { places?: { line: number }[] }[]).filter((f) => f.places?.length);
    assert.ok(placed.length >= 4, 'the three missing tables and the prose sum are located');
    assert.equal((hb.requests as Record<string, Record<string, null>>).new.total, null);
  });
  it('bad usage exits 2 with a Chinese message', async () => {
    const none = await capture(() => checkCommand([]));
    assert.equal(none.code, 2);
    assert.match(none.err, /缺少要审核的文件/);
    const unknown = await capture(() => checkCommand(['--nope', ex('pingtan-2021.txt')]));
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /未知选项/);
    const missing = await capture(() => checkCommand([join(dir, 'no-such-file.txt')]));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /文件不存在/);
  });
  it('--previous: a carried-over count that is not last year\'s carried-forward is a warning', async () => {
    const prev = syntheticReport(77, { year: 2023 });
    const cur = syntheticReport(78, { year: 2024 });
    const p = join(dir, 'prev.txt');
    const c = join(dir, 'cur.txt');
    writeFileSync(p, renderSyntheticText(prev, 'pipes'));
    writeFileSync(c, renderSyntheticText(cur, 'pipes'));
    const res = await checkReportFiles([c], { previous: p });
    const cols = ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_org', 'legal_service_org', 'other_org', 'total'] as const;
    const differs = cols.some((k) => cur.requests.carriedOver[k] !== prev.requests.carriedForward[k]);
    assert.ok(differs);
    assert.equal(res.reports[0].findings.some((f) => f.rule === 'requests.carried-over-continuity' && f.severity === 'warning'), differs);
    assert.equal(res.reports[0].findings.filter((f) => f.severity === 'error').length, 0);
    assert.match(formatAuditText(res), /共审核 1 份报告/);
  });
});
