/**
 * 信息处理费 — 条例第42条, 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), ../shared/spec/fees.md.
 *
 * 第三条: per request (按件计收) or per page (按量计收), both 超额累进 (marginal); one method per request, never
 * both. 第四条 per request: the same applicant's k-th application in one natural month — k ≤ 10 free,
 * 11–30 100元/件, from 31 on in bands of 10, each band 100元/件 more (31–40 200元, 41–50 300元 …).
 * 第五条 per page: ≤ 30 pages free, 31–100 10元/页, 101–200 20元/页, 201 and above 40元/页.
 * Amounts are whole yuan.
 */

export type FeeMethod = 'per_request' | 'per_page';

export const FEE_METHODS: readonly FeeMethod[] = ['per_request', 'per_page'];

export const FEE_METHOD_LABELS: Record<FeeMethod, string> = {
  per_request: '按件计收',
  per_page: '按量计收',
};

export const FEE_BASIS = '国办函〔2020〕109号';

export interface FeeBand {
  /** e.g. '第11—30件' or '31—100页'. */
  label: string;
  /** Units (applications or pages) charged in this band. */
  units: number;
  /** Yuan per unit. */
  rate: number;
  amount: number;
}

export interface FeeResult {
  method: FeeMethod;
  /** Yuan. */
  amount: number;
  bands: FeeBand[];
  /** Chinese, the computation step by step. */
  explanation: string;
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}应为非负整数：${n}`);
}

// ---------------------------------------------------------------------------------------------
// 按件计收 (第四条)

/** The rate for the k-th application of one applicant in one natural month (k ≥ 1). */
export function perRequestRate(k: number): number {
  assertCount(k, '件次');
  if (k < 1) throw new RangeError(`件次应从 1 开始：${k}`);
  if (k <= 10) return 0;
  if (k <= 30) return 100;
  return 100 * (2 + Math.floor((k - 31) / 10));
}

function perRequestBandLabel(k: number): string {
  if (k <= 10) return '第1—10件';
  if (k <= 30) return '第11—30件';
  const lo = 31 + 10 * Math.floor((k - 31) / 10);
  return `第${lo}—${lo + 9}件`;
}

/**
 * The fee for `count` applications (or items split under "一事一申请") that are the applicant's
 * `firstOrdinal`-th … (firstOrdinal + count − 1)-th in the natural month.
 */
export function perRequestFee(firstOrdinal: number, count = 1): FeeResult {
  assertCount(firstOrdinal, '件次');
  assertCount(count, '件数');
  if (firstOrdinal < 1) throw new RangeError(`件次应从 1 开始：${firstOrdinal}`);
  const bands: FeeBand[] = [];
  for (let k = firstOrdinal; k < firstOrdinal + count; k++) {
    const rate = perRequestRate(k);
    const label = perRequestBandLabel(k);
    const last = bands.at(-1);
    if (last && last.label === label) {
      last.units++;
      last.amount += rate;
    } else bands.push({ label, units: 1, rate, amount: rate });
  }
  const amount = bands.reduce((s, b) => s + b.amount, 0);
  const last = firstOrdinal + count - 1;
  const which = count === 1 ? `第 ${firstOrdinal} 件` : `第 ${firstOrdinal}—${last} 件（共 ${count} 件）`;
  const parts = bands.map((b) => (b.rate === 0 ? `${b.label} ${b.units} 件不收费` : `${b.label} ${b.units} 件 × ${b.rate}元/件 = ${formatYuan(b.amount)}`));
  const explanation =
    `${FEE_METHOD_LABELS.per_request}（${FEE_BASIS}第四条，超额累进）：本申请为同一申请人本自然月内累计${which}；` +
    `10件以下（含10件）不收费，11—30件100元/件，31件以上以10件为一档、每增加一档提高100元/件；` +
    `${parts.join('；')}；合计 ${formatYuan(amount)}`;
  return { method: 'per_request', amount, bands, explanation };
}

/** Total for an applicant's first `n` applications in a month (e.g. for statistics). */
export function perRequestMonthlyTotal(n: number): number {
  assertCount(n, '件数');
  return n === 0 ? 0 : perRequestFee(1, n).amount;
}

/**
 * The ordinal of an application in its natural month: 1 + the applicant's earlier applications dated in the
 * same calendar month ('YYYY-MM-DD' strings; same-day ones must be ordered by the caller).
 */
export function ordinalInMonth(earlierApplicationDates: readonly string[], date: string): number {
  const month = date.slice(0, 7);
  return 1 + earlierApplicationDates.filter((d) => d.slice(0, 7) === month && d <= date).length;
}

/** One of the applicant's applications in the month and the 件 it counts as (第四条: 一事一申请 split; 1 unsplit). */
export interface ApplicationInMonth {
  /** The date it was received ('YYYY-MM-DD'). */
  on: string;
  /** 件数 after the split: a whole number ≥ 1. */
  items: number;
}

/**
 * 第四条: "申请人的一份政府信息公开申请包含多项内容的，行政机关可以按照“一事一申请”原则，以合理的最小单位拆分计算件数",
 * and the schedule counts 件 ("累计申请…件"), not letters. So the first 件 of an application is 1 + the 件 of the
 * applicant's earlier applications dated in the same natural month, each counted as split. `earlier` are the
 * applications before this one (same-day ones ordered by the caller); this one's own 件 are firstItem … firstItem +
 * its items − 1 (perRequestFee(firstItem, items)).
 */
export function firstItemInMonth(earlier: readonly ApplicationInMonth[], date: string): number {
  const month = date.slice(0, 7);
  let n = 1;
  for (const a of earlier) {
    assertCount(a.items, '件数');
    if (a.items < 1) throw new RangeError(`件数应从 1 开始：${a.items}`);
    if (a.on.slice(0, 7) === month && a.on <= date) n += a.items;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// 按量计收 (第五条)

const PAGE_BANDS: readonly { from: number; to: number; rate: number; label: string }[] = [
  { from: 1, to: 30, rate: 0, label: '30页以下（含30页）' },
  { from: 31, to: 100, rate: 10, label: '31—100页' },
  { from: 101, to: 200, rate: 20, label: '101—200页' },
  { from: 201, to: Infinity, rate: 40, label: '201页以上' },
];

/** The fee for `pages` pages: 10 × clamp(p−30, 0, 70) + 20 × clamp(p−100, 0, 100) + 40 × max(p−200, 0). */
export function perPageFee(pages: number): FeeResult {
  assertCount(pages, '页数');
  const bands: FeeBand[] = [];
  for (const b of PAGE_BANDS) {
    const units = Math.max(0, Math.min(pages, b.to) - b.from + 1);
    if (units > 0) bands.push({ label: b.label, units, rate: b.rate, amount: units * b.rate });
  }
  const amount = bands.reduce((s, b) => s + b.amount, 0);
  const parts = bands.map((b) => (b.rate === 0 ? `${b.label}的 ${b.units} 页不收费` : `${b.label}的部分 ${b.units} 页 × ${b.rate}元/页 = ${formatYuan(b.amount)}`));
  const explanation =
    `${FEE_METHOD_LABELS.per_page}（${FEE_BASIS}第五条，超额累进）：共 ${pages} 页；` +
    `${parts.length ? parts.join('；') : '0 页不收费'}；合计 ${formatYuan(amount)}`;
  return { method: 'per_page', amount, bands, explanation };
}

// ---------------------------------------------------------------------------------------------
// One method per request (第三条)

export type FeeInput = { method: 'per_request'; ordinal: number; count?: number } | { method: 'per_page'; pages: number };

export function computeFee(input: FeeInput): FeeResult {
  if (input.method === 'per_request') return perRequestFee(input.ordinal, input.count ?? 1);
  if (input.method === 'per_page') return perPageFee(input.pages);
  throw new RangeError(`未知的收费方式：${String((input as { method?: unknown }).method)}（应为按件计收或按量计收之一）`);
}

/** Formats yuan the one way every letter and explanation prints it: 1700 → '1,700元', 200 → '200元'. */
export function formatYuan(amount: number): string {
  return `${amount.toLocaleString('en-US')}元`;
}
