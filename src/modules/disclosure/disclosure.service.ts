/**
 * 主动公开 (proactive disclosure): the agency's 政府信息公开目录 (条例第12条), its items, and the publication
 * workflow — draft → review (审核, with the screen and the 保密审查) → sign-off (签发) → published; withdraw
 * with a reason. Each step by a person holding that role, recorded with the item and in the audit log, in the
 * same transaction. 第26条: an item is published within 20 工作日 of its 生成日期; late items are flagged.
 */
import { isRowId } from '../../db/dialect.js';
import { createHash } from 'node:crypto';
import { AppError, invalid, notFound, type FieldError } from '../../errors.js';
import { CalendarNotCoveredError, isIsoDate, type Calendar } from '../../law/calendar.js';
import {
  DISCLOSURE_MODES,
  formatIndexNo,
  isSubjectCategory,
  isValidOrgCode,
  isValidity,
  MAX_INDEX_SERIAL,
  parseIndexNo,
  PUBLICATION_LIMIT_WORKING_DAYS,
  publicationTimeliness,
} from '../../law/catalogue.js';
import { defaultCatalogue, INTERPRETATION_CATEGORY } from '../../law/proactive.js';
import { DEFAULT_WORD_RULES, screenText, type ScreeningHit, type WordRule } from '../../law/screening.js';
import type { Executor } from '../../db/database.js';
import { assertYearsOpen } from '../year-lock/year-lock.service.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { assertCanRead, assertRole, canRead, hasRole } from '../accounts/access.js';
import { getAgency, getAgencyById, listAgencies, type Agency } from '../agencies/agencies.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx, type Role } from '../context.js';
import { indexItems, removeItem, type SearchDoc } from '../search/search.service.js';
import { cleanLine, htmlToText, sanitizeBody } from './content.js';
import * as repo from './disclosure.repository.js';
import type { Attachment, Category, Item, ItemListRow, ItemStatus, Screening, Step } from './disclosure.repository.js';

export type { Attachment, Category, Item, ItemListRow, ItemStatus, Screening, Step };
export { ITEM_STATUSES } from './disclosure.repository.js';

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  draft: '草稿',
  in_review: '待审核',
  approved: '待签发',
  published: '已发布',
  withdrawn: '已撤回',
};

export const STEP_LABELS: Record<string, string> = {
  create: '起草',
  edit: '修改',
  submit: '提交审核',
  screen: '内容筛查',
  override: '筛查结果人工放行',
  confidentiality: '保密审查',
  review: '审核通过',
  return: '退回修改',
  sign_off: '签发发布',
  withdraw: '撤回',
  validity: '变更有效性',
  attach: '上传附件',
  detach: '删除附件',
};

type AnyActor = Actor | { system: string };

// ---------------------------------------------------------------------------------------------
// Helpers

export function itemUrl(id: number): string {
  return `/items/${id}`;
}

/** The organisation-code part of the agency's 索引号: its 组织机构代码, or its own code made fit. */
/** The fields of an item as the edit step names them. */
const EDITED_FIELD_LABELS: Record<string, string> = {
  title: '名称', summary: '内容概述', bodyHtml: '正文', categoryId: '目录类别', generatedOn: '生成日期', docNumber: '文号', publisher: '发布机构',
  subjectCategory: '主题分类', genre: '体裁分类', disclosureMode: '公开方式', validity: '有效性', interpretsItemId: '所解读的政策文件',
};

export function indexPrefix(agency: Agency): string {
  if (agency.orgCode && isValidOrgCode(agency.orgCode)) return agency.orgCode;
  let code = agency.code.toUpperCase().replace(/[^0-9A-Z-]/g, '-').slice(0, 30);
  if (!/^[0-9A-Z]/.test(code)) code = `A${code}`.slice(0, 30);
  if (code.length < 2) code = `${code}0`;
  return code;
}

/**
 * What the screen, the 保密审查 and the approvals judge: the item's text fields and its attachments (each file's
 * name and SHA-256). An attachment added or removed after a review makes it stale, as an edit of the text does.
 * Without attachments the hash is the one stored before they were part of it (existing reviews stay current).
 */
