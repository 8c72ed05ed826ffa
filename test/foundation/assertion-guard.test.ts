/**
 * The test runner's assertion guard (scripts/assertion-guard.mjs): a test that asserts nothing fails, so a
 * test that cannot fail cannot land. Shown on a fixture run in a child process with the same preload.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const guard = new URL('../../scripts/assertion-guard.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gongkai-guard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(source: string): { status: number | null; tap: string } {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.test.mjs`);
  writeFileSync(file, source);
  // NODE_TEST_CONTEXT would make the child report to this runner instead of printing its own TAP.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--import', guard, '--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
  return { status: r.status, tap: r.stdout };
}

describe('assertion guard', () => {
  test('a test without an assertion fails; tests that assert, skip themselves or run subtests pass', () => {
    const { status, tap } = run(`
      import { test, describe, it } from 'node:test';
      import assert from 'node:assert/strict';
      test('asserts', () => { assert.equal(1, 1); });
      test('asserts after an await', async () => { await new Promise((r) => setTimeout(r, 2)); assert.match('公开', /公/); });
      test('asserts nothing', () => { void (1 + 1); });
      describe('suite', () => { it('it asserts nothing', async () => {}); it('it asserts', () => assert.deepEqual([1], [1])); });
      test('skips itself', (t) => { t.skip('不具备条件'); });
      test('subtests', async (t) => { await t.test('inner', () => assert.ok(true)); });
      test('skipped by option', { skip: true }, () => {});
    `);
    assert.equal(status, 1);
    assert.match(tap, /^not ok \d+ - asserts nothing$/m);
    assert.match(tap, /^ {4}not ok \d+ - it asserts nothing$/m);
    for (const name of ['asserts', 'asserts after an await', 'skips itself # SKIP 不具备条件', 'subtests', 'skipped by option # SKIP']) {
      assert.match(tap, new RegExp(`^ok \\d+ - ${name.replace(/[()]/g, '\\$&')}$`, 'm'), name);
    }
    assert.match(tap, /^# fail 2$/m);
  });

  test('assert.match and assert.doesNotMatch keep their meaning under the guard', () => {
    const { status, tap } = run(`
      import { test } from 'node:test';
      import assert from 'node:assert/strict';
      test('match', () => { assert.match('第三十三条', /三十三/); assert.doesNotMatch('第三十三条', /四十/); });
      test('a failing match still fails', () => { assert.match('第三十三条', /四十/); });
    `);
    assert.equal(status, 1);
    assert.match(tap, /^ok 1 - match$/m);
    assert.match(tap, /^not ok 2 - a failing match still fails$/m);
  });
});
