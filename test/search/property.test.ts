/**
 * The search against a brute-force substring scan, over random corpora (fast-check), on the run's engine: for
 * any documents and any query, the results are exactly the documents whose reference form (src/search/fold.ts)
 * holds every word, counted exactly, each once, title matches first — items with their attachments' text, and a
 * report's sections beside them (issue 13, part 3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, indexReport, REPORT_LABEL, removeItem, removeReport, searchItems, type SearchDoc } from '../../src/modules/search/search.service.js';
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
  let nextReport = 1;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    agency = (await findAgency(t.ctx, 'city'))!;
  });
  after(async () => t.close());

  test('every query finds exactly what a substring scan finds, counted exactly, each once, title matches first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ title: str(8), body: str(40), docNumber: fc.option(str(6), { nil: null }), day: fc.integer({ min: 1, max: 28 }), files: fc.array(str(30), { maxLength: 2 }) }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(fc.record({ title: str(6), text: str(40) }), { maxLength: 3 }),
        fc.array(str(6), { minLength: 1, maxLength: 4 }),
        async (raw, sections, queries) => {
          const docs: SearchDoc[] = raw.map((r) => {
            const id = nextId++;
            return {
              itemId: id, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, title: r.title || '无题', summary: '', body: r.body, category: '通知公告',
              publishedOn: `2024-03-${String(r.day).padStart(2, '0')}`, docNumber: r.docNumber, url: `/items/${id}`,
              attachments: r.files.map((text, i) => ({ name: `附件${i + 1}.pdf`, text })),
            };
          });
          const reportId = nextReport++;
          const report = {
            reportId, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, publishedOn: '2024-01-20', title: '年报',
            sections: sections.map((s, i) => ({ title: s.title, text: s.text, url: `/agencies/city/reports/2023#s${i}` })),
          };
          await t.ctx.db.transaction().execute(async (tx) => {
            await indexItems(tx, docs);
            await indexReport(tx, report);
          });
          // the reference forms: an item's title column (title, 文号) and text (summary, body, attachments); a section's title is the report's and its own, its 文号 slot the label
          const itemRef = (d: SearchDoc) => refText([d.title, d.docNumber ?? '', d.summary, d.body, ...(d.attachments ?? []).filter((a) => a.text.trim()).map((a) => a.text)]);
          const sectionDocs = report.sections.map((s) => ({ url: s.url, ref: refText([`${report.title} ${s.title}`, REPORT_LABEL, '', s.text]), titleRefs: [refText([`${report.title} ${s.title}`]), refText([REPORT_LABEL])] }));
          try {
            for (const q of queries) {
              const p = parseQuery(q);
              const r = await searchItems(t.ctx, { q, pageSize: 50, kind: 'item' });
              if (p.error) {
                assert.equal(r.total, 0);
                assert.ok(r.error);
                continue;
              }
              const truth = docs.filter((d) => matchesAll(itemRef(d), p.words)).map((d) => d.itemId).sort((a, b) => a - b);
              const got = r.items.map((i) => i.id);
              for (const h of r.items.filter((i) => i.kind === 'attachment')) {
                const d = docs.find((x) => x.itemId === h.id)!;
                const file = d.attachments!.find((a) => a.name === h.attachment)!;
                assert.ok(p.words.some((w) => refText([file.text]).includes(w)), 'an attachment hit names an attachment holding a word');
                assert.ok(!p.words.some((w) => refText([d.summary, d.body]).includes(w)), 'and only when the body holds none');
              }
              // all kinds: the report's sections beside the items
              const every = await searchItems(t.ctx, { q, pageSize: 50 });
              const sectionTruth = sectionDocs.filter((s) => matchesAll(s.ref, p.words)).map((s) => s.url).sort();
              assert.equal(every.total, truth.length + sectionTruth.length, `total of all kinds for ${JSON.stringify(q)}`);
              assert.deepEqual(every.items.filter((i) => i.kind === 'report').map((i) => i.url).sort(), sectionTruth);
              assert.equal(every.titleHits - r.titleHits, sectionDocs.filter((s) => p.words.every((w) => s.titleRefs.some((x) => x.includes(w)))).length, 'section title hits');
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
              await removeReport(tx, reportId);
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
