/**
 * The year lock follows a roll-up: a government's published report that sums its departments locks their
 * records of that year too, and only theirs (a sibling outside the chosen scope stays open).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { setOnePersonOffice } from '../../src/modules/agencies/agencies.service.js';
import type { Actor } from '../../src/modules/context.js';
import { assertYearOpen, assertYearsOpen, buildAnnualReport, publishReport, reviewReport, saveNarrative, submitReport } from '../../src/modules/reports/reports.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

describe('the year lock of a roll-up', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-10T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.agency('health', { parent: 'city', name: '某市卫生健康委员会' });
    await t.agency('other', { kind: 'government', name: '另一市人民政府' });
    // a chain of offices nine deep below the city: the lock looks up at most 8 owners in one compiled
    // statement and builds the query for deeper ones
    for (let i = 1; i <= 9; i++) await t.agency(`l${i}`, { parent: i === 1 ? 'city' : `l${i - 1}`, name: `某市第${i}层机构` });
    await t.user('city', 'cityap', 'approver');
    await f.request(t.ctx, await f.agencyId(t.ctx, 'edu'), { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
  });
  after(async () => t.close());

  test('publishing the city roll-up of edu locks edu, not health or another city', async () => {
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'cityap').executeTakeFirstOrThrow()).id)) as Actor;
    await buildAnnualReport(t.ctx, actor, 'city', 2024, { rollup: ['edu', 'l3', 'l9'] });
    await saveNarrative(t.ctx, actor, 'city', 2024, { problems: '一是公开内容不够丰富。下一步将加强培训。' });
    // One account drafts and signs off here: the city is marked an office of one person (test/security/sign-off.test.ts).
    await setOnePersonOffice(t.ctx, { system: 'test' }, 'city', true);
    await submitReport(t.ctx, actor, 'city', 2024);
    await reviewReport(t.ctx, actor, 'city', 2024, 'approve');
    await publishReport(t.ctx, actor, 'city', 2024);
    const id = (code: string) => f.agencyId(t.ctx, code);
    await assert.rejects(assertYearOpen(t.ctx, await id('edu'), '2024-07-01'), (e: { code?: string; message: string }) => e.code === 'locked' && /某市人民政府2024年/.test(e.message));
    await assert.rejects(assertYearOpen(t.ctx, await id('city'), '2024-07-01'), /已锁定/);
    await assertYearOpen(t.ctx, await id('health'), '2024-07-01');
    await assertYearOpen(t.ctx, await id('other'), '2024-07-01');
    await assertYearOpen(t.ctx, await id('edu'), '2025-01-02');
    await assert.rejects(assertYearOpen(t.ctx, await id('l3'), '2024-07-01'), /已锁定/); // 4 owners
    await assert.rejects(assertYearOpen(t.ctx, await id('l9'), '2024-07-01'), /已锁定/); // 10 owners
    await assertYearOpen(t.ctx, await id('l8'), '2024-07-01'); // 9 owners, not in the scope
    await assertYearOpen(t.ctx, await id('l2'), '2024-07-01');
    // the agency itself instead of its id (what a submission passes)
    const l9 = await t.ctx.db.selectFrom('agencies').select(['id', 'code', 'path']).where('code', '=', 'l9').executeTakeFirstOrThrow();
    await assert.rejects(assertYearsOpen(t.ctx, l9, ['2024-07-01']), /已锁定/);
    await assertYearsOpen(t.ctx, l9, ['2025-07-01']);
  });
});
