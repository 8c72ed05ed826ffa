/**
 * Faults with several processes (issue 18): two `gongkai serve` processes on one PostgreSQL take request
 * submissions through the API; one is killed with SIGKILL under load. Every submission either process
 * acknowledged is stored, exactly once (each carries a unique subject); the survivor kept answering
 * throughout and after; nothing is half-written and the audit chain verifies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createToken, createUser } from '../../src/modules/accounts/accounts.service.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import { verifyAuditChain } from '../../src/modules/audit-log/audit-log.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { createTestDb, ENGINE, type TestDb } from '../helpers/db.js';
import type { Served } from '../reliability/server.js';
import { startProcesses, stopProcesses, scaleSkip } from './cluster.js';

describe('SIGKILL one of two processes under load', { skip: scaleSkip(ENGINE !== 'postgres' && 'several processes need PostgreSQL') }, () => {
  let db: TestDb;
  let ps: Served[] = [];
  let token: string;
  before(async () => {
    db = await createTestDb();
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    await createAgency(ctx, { system: 'test' }, { code: 'env', name: '某市生态环境局', kind: 'government', parentCode: null });
    await createUser(ctx, { system: 'test' }, { agencyCode: 'env', username: 'h1', role: 'handler', password: 'Test-passw0rd' });
    token = await createToken(ctx, { system: 'test' }, 'h1');
    ps = await startProcesses(2, { ...db.env, LOG_LEVEL: 'warn', GONGKAI_DATA_DIR: mkdtempSync(join(tmpdir(), 'gk-kill-')) });
  });
  after(async () => {
    await stopProcesses(ps);
    await db?.cleanup();
  });

  test('nothing acknowledged is lost or duplicated; the other process keeps serving', async () => {
    const [victim, survivor] = ps as [Served, Served];
    const acked = new Map<string, number>(); // subject → request id
    const survivorErrors: string[] = [];
    let stop = false;
    let killed = false;
    const writer = async (p: Served, w: number) => {
      for (let i = 0; !stop; i++) {
        const subject = `多进程崩溃测试 ${p === victim ? 'v' : 's'}${w}-${i}`;
        try {
          const res = await fetch(`${p.base}/api/v1/requests`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ agency: 'env', channel: 'letter', receivedOn: '2025-03-03', applicant: { kind: 'natural_person', name: `申请人${w}-${i}` }, subject, description: '—' }),
          });
          if (res.status !== 201) throw new Error(`status ${res.status}: ${await res.text()}`);
          acked.set(subject, ((await res.json()) as { id: number }).id);
        } catch (e) {
          if (p === survivor) survivorErrors.push(String(e));
          if (p === victim && killed) return; // the victim is gone: its writers stop
          if (p === victim) throw e;
        }
      }
    };
    const writers = [0, 1, 2, 3].map((w) => writer(victim, w)).concat([0, 1, 2, 3].map((w) => writer(survivor, w)));
    await sleep(800);
    killed = true;
    victim.proc.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    await sleep(800); // the survivor goes on under load
    stop = true;
    await Promise.all(writers);
    const health = await fetch(`${survivor.base}/healthz`);
    assert.equal(health.status, 200);

    const rows = await db.store.db.selectFrom('requests').select(['id', 'subject']).where('subject', 'like', '多进程崩溃测试%').execute();
    const bySubject = new Map<string, number[]>();
    for (const r of rows) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), Number(r.id)]);
    const lost = [...acked].filter(([s, id]) => !bySubject.get(s)?.includes(id));
    const duplicated = [...bySubject].filter(([, ids]) => ids.length > 1);
    const fromSurvivor = [...acked.keys()].filter((s) => s.includes(' s')).length;
    const chain = await verifyAuditChain(db.store.db);
    console.log(`scale: SIGKILL of one of two processes — acknowledged ${acked.size} (${fromSurvivor} by the survivor), stored ${rows.length}, lost ${lost.length}, duplicated ${duplicated.length}, survivor errors ${survivorErrors.length}, audit chain ${chain.ok ? 'verifies' : 'BROKEN'}`);
    assert.deepEqual(lost, []);
    assert.deepEqual(duplicated, []);
    assert.deepEqual(survivorErrors, []);
    assert.ok(fromSurvivor > 0);
    assert.equal(chain.ok, true);
  });
});
