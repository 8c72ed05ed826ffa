/**
 * 考核: the yearly score sheet of an agency from its records. Pure: figures in, score out.
 *
 * Each indicator gives a figure (what is shown, with its numerator and denominator) and a fraction in [0, 1]
 * (how well the agency did; null when there was nothing to measure, e.g. no request replied). The score is the
 * weighted mean of the fractions that exist, × 100: an indicator without records neither rewards nor punishes.
 * The weights are the oversight office's (default below; they need not add up to 100).
 */

export const INDICATORS = ['replies', 'reconsideration', 'litigation', 'report', 'timeliness', 'interpretation', 'supervision'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const INDICATOR_LABELS: Record<Indicator, string> = {
  replies: '依申请公开按期答复率',
  reconsideration: '行政复议纠错率',
  litigation: '行政诉讼纠错率',
  report: '年度报告按时发布且无错误',
  timeliness: '主动公开及时率（条例第二十六条）',
  interpretation: '政策文件解读率',
  supervision: '督办按期答复率',
};

/** How an indicator's figure becomes a fraction (for the sheet's notes). */
export const INDICATOR_RULES: Record<Indicator, string> = {
  replies: '本年度答复的申请中，在答复期限内答复的比例',
  reconsideration: '本年度审结的行政复议案件中被纠错的比例；得分为 1 − 纠错率',
  litigation: '本年度审结的行政诉讼案件中被纠错的比例；得分为 1 − 纠错率',
  report: '上一年度报告在法定期限内发布得一半分，发布的报告经检查无错误得另一半分（逾期发布的按时部分得四分之一分）',
  timeliness: '本年度发布的主动公开信息中，自生成之日起 20 个工作日内发布的比例',
  interpretation: '本年度发布的法规文件、政策文件（规章、规范性文件）中有已发布政策解读的比例',
  supervision: '本年度发起的督办中，在办理期限内首次答复的比例',
};

export type Weights = Record<Indicator, number>;

export const DEFAULT_WEIGHTS: Weights = { replies: 25, reconsideration: 10, litigation: 10, report: 20, timeliness: 15, interpretation: 10, supervision: 10 };

export interface Figure {
  /** Counted records (e.g. on time), and the whole (e.g. replied). */
  num: number;
  den: number;
  /** As shown: '92.3%（12/13）', '按时发布，无错误'. */
  text: string;
  /** 0..1, or null when nothing to measure. */
  fraction: number | null;
}

export function pct(num: number, den: number): string {
  return den > 0 ? `${((num / den) * 100).toFixed(1)}%` : '—';
}

export function ratio(num: number, den: number): Figure {
  return { num, den, text: den ? `${pct(num, den)}（${num}/${den}）` : '无记录', fraction: den ? num / den : null };
}

/** A correction rate: the figure is corrected/concluded, the fraction 1 − that. */
export function correctionRate(corrected: number, concluded: number): Figure {
  return { num: corrected, den: concluded, text: concluded ? `${pct(corrected, concluded)}（${corrected}/${concluded}）` : '无审结案件', fraction: concluded ? 1 - corrected / concluded : null };
}

export function reportFigure(r: { published: boolean; onTime: boolean; errors: number; due: boolean }): Figure {
  if (!r.published) return { num: 0, den: 1, text: r.due ? '逾期未发布' : '尚未发布（未到期限）', fraction: r.due ? 0 : null };
  const f = (r.onTime ? 0.5 : 0.25) + (r.errors === 0 ? 0.5 : 0);
  return { num: r.errors, den: 1, text: `${r.onTime ? '按时发布' : '逾期发布'}，${r.errors ? `${r.errors} 处错误` : '无错误'}`, fraction: f };
}

export function score(figures: Record<Indicator, Figure>, weights: Weights): number | null {
  let sum = 0;
  let w = 0;
  for (const k of INDICATORS) {
    const f = figures[k].fraction;
    if (f === null || !(weights[k] > 0)) continue;
    sum += weights[k] * f;
    w += weights[k];
  }
  return w > 0 ? Math.round((sum / w) * 1000) / 10 : null;
}

/** Ranks by score, highest first; equal scores share a rank; no score, no rank. */
export function ranks(scores: (number | null)[]): (number | null)[] {
  const sorted = scores.filter((s): s is number => s !== null).sort((a, b) => b - a);
  return scores.map((s) => (s === null ? null : sorted.indexOf(s) + 1));
}

/** Parses weights from a form: integers 0–100 per indicator, at least one above 0. */
export function parseWeights(input: Record<string, unknown>): { weights: Weights } | { errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const weights = { ...DEFAULT_WEIGHTS };
  for (const k of INDICATORS) {
    const raw = String(input[k] ?? '').trim();
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > 100) errors.push({ field: k, message: `${INDICATOR_LABELS[k]}的权重应为 0–100 的整数` });
    else weights[k] = Number(raw);
  }
  if (!errors.length && INDICATORS.every((k) => weights[k] === 0)) errors.push({ field: INDICATORS[0], message: '至少一项指标的权重应大于 0' });
  return errors.length ? { errors } : { weights };
}
