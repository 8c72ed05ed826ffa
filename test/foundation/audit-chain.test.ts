import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { appendAudit, verifyAuditChain } from '../../src/modules/audit-log/audit-log.service.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/** A transaction remembers the chain head after its first append; the head only ever moves from where an append found it. */
describe('audit chain: several appends in one transaction', () => {
  let d: TestDb;
  before(async () => {
    d = await createTestDb();
  });
  after(async () => d.cleanup());

  const entry = (n: number) => ({ actor: { system: 'test' }, action: 'test.append', entity: 'test', entityId: n, data: { n }, at: new Date('2025-03-03T02:00:00Z') });

  test('appends in one transaction, then alone: one unbroken chain', async () => {
    const start = (await verifyAuditChain(d.store.db)).entries;
    const seqs = await d.store.db.transaction().execute(async (tx) => [await appendAudit(tx, entry(1)), await appendAudit(tx, entry(2)), await appendAudit(tx, entry(3))]);
    assert.deepEqual(seqs, [start + 1, start + 2, start + 3]);
    assert.equal(await appendAudit(d.store.db, entry(4)), start + 4); // outside a transaction: nothing remembered
    await d.store.db.transaction().execute(async (tx) => appendAudit(tx, entry(5)));
    const chain = await verifyAuditChain(d.store.db);
    assert.equal(chain.ok, true, JSON.stringify(chain.firstBad));
    assert.equal(chain.entries, start + 5);
  });

  test('a head moved behind the transaction’s back makes the append fail instead of forking the chain', async () => {
    const before = await verifyAuditChain(d.store.db);
    await assert.rejects(
      d.store.db.transaction().execute(async (tx) => {
        await appendAudit(tx, entry(6));
        await sql`update audit_head set last_seq = last_seq + 1 where id = 1`.execute(tx);
        await appendAudit(tx, entry(7));
      }),
      /head moved/,
    );
    const chain = await verifyAuditChain(d.store.db);
    assert.equal(chain.ok, true);
    assert.equal(chain.entries, before.entries); // rolled back
  });
});
