/**
 * With GONGKAI_CHECK_OPENAPI=1, every answer the API test helper (app.ts api()) sees is checked against the
 * API description the app publishes: the operation must be described, the status declared, and a JSON body
 * must match the declared schema (Ajv). A mismatch fails the test that made the call.
 */
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

export const checkingOpenApi = process.env.GONGKAI_CHECK_OPENAPI === '1';

/** Throws when the answer is not what the description says (see the module comment). */
export function checkAgainstOpenApi(app: App, method: string, url: string, status: number, contentType: string, body: unknown): void {
  const path = url.split('?')[0]!;
  if (!path.startsWith('/api/') || path === '/api/v1/openapi.json') return;
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
