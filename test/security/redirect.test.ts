/**
 * Security probe, finding 2 (open redirect), from the attacker's side: `/accessibility/large-text?on=1&back=`
 * and the login's `next` with targets that a prefix test let through to another origin. Every answer must stay
 * on this site and go to a page that exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

const HOSTILE = [
  '/%5C127.0.0.1:35900/steal', // decoded to /\127.0.0.1…: browsers read /\ as //
  '/%09/127.0.0.1:35900/steal', // a tab browsers drop: //127.0.0.1…
  '/%0a/evil.example',
  '//evil.example/',
  '/\\evil.example/',
  '///evil.example',
  '/%2F%2Fevil.example', // a path that decodes to //evil.example
  'javascript:alert(1)',
  'https://evil.example/',
  'http:/evil.example',
  '/ /evil.example',
  '/no-such-page',
  '',
];

describe('redirect targets stay on this site and name a page that exists', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    await t.user('city', 'clerk', 'editor');
  });
  after(async () => t?.close());

  it('large text switch: hostile `back` targets answer 303 to the home page', async () => {
    for (const back of HOSTILE) {
      const res = await t.anonymous().get(`/accessibility/large-text?on=1&back=${back.includes('%') ? back : encodeURIComponent(back)}`);
      assert.equal(res.statusCode, 303, back);
      assert.equal(res.headers.location, '/', `back=${back} → ${res.headers.location}`);
    }
  });

  it('large text switch: a page of this site, with its query, is kept', async () => {
    const res = await t.anonymous().get(`/accessibility/large-text?on=1&back=${encodeURIComponent('/search?q=预算#results')}`);
    assert.equal(res.headers.location, '/search?q=%E9%A2%84%E7%AE%97#results');
  });

  it('login `next`: hostile targets (and pages outside the office) fall back to /office; an office page is kept', async () => {
    for (const next of [...HOSTILE, '/search', '/officeevil']) {
      const b = t.anonymous();
      const res = await b.post('/office/login', { username: 'clerk', password: TEST_PASSWORD, next });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/office', `next=${next} → ${res.headers.location}`);
      const page = await b.get(`/office/login?next=${encodeURIComponent(next)}`);
      assert.equal(page.headers.location, '/office', `signed in, GET next=${next}`);
    }
    const b = t.anonymous();
    const res = await b.post('/office/login', { username: 'clerk', password: TEST_PASSWORD, next: '/office/users?x=1' });
    assert.equal(res.headers.location, '/office/users?x=1');
  });
});
