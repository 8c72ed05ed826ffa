/**
 * A self-hosted challenge for public forms (no third-party service, no CDN):
 * - with JavaScript: ALTCHA's proof of work (altcha-lib on the server, the altcha widget served from
 *   /assets/altcha.js): the page carries a signed ALTCHA challenge, the widget solves it in the browser and puts
 *   the solution in the hidden field `altcha`;
 * - without JavaScript: a question in words drawn from several forms, with numbers written in Chinese
 *   ("比四十六少九的数是多少？", "二十三的三倍是多少？", "三十七加上十二，再减去八，等于多少？"): answering takes
 *   reading, not a one-line pattern.
 * The form's own signed token (`challenge`) ties the two together: it carries the question's answer (hashed), its
 * time of issue, and a random id that the ALTCHA challenge is bound to (a solution for one form is no good for
 * another). Each token is good for one submission within its lifetime (spendChallenge: across processes).
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createChallenge, solveChallenge as altchaSolve, verifySolution, type Challenge as AltchaChallenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { AppError } from '../../errors.js';
import type { SharedState } from '../../shared-state/shared-state.js';

export interface Challenge {
  /** The signed token put in the form (hidden field `challenge`). */
  token: string;
  /** The ALTCHA challenge (JSON) for the widget. */
  altcha: string;
  /** The question for readers without JavaScript. */
  question: string;
}

const LIFETIME_MS = 30 * 60_000;

export interface ChallengeOptions {
  secret: string;
  /** The proof of work: the widget tries up to this many keys (about half on average). Default 50 000. */
  work?: number;
  now: Date;
}

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
const altchaSecret = (secret: string) => sign(secret, 'altcha');
const altchaKeySecret = (secret: string) => sign(secret, 'altcha-key');
const answerHash = (secret: string, id: string, answer: number) => sign(secret, `answer:${id}:${answer}`).slice(0, 16);

// ---------------------------------------------------------------------------------------------
// The question without JavaScript

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1…99 in Chinese numerals (十, 十二, 二十, 四十六). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

const TIMES = ['', '', '两', '三', '四', '五'];

/** A question and its answer, in one of several forms. */
function question(): { text: string; answer: number } {
  const n = (lo: number, hi: number) => randomInt(lo, hi + 1);
  const c = chineseNumber;
  switch (randomInt(6)) {
    case 0: {
      const a = n(11, 60), b = n(2, 30), d = n(1, 9);
      return { text: `${c(a)}加上${c(b)}，再减去${c(d)}，等于多少？`, answer: a + b - d };
    }
    case 1: {
      const a = n(11, 80), b = n(2, 19);
      return { text: `比${c(a)}多${c(b)}的数是多少？`, answer: a + b };
    }
    case 2: {
      const a = n(21, 99), b = n(2, 19);
      return { text: `比${c(a)}少${c(b)}的数是多少？`, answer: a - b };
    }
    case 3: {
      const a = n(11, 30), k = n(2, 5);
      return { text: `${c(a)}的${TIMES[k]}倍是多少？`, answer: a * k };
    }
    case 4: {
      const a = n(21, 99), b = n(2, 20);
      return { text: `从${c(a)}里去掉${c(b)}，还剩多少？`, answer: a - b };
    }
    default: {
      const a = n(11, 50), b = n(11, 49);
      return { text: `${c(a)}与${c(b)}的和是多少？`, answer: a + b };
    }
  }
}

// ---------------------------------------------------------------------------------------------

export async function issueChallenge(o: ChallengeOptions): Promise<Challenge> {
  const id = randomBytes(12).toString('base64url');
  const q = question();
  const payload = [o.now.getTime(), id, answerHash(o.secret, id, q.answer)].join('.');
  const work = Math.max(2, o.work ?? 50_000);
  const altcha = await createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: randomInt(Math.floor(work / 10), work),
    deriveKey,
    data: { form: id },
    hmacSignatureSecret: altchaSecret(o.secret),
    hmacKeySignatureSecret: altchaKeySecret(o.secret),
  });
  return { token: `${payload}.${sign(o.secret, payload)}`, altcha: JSON.stringify(altcha), question: `${q.text}（请填写阿拉伯数字）` };
}

