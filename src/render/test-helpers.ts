/** Shared expectations for the renderer tests: every label the format prints, table by table. */
import { APPLICANT_KIND_LABELS } from '../law/outcomes.js';
import type { FormatVersion } from '../law/report-model.js';
import {
  REQUESTS_CORNER_NOTE,
  REQUESTS_HEADER,
  RESULTS_LABEL,
  REVIEWS_HEADER,
  REVIEW_RESULT_COLUMNS,
  SECTION_TITLES,
  outcomeGroups,
  proactiveBlocks,
  requestRowLabels,
} from '../law/report-format.js';

export function proactiveLabels(format: FormatVersion): string[] {
  return proactiveBlocks(format).flatMap((b) => [b.header, ...b.columns, ...b.rows.map((r) => r.label)]);
}

export function requestsLabels(format: FormatVersion): string[] {
  return [
    REQUESTS_CORNER_NOTE,
    REQUESTS_HEADER.applicants,
    REQUESTS_HEADER.naturalPerson,
    REQUESTS_HEADER.organisations,
    REQUESTS_HEADER.total,
    ...Object.values(APPLICANT_KIND_LABELS).filter((l) => l !== REQUESTS_HEADER.naturalPerson),
    RESULTS_LABEL,
    ...outcomeGroups(format).map((g) => g.label),
    ...requestRowLabels(format).map((r) => r.label),
  ];
}

export function reviewsLabels(): string[] {
  return [
    REVIEWS_HEADER.reconsideration,
    REVIEWS_HEADER.litigation,
    REVIEWS_HEADER.litigationDirect,
    REVIEWS_HEADER.litigationAfterReconsideration,
    ...REVIEW_RESULT_COLUMNS.map((c) => c.label),
  ];
}

export function allReportLabels(format: FormatVersion): string[] {
  return [...Object.values(SECTION_TITLES), ...proactiveLabels(format), ...requestsLabels(format), ...reviewsLabels()];
}
