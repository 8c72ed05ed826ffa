/**
 * Security probe, finding 6, from the attacker's side: ten filings under any name with a person's ID number used
 * to make that person's own filing fail with 429. The per-applicant daily limit now counts an applicant's
 * filings from one address only (an ID number is anyone's to type; the address is the one thing of a public
 * filing an attacker cannot choose for the victim, now that X-Forwarded-For is believed only from configured
 * proxies): filings elsewhere do not use up the person's own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueChallenge, solveChallenge } from '../../src/modules/challenge/challenge.service.js';
import { PORTAL_DAILY_LIMIT } from '../../src/modules/requests/requests.routes.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('the per-applicant daily limit cannot be used to block a person', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
  });
  after(async () => t?.close());

  const file = async (from: string, name: string, subject: string) => {
    const b = t.anonymous();
    const csrf = await b.csrf('/apply');
    const ch = await issueChallenge({ secret: t.config.secret, now: t.ctx.now(), work: 50 });
    return b.request({
      method: 'POST',
      url: '/apply',
      remoteAddress: from,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        agency: 'city', applicantKind: 'natural_person', name, idType: 'resident_id', idNumber: '11010519491231002X', phone: '13900139000',
        subject, description: '请公开某项政府信息', formWanted: 'electronic', delivery: 'online',
        _csrf: csrf, challenge: ch.token, altcha: await solveChallenge(ch),
      }).toString(),
    });
  };

  it(`${PORTAL_DAILY_LIMIT + 2} filings with the victim's ID number from other addresses; the victim's own filing is received`, async () => {
    for (let i = 0; i < PORTAL_DAILY_LIMIT + 2; i++) {
      const res = await file(`203.0.113.${i + 1}`, i % 2 ? '随便写' : '王某某', `骚扰申请 ${i}`);
      assert.equal(res.statusCode, 303, `attacker filing ${i}`);
    }
    const own = await file('198.51.100.20', '王某某', '本人的申请');
    assert.equal(own.statusCode, 303, own.body.match(/error-text[^>]*>([^<]+)/)?.[1] ?? '');
    assert.match(String(own.headers.location), /^\/track\//);
  });
});
