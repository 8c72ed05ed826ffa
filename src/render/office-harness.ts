/**
 * For tests and the page images in docs/documents: converts DOCX (or XLSX) to PDF with LibreOffice
 * (`soffice --headless --convert-to pdf`, Debian's libreoffice-writer/-calc) and reads the PDF back with
 * poppler's pdftotext/pdftoppm, so that tests can measure what an office that opens our files in LibreOffice
 * or WPS sees: characters per line, lines per page, page count, what ends a page.
 *
 * Each run uses its own LibreOffice user profile (`-env:UserInstallation`), so parallel conversions do not
 * collide; several files go through one soffice start (a start costs seconds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The soffice binary, or null when LibreOffice is not installed. */
export function findSoffice(): string | null {
  const candidates = [process.env.SOFFICE_PATH, '/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

function has(bin: string): boolean {
  try {
    execFileSync(bin, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the office tests can run here. Under CI (CI=true) a missing LibreOffice or poppler is a failure;
 * locally the tests are skipped with this message.
 */
export function officeSkipReason(): string | undefined {
  const missing: string[] = [];
  if (!findSoffice()) missing.push('LibreOffice (apt-get install libreoffice-writer libreoffice-calc)');
  if (!has('pdftotext') || !has('pdftoppm')) missing.push('poppler-utils (pdftotext, pdftoppm)');
  if (!missing.length) return undefined;
  const msg = `缺少 ${missing.join('、')}：LibreOffice 排版测试未运行`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} (CI=true: this is a failure)`);
  console.log(`# SKIPPED: ${msg}`);
  return msg;
}

export interface ConvertedPdf {
  pdf: Buffer;
  /** The text of each page (pdftotext -layout), page numbers included. */
  pages: string[];
}

/** Converts files (name → content; the extension picks the filter) to PDF in one LibreOffice run. */
export function convertToPdf(files: Record<string, Buffer>): Record<string, ConvertedPdf> {
  const soffice = findSoffice();
  if (!soffice) throw new Error('LibreOffice (soffice) not found');
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-office-'));
  try {
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    const names = Object.keys(files);
    for (const n of names) writeFileSync(join(dir, n), files[n]!);
    execFileSync(
      soffice,
      [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, ...names.map((n) => join(dir, n))],
      { stdio: 'ignore', timeout: 180_000 },
    );
    const out: Record<string, ConvertedPdf> = {};
    for (const n of names) {
      const pdfPath = join(dir, n.replace(/\.[a-z]+$/, '.pdf'));
      const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
      const pages = text.split('\f');
      if (pages.at(-1)!.trim() === '') pages.pop();
      out[n] = { pdf: readFileSync(pdfPath), pages };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders one page of a PDF as PNG (pdftoppm) at the given resolution. */
export function pdfPagePng(pdf: Buffer, page: number, dpi = 60): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-ppm-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    return readFileSync(join(dir, 'out.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The non-empty lines of a page, trimmed, without the page number "— n —". */
export function textLines(page: string): string[] {
  return page
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[—-]\s*\d+\s*[—-]$/.test(l));
}

/**
 * The width of a line in 3号 characters: a CJK character or full-width sign is one, a Latin letter or
 * digit half (Times New Roman digits are half an em); the spaces pdftotext inserts are not counted.
 */
export function lineWidth(line: string): number {
  let w = 0;
  for (const ch of line.replace(/\s+/g, '')) w += /[\u0000-\u00ff]/.test(ch) ? 0.5 : 1;
  return w;
}
