import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { AgenciesTable } from './agencies.tables.js';
import './agencies.tables.js';

export const AGENCY_KINDS = ['government', 'department', 'township'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  government: '人民政府',
  department: '政府部门',
  township: '乡镇（街道）',
};

export interface ContactBlock {
  officeName: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
  officeHours: string | null;
  website: string | null;
}

export interface Agency extends ContactBlock {
  id: number;
  code: string;
  name: string;
  kind: AgencyKind;
  parentId: number | null;
  path: string;
  depth: number;
  orgCode: string | null;
  /** 机关代字, e.g. 哈文旅. */
  abbr: string | null;
  /** The 复议机关 the agency recorded (overrides the rule of 行政复议法第二十四条). */
  reconsiderationBody: string | null;
  /** An office of one person: the annual report may be drafted and signed off by the same account. */
  onePersonOffice: boolean;
}

export function toAgency(r: Selectable<AgenciesTable>): Agency {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as AgencyKind,
    parentId: r.parent_id,
    path: r.path,
    depth: r.depth,
    orgCode: r.org_code,
    abbr: r.abbr ?? null,
    reconsiderationBody: r.reconsideration_body ?? null,
    onePersonOffice: Number(r.one_person_office ?? 0) === 1,
    officeName: r.office_name,
    address: r.address,
    postcode: r.postcode,
    phone: r.phone,
    fax: r.fax,
    email: r.email,
    officeHours: r.office_hours,
    website: r.website,
  };
}

export const contactColumns = {
  officeName: 'office_name',
  address: 'address',
  postcode: 'postcode',
  phone: 'phone',
  fax: 'fax',
  email: 'email',
  officeHours: 'office_hours',
  website: 'website',
} as const satisfies Record<keyof ContactBlock, keyof AgenciesTable>;

// Looked up by nearly every request (the acting agency, the agency of a page): compiled once.
const byCode = precompiled<{ code: string }>()((db, p) => db.selectFrom('agencies').selectAll().where('code', '=', p.code));
const byId = precompiled<{ id: number }>()((db, p) => db.selectFrom('agencies').selectAll().where('id', '=', p.id));

export async function findByCode(db: Executor, code: string): Promise<Agency | undefined> {
  const [r] = await byCode.execute(db, { code });
  return r && toAgency(r);
}

export async function findById(db: Executor, id: number): Promise<Agency | undefined> {
  const [r] = await byId.execute(db, { id });
  return r && toAgency(r);
}

export async function setOnePersonOffice(db: Executor, id: number, on: boolean, at: string): Promise<void> {
  await db.updateTable('agencies').set({ one_person_office: on ? 1 : 0, updated_at: at }).where('id', '=', id).execute();
}

export async function listAll(db: Executor): Promise<Agency[]> {
  const rows = await db.selectFrom('agencies').selectAll().orderBy('path').execute();
  return rows.map(toAgency);
}

/** The agency and every agency below it (materialised path prefix). */
export async function listSubtree(db: Executor, path: string): Promise<Agency[]> {
  const rows = await db.selectFrom('agencies').selectAll().where('path', 'like', `${path}%`).orderBy('path').execute();
  return rows.map(toAgency);
}

export async function listChildren(db: Executor, parentId: number | null): Promise<Agency[]> {
  let q = db.selectFrom('agencies').selectAll();
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  return (await q.orderBy('code').execute()).map(toAgency);
}

export async function insertAgency(
  db: Executor,
  a: { code: string; name: string; kind: AgencyKind; parent: Agency | null; orgCode?: string | null; abbr?: string | null; reconsiderationBody?: string | null } & Partial<ContactBlock>,
  at: string,
): Promise<Agency> {
  const { id } = await db
    .insertInto('agencies')
    .values({
      code: a.code,
      name: a.name,
      kind: a.kind,
      parent_id: a.parent?.id ?? null,
      path: '/', // set below once the id is known
      depth: a.parent ? a.parent.depth + 1 : 0,
      org_code: a.orgCode ?? null,
      abbr: a.abbr ?? null,
      reconsideration_body: a.reconsiderationBody ?? null,
      office_name: a.officeName ?? null,
      address: a.address ?? null,
      postcode: a.postcode ?? null,
      phone: a.phone ?? null,
      fax: a.fax ?? null,
      email: a.email ?? null,
      office_hours: a.officeHours ?? null,
      website: a.website ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${a.parent?.path ?? '/'}${id}/`;
  await db.updateTable('agencies').set({ path }).where('id', '=', id).execute();
  return (await findById(db, id))!;
}

export async function updateAgency(
  db: Executor,
  id: number,
  patch: { name?: string; orgCode?: string | null; abbr?: string | null; reconsiderationBody?: string | null } & Partial<ContactBlock>,
  at: string,
): Promise<void> {
  const set: Record<string, string | null> = { updated_at: at };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.orgCode !== undefined) set.org_code = patch.orgCode;
  if (patch.abbr !== undefined) set.abbr = patch.abbr;
  if (patch.reconsiderationBody !== undefined) set.reconsideration_body = patch.reconsiderationBody;
  for (const [k, col] of Object.entries(contactColumns)) {
    const v = patch[k as keyof ContactBlock];
    if (v !== undefined) set[col] = v;
  }
  await db.updateTable('agencies').set(set).where('id', '=', id).execute();
}

/** The agency's ancestors, nearest first (from the materialised path). */
export async function listAncestors(db: Executor, agency: Agency): Promise<Agency[]> {
  const ids = agency.path.split('/').filter(Boolean).map(Number).filter((id) => id !== agency.id);
  if (!ids.length) return [];
  const rows = await db.selectFrom('agencies').selectAll().where('id', 'in', ids).execute();
  return rows.map(toAgency).sort((a, b) => b.depth - a.depth);
}

/** The number already drawn for a request's letter of a kind, if any. */
export async function findLetterNumber(db: Executor, requestId: number, kind: string): Promise<{ year: number; serial: number } | undefined> {
  return db.selectFrom('letter_numbers').select(['year', 'serial']).where('request_id', '=', requestId).where('kind', '=', kind).executeTakeFirst();
}

/** Draws the next serial of (agency, kind, year) for a request's letter; the primary key stops a double draw. */
export async function insertNextLetterNumber(db: Executor, v: { agencyId: number; kind: string; year: number; requestId: number; at: string }): Promise<number> {
  const row = await db
    .selectFrom('letter_numbers')
    .select((eb) => eb.fn.max('serial').as('max'))
    .where('agency_id', '=', v.agencyId)
    .where('kind', '=', v.kind)
    .where('year', '=', v.year)
    .executeTakeFirst();
  const serial = Number(row?.max ?? 0) + 1;
  await db
    .insertInto('letter_numbers')
    .values({ agency_id: v.agencyId, kind: v.kind, year: v.year, serial, request_id: v.requestId, issued_at: v.at })
    .execute();
  return serial;
}
