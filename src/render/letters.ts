/**
 * The letters of the 依申请公开 procedure, as content shared by the DOCX and the plain-text renderers:
 * 申请登记回执, 补正申请告知书 (条例第30条), 第三方意见征询函 (第32条), 延期答复告知书 (第33条),
 * 信息处理费收费通知书 (第42条, 国办函〔2020〕109号), and the reply for each outcome (第36–39条 etc.),
 * with the legal basis and the applicant's remedies.
 */
import { FEE_METHOD_LABELS, formatYuan } from '../law/fees.js';
import { NOTICE_BASIS, citation, replyBasis } from '../law/letter-basis.js';
import { remedySentence } from '../law/reconsideration.js';
import type { FeeMethod } from '../law/fees.js';
import type { OutcomeFamily, RequestChannel } from '../law/outcomes.js';
import { OUTCOMES, REQUEST_CHANNEL_LABELS, outcomeFamily } from '../law/outcomes.js';
import type { OutcomeKey } from '../law/report-model.js';

export const REGULATION = '《中华人民共和国政府信息公开条例》';

export type LetterKind = 'receipt' | 'correction' | 'consultation' | 'extension' | 'fee' | 'reply';

export interface AgencyContact {
  /** The agency's name, printed as the 发文机关标志 and in the 落款. */
  name: string;
  /** The 政府信息公开工作机构 (office) that handles requests. */
  office: string;
  address: string;
  postcode: string;
  phone: string;
}

export interface FeeDetails {
  method: FeeMethod;
  /** Yuan. */
  amount: number;
  /** 按件: applications counted this natural month (including this one); 按量: pages. */
  units?: number;
  /** How to pay, e.g. 通过非税收入缴款系统缴纳（缴款码：…）. */
  paymentMethod: string;
  /** Working days to pay from the day after receipt of the notice (default 20). */
  paymentDays?: number;
  /** The computation, step by step (src/law/fees.ts FeeResult.explanation). */
  explanation?: string;
}

export interface LetterInput {
  kind: LetterKind;
  agency: AgencyContact;
  /** 文号, e.g. 某政信公〔2025〕第12号. */
  letterNo: string;
  /** The letter's date, YYYY-MM-DD. */
  date: string;
  applicantName: string;
  /** What was requested (the information's name or description). */
  subject: string;
  trackingNo: string;
  receivedOn: string;
  /** The reply limit as it stands (receipt: the due date). */
  dueOn?: string;
  /** dueOn was counted before that year's holiday notice was loaded: printed with “（暂定）”. */
  dueProvisional?: boolean;
  channel?: RequestChannel;
  // 补正
  correctionItems?: string[];
  /** Working days to correct (default 15). */
  correctionDays?: number;
  /** When the 补正 notice was sent (for 补正后仍不明确 and 逾期不补正 replies). */
  correctionRequestedOn?: string;
  // 第三方意见征询
  thirdParty?: string;
  /** What the third party's interests are, e.g. 商业秘密. */
  thirdPartyInterest?: string;
  // 延期
  extensionDays?: number;
  extensionReason?: string;
  // 收费
  fee?: FeeDetails;
  // 答复
  outcome?: OutcomeKey;
  /** The reasons, in the agency's words (required for 不予公开 and 部分公开 in practice). */
  reasons?: string;
  /** How and where the applicant gets the information (予以公开/部分公开). */
  deliveryMethod?: string;
  /** For 本机关不掌握: the agency responsible for the information and its contact, if known (第36条第（五）项). */
  referral?: string;
  /** For 予以公开: the information was already published proactively (第36条第（一）项 instead of 第（二）项). */
  alreadyPublic?: boolean;
  /** The 复议机关 (src/law/reconsideration.ts), named in the remedy sentence; without it the sentence names none. */
  reconsiderationBody?: string | null;
}

/** The content of a letter in reading order; both renderers lay this out. */
export interface LetterContent {
  agencyMark: string;
  letterNo: string;
  title: string;
  addressee: string;
  paragraphs: string[];
  contact: string[];
  signature: string;
  seal: string;
  date: string;
}

export const SEAL_PLACEHOLDER = '（印章）';

/** The remedy sentence when no 复议机关 is known. */
export const REMEDIES = remedySentence(null);

