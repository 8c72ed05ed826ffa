/**
 * Consistent random annual reports (seeded) rendered to simple text layouts, for the audit's tests and
 * benchmark: every row total, （七）总计, the 勾稽关系 and table 四 group totals hold, and the prose states the
 * figures of table 三.
 */
import { mulberry32 } from '../seeded-random.js';
import { emptyRequestRow } from '../law/report-model.js';
import type { AnnualReport, FormatVersion, RequestRow, ReviewResult } from '../law/report-model.js';
import { APPLICANT_KINDS, OUTCOME_KEYS, REQUEST_ROW_KEYS } from '../law/report-model.js';
import {
  PROACTIVE_BLOCKS_2021,
  REQUESTS_CORNER_NOTE,
  RESULTS_LABEL,
  REVIEW_RESULT_COLUMNS,
  ROW_CARRIED_FORWARD,
  ROW_CARRIED_OVER,
  ROW_CONCLUDED_TOTAL,
  ROW_NEW,
  SECTION_TITLES,
  outcomeGroups,
} from '../law/report-format.js';

/** The synthetic reports are deterministic by seed. */
export const prng = (seed: number): (() => number) => mulberry32(seed >>> 0 || 1);

export function syntheticReport(seed: number, opts: { year?: number; format?: FormatVersion; name?: string } = {}): AnnualReport {
  const rand = prng(seed);
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const format = opts.format ?? '2021';
  const outcomeKeys = format === '2021' ? [...OUTCOME_KEYS] : OUTCOME_KEYS.filter((k) => !k.startsWith('other.') || k === 'other.other');
  const requests = Object.fromEntries(REQUEST_ROW_KEYS.map((k) => [k, emptyRequestRow()])) as AnnualReport['requests'];
  const scale = rand() < 0.3 ? 200 : rand() < 0.5 ? 30 : 6;
  for (const kind of APPLICANT_KINDS) {
    const weight = kind === 'natural_person' ? 1 : rand() < 0.5 ? 0 : 0.2;
    for (const key of outcomeKeys) requests[key][kind] = rand() < 0.4 ? int(Math.round(scale * weight)) : 0;
    const concluded = outcomeKeys.reduce((s, k) => s + requests[k][kind], 0);
    const carriedOver = int(Math.round(3 * weight));
    const forward = int(Math.round(4 * weight));
    requests.concludedTotal[kind] = concluded;
    requests.carriedOver[kind] = carriedOver;
    requests.carriedForward[kind] = forward;
    // 一 + 二 = （七） + 四; keep 一 ≥ 0.
    requests.new[kind] = Math.max(0, concluded + forward - carriedOver);
    if (requests.new[kind] === 0) requests.carriedOver[kind] = concluded + forward;
  }
  for (const key of REQUEST_ROW_KEYS) requests[key].total = APPLICANT_KINDS.reduce((s, k) => s + requests[key][k], 0);
  const result = (): ReviewResult => {
    const r = { upheld: int(3), corrected: int(2), other: int(2), pending: int(1), total: 0 };
    r.total = r.upheld + r.corrected + r.other + r.pending;
    return r;
  };
  const issued = int(12);
  return {
    agency: { code: `A${seed}`, name: opts.name ?? '某市某区人民政府' },
    year: opts.year ?? (format === '2021' ? 2024 : 2020),
    format,
    proactive: {
      rules: { issued: 0, abolished: 0, inForce: 0 },
      normativeDocuments: { issued, abolished: int(5), inForce: issued + int(60) },
      licensing: { decisions: int(5000) },
      penalties: { decisions: int(900) },
      enforcement: { decisions: int(50) },
      fees: { amount10kYuan: int(100) },
    },
    requests,
    reviews: { reconsideration: result(), litigationDirect: result(), litigationAfterReconsideration: result() },
    narrative: {},
    findings: [],
  };
}

export type TextLayout = 'pipes' | 'spaces' | 'tabs' | 'lines' | 'paragraphs' | 'runtogether';

