/**
 * 政府信息公开指南 (条例第12条第二款) and 政府信息公开制度, per agency. The guide states the
 * classification of the agency's information, how the catalogue is arranged, how to obtain information,
 * and the name, address, office hours, phone, fax and internet contact of its disclosure office — the
 * latter always from the agency's contact block, so that the guide never disagrees with it. The three text
 * sections (and the 制度 page) have a sensible default generated from the agency data; editors and
 * approvers of the agency may replace them in the office (audit-logged).
 */
import { invalid } from '../../errors.js';
import { assertCanRead, assertRole, hasRole } from '../accounts/access.js';
import { AGENCY_KIND_LABELS, getAgency, listAgencies, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import type { Actor, Ctx } from '../context.js';
import { categoriesOf } from '../disclosure/disclosure.service.js';
import * as repo from './guide.repository.js';
import { indexPrefix } from '../disclosure/disclosure.service.js';
import { indexGuide, type GuideForSearch } from '../search/search.service.js';
import { todayCst } from '../context.js';

export const GUIDE_SECTIONS = ['classification', 'arrangement', 'access', 'other', 'institutions'] as const;
export type GuideSection = (typeof GUIDE_SECTIONS)[number];
export const GUIDE_SECTION_LABELS: Record<GuideSection, string> = {
  classification: '政府信息的分类',
  arrangement: '编排体系',
  access: '获取方式',
  other: '其他说明',
  institutions: '政府信息公开制度',
};
export const MAX_SECTION = 20_000;

export interface Guide {
  agency: Agency;
  parent: Agency | null;
  sections: Record<GuideSection, string>;
  /** Sections that show the generated default (not edited). */
  defaults: GuideSection[];
  updatedAt: string | null;
  categories: { name: string; statuteRef: string | null; count: number }[];
}

const ARTICLE_20 = [
  '行政法规、规章和规范性文件',
  '机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名',
  '国民经济和社会发展规划、专项规划、区域规划及相关政策',
  '国民经济和社会发展统计信息',
  '办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果',
  '实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定',
  '财政预算、决算信息',
  '行政事业性收费项目及其依据、标准',
  '政府集中采购项目的目录、标准及实施情况',
  '重大建设项目的批准和实施情况',
  '扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况',
  '突发公共事件的应急预案、预警信息及应对情况',
  '环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况',
  '公务员招考的职位、名额、报考条件等事项以及录用结果',
  '法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息',
];

function defaults(agency: Agency, categories: Guide['categories']): Record<GuideSection, string> {
  const prefix = indexPrefix(agency); // as the catalogue prints it
  const cats = categories.length
    ? categories.map((c, i) => `${i + 1}. ${c.name}${c.statuteRef ? `（条例${c.statuteRef}）` : ''}`).join('\n')
    : ARTICLE_20.map((t, i) => `${i + 1}. ${t}`).join('\n');
  return {
    classification:
      `${agency.name}主动公开的政府信息，依照《中华人民共和国政府信息公开条例》第十九条、第二十条${agency.kind === 'department' ? '' : '、第二十一条'}和本机关的实际情况，分为以下类别：\n` +
      `${cats}\n` +
      '每条政府信息同时按主题分类（如综合政务，财政、金融、审计，城乡建设、环境保护等）标注，便于查找。',
    arrangement:
      '本机关政府信息公开目录按上述类别编排，类别内按发布日期从新到旧排列。每条政府信息标注索引号、名称、内容概述、生成日期（成文日期）、发布日期、文号、发布机构、主题分类和有效性。\n' +
      `索引号由“机构代码/年份-五位流水号”组成，例如“${prefix}/2025-00001”。\n` +
      '目录可按类别浏览，也可按标题、文号和正文全文检索。',
    access:
      '（一）主动公开\n' +
      `本机关主动公开的政府信息，自该信息形成或者变更之日起 20 个工作日内在本平台“${agency.name}”栏目公开，可浏览、检索和下载。公众也可以到本机关政府信息公开工作机构查阅。\n` +
      '（二）依申请公开\n' +
      '公民、法人或者其他组织可以向本机关申请获取主动公开以外的政府信息。申请应当采用书面形式（包括通过本平台在线提交、信函、传真）；采用书面形式确有困难的，可以口头提出，由本机关政府信息公开工作机构代为填写申请。申请应当包括申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式、途径。\n' +
      '本机关能够当场答复的当场答复；不能当场答复的，自收到申请之日起 20 个工作日内答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 20 个工作日。征求第三方和其他机关意见所需时间不计算在上述期限内。申请内容不明确的，本机关自收到申请之日起 7 个工作日内一次性告知需要补正的事项。\n' +
      '依申请提供政府信息不收取费用；申请公开政府信息的数量、频次明显超过合理范围的，依照《政府信息公开信息处理费管理办法》收取信息处理费。\n' +
      '（三）监督和救济\n' +
      '公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。',
    other: '',
    institutions:
      `${agency.name}依照《中华人民共和国政府信息公开条例》建立并执行以下政府信息公开工作制度：\n` +
      '1. 政府信息公开申请登记、审核、办理、答复、归档工作制度（条例第四十五条）；\n' +
      '2. 政府信息公开保密审查制度：拟公开的政府信息在公开前依法进行保密审查；\n' +
      '3. 主动公开信息发布审核制度：信息经编辑、审核、签发后发布，并在形成或者变更之日起 20 个工作日内公开（条例第二十六条）；\n' +
      '4. 政府信息管理动态调整制度：定期审查不予公开的政府信息，可以公开的及时公开；\n' +
      '5. 政府信息公开工作年度报告制度：每年按国家统一格式编制并向社会公布上一年度报告（条例第四十九条、第五十条）；\n' +
      '6. 政府信息公开指南和目录及时更新制度（条例第十二条）。',
  };
}

export async function getGuide(ctx: Ctx, code: string): Promise<Guide> {
  const agency = await getAgency(ctx, code);
  const [stored, cats, all] = await Promise.all([repo.findGuide(ctx.db, agency.id), categoriesOf(ctx, agency.id), listAgencies(ctx)]);
  const categories = cats.map((c) => ({ name: c.name, statuteRef: c.statuteRef, count: c.count }));
  const dflt = defaults(agency, categories);
  const sections = { ...dflt };
  const used: GuideSection[] = [];
  for (const s of GUIDE_SECTIONS) {
    const v = stored?.[s];
    if (v && v.trim()) sections[s] = v;
    else used.push(s);
  }
  return { agency, parent: all.find((a) => a.id === agency.parentId) ?? null, sections, defaults: used, updatedAt: stored?.updatedAt ?? null, categories };
}

/** The stored (edited) text of each section, '' where the default is shown (for the office form). */
export async function editableGuide(ctx: Ctx, actor: Actor, code: string): Promise<{ guide: Guide; stored: Record<GuideSection, string>; canEdit: boolean }> {
  const guide = await getGuide(ctx, code);
  const canEdit = hasRole(actor, guide.agency, ['editor', 'approver']);
  if (!canEdit) assertCanRead(actor, guide.agency);
  const stored = Object.fromEntries(GUIDE_SECTIONS.map((s) => [s, guide.defaults.includes(s) ? '' : guide.sections[s]])) as Record<GuideSection, string>;
  return { guide, stored, canEdit };
}

/** Save the guide's sections (an empty section falls back to the generated default). */
export async function saveGuide(ctx: Ctx, actor: Actor, code: string, input: Partial<Record<GuideSection, string>>): Promise<void> {
  const agency = await getAgency(ctx, code);
  assertRole(actor, agency, ['editor', 'approver'], '修改该机构的政府信息公开指南');
  const fields = GUIDE_SECTIONS.filter((s) => (input[s] ?? '').length > MAX_SECTION).map((s) => ({ field: s, message: `“${GUIDE_SECTION_LABELS[s]}”过长（不超过 ${MAX_SECTION} 字）` }));
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  const text = Object.fromEntries(GUIDE_SECTIONS.map((s) => [s, input[s]?.replace(/\r\n/g, '\n').trim() || null])) as repo.GuideText;
  await ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findGuide(tx, agency.id);
    const changed = GUIDE_SECTIONS.filter((s) => (before?.[s] ?? null) !== text[s]);
    const at = ctx.now();
    await repo.saveGuide(tx, agency.id, text, at.toISOString(), actor.username);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'guide.update', entity: 'guide', entityId: agency.id, data: { changed, reset: changed.filter((s) => text[s] === null) }, at });
  });
  // The guide as now shown, in the search (after the save: the guide is computed from what was committed).
  const guide = await getGuide(ctx, code);
  await ctx.db.transaction().execute((tx) => indexGuide(tx, guideForSearch(guide, todayCst(ctx.now()))));
}

