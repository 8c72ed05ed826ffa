/**
 * 办理结果 — the 21 outcomes of a request: the leaf rows of table 三 (三、本年度办理结果) of the annual report
 * (国办公开办函〔2021〕30号), labels verbatim (../shared/spec/annual-report-format.md §1.5), with the article of
 * the 条例 each rests on (DERIVED mapping, regulations.md §2.6) for reply letters. Also the six applicant kinds
 * (the columns of table 三) and the request channels with the receipt-date rule of 第31条.
 */
import { APPLICANT_KINDS, OUTCOME_KEYS, type ApplicantKind, type OutcomeKey } from './report-model.js';

export { APPLICANT_KINDS, OUTCOME_KEYS };
export type { ApplicantKind, OutcomeKey };

// ---------------------------------------------------------------------------------------------
// Families (（一）…（六）)

export const OUTCOME_FAMILIES = ['disclosed', 'partially_disclosed', 'withheld', 'unavailable', 'not_processed', 'other'] as const;
export type OutcomeFamily = (typeof OUTCOME_FAMILIES)[number];

/** The row-group labels of table 三, verbatim. */
export const OUTCOME_FAMILY_LABELS: Record<OutcomeFamily, string> = {
  disclosed: '（一）予以公开',
  partially_disclosed: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  withheld: '（三）不予公开',
  unavailable: '（四）无法提供',
  not_processed: '（五）不予处理',
  other: '（六）其他处理',
};

/** The family label without its number and note, e.g. '不予公开'. */
export const OUTCOME_FAMILY_SHORT_LABELS: Record<OutcomeFamily, string> = {
  disclosed: '予以公开',
  partially_disclosed: '部分公开',
  withheld: '不予公开',
  unavailable: '无法提供',
  not_processed: '不予处理',
  other: '其他处理',
};

export interface OutcomeInfo {
  key: OutcomeKey;
  family: OutcomeFamily;
  /** The row label of table 三, verbatim: the item label ('1.属于国家秘密'), or the family label for （一）（二）. */
  label: string;
  /** The label without its item number, for letters and lists ('属于国家秘密'). */
  shortLabel: string;
  /** The article(s) of the 条例 the outcome rests on (DERIVED; the format prints none). */
  basis: string;
}

const row = (key: OutcomeKey, family: OutcomeFamily, label: string, basis: string): OutcomeInfo => ({
  key,
  family,
  label,
  shortLabel: label.replace(/^（[一二三四五六]）/, '').replace(/^\d+\./, '').replace(/（区分处理的.*）$/, ''),
  basis,
});

/** The 21 outcomes in table order. */
export const OUTCOMES: Readonly<Record<OutcomeKey, OutcomeInfo>> = Object.freeze({
  disclosed: row('disclosed', 'disclosed', '（一）予以公开', '第三十六条第（一）项、第（二）项'),
  partially_disclosed: row('partially_disclosed', 'partially_disclosed', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '第三十七条'),
  'withheld.state_secret': row('withheld.state_secret', 'withheld', '1.属于国家秘密', '第十四条'),
  'withheld.prohibited_by_law': row('withheld.prohibited_by_law', 'withheld', '2.其他法律行政法规禁止公开', '第十四条'),
  'withheld.security_stability': row('withheld.security_stability', 'withheld', '3.危及“三安全一稳定”', '第十四条'),
  'withheld.third_party_rights': row('withheld.third_party_rights', 'withheld', '4.保护第三方合法权益', '第十五条、第三十二条'),
  'withheld.internal_affairs': row('withheld.internal_affairs', 'withheld', '5.属于三类内部事务信息', '第十六条第一款'),
  'withheld.process_information': row('withheld.process_information', 'withheld', '6.属于四类过程性信息', '第十六条第二款'),
  'withheld.enforcement_file': row('withheld.enforcement_file', 'withheld', '7.属于行政执法案卷', '第十六条第二款'),
  'withheld.administrative_inquiry': row('withheld.administrative_inquiry', 'withheld', '8.属于行政查询事项', '第三十六条第（七）项'),
  'unavailable.not_held': row('unavailable.not_held', 'unavailable', '1.本机关不掌握相关政府信息', '第三十六条第（四）项、第（五）项'),
  'unavailable.needs_creation': row('unavailable.needs_creation', 'unavailable', '2.没有现成信息需要另行制作', '第三十八条'),
  'unavailable.still_unclear': row('unavailable.still_unclear', 'unavailable', '3.补正后申请内容仍不明确', '第三十条'),
  'not_processed.petition_complaint': row('not_processed.petition_complaint', 'not_processed', '1.信访举报投诉类申请', '第三十九条第一款'),
  'not_processed.duplicate': row('not_processed.duplicate', 'not_processed', '2.重复申请', '第三十六条第（六）项'),
  'not_processed.publication': row('not_processed.publication', 'not_processed', '3.要求提供公开出版物', '第三十九条第二款'),
  'not_processed.excessive': row('not_processed.excessive', 'not_processed', '4.无正当理由大量反复申请', '第三十五条'),
  // No explicit article: a practice category (regulations.md §2.6).
  'not_processed.confirm_or_reissue': row('not_processed.confirm_or_reissue', 'not_processed', '5.要求行政机关确认或重新出具已获取信息', ''),
  'other.correction_overdue': row('other.correction_overdue', 'other', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '第三十条'),
  'other.fee_overdue': row('other.fee_overdue', 'other', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '第四十二条，国办函〔2020〕109号'),
  'other.other': row('other.other', 'other', '3.其他', ''),
});

