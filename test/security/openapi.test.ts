/**
 * Security probe, finding 8 (in part), from a client's side: the API description validated by an independent
 * validator (@seriousme/openapi-schema-validator, the OpenAPI 3.0 JSON schema), every operation with an
 * operationId, every error it can answer declared in one schema, `servers` naming this site, POST /review-cases
 * declaring its 201, every success answer with its schema (no open object where the shape is known); and the errors
 * Fastify raises before and around routing (414, 400 on a URL or a JSON body that is not UTF-8, 400 on malformed
 * JSON, 413, 415, 404 under /api) in the one error shape {error:{code,reason,message}}. Every answer of the API
 * test suite is also checked against this description (test/helpers/openapi-check.ts).
 */
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('an API description a client can trust, and one error shape', () => {
  let t: TestApp;
  let doc: { servers?: { url: string }[]; paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> };
  before(async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { host: 'xxgk.example.gov.cn' } });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  });
  after(async () => t?.close());

  it('is a valid OpenAPI 3.0 document by an independent validator', async () => {
    const v = new Validator();
    const r = await v.validate(structuredClone(doc) as never);
    assert.equal(r.valid, true, JSON.stringify(r.errors, null, 1)?.slice(0, 2000));
  });

  it('every operation has a unique operationId; servers name this site; POST /review-cases declares 201', () => {
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        assert.ok(op.operationId, `${method.toUpperCase()} ${path} has no operationId`);
        ids.push(op.operationId!);
      }
    }
    assert.ok(ids.length > 20);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    assert.deepEqual(doc.servers?.map((s) => s.url), ['http://xxgk.example.gov.cn']);
    assert.ok(doc.paths['/api/v1/review-cases']!.post!.responses!['201'], 'POST /review-cases declares 201');
    assert.equal(doc.paths['/api/v1/review-cases']!.post!.responses!['200'], undefined);
    const create = (doc.paths['/api/v1/items']!.post as unknown as { requestBody: { content: Record<string, { schema: { required?: string[]; anyOf?: { required: string[] }[] } }> } }).requestBody.content['application/json']!.schema;
    assert.deepEqual(create.required, ['title']);
    assert.deepEqual(create.anyOf, [{ required: ['categoryId'] }, { required: ['category'] }]);
  });

  it('every success answer has its schema, and an object is open only where its keys are free', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.additionalProperties === true) open.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
        const ok = Object.entries(responses).filter(([code]) => code.startsWith('2'));
        assert.equal(ok.length, 1, `${method.toUpperCase()} ${path} declares one success status`);
        for (const [code, r] of ok) {
          const media = Object.entries(r.content ?? {});
          assert.ok(media.length, `${method.toUpperCase()} ${path} ${code} has content`);
          for (const [type, m] of media) assert.ok(m.schema && Object.keys(m.schema).length, `${method.toUpperCase()} ${path} ${code} ${type} has a schema`);
          walk(r.content, `${method.toUpperCase()} ${path} ${code}`);
        }
      }
    }
    // What an action recorded on a request (its own fields per action type) is the one free-form object.
    assert.deepEqual(
      open.filter((o) => !o.endsWith('/properties/events/items/properties/data')),
      [],
    );
  });

  it('every operation declares the errors it can answer, in the one error schema', () => {
    type Resp = { content?: Record<string, { schema?: { properties?: { error?: { required?: string[] } } } }> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const responses = op.responses as Record<string, Resp>;
        for (const code of ['400', '401', '404', '414', '429', '500']) {
          const schema = responses[code]?.content?.['application/json']?.schema;
          assert.deepEqual(schema?.properties?.error?.required, ['code', 'message'], `${method.toUpperCase()} ${path} ${code}`);
        }
        if (method !== 'get') assert.ok(responses['413'] && responses['415'] && responses['422'], `${method.toUpperCase()} ${path} declares 413, 415 and 422`);
      }
    }
    assert.ok((doc.paths['/api/v1/requests']!.get!.responses as Record<string, unknown>)['401'], 'a secured operation declares 401');
  });

  it('errors raised before routing answer in the one error shape', async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/v1/items/${'9'.repeat(300)}` });
    assert.equal(long.statusCode, 414);
    assert.deepEqual(long.json(), { error: { code: 'uri_too_long', reason: 'http.max_param_length', message: '请求地址过长' } });
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/items/%E0%A4%A' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'validation');
    assert.match(bad.json().error.message, /不是有效的 UTF-8/);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'not_found');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/requests', headers: { 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(1_100_000)}"}` });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'payload_too_large');
  });

  it('a body Fastify cannot take answers in the one error shape, and nothing is registered', async () => {
    await t.agency('city');
    await t.user('city', 'handler1', 'handler');
    const auth = { authorization: `Bearer ${await t.token('handler1')}` };
    const post = (headers: Record<string, string>, payload: string | Buffer) => t.app.inject({ method: 'POST', url: '/api/v1/requests', headers: { ...auth, ...headers }, payload });
    const valid = { channel: 'letter', receivedOn: '2025-03-03', applicant: { kind: 'natural_person', name: '张三' }, subject: '某事', description: '某事的文件' };
    const cases: [string, Promise<Awaited<ReturnType<typeof post>>>, number, Record<string, string>][] = [
      ['malformed JSON', post({ 'content-type': 'application/json' }, '{"channel":'), 400, { code: 'validation', reason: 'http.ctp_invalid_json_body', message: '请求内容不是有效的 JSON' }],
      ['an empty JSON body', post({ 'content-type': 'application/json' }, ''), 400, { code: 'validation', reason: 'http.ctp_empty_json_body', message: '请求内容不是有效的 JSON' }],
      // The name's bytes are Latin-1, not UTF-8: refused, never stored as U+FFFD.
      ['a JSON body that is not UTF-8', post({ 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ ...valid, applicant: { kind: 'natural_person', name: 'Zoë' } }), 'latin1')), 400, { code: 'validation', reason: 'http.invalid_utf8', message: '请求内容不是有效的 UTF-8 编码的 JSON' }],
      ['XML', post({ 'content-type': 'application/xml' }, '<request/>'), 415, { code: 'validation', reason: 'http.ctp_invalid_media_type', message: '不支持的内容类型' }],
      ['prototype poisoning', post({ 'content-type': 'application/json' }, '{"__proto__":{"admin":true}}'), 400, { code: 'validation', reason: 'http.ctp_invalid_json_body', message: '请求内容不是有效的 JSON' }],
    ];
    for (const [what, res, status, error] of cases) {
      const r = await res;
      assert.equal(r.statusCode, status, what);
      assert.match(String(r.headers['content-type']), /^application\/json/, what);
      assert.deepEqual(r.json(), { error }, what);
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/requests/1/no-such-thing', headers: auth });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'not_found');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/requests', headers: auth });
    assert.equal(list.json().total, 0, 'nothing was registered');
    // The same request in UTF-8 is taken.
    const ok = await post({ 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ ...valid, applicant: { kind: 'natural_person', name: 'Zoë' } }), 'utf8'));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().applicant.name, 'Zoë');
  });
});
