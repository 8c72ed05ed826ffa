/**
 * The annual report as DOCX in 公文格式 (GB/T 9704): A4, margins 37/35/28/26 mm, title 2号 方正小标宋简体,
 * body 3号 仿宋_GB2312, headings 3号 黑体, about 22 lines × 28 characters, page numbers "— 1 —", and the
 * tables with the merged cells of the format (小四 for table 二, 五号 for tables 三 and 四).
 */
import {
  AlignmentType,
  Document,
  Header,
  LineRuleType,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { FileChild } from 'docx';
import type { AnnualReport, Cell } from '../law/report-model.js';
import {
  GONGWEN_SECTION_PROPERTIES,
  HALF_POINTS,
  bodyParagraph,
  font,
  headingParagraph,
  mmToTwip,
  packGongwen,
  subheadingParagraph,
  pageNumberFooters,
  titleParagraphs,
} from './docx-gongwen.js';
import type { Grid, GridCell, RenderReportOptions } from './report-layout.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_MARK, DRAFT_NOTE, draftFindingLines, isSubheading, reportSections, reportTitle } from './report-layout.js';

const TYPE_AREA_WIDTH = mmToTwip(156);

function cellParagraph(cell: GridCell, size: number): Paragraph {
  return new Paragraph({
    alignment: cell.kind === 'row' || cell.kind === 'note' || cell.kind === 'block' ? AlignmentType.LEFT : AlignmentType.CENTER,
    spacing: { line: Math.round(size * 10 * 1.25), lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text: cell.text, font: font('body'), size, bold: cell.kind === 'block', snapToGrid: false })],
  });
}

/** A grid as a Word table; docx inserts the vertically merged continuation cells for `rowSpan`. */
export function gridTable(grid: Grid, size: number): Table {
  const columnWidths = grid.widths.map((w) => Math.floor((w / 100) * TYPE_AREA_WIDTH));
  return new Table({
    width: { size: TYPE_AREA_WIDTH, type: WidthType.DXA },
    columnWidths,
    layout: TableLayoutType.FIXED,
    rows: grid.rows.map(
      (row, r) =>
        new TableRow({
          tableHeader: r < grid.headerRows ? true : undefined,
          cantSplit: true,
          children: row.map(
            (cell) =>
              new TableCell({
                children: [cellParagraph(cell, size)],
                rowSpan: cell.rowSpan > 1 ? cell.rowSpan : undefined,
                columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
                verticalAlign: VerticalAlign.CENTER,
                margins: { left: 57, right: 57, top: 28, bottom: 28 },
              }),
          ),
        }),
    ),
  });
}

export async function renderReportDocx(report: AnnualReport<Cell>, opts: RenderReportOptions = {}): Promise<Buffer> {
  const title = reportTitle(report, opts);
  const children: FileChild[] = [];
  // A long title breaks after the agency's name (about 18 characters of 2号 fit on a line).
  const titleLines =
    title.length > 18 && title.startsWith(report.agency.name) && title.length > report.agency.name.length
      ? [report.agency.name, title.slice(report.agency.name.length)]
      : [title];
  children.push(...titleParagraphs(titleLines));
  if (opts.preface) children.push(bodyParagraph(opts.preface));
  for (const section of reportSections(report)) {
    children.push(headingParagraph(section.title));
    for (const p of section.paragraphs) children.push(isSubheading(p) ? subheadingParagraph(p) : bodyParagraph(p, { keepNext: !!section.table && p === section.paragraphs.at(-1) }));
    if (section.table) {
      children.push(gridTable(section.table, section.table.id === 'proactive' ? HALF_POINTS.xiaosi : HALF_POINTS.wu));
      children.push(new Paragraph({ spacing: { line: 240 }, children: [] }));
    }
  }
  if (opts.dateLine) {
    children.push(bodyParagraph('', { indent: false }));
    children.push(bodyParagraph(report.agency.name, { indent: false, alignment: AlignmentType.RIGHT }));
    children.push(bodyParagraph(opts.dateLine, { indent: false, alignment: AlignmentType.RIGHT }));
  }
  if (opts.draft) {
    // The open findings on a page of their own at the end.
    children.push(
      new Paragraph({ pageBreakBefore: true, keepNext: true, children: [new TextRun({ text: DRAFT_FINDINGS_TITLE, font: font('heading'), size: HALF_POINTS.san })] }),
      ...draftFindingLines(opts.draft.findings).map((line) => new Paragraph({ children: [new TextRun({ text: line, font: font('body'), size: HALF_POINTS.xiaosi })] })),
    );
  }
  // A draft carries 草稿 at the head of every page.
  const draftHeader = () =>
    new Header({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new TextRun({ text: `${DRAFT_MARK}　`, font: font('heading'), size: 56, color: 'A0A0A0' }),
            new TextRun({ text: DRAFT_NOTE.replace(/^草稿：/, ''), font: font('body'), size: HALF_POINTS.wu, color: 'C00000' }),
          ],
        }),
      ],
    });
  const doc = new Document({
    creator: report.agency.name,
    title,
    description: opts.draft ? DRAFT_NOTE : undefined,
    subject: `${report.year}年政府信息公开工作年度报告`,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: { document: { run: { font: font('body'), size: HALF_POINTS.san } } },
    },
    sections: [
      {
        properties: GONGWEN_SECTION_PROPERTIES,
        headers: opts.draft ? { default: draftHeader(), even: draftHeader() } : undefined,
        footers: pageNumberFooters(),
        children,
      },
    ],
  });
  return packGongwen(doc);
}
