/**
 * The registries behind table 二 of the annual report (条例第20条第（一）（五）（六）（八）项) and the
 * new-media record: 规章 and 行政规范性文件 with their 制发 / 废止 dates; 行政许可 / 行政处罚 / 行政强制
 * decisions, one by one or as counted (imported) totals; 行政事业性收费 collected; what went out on each
 * new-media channel. Entries are made by the agency's editors and approvers, in the office or by a system
 * through the API; every entry is audit-logged in its transaction.
 */
import { isIsoDate } from '../../law/calendar.js';
import { isRowId } from '../../db/dialect.js';
import { AppError, invalid, type FieldError } from '../../errors.js';
import type { ProactiveTable } from '../../law/report-model.js';
import { assertCanRead, assertRole } from '../accounts/access.js';
import { getAgency, getAgencyById, type Agency } from '../agencies/agencies.service.js';
import { assertYearsOpen } from '../year-lock/year-lock.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import type { Actor, Ctx } from '../context.js';
import * as repo from './registries.repository.js';
import { CHANNELS, DECISION_KINDS, DOCUMENT_KINDS, type Channel, type DecisionKind, type DocumentKind } from './registries.repository.js';

export { CHANNELS, DECISION_KINDS, DOCUMENT_KINDS };
export type { Channel, DecisionKind, DocumentKind };
export type { Decision, FeeCollection, NewMediaPost, NormativeDocument } from './registries.repository.js';

/** Row labels of table 二 (国办公开办函〔2021〕30号), verbatim. */
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = { rule: '规章', normative_document: '行政规范性文件' };
export const DECISION_KIND_LABELS: Record<DecisionKind, string> = { licensing: '行政许可', penalty: '行政处罚', enforcement: '行政强制' };
export const CHANNEL_LABELS: Record<Channel, string> = {
  wechat: '微信公众号',
  douyin: '抖音',
  toutiao: '今日头条',
  weibo: '微博',
  app: '客户端',
  video: '视频号',
  other: '其他',
};

const WRITERS = ['editor', 'approver'] as const;

// ---------------------------------------------------------------------------------------------------------
// Validation

function text(v: unknown, max: number): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s ? s.slice(0, max + 1) : null;
}

class Checker {
  errors: FieldError[] = [];
  add(field: string, message: string) {
    this.errors.push({ field, message });
  }
  date(field: string, v: unknown, label: string, required = true): string | null {
    if (v === undefined || v === null || v === '') {
      if (required) this.add(field, `请填写${label}`);
      return null;
    }
    if (!isIsoDate(v)) {
      this.add(field, `${label}“${String(v)}”不是有效日期（格式 YYYY-MM-DD）`);
      return null;
    }
    return v;
  }
  count(field: string, v: unknown, label = '数量'): number {
    if (v === undefined || v === null || v === '') return 1;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
      this.add(field, `${label}应为 1 至 10000000 之间的整数`);
      return 1;
    }
    return n;
  }
  maxLen(field: string, v: string | null, max: number, label: string) {
    if (v && v.length > max) this.add(field, `${label}过长（不超过 ${max} 字）`);
  }
  done() {
    if (this.errors.length) throw invalid(this.errors.map((e) => e.message).join('；'), this.errors);
  }
}

async function writableAgency(ctx: Ctx, actor: Actor, agencyCode: string | undefined): Promise<Agency> {
  const agency = agencyCode ? await getAgency(ctx, agencyCode) : await getAgencyById(ctx, actor.agencyId);
  assertRole(actor, agency, WRITERS, '登记该机构的规范性文件、执法决定、收费和新媒体信息');
  return agency;
}

// ---------------------------------------------------------------------------------------------------------
// Entries

export interface DocumentInput {
  kind?: string;
  title?: string;
  docNumber?: string | null;
  issuedOn?: string;
  abolishedOn?: string | null;
  itemId?: number | null;
}

