import type { Generated } from 'kysely';

export interface NormativeDocumentsTable {
  id: Generated<number>;
  agency_id: number;
  kind: string; // rule | normative_document
  title: string;
  doc_number: string | null;
  issued_on: string;
  abolished_on: string | null;
  item_id: number | null;
  created_at: string;
  updated_at: string;
}
export interface EnforcementDecisionsTable {
  id: Generated<number>;
  agency_id: number;
  kind: string; // licensing | penalty | enforcement
  decided_on: string;
  count: Generated<number>;
  doc_number: string | null;
  subject: string | null;
  source: Generated<string>; // entry | imported_total
  created_at: string;
}
export interface FeeCollectionsTable {
  id: Generated<number>;
  agency_id: number;
  collected_on: string;
  amount_fen: number;
  item: string | null;
  created_at: string;
}
export interface NewMediaPostsTable {
  id: Generated<number>;
  agency_id: number;
  channel: string; // wechat | douyin | toutiao | weibo | app | video | other
  account: string | null;
  published_on: string;
  count: Generated<number>;
  title: string | null;
  item_id: number | null;
  created_at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    normative_documents: NormativeDocumentsTable;
    enforcement_decisions: EnforcementDecisionsTable;
    fee_collections: FeeCollectionsTable;
    new_media_posts: NewMediaPostsTable;
  }
}
