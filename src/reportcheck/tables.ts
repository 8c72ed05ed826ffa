/**
 * Rebuilding tables 二, 三 and 四 cell by cell from a report's text.
 *
 * Rows are found by their labels (a distinctive core of the label, tolerant of separators, half-width
 * punctuation, wrapping and known mistypes), in table order; a row's cells are the numbers between its label
 * and the next row's label. Where digits run together and several splits fit, the row totals, the column
 * totals and the 勾稽关系 choose; where they cannot, the cells stay blank and an `info` finding says why.
 */
import type {
  Cell,
  Finding,
  FormatVersion,
  ProactiveTable,
  RequestRowKey,
  RequestsTable,
  ReviewsTable,
} from '../law/report-model.js';
import { REQUEST_COLUMNS, REVIEW_GROUPS, REVIEW_RESULT_COLUMNS, requestRowLabels } from '../law/report-format.js';
import { requestRowLabel } from '../law/report-rules.js';
import type { RowCandidates, Token } from './cells.js';
import { cellsText, rowCandidates, sumFits, tokenizeArea, tokensText } from './cells.js';
import { blankProactive, blankRequests, blankReviews, setProactive } from './model.js';
import { allowedEdits, compactWithMap, prefixDistance, substringDistance } from './fuzzy.js';
import { SEP, findFrom, normalizeText } from './text.js';

const LEAD = '[^\\d/—|\\-]{0,30}?';

function alt(cores: string[]): string {
  return cores.map((c) => [...c].join(SEP)).join('|');
}

/** A row label regex: an optional item number ("2." "2、"), a short non-numeric lead, then a core. */
function rowRegex(cores: string[], item?: number, itemRequired = false): RegExp {
  const itemSrc = item === undefined ? '' : `(?:${item}${SEP}[.、,]${SEP})${itemRequired ? '' : '?'}`;
  return new RegExp(`${itemSrc}${LEAD}(?:${alt(cores)})`, 'g');
}

// ---------------------------------------------------------------------------------------------
// Table 三

interface RowSpec {
  key: RequestRowKey;
  re: RegExp;
}

const REQ = (key: RequestRowKey, cores: string[], item?: number, itemRequired = false): RowSpec => ({
  key,
  re: rowRegex(cores, item, itemRequired),
});

const REQUEST_SPECS_HEAD: RowSpec[] = [
  REQ('new', ['本年新收', '本年度新收', '新收政府信息公开申请']),
  REQ('carriedOver', ['上年结转', '上年度结转']),
  REQ('disclosed', ['予以公开']),
  REQ('partially_disclosed', ['部分公开']),
  REQ('withheld.state_secret', ['国家秘密'], 1),
  REQ('withheld.prohibited_by_law', ['法规禁止公开', '禁止公开'], 2),
  REQ('withheld.security_stability', ['三安全一稳定', '三安全', '一稳定'], 3),
  REQ('withheld.third_party_rights', ['第三方合法权益', '第三方'], 4),
  REQ('withheld.internal_affairs', ['三类内部事务', '内部事务', '三类内容事务', '事务信息'], 5),
  REQ('withheld.process_information', ['四类过程性', '过程性信息'], 6),
  REQ('withheld.enforcement_file', ['行政执法案卷', '执法案卷'], 7),
  REQ('withheld.administrative_inquiry', ['行政查询事项', '查询事项'], 8),
  REQ('unavailable.not_held', ['不掌握'], 1),
  REQ('unavailable.needs_creation', ['没有现成信息', '另行制作'], 2),
  REQ('unavailable.still_unclear', ['仍不明确', '补正后申请内容'], 3),
  REQ('not_processed.petition_complaint', ['信访举报投诉', '信访举报', '投诉类申请'], 1),
  REQ('not_processed.duplicate', ['重复申请'], 2),
  REQ('not_processed.publication', ['公开出版物', '出版物'], 3),
  REQ('not_processed.excessive', ['大量反复申请', '大量反复'], 4),
  REQ('not_processed.confirm_or_reissue', ['确认或重新出具', '重新出具', '确认或重新', '要求行政机关确认'], 5),
];
const REQUEST_SPECS_OTHER_2021: RowSpec[] = [
  REQ('other.correction_overdue', ['逾期不补正', '不补正'], 1),
  REQ('other.fee_overdue', ['收费通知', '缴纳费用'], 2),
  REQ('other.other', ['其他'], 3, true),
];
const OTHER_2019 = REQ('other.other', ['其他处理']);
const REQUEST_SPECS_TAIL: RowSpec[] = [
  REQ('concludedTotal', ['总计', '合计']),
  REQ('carriedForward', ['结转下年度', '结转下年', '结转下一年', '下年度继续办理']),
];

