import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAudit } from '../../src/modules/audit-log/audit-log.service.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

// A valid resident ID (GB 11643 checksum) and a mobile number, as a careless draft would contain them.
const ID_NUMBER = '11010519491231002X';
const PHONE = '13812345678';

describe('主动公开: drafting, review with screen and 保密审查, sign-off, withdraw — each by its role', () => {
  let t: TestApp;
  let ed: string, rev: string, appr: string, other: string, admin: string;
  let cat: Record<string, number>;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('dept', { parent: 'city', name: '某市教育局' });
    await t.user('city', 'ed', 'editor');
    await t.user('city', 'rev', 'reviewer');
    await t.user('city', 'appr', 'approver');
    await t.user('dept', 'other', 'editor');
    await t.user('city', 'root', 'admin');
    [ed, rev, appr, other, admin] = await Promise.all(['ed', 'rev', 'appr', 'other', 'root'].map((u) => t.token(u)));
    const cats = await api(t.app, ed, 'GET', '/api/v1/agencies/city/categories');
    assert.equal(cats.status, 200);
    cat = Object.fromEntries(cats.body.map((c: { name: string; id: number }) => [c.name, c.id]));
  });
  after(async () => t.close());

  const draft = async (token: string, body: Record<string, unknown>) => api(t.app, token, 'POST', '/api/v1/items', { agency: 'city', categoryId: cat['通知公告'], ...body });
  const act = (token: string, id: number, body: Record<string, unknown>) => api(t.app, token, 'POST', `/api/v1/items/${id}/actions`, body);

  test('the catalogue holds the 第二十条 categories and the agency columns', async () => {
    assert.ok(cat['法规文件']);
    assert.ok(cat['行政事业性收费']);
    assert.ok(cat['政策解读']);
    assert.ok(cat['工作动态']);
    assert.ok(cat['市政建设'], '第二十一条 for a city government');
  });

  test('an editor drafts; 索引号 is generated per agency, year and serial; other roles and agencies may not draft', async () => {
    const a = await draft(ed, { title: '关于春季植树的通知', generatedOn: '2025-02-27' });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.status, 'draft');
    assert.match(a.body.indexNo, /^CITY\/2025-\d{5}$/);
    const b = await draft(ed, { title: '第二条', generatedOn: '2025-02-28' });
    assert.equal(Number(b.body.indexNo.slice(-5)), Number(a.body.indexNo.slice(-5)) + 1);
    const c = await draft(ed, { title: '去年的文件', generatedOn: '2024-12-30' });
    assert.match(c.body.indexNo, /^CITY\/2024-00001$/);
    assert.equal((await draft(rev, { title: '审核人不能起草' })).status, 403);
    assert.equal((await draft(other, { title: '别的机构' })).status, 403);
    const bad = await draft(ed, { title: '', generatedOn: '2025-13-01' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields.map((f: { field: string }) => f.field).sort(), ['generatedOn', 'title']);
    // A draft is not public.
    assert.equal((await t.app.inject({ url: `/api/v1/items/${a.body.id}` })).statusCode, 404);
  });

  test('the full workflow: editor submits, reviewer records 保密审查 and approves, approver signs off; audited', async () => {
    const d = await draft(ed, { title: '关于公布2025年行政事业性收费目录的通知', summary: '公布收费目录', body: '正文第一段。\n\n正文第二段。', generatedOn: '2025-02-27', docNumber: '某政办〔2025〕1号', subjectCategory: '财政、金融、审计', genre: '通知' });
    const id = d.body.id;
    assert.equal((await act(rev, id, { type: 'submit' })).status, 403, 'only the editor submits');
    assert.equal((await act(ed, id, { type: 'submit' })).status, 200);
    const s = await api(t.app, rev, 'GET', `/api/v1/items/${id}/screening`);
    assert.equal(s.body.status, 'in_review');
    assert.equal(s.body.screening.hitCount, 0);
    assert.deepEqual(s.body.blockers, ['尚未对当前内容完成保密审查']);

    const early = await act(rev, id, { type: 'approve' });
    assert.equal(early.status, 422);
    assert.match(early.body.error.message, /保密审查/);
    assert.equal((await act(ed, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' })).status, 403, 'the editor is not the reviewer');
    const noOpinion = await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '' });
    assert.equal(noOpinion.status, 400);
    assert.equal((await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '经审查不涉及国家秘密和工作秘密，同意公开' })).status, 200);
    assert.equal((await act(appr, id, { type: 'approve' })).status, 403, 'the approver does not review');
    const ok = await act(rev, id, { type: 'approve', opinion: '同意' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'approved');
    assert.equal((await act(rev, id, { type: 'sign_off' })).status, 403, 'only the approver signs off');
    const pub = await act(appr, id, { type: 'sign_off' });
    assert.equal(pub.status, 200);
    assert.equal(pub.body.status, 'published');
    assert.equal(pub.body.publishedOn, '2025-03-03');
    assert.equal(pub.body.late, false);

    const open = await t.app.inject({ url: `/api/v1/items/${id}` });
    assert.equal(open.statusCode, 200);
    const item = open.json();
    assert.equal(item.url, `/items/${id}`);
    assert.equal(item.docNumber, '某政办〔2025〕1号');
    assert.equal(item.generatedOn, '2025-02-27');
    assert.equal(item.validity, 'valid');
    assert.equal(item.agency.code, 'city');

    const steps = (await api(t.app, appr, 'GET', `/api/v1/items/${id}/screening`)).body.steps.map((x: { step: string }) => x.step);
    assert.deepEqual(steps, ['create', 'submit', 'screen', 'confidentiality', 'review', 'sign_off']);
    const audit = await listAudit(t.ctx.db, { entity: 'item', entityId: String(id), limit: 50 });
    const actions = audit.map((e) => `${e.action}:${e.actorName}`).reverse();
    assert.deepEqual(actions, ['item.create:ed', 'item.submit:ed', 'item.screen:ed', 'item.confidentiality_review:rev', 'item.review:rev', 'item.publish:appr']);
  });

  test('the screen finds an ID number (checksum), a mobile number and listed wording; it blocks review until fixed', async () => {
    const d = await draft(ed, { title: '低保名单公示', body: `<p>申请人张某，身份证号 ${ID_NUMBER}，联系电话 ${PHONE}，其它情况见附件。</p><p>误报：11010519491231002 不是身份证号。</p>`, generatedOn: '2025-02-28' });
    const id = d.body.id;
    await act(ed, id, { type: 'submit' });
    const s = (await api(t.app, rev, 'GET', `/api/v1/items/${id}/screening`)).body;
    assert.deepEqual(s.screening.hits.map((h: { kind: string }) => h.kind), ['id_number', 'mobile_phone', 'wrong_word']);
    // Kept masked: the full number is not stored with the result.
    assert.ok(!JSON.stringify(s.screening).includes(ID_NUMBER));
    assert.ok(!JSON.stringify(s.screening).includes(PHONE));
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    const blocked = await act(rev, id, { type: 'approve' });
    assert.equal(blocked.status, 422);
    assert.match(blocked.body.error.message, /筛查发现 3 处问题/);
    // The reviewer fixes the text; the content changed, so the 保密审查 is needed again for this content.
    const fixed = await api(t.app, rev, 'PATCH', `/api/v1/items/${id}`, { body: '<p>申请人张某，身份证号 110105********002X，其他情况见附件。</p>' });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    const again = await act(rev, id, { type: 'approve' });
    assert.equal(again.status, 422);
    assert.match(again.body.error.message, /保密审查/);
    assert.doesNotMatch(again.body.error.message, /筛查发现/);
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '修改后不涉密' });
    assert.equal((await act(rev, id, { type: 'approve' })).status, 200);
  });

  test('a hit may be overridden by the reviewer with a written reason, which is kept and audited', async () => {
    const d = await draft(ed, { title: '政务服务热线', body: `咨询电话：${PHONE}（本机关对外公布的值班手机）`, generatedOn: '2025-02-28' });
    const id = d.body.id;
    await act(ed, id, { type: 'submit' });
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    assert.equal((await act(rev, id, { type: 'approve' })).status, 422);
    assert.equal((await act(ed, id, { type: 'override', reason: '这是对外公布的值班电话' })).status, 403);
    assert.equal((await act(rev, id, { type: 'override', reason: '' })).status, 400);
    assert.equal((await act(rev, id, { type: 'override', reason: '该号码为本机关对外公布的值班电话，应当公开' })).status, 200);
    const s = (await api(t.app, rev, 'GET', `/api/v1/items/${id}/screening`)).body;
    assert.equal(s.screening.overrideReason, '该号码为本机关对外公布的值班电话，应当公开');
    assert.equal((await act(rev, id, { type: 'approve' })).status, 200);
    const audit = await listAudit(t.ctx.db, { entity: 'item', entityId: String(id), limit: 50 });
    assert.ok(audit.some((e) => e.action === 'item.screen_override' && e.data.reason === '该号码为本机关对外公布的值班电话，应当公开'));
  });

  test('a failed 保密审查 returns the item to the editor', async () => {
    const d = await draft(ed, { title: '内部会议纪要', generatedOn: '2025-02-28' });
    await act(ed, d.body.id, { type: 'submit' });
    assert.equal((await act(rev, d.body.id, { type: 'confidentiality', outcome: 'fail', opinion: '属于内部事务信息，不宜公开' })).status, 200);
    const s = (await api(t.app, ed, 'GET', `/api/v1/items/${d.body.id}/screening`)).body;
    assert.equal(s.status, 'draft');
  });

  test('withdraw needs the approver and a reason; the item leaves the portal', async () => {
    const d = await draft(ed, { title: '将被撤回的信息', generatedOn: '2025-02-28' });
    const id = d.body.id;
    await act(ed, id, { type: 'submit' });
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await act(rev, id, { type: 'approve' });
    await act(appr, id, { type: 'sign_off' });
    assert.equal((await t.app.inject({ url: `/items/${id}` })).statusCode, 200);
    assert.equal((await act(ed, id, { type: 'withdraw', reason: '有误' })).status, 403);
    assert.equal((await act(appr, id, { type: 'withdraw', reason: '' })).status, 400);
    const w = await act(appr, id, { type: 'withdraw', reason: '文号有误，更正后重新发布' });
    assert.equal(w.status, 200);
    assert.equal(w.body.status, 'withdrawn');
    assert.equal(w.body.withdrawnReason, '文号有误，更正后重新发布');
    assert.equal((await t.app.inject({ url: `/items/${id}` })).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/v1/items/${id}` })).statusCode, 404);
    assert.equal((await act(appr, id, { type: 'withdraw', reason: '再次' })).status, 409);
    const audit = await listAudit(t.ctx.db, { entity: 'item', entityId: String(id), limit: 5 });
    assert.equal(audit[0]!.action, 'item.withdraw');
  });

  test('第二十六条: an item published more than 20 working days after its 生成日期 is flagged late and counted', async () => {
    const d = await draft(ed, { title: '迟发的信息', generatedOn: '2025-01-02' });
    const id = d.body.id;
    assert.equal(d.body.dueOn, '2025-02-06', '20 working days after 2025-01-02: 2025-01-26 is a 调休 working day, 01-28..02-04 春节');
    await act(ed, id, { type: 'submit' });
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await act(rev, id, { type: 'approve' });
    const p = await act(appr, id, { type: 'sign_off' });
    assert.equal(p.body.late, true);
    const b = await t.login('ed');
    const list = await b.get('/office/items?late=late');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /迟发的信息/);
    assert.match(list.body, /超期发布/);
    assert.doesNotMatch(list.body, /关于公布2025年行政事业性收费目录的通知/);
  });

  test('政策解读 is linked to its policy, goes out with it (三同步), and each page links to the other', async () => {
    const policy = await draft(ed, { title: '某市促进就业若干措施', categoryId: cat['法规文件'], generatedOn: '2025-02-28', docNumber: '某政规〔2025〕2号' });
    const noLink = await draft(ed, { title: '解读缺少关联', categoryId: cat['政策解读'] });
    assert.equal(noLink.status, 400);
    assert.equal(noLink.body.error.fields[0].field, 'interprets');
    const interp = await draft(ed, { title: '《某市促进就业若干措施》政策解读', categoryId: cat['政策解读'], interprets: policy.body.indexNo, generatedOn: '2025-02-28' });
    assert.equal(interp.status, 201, JSON.stringify(interp.body));
    assert.equal(interp.body.interpretsItemId, policy.body.id);
    for (const id of [policy.body.id, interp.body.id]) {
      await act(ed, id, { type: 'submit' });
      await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
      assert.equal((await act(rev, id, { type: 'approve' })).status, 200);
    }
    const early = await act(appr, interp.body.id, { type: 'sign_off' });
    assert.equal(early.status, 422);
    assert.match(early.body.error.message, /同步发布/);
    assert.equal((await act(appr, policy.body.id, { type: 'sign_off' })).status, 200);
    const i = (await t.app.inject({ url: `/api/v1/items/${interp.body.id}` })).json();
    assert.equal(i.status, 'published', 'published together with its policy');
    assert.equal(i.policy.url, `/items/${policy.body.id}`);
    const pp = await t.app.inject({ url: `/items/${policy.body.id}` });
    assert.match(pp.body, new RegExp(`href="/items/${interp.body.id}"`));
    assert.match(pp.body, /相关解读/);
    const ip = await t.app.inject({ url: `/items/${interp.body.id}` });
    assert.match(ip.body, new RegExp(`href="/items/${policy.body.id}"`));
  });

  test('script in a title or body is rendered inert; a safe subset of markup is kept', async () => {
    const d = await draft(ed, {
      title: '<script>alert("t")</script>测试标题',
      body: '<h1>小标题</h1><p onclick="steal()">正文<strong>加粗</strong><script>alert("b")</script><img src="x" onerror="alert(3)"><a href="javascript:alert(4)">链接</a><a href="https://www.gov.cn/">政府网</a></p><table><tr><th scope="col">列</th></tr></table>',
      generatedOn: '2025-02-28',
    });
    const id = d.body.id;
    await act(ed, id, { type: 'submit' });
    await act(rev, id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await act(rev, id, { type: 'approve' });
    await act(appr, id, { type: 'sign_off' });
    const page = await t.app.inject({ url: `/items/${id}` });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script/i);
    assert.doesNotMatch(page.body, /onclick|onerror|javascript:/i);
    assert.match(page.body, /<h1 id="item-title">&lt;script>alert/);
    assert.match(page.body, /<strong>加粗<\/strong>/);
    assert.match(page.body, /<h2>小标题<\/h2>/);
    assert.match(page.body, /href="https:\/\/www.gov.cn\/"/);
    const apiItem = (await t.app.inject({ url: `/api/v1/items/${id}` })).json();
    assert.doesNotMatch(apiItem.body, /script|onerror|onclick/);
  });

  test('an admin holds every role; a supervisor-less editor of another agency cannot read the item', async () => {
    const d = await draft(admin, { title: '管理员起草', generatedOn: '2025-02-28' });
    assert.equal(d.status, 201);
    const r = await api(t.app, other, 'GET', `/api/v1/items/${d.body.id}/screening`);
    assert.equal(r.status, 403);
  });
});