function contentHash(i: { title: string; summary: string; bodyText: string; docNumber: string | null }, files: { fileName: string; sha256: string }[]): string {
  const fields: unknown[] = [i.title, i.summary, i.bodyText, i.docNumber ?? ''];
  if (files.length) fields.push(files.map((f) => [f.fileName, f.sha256]));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

async function contentHashOf(db: Executor, i: Item): Promise<string> {
  return contentHash(i, await repo.listAttachments(db, i.id));
}

/** The text the screen reads: the fields, then each attachment's name and text (as read at upload). */
function screenedText(i: { title: string; summary: string; bodyText: string; docNumber: string | null }, files: { name: string; text: string }[]): string {
  return [i.title, i.docNumber ?? '', i.summary, i.bodyText, ...files.map((f) => `附件《${f.name}》\n${f.text}`)].filter(Boolean).join('\n');
}

/** The 第26条 deadline of an item generated on `generatedOn` (null when the calendar does not cover it). */
export function dueDate(cal: Calendar, generatedOn: string | null): string | null {
  if (!generatedOn) return null;
  try {
    return cal.addWorkingDays(generatedOn, PUBLICATION_LIMIT_WORKING_DAYS);
  } catch (e) {
    if (e instanceof CalendarNotCoveredError) return null;
    throw e;
  }
}

function lateFlag(cal: Calendar, generatedOn: string | null, publishedOn: string): number | null {
  if (!generatedOn) return null;
  const t = publicationTimeliness(generatedOn, publishedOn, cal);
  return t.status === 'late' ? 1 : t.status === 'on_time' ? 0 : null;
}

function assertAnyRole(actor: Actor, agency: Agency, roles: Role[], what: string): void {
  assertRole(actor, agency, roles, what);
}

function stepActor(actor: AnyActor): { actor_id: number | null; actor_name: string } {
  return 'userId' in actor ? { actor_id: actor.userId, actor_name: actor.displayName || actor.username } : { actor_id: null, actor_name: `system:${actor.system}` };
}

// ---------------------------------------------------------------------------------------------
// Catalogue categories

/** The agency's catalogue categories, created from the statute's defaults the first time. */
async function ensureCategories(tx: Executor, agency: Agency, at: string): Promise<Category[]> {
  const existing = await repo.listCategories(tx, agency.id);
  if (existing.length) return existing;
  await repo.insertCategories(
    tx,
    defaultCatalogue(agency.kind).map((c, i) => ({
      agency_id: agency.id, name: c.name, kind: c.statuteRef ? 'statutory' : 'column', statute_ref: c.statuteRef, position: (i + 1) * 10, created_at: at,
    })),
  );
  return repo.listCategories(tx, agency.id);
}

export interface CategoryWithCount extends Category {
  count: number;
}

/** The agency's 政府信息公开目录: its categories (第20条, 第21条 and its own columns) with published counts. */
export async function categoriesOf(ctx: Ctx, agencyId: number): Promise<CategoryWithCount[]> {
  let cats = await repo.listCategories(ctx.db, agencyId);
  if (!cats.length) {
    const agency = await getAgencyById(ctx, agencyId);
    try {
      cats = await ctx.db.transaction().execute((tx) => ensureCategories(tx, agency, ctx.now().toISOString()));
    } catch {
      cats = await repo.listCategories(ctx.db, agencyId); // created concurrently
    }
  }
  const counts = await repo.countByCategory(ctx.db, agencyId, true);
  return cats.map((c) => ({ ...c, count: counts.get(c.id) ?? 0 }));
}

export async function addCategory(ctx: Ctx, actor: Actor, agencyCode: string, input: { name?: string; position?: number }): Promise<Category> {
  const agency = await getAgency(ctx, agencyCode);
  assertAnyRole(actor, agency, ['editor', 'approver'], '管理信息公开目录');
  const name = cleanLine(input.name);
  if (!name || name.length > 40) throw invalid('栏目名称应为 1–40 个字', [{ field: 'name', message: '栏目名称应为 1–40 个字' }]);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const cats = await ensureCategories(tx, agency, at.toISOString());
    if (cats.some((c) => c.name === name)) throw new AppError('conflict', `栏目“${name}”已存在`, { reason: 'category.duplicate', fields: [{ field: 'name', message: `栏目“${name}”已存在` }] });
    const position = input.position ?? Math.max(0, ...cats.map((c) => c.position)) + 10;
    const c = await repo.insertCategory(tx, { agency_id: agency.id, name, kind: 'column', statute_ref: null, position, created_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'category.create', entity: 'category', entityId: c.id, data: { name }, at });
    return c;
  });
}

export async function renameCategory(ctx: Ctx, actor: Actor, categoryId: number, input: { name?: string; position?: number }): Promise<void> {
  const cat = isRowId(categoryId) ? await repo.findCategory(ctx.db, categoryId) : undefined;
  if (!cat) throw notFound('栏目');
  const agency = await getAgencyById(ctx, cat.agencyId);
  assertAnyRole(actor, agency, ['editor', 'approver'], '管理信息公开目录');
  const name = input.name === undefined ? undefined : cleanLine(input.name);
  if (name !== undefined && (!name || name.length > 40)) throw invalid('栏目名称应为 1–40 个字', [{ field: 'name', message: '栏目名称应为 1–40 个字' }]);
  if (cat.kind === 'statutory' && name !== undefined && name !== cat.name) throw new AppError('unprocessable', `“${cat.name}”是条例${cat.statuteRef ?? ''}规定的法定主动公开类别，不能改名`, { reason: 'category.statutory' });
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    if (name && name !== cat.name && (await repo.listCategories(tx, agency.id)).some((c) => c.name === name)) throw new AppError('conflict', `栏目“${name}”已存在`, { reason: 'category.duplicate' });
    await repo.updateCategory(tx, cat.id, { name, position: input.position });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'category.update', entity: 'category', entityId: cat.id, data: { from: cat.name, name: name ?? cat.name, position: input.position ?? cat.position }, at });
  });
}

export async function deleteCategory(ctx: Ctx, actor: Actor, categoryId: number): Promise<void> {
  const cat = isRowId(categoryId) ? await repo.findCategory(ctx.db, categoryId) : undefined;
  if (!cat) throw notFound('栏目');
  const agency = await getAgencyById(ctx, cat.agencyId);
  assertAnyRole(actor, agency, ['editor', 'approver'], '管理信息公开目录');
  if (cat.kind === 'statutory') throw new AppError('unprocessable', `“${cat.name}”是条例${cat.statuteRef ?? ''}规定的法定主动公开类别，不能删除`, { reason: 'category.statutory' });
  await ctx.db.transaction().execute(async (tx) => {
    const counts = await repo.countByCategory(tx, agency.id, false);
    if ((counts.get(cat.id) ?? 0) > 0) throw new AppError('conflict', `栏目“${cat.name}”下还有 ${counts.get(cat.id)} 条信息，不能删除`, { reason: 'category.not_empty' });
    await repo.deleteCategory(tx, cat.id);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'category.delete', entity: 'category', entityId: cat.id, data: { name: cat.name }, at: ctx.now() });
  });
}

// ---------------------------------------------------------------------------------------------
// Items: input

export interface ItemInput {
  title?: string;
  summary?: string;
  body?: string;
  categoryId?: number | string;
  generatedOn?: string;
  docNumber?: string;
  publisher?: string;
  subjectCategory?: string;
  genre?: string;
  disclosureMode?: string;
  validity?: string;
  /** The policy this item interprets (政策解读): its 索引号 or id. */
  interprets?: string;
}

