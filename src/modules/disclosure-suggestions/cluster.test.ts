import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textWords } from '../search/search.service.js';
import { clusterRequests, distinguishingWords, similarity, type ClusterInput } from './cluster.js';

const req = (id: number, applicantKey: string, subject: string, description = ''): ClusterInput => ({
  id,
  applicantKey,
  subject,
  repliedOn: `2025-0${(id % 9) + 1}-10`,
  subjectWords: distinguishingWords(textWords(subject)),
  words: distinguishingWords(textWords(`${subject} ${description}`)),
});

// 条例第四十四条: several applicants, the same information, worded differently.
test('the same information asked for in different words by different applicants is one cluster', () => {
  const a = req(1, 'A', '2025年城市道路维修工程中标结果');
  const b = req(2, 'B', '关于公开今年道路维修项目中标情况的申请');
  assert.ok(similarity(a.subjectWords, b.subjectWords) >= 0.6, `${a.subjectWords} / ${b.subjectWords}`);
  const clusters = clusterRequests([a, b, req(3, 'C', '2024年学校招生计划'), req(4, 'D', '某小区环境监测数据')]);
  // With descriptions that dilute the subjects, the subjects still join them.
  assert.equal(clusterRequests([req(1, 'A', '2025年城市道路维修工程中标结果', '请提供中标公告'), req(2, 'B', '关于公开今年道路维修项目中标情况的申请', '希望获取中标单位名称')]).length, 1);
  assert.deepEqual(clusters, [{ subject: clusters[0]!.subject, requestIds: [1, 2], applicants: 2, lastRepliedOn: '2025-03-10' }]);
});

test('no cluster among unrelated requests, nor among one applicant asking twice', () => {
  const unrelated = [
    req(1, 'A', '2025年城市道路维修工程中标结果'),
    req(2, 'B', '关于申请公开道路绿化养护合同的函'),
    req(3, 'C', '2024年学校招生计划'),
    req(4, 'D', '申请公开某小区环境监测数据'),
    req(5, 'E', '政府信息公开申请：市政府2024年财政预算'),
    req(6, 'F', '关于公开某企业行政处罚决定书的申请'),
  ];
  assert.deepEqual(clusterRequests(unrelated), []);
  assert.deepEqual(clusterRequests([req(1, 'A', '2025年城市道路维修工程中标结果'), req(2, 'A', '今年道路维修项目中标情况')]), [], 'one applicant');
});

test('three applicants, joined transitively, named by the most central request', () => {
  const c = clusterRequests([
    req(1, 'A', '2025年城市道路维修工程中标结果'),
    req(2, 'B', '关于公开今年道路维修项目中标情况的申请'),
    req(3, 'C', '请公开城市道路维修工程中标单位和中标金额'),
    req(4, 'D', '2024年学校招生计划'),
  ]);
  assert.equal(c.length, 1);
  assert.deepEqual(c[0]!.requestIds, [1, 2, 3]);
  assert.equal(c[0]!.applicants, 3);
});

test('template-made requests about different topics do not chain into one group; the same topic and template do group', () => {
  const form = '本人（单位）因生产经营需要，申请获取上述政府信息，请以电子文档形式提供。';
  const rs = [
    req(1, 'A', '申请公开2026年供热管理项目清单及审批文件', form),
    req(2, 'B', '申请公开2026年物业管理项目清单及审批文件', form),
    req(3, 'C', '申请公开老旧小区改造工作的实施方案', form),
    req(4, 'D', '申请公开关于城市更新的会议纪要', form),
    req(5, 'E', '申请公开商品房预售的检查结果', form),
    req(6, 'F', '申请公开2026年供热管理项目清单及审批文件', form),
    req(7, 'G', '申请公开建筑工程施工许可工作的实施方案', form),
    req(8, 'H', '申请公开2025年度物业管理相关资金使用情况', form),
  ];
  assert.deepEqual(clusterRequests(rs).map((c) => c.requestIds), [[1, 6]]);
});
