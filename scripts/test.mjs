#!/usr/bin/env node
// The one test command (`npm test`): typecheck, lint, then the suite on SQLite and on PostgreSQL,
// then the browser journeys in Debian's Chromium. It ends with one line "tests: N passed, N failed".
//
//   npm test                      everything that this machine can run; says what it could not
//   npm test -- --engine sqlite   only the SQLite run (law tests included)
//   npm test -- --engine postgres only the PostgreSQL run
//   npm test -- --only FILTER     only test files whose path contains FILTER (no typecheck or lint)
//   npm test -- --tz Asia/Shanghai the integration suite under one time zone only (default: UTC and Asia/Shanghai)
//
// Every test file runs with scripts/assertion-guard.mjs preloaded: a test that asserts nothing fails.
//
// Under CI=true a missing PostgreSQL or Chromium is a failure, not a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    only: { type: 'string' },
    'no-static': { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    tz: { type: 'string' },
  },
});
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.GONGKAI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function walk(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(p);
  }
  return out.sort();
}
const rel = (p) => relative(root, p);
const filter = (files) => (values.only ? files.filter((f) => rel(f).includes(values.only)) : files);

// Pure tests: src/**/*.test.ts (law, reportcheck, render) need no database; run them once.
const pureFiles = filter(walk(join(root, 'src')));
// Integration tests: test/**/*.test.ts except the browser journeys; run on each engine.
const dbFiles = filter(walk(join(root, 'test')).filter((f) => !rel(f).startsWith('test/e2e/')));
const e2eFiles = filter(walk(join(root, 'test/e2e')));

const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
let problems = 0;

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  if (r.status !== 0) {
    problems++;
    console.log(`=== ${name}: FAILED (exit ${r.status})`);
  }
  return r.status === 0;
}

function runTests(name, files, env) {
  if (files.length === 0) return;
  const tap = join(resultsDir, `${name.replace(/[^A-Za-z0-9]+/g, "-")}.tap`);
  console.log(`\n=== ${name}: ${files.length} files`);
  const r = spawnSync(
    process.execPath,
    [
      '--import', 'tsx',
      '--import', './scripts/assertion-guard.mjs',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files.map(rel),
    ],
    { stdio: 'inherit', cwd: root, env: { ...process.env, TZ: env.TZ ?? 'Asia/Shanghai', ...env } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  passed += num('pass');
  failed += num('fail') + num('cancelled');
  skipped += num('skipped');
  if (r.status !== 0) {
    problems++;
    if (num('fail') + num('cancelled') === 0) failed++; // a crash the runner did not count
  }
}

/** Drop test schemas left by runs that were killed (named t_<base-36 time>_…), older than two hours. */
async function dropStaleSchemas() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    await client.connect();
    const { rows } = await client.query("select nspname from pg_namespace where nspname like 't\\_%'");
    for (const { nspname } of rows) {
      const t = parseInt(nspname.split('_')[1] ?? '', 36);
      if (Number.isFinite(t) && Date.now() - t > 2 * 3600_000) await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } catch {
    // best effort
  } finally {
    await client.end().catch(() => {});
  }
}

async function postgresReachable() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const wantSqlite = !values.engine || values.engine === 'sqlite';
// The integration suite runs under both time zones a deployment may have (servers on UTC, and on Beijing time),
// as the law tests do: dates that are right only in one of them are wrong.
const zones = values.tz ? values.tz.split(',') : ['UTC', 'Asia/Shanghai'];
const wantPg = !values.engine || values.engine === 'postgres';

if (!values.only && !values['no-static']) {
  step('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', '.']);
  step('lint (dependency rules: no cycles, src/law imports nothing outside it)', 'npx', [
    'depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err',
  ]);
}

if (wantSqlite) {
  runTests('law and pure tests (TZ=UTC)', pureFiles, { TZ: 'UTC' });
  runTests('law and pure tests (TZ=Asia/Shanghai)', pureFiles, { TZ: 'Asia/Shanghai' });
  for (const TZ of zones) runTests(`integration tests on SQLite (TZ=${TZ})`, dbFiles, { GONGKAI_TEST_ENGINE: 'sqlite', TZ });
}
if (wantPg) {
  if (await postgresReachable()) {
    await dropStaleSchemas();
    for (const TZ of zones) {
      runTests(`integration tests on PostgreSQL (TZ=${TZ})`, dbFiles, { GONGKAI_TEST_ENGINE: 'postgres', GONGKAI_TEST_PG_URL: pgUrl, TZ });
    }
  } else if (ci || values.engine === 'postgres') {
    problems++;
    failed++;
    console.log(`\n=== PostgreSQL at ${pgUrl} is unreachable: the PostgreSQL suite could not run (FAILED).`);
  } else {
    notes.push(`PostgreSQL suite NOT RUN: no server at ${pgUrl} (set GONGKAI_TEST_PG_URL, or start PostgreSQL).`);
  }
}
if (e2eFiles.length && !values['no-browser'] && wantSqlite) {
  if (chromium) {
    runTests('browser journeys in Chromium', e2eFiles, { GONGKAI_TEST_ENGINE: 'sqlite', CHROMIUM_PATH: chromium });
  } else if (ci) {
    problems++;
    failed++;
    console.log('\n=== Chromium not found: the browser tests could not run (FAILED). apt-get install chromium');
  } else {
    notes.push('Browser tests SKIPPED: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH).');
  }
}

console.log('');
for (const n of notes) console.log(`NOTE: ${n}`);
if (problems && failed === 0) failed = problems;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems || failed ? 1 : 0);