interface CleanInput {
  title: string;
  summary: string;
  bodyHtml: string;
  bodyText: string;
  categoryId: number;
  generatedOn: string | null;
  docNumber: string | null;
  publisher: string | null;
  subjectCategory: string | null;
  genre: string | null;
  disclosureMode: string;
  validity: string;
  interpretsItemId: number | null;
}

async function cleanItemInput(tx: Executor, agency: Agency, cats: Category[], input: ItemInput, selfId?: number): Promise<CleanInput> {
  const fields: FieldError[] = [];
  const title = cleanLine(input.title);
  if (!title) fields.push({ field: 'title', message: '请填写名称（标题）' });
  else if (title.length > 200) fields.push({ field: 'title', message: '名称不超过 200 字' });
  const summary = cleanLine(input.summary);
  if (summary.length > 1000) fields.push({ field: 'summary', message: '内容概述不超过 1000 字' });
  const body = input.body ?? '';
  if (body.length > 2_000_000) fields.push({ field: 'body', message: '正文过长（不超过 200 万字符）' });
  const catId = Number(input.categoryId);
  const cat = cats.find((c) => c.id === catId);
  if (!cat) fields.push({ field: 'categoryId', message: '请选择所属目录栏目' });
  const generatedOn = cleanLine(input.generatedOn) || null;
  if (generatedOn && !isIsoDate(generatedOn)) fields.push({ field: 'generatedOn', message: `生成日期格式不正确：${generatedOn}（应为 YYYY-MM-DD）` });
  const docNumber = cleanLine(input.docNumber) || null;
  if (docNumber && docNumber.length > 100) fields.push({ field: 'docNumber', message: '文号不超过 100 字' });
  const publisher = cleanLine(input.publisher) || agency.name;
  const subjectCategory = cleanLine(input.subjectCategory) || null;
  if (subjectCategory && !isSubjectCategory(subjectCategory)) fields.push({ field: 'subjectCategory', message: `主题分类“${subjectCategory}”不在主题分类表中` });
  const genre = cleanLine(input.genre) || null;
  if (genre && genre.length > 40) fields.push({ field: 'genre', message: '体裁分类不超过 40 字' });
  const disclosureMode = cleanLine(input.disclosureMode) || 'proactive';
  if (!(DISCLOSURE_MODES as readonly string[]).includes(disclosureMode)) fields.push({ field: 'disclosureMode', message: '公开方式应为主动公开、依申请公开或不予公开' });
  const validity = cleanLine(input.validity) || 'valid';
  if (!isValidity(validity)) fields.push({ field: 'validity', message: '有效性应为有效、失效或废止' });
  let interpretsItemId: number | null = null;
  const interprets = cleanLine(input.interprets);
  if (interprets) {
    const policy = /^\d+$/.test(interprets) ? await repo.findItem(tx, Number(interprets)) : await repo.findItemByIndexNo(tx, interprets);
    if (!policy || policy.agencyId !== agency.id) fields.push({ field: 'interprets', message: `本机关没有索引号为“${interprets}”的信息` });
    else if (policy.id === selfId) fields.push({ field: 'interprets', message: '不能解读自身' });
    else if (policy.interpretsItemId) fields.push({ field: 'interprets', message: '被解读的应是政策文件本身，而不是另一篇解读' });
    else if (policy.status === 'withdrawn') fields.push({ field: 'interprets', message: '被解读的政策文件已撤回' });
    else interpretsItemId = policy.id;
  } else if (cat && cat.name === INTERPRETATION_CATEGORY) {
    fields.push({ field: 'interprets', message: '政策解读应关联所解读的政策文件（填写其索引号）' });
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  const bodyHtml = sanitizeBody(body);
  return {
    title, summary, bodyHtml, bodyText: htmlToText(bodyHtml), categoryId: catId, generatedOn, docNumber, publisher, subjectCategory, genre,
    disclosureMode, validity, interpretsItemId,
  };
}

// ---------------------------------------------------------------------------------------------
// Items: drafting

async function loadItem(ctx: Ctx | { db: Executor }, id: number): Promise<Item> {
  const item = isRowId(id) ? await repo.findItem(ctx.db, id) : undefined;
  if (!item) throw notFound('信息');
  return item;
}

export async function createDraft(ctx: Ctx, actor: Actor, agencyCode: string, input: ItemInput): Promise<Item> {
  const agency = await getAgency(ctx, agencyCode);
  assertAnyRole(actor, agency, ['editor'], '起草主动公开信息');
  const cal = await loadCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const cats = await ensureCategories(tx, agency, at.toISOString());
    const c = await cleanItemInput(tx, agency, cats, input);
    const year = Number((c.generatedOn ?? todayCst(at)).slice(0, 4));
    const serial = (await repo.maxSerial(tx, agency.id, indexPrefix(agency), year)) + 1;
    if (serial > MAX_INDEX_SERIAL) throw new AppError('unprocessable', `${year} 年索引号流水号已用尽（${MAX_INDEX_SERIAL}）`, { reason: 'item.index_exhausted' });
    const indexNo = formatIndexNo(indexPrefix(agency), year, serial);
    const id = await repo.insertItem(tx, {
      agency_id: agency.id, index_no: indexNo, index_year: year, index_serial: serial, title: c.title, summary: c.summary, body_html: c.bodyHtml,
      category_id: c.categoryId, generated_on: c.generatedOn, published_on: null, due_on: dueDate(cal, c.generatedOn), late: null,
      doc_number: c.docNumber, publisher: c.publisher, subject_category: c.subjectCategory, genre: c.genre, disclosure_mode: c.disclosureMode,
      validity: c.validity, status: 'draft', interprets_item_id: c.interpretsItemId, withdrawn_reason: null, source: 'office', created_by: actor.userId,
      created_at: at.toISOString(), updated_at: at.toISOString(),
    });
    await repo.insertStep(tx, { item_id: id, step: 'create', outcome: null, opinion: null, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'item.create', entity: 'item', entityId: id, data: { indexNo, title: c.title, categoryId: c.categoryId }, at });
    return (await repo.findItem(tx, id))!;
  });
}

