/**
 * The seed: 哈尔滨市文化广电和旅游局's published 2022 report (test/reports/fixtures). Its 2022 figures are rebuilt
 * from records (2 requests: 1 予以公开, 1 本机关不掌握相关政府信息; 51 items on the portal; 2,745 new-media posts),
 * and its own prose, entered as written, is flagged where it contradicts them: "主动公开信息 2696 条" while
 * 51 + 2745 = 2796.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { getAgency } from '../../src/modules/agencies/agencies.service.js';
import { computeAnnualReport } from '../../src/modules/reports/reports.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

const SEED = readFileSync(new URL('./fixtures/harbin-wenguanglv-2022.txt', import.meta.url), 'utf8');

/** A section's prose from the seed text: lines joined, a paragraph break before each （一）…（五） heading. */
function section(from: string, to: string): string {
  const start = SEED.indexOf(from);
  const end = SEED.indexOf(to, start + from.length);
  return SEED.slice(start + from.length, end)
    .replace(/\s*\n\s*/g, '')
    .replace(/(（[一二三四五]）)/g, '\n$1')
    .trim();
}

describe('the seed agency: 哈尔滨市文化广电和旅游局 2022', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2023-01-10T02:00:00Z' });
    await t.agency('harbin', { kind: 'government', name: '哈尔滨市人民政府' });
    await t.agency('hrb-wglj', { parent: 'harbin', name: '哈尔滨市文化广电和旅游局' });
    const id = await f.agencyId(t.ctx, 'hrb-wglj');
    await f.request(t.ctx, id, { receivedOn: '2022-04-11', repliedOn: '2022-04-28', outcome: 'disclosed' });
    await f.request(t.ctx, id, { receivedOn: '2022-09-05', repliedOn: '2022-09-20', outcome: 'unavailable.not_held' });
    await f.items(t.ctx, id, '2022-06-01', 51);
    await f.newMedia(t.ctx, id, 'wechat', '2022-06-30', 1630);
    await f.newMedia(t.ctx, id, 'douyin', '2022-06-30', 1115);
  });
  after(async () => t.close());

  test('the 2022 figures rebuilt from the records', async () => {
    const { report, facts } = await computeAnnualReport(t.ctx, await getAgency(t.ctx, 'hrb-wglj'), 2022);
    assert.equal(report.requests.new.total, 2);
    assert.equal(report.requests.new.natural_person, 2);
    assert.equal(report.requests.carriedOver.total, 0);
    assert.equal(report.requests.disclosed.total, 1);
    assert.equal(report.requests['unavailable.not_held'].total, 1);
    assert.equal(report.requests.concludedTotal.total, 2);
    assert.equal(report.requests.carriedForward.total, 0);
    assert.equal(facts.itemsPublished, 51);
    assert.equal(facts.newMediaTotal, 2745);
    assert.equal(facts.processingFeeYuan, 0);
    // The draft states what the records hold, and agrees with itself.
    assert.match(report.narrative.overview!, /全年主动公开政府信息共2796条，其中通过门户网站主动公开政府信息51条，通过政务新媒体发布信息2745条/);
    assert.match(report.narrative.overview!, /新收政府信息公开申请2件/);
    assert.match(report.narrative.other!, /未收取信息处理费/);
    assert.deepEqual(report.findings.filter((x) => x.severity === 'error' && x.rule !== 'narrative.incomplete'), []);
  });

  test("the seed's own prose, entered as written, is flagged where it contradicts the records", async () => {
    const narrative = {
      overview: section('一、总体情况', '二、主动公开政府信息情况'),
      problems: section('五、存在的主要问题及改进情况', '六、其他需要报告的事项'),
      other: SEED.slice(SEED.indexOf('六、其他需要报告的事项') + '六、其他需要报告的事项'.length).replace(/\s+/g, ''),
    };
    assert.match(narrative.overview, /主动公开信息 2696 条/);
    assert.equal(narrative.other, '本年度无信息处理费情况。');
    const { report } = await computeAnnualReport(t.ctx, await getAgency(t.ctx, 'hrb-wglj'), 2022, { narrative });
    const errors = report.findings.filter((x) => x.severity === 'error');
    const total = errors.find((x) => x.rule === 'prose.proactive-total');
    assert.ok(total, JSON.stringify(errors));
    assert.match(total.message, /2696/);
    assert.match(total.message, /51 条 \+ 新媒体 2745 条 = 2796 条/);
    assert.equal(total.where, 'narrative.overview');
    // The parts it states agree with the records: 51 on the portal, 2745 on new media, 2 requests, no fee.
    for (const rule of ['prose.items-published', 'prose.new-media', 'prose.requests-received', 'prose.processing-fee', 'narrative.incomplete']) {
      assert.equal(errors.filter((x) => x.rule === rule).length, 0, rule);
    }
  });
});
