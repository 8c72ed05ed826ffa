/**
 * Prose checks: figures stated in the text of the report against its tables (applications received,
 * concluded, carried forward; 行政复议 and 行政诉讼 cases; 规章 and 规范性文件 issued), stated totals against
 * the parts the same text gives, and percentages against their counts.
 */
import type { AnnualReport, Cell, Finding } from '../law/report-model.js';

const UNITS = '件|条|个|项|宗|起|篇|份|人次';

/** Prose with line breaks and spaces removed (but kept between two digits), split into sentences. */
export function sentences(prose: string): string[] {
  const compact = prose
    .replace(/(\d)\s+(?=\d)/g, '$1\u0001')
    .replace(/\s+/g, '')
    .replace(/\u0001/g, ' ');
  return compact
    .split(/(?<=[。;!?])|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

interface Num {
  value: number;
  unit: string;
  approx: boolean;
  index: number;
  end: number;
}

function numbers(s: string): Num[] {
  const re = new RegExp(`(\\d+(?:\\.\\d+)?)(余|多)?(${UNITS})`, 'g');
  const out: Num[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    // A year ("2024年") or a date is not a count; percentages are skipped by the unit list.
    out.push({ value: Number(m[1]), unit: m[3], approx: !!m[2], index: m.index, end: m.index + m[0].length });
  }
  return out;
}

function quote(s: string): string {
  return s.length > 80 ? `${s.slice(0, 78)}…` : s;
}

function num(c: Cell | undefined): number | undefined {
  return typeof c === 'number' ? c : undefined;
}

interface Stated {
  value: number;
  sentence: string;
}

function firstMatch(sents: string[], res: RegExp[]): Stated[] {
  const out: Stated[] = [];
  for (const s of sents) {
    for (const re of res) {
      re.lastIndex = 0;
      const m = re.exec(s);
      if (m) {
        out.push({ value: Number(m[1]), sentence: s });
        break;
      }
    }
  }
  return out;
}

const RECEIVED = [
  /(?:收到|受理|接收|新收|接到)了?(?:各类|各类型)?(?:政府信息公开|依申请公开政府信息|依申请公开)?申请(?:共|总计|合计)?(\d+)(?:件|个|宗|条|份)/,
  /(?:收到|受理|接收|新收|接到)了?(?:各类)?(\d+)(?:件|个|宗|条|份)(?:政府信息公开|依申请公开)?申请/,
];
const CONCLUDED = /(?:办结|答复|办理完毕|完成答复)了?(?:政府信息公开申请|申请)?(?:共)?(\d+)件/;
const FORWARD = [
  /(\d+)件(?:申请)?(?:正在办理中,?)?(?:结转|顺延|转入)(?:至|到)?下(?:一)?年度?/,
  /结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理|答复)?(?:的申请)?(\d+)件/,
];
const NONE_RECEIVED = /(?:未收到|没有收到|未接到|未受理)(?:任何)?(?:政府信息公开|依申请公开政府信息|依申请公开)?(?:的)?申请(?!人)/;
const RECONSIDERATION = /(?:被申请|发生|收到|涉及)?(?:政府信息公开)?行政复议(?:案件|申请)?(?:共)?(\d+)(?:件|起|宗)/;
const LITIGATION = /(?:被提起|发生|涉及)?(?:政府信息公开)?行政诉讼(?:案件)?(?:共)?(\d+)(?:件|起|宗)/;
const NORMATIVE = /(?:制发|出台|印发|制定|发布)了?(?:行政)?规范性文件(?:共)?(\d+)件/;
const RULES = /(?:制发|出台|制定|公布|新增公开|发布)了?(?:省政府|市政府|政府)?规章(?:共)?(\d+)件/;

function proseVsTable(
  sents: string[],
  report: AnnualReport<Cell>,
  where: string,
): Finding[] {
  const out: Finding[] = [];
  const r = report.requests;
  const err = (rule: string, message: string): Finding => ({ severity: 'error', rule, message, where });
  const newTotal = num(r.new.total);
  const carried = num(r.carriedOver.total);
  if (newTotal !== undefined) {
    for (const st of firstMatch(sents, RECEIVED)) {
      const ok = st.value === newTotal || (carried !== undefined && st.value === newTotal + carried);
      if (!ok) {
        out.push(
          err(
            'prose.requests-received',
            `正文称收到政府信息公开申请 ${st.value} 件（“${quote(st.sentence)}”），而表三“一、本年新收政府信息公开申请数量”总计为 ${newTotal}${carried ? `（加上年结转 ${carried} 为 ${newTotal + carried}）` : ''}`,
          ),
        );
      }
    }
    for (const s of sents) {
      if (NONE_RECEIVED.test(s) && newTotal > 0 && !/法人|组织|自然人|公民/.test(s)) {
        out.push(err('prose.requests-received', `正文称未收到政府信息公开申请（“${quote(s)}”），而表三“一、本年新收政府信息公开申请数量”总计为 ${newTotal}`));
      }
    }
  }
  const concluded = num(r.concludedTotal.total);
  if (concluded !== undefined) {
    for (const s of sents) {
      if (!RECEIVED.some((re) => re.test(s))) continue;
      const m = CONCLUDED.exec(s);
      if (m && Number(m[1]) !== concluded) {
        out.push(err('prose.requests-concluded', `正文称办结（答复）${m[1]} 件（“${quote(s)}”），而表三“（七）总计”为 ${concluded}`));
      }
    }
  }
  const forward = num(r.carriedForward.total);
  if (forward !== undefined) {
    for (const st of firstMatch(sents, FORWARD)) {
      if (st.value !== forward) {
        out.push(err('prose.requests-carried-forward', `正文称结转下年度 ${st.value} 件（“${quote(st.sentence)}”），而表三“四、结转下年度继续办理”总计为 ${forward}`));
      }
    }
  }
  const rec = num(report.reviews.reconsideration.total);
  if (rec !== undefined) {
    for (const st of firstMatch(sents, [RECONSIDERATION])) {
      if (st.value !== rec) out.push(err('prose.reviews', `正文称行政复议 ${st.value} 件（“${quote(st.sentence)}”），而表四“行政复议 总计”为 ${rec}`));
    }
  }
  const lit1 = num(report.reviews.litigationDirect.total);
  const lit2 = num(report.reviews.litigationAfterReconsideration.total);
  if (lit1 !== undefined && lit2 !== undefined) {
    for (const st of firstMatch(sents, [LITIGATION])) {
      if (st.value !== lit1 + lit2) {
        out.push(
          err('prose.reviews', `正文称行政诉讼 ${st.value} 件（“${quote(st.sentence)}”），而表四行政诉讼总计为 ${lit1} + ${lit2} = ${lit1 + lit2}`),
        );
      }
    }
  }
  if (report.format === '2021') {
    const nd = num(report.proactive.normativeDocuments.issued);
    if (nd !== undefined) {
      for (const st of firstMatch(sents, [NORMATIVE])) {
        if (st.value !== nd) out.push(err('prose.proactive', `正文称制发规范性文件 ${st.value} 件（“${quote(st.sentence)}”），而表二“行政规范性文件 本年制发件数”为 ${nd}`));
      }
    }
    const ru = num(report.proactive.rules.issued);
    if (ru !== undefined) {
      for (const st of firstMatch(sents, [RULES])) {
        if (st.value !== ru) out.push(err('prose.proactive', `正文称制发规章 ${st.value} 件（“${quote(st.sentence)}”），而表二“规章 本年制发件数”为 ${ru}`));
      }
    }
  }
  return out;
}

/** A stated total against the parts that the same text gives. */
function proseSums(sents: string[], where: string): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i];
    const k = s.indexOf('其中');
    if (k >= 0) {
      const ns = numbers(s);
      let before = ns.filter((n) => n.end <= k);
      let totalSentence = s;
      if (before.length === 0 && k <= 2 && i > 0) {
        before = numbers(sents[i - 1]);
        totalSentence = sents[i - 1] + s;
      }
      const total = before[before.length - 1];
      if (!total || total.approx) continue;
      // Parts: the numbers after 其中 up to the end of the clause list (stop at a nested 其中).
      const rest = s.slice(k + 2);
      const stop = rest.indexOf('其中');
      const partsText = stop >= 0 ? rest.slice(0, stop) : rest;
      const parts = numbers(partsText).filter((n) => n.unit === total.unit && !n.approx);
      if (parts.length < 2 || parts.some((p) => /%/.test(partsText.slice(p.end, p.end + 1)))) continue;
      const sum = parts.reduce((a, p) => a + p.value, 0);
      const exhaustive = /其他|其余|另有|剩余/.test(partsText);
      if (sum > total.value || (exhaustive && sum < total.value)) {
        out.push({
          severity: 'error',
          rule: 'prose.sum',
          message: `正文所述总数 ${total.value}${total.unit} ≠ 其所列各项之和 ${parts.map((p) => p.value).join(' + ')} = ${sum}${total.unit}（“${quote(totalSentence)}”）`,
          where,
        });
      }
      continue;
    }
    // A total in one sentence and its parts (two or more, nothing else) in the next one.
    if (i + 1 >= sents.length) continue;
    const ns = numbers(s).filter((n) => !n.approx);
    if (ns.length !== 1) continue;
    const total = ns[0];
    if (!/公开|发布|推送|受理|收到|办理/.test(s)) continue;
    const next = sents[i + 1];
    if (next.includes('其中')) continue;
    const all = numbers(next);
    if (all.length < 2 || all.some((n) => n.unit !== total.unit || n.approx)) continue;
    if (/\d/.test(next.replace(new RegExp(`\\d+(?:\\.\\d+)?(?:${UNITS})`, 'g'), ''))) continue;
    const sum = all.reduce((a, p) => a + p.value, 0);
    if (sum > total.value) {
      out.push({
        severity: 'error',
        rule: 'prose.sum',
        message: `正文所述总数 ${total.value}${total.unit} ≠ 随后所列各项之和 ${all.map((p) => p.value).join(' + ')} = ${sum}${total.unit}（“${quote(s)}”“${quote(next)}”）`,
        where,
      });
    }
  }
  return out;
}

