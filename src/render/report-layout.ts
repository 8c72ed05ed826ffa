/**
 * The report's three tables as grids of cells with their row and column spans, built once from the
 * layouts in src/law/report-format.ts. Every renderer (HTML, DOCX, PDF, XLSX, text) draws from these
 * grids, so the merged cells and the labels are the same in every output.
 */
import { APPLICANT_KIND_LABELS } from '../law/outcomes.js';
import type { AnnualReport, Cell, Finding, FormatVersion } from '../law/report-model.js';
import {
  REPORT_TITLE_SUFFIX,
  REQUESTS_CORNER_NOTE,
  REQUESTS_HEADER,
  REQUEST_COLUMNS,
  RESULTS_LABEL,
  REVIEWS_HEADER,
  REVIEW_GROUPS,
  REVIEW_RESULT_COLUMNS,
  ROW_CARRIED_FORWARD,
  ROW_CARRIED_OVER,
  ROW_CONCLUDED_TOTAL,
  ROW_NEW,
  SECTION_KEYS,
  SECTION_TITLES,
  outcomeGroups,
  proactiveBlocks,
  resultsRowSpan,
} from '../law/report-format.js';
import type { SectionKey } from '../law/report-format.js';

/**
 * What a cell is: a column header (`col`), a row header (`row`), the header of a table-二 block
 * (`block`), the 勾稽关系 note in table 三's corner (`note`), or a number (`data`).
 */
export type GridCellKind = 'col' | 'row' | 'block' | 'note' | 'data';

export interface GridCell {
  text: string;
  kind: GridCellKind;
  rowSpan: number;
  colSpan: number;
}

export type TableId = 'proactive' | 'requests' | 'reviews';

export interface Grid {
  id: TableId;
  /** The section the table belongs to (二、三、四). */
  section: SectionKey;
  /** A short accessible name for the table (HTML `<caption>`, sheet name). */
  caption: string;
  /** Number of grid columns. */
  columns: number;
  /** Relative column widths (they add up to 100). */
  widths: number[];
  /** Leading rows that are column headers (HTML `<thead>`). */
  headerRows: number;
  /** Each row lists only the cells that start in it, left to right (spanned positions are omitted). */
  rows: GridCell[][];
}

export interface RenderReportOptions {
  /** Overrides the title `${agency.name}${year}年政府信息公开工作年度报告`. */
  title?: string;
  /** A paragraph printed before section 一 (e.g. the usual 本报告根据…编制 lead-in). */
  preface?: string;
  /** The agency and date under the report (落款), e.g. `2026年1月20日`. */
  dateLine?: string;
  /** The report sums the agency and units below it: titled "……年度政府信息公开工作年度报告（汇总）". */
  rollup?: boolean;
  /**
   * A working copy, not the published report: every page marked 草稿, and the findings still open listed
   * on a last page.
   */
  draft?: { findings: Finding[] };
}

/** The mark on every page of a draft. */
export const DRAFT_MARK = '草稿';
export const DRAFT_NOTE = '草稿：本稿尚未签发，不得对外公开';
export const DRAFT_FINDINGS_TITLE = '附：尚待解决的问题';

const SEVERITY_LABELS: Record<string, string> = { error: '错误', warning: '提示', info: '说明' };

/** The draft's open findings as numbered lines (errors first), or one line saying there are none. */
export function draftFindingLines(findings: readonly Finding[]): string[] {
  const order = { error: 0, warning: 1, info: 2 } as Record<string, number>;
  const open = [...findings].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
  if (!open.length) return ['未发现问题。'];
  return open.map((f, i) => `${i + 1}. 【${SEVERITY_LABELS[f.severity] ?? f.severity}】${f.message}`);
}

export function reportTitle(report: Pick<AnnualReport<unknown>, 'agency' | 'year'>, opts: RenderReportOptions = {}): string {
  if (opts.title) return opts.title;
  if (opts.rollup) return `${report.agency.name}${report.year}年度${REPORT_TITLE_SUFFIX}（汇总）`;
  return `${report.agency.name}${report.year}年${REPORT_TITLE_SUFFIX}`;
}

