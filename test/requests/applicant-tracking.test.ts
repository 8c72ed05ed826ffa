/**
 * The citizen's side of a request through HTTP: tracking by 登记编号 + phone or ID last four (besides the
 * private link); a wrong phone, a guessed number and a nonexistent number give the same answer; the lookup is
 * rate-limited; the files a reply releases are uploaded by the handler (checked like attachments), shown and
 * downloadable only through the applicant's access and only after the reply; the timeline lists every step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp, type Browser } from '../helpers/app.js';
import { solvedChallenge } from '../helpers/challenge.js';

const form = {
  agency: 'env',
  applicantKind: 'natural_person',
  name: '李四',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13900139000',
  subject: '某河道整治工程验收报告',
  description: '请公开2024年某河道整治工程的竣工验收报告',
  formWanted: 'electronic',
  delivery: 'online',
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A multipart body with one file and the CSRF token. */
function multipart(fileName: string, data: Buffer, csrf: string) {
  const boundary = '----gongkaitest';
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\ncontent-type: application/octet-stream\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The page without what differs from one load to the next (the CSRF token). */
const stable = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');

describe('the applicant finds the request by number and phone, and downloads the released files', () => {
  let t: TestApp;
  let trackingNo: string;
  let trackUrl: string;
  let requestId: number;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'h1', 'handler');
    const b = t.anonymous();
    const page = await b.get('/apply');
    const res = await b.post('/apply', { ...form, ...(await solvedChallenge(page.body)) }, { from: '/apply' });
    assert.equal(res.statusCode, 303);
    trackUrl = res.headers.location as string;
    trackingNo = decodeURIComponent(/\/track\/([^?]+)/.exec(trackUrl)![1]!);
    requestId = Number((await t.ctx.db.selectFrom('requests').select('id').where('tracking_no', '=', trackingNo).executeTakeFirstOrThrow()).id);
  });
  after(async () => t.close());

  // Each lookup from its own address, so that the rate limit (tested last) does not interfere.
  let address = 0;
  const lookup = async (b: Browser, trackingNo: string, proof: string) => {
    const csrf = await b.csrf('/track');
    return b.request({ method: 'POST', url: '/track', remoteAddress: `10.0.0.${++address}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ trackingNo, proof, _csrf: csrf }).toString() });
  };

  test('by number and phone, or number and ID last four: the tracking page, with the timeline', async () => {
    for (const proof of ['13900139000', '139 0013 9000', '+86 13900139000', '002x', '002X']) {
      const b = t.anonymous();
      const res = await lookup(b, trackingNo.toLowerCase(), proof);
      assert.equal(res.statusCode, 303, proof);
      assert.equal(res.headers.location, `/track/${trackingNo}`);
      const page = await b.get(res.headers.location as string);
      assert.equal(page.statusCode, 200, proof);
      assert.match(page.body, /申请办理进度/);
      assert.match(page.body, /class="timeline"/);
      assert.match(page.body, /2025-03-03<\/time><span>收到申请并登记/);
      assert.match(page.body, /作出答复/); // the step still to come, with its limit
      assert.doesNotMatch(page.body, /13900139000/); // never shown back
    }
    // Without the grant cookie or key: the same not-found page as a wrong key.
    const bare = await t.anonymous().get(`/track/${trackingNo}`);
    assert.equal(bare.statusCode, 404);
  });

  test('a wrong phone, a wrong ID ending, a guessed number and a nonexistent one: the same answer', async () => {
    const answers: { status: number; body: string }[] = [];
    for (const [no, proof] of [
      [trackingNo, '13900139001'],
      [trackingNo, '0021'],
      [trackingNo.replace(/\d$/, (d) => String((Number(d) + 1) % 10)), '13900139000'],
      ['YSQ2099-999999', '13900139000'],
      [trackingNo, '139'],
    ] as const) {
      const res = await lookup(t.anonymous(), no, proof);
      answers.push({ status: res.statusCode, body: stable(res.body) });
      assert.equal(res.headers['set-cookie']?.toString().includes('gk_track') ?? false, false);
    }
    for (const a of answers) {
      assert.equal(a.status, 404);
      assert.equal(a.body, answers[0]!.body);
    }
    assert.match(answers[0]!.body, /未找到该申请：登记编号与手机号码或证件号码后4位不匹配，或该申请不存在/);
    // A forged grant cookie opens nothing.
    const forged = await t.app.inject({ url: `/track/${trackingNo}`, headers: { cookie: `gk_track=${Date.now() + 100000}.AAAA` } });
    assert.equal(forged.statusCode, 404);
  });

  test('the handler uploads a file checked like an attachment; the applicant downloads it after the reply, and no one else', async () => {
    const h = await t.login('h1');
    const csrf = await h.csrf(`/office/requests/${requestId}`);
    // Content that does not match its extension: refused, nothing stored.
    const bad = await h.request({ method: 'POST', url: `/office/requests/${requestId}/files`, ...multipart('答复.pdf', Buffer.from('not a pdf'), csrf) });
    assert.equal(bad.statusCode, 303);
    assert.match(decodeURIComponent(bad.headers.location as string), /未上传：.*内容与扩展名 \.pdf 不符/);
    const none = await t.ctx.db.selectFrom('request_files').select('id').execute();
    assert.equal(none.length, 0);
    const ok = await h.request({ method: 'POST', url: `/office/requests/${requestId}/files`, ...multipart('验收报告.pdf', PDF, csrf) });
    assert.equal(ok.statusCode, 303);
    const [file] = await t.ctx.db.selectFrom('request_files').select('id').execute();
    assert.ok(file);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'request.file_added').execute();
    assert.equal(audit.length, 1);

    // Before the reply the applicant does not see it.
    const b = t.anonymous();
    await lookup(b, trackingNo, '13900139000');
    assert.doesNotMatch((await b.get(`/track/${trackingNo}`)).body, /验收报告\.pdf/);
    assert.equal((await b.get(`/track/${trackingNo}/files/${file.id}`)).statusCode, 404);

    const reply = await h.post(`/office/requests/${requestId}/actions`, { type: 'reply', on: '2025-03-05', outcome: 'disclosed', replyText: '所申请信息见附件。' }, { from: `/office/requests/${requestId}` });
    assert.equal(reply.statusCode, 303, reply.body);

    const page = await b.get(`/track/${trackingNo}`);
    assert.match(page.body, /验收报告\.pdf/);
    assert.match(page.body, /2025-03-05<\/time><span>作出答复：予以公开/);
    const dl = await b.get(`/track/${trackingNo}/files/${file.id}`);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'application/pdf');
    assert.equal(dl.rawPayload.equals(PDF), true);
    // The letters, as a page and as PDF, through the same access.
    assert.equal((await b.get(`/track/${trackingNo}/letters/reply`)).statusCode, 200);
    assert.equal((await t.anonymous().get(`/track/${trackingNo}/letters/reply`)).statusCode, 404);
    // Through the private link's key as well.
    const key = new URL(trackUrl, 'http://x').searchParams.get('key')!;
    assert.equal((await t.anonymous().get(`/track/${trackingNo}/files/${file.id}?key=${encodeURIComponent(key)}`)).statusCode, 200);
    // Nobody else: no access, a wrong key, the public attachment address.
    assert.equal((await t.anonymous().get(`/track/${trackingNo}/files/${file.id}`)).statusCode, 404);
    assert.equal((await t.anonymous().get(`/track/${trackingNo}/files/${file.id}?key=wrong`)).statusCode, 404);
    assert.equal((await t.anonymous().get(`/attachments/${file.id}`)).statusCode, 404);
  });

  test('the lookup is rate-limited per address', async () => {
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/track', remoteAddress: '10.9.8.7', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `trackingNo=YSQ2025-000001&proof=000${i % 10}` });
      if (res.statusCode === 429) limited++;
    }
    assert.ok(limited >= 2, `limited ${limited} of 12`);
  });
});
