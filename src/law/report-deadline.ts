/**
 * 条例第四十九条: when an agency's annual report for a year must be published.
 *
 * > 各级人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本部门上一年度政府信息公开工作年度报告并向社会公布。
 * > 县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告。
 *
 * A department (and, DERIVED, a township or street office, which reports to the county's oversight office like a
 * department and is not a 县级以上 government) publishes by 31 January of the next year; a government's own report is
 * due by 31 March. "前" is read as "on or before" (DERIVED; the day itself is accepted in practice).
 */

export type ReportAgencyKind = 'government' | 'department' | 'township';

export const DEADLINE_BASIS = '《中华人民共和国政府信息公开条例》第四十九条';

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
