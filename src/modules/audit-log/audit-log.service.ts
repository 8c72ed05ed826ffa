/**
 * The tamper-evident audit log: append-only, hash-chained. Each entry's hash covers its content and the
 * previous entry's hash, so altering, removing or reordering any entry breaks the chain from there on.
 * Every write use case appends its entry inside its own transaction (`appendAudit(tx, …)`).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { Actor } from '../context.js';
import { entityChanged } from '../page-cache/page-cache.service.js';
import './audit-log.tables.js';
import type { AuditLogTable } from './audit-log.tables.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: Actor | { system: string } | { public: string };
  agencyId?: number | null;
  action: string; // e.g. 'request.reply', 'item.publish', 'agency.create'
  entity: string; // e.g. 'request', 'item', 'agency'
  entityId?: string | number | null;
  data?: Record<string, unknown>;
  at: Date;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string;
  agencyId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What an entry's hash covers: every column of the row but the hash itself. */
type Row = Omit<AuditLogTable, 'hash'>;

export function entryHash(r: Row): string {
  const canonical = JSON.stringify([
    r.seq, r.at, r.actor_id, r.actor_name, r.agency_id, r.action, r.entity, r.entity_id, r.data, r.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function actorFields(actor: AuditInput['actor']): { actor_id: number | null; actor_name: string } {
  if ('userId' in actor) return { actor_id: actor.userId, actor_name: actor.username };
  if ('system' in actor) return { actor_id: null, actor_name: `system:${actor.system}` };
  return { actor_id: null, actor_name: `public:${actor.public}` };
}

const takeHead = precompiled<Record<string, never>>()((db) =>
  db
    .updateTable('audit_head')
    .set({ last_seq: sql<number>`last_seq + 1` })
    .where('id', '=', sql.lit(1))
    .returning(['last_seq', 'last_hash']),
);
const insertEntry = precompiled<Row & { hash: string }>()((db, p) =>
  db.insertInto('audit_log').values({
    seq: p.seq,
    at: p.at,
    actor_id: p.actor_id,
    actor_name: p.actor_name,
    agency_id: p.agency_id,
    action: p.action,
    entity: p.entity,
    entity_id: p.entity_id,
    data: p.data,
    prev_hash: p.prev_hash,
    hash: p.hash,
  }),
);
// Moves the head only from where this append found it: anything else would fork the chain, so it fails.
const setHead = precompiled<{ seq: number; hash: string; fromSeq: number; fromHash: string }>()((db, p) =>
  db
    .updateTable('audit_head')
    .set({ last_seq: p.seq, last_hash: p.hash })
    .where('id', '=', sql.lit(1))
    .where('last_seq', '=', p.fromSeq)
    .where('last_hash', '=', p.fromHash)
    .returning('last_seq'),
);

/** The chain head as a transaction left it after its last append (it holds the head row until it ends). */
const headInTransaction = new WeakMap<Executor, { seq: number; hash: string }>();

/** Append one entry. Call inside the use case's transaction. */
export async function appendAudit(tx: Executor, input: AuditInput): Promise<number> {
  // Taking the head row with UPDATE serialises appenders on PostgreSQL (row lock until commit); SQLite
  // serialises all writers anyway. The sequence number comes from the same statement. A transaction that
  // has appended already holds the head and knows it: its next entries (a batch of submissions committed
  // together) follow without reading it again.
  // The new entry's seq and the hash it chains to; `found`: the head row as this append finds it.
  let seq: number;
  let prevHash: string;
  let found: { seq: number; hash: string };
  const known = tx.isTransaction ? headInTransaction.get(tx) : undefined;
  if (known) {
    seq = known.seq + 1;
    prevHash = known.hash;
    found = known;
  } else {
    const [taken] = await takeHead.execute(tx, {});
    if (!taken) throw new Error('audit_head row missing');
    seq = taken.last_seq; // already incremented by takeHead
    prevHash = taken.last_hash;
    found = { seq, hash: prevHash };
  }
  const row: Row = {
    seq,
    at: input.at.toISOString(),
    ...actorFields(input.actor),
    agency_id: input.agencyId ?? null,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId == null ? null : String(input.entityId),
    data: JSON.stringify(input.data ?? {}),
    prev_hash: prevHash,
  };
  const hash = entryHash(row);
  await insertEntry.execute(tx, { ...row, hash });
  if (!(await setHead.execute(tx, { seq, hash, fromSeq: found.seq, fromHash: found.hash })).length) {
    throw new Error('audit chain head moved during the append'); // never expected: the transaction holds the head
  }
  if (tx.isTransaction) headInTransaction.set(tx, { seq, hash });
  entityChanged(input.entity); // public pages rendered from now on must not be served from the page cache
  return row.seq;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first entry found altered, removed or out of order, with a Chinese explanation. */
  firstBad?: { seq: number; problem: string };
}

/** Walk the chain from the start; report the first entry that does not verify. */
export async function verifyAuditChain(db: Executor, batch = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectSeq)
      .orderBy('seq')
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== expectSeq) {
        return { ok: false, entries: count, firstBad: { seq: expectSeq, problem: `第 ${expectSeq} 条记录缺失（下一条为第 ${r.seq} 条）` } };
      }
      if (r.prev_hash !== prevHash) {
        return { ok: false, entries: count, firstBad: { seq: r.seq, problem: `第 ${r.seq} 条记录的前序哈希与第 ${r.seq - 1} 条不符（记录被删除、插入或调换了顺序）` } };
      }
      if (entryHash(r) !== r.hash) {
        return { ok: false, entries: count, firstBad: { seq: r.seq, problem: `第 ${r.seq} 条记录的内容已被改动（哈希不符）` } };
      }
      prevHash = r.hash;
      expectSeq++;
      count++;
    }
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  if (head && (head.last_seq !== count || head.last_hash !== prevHash)) {
    return {
      ok: false,
      entries: count,
      firstBad: { seq: count + 1, problem: `日志末尾缺失记录：链头记载共 ${head.last_seq} 条，实际可验证 ${count} 条` },
    };
  }
  return { ok: true, entries: count };
}

export async function listAudit(
  db: Executor,
  opts: { agencyIds?: number[]; entity?: string; entityId?: string; limit?: number; beforeSeq?: number },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(opts.limit ?? 50);
  if (opts.agencyIds) q = q.where('agency_id', 'in', opts.agencyIds.length ? opts.agencyIds : [-1]);
  if (opts.entity) q = q.where('entity', '=', opts.entity);
  if (opts.entityId) q = q.where('entity_id', '=', opts.entityId);
  if (opts.beforeSeq) q = q.where('seq', '<', opts.beforeSeq);
  const rows = await q.execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    agencyId: r.agency_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
