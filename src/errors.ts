/**
 * The one error type of gongkai. Domain code throws `AppError` with a stable code; the web edge maps the
 * code to an HTTP status (here, in one table) and shows the Chinese message; the CLI prints the message
 * and exits non-zero. Domain code never throws HTTP errors.
 */

export const ERROR_STATUS = {
  validation: 400, // 输入不合法
  unauthenticated: 401, // 未登录
  forbidden: 403, // 无权限
  csrf: 403, // 表单已过期
  not_found: 404,
  conflict: 409, // 重复、状态不允许
  locked: 423, // 年度已锁定
  rate_limited: 429,
  calendar_not_covered: 422, // 节假日安排未覆盖
  unprocessable: 422, // 法定规则不允许的操作
  payload_too_large: 413,
  unsupported_media: 415,
  internal: 500,
  unavailable: 503, // 暂时无法完成（如检索超时）
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** A finer, stable reason code (e.g. 'request.reply_twice'); the API returns it as `reason`. */
  readonly reason?: string;
  readonly fields?: FieldError[];

  constructor(code: ErrorCode, message: string, opts: { reason?: string; fields?: FieldError[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.reason = opts.reason;
    this.fields = opts.fields;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what}不存在`);
export const forbidden = (message = '您没有执行此操作的权限') => new AppError('forbidden', message);
export const invalid = (message: string, fields?: FieldError[], reason?: string) =>
  new AppError('validation', message, { fields, reason });
export const conflict = (message: string, reason?: string) => new AppError('conflict', message, { reason });
