/**
 * Screening before publication (条例第15条: personal privacy is not disclosed; 保密审查 and the 错敏词 check that
 * portals run before an item goes out). Finds mainland resident ID numbers (GB 11643-1999, checksum and birth
 * date checked), mobile numbers, bank card numbers (Luhn), and listed wrong or sensitive wording. Results never
 * carry a full ID, phone or card number: excerpts are masked.
 *
 * The masking helpers (`maskIdNumber`, `maskPhone`, …) are also what the office uses to show applicants'
 * personal data.
 */

export type ScreeningHitKind = 'id_number' | 'mobile_phone' | 'bank_card' | 'wrong_word' | 'sensitive_wording';

export const SCREENING_HIT_KIND_LABELS: Record<ScreeningHitKind, string> = {
  id_number: '公民身份号码',
  mobile_phone: '手机号码',
  bank_card: '银行卡号',
  wrong_word: '错别字词',
  sensitive_wording: '不规范表述',
};

export interface ScreeningHit {
  kind: ScreeningHitKind;
  /** UTF-16 offsets into the screened text, end exclusive. */
  start: number;
  end: number;
  /** The matched text, masked for personal data (e.g. '138****5678'); the word itself for wording hits. */
  match: string;
  /** Context around the hit, with every personal-data match in it masked. */
  excerpt: string;
  /** Chinese. */
  message: string;
  suggestion?: string;
}

export interface WordRule {
  word: string;
  /** The suggested replacement. */
  suggestion?: string;
  kind?: 'wrong_word' | 'sensitive_wording';
  /** Where the rule comes from or why. */
  note?: string;
}

/**
 * A small default list: well-established corrections only (错别字 and the 通用规范 form; two formulations from
 * 新华社《新闻信息报道中的禁用词和慎用词》). Agencies extend it with their own lists.
 */
export const DEFAULT_WORD_RULES: readonly WordRule[] = [
  { word: '其它', suggestion: '其他', kind: 'wrong_word', note: '公文用“其他”' },
  { word: '帐户', suggestion: '账户', kind: 'wrong_word', note: '与钱财有关用“账”' },
  { word: '帐目', suggestion: '账目', kind: 'wrong_word', note: '与钱财有关用“账”' },
  { word: '布署', suggestion: '部署', kind: 'wrong_word' },
  { word: '按排', suggestion: '安排', kind: 'wrong_word' },
  { word: '做为', suggestion: '作为', kind: 'wrong_word' },
  { word: '既使', suggestion: '即使', kind: 'wrong_word' },
  { word: '必须品', suggestion: '必需品', kind: 'wrong_word' },
  { word: '精减机构', suggestion: '精简机构', kind: 'wrong_word' },
  { word: '再接再励', suggestion: '再接再厉', kind: 'wrong_word' },
  { word: '迫不急待', suggestion: '迫不及待', kind: 'wrong_word' },
  { word: '一如继往', suggestion: '一如既往', kind: 'wrong_word' },
  { word: '按步就班', suggestion: '按部就班', kind: 'wrong_word' },
  { word: '一股作气', suggestion: '一鼓作气', kind: 'wrong_word' },
  { word: '走头无路', suggestion: '走投无路', kind: 'wrong_word' },
  { word: '穿流不息', suggestion: '川流不息', kind: 'wrong_word' },
  { word: '默守成规', suggestion: '墨守成规', kind: 'wrong_word' },
  { word: '一愁莫展', suggestion: '一筹莫展', kind: 'wrong_word' },
  { word: '震憾', suggestion: '震撼', kind: 'wrong_word' },
  { word: '松驰', suggestion: '松弛', kind: 'wrong_word' },
  { word: '台湾政府', suggestion: '台湾当局', kind: 'sensitive_wording', note: '新华社禁用词和慎用词' },
  { word: '台湾总统', suggestion: '台湾地区领导人', kind: 'sensitive_wording', note: '新华社禁用词和慎用词' },
];

export interface ScreeningOptions {
  /** Replaces the default word list. */
  words?: readonly WordRule[];
  /** Added to the word list. */
  extraWords?: readonly WordRule[];
  /** Also find the old 15-digit ID numbers (issued before 1999; birth date checked). Default true. */
  oldIdNumbers?: boolean;
  /** Characters of context on each side of an excerpt. Default 10. */
  contextChars?: number;
  /** Only these kinds. Default all. */
  kinds?: readonly ScreeningHitKind[];
}

// ---------------------------------------------------------------------------------------------
// Checks

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** The GB 11643 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('需要17位数字');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= dim;
}

