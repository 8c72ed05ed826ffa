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
