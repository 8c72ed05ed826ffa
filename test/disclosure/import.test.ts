import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listAudit } from '../../src/modules/audit-log/audit-log.service.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';

describe('gongkai import items --agency CODE FILE (contract)', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    t = await buildTestApp();
    await t.agency('hrb', { kind: 'government', name: '哈尔滨市人民政府' });
    await t.agency('edu', { parent: 'hrb', name: '哈尔滨市教育局' });
    dir = mkdtempSync(join(tmpdir(), 'gongkai-import-'));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('JSON lines: good rows land as published, a bad date is reported by line, exit 1; one audit entry per batch', async () => {
    const file = join(dir, 'items.jsonl');
    const rows = [
      { title: '哈尔滨市2024年国民经济和社会发展统计公报', category: '统计信息', publishedOn: '2024-03-20', generatedOn: '2024-03-15', docNumber: null, summary: '统计公报', body: '全年地区生产总值……' },
      { title: '日期错误的一行', category: '通知公告', publishedOn: '2024-02-30' },
      { title: '关于印发某办法的通知', category: '法规文件', publishedOn: '2024-05-06', generatedOn: '2024-01-02', docNumber: '哈政规〔2024〕1号', validity: 'abolished', indexNo: 'HRB-OLD/2024-00007' },
      { title: '自带HTML<script>x</script>', category: '重点领域信息', publishedOn: '2024-06-01', body: '<p>段落<script>alert(1)</script></p>' },
    ];
    writeFileSync(file, [...rows.map((r) => JSON.stringify(r)), '', '{not json', JSON.stringify({ category: '通知公告', publishedOn: '2024-01-01' })].join('\n') + '\n');
    const r = runCli(['import', 'items', '--agency', 'hrb', file], t.db.env);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /已导入 3 条/);
    assert.match(r.stdout, /第 2 行：发布日期格式不正确：2024-02-30/);
    assert.match(r.stdout, /第 6 行：不是有效的 JSON/);
    assert.match(r.stdout, /第 7 行：缺少名称（title）/);
    assert.match(r.stdout, /新建目录栏目：重点领域信息/);
    assert.doesNotMatch(r.stdout, /第 [1345] 行/);

    const list = await t.app.inject({ url: '/api/v1/agencies/hrb/items' });
    assert.equal(list.json().total, 3);
    const byTitle = Object.fromEntries(list.json().items.map((i: { title: string; id: number }) => [i.title, i.id]));
    const stat = (await t.app.inject({ url: `/api/v1/items/${byTitle['哈尔滨市2024年国民经济和社会发展统计公报']}` })).json();
    assert.equal(stat.status, 'published');
    assert.equal(stat.category, '统计信息');
    assert.equal(stat.publishedOn, '2024-03-20');
    assert.equal(stat.late, false);
    assert.match(stat.indexNo, /^HRB\/2024-00001$/);
    assert.equal(stat.url, `/items/${stat.id}`);
    const rule = (await t.app.inject({ url: `/api/v1/items/${byTitle['关于印发某办法的通知']}` })).json();
    assert.equal(rule.indexNo, 'HRB-OLD/2024-00007');
    assert.equal(rule.validity, 'abolished');
    assert.equal(rule.late, true, 'generated 2024-01-02, published 2024-05-06');
    const html = (await t.app.inject({ url: `/api/v1/items/${byTitle['自带HTML<script>x</script>']}` })).json();
    assert.doesNotMatch(html.body, /script/);

    const audit = await listAudit(t.ctx.db, { entity: 'item', limit: 20 });
    const imports = audit.filter((e) => e.action === 'item.import');
    assert.equal(imports.length, 1);
    assert.equal(imports[0]!.data.count, 3);
    assert.equal(imports[0]!.data.file, 'items.jsonl');

    // The same file again: provided 索引号 are now taken, generated ones continue the serial.
    const again = runCli(['import', 'items', '--agency', 'hrb', file], t.db.env);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /第 3 行：索引号 HRB-OLD\/2024-00007 已存在/);
    assert.match(again.stdout, /已导入 2 条/);
  });

  test('CSV with quoted commas, quotes and line breaks; a clean file exits 0', async () => {
    const file = join(dir, 'edu.csv');
    writeFileSync(
      file,
      '\uFEFFtitle,category,publishedOn,generatedOn,summary,docNumber,validity\r\n' +
        '"关于做好2025年招生工作的通知，含附件",通知公告,2025-03-01,2025-02-25,"概述""引号""，第一行\n第二行",哈教发〔2025〕3号,valid\r\n' +
        '教育局机构职能,机构职能,2025-01-10,,,,\r\n',
    );
    const r = runCli(['import', 'items', '--agency', 'edu', file], t.db.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /已导入 2 条/);
    const list = (await t.app.inject({ url: '/api/v1/agencies/edu/items' })).json();
    const first = list.items.find((i: { title: string }) => i.title.startsWith('关于做好'));
    assert.ok(first);
    const item = (await t.app.inject({ url: `/api/v1/items/${first.id}` })).json();
    assert.equal(item.title, '关于做好2025年招生工作的通知，含附件');
    assert.equal(item.summary, '概述"引号"，第一行\n第二行'.replace(/\n/, '\n'));
    assert.equal(item.docNumber, '哈教发〔2025〕3号');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'title,category,publishedOn\n好的一行,通知公告,2025-01-02\n"多行\n标题",通知公告,2025/01/02\n少一列,通知公告\n');
    const rb = runCli(['import', 'items', '--agency', 'edu', bad], t.db.env);
    assert.equal(rb.code, 1);
    assert.match(rb.stdout, /已导入 1 条/);
    assert.match(rb.stdout, /第 3 行：发布日期格式不正确：2025\/01\/02/);
    assert.match(rb.stdout, /第 5 行：列数为 2/);
  });

  test('usage errors: unknown agency, missing file', async () => {
    const r = runCli(['import', 'items', '--agency', 'nope', join(dir, 'edu.csv')], t.db.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /机构“nope”不存在/);
    const m = runCli(['import', 'items', '--agency', 'hrb', join(dir, 'missing.jsonl')], t.db.env);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /文件不存在/);
  });

  test('政策解读 name their policy by 索引号 (in the same file or stored); a wrong one is refused by line', async () => {
    const file = join(dir, 'interp.jsonl');
    const rows = [
      { indexNo: 'EDU/2024-00101', title: '关于印发《哈尔滨市学生资助管理办法》的通知', category: '法规文件', publishedOn: '2024-04-01', docNumber: '哈教规〔2024〕1号' },
      { indexNo: 'EDU/2024-00102', title: '《哈尔滨市学生资助管理办法》政策解读', category: '政策解读', publishedOn: '2024-04-01', interprets: 'EDU/2024-00101' },
      { title: '解读一篇不存在的文件', category: '政策解读', publishedOn: '2024-04-02', interprets: 'EDU/2024-09999' },
      { title: '解读一篇解读', category: '政策解读', publishedOn: '2024-04-02', interprets: 'EDU/2024-00102' },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = runCli(['import', 'items', '--agency', 'edu', file], t.db.env);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /已导入 2 条/);
    assert.match(r.stdout, /第 3 行：本机关没有索引号为“EDU\/2024-09999”的信息/);
    assert.match(r.stdout, /第 4 行：被解读的应是政策文件本身/);
    const items = await t.ctx.db.selectFrom('items').select(['id', 'index_no', 'interprets_item_id']).where('index_no', 'in', ['EDU/2024-00101', 'EDU/2024-00102']).orderBy('index_no').execute();
    assert.equal(items[1]!.interprets_item_id, items[0]!.id);
    const policy = await t.anonymous().get(`/items/${items[0]!.id}`);
    assert.match(policy.body, new RegExp(`相关解读[\\s\\S]*href="/items/${items[1]!.id}"`));
  });
});
