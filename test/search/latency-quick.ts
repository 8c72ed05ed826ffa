/**
 * A quick local latency check of the search index (not a test; run by hand):
 *   GONGKAI_TEST_ENGINE=sqlite node --import tsx test/search/latency-quick.ts 100000
 * Generates N gov-like items, indexes them in batches, then times a mix of queries.
 */
import { performance } from 'node:perf_hooks';
import { buildTestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { compactSearchIndex, indexItems, searchItems, type SearchDoc } from '../../src/modules/search/search.service.js';

const N = Number(process.argv[2] ?? 100000);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
const orgs = ['市人民政府', '市人民政府办公室', '市教育局', '市财政局', '市卫生健康委员会', '市生态环境局', '市住房和城乡建设局', '市交通运输局', '市农业农村局', '市市场监督管理局', '区人民政府', '镇人民政府'];
const acts = ['关于印发', '关于做好', '关于开展', '关于公布', '关于进一步加强', '关于征求', '关于调整', '关于公开征集'];
const topics = ['政府信息公开工作要点', '安全生产大检查', '义务教育招生入学', '城乡居民基本医疗保险', '农村人居环境整治', '优化营商环境', '重大行政决策事项目录', '行政事业性收费目录清单', '政府采购意向', '生态环境保护督察整改', '保障性住房分配', '就业创业补贴', '食品安全抽检', '防汛抗旱应急预案', '老旧小区改造', '减税降费政策', '乡村振兴重点项目', '双随机一公开抽查计划', '部门预算', '财政决算', '权责清单', '人事任免'];
const kinds = ['的通知', '的实施方案', '的公告', '的意见', '的报告', '情况的通报', '工作方案', '的批复'];
const phrases = ['为深入贯彻落实党中央、国务院决策部署', '根据《中华人民共和国政府信息公开条例》', '结合我市实际', '现就有关事项通知如下', '各区县人民政府，市政府各部门', '坚持以人民为中心的发展思想', '进一步提高政务公开标准化规范化水平', '加强组织领导，压实工作责任', '确保各项任务落到实处', '请认真贯彻执行', '本通知自发布之日起施行', '财政资金使用情况', '接受社会监督', '公开、公平、公正', '严格落实安全生产责任制', '切实保障人民群众合法权益', '联系电话', '特此公告'];

const t = await buildTestApp();
await t.agency('city', { name: '某市人民政府' });
for (let i = 0; i < 20; i++) await t.agency(`d${i}`, { parent: 'city', name: `某市第${i}部门` });
const agencies = await Promise.all(['city', ...Array.from({ length: 20 }, (_, i) => `d${i}`)].map((c) => findAgency(t.ctx, c)));
const t0 = performance.now();
const BATCH = 500;
for (let i = 0; i < N; i += BATCH) {
  const docs: SearchDoc[] = [];
  for (let k = i; k < Math.min(N, i + BATCH); k++) {
    const a = pick(agencies)!;
    const year = 2015 + Math.floor(rnd() * 11);
    const day = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const title = `${pick(orgs)}${pick(acts)}${year}年${pick(topics)}${pick(kinds)}`;
    const body = Array.from({ length: 20 + Math.floor(rnd() * 20) }, () => pick(phrases)).join('，') + '。' + pick(topics) + '。';
    docs.push({ itemId: k + 1, agencyId: a.id, agencyCode: a.code, agencyName: a.name, title, summary: '', body, category: pick(['通知公告', '政策文件', '规划计划', '财政信息', '人事信息']), publishedOn: day, docNumber: rnd() < 0.3 ? `某政发〔${year}〕${k % 200}号` : null, url: `/items/${k + 1}` });
  }
  await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs));
}
await compactSearchIndex(t.ctx);
const indexSecs = (performance.now() - t0) / 1000;
console.log(`engine ${process.env.GONGKAI_TEST_ENGINE ?? 'sqlite'}: indexed ${N} items in ${indexSecs.toFixed(1)} s (${Math.round(N / indexSecs)} items/s)`);

const queries = ['公开', '信息公开', '通知', '政府信息公开工作要点', '安全生产 检查', '教育 招生', '预算', '税', '营商环境', '2023年 财政决算', '联系电话', '某政发〔2021〕17号', '量子计算', '政府', '督察整改 通报', '人民群众'];
const filters: Record<string, unknown>[] = [{}, { agency: 'd3' }, { year: 2022 }, { category: '财政信息' }, { page: 5 }];
const times: number[] = [];
const per: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) {
  for (const q of queries) {
    for (const f of filters) {
      const s = performance.now();
      const r = await searchItems(t.ctx, { q, ...f });
      const ms = performance.now() - s;
      if (round > 0) {
        times.push(ms);
        (per[q] ??= []).push(ms);
      }
      if (round === 2 && Object.keys(f).length === 0) console.log(`  ${q}: total ${r.total} (title ${r.titleHits}) ${ms.toFixed(1)} ms`);
    }
  }
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
console.log(`queries ${times.length}: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
const size = t.ctx.engine === 'sqlite'
  ? await import('node:fs').then((fs) => fs.statSync(t.db.config.engine === 'sqlite' ? t.db.config.file : '').size)
  : 0;
if (size) console.log(`database file ${(size / 1e6).toFixed(0)} MB; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
else console.log(`RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
await t.close();
