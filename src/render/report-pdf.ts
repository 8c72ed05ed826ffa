/**
 * The annual report as PDF (pdfkit), laid out like a 公文 (GB/T 9704: A4, margins 37/35/28/26 mm, title
 * 2号, body 3号, page numbers "— 1 —"), with an embedded subset of Noto Serif SC (see fonts.ts).
 *
 * Tables are drawn as ruled grids with the merged cells of the format. Text is written so that a text
 * layer reads back in order: for each grid row, the cells that start in it are written left to right on
 * the row's first baseline (a label spanning several rows sits at the top of its span), and any wrapped
 * continuation lines come after.
 */
import PDFDocument from 'pdfkit';
import type { AnnualReport, Cell } from '../law/report-model.js';
import { cjkFont, gongwenFace, pdfFontNote } from './fonts.js';
import type { Grid, PlacedCell, RenderReportOptions } from './report-layout.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_MARK, DRAFT_NOTE, draftFindingLines, isSubheading, placeCells, reportSections, reportTitle } from './report-layout.js';

export const MM = 72 / 25.4;

/** 公文 page: A4, 版心 156 × 225 mm. */
export const GONGWEN_PAGE = {
  size: 'A4' as const,
  margins: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
};

/** Chinese type sizes (字号) in points. */
export const PT = { er: 22, san: 16, si: 14, xiaosi: 12, wu: 10.5, xiaowu: 9 } as const;

const REGULAR = 'cjk';
const BOLD = 'cjk-bold';
/** First-level headings (黑体) and second-level ones (楷体), by their substitutes (fonts.ts). */
const HEI = 'hei';
const KAI = 'kai';

type Doc = InstanceType<typeof PDFDocument>;

export interface PdfReportOptions extends RenderReportOptions {
  /** Font size of table text (default 五号 10.5 pt; table 四 uses 小五 9 pt when this is not given). */
  tableFontSize?: number;
}

const CLOSING = new Set([...'，。、；：？！）》」』】〕”’,.;:?!)%']);

