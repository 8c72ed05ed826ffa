import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEIGHTS, INDICATORS, correctionRate, parseWeights, ranks, ratio, reportFigure, score, type Figure, type Indicator } from './score.js';

const none: Figure = { num: 0, den: 0, text: '无记录', fraction: null };
const all = (f: Partial<Record<Indicator, Figure>>) => Object.fromEntries(INDICATORS.map((k) => [k, f[k] ?? none])) as Record<Indicator, Figure>;

test('the score is the weighted mean of the indicators that have records', () => {
  // replies 9/10 (weight 25), report on time without errors (20): (25·0.9 + 20·1) / 45 = 0.9444 → 94.4
  assert.equal(score(all({ replies: ratio(9, 10), report: reportFigure({ published: true, onTime: true, errors: 0, due: true }) }), DEFAULT_WEIGHTS), 94.4);
  // a correction rate of 1/4 scores 0.75
  assert.equal(correctionRate(1, 4).fraction, 0.75);
  assert.equal(correctionRate(1, 4).text, '25.0%（1/4）');
  assert.equal(score(all({}), DEFAULT_WEIGHTS), null);
  // zero weight leaves an indicator out
  assert.equal(score(all({ replies: ratio(0, 10), timeliness: ratio(10, 10) }), { ...DEFAULT_WEIGHTS, replies: 0 }), 100);
});

test('report: on time half, without errors half; late on time part a quarter; not published after the deadline 0', () => {
  assert.equal(reportFigure({ published: true, onTime: false, errors: 0, due: true }).fraction, 0.75);
  assert.equal(reportFigure({ published: true, onTime: true, errors: 2, due: true }).fraction, 0.5);
  assert.equal(reportFigure({ published: false, onTime: false, errors: 0, due: true }).fraction, 0);
  assert.equal(reportFigure({ published: false, onTime: false, errors: 0, due: false }).fraction, null);
});

test('ranks and weights', () => {
  assert.deepEqual(ranks([80, null, 95, 80]), [2, null, 1, 2]);
  assert.deepEqual(parseWeights({ replies: '30', reconsideration: '10', litigation: '10', report: '20', timeliness: '10', interpretation: '10', supervision: '10' }), { weights: { replies: 30, reconsideration: 10, litigation: 10, report: 20, timeliness: 10, interpretation: 10, supervision: 10 } });
  const bad = parseWeights({ replies: '-1' });
  assert.ok('errors' in bad && bad.errors[0]!.message.includes('0–100'));
  assert.ok('errors' in parseWeights(Object.fromEntries(INDICATORS.map((k) => [k, '0'])) as Record<string, unknown>));
});
