/**
 * 行政复议机关 — where an applicant who disagrees with a letter applies for 行政复议, and the remedy sentence
 * every deciding letter carries (条例第五十一条: "可以依法申请行政复议或者提起行政诉讼").
 *
 * 《中华人民共和国行政复议法》(2023 revision, in force 2024-01-01) — cited from the statute, not from
 * ../shared/spec (which does not quote it):
 * - 第二十四条: 县级以上地方各级人民政府管辖 (一) 对本级人民政府工作部门作出的行政行为不服的 and (二) 对下一级人民政府
 *   作出的行政行为不服的 cases. So a department's 复议机关 is its 本级人民政府; a government's (a township's
 *   too) is the next government up.
 * - 第二十七条: 海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关 → 上一级主管部门. The hierarchy
 *   cannot tell these apart, so such an agency records its 复议机关 itself (the override).
 * - 第二十五条: a 省级人民政府 (and a 国务院部门) reviews its own acts; nor can the hierarchy tell a province.
 * Where the rule does not reach (a government with no government above it in the system, a department with no
 * government over it), the 复议机关 is asked for, never guessed.
 * 时限: 行政复议法第二十条 (60 days from knowing of the act); 行政诉讼法第四十六条 (6 months from knowing of it).
 */

export type AgencyLevelKind = 'government' | 'department' | 'township';

export interface HierarchyNode {
  name: string;
  kind: AgencyLevelKind;
  /** The 复议机关 the agency recorded itself (overrides the rule), if any. */
  reconsiderationBody?: string | null;
}

export interface ReconsiderationBody {
  /** The 复议机关, or null where it must be asked for. */
  body: string | null;
  source: 'override' | 'rule' | 'missing';
  /** Why this body (the article, or the agency's own entry). */
  basis?: string;
  /** Where body is null: what the office must fill in. */
  question?: string;
}

const ART24 = '《中华人民共和国行政复议法》第二十四条';

/**
 * The 复议机关 of `chain[0]`, given its chain of ancestors up to the root (`chain[1]` is the parent, and so on).
 */
export function reconsiderationBodyOf(chain: readonly HierarchyNode[]): ReconsiderationBody {
  const [self, ...above] = chain;
  if (!self) throw new Error('reconsiderationBodyOf: empty chain');
  const override = self.reconsiderationBody?.trim();
  if (override) return { body: override, source: 'override', basis: '本机关登记的行政复议机关' };
  const government = above.find((a) => a.kind === 'government' || a.kind === 'township');
  if (self.kind === 'department') {
    if (government) return { body: government.name, source: 'rule', basis: `${ART24}（本级人民政府工作部门作出的行政行为，由本级人民政府管辖）` };
    return {
      body: null,
      source: 'missing',
      question: `${self.name}在本系统中没有上级人民政府，无法依${ART24}确定行政复议机关：请在机关信息中填写“行政复议机关”（实行垂直领导的机关填写上一级主管部门）。`,
    };
  }
  if (government) return { body: government.name, source: 'rule', basis: `${ART24}（下一级人民政府作出的行政行为，由上一级人民政府管辖）` };
  return {
    body: null,
    source: 'missing',
    question: `${self.name}在本系统中没有上一级人民政府，无法依${ART24}确定行政复议机关：请在机关信息中填写“行政复议机关”（省级人民政府为本机关，行政复议法第二十五条）。`,
  };
}

/**
 * The remedy sentence of a deciding letter (`act`: 本答复, 本收费决定 …). Without a 复议机关 it still names
 * both remedies, without a body.
 */
export function remedySentence(body: string | null | undefined, act = '本答复', letter = '本告知书'): string {
  const to = body ? `向${body}` : '依法';
  return `如对${act}不服，可以自收到${letter}之日起60日内${to}申请行政复议，或者自收到${letter}之日起6个月内依法向人民法院提起行政诉讼。`;
}
