/** The tables the reviews module owns (行政复议 and 行政诉讼 cases). */
import type { Generated } from 'kysely';

/**
 * 行政复议 / 行政诉讼 (table 四): kind reconsideration | litigation_direct | litigation_after_reconsideration;
 * result upheld (维持) | corrected (纠正) | other | pending (尚未审结); filed_on 受理（立案）日期;
 * concluded_on 审结日期 (NULL iff pending). request_id links the request it concerns (nullable).
 */
export interface ReviewCasesTable {
  id: Generated<number>;
  agency_id: number;
  request_id: number | null;
  kind: string;
  case_no: string | null;
  body: string | null;
  filed_on: string;
  result: string;
  concluded_on: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../db/schema.js' {
  interface Database {
    review_cases: ReviewCasesTable;
  }
}
