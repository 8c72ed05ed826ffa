/**
 * 条例第四十九条: when an agency's annual report for a year must be published. Verbatim
 * (../shared/spec/regulations.md §2.5):
 *
 * > 第四十九条 县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年度报告并向社会公布。
 * >
 * > 县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告。
 *
 * A department (县级以上人民政府部门) publishes by 31 January of the next year; a government's own report is due by
 * 31 March (paragraph 2). A township or street office (乡镇人民政府、街道办事处) is named by neither paragraph: the
 * statute sets it no date. Here it is given the departments' 31 January — DERIVED, not from the statute: such an
 * office's report is collected by the county's oversight office together with the departments' before the county
 * publishes its own by 31 March (the practice of county notices; UNVERIFIED as a national rule). "前" is read as
 * "on or before" (DERIVED; the day itself is accepted in practice).
 */

export type ReportAgencyKind = 'government' | 'department' | 'township';

export const DEADLINE_BASIS = '《中华人民共和国政府信息公开条例》第四十九条';

/** Where each kind's deadline comes from (Chinese, for pages). */
export const DEADLINE_SOURCE: Record<ReportAgencyKind, string> = {
  government: '《中华人民共和国政府信息公开条例》第四十九条第二款（每年3月31日前）',
  department: '《中华人民共和国政府信息公开条例》第四十九条第一款（每年1月31日前）',
  township: '条例第四十九条未规定乡镇、街道的报告时限；本系统按县级以上人民政府部门的1月31日计（参照第四十九条第一款，由县级政府信息公开工作主管部门汇总）',
};

/** The last day ('YYYY-MM-DD') to publish the report for `year`. */
export function reportDeadline(kind: ReportAgencyKind, year: number): string {
  return kind === 'government' ? `${year + 1}-03-31` : `${year + 1}-01-31`;
}

export type DeadlineState = 'published' | 'published_late' | 'due' | 'late';

/** Where a report stands against its deadline on `today` (dates 'YYYY-MM-DD'). */
export function deadlineState(kind: ReportAgencyKind, year: number, publishedOn: string | null, today: string): DeadlineState {
  const due = reportDeadline(kind, year);
  if (publishedOn) return publishedOn <= due ? 'published' : 'published_late';
  return today > due ? 'late' : 'due';
}

/** The report year whose deadline falls in `today`'s calendar year (the report "due this year"). */
export function currentReportYear(today: string): number {
  return Number(today.slice(0, 4)) - 1;
}
