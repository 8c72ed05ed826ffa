/**
 * Reasoning over the readings of a row whose digits ran together ("77132470" for three cells: 21 readings).
 *
 * Every reading is kept; the evidence prunes them, in order: the figures the prose states about the row's
 * cells (ProseFact), then last year's report (上年结转 = last year's 结转下年度; 现行有效 = last year's + 制发 −
 * 废止). Evidence that no remaining reading satisfies prunes nothing (it is a contradiction, found below). One
 * reading left: it is adopted (info). Several: the row stays blank (info naming the readings), and every
 * check is run under each remaining reading: a finding that holds under every reading is reported with
 * certainty (its own severity), one that holds under some as a warning naming those readings.
 */
import type { AnnualReport, Cell, Finding } from '../law/report-model.js';
import { checkCarriedOverContinuity, checkInForceContinuity } from '../law/report-rules.js';
import { cellsText } from './cells.js';
import type { ProseFact } from './prose.js';
import type { Ambiguity } from './tables.js';

/** Sets a cell by its report JSON path ("requests.withheld.state_secret.total", "proactive.rules.issued"). */
export function setCell(report: AnnualReport<Cell>, path: string, value: Cell): void {
  if (!path) return;
  const last = path.lastIndexOf('.');
  const first = path.indexOf('.');
  const table = path.slice(0, first);
  const row = path.slice(first + 1, last);
  const col = path.slice(last + 1);
  const t = (report as unknown as Record<string, Record<string, Record<string, Cell>>>)[table];
  if (t?.[row]) t[row][col] = value;
}

function withReading(report: AnnualReport<Cell>, a: Ambiguity, reading: Cell[]): AnnualReport<Cell> {
  const copy: AnnualReport<Cell> = {
    ...report,
    proactive: structuredClone(report.proactive),
    requests: structuredClone(report.requests),
    reviews: structuredClone(report.reviews),
  };
  a.paths.forEach((p, i) => setCell(copy, p, reading[i]));
  return copy;
}

interface Evidence {
  name: string;
  test(r: AnnualReport<Cell>): boolean | undefined;
}

const MAX_READINGS_CHECKED = 60;
const SHOWN = 6;

function readingsText(rs: Cell[][]): string {
  return rs.slice(0, SHOWN).map(cellsText).join(' / ') + (rs.length > SHOWN ? ` 等 ${rs.length} 种` : '');
}

const key = (f: Finding) => `${f.rule}\u0000${f.where}\u0000${f.message}`;

export interface ReadingsInput {
  /** The report with the ambiguous rows blank; a reading that is adopted is written into it. */
  report: AnnualReport<Cell>;
  ambiguities: Ambiguity[];
  facts: ProseFact[];
  previous?: AnnualReport<Cell>;
  /** Rows of last year's report that its own audit left with several readings (blank in `previous`). */
  previousAmbiguities?: Ambiguity[];
  /** Every check of a report (the rules and the prose checks), run under each reading. */
  check(r: AnnualReport<Cell>): Finding[];
}

export function reasonOverReadings(input: ReadingsInput): Finding[] {
  const { report, ambiguities, facts, previous, check } = input;
  // Last year's report under each of its remaining readings (its cells as its prose left them).
  const previousVariants: AnnualReport<Cell>[] = previous ? [previous] : [];
  if (previous) {
    for (const pa of input.previousAmbiguities ?? []) {
      const more: AnnualReport<Cell>[] = [];
      for (const v of previousVariants) for (const r of pa.readings) more.push(withReading(v, pa, r));
      if (more.length <= MAX_READINGS_CHECKED) previousVariants.splice(0, previousVariants.length, ...more);
    }
  }
  const out: Finding[] = [];
  const info = (rule: string, message: string, where: string): Finding => ({ severity: 'info', rule, message, where });
  for (const a of ambiguities) {
    const all = a.readings;
    let readings = all;
    const used: string[] = [];
    const evidence: Evidence[] = facts
      .filter((f) => f.paths.some((p) => a.paths.includes(p)))
      .map((f) => ({ name: `正文所述${f.says.replace(/^正文称/, '')}`, test: f.test }));
    if (previous) {
      const rows = a.paths.map((p) => p.slice(0, p.lastIndexOf('.')));
      if (rows.includes('proactive.normativeDocuments') || rows.includes('proactive.rules')) {
        evidence.push({
          name: `${previous.year}年报告的现行有效件数`,
          test: (r) => previousVariants.some((pv) => !checkInForceContinuity(r, pv).some((f) => rows.some((row) => f.where.startsWith(row)))),
        });
      }
      if (rows.includes('requests.carriedOver')) {
        evidence.push({
          name: `${previous.year}年报告的“结转下年度继续办理”`,
          test: (r) => previousVariants.some((pv) => checkCarriedOverContinuity(r, pv).length === 0),
        });
      }
    }
    for (const e of evidence) {
      const kept = readings.filter((r) => e.test(withReading(report, a, r)) !== false);
      if (kept.length > 0 && kept.length < readings.length) {
        readings = kept;
        used.push(e.name);
      }
    }
    a.readings = readings; // what is left, for next year's audit
    const by = used.length ? `按${used.join('、')}` : '';
    if (readings.length === 1) {
      a.paths.forEach((p, i) => setCell(report, p, readings[0][i]));
      out.push(info('table.split-resolved', `${a.label}一行数字连写为“${a.printed}”，可拆分为 ${all.length} 种，${by}读作 ${cellsText(readings[0])}`, a.row));
      continue;
    }
    out.push(
      info(
        'table.ambiguous-split',
        `${a.label}一行数字连写为“${a.printed}”，可拆分为 ${all.length} 种（${readingsText(all)}）${by ? `，${by}排除后仍有 ${readings.length} 种（${readingsText(readings)}）` : ''}，无法确定，本行未读取`,
        a.row,
      ),
    );
    if (readings.length > MAX_READINGS_CHECKED) continue;
    // Every check under each remaining reading: what holds under all is certain, under some a warning.
    const baseline = new Set(check(report).map(key));
    const under = (rs: Cell[][]) =>
      rs.map((r) => {
        const m = new Map<string, Finding>();
        for (const f of check(withReading(report, a, r))) if (!baseline.has(key(f))) m.set(`${f.rule}\u0000${f.where}`, f);
        return m;
      });
    const results = under(readings);
    const groups = new Set(results.flatMap((m) => [...m.keys()]));
    let fullResults: Map<string, Finding>[] | null = null;
    for (const g of groups) {
      const failing = readings.filter((_, i) => results[i].has(g));
      const first = results.find((m) => m.has(g))!.get(g)!;
      if (failing.length === readings.length) {
        // Does it hold under every reading of the digits, not only those the evidence left?
        if (!fullResults && all.length <= MAX_READINGS_CHECKED) fullResults = under(all);
        const everySplit = readings.length === all.length || (fullResults !== null && fullResults.every((m) => m.has(g)));
        const scope = everySplit
          ? `无论如何拆分（共 ${all.length} 种）都不成立`
          : `${by}可能的 ${readings.length} 种读法（${readingsText(readings)}）都不成立`;
        out.push({ ...first, message: `${first.message}（${a.label}一行印为“${a.printed}”，${scope}）` });
      } else {
        const holding = readings.filter((_, i) => !results[i].has(g));
        out.push({
          ...first,
          severity: first.severity === 'info' ? 'info' : 'warning',
          message: `${first.message}（${a.label}一行印为“${a.printed}”：若读作 ${readingsText(failing)} 则如此；读作 ${readingsText(holding)} 则不然）`,
        });
      }
    }
  }
  return out;
}
