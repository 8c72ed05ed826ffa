/**
 * The house rules that the import linter cannot see, and a test of the linter's own cross-module rule.
 *
 * 1. Modules keep to their own tables: the SQL of a module (its repositories and read models) names only the
 *    tables the module declares in its *.tables.ts, plus the two directories published for joins
 *    (agencies.read-model.ts: `agencies`; accounts.read-model.ts: `users`). Another module's records are
 *    reached through that module's service or read model.
 * 2. The dependency rule `modules-meet-through-their-faces` fails on a deliberate import of another module's
 *    repository (run on a small tree made for the purpose, with the project's own rule set).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const modulesDir = join(root, 'src/modules');
const PUBLISHED_FOR_JOINS = new Set(['agencies', 'users']);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Tables each module declares (the keys of its `interface Database { … }` augmentation). */
function declaredTables(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const file of filesUnder(modulesDir)) {
    if (!file.endsWith('.tables.ts')) continue;
    const src = readFileSync(file, 'utf8');
    const block = src.match(/interface Database \{([\s\S]*?)\n {2}\}/);
    if (!block) continue;
    for (const m of block[1]!.matchAll(/^\s+([a-z_][a-z0-9_]*)\s*:/gm)) owner.set(m[1]!, relative(modulesDir, file).split('/')[0]!);
  }
  return owner;
}

describe('the house rules', () => {
  test("a module's SQL names only its own tables and the directories published for joins", () => {
    const owner = declaredTables();
    assert.ok(owner.size >= 20, `tables found: ${[...owner.keys()].join(', ')}`);
    assert.equal(owner.get('review_cases'), 'reviews');
    assert.equal(owner.get('calendar_years'), 'calendar');
    const violations: string[] = [];
    for (const file of filesUnder(modulesDir)) {
      const module = relative(modulesDir, file).split('/')[0]!;
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'([a-z_][a-z0-9_]*)/g)) {
        const table = m[1]!;
        const tableOwner = owner.get(table);
        if (!tableOwner || tableOwner === module || PUBLISHED_FOR_JOINS.has(table)) continue;
        const line = src.slice(0, m.index).split('\n').length;
        violations.push(`${relative(root, file)}:${line} reads ${table} (owned by ${tableOwner})`);
      }
    }
    assert.deepEqual(violations, []);
  });

  test('the linter refuses an import of another module\'s repository, and allows its service and read model', async () => {
    const require = createRequire(import.meta.url);
    const ruleSet = require(join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[] };
    const { cruise } = (await import('dependency-cruiser')) as unknown as {
      cruise: (files: string[], opts: object) => Promise<{ output: { summary: { violations: { rule: { name: string }; from: string; to: string }[] } } }>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-lint-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    try {
      write('src/modules/alpha/alpha.repository.ts', 'export const rows = 1;\n');
      write('src/modules/alpha/alpha.service.ts', "import { rows } from './alpha.repository.js';\nexport const count = () => rows;\n");
      write('src/modules/alpha/alpha.read-model.ts', 'export const total = 2;\n');
      write(
        'src/modules/beta/beta.service.ts',
        "import { rows } from '../alpha/alpha.repository.js';\nimport { count } from '../alpha/alpha.service.js';\nimport { total } from '../alpha/alpha.read-model.js';\nexport const all = () => rows + count() + total;\n",
      );
      const cwd = process.cwd();
      process.chdir(dir);
      let result;
      try {
        result = await cruise(['src'], { validate: true, ruleSet: { forbidden: ruleSet.forbidden }, tsPreCompilationDeps: true, enhancedResolveOptions: { extensions: ['.ts', '.js'] } });
      } finally {
        process.chdir(cwd);
      }
      const found = result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      assert.deepEqual(found, ['modules-meet-through-their-faces: src/modules/beta/beta.service.ts → src/modules/alpha/alpha.repository.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
