/**
 * 依申请公开 use cases: a citizen or organisation files a request (portal) or staff register one received
 * otherwise (条例第29条、第31条); handlers act on it (补正, 征求意见, 延期, 收费, 答复 — the contract's actions)
 * while the reply clock (src/law/reply-clock.ts) is recomputed from the events in the same transaction;
 * letters (src/render/letters.ts) are built from the record; a 纠正 review result reopens it (reviews module);
 * 更正 requests (第41条) are their own kind.
 *
 * This file is the module's front door: each use case lives in its own file and is re-exported here, so
 * routes, pages and other modules import from one place.
 *   requests.vocabulary.ts   kinds, form choices, statuses, actions, letters and their labels
 *   requests.access.ts       who may see and act; what of the applicant a reader sees
 *   requests.submission.ts   filing and registering (submitRequest)
 *   requests.views.ts        one request, the lists and their counters
 *   actions/                 one use case per action, all through applyClockAction(tx, request, event)
 *   requests.letters.ts      the letters' input for src/render
 *   requests.reopen.ts       re-handling after a 纠正 review result
 *   requests.calendar-load.ts  loading a year's holiday notice: preview, recompute, what moved
 *
 * Personal data of applicants is shown only to handlers of the agency (and admins); never written to the
 * audit log (field names only).
 */
import { APPLICANT_KIND_LABELS, OUTCOMES } from '../../law/outcomes.js';
import { isAdmin } from '../accounts/access.js';

export type { Applicant, EventRow, RequestRow } from './requests.repository.js';
export type { ReviewCaseRow } from '../reviews/reviews.read-model.js';
export type { ClockView } from './requests.clock.js';
export * from './requests.vocabulary.js';
export { applicantFor, canHandle, sha256 } from './requests.access.js';
export * from './requests.submission.js';
export * from './requests.views.js';
export type { ActionInput } from './actions/action-input.js';
export { performAction } from './actions/perform-action.js';
export { assignHandler } from './actions/assign-handler.js';
export * from './requests.reopen.js';
export * from './requests.letters.js';
export * from './requests.calendar-load.js';

// Labels for pages and JSON
export { APPLICANT_KIND_LABELS, OUTCOMES, isAdmin };
