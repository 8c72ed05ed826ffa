/** Which answer a query gets on PostgreSQL: the exact count up to a cap that the statistics may raise (pure). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countCapFor } from '../../src/modules/search/search.repository.js';

describe('the count cap of the exact answer', () => {
  test('raised where the statistics expect rare matches (the walk would read many rows), never above twice', () => {
    // 1 M documents; 乡村振兴 工作要点 expected in one in 400 (2 500 matches): the walk would read 8 000 rows for 20
    assert.equal(countCapFor(1000, { share: 0.0025, matches: 2500 }, 20), 2000);
    assert.equal(countCapFor(1000, { share: 0.0008, matches: 800 }, 20), 1600);
    // common words: the walk is short
    assert.equal(countCapFor(1000, { share: 0.3, matches: 300_000 }, 20), 1000);
    // a small site: rare words are few as well
    assert.equal(countCapFor(1000, { share: 0.0003, matches: 1 }, 20), 1000);
    assert.equal(countCapFor(1000, null, 20), 1000, 'no statistics (SQLite)');
    // the page size, not the page, decides: every page of a query alike
    assert.equal(countCapFor(1000, { share: 0.02, matches: 20_000 }, 50), 2000);
    assert.equal(countCapFor(1000, { share: 0.02, matches: 20_000 }, 20), 1000);
  });
});
