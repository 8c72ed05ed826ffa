/** Small, accessible building blocks shared by portal and office pages. */
import type { ComponentChildren } from 'preact';

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Notice({ text, kind = 'success' }: { text?: string; kind?: 'success' | 'error' | 'info' | 'warning' }) {
  if (!text) return null;
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  value?: string | number | null;
  error?: string;
  type?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  maxLength?: number;
  textarea?: boolean;
  rows?: number;
  options?: { value: string; label: string }[];
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  /** The control's id; `f-NAME` by default (what ErrorSummary links to). Give one when a page has several
   * forms with the same field names. */
  id?: string;
}

/** A labelled form field; the error is tied to the control with aria-describedby. */
export function Field(p: FieldProps) {
  const id = p.id ?? `f-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : '', p.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    'aria-invalid': p.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required ? <span class="req" aria-hidden="true"> *</span> : null}
      </label>
      {p.hint ? <p class="hint" id={`${id}-hint`}>{p.hint}</p> : null}
      {p.error ? <p class="error-text" id={`${id}-err`}>{p.error}</p> : null}
      {p.options ? (
        <select {...common}>
          {p.options.map((o) => (
            <option value={o.value} selected={String(p.value ?? '') === o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : p.textarea ? (
        <textarea {...common} rows={p.rows ?? 5} maxLength={p.maxLength}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={p.type ?? 'text'}
          value={p.value ?? ''}
          autocomplete={p.autocomplete}
          maxLength={p.maxLength}
          inputMode={p.inputMode}
        />
      )}
    </div>
  );
}

/** The error summary at the top of a form (GOV-style): links to each field in error. */
export function ErrorSummary({ errors }: { errors?: { field: string; message: string }[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>提交的信息有误，请修改后重新提交</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#f-${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Pagination({ page, pages, href }: { page: number; pages: number; href: (p: number) => string }) {
  if (pages <= 1) return null;
  const nums: number[] = [];
  for (let p = Math.max(1, page - 3); p <= Math.min(pages, page + 3); p++) nums.push(p);
  return (
    <nav class="pagination" aria-label="分页">
      {page > 1 ? <a href={href(page - 1)} rel="prev">上一页</a> : null}
      {nums.map((p) => (p === page ? <span aria-current="page">{p}</span> : <a href={href(p)}>{p}</a>))}
      {page < pages ? <a href={href(page + 1)} rel="next">下一页</a> : null}
      <span class="pages-total">共 {pages} 页</span>
    </nav>
  );
}

export function Breadcrumb({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav class="breadcrumb" aria-label="当前位置">
      <span>当前位置：</span>
      {items.map((it, i) => (
        <span>
          {i > 0 ? <span aria-hidden="true"> › </span> : null}
          {it.href ? <a href={it.href}>{it.label}</a> : <span aria-current="page">{it.label}</span>}
        </span>
      ))}
    </nav>
  );
}

/**
 * A bar chart in HTML and CSS (no script, no SVG scaling): the labels and numbers are text at the page's own
 * size, readable on a phone and in 长者模式; the bars are decoration beside them.
 */
export function BarChart({ title, data, unit = '' }: { title: string; data: { label: string; value: number }[]; unit?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <ul class="bars">
        {data.map((d) => (
          <li>
            <span class="bar-label">{d.label}</span>
            <span class="bar-track" aria-hidden="true"><span class="bar" style={`width:${((d.value / max) * 100).toFixed(1)}%`} /></span>
            <span class="bar-value">{d.value}{unit}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="panel" id={id} aria-labelledby={id ? `${id}-h` : undefined}>
      <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
      {children}
    </section>
  );
}
