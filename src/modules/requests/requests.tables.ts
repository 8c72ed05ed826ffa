import type { Generated } from 'kysely';

/**
 * 依申请公开 records. What the columns mean for the annual report (table 三 / 四), which reads them by SQL:
 *
 * - kind: 'disclosure' (政府信息公开申请, counted in table 三) or 'record_correction' (更正申请, 条例第41条 —
 *   NOT a disclosure request: table 三 must filter `kind = 'disclosure'`).
 * - received_on: 收到申请之日 (第31条) — a request counts as `new` in this year.
 * - applicant_kind: the table-三 column (contract APPLICANT_KIND).
 * - status: open | correction_pending (补正 sent, the clock stopped) | paused (consultation or fee) | replied |
 *   reopened (re-handled after a 纠正 review result, see below). Anything but 'replied' is open.
 * - outcome / replied_on: the contract OUTCOME key and the day of the reply; the request counts under that
 *   outcome in the year of replied_on. For kind 'record_correction' the outcome is one of 'record.corrected',
 *   'record.rejected', 'record.transferred' (not table-三 rows).
 * - due_on: the last day of the reply limit after every event; NULL while awaiting 补正 or when
 *   calendar_flag is set (a needed year's holiday notice is not loaded: never guessed).
 *
 * 纠正-reopened requests (requests.reopen.ts): a 'reopen' event starts a new handling period and status becomes
 * 'reopened'. The first reply moves to first_outcome / first_replied_on, reopened_on is the day of the reopening,
 * and outcome / replied_on are NULL until the re-handling's own reply. The annual report counts two handlings
 * (requests.read-model.ts): the first (received_on → first_replied_on) as it was counted, so a year whose report
 * is published is not rewritten; the re-handling (reopened_on → replied_on) in the years it happens. The event
 * history keeps every reply.
 */
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
  /** Set when a 纠正 reopened the request: its first reply (see above). */
  first_outcome: string | null;
  first_replied_on: string | null;
  /** The day a 纠正 reopened the request: the re-handling starts (and counts as new) then. */
  reopened_on: string | null;
  reply_text: string | null;
  fee_method: string | null;
  fee_pages: number | null;
  fee_yuan: Generated<number>;
  fee_paid_on: string | null;
  /** 件数 after a 一事一申请 split (国办函〔2020〕109号第四条); 1 when not split. 按件 fees count these. */
  split_items: Generated<number>;
  handler_id: number | null;
  duplicate_of: number | null;
  transferred_to: string | null;
  idempotency_key: string | null;
  /** The duplicate check's keys (requests.service duplicateKeys): normalised subject, description (≥ 6 chars). */
  subject_key: string | null;
  description_key: string | null;
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

/** A file released with the reply (uploaded by the handler; the applicant downloads it through the private access). */
export interface RequestFilesTable {
  id: Generated<number>;
  request_id: number;
  file_name: string;
  stored_name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_by: number | null;
  created_at: string;
}

/** A public online filing's origin (a keyed hash of the client address), for the per-applicant daily limit. */
export interface OnlineFilingsTable {
  request_id: number;
  origin: string;
  applicant_key: string;
  received_on: string;
}

declare module '../../db/schema.js' {
  interface Database {
    online_filings: OnlineFilingsTable;
    request_files: RequestFilesTable;
    requests: RequestsTable;
    request_events: RequestEventsTable;
  }
}
