/**
 * Benchmark of the report audit (issue 6): text reports and PDF reports audited per second on one core
 * (targets: ≥ 200 text reports/s, ≥ 10 PDF/s). Text: the example .txt reports and generated reports in the
 * layouts of published reports; PDF: ../shared/examples/reports/huaian-2024.pdf (six pages, a whole
 * city-government report) and, as a second figure, reports rendered by the report capability
 * (renderReportPdf, seven pages). Run alone: `node --import tsx bench/reportcheck.ts [--quick]`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { auditBuffer } from '../src/reportcheck/audit.js';
import { renderReportPdf } from '../src/render/report-pdf.js';
import { sampleReport } from '../src/render/sample-report.js';
import type { TextLayout } from '../src/reportcheck/synthetic.js';
import { renderSyntheticText, syntheticReport } from '../src/reportcheck/synthetic.js';
import type { BenchResult } from './types.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const examples = join(repoRoot, '..', 'shared', 'examples', 'reports');

function result(name: string, value: number, floor: number, target: string): BenchResult {
  const v = Math.round(value * 10) / 10;
  return { name, value: v, unit: 'reports/s', floor, ratio: Math.round((value / floor) * 100) / 100, target, met: value >= floor };
}

async function rate(inputs: { buf: Buffer; name: string }[], seconds: number, label: string): Promise<number> {
  // Warm up (JIT, the PDF library's first load).
  for (const i of inputs.slice(0, 3)) await auditBuffer(i.buf, i.name);
  let n = 0;
  const t0 = performance.now();
  let last = t0;
  while (performance.now() - t0 < seconds * 1000) {
    const i = inputs[n % inputs.length];
    await auditBuffer(i.buf, i.name);
    n++;
    if (performance.now() - last > 1000) {
      last = performance.now();
      process.stderr.write(`  ${label}: ${n} reports, ${((n * 1000) / (last - t0)).toFixed(1)}/s\n`);
    }
  }
  return (n * 1000) / (performance.now() - t0);
}

export async function benchReportcheck(opts: { quick: boolean }): Promise<BenchResult[]> {
  const seconds = opts.quick ? 1 : 5;
  const texts: { buf: Buffer; name: string }[] = readdirSync(examples)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => ({ buf: readFileSync(join(examples, f)), name: f }));
  const layouts: TextLayout[] = ['pipes', 'spaces', 'tabs', 'lines', 'paragraphs', 'runtogether'];
  for (let seed = 1; seed <= 60; seed++) {
    const layout = layouts[seed % layouts.length];
    texts.push({ buf: Buffer.from(renderSyntheticText(syntheticReport(seed, { format: seed % 5 ? '2021' : '2019' }), layout)), name: `gen-${seed}.txt` });
  }
  process.stderr.write(`reportcheck: text (${texts.length} distinct reports, ${seconds}s)\n`);
  const textRate = await rate(texts, seconds, 'text');
  const pdf = { buf: readFileSync(join(examples, 'huaian-2024.pdf')), name: 'huaian-2024.pdf' };
  process.stderr.write(`reportcheck: PDF (huaian-2024.pdf, 6 pages, ${seconds}s)\n`);
  const pdfRate = await rate([pdf], seconds, 'pdf');
  const rendered: { buf: Buffer; name: string }[] = [];
  for (let seed = 1; seed <= 4; seed++) {
    const format = seed % 2 ? '2021' : '2019';
    rendered.push({ buf: await renderReportPdf(sampleReport(seed, { format, year: format === '2021' ? 2025 : 2020 })), name: `rendered-${seed}.pdf` });
  }
  process.stderr.write(`reportcheck: PDF (renderReportPdf output, 4 reports, ${seconds}s)\n`);
  const renderedRate = await rate(rendered, seconds, 'pdf (rendered)');
  return [
    result('reportcheck: text reports audited', textRate, 200, '≥ 200 份/秒（单核）'),
    result('reportcheck: PDF reports audited (huaian-2024.pdf)', pdfRate, 10, '≥ 10 份/秒（单核）'),
    result('reportcheck: PDF reports audited (renderReportPdf output)', renderedRate, 10, '≥ 10 份/秒（单核）'),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const res = await benchReportcheck({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(res, null, 2));
}
