/**
 * Office forms (HTML, urlencoded or multipart) with a TypeBox body schema, answered the way a person at a
 * browser needs: a post that does not fit the form is never a JSON 400. The route's `invalid` shows the form
 * again — status 400, a Chinese message naming the field, what was typed kept — or, for a form of buttons
 * only, the one error handler shows the Chinese error page. Either way the handler does not run, so nothing
 * is changed.
 *
 *   const ReviewForm = formSchema({ kind: Form.choice('案件类型', REVIEW_KINDS, { empty: true }), notes: Form.text('备注', { maxLength: 2000 }) });
 *   app.post('/office/reviews', formRoute(ReviewForm, { invalid: (req, reply, e) => showForm(req, reply, e) }), async (req, reply) => {
 *     req.body.kind … // typed, checked
 *   });
 *
 * What a browser sends, and so what the schemas here accept: every value is a string ('' for an input left
 * empty; numbers and dates too, converted by the handler); a field that may repeat (checkboxes of one name)
 * arrives as one string or several, and is always given to the handler as a list; a field the form does
 * not have is refused (the CSRF field `_csrf` is every form's). Text is trimmed unless declared `raw`.
 */
import { Type, type Static, type TObject, type TProperties, type TSchema, type TString, type TArray, type TLiteral, type TUnion, type TOptional, type TUint8Array, type TBoolean } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.js';
import { requireActor } from './types.js';

/** Not trimmed (passwords, HTML bodies). */
const RAW = 'x-raw';
/** The Chinese description of what the field must look like, for the message when it does not. */
const EXPECT = 'x-expect';

const DATE = '^(\\d{4}-\\d{2}-\\d{2})?$';

/** The fields of a form, as a browser sends them. The label (`title`) is what the messages call the field. */
export const Form = {
  /** A text input or textarea; '' when left empty. `required`: must be sent and not blank. */
  text: (title: string, o: { maxLength?: number; required?: boolean; raw?: boolean } = {}) =>
    Type.String({ title, maxLength: o.maxLength ?? 2000, ...(o.required ? { minLength: 1, pattern: '\\S' } : {}), ...(o.raw ? { [RAW]: true } : {}) }),
  /** A password: never trimmed. */
  password: (title: string, o: { maxLength?: number } = {}) => Type.String({ title, maxLength: o.maxLength ?? 200, [RAW]: true }),
  /** A date input (YYYY-MM-DD); '' when left empty unless `required`. */
  date: (title: string, o: { required?: boolean } = {}) =>
    Type.String({ title, pattern: o.required ? DATE.replace('(', '').replace(')?', '') : DATE, [EXPECT]: '日期，格式为 年-月-日（如 2025-03-01）' }),
  /** A whole number typed or chosen (an id, a year, a count); '' when left empty unless `required`. */
  integer: (title: string, o: { required?: boolean; digits?: number } = {}) =>
    Type.String({ title, pattern: `^\\d{${o.required ? 1 : 0},${o.digits ?? 9}}$`, [EXPECT]: '整数' }),
  /** A select or a radio group: one of the values (or '' when `empty`, the "请选择" option). */
  choice: <const V extends readonly string[], E extends boolean = false>(title: string, values: V, o: { empty?: E } = {}) =>
    Type.Union([...values, ...(o.empty ? [''] : [])].map((v) => Type.Literal(v)), { title }) as TUnion<TLiteral<E extends true ? V[number] | '' : V[number]>[]>,
  /** A checkbox: its value when ticked, absent when not. */
  flag: (title: string, value = '1') => Type.Optional(Type.Literal(value, { title })),
  /** Checkboxes or a multiple select of one name: the ticked values, always a list (empty when none). */
  list: <T extends TSchema>(title: string, item: T, o: { maxItems?: number } = {}) => Type.Array(item, { title, maxItems: o.maxItems ?? 500 }),
  /** A file input of a multipart form (src/http/uploads.ts reads it into memory). */
  file: (title: string) =>
    Type.Object(
      // overTotal: a route that bounds a whole upload (several files) marks the files read past that bound.
      { fileName: Type.String(), data: Type.Uint8Array(), truncated: Type.Boolean(), overTotal: Type.Optional(Type.Boolean()) },
      { title, additionalProperties: false },
    ) as TObject<{ fileName: TString; data: TUint8Array; truncated: TBoolean; overTotal: TOptional<TBoolean> }>,
  optional: <T extends TSchema>(t: T) => Type.Optional(t),
};

/** The bytes of a file field, as the use cases take them (uploads.ts reads them into a Buffer). */
export const asBuffer = (data: Uint8Array): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));

