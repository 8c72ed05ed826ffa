/**
 * The annual report as plain text: the title, the six sections with their prose, and each table as one
 * line per grid row, the cells that start in that row separated by " | " (a label spanning several rows
 * sits on the line of its first row). Used for the audit's round trip and for plain-text publication.
 */
import type { AnnualReport, Cell } from '../law/report-model.js';
import type { Grid, RenderReportOptions } from './report-layout.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_NOTE, draftFindingLines, reportSections, reportTitle } from './report-layout.js';

export const TEXT_CELL_SEPARATOR = ' | ';

export function gridText(grid: Grid): string {
  return grid.rows.map((row) => row.map((c) => c.text).join(TEXT_CELL_SEPARATOR)).join('\n');
}

export function renderReportText(report: AnnualReport<Cell>, opts: RenderReportOptions = {}): string {
  const out: string[] = [...(opts.draft ? [`【${DRAFT_NOTE}】`] : []), reportTitle(report, opts), ''];
  if (opts.preface) out.push(opts.preface, '');
  for (const section of reportSections(report)) {
    out.push(section.title);
    for (const p of section.paragraphs) out.push(p);
    if (section.table) out.push(gridText(section.table));
    out.push('');
  }
  if (opts.dateLine) out.push(report.agency.name, opts.dateLine, '');
  if (opts.draft) out.push(DRAFT_FINDINGS_TITLE, ...draftFindingLines(opts.draft.findings), '');
  return out.join('\n');
}