/** Breaks text into lines that fit `width` at the current font and size (CJK: any character boundary). */
function wrap(doc: Doc, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    if (ch === '\n') {
      lines.push(line);
      line = '';
      w = 0;
      continue;
    }
    const cw = doc.widthOfString(ch);
    if (line && w + cw > width && !CLOSING.has(ch)) {
      lines.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

interface LaidCell extends PlacedCell {
  x: number;
  width: number;
  lines: string[];
}

function layoutGrid(doc: Doc, grid: Grid, colW: number[], colX: number[], fontSize: number, pad: number) {
  const lineH = fontSize * 1.25;
  doc.fontSize(fontSize);
  const cells: LaidCell[] = placeCells(grid).map((c) => {
    const width = colW.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
    doc.font(c.kind === 'block' ? BOLD : REGULAR);
    return { ...c, x: colX[c.col], width, lines: wrap(doc, c.text, width - 2 * pad) };
  });
  const rowH = grid.rows.map(() => lineH + 2 * pad);
  for (const c of cells) if (c.rowSpan === 1) rowH[c.row] = Math.max(rowH[c.row], c.lines.length * lineH + 2 * pad);
  for (const c of cells) {
    if (c.rowSpan === 1) continue;
    const have = rowH.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    const need = c.lines.length * lineH + 2 * pad;
    if (need > have) rowH[c.row + c.rowSpan - 1] += need - have;
  }
  return { cells, rowH, lineH, total: rowH.reduce((a, b) => a + b, 0) };
}

function fitGrid(doc: Doc, grid: Grid, fontSize: number, maxHeight?: number) {
  const left = doc.page.margins.left;
  const totalWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const colW = grid.widths.map((w) => (w / 100) * totalWidth);
  const colX: number[] = [];
  colW.reduce((x, w, i) => ((colX[i] = x), x + w), left);
  const pad = 2.5;
  const available = maxHeight ?? doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
  let layout = layoutGrid(doc, grid, colW, colX, fontSize, pad);
  // A table is kept on one page: shrink the type (down to 7.5 pt) if it would not fit.
  while (layout.total > available && fontSize > 7.5) {
    fontSize -= 0.5;
    layout = layoutGrid(doc, grid, colW, colX, fontSize, pad);
  }
  return { ...layout, left, pad, fontSize };
}

/** The height a table takes (it is kept on one page), for keeping its heading and lead-in with it. */
type FittedGrid = ReturnType<typeof fitGrid>;

/**
 * Draws a table whole on a page; `maxHeight`: shrink it to fit there (under its heading) rather than move on.
 * `fitted`: the layout already measured for the page (reused when it fits).
 */
function drawGrid(doc: Doc, grid: Grid, size: number, maxHeight?: number, fitted?: FittedGrid): void {
  const { cells, rowH, lineH, total, left, pad, fontSize } =
    fitted && (maxHeight === undefined || fitted.total <= maxHeight) ? fitted : fitGrid(doc, grid, size, maxHeight);
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + total > bottom) doc.addPage();
  const top = doc.y;
  const rowY: number[] = [];
  rowH.reduce((y, h, i) => ((rowY[i] = y), y + h), top);

  // Rules: each cell's rectangle.
  doc.lineWidth(0.6).strokeColor('#000');
  for (const c of cells) {
    const h = rowH.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    doc.rect(c.x, rowY[c.row], c.width, h).stroke();
  }
  // Text: row by row, the cells that start in the row left to right, their first lines on the row's first
  // baseline; a wrapped cell's further lines follow it in the content stream, so its label stays whole.
  for (let r = 0; r < grid.rows.length; r++) {
    const rowCells = cells.filter((c) => c.row === r).sort((a, b) => a.col - b.col);
    for (const c of rowCells) {
      doc.font(c.kind === 'block' ? BOLD : REGULAR).fontSize(fontSize);
      c.lines.forEach((text, li) => {
        if (text === '') return;
        const tw = doc.widthOfString(text);
        const alignLeft = c.kind === 'row' || c.kind === 'note' || c.kind === 'block' || c.lines.length > 1;
        const x = alignLeft ? c.x + pad : c.x + (c.width - tw) / 2;
        doc.text(text, x, rowY[r] + pad + li * lineH + fontSize * 0.1, { lineBreak: false });
      });
    }
  }
  doc.x = left;
  doc.y = top + total + 10;
}

function drawPageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const n = i + 1;
    const label = `— ${n} —`;
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(PT.si);
    const w = doc.widthOfString(label);
    const y = doc.page.height - savedBottom + 7 * MM;
    // GB/T 9704: odd pages at the right, even pages at the left, one character in from the edge.
    const x = n % 2 === 1 ? doc.page.width - doc.page.margins.right - PT.si - w : doc.page.margins.left + PT.si;
    doc.text(label, x, y, { lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
}

export function createGongwenPdf(info: { title: string; author?: string; subject?: string }): Doc {
  const doc = new PDFDocument({
    size: GONGWEN_PAGE.size,
    margins: GONGWEN_PAGE.margins,
    bufferPages: true,
    compress: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: info.title, Author: info.author ?? '', Subject: info.subject ?? '', Creator: 'gongkai', Keywords: pdfFontNote() },
  });
  doc.registerFont(REGULAR, cjkFont('regular'));
  doc.registerFont(BOLD, cjkFont('bold'));
  doc.registerFont(HEI, gongwenFace('hei') ?? cjkFont('bold'));
  doc.registerFont(KAI, gongwenFace('kai') ?? cjkFont('regular'));
  doc.font(REGULAR);
  return doc;
}

/** 草稿 across every page (light grey, diagonal, behind nothing the reader needs) and the note at the top. */
function drawDraftMarks(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const savedTop = doc.page.margins.top;
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    const cx = doc.page.width / 2;
    const cy = doc.page.height / 2;
    doc.save();
    doc.rotate(-35, { origin: [cx, cy] });
    doc.font(BOLD).fontSize(150).fillColor('#c8c8c8').fillOpacity(0.35);
    const w = doc.widthOfString(DRAFT_MARK);
    doc.text(DRAFT_MARK, cx - w / 2, cy - 90, { lineBreak: false });
    doc.restore();
    doc.font(REGULAR).fontSize(PT.xiaosi).fillColor('#c00000').fillOpacity(1);
    const nw = doc.widthOfString(DRAFT_NOTE);
    doc.text(DRAFT_NOTE, (doc.page.width - nw) / 2, 15 * MM, { lineBreak: false });
    doc.fillColor('black');
    doc.page.margins.top = savedTop;
    doc.page.margins.bottom = savedBottom;
  }
}

