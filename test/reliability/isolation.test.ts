/**
 * Isolation (issue 8.4): a generated matrix of every role (and no one) × the agency relation of the record to
 * the account's agency (own, child, parent, sibling, unrelated) × the routes that reach an agency's records
 * (office pages and API). Each cell is allowed or refused exactly as src/modules/accounts/access.ts says, and
 * applicants' ID number, phone and address are shown only to handling staff of that agency (and admins).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { maskIdNumber } from '../../src/law/screening.js';
import { ENGINE } from '../helpers/db.js';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

const ROLES = ['admin', 'editor', 'reviewer', 'approver', 'handler', 'supervisor'] as const;
type Who = (typeof ROLES)[number] | 'anonymous';
const RELATIONS = { own: 'a', child: 'a1', parent: 'root', sibling: 'b', unrelated: 'other' } as const;
type Relation = keyof typeof RELATIONS;
const ID = '11010519491231002X';
const PHONE = '13900139000';
const ADDRESS = '某市某区幸福路88号';

/** The rules (access.ts): read = admin, any grant on the agency, or supervisor above it; handle = handler there or admin. */
const canRead = (who: Who, rel: Relation) => who !== 'anonymous' && (who === 'admin' || rel === 'own' || (who === 'supervisor' && rel === 'child'));
const canHandle = (who: Who, rel: Relation) => who === 'admin' || (who === 'handler' && rel === 'own');
const canEditDraft = (who: Who, rel: Relation) => who === 'admin' || (who === 'editor' && rel === 'own');

