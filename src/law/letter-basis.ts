/**
 * 文书的法律依据 — the exact provision each letter rests on: each of the 21 outcomes (答复) and each notice
 * of the procedure, with the words of that provision (《中华人民共和国政府信息公开条例》, 2019 revision, 国务院令第711号;
 * 《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号), so a letter cites its own item and nothing else.
 *
 * Where one row of table 三 covers two items of 第三十六条, the letter picks the one that fits the case:
 * - （一）予以公开: 第（一）项 when the information was already published (告知获取方式、途径), else 第（二）项;
 * - 本机关不掌握相关政府信息: 第（四）项 when it does not exist (经检索没有), 第（五）项 when it belongs to another
 *   agency (不属于本行政机关负责公开; the letter then names that agency where known).
 * 要求行政机关确认或重新出具已获取信息 and 其他 have no provision of their own (regulations.md §2.6): the letter
 * cites none rather than a wrong one.
 */
import type { OutcomeKey } from './report-model.js';

export const REGULATION_TITLE = '《中华人民共和国政府信息公开条例》';
export const FEE_MEASURES_TITLE = '《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）';

export interface Provision {
  /** The instrument: the 条例 or the 信息处理费管理办法. */
  instrument: 'regulation' | 'fee_measures';
  /** The provision as cited, e.g. 第三十六条第（四）项. */
  cite: string;
  /** The provision's words (an excerpt, verbatim: half-width "(四)" as in the source is normalised to "（四）"). */
  words: string;
}

const reg = (cite: string, words: string): Provision => ({ instrument: 'regulation', cite, words });
const fee = (cite: string, words: string): Provision => ({ instrument: 'fee_measures', cite, words });

const ART36_1 = reg('第三十六条第（一）项', '所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径');
const ART36_2 = reg('第三十六条第（二）项', '所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间');
const ART36_4 = reg('第三十六条第（四）项', '经检索没有所申请公开信息的，告知申请人该政府信息不存在');
const ART36_5 = reg('第三十六条第（五）项', '所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由');
const ART14 = reg('第十四条', '依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开');
const ART16_2 = reg('第十六条第二款', '行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息，可以不予公开');
const ART30 = reg('第三十条', '申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请');

/** What the letter for an outcome needs to know to pick its item. */
export interface BasisCase {
  /** 予以公开: the information was already published proactively (第36条第（一）项). */
  alreadyPublic?: boolean;
  /** 本机关不掌握: the information belongs to another agency (第36条第（五）项) rather than not existing. */
  otherAgency?: boolean;
}

/** The provisions a reply for `outcome` rests on ([] where the 条例 has none). */
export function replyBasis(outcome: OutcomeKey, c: BasisCase = {}): Provision[] {
  switch (outcome) {
    case 'disclosed':
      return [c.alreadyPublic ? ART36_1 : ART36_2];
    case 'partially_disclosed':
      return [reg('第三十七条', '申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由')];
    case 'withheld.state_secret':
    case 'withheld.prohibited_by_law':
    case 'withheld.security_stability':
      return [ART14];
    case 'withheld.third_party_rights':
      return [reg('第十五条', '涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开')];
    case 'withheld.internal_affairs':
      return [reg('第十六条第一款', '行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开')];
    case 'withheld.process_information':
    case 'withheld.enforcement_file':
      return [ART16_2];
    case 'withheld.administrative_inquiry':
      return [reg('第三十六条第（七）项', '所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理')];
    case 'unavailable.not_held':
      return [c.otherAgency ? ART36_5 : ART36_4];
    case 'unavailable.needs_creation':
      return [reg('第三十八条', '需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供')];
    case 'unavailable.still_unclear':
      return [reg('第三十条', '政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知申请人作出补正')];
    case 'not_processed.petition_complaint':
      return [reg('第三十九条第一款', '申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开申请处理并可以告知通过相应渠道提出')];
    case 'not_processed.duplicate':
      return [reg('第三十六条第（六）项', '行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理')];
    case 'not_processed.publication':
      return [reg('第三十九条第二款', '申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知获取的途径')];
    case 'not_processed.excessive':
      return [reg('第三十五条', '行政机关认为申请理由不合理的，告知申请人不予处理')];
    case 'not_processed.confirm_or_reissue':
      return [];
    case 'other.correction_overdue':
      return [ART30];
    case 'other.fee_overdue':
      return [
        reg('第四十二条第一款', '申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费'),
        fee('', '信息处理费'),
      ];
    case 'other.other':
      return [];
  }
}

export type NoticeKind = 'receipt' | 'correction' | 'consultation' | 'extension' | 'fee_per_request' | 'fee_per_page';

/** The provisions each notice of the procedure rests on. */
export const NOTICE_BASIS: Readonly<Record<NoticeKind, Provision[]>> = Object.freeze({
  receipt: [reg('第三十三条第二款', '行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复')],
  correction: [reg('第三十条', '政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限')],
  consultation: [reg('第三十二条', '依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见')],
  extension: [reg('第三十三条第二款', '需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日')],
  fee_per_request: [
    reg('第四十二条第一款', '申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费'),
    fee('第四条', '按件计收适用于所有政府信息公开申请处理决定类型'),
  ],
  fee_per_page: [
    reg('第四十二条第一款', '申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费'),
    fee('第五条', '按量计收适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形'),
  ],
});

/**
 * The citation as a letter prints it: 《中华人民共和国政府信息公开条例》第三十六条第（四）项, and the 办法 after it
 * (《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第四条); '' when there is nothing to cite.
 */
export function citation(provisions: readonly Provision[]): string {
  const regs = provisions.filter((p) => p.instrument === 'regulation').map((p) => p.cite);
  const fees = provisions.filter((p) => p.instrument === 'fee_measures').map((p) => p.cite);
  const parts: string[] = [];
  if (regs.length) parts.push(`${REGULATION_TITLE}${regs.join('、')}`);
  if (fees.length) parts.push(`${FEE_MEASURES_TITLE}${fees.filter(Boolean).join('、')}`);
  return parts.join('和');
}