/** How a cell value is printed: numbers as is, a blank cell empty, not applicable as "/". */
export function formatCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (value === 'n/a') return '/';
  return String(value);
}

function cell(text: string, kind: GridCellKind, rowSpan = 1, colSpan = 1): GridCell {
  return { text, kind, rowSpan, colSpan };
}

function at(obj: unknown, path: string): Cell | undefined {
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur as Cell | undefined;
}

/** Table 二: each block is a header row spanning the table, a column-header row and its rows. */
export function proactiveGrid(report: AnnualReport<Cell>): Grid {
  const blocks = proactiveBlocks(report.format);
  const columns = Math.max(...blocks.map((b) => b.columns.length));
  const rows: GridCell[][] = [];
  for (const block of blocks) {
    rows.push([cell(block.header, 'block', 1, columns)]);
    const last = block.columns.length - 1;
    rows.push(block.columns.map((c, i) => cell(c, 'col', 1, i === last ? columns - last : 1)));
    for (const r of block.rows) {
      const cells = [cell(r.label, 'row')];
      r.cells.forEach((path, i) => {
        const span = i === r.cells.length - 1 ? columns - 1 - i : 1;
        cells.push(cell(formatCell(at(report.proactive, path)), 'data', 1, span));
      });
      rows.push(cells);
    }
  }
  const first = 31;
  const rest = (100 - first) / (columns - 1);
  return {
    id: 'proactive',
    section: 'proactive',
    caption: '主动公开政府信息情况',
    columns,
    widths: [first, ...Array.from({ length: columns - 1 }, () => rest)],
    headerRows: 0,
    rows,
  };
}

/** Table 三: 3 label columns and the 7 applicant columns; three header rows. */
export function requestsGrid(report: AnnualReport<Cell>): Grid {
  const format: FormatVersion = report.format;
  const req = report.requests;
  const nums = (key: keyof typeof req): GridCell[] =>
    REQUEST_COLUMNS.map((col) => cell(formatCell(req[key]?.[col]), 'data'));
  const rows: GridCell[][] = [
    [cell(REQUESTS_CORNER_NOTE, 'note', 3, 3), cell(REQUESTS_HEADER.applicants, 'col', 1, 7)],
    [
      cell(REQUESTS_HEADER.naturalPerson, 'col', 2, 1),
      cell(REQUESTS_HEADER.organisations, 'col', 1, 5),
      cell(REQUESTS_HEADER.total, 'col', 2, 1),
    ],
    [
      cell(APPLICANT_KIND_LABELS.commercial_enterprise, 'col'),
      cell(APPLICANT_KIND_LABELS.research_institution, 'col'),
      cell(APPLICANT_KIND_LABELS.social_welfare_org, 'col'),
      cell(APPLICANT_KIND_LABELS.legal_service_org, 'col'),
      cell(APPLICANT_KIND_LABELS.other_org, 'col'),
    ],
    [cell(ROW_NEW, 'row', 1, 3), ...nums('new')],
    [cell(ROW_CARRIED_OVER, 'row', 1, 3), ...nums('carriedOver')],
  ];
  let first = true;
  for (const group of outcomeGroups(format)) {
    group.items.forEach((item, i) => {
      const row: GridCell[] = [];
      if (first) {
        row.push(cell(RESULTS_LABEL, 'row', resultsRowSpan(format), 1));
        first = false;
      }
      if (group.single) row.push(cell(group.label, 'row', 1, 2));
      else {
        if (i === 0) row.push(cell(group.label, 'row', group.items.length, 1));
        row.push(cell(item.label, 'row'));
      }
      row.push(...nums(item.key));
      rows.push(row);
    });
  }
  rows.push([cell(ROW_CONCLUDED_TOTAL, 'row', 1, 2), ...nums('concludedTotal')]);
  rows.push([cell(ROW_CARRIED_FORWARD, 'row', 1, 3), ...nums('carriedForward')]);
  return {
    id: 'requests',
    section: 'requests',
    caption: '收到和处理政府信息公开申请情况',
    columns: 10,
    widths: [5.5, 12, 38.4, 6.3, 6.3, 6.3, 6.3, 6.3, 6.3, 6.3],
    headerRows: 3,
    rows,
  };
}

