export interface SearchDocsTable {
  item_id: number;
  /** 发布日期 then id (kept from the first index; not used for ordering any more). */
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
  /** The title in reference form (src/search/fold.ts): exact and title matches rank first. */
  ftitle: string;
  /** The 文号 in reference form. */
  fdoc: string;
  /** PostgreSQL: title, 文号, summary and body in reference form, which words are checked against; SQLite: ''. */
  ftext: string;
}
declare module '../../db/schema.js' {
  interface Database {
    search_docs: SearchDocsTable;
  }
}