const REPLY_TITLES: Record<OutcomeFamily, string> = {
  disclosed: '政府信息予以公开告知书',
  partially_disclosed: '政府信息部分公开告知书',
  withheld: '政府信息不予公开告知书',
  unavailable: '政府信息无法提供告知书',
  not_processed: '政府信息公开申请不予处理告知书',
  other: '政府信息公开申请处理结果告知书',
};

export const LETTER_TITLES: Record<Exclude<LetterKind, 'reply'>, string> = {
  receipt: '政府信息公开申请登记回执',
  correction: '补正申请告知书',
  consultation: '第三方意见征询函',
  extension: '延期答复告知书',
  fee: '信息处理费收费通知书',
};

/** 2025-03-07 → 2025年3月7日 (GB/T 9704: Arabic numerals, no leading zeros). */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

export function letterTitle(letter: LetterInput): string {
  if (letter.kind !== 'reply') return LETTER_TITLES[letter.kind];
  if (!letter.outcome) throw new Error('a reply letter needs an outcome');
  return REPLY_TITLES[outcomeFamily(letter.outcome)];
}

function received(letter: LetterInput): string {
  return `本机关于${chineseDate(letter.receivedOn)}收到你提交的政府信息公开申请（登记编号：${letter.trackingNo}），申请公开“${letter.subject}”。`;
}

/** What the withheld information is, in the words of 条例第14–16条 and 第36条第（七）项. */
const WITHHELD_FINDINGS: Partial<Record<OutcomeKey, string>> = {
  'withheld.state_secret': '属于依法确定为国家秘密的政府信息',
  'withheld.prohibited_by_law': '属于法律、行政法规禁止公开的政府信息',
  'withheld.security_stability': '公开后可能危及国家安全、公共安全、经济安全、社会稳定',
  'withheld.third_party_rights': '涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害',
  'withheld.internal_affairs': '属于行政机关的内部事务信息',
  'withheld.process_information': '属于行政机关在履行行政管理职能过程中形成的过程性信息',
  'withheld.enforcement_file': '属于行政执法案卷信息',
  'withheld.administrative_inquiry': '属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定',
};

/** The exact provision a reply cites (src/law/letter-basis.ts), e.g. 《…条例》第三十六条第（四）项. */
export function replyCitation(letter: Pick<LetterInput, 'outcome' | 'alreadyPublic' | 'referral'>): string {
  if (!letter.outcome) return '';
  return citation(replyBasis(letter.outcome, { alreadyPublic: letter.alreadyPublic, otherAgency: !!letter.referral }));
}

