/**
 * Load (issue 8.1): 200 concurrent clients, each with its own address (behind a trusted proxy) and cookie
 * jar, file requests through the public form — solving the form's challenge, sometimes retrying or double
 * clicking with the same idempotency key — and browse the portal, for 30 seconds against a real server
 * process. No errors; every acknowledged submission is stored exactly once; nothing unacknowledged is stored.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { answeredChallenge } from '../helpers/challenge.js';
import { createTestDb, ENGINE, type TestDb } from '../helpers/db.js';
import { serve, type Served } from './server.js';

const CLIENTS = 200;
const SECONDS = 30;
const BROWSE = ['/', '/agencies', '/agencies/env', '/catalogue', '/search?q=%E6%8A%A5%E5%91%8A', '/apply', '/track', '/guide', '/healthz'];

describe(`load: ${CLIENTS} concurrent clients for ${SECONDS} s (${ENGINE})`, () => {
  let db: TestDb;
  let server: Served;
  before(async () => {
    db = await createTestDb();
    const ctx: Ctx = { db: db.store.db, engine: db.store.engine, now: () => new Date() };
    await createAgency(ctx, { system: 'test' }, { code: 'city', name: '某市人民政府', kind: 'government', parentCode: null });
    await createAgency(ctx, { system: 'test' }, { code: 'env', name: '某市生态环境局', kind: 'department', parentCode: 'city' });
    server = await serve({ ...db.env, GONGKAI_TRUST_PROXY: '1', GONGKAI_DATA_DIR: mkdtempSync(join(tmpdir(), 'gk-load-')), GONGKAI_PG_POOL: '10' });
  });
  after(async () => {
    server?.proc.kill('SIGTERM');
    await server?.exited;
    await db?.cleanup();
  });

  test('no errors; every acknowledged submission stored exactly once', async () => {
    const deadline = Date.now() + SECONDS * 1000;
    const stats = { sent: 0, submissions: 0, retries: 0, acknowledged: 0, browsed: 0, errors: 0 };
    const errors: string[] = [];
    const acked = new Map<string, string>(); // idempotency key → tracking location

    async function client(n: number) {
      const ip = `10.20.${n >> 8}.${n & 255}`;
      const cookies = new Map<string, string>();
      const req = async (path: string, init: RequestInit = {}) => {
        stats.sent++;
        const res = await fetch(server.base + path, {
          ...init,
          redirect: 'manual',
          headers: { 'x-forwarded-for': ip, accept: 'text/html', cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(init.headers ?? {}) },
        });
        for (const c of res.headers.getSetCookie()) {
          const m = /^([^=]+)=([^;]*)/.exec(c);
          if (m) cookies.set(m[1]!, m[2]!);
        }
        const body = await res.text();
        if (res.status >= 500) throw new Error(`${path} → ${res.status}`);
        return { status: res.status, body, location: res.headers.get('location') };
      };
      let filed = 0;
      while (Date.now() < deadline) {
        try {
          if (filed < 4 && Math.random() < 0.35) {
            filed++;
            const page = await req('/apply');
            const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
            const idem = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
            const form = new URLSearchParams({
              _csrf: csrf, idempotencyKey: idem, ...answeredChallenge(page.body), agency: 'env', applicantKind: 'natural_person', name: `负载测试${n}`, idType: 'passport',
              idNumber: `E${String(n).padStart(8, '0')}`, phone: '13900139000', subject: `负载测试申请 ${n}-${filed}`, description: '请公开某项政府信息（负载测试）', formWanted: 'electronic', delivery: 'online',
            }).toString();
            const post = () => req('/apply', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
            stats.submissions++;
            const r = Math.random();
            // A double click (two at once) or a retry after the answer: the same submission again.
            const results = r < 0.15 ? await Promise.all([post(), post()]) : r < 0.35 ? [await post(), await post()] : [await post()];
            stats.retries += results.length - 1;
            for (const res of results) {
              if (res.status !== 303 || !res.location?.startsWith('/track/')) throw new Error(`submit → ${res.status} ${res.body.match(/error-text[^>]*>([^<]+)/)?.[1] ?? ''}`);
              const prior = acked.get(idem);
              if (prior && prior !== res.location) throw new Error(`one submission acknowledged as two requests: ${prior} and ${res.location}`);
              acked.set(idem, res.location);
            }
            stats.acknowledged++;
          } else {
            await req(BROWSE[Math.floor(Math.random() * BROWSE.length)]!);
            stats.browsed++;
          }
        } catch (e) {
          stats.errors++;
          // fetch's own message is only "fetch failed": the cause says what the socket did
          const cause = (e as { cause?: { code?: string; message?: string } }).cause;
          if (errors.length < 10) errors.push(`${(e as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`);
        }
      }
    }

    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));

    const rows = await db.store.db.selectFrom('requests').select(['idempotency_key', 'tracking_no']).execute();
    const byKey = new Map<string, number>();
    for (const r of rows) byKey.set(String(r.idempotency_key), (byKey.get(String(r.idempotency_key)) ?? 0) + 1);
    const missing = [...acked.keys()].filter((k) => byKey.get(k) !== 1);
    const unacknowledged = rows.filter((r) => !acked.has(String(r.idempotency_key)));
    for (const [k, loc] of acked) {
      const row = rows.find((r) => r.idempotency_key === k);
      assert.ok(row && loc.startsWith(`/track/${row.tracking_no}?`), `acknowledged ${loc} is stored as ${row?.tracking_no}`);
    }
    console.log(
      `load[${ENGINE}]: ${CLIENTS} clients × ${SECONDS} s — HTTP requests sent ${stats.sent}, submissions ${stats.submissions} (+${stats.retries} retries/double clicks), ` +
        `acknowledged ${stats.acknowledged}, stored ${rows.length}, pages browsed ${stats.browsed}, errors ${stats.errors}`,
    );
    assert.deepEqual(errors, []);
    assert.equal(stats.errors, 0);
    assert.ok(stats.acknowledged > 200, `only ${stats.acknowledged} submissions acknowledged`);
    assert.deepEqual(missing, [], 'every acknowledged submission is stored exactly once');
    assert.equal(unacknowledged.length, 0, 'nothing unacknowledged is stored');
    assert.equal(rows.length, acked.size);
  });
});
