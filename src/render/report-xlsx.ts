/**
 * The annual report as an XLSX workbook (exceljs): one sheet per table (二、三、四) laid out with the merged
 * cells and labels of the format, numbers as numbers, and a sheet with the title and the six sections' prose.
 */
import ExcelJS from 'exceljs';
import type { AnnualReport, Cell } from '../law/report-model.js';
import { SECTION_TITLES } from '../law/report-format.js';
import type { Grid, RenderReportOptions } from './report-layout.js';
import { placeCells, reportGrids, reportSections, reportTitle } from './report-layout.js';

export const PROSE_SHEET_NAME = '报告正文';

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Sheet names are the section titles (all within Excel's 31 characters and free of []:*?/\). */
export function sheetName(grid: Grid): string {
  return SECTION_TITLES[grid.section];
}

function addGridSheet(wb: ExcelJS.Workbook, grid: Grid): void {
  const ws = wb.addWorksheet(sheetName(grid), {
    pageSetup: { paperSize: 9, orientation: grid.columns > 10 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: grid.headerRows > 0 ? [{ state: 'frozen', ySplit: grid.headerRows }] : undefined,
  });
  const totalChars = grid.columns > 10 ? 150 : 110;
  ws.columns = grid.widths.map((w) => ({ width: Math.max(6, Math.round((w / 100) * totalChars)) }));
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
  const prose = wb.addWorksheet(PROSE_SHEET_NAME);
  prose.columns = [{ width: 110 }];
  const add = (text: string, style: 'title' | 'heading' | 'body') => {
    const row = prose.addRow([text]);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top', horizontal: style === 'title' ? 'center' : 'left' };
    row.getCell(1).font = { name: style === 'body' ? '仿宋' : style === 'title' ? '宋体' : '黑体', size: style === 'title' ? 18 : 14, bold: style === 'title' };
  };
  add(reportTitle(report, opts), 'title');
  if (opts.preface) add(opts.preface, 'body');
  for (const s of reportSections(report)) {
    add(s.title, 'heading');
    for (const p of s.paragraphs) add(p, 'body');
  }
  if (opts.dateLine) {
    add(report.agency.name, 'body');
    add(opts.dateLine, 'body');
  }
  addGridSheet(wb, grids.proactive);
  addGridSheet(wb, grids.requests);
  addGridSheet(wb, grids.reviews);
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
