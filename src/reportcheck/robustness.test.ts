/**
 * Every published example and generated reports of both formats, with the hazards of published copies put in
 * (a typo in a heading, the cells of a row run together, the text cut off anywhere): no crash, nothing read
 * differently (a cell is what the clean copy gives, or blank), and no error that the clean copy does not have.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Cell } from '../law/report-model.js';
import type { AuditedReport } from './audit.js';
import { auditText } from './audit.js';
import { readReport } from './readers.js';
import { renderSyntheticText, syntheticReport } from './synthetic.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, '..', 'shared', 'examples', 'reports');

function cells(r: AuditedReport): [string, Cell][] {
  const out: [string, Cell][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v === null || typeof v !== 'object') out.push([prefix, v as Cell]);
    else for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
  };
  walk('proactive', r.proactive);
  walk('requests', r.requests);
  walk('reviews', r.reviews);
  return out;
}

const errorKeys = (r: AuditedReport) => new Set(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}@${f.where}`));

/** `got` reads nothing differently from `clean` and has no error that `clean` does not have. */
function assertNoWorse(clean: AuditedReport, got: AuditedReport, label: string, allowed: string[] = []) {
  const want = new Map(cells(clean));
  for (const [path, v] of cells(got)) if (v !== null) assert.equal(v, want.get(path), `${label}: ${path}`);
  const before = errorKeys(clean);
  const extra = [...errorKeys(got)].filter((k) => !before.has(k) && !allowed.some((a) => k.startsWith(a)));
  assert.deepEqual(extra, [], `${label}: ${JSON.stringify(got.findings.filter((f) => f.severity === 'error'), null, 1)}`);
}

const HEADING_TYPOS: [RegExp, string][] = [
  [/总体情况/, '总休情况'],
  [/(二[、.][\s|]*)主动公开/, '$1主动公升'],
  [/(三[、.][\s|]*)收到和处理/, '$1收倒和处理'],
  [/(四[、.][^\n。]{0,12}?)行政复议/, '$1行政法复议'],
  [/存在的主要问题/, '存在的主要问提'],
];

/** The cells of the first table row written "label | a | b | c |" or "label a b c", run together. */
function mergeARow(text: string): string {
  return text.replace(/(行政规范性文件|本年新收政府信息公开申请数量)((?:[ \t|]+\d+){3,})/, (_, label: string, nums: string) => `${label} ${nums.replace(/[ \t|]+/g, '')}`);
}

/** Cut points in mid-sentence (never just after 。), spread over the text. */
function cuts(text: string, n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    let at = Math.floor((text.length * i) / (n + 1));
    while (at < text.length && /[。\s]/.test(text[at - 1])) at++;
    out.push(at);
  }
  return out;
}

async function exampleTexts(): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const f of readdirSync(examples).filter((x) => x !== 'README.md').sort()) {
    const doc = await readReport(readFileSync(join(examples, f)), f);
    out.push([f, doc.text]);
  }
  return out;
}

describe('published examples with the hazards put in', async () => {
  const texts = await exampleTexts();
  for (const [name, text] of texts) {
    const clean = auditText(text, name);
    const typos = HEADING_TYPOS.filter(([re]) => re.test(text));
    if (typos.length) it(`${name}: a typo in each heading (${typos.length})`, () => {
      for (const [re, typo] of typos) {
        const got = auditText(text.replace(re, typo), name);
        assertNoWorse(clean, got, `${name} ${typo}`);
        // The section is still found: no section reported missing that was there.
        assert.ok(!got.findings.some((f) => f.rule === 'structure.missing-section' && !clean.findings.some((c) => c.where === f.where)), `${name} ${typo}`);
      }
    });
    const merged = mergeARow(text);
    if (merged !== text) {
      it(`${name}: a row's cells run together`, () => {
        assertNoWorse(clean, auditText(merged, name), `${name} merged`);
      });
    }
    it(`${name}: cut off at 25 places`, () => {
      for (const at of cuts(text, 25)) {
        // Prose cut off can lose the figures a finding quoted; nothing may be read wrong or become an error.
        assertNoWorse(clean, auditText(text.slice(0, at), name), `${name} cut at ${at}`);
      }
    });
  }
});

describe('generated reports of both formats with the hazards put in', () => {
  for (const format of ['2021', '2019'] as const) {
    it(`${format}: heading typos, a merged row, cuts; no error, nothing read wrong`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const report = syntheticReport(seed * 31 + (format === '2019' ? 7 : 0), { format });
        for (const layout of ['pipes', 'lines', 'spaces'] as const) {
          const text = renderSyntheticText(report, layout);
          const clean = auditText(text, 'clean.txt');
          assert.deepEqual(errorKeys(clean), new Set(), `${format} ${seed} ${layout}`);
          let typos = text;
          for (const [re, typo] of HEADING_TYPOS) typos = typos.replace(re, typo);
          const t = auditText(typos, 't.txt');
          assertNoWorse(clean, t, `${format} ${seed} ${layout} typos`);
          assert.equal(t.findings.filter((f) => f.rule === 'structure.heading-typo').length, 5, `${format} ${seed} ${layout}`);
          assertNoWorse(clean, auditText(mergeARow(text), 'm.txt'), `${format} ${seed} ${layout} merged`);
          for (const at of cuts(text, 8)) assertNoWorse(clean, auditText(text.slice(0, at), 'c.txt'), `${format} ${seed} ${layout} cut ${at}`);
        }
      }
    });
  }
});
