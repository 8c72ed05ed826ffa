import type { Generated } from 'kysely';

export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  path: string;
  depth: number;
  org_code: string | null;
  office_name: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
  office_hours: string | null;
  website: string | null;
  created_at: string;
  updated_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    agencies: AgenciesTable;
  }
}
