import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFee, firstItemInMonth, formatYuan, ordinalInMonth, perPageFee, perRequestFee, perRequestMonthlyTotal, perRequestRate } from './fees.js';

test('国办函〔2020〕109号第五条: 150 pages → 1,700元 (70×10 + 50×20)', () => {
  const r = perPageFee(150);
  assert.equal(r.amount, 1700);
  assert.equal(formatYuan(r.amount), '1,700元');
  assert.deepEqual(r.bands.map((b) => [b.units, b.rate, b.amount]), [[30, 0, 0], [70, 10, 700], [50, 20, 1000]]);
  assert.equal(
    r.explanation,
    '按量计收（国办函〔2020〕109号第五条，超额累进）：共 150 页；30页以下（含30页）的 30 页不收费；31—100页的部分 70 页 × 10元/页 = 700元；101—200页的部分 50 页 × 20元/页 = 1,000元；合计 1,700元',
  );
});

test('国办函〔2020〕109号第五条: band edges per page', () => {
  const cases: [number, number][] = [
    [0, 0],
    [1, 0],
    [30, 0],
    [31, 10],
    [100, 700],
    [101, 720],
    [200, 2700],
    [201, 2740],
    [250, 4700], // 700 + 2000 + 50×40
  ];
  for (const [p, fee] of cases) assert.equal(perPageFee(p).amount, fee, `${p} 页`);
  assert.match(perPageFee(0).explanation, /0 页不收费/);
  assert.throws(() => perPageFee(-1), RangeError);
  assert.throws(() => perPageFee(1.5), RangeError);
});

test('国办函〔2020〕109号第四条: the k-th application in a natural month', () => {
  const cases: [number, number][] = [
    [1, 0],
    [10, 0],
    [11, 100],
    [30, 100],
    [31, 200],
    [40, 200],
    [41, 300],
    [50, 300],
    [51, 400],
  ];
  for (const [k, rate] of cases) {
    assert.equal(perRequestRate(k), rate, `第${k}件`);
    assert.equal(perRequestFee(k).amount, rate, `第${k}件`);
  }
  assert.throws(() => perRequestRate(0), RangeError);
  assert.equal(
    perRequestFee(35).explanation,
    '按件计收（国办函〔2020〕109号第四条，超额累进）：本申请为同一申请人本自然月内累计第 35 件；10件以下（含10件）不收费，11—30件100元/件，31件以上以10件为一档、每增加一档提高100元/件；第31—40件 1 件 × 200元/件 = 200元；合计 200元',
  );
});

test('国办函〔2020〕109号第四条: several items split under 一事一申请 are charged band by band', () => {
  // 9th–12th: 9, 10 free; 11, 12 at 100
  const r = perRequestFee(9, 4);
  assert.equal(r.amount, 200);
  assert.deepEqual(r.bands.map((b) => [b.label, b.units, b.amount]), [['第1—10件', 2, 0], ['第11—30件', 2, 200]]);
  assert.match(r.explanation, /第 9—12 件（共 4 件）/);
  // A month of 45 applications: 20×100 + 10×200 + 5×300 = 5,500
  assert.equal(perRequestMonthlyTotal(45), 5500);
  assert.equal(perRequestMonthlyTotal(0), 0);
});

test('国办函〔2020〕109号第三条: one method per request', () => {
  assert.equal(computeFee({ method: 'per_page', pages: 150 }).amount, 1700);
  assert.equal(computeFee({ method: 'per_request', ordinal: 31 }).amount, 200);
  assert.equal(computeFee({ method: 'per_request', ordinal: 29, count: 3 }).amount, 400);
  assert.throws(() => computeFee({ method: 'both' } as never), /未知的收费方式/);
});

test('国办函〔2020〕109号第四条: the natural month resets the count', () => {
  assert.equal(ordinalInMonth([], '2025-03-01'), 1);
  assert.equal(ordinalInMonth(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'], '2025-03-02'), 3);
  assert.equal(ordinalInMonth(['2025-02-27', '2025-02-28'], '2025-03-01'), 1);
});

test('国办函〔2020〕109号第四条: 件 are counted after a 一事一申请 split, not applications', () => {
  // One applicant in March 2025, counted by hand:
  //   03-03 a letter asking 6 things, split into 6 件 → 件 1–6
  //   03-05 one thing → 件 7
  //   03-10 four things, split into 4 件 → 件 8–11
  //   03-12 (this one) three things, split into 3 件 → 件 12–14: all three in 11–30 → 3 × 100 = 300元.
  // Counting letters would make it the 4th application (件 4–6, free): the error the issue names.
  // A February letter (8 件) is another natural month and does not count.
  const earlier = [
    { on: '2025-02-27', items: 8 },
    { on: '2025-03-03', items: 6 },
    { on: '2025-03-05', items: 1 },
    { on: '2025-03-10', items: 4 },
  ];
  const first = firstItemInMonth(earlier, '2025-03-12');
  assert.equal(first, 12);
  const fee = perRequestFee(first, 3);
  assert.equal(fee.amount, 300);
  assert.match(fee.explanation, /第 12—14 件（共 3 件）/);
  assert.equal(ordinalInMonth(earlier.map((a) => a.on), '2025-03-12'), 4);
  // Unsplit applications count one 件 each: the same as ordinalInMonth.
  assert.equal(firstItemInMonth(earlier.map((a) => ({ on: a.on, items: 1 })), '2025-03-12'), 4);
  // Across the band edge: 件 29–31 after 28 earlier 件 → 100 + 100 + 200 = 400元.
  assert.equal(perRequestFee(firstItemInMonth([{ on: '2025-03-01', items: 20 }, { on: '2025-03-02', items: 8 }], '2025-03-03'), 3).amount, 400);
  assert.equal(firstItemInMonth([], '2025-03-01'), 1);
  assert.throws(() => firstItemInMonth([{ on: '2025-03-01', items: 0 }], '2025-03-02'), RangeError);
});
