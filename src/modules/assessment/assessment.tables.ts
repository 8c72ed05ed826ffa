/** 考核 weights per oversight office and year. */
export interface AssessmentWeightsTable {
  office_agency_id: number;
  year: number;
  weights: string;
  updated_by: number | null;
  updated_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    assessment_weights: AssessmentWeightsTable;
  }
}
