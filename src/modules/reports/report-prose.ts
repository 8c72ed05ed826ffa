/**
 * The prose of sections 一、五、六: the draft that states the facts the records hold (so that prose and tables
 * start out agreeing), and the checks that flag a figure in the prose that contradicts the tables or the
 * records (items published on the portal, new-media posts, the 信息处理费 collected). Pure functions.
 *
 * The table checks over the prose (applications received, concluded, carried forward; 复议/诉讼; 规范性文件;
 * stated totals against their parts; percentages) are the report audit's (src/reportcheck/prose.ts), so that
 * a report we publish passes the same audit that we run on other agencies' reports.
 */
import type { AnnualReport, Finding, Narrative } from '../../law/report-model.js';
import { OUTCOME_FAMILIES, OUTCOME_FAMILY_SHORT_LABELS, outcomesOf, type OutcomeFamily } from '../../law/outcomes.js';
import { checkProse } from '../../reportcheck/prose.js';

export const NEW_MEDIA_CHANNEL_LABELS: Record<string, string> = {
  wechat: '微信公众号',
  douyin: '抖音',
  toutiao: '今日头条',
  weibo: '微博',
  app: '政务客户端',
  video: '视频号',
  other: '其他新媒体',
};

/** What the records say beyond the three tables (for the prose). */
export interface ReportFacts {
  itemsPublished: number;
  newMedia: { channel: string; n: number }[];
  newMediaTotal: number;
  processingFeeYuan: number;
  processingFeeRequests: number;
}

/** Marks the parts of a draft that staff must write before publication. */
export const PLACEHOLDER = '【待填写】';

export function familyCounts(report: AnnualReport): Record<OutcomeFamily, number> {
  const out = {} as Record<OutcomeFamily, number>;
  for (const f of OUTCOME_FAMILIES) out[f] = outcomesOf(f).reduce((s, o) => s + report.requests[o.key].total, 0);
  return out;
}

function channelList(facts: ReportFacts): string {
  return facts.newMedia
    .filter((c) => c.n > 0)
    .map((c) => `${NEW_MEDIA_CHANNEL_LABELS[c.channel] ?? c.channel}${c.n}条`)
    .join('、');
}

/** 一、总体情况: the facts of the records, in the usual order of the section. */
export function draftOverview(report: AnnualReport, facts: ReportFacts, units = 1): string {
  // A roll-up speaks of the sums of every unit it adds up, never as one agency ("本机关").
  const rollup = units > 1;
  const name = rollup ? `${report.agency.name}及所属${units - 1}个单位` : report.agency.name;
  const we = rollup ? '汇总范围内各机关' : '本机关';
  const y = report.year;
  const r = report.requests;
  const paras: string[] = [];
  paras.push(
    `${y}年，${name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，依法依规做好主动公开、依申请公开、政府信息管理、平台建设和监督保障等各项工作。`,
  );
  paras.push('（一）主动公开情况');
  const total = facts.itemsPublished + facts.newMediaTotal;
  if (total === 0) paras.push(`${y}年，${we}未通过门户网站和政务新媒体主动公开政府信息。`);
  else {
    const parts = [`通过门户网站主动公开政府信息${facts.itemsPublished}条`];
    if (facts.newMediaTotal > 0) parts.push(`通过政务新媒体发布信息${facts.newMediaTotal}条`);
    paras.push(`${y}年，全年主动公开政府信息共${total}条，其中${parts.join('，')}。`);
    const ch = channelList(facts);
    if (facts.newMediaTotal > 0 && ch) paras.push(`政务新媒体发布的信息按账号分：${ch}。`);
  }
  const p = report.proactive;
  if (p.normativeDocuments.issued > 0 || p.normativeDocuments.abolished > 0)
    paras.push(
      `本年制发行政规范性文件${p.normativeDocuments.issued}件，废止${p.normativeDocuments.abolished}件，现行有效${p.normativeDocuments.inForce}件。`,
    );
  paras.push('（二）依申请公开情况');
  if (r.new.total === 0 && r.carriedOver.total === 0) paras.push(`${y}年，${we}未收到政府信息公开申请。`);
  else {
    const fam = familyCounts(report);
    const parts = OUTCOME_FAMILIES.filter((f) => fam[f] > 0).map((f) => `${OUTCOME_FAMILY_SHORT_LABELS[f]}${fam[f]}件`);
    // One sentence: the audit's heuristics read a lone count followed by a list as a total and its parts.
    let s = `${y}年，${we}新收政府信息公开申请${r.new.total}件，上年结转${r.carriedOver.total}件，年末结转下年度继续办理${r.carriedForward.total}件；本年办结${r.concludedTotal.total}件`;
    s += parts.length ? `，其中${parts.join('，')}。` : '。';
    paras.push(s);
  }
  const rv = report.reviews;
  const lit = rv.litigationDirect.total + rv.litigationAfterReconsideration.total;
  paras.push(
    rv.reconsideration.total + lit === 0
      ? `本年度未发生政府信息公开行政复议、行政诉讼案件。`
      : `本年度政府信息公开行政复议案件${rv.reconsideration.total}件，行政诉讼案件${lit}件。`,
  );
  paras.push('（三）政府信息管理');
  paras.push('严格执行政府信息公开发布审核和保密审查制度，规范政府信息的制作、审核、发布和更新流程，动态调整政府信息公开目录。');
  paras.push('（四）政府信息公开平台建设');
  paras.push(`发挥政府门户网站政府信息公开第一平台作用${facts.newMediaTotal > 0 ? '，统筹政务新媒体协同发布' : ''}，及时准确发布政府信息。`);
  paras.push('（五）监督保障');
  paras.push('将政府信息公开工作纳入年度工作要点，明确责任分工，加强工作人员业务培训，自觉接受社会监督。');
  return paras.join('\n');
}

