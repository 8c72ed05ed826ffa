/**
 * After a request's action is committed, others may act on it (the applicant's notice by email). The requests
 * module does not know who listens: a listener registers here once, and runs after the transaction, off the
 * caller's path — a slow or failing listener never delays or undoes the action.
 */
import type { Ctx } from '../context.js';

export interface RequestActed {
  requestId: number;
  agencyId: number;
  /** The action: reply, request_correction, extend, notify_fee, start_consultation, … */
  type: string;
  on: string;
}

type Listener = (ctx: Ctx, e: RequestActed) => Promise<void>;
const listeners = new Set<Listener>();
const pending = new Set<Promise<void>>();

export function onRequestActed(listener: Listener): void {
  listeners.add(listener);
}

export function requestActed(ctx: Ctx, e: RequestActed): void {
  for (const l of listeners) {
    const p = l(ctx, e).catch(() => {});
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
}

/** Waits for the listeners started so far (tests; a server closing). */
export async function settleRequestListeners(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}
