import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { precompiled } from '../../src/db/precompiled.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../../src/modules/context.js';

describe('precompiled statements', () => {
  let d: TestDb;
  let ctx: Ctx;
  before(async () => {
    d = await createTestDb();
    ctx = { db: d.store.db, engine: d.store.engine, now: () => new Date('2025-03-03T02:00:00Z') };
    await createAgency(ctx, { system: 'test' }, { code: 'a', name: '甲机关', kind: 'government', parentCode: null });
    await createAgency(ctx, { system: 'test' }, { code: 'b', name: '乙机关', kind: 'department', parentCode: 'a' });
  });
  after(async () => d.cleanup());

  const byCodes = precompiled<{ first: string; second: string }>()((db, p) =>
    db.selectFrom('agencies').select(['code', 'name']).where((eb) => eb.or([eb('code', '=', p.second), eb('code', '=', p.first)])).orderBy('code'),
  );

  test('parameters are passed by name, each run with its own values, inside a transaction too', async () => {
    assert.deepEqual(await byCodes.execute(ctx.db, { first: 'a', second: 'nope' }), [{ code: 'a', name: '甲机关' }]);
    assert.deepEqual(await byCodes.execute(ctx.db, { first: 'nope', second: 'b' }), [{ code: 'b', name: '乙机关' }]);
    const rename = precompiled<{ code: string; name: string }>()((db, p) => db.updateTable('agencies').set({ name: p.name }).where('code', '=', p.code));
    await ctx.db.transaction().execute(async (tx) => {
      assert.deepEqual(await rename.execute(tx, { code: 'b', name: '乙机关（新）' }), []);
      assert.deepEqual(await byCodes.execute(tx, { first: 'b', second: 'a' }), [{ code: 'a', name: '甲机关' }, { code: 'b', name: '乙机关（新）' }]);
    });
  });

  test('a value that is neither a parameter nor a literal is refused, not frozen into the statement', async () => {
    const frozen = precompiled<{ code: string }>()((db, p) => db.selectFrom('agencies').select('name').where('code', '=', p.code).where('kind', '=', 'department'));
    await assert.rejects(frozen.execute(ctx.db, { code: 'b' }), /fixed value/);
    const literal = precompiled<{ code: string }>()((db, p) => db.selectFrom('agencies').select('code').where('code', '=', p.code).where('kind', '=', sql.lit('department')));
    assert.deepEqual(await literal.execute(ctx.db, { code: 'b' }), [{ code: 'b' }]);
    assert.deepEqual(await literal.execute(ctx.db, { code: 'a' }), []);
  });
});
