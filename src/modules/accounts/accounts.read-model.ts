/**
 * The staff directory, published for joins: other modules' repositories may join `users` (id, display_name)
 * read-only, to name who did what beside their own rows (a request's handler, an event's actor). Passwords,
 * sessions, tokens and roles stay this module's; the use cases that need them are in accounts.service.
 */
import './accounts.tables.js';
export type { UsersTable } from './accounts.tables.js';
