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

/** A bar chart as inline SVG (no script), with the numbers also given as text for screen readers. */
export function BarChart({ title, data, unit = '' }: { title: string; data: { label: string; value: number }[]; unit?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowH = 26;
  const labelW = 190;
  const barW = 360;
  const h = data.length * rowH + 10;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={`${title}：${data.map((d) => `${d.label} ${d.value}${unit}`).join('，')}`} viewBox={`0 0 ${labelW + barW + 80} ${h}`} width="100%">
        {data.map((d, i) => (
          <g>
            <text x={labelW - 8} y={i * rowH + 18} text-anchor="end" font-size="13" fill="#1f2937">{d.label}</text>
            <rect x={labelW} y={i * rowH + 5} width={Math.round((d.value / max) * barW)} height={rowH - 10} fill="#9f1d20" />
            <text x={labelW + Math.round((d.value / max) * barW) + 6} y={i * rowH + 18} font-size="13" fill="#1f2937">{d.value}{unit}</text>
          </g>
        ))}
      </svg>
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
