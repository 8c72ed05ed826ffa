/**
 * The annual report as an XLSX workbook (exceljs): one sheet per table (二、三、四) laid out with the merged
 * cells and labels of the format, numbers as numbers, and a sheet with the title and the six sections' prose.
 */
import ExcelJS from 'exceljs';
import type { AnnualReport, Cell } from '../law/report-model.js';
import { SECTION_TITLES } from '../law/report-format.js';
import type { Grid, RenderReportOptions } from './report-layout.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_NOTE, draftFindingLines, isSubheading, placeCells, reportGrids, reportSections, reportTitle } from './report-layout.js';

export const PROSE_SHEET_NAME = '报告正文';

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** A4 (paperSize 9), the 公文 margins in inches, centred horizontally. */
const A4 = { paperSize: 9, horizontalCentered: true, margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 } };

/** Width units (Excel: about one Latin character) a text needs: CJK and full-width characters count two. */
function textUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u0000-\u00ff]/.test(ch) ? 1 : 2;
  return n;
}

/** Row height in points for text wrapped in `width` units at `size` pt (Excel does not fit rows it did not lay out). */
export function wrappedHeight(text: string, width: number, size: number): number {
  const perLine = Math.max(1, Math.floor(width * (11 / size)) - 1);
  const lines = text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(textUnits(l) / perLine)), 0);
  return Math.ceil(lines * size * 1.35 + 4);
}

function footer(draft: boolean): { oddHeader?: string; oddFooter: string } {
  return { ...(draft ? { oddHeader: `&C&"宋体,Bold"&14&K C00000${DRAFT_NOTE}` } : {}), oddFooter: '&C第 &P 页，共 &N 页' };
}

/** Sheet names are the section titles (all within Excel's 31 characters and free of []:*?/\). */
export function sheetName(grid: Grid): string {
  return SECTION_TITLES[grid.section];
}

function addGridSheet(wb: ExcelJS.Workbook, grid: Grid, draft: boolean): void {
  const ws = wb.addWorksheet(sheetName(grid), {
    pageSetup: {
      ...A4,
      orientation: grid.columns > 10 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      // The column headers repeat on every printed page.
      printTitlesRow: grid.headerRows > 0 ? `1:${grid.headerRows}` : undefined,
    },
    headerFooter: footer(draft),
    views: grid.headerRows > 0 ? [{ state: 'frozen', ySplit: grid.headerRows }] : undefined,
  });
  const totalChars = grid.columns > 10 ? 150 : 110;
  const widths = grid.widths.map((w) => Math.max(6, Math.round((w / 100) * totalChars)));
  ws.columns = widths.map((width) => ({ width }));
  // Each row as tall as its tallest single-row cell wraps to (merged cells spread over their rows).
  const heights = grid.rows.map(() => 18);
  for (const c of placeCells(grid)) {
    const w = widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
    const h = wrappedHeight(c.text, w, 10.5) / c.rowSpan;
    for (let r = c.row; r < c.row + c.rowSpan; r++) heights[r] = Math.max(heights[r]!, h);
  }
  heights.forEach((h, r) => (ws.getRow(r + 1).height = Math.ceil(h)));
  for (const c of placeCells(grid)) {
    const row = c.row + 1;
    const col = c.col + 1;
    if (c.rowSpan > 1 || c.colSpan > 1) ws.mergeCells(row, col, row + c.rowSpan - 1, col + c.colSpan - 1);
    const cell = ws.getCell(row, col);
    if (c.kind === 'data') {
      cell.value = c.text === '' ? null : /^-?\d+(\.\d+)?$/.test(c.text) ? Number(c.text) : c.text;
    } else cell.value = c.text;
    const left = c.kind === 'row' || c.kind === 'note' || c.kind === 'block';
    cell.alignment = { horizontal: left ? 'left' : 'center', vertical: 'middle', wrapText: true };
    cell.font = { name: '宋体', size: 10.5, bold: c.kind === 'block' || c.kind === 'col' };
    // Borders on every position the merged cell covers, so the whole rectangle is ruled.
    for (let r = row; r < row + c.rowSpan; r++) for (let k = col; k < col + c.colSpan; k++) ws.getCell(r, k).border = BORDER;
  }
}

export async function renderReportXlsx(report: AnnualReport<Cell>, opts: RenderReportOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = report.agency.name;
  wb.title = reportTitle(report, opts);
  const grids = reportGrids(report);
  const draft = !!opts.draft;
  const prose = wb.addWorksheet(PROSE_SHEET_NAME, { pageSetup: { ...A4, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }, headerFooter: footer(draft) });
  const WIDTH = 90;
  prose.columns = [{ width: WIDTH }];
  const add = (text: string, style: 'title' | 'heading' | 'subheading' | 'body') => {
    const row = prose.addRow([text]);
    const size = style === 'title' ? 18 : 14;
    row.getCell(1).alignment = { wrapText: true, vertical: 'top', horizontal: style === 'title' ? 'center' : 'left' };
    row.getCell(1).font = { name: { body: '仿宋', title: '宋体', heading: '黑体', subheading: '楷体' }[style], size, bold: style === 'title' };
    row.height = wrappedHeight(text, WIDTH, size);
  };
  if (draft) add(DRAFT_NOTE, 'heading');
  add(reportTitle(report, opts), 'title');
  if (opts.preface) add(opts.preface, 'body');
  for (const s of reportSections(report)) {
    add(s.title, 'heading');
    for (const p of s.paragraphs) add(p, isSubheading(p) ? 'subheading' : 'body');
  }
  if (opts.dateLine) {
    add(report.agency.name, 'body');
    add(opts.dateLine, 'body');
  }
  addGridSheet(wb, grids.proactive, draft);
  addGridSheet(wb, grids.requests, draft);
  addGridSheet(wb, grids.reviews, draft);
  if (opts.draft) {
    const ws = wb.addWorksheet(DRAFT_FINDINGS_TITLE.replace(/[：:]/g, ''), { pageSetup: { ...A4, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }, headerFooter: footer(true) });
    ws.columns = [{ width: WIDTH }];
    for (const line of [DRAFT_FINDINGS_TITLE, ...draftFindingLines(opts.draft.findings)]) {
      const row = ws.addRow([line]);
      row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
      row.getCell(1).font = { name: '宋体', size: 12 };
      row.height = wrappedHeight(line, WIDTH, 12);
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