/** The birth date of an ID number ('YYYY-MM-DD'), or null when the number is not valid. */
export function idNumberBirthDate(id: string): string | null {
  const s = id.trim();
  let y: number, m: number, d: number;
  if (/^\d{17}[\dXx]$/.test(s)) {
    if (idCheckChar(s.slice(0, 17)) !== s[17]!.toUpperCase()) return null;
    y = Number(s.slice(6, 10));
    m = Number(s.slice(10, 12));
    d = Number(s.slice(12, 14));
    if (y < 1800 || y > 2199) return null;
  } else if (/^\d{15}$/.test(s)) {
    y = 1900 + Number(s.slice(6, 8));
    m = Number(s.slice(8, 10));
    d = Number(s.slice(10, 12));
  } else return null;
  if (!/^[1-8]/.test(s)) return null; // area codes 11–82
  if (!validYmd(y, m, d)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An 18-digit resident ID number with a valid checksum, area prefix and birth date (or, if allowed, 15-digit). */
export function isValidIdNumber(id: string, allowOld15 = false): boolean {
  const s = id.trim();
  if (s.length === 15 && !allowOld15) return false;
  return idNumberBirthDate(s) !== null;
}

/** Luhn (ISO/IEC 7812) over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isMobileNumber(s: string): boolean {
  return /^1[3-9]\d{9}$/.test(s.replace(/[\s-]/g, '').replace(/^\+?86/, ''));
}

// ---------------------------------------------------------------------------------------------
// Masking (length-preserving, separators kept)

function maskDigits(s: string, keepFirst: number, keepLast: number): string {
  const alnum = /[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]/;
  const total = [...s].filter((ch) => alnum.test(ch)).length;
  let seen = 0;
  let out = '';
  for (const ch of s) {
    if (alnum.test(ch)) {
      out += seen < keepFirst || seen >= total - keepLast ? ch : '*';
      seen++;
    } else out += ch;
  }
  return out;
}

/** '110105194912310021' → '110***********0021' (first 3 and last 4 kept). */
export function maskIdNumber(id: string): string {
  return maskDigits(id, 3, 4);
}

/** '13812345678' → '138****5678'; separators and +86 are kept. */
export function maskPhone(phone: string): string {
  const m = /^([+＋]?[8８][6６][\s\-－]?)?(.*)$/.exec(phone)!;
  return (m[1] ?? '') + maskDigits(m[2]!, 3, 4);
}

/** '6222020200112345679' → '6222***********5679'. */
export function maskBankCard(card: string): string {
  return maskDigits(card, 4, 4);
}

/** '张三' → '张*', '欧阳娜娜' → '欧***'. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** 'zhangsan@example.com' → 'z*******@example.com'. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskDigits(email, 1, 0);
  const local = email.slice(0, at);
  return local[0] + '*'.repeat(Math.max(local.length - 1, 1)) + email.slice(at);
}

// ---------------------------------------------------------------------------------------------
// Screening

/** Full-width digits, X and separators → ASCII, one UTF-16 unit each, so offsets are preserved. */
function normalize(text: string): string {
  return text.replace(/[０-９Ｘｘ－＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

interface Span {
  kind: ScreeningHitKind;
  start: number;
  end: number;
  masked: string;
  message: string;
  suggestion?: string;
}

const overlaps = (a: { start: number; end: number }, spans: readonly Span[]): boolean =>
  spans.some((b) => a.start < b.end && b.start < a.end);

/** All personal data (the kinds filter applies to the hits reported, not to masking). */
function findPersonalData(norm: string, original: string, o: ScreeningOptions): Span[] {
  const spans: Span[] = [];
  // Resident ID numbers (not inside a longer run of digits).
  {
    for (const m of norm.matchAll(/(?<![0-9])(\d{17}[\dXx]|\d{15})(?![0-9Xx])/g)) {
      const raw = m[1]!;
      if (raw.length === 15 && o.oldIdNumbers === false) continue;
      const birth = idNumberBirthDate(raw);
      if (!birth) continue;
      const start = m.index!;
      const end = start + raw.length;
      spans.push({
        kind: 'id_number',
        start,
        end,
        masked: maskIdNumber(original.slice(start, end)),
        message: `疑似公民身份号码（${raw.length === 18 ? '校验码正确' : '15位旧号码'}），公开前应删除或遮盖`,
      });
    }
  }
  // Bank cards: 16–19 digits, plain or in groups of four, passing Luhn, not an ID number.
  {
    for (const m of norm.matchAll(/(?<![0-9])(\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9])/g)) {
      const raw = m[1]!;
      const digits = raw.replace(/[ -]/g, '');
      if (digits.length < 16 || digits.length > 19 || !luhnValid(digits)) continue;
      const span = { start: m.index!, end: m.index! + raw.length };
      if (overlaps(span, spans)) continue;
      if (digits.length === 18 && idNumberBirthDate(digits)) continue;
      spans.push({ kind: 'bank_card', ...span, masked: maskBankCard(original.slice(span.start, span.end)), message: '疑似银行卡号（通过 Luhn 校验），公开前应删除或遮盖' });
    }
  }
  // Mobile numbers: 1[3-9]x, 11 digits, optionally +86 and 3-4-4 separators; not inside longer digit runs.
  {
    for (const m of norm.matchAll(/(?<![0-9+])((?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?![0-9])/g)) {
      const raw = m[1]!;
      const span = { start: m.index!, end: m.index! + raw.length };
      if (overlaps(span, spans)) continue;
      spans.push({ kind: 'mobile_phone', ...span, masked: maskPhone(original.slice(span.start, span.end)), message: '疑似手机号码，公开前应删除或遮盖' });
    }
  }
  return spans;
}

function findWording(text: string, o: ScreeningOptions): Span[] {
  // Longer words first, so that a longer listed word wins over a shorter one inside it.
  const rules = [...(o.words ?? DEFAULT_WORD_RULES), ...(o.extraWords ?? [])].sort((a, b) => b.word.length - a.word.length);
  const spans: Span[] = [];
  for (const r of rules) {
    const kind = r.kind ?? 'wrong_word';
    if (!r.word || (o.kinds && !o.kinds.includes(kind))) continue;
    let i = text.indexOf(r.word);
    while (i >= 0) {
      const span = { start: i, end: i + r.word.length };
      // A longer listed word at the same place wins (e.g. '台湾政府' over a shorter rule inside it).
      if (!spans.some((s) => s.start <= span.start && s.end >= span.end)) {
        const message =
          kind === 'wrong_word'
            ? r.suggestion
              ? `“${r.word}”应为“${r.suggestion}”`
              : `“${r.word}”疑似错别字词`
            : r.suggestion
              ? `“${r.word}”为不规范表述，建议改为“${r.suggestion}”`
              : `“${r.word}”为不规范表述`;
        spans.push({ kind, ...span, masked: r.word, message: r.note ? `${message}（${r.note}）` : message, ...(r.suggestion ? { suggestion: r.suggestion } : {}) });
      }
      i = text.indexOf(r.word, i + r.word.length);
    }
  }
  return spans;
}

function applyMasks(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const s of spans) {
    if (s.kind === 'id_number' || s.kind === 'bank_card' || s.kind === 'mobile_phone') {
      out = out.slice(0, s.start) + s.masked + out.slice(s.end);
    }
  }
  return out;
}

/** Screens a text; hits in order of position. */
export function screenText(text: string, options: ScreeningOptions = {}): ScreeningHit[] {
  const norm = normalize(text);
  const pd = findPersonalData(norm, text, options);
  const words = findWording(text, options);
  const masked = applyMasks(text, pd);
  const ctx = options.contextChars ?? 10;
  const wanted = (s: Span): boolean => !options.kinds || options.kinds.includes(s.kind);
  return [...pd.filter(wanted), ...words]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((s) => {
      const from = Math.max(0, s.start - ctx);
      const to = Math.min(text.length, s.end + ctx);
      const excerpt = (from > 0 ? '…' : '') + masked.slice(from, to) + (to < text.length ? '…' : '');
      return {
        kind: s.kind,
        start: s.start,
        end: s.end,
        match: s.masked,
        excerpt,
        message: `${s.message}：${s.masked}`,
        ...(s.suggestion ? { suggestion: s.suggestion } : {}),
      };
    });
}

/** The text with every ID, phone and bank-card number masked (for logs, previews and publication drafts). */
export function maskPersonalData(text: string, options: Pick<ScreeningOptions, 'oldIdNumbers'> = {}): string {
  return applyMasks(text, findPersonalData(normalize(text), text, options));
}

export function containsPersonalData(text: string, options: Pick<ScreeningOptions, 'oldIdNumbers'> = {}): boolean {
  return findPersonalData(normalize(text), text, options).length > 0;
}

/** Applies the suggested replacements of the wording hits (personal data is left for a person to decide). */
export function applySuggestions(text: string, hits: readonly ScreeningHit[]): string {
  let out = text;
  const fixes = hits.filter((h) => (h.kind === 'wrong_word' || h.kind === 'sensitive_wording') && h.suggestion !== undefined).sort((a, b) => b.start - a.start);
  for (const h of fixes) out = out.slice(0, h.start) + h.suggestion + out.slice(h.end);
  return out;
}
