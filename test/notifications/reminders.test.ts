import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runReminders } from '../../src/modules/notifications/notifications.service.js';
import { createTransports, setTransports } from '../../src/modules/notifications/transports.js';
import { settleRequestListeners } from '../../src/modules/requests/requests.hooks.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { startHangingSmtp, startSmtp, type TestSmtp } from './smtp.js';

const applicant = { kind: 'natural_person', name: '李四', idNumber: '11010519491231002X', phone: '13800138000', email: 'lisi@example.test', address: '某市某路1号' };

const bin = fileURLToPath(new URL('../../bin/gongkai.js', import.meta.url));
function runCliAsync(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
/** 09:00 in Beijing on that day. */
const morning = (day: string) => new Date(`${day}T01:00:00Z`);

describe('reminders: the right working days, once, by mail and in the office; the applicant told of the reply', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let tok: string;
  const transports = (url: string, timeoutMs = 3000) => createTransports({ smtpUrl: url, mailFrom: 'gongkai@gov.test', webhookUrl: null, timeoutMs, baseUrl: 'http://gk.test' });
  const file = async (receivedOn: string, subject = '2025年城市道路维修工程中标结果') => {
    t.setNow(`${receivedOn}T02:00:00Z`); // a receipt date is never in the future
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn, applicant, subject, description: '请公开中标结果' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; dueOn: string; trackingNo: string };
  };

  before(async () => {
    smtp = await startSmtp();
    t = await buildTestApp({ now: '2025-09-10T02:00:00Z' });
    setTransports(t.ctx, transports(smtp.url));
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('roads', { parent: 'city', name: '某市交通运输局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('roads', 'h1', 'handler');
    await t.user('roads', 'ap1', 'approver');
    tok = await t.token('h1');
    for (const [u, email] of [['h1', 'h1@gov.test'], ['ap1', 'ap1@gov.test'], ['sup', 'sup@gov.test']] as const) {
      const b = await t.login(u);
      const res = await b.post('/office/notifications/contact', { email, phone: '' }, { from: '/office/notifications' });
      assert.equal(res.statusCode, 303, res.body);
    }
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('a bad address is refused with a Chinese message and nothing is saved', async () => {
    const b = await t.login('h1');
    const res = await b.post('/office/notifications/contact', { email: 'not-an-address', phone: '12345' }, { from: '/office/notifications' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /电子邮箱格式不正确/);
    assert.match(res.body, /手机号码应为 11 位数字/);
    const page = await b.get('/office/notifications');
    assert.match(page.body, /value="h1@gov.test"/);
  });

  test('across 国庆 2025 and the 调休 Saturday 10-11: 5 days before on 09-30, 2 days before on Saturday 10-11, on the day, overdue, escalated', async () => {
    const r = await file('2025-09-10');
    // 20 working days after 09-10: 9/11,12,15–19,22–26,28(Sun, 调休上班),29,30, 10/9,10,11(Sat, 调休上班),13,14 → 10-14.
    assert.equal(r.dueOn, '2025-10-14');
    const seen: string[] = [];
    for (const day of days('2025-09-20', '2025-10-20')) {
      t.setNow(morning(day).toISOString());
      const before = smtp.mails.length;
      await runReminders(t.ctx, morning(day));
      await runReminders(t.ctx, new Date(morning(day).getTime() + 3600_000)); // an hour later: nothing new
      for (const m of smtp.mails.slice(before)) if (!m.subject.startsWith('每日待办汇总') && !m.subject.startsWith('本机构每日汇总')) seen.push(`${day} ${m.to.join(',')} ${m.subject}`);
    }
    seen.sort(); // within a day, mails go out several at a time
    assert.deepEqual(seen, [
      '2025-09-30 h1@gov.test 答复期限临近：还有 5 个工作日',
      '2025-10-11 h1@gov.test 答复期限临近：还有 2 个工作日',
      '2025-10-14 h1@gov.test 今天是答复期限的最后一天',
      `2025-10-15 ap1@gov.test 超期申请提请督促：${r.trackingNo}`,
      '2025-10-15 h1@gov.test 申请已超过答复期限（1 个工作日）',
      '2025-10-17 sup@gov.test 超期申请报送监督检查机构：某市交通运输局',
    ]);
    // Digests: on working days only (none on the holiday or the Sunday), once a day.
    const digestDays = smtp.mails.filter((m) => m.subject.startsWith('每日待办汇总')).map((m) => m.raw.match(/^Date: (.*)$/m)?.[1]);
    assert.ok(digestDays.length >= 10);
    // The request's 办理记录 shows each reminder; the office header counts the unread ones.
    const h1 = await t.login('h1');
    const page = await h1.get(`/office/requests/${r.id}`);
    assert.match(page.body, /提醒通知/);
    assert.match(page.body, /答复期限临近：还有 5 个工作日（承办人 1 人）/);
    assert.match(page.body, /超期申请报送监督检查机构：某市交通运输局（上级监督检查机构 1 人）/);
    const home = await h1.get('/office');
    assert.match(home.body, /提醒通知<span class="badge badge-err">\d+<span class="visually-hidden">条未读/);
    const list = await h1.get('/office/notifications');
    assert.match(list.body, /电子邮件：已发送/);
    const read = await h1.post('/office/notifications/read', { all: '1' }, { from: '/office/notifications' });
    assert.equal(read.statusCode, 303);
    assert.doesNotMatch((await h1.get('/office')).body, /条未读/);
  });

  test('two processes at once (`gongkai reminders run`): every reminder is mailed once', async () => {
    const rs = [];
    for (let i = 0; i < 6; i++) rs.push(await file('2025-11-03', `道路养护资料${i}`));
    const due = rs[0]!.dueOn;
    assert.ok(rs.every((r) => r.dueOn === due));
    const before = smtp.mails.length;
    const env = { ...t.db.env, GONGKAI_SMTP_URL: `${smtp.url}?tls=off`, GONGKAI_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' };
    const [a, b] = await Promise.all([runCliAsync(['reminders', 'run', '--at', morning(due).toISOString()], env), runCliAsync(['reminders', 'run', '--at', morning(due).toISOString()], env)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const todays = smtp.mails.slice(before).filter((m) => m.subject === '今天是答复期限的最后一天');
    assert.equal(todays.length, 6, 'six requests due today, one mail each');
    const sa = JSON.parse(a.stdout) as { sent: number };
    const sb = JSON.parse(b.stdout) as { sent: number };
    assert.equal(sa.sent + sb.sent, smtp.mails.length - before, 'every mail sent by exactly one process');
    const keys = await t.ctx.db.selectFrom('notifications').select('dedupe_key').where('kind', '=', 'due_today').where('sent_on', '=', due).execute();
    assert.equal(keys.length, 6);
  });

  test('a mail server that hangs or refuses: the reminder is kept, retried later, and nothing else waits', async () => {
    const r = await file('2025-12-01', '某路段维修合同');
    const hang = await startHangingSmtp();
    try {
      setTransports(t.ctx, transports(hang.url, 400));
      const day = r.dueOn;
      t.setNow(morning(day).toISOString());
      const started = Date.now();
      const run = runReminders(t.ctx, morning(day));
      // The server answers meanwhile.
      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200);
      const s = await run;
      const took = Date.now() - started;
      assert.ok(took < 5000, `the run gave up on the hung server after its timeout (${took} ms)`);
      assert.ok(s.failed >= 1);
      assert.ok(hang.connections >= 1);
      const row = await t.ctx.db
        .selectFrom('notification_deliveries as d')
        .innerJoin('notifications as n', 'n.id', 'd.notification_id')
        .select(['d.id', 'd.status', 'd.attempts', 'd.last_error'])
        .where('n.request_id', '=', r.id)
        .where('n.kind', '=', 'due_today')
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /超时|timeout|Greeting never received/i);
      // In the office it is there at once.
      const list = await (await t.login('h1')).get('/office/notifications');
      assert.match(list.body, /今天是答复期限的最后一天/);
      assert.match(list.body, /电子邮件：待发送（将自动重试）/);

      // A server that refuses: the second attempt fails too, the delivery stays pending.
      const refusing = await startSmtp({ refuse: true });
      setTransports(t.ctx, transports(refusing.url));
      await runReminders(t.ctx, new Date(morning(day).getTime() + 2 * 60_000));
      let d = await t.ctx.db.selectFrom('notification_deliveries').select(['status', 'attempts', 'last_error']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 2);
      assert.match(d.last_error ?? '', /550|mailbox/);
      await refusing.close();

      // Not yet due again one minute later; sent once the server works and the wait is over.
      setTransports(t.ctx, transports(smtp.url));
      const before = smtp.mails.length;
      await runReminders(t.ctx, new Date(morning(day).getTime() + 3 * 60_000));
      d = await t.ctx.db.selectFrom('notification_deliveries').select(['status', 'attempts', 'last_error']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(d.attempts, 2, 'the retry waits (5 minutes after the second attempt)');
      await runReminders(t.ctx, new Date(morning(day).getTime() + 8 * 60_000));
      d = await t.ctx.db.selectFrom('notification_deliveries').select(['status', 'attempts', 'last_error']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(d.status, 'sent');
      assert.equal(d.attempts, 3);
      assert.equal(smtp.mails.slice(before).filter((m) => m.subject === '今天是答复期限的最后一天' && m.to[0] === 'h1@gov.test').length, 1);
    } finally {
      setTransports(t.ctx, transports(smtp.url));
      await hang.close();
    }
  });

  test('the applicant is mailed when the reply and a notice are issued, and the record shows it', async () => {
    const r = await file('2025-12-01', '某桥梁检测报告');
    t.setNow('2025-12-05T02:00:00Z');
    const before = smtp.mails.length;
    let res = await api(t.app, tok, 'POST', `/api/v1/requests/${r.id}/actions`, { type: 'extend', on: '2025-12-05', days: 20, reason: '需要调取档案' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await api(t.app, tok, 'POST', `/api/v1/requests/${r.id}/actions`, { type: 'reply', on: '2025-12-05', outcome: 'disclosed', replyText: '予以公开' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await settleRequestListeners();
    const toApplicant = smtp.mails.slice(before).filter((m) => m.to.includes('lisi@example.test'));
    assert.deepEqual(toApplicant.map((m) => m.subject), [`您的政府信息公开申请答复期限已依法延长（延期告知）（受理编号 ${r.trackingNo}）`, `您的政府信息公开申请已作出答复（受理编号 ${r.trackingNo}）`]);
    assert.doesNotMatch(toApplicant[1]!.raw, /11010519491231002X/, 'no ID number in the mail');
    const page = await (await t.login('h1')).get(`/office/requests/${r.id}`);
    assert.match(page.body, /电子邮件告知申请人：已作出答复（申请人）/);
  });

  test('reminder days per agency: its approver sets them (audited); a handler may not', async () => {
    const ap = await t.login('ap1');
    let res = await ap.post('/office/notifications/settings/roads', { leadDays: '3、1', officeAfter: '2' }, { from: '/office/notifications' });
    assert.equal(res.statusCode, 303, res.body);
    assert.match((await ap.get('/office/notifications')).body, /value="3,1"/);
    res = await ap.post('/office/notifications/settings/roads', { leadDays: '0', officeAfter: 'x' }, { from: '/office/notifications' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /1–30/);
    const h1 = await t.login('h1');
    res = await h1.post('/office/notifications/settings/roads', { leadDays: '9', officeAfter: '2' }, { from: '/office/notifications' });
    assert.equal(res.statusCode, 403);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'notify.settings').execute();
    assert.equal(audit.length, 1);
  });
});
