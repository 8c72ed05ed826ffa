/**
 * The structure of a published report's text: the header lines of our example files (SOURCE:, AGENCY:,
 * YEAR:, ---), the title (agency and year), the six section headings, and whether the text is only a part
 * of the report (cut off at the end, or a page from the middle).
 */
import type { SectionKey } from '../law/report-format.js';
import { SECTION_KEYS, SECTION_TITLES } from '../law/report-format.js';
import { allowedEdits, compactWithMap, prefixDistance } from './fuzzy.js';
import { SEP } from './text.js';

export interface Header {
  source?: string;
  agency?: string;
  year?: number;
}

/** Splits off the header lines (SOURCE:/AGENCY:/YEAR: … ---) that our example files start with. */
export function splitHeader(text: string): { header: Header; body: string; offset: number } {
  const header: Header = {};
  if (!/^\s*(SOURCE|AGENCY|YEAR|TITLE)\s*:/.test(text)) return { header, body: text, offset: 0 };
  const lines = text.split('\n');
  let i = 0;
  let offset = 0;
  for (; i < Math.min(lines.length, 12); i++) {
    const line = lines[i];
    offset += line.length + 1;
    if (/^---\s*$/.test(line)) {
      i++;
      break;
    }
    const m = /^(SOURCE|AGENCY|YEAR)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'SOURCE') header.source = m[2].trim();
    else if (m[1] === 'AGENCY') header.agency = m[2].trim();
    else {
      const y = /(\d{4})/.exec(m[2]);
      if (y) header.year = Number(y[1]);
    }
  }
  return { header, body: lines.slice(i).join('\n'), offset };
}

const s = (chars: string) => [...chars].join(SEP);

/** Heading patterns (tolerant of spacing, heading variants and half-width punctuation). */
const SECTION_PATTERNS: Record<SectionKey, RegExp> = {
  overview: new RegExp(`[一1]${SEP}[、.]${SEP}${s('总体情况')}`, 'g'),
  proactive: new RegExp(`[二2]${SEP}[、.]${SEP}(?:${s('主动公开')}|${s('政府信息主动公开')})`, 'g'),
  requests: new RegExp(`[三3]${SEP}[、.]${SEP}(?:${s('收到和处理')}|${s('依申请')}|${s('收到')})`, 'g'),
  reviews: new RegExp(`[四4]${SEP}[、.][^。\\n\\d|]{0,24}?${s('行政复议')}`, 'g'),
  problems: new RegExp(`[五5]${SEP}[、.][^。\\n\\d|]{0,16}?(?:${s('问题')}|${s('改进')})`, 'g'),
  other: new RegExp(`[六6]${SEP}[、.]${SEP}${s('其他')}`, 'g'),
};

export interface SectionSpan {
  key: SectionKey;
  start: number; // heading start
  bodyStart: number; // heading end
  end: number; // next heading start or end of text
  /** Set when the heading was recognised only through its likeness to a known heading (a typo). */
  typo?: { printed: string; expected: string; distance: number };
}

/**
 * The wordings of each heading seen in published reports (after the numeral), the format's own first. A heading
 * that none of the patterns above matches is still recognised when it is within a few edits of one of these,
 * where the section order puts it.
 */
export const SECTION_VARIANTS: Record<SectionKey, string[]> = {
  overview: ['总体情况'],
  proactive: ['主动公开政府信息情况', '政府信息主动公开情况', '主动公开政府信息'],
  requests: ['收到和处理政府信息公开申请情况', '依申请公开政府信息情况', '收到和处理政府信息公开申请'],
  reviews: [
    '政府信息公开行政复议、行政诉讼情况',
    '政府信息公开行政复议和行政诉讼情况',
    '因政府信息公开工作被申请行政复议提起行政诉讼情况',
    '因政府信息公开工作被申请行政复议、提起行政诉讼情况',
    '因政府信息公开申请行政复议、提起行政诉讼的情况',
    '政府信息公开行政复议、行政诉讼情况统计',
  ],
  problems: ['存在的主要问题及改进情况', '政府信息公开工作存在的主要问题及改进情况', '存在问题及改进情况', '存在的主要问题及改进措施'],
  other: ['其他需要报告的事项'],
};