export function isOutcomeKey(s: unknown): s is OutcomeKey {
  return typeof s === 'string' && (OUTCOME_KEYS as readonly string[]).includes(s);
}

export function outcomeFamily(key: OutcomeKey): OutcomeFamily {
  return OUTCOMES[key].family;
}

/** The outcomes of one family, in table order. */
export function outcomesOf(family: OutcomeFamily): OutcomeInfo[] {
  return OUTCOME_KEYS.filter((k) => OUTCOMES[k].family === family).map((k) => OUTCOMES[k]);
}

/**
 * A full label for lists and letters: '不予公开 · 属于国家秘密', or '予以公开' for a family of one row.
 */
export function outcomeDisplayLabel(key: OutcomeKey): string {
  const o = OUTCOMES[key];
  if (o.family === 'disclosed' || o.family === 'partially_disclosed') return OUTCOME_FAMILY_SHORT_LABELS[o.family];
  return `${OUTCOME_FAMILY_SHORT_LABELS[o.family]} · ${o.shortLabel}`;
}

/** The legal basis for a reply letter: '《中华人民共和国政府信息公开条例》第十四条', or '' where none is explicit. */
export function outcomeLegalBasis(key: OutcomeKey): string {
  const basis = OUTCOMES[key].basis;
  if (!basis) return '';
  const [articles, ...rest] = basis.split('，');
  return [`《中华人民共和国政府信息公开条例》${articles}`, ...rest].join('，');
}

// ---------------------------------------------------------------------------------------------
// Applicant kinds (the columns of table 三)

/** Column labels of table 三, verbatim (商业企业 … 其他 sit under 法人或其他组织). */
export const APPLICANT_KIND_LABELS: Record<ApplicantKind, string> = {
  natural_person: '自然人',
  commercial_enterprise: '商业企业',
  research_institution: '科研机构',
  social_welfare_org: '社会公益组织',
  legal_service_org: '法律服务机构',
  other_org: '其他',
};

/** The column group over the five organisation kinds. */
export const LEGAL_PERSON_GROUP_LABEL = '法人或其他组织';

export function isApplicantKind(s: unknown): s is ApplicantKind {
  return typeof s === 'string' && (APPLICANT_KINDS as readonly string[]).includes(s);
}

/** '自然人', or '法人或其他组织（商业企业）'; '其他' becomes '其他组织' to read on its own. */
export function applicantKindDisplayLabel(kind: ApplicantKind): string {
  if (kind === 'natural_person') return APPLICANT_KIND_LABELS.natural_person;
  return `${LEGAL_PERSON_GROUP_LABEL}（${kind === 'other_org' ? '其他组织' : APPLICANT_KIND_LABELS[kind]}）`;
}

// ---------------------------------------------------------------------------------------------
// Channels and the receipt date (第二十九条、第三十一条)

export const REQUEST_CHANNELS = ['online', 'letter', 'in_person', 'fax', 'email', 'other'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const REQUEST_CHANNEL_LABELS: Record<RequestChannel, string> = {
  online: '网上申请',
  letter: '信函申请',
  in_person: '当面申请',
  fax: '传真申请',
  email: '电子邮件申请',
  other: '其他方式',
};

export interface ReceiptRule {
  /** The article and item. */
  basis: string;
  /** What `receivedOn` is for this channel, in the statute's words. */
  rule: string;
}

/**
 * 第31条: which day is 收到申请之日 per channel. E-mail is a 数据电文 over the internet (第29条), so 第31条第（三）项
 * applies (DERIVED; the pre-2019 207号 guidance used the day the mail system received it). 'other' (e.g. an
 * oral request written down by the office, 第29条第一款) follows 第（一）项 (DERIVED).
 */
export const RECEIPT_RULES: Record<RequestChannel, ReceiptRule> = {
  in_person: { basis: '第三十一条第（一）项', rule: '申请人当面提交政府信息公开申请的，以提交之日为收到申请之日' },
  letter: {
    basis: '第三十一条第（二）项',
    rule: '以邮寄方式提交的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的邮寄方式提交的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日',
  },
  online: { basis: '第三十一条第（三）项', rule: '通过互联网渠道提交的，以双方确认之日为收到申请之日' },
  fax: { basis: '第三十一条第（三）项', rule: '通过政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日' },
  email: { basis: '第三十一条第（三）项', rule: '通过电子邮件（互联网渠道）提交的，以双方确认之日为收到申请之日' },
  other: { basis: '第二十九条第一款、第三十一条第（一）项', rule: '口头提出由工作机构代为填写等其他方式，以提交之日为收到申请之日' },
};

export function isRequestChannel(s: unknown): s is RequestChannel {
  return typeof s === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(s);
}

/** The facts about a submission that 第31条 looks at; dates 'YYYY-MM-DD'. */
export interface SubmissionFacts {
  channel: RequestChannel;
  /** The day the applicant handed it in, sent it, or the office first received it. */
  submittedOn: string;
  /** Letters: the day the agency signed for it (registered mail). */
  signedOn?: string;
  /** Letters without signature, online, fax, e-mail: the day both sides confirmed it. */
  confirmedOn?: string;
}

/**
 * 收到申请之日 per 第31条, or null when the deciding fact (signature, confirmation) is not yet recorded.
 */
export function receiptDate(f: SubmissionFacts): string | null {
  switch (f.channel) {
    case 'in_person':
    case 'other':
      return f.submittedOn;
    case 'letter':
      return f.signedOn ?? f.confirmedOn ?? null;
    case 'online':
    case 'fax':
    case 'email':
      return f.confirmedOn ?? null;
  }
}
