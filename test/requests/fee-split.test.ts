// 按件 fees count 件 after a 一事一申请 split, not requests (issue 12 part 4; 国办函〔2020〕109号第四条). One applicant's
// March 2025, counted by hand:
//   02-27  a letter split into 8 件              (February: another natural month, not counted)
//   03-03  A  six things, split into 6 件         → 件 1–6, free
//   03-05  B  one thing                           → 件 7, free
//   03-10  C  four things, split into 4 件        → 件 8–11: 8–10 free, 11 at 100元 → 100元
//   03-12  D  three things, split into 3 件       → 件 12–14 at 100元 → 300元
// Counting letters instead, D would be the 4th application of the month (件 4–6, free).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readZip, xmlText } from '../../src/render/zip-reader.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '赵六', idNumber: '110105194912310021', phone: '13800138000' };

describe('按件 fees count 件 after a 一事一申请 split', () => {
  let t: TestApp;
  let tok: string;
  const file = async (receivedOn: string, subject: string) => {
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn, applicant, subject, description: `请公开${subject}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; trackingNo: string };
  };
  const act = (id: number, body: Record<string, unknown>) => api(t.app, tok, 'POST', `/api/v1/requests/${id}/actions`, body);

  before(async () => {
    t = await buildTestApp({ now: '2025-03-20T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('zj', { parent: 'city', name: '某市住房和城乡建设局' });
    await t.user('zj', 'h1', 'handler');
    tok = await t.token('h1');
  });
  after(async () => t.close());

  test('earlier splits move the later requests’ 件; a split without a fee is recorded; the fee letter names the 件', async () => {
    const feb = await file('2025-02-27', '二月的八项信息');
    assert.equal((await act(feb.id, { type: 'split', on: '2025-02-28', count: 8 })).status, 200);
    const a = await file('2025-03-03', '六项规划信息');
    const b = await file('2025-03-05', '一项许可信息');
    const c = await file('2025-03-10', '四项合同信息');
    const d = await file('2025-03-12', '三项验收信息');

    // A: 件 1–6, free: a 按件 notice is refused (nothing to charge), the split is recorded on its own.
    const free = await act(a.id, { type: 'notify_fee', on: '2025-03-04', method: 'per_request', count: 6 });
    assert.equal(free.status, 422);
    assert.match(free.body.error.message, /第 1—6 件（共 6 件）/);
    const split = await act(a.id, { type: 'split', on: '2025-03-04', count: 6, reason: '六项内容，按一事一申请拆分' });
    assert.equal(split.status, 200, JSON.stringify(split.body));
    assert.equal(split.body.status, 'open');
    const history = await t.ctx.db.selectFrom('request_events').select(['type', 'data']).where('request_id', '=', a.id).where('type', '=', 'split').execute();
    assert.deepEqual(JSON.parse(history[0]!.data), { count: 6, from: 1, reason: '六项内容，按一事一申请拆分' });

    // C: 件 8–11 → 100元 (a split given with the notice).
    const fc = await act(c.id, { type: 'notify_fee', on: '2025-03-11', method: 'per_request', count: 4 });
    assert.equal(fc.status, 200, JSON.stringify(fc.body));
    assert.equal(fc.body.fee, 100);
    // D: split first, then the notice takes the recorded 3 件 → 件 12–14 → 300元.
    assert.equal((await act(d.id, { type: 'split', on: '2025-03-13', count: 3 })).status, 200);
    const fd = await act(d.id, { type: 'notify_fee', on: '2025-03-13', method: 'per_request' });
    assert.equal(fd.status, 200, JSON.stringify(fd.body));
    assert.equal(fd.body.fee, 300);
    const ev = await t.ctx.db.selectFrom('request_events').select('data').where('request_id', '=', d.id).where('type', '=', 'notify_fee').executeTakeFirstOrThrow();
    const data = JSON.parse(ev.data);
    assert.equal(data.ordinal, 12);
    assert.equal(data.count, 3);
    assert.match(data.explanation, /第 12—14 件（共 3 件）.*第11—30件 3 件 × 100元\/件 = 300元/);
    const letter = await api(t.app, tok, 'GET', `/api/v1/requests/${d.id}/letters/fee.docx`);
    assert.equal(letter.status, 200);
    const text = xmlText(readZip(letter.raw.rawPayload).get('word/document.xml')!.toString('utf8')).join('');
    assert.match(text, /300元/);

    // B cannot be split now: C's and D's notices were counted over its one 件. Nothing changed.
    const late = await act(b.id, { type: 'split', on: '2025-03-14', count: 2 });
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, new RegExp(`${c.trackingNo} 已按件发出收费通知`));
    const row = await t.ctx.db.selectFrom('requests').select('split_items').where('id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(Number(row.split_items), 1);
  });

  test('bad input: a split of 0 件 or more than 100, or dated before receipt, is refused in Chinese and nothing changes', async () => {
    const r = await file('2025-03-17', '坏输入');
    const typed = await act(r.id, { type: 'split', on: '2025-03-18', count: 'x' });
    assert.equal(typed.status, 400);
    assert.match(typed.body.error.message, /count/);
    for (const count of [0, 101, 1.5]) {
      const res = await act(r.id, { type: 'split', on: '2025-03-18', count });
      assert.equal(res.status, 400, `count ${String(count)}`);
      assert.match(res.body.error.message, /件数应为 1–100 的整数/);
    }
    const early = await act(r.id, { type: 'split', on: '2025-03-16', count: 2 });
    assert.equal(early.status, 400);
    assert.match(early.body.error.message, /早于收到申请之日/);
    const row = await t.ctx.db.selectFrom('requests').select('split_items').where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.equal(Number(row.split_items), 1);
    assert.equal((await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', r.id).where('type', '=', 'split').execute()).length, 0);
  });
});
