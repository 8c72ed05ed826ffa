/**
 * `gongkai demo`: loads the demo city — 哈尔滨市人民政府, the seed's bureau (哈尔滨市文化广电和旅游局, with its contact
 * block from its 2022 report), four sibling departments and a district — with five years of records
 * (2021–2025) and this year's open requests, then compiles and publishes the annual reports the way staff would.
 *
 * Everything goes through the capabilities' use cases (so the audit chain holds): agencies and accounts,
 * requests (submitRequest/performAction), review cases, the registries, items (the batched import), reports.
 * Deterministic: a seeded generator; the same database gets the same records. Refuses to load twice.
 *
 * The bureau's 2022 figures are the seed's: 2 requests (1 予以公开, 1 本机关不掌握相关政府信息), 51 items on the
 * portal, 2,745 new-media posts; its 2022 report is published with the prose the bureau published, the one
 * total the consistency check flags (主动公开信息 2696 条 ≠ 51 + 2745) corrected to 2796, as the office would
 * make it do.
 *
 * Applicants are invented: names from common surnames and given names; ID numbers carry a valid check digit but
 * the region code 230100 (the city itself, never assigned to a person) marks them as fake.
 */
import { seededRandom, type SeededRandom } from '../../seeded-random.js';
import { loadOversightDemo } from './demo-oversight.js';
import { tokenActor, createToken, createUser } from '../../modules/accounts/accounts.service.js';
import { createAgency, findAgency } from '../../modules/agencies/agencies.service.js';
import type { Actor, Ctx } from '../../modules/context.js';
import { importItems, type SourceRow } from '../../modules/disclosure/import.service.js';
import { addDecisions, addDocument, addFee, addNewMedia, abolishDocument } from '../../modules/registries/registries.service.js';
import { buildAnnualReport, publishReport, reviewReport, saveNarrative, submitReport } from '../../modules/reports/reports.service.js';
import { performAction, submitRequest, newAccessKey } from '../../modules/requests/requests.service.js';
import { createReviewCase } from '../../modules/reviews/reviews.service.js';
import { parse } from '../args.js';
import { withCtx } from './context.js';
import { idCheckChar } from '../../law/screening.js';
import { indexPrefix } from '../../modules/disclosure/disclosure.service.js';
import { demoItemRows } from './demo-items.js';
import { saveSiteIdentity } from '../../modules/site/site.service.js';

export const DEMO_PASSWORD = 'Demo-passw0rd';
const YEARS = [2021, 2022, 2023, 2024, 2025];

/** The demo and the benchmark generator are deterministic by seed (src/seeded-random.ts). */
export const prng = seededRandom;
export type Rng = SeededRandom;

interface DemoAgency {
  code: string;
  name: string;
  kind: 'government' | 'department';
  parent?: string;
  short: string; // username prefix
  docPrefix: string; // 文号 prefix, e.g. 哈文旅规
  topics: string[];
  subject: string; // the 主题分类 of most of its items
  statutes: string[]; // the laws its items quote (public/demo/statutes.jsonl.gz)
  requestsPerYear: [number, number];
  itemsPerYear: [number, number];
  newMediaPerMonth: [number, number];
  licensing: [number, number];
  penalties: [number, number];
  enforcement: [number, number];
  feesYuan: [number, number];
  reviewsPerYear: [number, number];
  contact: { officeName: string; address: string; postcode: string; phone: string; email?: string; officeHours?: string; website?: string };
}

const CITY_HALL = '哈尔滨市松北区世纪大道1号';
const HOURS = '工作日 8:30—12:00，13:30—17:00';

