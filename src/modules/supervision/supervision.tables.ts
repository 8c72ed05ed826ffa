import type { Generated } from 'kysely';

/** 督办; see the migration 20261207190200_supervision. */
export interface SupervisionsTable {
  id: Generated<number>;
  office_agency_id: number;
  agency_id: number;
  year: number;
  matter: string;
  title: string;
  details: string;
  request_ids: string | null;
  report_year: number | null;
  findings: string | null;
  deadline: string;
  status: string;
  first_answered_on: string | null;
  accepted_on: string | null;
  opened_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface SupervisionStepsTable {
  id: Generated<number>;
  supervision_id: number;
  step: string;
  step_on: string;
  text: string;
  actor_id: number | null;
  created_at: string;
}
export interface SupervisionFilesTable {
  id: Generated<number>;
  supervision_id: number;
  step_id: number;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    supervisions: SupervisionsTable;
    supervision_steps: SupervisionStepsTable;
    supervision_files: SupervisionFilesTable;
  }
}