/** 五、存在的主要问题及改进情况: staff write it; the draft asks for it. */
export function draftProblems(report: AnnualReport, units = 1): string {
  const we = units > 1 ? '汇总范围内各机关' : '本机关';
  return `${report.year}年，${we}政府信息公开工作仍存在一些不足：${PLACEHOLDER}\n下一步，${we}将：${PLACEHOLDER}`;
}

/** 六、其他需要报告的事项: the 信息处理费 collected, or that none was. */
export function draftOther(report: AnnualReport, facts: ReportFacts, units = 1): string {
  const we = units > 1 ? '汇总范围内各机关' : '本机关';
  const fee =
    facts.processingFeeYuan > 0
      ? `依据《政府信息公开信息处理费管理办法》，${report.year}年${we}共收取信息处理费${fmtYuan(facts.processingFeeYuan)}元。`
      : `依据《政府信息公开信息处理费管理办法》，${report.year}年${we}未收取信息处理费。`;
  return fee;
}

function fmtYuan(y: number): string {
  return Number.isInteger(y) ? String(y) : y.toFixed(2);
}

/** The draft prose of 一、五、六 from the facts; `units` > 1 for a roll-up (the sums of that many agencies). */
export function draftNarrative(report: AnnualReport, facts: ReportFacts, units = 1): Narrative {
  return { overview: draftOverview(report, facts, units), problems: draftProblems(report, units), other: draftOther(report, facts, units) };
}

// ---------------------------------------------------------------------------------------------
// Checks of the prose against the records.

const SECTION_WHERE: Record<keyof Narrative, string> = {
  overview: 'narrative.overview',
  proactive: 'narrative.proactive',
  requests: 'narrative.requests',
  reviews: 'narrative.reviews',
  problems: 'narrative.problems',
  other: 'narrative.other',
};

function compact(text: string): string {
  return text.replace(/(\d)\s+(?=\d)/g, '$1\u0001').replace(/\s+/g, '').replace(/\u0001/g, '');
}

function quote(s: string): string {
  return s.length > 60 ? `${s.slice(0, 58)}…` : s;
}

const PORTAL = /门户网站|政府网站|网站/;
const NEW_MEDIA = /新媒体|微信|公众号|抖音|微博|头条|视频号|客户端/;
const PUBLISH_VERB = /公开|发布|推送|发送/;

