/**
 * Security probe, finding 8 (in part), from a client's side: the API description validated by an independent
 * validator (@seriousme/openapi-schema-validator, the OpenAPI 3.0 JSON schema), every operation with an
 * operationId, every error it can answer declared in one schema, `servers` naming this site, POST /review-cases
 * declaring its 201; and the errors Fastify raises
 * before routing (414, 400 on a URL that is not UTF-8) in the one error shape {error:{code,reason,message}}.
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

  it('every operation declares the errors it can answer, in the one error schema', () => {
    type Resp = { content?: Record<string, { schema?: { properties?: { error?: { required?: string[] } } } }> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const responses = op.responses as Record<string, Resp>;
        for (const code of ['400', '404', '429', '500']) {
          const schema = responses[code]?.content?.['application/json']?.schema;
          assert.deepEqual(schema?.properties?.error?.required, ['code', 'message'], `${method.toUpperCase()} ${path} ${code}`);
        }
        if (method !== 'get') assert.ok(responses['413'] && responses['422'], `${method.toUpperCase()} ${path} declares 413 and 422`);
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
});
