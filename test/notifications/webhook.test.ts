import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { runReminders } from '../../src/modules/notifications/notifications.service.js';
import { createTransports, setTransports } from '../../src/modules/notifications/transports.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

/** SMS / 政务微信 / 钉钉 go through one webhook: a gateway that takes JSON. This one answers 503 while `failing`, then 200. */
describe('the webhook sender (SMS, 政务微信, 钉钉): JSON to the gateway, retried when it fails', () => {
  let t: TestApp;
  let server: Server;
  const got: { to: string; kind: string; title: string; text: string }[] = [];
  let failing = true;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failing) {
          res.statusCode = 503;
          return res.end('busy');
        }
        got.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    t = await buildTestApp({ now: '2025-09-10T02:00:00Z' });
    setTransports(t.ctx, createTransports({ smtpUrl: null, mailFrom: 'x@gov.test', webhookUrl: `http://127.0.0.1:${port}/notify`, timeoutMs: 2000, baseUrl: 'http://gk.test' }));
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('roads', { parent: 'city', name: '某市交通运输局' });
    await t.user('roads', 'h1', 'handler');
    const b = await t.login('h1');
    assert.equal((await b.post('/office/notifications/contact', { email: '', phone: '139 0000 1234' }, { from: '/office/notifications' })).statusCode, 303);
  });
  after(async () => {
    await t.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('a reminder goes to the gateway with the mobile number; a 503 is retried on a later run', async () => {
    const r = await api(t.app, await t.token('h1'), 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-09-10', applicant: { kind: 'natural_person', name: '李四', phone: '13800138000' }, subject: '道路维修', description: '中标结果' });
    assert.equal(r.body.dueOn, '2025-10-14');
    const day = new Date('2025-10-14T01:00:00Z');
    let s = await runReminders(t.ctx, day);
    assert.equal(s.failed >= 1, true);
    assert.equal(got.length, 0);
    failing = false;
    s = await runReminders(t.ctx, new Date(day.getTime() + 2 * 60_000));
    const reminder = got.find((g) => g.kind === 'due_today');
    assert.ok(reminder, JSON.stringify(got));
    assert.equal(reminder.to, '13900001234');
    assert.equal(reminder.title, '今天是答复期限的最后一天');
    assert.match(reminder.text, /答复期限为今天（2025-10-14）/);
    // Once: a further run sends nothing again.
    const n = got.length;
    await runReminders(t.ctx, new Date(day.getTime() + 3600_000));
    assert.equal(got.length, n);
  });
});
