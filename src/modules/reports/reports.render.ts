/** The report's outputs, all from the same model: JSON (contract), HTML, DOCX (公文格式), PDF (embedded CJK font), XLSX, text. */
import { reportContractJson, type AnnualReport } from '../../law/report-model.js';
import { renderReportDocx } from '../../render/report-docx.js';
import type { RenderReportOptions } from '../../render/report-layout.js';
import { renderReportHtml } from '../../render/report-html.js';
import { renderReportPdf } from '../../render/report-pdf.js';
import { renderReportText } from '../../render/report-text.js';
import { renderReportXlsx } from '../../render/report-xlsx.js';

export async function renderAs(
  report: AnnualReport,
  format: 'json' | 'html' | 'docx' | 'pdf' | 'xlsx' | 'txt',
  opts: RenderReportOptions,
): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(reportContractJson(report), null, 2)}\n`);
    case 'html':
      return Buffer.from(renderReportHtml(report, opts));
    case 'txt':
      return Buffer.from(renderReportText(report, opts));
    case 'docx':
      return renderReportDocx(report, opts);
    case 'pdf':
      return renderReportPdf(report, opts);
    case 'xlsx':
      return renderReportXlsx(report, opts);
  }
}
