/**
 * The per-item work of an import that needs only the item's text: the body sanitised to HTML and its plain
 * text, and everything the search index needs (folding, tokens, the engine's encoding). Pure: runs on the
 * main thread for small imports and on worker threads for large ones (./import-pool.ts), with the same result.
 */
import { prepareSearchDoc, type IndexEngine, type PreparedSearchDoc } from '../../search/prepare.js';
import { htmlToText, sanitizeBody } from './content.js';

export interface ImportText {
  title: string;
  docNumber: string | null;
  summary: string;
  /** As given in the file (text or HTML). */
  body: string;
}

export interface PreparedImport {
  bodyHtml: string;
  bodyText: string;
  search: PreparedSearchDoc;
}

/** `<p>…</p>` paragraphs holding no markup, entity or line break: sanitizeBody returns them unchanged. */
const SIMPLE_PARAGRAPHS = /^(?:<p>[^<>&\r\n]*<\/p>)+$/;

/** The stored HTML and the plain text of an imported body. */
export function importBody(body: string): { bodyHtml: string; bodyText: string } {
  if (!/[<&]/.test(body)) {
    const paras = body.replace(/\r\n?/g, '\n').split('\n').map((p) => p.trim()).filter(Boolean);
    return { bodyHtml: paras.map((p) => `<p>${p.replace(/>/g, '&gt;')}</p>`).join('\n'), bodyText: paras.join('\n') };
  }
  // Paragraphs of plain text (what exports of other systems mostly are): sanitising changes nothing.
  const bodyHtml = SIMPLE_PARAGRAPHS.test(body) ? body : sanitizeBody(body);
  return { bodyHtml, bodyText: htmlToText(bodyHtml) };
}

export function prepareImport(engine: IndexEngine, t: ImportText): PreparedImport {
  const { bodyHtml, bodyText } = importBody(t.body);
  return { bodyHtml, bodyText, search: prepareSearchDoc(engine, t.title, t.docNumber ?? '', [t.summary, bodyText]) };
}
