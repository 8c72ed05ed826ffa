import type { Generated } from 'kysely';

export interface ItemCategoriesTable {
  id: Generated<number>;
  agency_id: number;
  name: string;
  kind: string; // statutory | column
  statute_ref: string | null;
  position: Generated<number>;
  created_at: string;
}

export interface ItemsTable {
  id: Generated<number>;
  agency_id: number;
  index_no: string;
  index_year: number | null;
  index_serial: number | null;
  title: string;
  summary: Generated<string>;
  /** Sanitised HTML; the plain text is derived from it when read (content.ts htmlToText). */
  body_html: Generated<string>;
  category_id: number;
  generated_on: string | null;
  published_on: string | null;
  due_on: string | null;
  late: number | null;
  doc_number: string | null;
  publisher: string | null;
  subject_category: string | null;
  genre: string | null;
  disclosure_mode: Generated<string>;
  validity: Generated<string>;
  status: string; // draft | in_review | approved | published | withdrawn
  interprets_item_id: number | null;
  withdrawn_reason: string | null;
  source: Generated<string>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** Raised by every write (conditional updates of the workflow; migration 20261207120000). */
  version: Generated<number>;
}

export interface ItemScreeningsTable {
  id: Generated<number>;
  item_id: number;
  content_hash: string;
  hit_count: number;
  hits: string;
  run_by: number | null;
  run_at: string;
  override_reason: string | null;
  override_by: number | null;
  override_at: string | null;
}

export interface ItemStepsTable {
  id: Generated<number>;
  item_id: number;
  step: string;
  outcome: string | null;
  opinion: string | null;
  content_hash: string | null;
  actor_id: number | null;
  actor_name: string;
  at: string;
}

export interface ItemAttachmentsTable {
  id: Generated<number>;
  item_id: number;
  file_name: string;
  stored_name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_by: number | null;
  created_at: string;
  /** The file's text (PDF, DOCX, XLSX, TXT, CSV), read when it was uploaded, for the search; null when it has none or could not be read. */
  text: string | null;
}

export interface ScreeningWordsTable {
  id: Generated<number>;
  agency_id: number | null;
  word: string;
  suggestion: string | null;
  kind: string;
  note: string | null;
  created_at: string;
}

declare module '../../db/schema.js' {
  interface Database {
    item_categories: ItemCategoriesTable;
    items: ItemsTable;
    item_screenings: ItemScreeningsTable;
    item_steps: ItemStepsTable;
    item_attachments: ItemAttachmentsTable;
    screening_words: ScreeningWordsTable;
  }
}
