/**
 * Crashes (issue 8.2): a real server is killed with SIGKILL in the middle of bursts of writes (requests
 * registered, and handling notes added to them, through the API), ten times, restarted each time. Nothing
 * acknowledged is lost, every stored request is whole (its receive event and its audit entry, written in the
 * same transaction), the database passes its integrity check and the audit chain verifies. SIGTERM lets an
 * in-flight request finish.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { createToken, createUser } from '../../src/modules/accounts/accounts.service.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import { verifyAuditChain } from '../../src/modules/audit-log/audit-log.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { createTestDb, ENGINE, type TestDb } from '../helpers/db.js';
import { serve, type Served } from './server.js';

const ROUNDS = 10;
const WRITERS = 12;

describe(`crash: SIGKILL during bursts of writes, ${ROUNDS} rounds (${ENGINE})`, () => {
  let db: TestDb;
  let token: string;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestDb();
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    await createAgency(ctx, { system: 'test' }, { code: 'env', name: '某市生态环境局', kind: 'government', parentCode: null });
    await createUser(ctx, { system: 'test' }, { agencyCode: 'env', username: 'h1', role: 'handler', password: 'Test-passw0rd' });
    token = await createToken(ctx, { system: 'test' }, 'h1');
    env = { ...db.env, GONGKAI_DATA_DIR: mkdtempSync(join(tmpdir(), 'gk-crash-')) };
  });
  after(async () => db?.cleanup());

  const body = (round: number, w: number, i: number) =>
    JSON.stringify({ agency: 'env', channel: 'letter', receivedOn: '2025-03-03', applicant: { kind: 'natural_person', name: `崩溃测试${round}-${w}-${i}` }, subject: `崩溃测试 ${round}-${w}-${i}`, description: '—' });

  test('nothing acknowledged is lost; integrity check and audit chain pass after every restart', async () => {
    const acked = new Map<number, string>(); // request id → tracking number
    const notes: { id: number; text: string }[] = [];
    let attempted = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const server: Served = await serve(env);
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          attempted++;
          try {
            const res = await fetch(`${server.base}/api/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body(round, w, i) });
            if (res.status !== 201) throw new Error(`status ${res.status}: ${await res.text()}`);
            const j = (await res.json()) as { id: number; trackingNo: string };
            acked.set(j.id, j.trackingNo);
            const text = `办理备注 ${round}-${w}-${i}`;
            const a = await fetch(`${server.base}/api/v1/requests/${j.id}/actions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'note', on: '2025-03-03', note: text }) });
            if (a.status === 200) notes.push({ id: j.id, text });
            else throw new Error(`action status ${a.status}: ${await a.text()}`);
          } catch (e) {
            if (!stop && !server.proc.killed) throw e; // an error while the server is alive is a failure
            return;
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await sleep(400 + Math.floor(Math.random() * 700));
      server.proc.kill('SIGKILL');
      stop = true;
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL');
      await Promise.all(writers);
    }
    // A last restart: the server comes up on the crashed database and answers.
    const last = await serve(env);
    const health = await fetch(`${last.base}/healthz`);
    assert.equal(health.status, 200);
    const probe = [...acked.keys()].slice(-1)[0]!;
    const got = await fetch(`${last.base}/api/v1/requests/${probe}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(got.status, 200);
    last.proc.kill('SIGTERM');
    await last.exited;

    const d = db.store.db;
    const rows = await d.selectFrom('requests').select(['id', 'tracking_no']).execute();
    const stored = new Map(rows.map((r) => [Number(r.id), String(r.tracking_no)]));
    const lost = [...acked].filter(([id, no]) => stored.get(id) !== no);
    const noteRows = await d.selectFrom('request_events').select(['request_id', 'data']).where('type', '=', 'note').execute();
    const storedNotes = new Set(noteRows.map((r) => `${r.request_id}|${typeof r.data === 'string' ? JSON.parse(r.data).note : (r.data as { note: string }).note}`));
    const lostNotes = notes.filter((n) => !storedNotes.has(`${n.id}|${n.text}`));
    // Whole or not at all: each stored request has its receive event and its audit entry.
    const receives = await d.selectFrom('request_events').select('request_id').where('type', '=', 'receive').execute();
    const audits = await d.selectFrom('audit_log').select('entity_id').where('action', '=', 'request.register').execute();
    const noReceive = rows.filter((r) => !receives.some((e) => e.request_id === r.id));
    const noAudit = rows.filter((r) => !audits.some((a) => Number(a.entity_id) === Number(r.id)));
    const chain = await verifyAuditChain(d);
    let integrity: string;
    if (ENGINE === 'sqlite') {
      const ic = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(d);
      const fk = await sql`pragma foreign_key_check`.execute(d);
      integrity = `${ic.rows.map((r) => r.integrity_check).join(',')}; foreign keys ${fk.rows.length ? 'BROKEN' : 'ok'}`;
      assert.equal(ic.rows[0]?.integrity_check, 'ok');
      assert.equal(fk.rows.length, 0);
    } else {
      // PostgreSQL: every index of the schema's tables checked with amcheck (B-tree structure and heap match).
      await sql`create extension if not exists amcheck`.execute(d).catch(() => undefined);
      const idx = await sql<{ oid: number; relname: string }>`select c.oid, c.relname from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = c.relam where n.nspname = current_schema() and am.amname = 'btree'`.execute(d);
      for (const r of idx.rows) await sql`select bt_index_check(${r.oid}::regclass, true)`.execute(d);
      integrity = `amcheck ok on ${idx.rows.length} indexes`;
    }
    console.log(
      `crash[${ENGINE}]: ${ROUNDS} SIGKILL rounds — writes attempted ${attempted}, acknowledged ${acked.size} requests + ${notes.length} notes, lost ${lost.length + lostNotes.length}, ` +
        `stored ${rows.length} (half-written ${noReceive.length + noAudit.length}), integrity ${integrity}, audit chain ${chain.ok ? `verifies (${chain.entries} entries)` : 'BROKEN'}`,
    );
    assert.ok(acked.size >= ROUNDS, `only ${acked.size} writes acknowledged`);
    assert.deepEqual(lost, []);
    assert.deepEqual(lostNotes, []);
    assert.deepEqual(noReceive, []);
    assert.deepEqual(noAudit, []);
    assert.equal(chain.ok, true, JSON.stringify(chain));
  });

  test('SIGTERM: the in-flight request finishes, then the server exits cleanly', async () => {
    const server = await serve(env);
    const port = Number(new URL(server.base).port);
    const payload = Buffer.from(body(99, 0, 0));
    const half = Math.floor(payload.length / 2);
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/requests', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      });
      req.on('error', reject);
      req.write(payload.subarray(0, half));
      // Half the body is on the wire: ask the server to stop, then send the rest.
      setTimeout(() => {
        server.proc.kill('SIGTERM');
        const wait = setInterval(() => {
          if (server.output().includes('收到 SIGTERM')) {
            clearInterval(wait);
            req.end(payload.subarray(half));
          }
        }, 20);
      }, 200);
    });
    const res = await response;
    assert.equal(res.status, 201, res.body);
    const id = (JSON.parse(res.body) as { id: number }).id;
    const exit = await server.exited;
    assert.equal(exit.code, 0, server.output());
    const row = await db.store.db.selectFrom('requests').select('id').where('id', '=', id).executeTakeFirst();
    assert.ok(row, 'the in-flight request was stored');
  });
});
