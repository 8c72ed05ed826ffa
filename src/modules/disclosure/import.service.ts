/**
 * Importing an agency's existing catalogue (contract: `gongkai import items --agency CODE FILE`): JSON lines
 * or CSV with the fields title, summary, body, category, generatedOn, publishedOn, docNumber, publisher,
 * validity, indexNo. Rows land as published; a bad row is reported by its line and the others land.
 * Batched: many rows per INSERT, one transaction and ONE audit entry per batch (naming the count and file),
 * and the search index fed in the same transaction.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { withImportCache } from '../../db/bulk.js';
import { AppError } from '../../errors.js';
import { formatIndexNo, isSubjectCategory, MAX_INDEX_SERIAL, parseIndexNo, validateCatalogueEntry } from '../../law/catalogue.js';
import { yearLockReason } from '../year-lock/year-lock.service.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { assertRole } from '../accounts/access.js';
import { getAgency } from '../agencies/agencies.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { addDays } from '../../law/calendar.js';
import { indexPrepared, settleSearchIndex, type PreparedDoc } from '../search/search.service.js';
import { cleanLine } from './content.js';
import { prepareImport, type ImportText, type PreparedImport } from './import-prepare.js';
import { prepareOnWorkers } from './import-pool.js';
import { internals, itemUrl, type Category } from './disclosure.service.js';
import type { ItemsTable } from './disclosure.tables.js';
import type { Insertable } from 'kysely';

const { repo, ensureCategories, dueDate, indexPrefix } = internals;

export const IMPORT_FIELDS = ['title', 'summary', 'body', 'category', 'generatedOn', 'publishedOn', 'docNumber', 'publisher', 'validity', 'indexNo'] as const;
/** Accepted besides the contract's fields. */
export const IMPORT_EXTRA_FIELDS = ['subjectCategory', 'genre', 'interprets'] as const;

export type SourceRow = { line: number; record: Record<string, unknown> } | { line: number; error: string };

export interface ImportResult {
  imported: number;
  rejected: { line: number; reason: string }[];
  categoriesCreated: string[];
}

export interface ImportOptions {
  /** The file name, for the audit entry. */
  file: string;
  /** Rows per transaction (one audit entry each). */
  batchSize?: number;
  onProgress?: (rowsSeen: number, imported: number) => void;
  /**
   * Prepare the items' text (sanitising, search tokens) on worker threads: by default for batches of at least
   * WORKER_MIN_ITEMS items or WORKER_MIN_CHARS characters; small imports stay on the main thread.
   */
  workers?: boolean;
}

/** 第26条 due dates by 生成日期, per loaded calendar (a reloaded calendar is a new object, so a new cache). */
const dueCaches = new WeakMap<object, Map<string, string | null>>();

/** A batch with at least this many characters of text is a bulk load for the search index (see indexItems' `bulk`). */
const BULK_INDEX_CHARS = 1_000_000;
/** Batches this large are prepared on worker threads (./import-pool.ts). */
const WORKER_MIN_ITEMS = 200;
const WORKER_MIN_CHARS = 400_000;

export async function importItems(ctx: Ctx, actor: Actor | { system: string }, agencyCode: string, rows: AsyncIterable<SourceRow>, opts: ImportOptions): Promise<ImportResult> {
  const state = { bulk: false };
  try {
    return await withImportCache(ctx.db, () => runImport(ctx, actor, agencyCode, rows, opts, state));
  } finally {
    if (state.bulk) await settleSearchIndex(ctx);
  }
}

