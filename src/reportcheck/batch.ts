/**
 * Batch audits: many published reports at once — a folder (recursively), a .zip archive, or plain files —
 * each audited with auditBuffer, with progress reported per document; and the CSV summaries of a batch (UTF-8
 * with a BOM so that Excel opens the Chinese correctly). Used by `gongkai check` and the upload page of the
 * oversight workspace.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import type { Severity } from '../law/report-model.js';
import { auditBuffer, type AuditedReport, type AuditResult } from './audit.js';
import { auditAcrossYears } from './years.js';
import { ZipBombError, ZipError, checkEntry, looksLikeZip, zipEntries, zipEntryData, type ZipEntry } from './zip.js';

/** The kinds of file a batch picks up from a folder or an archive. */
export const REPORT_EXTENSIONS = ['.txt', '.htm', '.html', '.pdf', '.docx'] as const;

export interface BatchLimits {
  /** Entries an archive may have (all of them, not only reports). */
  maxEntries: number;
  /** Total uncompressed size of the reports taken from one archive, in bytes. */
  maxTotalBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxEntries: 2000, maxTotalBytes: 500 * 1024 * 1024 };

/** One report of a batch; its content is loaded only when it is audited. */
export interface BatchDocument {
  /** The name shown and put in the Audit JSON's `file` (a path, or `archive.zip/entry`). */
  name: string;
  load(): Promise<Buffer>;
}

/** An input that cannot be taken (a hostile or damaged archive, a folder without reports…); message in Chinese. */
export class BatchInputError extends Error {
  override name = 'BatchInputError';
}

