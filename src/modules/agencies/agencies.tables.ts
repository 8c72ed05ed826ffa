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
  /** 机关代字 (GB/T 9704 7.2.4). */
  abbr: string | null;
  /** 复议机关 recorded by the agency (overrides 行政复议法第二十四条). */
  reconsideration_body: string | null;
  /** 1: an office of one person (the same account may draft and sign off the annual report). */
  one_person_office: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface LetterNumbersTable {
  agency_id: number;
  kind: string;
  year: number;
  serial: number;
  request_id: number;
  issued_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    agencies: AgenciesTable;
    letter_numbers: LetterNumbersTable;
  }
}