/** Table 四: 行政复议 (5 columns) and 行政诉讼 (未经复议直接起诉, 复议后起诉: 5 columns each). */
export function reviewsGrid(report: AnnualReport<Cell>): Grid {
  const labels = REVIEW_RESULT_COLUMNS.map((c) => c.label);
  const data: GridCell[] = [];
  for (const group of REVIEW_GROUPS) {
    for (const c of REVIEW_RESULT_COLUMNS) data.push(cell(formatCell(report.reviews[group]?.[c.key]), 'data'));
  }
  return {
    id: 'reviews',
    section: 'reviews',
    caption: '政府信息公开行政复议、行政诉讼情况',
    columns: 15,
    widths: Array.from({ length: 15 }, () => 100 / 15),
    headerRows: 3,
    rows: [
      [cell(REVIEWS_HEADER.reconsideration, 'col', 1, 5), cell(REVIEWS_HEADER.litigation, 'col', 1, 10)],
      [
        ...labels.map((l) => cell(l, 'col', 2, 1)),
        cell(REVIEWS_HEADER.litigationDirect, 'col', 1, 5),
        cell(REVIEWS_HEADER.litigationAfterReconsideration, 'col', 1, 5),
      ],
      [...labels.map((l) => cell(l, 'col')), ...labels.map((l) => cell(l, 'col'))],
      data,
    ],
  };
}

export function reportGrids(report: AnnualReport<Cell>): Record<TableId, Grid> {
  return { proactive: proactiveGrid(report), requests: requestsGrid(report), reviews: reviewsGrid(report) };
}

export interface PlacedCell extends GridCell {
  row: number;
  col: number;
}

/** Grid cells with their top-left position, resolving the spans (for renderers that need coordinates). */
export function placeCells(grid: Grid): PlacedCell[] {
  const taken: boolean[][] = grid.rows.map(() => Array<boolean>(grid.columns).fill(false));
  const placed: PlacedCell[] = [];
  grid.rows.forEach((cells, r) => {
    let c = 0;
    for (const gc of cells) {
      while (c < grid.columns && taken[r][c]) c++;
      if (c >= grid.columns) throw new Error(`table ${grid.id}: row ${r} has more cells than columns`);
      for (let dr = 0; dr < gc.rowSpan; dr++)
        for (let dc = 0; dc < gc.colSpan; dc++) {
          if (taken[r + dr]) taken[r + dr][c + dc] = true;
        }
      placed.push({ ...gc, row: r, col: c });
      c += gc.colSpan;
    }
  });
  return placed;
}

/**
 * A paragraph of the prose that is a second-level heading ("（一）主动公开情况"): the number in full-width
 * parentheses and a short line without a full stop. GB/T 9704 7.3.3 sets it in 楷体.
 */
export function isSubheading(text: string): boolean {
  return /^（[一二三四五六七八九十]+）[^。；：]{1,30}$/.test(text.trim());
}

/** The report's sections in order, each with its title, prose paragraphs and table (if any). */
export interface ReportSection {
  key: SectionKey;
  title: string;
  paragraphs: string[];
  table?: Grid;
}

export function paragraphsOf(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** The id of a section on a rendered report page (the search links a section's hit there): 'section-overview'. */
export const reportSectionAnchor = (key: SectionKey) => `section-${key}`;

export function reportSections(report: AnnualReport<Cell>): ReportSection[] {
  const grids = reportGrids(report);
  return SECTION_KEYS.map((key) => {
    const table =
      key === 'proactive' ? grids.proactive : key === 'requests' ? grids.requests : key === 'reviews' ? grids.reviews : undefined;
    return { key, title: SECTION_TITLES[key], paragraphs: paragraphsOf(report.narrative[key]), table };
  });
}
