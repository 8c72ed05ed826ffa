/**
 * 公文格式 (GB/T 9704-2012) building blocks for DOCX with the `docx` package: the A4 page with its margins
 * and line grid (22 lines × 28 characters), the fonts (方正小标宋简体, 仿宋_GB2312, 黑体, with the usual
 * substitutes declared in the font table), page numbers "— 1 —" (odd pages at the right, even pages at the
 * left), and paragraph helpers shared by the annual report and the reply letters.
 */
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx';
import type { ISectionOptions } from 'docx';

/** Millimetres to twentieths of a point (twips). */
export const mmToTwip = (mm: number): number => Math.round((mm * 1440) / 25.4);

/** Chinese type sizes (字号) in half-points, as docx wants them. */
export const HALF_POINTS = { er: 44, san: 32, si: 28, xiaosi: 24, wu: 21 } as const;

/** The fonts of the 公文 and the substitute each falls back to where it is not installed. */
export const FONTS = {
  title: { name: '方正小标宋简体', fallback: '宋体' },
  body: { name: '仿宋_GB2312', fallback: '仿宋' },
  heading: { name: '黑体', fallback: 'SimHei' },
  kai: { name: '楷体_GB2312', fallback: '楷体' },
  song: { name: '宋体', fallback: 'SimSun' },
  latin: { name: 'Times New Roman', fallback: 'Times New Roman' },
} as const;
export type FontRole = keyof typeof FONTS;

/** `w:rFonts` for a role: the Chinese font for East Asian text, Times New Roman for digits and Latin. */
export function font(role: FontRole) {
  const f = FONTS[role].name;
  return { eastAsia: f, ascii: role === 'body' ? FONTS.latin.name : f, hAnsi: role === 'body' ? FONTS.latin.name : f, hint: 'eastAsia' };
}

/**
 * 28 characters of 3号 (16 pt) on the 156 mm line: 156 mm = 442.2 pt, so each character gets 15.79 pt. The grid
 * is the line grid only (`docGrid type="lines"`), and the characters are closed up by 0.25 pt each (`w:spacing
 * w:val="-5"`, twentieths of a point): 28 × 15.75 pt = 441 pt fits, 29 do not. Word, WPS and LibreOffice all
 * honour run spacing the same way, whereas LibreOffice reads the character grid of `linesAndChars` (`charSpace`)
 * differently from Word and set about 14 characters a line; tables do not snap to a character grid because
 * there is none.
 */
export const BODY_CHAR_SPACING = -5;

/** Line pitch for 22 lines in the 225 mm type area. */
export const LINE_PITCH = Math.floor(mmToTwip(225) / 22);

export const GONGWEN_SECTION_PROPERTIES: NonNullable<ISectionOptions['properties']> = {
  page: {
    size: { width: mmToTwip(210), height: mmToTwip(297) },
    margin: {
      top: mmToTwip(37),
      bottom: mmToTwip(35),
      left: mmToTwip(28),
      right: mmToTwip(26),
      footer: mmToTwip(35 - 7 - 6),
      header: mmToTwip(15),
    },
  },
  // 22 lines × 28 characters: line pitch, and the extra character pitch over the 16 pt body text
  // (charSpace is in 4096ths of a point: (156 mm / 28 − 16 pt) × 4096).
  grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
};

function pageNumberParagraph(alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Paragraph {
  const oneChar = HALF_POINTS.si * 10; // one 4号 character, in twips
  return new Paragraph({
    alignment,
    indent: alignment === AlignmentType.RIGHT ? { right: oneChar } : { left: oneChar },
    children: [
      new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font('song'), size: HALF_POINTS.si }),
    ],
  });
}

/** Footers with "— n —": odd pages right, even pages left (needs `evenAndOddHeaderAndFooters`). */
export function pageNumberFooters(): NonNullable<ISectionOptions['footers']> {
  return {
    default: new Footer({ children: [pageNumberParagraph(AlignmentType.RIGHT)] }),
    even: new Footer({ children: [pageNumberParagraph(AlignmentType.LEFT)] }),
  };
}

/** Body paragraph: 3号 仿宋, first line indented two characters, exact line spacing on the grid. */
export function bodyParagraph(
  text: string,
  opts: { indent?: boolean; alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]; keepNext?: boolean; keepLines?: boolean } = {},
): Paragraph {
  return new Paragraph({
    keepNext: opts.keepNext,
    keepLines: opts.keepLines ?? opts.keepNext,
    alignment: opts.alignment ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: HALF_POINTS.san * 20 },
    spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text, font: font('body'), size: HALF_POINTS.san, characterSpacing: BODY_CHAR_SPACING })],
  });
}

/** First-level heading (一、…): 3号 黑体, indented two characters, kept with what follows (GB/T 9704 7.3.3). */
export function headingParagraph(text: string, level: 1 | 2 = 1): Paragraph {
  return new Paragraph({
    indent: { firstLine: HALF_POINTS.san * 20 },
    spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
    keepNext: true,
    keepLines: true,
    children: [
      new TextRun({ text, font: font(level === 1 ? 'heading' : 'kai'), size: HALF_POINTS.san, characterSpacing: BODY_CHAR_SPACING }),
    ],
  });
}

/** Second-level heading (（一）…): 3号 楷体 (GB/T 9704 7.3.3), kept with what follows. */
export const subheadingParagraph = (text: string): Paragraph => headingParagraph(text, 2);

/** Title: 2号 方正小标宋简体, centred, one blank line after. */
export function titleParagraphs(lines: string[]): Paragraph[] {
  return [
    ...lines.map(
      (text) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { line: Math.round(HALF_POINTS.er * 10 * 1.5), lineRule: LineRuleType.EXACT },
          children: [new TextRun({ text, font: font('title'), size: HALF_POINTS.er })],
        }),
    ),
    new Paragraph({ spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT }, children: [] }),
  ];
}

/**
 * word/fontTable.xml declaring each font with its substitute (`w:altName`), so that Word uses 宋体 where
 * 方正小标宋简体 is missing, 仿宋 for 仿宋_GB2312, and so on.
 */
export function fontTableXml(): string {
  const entries = Object.values(FONTS)
    .filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i)
    .map(
      (f) =>
        `<w:font w:name="${f.name}">${f.fallback !== f.name ? `<w:altName w:val="${f.fallback}"/>` : ''}` +
        `<w:charset w:val="${f.name === FONTS.latin.name ? '00' : '86'}"/>` +
        `<w:family w:val="${f.name === FONTS.heading.name ? 'modern' : 'roman'}"/><w:pitch w:val="variable"/></w:font>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    entries +
    '</w:fonts>'
  );
}

/** Packs a document with the 公文 font table. */
export function packGongwen(doc: Document): Promise<Buffer> {
  return Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
