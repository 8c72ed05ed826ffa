/**
 * Prose checks: figures stated in the text of the report against its tables (applications received,
 * concluded, carried over and forward; 行政复议 and 行政诉讼 cases; 规章 and 规范性文件 issued and in force),
 * stated totals against the parts the same text gives (in every form reports write them: "共N条，其中…",
 * "分别为…", "…合计N条", "（含…）"), two statements of one quantity that disagree, and percentages against
 * their counts.
 *
 * The figures the prose states about table cells are also `ProseFact`s: predicates over a report, which the
 * audit uses to choose between the readings of a row whose digits ran together (src/reportcheck/readings.ts).
 *
 * Positions: when a prose part is given with its `offset` in the audited text, findings carry `places` (the
 * sentence quoted and its offset; the audit turns offsets into document offsets, lines and columns).
 */
import type { AnnualReport, Cell, Finding, FindingPlace } from '../law/report-model.js';

const UNITS = '件|条|个|项|宗|起|篇|份|人次';

/** A sentence of prose with whitespace removed (one space kept between two digits), and each character's offset. */
export interface Sentence {
  text: string;
  /** For each character of `text`, its offset in the audited text (or in the prose part when no offset is given). */
  at: number[];
  where: string;
}

/** Splits prose into sentences (at 。; ! ?), with line breaks and spaces removed but kept between two digits. */
export function sentenceSpans(prose: string, where = '', base = 0): Sentence[] {
  const out: Sentence[] = [];
  let text = '';
  let at: number[] = [];
  const flush = () => {
    if (text) out.push({ text, at, where });
    text = '';
    at = [];
  };
  for (let i = 0; i < prose.length; i++) {
    const c = prose[i];
    if (/\s/.test(c)) {
      let j = i;
      while (j < prose.length && /\s/.test(prose[j])) j++;
      if (/\d/.test(text[text.length - 1] ?? '') && /\d/.test(prose[j] ?? '')) {
        text += ' ';
        at.push(base + i);
      }
      i = j - 1;
      continue;
    }
    text += c;
    at.push(base + i);
    if (/[。;!?]/.test(c)) flush();
  }
  flush();
  return out;
}

/** Prose split into sentences (the texts only). */
export function sentences(prose: string): string[] {
  return sentenceSpans(prose).map((s) => s.text);
}

interface Num {
  value: number;
  unit: string;
  approx: boolean;
  index: number;
  end: number;
}

function numbers(s: string): Num[] {
  const re = new RegExp(`(近|约|超过)?(\\d+(?:\\.\\d+)?)(余|多)?(${UNITS})`, 'g');
  const out: Num[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    // A year ("2024年") or a date is not a count; percentages are skipped by the unit list.
    const index = m.index + (m[1]?.length ?? 0);
    out.push({ value: Number(m[2]), unit: m[4], approx: !!m[1] || !!m[3], index, end: m.index + m[0].length });
  }
  return out;
}

export function quote(s: string): string {
  return s.length > 80 ? `${s.slice(0, 78)}…` : s;
}

function num(c: Cell | undefined): number | undefined {
  return typeof c === 'number' ? c : undefined;
}

/** The place of a sentence (or of `text[from, to)` within it) for a finding; line and column are set by the audit. */
export function placeOf(s: Sentence, from = 0, to = s.text.length): FindingPlace {
  return { quote: quote(s.text.slice(from, to)), offset: s.at[from] ?? s.at[0] ?? 0, line: 0, column: 0 };
}

/** A cell of the report by its path in the report JSON ("requests.new.total"). */
export function cellAt(report: AnnualReport<Cell>, path: string): Cell | undefined {
  let v: unknown = report;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    // Request row keys contain a dot ("withheld.state_secret"): try the longer key first.
    v = (v as Record<string, unknown>)[k];
  }
  return v as Cell | undefined;
}

// ---------------------------------------------------------------------------------------------
// Figures the prose states about table cells