function replyParagraphs(letter: LetterInput, key: OutcomeKey): string[] {
  const info = OUTCOMES[key];
  const basis = replyCitation(letter);
  const reasons = letter.reasons ? `理由如下：${letter.reasons}` : '';
  const delivery = letter.deliveryMethod ?? '见附件';
  const p: string[] = [received(letter)];
  switch (key) {
    case 'disclosed':
      p.push(
        letter.alreadyPublic
          ? `经审查，你申请公开的政府信息本机关已经主动公开。根据${basis}的规定，告知你获取该政府信息的方式、途径：${delivery}。`
          : `经审查，你申请公开的政府信息属于公开范围。根据${basis}的规定，现予以公开，获取方式：${delivery}。`,
      );
      break;
    case 'partially_disclosed':
      p.push(
        `经审查，你申请公开的信息中含有不应当公开的内容，但能够作区分处理。根据${basis}的规定，本机关向你提供可以公开的政府信息内容（获取方式：${delivery}），对不予公开的内容说明理由。${reasons}`,
      );
      break;
    case 'unavailable.not_held':
      p.push(
        letter.referral
          ? `经审查，你申请公开的政府信息不属于本机关负责公开。根据${basis}的规定，特此告知。经了解，该政府信息由${letter.referral}负责公开，你可以向其提出申请。`
          : `经检索，本机关未制作或者获取你申请公开的政府信息，该政府信息不存在。根据${basis}的规定，特此告知。`,
      );
      break;
    case 'unavailable.needs_creation':
      p.push(`经审查，本机关没有你申请公开的现成信息，需要对现有政府信息进行加工、分析或者另行制作。根据${basis}的规定，本机关不予提供。${reasons}`);
      break;
    case 'unavailable.still_unclear':
      p.push(
        `本机关${letter.correctionRequestedOn ? `已于${chineseDate(letter.correctionRequestedOn)}` : '已'}告知你对申请内容作出补正，补正后申请内容仍不明确，本机关无法确定你所申请的政府信息。根据${basis}的规定，本机关无法提供。`,
      );
      break;
    case 'not_processed.petition_complaint':
      p.push(`经审查，你以政府信息公开申请的形式提出信访、投诉、举报等诉求。根据${basis}的规定，本机关不作为政府信息公开申请处理，你可以通过信访、投诉、举报等相应渠道提出。`);
      break;
    case 'not_processed.duplicate':
      p.push(`经审查，本机关已就你提出的政府信息公开申请作出答复，你重复申请公开相同政府信息。根据${basis}的规定，本机关不予重复处理。`);
      break;
    case 'not_processed.publication':
      p.push(`经审查，你申请获取的是政府公报、报刊、书籍等公开出版物。根据${basis}的规定，你可以通过${letter.deliveryMethod ?? '公开发行渠道或者图书馆、档案馆等场所'}获取。`);
      break;
    case 'not_processed.excessive':
      p.push(`经审查，你申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理。根据${basis}的规定，本机关不予处理。`);
      break;
    case 'not_processed.confirm_or_reissue':
      p.push(`经审查，你的申请是要求本机关确认或者重新出具你已获取的信息，不属于${REGULATION}所指的政府信息公开申请，本机关不予处理。`);
      break;
    case 'other.correction_overdue':
      p.push(
        `本机关${letter.correctionRequestedOn ? `于${chineseDate(letter.correctionRequestedOn)}` : '已'}告知你作出补正，你无正当理由逾期不补正，视为放弃申请。根据${basis}的规定，本机关不再处理该政府信息公开申请。`,
      );
      break;
    case 'other.fee_overdue':
      p.push(`本机关已向你发出信息处理费收费通知，你逾期未按收费通知要求缴纳费用，视为放弃申请。根据${basis}的规定，本机关不再处理该政府信息公开申请。`);
      break;
    case 'other.other':
      p.push(`经审查，${letter.reasons ?? '本机关对你的申请作如下处理。'}`);
      break;
    case 'withheld.administrative_inquiry':
      p.push(`经审查，你申请公开的信息${WITHHELD_FINDINGS[key]}。根据${basis}的规定，请你依照有关法律、行政法规的规定办理。${reasons}`);
      break;
    default:
      // 不予公开 (第14–16条)
      p.push(`经审查，你申请公开的政府信息${WITHHELD_FINDINGS[key] ?? info.shortLabel}。根据${basis}的规定，本机关决定不予公开。${reasons}`);
  }
  if (letter.reasons && (key === 'unavailable.not_held' || key.startsWith('not_processed.') || key === 'other.correction_overdue' || key === 'other.fee_overdue' || key === 'unavailable.still_unclear'))
    p.push(`具体情况：${letter.reasons}`);
  p.push(remedySentence(letter.reconsiderationBody));
  p.push('特此告知。');
  return p;
}

function feeParagraphs(letter: LetterInput): string[] {
  const fee = letter.fee;
  if (!fee) throw new Error('a fee notice needs fee details');
  const schedule =
    fee.method === 'per_request'
      ? `按件计收（同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分：100元/件；31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件）${fee.units !== undefined ? `，你本月累计申请${fee.units}件` : ''}`
      : `按量计收（30页以下（含30页）的，不收费；31—100页（含100页）的部分：10元/页；101—200页（含200页）的部分：20元/页；201页以上的部分：40元/页）${fee.units !== undefined ? `，你申请获取的信息共${fee.units}页` : ''}`;
  const days = fee.paymentDays ?? 20;
  return [
    received(letter),
    `根据${citation(NOTICE_BASIS[fee.method === 'per_request' ? 'fee_per_request' : 'fee_per_page'])}的规定，本机关决定向你收取信息处理费。`,
    `收费标准：${schedule}。`,
    `收费金额：${formatYuan(fee.amount)}（${FEE_METHOD_LABELS[fee.method]}）。` + (fee.explanation ? `计算过程：${fee.explanation}` : ''),
    `缴纳方式：${fee.paymentMethod}。`,
    `缴费期限：请于收到本通知书次日起${days}个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。收费通知至缴纳费用期间不计算在答复期限内，本机关在收到费用后继续处理你的申请。`,
    remedySentence(letter.reconsiderationBody, '本收费决定', '本通知书'),
    '特此通知。',
  ];
}

