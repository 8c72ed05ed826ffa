/**
 * The table layouts of the annual report, labels verbatim (../shared/spec/annual-report-format.md).
 * 2021: 国办公开办函〔2021〕30号 《中华人民共和国政府信息公开工作年度报告格式》.
 * 2019: 国办公开办函〔2019〕60号 《…年度报告格式（试行）》, for the 2019 and 2020 reports.
 *
 * Renderers lay tables out from these structures (row and column spans included); the report audit
 * matches printed labels against them.
 */
import type { ApplicantKind, FormatVersion, OutcomeKey, RequestRowKey } from './report-model.js';
import { APPLICANT_KINDS } from './report-model.js';

/** The report format a year's report is filed in (DERIVED: 2019 and 2020 reports in the trial format). */
export function formatForYear(year: number): FormatVersion {
  return year >= 2021 ? '2021' : '2019';
}

export const REPORT_TITLE_SUFFIX = '政府信息公开工作年度报告';

export const SECTION_TITLES = {
  overview: '一、总体情况',
  proactive: '二、主动公开政府信息情况',
  requests: '三、收到和处理政府信息公开申请情况',
  reviews: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
} as const;
export type SectionKey = keyof typeof SECTION_TITLES;
export const SECTION_KEYS = Object.keys(SECTION_TITLES) as SectionKey[];

// ---------------------------------------------------------------------------------------------
// Table 二 (主动公开政府信息情况)

export interface ProactiveBlock {
  header: string; // 第二十条第（一）项
  columns: string[]; // first is 信息内容
  rows: { label: string; cells: string[] }[]; // cells: dotted paths into ProactiveTable, one per numeric column
}

export const PROACTIVE_BLOCKS_2021: ProactiveBlock[] = [
  {
    header: '第二十条第（一）项',
    columns: ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    rows: [
      { label: '规章', cells: ['rules.issued', 'rules.abolished', 'rules.inForce'] },
      {
        label: '行政规范性文件',
        cells: ['normativeDocuments.issued', 'normativeDocuments.abolished', 'normativeDocuments.inForce'],
      },
    ],
  },
  {
    header: '第二十条第（五）项',
    columns: ['信息内容', '本年处理决定数量'],
    rows: [{ label: '行政许可', cells: ['licensing.decisions'] }],
  },
  {
    header: '第二十条第（六）项',
    columns: ['信息内容', '本年处理决定数量'],
    rows: [
      { label: '行政处罚', cells: ['penalties.decisions'] },
      { label: '行政强制', cells: ['enforcement.decisions'] },
    ],
  },
  {
    header: '第二十条第（八）项',
    columns: ['信息内容', '本年收费金额（单位：万元）'],
    rows: [{ label: '行政事业性收费', cells: ['fees.amount10kYuan'] }],
  },
];

/** The 2019 trial format's table 二. Cells that the 2021 model does not carry are `null` paths. */
export const PROACTIVE_BLOCKS_2019: ProactiveBlock[] = [
  {
    header: '第二十条第（一）项',
    columns: ['信息内容', '本年新制作数量', '本年新公开数量', '对外公开总数量'],
    rows: [
      { label: '规章', cells: ['rules.issued', '', 'rules.inForce'] },
      { label: '规范性文件', cells: ['normativeDocuments.issued', '', 'normativeDocuments.inForce'] },
    ],
  },
  {
    header: '第二十条第（五）项',
    columns: ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
    rows: [
      { label: '行政许可', cells: ['', '', 'licensing.decisions'] },
      { label: '其他对外管理服务事项', cells: ['', '', ''] },
    ],
  },
  {
    header: '第二十条第（六）项',
    columns: ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
    rows: [
      { label: '行政处罚', cells: ['', '', 'penalties.decisions'] },
      { label: '行政强制', cells: ['', '', 'enforcement.decisions'] },
    ],
  },
  {
    header: '第二十条第（八）项',
    columns: ['信息内容', '上一年项目数量', '本年增/减'],
    rows: [{ label: '行政事业性收费', cells: ['', ''] }],
  },
  {
    header: '第二十条第（九）项',
    columns: ['信息内容', '采购项目数量', '采购总金额'],
    rows: [{ label: '政府集中采购', cells: ['', ''] }],
  },
];

export function proactiveBlocks(format: FormatVersion): ProactiveBlock[] {
  return format === '2021' ? PROACTIVE_BLOCKS_2021 : PROACTIVE_BLOCKS_2019;
}

// ---------------------------------------------------------------------------------------------
// Table 三 (收到和处理政府信息公开申请情况)

export const REQUESTS_CORNER_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
export const REQUESTS_HEADER = {
  applicants: '申请人情况',
  naturalPerson: '自然人',
  organisations: '法人或其他组织',
  total: '总计',
} as const;


