/**
 * Realistic Chinese government text for generated data: titles, summaries and bodies of the length and
 * vocabulary agencies publish, names of departments and townships. Deterministic by seed.
 */

import { idCheckChar } from '../../src/law/screening.js';
import { prng, type Rng } from '../../src/cli/commands/demo.js';

/** The same seeded PRNG as the demo city. */
export const rng = prng;
export type { Rng };

export const DEPARTMENTS = [
  '发展和改革委员会', '教育局', '科学技术局', '工业和信息化局', '公安局', '民政局', '司法局', '财政局', '人力资源和社会保障局',
  '自然资源和规划局', '生态环境局', '住房和城乡建设局', '交通运输局', '水务局', '农业农村局', '商务局', '文化广电和旅游局',
  '卫生健康委员会', '退役军人事务局', '应急管理局', '审计局', '国有资产监督管理委员会', '市场监督管理局', '体育局', '统计局',
  '医疗保障局', '城市管理局', '林业和草原局', '信访局', '行政审批局', '营商环境建设监督局', '粮食和物资储备局', '人民防空办公室',
  '地方金融监督管理局', '机关事务管理局', '档案局', '民族宗教事务局', '外事办公室', '残疾人联合会', '供销合作社',
];
export const TOWN_SUFFIX = ['镇', '乡', '街道办事处'];
export const PLACE_CHARS = '东西南北中新安平和兴隆昌盛福祥泰康宁长永清河山林江湖桥坪岭湾口阳华丰顺';
export const CITY_NAMES = ['江州', '临川', '清河', '安平', '永宁', '华阳', '南屏', '北辰', '东陵', '西岭', '云川', '金河', '玉泉', '长丰', '兴安', '宁远', '泰和', '嘉禾', '明水', '瑞安'];