export function finishPdf(doc: Doc, opts: { draft?: boolean } = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    drawPageNumbers(doc);
    if (opts.draft) drawDraftMarks(doc);
    doc.end();
  });
}

/** Body text: 3号, 2-character first-line indent, about 22 lines × 28 characters per page. */
const BODY = { size: PT.san, lineGap: 29 - PT.san * 1.3 } as const;

export async function renderReportPdf(report: AnnualReport<Cell>, opts: PdfReportOptions = {}): Promise<Buffer> {
  const title = reportTitle(report, opts);
  const doc = createGongwenPdf({ title, author: report.agency.name, subject: `${report.year}年政府信息公开工作年度报告` });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font(BOLD).fontSize(PT.er);
  // A title too long for one line breaks after the agency's name rather than mid-word.
  const titleLines =
    doc.widthOfString(title) > width && title.startsWith(report.agency.name) && title.length > report.agency.name.length
      ? [report.agency.name, title.slice(report.agency.name.length)]
      : [title];
  for (const line of titleLines) doc.text(line, { align: 'center', lineGap: 8, width });
  doc.moveDown(0.8);
  const bodyOpts = { indent: BODY.size * 2, lineGap: BODY.lineGap, width };
  const para = (text: string) => doc.font(isSubheading(text) ? KAI : REGULAR).fontSize(BODY.size).text(text, bodyOpts);
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const lineH = BODY.size * 1.3 + BODY.lineGap;
  /** Starts a new page unless the heading and what must follow it (`after` points) fit on this one. */
  const keepWithNext = (after: number) => {
    if (doc.y + lineH + after > bottom()) doc.addPage();
  };
  if (opts.preface) para(opts.preface);
  const available = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
  for (const section of reportSections(report)) {
    // A heading never ends a page (GB/T 9704 7.3.3; the 2021 report had 二、 alone at a page foot while its
    // table moved on): it goes with its first paragraph, and a section that is a lead-in sentence and a table
    // (tables are kept whole on a page) goes together when it fits on one page.
    const size = section.table ? (opts.tableFontSize ?? (section.table.id === 'reviews' ? PT.xiaowu : PT.wu)) : 0;
    doc.font(REGULAR).fontSize(BODY.size);
    const heights = section.paragraphs.map((p) => doc.heightOfString(p, bodyOpts));
    const fitted = section.table ? fitGrid(doc, section.table, size) : undefined;
    const tableH = fitted ? fitted.total + 0.3 * lineH : 0;
    const whole = heights.reduce((a, b) => a + b, 0) + tableH;
    const withTable = !!section.table && section.paragraphs.length <= 1;
    // Heading, lead-in and table go on a fresh page if they do not fit here; there the table shrinks to fit.
    keepWithNext(withTable ? Math.min(whole, available - lineH) : Math.min(heights[0] ?? 0, lineH * 2));
    doc.font(HEI).fontSize(PT.san).text(section.title, { indent: PT.san * 2, lineGap: BODY.lineGap, width });
    section.paragraphs.forEach((p, i) => {
      if (isSubheading(p)) keepWithNext(lineH * 2);
      // The last paragraph before a table goes with the table.
      else if (section.table && i === section.paragraphs.length - 1 && i > 0 && heights[i]! + tableH <= available) keepWithNext(heights[i]! + tableH - lineH);
      para(p);
    });
    if (section.table) {
      doc.moveDown(0.3);
      drawGrid(doc, section.table, size, withTable ? bottom() - doc.y : undefined, fitted);
    }
  }
  if (opts.dateLine) {
    doc.moveDown(1);
    doc.font(REGULAR).fontSize(BODY.size);
    doc.text(report.agency.name, { align: 'right', width: width - BODY.size * 2 });
    doc.text(opts.dateLine, { align: 'right', width: width - BODY.size * 2 });
  }
  if (opts.draft) {
    doc.addPage();
    doc.font(HEI).fontSize(PT.san).text(DRAFT_FINDINGS_TITLE, { lineGap: BODY.lineGap, width });
    doc.font(REGULAR).fontSize(PT.xiaosi);
    for (const line of draftFindingLines(opts.draft.findings)) doc.text(line, { lineGap: 4, width });
  }
  return finishPdf(doc, { draft: !!opts.draft });
}
