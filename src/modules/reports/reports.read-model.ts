/**
 * What the reports module publishes for others to read: the published reports that cover an agency's year and
 * the open unlocks (the year lock, src/modules/year-lock, reads them inside the writer's transaction).
 */
export { openUnlock, publishedCovering } from './reports.repository.js';
export type { UnlockRow } from './reports.repository.js';
