/** Use cases of the agency hierarchy (government → departments → townships, any depth). */
import { AppError, invalid, notFound } from '../../errors.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { assertAdmin, canRead, canWriteAgency } from '../accounts/access.js';
import type { Actor, Ctx } from '../context.js';
import { abbrProblem, formatLetterNumber, type LetterNumberKind } from '../../law/letter-numbers.js';
import { reconsiderationBodyOf, type ReconsiderationBody } from '../../law/reconsideration.js';
import * as repo from './agencies.repository.js';
import { AGENCY_KINDS, type Agency, type AgencyKind, type ContactBlock } from './agencies.repository.js';

export type { Agency, AgencyKind, ContactBlock };
export { AGENCY_KINDS, AGENCY_KIND_LABELS } from './agencies.repository.js';

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

export interface NewAgency extends Partial<ContactBlock> {
  code: string;
  name: string;
  kind?: string;
  parentCode?: string | null;
  orgCode?: string | null;
  /** 机关代字 (GB/T 9704 7.2.4), e.g. 哈文旅. */
  abbr?: string | null;
  /** 复议机关, where the rule of 行政复议法第二十四条 does not give it (or gives the wrong one). */
  reconsiderationBody?: string | null;
}

/** Checks the letter fields (机关代字, 复议机关) and returns them trimmed ('' clears them). */
function letterFields(input: { abbr?: string | null; reconsiderationBody?: string | null }): { abbr?: string | null; reconsiderationBody?: string | null } {
  const out: { abbr?: string | null; reconsiderationBody?: string | null } = {};
  const fields: { field: string; message: string }[] = [];
  if (input.abbr !== undefined) {
    const abbr = input.abbr?.trim() || null;
    const problem = abbr === null ? null : abbrProblem(abbr);
    if (problem) fields.push({ field: 'abbr', message: problem });
    out.abbr = abbr;
  }
  if (input.reconsiderationBody !== undefined) {
    const body = input.reconsiderationBody?.trim() || null;
    if (body && body.length > 100) fields.push({ field: 'reconsiderationBody', message: '行政复议机关名称过长（不超过 100 字）' });
    if (body && /[\p{P}\p{S}]$/u.test(body)) fields.push({ field: 'reconsiderationBody', message: '行政复议机关应填写机关名称，不带标点' });
    out.reconsiderationBody = body;
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  return out;
}

function validateContact(c: Partial<ContactBlock>): void {
  const fields = [] as { field: string; message: string }[];
  if (c.postcode && !/^\d{6}$/.test(c.postcode)) fields.push({ field: 'postcode', message: '邮政编码应为 6 位数字' });
  if (c.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email)) fields.push({ field: 'email', message: '电子邮箱格式不正确' });
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'string' && v.length > 200) fields.push({ field: k, message: '内容过长（不超过 200 字）' });
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
}

export type SystemActor = { system: string };

export async function createAgency(ctx: Ctx, actor: Actor | SystemActor, input: NewAgency): Promise<Agency> {
  if ('userId' in actor) assertAdmin(actor);
  const code = input.code?.trim() ?? '';
  const name = input.name?.trim() ?? '';
  const fields = [];
  if (!CODE_RE.test(code)) fields.push({ field: 'code', message: `机构代码“${code}”不合法：应为 1–32 位字母、数字、点、横线或下划线` });
  if (!name) fields.push({ field: 'name', message: '机构名称不能为空' });
  else if (name.length > 100) fields.push({ field: 'name', message: '机构名称过长（不超过 100 字）' });
  const kind = (input.kind ?? 'department') as AgencyKind;
  if (!AGENCY_KINDS.includes(kind)) fields.push({ field: 'kind', message: `机构类型“${input.kind}”不存在：应为 government、department 或 township` });
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  validateContact(input);
  const letter = letterFields(input);

  return ctx.db.transaction().execute(async (tx) => {
    if (await repo.findByCode(tx, code)) throw new AppError('conflict', `机构代码“${code}”已存在`, { reason: 'agency.duplicate_code' });
    let parent: Agency | null = null;
    if (input.parentCode) {
      parent = (await repo.findByCode(tx, input.parentCode)) ?? null;
      if (!parent) throw new AppError('validation', `上级机构“${input.parentCode}”不存在`, { reason: 'agency.unknown_parent' });
    }
    const at = ctx.now();
    const agency = await repo.insertAgency(tx, { ...input, ...letter, code, name, kind, parent }, at.toISOString());
    await appendAudit(tx, {
      actor: actor as AuditInput['actor'],
      agencyId: agency.id,
      action: 'agency.create',
      entity: 'agency',
      entityId: agency.id,
      data: { code, name, kind, parent: parent?.code ?? null },
      at,
    });
    return agency;
  });
}

