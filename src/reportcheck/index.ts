/** The report audit: reading published annual reports and checking them (`gongkai check`). */
export type { AuditedReport, AuditResult, AuditOptions } from './audit.js';
export { auditBuffer, auditFile, auditText, checkReportFiles, formatAuditText } from './audit.js';
export type { ReadDocument, SourceKind } from './readers.js';
export { readReport, htmlToText, readDocx, readPdf } from './readers.js';
