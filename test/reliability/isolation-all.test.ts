/**
 * Isolation over every route (issue 8): every identity (six roles at agency `a`, and no one) × the relation of the
 * record's agency to `a` (own, child, parent, sibling, unrelated) × every office page and API route that reaches an
 * agency's records. The expectation of each route is data (derived from src/modules/accounts/access.ts and each
 * service's role checks). The route list comes from app.printRoutes(): a route that the table below does not
 * classify fails the test, so new routes must be added here.
 *
 * Allowed → status < 400 (a redirect to /office/login counts as refused); refused → 401 (anonymous only), 403 or
 * 404, and a refused write changes nothing (row counts of the data tables, the audit log, and the target row).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE } from '../helpers/db.js';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

const ROLES = ['admin', 'editor', 'reviewer', 'approver', 'handler', 'supervisor'] as const;
type Role = (typeof ROLES)[number];
type Who = Role | 'anonymous';
const WHO: Who[] = [...ROLES, 'anonymous'];
const RELATIONS = { own: 'a', child: 'a1', parent: 'root', sibling: 'b', unrelated: 'other' } as const;
type Relation = keyof typeof RELATIONS;
const RELS = Object.keys(RELATIONS) as Relation[];
const YEAR = 2024;

// ---- The rules, as data -----------------------------------------------------------------------------------
/** Read: admin, any grant on the agency, or a supervisor above it (access.ts canRead). */
const read = (w: Who, r: Relation) => w !== 'anonymous' && (w === 'admin' || r === 'own' || (w === 'supervisor' && r === 'child'));
/** Write with one of `roles` on the agency itself; admins hold every role; supervisors never write (access.ts hasRole). */
const write = (...roles: Role[]) => (w: Who, r: Relation) => w === 'admin' || (r === 'own' && (roles as Who[]).includes(w) && w !== 'supervisor');
const anyone = () => true;
const signedIn = (w: Who) => w !== 'anonymous';
const adminOnly = (w: Who) => w === 'admin';

/** Routes that are not agency-scoped records of the office: public portal pages, sign-in, the audit job owner's pages. */
const NOT_IN_MATRIX: Record<string, string> = {
  'GET /': 'public portal', 'GET /accessibility': 'public', 'GET /accessibility/large-text': 'public', 'GET /*': 'static assets', 'GET /assets/altcha.js': 'static asset (the ALTCHA widget from its npm package)', 'POST /office/agencies/:code/one-person-office': 'administrators only (assertAdmin); test/security/sign-off.test.ts',
  'GET /api/v1/openapi.json': 'public', 'GET /api/v1/agencies': 'public directory of agencies',
  'GET /api/v1/agencies/:code/categories': 'public catalogue columns',
  'GET /api/v1/search': 'public search (published only; rate-limited)', 'GET /apply': 'public form', 'POST /apply': 'public form (rate-limited 10/10min); tested in test/requests',
  'GET /agencies': 'public', 'GET /agencies/:code': 'public', 'GET /agencies/:code/catalogue': 'public', 'GET /agencies/:code/categories/:id/feed.xml': 'public',
  'GET /agencies/:code/feed.xml': 'public', 'GET /agencies/:code/guide': 'public', 'GET /agencies/:code/institutions': 'public', 'GET /agencies/:code/apply': 'public',
  'GET /agencies/:code/reports': 'public (published only)', 'GET /agencies/:code/reports/:year': 'public (published only)', 'GET /agencies/:code/reports/:year/:file': 'public (published only)',
  'GET /attachments/:id': 'public for published items; drafts checked in test/disclosure', 'GET /healthz': 'public', 'GET /catalogue': 'public', 'GET /items/:id': 'public (published; drafts 404 — covered by GET /api/v1/items/:id)',
  'GET /institutions': 'public', 'GET /sitemap.xml': 'public', 'GET /sitemap-pages.xml': 'public', 'GET /sitemap-items-:n.xml': 'public', 'GET /search': 'public (rate-limited)',
  'GET /guide': 'public', 'GET /track': 'public (applicant key)', 'GET /track/lookup': 'public (applicant key)', 'GET /track/:trackingNo': 'public (applicant key)',
  'GET /track/:trackingNo/letters/:file': 'public (applicant key)', 'POST /track': 'public (登记编号 + phone or ID last four)', 'GET /favicon.ico': 'public (a redirect to the icon)',
  'GET /track/:trackingNo/files/:fileId': 'public (applicant key or lookup grant; test/requests/applicant-tracking.test.ts)',
  'POST /office/requests/:id/files': 'multipart upload; the handler role on the agency (assertRole after loadForStaff), tested in test/requests/applicant-tracking.test.ts',
  'GET /office/requests/:id/files/:fileId': 'loadForStaff: the same read check as GET /office/requests/:id', 'GET /reports': 'public (published only)',
  'GET /office/login': 'sign-in', 'POST /office/login': 'sign-in', 'POST /office/logout': 'sign-out',
  'GET /office/oversight/audit/:job': 'audit jobs belong to the account that started them (owner or admin), not to an agency; test/oversight',
  'GET /office/oversight/audit/:job/summary.csv': 'as above', 'GET /office/oversight/audit/:job/findings.csv': 'as above', 'GET /office/oversight/audit/:job/audit.json': 'as above',
  'POST /office/oversight/audit': 'starts a background job (crawler) for the signed-in account; test/oversight',
  'GET /office/jobs': "the account's own background jobs (an admin's: all), no agency record; test/jobs/progress.test.ts",
  'GET /office/jobs/:id': 'a job belongs to the account that started it (owner or admin), not to an agency; test/jobs/progress.test.ts (another supervisor 403)',
  'POST /office/jobs/:id/retry': 'as above (owner or admin, failed jobs only: 409 otherwise); test/jobs/progress.test.ts',
  'GET /api/v1/jobs/:id': 'as GET /office/jobs/:id, with a token (another account 403, unknown 404); test/jobs/progress.test.ts',
  'POST /office/items/:id/attachments': 'multipart upload; role rule (editor; reviewer while in review) checked in test/disclosure',
  'POST /office/items/:id/attachments/:aid/delete': 'needs a stored attachment file; test/disclosure',
  'POST /office/reports/:code/:year/publish': 'locks the year for the agency (would change every other cell); approver-only rule covered in test/reports',
  'POST /office/reports/:code/:year/unlock': 'needs a published, locked year; approver-only rule covered in test/reports',
  'POST /office/notifications/read': "the account's own notifications (no agency record); test/notifications",
  'POST /office/notifications/contact': "the account's own e-mail and mobile for reminders; test/notifications",
  'POST /office/suggestions/:code/convert': 'needs a cluster of released requests; the editor-of-the-agency rule and the audit are tested in test/disclosure-suggestions',
  'GET /office/supervision': "督办 of the supervisor's offices and of the account's own agencies; test/supervision",
  'GET /office/supervision/new': 'the form for an office over an agency below it; test/supervision',
  'POST /office/supervision': 'an office (supervisor grant above the agency) opens a 督办: outside the tree, on its own agency or by a handler 403 and nothing written (test/supervision)',
  'GET /office/supervision/:id': 'readable by the office and by the agency (canRead); test/supervision',
  'POST /office/supervision/:id/answer': "the agency's own staff answer; test/supervision (round trip with a return)",
  'POST /office/supervision/:id/accept': "the office's supervisors accept; test/supervision",
  'POST /office/supervision/:id/return': "the office's supervisors return; test/supervision",
  'GET /office/supervision/files/:id': 'as the 督办 it belongs to (canRead); test/supervision',
  'GET /office/supervision/export.csv': "the 督办 the account may see, as a table; test/supervision",
  'GET /office/supervision/export.xlsx': 'as above',
  'GET /office/assessment': "an oversight office's score sheet over the agencies below its supervisor grant (others 403); test/assessment",
  'GET /office/assessment/:year/:code/:indicator': 'the records behind one figure, for the office over that agency; test/assessment',
  'GET /office/assessment/export.xlsx': 'the score sheet as Excel, as the page; test/assessment',
  'POST /office/assessment/weights': "the office's weights for a year (audited); test/assessment",
};