/** Edit an item before it is approved: the editor in draft or review, the reviewer during review (to fix a hit). */
export async function updateItem(ctx: Ctx, actor: Actor, id: number, input: ItemInput): Promise<Item> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  if (item.status === 'draft') assertAnyRole(actor, agency, ['editor'], '修改草稿');
  else if (item.status === 'in_review') assertAnyRole(actor, agency, ['editor', 'reviewer'], '修改待审核信息');
  else throw new AppError('conflict', `信息${ITEM_STATUS_LABELS[item.status]}，不能修改内容${item.status === 'approved' ? '（请签发人先退回修改）' : ''}`, { reason: 'item.not_editable' });
  const cal = await loadCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const cats = await ensureCategories(tx, agency, at.toISOString());
    const c = await cleanItemInput(tx, agency, cats, input, id);
    const before = item as unknown as Record<string, unknown>;
    const after: Record<string, unknown> = { ...c };
    const changed = Object.keys(after).filter((k) => k !== 'bodyText' && JSON.stringify(after[k] ?? null) !== JSON.stringify(before[k] ?? null));
    if (!changed.length) return item;
    // Only over what was read: a step taken meanwhile (approval, sign-off) is not overwritten by this save.
    const ok = await repo.updateItemIf(tx, id, {
      title: c.title, summary: c.summary, body_html: c.bodyHtml, category_id: c.categoryId, generated_on: c.generatedOn,
      due_on: dueDate(cal, c.generatedOn), doc_number: c.docNumber, publisher: c.publisher, subject_category: c.subjectCategory, genre: c.genre,
      disclosure_mode: c.disclosureMode, validity: c.validity, interprets_item_id: c.interpretsItemId, updated_at: at.toISOString(),
    }, { status: item.status, version: item.version });
    if (!ok) throw changedMeanwhile();
    await repo.insertStep(tx, { item_id: id, step: 'edit', outcome: null, opinion: `修改：${changed.map((k) => EDITED_FIELD_LABELS[k] ?? '其他').join('、')}`, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    // Field names only (a body may hold personal data that the screen is about to catch).
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'item.update', entity: 'item', entityId: id, data: { changed }, at });
    return (await repo.findItem(tx, id))!;
  });
}

// ---------------------------------------------------------------------------------------------
// The screen

async function wordRules(tx: Executor, agencyId: number): Promise<WordRule[]> {
  const extra = await repo.listWords(tx, agencyId);
  return [...DEFAULT_WORD_RULES, ...extra.map((w) => ({ word: w.word, suggestion: w.suggestion ?? undefined, kind: w.kind, note: w.note ?? undefined }))];
}

/** `hash`: the item's content hash, when the caller has it already. */
async function runScreenTx(tx: Executor, item: Item, actor: AnyActor, at: Date, hash?: string): Promise<Screening> {
  hash ??= await contentHashOf(tx, item);
  const last = await repo.latestScreening(tx, item.id);
  if (last && last.contentHash === hash) return last;
  const files = (await repo.attachmentTexts(tx, [item.id])).get(item.id) ?? [];
  const hits: ScreeningHit[] = screenText(screenedText(item, files), { words: await wordRules(tx, item.agencyId) });
  const id = await repo.insertScreening(tx, {
    item_id: item.id, content_hash: hash, hit_count: hits.length, hits, run_by: 'userId' in actor ? actor.userId : null, run_at: at.toISOString(),
    override_reason: null, override_by: null, override_at: null,
  });
  await repo.insertStep(tx, { item_id: item.id, step: 'screen', outcome: hits.length ? 'fail' : 'pass', opinion: hits.length ? `发现 ${hits.length} 处问题` : '未发现问题', content_hash: hash, ...stepActor(actor), at: at.toISOString() });
  await appendAudit(tx, { actor: actor as AuditInput['actor'], agencyId: item.agencyId, action: 'item.screen', entity: 'item', entityId: item.id, data: { hits: hits.length, kinds: [...new Set(hits.map((h) => h.kind))] }, at });
  return { id, itemId: item.id, contentHash: hash, hitCount: hits.length, hits, runBy: null, runAt: at.toISOString(), overrideReason: null, overrideBy: null, overrideAt: null };
}

/** Runs the screen on the item's current content (kept with the item; reused while the content is unchanged). */
export async function screenItem(ctx: Ctx, actor: Actor, id: number): Promise<Screening> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['editor', 'reviewer'], '运行内容筛查');
  return ctx.db.transaction().execute((tx) => runScreenTx(tx, item, actor, ctx.now()));
}

/** A reviewer lets hits through with a written reason (e.g. the number is the agency's public hotline). */
export async function overrideScreen(ctx: Ctx, actor: Actor, id: number, reason: string | undefined): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['reviewer'], '放行筛查结果');
  const r = cleanLine(reason);
  if (r.length < 4) throw invalid('请写明放行理由（至少 4 个字）', [{ field: 'reason', message: '请写明放行理由（至少 4 个字）' }]);
  if (item.status !== 'in_review') throw new AppError('conflict', '只有待审核的信息可以放行筛查结果', { reason: 'item.not_in_review' });
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const s = await runScreenTx(tx, item, actor, at);
    if (s.hitCount === 0) throw new AppError('conflict', '筛查未发现问题，无需放行', { reason: 'item.nothing_to_override' });
    await repo.setOverride(tx, s.id, r, actor.userId, at.toISOString());
    await repo.insertStep(tx, { item_id: id, step: 'override', outcome: 'pass', opinion: r, content_hash: s.contentHash, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.screen_override', entity: 'item', entityId: id, data: { hits: s.hitCount, reason: r }, at });
  });
}

