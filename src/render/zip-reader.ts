/**
 * The parts of the DOCX and XLSX files this folder writes, for the tests that check them: read with the one
 * bounded ZIP reader of the platform (src/reportcheck/zip.ts), the same that reads uploaded reports.
 */
import { zipEntries, zipEntryData } from '../reportcheck/zip.js';

export function readZip(buf: Buffer): Map<string, Buffer> {
  return new Map(zipEntries(buf).map((e) => [e.name, zipEntryData(buf, e)]));
}

/** The text content of the `<w:t>` / `<t>` runs of an XML part, joined, with XML entities decoded. */
export function xmlText(xml: string, tag = 'w:t'): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) =>
    m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}
