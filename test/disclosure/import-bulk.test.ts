/**
 * Imports at scale (issue 18 part 5): COPY on PostgreSQL, the text work on worker threads, batches pipelined.
 * The new paths give the same rows, search results and audit entries as the old ones (multi-row inserts,
 * everything on the main thread); a batch that fails midway (in COPY or anywhere) leaves nothing of itself;
 * a worker thread that dies fails the import with a clear Chinese error and writes nothing of its batch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bulkOptions } from '../../src/db/bulk.js';
import { listAudit } from '../../src/modules/audit-log/audit-log.service.js';
import { importItems, type SourceRow } from '../../src/modules/disclosure/import.service.js';
import { crashNextBatchForTest, prepareOnWorkers, setIdleMsForTest, stopWorkers } from '../../src/modules/disclosure/import-pool.js';
import { searchItems } from '../../src/modules/search/search.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

const NOW = '2025-06-10T02:00:00Z';
const WORDS = ['营商环境', '政府信息公开', '行政许可', '安全生产', '養老服務', '財政預算', 'PM2.5', '5G', '第一百二十条', '乡村振兴', '通知', '公告'];
const CATS = ['通知公告', '政策文件', '财政预决算'];

/** n rows of varied text: HTML with scripts and entities, tabs, backslashes, CR LF, traditional characters, 政策解读. */
function rowsOf(n: number, opts: { failAt?: number; prefix?: string } = {}): () => AsyncGenerator<SourceRow> {
  return async function* () {
    let seed = 7;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    for (let i = 1; i <= n; i++) {
      const w = () => WORDS[rnd(WORDS.length)]!;
      const paras = Array.from({ length: 1 + rnd(6) }, () => `${w()}工作${w()}，落实${w()}。`);
      const kind = i % 5;
      const body =
        kind === 0 ? `<p>${paras.join('</p><p>')}</p><script>alert(${i})</script><p>A &amp; B &lt;C&gt;</p>`
        : kind === 1 ? paras.join('\r\n')
        : kind === 2 ? `${paras.join('\t')}\\路径\\C:\\temp`
        : kind === 3 ? `<p>${paras.join('</p><p>')}</p>`
        : paras.join('\n\n');
      const month = String(1 + (i % 5)).padStart(2, '0');
      const record: Record<string, unknown> = {
        title: i === opts.failAt ? '触发失败' : `${opts.prefix ?? ''}关于${w()}的${i}号通知`,
        summary: i % 3 ? `${w()}\t摘要\\${i}` : '',
        body,
        category: CATS[i % CATS.length],
        generatedOn: `2025-${month}-0${1 + (i % 8)}`,
        publishedOn: `2025-${month}-0${1 + (i % 8)}`,
        docNumber: i % 4 === 0 ? `某政发〔2025〕${i}号` : null,
      };
      if (i % 50 === 0) record.indexNo = `MOU-OLD/2025-${String(i).padStart(5, '0')}`;
      if (i > 50 && i % 50 === 10) record.interprets = `MOU-OLD/2025-${String(i - 10).padStart(5, '0')}`; // a policy of an earlier batch
      if (i === 33) record.publishedOn = '2025-07-01'; // in the future: rejected by line
      yield { line: i, record };
    }
  };
}

async function snapshot(t: TestApp) {
  const items = await t.ctx.db.selectFrom('items').selectAll().orderBy('index_no').execute();
  const byId = new Map(items.map((r) => [r.id, r.index_no]));
  const rows = items.map(({ id: _id, interprets_item_id, ...r }) => ({ ...r, interprets: interprets_item_id === null ? null : byId.get(interprets_item_id) }));
  const docs = (await t.ctx.db.selectFrom('search_docs').selectAll().orderBy('item_id').execute()).map(({ item_id, skey: _skey, url: _url, ...d }) => ({
    ...d,
    index: byId.get(item_id),
    ...('tsv' in d ? { tsv: String(d.tsv) } : {}),
  }));
  docs.sort((a, b) => String(a.index).localeCompare(String(b.index)));
  const searches: unknown[] = [];
  for (const q of ['营商环境', '养老服务', '財政', '政府信息公开 通知', 'pm2.5', '5g', '第一百二十条', '工', '某政发〔2025〕', 'A B']) {
    for (const sort of ['relevance', 'date'] as const) {
      const r = await searchItems(t.ctx, { q, sort, pageSize: 50 });
      searches.push({ q, sort, total: r.total, titleHits: r.titleHits, items: r.items.map((h) => ({ i: byId.get(h.id), s: h.snippet, m: h.matchedIn })) });
    }
  }
  const audit = (await listAudit(t.ctx.db, { limit: 100 })).map((e) => ({ action: e.action, entity: e.entity, data: e.data }));
  return { rows, docs, searches, audit };
}