// ---------------------------------------------------------------------------------------------
// Workflow

/** Someone changed the item between reading and writing (an editor's save, another reviewer): nothing written. */
const changedMeanwhile = () => new AppError('conflict', '该信息刚刚被他人修改或处理，请刷新页面查看最新内容后重试', { reason: 'item.changed_meanwhile' });

/** The item re-read inside the transaction, in one of `statuses` (the workflow's steps act on what is stored now). */
async function reloadIn(tx: Executor, id: number, statuses: ItemStatus[], what: string): Promise<Item> {
  const cur = await repo.findItem(tx, id);
  if (!cur) throw notFound('信息');
  assertStatus(cur, statuses, what);
  return cur;
}

function assertStatus(item: Item, statuses: ItemStatus[], what: string): void {
  if (!statuses.includes(item.status)) {
    throw new AppError('conflict', `信息当前状态为“${ITEM_STATUS_LABELS[item.status]}”，不能${what}`, { reason: 'item.wrong_status' });
  }
}

export async function submitForReview(ctx: Ctx, actor: Actor, id: number): Promise<Screening> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['editor'], '提交审核');
  assertStatus(item, ['draft'], '提交审核');
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    // What is submitted and screened is what is stored now, and only if nobody changes it before the write.
    const cur = await reloadIn(tx, id, ['draft'], '提交审核');
    if (!(await repo.updateItemIf(tx, id, { status: 'in_review', updated_at: at.toISOString() }, { status: 'draft', version: cur.version }))) throw changedMeanwhile();
    const hash = await contentHashOf(tx, cur);
    await repo.insertStep(tx, { item_id: id, step: 'submit', outcome: null, opinion: null, content_hash: hash, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.submit', entity: 'item', entityId: id, data: {}, at });
    return runScreenTx(tx, cur, actor, at, hash);
  });
}

/** 保密审查: the reviewer's recorded opinion; a failed review sends the item back to the editor. */
export async function confidentialityReview(ctx: Ctx, actor: Actor, id: number, input: { outcome?: string; opinion?: string }): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['reviewer'], '进行保密审查');
  assertStatus(item, ['in_review'], '进行保密审查');
  const fields: FieldError[] = [];
  if (input.outcome !== 'pass' && input.outcome !== 'fail') fields.push({ field: 'outcome', message: '请选择保密审查结论' });
  const opinion = cleanLine(input.opinion);
  if (!opinion) fields.push({ field: 'opinion', message: '请填写保密审查意见' });
  else if (opinion.length > 1000) fields.push({ field: 'opinion', message: '审查意见不超过 1000 字' });
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.insertStep(tx, { item_id: id, step: 'confidentiality', outcome: input.outcome!, opinion, content_hash: await contentHashOf(tx, item), ...stepActor(actor), at: at.toISOString() });
    if (input.outcome === 'fail') await repo.updateItem(tx, id, { status: 'draft', updated_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.confidentiality_review', entity: 'item', entityId: id, data: { outcome: input.outcome, opinion }, at });
  });
}

/** What still stands between an item in review and its approval (Chinese, empty when none). `hash`: as runScreenTx. */
export async function reviewBlockers(db: Executor, item: Item, hash?: string): Promise<string[]> {
  const out: string[] = [];
  hash ??= await contentHashOf(db, item);
  const s = await repo.latestScreening(db, item.id);
  if (!s || s.contentHash !== hash) out.push('内容已修改，需要重新运行内容筛查');
  else if (s.hitCount > 0 && !s.overrideReason) out.push(`内容筛查发现 ${s.hitCount} 处问题，请修改后重新筛查，或由审核人写明理由放行`);
  const steps = await repo.listSteps(db, item.id);
  const conf = [...steps].reverse().find((st) => st.step === 'confidentiality');
  if (!conf || conf.contentHash !== hash || conf.outcome !== 'pass') out.push('尚未对当前内容完成保密审查');
  return out;
}

/** 审核: passes only when the screen on the current content is clean or overridden and the 保密审查 passed. */
export async function approveReview(ctx: Ctx, actor: Actor, id: number, opinion?: string): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['reviewer'], '审核');
  assertStatus(item, ['in_review'], '审核通过');
  const blockers = await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    // Screen and judge the content stored now; approve it only if an editor's save has not changed it since
    // (otherwise unscreened content would be approved and published).
    const cur = await reloadIn(tx, id, ['in_review'], '审核通过');
    const hash = await contentHashOf(tx, cur);
    await runScreenTx(tx, cur, actor, at, hash);
    const b = await reviewBlockers(tx, cur, hash);
    if (b.length) return b;
    if (!(await repo.updateItemIf(tx, id, { status: 'approved', updated_at: at.toISOString() }, { status: 'in_review', version: cur.version }))) throw changedMeanwhile();
    await repo.insertStep(tx, { item_id: id, step: 'review', outcome: 'pass', opinion: cleanLine(opinion) || null, content_hash: hash, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.review', entity: 'item', entityId: id, data: { outcome: 'pass' }, at });
    return [];
  });
  // The screen run is kept even when the review is blocked.
  if (blockers.length) throw new AppError('unprocessable', `不能通过审核：${blockers.join('；')}`, { reason: 'item.review_blocked' });
}