const NUMERALS: Record<SectionKey, string> = { overview: '一1', proactive: '二2', requests: '三3', reviews: '四4', problems: '五5', other: '六6' };

/** The best match of a section's known wordings just after a numeral at `at` (the text after "四、"). */
function headingLikeness(text: string, key: SectionKey, at: number): { distance: number; expected: string; end: number } | null {
  const window = compactWithMap(text.slice(at, at + 80), at);
  let best: { distance: number; expected: string; end: number } | null = null;
  for (const v of SECTION_VARIANTS[key]) {
    const { distance, length } = prefixDistance(v, window.text);
    if (distance > allowedEdits(v.length) || length === 0) continue;
    if (!best || distance < best.distance) best = { distance, expected: v, end: window.at[length - 1] + 1 };
  }
  return best;
}

/** A heading of `key` recognised by likeness between `from` and `to` (the neighbouring headings). */
function findSectionByLikeness(text: string, key: SectionKey, from: number, to: number): { start: number; end: number; distance: number; expected: string } | null {
  const marker = new RegExp(`[${NUMERALS[key]}]${SEP}[、.，,]`, 'g');
  marker.lastIndex = from;
  let best: { start: number; end: number; distance: number; expected: string } | null = null;
  for (let m = marker.exec(text); m && m.index < to; m = marker.exec(text)) {
    const start = m.index;
    const like = headingLikeness(text, key, m.index + m[0].length);
    if (like && (!best || like.distance < best.distance)) best = { start, end: like.end, distance: like.distance, expected: like.expected };
    marker.lastIndex = m.index + m[0].length;
  }
  return best;
}

/** Where a heading's body starts: the end of its line when the heading stands on its own line. */
function bodyStartAfter(text: string, headingEnd: number): number {
  const nl = text.indexOf('\n', headingEnd);
  const lineRest = nl < 0 ? '' : text.slice(headingEnd, nl);
  return nl >= 0 && lineRest.length <= 30 && !/[。\d]/.test(lineRest) ? nl + 1 : headingEnd;
}

/**
 * Finds the section headings in order; a heading not found is absent from the result. Headings are found by
 * their patterns first; a section still missing is then looked for between its neighbours by likeness to its
 * known wordings (a typo such as "四、政府信息公开行政法复议、行政诉讼情况"), and marked `typo`.
 */
export function findSections(text: string): SectionSpan[] {
  const found: Omit<SectionSpan, 'end'>[] = [];
  let pos = 0;
  for (const key of SECTION_KEYS) {
    const re = SECTION_PATTERNS[key];
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) continue;
    // A heading is at the start of a line or after a sentence end (published text may run headings inline).
    const start = m.index;
    const bodyStart = bodyStartAfter(text, start + m[0].length);
    // Found by its pattern, but is the wording a known one, or one with a typo ("存在的主要问提及改进情况")?
    const numeral = new RegExp(`^[${NUMERALS[key]}]${SEP}[、.，,]`).exec(text.slice(start));
    const like = numeral ? headingLikeness(text, key, start + numeral[0].length) : null;
    if (like && like.distance > 0) {
      found.push({ key, start, bodyStart, typo: { printed: text.slice(start, like.end).replace(/[\s|]+/g, ''), expected: `${SECTION_TITLES[key].slice(0, 2)}${like.expected}`, distance: like.distance } });
      pos = bodyStart;
      continue;
    }
    found.push({ key, start, bodyStart });
    pos = bodyStart;
  }
  for (const key of SECTION_KEYS) {
    if (found.some((f) => f.key === key)) continue;
    const i = SECTION_KEYS.indexOf(key);
    const before = found.filter((f) => SECTION_KEYS.indexOf(f.key) < i);
    const after = found.filter((f) => SECTION_KEYS.indexOf(f.key) > i);
    const from = before.length ? before[before.length - 1].bodyStart : 0;
    const to = after.length ? after[0].start : text.length;
    const hit = findSectionByLikeness(text, key, from, to);
    if (!hit) continue;
    const printed = text.slice(hit.start, hit.end).replace(/[\s|]+/g, '');
    const numeral = SECTION_TITLES[key].slice(0, 2);
    found.push({
      key,
      start: hit.start,
      bodyStart: bodyStartAfter(text, hit.end),
      typo: { printed, expected: `${numeral}${hit.expected}`, distance: hit.distance },
    });
    found.sort((a, b) => a.start - b.start);
  }
  return found.map((f, i) => ({ ...f, end: i + 1 < found.length ? found[i + 1].start : text.length }));
}