/** A form: its fields and the CSRF token, nothing else. */
export function formSchema<P extends TProperties>(fields: P) {
  return Type.Object({ ...fields, _csrf: Type.Optional(Type.String({ title: '防伪令牌', maxLength: 200 })) }, { additionalProperties: false });
}

/** A form of buttons only: the CSRF token and no field. */
export const ButtonsOnly = formSchema({});

function labelOf(schema: TSchema | undefined, key: string): string {
  return typeof schema?.title === 'string' ? schema.title : key;
}

function messageOf(e: ValueError, key: string, property: TSchema | undefined): string {
  const label = `“${labelOf(property, key)}”`;
  const s = e.schema as Record<string, unknown>;
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return `表单含有本页没有的字段“${key.slice(0, 40)}”，请刷新页面后重新填写提交`;
    case ValueErrorType.ObjectRequiredProperty:
      return `请填写${label}`;
    case ValueErrorType.StringMaxLength:
      return `${label}不能超过 ${String(s.maxLength)} 个字`;
    case ValueErrorType.StringMinLength:
      return `请填写${label}`;
    case ValueErrorType.StringPattern:
      return s.pattern === '\\S' ? `请填写${label}` : `${label}格式不正确${s[EXPECT] ? `，应为${String(s[EXPECT])}` : ''}`;
    case ValueErrorType.Union:
    case ValueErrorType.Literal:
      return `${label}的取值不在可选范围内，请重新选择`;
    case ValueErrorType.ArrayMaxItems:
      return `${label}最多选择 ${String(s.maxItems)} 项`;
    case ValueErrorType.String:
      return Array.isArray(e.value) ? `${label}只能填写一项` : `${label}应为文字`;
    default:
      return `${label}的内容不合法`;
  }
}

/** The schema errors as field errors of the one error type, one per field, in the form's order. */
function fieldErrors(schema: TObject, errors: Iterable<ValueError>): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.path === '') {
      out.push({ field: '', message: '提交的内容不是表单，请从页面重新提交' });
      break;
    }
    const key = (e.path.split('/')[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: key, message: messageOf(e, key, schema.properties[key]) });
    if (out.length >= 20) break;
  }
  return out;
}

const isArraySchema = (s: TSchema | undefined) => s?.type === 'array';

/**
 * The validator of a form route (Fastify's `validatorCompiler`): shapes what the browser sent (a single value
 * of a repeated field becomes a list, text is trimmed), then checks it against the whole schema, reporting
 * every field that does not fit, as an AppError('validation') with Chinese messages.
 */
export function formValidator({ schema }: { schema: unknown }) {
  const s = schema as TObject;
  const check = TypeCompiler.Compile(s);
  return (data: unknown) => {
    let value = data;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const shaped: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
        const p = Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
        let x = isArraySchema(p) && !Array.isArray(v) ? (v === undefined ? [] : [v]) : v;
        const trim = (t: unknown) => (typeof t === 'string' ? t.trim() : t);
        if (p && !(p as Record<string, unknown>)[RAW]) x = Array.isArray(x) && isArraySchema(p) ? x.map(trim) : trim(x);
        shaped[k] = x;
      }
      value = shaped;
    }
    if (check.Check(value)) return { value };
    const fields = fieldErrors(s, check.Errors(value));
    return { error: new AppError('validation', `提交的信息有误：${fields.map((f) => f.message).join('；')}`, { fields, reason: 'form.invalid' }) };
  };
}

export interface FormRouteOptions {
  /**
   * Show the form again, with the errors (`e.fields`) beside their fields and what was typed (read from
   * `req.body`, which is what the browser sent): status 400. Without it, the Chinese error page.
   */
  invalid?: (req: FastifyRequest, reply: FastifyReply, e: AppError) => unknown;
  /** A form for people not signed in (the login form); office forms require a signed-in account first. */
  public?: boolean;
  config?: Record<string, unknown>;
}

/** The options of an office form route: its body schema, checked by formValidator, and what a misfit gets. */
export function formRoute<S extends TObject>(body: S, opts: FormRouteOptions = {}) {
  return {
    schema: { hide: true, body },
    attachValidation: true,
    validatorCompiler: formValidator,
    ...(opts.config ? { config: opts.config } : {}),
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      const err = req.validationError;
      if (!err) return;
      // Someone not signed in is sent to the login form, not told about the form's fields.
      if (!opts.public) requireActor(req);
      const e = err instanceof AppError ? err : new AppError('validation', '提交的信息有误，请检查后重新提交', { reason: 'form.invalid' });
      if (!opts.invalid) throw e;
      await opts.invalid(req, reply, e);
      return reply;
    },
  };
}

/** What was ticked in a repeated field, for showing the form again. */
export function typedList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const v = (body as Record<string, unknown>)[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

export type FormBody<S extends TObject> = Static<S>;