/** Back to the editor, with the reason: by the reviewer during review, or by the approver before sign-off. */
export async function returnItem(ctx: Ctx, actor: Actor, id: number, reason: string | undefined): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertStatus(item, ['in_review', 'approved'], '退回');
  assertAnyRole(actor, agency, item.status === 'in_review' ? ['reviewer'] : ['approver'], '退回修改');
  const r = cleanLine(reason);
  if (!r) throw invalid('请填写退回理由', [{ field: 'reason', message: '请填写退回理由' }]);
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateItem(tx, id, { status: 'draft', updated_at: at.toISOString() });
    await repo.insertStep(tx, { item_id: id, step: 'return', outcome: null, opinion: r, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.return', entity: 'item', entityId: id, data: { reason: r, from: item.status }, at });
  });
}

function searchDoc(
  item: Pick<Item, 'id' | 'agencyId' | 'title' | 'summary' | 'bodyText' | 'categoryName' | 'publishedOn' | 'docNumber'>,
  agency: Agency,
  attachments: { name: string; text: string }[] = [],
): SearchDoc {
  return {
    itemId: item.id, agencyId: item.agencyId, agencyCode: agency.code, agencyName: agency.name, title: item.title, summary: item.summary,
    body: item.bodyText, category: item.categoryName, publishedOn: item.publishedOn ?? '', docNumber: item.docNumber, url: itemUrl(item.id), attachments,
  };
}

/**
 * 签发: publishes the item (and, "三同步", the approved interpretations of a policy with it). An interpretation
 * goes out only with or after its policy.
 */
export async function signOff(ctx: Ctx, actor: Actor, id: number, input: { publishedOn?: string } = {}): Promise<Item> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['approver'], '签发');
  assertStatus(item, ['approved'], '签发');
  const at = ctx.now();
  const today = todayCst(at);
  const publishedOn = cleanLine(input.publishedOn) || today;
  if (!isIsoDate(publishedOn)) throw invalid(`发布日期格式不正确：${publishedOn}`, [{ field: 'publishedOn', message: `发布日期格式不正确：${publishedOn}` }]);
  if (publishedOn > today) throw invalid('发布日期不能晚于今天', [{ field: 'publishedOn', message: '发布日期不能晚于今天' }]);
  if (item.generatedOn && publishedOn < item.generatedOn) throw invalid(`发布日期早于生成日期 ${item.generatedOn}`, [{ field: 'publishedOn', message: `发布日期早于生成日期 ${item.generatedOn}` }]);
  const cal = await loadCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    // A published annual report locks its year: an item published in it would change the report's figures.
    await assertYearsOpen(tx, agency, [publishedOn]);
    if (item.interpretsItemId) {
      const policy = await repo.findItem(tx, item.interpretsItemId);
      if (!policy || policy.status !== 'published') {
        throw new AppError('unprocessable', '政策解读应与所解读的政策文件同步发布：请先签发政策文件（签发政策文件时，已审核的解读会一同发布）', { reason: 'item.policy_unpublished' });
      }
    }
    const withIt = (await repo.listItems(tx, { interpretationsOf: id, statuses: ['approved'] }, { limit: 100, offset: 0, count: false })).rows;
    const published: Item[] = [];
    // The item as stored now: still approved and unchanged since it was read here (a conditional update).
    const cur = await reloadIn(tx, id, ['approved'], '签发');
    for (const target of [cur, ...(await Promise.all(withIt.map((r) => repo.findItem(tx, r.id))))]) {
      if (!target) continue;
      const late = lateFlag(cal, target.generatedOn, publishedOn);
      if (!(await repo.updateItemIf(tx, target.id, { status: 'published', published_on: publishedOn, late, updated_at: at.toISOString() }, { status: 'approved', version: target.version }))) throw changedMeanwhile();
      await repo.insertStep(tx, {
        item_id: target.id, step: 'sign_off', outcome: 'pass', opinion: target.id === id ? null : `随政策文件（${item.indexNo}）同步发布`, content_hash: await contentHashOf(tx, target), ...stepActor(actor), at: at.toISOString(),
      });
      await appendAudit(tx, { actor, agencyId: target.agencyId, action: 'item.publish', entity: 'item', entityId: target.id, data: { indexNo: target.indexNo, publishedOn, late }, at });
      published.push({ ...target, status: 'published', publishedOn, late: late === null ? null : late === 1 });
    }
    // with the text of their attachments (read when they were uploaded): a query found only there finds the item
    const texts = await repo.attachmentTexts(tx, published.map((p) => p.id));
    await indexItems(tx, published.map((p) => searchDoc(p, agency, texts.get(p.id))));
    return (await repo.findItem(tx, id))!;
  });
}

export async function withdrawItem(ctx: Ctx, actor: Actor, id: number, reason: string | undefined): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['approver'], '撤回已发布信息');
  assertStatus(item, ['published'], '撤回');
  const r = cleanLine(reason);
  if (r.length < 2) throw invalid('请填写撤回理由', [{ field: 'reason', message: '请填写撤回理由' }]);
  await ctx.db.transaction().execute(async (tx) => {
    await assertYearsOpen(tx, agency, [item.publishedOn]);
    const at = ctx.now();
    await repo.updateItem(tx, id, { status: 'withdrawn', withdrawn_reason: r, updated_at: at.toISOString() });
    await repo.insertStep(tx, { item_id: id, step: 'withdraw', outcome: null, opinion: r, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.withdraw', entity: 'item', entityId: id, data: { indexNo: item.indexNo, reason: r }, at });
    await removeItem(tx, id);
  });
}

/** 有效性 of a published item changes (a document lapses or is abolished). */
export async function changeValidity(ctx: Ctx, actor: Actor, id: number, validity: string | undefined): Promise<void> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertAnyRole(actor, agency, ['editor', 'approver'], '变更有效性');
  if (!isValidity(validity)) throw invalid('有效性应为有效、失效或废止', [{ field: 'validity', message: '有效性应为有效、失效或废止' }]);
  if (validity === item.validity) return;
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateItem(tx, id, { validity, updated_at: at.toISOString() });
    await repo.insertStep(tx, { item_id: id, step: 'validity', outcome: null, opinion: `${item.validity} → ${validity}`, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.validity', entity: 'item', entityId: id, data: { from: item.validity, to: validity }, at });
  });
}