/** Register a 规章 or 行政规范性文件 (制发日期, and 废止日期 when it has been abolished). */
export async function addDocument(ctx: Ctx, actor: Actor, agencyCode: string | undefined, input: DocumentInput): Promise<repo.NormativeDocument> {
  const agency = await writableAgency(ctx, actor, agencyCode);
  const c = new Checker();
  const kind = input.kind as DocumentKind;
  if (!DOCUMENT_KINDS.includes(kind)) c.add('kind', '请选择类别：规章（rule）或行政规范性文件（normative_document）');
  const title = text(input.title, 300);
  if (!title) c.add('title', '请填写文件名称');
  c.maxLen('title', title, 300, '文件名称');
  const docNumber = text(input.docNumber, 100);
  c.maxLen('docNumber', docNumber, 100, '文号');
  const issuedOn = c.date('issuedOn', input.issuedOn, '制发日期');
  const abolishedOn = c.date('abolishedOn', input.abolishedOn, '废止日期', false);
  if (issuedOn && abolishedOn && abolishedOn < issuedOn) c.add('abolishedOn', `废止日期 ${abolishedOn} 早于制发日期 ${issuedOn}`);
  const itemId = input.itemId == null || (input.itemId as unknown) === '' ? null : Number(input.itemId);
  if (itemId !== null && (!Number.isInteger(itemId) || itemId < 1)) c.add('itemId', '关联信息编号应为正整数');
  c.done();
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [issuedOn, abolishedOn]);
    const doc = { agencyId: agency.id, kind, title: title!, docNumber, issuedOn: issuedOn!, abolishedOn, itemId };
    const id = await repo.insertDocument(tx, doc, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'registry.document.add', entity: 'normative_document', entityId: id, data: { kind, title, docNumber, issuedOn, abolishedOn }, at });
    return { id, ...doc };
  });
}

/** Record (or clear, with null) the 废止日期 of a registered document. */
export async function abolishDocument(ctx: Ctx, actor: Actor, id: number, abolishedOn: string | null): Promise<repo.NormativeDocument> {
  const doc = isRowId(id) ? await repo.findDocument(ctx.db, id) : undefined;
  if (!doc) throw new AppError('not_found', '该文件登记不存在');
  const agency = await getAgencyById(ctx, doc.agencyId);
  assertRole(actor, agency, WRITERS, '修改该机构的文件登记');
  const c = new Checker();
  const on = c.date('abolishedOn', abolishedOn, '废止日期', false);
  if (on && on < doc.issuedOn) c.add('abolishedOn', `废止日期 ${on} 早于制发日期 ${doc.issuedOn}`);
  c.done();
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [doc.abolishedOn, on]);
    await repo.setAbolished(tx, id, on, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: on ? 'registry.document.abolish' : 'registry.document.unabolish', entity: 'normative_document', entityId: id, data: { abolishedOn: on, previous: doc.abolishedOn }, at });
    return { ...doc, abolishedOn: on };
  });
}

export interface DecisionInput {
  kind?: string;
  decidedOn?: string;
  /** A yearly total imported from another system: recorded on 31 December of that year. */
  year?: number | string;
  count?: number | string;
  docNumber?: string | null;
  subject?: string | null;
}

