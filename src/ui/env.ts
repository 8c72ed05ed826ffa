import type { Actor } from '../modules/context.js';

/** What every page needs from the request, as plain data. */
export interface PageEnv {
  site: { name: string; organiser: string; icp: string; siteCode: string };
  path: string;
  largeText: boolean;
  actor: Actor | null;
  csrfToken: string;
  /** A one-line notice after a redirect (?notice=…). */
  notice?: string;
  /** Unread reminders and notices of the signed-in account (office header). */
  unread?: number;
  /** The page was read from a replica whose data lags the primary by at most this many seconds. */
  replicaLagSeconds?: number;
}