// ---------------------------------------------------------------------------------------------
// 错敏词 list

export async function listScreeningWords(ctx: Ctx, actor: Actor, agencyCode: string) {
  const agency = await getAgency(ctx, agencyCode);
  assertCanRead(actor, agency);
  return { defaults: DEFAULT_WORD_RULES, own: await repo.listWords(ctx.db, agency.id) };
}

export async function addScreeningWord(ctx: Ctx, actor: Actor, agencyCode: string, input: { word?: string; suggestion?: string; kind?: string; note?: string }): Promise<void> {
  const agency = await getAgency(ctx, agencyCode);
  assertAnyRole(actor, agency, ['reviewer', 'approver'], '维护错敏词表');
  const word = cleanLine(input.word);
  const fields: FieldError[] = [];
  if (!word || word.length > 50) fields.push({ field: 'word', message: '词语应为 1–50 个字' });
  const kind = input.kind === 'sensitive_wording' ? 'sensitive_wording' : 'wrong_word';
  if (fields.length) throw invalid(fields[0]!.message, fields);
  await ctx.db.transaction().execute(async (tx) => {
    const existing = await repo.listWords(tx, agency.id);
    if (existing.some((w) => w.word === word && w.agencyId === agency.id)) throw new AppError('conflict', `“${word}”已在词表中`, { fields: [{ field: 'word', message: `“${word}”已在词表中` }] });
    const at = ctx.now();
    const id = await repo.insertWord(tx, { agencyId: agency.id, word, suggestion: cleanLine(input.suggestion) || null, kind, note: cleanLine(input.note) || null, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'screening_word.add', entity: 'screening_word', entityId: id, data: { word, kind }, at });
  });
}

