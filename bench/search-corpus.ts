/**
 * Search on the real corpus (../shared/corpus: 3,547 documents, 20.7 M characters of statutes, regulations,
 * judicial interpretations, local regulations and 政府工作报告), part of `npm run bench` (issue 13):
 * - indexing speed in characters per second (title + body), through indexItems in transactions of 200
 *   documents, against its floor in the same run: an FTS5 trigram index built over the same text, on disk, in
 *   a bare SQLite file (transactions of 200 rows; no folding, no other columns);
 * - the same text imported as items (`gongkai import items`' path: items, audit entries, index; the text
 *   prepared on worker threads while the previous batch is written), against the same floor;
 * - query latency p50/p95 over a fixed mix of real queries (phrases of 2–12 characters, two words,
 *   traditional characters, digits and 文号, one character): the first run of each query on a newly opened
 *   store apart (cold), and the percentiles over six further runs (repeated). Targets: p95 ≤ 20 ms on
 *   SQLite, ≤ 50 ms on PostgreSQL.
 * The corpus is the same at every --size.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { openStore } from '../src/db/open.js';
import type { Ctx } from '../src/modules/context.js';
import { createAgency } from '../src/modules/agencies/agencies.service.js';
import { importItems, type SourceRow } from '../src/modules/disclosure/import.service.js';
import { indexItems, optimizeSearchIndex, searchItems, settleSearchIndex, warmSearch, type SearchDoc } from '../src/modules/search/search.service.js';
import { log, progress } from './lib/progress.js';
import { loadCorpus } from './lib/real-corpus.js';
import type { BenchOptions } from './run.js';
import type { BenchResult } from './types.js';

export const CORPUS_QUERIES: Record<string, string[]> = {
  '2 characters': ['公开', '税收', '听证', '环境', '预算', '养老'],
  '3–4 characters': ['民法典', '预算法', '仲裁庭', '个人信息', '行政许可', '营商环境', '安全生产', '信息公开'],
  '6+ characters': ['政府信息公开', '行政复议机关', '安全生产责任制', '最低生活保障', '中华人民共和国预算法', '国务院关于修改部分行政法规的决定'],
  'two words': ['政府 报告', '行政许可 期限', '个人信息 保护', '预算 审计', '环境 污染'],
  'traditional': ['營商環境', '個人信息', '行政許可', '國務院', '政府資訊公開'],
  'digits, 文号': ['国发〔2016〕', '〔2019〕', '2023年', '5G', 'PM2.5', 'G20', '第一百二十条'],
  'one character': ['税', '罚', '法'],
};

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function openFresh(o: BenchOptions, fresh: boolean): Promise<{ ctx: Ctx; close: () => Promise<void> }> {
  let config: DatabaseConfig;
  if (o.engine === 'sqlite') {
    const file = join(o.workDir, 'bench-corpus.db');
    if (fresh) for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
    config = { engine: 'sqlite', file };
  } else {
    const schema = 'bench_corpus';
    if (fresh) {
      const c = new pg.Client({ connectionString: o.pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.query(`create schema ${schema}`);
      await c.end();
    }
    config = { engine: 'postgres', url: o.pgUrl, schema, poolSize: 4 };
  }
  const store = await openStore(config);
  return { ctx: { db: store.db, engine: store.engine, now: () => new Date() }, close: () => store.close() };
}

/** The floor: an FTS5 trigram index over the same text, in a bare SQLite file on disk. */
function trigramFloor(o: BenchOptions, docs: { title: string; body: string }[], chars: number): number {
  const file = join(o.workDir, 'bench-corpus-trigram.db');
  for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = wal');
  db.pragma('synchronous = normal');
  db.exec(`create virtual table tri using fts5(title, body, tokenize='trigram')`);
  const ins = db.prepare('insert into tri(rowid, title, body) values (?, ?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += 200) db.transaction(() => docs.slice(i, i + 200).forEach((d, k) => ins.run(i + k + 1, d.title, d.body)))();
  const secs = (performance.now() - t0) / 1000;
  db.close();
  for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
  return chars / secs;
}

export async function benchSearchCorpus(o: BenchOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const corpus = loadCorpus();
  const chars = corpus.reduce((s, d) => s + d.title.length + d.body.length, 0);
  const docs: SearchDoc[] = corpus.map((d, i) => ({
    itemId: i + 1, agencyId: 1, agencyCode: d.source, agencyName: d.source, title: d.title, summary: '', body: d.body, category: d.category,
    publishedOn: d.publishedOn, docNumber: null, url: `/items/${i + 1}`,
  }));

  log(`FTS5 trigram floor over ${corpus.length} documents, ${chars} characters……`);
  const floor = trigramFloor(o, corpus, chars);

  const { ctx, close } = await openFresh(o, true);
  const pi = progress('索引真实语料', docs.length);
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += 200) {
    await ctx.db.transaction().execute((tx) => indexItems(tx, docs.slice(i, i + 200), { bulk: true }));
    pi.tick(Math.min(docs.length, i + 200));
  }
  await settleSearchIndex(ctx); // what the bulk load left pending is part of its cost
  const secs = (performance.now() - t0) / 1000;
  pi.done();
  const rate = chars / secs;
  out.push({
    name: `index real text (${corpus.length} documents, ${(chars / 1e6).toFixed(1)} M characters)`, value: rate, unit: 'chars/s', floor, ratio: rate / floor,
    target: '≥ 0.5× an FTS5 trigram build of the same text', met: rate >= 0.5 * floor, note: `${secs.toFixed(1)} s; floor: FTS5 trigram, bare SQLite file, same run`,
  });
  const t1 = performance.now();
  await optimizeSearchIndex(ctx);
  out.push({ name: 'search optimize after the import', value: (performance.now() - t1) / 1000, unit: 's', note: 'optional; not part of the index figure' });
  await close();

  // Cold: the first run of each query on a newly opened store, after what a server does when it starts
  // (warmSearch: one search and the did-you-mean vocabulary; timed apart); repeated: six runs after that.
  const again = await openFresh(o, false);
  const tw = performance.now();
  await warmSearch(again.ctx);
  const warmMs = performance.now() - tw;
  const cold: Record<string, number[]> = {};
  const warm: Record<string, number[]> = {};
  const all: number[] = [];
  for (const [label, qs] of Object.entries(CORPUS_QUERIES)) {
    for (const q of qs) {
      const t = performance.now();
      await searchItems(again.ctx, { q });
      (cold[label] ??= []).push(performance.now() - t);
    }
  }
  for (let rep = 0; rep < 6; rep++) {
    for (const [label, qs] of Object.entries(CORPUS_QUERIES)) {
      for (const q of qs) {
        const t = performance.now();
        await searchItems(again.ctx, { q });
        const ms = performance.now() - t;
        (warm[label] ??= []).push(ms);
        all.push(ms);
      }
    }
  }
  await again.close();
  const target = o.engine === 'sqlite' ? 20 : 50;
  for (const label of Object.keys(CORPUS_QUERIES)) {
    out.push({
      name: `corpus search p95, ${label}`, value: quantile(warm[label]!, 0.95), unit: 'ms', target: `≤ ${target} ms`, met: quantile(warm[label]!, 0.95) <= target,
      note: `p50 ${quantile(warm[label]!, 0.5).toFixed(1)} ms; cold (first run) median ${quantile(cold[label]!, 0.5).toFixed(1)} ms, max ${Math.max(...cold[label]!).toFixed(1)} ms`,
    });
  }
  const coldAll = Object.values(cold).flat();
  out.push({ name: 'corpus search p95, all queries repeated', value: quantile(all, 0.95), unit: 'ms', target: `≤ ${target} ms`, met: quantile(all, 0.95) <= target, note: `p50 ${quantile(all, 0.5).toFixed(1)} ms` });
  out.push({ name: 'corpus search p95, all queries cold', value: quantile(coldAll, 0.95), unit: 'ms', target: `≤ ${target} ms`, met: quantile(coldAll, 0.95) <= target, note: `p50 ${quantile(coldAll, 0.5).toFixed(1)} ms; after the server's start-up warming (warmSearch: ${warmMs.toFixed(0)} ms, not counted)` });

  // The same text as an agency imports it (`gongkai import items`: items, their audit entries and the index,
  // the text prepared on worker threads while the previous batch is written), on a fresh store.
  const imp = await openFresh(o, true);
  await createAgency(imp.ctx, { system: 'bench' }, { code: 'corpus', name: '语料导入测试机关', kind: 'department' });
  async function* rows(): AsyncGenerator<SourceRow> {
    let line = 0;
    for (const d of corpus) yield { line: ++line, record: { title: d.title, body: d.body, category: d.category, generatedOn: d.publishedOn, publishedOn: d.publishedOn } };
  }
  const pm = progress('导入真实语料', corpus.length);
  const t2 = performance.now();
  const res = await importItems(imp.ctx, { system: 'bench' }, 'corpus', rows(), { file: 'corpus', batchSize: 500, onProgress: (_, k) => pm.tick(k) });
  const importSecs = (performance.now() - t2) / 1000;
  pm.done();
  await imp.close();
  if (res.rejected.length) throw new Error(`corpus import rejected ${res.rejected.length} rows: ${JSON.stringify(res.rejected.slice(0, 3))}`);
  out.push({
    name: `import real text as items (${res.imported} documents, gongkai import items)`, value: chars / importSecs, unit: 'chars/s', floor, ratio: chars / importSecs / floor,
    target: '≥ 0.5× an FTS5 trigram build of the same text', met: chars / importSecs >= 0.5 * floor,
    note: `${importSecs.toFixed(1)} s, ${Math.round(res.imported / importSecs)} items/s; items, audit and index, text prepared on worker threads`,
  });
  return out;
}
