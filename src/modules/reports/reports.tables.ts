import type { Generated } from 'kysely';

export interface ReportsTable {
  id: Generated<number>;
  agency_id: number;
  year: number;
  format: string;
  status: string;
  scope: string;
  rollup: Generated<number>;
  narrative: string;
  data: string | null;
  built_at: string | null;
  built_by: number | null;
  submitted_at: string | null;
  submitted_by: number | null;
  reviewed_at: string | null;
  reviewed_by: number | null;
  review_note: string | null;
  signed_by: number | null;
  published_on: string | null;
  published_at: string | null;
  published: string | null;
  revision: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ReportUnlocksTable {
  id: Generated<number>;
  agency_id: number;
  year: number;
  reason: string;
  unlocked_by: number | null;
  unlocked_at: string;
  relocked_at: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    reports: ReportsTable;
    report_unlocks: ReportUnlocksTable;
  }
}