/** A figure the prose states about cells of the tables: a predicate over a report, and the message when it fails. */
export interface ProseFact {
  rule: string;
  sentence: Sentence;
  value: number;
  /** The cells the statement is about (report JSON paths). */
  paths: string[];
  /** The table row a finding points at (for its position). */
  row: string;
  /** true: the report agrees; false: it contradicts the statement; undefined: the cells are blank. */
  test(r: AnnualReport<Cell>): boolean | undefined;
  message(r: AnnualReport<Cell>): string;
  /** What the statement says, in a few words ("正文称制发规范性文件 77 件"). */
  says: string;
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
const CARRIED_OVER = [/上(?:一)?年度?结转(?:的|而来的|至本年的?)?(?:政府信息公开)?(?:申请)?(\d+)件/];
const NONE_RECEIVED = /(?:未收到|没有收到|未接到|未受理)(?:任何)?(?:政府信息公开|依申请公开政府信息|依申请公开)?(?:的)?申请(?!人)/;
const RECONSIDERATION = /(?:被申请|发生|收到|涉及)?(?:政府信息公开)?行政复议(?:案件|申请)?(?:共)?(\d+)(?:件|起|宗)/;
const LITIGATION = /(?:被提起|发生|涉及)?(?:政府信息公开)?行政诉讼(?:案件)?(?:共)?(\d+)(?:件|起|宗)/;
const NORMATIVE = /(?:制发|出台|印发|制定|发布)(?:了|的)?(?:行政)?规范性文件(?:共)?(\d+)件/;
const NORMATIVE_IN_FORCE = [/现行有效(?:的)?(?:行政)?规范性文件(?:共)?(\d+)件/, /(?:行政)?规范性文件(?:中)?现行有效(?:的)?(?:共)?(\d+)件/];
const RULES = /(?:制发|出台|制定|公布|新增公开|发布)(?:了|的)?(?:省政府|市政府|政府)?规章(?:共)?(\d+)件/;

function matchAll(s: Sentence, res: RegExp[]): { value: number; index: number }[] {
  for (const re of res) {
    const m = re.exec(s.text);
    if (m) return [{ value: Number(m[1]), index: m.index }];
  }
  return [];
}

/** The figures the prose states about table cells. */
export function proseFacts(sents: Sentence[], format: '2021' | '2019'): ProseFact[] {
  const out: ProseFact[] = [];
  const q = (s: Sentence) => `（“${quote(s.text)}”）`;
  for (const s of sents) {
    for (const { value } of matchAll(s, RECEIVED)) {
      out.push({
        rule: 'prose.requests-received',
        sentence: s,
        value,
        paths: ['requests.new.total', 'requests.carriedOver.total'],
        row: 'requests.new',
        says: `正文称收到申请 ${value} 件`,
        test: (r) => {
          const n = num(r.requests.new.total);
          if (n === undefined) return undefined;
          const c = num(r.requests.carriedOver.total);
          return value === n || (c !== undefined && value === n + c);
        },
        message: (r) => {
          const n = num(r.requests.new.total) ?? 0;
          const c = num(r.requests.carriedOver.total);
          return `正文称收到政府信息公开申请 ${value} 件${q(s)}，而表三“一、本年新收政府信息公开申请数量”总计为 ${n}${c ? `（加上年结转 ${c} 为 ${n + c}）` : ''}`;
        },
      });
    }
    if (NONE_RECEIVED.test(s.text) && !/法人|组织|自然人|公民/.test(s.text)) {
      out.push({
        rule: 'prose.requests-received',
        sentence: s,
        value: 0,
        paths: ['requests.new.total'],
        row: 'requests.new',
        says: '正文称未收到申请',
        test: (r) => {
          const n = num(r.requests.new.total);
          return n === undefined ? undefined : n === 0;
        },
        message: (r) => `正文称未收到政府信息公开申请${q(s)}，而表三“一、本年新收政府信息公开申请数量”总计为 ${num(r.requests.new.total)}`,
      });
    }
    if (RECEIVED.some((re) => re.test(s.text))) {
      const m = CONCLUDED.exec(s.text);
      if (m) {
        const value = Number(m[1]);
        out.push({
          rule: 'prose.requests-concluded',
          sentence: s,
          value,
          paths: ['requests.concludedTotal.total'],
          row: 'requests.concludedTotal',
          says: `正文称办结 ${value} 件`,
          test: (r) => {
            const c = num(r.requests.concludedTotal.total);
            return c === undefined ? undefined : c === value;
          },
          message: (r) => `正文称办结（答复）${value} 件${q(s)}，而表三“（七）总计”为 ${num(r.requests.concludedTotal.total)}`,
        });
      }
    }
    const simple = (rule: string, res: RegExp[], path: string, row: string, what: string, cell: string) => {
      for (const { value } of matchAll(s, res)) {
        out.push({
          rule,
          sentence: s,
          value,
          paths: [path],
          row,
          says: `正文称${what} ${value} 件`,
          test: (r) => {
            const c = num(cellAt(r, path));
            return c === undefined ? undefined : c === value;
          },
          message: (r) => `正文称${what} ${value} 件${q(s)}，而${cell}为 ${num(cellAt(r, path))}`,
        });
      }
    };
    simple('prose.requests-carried-forward', FORWARD, 'requests.carriedForward.total', 'requests.carriedForward', '结转下年度', '表三“四、结转下年度继续办理”总计');
    simple('prose.requests-carried-over', CARRIED_OVER, 'requests.carriedOver.total', 'requests.carriedOver', '上年结转', '表三“二、上年结转政府信息公开申请数量”总计');
    simple('prose.reviews', [RECONSIDERATION], 'reviews.reconsideration.total', 'reviews', '行政复议', '表四“行政复议 总计”');
    for (const { value } of matchAll(s, [LITIGATION])) {
      out.push({
        rule: 'prose.reviews',
        sentence: s,
        value,
        paths: ['reviews.litigationDirect.total', 'reviews.litigationAfterReconsideration.total'],
        row: 'reviews',
        says: `正文称行政诉讼 ${value} 件`,
        test: (r) => {
          const a = num(r.reviews.litigationDirect.total);
          const b = num(r.reviews.litigationAfterReconsideration.total);
          return a === undefined || b === undefined ? undefined : a + b === value;
        },
        message: (r) => {
          const a = num(r.reviews.litigationDirect.total) ?? 0;
          const b = num(r.reviews.litigationAfterReconsideration.total) ?? 0;
          return `正文称行政诉讼 ${value} 件${q(s)}，而表四行政诉讼总计为 ${a} + ${b} = ${a + b}`;
        },
      });
    }
    if (format === '2021') {
      simple('prose.proactive', [NORMATIVE], 'proactive.normativeDocuments.issued', 'proactive.normativeDocuments', '制发规范性文件', '表二“行政规范性文件 本年制发件数”');
      simple('prose.proactive', NORMATIVE_IN_FORCE, 'proactive.normativeDocuments.inForce', 'proactive.normativeDocuments', '现行有效规范性文件', '表二“行政规范性文件 现行有效件数”');
      simple('prose.proactive', [RULES], 'proactive.rules.issued', 'proactive.rules', '制发规章', '表二“规章 本年制发件数”');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sums stated in the prose

function sumFinding(severity: 'error' | 'warning', message: string, s: Sentence[], where: string, withPlaces: boolean): Finding {
  const f: Finding = { severity, rule: severity === 'error' ? 'prose.sum' : 'prose.sum-incomplete', message, where };
  if (withPlaces) f.places = s.map((x) => placeOf(x));
  return f;
}

const partsList = (parts: Num[]) => parts.map((p) => p.value).join(' + ');

/** A stated total against the parts that the same text gives, in the forms reports write them. */
function proseSums(sents: Sentence[], where: string, withPlaces: boolean): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < sents.length; i++) {
    const sent = sents[i];
    const s = sent.text;
    // "共N条，其中A a条，B b条" and "N条（含A a条、B b条）".
    const k = (() => {
      const a = s.indexOf('其中');
      const b = s.search(/[(（]含/);
      return a >= 0 ? { at: a, len: 2, form: '其中' } : b >= 0 ? { at: b, len: 2, form: '含' } : null;
    })();
    if (k) {
      const ns = numbers(s);
      let before = ns.filter((n) => n.end <= k.at);
      let totalSents = [sent];
      if (before.length === 0 && k.at <= 2 && i > 0) {
        before = numbers(sents[i - 1].text);
        totalSents = [sents[i - 1], sent];
      }
      const total = before[before.length - 1];
      if (!total || total.approx) continue;
      // Parts: the numbers after 其中 up to the end of the list (a nested 其中, or the closing bracket of 含).
      let rest = s.slice(k.at + k.len);
      // A 含 list is one clause ("（含A a条、B b条）"); a 其中 list runs to the sentence end.
      const stop = k.form === '含' ? rest.search(/[)）,，;；]/) : rest.indexOf('其中');
      if (stop >= 0) rest = rest.slice(0, stop);
      const parts = numbers(rest).filter((n) => n.unit === total.unit);
      if (parts.length < 2 || parts.some((p) => p.approx || /%/.test(rest.slice(p.end, p.end + 1)))) continue;
      const sum = parts.reduce((a, p) => a + p.value, 0);
      const exhaustive = k.form === '其中' && /其他|其余|另有|剩余|分别为/.test(rest);
      const quoted = totalSents.map((x) => quote(x.text)).join('');
      if (sum > total.value || (exhaustive && sum < total.value)) {
        out.push(
          sumFinding('error', `正文所述总数 ${total.value}${total.unit} ≠ 其所列各项之和 ${partsList(parts)} = ${sum}${total.unit}（“${quoted}”）`, totalSents, where, withPlaces),
        );
      } else if (sum < total.value) {
        out.push(
          sumFinding(
            'warning',
            `正文所述总数 ${total.value}${total.unit}，“${k.form}”后所列各项之和 ${partsList(parts)} = ${sum}${total.unit}，少 ${total.value - sum}${total.unit}，未说明其余（“${quoted}”）`,
            totalSents,
            where,
            withPlaces,
          ),
        );
      }
      continue;
    }
    // "共N件，分别为A a件、B b件" and "A、B分别为a件、b件，共N件": the parts are the whole.
    const fb = s.indexOf('分别');
    if (fb >= 0) {
      const ns = numbers(s).filter((n) => !n.approx);
      const after = ns.filter((n) => n.index > fb);
      const before = ns.filter((n) => n.end <= fb);
      const stated = /(?:共|合计|总计|共计|累计)(?:[^\d，,。;]{0,12})?(\d+)/.exec(s);
      const totalNum = stated ? ns.find((n) => n.index === stated.index + stated[0].length - stated[1].length) : before.length === 1 ? before[0] : undefined;
      if (totalNum && after.length >= 2) {
        const parts = after.filter((n) => n !== totalNum && n.unit === totalNum.unit);
        if (parts.length >= 2 && parts.length === after.filter((n) => n !== totalNum).length) {
          const sum = parts.reduce((a, p) => a + p.value, 0);
          if (sum !== totalNum.value) {
            out.push(sumFinding('error', `正文所述总数 ${totalNum.value}${totalNum.unit} ≠ “分别为”所列各项之和 ${partsList(parts)} = ${sum}${totalNum.unit}（“${quote(s)}”）`, [sent], where, withPlaces));
          }
        }
      }
      continue;
    }
    // "A a条，B b条，合计N条": the parts before 合计 in the same sentence.
    const tm = /(?:合计|总计|共计)(?:为|达)?(\d+(?:\.\d+)?)(件|条|个|项|宗|起|篇|份|人次)/.exec(s);
    if (tm && tm.index > 0) {
      const parts = numbers(s.slice(0, tm.index)).filter((n) => n.unit === tm[2]);
      const all = numbers(s.slice(0, tm.index));
      if (parts.length >= 2 && parts.length === all.length && !parts.some((p) => p.approx)) {
        const sum = parts.reduce((a, p) => a + p.value, 0);
        const total = Number(tm[1]);
        if (sum !== total) {
          out.push(sumFinding('error', `正文所述合计 ${total}${tm[2]} ≠ 其前所列各项之和 ${partsList(parts)} = ${sum}${tm[2]}（“${quote(s)}”）`, [sent], where, withPlaces));
        }
      }
      continue;
    }
    // A total in one sentence and its parts (two or more, nothing else) in the next one.
    if (i + 1 >= sents.length) continue;
    const ns = numbers(s).filter((n) => !n.approx);
    if (ns.length !== 1) continue;
    const total = ns[0];
    if (!/公开|发布|推送|受理|收到|办理/.test(s)) continue;
    const next = sents[i + 1].text;
    if (next.includes('其中')) continue;
    const all = numbers(next);
    if (all.length < 2 || all.some((n) => n.unit !== total.unit || n.approx)) continue;
    if (/\d/.test(next.replace(new RegExp(`\\d+(?:\\.\\d+)?(?:${UNITS})`, 'g'), ''))) continue;
    const sum = all.reduce((a, p) => a + p.value, 0);
    if (sum > total.value) {
      out.push(
        sumFinding(
          'error',
          `正文所述总数 ${total.value}${total.unit} ≠ 随后所列各项之和 ${partsList(all)} = ${sum}${total.unit}（“${quote(s)}”“${quote(next)}”）`,
          [sent, sents[i + 1]],
          where,
          withPlaces,
        ),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Two statements of one quantity

/** A statement of how many items a channel published: channel, what, unit and the number. */
export interface QuantityStatement {
  channel: string;
  what: string;
  unit: string;
  value: number;
  sentence: Sentence;
  /** Where the number is in the sentence. */
  index: number;
  end: number;
}

const CHANNEL = /(?:栏目|专栏|网站|公众号|微博|平台|客户端|抖音号?|头条号?|视频号|公开栏|新媒体)$/;
const CHANNEL_PART = /.+?(?:栏目|专栏|网站|公众号|微博|平台|客户端|抖音号?|头条号?|视频号|公开栏|新媒体)/g;
const PUBLISH = /(发布|公开|更新|推送|发表|刊发|刊登|上传|编发|转载|发出)/;
/** Sentences about a part of the year, a change or a running total are not the year's figure. */
const NOT_THE_YEAR = /上半年|下半年|季度|\d{1,2}月|截至|截止|累计|以来|月均|日均|平均|每月|每周|每日|每天|同比|较上年|比上年|增长|减少|增加|下降|提升|提高/;
const LEADING = /^(?:其中|另外|另|同时|此外|并|并且|全年|本年度|本年|年内|今年|\d{4}年度?|共|共计|通过|在|依托|利用|于|借助|由|我局|我区|我县|我市|我委|我办|本机关|本局|本单位|各单位)+/;

/** The statements "审计信息栏目发布信息20条" in a sentence (clause by clause). */
export function quantityStatements(sents: Sentence[], year: number): QuantityStatement[] {
  const out: QuantityStatement[] = [];
  for (const s of sents) {
    if (NOT_THE_YEAR.test(s.text)) continue;
    const years = s.text.match(/\d{4}(?=年)/g) ?? [];
    if (year > 0 && years.some((y) => Number(y) !== year)) continue;
    const clauseRe = /[^，,；;：:。!?（）()]+/g;
    for (let c = clauseRe.exec(s.text); c; c = clauseRe.exec(s.text)) {
      const clause = c[0];
      const v = PUBLISH.exec(clause);
      if (!v) continue;
      const m = new RegExp(`^(.*?)(?:共|共计|合计|总计)?(\\d+)(${UNITS})`).exec(clause.slice(v.index + v[0].length));
      if (!m || /余|多|近|约|超过/.test(clause)) continue;
      const channel = clause
        .slice(0, v.index)
        .replace(LEADING, '')
        .replace(/(?:上|中|内|共|累计|合计|全年|主动|等|及时|已|先后|陆续)+$/, '');
      if (!CHANNEL.test(channel) || channel.length < 3) continue;
      // The channel is the last one named ("门户网站审计信息栏目" → "审计信息栏目").
      const named = channel.match(CHANNEL_PART) ?? [channel];
      let last = named[named.length - 1];
      if (last.length < 4 && named.length > 1) last = named[named.length - 2] + last; // "政务新媒体平台", not "平台"
      if (last.length < 3) continue;
      const what = m[1].replace(/了|各类|各项|政府信息|信息|等|共计|共|合计|总计/g, '');
      if (/\d/.test(what)) continue;
      const index = c.index + v.index + v[0].length + m[0].length - m[2].length - m[3].length;
      out.push({ channel: last, what, unit: m[3], value: Number(m[2]), sentence: s, index, end: index + m[2].length + m[3].length });
    }
  }
  return out;
}

/**
 * Two statements of one quantity (the same channel, what and unit, for the whole year) that disagree; and a
 * part stated above the whole ("审计信息栏目发布审计结果公告20条" but "审计信息栏目共发布16条").
 */
function sameQuantity(all: QuantityStatement[], withPlaces: boolean): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, QuantityStatement>();
  const reported = new Set<string>();
  const places = (a: QuantityStatement, b: QuantityStatement) =>
    [a, b].map((x) => ({ ...placeOf(x.sentence, x.index, x.end), quote: quote(x.sentence.text) }));
  for (const whole of all.filter((x) => !x.what)) {
    const part = all.find((x) => x.what && x.channel === whole.channel && x.unit === whole.unit && x.value > whole.value && x.sentence !== whole.sentence);
    const key = `${whole.channel}|${whole.unit}`;
    if (!part || reported.has(key)) continue;
    reported.add(key);
    const f: Finding = {
      severity: 'error',
      rule: 'prose.same-quantity',
      message: `正文所述“${part.channel}”发布“${part.what}” ${part.value}${part.unit}（“${quote(part.sentence.text)}”），多于该栏目全部发布数 ${whole.value}${whole.unit}（“${quote(whole.sentence.text)}”）`,
      where: part.sentence.where,
    };
    if (withPlaces) f.places = places(part, whole);
    out.push(f);
  }
  for (const st of all) {
    const key = `${st.channel}|${st.what}|${st.unit}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, st);
      continue;
    }
    if (first.value === st.value || first.sentence === st.sentence || reported.has(key)) continue;
    reported.add(key);
    const f: Finding = {
      severity: 'error',
      rule: 'prose.same-quantity',
      message: `正文两处所述同一数量不一致：“${st.channel}”发布${st.what ? `“${st.what}”` : '信息'} ${first.value}${first.unit}（“${quote(first.sentence.text)}”）与 ${st.value}${st.unit}（“${quote(st.sentence.text)}”）`,
      where: first.sentence.where,
    };
    if (withPlaces) f.places = places(first, st);
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Percentages

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

function prosePercentages(sents: Sentence[], report: AnnualReport<Cell>, where: string, withPlaces: boolean): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i].text;
    PERCENT.lastIndex = 0;
    for (let m = PERCENT.exec(s); m; m = PERCENT.exec(s)) {
      const count = Number(m[1]);
      const unit = m[2];
      const bases = new Set<number>();
      const candidates = numbers(s).filter((n) => n.unit === unit && n.index < m!.index && !n.approx);
      for (const n of candidates) bases.add(n.value);
      if (i > 0 && candidates.length === 0) for (const n of numbers(sents[i - 1].text)) if (n.unit === unit && !n.approx) bases.add(n.value);
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
      const f: Finding = {
        severity: 'warning',
        rule: 'prose.percentage',
        message: `正文称 ${count}${unit} 占 ${m[3]}%，与所述数目不符（${count} ÷ ${base} = ${((count / base) * 100).toFixed(2)}%）（“${quote(s)}”）`,
        where,
      };
      if (withPlaces) f.places = [placeOf(sents[i])];
      out.push(f);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface ProsePart {
  text: string;
  /** The section: "narrative.overview" … */
  where: string;
  /** The part's offset in the audited text; when given, findings carry `places`. */
  offset?: number;
}

export interface ProseOptions {
  /** The place of a table row in the audited text ("requests.new"), for findings that set prose against a table. */
  locate?: (row: string) => FindingPlace | undefined;
}

/** The sentences of every prose part. */
export function proseSentences(prose: ProsePart[]): Sentence[] {
  return prose.flatMap((p) => sentenceSpans(p.text, p.where, p.offset ?? 0));
}

/** A failed fact as a finding, quoting the sentence and (given `locate`) pointing at the table row too. */
export function factFinding(fact: ProseFact, report: AnnualReport<Cell>, withPlaces: boolean, opts: ProseOptions = {}, note = ''): Finding {
  const f: Finding = { severity: 'error', rule: fact.rule, message: fact.message(report) + note, where: fact.sentence.where };
  if (withPlaces) {
    const row = opts.locate?.(fact.row);
    f.places = [placeOf(fact.sentence), ...(row ? [row] : [])];
  }
  return f;
}

/**
 * Every prose check over the report's prose (`where` names the section, e.g. "narrative.overview"). `skipFacts`
 * leaves out the facts that the caller judges itself (over the readings of rows that ran together).
 */
export function checkProse(prose: ProsePart[], report: AnnualReport<Cell>, opts: ProseOptions & { skipFacts?: (f: ProseFact) => boolean } = {}): Finding[] {
  const out: Finding[] = [];
  const withPlaces = prose.some((p) => p.offset !== undefined);
  const all: Sentence[] = [];
  for (const p of prose) {
    const sents = sentenceSpans(p.text, p.where, p.offset ?? 0);
    all.push(...sents);
    for (const fact of proseFacts(sents, report.format)) {
      if (opts.skipFacts?.(fact)) continue;
      if (fact.test(report) === false) out.push(factFinding(fact, report, withPlaces, opts));
    }
    out.push(...proseSums(sents, p.where, withPlaces), ...prosePercentages(sents, report, p.where, withPlaces));
  }
  out.push(...sameQuantity(quantityStatements(all, report.year), withPlaces));
  return out;
}
