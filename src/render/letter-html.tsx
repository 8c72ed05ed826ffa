/**
 * A letter as HTML for the applicant's tracking link (readable on a phone, printable on A4), and the links to
 * its three forms. The content is letters.ts's, the same as the DOCX and the PDF.
 */
import type { LetterContent } from './letters.js';

export type LetterFormat = 'html' | 'pdf' | 'docx';

/**
 * The address of a letter in one of its forms under a base path (the applicant's
 * `/track/{trackingNo}/letters` or the office's `/api/v1/requests/{id}/letters`), with the query (e.g. `?key=…`).
 */
export function letterHref(base: string, kind: string, format: LetterFormat, query = ''): string {
  return `${base}/${kind}${format === 'html' ? '' : `.${format}`}${query}`;
}

/** The links to a letter: 在线查看, PDF, DOCX (for the tracking page's list of letters). */
export function LetterLinks({ base, kind, label, query = '' }: { base: string; kind: string; label: string; query?: string }) {
  return (
    <span class="letter-links">
      <a href={letterHref(base, kind, 'html', query)}>{label}</a>
      {'（'}
      <a href={letterHref(base, kind, 'pdf', query)} aria-label={`${label} PDF 文件`}>PDF</a>
      {'　'}
      <a href={letterHref(base, kind, 'docx', query)} aria-label={`${label} DOCX 文件`}>DOCX</a>
      {'）'}
    </span>
  );
}

/** The letter itself: 发文机关标志, 发文字号, title, body, 落款, 附注. */
export function LetterArticle({ c }: { c: LetterContent }) {
  return (
    <article class="letter" aria-label={c.title}>
      <p class="letter-mark">{c.agencyMark}</p>
      <p class="letter-no">{c.letterNo}</p>
      <h1 class="letter-title">{c.title}</h1>
      <p class="letter-to">{c.addressee}</p>
      {c.paragraphs.map((p) => (
        <p class="letter-p">{p}</p>
      ))}
      <div class="letter-sign">
        <p>{c.signature}</p>
        <p>{c.seal}</p>
        <p>{c.date}</p>
      </div>
      <p class="letter-note">（{c.contact.join('；')}）</p>
    </article>
  );
}

/** Styles of the letter page: a narrow column on screens, the 公文 page (A4, 3号) in print. */
export const LETTER_CSS = `
.letter{max-width:40em;margin:0 auto;font-family:"FangSong","仿宋","STFangsong","Noto Serif CJK SC","Noto Serif SC",serif;line-height:1.8}
.letter-mark{color:#a00000;text-align:center;font-size:1.8em;font-weight:bold;margin:0}
.letter-no{text-align:center;border-bottom:2px solid #a00000;padding-bottom:.4em}
.letter-title{text-align:center;font-size:1.5em;margin:1em 0}
.letter-p{text-indent:2em;margin:0;text-align:justify}
.letter-sign{text-align:right;margin:1.5em 4em 0 0}.letter-sign p{margin:0}
.letter-sign{break-inside:avoid;page-break-inside:avoid}
.letter-note{text-indent:2em;margin:0}
@media print{@page{size:A4;margin:37mm 26mm 35mm 28mm}.letter{max-width:none;font-size:16pt}header,footer,nav,.no-print{display:none}}
`;
