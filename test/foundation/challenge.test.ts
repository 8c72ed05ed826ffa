/**
 * The public form's challenge: ALTCHA's proof of work (altcha-lib) with JavaScript, a question in words without.
 * Security probe, finding 7: the old question ("五加七等于几") was answered by a one-line regular expression.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { chineseNumber, issueChallenge, solveChallenge, verifyChallenge } from '../../src/modules/challenge/challenge.service.js';
import { answerQuestion } from '../helpers/challenge.js';

const secret = 's'.repeat(40);
const now = new Date('2025-03-03T02:00:00Z');

test('a solved ALTCHA proof of work passes once; a replay is refused', async () => {
  const c = await issueChallenge({ secret, now, work: 200 });
  const altcha = await solveChallenge(c);
  await verifyChallenge({ secret, now, token: c.token, altcha });
  await assert.rejects(verifyChallenge({ secret, now, token: c.token, altcha }), /请勿重复提交/);
});

test('a solution for one form is no good for another form, nor a tampered one', async () => {
  const a = await issueChallenge({ secret, now, work: 200 });
  const b = await issueChallenge({ secret, now, work: 200 });
  const forA = await solveChallenge(a);
  await assert.rejects(verifyChallenge({ secret, now, token: b.token, altcha: forA }), /人机验证未通过/);
  const p = JSON.parse(Buffer.from(await solveChallenge(b), 'base64').toString());
  p.solution.counter = (p.solution.counter ?? 0) + 1;
  p.solution.derivedKey = '00'.repeat(32);
  await assert.rejects(verifyChallenge({ secret, now, token: b.token, altcha: Buffer.from(JSON.stringify(p)).toString('base64') }), /人机验证未通过/);
  await assert.rejects(verifyChallenge({ secret, now, token: b.token, altcha: 'not base64 json' }), /人机验证未通过/);
});

test('without JavaScript: the answer in digits passes (full-width too), a wrong one is refused', async () => {
  const c = await issueChallenge({ secret, now, work: 200 });
  const q = c.question.replace(/（请填写阿拉伯数字）$/, '');
  const answer = answerQuestion(q);
  await assert.rejects(verifyChallenge({ secret, now, token: c.token, answer: String(answer + 1) }), (e: unknown) => e instanceof AppError && /正确的答案/.test(e.message));
  await verifyChallenge({ secret, now, token: c.token, answer: String(answer).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) });
});

test('the question is not one pattern: several forms, numbers in words up to 99, no Arabic digits to pick up', async () => {
  const forms = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const { question } = await issueChallenge({ secret, now, work: 2 });
    assert.doesNotMatch(question.replace('（请填写阿拉伯数字）', ''), /\d/);
    forms.add(question.replace(/[一二三四五六七八九十两]+/g, 'N'));
  }
  assert.ok(forms.size >= 5, [...forms].join(' / '));
  // The probe's one-liner no longer finds anything to add.
  const oneLiner = /([零一二三四五六七八九十])加([零一二三四五六七八九十])等于几/;
  assert.equal([...forms].some((f) => oneLiner.test(f)), false);
  assert.deepEqual([1, 9, 10, 12, 20, 46, 99].map(chineseNumber), ['一', '九', '十', '十二', '二十', '四十六', '九十九']);
});

test('a forged, missing or expired challenge is refused with a Chinese message', async () => {
  const c = await issueChallenge({ secret, now, work: 200 });
  const altcha = await solveChallenge(c);
  await assert.rejects(verifyChallenge({ secret: 'x'.repeat(40), now, token: c.token, altcha }), /无效/);
  await assert.rejects(verifyChallenge({ secret, now }), /缺失/);
  await assert.rejects(verifyChallenge({ secret, now: new Date(now.getTime() + 31 * 60_000), token: c.token, altcha }), /过期/);
  await assert.rejects(verifyChallenge({ secret, now, token: c.token }), /人机验证未通过/);
});
