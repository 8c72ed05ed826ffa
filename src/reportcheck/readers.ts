/**
 * Reading a published report into text: plain text (UTF-8, or GB18030 as many Chinese sites still
 * publish), HTML (node-html-parser; tables as one line per row, cells between pipes), PDF (the text layer,
 * pdfjs-dist legacy build with a text-only worker in this thread: no worker thread, no network, no font
 * fetching; items grouped into lines by position, numbers placed under their column headers) and DOCX
 * (word/document.xml read from the zip; tables as one line per row, cells between pipes). Each reader takes a Buffer and a file name so that an upload page can reuse it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { runInThisContext } from 'node:vm';
import { readFileSync } from 'node:fs';
import { DEFAULT_ZIP_LIMITS, ZipBombError, unzipEntry, type ZipLimits } from './zip.js';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../law/report-model.js';
import { HTMLElement, Node as HtmlNode, TextNode, parse as parseHtml } from 'node-html-parser';

export type SourceKind = 'txt' | 'html' | 'pdf' | 'docx';

export interface ReadDocument {
  kind: SourceKind | null;
  text: string;
  /** What could not be read (severity info). */
  findings: Finding[];
  pages?: number;
}

const unreadable = (kind: SourceKind | null, rule: string, message: string): ReadDocument => ({
  kind,
  text: '',
  findings: [{ severity: 'info', rule, message, where: 'file' }],
});

export function detectKind(buf: Buffer, fileName: string): SourceKind | 'binary' {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'docx';
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'docx') return 'docx';
  const head = buf.subarray(0, 4096);
  let control = 0;
  for (const b of head) if (b === 0 || (b < 9 && b !== 0) || (b > 13 && b < 32 && b !== 27)) control++;
  if (head.length > 0 && control / head.length > 0.02) return 'binary';
  if (ext === 'html' || ext === 'htm' || ext === 'shtml' || ext === 'xhtml') return 'html';
  const start = head.toString('utf8').trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || (start.startsWith('<') && /<(table|body|div|p)\b/.test(start))) {
    return 'html';
  }
  return 'txt';
}

/** Decodes text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 when UTF-8 does not fit. */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    try {
      return new TextDecoder('gb18030').decode(buf);
    } catch {
      return new TextDecoder('utf-8').decode(buf);
    }
  }
}

