/** Who may see and act on a request, and what of the applicant a reader sees. */
import { sha256 } from '../../secrets.js';
import { notFound } from '../../errors.js';
import { isRowId } from '../../db/dialect.js';
import { maskEmail, maskIdNumber, maskPhone } from '../../law/screening.js';
import { assertCanRead, hasRole } from '../accounts/access.js';
import type { Actor, Ctx } from '../context.js';
import * as repo from './requests.repository.js';
import type { Applicant, RequestRow } from './requests.repository.js';

export { sha256 };

export type PublicActor = { public: string };
export type AnyActor = Actor | PublicActor;

export function actorId(a: AnyActor): number | null {
  return 'userId' in a ? a.userId : null;
}

/** Handlers of the agency (and admins) see and act; they alone see personal data. */
export function canHandle(actor: Actor | null, agency: { id: number; path: string }): boolean {
  return !!actor && hasRole(actor, agency, ['handler']);
}

export function agencyRef(r: RequestRow) {
  return { id: r.agencyId, path: r.agencyPath };
}

/** The applicant as a given reader may see it: masked unless `full`. */
export function applicantFor(a: Applicant, full: boolean): Applicant {
  if (full) return a;
  return {
    ...a,
    idNumber: a.idNumber ? maskIdNumber(a.idNumber) : null,
    phone: a.phone ? maskPhone(a.phone) : null,
    email: a.email ? maskEmail(a.email) : null,
    address: a.address ? '（已隐藏）' : null,
    postcode: a.postcode ? '******' : null,
  };
}

/** A request a staff member may read (404 when missing, 403 when not theirs). */
export async function loadForStaff(ctx: Ctx, actor: Actor, id: number): Promise<RequestRow> {
  const r = isRowId(id) ? await repo.findById(ctx.db, id) : undefined;
  if (!r) throw notFound('申请');
  assertCanRead(actor, agencyRef(r));
  return r;
}
