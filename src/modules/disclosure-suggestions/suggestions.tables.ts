import type { Generated } from 'kysely';

/** A proactive item drafted from requests (条例第四十四条): one row per (item, request). */
export interface RequestConversionsTable {
  id: Generated<number>;
  agency_id: number;
  item_id: number;
  request_id: number;
  created_by: number | null;
  created_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    request_conversions: RequestConversionsTable;
  }
}
