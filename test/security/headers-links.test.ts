/**
 * Security probe, finding 7 (first three parts), from the client's side: API answers with personal data carried
 * no Cache-Control; /track/:no set no-referrer in code but sent strict-origin-when-cross-origin; links in the
 * sitemap, feeds and the tracking link said localhost:3000 when served on another port without GONGKAI_BASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { solvedChallenge } from '../helpers/challenge.js';

const form = {
  agency: 'env', applicantKind: 'natural_person', name: '张三', idType: 'resident_id', idNumber: '11010519491231002X', phone: '13800138000',
  subject: '某河道整治工程竣工验收报告', description: '请公开2024年某河道整治工程的竣工验收报告', formWanted: 'electronic', delivery: 'online',
};

describe('headers and links of answers with personal data', () => {
  let t: TestApp;
  let trackUrl: string;
  let tok: string;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'h1', 'handler');
    tok = await t.token('h1');
    const b = t.anonymous();
    const page = await b.get('/apply');
    const res = await b.post('/apply', { ...form, ...(await solvedChallenge(page.body)) }, { from: '/apply' });
    assert.equal(res.statusCode, 303);
    trackUrl = String(res.headers.location);
  });
  after(async () => t.close());

  it('GET /api/v1/requests/:id and the request list answer Cache-Control: no-store', async () => {
    const list = await api(t.app, tok, 'GET', '/api/v1/requests');
    assert.equal(list.status, 200);
    assert.equal(list.raw.headers['cache-control'], 'no-store');
    const id = list.body.items?.[0]?.id ?? list.body[0]?.id;
    const one = await api(t.app, tok, 'GET', `/api/v1/requests/${id}`);
    assert.equal(one.status, 200);
    assert.equal(one.raw.headers['cache-control'], 'no-store');
    const err = await api(t.app, tok, 'GET', '/api/v1/requests/999999');
    assert.equal(err.raw.headers['cache-control'], 'no-store');
  });

  it('the tracking page sends its own Referrer-Policy: no-referrer (its address holds the key), private and not stored', async () => {
    const res = await t.anonymous().get(trackUrl);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(String(res.headers['cache-control']), /no-store/);
    // Other pages keep the site's policy.
    assert.equal((await t.anonymous().get('/')).headers['referrer-policy'], 'strict-origin-when-cross-origin');
  });

  it('without GONGKAI_BASE_URL: the sitemap, the feeds and the tracking link use the host the request came to', async () => {
    assert.equal(t.config.baseUrlSet, false);
    const host = 'xxgk.example.gov.cn:8443';
    const sitemap = await t.app.inject({ method: 'GET', url: '/sitemap.xml', headers: { host } });
    assert.match(sitemap.body, /<loc>http:\/\/xxgk\.example\.gov\.cn:8443\/agencies<\/loc>/);
    assert.doesNotMatch(sitemap.body, /localhost/);
    const feed = await t.app.inject({ method: 'GET', url: '/agencies/env/feed.xml', headers: { host } });
    assert.match(feed.body, /href="http:\/\/xxgk\.example\.gov\.cn:8443\/agencies\/env\/feed\.xml"/);
    const track = await t.app.inject({ method: 'GET', url: trackUrl, headers: { host } });
    assert.match(track.body, /http:\/\/xxgk\.example\.gov\.cn:8443\/track\//);
    // A Host header that is not a host name is not put into links.
    const odd = await t.app.inject({ method: 'GET', url: '/sitemap.xml', headers: { host: 'evil.example"><x' } });
    assert.doesNotMatch(odd.body, /evil/);
  });
});
