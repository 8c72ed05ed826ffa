/**
 * The vocabulary of requests: the kinds, the 第29条 form's choices, statuses, actions, letters and their
 * Chinese labels (from src/law where the law fixes them).
 */
import { CLOCK_ACTION_LABELS } from '../../law/reply-clock.js';
import { isOutcomeKey, outcomeDisplayLabel } from '../../law/outcomes.js';
import type { LetterKind } from '../../render/letters.js';

export const REQUEST_KINDS = ['disclosure', 'record_correction'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  disclosure: '政府信息公开申请',
  record_correction: '更正申请（条例第四十一条）',
};

export const ID_TYPES = ['resident_id', 'passport', 'hk_mo_tw', 'other'] as const;
export const ID_TYPE_LABELS: Record<(typeof ID_TYPES)[number], string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_mo_tw: '港澳台居民居住证或通行证',
  other: '其他有效身份证件',
};

/** 第29条第（三）项: 获取信息的方式 (form) and 途径 (delivery). */
export const FORMS_WANTED = ['paper', 'electronic'] as const;
export const FORM_WANTED_LABELS: Record<(typeof FORMS_WANTED)[number], string> = { paper: '纸质文本', electronic: '电子文档' };
export const DELIVERIES = ['post', 'email', 'pickup', 'online'] as const;
export const DELIVERY_LABELS: Record<(typeof DELIVERIES)[number], string> = { post: '邮寄', email: '电子邮件', pickup: '当面领取', online: '网上获取（在查询页面查看）' };

/** How a letter was served (送达方式). */
export const SERVICE_METHODS = ['post', 'email', 'in_person', 'online', 'fax'] as const;
export const SERVICE_METHOD_LABELS: Record<(typeof SERVICE_METHODS)[number], string> = {
  post: '邮寄送达',
  email: '电子邮件送达',
  in_person: '直接送达',
  online: '网上送达（查询页面）',
  fax: '传真送达',
};

/** 更正 (第41条) results; not rows of table 三. */
export const RECORD_OUTCOMES = ['record.corrected', 'record.rejected', 'record.transferred'] as const;
export const RECORD_OUTCOME_LABELS: Record<(typeof RECORD_OUTCOMES)[number], string> = {
  'record.corrected': '审核属实，予以更正并告知申请人',
  'record.rejected': '经审核，记录准确，不予更正',
  'record.transferred': '不属于本机关职能范围，转送有权更正的行政机关处理并告知申请人',
};

export const STATUS_LABELS: Record<string, string> = {
  open: '办理中',
  correction_pending: '等待补正',
  paused: '期限中止',
  replied: '已答复',
  reopened: '重新办理',
};

/** Actions beyond the contract's clock actions. */
export const EXTRA_ACTIONS = ['deliver', 'note', 'transfer', 'split'] as const;
export const ACTION_LABELS: Record<string, string> = {
  ...CLOCK_ACTION_LABELS,
  receive: '收到申请',
  assign: '指定承办人',
  deliver: '送达文书',
  note: '办理备注',
  split: '按一事一申请拆分计件',
  transfer: '转送有权更正的机关',
  reopen: '重新办理（复议或诉讼纠正）',
  notify: '提醒通知',
};

export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  receipt: '申请登记回执',
  correction: '补正申请告知书',
  consultation: '第三方意见征询函',
  extension: '延期答复告知书',
  fee: '信息处理费收费通知书',
  reply: '答复告知书',
};

export function outcomeLabel(key: string | null): string | null {
  if (!key) return null;
  if (isOutcomeKey(key)) return outcomeDisplayLabel(key);
  return (RECORD_OUTCOME_LABELS as Record<string, string>)[key] ?? key;
}

