/**
 * 报告审核 in the oversight workspace, through HTTP: the upload form (supervisors and admins only), uploads
 * checked by content, a background job with a progress page, then the results (summary table with badges,
 * chart, each report's findings) and the downloads (summary CSV, findings CSV, Audit JSON). Only the account
 * that started a job, or an admin, sees it; jobs expire after an hour.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { AuditJobPage } from '../../src/modules/oversight/audit.pages.js';
import type { AuditJob } from '../../src/modules/oversight/audit.service.js';
import { buildTestApp, type Browser, type TestApp } from '../helpers/app.js';
import { writeZip } from './zip-writer.js';

const examples = fileURLToPath(new URL('../../../shared/examples/reports/', import.meta.url));
const HARBIN = readFileSync(join(examples, 'harbin-wenguanglv-2022.txt'));
const HUAIAN = readFileSync(join(examples, 'huaian-2024.pdf'));
const BASE = '/office/oversight/audit';

interface Part {
  field: string;
  name?: string;
  data: Buffer | string;
}

/** A multipart/form-data body as a browser sends it (files, and an empty file input as a part without a name). */
function multipart(parts: Part[]) {
  const boundary = '----gongkaiAuditBoundary9Zq3xK';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.name !== undefined ? `form-data; name="${p.field}"; filename="${p.name}"` : `form-data; name="${p.field}"`;
    const type = p.name !== undefined ? '\r\nContent-Type: application/octet-stream' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}${type}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(b: Browser, files: Part[]) {
  const csrf = await b.csrf(BASE);
  return b.request({ method: 'POST', url: BASE, ...multipart([{ field: '_csrf', data: csrf }, ...files]) });
}

