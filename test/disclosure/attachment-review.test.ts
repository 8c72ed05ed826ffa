/**
 * An attachment is part of what is reviewed: the screen reads its text, and the screen, the 保密审查 and the
 * approval are of the item with its attachments. An attachment uploaded after the 保密审查 (an item in review
 * may still take one) makes that review stale, as an edit of the text does — before, the hash the reviews were
 * judged against held the text fields only, and a file added after the 保密审查 went out unreviewed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';
import { docxWith, multipartBody } from '../search/attachment-files.js';

describe('attachments are reviewed with their item', () => {
  let t: TestApp;
  let dataDir: string;
  let editor: Browser;
  let ed: string, rev: string, appr: string;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    dataDir = mkdtempSync(join(tmpdir(), 'gongkai-attach-review-'));
    t.config.dataDir = dataDir;
    await t.agency('bureau', { name: '某市民政局' });
    await t.user('bureau', 'ed', 'editor');
    await t.user('bureau', 'rv', 'reviewer');
    await t.user('bureau', 'ap', 'approver');
    editor = await t.login('ed');
    [ed, rev, appr] = await Promise.all(['ed', 'rv', 'ap'].map((u) => t.token(u)));
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const act = (token: string, id: number, body: object) => api(t.app, token, 'POST', `/api/v1/items/${id}/actions`, body);

  test('a file added after the 保密审查 needs a new one; the screen finds personal data in its text', async () => {
    const cats = Object.fromEntries((await api(t.app, ed, 'GET', '/api/v1/agencies/bureau/categories')).body.map((c: { name: string; id: number }) => [c.name, c.id]));
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'bureau', title: '关于2025年第一季度低保发放情况的公告', categoryId: cats['通知公告'], generatedOn: '2025-03-01', body: '发放情况见附件。' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const id = d.body.id as number;
    assert.equal((await act(ed, id, { type: 'submit' })).status, 200);
    assert.equal((await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' })).status, 200);

    // In review, the editor adds the list, with an applicant's ID number in it.
    const csrf = await editor.csrf(`/office/items/${id}`);
    const m = multipartBody({ _csrf: csrf }, { name: '发放名单.docx', data: await docxWith('发放名单\n王某某 身份证号 11010519491231002X 金额 800 元') });
    const up = await editor.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': m.contentType }, payload: m.payload });
    assert.equal(up.statusCode, 303, up.body);

    const blocked = await act(rev, id, { type: 'approve' });
    assert.equal(blocked.status, 422, JSON.stringify(blocked.body));
    assert.match(blocked.body.error.message, /保密审查/);
    assert.match(blocked.body.error.message, /筛查发现 1 处问题/);
    const s = (await api(t.app, rev, 'GET', `/api/v1/items/${id}/screening`)).body;
    assert.deepEqual(s.screening.hits.map((h: { kind: string }) => h.kind), ['id_number']);
    assert.match(s.screening.hits[0].excerpt, /附件《发放名单\.docx》|王某某/);
    assert.ok(!JSON.stringify(s.screening).includes('11010519491231002X'), 'kept masked');

    // The reviewer reviews the item with its file again and writes why the hit may go out (it may not, really:
    // here only to show that nothing else blocks)
    assert.equal((await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '附件已审，不涉密' })).status, 200);
    assert.equal((await act(rev, id, { type: 'override', reason: '经核实为已公示的测试数据' })).status, 200);
    assert.equal((await act(rev, id, { type: 'approve' })).status, 200);
    const pub = await act(appr, id, { type: 'sign_off' });
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
  });

  test('an item without attachments keeps the hash its reviews were stored with', async () => {
    const cats = Object.fromEntries((await api(t.app, ed, 'GET', '/api/v1/agencies/bureau/categories')).body.map((c: { name: string; id: number }) => [c.name, c.id]));
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'bureau', title: '关于调整办公时间的通知', categoryId: cats['通知公告'], generatedOn: '2025-03-01', body: '自3月10日起调整。' });
    const id = d.body.id as number;
    await act(ed, id, { type: 'submit' });
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    const { createHash } = await import('node:crypto');
    const old = createHash('sha256').update(JSON.stringify(['关于调整办公时间的通知', '', '自3月10日起调整。', ''])).digest('hex');
    const steps = (await t.ctx.db.selectFrom('item_steps' as never).select(['step', 'content_hash'] as never).where('item_id' as never, '=', id as never).execute()) as { step: string; content_hash: string | null }[];
    assert.equal(steps.find((x) => x.step === 'confidentiality')?.content_hash, old);
    assert.equal((await act(rev, id, { type: 'approve' })).status, 200);
  });
});