const ROW_FITS = sumFits([0, 1, 2, 3, 4, 5], 6);

export interface TableRead<T> {
  table: T;
  findings: Finding[];
  /** The table's anchors were found (something of the table is in the text). */
  present: boolean;
  /** Every row was found. */
  complete: boolean;
  /** Rows whose cells were read (not blank because unreadable). */
  rowsRead: number;
  format: FormatVersion | null;
  /** Label variants of a format other than `format` (e.g. a 2019 label in a 2021 table). */
  otherFormatLabels: string[];
  /** Where each row is in the text: "requests.new", "proactive.normativeDocuments", "reviews" → [start, end) of the row. */
  positions: Record<string, { start: number; end: number }>;
  /** Rows whose digits ran together and that have several readings (kept for the audit to reason over). */
  ambiguities: Ambiguity[];
}

/** A row with several readings: the cells it fills (report JSON paths) and each reading's values. */
export interface Ambiguity {
  /** The row ("requests.new", "proactive.normativeDocuments", "reviews"). */
  row: string;
  label: string;
  printed: string;
  paths: string[];
  readings: Cell[][];
}

interface FoundRow {
  key: RequestRowKey;
  start: number;
  end: number;
}

/**
 * The last row of a text cut off: read only when all its cells are there, each on its own (no split of digits
 * run together, no "only the total printed": the rest may be what was cut).
 */
function cutRow(tokens: Token[], n: number): RowCandidates {
  const c = rowCandidates(tokens, n, undefined, []);
  if (c.tokens.length === n) return c;
  return { status: 'short', tokens: c.tokens, candidates: [], unconstrained: 0 };
}

function info(rule: string, message: string, where: string): Finding {
  return { severity: 'info', rule, message, where };
}