export async function updateAgency(
  ctx: Ctx,
  actor: Actor,
  code: string,
  patch: { name?: string; orgCode?: string | null; abbr?: string | null; reconsiderationBody?: string | null } & Partial<ContactBlock>,
): Promise<Agency> {
  const agency = await getAgency(ctx, code);
  if (!canWriteAgency(actor, agency)) throw new AppError('forbidden', '您没有修改该机构信息的权限');
  if (patch.name !== undefined && !patch.name.trim()) throw invalid('机构名称不能为空', [{ field: 'name', message: '机构名称不能为空' }]);
  validateContact({ ...patch, abbr: undefined, reconsiderationBody: undefined } as Partial<ContactBlock>);
  patch = { ...patch, ...letterFields(patch) };
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateAgency(tx, agency.id, patch, at.toISOString());
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && v !== (agency as any)[k]));
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'agency.update', entity: 'agency', entityId: agency.id, data: changed, at });
    return (await repo.findById(tx, agency.id))!;
  });
}

/**
 * 一人办公: marks (or unmarks) an agency whose disclosure work is done by one person, so that its annual report
 * may be drafted and signed off by the same account (reports.service publishReport). Administrators only;
 * recorded in the audit log.
 */
export async function setOnePersonOffice(ctx: Ctx, actor: Actor | SystemActor, code: string, on: boolean): Promise<Agency> {
  if ('userId' in actor) assertAdmin(actor);
  const agency = await getAgency(ctx, code);
  if (agency.onePersonOffice === on) return agency;
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.setOnePersonOffice(tx, agency.id, on, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'agency.one_person_office', entity: 'agency', entityId: agency.id, data: { onePersonOffice: on }, at });
    return (await repo.findById(tx, agency.id))!;
  });
}

export async function getAgency(ctx: Ctx, code: string): Promise<Agency> {
  const a = await repo.findByCode(ctx.db, code);
  if (!a) throw notFound(`机构“${code}”`);
  return a;
}

export async function getAgencyById(ctx: Ctx, id: number): Promise<Agency> {
  const a = await repo.findById(ctx.db, id);
  if (!a) throw notFound('机构');
  return a;
}

export const findAgency = (ctx: Ctx, code: string) => repo.findByCode(ctx.db, code);
export const listAgencies = (ctx: Ctx) => repo.listAll(ctx.db);
export const listSubtree = (ctx: Ctx, agency: Agency) => repo.listSubtree(ctx.db, agency.path);
export const listChildren = (ctx: Ctx, agency: Agency | null) => repo.listChildren(ctx.db, agency?.id ?? null);

/** The agencies an account may read (its own, and for a supervisor every agency below). */
export async function readableAgencies(ctx: Ctx, actor: Actor): Promise<Agency[]> {
  const all = await repo.listAll(ctx.db);
  return all.filter((a) => canRead(actor, a));
}

/**
 * The agency's 复议机关 by 行政复议法第二十四条 from the hierarchy (a department → its 本级人民政府, a government →
 * the next government up), or its own entry; `body: null` with a question where neither gives one.
 */
export async function reconsiderationOf(ctx: Ctx, agency: Agency): Promise<ReconsiderationBody> {
  const ancestors = await repo.listAncestors(ctx.db, agency);
  return reconsiderationBodyOf([agency, ...ancestors].map((a) => ({ name: a.name, kind: a.kind, reconsiderationBody: a.id === agency.id ? a.reconsiderationBody : null })));
}

/**
 * The 发文字号 of a request's letter: drawn from the agency's serial for that kind and year when the letter is
 * first issued, the same number every time after (GB/T 9704 7.2.4: 哈文旅依申复〔2026〕7号).
 */
export async function letterNumber(ctx: Ctx, agency: Agency, kind: LetterNumberKind, requestId: number, year: number): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const serial = await ctx.db.transaction().execute(async (tx) => {
        const existing = await repo.findLetterNumber(tx, requestId, kind);
        if (existing) return existing;
        const at = ctx.now();
        const serial = await repo.insertNextLetterNumber(tx, { agencyId: agency.id, kind, year, requestId, at: at.toISOString() });
        await appendAudit(tx, { actor: { system: 'letters' } as AuditInput['actor'], agencyId: agency.id, action: 'letter.number', entity: 'request', entityId: requestId, data: { kind, year, serial }, at });
        return { year, serial };
      });
      return formatLetterNumber(agency.abbr, kind, serial.year, serial.serial);
    } catch (e) {
      if (attempt >= 2) throw e; // two letters drew the same serial at once: draw again
    }
  }
}