export function isReportName(name: string): boolean {
  return (REPORT_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** Whether a file is a zip archive of reports (not a DOCX, which is a zip too). */
export function isReportArchive(buf: Buffer, name: string): boolean {
  if (!looksLikeZip(buf)) return false;
  if (extname(name).toLowerCase() === '.zip') return true;
  if (extname(name).toLowerCase() === '.docx') return false;
  try {
    return !zipEntries(buf, { maxEntries: DEFAULT_BATCH_LIMITS.maxEntries }).some((e) => e.name === 'word/document.xml');
  } catch {
    return false;
  }
}

/** An entry name that tries to leave the archive or hide (absolute, `..`, drive letters, control characters). */
export function unsafeEntryName(name: string): boolean {
  if (!name || /[\u0000-\u001f\u007f]/.test(name)) return true;
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) return true;
  return n.split('/').some((seg) => seg === '..');
}

/** Entries that archivers add and that are never reports (macOS resource forks, hidden files). */
function junkEntry(name: string): boolean {
  return name.split('/').some((seg) => seg === '__MACOSX' || seg.startsWith('._') || seg === '.DS_Store');
}

/**
 * The reports in a zip archive: entries of the report kinds, in name order. Refuses the whole archive (throws
 * BatchInputError) when it has too many entries, when the reports would expand beyond the size budget, or
 * when an entry name is a path trick.
 */
export function zipDocuments(buf: Buffer, archiveName: string, limits: BatchLimits = DEFAULT_BATCH_LIMITS): BatchDocument[] {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(buf, { maxEntries: limits.maxEntries });
  } catch (e) {
    throw new BatchInputError(`${archiveName}：${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = entries.find((e) => unsafeEntryName(e.name));
  if (bad) throw new BatchInputError(`${archiveName}：压缩包中有不安全的条目名（${JSON.stringify(bad.name)}），已拒绝整个压缩包`);
  const reports = entries.filter((e) => !e.name.endsWith('/') && !junkEntry(e.name) && isReportName(e.name));
  const total = reports.reduce((s, e) => s + e.uncompressedSize, 0);
  if (total > limits.maxTotalBytes) {
    throw new BatchInputError(
      `${archiveName}：压缩包解压后共 ${Math.ceil(total / 1048576)} MB，超过上限 ${Math.floor(limits.maxTotalBytes / 1048576)} MB（疑似压缩炸弹），已拒绝`,
    );
  }
  for (const e of reports) {
    try {
      checkEntry(e);
    } catch (err) {
      throw new BatchInputError(`${archiveName}：${(err as Error).message}，已拒绝整个压缩包`);
    }
  }
  const base = basename(archiveName);
  return reports
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => ({
      name: `${base}/${e.name}`,
      load: async () => {
        try {
          return zipEntryData(buf, e);
        } catch (err) {
          if (err instanceof ZipBombError) throw err;
          throw new BatchInputError(err instanceof ZipError ? err.message : String(err));
        }
      },
    }));
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) await walk(p, out);
    else if (d.isFile() && isReportName(d.name)) out.push(p);
  }
}

/** The reports in a folder and its subfolders (txt, htm, html, pdf, docx), sorted by path. */
export async function folderDocuments(dir: string): Promise<BatchDocument[]> {
  const files: string[] = [];
  await walk(dir, files);
  const key = (p: string) => relative(dir, p).split(/[\\/]/).join('/');
  return files
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map((p) => ({ name: p, load: () => readFile(p) }));
}

/**
 * The documents of a batch from paths: a folder gives its reports, a .zip archive its report entries, any
 * other file is one document (whatever its extension, as `gongkai check FILE` always did). Throws
 * BatchInputError for a missing path, a refused archive, or a folder or archive without reports.
 */
export async function expandInputs(paths: string[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): Promise<BatchDocument[]> {
  const docs: BatchDocument[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new BatchInputError(`文件不存在：${p}`);
    if (s.isDirectory()) {
      const found = await folderDocuments(p);
      if (!found.length) throw new BatchInputError(`文件夹中没有可审核的报告（${REPORT_EXTENSIONS.join(' ')}）：${p}`);
      docs.push(...found);
    } else if (s.isFile()) {
      if (extname(p).toLowerCase() === '.zip') {
        const buf = await readFile(p);
        const found = zipDocuments(buf, p, limits);
        if (!found.length) throw new BatchInputError(`压缩包中没有可审核的报告（${REPORT_EXTENSIONS.join(' ')}）：${p}`);
        docs.push(...found);
      } else docs.push({ name: p, load: () => readFile(p) });
    } else throw new BatchInputError(`不是普通文件或文件夹：${p}`);
  }
  return docs;
}

/** The documents of uploaded files: archives expanded, other files as they are. */
export function uploadedDocuments(files: { name: string; data: Buffer }[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): BatchDocument[] {
  const docs: BatchDocument[] = [];
  for (const f of files) {
    if (isReportArchive(f.data, f.name)) docs.push(...zipDocuments(f.data, f.name, limits));
    else docs.push({ name: f.name, load: async () => f.data });
  }
  return docs;
}

export type BatchProgress = (done: number, total: number, file: string) => void;

/**
 * Audits each document in order with auditBuffer (a document that cannot be loaded becomes a report with an
 * info finding), calling onProgress after each; stops (rejects) when the signal is aborted. Yields to the event loop between documents, so that a server
 * running a batch keeps answering.
 */
export async function auditBatch(
  docs: BatchDocument[],
  opts: { previous?: AuditedReport | null; onProgress?: BatchProgress; signal?: AbortSignal } = {},
): Promise<AuditResult> {
  const reports: AuditedReport[] = [];
  for (const [i, d] of docs.entries()) {
    opts.signal?.throwIfAborted();
    let r: AuditedReport;
    try {
      r = await auditBuffer(await d.load(), d.name, { previous: opts.previous ?? null });
    } catch (e) {
      r = await auditBuffer(Buffer.alloc(0), d.name);
      r.findings = [
        e instanceof ZipBombError
          ? { severity: 'error', rule: 'input.bomb', message: `拒绝读取 ${d.name}：${e.message}`, where: 'file' }
          : { severity: 'info', rule: 'input.unreadable', message: `无法读取 ${d.name}：${e instanceof Error ? e.message : String(e)}`, where: 'file' },
      ];
    }
    reports.push(r);
    opts.onProgress?.(i + 1, docs.length, d.name);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // A folder of years: each report against the same agency's report of the year before (unless --previous).
  if (opts.previous) return { reports };
  return {
    reports: await auditAcrossYears(reports, async (i, previous) => {
      opts.signal?.throwIfAborted();
      try {
        return await auditBuffer(await docs[i].load(), docs[i].name, { previous });
      } catch {
        return reports[i];
      }
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

const BOM = '\ufeff';

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: (string | number | null | undefined)[][]): string {
  return BOM + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function severityCounts(r: AuditedReport): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of r.findings) c[f.severity]++;
  return c;
}

export const SEVERITY_LABELS: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

/** How many error messages the summary quotes per report. */
const MAIN_PROBLEMS = 3;

/**
 * The summary: one row per report (文件, 机关, 年度, 格式, 错误数, 警告数, 提示数, 主要问题: up to three error
 * messages, the first of each rule first, and how many errors there are in all when there are more).
 */
export function summaryCsv(result: AuditResult): string {
  const rows: (string | number | null)[][] = [['文件', '机关', '年度', '格式', '错误数', '警告数', '提示数', '主要问题']];
  for (const r of result.reports) {
    const c = severityCounts(r);
    const errors = r.findings.filter((f) => f.severity === 'error');
    // The first error of each rule first (so that one kind of error does not hide the others), in report order.
    const firstOfRule = errors.filter((f, i) => errors.findIndex((x) => x.rule === f.rule) === i);
    const picked = new Set([...firstOfRule, ...errors].slice(0, MAIN_PROBLEMS));
    const main = errors.filter((f) => picked.has(f)).map((f) => f.message);
    if (errors.length > MAIN_PROBLEMS) main.push(`等 ${errors.length} 项错误`);
    rows.push([r.file, r.agency, r.year, r.format, c.error, c.warning, c.info, main.join('；')]);
  }
  return csv(rows);
}

/** The findings: one row per finding (文件, 机关, 年度, 严重程度, 规则, 问题, 位置). */
export function findingsCsv(result: AuditResult): string {
  const rows: (string | number | null)[][] = [['文件', '机关', '年度', '严重程度', '规则', '问题', '位置']];
  for (const r of result.reports) {
    for (const f of r.findings) rows.push([r.file, r.agency, r.year, SEVERITY_LABELS[f.severity], f.rule, f.message, f.where]);
  }
  return csv(rows);
}

/**
 * What an uploaded file is, by its content (not its name): 'pdf' (%PDF), 'zip' (PK: an archive of reports or a
 * DOCX), 'text' (text or HTML that decodes as UTF-8 — with or without BOM —, UTF-16 with BOM, or GB18030 as
 * many Chinese sites still publish, without control characters); null for anything else.
 */
export function uploadKind(buf: Buffer): 'pdf' | 'zip' | 'text' | null {
  if (buf.length === 0) return null;
  if (buf.subarray(0, 4).toString('latin1') === '%PDF') return 'pdf';
  if (looksLikeZip(buf)) return 'zip';
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return 'text';
  // Control characters other than tab, newlines, form feed and escape mark binary content.
  for (const b of buf.subarray(0, 65536)) if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) return null;
  for (const enc of ['utf-8', 'gb18030']) {
    try {
      new TextDecoder(enc, { fatal: true }).decode(buf);
      return 'text';
    } catch {
      // try the next encoding
    }
  }
  return null;
}
