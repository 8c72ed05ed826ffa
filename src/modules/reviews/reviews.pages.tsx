/** Office pages of 行政复议和行政诉讼 (table 四). */
import { BarChart, Breadcrumb, Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { REVIEW_KINDS, REVIEW_KIND_LABELS, REVIEW_RESULTS, REVIEW_RESULT_LABELS, type ReviewCase, type ReviewList } from './reviews.service.js';

type Errors = { field: string; message: string }[] | undefined;

function CaseFields({ v, errors, withAgency, agencies }: { v: (k: string) => string; errors: Errors; withAgency: boolean; agencies?: { code: string; name: string }[] }) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  return (
    <>
      {withAgency && agencies ? <Field name="agency" label="被申请（被诉）机关（未关联申请时）" value={v('agency')} error={err('agency')} options={agencies.map((a) => ({ value: a.code, label: a.name }))} /> : null}
      <Field name="trackingNo" label="所涉申请的登记编号" value={v('trackingNo')} error={err('trackingNo')} maxLength={40} hint="关联后，结果为纠正时原申请自动转为重新办理" />
      <Field name="kind" label="案件类型" required value={v('kind')} error={err('kind')} options={[{ value: '', label: '请选择' }, ...REVIEW_KINDS.map((k) => ({ value: k, label: REVIEW_KIND_LABELS[k] }))]} />
      <Field name="caseNo" label="案号" value={v('caseNo')} error={err('caseNo')} maxLength={100} />
      <Field name="body" label="复议机关或人民法院" value={v('body')} error={err('body')} maxLength={100} />
      <Field name="filedOn" label="受理（立案）日期" type="date" required value={v('filedOn')} error={err('filedOn')} />
      <Field name="result" label="结果" required value={v('result') || 'pending'} error={err('result')} options={REVIEW_RESULTS.map((k) => ({ value: k, label: REVIEW_RESULT_LABELS[k] }))} />
      <Field name="concludedOn" label="审结日期" type="date" value={v('concludedOn')} error={err('concludedOn')} hint="尚未审结的不填" />
      <Field name="notes" label="备注" textarea rows={3} value={v('notes')} error={err('notes')} maxLength={2000} />
    </>
  );
}