/** Renders the report as a plain-text publication in one of the layouts seen in published reports. */
export function renderSyntheticText(report: AnnualReport, layout: TextLayout = 'pipes'): string {
  const rows: string[][] = [];
  const p = report.proactive;
  if (report.format === '2021') {
    for (const block of PROACTIVE_BLOCKS_2021) {
      rows.push([block.header]);
      rows.push(block.columns);
      for (const r of block.rows) {
        rows.push([r.label, ...r.cells.map((path) => {
          const [a, b] = path.split('.');
          return String((p as unknown as Record<string, Record<string, number>>)[a][b]);
        })]);
      }
    }
  } else {
    rows.push(['第二十条第（一）项'], ['信息内容', '本年新制作数量', '本年新公开数量', '对外公开总数量']);
    rows.push(['规章', String(p.rules.issued), String(p.rules.issued), String(p.rules.inForce)]);
    rows.push(['规范性文件', String(p.normativeDocuments.issued), String(p.normativeDocuments.issued), String(p.normativeDocuments.inForce)]);
    rows.push(['第二十条第（五）项'], ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量']);
    rows.push(['行政许可', '10', '0', String(p.licensing.decisions)], ['其他对外管理服务事项', '3', '0', '0']);
    rows.push(['第二十条第（六）项'], ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量']);
    rows.push(['行政处罚', '20', '1', String(p.penalties.decisions)], ['行政强制', '4', '0', String(p.enforcement.decisions)]);
    rows.push(['第二十条第（八）项'], ['信息内容', '上一年项目数量', '本年增/减'], ['行政事业性收费', '2', '0']);
    rows.push(['第二十条第（九）项'], ['信息内容', '采购项目数量', '采购总金额'], ['政府集中采购', '0', '0']);
  }
  const t2 = rows.splice(0);
  const r = report.requests;
  const cells = (row: RequestRow) => [...APPLICANT_KINDS.map((k) => String(row[k])), String(row.total)];
  const t3: string[][] = [
    [REQUESTS_CORNER_NOTE, '申请人情况'],
    ['自然人', '法人或其他组织', '总计'],
    ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
    [ROW_NEW, ...cells(r.new)],
    [ROW_CARRIED_OVER, ...cells(r.carriedOver)],
  ];
  let first = true;
  for (const g of outcomeGroups(report.format)) {
    g.items.forEach((it, i) => {
      const lead = [...(first ? [RESULTS_LABEL] : []), ...(!g.single && i === 0 ? [g.label] : [])];
      first = false;
      t3.push([...lead, it.label, ...cells(r[it.key])]);
    });
  }
  t3.push([ROW_CONCLUDED_TOTAL, ...cells(r.concludedTotal)], [ROW_CARRIED_FORWARD, ...cells(r.carriedForward)]);
  const v = report.reviews;
  const t4: string[][] = [
    ['行政复议', '行政诉讼'],
    ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '复议后起诉'],
    [...REVIEW_RESULT_COLUMNS.map((c) => c.label), ...REVIEW_RESULT_COLUMNS.map((c) => c.label)],
    (['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const).flatMap((g) =>
      REVIEW_RESULT_COLUMNS.map((c) => String(v[g][c.key])),
    ),
  ];
  const table = (t: string[][]): string => {
    switch (layout) {
      case 'pipes':
        return t.map((row) => `| ${row.join(' | ')} |`).join('\n');
      case 'spaces':
        return t.map((row) => row.join('  ')).join('\n');
      case 'tabs':
        return t.map((row) => row.join('\t')).join('\n');
      case 'lines':
        return t.map((row) => row.join('\n')).join('\n');
      case 'paragraphs':
        return t.map((row) => row.join('\n\n')).join('\n\n');
      case 'runtogether':
        return t.map((row) => row.join('')).join('');
    }
  };
  const total = r.new.total + r.carriedOver.total;
  const out = [
    `${report.agency.name}${report.year}年政府信息公开工作年度报告`,
    '',
    SECTION_TITLES.overview,
    `${report.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。`,
    `（二）依申请公开情况。本年度共收到政府信息公开申请${r.new.total}件，办结${r.concludedTotal.total}件，${r.carriedForward.total}件结转下年度继续办理。` +
      (total > 0 ? `其中予以公开${r.disclosed.total}件，占${((r.disclosed.total / r.concludedTotal.total || 0) * 100).toFixed(1)}%。` : ''),
    `被申请行政复议${v.reconsideration.total}件。`,
    SECTION_TITLES.proactive,
    table(t2),
    SECTION_TITLES.requests,
    table(t3),
    SECTION_TITLES.reviews,
    table(t4),
    SECTION_TITLES.problems,
    '政策解读形式还不够丰富。下一步将持续改进。',
    SECTION_TITLES.other,
    '本年度未收取信息处理费。',
    '',
  ];
  return out.join('\n');
}
