/**
 * The search against a brute-force substring scan, over random corpora (fast-check), on the run's engine: for
 * any documents and any query, the results are exactly the documents whose reference form (src/search/fold.ts)
 * holds every word, counted exactly, each once, title matches first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, removeItem, searchItems, type SearchDoc } from '../../src/modules/search/search.service.js';
import { refText } from '../../src/search/fold.js';
import { matchesAll, parseQuery } from '../../src/search/query.js';

// A small alphabet, so that random queries often match: simplified and traditional forms, Latin in both cases
// and widths, digits, separators.
const ALPHABET = ['政', '府', '公', '开', '開', '信', '息', 'a', 'A', 'ｂ', 'b', '2', '5', '.', ' ', '，', '\n'];
const str = (max: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: max }).map((a) => a.join(''));

describe('search = brute-force substring scan, random corpora', () => {
  let t: TestApp;
  let agency: { id: number; code: string; name: string };
  let nextId = 1;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    agency = (await findAgency(t.ctx, 'city'))!;
  });
  after(async () => t.close());

  test('every query finds exactly what a substring scan finds, counted exactly, each once, title matches first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ title: str(8), body: str(40), docNumber: fc.option(str(6), { nil: null }), day: fc.integer({ min: 1, max: 28 }) }), { minLength: 1, maxLength: 10 }),
        fc.array(str(6), { minLength: 1, maxLength: 4 }),
        async (raw, queries) => {
          const docs: SearchDoc[] = raw.map((r) => {
            const id = nextId++;
            return {
              itemId: id, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, title: r.title || '无题', summary: '', body: r.body, category: '通知公告',
              publishedOn: `2024-03-${String(r.day).padStart(2, '0')}`, docNumber: r.docNumber, url: `/items/${id}`,
            };
          });
          await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs));
          try {
            for (const q of queries) {
              const p = parseQuery(q);
              const r = await searchItems(t.ctx, { q, pageSize: 50 });
              if (p.error) {
                assert.equal(r.total, 0);
                assert.ok(r.error);
                continue;
              }
              const truth = docs.filter((d) => matchesAll(refText([d.title, d.docNumber ?? '', d.summary, d.body]), p.words)).map((d) => d.itemId).sort((a, b) => a - b);
              const got = r.items.map((i) => i.id);
              assert.equal(r.total, truth.length, `total for ${JSON.stringify(q)}`);
              assert.equal(new Set(got).size, got.length, 'no repeats');
              assert.deepEqual([...got].sort((a, b) => a - b), truth, `results for ${JSON.stringify(q)}`);
              const kinds = r.items.map((i) => i.matchedIn);
              assert.deepEqual(kinds, [...kinds].sort((a, b) => (a === b ? 0 : a === 'title' ? -1 : 1)), 'title matches first');
              const titleTruth = docs.filter((d) => p.words.every((w) => refText([d.title]).includes(w) || refText([d.docNumber ?? '']).includes(w)));
              assert.equal(r.titleHits, titleTruth.length, 'title hits');
            }
          } finally {
            await t.ctx.db.transaction().execute(async (tx) => {
              for (const d of docs) await removeItem(tx, d.itemId);
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
