/** Use cases of the agency hierarchy (government → departments → townships, any depth). */
import { AppError, invalid, notFound } from '../../errors.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { assertAdmin, canRead, canWriteAgency } from '../accounts/access.js';
import type { Actor, Ctx } from '../context.js';
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

  return ctx.db.transaction().execute(async (tx) => {
    if (await repo.findByCode(tx, code)) throw new AppError('conflict', `机构代码“${code}”已存在`, { reason: 'agency.duplicate_code' });
    let parent: Agency | null = null;
    if (input.parentCode) {
      parent = (await repo.findByCode(tx, input.parentCode)) ?? null;
      if (!parent) throw new AppError('validation', `上级机构“${input.parentCode}”不存在`, { reason: 'agency.unknown_parent' });
    }
    const at = ctx.now();
    const agency = await repo.insertAgency(tx, { ...input, code, name, kind, parent }, at.toISOString());
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
  patch: { name?: string; orgCode?: string | null } & Partial<ContactBlock>,
): Promise<Agency> {
  const agency = await getAgency(ctx, code);
  if (!canWriteAgency(actor, agency)) throw new AppError('forbidden', '您没有修改该机构信息的权限');
  if (patch.name !== undefined && !patch.name.trim()) throw invalid('机构名称不能为空', [{ field: 'name', message: '机构名称不能为空' }]);
  validateContact(patch);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateAgency(tx, agency.id, patch, at.toISOString());
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && v !== (agency as any)[k]));
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'agency.update', entity: 'agency', entityId: agency.id, data: changed, at });
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