function bodyOf(letter: LetterInput): { addressee: string; paragraphs: string[] } {
  const to = `${letter.applicantName}：`;
  switch (letter.kind) {
    case 'receipt':
      return {
        addressee: to,
        paragraphs: [
          `你${letter.channel ? `以${REQUEST_CHANNEL_LABELS[letter.channel]}方式` : ''}提交的政府信息公开申请，本机关已于${chineseDate(letter.receivedOn)}收到并登记，登记编号：${letter.trackingNo}。申请内容：“${letter.subject}”。`,
          `根据${citation(NOTICE_BASIS.receipt)}的规定，本机关将自收到申请之日起20个工作日内予以答复${letter.dueOn ? `（${chineseDate(letter.dueOn)}前${letter.dueProvisional ? '，暂定' : ''}）` : ''}；需要延长答复期限的，将另行告知，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在答复期限内。`,
          '你可以凭登记编号查询申请的办理进度。',
        ],
      };
    case 'correction': {
      const items = letter.correctionItems?.length ? letter.correctionItems : ['申请公开的政府信息的名称、文号或者便于本机关查询的其他特征性描述'];
      const days = letter.correctionDays ?? 15;
      return {
        addressee: to,
        paragraphs: [
          received(letter),
          `经审查，你的申请内容不明确。根据${citation(NOTICE_BASIS.correction)}的规定，请你对以下事项作出补正：`,
          ...items.map((it, i) => `${i + 1}.${it}`),
          `请于收到本告知书之日起${days}个工作日内作出补正。答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。`,
          '特此告知。',
        ],
      };
    }
    case 'consultation': {
      const party = letter.thirdParty ?? '第三方';
      return {
        addressee: `${party}：`,
        paragraphs: [
          `本机关于${chineseDate(letter.receivedOn)}收到一份政府信息公开申请（登记编号：${letter.trackingNo}），申请公开“${letter.subject}”。经审查，该政府信息公开可能损害你（单位）的${letter.thirdPartyInterest ?? '商业秘密、个人隐私等'}合法权益。`,
          `根据${citation(NOTICE_BASIS.consultation)}的规定，现书面征求你（单位）的意见。请你（单位）自收到本征询函之日起15个工作日内提出是否同意公开的书面意见；不同意公开的，请说明理由。`,
          '逾期未提出意见的，由本机关依照条例的规定决定是否公开。不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知你（单位）。',
          '特此函询。',
        ],
      };
    }
    case 'extension':
      return {
        addressee: to,
        paragraphs: [
          received(letter),
          `因${letter.extensionReason ?? '申请公开的政府信息需要进一步检索、核实'}，本机关不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据${citation(NOTICE_BASIS.extension)}的规定，答复期限延长${letter.extensionDays ?? 20}个工作日${letter.dueOn ? `，本机关将于${chineseDate(letter.dueOn)}前${letter.dueProvisional ? '（暂定，以国务院办公厅公布的节假日安排为准）' : ''}作出答复` : ''}。`,
          '特此告知。',
        ],
      };
    case 'fee':
      return { addressee: to, paragraphs: feeParagraphs(letter) };
    case 'reply':
      if (!letter.outcome) throw new Error('a reply letter needs an outcome');
      return { addressee: to, paragraphs: replyParagraphs(letter, letter.outcome) };
  }
}

export function letterContent(letter: LetterInput): LetterContent {
  const { addressee, paragraphs } = bodyOf(letter);
  const a = letter.agency;
  return {
    agencyMark: a.name,
    letterNo: letter.letterNo,
    title: letterTitle(letter),
    addressee,
    paragraphs,
    contact: [`联系机构：${a.office}`, `地址：${a.address}`, `邮政编码：${a.postcode}`, `联系电话：${a.phone}`],
    signature: a.name,
    seal: SEAL_PLACEHOLDER,
    date: chineseDate(letter.date),
  };
}

/** The letter as plain text (for showing on a page or in a message). */
export function letterText(letter: LetterInput): string {
  const c = letterContent(letter);
  return [
    c.agencyMark,
    c.letterNo,
    '',
    c.title,
    '',
    c.addressee,
    ...c.paragraphs.map((p) => `　　${p}`),
    '',
    ...c.contact,
    '',
    c.signature,
    c.seal,
    c.date,
    '',
  ].join('\n');
}
