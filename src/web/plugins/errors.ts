/**
 * The one error handler: AppError codes → HTTP status and the Chinese message; schema validation errors
 * → 400 with a Chinese explanation; anything else → 500 without internals. JSON for /api, a page
 * otherwise; an unauthenticated office page redirects to the login form.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { ErrorPage } from '../pages/error-page.js';
import { pageEnv } from '../../http/page-env.js';

const AJV_MESSAGES: Record<string, (p: Record<string, unknown>) => string> = {
  required: (p) => `缺少必填字段 ${String(p.missingProperty)}`,
  type: (p) => `类型应为 ${String(p.type)}`,
  minLength: (p) => `长度不能少于 ${String(p.limit)}`,
  maxLength: (p) => `长度不能超过 ${String(p.limit)}`,
  minimum: (p) => `不能小于 ${String(p.limit)}`,
  maximum: (p) => `不能大于 ${String(p.limit)}`,
  enum: (p) => `取值应为 ${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''} 之一`,
  pattern: () => '格式不正确',
  format: (p) => `格式应为 ${String(p.format)}`,
  additionalProperties: (p) => `不允许的字段 ${String(p.additionalProperty)}`,
  const: (p) => `取值应为 ${String(p.allowedValue)}`,
  anyOf: () => '缺少必填字段（须给出其中之一）',
};

function validationMessage(err: FastifyError): { message: string; fields: { field: string; message: string }[] } {
  const list = (err.validation ?? []).map((v) => {
    const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String((v.params as any)?.missingProperty ?? '');
    const text = AJV_MESSAGES[v.keyword]?.(v.params as Record<string, unknown>) ?? '取值不合法';
    return { field, message: field && v.keyword !== 'required' ? `字段 ${field}：${text}` : text };
  });
  return { message: `请求内容不合法：${list.map((l) => l.message).join('；') || '格式错误'}`, fields: list };
}

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.authVia === 'token' || !String(req.headers.accept ?? '').includes('text/html');
}

export async function errorHandler(this: unknown, err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let body: { code: string; reason?: string; message: string; fields?: { field: string; message: string }[] };
  if (err instanceof AppError) {
    status = err.status;
    body = { code: err.code, reason: err.reason, message: err.message, fields: err.fields };
  } else if ((err as FastifyError).validation) {
    status = 400;
    body = { code: 'validation', ...validationMessage(err as FastifyError) };
  } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
    status = (err as FastifyError).statusCode!;
    const code = (err as FastifyError).code;
    const message =
      status === 413 ? '提交的内容过大' :
      status === 414 ? '请求地址过长' :
      code === 'FST_ERR_BAD_URL' ? '请求地址含有无效的编码（不是有效的 UTF-8）' :
      status === 415 ? '不支持的内容类型' :
      status === 429 ? '请求过于频繁，请稍后再试' :
      code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? '请求内容不是有效的 JSON' :
      status === 404 ? '页面不存在' : '请求无法处理';
    body = {
      code: status === 429 ? 'rate_limited' : status === 413 ? 'payload_too_large' : status === 414 ? 'uri_too_long' : status === 404 ? 'not_found' : 'validation',
      reason: code ? `http.${code.replace(/^FST_ERR_/, '').toLowerCase()}` : undefined,
      message,
    };
  } else {
    status = 500;
    req.log.error({ err }, 'unhandled error');
    body = { code: 'internal', message: `服务器内部错误，请稍后再试（请求编号 ${req.id}）` };
  }

  if (status === 401 && !wantsJson(req) && req.url.startsWith('/office')) {
    return reply.redirect(`/office/login?next=${encodeURIComponent(req.url)}`, 303);
  }
  reply.code(status);
  if (wantsJson(req)) return reply.send({ error: body });
  return reply.page(h(ErrorPage, { env: pageEnv(req), status, message: body.message, office: req.url.startsWith('/office') }), { status });
}

/**
 * Errors Fastify raises before routing (a URL that is not valid UTF-8, a path parameter over the length limit):
 * the same error shape as every other answer.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  // The reply here is Fastify's bare one (no decorators: no reply.page): a page is written by hand.
  if (typeof (reply as { page?: unknown }).page === 'function') return errorHandler.call(undefined, err, req, reply);
  const status = err.statusCode ?? 400;
  const message = status === 414 ? '请求地址过长' : '请求地址含有无效的编码（不是有效的 UTF-8）';
  const code = status === 414 ? 'uri_too_long' : 'validation';
  reply.code(status).header('cache-control', 'no-store');
  if (req.url.startsWith('/api/') || !String(req.headers.accept ?? '').includes('text/html')) {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify({ error: { code, reason: `http.${String(err.code).replace(/^FST_ERR_/, '').toLowerCase()}`, message } }));
  }
  return reply
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求无法处理</title></head><body><main><h1>请求无法处理</h1><p>${message}</p><p><a href="/">返回首页</a></p></main></body></html>`);
}

export async function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  const message = '您访问的页面不存在或已被移除';
  reply.code(404);
  if (wantsJson(req)) return reply.send({ error: { code: 'not_found', message } });
  return reply.page(h(ErrorPage, { env: pageEnv(req), status: 404, message, office: req.url.startsWith('/office') }), { status: 404 });
}
