import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { issueChallenge, solveChallenge, verifyChallenge } from '../../src/modules/challenge/challenge.service.js';

const secret = 's'.repeat(40);
const now = new Date('2025-03-03T02:00:00Z');

test('a solved proof of work passes once; a replay is refused', () => {
  const c = issueChallenge({ secret, now, bits: 10 });
  const nonce = solveChallenge(c.token, c.bits);
  verifyChallenge({ secret, now, token: c.token, nonce });
  assert.throws(() => verifyChallenge({ secret, now, token: c.token, nonce }), /请勿重复提交/);
});

test('without JavaScript the arithmetic answer passes, a wrong one is refused', () => {
  const c = issueChallenge({ secret, now, bits: 10 });
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  const m = c.question.match(/^(.)加(.)等于几/)!;
  const sum = digits.indexOf(m[1]!) + digits.indexOf(m[2]!);
  assert.throws(() => verifyChallenge({ secret, now, token: c.token, answer: String(sum + 1) }), (e: unknown) => e instanceof AppError && /计算结果/.test(e.message));
  verifyChallenge({ secret, now, token: c.token, answer: String(sum) });
});

test('a forged, missing or expired challenge is refused with a Chinese message', () => {
  const c = issueChallenge({ secret, now, bits: 10 });
  const nonce = solveChallenge(c.token, c.bits);
  assert.throws(() => verifyChallenge({ secret: 'x'.repeat(40), now, token: c.token, nonce }), /无效/);
  assert.throws(() => verifyChallenge({ secret, now }), /缺失/);
  assert.throws(() => verifyChallenge({ secret, now: new Date(now.getTime() + 31 * 60_000), token: c.token, nonce }), /过期/);
  const weak = issueChallenge({ secret, now, bits: 24 });
  assert.throws(() => verifyChallenge({ secret, now, token: weak.token, nonce: 'zz' }), /未通过/);
});