/** Reads any supported file into text. Never throws: what cannot be read is an info finding. */
export async function readReport(buf: Buffer, fileName: string): Promise<ReadDocument> {
  if (buf.length === 0) return unreadable(null, 'input.empty', `文件为空：${fileName}`);
  const kind = detectKind(buf, fileName);
  try {
    switch (kind) {
      case 'pdf':
        return await readPdf(buf);
      case 'docx':
        return readDocx(buf);
      case 'html':
        return { kind, text: htmlToText(decodeText(buf)), findings: [] };
      case 'txt':
        return { kind, text: decodeText(buf), findings: [] };
      default:
        return unreadable(null, 'input.unreadable', `无法识别的文件（二进制内容，不是文本、HTML、PDF 或 DOCX）：${fileName}`);
    }
  } catch (e) {
    if (e instanceof ZipBombError || e instanceof PdfBombError) {
      // Not a report that could not be read but a hostile file: an error, so that `gongkai check` exits non-zero.
      return {
        kind: kind === 'binary' ? null : kind,
        text: '',
        findings: [{ severity: 'error', rule: 'input.bomb', message: `拒绝读取文件 ${fileName}：${e.message}`, where: 'file' }],
      };
    }
    return unreadable(
      kind === 'binary' ? null : kind,
      'input.unreadable',
      `无法读取文件 ${fileName}（${kind.toUpperCase()}）：${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// HTML

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'hr', 'form', 'fieldset', 'address', 'figure', 'caption',
  'title',
]);
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);

function cellText(el: HTMLElement): string {
  const parts: string[] = [];
  walkHtml(el, parts);
  return parts.join('').replace(/\s+/g, ' ').replace(/\|/g, '｜').trim();
}

function tableText(table: HTMLElement): string {
  const lines: string[] = [];
  const rows = table.querySelectorAll('tr').filter((tr) => closestTable(tr) === table);
  for (const tr of rows) {
    const cells = tr.childNodes.filter(
      (n): n is HTMLElement => n instanceof HTMLElement && (n.rawTagName?.toLowerCase() === 'td' || n.rawTagName?.toLowerCase() === 'th'),
    );
    lines.push(`| ${cells.map(cellText).join(' | ')} |`);
  }
  return `\n${lines.join('\n')}\n`;
}

function closestTable(el: HTMLElement): HTMLElement | null {
  let p = el.parentNode as HTMLElement | null;
  while (p && p.rawTagName?.toLowerCase() !== 'table') p = p.parentNode as HTMLElement | null;
  return p;
}

function walkHtml(node: HtmlNode, out: string[]): void {
  for (const child of node.childNodes) {
    if (child instanceof TextNode) {
      out.push(child.text);
      continue;
    }
    if (!(child instanceof HTMLElement)) continue;
    const tag = child.rawTagName?.toLowerCase() ?? '';
    if (SKIP_TAGS.has(tag)) continue;
    if (tag === 'br') {
      out.push('\n');
      continue;
    }
    if (tag === 'table') {
      out.push(tableText(child));
      continue;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) out.push('\n');
    walkHtml(child, out);
    if (block) out.push('\n');
  }
}

/** HTML to text: blocks as lines, each table row as one line of cells between pipes. */
export function htmlToText(html: string): string {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const out: string[] = [];
  walkHtml(root, out);
  return out
    .join('')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// PDF

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfWorker = InstanceType<PdfJs['PDFWorker']>;
interface WorkerMessageHandler {
  initializeFromPort(port: unknown): void;
}

const require = createRequire(import.meta.url);
let pdfjsDir: string | null = null;
function pdfjsAssets(): { cMapUrl: string; standardFontDataUrl: string } {
  pdfjsDir ??= dirname(require.resolve('pdfjs-dist/package.json'));
  return { cMapUrl: join(pdfjsDir, 'cmaps') + '/', standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/' };
}

/**
 * Built-in functions that the legacy build's core-js polyfills replace, for the whole process, with slower
 * JavaScript versions when pdfjs is loaded (Array.prototype.push, JSON.parse, JSON.stringify,
 * Function.prototype.toString: JSON is about 3× slower afterwards, in the web server too). pdfjs does not need
 * the replacements (they fix corner cases such as arrays longer than 2³² − 1), so the natives are put back;
 * what the polyfills add (Promise.withResolvers, Map.prototype.getOrInsertComputed, …) stays.
 */
const GUARDED_BUILTINS: object[] = [
  Array.prototype,
  Array,
  JSON,
  Function.prototype,
  Object,
  Object.prototype,
  String.prototype,
  Number,
  Promise,
  Promise.prototype,
  Map.prototype,
  Set.prototype,
  RegExp.prototype,
  Math,
];

function snapshotBuiltins(): Map<object, Map<PropertyKey, PropertyDescriptor>> {
  const snap = new Map<object, Map<PropertyKey, PropertyDescriptor>>();
  for (const o of GUARDED_BUILTINS) {
    const props = new Map<PropertyKey, PropertyDescriptor>();
    for (const k of Reflect.ownKeys(o)) props.set(k, Object.getOwnPropertyDescriptor(o, k) as PropertyDescriptor);
    snap.set(o, props);
  }
  return snap;
}

function restoreBuiltins(snap: Map<object, Map<PropertyKey, PropertyDescriptor>>): void {
  for (const [o, props] of snap) {
    for (const [k, before] of props) {
      const now = Object.getOwnPropertyDescriptor(o, k);
      if (!now || now.value === before.value) continue;
      if (typeof before.value !== 'function') continue;
      try {
        Object.defineProperty(o, k, before);
      } catch {
        // A non-configurable property that a polyfill could not have replaced either.
      }
    }
  }
}

/**
 * pdfjs's worker code, run in this thread, with two changes for text extraction (the PDF reader only asks for
 * text content; nothing is rendered):
 * - The embedded program of a composite (Type0) font that has a ToUnicode map is not parsed. Such a font's
 *   text comes from its ToUnicode map and its widths from /W and /DW, never from the program (pdfjs consults
 *   the program for characters only when there is no ToUnicode map, or for simple fonts: those are still
 *   parsed). Chinese reports set their text in such fonts (Word, WPS, pdfkit: Identity-H subsets), and
 *   parsing and repairing the embedded TrueType/CFF subsets was about 40 % of the time of reading one.
 * - A text state saved by `q` is copied flat (same own properties, same prototype) instead of being
 *   chained onto the saved state with Object.create(this), which turned every saved state into a prototype
 *   and was 15 % of the remaining time.
 * The worker's `globalThis.pdfjsWorker` registration is dropped, so that nothing else in the process picks up
 * this worker. If the pdfjs-dist source (pinned ~5.6.205) does not have the expected lines, the stock
 * worker is used: slower, same text.
 */
const FONT_FILE_LINE = 'return new Font(fontName.name, fontFile, newProperties, this.options);';
const TEXT_ONLY_FONT_FILE_LINE =
  'return new Font(fontName.name, composite && newProperties.hasIncludedToUnicodeMap ? null : fontFile, newProperties, this.options);';
const TEXT_STATE_CLONE = 'const clone = Object.assign(Object.create(this), this);\n    clone.textMatrix = this.textMatrix.slice();';
const FLAT_TEXT_STATE_CLONE = 'const clone = Object.assign(Object.create(Object.getPrototypeOf(this)), this);\n    clone.textMatrix = this.textMatrix.slice();';
const GLOBAL_REGISTRATION = /globalThis\.pdfjsWorker = \{\s*WorkerMessageHandler: WorkerMessageHandler\s*\};/;
const EXPORT_LINE = 'export { WorkerMessageHandler };';

/**
 * pdfjs decompresses Flate streams with the web DecompressionStream (Node's zlib behind web streams: a
 * dozen promises and stream objects per content stream). In the worker it sees this instead: the same
 * contract, one synchronous zlib call when the writer closes. An error (a damaged stream) rejects as the
 * web stream does, and pdfjs then decodes with its own tolerant inflater. A stream that would inflate beyond
 * PDF_STREAM_MAX_BYTES is a bomb: it is not inflated further and not handed to pdfjs's own inflater (which has no
 * ceiling): pdfjs gets an empty stream, and readPdf refuses the file (PdfBombError).
 */
export const PDF_STREAM_MAX_BYTES = 64 * 1024 * 1024;

/** A PDF refused as a decompression bomb. */
export class PdfBombError extends Error {
  override name = 'PdfBombError';
}

/** Streams cut at the ceiling so far (readPdf compares before and after: documents are read one at a time). */
let pdfBombs = 0;

class InflateStream {
  readonly readable: AsyncIterable<Uint8Array>;
  readonly writable: { getWriter(): { ready: Promise<void>; write(c: Uint8Array): Promise<void>; close(): Promise<void> } };
  constructor(format: string) {
    const chunks: Uint8Array[] = [];
    let settle!: (r: { data?: Uint8Array; error?: unknown }) => void;
    const result = new Promise<{ data?: Uint8Array; error?: unknown }>((resolve) => (settle = resolve));
    const max = { maxOutputLength: PDF_STREAM_MAX_BYTES };
    const inflate = (b: Buffer): Buffer =>
      format === 'deflate'
        ? inflateSync(b, max)
        : format === 'deflate-raw'
          ? inflateRawSync(b, max)
          : format === 'gzip'
            ? gunzipSync(b, max)
            : format === 'brotli'
              ? brotliDecompressSync(b, max)
              : (() => {
                  throw new TypeError(`unsupported format ${format}`);
                })();
    const writer = {
      ready: Promise.resolve(),
      write: (c: Uint8Array) => {
        chunks.push(c);
        return Promise.resolve();
      },
      close: () => {
        try {
          const out = inflate(chunks.length === 1 ? Buffer.from(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength) : Buffer.concat(chunks));
          settle({ data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
        } catch (error) {
          if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
            pdfBombs++;
            settle({ data: new Uint8Array(0) });
          } else settle({ error });
        }
        return Promise.resolve();
      },
    };
    this.writable = { getWriter: () => writer };
    this.readable = {
      async *[Symbol.asyncIterator]() {
        const r = await result;
        if (r.error !== undefined) throw r.error;
        if (r.data) yield r.data;
      },
    };
  }
}

let textOnlyWorker = false;

async function textOnlyWorkerHandler(): Promise<WorkerMessageHandler> {
  const file = require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
  try {
    const src = readFileSync(file, 'utf8');
    const dynamicImports = src.match(/\bawait import\(/g)?.length ?? 0;
    if (
      src.split(FONT_FILE_LINE).length !== 2 ||
      src.split(TEXT_STATE_CLONE).length !== 2 ||
      src.split(EXPORT_LINE).length !== 2 ||
      !GLOBAL_REGISTRATION.test(src) ||
      /^\s*import[\s{*]/m.test(src) ||
      (src.match(/\bimport\(/g)?.length ?? 0) !== dynamicImports
    ) {
      throw new Error('unexpected pdfjs worker source');
    }
    // The module as a function (same lines, so stack traces point into the real file): its export returned,
    // import.meta.url and dynamic import() supplied.
    const body = src
      .replace(FONT_FILE_LINE, TEXT_ONLY_FONT_FILE_LINE)
      .replace(TEXT_STATE_CLONE, FLAT_TEXT_STATE_CLONE)
      .replace(GLOBAL_REGISTRATION, '')
      .replace(EXPORT_LINE, 'return { WorkerMessageHandler };')
      .replace(/\bimport\.meta\.url\b/g, '__gongkaiModuleUrl')
      .replace(/\bawait import\(/g, 'await __gongkaiImport(')
      .replace(/^\/\/# sourceMappingURL=.*$/m, '');
    const make = runInThisContext(
      `(function (__gongkaiModuleUrl, __gongkaiImport, DecompressionStream) { "use strict"; ${body}\n})`,
      { filename: file },
    ) as (url: string, imp: (s: string) => Promise<unknown>, ds: unknown) => { WorkerMessageHandler: WorkerMessageHandler };
    const handler = make(pathToFileURL(file).href, (s) => import(s), InflateStream).WorkerMessageHandler;
    textOnlyWorker = true;
    return handler;
  } catch {
    const mod = (await import(pathToFileURL(file).href)) as { WorkerMessageHandler: WorkerMessageHandler };
    return mod.WorkerMessageHandler;
  }
}

/** Both ends of an in-thread worker connection (as pdfjs's own fake worker: messages are cloned). */
class LoopbackPort {
  #listeners = new Set<(event: { data: unknown }) => void>();
  #deferred = Promise.resolve();
  postMessage(data: unknown, transfer?: Transferable[]): void {
    const event = { data: structuredClone(data, transfer ? { transfer } : undefined) };
    void this.#deferred.then(() => {
      for (const l of this.#listeners) l.call(this, event);
    });
  }
  addEventListener(_name: string, listener: (event: { data: unknown }) => void, options?: { signal?: AbortSignal }): void {
    this.#listeners.add(listener);
    options?.signal?.addEventListener('abort', () => this.#listeners.delete(listener), { once: true });
  }
  removeEventListener(_name: string, listener: (event: { data: unknown }) => void): void {
    this.#listeners.delete(listener);
  }
  terminate(): void {
    this.#listeners.clear();
  }
}

/** pdfjs, loaded once, and one in-thread worker (the text-only worker above) shared by every document. */
let pdfRuntime: Promise<{ lib: PdfJs; worker: PdfWorker }> | null = null;
function pdfjs(): Promise<{ lib: PdfJs; worker: PdfWorker }> {
  pdfRuntime ??= (async () => {
    const builtins = snapshotBuiltins();
    try {
      const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const handler = await textOnlyWorkerHandler();
      const port = new LoopbackPort();
      handler.initializeFromPort(port);
      const worker = lib.PDFWorker.create({ name: 'gongkai-reportcheck', port: port as unknown as Worker, verbosity: 0 });
      await worker.promise;
      return { lib, worker };
    } finally {
      restoreBuiltins(builtins);
    }
  })();
  pdfRuntime.catch(() => (pdfRuntime = null));
  return pdfRuntime;
}

/** Whether PDFs are read with the text-only worker (false: the stock pdfjs worker, see above). */
export async function pdfReaderInfo(): Promise<{ textOnlyWorker: boolean }> {
  await pdfjs();
  return { textOnlyWorker };
}

interface PdfItem {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
}

const PAGE_NUMBER = /^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})\s*$/;

interface PdfSegment {
  text: string;
  x0: number;
  x1: number;
}

/** Groups a page's text items into lines (by baseline), each line's items ordered left to right. */
function pdfSegmentLines(items: PdfItem[]): PdfSegment[][] {
  const sorted = items.filter((i) => i.str.trim()).sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: PdfItem[][] = [];
  for (const it of sorted) {
    const cur = lines[lines.length - 1];
    const tol = Math.max(2, Math.min(it.size, cur?.[0]?.size ?? it.size) * 0.45);
    if (cur && Math.abs(cur[0].y - it.y) <= tol) cur.push(it);
    else lines.push([it]);
  }
  // Items closer than a third of the type size run together; a wider gap separates segments.
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    const segs: PdfSegment[] = [];
    let prevEnd = -Infinity;
    for (const it of line) {
      const gap = it.x - prevEnd;
      const last = segs[segs.length - 1];
      if (last && !(gap > Math.max(1.5, it.size * 0.3))) {
        last.text += it.str;
        last.x1 = Math.max(last.x1, it.x + it.w);
      } else segs.push({ text: it.str, x0: it.x, x1: it.x + it.w });
      prevEnd = it.x + it.w;
    }
    return segs;
  });
}

const NUMERIC_SEGMENT = /^\s*[-+]?(?:\d[\d,]*(?:\.\d+)?|\/|—|-)\s*$/;

/**
 * A table row whose blank cells print nothing (a label and fewer numbers than the columns of the header
 * above it, e.g. the 2019 table 二 "规章 1 10" under "信息内容 本年新制作数量 本年新公开数量 对外公开总数量"):
 * each number is put in the header column it stands under, and the row is written with pipes and blank
 * cells ("规章 | 1 |  | 10") so that the table reader does not take the numbers for run-together digits.
 * Rows with as many numbers as columns, or that do not line up with such a header, are left as they are.
 */
function placeUnderHeader(line: PdfSegment[], header: PdfSegment[]): string | null {
  const firstNum = line.findIndex((s) => NUMERIC_SEGMENT.test(s.text));
  if (firstNum < 1 || !line.slice(firstNum).every((s) => NUMERIC_SEGMENT.test(s.text))) return null;
  const nums = line.slice(firstNum);
  const cols = header.slice(1);
  if (cols.length <= nums.length || line[0].x0 > cols[0].x0) return null;
  const centre = (s: PdfSegment) => (s.x0 + s.x1) / 2;
  let minGap = Infinity;
  for (let i = 1; i < cols.length; i++) minGap = Math.min(minGap, centre(cols[i]) - centre(cols[i - 1]));
  const cells: string[] = cols.map(() => '');
  let prev = -1;
  for (const n of nums) {
    let best = -1;
    let dist = Infinity;
    cols.forEach((c, i) => {
      const d = Math.abs(centre(c) - centre(n));
      if (d < dist) (dist = d), (best = i);
    });
    if (best <= prev || dist > minGap / 2 || cells[best]) return null;
    cells[best] = n.text.trim();
    prev = best;
  }
  return [line.slice(0, firstNum).map((s) => s.text).join(' '), ...cells].join(' | ');
}

/** A page's lines of text (see pdfSegmentLines and placeUnderHeader). */
export function pdfLines(items: PdfItem[]): string[] {
  const lines = pdfSegmentLines(items);
  let header: PdfSegment[] | null = null;
  return lines.map((line) => {
    const numeric = line.some((s) => NUMERIC_SEGMENT.test(s.text));
    const placed = numeric && header ? placeUnderHeader(line, header) : null;
    if (!numeric && line.length >= 2) header = line;
    return placed ?? line.map((s) => s.text).join(' ');
  });
}

/** `minChars`: fewer characters than this is "no text layer" (a scanned report); attachments' text takes any. */
export async function readPdf(buf: Buffer, opts: { minChars?: number } = {}): Promise<ReadDocument> {
  const { lib, worker } = await pdfjs();
  const assets = pdfjsAssets();
  const task = lib.getDocument({
    worker,
    data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice(),
    cMapUrl: assets.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: assets.standardFontDataUrl,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  const bombsBefore = pdfBombs;
  const doc = await task.promise;
  try {
    const pages: string[][] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const tc = await page.getTextContent({ disableNormalization: true });
      const items: PdfItem[] = [];
      for (const it of tc.items) {
        if (!('str' in it)) continue;
        const t = it.transform as number[];
        items.push({ str: it.str, x: t[4], y: t[5], w: it.width, size: Math.hypot(t[2], t[3]) || Math.abs(t[0]) || 10 });
      }
      pages.push(pdfLines(items).filter((l) => !PAGE_NUMBER.test(l)));
      page.cleanup();
    }
    // Running headers and footers: a line repeated at the top or bottom of most pages.
    const edges = new Map<string, number>();
    for (const lines of pages) {
      for (const l of new Set([lines[0], lines[lines.length - 1]])) if (l) edges.set(l, (edges.get(l) ?? 0) + 1);
    }
    const furniture = new Set([...edges].filter(([, n]) => pages.length >= 3 && n >= Math.ceil(pages.length * 0.6)).map(([l]) => l));
    const text = pages.map((lines) => lines.filter((l) => !furniture.has(l)).join('\n')).join('\n');
    if (pdfBombs !== bombsBefore) throw new PdfBombError(`PDF 中有解压后超过 ${PDF_STREAM_MAX_BYTES / 1048576} MB 的数据流（疑似压缩炸弹）`);
    const chars = text.replace(/\s+/g, '').length;
    if (chars < (opts.minChars ?? 20)) {
      return {
        kind: 'pdf',
        text: '',
        pages: doc.numPages,
        findings: [
          {
            severity: 'info',
            rule: 'input.no-text-layer',
            message: `PDF 共 ${doc.numPages} 页，没有可读的文字层（可能是扫描件或图片），无法审核；请提供带文字层的 PDF 或文本`,
            where: 'file',
          },
        ],
      };
    }
    return { kind: 'pdf', text, pages: doc.numPages, findings: [] };
  } finally {
    await doc.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// DOCX

/** The zip reader is shared with batch audits (./zip.ts). */
export { unzipEntry } from './zip.js';

function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/** The text of a run of WordprocessingML (paragraphs as lines). */
function wordText(xml: string): string {
  return xmlUnescape(
    xml
      .replace(/<w:tab\/>/g, '\t')
      .replace(/<w:br[^>]*\/>/g, '\n')
      .replace(/<\/w:p>/g, '\n')
      .replace(/<w:delText[^>]*>[\s\S]*?<\/w:delText>/g, '')
      .replace(/<w:instrText[^>]*>[\s\S]*?<\/w:instrText>/g, '')
      .replace(/<[^>]+>/g, ''),
  );
}

/** Splits top-level elements of a given tag (handles nesting of the same tag). */
function topLevel(xml: string, tag: string): { start: number; end: number }[] {
  const re = new RegExp(`<(/?)${tag}(?=[\\s>/])[^>]*?(/?)>`, 'g');
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const closing = m[1] === '/';
    const selfClosing = m[2] === '/';
    if (!closing) {
      if (depth === 0) start = m.index;
      if (selfClosing) {
        if (depth === 0) out.push({ start, end: re.lastIndex });
      } else depth++;
    } else {
      depth--;
      if (depth === 0) out.push({ start, end: re.lastIndex });
    }
  }
  return out;
}

function docxTable(xml: string): string {
  const lines: string[] = [];
  for (const tr of topLevel(xml, 'w:tr')) {
    const row = xml.slice(tr.start, tr.end);
    const cells: string[] = [];
    for (const tc of topLevel(row, 'w:tc')) {
      const cell = row.slice(tc.start, tc.end);
      // A vertically merged continuation cell belongs to the cell above: it prints nothing.
      if (/<w:vMerge(?![^>]*w:val="restart")[^>]*\/>/.test(cell)) continue;
      const inner = cell.replace(/<w:tbl[\s>][\s\S]*<\/w:tbl>/g, (t) => docxBody(t));
      cells.push(wordText(inner).replace(/\s+/g, ' ').replace(/\|/g, '｜').trim());
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

function docxBody(xml: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const t of topLevel(xml, 'w:tbl')) {
    parts.push(wordText(xml.slice(last, t.start)));
    parts.push('\n' + docxTable(xml.slice(t.start, t.end)));
    last = t.end;
  }
  parts.push(wordText(xml.slice(last)));
  return parts.join('');
}

/**
 * A DOCX's main part: an annual report's word/document.xml is a few MB at most; 32 MB of XML already costs
 * several times that in strings while it is parsed. A DOCX has a few dozen parts.
 */
export const DOCX_LIMITS: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 1000, maxEntryBytes: 32 * 1024 * 1024 };

export function readDocx(buf: Buffer): ReadDocument {
  const xml = unzipEntry(buf, 'word/document.xml', DOCX_LIMITS);
  if (!xml) throw new Error('DOCX 中没有 word/document.xml');
  const s = xml.toString('utf8');
  const body = /<w:body>([\s\S]*)<\/w:body>/.exec(s)?.[1] ?? s;
  return { kind: 'docx', text: docxBody(body).replace(/\n{3,}/g, '\n\n'), findings: [] };
}
