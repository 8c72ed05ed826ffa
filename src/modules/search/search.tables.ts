export interface SearchDocsTable {
  /**
   * The document's id: the item's id for an item (kind 'item'); negative for the other kinds (search.service.ts
   * docIdOf: a report's sections, an agency's guide), so that both share one id space and one FTS5 rowid space.
   */
  item_id: number;
  /** 'item' (a published item, with its attachments' text), 'report' (a section of a published annual report), 'guide' (an agency's 公开指南). */
  kind: string;
  /** JSON [{name, text}]: the item's attachments' text (indexed in the text column; snippets show it with the file's name). */
  files: string | null;
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