/** Register 行政许可 / 行政处罚 / 行政强制 decisions: one (with 文号), a counted batch, or a yearly total. */
export async function addDecisions(ctx: Ctx, actor: Actor, agencyCode: string | undefined, input: DecisionInput): Promise<repo.Decision> {
  const agency = await writableAgency(ctx, actor, agencyCode);
  const c = new Checker();
  const kind = input.kind as DecisionKind;
  if (!DECISION_KINDS.includes(kind)) c.add('kind', '请选择类别：行政许可（licensing）、行政处罚（penalty）或行政强制（enforcement）');
  let decidedOn: string | null = null;
  let source: repo.Decision['source'] = 'entry';
  const hasYear = input.year !== undefined && input.year !== null && String(input.year) !== '';
  if (hasYear) {
    const y = Number(input.year);
    if (!Number.isInteger(y) || y < 2008 || y > 2100) c.add('year', '年度应为 2008 至 2100 之间的整数');
    else {
      decidedOn = `${y}-12-31`;
      source = 'imported_total';
    }
  } else decidedOn = c.date('decidedOn', input.decidedOn, '决定日期');
  const count = c.count('count', input.count, '决定数量');
  const docNumber = text(input.docNumber, 100);
  c.maxLen('docNumber', docNumber, 100, '文号');
  const subject = text(input.subject, 200);
  c.maxLen('subject', subject, 200, '事项');
  c.done();
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [decidedOn]);
    const d = { agencyId: agency.id, kind, decidedOn: decidedOn!, count, docNumber, subject, source };
    const id = await repo.insertDecision(tx, d, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'registry.decision.add', entity: 'enforcement_decision', entityId: id, data: { kind, decidedOn, count, docNumber, source }, at });
    return { id, ...d };
  });
}

export interface FeeInput {
  collectedOn?: string;
  /** Yuan, up to two decimals (e.g. "1234.50"). */
  amountYuan?: number | string;
  /** Or fen, an integer. */
  amountFen?: number | string;
  item?: string | null;
}

function yuanToFen(v: number | string): number | null {
  const s = String(v).trim();
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return null;
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number((f + '00').slice(0, 2));
}

/** Register 行政事业性收费 collected (an entry or a period's total). */
export async function addFee(ctx: Ctx, actor: Actor, agencyCode: string | undefined, input: FeeInput): Promise<repo.FeeCollection> {
  const agency = await writableAgency(ctx, actor, agencyCode);
  const c = new Checker();
  const collectedOn = c.date('collectedOn', input.collectedOn, '收费日期');
  let amountFen: number | null = null;
  if (input.amountFen !== undefined && input.amountFen !== null && String(input.amountFen) !== '') {
    const n = Number(input.amountFen);
    if (!Number.isSafeInteger(n) || n < 0) c.add('amountFen', '金额（分）应为非负整数');
    else amountFen = n;
  } else if (input.amountYuan !== undefined && input.amountYuan !== null && String(input.amountYuan) !== '') {
    amountFen = yuanToFen(input.amountYuan);
    if (amountFen === null) c.add('amountYuan', `金额“${String(input.amountYuan)}”不正确：应为元，最多两位小数，如 1234.50`);
  } else c.add('amountYuan', '请填写收费金额（元）');
  const item = text(input.item, 200);
  c.maxLen('item', item, 200, '收费项目');
  c.done();
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [collectedOn]);
    const f = { agencyId: agency.id, collectedOn: collectedOn!, amountFen: amountFen!, item };
    const id = await repo.insertFee(tx, f, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'registry.fee.add', entity: 'fee_collection', entityId: id, data: { collectedOn, amountFen, item }, at });
    return { id, ...f };
  });
}

export interface NewMediaInput {
  channel?: string;
  account?: string | null;
  publishedOn?: string;
  count?: number | string;
  title?: string | null;
  itemId?: number | null;
}

/** Register what went out on a new-media channel: one post, or a counted batch. */
export async function addNewMedia(ctx: Ctx, actor: Actor, agencyCode: string | undefined, input: NewMediaInput): Promise<repo.NewMediaPost> {
  const agency = await writableAgency(ctx, actor, agencyCode);
  const c = new Checker();
  const channel = input.channel as Channel;
  if (!CHANNELS.includes(channel)) c.add('channel', `请选择渠道：${CHANNELS.map((k) => `${CHANNEL_LABELS[k]}（${k}）`).join('、')}`);
  const publishedOn = c.date('publishedOn', input.publishedOn, '发布日期');
  const count = c.count('count', input.count, '条数');
  const account = text(input.account, 100);
  c.maxLen('account', account, 100, '账号名称');
  const title = text(input.title, 300);
  c.maxLen('title', title, 300, '标题');
  const itemId = input.itemId == null || (input.itemId as unknown) === '' ? null : Number(input.itemId);
  if (itemId !== null && (!Number.isInteger(itemId) || itemId < 1)) c.add('itemId', '关联信息编号应为正整数');
  c.done();
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [publishedOn]);
    const p = { agencyId: agency.id, channel, account, publishedOn: publishedOn!, count, title, itemId };
    const id = await repo.insertNewMedia(tx, p, at.toISOString());
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'registry.new_media.add', entity: 'new_media_post', entityId: id, data: { channel, account, publishedOn, count }, at });
    return { id, ...p };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Aggregates

