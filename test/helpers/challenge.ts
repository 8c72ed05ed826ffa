/** The public form's challenge as a browser answers it: the ALTCHA widget (with JavaScript), or a person (without). */
import { solveChallenge } from '../../src/modules/challenge/challenge.service.js';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** With JavaScript: the widget's payload for the page's ALTCHA challenge. */
export async function solvedChallenge(html: string): Promise<{ challenge: string; altcha: string }> {
  const token = html.match(/name="challenge" value="([^"]+)"/)?.[1];
  const altcha = html.match(/<altcha-widget[^>]*\schallenge="([^"]+)"/)?.[1];
  if (!token || !altcha) throw new Error('no challenge on the page');
  return { challenge: token, altcha: await solveChallenge(unescape(altcha)) };
}

const DIGITS = '零一二三四五六七八九';
const TIMES: Record<string, number> = { 两: 2, 三: 3, 四: 4, 五: 5 };

/** A Chinese numeral of 1…99 (十, 十二, 二十, 四十六). */
function num(s: string): number {
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (!m) throw new Error(`not a numeral: ${s}`);
  if (!m[2]) return DIGITS.indexOf(m[1]!);
  return (m[1] ? DIGITS.indexOf(m[1]) : 1) * 10 + (m[3] ? DIGITS.indexOf(m[3]) : 0);
}

/** Reads the question as a person does: each of its forms, with numbers in words. */
export function answerQuestion(q: string): number {
  const N = '([一二三四五六七八九十]+)';
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^${N}加上${N}，再减去${N}，等于多少`).exec(q))) return num(m[1]!) + num(m[2]!) - num(m[3]!);
  if ((m = new RegExp(`^比${N}多${N}的数`).exec(q))) return num(m[1]!) + num(m[2]!);
  if ((m = new RegExp(`^比${N}少${N}的数`).exec(q))) return num(m[1]!) - num(m[2]!);
  if ((m = new RegExp(`^${N}的([两三四五])倍`).exec(q))) return num(m[1]!) * TIMES[m[2]!]!;
  if ((m = new RegExp(`^从${N}里去掉${N}`).exec(q))) return num(m[1]!) - num(m[2]!);
  if ((m = new RegExp(`^${N}与${N}的和`).exec(q))) return num(m[1]!) + num(m[2]!);
  throw new Error(`a question of an unknown form: ${q}`);
}

/** Without JavaScript: the question on the page, answered. */
export function answeredChallenge(html: string): { challenge: string; challengeAnswer: string } {
  const token = html.match(/name="challenge" value="([^"]+)"/)?.[1];
  const q = html.match(/<label for="f-challengeAnswer">([^<]+)<\/label>/)?.[1];
  if (!token || !q) throw new Error('no challenge on the page');
  return { challenge: token, challengeAnswer: String(answerQuestion(q)) };
}
