import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { createTestDb, ENGINE, PG_URL, type TestDb } from '../helpers/db.js';

describe('backup and restore (gongkai backup FILE / gongkai restore FILE)', () => {
  let db: TestDb;
  before(async () => {
    db = await createTestDb();
    for (const c of ['b1', 'b2', 'b3']) assert.equal(runCli(['agency', 'add', '--code', c, '--name', `${c} 局`], db.env).code, 0);
    assert.equal(runCli(['user', 'add', '--agency', 'b1', '--username', 'ed', '--role', 'editor'], db.env).code, 0);
  });
  after(async () => db.cleanup());

  test('a backup restored into a fresh database has every record and a verifying audit chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-backup-'));
    const file = join(dir, ENGINE === 'sqlite' ? 'backup.db' : 'backup.dump');
    const b = runCli(['backup', file], db.env);
    assert.equal(b.code, 0, b.stderr);
    assert.notEqual(runCli(['backup', file], db.env).code, 0, 'refuses to overwrite an existing backup');

    let env: Record<string, string>;
    if (ENGINE === 'sqlite') {
      env = { GONGKAI_DB: join(dir, 'restored.db'), GONGKAI_DATA_DIR: dir };
    } else {
      // The dump carries its schema: drop it, then restore it from the file alone.
      await db.store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${db.config.engine === 'postgres' ? db.config.schema : ''} cascade`);
      await c.end();
      env = db.env;
    }
    const r = runCli(['restore', file], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /哈希链校验通过/);
    const list = runCli(['agency', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout).map((a: { code: string }) => a.code), ['b1', 'b2', 'b3']);
    const v = runCli(['audit', 'verify'], env);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /共 4 条记录/);
  });

  test('restoring something that is not a backup is refused, and the records stay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-bad-'));
    const missing = runCli(['restore', join(dir, ENGINE === 'sqlite' ? 'missing.db' : 'missing.dump')], db.env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /不存在/);
    const garbage = join(dir, ENGINE === 'sqlite' ? 'garbage.db' : 'garbage.dump');
    writeFileSync(garbage, '这不是备份文件\n'.repeat(100));
    const bad = runCli(['restore', garbage], db.env);
    assert.notEqual(bad.code, 0);
    const list = runCli(['agency', 'list', '--json'], db.env);
    assert.equal(list.code, 0);
    assert.deepEqual((JSON.parse(list.stdout) as { code: string }[]).map((a) => a.code).sort(), ['b1', 'b2', 'b3']);
  });
});