describe(`isolation over every route: role × relation × route (${ENGINE})`, () => {
  let t: TestApp;
  const tokens = new Map<Who, string>();
  const sessions = new Map<Who, Browser>();
  const csrf = new Map<Who, string>();
  let admin: string;
  let adminBrowser: Browser;
  let adminCsrf: string;
  const fx = {
    request: new Map<Relation, number>(), tracking: new Map<Relation, string>(), draft: new Map<Relation, number>(), published: new Map<Relation, number>(),
    review: new Map<Relation, number>(), doc: new Map<Relation, number>(), category: new Map<Relation, number>(),
  };
  const label = (rel: Relation) => `隔离全表 ${rel}`;

  const ok = (r: { status: number; body: unknown }, what: string) => assert.ok(r.status < 400, `${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);

  async function newItem(code: string, title: string): Promise<number> {
    const cats = (await api(t.app, admin, 'GET', `/api/v1/agencies/${code}/categories`)).body as { id: number }[];
    const i = await api(t.app, admin, 'POST', '/api/v1/items', { agency: code, title, categoryId: cats[0]!.id, generatedOn: '2025-03-01', summary: '摘要' });
    ok(i, 'create item');
    return i.body.id;
  }
  const act = async (id: number, body: Record<string, unknown>) => ok(await api(t.app, admin, 'POST', `/api/v1/items/${id}/actions`, body), `item ${id} ${body.type}`);
  /** A fresh item of `code` in the given state (created by an admin through the API, i.e. through the services). */
  async function itemIn(code: string, state: 'draft' | 'in_review' | 'approved' | 'published'): Promise<number> {
    const id = await newItem(code, `隔离全表 ${state} ${code}`);
    if (state === 'draft') return id;
    await act(id, { type: 'submit' });
    if (state === 'in_review') return id;
    await act(id, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await act(id, { type: 'approve' });
    if (state === 'approved') return id;
    await act(id, { type: 'sign_off' });
    return id;
  }
  async function newDoc(code: string, title: string): Promise<number> {
    const d = await api(t.app, admin, 'POST', '/api/v1/registries/documents', { agency: code, kind: 'normative_document', title, issuedOn: '2024-05-10' });
    ok(d, 'create document');
    return d.body.id;
  }
  async function newCategory(code: string): Promise<number> {
    const name = `隔离栏目${Math.random().toString(36).slice(2, 8)}`;
    const cr = await adminBrowser.post(`/office/categories?agency=${code}`, { name }, { csrf: adminCsrf });
    ok({ status: cr.statusCode, body: cr.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-600) }, 'create category');
    const cats = (await api(t.app, admin, 'GET', `/api/v1/agencies/${code}/categories`)).body as { id: number; name: string }[];
    return cats.find((c) => c.name === name)!.id;
  }
  async function newWord(code: string): Promise<number> {
    const word = `隔离词${Math.random().toString(36).slice(2, 8)}`;
    ok({ status: (await adminBrowser.post(`/office/screening-words?agency=${code}`, { word, suggestion: '', kind: 'wrong_word' }, { csrf: adminCsrf })).statusCode, body: '' }, 'create word');
    const row = await t.ctx.db.selectFrom('screening_words').select('id').where('word', '=', word).executeTakeFirstOrThrow();
    return Number(row.id);
  }

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('root', { name: '甲市人民政府' });
    await t.agency('a', { parent: 'root', name: '甲市生态环境局' });
    await t.agency('a1', { parent: 'a', name: '甲市生态环境局某分局', kind: 'township' });
    await t.agency('b', { parent: 'root', name: '甲市教育局' });
    await t.agency('other', { name: '乙市人民政府' });
    await t.user('other', 'setup', 'admin');
    await t.user('b', 'victim', 'editor');
    admin = await t.token('setup');
    adminBrowser = await t.login('setup');
    adminCsrf = await adminBrowser.csrf('/office');
    for (const role of ROLES) {
      await t.user('a', `u_${role}`, role);
      tokens.set(role, await t.token(`u_${role}`));
      const b = await t.login(`u_${role}`);
      sessions.set(role, b);
      csrf.set(role, await b.csrf('/office'));
    }
    const anon = t.anonymous();
    sessions.set('anonymous', anon);
    csrf.set('anonymous', await anon.csrf('/apply'));
    for (const rel of RELS) {
      const code = RELATIONS[rel];
      const r = await api(t.app, admin, 'POST', '/api/v1/requests', {
        agency: code, channel: 'letter', receivedOn: '2025-03-03', subject: label(rel), description: '—',
        applicant: { kind: 'natural_person', name: '张三', idType: 'resident_id', idNumber: '11010519491231002X', phone: '13900139000', address: '某市某区幸福路88号' },
      });
      ok(r, 'create request');
      fx.request.set(rel, r.body.id);
      fx.tracking.set(rel, r.body.trackingNo);
      fx.draft.set(rel, await newItem(code, label(rel)));
      fx.published.set(rel, await itemIn(code, 'published'));
      const c = await api(t.app, admin, 'POST', '/api/v1/review-cases', { requestId: r.body.id, kind: 'reconsideration', caseNo: `隔离复〔2025〕${rel}`, filedOn: '2025-03-03' });
      ok(c, 'create review case');
      fx.review.set(rel, c.body.id);
      fx.doc.set(rel, await newDoc(code, label(rel)));
      fx.category.set(rel, await newCategory(code));
      const built = await adminBrowser.post(`/office/reports/${code}/${YEAR}/build`, {}, { csrf: adminCsrf });
      ok({ status: built.statusCode, body: built.body.slice(0, 300) }, `build report ${code}`);
    }
  });
  after(async () => t?.close());

  // ---- Calls ------------------------------------------------------------------------------------------------
  interface Res { status: number; body: string }
  async function callApi(who: Who, method: string, url: string, body?: Record<string, unknown>): Promise<Res> {
    const headers: Record<string, string> = {};
    if (who !== 'anonymous') headers.authorization = `Bearer ${tokens.get(who)}`;
    if (body) headers['content-type'] = 'application/json';
    const res = await t.app.inject({ method: method as 'GET', url, headers, payload: body ? JSON.stringify(body) : undefined });
    return { status: res.statusCode, body: res.body };
  }
  async function callPage(who: Who, method: 'GET' | 'POST', url: string, form: Record<string, string> = {}): Promise<Res> {
    const b = sessions.get(who)!;
    const res = method === 'GET' ? await b.get(url) : await b.post(url, form, { csrf: csrf.get(who) });
    if (res.statusCode === 303 && String(res.headers.location ?? '').startsWith('/office/login')) return { status: 401, body: res.body };
    return { status: res.statusCode, body: res.body };
  }

  /** What a refused write must leave untouched. */
  const TABLES = ['audit_log', 'items', 'item_steps', 'item_categories', 'screening_words', 'requests', 'request_events', 'review_cases', 'normative_documents',
    'enforcement_decisions', 'fee_collections', 'new_media_posts', 'reports', 'agency_guides', 'agencies', 'users'] as const;
  async function snapshot(row?: [string, number]): Promise<string> {
    const counts: number[] = [];
    for (const table of TABLES) {
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db);
      counts.push(Number(r.rows[0]!.n));
    }
    const target = row ? (await sql`select * from ${sql.table(row[0])} where id = ${row[1]}`.execute(t.ctx.db)).rows : [];
    return JSON.stringify({ counts, target });
  }

  // ---- The expectation table ----------------------------------------------------------------------------------
  interface Variant {
    /** A name for the cell list (defaults to the route key). */
    name?: string;
    expected: (w: Who, r: Relation) => boolean;
    /** Checks without an agency relation (the route takes none): run once per identity. */
    global?: boolean;
    run: (w: Who, r: Relation) => Promise<Res>;
    /** Writes: the row a refusal must leave as it was. */
    write?: (r: Relation) => [string, number] | undefined | Promise<[string, number] | undefined>;
    /** Put the record in the state the route needs, before the snapshot. */
    prepare?: (r: Relation) => Promise<unknown>;
    /** Lists: whether the relation's record is in the answer (a refused list may answer 200 without it). */
    listed?: (res: Res, r: Relation) => boolean;
    /** Another answer that is a refusal for this route (it must not tell the record exists). */
    refusedAlso?: (res: Res) => boolean;
    /** Allowed also when the business rule refuses after the access check (e.g. 409: the state does not allow it). */
    authzOnly?: boolean;
  }
  const inList = (s: (r: Relation) => string) => (res: Res, r: Relation) => res.body.includes(s(r));
  const code = (r: Relation) => RELATIONS[r];
  /** A record consumed by an allowed write is replaced before the next cell. */
  const fresh = <T extends number>(make: (r: Relation) => Promise<T>) => {
    const cur = new Map<Relation, T>();
    return {
      async get(r: Relation) { if (!cur.has(r)) cur.set(r, await make(r)); return cur.get(r)!; },
      peek: (r: Relation) => cur.get(r),
      used(r: Relation) { cur.delete(r); },
    };
  };
  const consuming = <T extends number>(pool: ReturnType<typeof fresh<T>>, call: (w: Who, r: Relation, v: T) => Promise<Res>) => async (w: Who, r: Relation) => {
    const res = await call(w, r, await pool.get(r));
    if (res.status < 400) pool.used(r);
    return res;
  };
  const itemPool = (state: 'draft' | 'in_review' | 'approved' | 'published') => fresh((r) => itemIn(code(r), state));
  const rowOf = (tableName: string, pool: { get: (r: Relation) => Promise<number> }) => async (r: Relation): Promise<[string, number]> => [tableName, await pool.get(r)];
  const itemRow = (pool: { get: (r: Relation) => Promise<number> }) => rowOf('items', pool);

  const ITEM_ACTIONS: { api: string; page: string; state: 'draft' | 'in_review' | 'approved' | 'published'; roles: Role[]; body: Record<string, string>; form: Record<string, string>; authzOnly?: boolean }[] = [
    { api: 'submit', page: 'submit', state: 'draft', roles: ['editor'], body: {}, form: {} },
    { api: 'screen', page: 'screen', state: 'draft', roles: ['editor', 'reviewer'], body: {}, form: {} },
    { api: 'override', page: 'override', state: 'in_review', roles: ['reviewer'], body: { reason: '经核实无误' }, form: { overrideReason: '经核实无误' }, authzOnly: true },
    { api: 'confidentiality', page: 'confidentiality', state: 'in_review', roles: ['reviewer'], body: { outcome: 'pass', opinion: '不涉密' }, form: { outcome: 'pass', opinion: '不涉密' } },
    { api: 'approve', page: 'approve', state: 'in_review', roles: ['reviewer'], body: {}, form: {}, authzOnly: true },
    { api: 'return', page: 'return', state: 'in_review', roles: ['reviewer'], body: { reason: '请修改' }, form: { returnReason: '请修改' } },
    { api: 'sign_off', page: 'sign-off', state: 'approved', roles: ['approver'], body: {}, form: {} },
    { api: 'withdraw', page: 'withdraw', state: 'published', roles: ['approver'], body: { reason: '撤回' }, form: { withdrawReason: '撤回' } },
    { api: 'validity', page: 'validity', state: 'published', roles: ['editor', 'approver'], body: { validity: 'invalid' }, form: { newValidity: 'invalid' }, authzOnly: true },
  ];

  function table(): Record<string, Variant[]> {
    const T: Record<string, Variant[]> = {};
    const add = (key: string, v: Variant) => (T[key] ??= []).push(v);
    const req = (r: Relation) => fx.request.get(r)!;
    const form = (r: Relation) => ({
      agency: code(r), channel: 'letter', receivedOn: '2025-03-03', applicantKind: 'natural_person', name: '李四', subject: `登记 ${r}`, description: '—',
    });

    // -- requests (handler of the agency acts; readers read) --
    add('POST /api/v1/requests', { expected: write('handler'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/requests', { agency: code(r), channel: 'letter', receivedOn: '2025-03-03', subject: `登记 ${r}`, description: '—', applicant: { kind: 'natural_person', name: '李四' } }) });
    add('GET /api/v1/requests', { expected: read, listed: (res, r) => res.status === 200 && (JSON.parse(res.body).items as { id: number }[]).some((i) => i.id === req(r)), run: (w, r) => callApi(w, 'GET', `/api/v1/requests?agency=${code(r)}&pageSize=200`) });
    add('GET /api/v1/requests/:id', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/requests/${req(r)}`) });
    add('POST /api/v1/requests/:id/actions', { expected: write('handler'), write: (r) => ['requests', req(r)], run: (w, r) => callApi(w, 'POST', `/api/v1/requests/${req(r)}/actions`, { type: 'note', on: '2025-03-03', note: `${w} 备注` }) });
    add('POST /api/v1/requests/:id/assign', { expected: write('handler'), write: (r) => ['requests', req(r)], run: (w, r) => callApi(w, 'POST', `/api/v1/requests/${req(r)}/assign`, { handlerId: null }), authzOnly: true });
    add('GET /api/v1/requests/:id/letters/:file', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/requests/${req(r)}/letters/receipt.docx`) });
    add('GET /office/requests', { expected: read, listed: inList(label), run: (w, r) => callPage(w, 'GET', `/office/requests?agency=${code(r)}`) });
    add('GET /office/requests/new', { expected: write('handler'), global: true, run: (w) => callPage(w, 'GET', '/office/requests/new') });
    add('POST /office/requests/new', { expected: write('handler'), write: () => undefined, run: (w, r) => callPage(w, 'POST', '/office/requests/new', form(r)) });
    add('GET /office/requests/:id', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/requests/${req(r)}`) });
    add('POST /office/requests/:id/actions', { expected: write('handler'), write: (r) => ['requests', req(r)], run: (w, r) => callPage(w, 'POST', `/office/requests/${req(r)}/actions`, { type: 'note', on: '2025-03-03', note: `${w} 备注` }) });
    add('POST /office/requests/:id/assign', { expected: write('handler'), write: (r) => ['requests', req(r)], run: (w, r) => callPage(w, 'POST', `/office/requests/${req(r)}/assign`, { handlerId: '' }) });

    // -- review cases (handler records; readers read) --
    const rc = (r: Relation) => fx.review.get(r)!;
    add('GET /api/v1/review-cases', { expected: read, listed: (res, r) => res.status === 200 && res.body.includes(`"id":${rc(r)},`), run: (w, r) => callApi(w, 'GET', `/api/v1/review-cases?agency=${code(r)}`) });
    add('POST /api/v1/review-cases', { expected: write('handler'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/review-cases', { requestId: req(r), kind: 'reconsideration', filedOn: '2025-03-03' }) });
    add('GET /api/v1/review-cases/:id', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/review-cases/${rc(r)}`) });
    add('PATCH /api/v1/review-cases/:id', { expected: write('handler'), write: (r) => ['review_cases', rc(r)], run: (w, r) => callApi(w, 'PATCH', `/api/v1/review-cases/${rc(r)}`, { notes: `${w} 备注` }) });
    add('GET /office/reviews', { expected: read, listed: inList((r) => `隔离复〔2025〕${r}`), run: (w, r) => callPage(w, 'GET', `/office/reviews?agency=${code(r)}`) });
    // By tracking number: a request the account cannot read is "not found" (a 400 validation answer, the same as for an
    // unknown number: it does not tell the request exists; accounts without a handler grant get the page without the form).
    add('POST /office/reviews', { expected: write('handler'), write: () => undefined, refusedAlso: (res) => res.status === 400, run: (w, r) => callPage(w, 'POST', '/office/reviews', { trackingNo: fx.tracking.get(r)!, kind: 'reconsideration', filedOn: '2025-03-03', result: 'pending' }) });
    add('GET /office/reviews/:id', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/reviews/${rc(r)}`) });
    add('POST /office/reviews/:id', { expected: write('handler'), write: (r) => ['review_cases', rc(r)], run: (w, r) => callPage(w, 'POST', `/office/reviews/${rc(r)}`, { kind: 'reconsideration', filedOn: '2025-03-03', result: 'pending', notes: `${w} 备注` }) });

    // -- items (editor drafts; reviewer reviews; approver signs off; readers read drafts; published items are public) --
    const draft = (r: Relation) => fx.draft.get(r)!;
    add('POST /api/v1/items', { expected: write('editor'), write: () => undefined, run: async (w, r) => {
      const cats = (await api(t.app, admin, 'GET', `/api/v1/agencies/${code(r)}/categories`)).body as { id: number }[];
      return callApi(w, 'POST', '/api/v1/items', { agency: code(r), title: `${w} 起草`, categoryId: cats[0]!.id, generatedOn: '2025-03-01' });
    } });
    add('GET /api/v1/items/:id', { name: 'GET /api/v1/items/:id (draft)', expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/items/${draft(r)}`) });
    add('GET /api/v1/items/:id', { name: 'GET /api/v1/items/:id (published)', expected: anyone, run: (w, r) => callApi(w, 'GET', `/api/v1/items/${fx.published.get(r)}`) });
    add('PATCH /api/v1/items/:id', { expected: write('editor'), write: (r) => ['items', draft(r)], run: (w, r) => callApi(w, 'PATCH', `/api/v1/items/${draft(r)}`, { summary: `${w} 修改` }) });
    add('GET /api/v1/items/:id/screening', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/items/${draft(r)}/screening`) });
    add('GET /api/v1/agencies/:code/items', { expected: anyone, run: (w, r) => callApi(w, 'GET', `/api/v1/agencies/${code(r)}/items`) });
    add('GET /office/items', { expected: read, listed: inList(label), run: (w, r) => callPage(w, 'GET', `/office/items?agency=${code(r)}`) });
    add('GET /office/items/new', { expected: write('editor'), run: (w, r) => callPage(w, 'GET', `/office/items/new?agency=${code(r)}`) });
    add('POST /office/items', { expected: write('editor'), write: () => undefined, run: async (w, r) => {
      const cats = (await api(t.app, admin, 'GET', `/api/v1/agencies/${code(r)}/categories`)).body as { id: number }[];
      return callPage(w, 'POST', `/office/items?agency=${code(r)}`, { title: `${w} 起草`, categoryId: String(cats[0]!.id), generatedOn: '2025-03-01' });
    } });
    add('GET /office/items/:id', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/items/${draft(r)}`) });
    add('POST /office/items/:id', { expected: write('editor'), write: (r) => ['items', draft(r)], run: (w, r) => callPage(w, 'POST', `/office/items/${draft(r)}`, { title: label(r), categoryId: '', summary: `${w} 修改`, generatedOn: '2025-03-01' }), authzOnly: true });
    for (const a of ITEM_ACTIONS) {
      const apiPool = itemPool(a.state);
      add('POST /api/v1/items/:id/actions', { name: `POST /api/v1/items/:id/actions (${a.api})`, expected: write(...a.roles), write: itemRow(apiPool), authzOnly: a.authzOnly, run: consuming(apiPool, (w, _r, id) => callApi(w, 'POST', `/api/v1/items/${id}/actions`, { type: a.api, ...a.body })) });
      const pagePool = itemPool(a.state);
      add(`POST /office/items/:id/${a.page}`, { expected: write(...a.roles), write: itemRow(pagePool), authzOnly: a.authzOnly, run: consuming(pagePool, (w, _r, id) => callPage(w, 'POST', `/office/items/${id}/${a.page}`, a.form)) });
    }

    // -- catalogue columns (editor/approver) and screening words (reviewer/approver) --
    const cat = (r: Relation) => fx.category.get(r)!;
    add('GET /office/categories', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/categories?agency=${code(r)}`) });
    add('POST /office/categories', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callPage(w, 'POST', `/office/categories?agency=${code(r)}`, { name: `${w}栏目${Math.random().toString(36).slice(2, 6)}` }) });
    add('POST /office/categories/:id', { expected: write('editor', 'approver'), write: (r) => ['item_categories', cat(r)], run: (w, r) => callPage(w, 'POST', `/office/categories/${cat(r)}?agency=${code(r)}`, { name: `栏目 ${w} ${r}`.slice(0, 20), position: '900' }) });
    const catPool = fresh((r) => newCategory(code(r)));
    add('POST /office/categories/:id/delete', { expected: write('editor', 'approver'), write: rowOf('item_categories', catPool), run: consuming(catPool, (w, r, id) => callPage(w, 'POST', `/office/categories/${id}/delete?agency=${code(r)}`)) });
    add('POST /office/screening-words', { expected: write('reviewer', 'approver'), write: () => undefined, run: (w, r) => callPage(w, 'POST', `/office/screening-words?agency=${code(r)}`, { word: `词${w}${Math.random().toString(36).slice(2, 6)}`, suggestion: '', kind: 'wrong_word' }) });
    const wordPool = fresh((r) => newWord(code(r)));
    add('POST /office/screening-words/:id/delete', { expected: write('reviewer', 'approver'), write: rowOf('screening_words', wordPool), run: consuming(wordPool, (w, r, id) => callPage(w, 'POST', `/office/screening-words/${id}/delete?agency=${code(r)}`)) });

    // -- registries (editor/approver write; readers read) --
    add('POST /api/v1/registries/documents', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/registries/documents', { agency: code(r), kind: 'normative_document', title: `${w} 文件`, issuedOn: '2025-01-10' }) });
    const docPool = fresh((r) => newDoc(code(r), `待废止 ${r}`));
    add('POST /api/v1/registries/documents/:id/abolish', { expected: write('editor', 'approver'), write: rowOf('normative_documents', docPool), run: consuming(docPool, (w, _r, id) => callApi(w, 'POST', `/api/v1/registries/documents/${id}/abolish`, { abolishedOn: '2025-03-01' })) });
    add('POST /api/v1/registries/decisions', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/registries/decisions', { agency: code(r), kind: 'licensing', decidedOn: '2025-02-01' }), authzOnly: true });
    add('POST /api/v1/registries/fees', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/registries/fees', { agency: code(r), collectedOn: '2025-02-01', amountYuan: '10.00', item: '复印费' }), authzOnly: true });
    add('POST /api/v1/registries/new-media', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callApi(w, 'POST', '/api/v1/registries/new-media', { agency: code(r), channel: 'weibo', account: '甲市发布', publishedOn: '2025-02-01', count: 1 }), authzOnly: true });
    add('GET /api/v1/agencies/:code/registries/:year', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/agencies/${code(r)}/registries/${YEAR}`) });
    add('GET /office/registries', { expected: read, listed: inList(label), run: (w, r) => callPage(w, 'GET', `/office/registries?agency=${code(r)}&year=${YEAR}`) });
    add('POST /office/registries/documents', { expected: write('editor', 'approver'), write: () => undefined, run: (w, r) => callPage(w, 'POST', `/office/registries/documents?agency=${code(r)}`, { kind: 'normative_document', title: `${w} 文件`, issuedOn: '2025-01-10' }) });
    add('POST /office/registries/decisions', { expected: write('editor', 'approver'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/registries/decisions?agency=${code(r)}`, { kind: 'licensing', decidedOn: '2025-02-01', count: '1' }) });
    add('POST /office/registries/fees', { expected: write('editor', 'approver'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/registries/fees?agency=${code(r)}`, { collectedOn: '2025-02-01', amountYuan: '10.00', item: '复印费' }) });
    add('POST /office/registries/new-media', { expected: write('editor', 'approver'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/registries/new-media?agency=${code(r)}`, { channel: 'weibo', account: '甲市发布', publishedOn: '2025-02-01', count: '1' }) });
    const docPool2 = fresh((r) => newDoc(code(r), `待废止页 ${r}`));
    add('POST /office/registries/documents/:id/abolish', { expected: write('editor', 'approver'), write: rowOf('normative_documents', docPool2), run: consuming(docPool2, (w, r, id) => callPage(w, 'POST', `/office/registries/documents/${id}/abolish?agency=${code(r)}`, { abolishedOn: '2025-03-01' })) });

    // -- annual reports (workers of the agency draft; reviewer/approver review; readers read the working copy) --
    add('GET /api/v1/agencies/:code/reports/:year', { name: 'GET /api/v1/agencies/:code/reports/:year?version=draft', expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/agencies/${code(r)}/reports/${YEAR}?version=draft`) });
    add('GET /office/reports', { expected: read, listed: (res, r) => res.status === 200 && res.body.includes(`/office/reports/${code(r)}/`), run: (w) => callPage(w, 'GET', '/office/reports') });
    add('GET /office/reports/:code/:year', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/reports/${code(r)}/${YEAR}`) });
    add('GET /office/reports/:code/:year/:file', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/reports/${code(r)}/${YEAR}/report.txt`) });
    const WORKERS: Role[] = ['editor', 'handler', 'reviewer', 'approver'];
    add('POST /office/reports/:code/:year/build', { expected: write(...WORKERS), write: () => undefined, run: (w, r) => callPage(w, 'POST', `/office/reports/${code(r)}/${YEAR}/build`, {}), authzOnly: true });
    add('POST /office/reports/:code/:year/narrative', { expected: write(...WORKERS), write: () => undefined, run: (w, r) => callPage(w, 'POST', `/office/reports/${code(r)}/${YEAR}/narrative`, { overview: `${w} 概述`, problems: '', other: '' }), authzOnly: true });
    // submit → then review (return) puts the working copy back, so each submit cell starts from a draft
    add('POST /office/reports/:code/:year/submit', { expected: write(...WORKERS), write: () => undefined, authzOnly: true, run: async (w, r) => {
      const res = await callPage(w, 'POST', `/office/reports/${code(r)}/${YEAR}/submit`, {});
      if (res.status < 400) await adminBrowser.post(`/office/reports/${code(r)}/${YEAR}/review`, { decision: 'return', note: '退回' }, { csrf: adminCsrf });
      return res;
    } });
    // each review cell starts from a submitted working copy (an allowed 'return' puts it back to a draft)
    add('POST /office/reports/:code/:year/review', { expected: write('reviewer', 'approver'), write: () => undefined, authzOnly: true,
      prepare: (r) => adminBrowser.post(`/office/reports/${code(r)}/${YEAR}/submit`, {}, { csrf: adminCsrf }),
      run: (w, r) => callPage(w, 'POST', `/office/reports/${code(r)}/${YEAR}/review`, { decision: 'return', note: `${w} 退回` }) });

    // -- agencies, guide, dashboard, audit log, oversight, calendar, accounts --
    add('GET /office/agencies', { expected: read, listed: (res, r) => res.status === 200 && res.body.includes(`/office/agencies/${code(r)}"`), run: (w) => callPage(w, 'GET', '/office/agencies') });
    add('POST /office/agencies', { expected: adminOnly, global: true, write: () => undefined, run: (w) => callPage(w, 'POST', '/office/agencies', { code: `n${w}`, name: `${w} 新机关`, kind: 'department', parentCode: '' }), authzOnly: true });
    add('GET /office/agencies/:code', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/agencies/${code(r)}`) });
    const names: Record<string, string> = { a: '甲市生态环境局', a1: '甲市生态环境局某分局', root: '甲市人民政府', b: '甲市教育局', other: '乙市人民政府' };
    add('POST /office/agencies/:code', { expected: write('editor', 'approver', 'handler', 'reviewer'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/agencies/${code(r)}`, { name: names[code(r)]!, phone: '010-12345678' }) });
    add('GET /office/guide', { expected: read, listed: (res, r) => res.status === 200 && res.body.includes(names[code(r)]!), run: (w, r) => callPage(w, 'GET', `/office/guide?agency=${code(r)}`) });
    add('POST /office/guide', { expected: write('editor', 'approver'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/guide?agency=${code(r)}`, { classification: `${w} 指南` }) });
    add('GET /office', { expected: signedIn, global: true, run: (w) => callPage(w, 'GET', '/office') });
    add('GET /office/audit', { expected: signedIn, global: true, run: (w) => callPage(w, 'GET', '/office/audit') });
    add('GET /api/v1/audit/verify', { expected: adminOnly, global: true, run: (w) => callApi(w, 'GET', '/api/v1/audit/verify') });
    add('GET /office/oversight', { expected: (w) => w === 'admin' || w === 'supervisor', global: true, run: (w) => callPage(w, 'GET', '/office/oversight') });
    add('GET /office/oversight/audit', { expected: (w) => w === 'admin' || w === 'supervisor', global: true, run: (w) => callPage(w, 'GET', '/office/oversight/audit') });
    add('GET /office/calendar', { expected: signedIn, global: true, run: (w) => callPage(w, 'GET', '/office/calendar') });
    add('POST /office/calendar', { expected: adminOnly, global: true, write: () => undefined, authzOnly: true, run: (w) => callPage(w, 'POST', '/office/calendar', { json: '' }) });
    add('GET /office/users', { expected: adminOnly, global: true, run: (w) => callPage(w, 'GET', '/office/users') });
    add('POST /office/users', { expected: adminOnly, global: true, write: () => undefined, authzOnly: true, run: (w) => callPage(w, 'POST', '/office/users', { username: `nu_${w}`, agency: 'a', role: 'editor', password: 'Test-passw0rd-long' }) });
    add('POST /office/users/:username/revoke-sessions', { expected: adminOnly, global: true, write: () => undefined, run: (w) => callPage(w, 'POST', '/office/users/victim/revoke-sessions'), authzOnly: true });
    add('POST /office/users/:username/unlock', { expected: adminOnly, global: true, write: () => undefined, run: (w) => callPage(w, 'POST', '/office/users/victim/unlock'), authzOnly: true });
    // -- reminders and 依申请转主动 --
    add('GET /office/notifications', { expected: signedIn, global: true, run: (w) => callPage(w, 'GET', '/office/notifications') });
    add('POST /office/notifications/settings/:code', { expected: write('approver'), write: () => undefined, authzOnly: true, run: (w, r) => callPage(w, 'POST', `/office/notifications/settings/${code(r)}`, { leadDays: '5,2', officeAfter: '3' }) });
    add('GET /api/v1/agencies/:code/disclosure-suggestions', { expected: read, run: (w, r) => callApi(w, 'GET', `/api/v1/agencies/${code(r)}/disclosure-suggestions`) });
    add('GET /office/suggestions', { expected: read, run: (w, r) => callPage(w, 'GET', `/office/suggestions?agency=${code(r)}`) });
    return T;
  }

  /** Every METHOD path of the application, read from printRoutes (HEAD is GET's twin). */
  function appRoutes(): string[] {
    const out = new Set<string>();
    const stack: { depth: number; path: string }[] = [];
    for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = line.match(/^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?\s*$/);
      if (!m) continue;
      const depth = m[1]!.length;
      while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
      const path = (stack.length ? stack[stack.length - 1]!.path : '') + m[2]!;
      stack.push({ depth, path });
      for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) if (method !== 'HEAD') out.add(`${method} ${path === '/*' ? '/*' : path.replace(/^\/\//, '/')}`);
    }
    return [...out].sort();
  }

  test('every route is classified: in the matrix or listed with a reason', () => {
    const routes = appRoutes();
    assert.ok(routes.length > 80, `parsed ${routes.length} routes`);
    const T = table();
    const unclassified = routes.filter((r) => !T[r] && !NOT_IN_MATRIX[r]);
    assert.deepEqual(unclassified, [], 'routes the isolation matrix does not classify: add them to table() or NOT_IN_MATRIX');
    const stale = [...Object.keys(T), ...Object.keys(NOT_IN_MATRIX)].filter((k) => !routes.includes(k));
    assert.deepEqual(stale, [], 'classified routes that no longer exist');
  });

  /** The useful part of an answer: JSON as is, a page's text without its header and navigation. */
  const brief = (body: string) => (body.startsWith('{') ? body.slice(0, 300) : body.replace(/[\s\S]*?(<[a-z]+ class="error-(?:summary|text)"|<main[^>]*>)/, '$1').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300));

  test('every cell allowed or refused as the roles say; refused writes change nothing', async () => {
    const T = table();
    const mismatches: string[] = [];
    let cells = 0;
    let variants = 0;
    for (const [key, vs] of Object.entries(T)) {
      for (const v of vs) {
        variants++;
        for (const who of WHO) {
          for (const rel of v.global ? (['own'] as Relation[]) : RELS) {
            cells++;
            const expected = v.expected(who, rel);
            await v.prepare?.(rel);
            const before = v.write && !expected ? await snapshot(await v.write(rel)) : undefined;
            const res = await v.run(who, rel);
            const refusedStatus = res.status === 403 || res.status === 404 || (res.status === 401 && who === 'anonymous') || !!v.refusedAlso?.(res);
            let allowed = v.authzOnly ? !refusedStatus && res.status < 500 : res.status < 400;
            if (v.listed && res.status === 200) allowed = v.listed(res, rel);
            const where = `${v.name ?? key} as ${who} on ${rel}: ${res.status}`;
            if (res.status >= 500) mismatches.push(`${where} (server error) ${res.body.slice(0, 200)}`);
            else if (allowed !== expected) mismatches.push(`${where} (expected ${expected ? 'allowed' : 'refused'}) ${brief(res.body)}`);
            else if (!expected && !v.listed && !refusedStatus) mismatches.push(`${where} (refused, but not with 401/403/404) ${brief(res.body)}`);
            if (before !== undefined) {
              const afterSnap = await snapshot(await v.write!(rel));
              if (afterSnap !== before) mismatches.push(`${where}: a refused write changed data`);
            }
          }
        }
      }
    }
    console.log(`isolation-all[${ENGINE}]: ${Object.keys(T).length} routes (${variants} variants) × ${WHO.length} identities × relations = ${cells} cells; mismatches ${mismatches.length}`);
    if (process.env.ISO_DUMP) (await import('node:fs')).writeFileSync(process.env.ISO_DUMP, mismatches.join('\n'));
    assert.deepEqual(mismatches, []);
  });
});