export async function removeScreeningWord(ctx: Ctx, actor: Actor, agencyCode: string, wordId: number): Promise<void> {
  const agency = await getAgency(ctx, agencyCode);
  assertAnyRole(actor, agency, ['reviewer', 'approver'], '维护错敏词表');
  await ctx.db.transaction().execute(async (tx) => {
    const words = await repo.listWords(tx, agency.id);
    const w = words.find((x) => x.id === wordId && x.agencyId === agency.id);
    if (!w) throw notFound('词语');
    await repo.deleteWord(tx, wordId);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'screening_word.remove', entity: 'screening_word', entityId: wordId, data: { word: w.word }, at: ctx.now() });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading: office

export interface OfficeItemView {
  item: Item;
  agency: Agency;
  categories: Category[];
  screening: Screening | undefined;
  screeningCurrent: boolean;
  steps: Step[];
  attachments: Attachment[];
  policy: Item | undefined;
  interpretations: ItemListRow[];
  blockers: string[];
  can: { edit: boolean; submit: boolean; screen: boolean; override: boolean; confidentiality: boolean; approve: boolean; returnIt: boolean; signOff: boolean; withdraw: boolean; validity: boolean };
}

export async function officeItem(ctx: Ctx, actor: Actor, id: number): Promise<OfficeItemView> {
  const item = await loadItem(ctx, id);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertCanRead(actor, agency);
  const [categories, screening, steps, attachments, policy, interpretations] = await Promise.all([
    categoriesOf(ctx, agency.id),
    repo.latestScreening(ctx.db, id),
    repo.listSteps(ctx.db, id),
    repo.listAttachments(ctx.db, id),
    item.interpretsItemId ? repo.findItem(ctx.db, item.interpretsItemId) : Promise.resolve(undefined),
    repo.listItems(ctx.db, { interpretationsOf: id }, { limit: 50, offset: 0, count: false }).then((r) => r.rows),
  ]);
  const role = (r: Role[]) => hasRole(actor, agency, r);
  const s = item.status;
  const hash = contentHash(item, attachments);
  return {
    item, agency, categories, screening, steps, attachments, policy, interpretations,
    screeningCurrent: !!screening && screening.contentHash === hash,
    blockers: s === 'in_review' ? await reviewBlockers(ctx.db, item, hash) : [],
    can: {
      edit: (s === 'draft' && role(['editor'])) || (s === 'in_review' && role(['editor', 'reviewer'])),
      submit: s === 'draft' && role(['editor']),
      screen: (s === 'draft' || s === 'in_review') && role(['editor', 'reviewer']),
      override: s === 'in_review' && role(['reviewer']),
      confidentiality: s === 'in_review' && role(['reviewer']),
      approve: s === 'in_review' && role(['reviewer']),
      returnIt: (s === 'in_review' && role(['reviewer'])) || (s === 'approved' && role(['approver'])),
      signOff: s === 'approved' && role(['approver']),
      withdraw: s === 'published' && role(['approver']),
      validity: s === 'published' && role(['editor', 'approver']),
    },
  };
}

export interface OfficeListFilter {
  agency?: string;
  status?: string;
  late?: string;
  q?: string;
  page?: number;
}

export async function officeList(ctx: Ctx, actor: Actor, f: OfficeListFilter) {
  const all = await listAgencies(ctx);
  const readable = all.filter((a) => canRead(actor, a));
  const agencyIds = f.agency ? readable.filter((a) => a.code === f.agency).map((a) => a.id) : readable.map((a) => a.id);
  const today = todayCst(ctx.now());
  const statuses = (repo.ITEM_STATUSES as readonly string[]).includes(f.status ?? '') ? [f.status as ItemStatus] : undefined;
  const pageSize = 30;
  const page = Math.max(1, Math.min(10_000, f.page ?? 1));
  const filter: repo.ItemFilter = { agencyIds, statuses, titleContains: f.q || undefined };
  if (f.late === 'late') filter.late = true;
  if (f.late === 'overdue') filter.overdueOn = today;
  const [list, counts] = await Promise.all([
    repo.listItems(ctx.db, filter, { limit: pageSize, offset: (page - 1) * pageSize, order: 'updated' }),
    repo.statusCounts(ctx.db, agencyIds, today),
  ]);
  const draftable = readable.filter((a) => hasRole(actor, a, ['editor']));
  return { ...list, page, pages: Math.max(1, Math.ceil(list.total / pageSize)), counts, agencies: readable, draftable, today };
}

// ---------------------------------------------------------------------------------------------
// Reading: portal and API

export interface PublicItem {
  item: Item;
  agency: Agency;
  policy: { id: number; title: string; url: string } | null;
  interpretations: { id: number; title: string; url: string; publishedOn: string | null }[];
  attachments: Attachment[];
}

/** A published item as the public sees it (staff who can read the agency also see unpublished ones). */
export async function publicItem(ctx: Ctx, id: number, actor?: Actor | null): Promise<PublicItem> {
  const item = isRowId(id) ? await repo.findItem(ctx.db, id) : undefined;
  if (!item) throw notFound('信息');
  const agency = await getAgencyById(ctx, item.agencyId);
  if (item.status !== 'published' && !(actor && canRead(actor, agency))) throw notFound('信息');
  const [policy, interps, attachments] = await Promise.all([
    item.interpretsItemId ? repo.findItem(ctx.db, item.interpretsItemId) : Promise.resolve(undefined),
    repo.listItems(ctx.db, { interpretationsOf: id, statuses: ['published'] }, { limit: 50, offset: 0, count: false }),
    repo.listAttachments(ctx.db, id),
  ]);
  return {
    item,
    agency,
    policy: policy && (policy.status === 'published' || (actor && canRead(actor, agency))) ? { id: policy.id, title: policy.title, url: itemUrl(policy.id) } : null,
    interpretations: interps.rows.map((r) => ({ id: r.id, title: r.title, url: itemUrl(r.id), publishedOn: r.publishedOn })),
    attachments,
  };
}

export interface CatalogueQuery {
  agencyCode?: string;
  categoryId?: number;
  year?: number;
  validity?: string;
  page?: number;
  pageSize?: number;
}

export async function catalogue(ctx: Ctx, q: CatalogueQuery) {
  const agency = q.agencyCode ? await getAgency(ctx, q.agencyCode) : undefined;
  const pageSize = Math.min(100, Math.max(5, q.pageSize ?? 20));
  const page = Math.max(1, Math.min(50_000, q.page ?? 1));
  const validity = isValidity(q.validity) ? q.validity : undefined;
  const [cats, years, list] = await Promise.all([
    agency ? categoriesOf(ctx, agency.id) : Promise.resolve([] as CategoryWithCount[]),
    repo.publishedYears(ctx.db, agency?.id),
    repo.listItems(
      ctx.db,
      { agencyIds: agency ? [agency.id] : undefined, statuses: ['published'], categoryId: q.categoryId, year: q.year, validity },
      { limit: pageSize, offset: (page - 1) * pageSize },
    ),
  ]);
  const category = q.categoryId !== undefined ? cats.find((c) => c.id === q.categoryId) : undefined;
  if (agency && q.categoryId !== undefined && !category) throw notFound('栏目');
  return { agency, categories: cats, category, years, ...list, page, pageSize, pages: Math.max(1, Math.ceil(list.total / pageSize)), validity, year: q.year };
}

/** For the portal home: the newest published items. */
export async function latestPublished(
  ctx: Ctx,
  opts: { agencyIds?: number[]; category?: string; limit: number },
): Promise<{ id: number; title: string; url: string; publishedOn: string; agencyName: string; category: string }[]> {
  const rows = await repo.latestPublished(ctx.db, { agencyIds: opts.agencyIds, categoryName: opts.category, limit: Math.min(200, Math.max(1, opts.limit)) });
  return rows.map((r) => ({ id: r.id, title: r.title, url: itemUrl(r.id), publishedOn: r.publishedOn ?? '', agencyName: r.agencyName, category: r.categoryName }));
}

export async function agencyOverview(ctx: Ctx, code: string) {
  const agency = await getAgency(ctx, code);
  const [categories, latest] = await Promise.all([categoriesOf(ctx, agency.id), repo.latestPublished(ctx.db, { agencyIds: [agency.id], limit: 10 })]);
  return { agency, categories, latest };
}

export async function feed(ctx: Ctx, code: string, categoryId?: number) {
  const agency = await getAgency(ctx, code);
  let category: Category | undefined;
  if (categoryId !== undefined) {
    category = isRowId(categoryId) ? await repo.findCategory(ctx.db, categoryId) : undefined;
    if (!category || category.agencyId !== agency.id) throw notFound('栏目');
  }
  const items = await repo.feedItems(ctx.db, { agencyId: agency.id, categoryId, limit: 50 });
  return { agency, category, items };
}

export const countPublished = (ctx: Ctx) => repo.countPublished(ctx.db);
/** Published items in id order (for sitemap.xml). */
export const publishedSlice = (ctx: Ctx, offset: number, limit: number) => repo.publishedSlice(ctx.db, offset, limit);

export async function attachmentFor(ctx: Ctx, id: number, actor?: Actor | null): Promise<{ attachment: Attachment; item: Item }> {
  const attachment = await repo.findAttachment(ctx.db, id);
  if (!attachment) throw notFound('附件');
  const { item } = await publicItem(ctx, attachment.itemId, actor);
  return { attachment, item };
}

/** Internal to this module (attachments, import): the repository and helpers in one place. */
export const internals = { repo, loadItem, stepActor, searchDoc, ensureCategories, dueDate, contentHash, indexPrefix };
export { parseIndexNo };
