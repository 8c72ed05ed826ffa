/** The public form's challenge as a browser with JavaScript answers it (public/assets/challenge.js). */
import { solveChallenge } from '../../src/modules/challenge/challenge.service.js';

export function solvedChallenge(html: string): { challenge: string; challengeNonce: string } {
  const token = html.match(/name="challenge" value="([^"]+)"/)?.[1];
  const bits = Number(html.match(/data-challenge-bits="(\d+)"/)?.[1] ?? 16);
  if (!token) throw new Error('no challenge on the page');
  return { challenge: token, challengeNonce: solveChallenge(token, bits) };
}

/** The no-script answer: the arithmetic question read off the page ("七加五等于几？"). */
export function answeredChallenge(html: string): { challenge: string; challengeAnswer: string } {
  const token = html.match(/name="challenge" value="([^"]+)"/)?.[1];
  const q = html.match(/([零一二三四五六七八九十])加([零一二三四五六七八九十])等于几/);
  if (!token || !q) throw new Error('no challenge on the page');
  const d = '零一二三四五六七八九十';
  return { challenge: token, challengeAnswer: String(d.indexOf(q[1]!) + d.indexOf(q[2]!)) };
}
