export interface JobsTable {
  id: string;
  kind: string;
  owner_id: number | null;
  owner_name: string | null;
  state: string;
  done: number;
  total: number;
  current: string | null;
  data: string;
  result: string | null;
  error: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  subject: string | null;
  href: string | null;
  agency_id: number | null;
  retry_limit: number;
  worker: string | null;
  heartbeat_at: string | null;
}
export interface JobFilesTable {
  job_id: string;
  seq: number;
  role: string;
  name: string;
  data: Buffer;
}
declare module '../../db/schema.js' {
  interface Database {
    jobs: JobsTable;
    job_files: JobFilesTable;
  }
}
