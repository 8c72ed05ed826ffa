/**
 * Reply letters and notices as DOCX in the layout of a formal government notice (公文格式, GB/T 9704):
 * the 发文机关标志 in red, the 文号 and the red separator line, the title, the 主送, the body, the contact
 * block, and the 落款 (agency name, seal placeholder, date). The content comes from letters.ts.
 */
import { AlignmentType, BorderStyle, Document, LineRuleType, Paragraph, TextRun } from 'docx';
import type { FileChild } from 'docx';
import {
  BODY_CHAR_SPACING,
  GONGWEN_SECTION_PROPERTIES,
  HALF_POINTS,
  LINE_PITCH,
  bodyParagraph,
  font,
  packGongwen,
  pageNumberFooters,
  titleParagraphs,
} from './docx-gongwen.js';
import type { LetterInput } from './letters.js';
import { letterContent } from './letters.js';

export type { AgencyContact, FeeDetails, LetterContent, LetterInput, LetterKind } from './letters.js';
export { LETTER_TITLES, REMEDIES, SEAL_PLACEHOLDER, chineseDate, letterContent, letterText, letterTitle } from './letters.js';

const RED = 'C00000';
const CHAR = HALF_POINTS.san * 10; // one 3号 character, in twips

export async function renderLetterDocx(letter: LetterInput): Promise<Buffer> {
  const c = letterContent(letter);
  const children: FileChild[] = [
    // 发文机关标志: red, centred, in 小标宋.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: Math.round(HALF_POINTS.er * 10 * 1.6), lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: c.agencyMark, font: font('title'), size: HALF_POINTS.er + 8, color: RED })],
    }),
    new Paragraph({ spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT }, children: [] }),
    // 发文字号, then the red separator line (版头分隔线).
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT, after: 120 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 6 } },
      children: [new TextRun({ text: c.letterNo, font: font('body'), size: HALF_POINTS.san, characterSpacing: BODY_CHAR_SPACING })],
    }),
    new Paragraph({ spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT }, children: [] }),
    ...titleParagraphs([c.title]),
    bodyParagraph(c.addressee, { indent: false, alignment: AlignmentType.LEFT }),
    // The last paragraph is kept on the page of the 落款 (GB/T 9704 7.3.5: no 落款 alone on a page).
    ...c.paragraphs.map((p, i) => bodyParagraph(p, { keepNext: i === c.paragraphs.length - 1 })),
    bodyParagraph('', { keepNext: true }),
  ];
  // 落款: the agency's name and the date, right-aligned four characters in, the seal placeholder between.
  const right = (text: string, keepNext: boolean) =>
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      indent: { right: CHAR * 4 },
      keepNext,
      keepLines: true,
      spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text, font: font('body'), size: HALF_POINTS.san, characterSpacing: BODY_CHAR_SPACING })],
    });
  children.push(right(c.signature, true), right(c.seal, true), right(c.date, true));
  // 附注 (GB/T 9704 7.3.6): "居左空二字加圆括号编排在成文日期下一行" — the contact in one paragraph, kept whole
  // and with the 落款, so neither is left alone on a page.
  children.push(bodyParagraph(`（${c.contact.join('；')}）`, { keepLines: true }));
  const doc = new Document({
    creator: c.signature,
    title: `${c.title}（${c.letterNo}）`,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: font('body'), size: HALF_POINTS.san } } } },
    sections: [{ properties: GONGWEN_SECTION_PROPERTIES, footers: pageNumberFooters(), children }],
  });
  return packGongwen(doc);
}
