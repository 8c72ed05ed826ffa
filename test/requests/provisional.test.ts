// December without next year's notice (issue 12 part 1): a request received on 7 December 2026 is answered on a
// provisional limit; loading the 2027 notice moves open limits and says which. Dates counted by hand below
// (2027-01-01 is a Friday; the provisional 2027 calendar has 元旦 01-01 as its only January holiday).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readZip, xmlText } from '../../src/render/zip-reader.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '王五', idNumber: '11010519491231002X', phone: '13800138000' };

describe('provisional limits in December, and loading the next year’s notice', () => {
  let t: TestApp;
  let tok: string;
  const file = async (body: Record<string, unknown> = {}) => {
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2026-12-07', applicant, subject: '某项目规划许可', description: '请公开某项目的建设工程规划许可证', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const act = (id: number, body: Record<string, unknown>) => api(t.app, tok, 'POST', `/api/v1/requests/${id}/actions`, body);

  before(async () => {
    t = await buildTestApp({ now: '2026-12-07T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('plan', { parent: 'city', name: '某市自然资源和规划局' });
    await t.user('plan', 'h1', 'handler');
    await t.user('city', 'root', 'admin');
    tok = await t.token('h1');
  });
  after(async () => t.close());

  let open: { id: number; trackingNo: string };
  let consulted: { id: number };
  let extended: { id: number; trackingNo: string };

  test('received 7 December: a provisional limit, marked everywhere; the reply is not refused', async () => {
    // 12/08–11 (4), 12/14–18 (9), 12/21–25 (14), 12/28–31 (18), 01-01 元旦, 01/04 (19), 01/05 (20) → 2027-01-05.
    const r = await file();
    assert.equal(r.dueOn, '2027-01-05');
    assert.equal(r.dueProvisional, true);
    assert.equal(r.trace.at(-1).action, 'provisional');
    assert.match(r.trace.at(-1).text, /暂定.*2027 年部分节假日安排的通知尚未载入/);
    const replied = await act(r.id, { type: 'reply', on: '2026-12-07', outcome: 'disclosed', replyText: '予以公开' });
    assert.equal(replied.status, 200, JSON.stringify(replied.body));
    assert.equal(replied.body.status, 'replied');

    open = await file({ subject: '某道路拓宽工程批复' });
    const e = await file({ subject: '某学校建设项目批复' });
    // Extended by 20: from 01-05, 01/06–08 (3), 01/11–15 (8), 01/18–22 (13), 01/25–29 (18), 02/01–02 (20) → 02-02.
    const x = await act(e.id, { type: 'extend', on: '2026-12-07', days: 20, reason: '需要检索核实' });
    assert.equal(x.status, 200, JSON.stringify(x.body));
    assert.equal(x.body.dueOn, '2027-02-02');
    assert.equal(x.body.dueProvisional, true);
    extended = e;
    // A 补正 and a consultation are not refused either.
    const c = await file({ subject: '某河道治理方案' });
    assert.equal((await act(c.id, { type: 'start_consultation', on: '2026-12-07', party: '某公司' })).status, 200);
    consulted = c;

    // The list and the office pages say 暂定.
    const list = await api(t.app, tok, 'GET', '/api/v1/requests?status=open');
    const row = list.body.items.find((i: { id: number }) => i.id === open.id);
    assert.equal(row.dueOn, '2027-01-05');
    assert.equal(row.dueProvisional, true);
    const h1 = await t.login('h1');
    const page = await h1.get(`/office/requests/${open.id}`);
    assert.match(page.body, /答复期限：2027-01-05（暂定）/);
    const listPage = await h1.get('/office/requests');
    assert.match(listPage.body, /2027-01-05 <span class="badge"[^>]*>暂定</);
  });

  test('letters print a provisional limit as 暂定: the receipt letter and the extension notice', async () => {
    const text = async (id: number, kind: string) => {
      const res = await api(t.app, tok, 'GET', `/api/v1/requests/${id}/letters/${kind}.docx`);
      assert.equal(res.status, 200, `${kind}: ${res.raw.body.slice(0, 200)}`);
      return xmlText(readZip(res.raw.rawPayload).get('word/document.xml')!.toString('utf8')).join('');
    };
    // Received 2026-12-07, limit 2027-01-05 (counted above) on the provisional 2027 calendar.
    assert.match(await text(open.id, 'receipt'), /20个工作日内予以答复（2027年1月5日前，暂定）/);
    // Extended by 20 to 2027-02-02 (counted above), also provisional.
    assert.match(await text(extended.id, 'extension'), /本机关将于2027年2月2日前（暂定，以国务院办公厅公布的节假日安排为准）作出答复/);
    // A limit inside the covered year is not marked: received 2026-11-02, 20 working days end 2026-11-30.
    const nov = await file({ receivedOn: '2026-11-02', subject: '某公园改造方案' });
    assert.equal(nov.dueOn, '2026-11-30');
    assert.equal(nov.dueProvisional, false);
    assert.doesNotMatch(await text(nov.id, 'receipt'), /暂定/);
    // Each printed date is marked on its own: received Mon 2026-11-16, 11/17–20 (4), 11/23–27 (9), 11/30–12/04 (14),
    // 12/07–11 (19), 12/14 (20) → 2026-12-14, covered; extended by 20: 12/15–18 (4), 12/21–25 (9), 12/28–31 (13),
    // 01-01 元旦, 01/04–08 (18), 01/11–12 (20) → 2027-01-12 (暂定). The receipt letter's 12-14 is not 暂定.
    const mid = await file({ receivedOn: '2026-11-16', subject: '某街道改造方案' });
    assert.equal(mid.dueOn, '2026-12-14');
    const mx = await act(mid.id, { type: 'extend', on: '2026-12-07', days: 20, reason: '需要检索核实' });
    assert.equal(mx.body.dueOn, '2027-01-12');
    assert.equal(mx.body.dueProvisional, true);
    const receipt = await text(mid.id, 'receipt');
    assert.match(receipt, /（2026年12月14日前）/);
    assert.doesNotMatch(receipt, /暂定/);
    assert.match(await text(mid.id, 'extension'), /2027年1月12日前（暂定/);
  });

  test('an open consultation: the request page and the list show the same limit, moved by the pause so far', async () => {
    // Seen on Mon 12-14: the pause has taken 12/08–11 (4) and 12/14 (5); 2027-01-05 + 5: 01/06–08 (3), 01/11–12 (5)
    // → 2027-01-12 (暂定).
    t.setNow('2026-12-14T02:00:00Z');
    const detail = await api(t.app, tok, 'GET', `/api/v1/requests/${consulted.id}`);
    assert.equal(detail.body.status, 'paused');
    assert.equal(detail.body.dueOn, '2027-01-12');
    const list = await api(t.app, tok, 'GET', '/api/v1/requests?status=paused');
    const row = list.body.items.find((i: { id: number }) => i.id === consulted.id);
    assert.equal(row.dueOn, '2027-01-12');
    t.setNow('2026-12-07T02:00:00Z');
  });

  test('loading the 2027 notice: preview first, then the limits move and the page says which', async () => {
    // A made-up notice (test data only) that also rests on Monday 01-04: every limit counted over it moves a day.
    const data = JSON.stringify({ year: 2027, notice: '测试用：2027年部分节假日安排', holidays: ['2027-01-01..2027-01-04', '2027-10-01..2027-10-07'], workdays: [] });
    const root = await t.login('root');
    const preview = await root.post('/office/calendar', { data }, { from: '/office/calendar' });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, new RegExp(`${open.trackingNo}[\\s\\S]*?2027-01-05（暂定）[\\s\\S]*?2027-01-06<`));
    // Nothing stored by the preview.
    assert.equal((await api(t.app, tok, 'GET', `/api/v1/requests/${open.id}`)).body.dueProvisional, true);

    const loaded = await root.post('/office/calendar', { data, step: 'load' }, { from: '/office/calendar' });
    assert.equal(loaded.statusCode, 200);
    assert.match(loaded.body, /已载入 2027 年节假日安排/);
    assert.match(loaded.body, new RegExp(`${extended.trackingNo}[\\s\\S]*?2027-02-02（暂定）[\\s\\S]*?2027-02-03<`));
    // 01-04 now rests: 20 working days after 12-07 end on 01-06; the extended one on 02-03.
    const o = await api(t.app, tok, 'GET', `/api/v1/requests/${open.id}`);
    assert.equal(o.body.dueOn, '2027-01-06');
    assert.equal(o.body.dueProvisional, false);
    assert.equal((await api(t.app, tok, 'GET', `/api/v1/requests/${extended.id}`)).body.dueOn, '2027-02-03');
    // The move is in the audit log.
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action']).where('action', '=', 'request.recompute').execute();
    assert.ok(audit.length >= 2);
  });
});