/** A row label without its numbering ("一、", "（三）", "1."), its notes in brackets, and separators. */
export function labelCore(label: string): string {
  return normalizeText(label)
    .replace(/[\s“”"'‘’「」『』]+/g, '')
    .replace(/^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])+/, '')
    .replace(/\(区分处理.*$/, '');
}

/**
 * A label found by likeness (edit distance) in `text[from, to)`: the printed text closest to `core`, when it is
 * within the allowed edits. Labels of fewer than four characters are never matched this way.
 */
export function findLabelByLikeness(
  text: string,
  core: string,
  from: number,
  to: number,
): { start: number; end: number; printed: string; distance: number } | null {
  const allowed = allowedEdits(core.length);
  if (allowed === 0 || to <= from) return null;
  const region = compactWithMap(text.slice(from, to), from);
  // Digits are cells, not label: compare against the runs of other characters.
  let best: { distance: number; start: number; end: number } | null = null;
  const runRe = /[^\d/]+/g;
  for (let m = runRe.exec(region.text); m; m = runRe.exec(region.text)) {
    if (m[0].length < core.length - allowed) continue;
    const d = substringDistance(core, m[0]);
    if (d.distance <= allowed && (!best || d.distance < best.distance)) {
      best = { distance: d.distance, start: region.at[m.index + d.start], end: region.at[m.index + d.end - 1] + 1 };
    }
  }
  return best && { ...best, printed: text.slice(best.start, best.end).replace(/[\s|]+/g, '') };
}

/** The printed label of a row found at [start, end): up to its first cell (a digit, "/" or a blank pipe cell). */
function printedLabel(text: string, start: number, end: number, limit: number): string {
  const rest = /[\d/—]|\|[ \t]*\|/.exec(text.slice(end, Math.min(limit, end + 80)));
  const stop = rest ? end + rest.index : Math.min(limit, end + 80);
  return text.slice(start, stop).replace(/[\s|]+/g, '');
}

/** The fewest edits that turn `pattern` into some suffix of `text`. */
function suffixDistance(pattern: string, text: string): number {
  const rev = (x: string) => [...x].reverse().join('');
  return prefixDistance(rev(pattern), rev(text)).distance;
}

function labelTypo(what: string, printed: string, where: string): Finding {
  return info('table.label-typo', `标签有误：${what}一行印为“${printed}”（已按该行读取）`, where);
}

/** Reads table 三 from `text[start, end)`. */
export function readRequestsTable(text: string, start: number, end: number, cutAt = Infinity): TableRead<RequestsTable<Cell>> {
  const table = blankRequests();
  const findings: Finding[] = [];
  const ambiguities: Ambiguity[] = [];
  const found: FoundRow[] = [];
  let pos = start;
  const take = (spec: RowSpec): boolean => {
    const m = findFrom(text, spec.re, pos, end);
    if (!m) return false;
    found.push({ key: spec.key, start: m.start, end: m.end });
    pos = m.end;
    return true;
  };
  const missing: RequestRowKey[] = [];
  for (const spec of REQUEST_SPECS_HEAD) if (!take(spec)) missing.push(spec.key);
  // （六）其他处理: three items in 2021, one row in 2019.
  let format: FormatVersion | null = null;
  const afterFive = pos;
  const corr = findFrom(text, REQUEST_SPECS_OTHER_2021[0].re, pos, end) ?? findFrom(text, REQUEST_SPECS_OTHER_2021[1].re, pos, end);
  const totalAt = findFrom(text, REQUEST_SPECS_TAIL[0].re, pos, end);
  if (corr && (!totalAt || corr.start < totalAt.start)) {
    format = '2021';
    for (const spec of REQUEST_SPECS_OTHER_2021) if (!take(spec)) missing.push(spec.key);
  } else {
    const single = findFrom(text, OTHER_2019.re, afterFive, end);
    if (single && (!totalAt || single.start < totalAt.start)) {
      format = '2019';
      take(OTHER_2019);
    } else {
      missing.push('other.correction_overdue', 'other.fee_overdue', 'other.other');
    }
  }
  for (const spec of REQUEST_SPECS_TAIL) if (!take(spec)) missing.push(spec.key);
  // Rows whose label is mistyped beyond the patterns: by likeness to the format's label, between the neighbours.
  const order = requestRowLabels(format ?? '2021').map((r) => r.key);
  for (const key of [...missing]) {
    const i = order.indexOf(key);
    if (i < 0) continue;
    const before = found.filter((f) => order.indexOf(f.key) < i);
    const after = found.filter((f) => order.indexOf(f.key) > i);
    const from = before.length ? before[before.length - 1].end : start;
    const to = after.length ? after[0].start : end;
    const printedLabel = requestRowLabels(format ?? '2021')[i].label;
    const hit = findLabelByLikeness(text, labelCore(printedLabel), from, to);
    if (!hit) continue;
    // The item number ("4.") belongs to the label, not to the previous row's last cell.
    const item = /^(\d+)[.、]/.exec(printedLabel);
    if (item) {
      const lead = new RegExp(`${item[1]}${SEP}[.、,]${SEP}$`).exec(text.slice(Math.max(from, hit.start - 12), hit.start));
      if (lead) hit.start -= lead[0].length;
    }
    found.push({ key, start: hit.start, end: hit.end });
    found.sort((a, b) => a.start - b.start);
    missing.splice(missing.indexOf(key), 1);
    if (hit.distance > 0) findings.push(labelTypo(`表三“${requestRowLabel(key, { format: format ?? '2021' })}”`, hit.printed, `requests.${key}`));
  }

  // Labels found by their patterns but printed with a typo elsewhere in the label.
  for (const r of found) {
    const i = order.indexOf(r.key);
    if (i < 0 || findings.some((f) => f.where === `requests.${r.key}`)) continue;
    const printed = printedLabel(text, r.start, r.end, end);
    const core = labelCore(requestRowLabels(format ?? '2021')[i].label);
    // A label cut short (the rest wrapped past its cells) is not a typo.
    const d = labelCore(printed).length < core.length - 1 ? 0 : suffixDistance(core, labelCore(printed));
    if (d > 0 && d <= allowedEdits(core.length)) {
      findings.push(labelTypo(`表三“${requestRowLabel(r.key, { format: format ?? '2021' })}”`, printed, `requests.${r.key}`));
    }
  }

  const present = found.length >= 2;
  const read: Record<string, RowCandidates> = {};
  for (let i = 0; i < found.length; i++) {
    const r = found[i];
    const areaEnd = i + 1 < found.length ? found[i + 1].start : end;
    const tokens: Token[] = tokenizeArea(text.slice(r.end, areaEnd));
    read[r.key] = areaEnd >= cutAt ? cutRow(tokens, 7) : rowCandidates(tokens, 7, ROW_FITS);
  }
  const fmt = format ?? '2021';
  // Joint choice among rows with several fitting splits, by the column totals and the 勾稽关系.
  resolveJointly(read, fmt);
  let rowsRead = 0;
  for (const r of found) {
    const c = read[r.key];
    const label = requestRowLabel(r.key, { format: fmt });
    const where = `requests.${r.key}`;
    if (c.candidates.length === 1) {
      const cells = c.candidates[0];
      REQUEST_COLUMNS.forEach((col, j) => (table[r.key][col] = cells[j]));
      if (cells.some((x) => x !== null)) rowsRead++;
      if (c.status === 'extra') {
        findings.push(info('table.extra-values', `表三“${label}”一行读到多于 7 个数（${tokensText(c.tokens)}），取前 7 个`, where));
      }
      continue;
    }
    if (c.status === 'ambiguous' && c.candidates.length > 1) {
      // Kept with all its readings: the prose, the previous year and the rules choose (readings.ts).
      ambiguities.push({ row: where, label: `表三“${label}”`, printed: tokensText(c.tokens), paths: REQUEST_COLUMNS.map((col) => `${where}.${col}`), readings: c.candidates });
    } else if (c.status === 'ambiguous') {
      const shown = c.candidates.slice(0, 3).map(cellsText).join(' / ');
      findings.push(
        info(
          'table.ambiguous-split',
          `表三“${label}”一行数字连写为“${tokensText(c.tokens)}”，${c.candidates.length > 0 ? `有 ${c.candidates.length} 种拆分都符合合计关系（${shown}${c.candidates.length > 3 ? ' …' : ''}）` : '可拆分方式过多'}，无法确定，本行未读取`,
          where,
        ),
      );
    } else if (c.status === 'unsplittable') {
      findings.push(
        info(
          'table.unsplittable',
          `表三“${label}”一行数字连写为“${tokensText(c.tokens)}”，${c.unconstrained ? `${c.unconstrained} 种拆分中没有一种符合本行合计` : '无法拆成 7 个数'}，本行未读取`,
          where,
        ),
      );
    } else if (c.status === 'short') {
      findings.push(info('table.cells-missing', `表三“${label}”一行只读到 ${c.tokens.length} 个数（${tokensText(c.tokens)}），应为 7 个，本行未读取`, where));
    }
  }
  const complete = missing.length === 0;
  if (present && !complete) {
    findings.push(
      info(
        'table.rows-missing',
        `表三未读到以下行：${missing.map((k) => `“${requestRowLabel(k, { format: fmt })}”`).join('、')}`,
        'requests',
      ),
    );
  }
  const positions: Record<string, { start: number; end: number }> = {};
  found.forEach((r, i) => (positions[`requests.${r.key}`] = { start: r.start, end: i + 1 < found.length ? found[i + 1].start : Math.min(end, r.end + 80) }));
  return { table, findings, present, complete, rowsRead, format, otherFormatLabels: format === '2019' ? ['（六）其他处理（单行）'] : [], positions, ambiguities };
}

/** Outcome keys of the format's table 三. */
function outcomeKeysOf(format: FormatVersion): RequestRowKey[] {
  return format === '2021'
    ? REQUEST_SPECS_HEAD.slice(2).map((s) => s.key).concat(REQUEST_SPECS_OTHER_2021.map((s) => s.key))
    : REQUEST_SPECS_HEAD.slice(2).map((s) => s.key).concat(['other.other']);
}

function resolveJointly(read: Record<string, RowCandidates>, format: FormatVersion): void {
  const ambiguous = Object.keys(read).filter((k) => read[k].status === 'ambiguous' && read[k].candidates.length > 1);
  if (ambiguous.length === 0) return;
  let combos = 1;
  for (const k of ambiguous) combos *= read[k].candidates.length;
  if (combos > 200000) return;
  const outcomes = outcomeKeysOf(format);
  const value = (key: string, col: number, choice: Record<string, Cell[]>): Cell | undefined => {
    if (choice[key]) return choice[key][col];
    const r = read[key];
    if (!r || r.candidates.length !== 1) return undefined;
    return r.candidates[0][col];
  };
  const num = (c: Cell | undefined): number | undefined => (typeof c === 'number' ? c : c === 'n/a' ? 0 : undefined);
  const fits = (choice: Record<string, Cell[]>): boolean => {
    for (let col = 0; col < 7; col++) {
      // （七）总计 = the sum of the outcome rows.
      const total = num(value('concludedTotal', col, choice));
      if (total !== undefined) {
        let s = 0;
        let ok = true;
        for (const k of outcomes) {
          const v = num(value(k, col, choice));
          if (v === undefined) {
            ok = false;
            break;
          }
          s += v;
        }
        if (ok && Math.abs(s - total) > 1e-6) return false;
      }
      // 一 + 二 = （七） + 四.
      const a = num(value('new', col, choice));
      const b = num(value('carriedOver', col, choice));
      const d = num(value('carriedForward', col, choice));
      if (a !== undefined && b !== undefined && total !== undefined && d !== undefined && Math.abs(a + b - total - d) > 1e-6) {
        return false;
      }
    }
    return true;
  };
  const passing: Record<string, Cell[]>[] = [];
  const choice: Record<string, Cell[]> = {};
  const walk = (i: number) => {
    if (passing.length > 1000) return;
    if (i === ambiguous.length) {
      if (fits(choice)) passing.push({ ...choice });
      return;
    }
    for (const cand of read[ambiguous[i]].candidates) {
      choice[ambiguous[i]] = cand;
      walk(i + 1);
    }
    delete choice[ambiguous[i]];
  };
  walk(0);
  if (passing.length === 0) return;
  for (const k of ambiguous) {
    const distinct = new Map<string, Cell[]>();
    for (const p of passing) distinct.set(cellsText(p[k]), p[k]);
    if (distinct.size === 1) {
      read[k] = { ...read[k], status: 'ok', candidates: [...distinct.values()] };
    } else {
      read[k] = { ...read[k], candidates: [...distinct.values()] };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Table 二

interface ProactiveRowSpec {
  label: string; // printed label (for messages)
  re: RegExp;
  cells2021: string[];
  cells2019: string[];
  only2019?: boolean;
  variant2019?: RegExp; // a 2019 label matched (e.g. 规范性文件 without 行政)
}

const BLOCK = (item: string) => new RegExp(`${[...'第二十条'].join(SEP)}${SEP}${[...'第'].join(SEP)}?${SEP}\\(?${SEP}${item}${SEP}\\)?${SEP}项`, 'g');
const BLOCK_ONE = BLOCK('一');

const PROACTIVE_SPECS: ProactiveRowSpec[] = [
  { label: '规章', re: rowRegex(['规章']), cells2021: ['rules.issued', 'rules.abolished', 'rules.inForce'], cells2019: ['rules.issued', '', 'rules.inForce'] },
  {
    label: '行政规范性文件',
    re: rowRegex(['规范性文件']),
    cells2021: ['normativeDocuments.issued', 'normativeDocuments.abolished', 'normativeDocuments.inForce'],
    cells2019: ['normativeDocuments.issued', '', 'normativeDocuments.inForce'],
  },
  { label: '行政许可', re: rowRegex(['行政许可']), cells2021: ['licensing.decisions'], cells2019: ['', '', 'licensing.decisions'] },
  { label: '其他对外管理服务事项', re: rowRegex(['对外管理服务']), cells2021: [], cells2019: ['', '', ''], only2019: true },
  { label: '行政处罚', re: rowRegex(['行政处罚']), cells2021: ['penalties.decisions'], cells2019: ['', '', 'penalties.decisions'] },
  { label: '行政强制', re: rowRegex(['行政强制']), cells2021: ['enforcement.decisions'], cells2019: ['', '', 'enforcement.decisions'] },
  { label: '行政事业性收费', re: rowRegex(['事业性收费']), cells2021: ['fees.amount10kYuan'], cells2019: ['', ''] },
  { label: '政府集中采购', re: rowRegex(['集中采购']), cells2021: [], cells2019: ['', ''], only2019: true },
];

const COLUMNS_2021 = new RegExp(['本年制发', '本年废止', '现行有效', '本年处理决定', '本年收费金额'].map((w) => [...w].join(SEP)).join('|'), 'g');
const COLUMNS_2019 = new RegExp(['本年新制作', '本年新公开', '对外公开总', '上一年项目', '采购项目数量', '采购总金额'].map((w) => [...w].join(SEP)).join('|'), 'g');

/** Reads table 二 from `text[start, end)`; a row whose digits ran together and split several ways is kept as an ambiguity. */
export function readProactiveTable(text: string, start: number, end: number, cutAt = Infinity): TableRead<ProactiveTable<Cell>> {
  const table = blankProactive();
  const findings: Finding[] = [];
  const ambiguities: Ambiguity[] = [];
  const blockAt = findFrom(text, BLOCK_ONE, start, end);
  const from = blockAt ? blockAt.start : start;
  const has2021 = !!findFrom(text, COLUMNS_2021, from, end);
  const has2019 = !!findFrom(text, COLUMNS_2019, from, end);
  let format: FormatVersion | null = has2021 && !has2019 ? '2021' : has2019 && !has2021 ? '2019' : null;
  const otherFormatLabels: string[] = [];
  if (has2021 && has2019) {
    format = '2021';
    otherFormatLabels.push('表二栏目（本年新制作数量等）');
  }
  const found: { spec: ProactiveRowSpec; start: number; end: number }[] = [];
  let pos = blockAt ? blockAt.end : start;
  const missing: string[] = [];
  for (const spec of PROACTIVE_SPECS) {
    const m = findFrom(text, spec.re, pos, end);
    if (!m) {
      if (!spec.only2019 || format === '2019') missing.push(spec.label);
      continue;
    }
    found.push({ spec, start: m.start, end: m.end });
    pos = m.end;
  }
  for (const spec of PROACTIVE_SPECS) {
    if (!missing.includes(spec.label)) continue;
    const i = PROACTIVE_SPECS.indexOf(spec);
    const before = found.filter((f) => PROACTIVE_SPECS.indexOf(f.spec) < i);
    const after = found.filter((f) => PROACTIVE_SPECS.indexOf(f.spec) > i);
    const hit = findLabelByLikeness(
      text,
      spec.label,
      before.length ? before[before.length - 1].end : blockAt ? blockAt.end : start,
      after.length ? after[0].start : end,
    );
    if (!hit) continue;
    found.push({ spec, start: hit.start, end: hit.end });
    found.sort((a, b) => a.start - b.start);
    missing.splice(missing.indexOf(spec.label), 1);
    const root = (spec.cells2021.find((p) => p) ?? spec.cells2019.find((p) => p) ?? '').split('.')[0];
    if (hit.distance > 0) findings.push(labelTypo(`表二“${spec.label}”`, hit.printed, root ? `proactive.${root}` : 'proactive'));
  }
  const labels = new Set(found.map((f) => f.spec.label));
  if (format === null) format = labels.has('政府集中采购') || labels.has('其他对外管理服务事项') ? '2019' : found.length ? '2021' : null;
  const fmt: FormatVersion = format ?? '2021';
  // Label variants of the other format.
  for (const f of found) {
    const printed = text.slice(f.start, f.end).replace(/[\s|]+/g, '');
    if (f.spec.label === '行政规范性文件' && fmt === '2021' && /规范性文件$/.test(printed) && !/行政规范性文件$/.test(printed)) otherFormatLabels.push('规范性文件');
    if (f.spec.only2019 && fmt === '2021') otherFormatLabels.push(f.spec.label);
  }
  if (fmt === '2021' && findFrom(text, BLOCK('九'), from, end)) otherFormatLabels.push('第二十条第（九）项');
  let rowsRead = 0;
  for (let i = 0; i < found.length; i++) {
    const f = found[i];
    const paths = fmt === '2021' ? f.spec.cells2021 : f.spec.cells2019;
    const n = fmt === '2021' && f.spec.only2019 ? 2 : paths.length;
    if (n === 0) continue;
    const areaEnd = i + 1 < found.length ? found[i + 1].start : end;
    const tokens = tokenizeArea(text.slice(f.end, areaEnd));
    const c = areaEnd >= cutAt ? cutRow(tokens, n) : rowCandidates(tokens, n, undefined, [n - 1]);
    const where = `proactive.${(paths.find((p) => p) ?? f.spec.label).split('.')[0]}`;
    if (c.candidates.length === 1 && c.status !== 'ambiguous') {
      const cells = c.candidates[0];
      paths.forEach((p, j) => setProactive(table, p, cells[j]));
      if (cells.some((x) => x !== null)) rowsRead++;
      if (c.status === 'extra') {
        findings.push(info('table.extra-values', `表二“${f.spec.label}”一行读到多于 ${n} 个数（${tokensText(c.tokens)}），取前 ${n} 个`, where));
      }
    } else if (c.status === 'ambiguous' && c.candidates.length > 1) {
      ambiguities.push({
        row: where,
        label: `表二“${f.spec.label}”`,
        printed: tokensText(c.tokens),
        paths: paths.map((p) => (p ? `proactive.${p}` : '')),
        readings: c.candidates,
      });
    } else if (c.status === 'ambiguous') {
      const shown = c.candidates.slice(0, 4).map(cellsText).join(' / ');
      findings.push(
        info(
          'table.ambiguous-split',
          `表二“${f.spec.label}”一行数字连写为“${tokensText(c.tokens)}”，可拆分为 ${c.candidates.length || '多'} 种（${shown}${c.candidates.length > 4 ? ' …' : ''}），无法确定，本行未读取`,
          where,
        ),
      );
    } else if (c.status === 'unsplittable' || c.status === 'short') {
      findings.push(info('table.cells-missing', `表二“${f.spec.label}”一行读到“${tokensText(c.tokens)}”，应为 ${n} 个数，本行未读取`, where));
    }
  }
  const present = found.length > 0 || !!blockAt;
  const complete = missing.length === 0;
  if (present && !complete) {
    findings.push(info('table.rows-missing', `表二未读到以下行：${missing.map((l) => `“${l}”`).join('、')}`, 'proactive'));
  }
  const positions: Record<string, { start: number; end: number }> = {};
  found.forEach((f, i) => {
    const paths = fmt === '2021' ? f.spec.cells2021 : f.spec.cells2019;
    const row = `proactive.${(paths.find((p) => p) ?? f.spec.label).split('.')[0]}`;
    positions[row] = { start: f.start, end: i + 1 < found.length ? found[i + 1].start : Math.min(end, f.end + 80) };
  });
  return { table, findings, present, complete, rowsRead, format, otherFormatLabels, positions, ambiguities };
}

// ---------------------------------------------------------------------------------------------
// Table 四

const REVIEWS_ANCHOR = new RegExp([...'行政复议'].join(SEP), 'g');
const REVIEW_RESULTS = new RegExp(['结果维持', '尚未审结'].map((w) => [...w].join(SEP)).join('|'), 'g');
const REVIEW_FITS = (cells: Cell[]) => sumFits([0, 1, 2, 3], 4)(cells) && sumFits([5, 6, 7, 8], 9)(cells) && sumFits([10, 11, 12, 13], 14)(cells);

/** Reads table 四 from `text[start, end)`: the one data row of 15 cells after the header. */
export function readReviewsTable(text: string, start: number, end: number, cutAt = Infinity): TableRead<ReviewsTable<Cell>> {
  const table = blankReviews();
  const findings: Finding[] = [];
  const positions: Record<string, { start: number; end: number }> = {};
  const ambiguities: Ambiguity[] = [];
  const base = { table, findings, format: null, otherFormatLabels: [] as string[], positions, ambiguities };
  // The header names 行政复议; when it is mistyped too, the result columns (结果维持 …) still mark the table.
  const anchor = findFrom(text, REVIEWS_ANCHOR, start, end) ?? findFrom(text, REVIEW_RESULTS, start, end);
  if (!anchor) return { ...base, present: false, complete: false, rowsRead: 0 };
  positions.reviews = { start: anchor.start, end: Math.min(end, anchor.start + 400) };
  const region = text.slice(anchor.end, end);
  const blockRe = /[0-9./—\-+|│\s]+/g;
  let chosen: Token[] | null = null;
  let longest: Token[] | null = null;
  for (let m = blockRe.exec(region); m; m = blockRe.exec(region)) {
    if (!/\d/.test(m[0])) continue;
    const tokens = tokenizeArea(m[0]);
    const digits = tokens.reduce((s, t) => s + (t.kind === 'num' ? t.text.replace(/\D/g, '').length : 1), 0);
    if (!longest || tokens.length > longest.length) longest = tokens;
    if (tokens.length >= 15 || digits >= 15 || tokens.length === 3) {
      chosen = tokens;
      break;
    }
  }
  const tokens = chosen ?? longest;
  if (!tokens) {
    // The header is there but no numbers follow.
    const hasHeader = /结果维持|结果纠正|尚未审结/.test(region.replace(/[\s|]+/g, ''));
    return { ...base, present: hasHeader, complete: false, rowsRead: 0 };
  }
  const c = end >= cutAt && tokens === longest && !chosen ? cutRow(tokens, 15) : rowCandidates(tokens, 15, REVIEW_FITS, [4, 9, 14]);
  if (c.candidates.length === 1 && c.status !== 'ambiguous') {
    const cells = c.candidates[0];
    REVIEW_GROUPS.forEach((g, gi) =>
      REVIEW_RESULT_COLUMNS.forEach((col, ci) => {
        table[g][col.key] = cells[gi * 5 + ci];
      }),
    );
    if (c.status === 'extra') {
      findings.push(info('table.extra-values', `表四读到多于 15 个数（${tokensText(c.tokens)}），取前 15 个`, 'reviews'));
    }
    return { ...base, present: true, complete: true, rowsRead: 1 };
  }
  if (c.status === 'ambiguous' && c.candidates.length > 1) {
    ambiguities.push({
      row: 'reviews',
      label: '表四',
      printed: tokensText(c.tokens),
      paths: REVIEW_GROUPS.flatMap((g) => REVIEW_RESULT_COLUMNS.map((col) => `reviews.${g}.${col.key}`)),
      readings: c.candidates,
    });
  } else if (c.status === 'ambiguous') {
    const shown = c.candidates.slice(0, 3).map(cellsText).join(' / ');
    findings.push(
      info(
        'table.ambiguous-split',
        `表四数字连写为“${tokensText(c.tokens)}”，${c.candidates.length ? `有 ${c.candidates.length} 种拆分都符合各组总计（${shown}${c.candidates.length > 3 ? ' …' : ''}）` : '可拆分方式过多'}，无法确定，表四未读取`,
        'reviews',
      ),
    );
  } else if (c.status === 'unsplittable') {
    findings.push(info('table.unsplittable', `表四数字连写为“${tokensText(c.tokens)}”，没有一种拆分符合各组总计，表四未读取`, 'reviews'));
  } else {
    findings.push(info('table.cells-missing', `表四只读到 ${c.tokens.length} 个数（${tokensText(c.tokens)}），应为 15 个，表四未读取`, 'reviews'));
  }
  return { ...base, present: true, complete: false, rowsRead: 0 };
}

