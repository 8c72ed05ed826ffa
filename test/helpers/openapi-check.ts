/**
 * Every answer the API test helper (app.ts api()) sees is checked against the API description the app
 * publishes: the operation must be described, the status declared, and a JSON body must match the declared
 * schema (Ajv). A mismatch fails the test that made the call.
 *
 * A response schema also decides what is sent (Fastify serializes through it and drops what it does not
 * name), so a schema narrower than the handler's answer would silently change the API. watchSerialization()
 * compares, for every /api/ answer, the handler's value with what went out; a difference fails the call too.
 */
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import type { App } from '../../src/http/types.js';

interface Op {
  re: RegExp;
  method: string;
  template: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

const cache = new WeakMap<App, { ops: Op[]; ajv: Ajv; compiled: Map<string, ValidateFunction> }>();

function described(app: App) {
  let c = cache.get(app);
  if (!c) {
    const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { responses?: Op['responses'] }>> };
    const ops: Op[] = [];
    for (const [template, methods] of Object.entries(doc.paths)) {
      const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) ops.push({ re, method: method.toUpperCase(), template, responses: op.responses ?? {} });
    }
    // Fixed segments before parameters: /requests/batch before /requests/{id}.
    ops.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    c = { ops, ajv: new Ajv({ strict: false, allErrors: true }), compiled: new Map() };
    cache.set(app, c);
  }
  return c;
}

const LOSS_HEADER = 'x-test-serialization-loss';

/** Marks an /api/ answer whose serialized body differs from the handler's value (see the module comment). */
export function watchSerialization(app: App): void {
  const raw = new WeakMap<object, unknown>();
  app.addHook('preSerialization', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) raw.set(reply, payload);
    return payload;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!raw.has(reply) || typeof payload !== 'string') return payload;
    const before: unknown = JSON.parse(JSON.stringify(raw.get(reply)) ?? 'null');
    let after: unknown;
    try {
      after = JSON.parse(payload);
    } catch {
      after = payload;
    }
    if (!isDeepStrictEqual(before, after)) reply.header(LOSS_HEADER, encodeURIComponent(firstDifference(before, after, '') || '(root)'));
    return payload;
  });
}

function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
      if (d) return d;
    }
  }
  return `${at || '/'}: ${JSON.stringify(a)?.slice(0, 80)} → ${JSON.stringify(b)?.slice(0, 80)}`;
}

/** Throws when the answer is not what the description says (see the module comment). */
export function checkAgainstOpenApi(app: App, method: string, url: string, status: number, headers: Record<string, unknown>, body: unknown): void {
  const path = url.split('?')[0]!;
  if (!path.startsWith('/api/') || path === '/api/v1/openapi.json') return;
  const contentType = String(headers['content-type'] ?? '');
  if (headers[LOSS_HEADER]) throw new Error(`OpenAPI: ${method} ${path} ${status}: the response schema changed the handler's answer at ${decodeURIComponent(String(headers[LOSS_HEADER]))}`);
  const c = described(app);
  const op = c.ops.find((o) => o.method === method.toUpperCase() && o.re.test(path));
  if (!op) throw new Error(`OpenAPI: ${method} ${path} is not described`);
  const declared = op.responses[String(status)] ?? op.responses.default;
  if (!declared) throw new Error(`OpenAPI: ${method} ${op.template} answered ${status}, which it does not declare (${Object.keys(op.responses).join(', ')})`);
  const schema = declared.content?.['application/json']?.schema;
  if (!schema || !contentType.startsWith('application/json')) return;
  const key = `${op.method} ${op.template} ${status}`;
  let validate = c.compiled.get(key);
  if (!validate) c.compiled.set(key, (validate = c.ajv.compile(schema)));
  if (!validate(body)) throw new Error(`OpenAPI: ${key}: the body does not match the declared schema: ${c.ajv.errorsText(validate.errors)}`);
}
