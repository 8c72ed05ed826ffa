/**
 * 政府信息公开目录 — 条例第12条 (the catalogue: 索引、名称、内容概述、生成日期 …) and the timeliness rule of
 * 第26条 (proactive information is published within 20 工作日 of being generated or changed).
 * 索引号 and the further metadata fields follow 《政府信息公开目录系统实施指引（试行）》 as portals print it
 * (../shared/spec/portal.md): organisation code + '/' + year + '-' + 5-digit serial, e.g. XXXXXXXXX/2025-00042.
 */
import { CalendarNotCoveredError, isIsoDate, type Calendar, type IsoDate } from './calendar.js';

// ---------------------------------------------------------------------------------------------
// 索引号

export interface IndexNo {
  orgCode: string;
  year: number;
  serial: number;
}

/**
 * The organisation code part: the 9-character 组织机构代码, the 18-character 统一社会信用代码, or an agency's own
 * code — upper-case letters, digits and hyphens, no '/'. (Which code an agency uses is its choice in practice.)
 */
const ORG_CODE_RE = /^[0-9A-Z][0-9A-Z-]{1,29}$/;
const INDEX_NO_RE = /^([0-9A-Z][0-9A-Z-]{1,29})\/(\d{4})-(\d{5})$/;
export const MAX_INDEX_SERIAL = 99_999;

export function isValidOrgCode(code: string): boolean {
  return ORG_CODE_RE.test(code);
}