describe(`isolation matrix: role × agency relation × route (${ENGINE})`, () => {
  let t: TestApp;
  const tokens = new Map<Who, string>();
  const sessions = new Map<Who, Browser>();
  const requestOf = new Map<Relation, number>();
  const itemOf = new Map<Relation, number>();
  let adminToken: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('root', { name: '甲市人民政府' });
    await t.agency('a', { parent: 'root', name: '甲市生态环境局' });
    await t.agency('a1', { parent: 'a', name: '甲市生态环境局某分局', kind: 'township' });
    await t.agency('b', { parent: 'root', name: '甲市教育局' });
    await t.agency('other', { name: '乙市人民政府' });
    await t.user('other', 'setup', 'admin');
    adminToken = await t.token('setup');
    for (const role of ROLES) {
      await t.user('a', `u_${role}`, role);
      tokens.set(role, await t.token(`u_${role}`));
      sessions.set(role, await t.login(`u_${role}`));
    }
    sessions.set('anonymous', t.anonymous());
    for (const [rel, code] of Object.entries(RELATIONS) as [Relation, string][]) {
      const r = await api(t.app, adminToken, 'POST', '/api/v1/requests', {
        agency: code, channel: 'letter', receivedOn: '2025-03-03', subject: `隔离测试 ${rel}`, description: '—',
        applicant: { kind: 'natural_person', name: '张三', idType: 'resident_id', idNumber: ID, phone: PHONE, address: ADDRESS },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      requestOf.set(rel, r.body.id);
      const cats = (await api(t.app, adminToken, 'GET', `/api/v1/agencies/${code}/categories`)).body as { id: number }[];
      const i = await api(t.app, adminToken, 'POST', '/api/v1/items', { agency: code, title: `隔离测试草稿 ${rel}`, categoryId: cats[0]!.id, generatedOn: '2025-03-01' });
      assert.equal(i.status, 201, JSON.stringify(i.body));
      itemOf.set(rel, i.body.id);
    }
  });
  after(async () => t?.close());

  interface Cell { route: string; who: Who; rel: Relation; status: number; allowed: boolean; expected: boolean; body: string }

  async function call(who: Who, kind: 'api' | 'page', method: 'GET' | 'POST' | 'PATCH', url: string, body?: Record<string, unknown>) {
    if (kind === 'api') {
      const headers: Record<string, string> = {};
      if (who !== 'anonymous') headers.authorization = `Bearer ${tokens.get(who)}`;
      if (body) headers['content-type'] = 'application/json';
      const res = await t.app.inject({ method, url, headers, payload: body ? JSON.stringify(body) : undefined });
      return { status: res.statusCode, body: res.body };
    }
    const b = sessions.get(who)!;
    const res = method === 'GET' ? await b.get(url) : await b.post(url, body as Record<string, string>, { from: who === 'anonymous' ? '/apply' : '/office' });
    // The office sends a reader who is not signed in to the login form: a refusal.
    if (res.statusCode === 303 && String(res.headers.location ?? '').startsWith('/office/login')) return { status: 401, body: res.body };
    return { status: res.statusCode, body: res.body };
  }

  test('every cell allowed or refused as the roles say; personal data only to handling staff', async () => {
    const cells: Cell[] = [];
    const routes: { name: string; expected: (w: Who, r: Relation) => boolean; run: (w: Who, r: Relation) => Promise<{ status: number; body: string }>; ok: number[]; pii?: boolean }[] = [
      { name: 'GET /api/v1/requests/:id', expected: canRead, ok: [200], pii: true, run: (w, r) => call(w, 'api', 'GET', `/api/v1/requests/${requestOf.get(r)}`) },
      { name: 'GET /office/requests/:id', expected: canRead, ok: [200], pii: true, run: (w, r) => call(w, 'page', 'GET', `/office/requests/${requestOf.get(r)}`) },
      { name: 'GET /api/v1/requests/:id/letters/receipt.docx', expected: canRead, ok: [200], run: (w, r) => call(w, 'api', 'GET', `/api/v1/requests/${requestOf.get(r)}/letters/receipt.docx`) },
      { name: 'GET /api/v1/requests?agency=', expected: canRead, ok: [200], run: async (w, r) => {
        const res = await call(w, 'api', 'GET', `/api/v1/requests?agency=${RELATIONS[r]}&pageSize=200`);
        // Listed only if the request is in the answer.
        return res.status === 200 && !(JSON.parse(res.body).items as { id: number }[]).some((i) => i.id === requestOf.get(r)) ? { status: 204, body: res.body } : res;
      } },
      { name: 'GET /office/requests?agency=', expected: canRead, ok: [200], run: async (w, r) => {
        const res = await call(w, 'page', 'GET', `/office/requests?agency=${RELATIONS[r]}`);
        return res.status === 200 && !res.body.includes(`隔离测试 ${r}`) ? { status: 204, body: res.body } : res;
      } },
      { name: 'POST /api/v1/requests/:id/actions (note)', expected: canHandle, ok: [200], run: (w, r) => call(w, 'api', 'POST', `/api/v1/requests/${requestOf.get(r)}/actions`, { type: 'note', on: '2025-03-03', note: `${w} 的备注` }) },
      { name: 'POST /office/requests/:id/actions (note)', expected: canHandle, ok: [303], run: (w, r) => call(w, 'page', 'POST', `/office/requests/${requestOf.get(r)}/actions`, { type: 'note', on: '2025-03-03', note: `${w} 的备注` }) },
      { name: 'POST /office/requests/:id/assign', expected: canHandle, ok: [303], run: (w, r) => call(w, 'page', 'POST', `/office/requests/${requestOf.get(r)}/assign`, { handlerId: '' }) },
      { name: 'GET /api/v1/items/:id (draft)', expected: canRead, ok: [200], run: (w, r) => call(w, 'api', 'GET', `/api/v1/items/${itemOf.get(r)}`) },
      { name: 'GET /office/items/:id (draft)', expected: canRead, ok: [200], run: (w, r) => call(w, 'page', 'GET', `/office/items/${itemOf.get(r)}`) },
      { name: 'PATCH /api/v1/items/:id (draft)', expected: canEditDraft, ok: [200], run: (w, r) => call(w, 'api', 'PATCH', `/api/v1/items/${itemOf.get(r)}`, { summary: `${w} 修改` }) },
    ];
    const piiProblems: string[] = [];
    for (const route of routes) {
      for (const who of [...ROLES, 'anonymous'] as Who[]) {
        for (const rel of Object.keys(RELATIONS) as Relation[]) {
          const res = await route.run(who, rel);
          const allowed = route.ok.includes(res.status);
          const expected = route.expected(who, rel);
          cells.push({ route: route.name, who, rel, status: res.status, allowed, expected, body: res.body.slice(0, 200) });
          if (res.status >= 500) piiProblems.push(`${route.name} ${who} ${rel}: ${res.status}`);
          if (route.pii && allowed) {
            const full = canHandle(who, rel);
            const has = (s: string) => res.body.includes(s);
            if (full && !(has(ID) && has(PHONE) && has(ADDRESS))) piiProblems.push(`${route.name} ${who} ${rel}: handler does not see the personal data`);
            if (!full && (has(ID) || has(PHONE) || has(ADDRESS))) piiProblems.push(`${route.name} ${who} ${rel}: personal data shown unmasked`);
            if (!full && !has(maskIdNumber(ID))) piiProblems.push(`${route.name} ${who} ${rel}: masked ID number missing`);
          }
          if (!allowed && (res.body.includes(ID) || res.body.includes(PHONE))) piiProblems.push(`${route.name} ${who} ${rel}: refusal leaks personal data`);
        }
      }
    }
    const mismatches = cells.filter((c) => c.allowed !== c.expected);
    console.log(`isolation[${ENGINE}]: ${cells.length} cells (${ROLES.length + 1} identities × ${Object.keys(RELATIONS).length} relations × ${routes.length} routes), mismatches ${mismatches.length}, personal-data problems ${piiProblems.length}`);
    assert.deepEqual(mismatches.map((m) => `${m.route} as ${m.who} on ${m.rel}: ${m.status} (expected ${m.expected ? 'allowed' : 'refused'}) ${m.body}`), []);
    assert.deepEqual(piiProblems, []);
  });
});
