/**
 * The text of an item's attachment, for the search (docs/search.md): PDF (its text layer, the audit's pdfjs
 * reader), DOCX (the audit's reader), XLSX (shared strings and cells, one line per row, cells between " | "),
 * TXT/CSV. Bounded as the audit's readers are (zip.ts ceilings, the PDF stream cap); run off the server's thread
 * through attachment-text-isolated.ts. At most ATTACHMENT_TEXT_MAX_CHARS characters are kept.
 */
import { decodeText, readDocx, readPdf } from './readers.js';
import { DEFAULT_ZIP_LIMITS, unzipEntry, zipEntries, type ZipLimits } from './zip.js';

/** Characters of an attachment's text kept for the search (a long PDF's first 500,000). */
export const ATTACHMENT_TEXT_MAX_CHARS = 500_000;

/** The file types whose text is read. */
export const TEXT_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'txt', 'csv'] as const;

const XLSX_LIMITS: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 2000, maxEntryBytes: 64 * 1024 * 1024 };
const MAX_SHEETS = 100;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? '';
  });
}

/** The text runs (<t>) of a string item (<si> or <is>), joined; phonetic runs (<rPh>) left out. */
const runsText = (xml: string) =>
  [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1]!)).join('');

/** An XLSX workbook as text: each sheet's rows, one line per row, non-empty cells between " | ". */
export function readXlsxText(buf: Buffer, maxChars = ATTACHMENT_TEXT_MAX_CHARS): string {
  const shared: string[] = [];
  const ss = unzipEntry(buf, 'xl/sharedStrings.xml', XLSX_LIMITS);
  if (ss) for (const m of ss.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(runsText(m[1]!));
  const sheets = zipEntries(buf)
    .map((e) => e.name)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]))
    .slice(0, MAX_SHEETS);
  const lines: string[] = [];
  let size = 0;
  for (const name of sheets) {
    const xml = unzipEntry(buf, name, XLSX_LIMITS)?.toString('utf8') ?? '';
    for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
      const cells: string[] = [];
      for (const c of row[1]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1] ?? '';
        const inner = c[2] ?? '';
        const type = /\bt="([^"]*)"/.exec(attrs)?.[1];
        let v: string;
        if (type === 'inlineStr') v = runsText(inner);
        else {
          const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
          if (raw === undefined) continue;
          v = type === 's' ? (shared[Number(raw)] ?? '') : xmlText(raw);
        }
        if (v.trim()) cells.push(v.trim());
      }
      if (!cells.length) continue;
      const line = cells.join(' | ');
      lines.push(line);
      size += line.length + 1;
      if (size >= maxChars) return lines.join('\n').slice(0, maxChars);
    }
  }
  return lines.join('\n');
}

/** The text of an attachment by its extension ('' when it has none, e.g. a scanned PDF); throws on a broken or hostile file. */
export async function attachmentText(buf: Buffer, ext: string): Promise<string> {
  let text: string;
  switch (ext.toLowerCase()) {
    case 'pdf':
      text = (await readPdf(buf, { minChars: 1 })).text;
      break;
    case 'docx':
      text = readDocx(buf).text;
      break;
    case 'xlsx':
      text = readXlsxText(buf);
      break;
    case 'txt':
    case 'csv':
      text = decodeText(buf.subarray(0, ATTACHMENT_TEXT_MAX_CHARS * 4));
      break;
    default:
      return '';
  }
  text = text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (text.length > ATTACHMENT_TEXT_MAX_CHARS) {
    let end = ATTACHMENT_TEXT_MAX_CHARS;
    if (/[\uDC00-\uDFFF]/.test(text[end]!)) end--; // never cut a surrogate pair
    text = text.slice(0, end);
  }
  return text;
}
