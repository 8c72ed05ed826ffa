import type { Generated } from 'kysely';

export interface SearchDocsTable {
  item_id: number;
  skey: number;
  agency_id: number;
  agency_code: string;
  agency_name: string;
  category: string;
  published_on: string;
  title: string;
  doc_number: string | null;
  summary: string;
  body: string;
  url: string;
}
export interface SearchBlocksTable {
  id: Generated<number>;
  field: number;
  gram: number;
  run: number;
  max_skey: number;
  min_skey: number;
  n: number;
  data: Uint8Array;
}
export interface SearchPendingTable {
  field: number;
  gram: number;
  skey: number;
}
export interface SearchMetaTable {
  id: number;
  gen: number;
  pending_docs: number;
}
declare module '../../db/schema.js' {
  interface Database {
    search_docs: SearchDocsTable;
    search_blocks: SearchBlocksTable;
    search_pending: SearchPendingTable;
    search_meta: SearchMetaTable;
  }
}
