/**
 * Round trip (issue 6): every report the report capability renders — text, HTML, DOCX and PDF, in the 2021
 * and the 2019 formats — reads back through the report audit to the same numbers, for many randomly
 * generated consistent reports (sampleReport(seed)): every cell of tables 二, 三 and 四 (2019: the cells
 * that format carries), the agency and the year, and no `error` finding. Then one random cell of table 三
 * or 四 is changed in the model without fixing the totals: the changed value reads back and an `error`
 * finding names it (its row's 总计 and its column's （七）总计 in table 三, its group's 总计 in table 四).
 * Also: the PDF reader's pdfjs runtime (the text-only worker, the built-ins left native).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnualReport, Cell, FormatVersion, RequestRowKey } from '../law/report-model.js';
import {
  REQUEST_COLUMNS,
  REVIEW_GROUPS,
  REVIEW_RESULT_COLUMNS,
  proactiveBlocks,
  requestRowLabels,
} from '../law/report-format.js';
import { renderReportDocx } from '../render/report-docx.js';
import { renderReportHtml } from '../render/report-html.js';
import { renderReportPdf } from '../render/report-pdf.js';
import { renderReportText } from '../render/report-text.js';
import { sampleReport } from '../render/sample-report.js';
import type { AuditedReport } from './audit.js';
import { auditBuffer } from './audit.js';
import { getProactive } from './model.js';
import { pdfReaderInfo, readReport } from './readers.js';
import { prng } from './synthetic.js';

// Before pdfjs is loaded (by the first PDF read below).
const NATIVES = { push: Array.prototype.push, stringify: JSON.stringify, parse: JSON.parse, toString: Function.prototype.toString };

type Kind = 'txt' | 'html' | 'docx' | 'pdf';

const RENDER: Record<Kind, (r: AnnualReport) => Promise<Buffer>> = {
  txt: async (r) => Buffer.from(renderReportText(r), 'utf8'),
  html: async (r) => Buffer.from(renderReportHtml(r), 'utf8'),
  docx: (r) => renderReportDocx(r),
  pdf: (r) => renderReportPdf(r),
};

/** Seeds per format (each seed: a consistent report and a report with one cell changed). */
const SEEDS: Record<Kind, number> = { txt: 40, html: 40, docx: 15, pdf: 8 };

const AGENCIES = [
  { code: 'HRB-SFJ', name: '哈尔滨市司法局' },
  { code: 'HA-GOV', name: '淮安市人民政府' },
  { code: 'PW-TJJ', name: '平武县统计局' },
  { code: 'XX-TPZ', name: '息县太平镇人民政府' },
  { code: 'GD-JYT', name: '广东省教育厅' },
];

function modelFor(seed: number, format: FormatVersion): AnnualReport {
  const year = format === '2021' ? 2021 + (seed % 5) : 2019 + (seed % 2);
  return sampleReport(seed, { format, year, agency: AGENCIES[seed % AGENCIES.length] });
}

/** Every cell the format prints, as [path, value] (table 二 only where the format has a cell for it). */
function cells(r: Pick<AnnualReport<Cell>, 'proactive' | 'requests' | 'reviews'>, format: FormatVersion): [string, Cell][] {
  const out: [string, Cell][] = [];
  for (const block of proactiveBlocks(format))
    for (const row of block.rows) for (const path of row.cells) if (path) out.push([`proactive.${path}`, getProactive(r.proactive, path)]);
  for (const { key } of requestRowLabels(format)) for (const col of REQUEST_COLUMNS) out.push([`requests.${key}.${col}`, r.requests[key][col]]);
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_RESULT_COLUMNS) out.push([`reviews.${g}.${c.key}`, r.reviews[g][c.key]]);
  return out;
}

const errorsOf = (got: AuditedReport) => got.findings.filter((f) => f.severity === 'error');

function assertReadBack(model: AnnualReport, got: AuditedReport, label: string): void {
  assert.deepEqual(cells(got, model.format), cells(model, model.format), label);
  assert.equal(got.agency, model.agency.name, `${label}: agency`);
  assert.equal(got.year, model.year, `${label}: year`);
  assert.equal(got.format, model.format, `${label}: format`);
}

interface Change {
  /** The changed cell's path. */
  path: string;
  value: number;
  /** `where` of the error findings that must name it. */
  where: string[];
}

