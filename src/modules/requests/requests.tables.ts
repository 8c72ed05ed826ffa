import type { Generated } from 'kysely';

export interface RequestsTable {
  id: Generated<number>;
  agency_id: number;
  tracking_no: string;
  access_key_hash: string | null;
  kind: string;
  channel: string;
  received_on: string;
  submitted_at: string;
  applicant_kind: string;
  applicant_name: string;
  applicant_id_type: string | null;
  applicant_id_number: string | null;
  applicant_org_code: string | null;
  applicant_contact: string | null;
  applicant_phone: string | null;
  applicant_email: string | null;
  applicant_address: string | null;
  applicant_postcode: string | null;
  applicant_key: string | null;
  subject: string;
  description: string;
  doc_number: string | null;
  form_wanted: string | null;
  delivery: string | null;
  status: string;
  due_on: string | null;
  calendar_flag: string | null;
  outcome: string | null;
  replied_on: string | null;
  reply_text: string | null;
  fee_method: string | null;
  fee_pages: number | null;
  fee_yuan: Generated<number>;
  fee_paid_on: string | null;
  handler_id: number | null;
  duplicate_of: number | null;
  transferred_to: string | null;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface RequestEventsTable {
  id: Generated<number>;
  request_id: number;
  type: string;
  event_on: string;
  data: string;
  actor_id: number | null;
  created_at: string;
}

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

export interface CalendarYearsTable {
  year: number;
  notice: string | null;
  data: string;
  loaded_at: string;
}

declare module '../../db/schema.js' {
  interface Database {
    requests: RequestsTable;
    request_events: RequestEventsTable;
    review_cases: ReviewCasesTable;
    calendar_years: CalendarYearsTable;
  }
}