/** The guide as the search indexes it: the text of its page (sections 一 to 五, the office's contact block), linked to that page. */
export function guideForSearch(guide: Guide, today: string): GuideForSearch {
  const a = guide.agency;
  const contact = [
    ['机构名称', a.officeName ?? `${a.name}政府信息公开工作机构`], ['办公地址', a.address], ['邮政编码', a.postcode], ['办公时间', a.officeHours],
    ['联系电话', a.phone], ['传真号码', a.fax], ['电子邮箱', a.email], ['互联网联系方式', a.website],
  ].filter(([, v]) => v).map(([k, v]) => `${k}：${v}`);
  const parts = [
    `一、${GUIDE_SECTION_LABELS.classification}`, guide.sections.classification,
    `二、${GUIDE_SECTION_LABELS.arrangement}`, guide.sections.arrangement,
    `三、${GUIDE_SECTION_LABELS.access}`, guide.sections.access,
    '四、政府信息公开工作机构', ...contact,
    ...(guide.sections.other.trim() ? [`五、${GUIDE_SECTION_LABELS.other}`, guide.sections.other] : []),
  ];
  return {
    agencyId: a.id, agencyCode: a.code, agencyName: a.name, title: `${a.name}政府信息公开指南`, text: parts.join('\n'),
    url: `/agencies/${encodeURIComponent(a.code)}/guide`, updatedOn: guide.updatedAt?.slice(0, 10) ?? today,
  };
}

/**
 * Index every agency's guide (a guide follows the agency's contact block and catalogue, which change elsewhere):
 * run by the search.documents job; a guide unchanged since it was indexed is not rewritten.
 */
export async function indexGuides(ctx: Ctx): Promise<number> {
  const today = todayCst(ctx.now());
  let n = 0;
  for (const a of await listAgencies(ctx)) {
    const guide = await getGuide(ctx, a.code);
    await ctx.db.transaction().execute((tx) => indexGuide(tx, guideForSearch(guide, today)));
    n++;
  }
  return n;
}

export { AGENCY_KIND_LABELS };