/** Changes one random cell of table 三 or 四 (the totals are left as they were). */
function changeOneCell(model: AnnualReport, seed: number): { changed: AnnualReport; change: Change } {
  const rand = prng(seed * 31 + 7);
  const changed = structuredClone(model);
  const delta = 1 + Math.floor(rand() * 9);
  if (rand() < 0.7) {
    const rows = requestRowLabels(model.format).map((r) => r.key);
    const key: RequestRowKey = rows[Math.floor(rand() * rows.length)];
    const col = REQUEST_COLUMNS[Math.floor(rand() * REQUEST_COLUMNS.length)];
    const value = changed.requests[key][col] + delta;
    changed.requests[key][col] = value;
    return {
      changed,
      change: { path: `requests.${key}.${col}`, value, where: [`requests.${key}.total`, `requests.concludedTotal.${col}`] },
    };
  }
  const g = REVIEW_GROUPS[Math.floor(rand() * REVIEW_GROUPS.length)];
  const c = REVIEW_RESULT_COLUMNS[Math.floor(rand() * REVIEW_RESULT_COLUMNS.length)].key;
  const value = changed.reviews[g][c] + delta;
  changed.reviews[g][c] = value;
  return { changed, change: { path: `reviews.${g}.${c}`, value, where: [`reviews.${g}.total`] } };
}

for (const kind of ['txt', 'html', 'docx', 'pdf'] as const) {
  describe(`round trip: ${kind}`, () => {
    for (const format of ['2021', '2019'] as const) {
      it(`${SEEDS[kind]} random consistent reports (${format} format) read back exactly, with no error`, async () => {
        for (let seed = 1; seed <= SEEDS[kind]; seed++) {
          const model = modelFor(seed, format);
          const label = `${kind} ${format} seed ${seed}`;
          const got = await auditBuffer(await RENDER[kind](model), `report-${seed}.${kind}`);
          assertReadBack(model, got, label);
          assert.deepEqual(errorsOf(got), [], label);
        }
      });

      it(`a random single-cell change in table 三 or 四 is caught (${format} format, ${SEEDS[kind]} seeds)`, async () => {
        for (let seed = 1; seed <= SEEDS[kind]; seed++) {
          const { changed, change } = changeOneCell(modelFor(seed, format), seed);
          const label = `${kind} ${format} seed ${seed}: ${change.path} → ${change.value}`;
          const got = await auditBuffer(await RENDER[kind](changed), `changed-${seed}.${kind}`);
          // The changed report still reads back exactly (the changed value included) …
          assertReadBack(changed, got, label);
          // … and the audit names the change.
          const errors = errorsOf(got);
          for (const where of change.where) {
            assert.ok(
              errors.some((f) => f.where === where),
              `${label}: no error at ${where}: ${JSON.stringify(errors)}`,
            );
          }
          assert.ok(errors.every((f) => change.where.includes(f.where)), `${label}: unrelated error ${JSON.stringify(errors)}`);
        }
      });
    }
  });
}

describe('the PDF reader runtime', () => {
  it('reads with the text-only pdfjs worker, and leaves JSON and Array.prototype.push native', async () => {
    const doc = await readReport(await renderReportPdf(modelFor(1, '2021')), 'r.pdf');
    assert.equal(doc.kind, 'pdf');
    assert.match(doc.text, /一、本年新收政府信息公开申请数量/);
    assert.deepEqual(await pdfReaderInfo(), { textOnlyWorker: true });
    assert.equal(Array.prototype.push, NATIVES.push);
    assert.equal(JSON.stringify, NATIVES.stringify);
    assert.equal(JSON.parse, NATIVES.parse);
    assert.equal(Function.prototype.toString, NATIVES.toString);
  });

  it('blank cells in a PDF table row stay blank: the numbers go under their column headers (2019 table 二)', async () => {
    const model = modelFor(3, '2019');
    const doc = await readReport(await renderReportPdf(model), 'r.pdf');
    const rules = model.proactive.rules;
    assert.ok(doc.text.split('\n').includes(`规章 | ${rules.issued} |  | ${rules.inForce}`), doc.text);
    assert.ok(doc.text.split('\n').includes(`行政许可 |  |  | ${model.proactive.licensing.decisions}`), doc.text);
  });
});
