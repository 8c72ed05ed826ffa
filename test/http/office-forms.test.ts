/**
 * Office forms through HTTP (src/http/forms.ts): a post that fits its form works; one that does not gets the
 * form again as HTML — status 400, a Chinese message naming the field, what was typed kept — and the
 * database is unchanged; a field the form does not have is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

describe('office forms: TypeBox body schemas answered as pages', () => {
  let t: TestApp;
  let h1: Browser;
  let admin: Browser;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    await t.user('city', 'h1', 'handler');
    await t.user('city', 'root', 'admin');
    h1 = await t.login('h1');
    admin = await t.login('root');
  });
  after(async () => t?.close());

  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db)).rows[0]!.n);
  const snapshot = async () => JSON.stringify(await Promise.all(['review_cases', 'users', 'audit_log', 'items', 'item_categories', 'screening_words', 'requests', 'reports'].map(count)));

  /** A bad post: 400, an HTML page (never JSON), the message, the input kept, nothing written. */
  async function refused(b: Browser, url: string, form: Record<string, string | string[]>, from: string, expect: { message: RegExp; kept?: RegExp[] }) {
    const before = await snapshot();
    const csrf = await b.csrf(from);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    params.append('_csrf', csrf);
    const res = await b.request({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: params.toString() });
    assert.equal(res.statusCode, 400, res.body.slice(0, 500));
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, expect.message);
    for (const k of expect.kept ?? []) assert.match(res.body, k);
    assert.equal(await snapshot(), before, 'the database changed');
    return res;
  }

  describe('行政复议和行政诉讼 (/office/reviews)', () => {
    const good = { agency: 'city', trackingNo: '', kind: 'reconsideration', caseNo: '某复〔2025〕7号', body: '某市人民政府', filedOn: '2025-03-03', result: 'pending', concludedOn: '', notes: '' };

    test('a valid post still registers the case', async () => {
      const n = await count('review_cases');
      const res = await h1.post('/office/reviews', good, { from: '/office/reviews' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      assert.equal(await count('review_cases'), n + 1);
    });

    test('a choice outside the form and a malformed date: the form again, each field named, the input kept', async () => {
      const res = await refused(h1, '/office/reviews', { ...good, kind: 'appeal', filedOn: '2025-3-3', caseNo: '某复〔2025〕8号' }, '/office/reviews', {
        message: /“案件类型”的取值不在可选范围内/,
        kept: [/value="某复〔2025〕8号"/, /value="2025-3-3"/],
      });
      assert.match(res.body, /“受理（立案）日期”格式不正确/);
      assert.match(res.body, /<form method="post" action="\/office\/reviews"/);
    });

    test('an unexpected extra field is refused, naming it', async () => {
      await refused(h1, '/office/reviews', { ...good, requestId: '1' }, '/office/reviews', { message: /本页没有的字段“requestId”/, kept: [/value="某复〔2025〕7号"/] });
    });

    test('a field sent twice where the form has one value is refused', async () => {
      await refused(h1, '/office/reviews', { ...good, caseNo: ['甲', '乙'] }, '/office/reviews', { message: /“案号”只能填写一项/ });
    });

    test('text over its length is refused before the use case', async () => {
      await refused(h1, '/office/reviews', { ...good, notes: '备'.repeat(2001) }, '/office/reviews', { message: /“备注”不能超过 2000 个字/ });
    });

    test('the update form: a bad result keeps the typed notes', async () => {
      const id = Number((await sql<{ id: number }>`select max(id) as id from review_cases`.execute(t.ctx.db)).rows[0]!.id);
      const { agency: _a, ...upd } = good;
      await refused(h1, `/office/reviews/${id}`, { ...upd, result: 'won', notes: '开庭后补充' }, `/office/reviews/${id}`, { message: /“结果”的取值不在可选范围内/, kept: [/开庭后补充/] });
      const ok = await h1.post(`/office/reviews/${id}`, { ...upd, notes: '已开庭' }, { from: `/office/reviews/${id}` });
      assert.equal(ok.statusCode, 303);
    });

    test('signed out: the login form, not the field errors', async () => {
      const anon = t.anonymous();
      const csrf = await anon.csrf('/office/login');
      const res = await anon.request({ method: 'POST', url: '/office/reviews', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `kind=x&_csrf=${csrf}` });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /^\/office\/login/);
    });
  });

  describe('账号管理 (/office/users) and a form of buttons only', () => {
    const good = { agency: 'city', username: 'ed9', displayName: '编辑九', role: 'editor', password: 'Abcdefg-12345' };

    test('a role outside the form: the form again with the name kept, never the password', async () => {
      const res = await refused(admin, '/office/users', { ...good, role: 'superuser' }, '/office/users', { message: /“角色”的取值不在可选范围内/, kept: [/value="ed9"/, /value="编辑九"/] });
      assert.doesNotMatch(res.body, /Abcdefg-12345/);
    });

    test('an extra field on the new account form is refused', async () => {
      await refused(admin, '/office/users', { ...good, isAdmin: '1' }, '/office/users', { message: /本页没有的字段“isAdmin”/ });
    });

    test('a valid post still creates the account', async () => {
      const n = await count('users');
      const res = await admin.post('/office/users', good, { from: '/office/users' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      assert.equal(await count('users'), n + 1);
    });

    test('a button form with a field it does not have: the Chinese error page, 400', async () => {
      await refused(admin, '/office/users/ed9/unlock', { note: 'x' }, '/office/users', { message: /本页没有的字段“note”/ });
    });
  });
});