/** Follows the job page until the job has finished (the page stops refreshing itself). */
async function waitForJob(b: Browser, url: string) {
  for (let i = 0; i < 1200; i++) {
    const res = await b.get(url);
    assert.equal(res.statusCode, 200, res.body);
    if (!res.body.includes('http-equiv="refresh"')) return res;
    assert.match(res.body, /已审核 \d+ \/ 2/);
    assert.equal(res.headers.refresh, '2');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the audit job did not finish');
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('报告审核: upload, background job, results and downloads', () => {
  let t: TestApp;
  let sup: Browser;
  let jobUrl: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('city-dept', { parent: 'city', name: '某市统计局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('city', 'sup2', 'supervisor');
    await t.user('city', 'adm', 'admin');
    await t.user('city-dept', 'ed', 'editor');
    sup = await t.login('sup');
  });
  after(() => t.close());

  it('staff who are not supervisors are refused the page and the upload (403); anonymous users are sent to log in', async () => {
    const ed = await t.login('ed');
    assert.equal((await ed.get(BASE)).statusCode, 403);
    const csrf = await ed.csrf('/office');
    const post = await ed.request({ method: 'POST', url: BASE, ...multipart([{ field: '_csrf', data: csrf }, { field: 'files', name: 'seed.txt', data: HARBIN }]) });
    assert.equal(post.statusCode, 403);
    const anon = await t.anonymous().get(BASE);
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/office\/login/);
  });

  it('the oversight page links to the upload page, which has a multipart form with a CSRF token', async () => {
    const o = await sup.get('/office/oversight');
    assert.equal(o.statusCode, 200);
    assert.match(o.body, /href="\/office\/oversight\/audit"/);
    const page = await sup.get(BASE);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>报告审核<\/h1>/);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /<input id="f-files" name="files" type="file" multiple/);
    assert.match(page.body, /<label for="f-previous">/);
    assert.match(page.body, /name="_csrf"/);
  });

  it('a file that is neither PDF, zip, HTML nor text is refused by its content, with a message at the field', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const res = await upload(sup, [{ field: 'files', name: 'report.pdf', data: png }]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<p class="error-text" id="f-files-err">文件“report\.pdf”不是 PDF、DOCX、ZIP 压缩包、HTML 或文本文件（按文件内容判断），无法审核<\/p>/);
    assert.match(res.body, /aria-invalid="true"/);
    assert.match(res.body, /class="error-summary"/);
    assert.doesNotMatch((await sup.get(BASE)).body, /最近的审核任务/, 'no job was started');
  });

  it('no file chosen, a zip with a path trick, and an archive as the previous report are refused at their fields', async () => {
    const none = await upload(sup, [{ field: 'files', name: '', data: '' }]);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /id="f-files-err">请选择要审核的报告文件/);
    const trick = await upload(sup, [{ field: 'files', name: 'batch.zip', data: writeZip([{ name: '../../x/seed.txt', data: HARBIN }]) }]);
    assert.equal(trick.statusCode, 400);
    assert.match(unescape(trick.body), /id="f-files-err">batch\.zip：压缩包中有不安全的条目名（"\.\.\/\.\.\/x\/seed\.txt"），已拒绝整个压缩包/);
    const prev = await upload(sup, [
      { field: 'files', name: 'seed.txt', data: HARBIN },
      { field: 'previous', name: 'last.zip', data: writeZip([{ name: 'a.txt', data: HARBIN }]) },
    ]);
    assert.equal(prev.statusCode, 400);
    assert.match(prev.body, /id="f-previous-err">上一年度报告应为单个报告文件/);
  });

  it('a file over the size limit (GONGKAI_MAX_UPLOAD_MB), and an upload over 5 times it in all, are refused at the field', async () => {
    const saved = t.config.maxUploadBytes;
    t.config.maxUploadBytes = 1024 * 1024;
    try {
      const big = await upload(sup, [{ field: 'files', name: 'big.txt', data: Buffer.alloc(1024 * 1024 + 1, 0x41) }]);
      assert.equal(big.statusCode, 400);
      assert.match(big.body, /id="f-files-err">文件“big\.txt”超过 1 MB 的上限/);
      const parts = Array.from({ length: 6 }, (_, i) => ({ field: 'files', name: `r${i}.txt`, data: Buffer.alloc(900 * 1024, 0x41) }));
      const many = await upload(sup, parts);
      assert.equal(many.statusCode, 400);
      assert.match(many.body, /id="f-files-err">本次上传的文件合计超过 5 MB；请分批上传/);
    } finally {
      t.config.maxUploadBytes = saved;
    }
  });

  it('the seed txt and the huaian PDF: the POST starts a job, its page shows progress, then the results', async () => {
    const res = await upload(sup, [
      { field: 'files', name: 'seed.txt', data: HARBIN },
      { field: 'files', name: 'huaian-2024.pdf', data: HUAIAN },
      { field: 'previous', name: '', data: '' },
    ]);
    assert.equal(res.statusCode, 303, res.body);
    jobUrl = String(res.headers.location);
    assert.match(jobUrl, /^\/office\/oversight\/audit\/[0-9a-f-]{36}$/);
    const done = await waitForJob(sup, jobUrl);
    const body = unescape(done.body);
    assert.match(body, /<h1>报告审核结果<\/h1>/);
    assert.doesNotMatch(body, /<progress/);
    // Summary table: file, agency, year, format, counts with badges.
    const rowOf = (file: string) => body.match(new RegExp(`<tr><th scope="row"><a href="#report-\\d">${file.replace('.', '\\.')}</a></th>(.*?)</tr>`))?.[1] ?? '';
    const seedRow = rowOf('seed.txt');
    assert.match(seedRow, /<td>哈尔滨市文化广电和旅游局<\/td><td class="num">2022<\/td><td>2021 年格式<\/td><td class="num"><span class="badge badge-err">[1-9]\d*<\/span>/);
    const huaianRow = rowOf('huaian-2024.pdf');
    assert.match(huaianRow, /<td>淮安市人民政府<\/td><td class="num">2024<\/td><td>2021 年格式<\/td><td class="num"><span class="badge badge-ok">0<\/span><\/td>/);
    // The chart of errors per report.
    assert.match(body, /<figcaption>各报告错误数<\/figcaption>/);
    assert.match(body, /<figcaption>各报告错误数<\/figcaption>/);
    assert.match(body, /<span class="bar-label">seed\.txt<\/span>.*?<span class="bar-value">[1-9]\d*项<\/span>/);
    assert.match(body, /<span class="bar-label">huaian-2024\.pdf<\/span>.*?<span class="bar-value">0项<\/span>/);
    // Each report's findings: the seed's prose contradiction, with rule and where.
    assert.match(body, /正文所述总数 2696条 ≠ 随后所列各项之和 51 \+ 2745 = 2796条/);
    assert.match(body, /<td data-rule="prose\.sum">正文与表格一致性<\/td><td data-where="narrative\.overview">正文<\/td>/);
    // The downloads.
    for (const link of ['summary.csv', 'findings.csv', 'audit.json']) assert.ok(body.includes(`href="${jobUrl}/${link}"`), link);
  });

  it('the summary CSV, the findings CSV and the Audit JSON download', async () => {
    const csv = await sup.get(`${jobUrl}/summary.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(csv.headers['content-disposition']), /^attachment; filename="report-audit-summary\.csv"/);
    const text = csv.rawPayload.toString('utf8');
    assert.equal(text.charCodeAt(0), 0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], '文件,机关,年度,格式,错误数,警告数,提示数,主要问题');
    assert.match(lines[1]!, /^seed\.txt,哈尔滨市文化广电和旅游局,2022,2021,[1-9]\d*,\d+,\d+,/);
    assert.match(lines[2]!, /^huaian-2024\.pdf,淮安市人民政府,2024,2021,0,\d+,\d+,$/);

    const findings = (await sup.get(`${jobUrl}/findings.csv`)).rawPayload.toString('utf8');
    assert.equal(findings.charCodeAt(0), 0xfeff);
    assert.match(findings, /\r\nseed\.txt,哈尔滨市文化广电和旅游局,2022,错误,prose\.sum,/);

    const json = await sup.get(`${jobUrl}/audit.json`);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const audit = JSON.parse(json.body);
    assert.deepEqual(Object.keys(audit), ['reports']);
    assert.deepEqual(audit.reports.map((r: { file: string }) => r.file), ['seed.txt', 'huaian-2024.pdf']);
    assert.deepEqual(Object.keys(audit.reports[1]), ['file', 'agency', 'year', 'format', 'proactive', 'requests', 'reviews', 'findings']);
    assert.equal(audit.reports[1].findings.filter((f: { severity: string }) => f.severity === 'error').length, 0);
    assert.ok(audit.reports[0].findings.some((f: { rule: string; severity: string }) => f.rule === 'prose.sum' && f.severity === 'error'));
  });

  it('only the account that started the job, or an admin, sees it; the upload page lists it for its owner', async () => {
    const other = await t.login('sup2');
    assert.equal((await other.get(jobUrl)).statusCode, 403);
    assert.equal((await other.get(`${jobUrl}/summary.csv`)).statusCode, 403);
    assert.doesNotMatch((await other.get(BASE)).body, /最近的审核任务/);
    const adm = await t.login('adm');
    assert.equal((await adm.get(jobUrl)).statusCode, 200);
    assert.ok((await sup.get(BASE)).body.includes(`href="${jobUrl}"`));
    assert.equal((await sup.get(`${BASE}/00000000-0000-0000-0000-000000000000`)).statusCode, 404);
  });

  it('a zip of reports is audited entry by entry', async () => {
    const res = await upload(sup, [{ field: 'files', name: 'batch.zip', data: writeZip([{ name: 'a/seed.txt', data: HARBIN }, { name: 'notes.md', data: Buffer.from('x') }, { name: 'b/huaian.pdf', data: HUAIAN }]) }]);
    assert.equal(res.statusCode, 303, res.body);
    const body = unescape((await waitForJob(sup, String(res.headers.location))).body);
    assert.match(body, /<a href="#report-1">batch\.zip\/a\/seed\.txt<\/a>/);
    assert.match(body, /<a href="#report-2">batch\.zip\/b\/huaian\.pdf<\/a>/);
    assert.doesNotMatch(body, /notes\.md/);
  });

  it('jobs expire an hour after they started', async () => {
    t.setNow('2025-03-03T03:00:01Z');
    const res = await sup.get(jobUrl);
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /审核任务不存在或已过期/);
    t.setNow('2025-03-03T02:00:00Z');
  });
});

describe('the job page while the audit runs', () => {
  it('shows a progress bar and “已审核 N / M”, and refreshes itself every 2 seconds without JavaScript', () => {
    const job: AuditJob = {
      id: 'j1', ownerId: 1, ownerName: 'sup', createdAt: new Date('2025-03-03T02:00:00Z'), state: 'running',
      done: 3, total: 7, current: 'a.txt', previousFile: null, result: null, error: null,
    };
    const env = { site: { name: '测试' }, path: '/office/oversight/audit/j1', largeText: false, actor: null, csrfToken: 'x' } as never;
    const html = renderToString(h(AuditJobPage, { env, job }));
    assert.match(html, /<meta http-equiv="refresh" content="2"\/?>/);
    assert.match(html, /<progress max="7" value="3"/);
    assert.match(html, /已审核 3 \/ 7/);
    assert.doesNotMatch(html, /summary\.csv/);
    const finished = renderToString(h(AuditJobPage, { env, job: { ...job, state: 'done', done: 7, result: { reports: [] } } }));
    assert.doesNotMatch(finished, /http-equiv="refresh"/);
    assert.doesNotMatch(finished, /<progress/);
  });
});