/** 'XXXXXXXXX/2025-00042'. Throws RangeError on a bad code, year or serial. */
export function formatIndexNo(orgCode: string, year: number, serial: number): string {
  if (!isValidOrgCode(orgCode)) throw new RangeError(`机构代码不正确：${orgCode}（应为大写字母、数字或连字符）`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`年份不正确：${year}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_INDEX_SERIAL) throw new RangeError(`流水号应为 1 至 ${MAX_INDEX_SERIAL}：${serial}`);
  return `${orgCode}/${year}-${String(serial).padStart(5, '0')}`;
}

/** Parses an 索引号, or null when it is not of the form CODE/YYYY-NNNNN. */
export function parseIndexNo(s: string): IndexNo | null {
  const m = INDEX_NO_RE.exec(s.trim());
  if (!m) return null;
  const serial = Number(m[3]);
  if (serial < 1) return null;
  return { orgCode: m[1]!, year: Number(m[2]), serial };
}

/** The next 索引号 of the year after the highest serial used so far (0 when none). */
export function nextIndexNo(orgCode: string, year: number, lastSerial: number): string {
  return formatIndexNo(orgCode, year, lastSerial + 1);
}

// ---------------------------------------------------------------------------------------------
// Catalogue fields

export type CatalogueFieldKey =
  | 'indexNo'
  | 'title'
  | 'summary'
  | 'generatedOn'
  | 'publisher'
  | 'publishedOn'
  | 'docNumber'
  | 'category'
  | 'genre'
  | 'disclosureMode'
  | 'validity';

export interface CatalogueField {
  key: CatalogueFieldKey;
  label: string;
  /** Named in 条例第12条第三款 (索引、名称、内容概述、生成日期). */
  statutory: boolean;
}

/** The metadata box above an item, in the order portals print it. */
export const CATALOGUE_FIELDS: readonly CatalogueField[] = [
  { key: 'indexNo', label: '索引号', statutory: true },
  { key: 'title', label: '名称', statutory: true },
  { key: 'summary', label: '内容概述', statutory: true },
  { key: 'publisher', label: '发布机构', statutory: false },
  { key: 'generatedOn', label: '生成日期', statutory: true },
  { key: 'publishedOn', label: '发布日期', statutory: false },
  { key: 'docNumber', label: '文号', statutory: false },
  { key: 'category', label: '主题分类', statutory: false },
  { key: 'genre', label: '体裁分类', statutory: false },
  { key: 'disclosureMode', label: '公开方式', statutory: false },
  { key: 'validity', label: '有效性', statutory: false },
];

export const CATALOGUE_FIELD_LABELS: Record<CatalogueFieldKey, string> = Object.fromEntries(
  CATALOGUE_FIELDS.map((f) => [f.key, f.label]),
) as Record<CatalogueFieldKey, string>;

/** 条例第12条第三款, verbatim. */
export const CATALOGUE_ARTICLE_TEXT = '政府信息公开目录包括政府信息的索引、名称、内容概述、生成日期等内容。';

export const VALIDITY_VALUES = ['valid', 'invalid', 'abolished'] as const;
export type Validity = (typeof VALIDITY_VALUES)[number];
export const VALIDITY_LABELS: Record<Validity, string> = { valid: '有效', invalid: '失效', abolished: '废止' };

export function isValidity(s: unknown): s is Validity {
  return typeof s === 'string' && (VALIDITY_VALUES as readonly string[]).includes(s);
}

/** 公开方式 / 公开属性. */
export const DISCLOSURE_MODES = ['proactive', 'on_request', 'not_disclosed'] as const;
export type DisclosureMode = (typeof DISCLOSURE_MODES)[number];
export const DISCLOSURE_MODE_LABELS: Record<DisclosureMode, string> = {
  proactive: '主动公开',
  on_request: '依申请公开',
  not_disclosed: '不予公开',
};

/** 主题分类, as on gov.cn and local portals (portal.md), in order. */
export const SUBJECT_CATEGORIES = [
  '政府组织机构',
  '综合政务',
  '国民经济管理、国有资产监管',
  '财政、金融、审计',
  '国土资源、能源',
  '农业、林业、水利',
  '工业、交通',
  '商贸、海关、旅游',
  '市场监管、安全生产监管',
  '城乡建设、环境保护',
  '科技、教育',
  '文化、广电、新闻出版',
  '卫生、体育',
  '人口与计划生育、妇女儿童工作',
  '劳动、人事、监察',
  '公安、安全、司法',
  '民政、扶贫、救灾',
  '民族、宗教',
  '对外事务',
  '港澳台侨工作',
  '国防',
  '其他',
] as const;
export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];

export function isSubjectCategory(s: unknown): s is SubjectCategory {
  return typeof s === 'string' && (SUBJECT_CATEGORIES as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------------------------
// 第26条: timeliness

/** 第26条: 20 工作日 (laws and regulations may set another period: a parameter). */
export const PUBLICATION_LIMIT_WORKING_DAYS = 20;

export type Timeliness =
  | { status: 'on_time' | 'late'; workingDays: number; deadline: IsoDate; message: string }
  | { status: 'not_covered'; year: number; message: string }
  | { status: 'invalid'; message: string };

/**
 * Whether an item was published within the limit of 第26条: counted like every limit here, from the day after
 * generatedOn (DERIVED), `workingDays` = working days after generatedOn up to and including publishedOn.
 */
export function publicationTimeliness(
  generatedOn: IsoDate,
  publishedOn: IsoDate,
  calendar: Calendar,
  limitWorkingDays: number = PUBLICATION_LIMIT_WORKING_DAYS,
): Timeliness {
  if (!isIsoDate(generatedOn)) return { status: 'invalid', message: `生成日期格式不正确：${String(generatedOn)}` };
  if (!isIsoDate(publishedOn)) return { status: 'invalid', message: `发布日期格式不正确：${String(publishedOn)}` };
  if (publishedOn < generatedOn) return { status: 'invalid', message: `发布日期 ${publishedOn} 早于生成日期 ${generatedOn}` };
  try {
    const deadline = calendar.addWorkingDays(generatedOn, limitWorkingDays);
    const workingDays = calendar.workingDaysBetween(generatedOn, publishedOn);
    const onTime = publishedOn <= deadline;
    const message = onTime
      ? `生成日期 ${generatedOn}，发布日期 ${publishedOn}，用时 ${workingDays} 个工作日，在 ${limitWorkingDays} 个工作日内（第26条）`
      : `生成日期 ${generatedOn}，发布日期 ${publishedOn}，用时 ${workingDays} 个工作日，超过第26条规定的 ${limitWorkingDays} 个工作日（应于 ${deadline} 前公开）`;
    return { status: onTime ? 'on_time' : 'late', workingDays, deadline, message };
  } catch (e) {
    if (e instanceof CalendarNotCoveredError) return { status: 'not_covered', year: e.year, message: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// A catalogue entry's fields (the import contract: title, category, publishedOn required)

export interface CatalogueEntryInput {
  title?: unknown;
  summary?: unknown;
  category?: unknown;
  generatedOn?: unknown;
  publishedOn?: unknown;
  docNumber?: unknown;
  publisher?: unknown;
  validity?: unknown;
  indexNo?: unknown;
}

/** Chinese problems with an entry's fields (empty when acceptable). */
export function validateCatalogueEntry(e: CatalogueEntryInput): string[] {
  const problems: string[] = [];
  const text = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
  if (!text(e.title)) problems.push('缺少名称（title）');
  if (!text(e.category)) problems.push('缺少主题分类（category）');
  if (!text(e.publishedOn)) problems.push('缺少发布日期（publishedOn）');
  else if (!isIsoDate(e.publishedOn)) problems.push(`发布日期格式不正确：${String(e.publishedOn)}`);
  if (e.generatedOn !== undefined && e.generatedOn !== null && e.generatedOn !== '') {
    if (!isIsoDate(e.generatedOn)) problems.push(`生成日期格式不正确：${String(e.generatedOn)}`);
    else if (isIsoDate(e.publishedOn) && e.publishedOn < e.generatedOn) problems.push(`发布日期 ${e.publishedOn} 早于生成日期 ${e.generatedOn}`);
  }
  if (e.validity !== undefined && e.validity !== null && e.validity !== '' && !isValidity(e.validity)) {
    problems.push(`有效性应为 valid（有效）、invalid（失效）或 abolished（废止）：${String(e.validity)}`);
  }
  if (e.indexNo !== undefined && e.indexNo !== null && e.indexNo !== '' && (typeof e.indexNo !== 'string' || !parseIndexNo(e.indexNo))) {
    problems.push(`索引号格式不正确：${String(e.indexNo)}（应为 机构代码/年份-5位流水号）`);
  }
  for (const k of ['summary', 'docNumber', 'publisher'] as const) {
    if (e[k] !== undefined && e[k] !== null && typeof e[k] !== 'string') problems.push(`${CATALOGUE_FIELD_LABELS[k]}应为文字`);
  }
  return problems;
}
