/**
 * Search latency on data that is already there (not part of `npm run bench`): the platform benchmark's one-,
 * two- and three-word queries, a first (cold) run of each and six repeated runs, p50/p95 per kind, and a few
 * deep pages and orders — for a dataset whose generation did not finish (no summary to `--reuse`) or any
 * installation's database.
 *
 *   node --import tsx bench/search-latency.ts --sqlite bench/results/work/bench-city_r005.db [--analyze]
 *   node --import tsx bench/search-latency.ts --pg-schema bench_city_r005 [--pg-url postgres://…] [--analyze]
 *
 * `--analyze` refreshes the planner's statistics first (PostgreSQL's walk decision reads them). The store is
 * warmed first as a server warms it when it starts (warmSearch), and that is timed apart.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { DatabaseConfig } from '../src/config.js';
import { openStore } from '../src/db/open.js';
import type { Ctx } from '../src/modules/context.js';
import { indexedCount, searchItems, warmSearch, type SearchQuery } from '../src/modules/search/search.service.js';
import { SEARCH_QUERIES } from './platform.js';

const { values } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    'pg-schema': { type: 'string' },
    'pg-url': { type: 'string', default: process.env.GONGKAI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    analyze: { type: 'boolean', default: false },
  },
});
if (!values.sqlite === !values['pg-schema']) {
  console.error('请指定 --sqlite 文件 或 --pg-schema 模式（二者之一）');
  process.exit(2);
}
const config: DatabaseConfig = values.sqlite
  ? { engine: 'sqlite', file: values.sqlite }
  : { engine: 'postgres', url: values['pg-url']!, schema: values['pg-schema']!, poolSize: 4 };
const store = await openStore(config);
const ctx: Ctx = { db: store.db, engine: store.engine, now: () => new Date() };
if (values.analyze) await sql`analyze search_docs`.execute(store.db);
console.log(`${store.engine}，索引中 ${await indexedCount(ctx)} 条`);
// what a server does when it starts (src/server.ts): the first runs below are each query's first, not the process's
const tw = performance.now();
await warmSearch(ctx);
console.log(`启动预热（warmSearch）${(performance.now() - tw).toFixed(1)} ms`);

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
async function timed(q: SearchQuery): Promise<{ ms: number; total: number; capped: boolean }> {
  const t = performance.now();
  const r = await searchItems(ctx, q);
  return { ms: performance.now() - t, total: r.total, capped: r.totalCapped };
}
for (const [label, qs] of Object.entries(SEARCH_QUERIES)) {
  const cold: number[] = [];
  const repeated: number[] = [];
  for (const q of qs) {
    const r = await timed({ q });
    cold.push(r.ms);
    console.log(`  ${q}: ${r.ms.toFixed(1)} ms, ${r.capped ? `${r.total} 条以上` : `${r.total} 条`}`);
  }
  for (let rep = 0; rep < 6; rep++) for (const q of qs) repeated.push((await timed({ q })).ms);
  console.log(`${label}: repeated p50 ${quantile(repeated, 0.5).toFixed(1)} ms, p95 ${quantile(repeated, 0.95).toFixed(1)} ms; first runs median ${quantile(cold, 0.5).toFixed(1)} ms, max ${Math.max(...cold).toFixed(1)} ms`);
}
for (const q of ['公开', '营商环境']) {
  for (const extra of [{ sort: 'date' as const }, { page: 20 }]) {
    const r = await timed({ q, ...extra });
    console.log(`  ${q} ${JSON.stringify(extra)}: ${r.ms.toFixed(1)} ms`);
  }
}
await store.close();
