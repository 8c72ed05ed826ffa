import assert from 'node:assert/strict';
import { test } from 'node:test';
import { docKey, idOfKey, keyRange } from './key.js';

test('a key orders by date, then id (items, report sections and guides, before 1970 too), and gives the id back', () => {
  const docs: [string, number][] = [
    ['1969-12-31', 5], ['1970-01-01', -(2 ** 31)], ['1970-01-01', 0], ['2025-01-01', -(2 ** 30 + 7)], ['2025-01-01', -5],
    ['2025-01-01', 5], ['2025-01-01', 2 ** 31 - 1], ['2025-01-02', 1], ['2026-12-31T23:59:59', 3], ['7000-01-01', 9],
  ];
  const keys = docs.map(([d, id]) => docKey(d, id));
  for (let i = 1; i < keys.length; i++) assert.ok(keys[i - 1]! < keys[i]!, `${docs[i - 1]} before ${docs[i]}`);
  keys.forEach((k, i) => {
    assert.ok(Number.isSafeInteger(k));
    assert.equal(idOfKey(k), docs[i]![1]);
  });
  // the old key (days × 2^26 + |id| mod 2^26) gave an item and a report's section of the same day one key
  assert.notEqual(docKey('2025-01-01', 5), docKey('2025-01-01', -5));
});

test('a year is a range of keys', () => {
  const [lo, hi] = keyRange('2025-01-01', '2026-01-01');
  assert.ok(docKey('2024-12-31', 2 ** 31 - 1) < lo);
  assert.ok(docKey('2025-01-01', -(2 ** 31)) >= lo);
  assert.ok(docKey('2025-12-31', 2 ** 31 - 1) < hi);
  assert.ok(docKey('2026-01-01', -(2 ** 31)) >= hi);
});

test('ids and dates out of range are refused', () => {
  assert.throws(() => docKey('2025-01-01', 2 ** 31));
  assert.throws(() => docKey('2025-01-01', 1.5));
  assert.throws(() => docKey('not a date', 1));
});
