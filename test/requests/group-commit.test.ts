import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { verifyAuditChain } from '../../src/modules/audit-log/audit-log.service.js';
import { findById } from '../../src/modules/requests/requests.repository.js';
import { getRequest, newAccessKey, submitRequest } from '../../src/modules/requests/requests.service.js';
import type { Actor } from '../../src/modules/context.js';

/**
 * Submissions arriving together are committed together (one transaction; the audit chain head is read once
 * per transaction). A submission that fails inside the batch sends every one of them back to run alone.
 */
describe('concurrent submissions: one transaction per batch, a sound audit chain, failures isolated', () => {
  let t: TestApp;
  let staff: Actor;
  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'h1', 'handler');
    const id = (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'h1').executeTakeFirstOrThrow()).id;
    staff = (await actorFor(t.ctx, id))!;
  });
  after(async () => t.close());

  const DAILY_LIMIT = 3; // the portal's per-applicant daily limit in this test
  const staffSubmit = (i: number) =>
    submitRequest(t.ctx, staff, { channel: 'letter', receivedOn: '2025-06-02', applicant: { kind: 'natural_person', name: `申请人${i}` }, subject: `申请事项${i % 7}`, description: '' }, { strict: false, accessKey: newAccessKey() });
  // The portal's per-applicant daily limit is checked inside the transaction: the same applicant beyond it fails there.
  const publicSubmit = (i: number) =>
    submitRequest(
      t.ctx,
      { public: 'portal' },
      { agency: 'env', applicant: { kind: 'natural_person', name: '同一人', idNumber: '11010519491231002X', phone: '13800138000' }, subject: `网上申请${i}`, description: '请公开某某文件的全文内容', formWanted: 'electronic', delivery: 'online' },
      { strict: true, accessKey: newAccessKey(), perApplicantDailyLimit: DAILY_LIMIT, origin: 'one-address' },
    );

  test('40 at once: committed together, each answer the stored request, the chain verifies', async () => {
    const before = (await verifyAuditChain(t.ctx.db)).entries;
    const subs = await Promise.all(Array.from({ length: 40 }, (_, i) => staffSubmit(i)));
    const entries = await t.ctx.db.selectFrom('audit_log').select(['seq', 'entity_id']).where('seq', '>', before).orderBy('seq').execute();
    // one entry per request, in the order the requests were written
    const ids = entries.map((e) => Number(e.entity_id));
    assert.deepEqual(ids, subs.map((s) => s.request.id).sort((a, b) => a - b));
    // tracking serials: consecutive, in the order written (the batch continues from the serial it gave last)
    const serials = [...subs].sort((a, b) => a.request.id - b.request.id).map((s) => Number(s.request.trackingNo.slice(-5)));
    assert.deepEqual(serials, serials.map((_, i) => serials[0]! + i));
    for (const s of subs) assert.deepEqual(s.view, await getRequest(t.ctx, staff, s.request.id));
    const chain = await verifyAuditChain(t.ctx.db);
    assert.equal(chain.ok, true, JSON.stringify(chain.firstBad));
    assert.equal(chain.entries, before + 40);
  });

  test('60 at once, some refused inside the batch: the rest stored, each answer the stored request, the chain verifies', async () => {
    const before = (await verifyAuditChain(t.ctx.db)).entries;
    // 60 submissions: every sixth is the same applicant on the portal (10 of them), the rest are staff's (50).
    const kinds = Array.from({ length: 60 }, (_, i) => (i % 6 === 5 ? 'public' : 'staff'));
    const publicCount = kinds.filter((k) => k === 'public').length;
    const staffCount = kinds.length - publicCount;
    const results = await Promise.allSettled(kinds.map((k, i) => (k === 'public' ? publicSubmit(i) : staffSubmit(i))));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof staffSubmit>>>).value);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as { code?: string });
    // every staff submission is stored; of the applicant's, exactly the daily limit
    assert.equal(ok.filter((s) => s.request.channel !== 'online').length, staffCount);
    assert.equal(ok.filter((s) => s.request.channel === 'online').length, DAILY_LIMIT);
    assert.equal(refused.length, publicCount - DAILY_LIMIT);
    assert.ok(refused.every((e) => e.code === 'rate_limited'));
    assert.equal(new Set(ok.map((s) => s.request.trackingNo)).size, ok.length);
    for (const s of ok) {
      assert.deepEqual(s.request, await findById(t.ctx.db, s.request.id));
      if (s.request.channel !== 'online') assert.deepEqual(s.view, await getRequest(t.ctx, staff, s.request.id));
    }
    const chain = await verifyAuditChain(t.ctx.db);
    assert.equal(chain.ok, true, JSON.stringify(chain.firstBad));
    assert.equal(chain.entries, before + ok.length);
    // and a later write continues the chain
    await staffSubmit(99);
    assert.equal((await verifyAuditChain(t.ctx.db)).entries, before + ok.length + 1);
  });
});
