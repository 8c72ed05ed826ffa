/** `gongkai report` in every format, and the supervisor's oversight workspace. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REQUEST_ROW_KEYS } from '../../src/law/report-model.js';
import { readZip, xmlText } from '../../src/render/zip-reader.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import * as f from './factories.js';

describe('gongkai report and the oversight workspace', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    t = await buildTestApp({ now: '2025-02-10T02:00:00Z' });
    dir = mkdtempSync(join(tmpdir(), 'gongkai-report-'));
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('bureau', 'ed1', 'editor');
    const b = await f.agencyId(t.ctx, 'bureau');
    const e = await f.agencyId(t.ctx, 'edu');
    await f.request(t.ctx, b, { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    await f.request(t.ctx, b, { receivedOn: '2024-04-01', repliedOn: '2024-04-15', outcome: 'withheld.process_information' });
    await f.request(t.ctx, e, { receivedOn: '2024-05-01', kind: 'legal_service_org', repliedOn: '2024-05-20', outcome: 'disclosed' });
    await f.reviewCase(t.ctx, b, { kind: 'reconsideration', filedOn: '2024-06-01', result: 'corrected', concludedOn: '2025-01-10' });
    await f.reviewCase(t.ctx, b, { kind: 'reconsideration', filedOn: '2024-06-02', result: 'upheld', concludedOn: '2025-01-20' });
    // Open, one of them overdue on 2025-02-10.
    const late = await f.request(t.ctx, b, { receivedOn: '2025-01-02' });
    await t.ctx.db.updateTable('requests').set({ due_on: '2025-02-05' }).where('id', '=', late.id).execute();
    const open = await f.request(t.ctx, b, { receivedOn: '2025-02-01' });
    await t.ctx.db.updateTable('requests').set({ due_on: '2025-03-05' }).where('id', '=', open.id).execute();
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--format json prints the contract Report JSON', () => {
    const r = runCli(['report', '--agency', 'bureau', '--year', '2024', '--format', 'json'], t.db.env);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['agency', 'year', 'format', 'proactive', 'requests', 'reviews', 'narrative', 'findings']);
    assert.deepEqual(j.agency, { code: 'bureau', name: '某市文化和旅游局' });
    assert.deepEqual(Object.keys(j.requests), [...REQUEST_ROW_KEYS]);
    assert.equal(j.requests.new.total, 2);
    assert.equal(j.requests['withheld.process_information'].natural_person, 1);
    assert.deepEqual(j.reviews.reconsideration, { upheld: 0, corrected: 0, other: 0, pending: 2, total: 2 });
    assert.deepEqual(Object.keys(j.proactive), ['rules', 'normativeDocuments', 'licensing', 'penalties', 'enforcement', 'fees']);
    assert.ok(j.findings.every((x: any) => ['error', 'warning', 'info'].includes(x.severity) && x.rule && x.message && x.where));
  });

  test('--rollup sums the departments; --reviews activity reads table 四 by conclusion', () => {
    const r = runCli(['report', '--agency', 'city', '--year', '2024', '--rollup'], t.db.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requests.new.total, 3);
    const a = runCli(['report', '--agency', 'bureau', '--year', '2025', '--reviews', 'activity'], t.db.env);
    assert.deepEqual(JSON.parse(a.stdout).reviews.reconsideration, { upheld: 1, corrected: 1, other: 0, pending: 0, total: 2 });
  });

  test('the other formats, to a file and to standard output', () => {
    const pdf = join(dir, 'r.pdf');
    const r = runCli(['report', '--agency', 'bureau', '--year', '2024', '--format', 'pdf', '-o', pdf], t.db.env);
    assert.equal(r.code, 0, r.stderr);
    const buf = readFileSync(pdf);
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
    assert.match(buf.toString('latin1'), /FontFile2/); // the CJK font is embedded
    for (const fmt of ['docx', 'xlsx']) {
      const out = join(dir, `r.${fmt}`);
      assert.equal(runCli(['report', '--agency', 'bureau', '--year', '2024', '--format', fmt, '-o', out], t.db.env).code, 0);
      assert.equal(readFileSync(out).subarray(0, 2).toString(), 'PK');
    }
    // The DOCX opens: its document holds the title and the table's merged labels.
    const doc = readZip(readFileSync(join(dir, 'r.docx'))).get('word/document.xml')!.toString('utf8');
    const text = xmlText(doc).join('');
    assert.match(text, /某市文化和旅游局2024年政府信息公开工作年度报告/);
    assert.match(text, /三、本年度办理结果/);
    assert.match(doc, /<w:vMerge w:val="restart"\/>/);
    const html = runCli(['report', '--agency', 'bureau', '--year', '2024', '--format', 'html'], t.db.env);
    assert.equal(html.code, 0);
    assert.match(html.stdout, /<td class="note" rowspan="3" colspan="3">/);
    assert.match(html.stdout, /某市文化和旅游局2024年政府信息公开工作年度报告/);
  });

  test('bad input: a Chinese message and a non-zero exit', () => {
    const bad = runCli(['report', '--agency', 'bureau', '--year', '2024', '--format', 'odt'], t.db.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /格式“odt”不支持/);
    const none = runCli(['report', '--agency', 'nosuch', '--year', '2024'], t.db.env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /机构“nosuch”不存在/);
    assert.equal(runCli(['report', '--agency', 'bureau'], t.db.env).code, 2);
  });

  test('the supervisor sees every agency below: report state, open and overdue requests, correction rates, findings', async () => {
    const sup = await t.login('sup');
    const res = await sup.get('/office/oversight');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /年度报告：2024年度/);
    // Departments are late after 31 January; the government's report is due by 31 March.
    const row = (name: string) => res.body.match(new RegExp(`<tr><th scope="row"><a [^>]*>${name}</a></th>(.*?)</tr>`))![1]!;
    assert.match(row('某市文化和旅游局'), /逾期未发布/);
    assert.match(row('某市人民政府'), /未编制/);
    const cells = (name: string) => [...row(name).matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    // open, overdue, concluded, disclosed, reconsideration rate, litigation rate, errors, warnings
    assert.deepEqual(cells('某市文化和旅游局').slice(0, 6), ['2', '1', '2', '1', '50.0%', '—']);
    assert.match(res.body, /<figcaption>2024年度报告情况/);
    const ed = await t.login('ed1');
    assert.equal((await ed.get('/office/oversight')).statusCode, 403);
  });
});