/** Seen tokens (one use each), kept for the lifetime of a challenge, with the submission they were used for. */
const used = new Map<string, { at: number; bindTo?: string }>();

function decodePayload(raw: string): Payload | null {
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Payload;
    return p && typeof p === 'object' && p.challenge && p.solution ? p : null;
  } catch {
    return null;
  }
}

/**
 * `altcha`: the widget's payload; `answer`: the answer to the question (no JavaScript). `bindTo` (the form's
 * idempotency key): the same token may come again with the same key — a double click or a retry of one
 * submission, which the idempotency key makes harmless — but never for another one.
 */
export async function verifyChallenge(o: ChallengeOptions & { token?: string; altcha?: string; answer?: string; bindTo?: string }): Promise<void> {
  const fail = (why: string) => new AppError('validation', why, { reason: 'challenge', fields: [{ field: 'challenge', message: why }] });
  const parts = (o.token ?? '').split('.');
  if (parts.length !== 4) throw fail('人机验证信息缺失，请刷新页面后重新提交');
  const [ts, id, hash, sig] = parts as [string, string, string, string];
  const payload = parts.slice(0, 3).join('.');
  const expected = Buffer.from(sign(o.secret, payload));
  if (expected.length !== Buffer.from(sig).length || !timingSafeEqual(expected, Buffer.from(sig))) throw fail('人机验证信息无效，请刷新页面后重新提交');
  const age = o.now.getTime() - Number(ts);
  if (!(age >= 0 && age <= LIFETIME_MS)) throw fail('页面停留时间过长，人机验证已过期，请核对内容后重新提交');
  const nowMs = o.now.getTime();
  for (const [k, u] of used) {
    if (nowMs - u.at <= LIFETIME_MS) break; // kept in insertion (time) order
    used.delete(k);
  }
  const prior = used.get(o.token!);
  if (prior && !(o.bindTo && prior.bindTo === o.bindTo)) throw fail('该表单已提交过，请勿重复提交');
  let ok = false;
  const p = o.altcha ? decodePayload(o.altcha) : null;
  if (p && p.challenge.parameters?.data?.form === id) {
    const r = await verifySolution({
      challenge: p.challenge,
      solution: p.solution,
      deriveKey,
      hmacSignatureSecret: altchaSecret(o.secret),
      hmacKeySignatureSecret: altchaKeySecret(o.secret),
    }).catch(() => null);
    ok = r?.verified === true;
  }
  if (!ok && o.answer) {
    const digits = o.answer.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (/^\d{1,3}$/.test(digits)) {
      const h = Buffer.from(answerHash(o.secret, id, Number(digits)));
      ok = h.length === Buffer.from(hash).length && timingSafeEqual(h, Buffer.from(hash));
    }
  }
  if (!ok) throw fail(o.answer ? '人机验证未通过：请填写正确的答案（阿拉伯数字）' : '人机验证未通过：请等待自动验证完成，或填写问题的答案');
  if (!prior) used.set(o.token!, { at: nowMs, bindTo: o.bindTo });
}

/**
 * The one-use rule across the site's processes: after verifyChallenge (which checks it in this process),
 * the token is claimed in the shared state (Redis when several processes serve the site). The same token
 * may come again only with the same `bindTo` (a retry of one submission).
 */
export async function spendChallenge(shared: SharedState, token: string, bindTo?: string): Promise<void> {
  const key = 'challenge:' + createHash('sha256').update(token).digest('base64url').slice(0, 24);
  const value = bindTo ? `k:${bindTo}` : `u:${randomBytes(9).toString('base64url')}`;
  const prior = await shared.claim(key, value, LIFETIME_MS);
  if (prior !== null && prior !== value) {
    throw new AppError('validation', '该表单已提交过，请勿重复提交', { reason: 'challenge', fields: [{ field: 'challenge', message: '该表单已提交过，请勿重复提交' }] });
  }
}

/** For tests and tools: the widget's payload (field `altcha`) for a challenge, solved as the widget does. */
export async function solveChallenge(c: Challenge | string): Promise<string> {
  const challenge = JSON.parse(typeof c === 'string' ? c : c.altcha) as AltchaChallenge;
  const solution = await altchaSolve({ challenge, deriveKey });
  if (!solution) throw new Error('the ALTCHA challenge could not be solved');
  return Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64');
}