/** The title's agency and year ("淮安市人民政府2024年政府信息公开工作年度报告"), from the first lines. */
export function findTitle(text: string): { agency?: string; year?: number } {
  const lines = text
    .slice(0, 3000)
    .split('\n')
    .map((l) => l.replace(/[\s|]+/g, ''))
    .filter(Boolean);
  // The title may be wrapped over two or three lines, or follow a "标题:" label or a page header.
  const head = lines.slice(0, 4).join('\n');
  const re =
    /(?:^|\n|标题:|题目:|-)((?:[\u4e00-\u9fff（）()·]|\n){2,60}?)(?:[（(])?(\d{4})(?:[）)])?年(?:度)?\n?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?\n?报告/;
  const m = re.exec(head) ?? re.exec(lines.filter((l) => /^标题:/.test(l)).join('\n'));
  if (m && !/关于|根据|按照/.test(m[1])) {
    const agency = m[1].replace(/\n/g, '');
    return { agency: agency || undefined, year: Number(m[2]) };
  }
  const y = /统计期限[^。]{0,10}?(\d{4})年/.exec(text.slice(0, 3000).replace(/\s+/g, ''));
  return y ? { year: Number(y[1]) } : {};
}

/** An agency name without the notes in brackets that our example headers add. */
export function cleanAgencyName(name: string): string {
  return name.replace(/\s*[（(][^（）()]*[）)]\s*$/, '').trim() || name;
}

export function sectionTitle(key: SectionKey): string {
  return SECTION_TITLES[key];
}

/** True when the text ends in mid-sentence (a copy cut off at the end). */
export function endsMidSentence(text: string): boolean {
  const t = text.replace(/[\s|]+$/g, '');
  if (!t) return false;
  return !/[。！？!?」』”）)\]】]$/.test(t);
}

/** True when the text is a page from the middle of a report (a page-flip copy of page N > 1). */
export function startsMidDocument(text: string): boolean {
  const head = text.slice(0, 300);
  const m = /(?:^|\n)\s*(?:Page|P\.)\s*(\d+)/i.exec(head) ?? /第\s*(\d+)\s*页/.exec(head);
  return !!m && Number(m[1]) > 1;
}

export type AgencyLevel = 'province' | 'city' | 'county' | 'township';

/** What the agency's name says about it: a township or street office, a government, a department; and its level. */
export function agencyProfileFromName(name: string | undefined): {
  kind: 'government' | 'department' | 'township';
  level?: AgencyLevel;
} | null {
  if (!name) return null;
  const n = name.replace(/[（(][^）)]*[）)]/g, '');
  if (/(镇|乡|街道)(人民政府|政府|办事处)?$/.test(n) || /街道办事处/.test(n)) return { kind: 'township', level: 'township' };
  if (/(乡镇级|街道)/.test(name)) return { kind: 'township', level: 'township' };
  const government = /(人民政府|政府|管委会|管理委员会)$/.test(n);
  let level: AgencyLevel | undefined;
  if (/(县|旗|县级市)(人民政府|政府)?$/.test(n) || /[县旗]/.test(n.slice(-12))) level = 'county';
  else if (/省|自治区/.test(n) && !/市/.test(n)) level = 'province';
  return { kind: government ? 'government' : 'department', level };
}