/** Figures about items published and new-media posts, clause by clause, against the records. */
function proactiveFigures(text: string, facts: ReportFacts, where: string): Finding[] {
  const out: Finding[] = [];
  for (const clause of compact(text).split(/[，,；;。！？\n（）()]/)) {
    const all = clause.match(/\d+(?:余|多)?条/g) ?? [];
    const m = /(\d+)(余|多)?条/.exec(clause);
    // One figure per clause: a list of per-account figures ("微信公众号 3 条、抖音 5 条") is not a total.
    if (!m || m[2] || all.length !== 1 || !PUBLISH_VERB.test(clause)) continue;
    const stated = Number(m[1]);
    const portal = PORTAL.test(clause);
    const media = NEW_MEDIA.test(clause);
    if (portal && !media) {
      if (stated !== facts.itemsPublished)
        out.push({
          severity: 'error',
          rule: 'prose.items-published',
          message: `正文称门户网站公开信息 ${stated} 条（“${quote(clause)}”），而记录中本年在门户网站发布的信息为 ${facts.itemsPublished} 条`,
          where,
        });
    } else if (media && !portal) {
      if (stated !== facts.newMediaTotal)
        out.push({
          severity: 'error',
          rule: 'prose.new-media',
          message: `正文称新媒体发布信息 ${stated} 条（“${quote(clause)}”），而记录中本年新媒体发布信息为 ${facts.newMediaTotal} 条`,
          where,
        });
    } else if (!portal && !media && /主动公开/.test(clause)) {
      const total = facts.itemsPublished + facts.newMediaTotal;
      if (stated !== total)
        out.push({
          severity: 'error',
          rule: 'prose.proactive-total',
          message: `正文称主动公开信息 ${stated} 条（“${quote(clause)}”），而记录中门户网站 ${facts.itemsPublished} 条 + 新媒体 ${facts.newMediaTotal} 条 = ${total} 条`,
          where,
        });
    }
  }
  return out;
}

const NO_FEE = /(?:未|没有|不)(?:收取|产生|发生)[^。]*?信息处理费|无[^。]{0,6}信息处理费|信息处理费[^。\d]{0,6}(?:为零|0元)/;

/** 信息处理费 stated in the prose against the fees paid on the year's requests. */
function feeFigures(text: string, facts: ReportFacts, where: string): Finding[] {
  const out: Finding[] = [];
  for (const raw of compact(text).split(/[。\n]/)) {
    // 《政府信息公开信息处理费管理办法》 names the rules, not a fee.
    const s = raw.replace(/《[^》]*》/g, '《》');
    if (!s.includes('信息处理费')) continue;
    let stated: number | undefined;
    if (NO_FEE.test(s)) stated = 0;
    else {
      const m = /信息处理费[^。]*?(\d+(?:\.\d+)?)(万)?元|(\d+(?:\.\d+)?)(万)?元[^。]*?信息处理费/.exec(s);
      if (m) stated = Number(m[1] ?? m[3]) * ((m[2] ?? m[4]) ? 10000 : 1);
    }
    if (stated === undefined) continue;
    if (Math.abs(stated - facts.processingFeeYuan) > 0.005)
      out.push({
        severity: 'error',
        rule: 'prose.processing-fee',
        message: `正文称信息处理费 ${stated === 0 ? '未收取' : `${fmtYuan(stated)} 元`}（“${quote(s)}”），而记录中本年收取信息处理费 ${fmtYuan(facts.processingFeeYuan)} 元`,
        where,
      });
  }
  return out;
}

/** Every check of the narrative: placeholders left, figures against the tables and against the records. */
export function checkNarrative(report: AnnualReport, facts: ReportFacts | undefined): Finding[] {
  const out: Finding[] = [];
  const prose: { text: string; where: string }[] = [];
  for (const key of Object.keys(SECTION_WHERE) as (keyof Narrative)[]) {
    const text = report.narrative[key];
    if (!text) continue;
    prose.push({ text, where: SECTION_WHERE[key] });
    if (text.includes(PLACEHOLDER))
      out.push({ severity: 'error', rule: 'narrative.incomplete', message: `正文仍有“${PLACEHOLDER}”的内容，请填写后再发布`, where: SECTION_WHERE[key] });
    if (facts) out.push(...proactiveFigures(text, facts, SECTION_WHERE[key]), ...feeFigures(text, facts, SECTION_WHERE[key]));
  }
  for (const key of ['overview', 'problems', 'other'] as const) {
    if (!report.narrative[key]?.trim())
      out.push({ severity: 'error', rule: 'narrative.missing', message: `正文缺少“${SECTION_LABELS[key]}”`, where: SECTION_WHERE[key] });
  }
  out.push(...checkProse(prose, report));
  return out;
}

const SECTION_LABELS = { overview: '一、总体情况', problems: '五、存在的主要问题及改进情况', other: '六、其他需要报告的事项' } as const;