const count = async (t: TestApp, table: 'items' | 'search_docs' | 'audit_log') =>
  table === 'audit_log'
    ? // the imports' entries (a category named by a row is created, with its own entry, as the row is read: as before)
      Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'item.import').executeTakeFirstOrThrow()).n)
    : Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('imports at scale: COPY, worker threads, pipelined batches', () => {
  const apps: TestApp[] = [];
  const app = async () => {
    const t = await buildTestApp({ now: NOW });
    await t.agency('mou', { kind: 'government', name: '某市人民政府' });
    apps.push(t);
    return t;
  };
  before(() => stopWorkers());
  after(async () => {
    bulkOptions.copy = true;
    await stopWorkers();
    for (const t of apps) await t.close();
  });

  test('the same rows, search documents, search results and audit entries through the old paths and the new', async () => {
    const [a, b] = [await app(), await app()];
    bulkOptions.copy = false;
    const ra = await importItems(a.ctx, { system: 'test' }, 'mou', rowsOf(260)(), { file: 'items.jsonl', batchSize: 100, workers: false });
    bulkOptions.copy = true;
    const rb = await importItems(b.ctx, { system: 'test' }, 'mou', rowsOf(260)(), { file: 'items.jsonl', batchSize: 100, workers: true });
    assert.deepEqual(rb, ra);
    assert.equal(ra.imported, 259);
    assert.deepEqual(ra.rejected.map((r) => r.line), [33]);
    const [sa, sb] = [await snapshot(a), await snapshot(b)];
    assert.equal(sa.rows.length, 259);
    assert.ok(sa.rows.some((r) => r.interprets), 'a 政策解读 linked to a policy of an earlier batch');
    assert.ok(sa.rows.every((r) => !r.body_html.includes('<script')));
    assert.deepEqual(sb.rows, sa.rows);
    assert.deepEqual(sb.docs, sa.docs);
    assert.deepEqual(sb.searches, sa.searches);
    assert.ok((sa.searches[0] as { total: number }).total > 0);
    assert.deepEqual(sb.audit, sa.audit);
    assert.equal(sa.audit.filter((e) => e.action === 'item.import').length, 3, 'one audit entry per batch, as before');
  });

  test('a batch that fails midway (COPY included) leaves nothing of itself; earlier batches stay, as before', async () => {
    const t = await app();
    if (ENGINE === 'postgres') {
      await sql`create function fail_import() returns trigger language plpgsql as $$ begin if new.title = '触发失败' then raise exception 'boom'; end if; return new; end $$`.execute(t.ctx.db);
      await sql`create trigger fail_import before insert on search_docs for each row execute function fail_import()`.execute(t.ctx.db);
    } else {
      await sql`create trigger fail_import before insert on search_docs when new.title = '触发失败' begin select raise(abort, 'boom'); end`.execute(t.ctx.db);
    }
    const before = { items: await count(t, 'items'), docs: await count(t, 'search_docs'), audit: await count(t, 'audit_log') };
    // One batch of 120: the items went in (COPY on PostgreSQL), the search documents fail at row 70.
    await assert.rejects(importItems(t.ctx, { system: 'test' }, 'mou', rowsOf(120, { failAt: 70 })(), { file: 'a.jsonl', workers: true }), /boom/);
    assert.deepEqual({ items: await count(t, 'items'), docs: await count(t, 'search_docs'), audit: await count(t, 'audit_log') }, before);
    // Two batches of 100: the second fails; the first (written before it) stays, the second leaves nothing.
    await assert.rejects(importItems(t.ctx, { system: 'test' }, 'mou', rowsOf(200, { failAt: 170, prefix: '二' })(), { file: 'b.jsonl', batchSize: 100 }), /boom/);
    // (a batch is 100 accepted rows: lines 1–101 but 33, which is in the future)
    assert.equal(await count(t, 'items'), before.items + 100);
    assert.equal(await count(t, 'search_docs'), before.docs + 100);
    assert.equal(await count(t, 'audit_log'), before.audit + 1);
  });

  test('a worker thread that dies fails the import with a clear Chinese error; nothing of the batch is written', async () => {
    const t = await app();
    const before = { items: await count(t, 'items'), docs: await count(t, 'search_docs'), audit: await count(t, 'audit_log') };
    crashNextBatchForTest();
    await assert.rejects(importItems(t.ctx, { system: 'test' }, 'mou', rowsOf(300)(), { file: 'c.jsonl', workers: true }), (e: Error) => {
      assert.match(e.message, /导入失败：处理正文和检索索引的工作线程意外退出（退出码 70），本批条目均未写入，请重新导入。/);
      return true;
    });
    assert.deepEqual({ items: await count(t, 'items'), docs: await count(t, 'search_docs'), audit: await count(t, 'audit_log') }, before);
    // The pool recovers: the same file then lands.
    const r = await importItems(t.ctx, { system: 'test' }, 'mou', rowsOf(300)(), { file: 'c.jsonl', workers: true });
    assert.equal(r.imported, 299);
    assert.equal((await searchItems(t.ctx, { q: '关于' })).total, 299);
  });

  test('overlapping batches leave one idle clock: the threads never end under a later batch, and a stop fails what they hold', async () => {
    const texts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ title: `${tag}通知${i}`, docNumber: null, summary: '', body: `关于政府信息公开工作的通知。${'政府信息公开工作要点'.repeat(40)}${i}` }));
    const within = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);
    setIdleMsForTest(300);
    try {
      // An import prepares the next batch while it writes one: two batches overlap, the smaller ends first.
      await Promise.all([prepareOnWorkers('sqlite', texts(50, 'a')), prepareOnWorkers('sqlite', texts(2000, 'b'))]);
      // The next batch takes longer than the idle time. Before, the first batch's own timer (never cleared)
      // ended the threads under it, and this answer never came.
      const started = Date.now();
      const out = await within(prepareOnWorkers('sqlite', texts(12_000, 'c')), 20_000);
      assert.equal(out.length, 12_000);
      assert.ok(Date.now() - started > 300, 'the batch outlasted the idle time (otherwise the test shows nothing)');
      // Stopping the pool fails the work it holds with the pool's Chinese error instead of leaving it waiting.
      const held = prepareOnWorkers('sqlite', texts(4000, 'd')).then(() => null, (e: Error) => e);
      await new Promise((r) => setTimeout(r, 20));
      await stopWorkers();
      assert.match((await within(held, 5_000))?.message ?? 'answered', /工作线程已停止，本批条目均未写入/);
    } finally {
      setIdleMsForTest(60_000);
    }
  });
});
