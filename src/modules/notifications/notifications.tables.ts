import type { Generated } from 'kysely';

/** See the migration 20261207190000_notifications for what each table is for. */
export interface NotificationContactsTable {
  user_id: number;
  email: string | null;
  phone: string | null;
  updated_at: string;
}
export interface NotificationSettingsTable {
  agency_id: number;
  /** '5,2': working days before a limit at which the handler is told. */
  lead_days: string;
  office_after: number;
  updated_at: string;
}
/**
 * kind: due_in | due_today | overdue | escalate_approver | escalate_office | digest_handler | digest_agency |
 * applicant_notice | supervision_* (督办). user_id NULL: the applicant (mail only, no office list).
 */
export interface NotificationsTable {
  id: Generated<number>;
  dedupe_key: string;
  kind: string;
  agency_id: number;
  request_id: number | null;
  user_id: number | null;
  sent_on: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}
/** status: pending | sent | failed (given up after MAX_ATTEMPTS). */
export interface NotificationDeliveriesTable {
  id: Generated<number>;
  notification_id: number;
  channel: string;
  address: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    notification_contacts: NotificationContactsTable;
    notification_settings: NotificationSettingsTable;
    notifications: NotificationsTable;
    notification_deliveries: NotificationDeliveriesTable;
  }
}
