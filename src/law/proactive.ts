/**
 * 主动公开的范围 — 条例第19条–第21条 — as the categories of an agency's 政府信息公开目录, and the agency's own
 * columns that portals add beside them (国办公开办函〔2019〕61号: the 专栏 holds statutory content; 政策解读
 * follows "三同步", ../shared/spec/portal.md).
 */

export interface CatalogueCategoryDef {
  name: string;
  /** Where the statute requires it, e.g. '第二十条第（一）项'; null for the agency's own columns. */
  statuteRef: string | null;
  /** The statutory text it stands for (verbatim), when there is one. */
  text?: string;
}

/** 第二十条 (一)–(十五), verbatim, with the short column names portals use. */
export const ARTICLE_20_CATEGORIES: readonly CatalogueCategoryDef[] = [
  { name: '法规文件', statuteRef: '第二十条第（一）项', text: '行政法规、规章和规范性文件' },
  { name: '机构职能', statuteRef: '第二十条第（二）项', text: '机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名' },
  { name: '规划信息', statuteRef: '第二十条第（三）项', text: '国民经济和社会发展规划、专项规划、区域规划及相关政策' },
  { name: '统计信息', statuteRef: '第二十条第（四）项', text: '国民经济和社会发展统计信息' },
  { name: '行政许可和服务事项', statuteRef: '第二十条第（五）项', text: '办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果' },
  { name: '行政处罚和行政强制', statuteRef: '第二十条第（六）项', text: '实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定' },
  { name: '财政预决算', statuteRef: '第二十条第（七）项', text: '财政预算、决算信息' },
  { name: '行政事业性收费', statuteRef: '第二十条第（八）项', text: '行政事业性收费项目及其依据、标准' },
  { name: '政府集中采购', statuteRef: '第二十条第（九）项', text: '政府集中采购项目的目录、标准及实施情况' },
  { name: '重大建设项目', statuteRef: '第二十条第（十）项', text: '重大建设项目的批准和实施情况' },
  { name: '民生政策措施', statuteRef: '第二十条第（十一）项', text: '扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况' },
  { name: '应急管理', statuteRef: '第二十条第（十二）项', text: '突发公共事件的应急预案、预警信息及应对情况' },
  { name: '监督检查', statuteRef: '第二十条第（十三）项', text: '环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况' },
  { name: '公务员招考', statuteRef: '第二十条第（十四）项', text: '公务员招考的职位、名额、报考条件等事项以及录用结果' },
  { name: '其他法定公开信息', statuteRef: '第二十条第（十五）项', text: '法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息' },
];

/** 第二十一条: 设区的市级、县级人民政府及其部门. */
export const ARTICLE_21_CITY_COUNTY: readonly string[] = ['市政建设', '公共服务', '公益事业', '土地征收', '房屋征收', '治安管理', '社会救助'];

/** 第二十一条: 乡（镇）人民政府. */
export const ARTICLE_21_TOWNSHIP: readonly string[] = [
  '农业农村政策', '农田水利工程建设运营', '农村土地承包经营权流转', '宅基地使用情况审核', '土地征收', '房屋征收', '筹资筹劳', '社会救助',
];

/** The columns agencies add (not statutory): 政策解读 is linked to the policy it explains. */
export const INTERPRETATION_CATEGORY = '政策解读';
export const AGENCY_COLUMNS: readonly string[] = ['政务公开', '工作动态', INTERPRETATION_CATEGORY, '通知公告', '图片新闻'];

/** The default catalogue of an agency of this kind ('government' | 'department' | 'township'). */
export function defaultCatalogue(kind: string): CatalogueCategoryDef[] {
  const art21 = (kind === 'township' ? ARTICLE_21_TOWNSHIP : ARTICLE_21_CITY_COUNTY).map((name) => ({ name, statuteRef: '第二十一条' }));
  return [
    ...ARTICLE_20_CATEGORIES,
    ...art21.filter((c) => !ARTICLE_20_CATEGORIES.some((a) => a.name === c.name)),
    ...AGENCY_COLUMNS.map((name) => ({ name, statuteRef: null })),
  ];
}

/** 体裁分类 commonly used on portals (公文种类 per 《党政机关公文处理工作条例》第八条, and other genres). */
export const GENRES: readonly string[] = [
  '决议', '决定', '命令（令）', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '请示', '批复', '议案', '函', '纪要',
  '规划', '计划', '方案', '办法', '规定', '细则', '解读', '图解', '动态', '其他',
];
