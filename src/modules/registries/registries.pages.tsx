import { BarChart, Breadcrumb, Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import {
  CHANNEL_LABELS,
  CHANNELS,
  DECISION_KIND_LABELS,
  DECISION_KINDS,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  type RegistryOverview,
} from './registries.service.js';

export type FormName = 'document' | 'decision' | 'fee' | 'media';

export interface RegistriesPageProps {
  env: PageEnv;
  view: RegistryOverview;
  agencies: { code: string; name: string }[];
  form?: FormName;
  errors?: { field: string; message: string }[];
  values?: Record<string, string>;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

export function RegistriesPage({ env, view, agencies, form, errors, values }: RegistriesPageProps) {
  const { agency, year, proactive: p } = view;
  const q = `agency=${encodeURIComponent(agency.code)}&year=${year}`;
  const errs = (f: FormName) => (form === f ? errors : undefined);
  const err = (f: FormName, field: string) => errs(f)?.find((e) => e.field === field)?.message;
  const val = (f: FormName, field: string, dflt = '') => (form === f ? values?.[field] ?? dflt : dflt);
  return (
    <OfficeLayout title="主动公开登记" env={env}>
      <Breadcrumb items={[{ label: '工作台', href: '/office' }, { label: '主动公开登记（年报表二）' }]} />
      <h1>主动公开登记：{agency.name}</h1>
      <p class="muted">
        这里登记的规章和行政规范性文件、行政许可 / 处罚 / 强制决定、行政事业性收费和新媒体发布，直接生成年度报告“二、主动公开政府信息情况”的表格（条例第二十条第（一）（五）（六）（八）项）。其他系统可通过
        <code>POST /api/v1/registries/…</code> 推送。
      </p>
      <form method="get" action="/office/registries" class="inline-form">
        <label for="ra">机构</label>
        <select id="ra" name="agency">
          {agencies.map((a) => (
            <option value={a.code} selected={a.code === agency.code}>{a.name}</option>
          ))}
        </select>
        <label for="ry">年度</label>
        <input id="ry" name="year" type="number" min="2008" max="2100" value={String(year)} inputMode="numeric" />
        <button type="submit">查看</button>
      </form>

      <section class="panel" aria-labelledby="t2-h">
        <h2 id="t2-h">{year} 年度表二（按登记自动统计）</h2>
        <table>
          <caption class="visually-hidden">第二十条第（一）项</caption>
          <thead>
            <tr><th scope="col">信息内容</th><th scope="col">本年制发件数</th><th scope="col">本年废止件数</th><th scope="col">现行有效件数</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">规章</th><td>{p.rules.issued}</td><td>{p.rules.abolished}</td><td>{p.rules.inForce}</td></tr>
            <tr><th scope="row">行政规范性文件</th><td>{p.normativeDocuments.issued}</td><td>{p.normativeDocuments.abolished}</td><td>{p.normativeDocuments.inForce}</td></tr>
          </tbody>
        </table>
        <table>
          <thead><tr><th scope="col">信息内容</th><th scope="col">本年处理决定数量</th></tr></thead>
          <tbody>
            <tr><th scope="row">行政许可</th><td>{p.licensing.decisions}</td></tr>
            <tr><th scope="row">行政处罚</th><td>{p.penalties.decisions}</td></tr>
            <tr><th scope="row">行政强制</th><td>{p.enforcement.decisions}</td></tr>
          </tbody>
        </table>
        <table>
          <thead><tr><th scope="col">信息内容</th><th scope="col">本年收费金额（单位：万元）</th></tr></thead>
          <tbody><tr><th scope="row">行政事业性收费</th><td>{p.fees.amount10kYuan}</td></tr></tbody>
        </table>
        <BarChart
          title={`${year} 年处理决定数量`}
          data={[
            { label: '行政许可', value: p.licensing.decisions },
            { label: '行政处罚', value: p.penalties.decisions },
            { label: '行政强制', value: p.enforcement.decisions },
          ]}
          unit="件"
        />
        <BarChart title={`${year} 年新媒体发布条数`} data={CHANNELS.map((c) => ({ label: CHANNEL_LABELS[c], value: view.newMedia[c] }))} unit="条" />
      </section>

      <section class="panel" aria-labelledby="docs-h">
        <h2 id="docs-h">规章和行政规范性文件</h2>
        {view.documents.length === 0 ? <p class="muted">尚未登记。</p> : (
          <table>
            <thead><tr><th scope="col">类别</th><th scope="col">名称</th><th scope="col">文号</th><th scope="col">制发日期</th><th scope="col">废止日期</th></tr></thead>
            <tbody>
              {view.documents.map((d) => (
                <tr>
                  <td>{DOCUMENT_KIND_LABELS[d.kind]}</td>
                  <td>{d.title}</td>
                  <td>{d.docNumber ?? '—'}</td>
                  <td>{d.issuedOn}</td>
                  <td>
                    {d.abolishedOn ?? (view.canWrite ? (
                      <form method="post" action={`/office/registries/documents/${d.id}/abolish?${q}`} class="inline-form">
                        <Csrf token={env.csrfToken} />
                        <label for={`ab-${d.id}`} class="visually-hidden">{`“${d.title}”的废止日期`}</label>
                        <input id={`ab-${d.id}`} name="abolishedOn" type="date" required />
                        <button type="submit" class="secondary">登记废止</button>
                      </form>
                    ) : <span class="badge">现行有效</span>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.canWrite ? (
          <form method="post" action={`/office/registries/documents?${q}`}>
            <h3>登记文件</h3>
            <ErrorSummary errors={errs('document')} />
            <Csrf token={env.csrfToken} />
            <Field name="kind" label="类别" required value={val('document', 'kind', 'normative_document')} error={err('document', 'kind')} options={DOCUMENT_KINDS.map((k) => ({ value: k, label: DOCUMENT_KIND_LABELS[k] }))} />
            <Field name="title" label="文件名称" required value={val('document', 'title')} error={err('document', 'title')} maxLength={300} />
            <Field name="docNumber" label="文号" value={val('document', 'docNumber')} error={err('document', 'docNumber')} maxLength={100} />
            <Field name="issuedOn" label="制发日期" type="date" required value={val('document', 'issuedOn')} error={err('document', 'issuedOn')} />
            <Field name="abolishedOn" label="废止日期（已废止的填写）" type="date" value={val('document', 'abolishedOn')} error={err('document', 'abolishedOn')} />
            <button type="submit">登记</button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="dec-h">
        <h2 id="dec-h">行政许可、行政处罚、行政强制决定</h2>
        {view.decisions.length === 0 ? <p class="muted">尚未登记。</p> : (
          <table>
            <thead><tr><th scope="col">类别</th><th scope="col">决定日期</th><th scope="col">数量</th><th scope="col">文号 / 事项</th><th scope="col">来源</th></tr></thead>
            <tbody>
              {view.decisions.map((d) => (
                <tr>
                  <td>{DECISION_KIND_LABELS[d.kind]}</td>
                  <td>{d.decidedOn}</td>
                  <td>{d.count}</td>
                  <td>{[d.docNumber, d.subject].filter(Boolean).join(' ') || '—'}</td>
                  <td>{d.source === 'imported_total' ? '年度汇总导入' : '逐件登记'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.canWrite ? (
          <form method="post" action={`/office/registries/decisions?${q}`}>
            <h3>登记决定</h3>
            <ErrorSummary errors={errs('decision')} />
            <Csrf token={env.csrfToken} />
            <Field name="kind" label="类别" required value={val('decision', 'kind', 'licensing')} error={err('decision', 'kind')} options={DECISION_KINDS.map((k) => ({ value: k, label: DECISION_KIND_LABELS[k] }))} />
            <Field name="decidedOn" label="决定日期" type="date" value={val('decision', 'decidedOn')} error={err('decision', 'decidedOn')} hint="逐件登记时填写；导入年度汇总数时留空并填写“年度”" />
            <Field name="year" label="年度（导入年度汇总数时填写）" value={val('decision', 'year')} error={err('decision', 'year')} inputMode="numeric" maxLength={4} />
            <Field name="count" label="数量" value={val('decision', 'count', '1')} error={err('decision', 'count')} inputMode="numeric" />
            <Field name="docNumber" label="决定文号" value={val('decision', 'docNumber')} error={err('decision', 'docNumber')} maxLength={100} />
            <Field name="subject" label="事项" value={val('decision', 'subject')} error={err('decision', 'subject')} maxLength={200} />
            <button type="submit">登记</button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="fee-h">
        <h2 id="fee-h">行政事业性收费</h2>
        {view.fees.length === 0 ? <p class="muted">尚未登记。</p> : (
          <table>
            <thead><tr><th scope="col">收费日期</th><th scope="col">金额（元）</th><th scope="col">收费项目</th></tr></thead>
            <tbody>
              {view.fees.map((f) => (
                <tr><td>{f.collectedOn}</td><td>{yuan(f.amountFen)}</td><td>{f.item ?? '—'}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {view.canWrite ? (
          <form method="post" action={`/office/registries/fees?${q}`}>
            <h3>登记收费</h3>
            <ErrorSummary errors={errs('fee')} />
            <Csrf token={env.csrfToken} />
            <Field name="collectedOn" label="收费日期" type="date" required value={val('fee', 'collectedOn')} error={err('fee', 'collectedOn')} />
            <Field name="amountYuan" label="金额（元）" required value={val('fee', 'amountYuan')} error={err('fee', 'amountYuan')} hint="最多两位小数，如 1234.50" inputMode="text" />
            <Field name="item" label="收费项目" value={val('fee', 'item')} error={err('fee', 'item')} maxLength={200} />
            <button type="submit">登记</button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="nm-h">
        <h2 id="nm-h">新媒体发布</h2>
        {view.newMediaPosts.length === 0 ? <p class="muted">尚未登记。</p> : (
          <table>
            <thead><tr><th scope="col">渠道</th><th scope="col">账号</th><th scope="col">发布日期</th><th scope="col">条数</th><th scope="col">标题</th></tr></thead>
            <tbody>
              {view.newMediaPosts.map((m) => (
                <tr><td>{CHANNEL_LABELS[m.channel] ?? m.channel}</td><td>{m.account ?? '—'}</td><td>{m.publishedOn}</td><td>{m.count}</td><td>{m.title ?? '—'}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {view.canWrite ? (
          <form method="post" action={`/office/registries/new-media?${q}`}>
            <h3>登记新媒体发布</h3>
            <ErrorSummary errors={errs('media')} />
            <Csrf token={env.csrfToken} />
            <Field name="channel" label="渠道" required value={val('media', 'channel', 'wechat')} error={err('media', 'channel')} options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))} />
            <Field name="account" label="账号名称" value={val('media', 'account')} error={err('media', 'account')} maxLength={100} />
            <Field name="publishedOn" label="发布日期" type="date" required value={val('media', 'publishedOn')} error={err('media', 'publishedOn')} />
            <Field name="count" label="条数" value={val('media', 'count', '1')} error={err('media', 'count')} hint="逐条登记填 1；按批次登记填这一批的条数" inputMode="numeric" />
            <Field name="title" label="标题" value={val('media', 'title')} error={err('media', 'title')} maxLength={300} />
            <button type="submit">登记</button>
          </form>
        ) : null}
      </section>
    </OfficeLayout>
  );
}
