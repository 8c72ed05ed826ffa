/**
 * npm run bench [-- --size quick|district|city|province] [--engine sqlite|postgres|both] [--only NAME]
 *   (NAME: platform, reportcheck, search-corpus, or, only when named: scale — several processes on PostgreSQL,
 *   pages by wrk — and generate — only the data, kept for later runs with --reuse)
 *                 [--items-per-agency-year N] [--request-share 0.25] [--reuse]
 *
 * --reuse: measure the data an earlier run generated at the same size (bench/lib/dataset.ts) instead of
 * generating it again; the import figure is then the one measured when the data was made.
 *
 * Runs each benchmark against its floor in the same run, prints a table, and writes JSON to
 * bench/results/. The quick size finishes in a few minutes on 2 cores. Timing targets live here, never in
 * the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { log } from './lib/progress.js';
import type { BenchResult } from './types.js';

export type Size = 'quick' | 'district' | 'city' | 'province';
export interface BenchOptions {
  size: Size;
  /** Overrides the size's mean items per agency-year (e.g. a province's agencies and requests with fewer items). */
  itemsPerAgencyYear?: number;
  /** Generates this share of the size's requests (0–1): a province's agencies with fewer requests. */
  requestShare?: number;
  engine: 'sqlite' | 'postgres';
  pgUrl: string;
  workDir: string;
  /** Measure the data an earlier run generated (same size, engine and items per agency-year). */
  reuse?: boolean;
}
type Bench = (o: BenchOptions) => Promise<BenchResult[]>;

const BENCHES: Record<string, { load: () => Promise<Bench>; engines: boolean }> = {
  platform: { load: async () => (await import('./platform.js')).benchPlatform, engines: true },
  'search-corpus': { load: async () => (await import('./search-corpus.js')).benchSearchCorpus, engines: true },
  scale: { load: async () => (await import('./scale.js')).benchScale, engines: true },
  generate: { load: async () => (await import('./platform.js')).benchGenerate, engines: true },
  reportcheck: {
    load: async () => {
      const m = await import('./reportcheck.js');
      return (o) => m.benchReportcheck({ quick: o.size === 'quick' });
    },
    engines: false,
  },
};

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'quick' },
    engine: { type: 'string', default: 'both' },
    only: { type: 'string' },
    'items-per-agency-year': { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'request-share': { type: 'string' },
    'pg-url': { type: 'string', default: process.env.GONGKAI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const size = values.size as Size;
if (!['quick', 'district', 'city', 'province'].includes(size)) {
  console.error(`--size 应为 quick、district、city 或 province：“${values.size}”`);
  process.exit(2);
}
const itemsPerAgencyYear = values['items-per-agency-year'] ? Number(values['items-per-agency-year']) : undefined;
if (itemsPerAgencyYear !== undefined && !(Number.isInteger(itemsPerAgencyYear) && itemsPerAgencyYear > 0)) {
  console.error(`--items-per-agency-year 应为正整数：“${values['items-per-agency-year']}”`);
  process.exit(2);
}
const requestShare = values['request-share'] ? Number(values['request-share']) : undefined;
if (requestShare !== undefined && !(requestShare > 0 && requestShare <= 1)) {
  console.error(`--request-share 应为 0 到 1 之间的小数：“${values['request-share']}”`);
  process.exit(2);
}
const engines = values.engine === 'both' ? (['sqlite', 'postgres'] as const) : [values.engine as 'sqlite' | 'postgres'];
const root = fileURLToPath(new URL('.', import.meta.url));
const workDir = join(root, 'results', 'work');
mkdirSync(workDir, { recursive: true });

const all: (BenchResult & { bench: string; engine?: string })[] = [];
const started = Date.now();
for (const [name, b] of Object.entries(BENCHES)) {
  if (values.only && !values.only.split(',').includes(name)) continue;
  // several processes, nginx and wrk; the data alone: only when asked for (--only scale, --only generate)
  if (!values.only && (name === 'scale' || name === 'generate')) continue;
  let fn: Bench;
  try {
    fn = await b.load();
  } catch (e) {
    log(`[${name}] 不可用：${(e as Error).message}`);
    continue;
  }
  for (const engine of b.engines ? engines : (['sqlite'] as const)) {
    log(`\n== ${name}${b.engines ? ` (${engine})` : ''}, size ${size}`);
    try {
      const rs = await fn({ size, itemsPerAgencyYear, requestShare, engine, pgUrl: values['pg-url']!, workDir, reuse: values.reuse });
      for (const r of rs) all.push({ ...r, bench: name, engine: b.engines ? engine : undefined });
    } catch (e) {
      log(`[${name}] 失败：${(e as Error).stack ?? e}`);
      all.push({ bench: name, engine, name: `${name} failed`, value: NaN, unit: '', note: (e as Error).message });
    }
  }
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
const rows = all.map((r) => [
  `${r.bench}${r.engine ? `/${r.engine}` : ''}`, r.name, `${fmt(r.value)} ${r.unit}`, r.floor === undefined ? '' : `${fmt(r.floor)} ${r.unit}`,
  r.ratio === undefined ? '' : r.ratio.toFixed(2), r.target ?? '', r.met === undefined ? '' : r.met ? 'met' : 'NOT met', r.note ?? '',
]);
const head = ['bench', 'figure', 'value', 'floor', 'ratio', 'target', '', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log([head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n'));
const out = join(root, 'results', `bench-${size}${itemsPerAgencyYear ? `-i${itemsPerAgencyYear}` : ''}${requestShare ? `-r${requestShare}` : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ size, itemsPerAgencyYear, requestShare, engines, at: new Date().toISOString(), seconds: (Date.now() - started) / 1000, results: all }, null, 2));
log(`\n结果已写入 ${out}（用时 ${((Date.now() - started) / 1000).toFixed(0)} 秒）`);