function yearBounds(year: number): [string, string] {
  if (!Number.isInteger(year) || year < 1900 || year > 2100) throw invalid(`年度“${year}”不正确`);
  return [`${year}-01-01`, `${year}-12-31`];
}

/**
 * Table 二 for the agencies and year: documents issued and abolished in the year and in force on
 * 31 December (issued by then and not abolished by then); decisions summed by count; fees in 万元
 * (fen / 1,000,000, four decimals).
 */
export async function proactiveCounts(ctx: Ctx, agencyIds: number[], year: number): Promise<ProactiveTable> {
  const [start, end] = yearBounds(year);
  const [docs, decisions, fen] = await Promise.all([
    repo.documentCounts(ctx.db, agencyIds, start, end),
    repo.decisionCounts(ctx.db, agencyIds, start, end),
    repo.feeTotalFen(ctx.db, agencyIds, start, end),
  ]);
  const doc = (k: DocumentKind) => {
    const r = docs.find((d) => d.kind === k);
    return { issued: r?.issued ?? 0, abolished: r?.abolished ?? 0, inForce: r?.inForce ?? 0 };
  };
  const dec = (k: DecisionKind) => decisions.find((d) => d.kind === k)?.n ?? 0;
  return {
    rules: doc('rule'),
    normativeDocuments: doc('normative_document'),
    licensing: { decisions: dec('licensing') },
    penalties: { decisions: dec('penalty') },
    enforcement: { decisions: dec('enforcement') },
    fees: { amount10kYuan: Math.round(fen / 100) / 10_000 },
  };
}

/** Posts per new-media channel in the year (every channel present, 0 when none). */
export async function newMediaCounts(ctx: Ctx, agencyIds: number[], year: number): Promise<Record<Channel, number>> {
  const [start, end] = yearBounds(year);
  const rows = await repo.channelCounts(ctx.db, agencyIds, start, end);
  const out = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const r of rows) if ((CHANNELS as readonly string[]).includes(r.channel)) out[r.channel as Channel] += r.n;
  return out;
}

export interface RegistryOverview {
  agency: Agency;
  year: number;
  canWrite: boolean;
  proactive: ProactiveTable;
  newMedia: Record<Channel, number>;
  documents: repo.NormativeDocument[];
  decisions: repo.Decision[];
  fees: repo.FeeCollection[];
  newMediaPosts: repo.NewMediaPost[];
}

/** What the office page shows: the year's table 二 and new-media counts, and the latest entries. */
export async function registryOverview(ctx: Ctx, actor: Actor, agencyCode: string, year: number, canWrite: (a: Agency) => boolean): Promise<RegistryOverview> {
  const agency = await getAgency(ctx, agencyCode);
  assertCanRead(actor, agency);
  const [proactive, newMedia, documents, decisions, fees, newMediaPosts] = await Promise.all([
    proactiveCounts(ctx, [agency.id], year),
    newMediaCounts(ctx, [agency.id], year),
    repo.listDocuments(ctx.db, agency.id, 50),
    repo.listDecisions(ctx.db, agency.id, 30),
    repo.listFees(ctx.db, agency.id, 30),
    repo.listNewMedia(ctx.db, agency.id, 30),
  ]);
  return { agency, year, canWrite: canWrite(agency), proactive, newMedia, documents, decisions, fees, newMediaPosts };
}