const TOPICS = [
  '优化营商环境', '城乡居民基本医疗保险', '农村人居环境整治', '安全生产专项整治', '城市更新行动', '义务教育学校招生', '养老服务体系建设',
  '稳就业促增长', '生态环境保护督察', '食品药品安全监管', '乡村振兴', '数字政府建设', '政务公开工作要点', '最低生活保障', '保障性住房',
  '重点项目建设', '防汛抗旱', '森林防火', '冬季供暖', '老旧小区改造', '城市管理执法', '政府采购', '双随机、一公开监管', '减税降费',
  '预算执行', '财政资金直达', '公共文化服务', '全民健身', '疫苗接种', '医疗卫生服务', '农田水利工程建设', '农村土地承包经营权流转',
  '宅基地使用审核', '土地征收', '房屋征收补偿', '社会救助', '人才引进', '高校毕业生就业', '退役军人服务保障', '应急预案',
  '行政执法公示', '信用体系建设', '知识产权保护', '旅游市场秩序', '文物保护', '非物质文化遗产保护', '道路交通安全', '燃气安全',
  '电动自行车安全管理', '校外培训机构监管', '学前教育', '中小学生课后服务', '粮食安全', '耕地保护', '河长制', '林长制',
];
const DOC_KINDS = ['实施方案', '工作方案', '管理办法', '实施细则', '工作要点', '行动计划', '指导意见', '暂行办法', '考核办法', '应急预案'];
const TITLE_TEMPLATES: ((r: Rng, place: string, year: number, dept: string) => string)[] = [
  (r, p, y) => `关于印发《${p}${r.pick(TOPICS)}${r.pick(DOC_KINDS)}》的通知`,
  (r, p, y) => `${p}${r.pick(DEPARTMENTS)}关于做好${y}年${r.pick(TOPICS)}工作的通知`,
  (r, p, y, d) => `${p}${d}${y}年${r.pick(['部门预算', '部门决算', '政府信息公开工作年度报告', '法治政府建设情况报告', '工作总结和工作计划'])}`,
  (r, p) => `关于${r.pick(TOPICS)}有关事项的公告`,
  (r, p, y) => `${y}年${r.pick(['第一季度', '第二季度', '第三季度', '第四季度', '上半年', '全年'])}${r.pick(TOPICS)}情况通报`,
  (r, p) => `《${p}${r.pick(TOPICS)}${r.pick(DOC_KINDS)}》政策解读`,
  (r, p) => `${p}召开${r.pick(TOPICS)}工作推进会`,
  (r, p) => `关于公布${r.pick(['行政许可', '行政处罚', '权责清单', '公共服务事项', '收费项目', '随机抽查结果'])}的公示`,
  (r, p) => `${p}${r.pick(TOPICS)}${r.pick(['政策问答', '办事指南', '征求意见稿', '公开征求意见的公告'])}`,
  (r, p, y) => `关于${y}年度${r.pick(TOPICS)}资金分配情况的公示`,
];
const SENTENCES = [
  '为深入贯彻落实党中央、国务院决策部署，进一步推进{t}工作，结合我{p}实际，制定本方案。',
  '各有关单位要高度重视，加强组织领导，明确责任分工，确保各项任务落到实处。',
  '坚持以人民为中心的发展思想，坚持问题导向和目标导向，统筹推进{t}各项工作。',
  '到{y}年底，基本建立{t}工作机制，重点领域取得明显成效，群众满意度进一步提升。',
  '{p}各乡镇（街道）、各部门要按照职责分工，认真组织实施，及时报送工作进展情况。',
  '本通知自印发之日起施行，有效期五年。此前有关规定与本通知不一致的，以本通知为准。',
  '加强监督检查，对工作推进不力、造成不良影响的单位和个人，依规依纪严肃问责。',
  '各地要加大政策宣传解读力度，及时回应社会关切，营造良好舆论氛围。',
  '对符合条件的申请人，应当在规定时限内办结，并将办理结果依法向社会公开。',
  '鼓励社会力量参与{t}，形成政府主导、部门协同、社会参与的工作格局。',
  '财政部门要统筹安排资金，保障{t}工作顺利开展，提高资金使用效益。',
  '联系人：综合科，联系电话：0451-8{n}，地址：{p}人民大街{m}号。',
  '建立健全长效机制，定期开展评估，根据评估结果及时调整完善相关措施。',
  '加强信息化建设，推进数据共享，实现{t}相关事项"一网通办"。',
  '本年度共完成{t}项目{m}个，累计投入资金{n}万元，惠及群众{m}万余人。',
];

export function placeName(r: Rng): string {
  return r.pick([...PLACE_CHARS]) + r.pick([...PLACE_CHARS]);
}

export function itemText(r: Rng, place: string, year: number, dept: string): { title: string; summary: string; body: string } {
  const title = r.pick(TITLE_TEMPLATES)(r, place, year, dept);
  const topic = r.pick(TOPICS);
  const fill = (s: string) =>
    s.replace(/\{t\}/g, topic).replace(/\{p\}/g, place).replace(/\{y\}/g, String(year)).replace(/\{n\}/g, String(r.int(1000000, 9999999))).replace(/\{m\}/g, String(r.int(2, 300)));
  const paras: string[] = [];
  const nParas = r.int(2, 8);
  for (let i = 0; i < nParas; i++) {
    const k = r.int(2, 5);
    let p = '';
    for (let j = 0; j < k; j++) p += fill(r.pick(SENTENCES));
    paras.push(p);
  }
  return { title, summary: paras[0]!.slice(0, 80), body: paras.map((p) => `<p>${p}</p>`).join('') };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬辉鑫婷雪琳晨宇浩凯鹏飞欣怡子涵梓轩思雨佳琪';

export function personName(r: Rng): string {
  return r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.chance(0.6) ? r.pick([...GIVEN]) : '');
}

/** A resident ID number with a valid GB 11643 check digit (obviously fake region 999999 is not valid — use 230102). */
export function idNumber(r: Rng, birthYear: number): string {
  const body = `230102${birthYear}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${String(r.int(100, 999))}`;
  return body + idCheckChar(body);
}
