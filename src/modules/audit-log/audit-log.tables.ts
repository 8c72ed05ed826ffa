export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  agency_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}
declare module '../../db/schema.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_head: AuditHeadTable;
  }
}