const AGENCIES: DemoAgency[] = [
  {
    code: 'harbin', name: '哈尔滨市人民政府', kind: 'government', short: 'szf', docPrefix: '哈政规',
    subject: '综合政务', statutes: ['中华人民共和国政府信息公开条例', '优化营商环境条例', '中华人民共和国预算法', '中华人民共和国突发事件应对法', '中华人民共和国就业促进法'],
    topics: ['优化营商环境', '冰雪经济高质量发展', '城市更新', '老旧小区改造', '稳就业', '乡村振兴'],
    requestsPerYear: [8, 16], itemsPerYear: [90, 140], newMediaPerMonth: [40, 80], licensing: [0, 0], penalties: [0, 0], enforcement: [0, 0], feesYuan: [0, 0], reviewsPerYear: [1, 3],
    contact: { officeName: '哈尔滨市人民政府办公厅', address: CITY_HALL, postcode: '150021', phone: '0451-84664000', officeHours: HOURS, website: 'www.harbin.gov.cn' },
  },
  {
    code: 'hrb-wglj', name: '哈尔滨市文化广电和旅游局', kind: 'department', parent: 'harbin', short: 'wglj', docPrefix: '哈文旅规',
    subject: '文化、广电、新闻出版', statutes: ['中华人民共和国旅游法', '中华人民共和国文物保护法', '中华人民共和国公共文化服务保障法', '中华人民共和国政府信息公开条例'],
    topics: ['冰雪旅游', '公共文化服务', 'A级旅游景区', '文物保护', '旅行社管理', '哈尔滨之夏音乐会'],
    requestsPerYear: [1, 6], itemsPerYear: [45, 70], newMediaPerMonth: [180, 260], licensing: [40, 90], penalties: [5, 20], enforcement: [0, 2], feesYuan: [0, 0], reviewsPerYear: [0, 1],
    // The contact block of the bureau's 2022 report (the seed).
    contact: { officeName: '哈尔滨市文化广电和旅游局办公室', address: '哈尔滨市松北区世纪大道1号', postcode: '150021', phone: '0451-84664600', officeHours: HOURS, website: 'www.harbin.gov.cn' },
  },
  {
    code: 'hrb-jyj', name: '哈尔滨市教育局', kind: 'department', parent: 'harbin', short: 'jyj', docPrefix: '哈教规',
    subject: '科技、教育', statutes: ['中华人民共和国教育法', '中华人民共和国义务教育法', '中华人民共和国学前教育法', '中华人民共和国政府信息公开条例'],
    topics: ['义务教育招生', '学前教育', '校外培训治理', '教师招聘', '中考改革', '学生资助'],
    requestsPerYear: [10, 22], itemsPerYear: [70, 120], newMediaPerMonth: [60, 110], licensing: [20, 60], penalties: [0, 5], enforcement: [0, 0], feesYuan: [0, 0], reviewsPerYear: [1, 3],
    contact: { officeName: '哈尔滨市教育局办公室', address: '哈尔滨市南岗区文化街1号', postcode: '150001', phone: '0451-86331000', officeHours: HOURS },
  },
  {
    code: 'hrb-zjj', name: '哈尔滨市住房和城乡建设局', kind: 'department', parent: 'harbin', short: 'zjj', docPrefix: '哈建规',
    subject: '城乡建设、环境保护', statutes: ['中华人民共和国建筑法', '中华人民共和国城乡规划法', '中华人民共和国城市房地产管理法', '物业管理条例'],
    topics: ['老旧小区改造', '商品房预售', '建筑工程施工许可', '物业管理', '供热管理', '城市更新'],
    requestsPerYear: [18, 35], itemsPerYear: [80, 130], newMediaPerMonth: [30, 70], licensing: [600, 1200], penalties: [30, 80], enforcement: [0, 6], feesYuan: [20000, 90000], reviewsPerYear: [2, 5],
    contact: { officeName: '哈尔滨市住房和城乡建设局办公室', address: '哈尔滨市道里区森林街1号', postcode: '150010', phone: '0451-84664100', officeHours: HOURS },
  },
  {
    code: 'hrb-sthjj', name: '哈尔滨市生态环境局', kind: 'department', parent: 'harbin', short: 'sthjj', docPrefix: '哈环规',
    subject: '城乡建设、环境保护', statutes: ['中华人民共和国环境保护法', '中华人民共和国大气污染防治法', '中华人民共和国噪声污染防治法', '中华人民共和国行政处罚法'],
    topics: ['环境影响评价', '大气污染防治', '排污许可', '秸秆禁烧', '松花江水质', '噪声污染防治'],
    requestsPerYear: [6, 14], itemsPerYear: [60, 100], newMediaPerMonth: [20, 50], licensing: [150, 320], penalties: [40, 120], enforcement: [5, 20], feesYuan: [0, 0], reviewsPerYear: [1, 2],
    contact: { officeName: '哈尔滨市生态环境局办公室', address: '哈尔滨市南岗区长江路1号', postcode: '150090', phone: '0451-86768000', officeHours: HOURS },
  },
  {
    code: 'hrb-scjgj', name: '哈尔滨市市场监督管理局', kind: 'department', parent: 'harbin', short: 'scjgj', docPrefix: '哈市监规',
    subject: '市场监管、安全生产监管', statutes: ['中华人民共和国食品安全法', '中华人民共和国特种设备安全法', '中华人民共和国价格法', '中华人民共和国行政许可法', '中华人民共和国安全生产法'],
    topics: ['食品安全抽检', '特种设备安全', '价格监督检查', '商标注册', '计量监督', '消费维权'],
    requestsPerYear: [12, 26], itemsPerYear: [90, 150], newMediaPerMonth: [50, 90], licensing: [2000, 3500], penalties: [300, 700], enforcement: [20, 60], feesYuan: [5000, 30000], reviewsPerYear: [2, 4],
    contact: { officeName: '哈尔滨市市场监督管理局办公室', address: '哈尔滨市香坊区红旗大街1号', postcode: '150036', phone: '0451-82112000', officeHours: HOURS },
  },
  {
    code: 'hrb-dl', name: '哈尔滨市道里区人民政府', kind: 'government', parent: 'harbin', short: 'dlq', docPrefix: '里政规',
    subject: '综合政务', statutes: ['优化营商环境条例', '中华人民共和国老年人权益保障法', '中华人民共和国社会保险法', '中华人民共和国行政强制法', '中华人民共和国政府采购法'],
    topics: ['中央大街步行街', '社区服务', '征收补偿', '营商环境', '冬季清冰雪', '养老服务'],
    requestsPerYear: [8, 18], itemsPerYear: [70, 110], newMediaPerMonth: [40, 80], licensing: [100, 300], penalties: [10, 40], enforcement: [0, 5], feesYuan: [0, 3000], reviewsPerYear: [1, 3],
    contact: { officeName: '哈尔滨市道里区人民政府办公室', address: '哈尔滨市道里区爱建路1号', postcode: '150076', phone: '0451-84609000', officeHours: HOURS },
  },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '于', '董', '宋', '曲', '韩', '冯'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂兰', '志强', '淑华', '建国', '海燕', '雪松', '冬梅', '宏伟', '丽娟'];
const COMPANIES = ['哈尔滨鑫源商贸有限公司', '黑龙江北辰建设工程有限公司', '哈尔滨冰城物业服务有限公司', '黑龙江松江律师事务所', '哈尔滨工业技术研究院', '哈尔滨市爱心公益服务中心', '黑龙江龙江环保科技有限公司', '哈尔滨远东旅行社有限公司', '黑龙江正阳律师事务所', '哈尔滨市社区居民委员会联合会'];
const ORG_KINDS: Record<string, string> = {
  哈尔滨鑫源商贸有限公司: 'commercial_enterprise', 黑龙江北辰建设工程有限公司: 'commercial_enterprise', 哈尔滨冰城物业服务有限公司: 'commercial_enterprise',
  黑龙江松江律师事务所: 'legal_service_org', 哈尔滨工业技术研究院: 'research_institution', 哈尔滨市爱心公益服务中心: 'social_welfare_org',
  黑龙江龙江环保科技有限公司: 'commercial_enterprise', 哈尔滨远东旅行社有限公司: 'commercial_enterprise', 黑龙江正阳律师事务所: 'legal_service_org',
  哈尔滨市社区居民委员会联合会: 'other_org',
};

/** A resident ID number with a valid check digit and the fake region code 230100. */
export function fakeIdNumber(rng: Rng): string {
  const y = rng.int(1955, 2000);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  const body = `230100${y}${m}${d}${String(rng.int(0, 999)).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

function orgCode(rng: Rng): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let s = '91230100';
  for (let i = 0; i < 10; i++) s += chars[rng.int(0, chars.length - 1)];
  return s;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}
/** A weekday in the year between two day-of-year bounds. */
function weekday(rng: Rng, year: number, from = 3, to = 360): string {
  let d = addDays(`${year}-01-01`, rng.int(from, to));
  while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}
const nextWeekday = (d: string) => {
  let x = d;
  while ([0, 6].includes(new Date(`${x}T00:00:00Z`).getUTCDay())) x = addDays(x, 1);
  return x;
};

const OUTCOME_WEIGHTS: [string, number][] = [
  ['disclosed', 38], ['partially_disclosed', 9], ['withheld.third_party_rights', 3], ['withheld.process_information', 3], ['withheld.internal_affairs', 2],
  ['withheld.enforcement_file', 1], ['withheld.state_secret', 0.5], ['unavailable.not_held', 20], ['unavailable.needs_creation', 5], ['unavailable.still_unclear', 1],
  ['not_processed.petition_complaint', 5], ['not_processed.duplicate', 3], ['not_processed.publication', 2], ['not_processed.confirm_or_reissue', 1], ['other.other', 2],
];

const REQUEST_SUBJECTS = [
  (t: string, y: number) => `申请公开${y}年度${t}相关资金使用情况`,
  (t: string) => `申请公开${t}工作的实施方案`,
  (t: string, y: number) => `申请公开${y}年${t}项目清单及审批文件`,
  (t: string) => `申请公开关于${t}的会议纪要`,
  (t: string) => `申请公开${t}的检查结果`,
];
/** The year's items of an agency: every category, 文号 and 解读 (demo-items.ts); 51 for the seed's 2022. */
async function importDemoItems(ctx: Ctx, approver: Actor, a: DemoAgency, year: number, today: string, rng: Rng): Promise<number> {
  const seed = a.code === 'hrb-wglj' && year === 2022;
  const lastDay = year === Number(today.slice(0, 4)) ? Math.floor((Date.parse(today) - Date.parse(`${year}-01-01`)) / 86400_000) : 362;
  if (lastDay < 2) return 0;
  const perYear = rng.int(...a.itemsPerYear);
  const n = seed ? 51 : Math.max(1, Math.round((perYear * lastDay) / 362));
  const dates = Array.from({ length: n }, () => weekday(rng, year, Math.min(2, lastDay), lastDay)).map((d) => (d > today ? today : d)).sort();
  const agency = (await findAgency(ctx, a.code))!;
  const rows = demoItemRows(rng, { ...a, subject: a.subject, statutes: a.statutes }, year, dates, indexPrefix(agency));
  async function* iter(): AsyncGenerator<SourceRow> {
    let line = 1;
    for (const record of rows) yield { line: line++, record };
  }
  const res = await importItems({ ...ctx, now: () => new Date(`${(year === Number(today.slice(0, 4)) ? today : `${year}-12-31`)}T02:00:00Z`) }, approver, a.code, iter(), { file: `demo-${a.code}-${year}.jsonl` });
  if (res.rejected.length) throw new Error(`演示信息导入失败：${res.rejected.slice(0, 3).map((r) => `第 ${r.line} 行 ${r.reason}`).join('；')}`);
  return res.imported;
}


const log = (msg: string) => process.stderr.write(`${msg}\n`);

export async function loadDemo(ctx: Ctx, opts: { quiet?: boolean } = {}): Promise<{ agencies: number; requests: number; items: number; reports: number }> {
  const say = opts.quiet ? () => {} : log;
  if (await findAgency(ctx, 'harbin')) throw new DemoAlreadyLoaded();
  const rng = prng(20221231);
  const sys = { system: 'demo' };
  const stats = { agencies: 0, requests: 0, items: 0, reports: 0 };

  say('· 创建机构和账号……');
  const actors: DemoActors = new Map();
  for (const a of AGENCIES) {
    await createAgency(ctx, sys, { code: a.code, name: a.name, kind: a.kind, parentCode: a.parent ?? null, ...a.contact });
    stats.agencies++;
    const roles = {} as Record<'handler' | 'editor' | 'reviewer' | 'approver', Actor>;
    for (const role of ['handler', 'editor', 'reviewer', 'approver'] as const) {
      const username = `${a.short}.${role}`;
      await createUser(ctx, sys, { agencyCode: a.code, username, role, password: DEMO_PASSWORD, displayName: `${a.name.replace('哈尔滨市', '')}${{ handler: '承办人', editor: '编辑', reviewer: '审核人', approver: '签发人' }[role]}` });
      roles[role] = (await tokenActor(ctx, await createToken(ctx, sys, username, 'demo')))!;
    }
    actors.set(a.code, roles);
  }
  // The portal's identity in the footer, as a city's portal shows it (the environment's GONGKAI_SITE_* win).
  await saveSiteIdentity(ctx, sys, { organiser: '哈尔滨市人民政府办公厅', siteCode: '2301000001', icp: '黑ICP备00000000号（演示）' });
  await createUser(ctx, sys, { agencyCode: 'harbin', username: 'admin', role: 'admin', password: DEMO_PASSWORD, displayName: '系统管理员' });
  await createUser(ctx, sys, { agencyCode: 'harbin', username: 'jiandu', role: 'supervisor', password: DEMO_PASSWORD, displayName: '市政务公开办' });

  const today = new Date(ctx.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const currentYear = Number(today.slice(0, 4));
  const at = (date: string): Ctx => ({ ...ctx, now: () => new Date(`${date}T02:00:00Z`) });

  for (const a of AGENCIES) {
    const who = actors.get(a.code)!;
    const seed = a.code === 'hrb-wglj';
    say(`· ${a.name}：登记依申请公开、复议诉讼、规范性文件、执法决定、收费、新媒体和主动公开信息……`);

    // ---- Requests (2021–2025, and this year's open ones) ----
    const years = [...YEARS, ...(currentYear > 2025 ? [currentYear] : [])];
    for (const year of years) {
      let specs: { receivedOn: string; kind: string; outcome: string | null; replyAfter: number; extend: boolean }[] = [];
      if (seed && year === 2022) {
        specs = [
          { receivedOn: '2022-04-11', kind: 'natural_person', outcome: 'disclosed', replyAfter: 14, extend: false },
          { receivedOn: '2022-09-05', kind: 'natural_person', outcome: 'unavailable.not_held', replyAfter: 15, extend: false },
        ];
      } else {
        const n = rng.int(...a.requestsPerYear);
        const lastDay = year === currentYear ? Math.max(10, Math.floor((Date.parse(today) - Date.parse(`${year}-01-01`)) / 86400_000) - 2) : 360;
        for (let i = 0; i < n; i++) {
          const receivedOn = weekday(rng, year, 3, lastDay);
          const kind = rng.next() < 0.72 ? 'natural_person' : 'org';
          specs.push({ receivedOn, kind, outcome: rng.weighted(OUTCOME_WEIGHTS), replyAfter: rng.int(4, 26), extend: rng.next() < 0.08 });
        }
        specs.sort((x, y) => x.receivedOn.localeCompare(y.receivedOn));
      }
      for (const [index, s] of specs.entries()) {
        const company = rng.pick(COMPANIES);
        const person = s.kind === 'natural_person';
        const topic = rng.pick(a.topics);
        const applicant = person
          ? { kind: 'natural_person', name: rng.pick(SURNAMES) + rng.pick(GIVEN), idType: 'resident_id', idNumber: fakeIdNumber(rng), phone: `139${String(rng.int(0, 99999999)).padStart(8, '0')}`, address: `哈尔滨市${rng.pick(['道里区', '南岗区', '香坊区', '道外区', '松北区', '平房区'])}某街道${rng.int(1, 200)}号` }
          : { kind: ORG_KINDS[company]!, name: company, orgCode: orgCode(rng), contact: rng.pick(SURNAMES) + rng.pick(GIVEN), phone: `0451-8${String(rng.int(0, 9999999)).padStart(7, '0')}` };
        const { request } = await submitRequest(
          at(s.receivedOn),
          who.handler,
          {
            agency: a.code,
            channel: rng.pick(['online', 'online', 'online', 'letter', 'in_person', 'email'] as const),
            receivedOn: s.receivedOn,
            applicant,
            subject: rng.pick(REQUEST_SUBJECTS)(topic, Number(s.receivedOn.slice(0, 4))),
            description: `本人（单位）因${rng.pick(['生产经营', '学习研究', '维护自身合法权益', '了解政策'])}需要，申请获取上述政府信息，请以电子文档形式提供。`,
            formWanted: 'electronic',
            delivery: rng.pick(['email', 'online', 'post'] as const),
          },
          { strict: false, accessKey: newAccessKey() },
        );
        stats.requests++;
        let replyOn = nextWeekday(addDays(s.receivedOn, s.replyAfter + (s.extend ? 18 : 0)));
        // This year's late arrivals stay open (some of them past their limit).
        // The last few of this year are always open, so every agency's handler has work to see.
        if (year === currentYear && (replyOn >= addDays(today, -3) || index >= specs.length - 3)) continue;
        if (s.outcome === 'unavailable.still_unclear') {
          // 第30条: “补正后仍不明确” needs a 补正 first (asked the next working day, answered two days later).
          const corrOn = nextWeekday(addDays(s.receivedOn, 1));
          const backOn = nextWeekday(addDays(corrOn, 2));
          await performAction(at(corrOn), who.handler, request.id, { type: 'request_correction', on: corrOn, items: ['请说明所需信息的文号或形成时间'] });
          await performAction(at(backOn), who.handler, request.id, { type: 'receive_correction', on: backOn });
          if (replyOn <= backOn) replyOn = nextWeekday(addDays(backOn, 1));
        }
        if (s.extend) {
          const extOn = nextWeekday(addDays(s.receivedOn, 16));
          await performAction(at(extOn), who.handler, request.id, { type: 'extend', on: extOn, days: 20, reason: '需要调取的档案较多，无法在规定期限内答复' });
        }
        if (replyOn > today) replyOn = today;
        await performAction(at(replyOn), who.handler, request.id, {
          type: 'reply',
          on: replyOn,
          outcome: s.outcome!,
          replyText: s.outcome === 'disclosed' ? '经审查，您申请的政府信息属于公开范围，现予以提供。' : '经审查，根据《中华人民共和国政府信息公开条例》有关规定，现答复如下。',
        });
      }

      // ---- Review cases ----
      if (year <= 2025 && !(seed && year === 2022)) {
        const n = rng.int(...a.reviewsPerYear);
        for (let i = 0; i < n; i++) {
          const filedOn = weekday(rng, year, 20, 340);
          const kind = rng.weighted([['reconsideration', 6], ['litigation_direct', 2], ['litigation_after_reconsideration', 1]] as [string, number][]);
          const concludedOn = nextWeekday(addDays(filedOn, rng.int(40, 110)));
          const result = concludedOn > today ? 'pending' : rng.weighted([['upheld', 6], ['corrected', 2], ['other', 2]] as [string, number][]);
          await createReviewCase(at(result === 'pending' ? filedOn : concludedOn), who.handler, {
            agency: a.code,
            kind,
            caseNo: kind === 'reconsideration' ? `哈政复决字〔${year}〕${rng.int(10, 480)}号` : `（${year}）黑0${rng.int(102, 113)}行初${rng.int(10, 300)}号`,
            body: kind === 'reconsideration' ? '哈尔滨市人民政府' : rng.pick(['哈尔滨市道里区人民法院', '哈尔滨市南岗区人民法院', '哈尔滨铁路运输法院']),
            filedOn,
            result,
            concludedOn: result === 'pending' ? undefined : concludedOn,
          });
        }
      }
      // ---- Items on the portal (the batched import, published as of their dates, up to today) ----
      stats.items += await importDemoItems(ctx, who.approver, a, year, today, rng);
      if (year > 2025) continue;

      // ---- Registries: 规范性文件, decisions, 行政事业性收费, new media ----
      const docs = a.kind === 'government' || a.code !== 'hrb-wglj' ? rng.int(1, 4) : rng.int(0, 2);
      for (let i = 0; i < docs; i++) {
        const issuedOn = weekday(rng, year, 20, 340);
        const topic = rng.pick(a.topics);
        const d = await addDocument(at(issuedOn), who.editor, a.code, {
          kind: 'normative_document',
          title: `关于印发《哈尔滨市${topic}管理办法》的通知`,
          docNumber: `${a.docPrefix}〔${year}〕${i + 1}号`,
          issuedOn,
        });
        if (year <= 2023 && rng.next() < 0.2) {
          const ab = weekday(rng, year + 2, 30, 300);
          await abolishDocument(at(ab), who.editor, d.id, ab);
        }
      }
      for (const [kind, range] of [['licensing', a.licensing], ['penalty', a.penalties], ['enforcement', a.enforcement]] as const) {
        const n = rng.int(...range);
        if (n > 0) await addDecisions(at(`${year}-12-31`), who.editor, a.code, { kind, year, count: n });
      }
      const feeYuan = rng.int(...a.feesYuan);
      if (feeYuan > 0) await addFee(at(`${year}-12-31`), who.editor, a.code, { collectedOn: `${year}-12-31`, amountYuan: feeYuan, item: '行政事业性收费（年度合计）' });
      const channels = seed ? (['wechat', 'douyin'] as const) : (['wechat', 'weibo'] as const);
      const monthly: { channel: string; month: number; n: number }[] = [];
      // Counted per quarter (the registry takes counted batches).
      for (let m = 3; m <= 12; m += 3) for (const ch of channels) monthly.push({ channel: ch, month: m, n: Math.max(1, Math.round((3 * rng.int(...a.newMediaPerMonth)) / channels.length)) });
      if (seed && year === 2022) {
        // The seed: 2,745 new-media posts in 2022 (WeChat 1,630; Douyin 1,115), spread over the quarters.
        const spread = (total: number, ch: string) => {
          for (let q = 1; q <= 4; q++) monthly.filter((x) => x.channel === ch && x.month === q * 3)[0]!.n = Math.floor(total / 4) + (q <= total % 4 ? 1 : 0);
        };
        spread(1630, 'wechat');
        spread(1115, 'douyin');
      }
      for (const x of monthly) {
        const on = `${year}-${String(x.month).padStart(2, '0')}-28`;
        await addNewMedia(at(on), who.editor, a.code, { channel: x.channel, account: x.channel === 'wechat' ? `${a.name.replace('哈尔滨市', '哈尔滨')}` : `${a.name.replace('哈尔滨市', '哈尔滨')}官方账号`, publishedOn: on, count: x.n });
      }

    }
  }

  // ---- Annual reports: compiled, reviewed, signed off and published in January (March for governments). ----
  say('· 编制并发布年度报告……');
  for (const year of YEARS) {
    for (const a of [...AGENCIES].reverse()) {
      const who = actors.get(a.code)!;
      // Left for the newcomer: the bureau's 2022 report (with the prose it published), and two late 2025 reports.
      if (year === 2025 && a.code === 'hrb-sthjj') continue;
      const day = a.kind === 'government' ? `${year + 1}-03-${String(rng.int(20, 28)).padStart(2, '0')}` : `${year + 1}-01-${String(rng.int(15, 27)).padStart(2, '0')}`;
      const c = at(day);
      const rollup = a.code === 'harbin' && year >= 2023 ? AGENCIES.filter((x) => x.parent === 'harbin' && x.kind === 'department').map((x) => x.code) : undefined;
      await buildAnnualReport(c, who.editor, a.code, year, { rollup });
      if (a.code === 'hrb-wglj' && year === 2022) {
        // The office flags the seed's total (2696 ≠ 51 + 2745); the bureau corrects it before publishing.
        await saveNarrative(c, who.editor, a.code, year, SEED_NARRATIVE_CORRECTED);
      } else {
        await saveNarrative(c, who.editor, a.code, year, { problems: problemsText(rng, year) });
      }
      if (year === 2025 && a.code === 'hrb-scjgj') continue; // a draft, past its deadline
      await submitReport(c, who.editor, a.code, year);
      await reviewReport(c, who.reviewer, a.code, year, 'approve');
      await publishReport(c, who.approver, a.code, year);
      stats.reports++;
    }
  }

  // ---- Further demo records, one function in its own file each, called here with the accounts and today:
  //      e.g. `await loadDemoReminders(ctx, actors, today);` ----
  await loadOversightDemo(ctx, { year: YEARS.at(-1)!, today }); // reminders, 督办, 考核 weights, 依申请转主动 (demo-oversight.ts)
  return stats;
}

/** The demo's accounts per agency code, for the demo files that add records (reminders, …). */
export type DemoActors = Map<string, { handler: Actor; editor: Actor; reviewer: Actor; approver: Actor }>;

function problemsText(rng: Rng, year: number): string {
  const problems = ['政策解读的形式还不够丰富，图解、视频解读占比偏低', '部分栏目信息更新不够及时', '依申请公开答复文书的规范性有待提高', '政务新媒体与门户网站的协同发布机制还需完善', '基层工作人员业务培训覆盖面不够'];
  const fixes = ['丰富政策解读形式，增加图解和视频解读', '建立栏目更新台账，落实专人负责', '规范答复文书模板，加强法制审核', '完善政务新媒体与门户网站协同发布机制', '开展政府信息公开业务培训'];
  const i = rng.int(0, problems.length - 1);
  const j = (i + rng.int(1, problems.length - 1)) % problems.length;
  return `${year}年，政府信息公开工作还存在一些不足：一是${problems[i]}；二是${problems[j]}。\n下一步，将${fixes[i]}，${fixes[j]}，持续提升政府信息公开工作质量。`;
}

/** The prose of the bureau's published 2022 report (sections 一、五、六), as it was written. */
export const SEED_NARRATIVE = {
  overview: [
    '2022年，哈尔滨市文化广电和旅游局全面贯彻落实《条例》和《通知》的要求，紧紧围绕市委、市政府有关重点工作安排，结合《哈尔滨市2022年政务公开工作方案》的要求，坚持依法、公开、及时、便民的原则，加强组织领导，进一步加强和规范政府信息公开工作，有效地保障了人民群众对文化广电旅游工作的知情权、参与权、表达权和监督权。我局坚持以平台建设、政策解读、回应关切为抓手，积极推进政府信息公开制度化、规范化、常态化，以电视、报纸等传统新闻媒体、哈尔滨市人民政府网政务信息公开专栏和新媒体信息发布系统为载体，及时主动向社会公布及解读文旅政策，认真扎实推进政府信息公开有关工作。',
    '（一）主动公开情况',
    '2022年，我局全面提升哈尔滨官方新媒体矩阵宣传质效，通过门户网站、新媒体等渠道，主动公开信息2696条，主要涉及政务公开、工作动态、政策解读、通知公告、规划信息、文旅活动、图片新闻等内容。门户网站主动公开政府信息51条，微信公众号、抖音官方账号等新媒体推送信息2745条。',
    '（二）依申请公开情况',
    '2022年度共受理政府信息公开申请2件。其中“予以公开”1件，因“本机关不掌握相关政府信息”而“无法公开”1件。',
    '（三）政府信息管理',
    '为确保政府信息公开工作落到实处，我局确立了主要领导亲自抓，分管领导具体抓，专人负责落实的工作机制。规范政府信息产生、流转、保管流程，建立健全信息发布机制、信息公开审核机制。加强信息化手段在政务信息管理中的运用，切实提高政府信息公开工作质效。',
    '（四）政府信息公开平台建设',
    '优化门户网站专栏，强化政务新媒体协作。一是加强网站平台建设，我局不断提升网站信息内容质量，积极发挥网站信息公开第一平台的作用，强化网站发布信息、政策解读和便民服务的功能。将重点领域、公共服务等在门户网站公开，并实行动态调整。二是依托新媒体，拓宽信息宣传渠道。充分利用“哈尔滨文旅”抖音、头条等新媒体平台推送政务信息，加强与公众的互动。',
    '（五）监督保障',
    '为进一步做好政府信息公开工作，我局成立了信息公开工作领导小组，分管副局长担任组长，各处室负责人为成员，负责政务公开的组织协调、综合指导、督促检查等工作。另外，我局将此项工作纳入年度目标考核体系和年度工作要点，严格信息公开审查制度，做到规范化、系统化地开展政府信息公开工作，为政务服务工作提供有力的保障。',
  ].join('\n'),
  problems:
    '2022年，哈尔滨市文化广电和旅游局政府信息公开工作取得了一定的进步，但仍然还存在一些不足。具体体现在：一是对政府信息公开工作的重要性认识还需进一步提高；二是公开的信息内容还不够丰富；三是信息公开规范性有待提升。\n下一步，我们将紧密结合工作实际，持续推进政府信息公开工作。一是提高政府信息公开重要性认识，进一步完善信息公开平台载体功能，增加信息量，不断增强信息公开的传播力、影响力；二是进一步加强信息公开力度，将“以公开为常态、不公开为例外”的原则贯彻到日常工作中。三是持续加强信息公开阵地建设。优化机制、简化操作，规范信息发布审批流程，确保政务信息及时、准确、规范的对外公开。',
  other: '本年度无信息处理费情况。',
};

/** The same prose with the one figure the consistency check flags put right (2696 → 2796 = 51 + 2745). */
export const SEED_NARRATIVE_CORRECTED = { ...SEED_NARRATIVE, overview: SEED_NARRATIVE.overview.replace('主动公开信息2696条', '主动公开信息2796条') };

export class DemoAlreadyLoaded extends Error {
  constructor() {
    super('演示数据已载入（机构 harbin 已存在），未做任何改动。如需重新载入，请换用一个新的数据库（GONGKAI_DB 或 DATABASE_URL）。');
  }
}

export async function demoCommand(argv: string[]): Promise<number> {
  parse(argv, {});
  try {
    const started = Date.now();
    const stats = await withCtx((ctx) => loadDemo(ctx));
    console.log(
      [
        `演示城市已载入：${stats.agencies} 个机构，${stats.requests} 件政府信息公开申请，${stats.items} 条主动公开信息，${stats.reports} 份年度报告（用时 ${Math.round((Date.now() - started) / 1000)} 秒）。`,
        '',
        `登录工作台 /office（密码均为 ${DEMO_PASSWORD}）：`,
        '  admin             系统管理员',
        '  jiandu            市政务公开办（监督检查，只读）',
        '  wglj.handler      哈尔滨市文化广电和旅游局 依申请公开承办人（另有 wglj.editor、wglj.reviewer、wglj.approver）',
        '  jyj.* zjj.* sthjj.* scjgj.* szf.* dlq.*  其他机构的同名角色',
        '',
        '试一试：/agencies/hrb-wglj/reports/2022 —— 该局 2022 年报，表格由记录生成（正文原稿“主动公开信息 2696 条”≠ 51 + 2745，经一致性检查后更正为 2796 条）。',
        '演示申请人的身份证号码均为虚构（地区码 230100）。',
      ].join('\n'),
    );
    return 0;
  } catch (e) {
    if (e instanceof DemoAlreadyLoaded) {
      console.error(`错误：${e.message}`);
      return 1;
    }
    throw e;
  }
}
