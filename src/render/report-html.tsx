/**
 * The annual report as HTML: preact components for the portal's 年报专栏 page, and a standalone document.
 * Tables follow the format exactly (merged cells, verbatim labels), with `<caption>`, `<thead>` and
 * `<th scope>` so that screen readers can relate each number to its row and column headers.
 */
import { render } from 'preact-render-to-string';
import type { AnnualReport, Cell } from '../law/report-model.js';
import type { Grid, GridCell, RenderReportOptions, TableId } from './report-layout.js';
import { DRAFT_FINDINGS_TITLE, DRAFT_NOTE, draftFindingLines, isSubheading, reportGrids, reportSectionAnchor, reportSections, reportTitle } from './report-layout.js';

function scopeOf(c: GridCell): 'col' | 'colgroup' | 'row' | 'rowgroup' | undefined {
  if (c.kind === 'col' || c.kind === 'block') return c.colSpan > 1 ? 'colgroup' : 'col';
  if (c.kind === 'row') return c.rowSpan > 1 ? 'rowgroup' : 'row';
  return undefined;
}

function GridCellView({ cell }: { cell: GridCell }) {
  const span = {
    rowSpan: cell.rowSpan > 1 ? cell.rowSpan : undefined,
    colSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
  };
  if (cell.kind === 'data' || cell.kind === 'note')
    return (
      <td class={cell.kind === 'note' ? 'note' : 'num'} {...span}>
        {cell.text}
      </td>
    );
  return (
    <th scope={scopeOf(cell)} class={cell.kind} {...span}>
      {cell.text}
    </th>
  );
}

export function GridTable({ grid }: { grid: Grid }) {
  const head = grid.rows.slice(0, grid.headerRows);
  const body = grid.rows.slice(grid.headerRows);
  return (
    <table class={`report-table report-table-${grid.id}`} data-table={grid.id}>
      <caption>{grid.caption}</caption>
      <colgroup>
        {grid.widths.map((w) => (
          <col style={`width:${w.toFixed(2)}%`} />
        ))}
      </colgroup>
      {head.length > 0 && (
        <thead>
          {head.map((row) => (
            <tr>
              {row.map((c) => (
                <GridCellView cell={c} />
              ))}
            </tr>
          ))}
        </thead>
      )}
      <tbody>
        {body.map((row) => (
          <tr>
            {row.map((c) => (
              <GridCellView cell={c} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One of the report's tables (二 `proactive`, 三 `requests`, 四 `reviews`). */
export function ReportTable({ report, table }: { report: AnnualReport<Cell>; table: TableId }) {
  return <GridTable grid={reportGrids(report)[table]} />;
}

/** The three tables, in order, without the prose. */
export function ReportTables({ report }: { report: AnnualReport<Cell> }) {
  const grids = reportGrids(report);
  return (
    <div class="report-tables">
      <GridTable grid={grids.proactive} />
      <GridTable grid={grids.requests} />
      <GridTable grid={grids.reviews} />
    </div>
  );
}

/** The whole report: title, the six sections with their prose and tables, and the 落款 if given. */
export function ReportDocument({
  report,
  opts = {},
  headingLevel = 1,
}: {
  report: AnnualReport<Cell>;
  opts?: RenderReportOptions;
  /** The heading level of the title (the sections use the next level). */
  headingLevel?: 1 | 2 | 3;
}) {
  const Title = `h${headingLevel}` as 'h1';
  const Section = `h${headingLevel + 1}` as 'h2';
  return (
    <article class={opts.draft ? 'annual-report draft' : 'annual-report'} lang="zh-CN" data-year={report.year} data-format={report.format}>
      {opts.draft && <p class="draft-note" role="note">{DRAFT_NOTE}</p>}
      <Title class="report-title">{reportTitle(report, opts)}</Title>
      {opts.preface && <p class="preface">{opts.preface}</p>}
      {reportSections(report).map((s) => (
        <section class={`report-section report-section-${s.key}`} data-section={s.key} id={reportSectionAnchor(s.key)}>
          <Section>{s.title}</Section>
          {s.paragraphs.map((p) => (isSubheading(p) ? <p class="subheading">{p}</p> : <p>{p}</p>))}
          {s.table && <GridTable grid={s.table} />}
        </section>
      ))}
      {opts.dateLine && (
        <p class="signature">
          {report.agency.name}
          <br />
          {opts.dateLine}
        </p>
      )}
      {opts.draft && (
        <section class="draft-findings">
          <Section>{DRAFT_FINDINGS_TITLE}</Section>
          <ol>
            {draftFindingLines(opts.draft.findings).map((l) => (
              <li>{l.replace(/^\d+\. /, '')}</li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

/** Styles for the standalone document (the portal has its own stylesheet). */
export const REPORT_CSS = `
body{margin:0;background:#f5f5f5;color:#111;font-family:"FangSong","仿宋","仿宋_GB2312","STFangsong","Songti SC","SimSun",serif;}
.annual-report{max-width:960px;margin:0 auto;padding:2.5rem 3rem;background:#fff;font-size:16px;line-height:1.8;}
.report-title{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S","SimSun","宋体",serif;font-size:1.7rem;text-align:center;font-weight:normal;margin:0 0 1.5rem;}
.annual-report h2{font-family:"黑体","SimHei","Heiti SC","Noto Sans SC",sans-serif;font-size:1.1rem;font-weight:normal;margin:1.5rem 0 .5rem;}
.annual-report p{text-indent:2em;margin:.4rem 0;}
.annual-report p.signature{text-align:right;text-indent:0;margin-top:2rem;}
.report-table{border-collapse:collapse;width:100%;margin:.75rem 0 1.25rem;font-size:14px;line-height:1.4;table-layout:fixed;}
.report-table caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;}
.report-table th,.report-table td{border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;font-weight:normal;word-break:break-all;}
.report-table th.row{text-align:left;}
.report-table th.block{text-align:left;font-weight:bold;background:#f0f0f0;}
.report-table td.note{text-align:left;font-size:13px;}
.annual-report p.subheading{font-family:"楷体","楷体_GB2312","KaiTi","STKaiti","LXGW WenKai",serif;}
.draft-note{color:#c00000;text-align:center;text-indent:0;font-weight:bold;border:1px solid #c00000;padding:.25rem;}
.annual-report.draft{background-image:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='360' height='260'%3E%3Ctext x='40' y='180' font-size='96' fill='%23000' fill-opacity='0.07' transform='rotate(-30 180 130)'%3E%E8%8D%89%E7%A8%BF%3C/text%3E%3C/svg%3E");}
.draft-findings{break-before:page;page-break-before:always;}
.draft-findings li{text-indent:0;margin:.2rem 0;}
@media print{
@page{size:A4;margin:37mm 26mm 35mm 28mm}
body{background:#fff}.annual-report{padding:0;max-width:none;font-size:16pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.report-table{font-size:10.5pt}
.report-table tr,.report-table th,.report-table td{break-inside:avoid;page-break-inside:avoid}
.report-table thead{display:table-header-group}
.annual-report h2,.annual-report p.subheading{break-after:avoid;page-break-after:avoid}
.report-section p{orphans:2;widows:2}
}
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
}

/** A standalone HTML document (UTF-8, with its own stylesheet). */
export function renderReportHtml(report: AnnualReport<Cell>, opts: RenderReportOptions = {}): string {
  const title = reportTitle(report, opts);
  const body = render(<ReportDocument report={report} opts={opts} />);
  return (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}
