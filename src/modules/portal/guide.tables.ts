export interface AgencyGuidesTable {
  agency_id: number;
  classification: string | null;
  arrangement: string | null;
  access: string | null;
  other: string | null;
  institutions: string | null;
  updated_at: string;
  updated_by: string;
}
declare module '../../db/schema.js' {
  interface Database {
    agency_guides: AgencyGuidesTable;
  }
}
