import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

describe('the office home shows what needs attention, by role', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市教育局' });
    await t.user('bureau', 'hd', 'handler');
    await t.user('bureau', 'ed', 'editor');
    await t.user('city', 'root', 'admin');
  });
  after(async () => t.close());

  test('a handler sees open and overdue requests; an editor sees the items panel and the nav of its roles', async () => {
    const token = await t.token('hd');
    const r = await api(t.app, token, 'POST', '/api/v1/requests', {
      channel: 'letter', receivedOn: '2025-01-02', applicant: { kind: 'natural_person', name: '张三' }, subject: '某校舍改造项目批复', description: '请求公开批复文件',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const hd = await t.login('hd');
    const page = await hd.get('/office');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<span class="n">1<\/span>办理中的申请/);
    assert.match(page.body, /<span class="n">1<\/span>已逾期/);
    assert.match(page.body, /某校舍改造项目批复/);
    assert.match(page.body, /href="\/office\/requests"/);
    assert.doesNotMatch(page.body, /href="\/office\/users"/);
    const ed = await t.login('ed');
    const edPage = await ed.get('/office');
    assert.match(edPage.body, /待审核信息/);
    assert.doesNotMatch(edPage.body, /办理中的申请/);
    assert.match(edPage.body, /href="\/office\/items"/);
    const root = await t.login('root');
    assert.match((await root.get('/office')).body, /href="\/office\/calendar"/);
  });
});