/** Whether `pct` (as printed, with its decimals) is `count / base` rounded or truncated. */
export function percentMatches(count: number, base: number, pct: string): boolean {
  if (base <= 0) return false;
  const d = pct.includes('.') ? pct.split('.')[1].length : 0;
  const x = (count / base) * 100;
  const f = 10 ** d;
  const p = Number(pct);
  const eq = (a: number) => Math.abs(a - p) < 1e-9;
  return eq(Math.round(x * f) / f) || eq(Math.floor(x * f + 1e-9) / f) || eq(Math.ceil(x * f - 1e-9) / f);
}

const PERCENT = new RegExp(`(\\d+)(${UNITS})[^。;%\\d]{0,14}?占(?:比|总数的?|全部的?|申请总数的?|总量的?)?(?:约)?(\\d+(?:\\.\\d+)?)%`, 'g');

function prosePercentages(sents: string[], report: AnnualReport<Cell>, where: string): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i];
    PERCENT.lastIndex = 0;
    for (let m = PERCENT.exec(s); m; m = PERCENT.exec(s)) {
      const count = Number(m[1]);
      const unit = m[2];
      const bases = new Set<number>();
      const candidates = numbers(s).filter((n) => n.unit === unit && n.index < m!.index && !n.approx);
      for (const n of candidates) bases.add(n.value);
      if (i > 0 && candidates.length === 0) for (const n of numbers(sents[i - 1])) if (n.unit === unit && !n.approx) bases.add(n.value);
      if (unit === '件') {
        for (const c of [report.requests.new.total, report.requests.concludedTotal.total]) if (typeof c === 'number') bases.add(c);
        const n = report.requests.new.total;
        const co = report.requests.carriedOver.total;
        if (typeof n === 'number' && typeof co === 'number') bases.add(n + co);
      }
      bases.delete(count);
      if (bases.size === 0) continue;
      if ([...bases].some((b) => percentMatches(count, b, m![3]))) continue;
      const base = [...bases][0];
      out.push({
        severity: 'warning',
        rule: 'prose.percentage',
        message: `正文称 ${count}${unit} 占 ${m[3]}%，与所述数目不符（${count} ÷ ${base} = ${((count / base) * 100).toFixed(2)}%）（“${quote(s)}”）`,
        where,
      });
    }
  }
  return out;
}

/** Every prose check over the report's prose (`where` names the section, e.g. "narrative.overview"). */
export function checkProse(prose: { text: string; where: string }[], report: AnnualReport<Cell>): Finding[] {
  const out: Finding[] = [];
  for (const p of prose) {
    const sents = sentences(p.text);
    out.push(...proseVsTable(sents, report, p.where), ...proseSums(sents, p.where), ...prosePercentages(sents, report, p.where));
  }
  return out;
}