async function runImport(ctx: Ctx, actor: Actor | { system: string }, agencyCode: string, rows: AsyncIterable<SourceRow>, opts: ImportOptions, state: { bulk: boolean }): Promise<ImportResult> {
  const agency = await getAgency(ctx, agencyCode);
  if ('userId' in actor) assertRole(actor, agency, ['approver'], '导入并发布主动公开信息');
  const cal = await loadCalendar(ctx);
  const batchSize = Math.max(1, opts.batchSize ?? 5000);
  const prefix = indexPrefix(agency);
  const result: ImportResult = { imported: 0, rejected: [], categoriesCreated: [] };

  const cats = new Map<string, Category>();
  for (const c of await ctx.db.transaction().execute((tx) => ensureCategories(tx, agency, ctx.now().toISOString()))) cats.set(c.name, c);
  const used = new Set<string>(); // 索引号 used in this file
  const counters = new Map<number, number>(); // year → last serial
  let dueCache = dueCaches.get(cal);
  if (!dueCache) dueCaches.set(cal, (dueCache = new Map()));
  const startedAt = ctx.now().toISOString();

  const nextSerial = async (year: number): Promise<number | null> => {
    let n = counters.get(year);
    if (n === undefined) n = await repo.maxSerial(ctx.db, agency.id, prefix, year);
    do n++;
    while (n <= MAX_INDEX_SERIAL && used.has(formatIndexNo(prefix, year, n)));
    counters.set(year, n);
    return n <= MAX_INDEX_SERIAL ? n : null;
  };

  const categoryId = async (name: string): Promise<number> => {
    const hit = cats.get(name);
    if (hit) return hit.id;
    const c = await ctx.db.transaction().execute(async (tx) => {
      const at = ctx.now();
      const created = await repo.insertCategory(tx, { agency_id: agency.id, name, kind: 'column', statute_ref: null, position: 1000 + cats.size, created_at: at.toISOString() });
      await appendAudit(tx, { actor: actor as AuditInput['actor'], agencyId: agency.id, action: 'category.create', entity: 'category', entityId: created.id, data: { name, via: 'import', file: opts.file }, at });
      return created;
    });
    cats.set(name, c);
    result.categoriesCreated.push(name);
    return c.id;
  };

  type Pending = { line: number; row: Insertable<ItemsTable>; body: string; prep?: PreparedImport; provided: boolean; categoryName: string; interpretsPending?: string };
  let batch: Pending[] = [];
  let seen = 0;
  // Pipelined: while one batch is written, the next is read and prepared (on worker threads when large).
  // Batches are written one after the other, each in its own transaction as before; a failed one stops the import.
  let inflight: Promise<void> = Promise.resolve();

  const flush = async () => {
    if (!batch.length) return;
    const b = batch;
    batch = [];
    const texts: ImportText[] = b.map((p) => ({ title: p.row.title, docNumber: p.row.doc_number ?? null, summary: p.row.summary ?? '', body: p.body }));
    const chars = texts.reduce((n, t) => n + t.body.length, 0);
    const onWorkers = opts.workers ?? (b.length >= WORKER_MIN_ITEMS || chars >= WORKER_MIN_CHARS);
    const prep = onWorkers ? prepareOnWorkers(ctx.engine, texts) : Promise.resolve().then(() => texts.map((t) => prepareImport(ctx.engine, t)));
    prep.catch(() => undefined); // handled below, after the previous batch
    await inflight; // the previous batch is written (its failure ends the import here)
    inflight = prep.then((prepared) => {
      b.forEach((p, i) => {
        p.prep = prepared[i]!;
        p.row.body_html = p.prep.bodyHtml;
      });
      return write(b);
    });
    inflight.catch(() => undefined); // awaited by the next flush or at the end
  };

  const write = async (batch: Pending[]) => {
    const at = ctx.now();
    const provided = batch.filter((p) => p.provided).map((p) => p.row.index_no);
    const landed = await ctx.db.transaction().execute(async (tx) => {
      const taken = await repo.existingIndexNos(tx, provided);
      const ok: Pending[] = [];
      // The year lock: an item published in a year whose annual report is published is refused (its line named).
      const lockOf = new Map<string, string | null>();
      for (const p of batch) {
        const year = (p.row.published_on ?? '').slice(0, 4);
        if (year && !lockOf.has(year)) lockOf.set(year, await yearLockReason(tx, agency, p.row.published_on));
        const locked = year ? lockOf.get(year) : null;
        if (p.provided && taken.has(p.row.index_no)) result.rejected.push({ line: p.line, reason: `索引号 ${p.row.index_no} 已存在` });
        else if (locked) result.rejected.push({ line: p.line, reason: locked });
        else ok.push(p);
      }
      const ids = await repo.insertItemsBulk(tx, ok.map((p) => p.row));
      // 解读 of a policy in the same batch: linked once both have their ids.
      for (const p of ok) {
        const policyId = p.interpretsPending ? ids.get(p.interpretsPending) : undefined;
        if (policyId !== undefined) await repo.updateItem(tx, ids.get(p.row.index_no)!, { interprets_item_id: policyId });
      }
      const docs: PreparedDoc[] = ok.map((p) => ({
        doc: {
          itemId: ids.get(p.row.index_no)!, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, title: p.row.title, summary: p.row.summary ?? '',
          body: p.prep!.bodyText, category: p.categoryName, publishedOn: p.row.published_on ?? '', docNumber: p.row.doc_number ?? null, url: itemUrl(ids.get(p.row.index_no)!),
        },
        prepared: p.prep!.search,
      }));
      const bulk = docs.reduce((n, d) => n + d.doc.title.length + d.doc.body.length, 0) >= BULK_INDEX_CHARS;
      if (bulk) state.bulk = true;
      await indexPrepared(tx, docs, { bulk });
      if (ok.length) {
        await appendAudit(tx, {
          actor: actor as AuditInput['actor'], agencyId: agency.id, action: 'item.import', entity: 'item', entityId: null,
          data: { file: opts.file, count: ok.length, firstLine: ok[0]!.line, lastLine: ok[ok.length - 1]!.line }, at,
        });
      }
      return ok.length;
    });
    result.imported += landed;
    opts.onProgress?.(seen, result.imported);
  };

  try {
    for await (const src of rows) {
      seen++;
      if ('error' in src) {
        result.rejected.push({ line: src.line, reason: src.error });
        continue;
      }
      const r = src.record;
      const str = (k: string): string | undefined => {
        const v = r[k];
        if (v === undefined || v === null) return undefined;
        return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
      };
      const problems = validateCatalogueEntry({
        title: r.title, summary: r.summary ?? undefined, category: r.category, generatedOn: r.generatedOn ?? undefined, publishedOn: r.publishedOn,
        docNumber: r.docNumber ?? undefined, publisher: r.publisher ?? undefined, validity: r.validity ?? undefined, indexNo: r.indexNo ?? undefined,
      });
      // Impossible dates: published more than a day after today (Beijing time; a day's grace for time zones).
      const importToday = todayCst(ctx.now());
      if (typeof r.publishedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.publishedOn) && r.publishedOn > addDays(importToday, 1)) {
        problems.push(`发布日期 ${r.publishedOn} 晚于今天（${importToday}）`);
      }
      const title = cleanLine(str('title'));
      if (title.length > 200) problems.push('名称超过 200 字');
      const category = cleanLine(str('category'));
      if (category.length > 40) problems.push('栏目名称超过 40 字');
      if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') problems.push('正文（body）应为文字');
      const subject = cleanLine(str('subjectCategory'));
      if (subject && !isSubjectCategory(subject)) problems.push(`主题分类“${subject}”不在主题分类表中`);
      const generatedOn = cleanLine(str('generatedOn')) || null;
      const publishedOn = cleanLine(str('publishedOn'));
      let indexNo = cleanLine(str('indexNo'));
      if (indexNo && used.has(indexNo)) problems.push(`索引号 ${indexNo} 在文件中重复`);
      // 政策解读: the 索引号 of the policy it explains — stored already, or an earlier row of this file.
      const interprets = cleanLine(str('interprets'));
      let interpretsItemId: number | null = null;
      let interpretsPending: string | undefined;
      if (interprets) {
        const pending = batch.find((p) => p.row.index_no === interprets);
        if (!pending) await inflight; // a policy of the batch being written is looked up once it is stored
        const policy = pending ? undefined : await repo.findItemByIndexNo(ctx.db, interprets);
        if (pending) {
          if (pending.interpretsPending || pending.row.interprets_item_id) problems.push('被解读的应是政策文件本身，而不是另一篇解读');
          else interpretsPending = interprets;
        } else if (!policy || policy.agencyId !== agency.id) problems.push(`本机关没有索引号为“${interprets}”的信息（政策解读应关联所解读的政策文件）`);
        else if (policy.interpretsItemId) problems.push('被解读的应是政策文件本身，而不是另一篇解读');
        else interpretsItemId = policy.id;
      }
      if (problems.length) {
        result.rejected.push({ line: src.line, reason: problems.join('；') });
        continue;
      }
      let year: number | null = null;
      let serial: number | null = null;
      const provided = !!indexNo;
      if (indexNo) {
        const p = parseIndexNo(indexNo)!;
        if (p.orgCode === prefix) {
          year = p.year;
          serial = p.serial;
        }
      } else {
        year = Number((generatedOn ?? publishedOn).slice(0, 4));
        serial = await nextSerial(year);
        if (serial === null) {
          result.rejected.push({ line: src.line, reason: `${year} 年索引号流水号已用尽（${MAX_INDEX_SERIAL}），请在文件中给出索引号` });
          continue;
        }
        indexNo = formatIndexNo(prefix, year, serial);
      }
      used.add(indexNo);
      const body = str('body') ?? '';
      let due: string | null = null;
      if (generatedOn) {
        due = dueCache.get(generatedOn) ?? null;
        if (!dueCache.has(generatedOn)) {
          due = dueDate(cal, generatedOn);
          dueCache.set(generatedOn, due);
        }
      }
      const validity = cleanLine(str('validity')) || 'valid';
      batch.push({
        line: src.line,
        provided,
        body,
        categoryName: category,
        interpretsPending,
        row: {
          agency_id: agency.id, index_no: indexNo, index_year: year, index_serial: serial, title, summary: cleanLine(str('summary')), body_html: '', // set once prepared
          category_id: await categoryId(category), generated_on: generatedOn, published_on: publishedOn, due_on: due, late: due === null ? null : publishedOn > due ? 1 : 0,
          doc_number: cleanLine(str('docNumber')) || null, publisher: cleanLine(str('publisher')) || agency.name, subject_category: subject || (isSubjectCategory(category) ? category : null),
          genre: cleanLine(str('genre')) || null, disclosure_mode: 'proactive', validity, status: 'published', interprets_item_id: interpretsItemId, withdrawn_reason: null,
          source: 'import', created_by: 'userId' in actor ? actor.userId : null, created_at: startedAt, updated_at: startedAt,
        },
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await inflight.catch(() => undefined); // never leave a batch being written behind
  }
  await inflight;
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/** JSON lines: one object per line; blank lines are skipped. */
export async function* jsonLines(input: Readable): AsyncGenerator<SourceRow> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of rl) {
    line++;
    const s = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!s.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (e) {
      yield { line, error: `不是有效的 JSON：${(e as Error).message}` };
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) yield { line, error: '每行应为一个 JSON 对象' };
    else yield { line, record: v as Record<string, unknown> };
  }
}

/**
 * CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks); the first row names the fields
 * (the JSON keys). A record is reported by the line it starts on.
 */
export async function* csvRows(input: Readable): AsyncGenerator<SourceRow> {
  input.setEncoding('utf8');
  let header: string[] | null = null;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let physLine = 1;
  let recordLine = 1;
  let first = true;
  let pendingCR = false;

  const endRecord = function* (): Generator<SourceRow> {
    fields.push(field);
    field = '';
    const rec = fields;
    fields = [];
    const line = recordLine;
    if (rec.length === 1 && rec[0] === '') return; // blank line
    if (!header) {
      header = rec.map((h) => h.trim());
      const unknown = header.filter((h) => !(IMPORT_FIELDS as readonly string[]).includes(h) && !(IMPORT_EXTRA_FIELDS as readonly string[]).includes(h));
      if (unknown.length) throw new AppError('validation', `CSV 表头含有未知字段：${unknown.join('、')}（应为 ${IMPORT_FIELDS.join('、')}）`);
      if (!header.includes('title')) throw new AppError('validation', 'CSV 第 1 行应为表头（title、category、publishedOn …）');
      return;
    }
    if (rec.length !== header.length) {
      yield { line, error: `列数为 ${rec.length}，与表头的 ${header.length} 列不符` };
      return;
    }
    const record: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (rec[i] !== '') record[h] = rec[i];
    });
    yield { line, record };
  };

  for await (const chunk of input as AsyncIterable<string>) {
    let s = chunk;
    if (first) {
      s = s.replace(/^\uFEFF/, '');
      first = false;
    }
    let i = 0;
    const n = s.length;
    while (i < n) {
      const c = s[i]!;
      if (pendingCR) {
        pendingCR = false;
        if (c === '\n') {
          i++;
          continue;
        }
      }
      if (quoted) {
        if (c === '"') {
          if (i + 1 < n) {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            quoted = false;
            afterQuote = true;
            i++;
            continue;
          }
          // The quote is the chunk's last character: decide on the next chunk.
          quoted = false;
          afterQuote = true;
          i++;
          continue;
        }
        if (c === '\n') physLine++;
        field += c;
        i++;
        continue;
      }
      if (afterQuote && c === '"') {
        // An escaped quote split across chunks.
        field += '"';
        quoted = true;
        afterQuote = false;
        i++;
        continue;
      }
      afterQuote = false;
      if (c === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        yield* endRecord();
        physLine++;
        recordLine = physLine;
        if (c === '\r') pendingCR = true;
        i++;
      } else if (c === '"' && field === '') {
        quoted = true;
        i++;
      } else {
        // Plain run up to the next special character.
        let j = i + 1;
        while (j < n) {
          const d = s[j]!;
          if (d === ',' || d === '\n' || d === '\r' || d === '"') break;
          j++;
        }
        field += s.slice(i, j);
        i = j;
      }
    }
  }
  if (quoted) {
    yield { line: recordLine, error: '引号未闭合' };
    return;
  }
  if (field !== '' || fields.length) yield* endRecord();
}