export function ReviewListPage({ env, list, query, values, errors }: { env: PageEnv; list: ReviewList; query: Record<string, string>; values: Record<string, string>; errors?: Errors }) {
  const v = (k: string) => values[k] ?? '';
  const byKind = REVIEW_KINDS.map((k) => ({ label: REVIEW_KIND_LABELS[k], value: list.counts.filter((c) => c.kind === k).reduce((s, c) => s + c.n, 0) }));
  const byResult = REVIEW_RESULTS.map((r) => ({ label: REVIEW_RESULT_LABELS[r], value: list.counts.filter((c) => c.result === r).reduce((s, c) => s + c.n, 0) }));
  return (
    <OfficeLayout title="行政复议和行政诉讼" env={env}>
      <Breadcrumb items={[{ label: '依申请公开', href: '/office/requests' }, { label: '行政复议和行政诉讼' }]} />
      <h1>行政复议和行政诉讼</h1>
      <section class="panel">
        <h2>案件统计（全部年度）</h2>
        <table>
          <thead><tr><th scope="col">类型</th>{REVIEW_RESULTS.map((r) => <th scope="col" class="num">{REVIEW_RESULT_LABELS[r]}</th>)}<th scope="col" class="num">总计</th></tr></thead>
          <tbody>
            {REVIEW_KINDS.map((k) => (
              <tr>
                <th scope="row">{REVIEW_KIND_LABELS[k]}</th>
                {REVIEW_RESULTS.map((r) => <td class="num">{list.counts.find((c) => c.kind === k && c.result === r)?.n ?? 0}</td>)}
                <td class="num">{list.counts.filter((c) => c.kind === k).reduce((s, c) => s + c.n, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="grid">
          <BarChart title="按类型" unit="件" data={byKind} />
          <BarChart title="按结果" unit="件" data={byResult} />
        </div>
      </section>
      <section class="panel">
        <h2>案件列表</h2>
        <form method="get" action="/office/reviews" class="filters">
          <Field name="year" label="受理年度" value={query.year ?? ''} maxLength={4} inputMode="numeric" />
          <Field name="filterKind" label="类型" value={query.filterKind ?? ''} options={[{ value: '', label: '全部' }, ...REVIEW_KINDS.map((k) => ({ value: k, label: REVIEW_KIND_LABELS[k] }))]} />
          <Field name="filterResult" label="结果" value={query.filterResult ?? ''} options={[{ value: '', label: '全部' }, ...REVIEW_RESULTS.map((k) => ({ value: k, label: REVIEW_RESULT_LABELS[k] }))]} />
          <button type="submit">筛选</button>
        </form>
        {list.cases.length ? (
          <table>
            <thead><tr><th scope="col">类型</th><th scope="col">机关</th><th scope="col">案号</th><th scope="col">所涉申请</th><th scope="col">受理日期</th><th scope="col">结果</th><th scope="col">审结日期</th></tr></thead>
            <tbody>
              {list.cases.map((c) => (
                <tr>
                  <td><a href={`/office/reviews/${c.id}`}>{REVIEW_KIND_LABELS[c.kind as 'reconsideration'] ?? c.kind}</a></td>
                  <td>{c.agencyName}</td>
                  <td>{c.caseNo ?? '—'}</td>
                  <td>{c.requestId ? <a href={`/office/requests/${c.requestId}`}>{c.trackingNo}</a> : '—'}</td>
                  <td>{c.filedOn}</td>
                  <td>{REVIEW_RESULT_LABELS[c.result as 'pending'] ?? c.result}</td>
                  <td>{c.concludedOn ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p>没有案件。</p>}
      </section>
      {list.canRecord ? (
        <section class="panel" id="new">
          <h2>登记案件</h2>
          <ErrorSummary errors={errors} />
          <form method="post" action="/office/reviews" novalidate>
            <Csrf token={env.csrfToken} />
            <CaseFields v={v} errors={errors} withAgency agencies={list.agencies} />
            <button type="submit">登记</button>
          </form>
        </section>
      ) : null}
    </OfficeLayout>
  );
}

export function ReviewDetailPage({ env, c, values, errors }: { env: PageEnv; c: ReviewCase; values?: Record<string, string>; errors?: Errors }) {
  const current: Record<string, string> = { trackingNo: c.trackingNo ?? '', kind: c.kind, caseNo: c.caseNo ?? '', body: c.body ?? '', filedOn: c.filedOn, result: c.result, concludedOn: c.concludedOn ?? '', notes: c.notes ?? '' };
  const v = (k: string) => (values ? (values[k] ?? '') : (current[k] ?? ''));
  return (
    <OfficeLayout title="案件" env={env}>
      <Breadcrumb items={[{ label: '行政复议和行政诉讼', href: '/office/reviews' }, { label: c.caseNo ?? `案件 ${c.id}` }]} />
      <h1>{REVIEW_KIND_LABELS[c.kind as 'reconsideration'] ?? c.kind}{c.caseNo ? ` ${c.caseNo}` : ''}</h1>
      <section class="panel">
        <h2>案件信息</h2>
        <table>
          <tbody>
            <tr><th scope="row">机关</th><td>{c.agencyName}</td></tr>
            <tr><th scope="row">所涉申请</th><td>{c.requestId ? <a href={`/office/requests/${c.requestId}`}>{c.trackingNo}</a> : '—'}</td></tr>
            <tr><th scope="row">复议机关或法院</th><td>{c.body ?? '—'}</td></tr>
            <tr><th scope="row">受理日期</th><td>{c.filedOn}</td></tr>
            <tr><th scope="row">结果</th><td>{REVIEW_RESULT_LABELS[c.result as 'pending'] ?? c.result}</td></tr>
            <tr><th scope="row">审结日期</th><td>{c.concludedOn ?? '—'}</td></tr>
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>更新案件</h2>
        <ErrorSummary errors={errors} />
        <form method="post" action={`/office/reviews/${c.id}`} novalidate>
          <Csrf token={env.csrfToken} />
          <CaseFields v={v} errors={errors} withAgency={false} />
          <button type="submit">保存</button>
        </form>
      </section>
    </OfficeLayout>
  );
}
