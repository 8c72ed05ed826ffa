import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { runCli } from '../helpers/cli.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

describe('gongkai command (contract): agencies, users, tokens, audit verify', () => {
  let db: TestDb;
  before(async () => {
    db = await createTestDb();
  });
  after(async () => db.cleanup());

  const count = async (table: 'agencies' | 'users' | 'audit_log') =>
    Number((await db.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('agency add builds a hierarchy; agency list --json prints code, name, kind, parent', () => {
    assert.equal(runCli(['agency', 'add', '--code', 'hrb', '--name', '哈尔滨市人民政府', '--kind', 'government'], db.env).code, 0);
    const r = runCli(['agency', 'add', '--code', 'hrb-wgl', '--name', '哈尔滨市文化广电和旅游局', '--parent', 'hrb'], db.env);
    assert.equal(r.code, 0, r.stderr);
    const list = runCli(['agency', 'list', '--json'], db.env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), [
      { code: 'hrb', name: '哈尔滨市人民政府', kind: 'government', parent: null },
      { code: 'hrb-wgl', name: '哈尔滨市文化广电和旅游局', kind: 'department', parent: 'hrb' },
    ]);
  });

  test('bad input ends with a Chinese message, a non-zero exit, and changes nothing', async () => {
    const agencies = await count('agencies');
    const users = await count('users');
    const audit = await count('audit_log');
    const dup = runCli(['agency', 'add', '--code', 'hrb', '--name', '重复'], db.env);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /机构代码“hrb”已存在/);
    const parent = runCli(['agency', 'add', '--code', 'x1', '--name', '某局', '--parent', 'nope'], db.env);
    assert.notEqual(parent.code, 0);
    assert.match(parent.stderr, /上级机构“nope”不存在/);
    const kind = runCli(['agency', 'add', '--code', 'x2', '--name', '某局', '--kind', 'ministry'], db.env);
    assert.notEqual(kind.code, 0);
    assert.match(kind.stderr, /机构类型“ministry”不存在/);
    const role = runCli(['user', 'add', '--agency', 'hrb', '--username', 'u1', '--role', 'boss'], db.env);
    assert.notEqual(role.code, 0);
    assert.match(role.stderr, /角色“boss”不存在/);
    const unknownAgency = runCli(['user', 'add', '--agency', 'nowhere', '--username', 'u1', '--role', 'editor'], db.env);
    assert.notEqual(unknownAgency.code, 0);
    assert.match(unknownAgency.stderr, /机构“nowhere”不存在/);
    const badUrl = runCli(['agency', 'list'], { ...db.env, DATABASE_URL: 'mysql://root@localhost/x' });
    assert.notEqual(badUrl.code, 0);
    assert.match(badUrl.stderr, /DATABASE_URL/);
    const garbage = runCli(['agency', 'add', '--code', 'x3', '--name', 'y'], { ...db.env, DATABASE_URL: 'not a url' });
    assert.notEqual(garbage.code, 0);
    assert.match(garbage.stderr, /DATABASE_URL 不是有效的数据库地址/);
    assert.equal(await count('agencies'), agencies);
    assert.equal(await count('users'), users);
    assert.equal(await count('audit_log'), audit);
  });

  test('user add --password-stdin and token create prints only the token', () => {
    const r = runCli(['user', 'add', '--agency', 'hrb', '--username', 'admin', '--role', 'admin', '--password-stdin'], db.env, 'Str0ng-password\n');
    assert.equal(r.code, 0, r.stderr);
    const weak = runCli(['user', 'add', '--agency', 'hrb', '--username', 'weak', '--role', 'editor', '--password-stdin'], db.env, 'short\n');
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /密码至少需要 10 个字符/);
    const t = runCli(['token', 'create', '--username', 'admin'], db.env);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^gk_[A-Za-z0-9_-]{40,}\n$/);
  });

  test('audit verify passes, then names the first altered entry after a direct database edit', async () => {
    const ok = runCli(['audit', 'verify'], db.env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /校验通过/);
    await sql`update audit_log set data = '{"code":"tampered"}' where seq = 2`.execute(db.store.db);
    const bad = runCli(['audit', 'verify'], db.env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /第 2 条记录的内容已被改动/);
  });

  test('calendar due is part of the command line', () => {
    const r = runCli(['calendar', 'due', '2025-09-26'], db.env);
    // 2025-09-26 (Fri) + 20 working days: 9/28 (Sun) and 10/11 (Sat) are make-up working days, 10/1–10/8 holidays.
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2025-10-30');
  });
});

describe('audit chain: removal and reordering are detected', () => {
  let db: TestDb;
  before(async () => {
    db = await createTestDb();
    for (const c of ['a', 'b', 'c', 'd']) runCli(['agency', 'add', '--code', c, '--name', `${c} 机关`], db.env);
  });
  after(async () => db.cleanup());

  test('a removed middle entry is named', async () => {
    await sql`delete from audit_log where seq = 3`.execute(db.store.db);
    const r = runCli(['audit', 'verify', '--json'], db.env);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, false);
    assert.equal(j.firstBad.seq, 3);
  });
});

describe('gongkai calendar (contract)', () => {
  let db: TestDb;
  before(async () => {
    db = await createTestDb();
  });
  after(async () => db.cleanup());

  test('calendar due --days N, and exit 3 for a year the calendar does not cover, until it is loaded', async () => {
    // 2026-09-30 (Wed) + 3 working days: 10/1–10/7 holidays, 10/8 (Thu) 1, 10/9 (Fri) 2, 10/10 (Sat, make-up) 3.
    const r = runCli(['calendar', 'due', '2026-09-30', '--days', '3'], db.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2026-10-10');
    const gap = runCli(['calendar', 'due', '2026-12-20'], db.env);
    assert.equal(gap.code, 3);
    assert.match(gap.stderr, /未覆盖 2027 年/);
    // Exit 3 still, with the provisional date: 2026-12-20 (Sun) + 20: 12/21–25 (5), 12/28–31 (9), 2027-01-01 元旦,
    // 1/4–8 (14), 1/11–15 (19), 1/18 (20).
    assert.equal(gap.stdout.trim(), '2027-01-18');
    assert.match(gap.stderr, /暂定/);
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'cal-')), '2027.json');
    writeFileSync(f, JSON.stringify({ year: 2027, notice: '测试用安排', holidays: ['2027-01-01', '2027-10-01..2027-10-07'], workdays: [] }));
    assert.equal(runCli(['calendar', 'load', f], db.env).code, 0);
    const ok = runCli(['calendar', 'due', '2026-12-20'], db.env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout.trim(), /^2027-01-\d\d$/);
  });
});