/** The 7 numeric columns of table 三 in printed order. */
export const REQUEST_COLUMNS: readonly (ApplicantKind | 'total')[] = [...APPLICANT_KINDS, 'total'];

export interface OutcomeGroup {
  label: string; // （三）不予公开
  items: { key: OutcomeKey; label: string }[]; // a group with one item and no sub-label is a single row
  single?: boolean; // （一）（二）（七）: the label spans two columns, no item column
}

export const RESULTS_LABEL = '三、本年度办理结果';
export const ROW_NEW = '一、本年新收政府信息公开申请数量';
export const ROW_CARRIED_OVER = '二、上年结转政府信息公开申请数量';
export const ROW_CONCLUDED_TOTAL = '（七）总计';
export const ROW_CARRIED_FORWARD = '四、结转下年度继续办理';

export const OUTCOME_GROUPS_2021: OutcomeGroup[] = [
  { label: '（一）予以公开', single: true, items: [{ key: 'disclosed', label: '（一）予以公开' }] },
  {
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    single: true,
    items: [{ key: 'partially_disclosed', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' }],
  },
  {
    label: '（三）不予公开',
    items: [
      { key: 'withheld.state_secret', label: '1.属于国家秘密' },
      { key: 'withheld.prohibited_by_law', label: '2.其他法律行政法规禁止公开' },
      { key: 'withheld.security_stability', label: '3.危及“三安全一稳定”' },
      { key: 'withheld.third_party_rights', label: '4.保护第三方合法权益' },
      { key: 'withheld.internal_affairs', label: '5.属于三类内部事务信息' },
      { key: 'withheld.process_information', label: '6.属于四类过程性信息' },
      { key: 'withheld.enforcement_file', label: '7.属于行政执法案卷' },
      { key: 'withheld.administrative_inquiry', label: '8.属于行政查询事项' },
    ],
  },
  {
    label: '（四）无法提供',
    items: [
      { key: 'unavailable.not_held', label: '1.本机关不掌握相关政府信息' },
      { key: 'unavailable.needs_creation', label: '2.没有现成信息需要另行制作' },
      { key: 'unavailable.still_unclear', label: '3.补正后申请内容仍不明确' },
    ],
  },
  {
    label: '（五）不予处理',
    items: [
      { key: 'not_processed.petition_complaint', label: '1.信访举报投诉类申请' },
      { key: 'not_processed.duplicate', label: '2.重复申请' },
      { key: 'not_processed.publication', label: '3.要求提供公开出版物' },
      { key: 'not_processed.excessive', label: '4.无正当理由大量反复申请' },
      { key: 'not_processed.confirm_or_reissue', label: '5.要求行政机关确认或重新出具已获取信息' },
    ],
  },
  {
    label: '（六）其他处理',
    items: [
      {
        key: 'other.correction_overdue',
        label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      },
      {
        key: 'other.fee_overdue',
        label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      },
      { key: 'other.other', label: '3.其他' },
    ],
  },
];

/** 2019: （六）其他处理 is a single row; the model carries it in `other.other`. */
export const OUTCOME_GROUPS_2019: OutcomeGroup[] = [
  ...OUTCOME_GROUPS_2021.slice(0, 5),
  { label: '（六）其他处理', single: true, items: [{ key: 'other.other', label: '（六）其他处理' }] },
];

export function outcomeGroups(format: FormatVersion): OutcomeGroup[] {
  return format === '2021' ? OUTCOME_GROUPS_2021 : OUTCOME_GROUPS_2019;
}

/** Number of rows that 三、本年度办理结果 spans: 22 in 2021, 20 in 2019. */
export function resultsRowSpan(format: FormatVersion): number {
  return outcomeGroups(format).reduce((n, g) => n + g.items.length, 0) + 1;
}

/** The rows of table 三 in printed order with their printed label (leaf label). */
export function requestRowLabels(format: FormatVersion): { key: RequestRowKey; label: string }[] {
  const rows: { key: RequestRowKey; label: string }[] = [
    { key: 'new', label: ROW_NEW },
    { key: 'carriedOver', label: ROW_CARRIED_OVER },
  ];
  for (const g of outcomeGroups(format)) for (const it of g.items) rows.push({ key: it.key, label: it.label });
  rows.push({ key: 'concludedTotal', label: ROW_CONCLUDED_TOTAL });
  rows.push({ key: 'carriedForward', label: ROW_CARRIED_FORWARD });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Table 四 (政府信息公开行政复议、行政诉讼情况); the same in 2019 and 2021.

export const REVIEWS_HEADER = {
  reconsideration: '行政复议',
  litigation: '行政诉讼',
  litigationDirect: '未经复议直接起诉',
  litigationAfterReconsideration: '复议后起诉',
} as const;

export const REVIEW_RESULT_COLUMNS = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
] as const;

export const REVIEW_GROUPS = ['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const;
