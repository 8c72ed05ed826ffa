/**
 * The demo's 主动公开 items: what a real bureau's catalogue holds. Every 第二十条 category (and the 第二十一条
 * ones of a city department) gets items each year; titles read like real ones and carry the words people
 * search for (the 热门搜索 and 重点领域 of the home page); policies have a 文号 and a 政策解读 linked to them
 * (三同步); every item has a 主题分类 and a 体裁分类; bodies are of realistic length and quote the statutes the
 * agency applies, from a small excerpt shipped in the repository (public/demo/statutes.jsonl.gz, beside the web
 * assets so that it is found from the compiled cache as well: the first articles
 * of 28 laws and regulations from 国家法律法规数据库, via ../shared/corpus; public: 著作权法 第五条; rebuilt by
 * scripts/demo-statutes.py).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { formatIndexNo } from '../../law/catalogue.js';

export interface Statute {
  title: string;
  publishedOn: string;
  source: string;
  articles: string[];
}

let statutes: Statute[] | undefined;
/** The shipped excerpt (about 70 KB gzip'ed), read once. */
export function demoStatutes(): Statute[] {
  statutes ??= gunzipSync(readFileSync(new URL('../../../public/demo/statutes.jsonl.gz', import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Statute);
  return statutes;
}

export interface ItemRng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

export interface ItemAgency {
  code: string;
  name: string;
  docPrefix: string; // 规范性文件 文号 prefix, e.g. 哈文旅规
  topics: string[];
  subject: string; // its usual 主题分类
  statutes: string[]; // titles in the excerpt it applies
}

interface Template {
  category: string;
  genre: string;
  subject?: string;
  /** A 文号 kind: 'rule' (规范性文件, 〔year〕n号 with the agency's 规 prefix) or 'notice' (发文字号). */
  doc?: 'rule' | 'notice';
  title: (a: ItemAgency, topic: string, year: number, k: number) => string;
  lead: (a: ItemAgency, topic: string, year: number) => string;
}

const short = (a: ItemAgency) => a.name.replace('哈尔滨市', '');

/** One template per kind of item; every 第二十条 category, the 第二十一条 ones and the agency's columns. */
const TEMPLATES: Template[] = [
  { category: '法规文件', genre: '通知', doc: 'rule', title: (a, t, y) => `关于印发《哈尔滨市${t}管理办法》的通知`, lead: (a, t) => `为规范${t}工作，根据有关法律法规，结合本市实际，${a.name}制定了《哈尔滨市${t}管理办法》，现予印发，请认真贯彻执行。` },
  { category: '法规文件', genre: '其他', title: (a, t, y) => `${a.name}现行有效规范性文件目录（${y}年）`, lead: (a, t, y) => `根据规范性文件清理工作要求，现将截至${y}年底${a.name}现行有效的规范性文件目录予以公布。` },
  { category: '机构职能', genre: '其他', subject: '政府组织机构', title: (a) => `${a.name}主要职责、内设机构和办公地址`, lead: (a) => `${a.name}是市人民政府工作部门，现将本机关职能、机构设置、办公地址、办公时间、联系方式和负责人姓名公开如下。` },
  { category: '规划信息', genre: '规划', title: (a, t, y) => `哈尔滨市${t}发展规划（${y}—${y + 4}年）`, lead: (a, t) => `本规划依据国民经济和社会发展规划编制，明确${t}的发展目标、主要任务和保障措施。` },
  { category: '规划信息', genre: '计划', title: (a, t, y) => `${a.name}${y}年${t}工作计划`, lead: (a, t, y) => `${y}年，${a.name}将围绕${t}重点任务，扎实推进各项工作。` },
  { category: '统计信息', genre: '其他', title: (a, t, y, k) => `${y}年${(k % 12) + 1}月${t}统计数据`, lead: (a, t) => `现将本期${t}主要统计数据公布如下，数据来源于本机关业务统计。` },
  { category: '行政许可和服务事项', genre: '公告', title: (a, t, y) => `${a.name}行政许可事项清单（${y}年版）`, lead: (a) => `根据行政许可事项清单管理要求，现将${a.name}实施的行政许可事项的依据、条件、程序和办理时限公布如下。` },
  { category: '行政许可和服务事项', genre: '公告', title: (a, t, y, k) => `关于${t}行政许可办理结果的公示（${y}年第${(k % 4) + 1}期）`, lead: (a, t) => `现将近期${t}相关行政许可的办理结果予以公示。` },
  { category: '行政处罚和行政强制', genre: '公告', title: (a, t, y, k) => `${a.name}${y}年第${(k % 4) + 1}季度行政处罚决定公示`, lead: (a) => `根据行政执法公示制度，现将${a.name}本季度作出的行政处罚决定予以公示。` },
  { category: '行政处罚和行政强制', genre: '其他', title: (a) => `${a.name}权责清单`, lead: (a) => `现将${a.name}权责清单公布，列明行政职权的事项名称、设定依据、责任事项和追责情形。` },
  { category: '财政预决算', genre: '报告', subject: '财政、金融、审计', title: (a, t, y) => `${a.name}${y}年部门预算公开（财政预决算）`, lead: (a, t, y) => `根据预算法规定，现将${a.name}${y}年部门预算及“三公”经费预算公开如下。` },
  { category: '财政预决算', genre: '报告', subject: '财政、金融、审计', title: (a, t, y) => `${a.name}${y - 1}年度部门决算公开`, lead: (a, t, y) => `现将${a.name}${y - 1}年度部门决算和财政资金使用情况公开如下。` },
  { category: '行政事业性收费', genre: '公告', subject: '财政、金融、审计', title: (a) => `${a.name}行政事业性收费项目及标准（价格和收费）`, lead: (a) => `现将${a.name}执行的行政事业性收费项目、收费依据和收费标准予以公开，减税降费政策同步落实。` },
  { category: '政府集中采购', genre: '公告', title: (a, t, y) => `${a.name}${y}年政府采购意向公开`, lead: (a, t, y) => `为便于供应商及时了解政府采购信息，现将${a.name}${y}年政府采购意向公开如下。` },
  { category: '重大建设项目', genre: '通报', title: (a, t, y) => `${y}年${t}重点项目建设进展情况`, lead: (a, t) => `现将${t}领域重大建设项目的批准和实施情况公开如下。` },
  { category: '民生政策措施', genre: '通知', doc: 'notice', subject: '劳动、人事、监察', title: (a, t, y) => `关于做好${y}年稳岗就业和社会保障工作的通知`, lead: (a, t, y) => `为做好${y}年稳岗就业工作，切实保障群众基本生活，现就有关事项通知如下。` },
  { category: '民生政策措施', genre: '方案', title: (a, t, y) => `哈尔滨市${y}年养老服务和教育事业民生实事实施方案`, lead: (a, t, y) => `为办好${y}年民生实事，推进养老服务体系和教育事业发展，制定本方案。` },
  { category: '应急管理', genre: '方案', title: (a, t) => `${a.name}${t}突发事件应急预案`, lead: (a, t) => `为有效预防和处置${t}领域突发事件，依据突发事件应对法，制定本应急预案。` },
  { category: '应急管理', genre: '通告', title: (a, t, y, k) => `关于发布${y}年第${k + 1}号应急预案预警信息的通告`, lead: () => `根据气象部门预报，请有关单位和广大市民做好防范应对工作。` },
  { category: '监督检查', genre: '公告', subject: '市场监管、安全生产监管', title: (a, t, y, k) => `${y}年第${(k % 4) + 1}批“双随机、一公开”抽查结果公示`, lead: () => `按照“双随机、一公开”监管要求，现将本批次随机抽查结果予以公示。` },
  { category: '监督检查', genre: '通报', subject: '市场监管、安全生产监管', title: (a, t, y) => `${y}年安全生产和生态环境监督检查情况通报`, lead: (a, t, y) => `${y}年，${a.name}组织开展安全生产、生态环境、食品药品安全和产品质量监督检查，现将情况通报如下。` },
  { category: '公务员招考', genre: '公告', subject: '劳动、人事、监察', title: (a, t, y) => `${a.name}${y}年公开招聘工作人员公告`, lead: (a, t, y) => `根据工作需要，经批准，${a.name}${y}年面向社会公开招聘工作人员，现将职位、名额和报考条件公告如下。` },
  { category: '其他法定公开信息', genre: '通知', doc: 'notice', subject: '劳动、人事、监察', title: (a, t, y, k) => `关于${['王建国', '李秀英', '张志强', '刘海燕', '陈雪松'][k % 5]}等同志人事任免的通知`, lead: () => `经研究决定，对以下同志职务作出任免。` },
  { category: '其他法定公开信息', genre: '其他', title: (a) => `${a.name}政府信息公开指南`, lead: (a) => `为方便公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制${a.name}政府信息公开指南。` },
  { category: '其他法定公开信息', genre: '报告', title: (a, t, y) => `${a.name}${y - 1}年政府信息公开工作年度报告`, lead: (a, t, y) => `本报告依据《中华人民共和国政府信息公开条例》编制，全文和表格见本机关政府信息公开年报栏目。` },
  { category: '市政建设', genre: '通报', subject: '城乡建设、环境保护', title: (a, t, y) => `${y}年市政建设和公共服务设施建设情况`, lead: () => `现将本年度市政建设和公共服务设施建设有关情况公开如下。` },
  { category: '公益事业', genre: '通报', subject: '文化、广电、新闻出版', title: (a, t, y) => `${y}年公共体育文化设施免费开放情况`, lead: () => `现将公共体育文化设施免费或低收费开放情况公开如下。` },
  { category: '土地征收', genre: '公告', subject: '国土资源、能源', title: (a, t, y, k) => `${y}年第${k + 1}批次征地信息公告`, lead: () => `根据土地管理法规定，现将本批次土地征收有关信息公告如下。` },
  { category: '房屋征收', genre: '公告', subject: '城乡建设、环境保护', title: (a, t, y, k) => `${y}年国有土地上房屋征收补偿方案公示（第${k + 1}号）`, lead: () => `根据国有土地上房屋征收与补偿条例，现将房屋征收补偿方案予以公示，征求公众意见。` },
  { category: '治安管理', genre: '通告', subject: '公安、安全、司法', title: (a, t, y) => `关于${y}年冬季大型活动期间加强治安管理的通告`, lead: () => `为维护大型活动期间的公共秩序和安全，现就加强治安管理有关事项通告如下。` },
  { category: '社会救助', genre: '通知', subject: '民政、扶贫、救灾', title: (a, t, y) => `关于提高${y}年城乡低保和涉农补贴标准推进乡村振兴的通知`, lead: (a, t, y) => `为切实保障困难群众基本生活，巩固拓展脱贫攻坚成果同乡村振兴有效衔接，现将${y}年有关标准通知如下。` },
  { category: '公共服务', genre: '公告', title: (a, t, y) => `${y}年保障性住房和医疗卫生公共服务信息公开`, lead: () => `现将保障性住房分配、医疗卫生等公共服务信息公开如下。` },
  { category: '政务公开', genre: '计划', title: (a, t, y) => `${a.name}${y}年政务公开工作要点`, lead: (a, t, y) => `为做好${y}年政务公开工作，制定本工作要点。` },
  { category: '政务公开', genre: '公告', title: (a, t, y) => `关于《哈尔滨市${t}若干措施（征求意见稿）》公开征求意见的公告（重大决策预公开）`, lead: (a, t) => `为提高决策的科学性和透明度，现将《哈尔滨市${t}若干措施（征求意见稿）》向社会公开征求意见。` },
  { category: '政务公开', genre: '函', title: (a, t, y, k) => `对市政协委员第${100 + k}号提案的答复（议案提案）`, lead: () => `您提出的提案收悉，经认真研究，现答复如下。` },
  { category: '通知公告', genre: '公告', title: (a, t, y) => `关于${y}年${t}有关事项的公告`, lead: (a, t) => `现将${t}有关事项公告如下，公示公告期间如有异议，请向本机关反映。` },
  { category: '工作动态', genre: '动态', title: (a, t) => `${a.name}召开${t}工作推进会`, lead: (a, t) => `近日，${a.name}召开${t}工作推进会，总结前一阶段工作，部署下一步任务。` },
  { category: '工作动态', genre: '动态', title: (a, t) => `${short(a)}扎实推进${t}工作取得新成效`, lead: (a, t) => `今年以来，${a.name}坚持问题导向，扎实推进${t}各项工作，公共企事业单位信息公开和财政资金管理进一步规范。` },
  { category: '图片新闻', genre: '动态', title: (a, t) => `图片新闻：${t}现场检查`, lead: (a, t) => `${a.name}有关负责同志深入一线，实地检查${t}工作落实情况。` },
];

const NUMERALS = ['一', '二', '三', '四', '五', '六'];

/** A body of realistic length: the lead, then numbered paragraphs quoting the statutes the agency applies. */
function body(rng: ItemRng, a: ItemAgency, lead: string, date: string): string {
  const pool = demoStatutes().filter((s) => a.statutes.includes(s.title));
  const use = pool.length ? pool : demoStatutes();
  const paras = [lead];
  const n = rng.int(3, 5);
  for (let i = 0; i < n; i++) {
    const s = rng.pick(use);
    const start = rng.int(0, Math.max(0, s.articles.length - 3));
    const [first, ...more] = s.articles.slice(start, start + rng.int(1, 3)).map((x) => x.replace(/\n/g, ''));
    const m = /^(第[一二三四五六七八九十百零]+条)\s*(.*)$/.exec(first!);
    const rest = more.map((x) => x.replace(/^(第[一二三四五六七八九十百零]+条)\s*/, '$1规定：')).join('');
    paras.push(m ? `${NUMERALS[i]}、《${s.title}》${m[1]}规定：${m[2]}${rest ? `同法${rest}` : ''}` : `${NUMERALS[i]}、依据《${s.title}》：${first}`);
  }
  paras.push('本文件自发布之日起施行。如有疑问，请与本机关办公室联系。');
  paras.push(a.name);
  paras.push(`${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`);
  return paras.join('\n');
}

/**
 * The year's rows for `gongkai import` (in the order they must be imported: a policy before its 解读), with
 * explicit 索引号 (prefix/year-serial from `firstSerial`) so that a 解读 names its policy. `dates` are the
 * publication dates to use, sorted; every template is used once before any is used twice.
 */
export function demoItemRows(rng: ItemRng, a: ItemAgency, year: number, dates: string[], prefix: string, firstSerial = 1): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let serial = firstSerial;
  let rules = 0;
  let notices = 0;
  const order = [...TEMPLATES.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let k = 0;
  for (let d = 0; d < dates.length; d++) {
    const date = dates[d]!;
    const tpl = TEMPLATES[k < order.length ? order[k]! : rng.int(0, TEMPLATES.length - 1)]!;
    const topic = rng.pick(a.topics);
    const title = tpl.title(a, topic, year, k);
    k++;
    const indexNo = formatIndexNo(prefix, year, serial++);
    const docNumber = tpl.doc === 'rule' ? `${a.docPrefix}〔${year}〕${++rules}号` : tpl.doc === 'notice' ? `${a.docPrefix.replace(/规$/, '发')}〔${year}〕${10 + ++notices}号` : undefined;
    rows.push({
      indexNo,
      title,
      category: tpl.category,
      summary: tpl.lead(a, topic, year).slice(0, 120),
      body: body(rng, a, tpl.lead(a, topic, year), date),
      generatedOn: date,
      publishedOn: date,
      publisher: a.name,
      docNumber,
      subjectCategory: tpl.subject ?? a.subject,
      genre: tpl.genre,
    });
    // 三同步: a policy (规范性文件) is published with its 解读, which links to it.
    if (tpl.doc === 'rule' && d + 1 < dates.length) {
      const m = /《(.+?)》/.exec(title);
      const name = m ? m[1]! : title;
      d++;
      rows.push({
        indexNo: formatIndexNo(prefix, year, serial++),
        title: `《${name}》政策解读`,
        category: '政策解读',
        summary: `${a.name}对《${name}》的起草背景、主要内容和适用范围作出解读。`,
        body: body(rng, a, `为便于社会公众准确理解《${name}》（${docNumber}），现就其起草背景、主要内容和适用范围解读如下。`, dates[d]!),
        generatedOn: dates[d]!,
        publishedOn: dates[d]!,
        publisher: a.name,
        subjectCategory: a.subject,
        genre: '解读',
        interprets: indexNo,
      });
    }
  }
  return rows;
}
