/**
 * The words of a text for comparing two texts (依申请转主动 suggestions), not for the index: folded (src/search/
 * fold.ts), Chinese runs cut by jieba in search mode (a compound and its parts: 城市道路 → 城市, 道路, 城市道路),
 * other runs kept whole; single characters and function words dropped. No I/O.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { runsOf } from './fold.js';

let jieba: Jieba | null = null;
const cutter = () => (jieba ??= Jieba.withDict(dict));

/** Function words (single characters: dropped anyway; kept as the list the suggestions were tuned with). */
const STOP = new Set(['的', '了', '和', '与', '及', '在', '是', '之', '或', '对', '于', '为', '等', '有', '把', '被']);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Terms of a title for did-you-mean: its words (jieba, folded) and runs of two or three adjacent words up to
 * eight characters (营商 + 环境 → 营商环境, 政府 + 信息 + 公开 → 政府信息公开), at least two characters each.
 */
export function titleTerms(title: string): string[] {
  const out = new Set<string>();
  for (const run of runsOf(title)) {
    const words = /\p{Script=Han}/u.test(run) ? cutter().cut(run, true) : [run];
    for (let i = 0; i < words.length; i++) {
      let term = '';
      for (let k = i; k < Math.min(words.length, i + 3); k++) {
        term += words[k]!;
        const n = [...term].length;
        if (n > 8) break;
        if (n >= 2 && !STOP.has(term)) out.add(term);
      }
    }
  }
  return [...out];
}

export function textWords(text: string): string[] {
  const out = new Set<string>();
  for (const run of runsOf(text)) {
    const tokens = /\p{Script=Han}/u.test(run) ? cutter().cutForSearch(run, true) : [run];
    for (const t of tokens) {
      const tok = [...t].filter((c) => WORD_CHAR.test(c)).join('');
      if ([...tok].length >= 2 && !STOP.has(tok)) out.add(tok);
    }
  }
  return [...out];
}
