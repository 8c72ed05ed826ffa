/**
 * The agency directory, published for joins. Every record of the platform hangs from an agency and every list
 * shows the agency's code and name beside its rows, so other modules' repositories may join `agencies` (id,
 * code, name, path, parent_id, kind) read-only. Nothing else of this module is theirs to read, and every write
 * goes through agencies.service.
 */
import './agencies.tables.js';
export type { AgenciesTable } from './agencies.tables.js';
