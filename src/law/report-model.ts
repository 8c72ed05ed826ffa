/**
 * The annual report as data (政府信息公开工作年度报告, 条例第50条; format 国办公开办函〔2021〕30号 and the
 * 2019 trial format 国办公开办函〔2019〕60号). The shape follows ../shared/spec/contract.md ("Report JSON"),
 * so that the report capability (which computes it from records), the renderers and the report audit
 * (which reads it back from published files) share one model.
 *
 * A cell is a number; in a report read from a published file a cell left blank is `null` and a cell
 * printed as "/" (not applicable) is `"n/a"`.
 */

export type FormatVersion = '2021' | '2019';

export type Cell = number | null | 'n/a';

export const APPLICANT_KINDS = [
  'natural_person',
  'commercial_enterprise',
  'research_institution',
  'social_welfare_org',
  'legal_service_org',
  'other_org',
] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

/** The 21 leaf rows of table 三、本年度办理结果 (contract OUTCOME keys), in table order. */
export const OUTCOME_KEYS = [
  'disclosed',
  'partially_disclosed',
  'withheld.state_secret',
  'withheld.prohibited_by_law',
  'withheld.security_stability',
  'withheld.third_party_rights',
  'withheld.internal_affairs',
  'withheld.process_information',
  'withheld.enforcement_file',
  'withheld.administrative_inquiry',
  'unavailable.not_held',
  'unavailable.needs_creation',
  'unavailable.still_unclear',
  'not_processed.petition_complaint',
  'not_processed.duplicate',
  'not_processed.publication',
  'not_processed.excessive',
  'not_processed.confirm_or_reissue',
  'other.correction_overdue',
  'other.fee_overdue',
  'other.other',
] as const;
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];

/** Rows of table 三 in the report JSON: new, carriedOver, each outcome, concludedTotal, carriedForward. */
export const REQUEST_ROW_KEYS = ['new', 'carriedOver', ...OUTCOME_KEYS, 'concludedTotal', 'carriedForward'] as const;
export type RequestRowKey = (typeof REQUEST_ROW_KEYS)[number];

/** One row of table 三: the six applicant columns and 总计. */
export type RequestRow<C = number> = Record<ApplicantKind, C> & { total: C };

/** Table 三. A 2019-format report has a single （六）其他处理 row: it is carried in `other.other`. */
export type RequestsTable<C = number> = Record<RequestRowKey, RequestRow<C>>;

export interface ReviewResult<C = number> {
  upheld: C;
  corrected: C;
  other: C;
  pending: C;
  total: C;
}

/** Table 四. */
export interface ReviewsTable<C = number> {
  reconsideration: ReviewResult<C>;
  litigationDirect: ReviewResult<C>;
  litigationAfterReconsideration: ReviewResult<C>;
}

export interface IssuedAbolishedInForce<C = number> {
  issued: C;
  abolished: C;
  inForce: C;
}

/** Table 二 (2021 format). */
export interface ProactiveTable<C = number> {
  rules: IssuedAbolishedInForce<C>;
  normativeDocuments: IssuedAbolishedInForce<C>;
  licensing: { decisions: C };
  penalties: { decisions: C };
  enforcement: { decisions: C };
  fees: { amount10kYuan: C };
}

/** The six sections' prose, keyed by section. */
export interface Narrative {
  overview?: string; // 一、总体情况
  proactive?: string; // 二、主动公开政府信息情况 (prose before the table, if any)
  requests?: string; // 三、收到和处理政府信息公开申请情况 (prose, if any)
  reviews?: string; // 四、政府信息公开行政复议、行政诉讼情况 (prose, if any)
  problems?: string; // 五、存在的主要问题及改进情况
  other?: string; // 六、其他需要报告的事项
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  rule: string;
  message: string;
  where: string;
  /**
   * The places in the published text that the message quotes (a report audit's finding): the words quoted,
   * their offset in characters from the start of the document's text (as read: for PDF, DOCX and HTML the
   * extracted text), and line and column counted from 1.
   */
  places?: FindingPlace[];
}

export interface FindingPlace {
  quote: string;
  offset: number;
  line: number;
  column: number;
}

export interface AnnualReport<C = number> {
  agency: { code: string; name: string };
  year: number;
  format: FormatVersion;
  proactive: ProactiveTable<C>;
  requests: RequestsTable<C>;
  reviews: ReviewsTable<C>;
  narrative: Narrative;
  findings: Finding[];
}

/** The contract's Report JSON (../shared/spec/contract.md): exactly the model's fields, in the contract's order. */
export function reportContractJson<C>(report: AnnualReport<C>): AnnualReport<C> {
  return {
    agency: report.agency,
    year: report.year,
    format: report.format,
    proactive: report.proactive,
    requests: report.requests,
    reviews: report.reviews,
    narrative: report.narrative,
    findings: report.findings,
  };
}

/** A row of table 三 with every cell 0. */
export function emptyRequestRow(): RequestRow {
  return { natural_person: 0, commercial_enterprise: 0, research_institution: 0, social_welfare_org: 0, legal_service_org: 0, other_org: 0, total: 0 };
}

/** A result group of table 四 with every cell 0. */
export function emptyReviewResult(): ReviewResult {
  return { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
}
