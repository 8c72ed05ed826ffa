/**
 * The portal's content version: a counter in this process that every change which can alter a public page
 * bumps. The web shell's rendered-page cache (src/web/plugins/page-cache.ts) keeps a page only while the
 * version it was rendered under is current, so a publication, withdrawal, import, report publication,
 * guide or agency edit is visible on the next request.
 *
 * Who bumps it: appendAudit (every audited change, in its transaction, except those that no public page
 * shows: requests, accounts, review cases), and the web shell after every successful staff write
 * (after the commit, which closes the window in which a reader could re-cache the old page). Other
 * processes (the CLI, a second server) are seen through the audit chain head, which the web shell polls;
 * a short time-to-live bounds anything else.
 */

let version = 0;

/** Entities whose changes never appear on a public page (the public sees no request, account or case). */
const PRIVATE_ENTITIES = new Set(['request', 'user', 'session', 'token', 'review_case']);

/** A change that may alter public pages: every cached page is stale from now on. */
export function contentChanged(): void {
  version++;
}

/** An audited change of `entity`: bumps the version unless no public page shows that entity. */
export function entityChanged(entity: string): void {
  if (!PRIVATE_ENTITIES.has(entity)) version++;
}

/** The current version (monotonic within the process). */
export function contentVersion(): number {
  return version;
}
