/**
 * Direct inserts of records for the report scenarios (the report is a read model over these tables; the
 * services that normally write them have their own tests). Each helper fills the required columns only.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../src/modules/context.js';

let seq = 0;
const NOW = '2025-01-01T00:00:00.000Z';

export async function agencyId(ctx: Ctx, code: string): Promise<number> {
  const r = await ctx.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return r.id;
}

export interface RequestSpec {
  receivedOn: string;
  kind?: 'natural_person' | 'commercial_enterprise' | 'research_institution' | 'social_welfare_org' | 'legal_service_org' | 'other_org' | string;
  repliedOn?: string | null;
  outcome?: string | null;
  requestKind?: 'disclosure' | 'record_correction';
  status?: string;
  feeYuan?: number;
  feePaidOn?: string | null;
  trackingNo?: string;
}

export async function request(ctx: Ctx, agency: number, s: RequestSpec): Promise<{ id: number; trackingNo: string }> {
  seq++;
  const trackingNo = s.trackingNo ?? `T${String(seq).padStart(6, '0')}`;
  const replied = s.repliedOn ?? null;
  const r = await ctx.db
    .insertInto('requests')
    .values({
      agency_id: agency,
      tracking_no: trackingNo,
      access_key_hash: null,
      kind: s.requestKind ?? 'disclosure',
      channel: 'online',
      received_on: s.receivedOn,
      submitted_at: `${s.receivedOn}T01:00:00.000Z`,
      applicant_kind: s.kind ?? 'natural_person',
      applicant_name: `申请人${seq}`,
      applicant_id_type: null,
      applicant_id_number: null,
      applicant_org_code: null,
      applicant_contact: null,
      applicant_phone: null,
      applicant_email: null,
      applicant_address: null,
      applicant_postcode: null,
      applicant_key: `k${seq}`,
      subject: '关于申请公开某项政府信息',
      description: '测试',
      doc_number: null,
      form_wanted: null,
      delivery: null,
      status: s.status ?? (replied ? 'replied' : 'open'),
      due_on: null,
      calendar_flag: null,
      outcome: s.outcome ?? (replied ? 'disclosed' : null),
      replied_on: replied,
      reply_text: null,
      fee_method: s.feeYuan ? 'per_request' : null,
      fee_pages: null,
      fee_yuan: s.feeYuan ?? 0,
      fee_paid_on: s.feePaidOn ?? null,
      handler_id: null,
      duplicate_of: null,
      transferred_to: null,
      idempotency_key: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: r.id, trackingNo };
}

export async function reviewCase(
  ctx: Ctx,
  agency: number,
  s: { kind: 'reconsideration' | 'litigation_direct' | 'litigation_after_reconsideration' | string; filedOn: string; result?: string; concludedOn?: string | null; caseNo?: string },
): Promise<number> {
  const r = await ctx.db
    .insertInto('review_cases')
    .values({
      agency_id: agency,
      request_id: null,
      kind: s.kind,
      case_no: s.caseNo ?? null,
      body: null,
      filed_on: s.filedOn,
      result: s.result ?? 'pending',
      concluded_on: s.concludedOn ?? null,
      notes: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function document(ctx: Ctx, agency: number, s: { kind: 'rule' | 'normative_document'; issuedOn: string; abolishedOn?: string | null; title?: string }) {
  await ctx.db
    .insertInto('normative_documents')
    .values({
      agency_id: agency,
      kind: s.kind,
      title: s.title ?? '关于印发某某办法的通知',
      doc_number: null,
      issued_on: s.issuedOn,
      abolished_on: s.abolishedOn ?? null,
      item_id: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
}

export async function decision(ctx: Ctx, agency: number, kind: 'licensing' | 'penalty' | 'enforcement', decidedOn: string, count = 1) {
  await ctx.db.insertInto('enforcement_decisions').values({ agency_id: agency, kind, decided_on: decidedOn, count, doc_number: null, subject: null, created_at: NOW }).execute();
}

export async function fee(ctx: Ctx, agency: number, collectedOn: string, amountFen: number) {
  await ctx.db.insertInto('fee_collections').values({ agency_id: agency, collected_on: collectedOn, amount_fen: amountFen, item: null, created_at: NOW }).execute();
}

export async function newMedia(ctx: Ctx, agency: number, channel: string, publishedOn: string, count: number) {
  await ctx.db.insertInto('new_media_posts').values({ agency_id: agency, channel, account: null, published_on: publishedOn, count, title: null, item_id: null, created_at: NOW }).execute();
}

/** Items on the portal (the disclosure capability's table), `n` at once. */
export async function items(ctx: Ctx, agency: number, publishedOn: string | null, n: number, status = 'published') {
  const db = ctx.db as any;
  let cat = await db.selectFrom('item_categories').select('id').where('agency_id', '=', agency).executeTakeFirst();
  if (!cat) {
    cat = await db
      .insertInto('item_categories')
      .values({ agency_id: agency, name: '工作动态', kind: 'column', statute_ref: null, position: 0, created_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
  }
  const rows = [];
  for (let i = 0; i < n; i++) {
    seq++;
    rows.push({
      agency_id: agency,
      index_no: `TEST-${agency}-${seq}`,
      title: `测试信息${seq}`,
      category_id: cat.id,
      published_on: publishedOn,
      status,
      created_at: NOW,
      updated_at: NOW,
    });
  }
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('items').values(rows.slice(i, i + 200)).execute();
}

export { sql };
