import { Breadcrumb, Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { AGENCY_KIND_LABELS, AGENCY_KINDS, type Agency } from './agencies.repository.js';
import type { ReconsiderationBody } from '../../law/reconsideration.js';

export const CONTACT_FIELDS: { name: keyof Agency & string; label: string; hint?: string }[] = [
  { name: 'officeName', label: '政府信息公开工作机构名称' },
  { name: 'address', label: '办公地址' },
  { name: 'postcode', label: '邮政编码' },
  { name: 'phone', label: '联系电话' },
  { name: 'fax', label: '传真号码' },
  { name: 'email', label: '电子邮箱' },
  { name: 'officeHours', label: '办公时间', hint: '例如：工作日 上午 9:00–12:00，下午 13:30–17:00（法定节假日除外）' },
  { name: 'website', label: '互联网联系方式（网址）' },
];

export function AgenciesPage({ env, agencies, canCreate, errors, values }: { env: PageEnv; agencies: Agency[]; canCreate: boolean; errors?: { field: string; message: string }[]; values?: Record<string, string> }) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  const byId = new Map(agencies.map((a) => [a.id, a]));
  return (
    <OfficeLayout title="机构管理" env={env}>
      <h1>机构管理</h1>
      <section class="panel">
        <h2>机构层级（{agencies.length}）</h2>
        <table>
          <thead><tr><th scope="col">机构名称</th><th scope="col">代码</th><th scope="col">类型</th><th scope="col">上级机构</th><th scope="col">公开工作机构</th></tr></thead>
          <tbody>
            {agencies.map((a) => (
              <tr>
                <td><span aria-hidden="true">{'　'.repeat(Math.max(0, a.depth))}</span><a href={`/office/agencies/${encodeURIComponent(a.code)}`}>{a.name}</a></td>
                <td>{a.code}</td>
                <td>{AGENCY_KIND_LABELS[a.kind]}</td>
                <td>{a.parentId ? byId.get(a.parentId)?.name ?? '' : '—'}</td>
                <td>{a.officeName ?? <span class="muted">未填写</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {canCreate ? (
        <section class="panel">
          <h2>新增机构</h2>
          <ErrorSummary errors={errors} />
          <form method="post" action="/office/agencies">
            <Csrf token={env.csrfToken} />
            <Field name="code" label="机构代码" required value={values?.code} error={err('code')} hint="字母、数字、点、横线或下划线，1–32 位，如 hrb-wgl" maxLength={32} />
            <Field name="name" label="机构名称" required value={values?.name} error={err('name')} maxLength={100} />
            <Field name="kind" label="机构类型" value={values?.kind ?? 'department'} error={err('kind')} options={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))} />
            <Field name="parentCode" label="上级机构" value={values?.parentCode} error={err('parentCode')} options={[{ value: '', label: '（无，顶级机构）' }, ...agencies.map((a) => ({ value: a.code, label: `${a.name}（${a.code}）` }))]} />
            <button type="submit">新增机构</button>
          </form>
        </section>
      ) : null}
    </OfficeLayout>
  );
}

export function AgencyPage({ env, agency, parent, children, reconsideration, canEdit, canSetOnePerson, errors, values }: { env: PageEnv; agency: Agency; parent?: Agency; children: Agency[]; reconsideration: ReconsiderationBody; canEdit: boolean; canSetOnePerson?: boolean; errors?: { field: string; message: string }[]; values?: Record<string, string> }) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  const v = (k: string) => (values ? values[k] : ((agency as unknown as Record<string, string | null>)[k] ?? ''));
  return (
    <OfficeLayout title={agency.name} env={env}>
      <Breadcrumb items={[{ label: '机构管理', href: '/office/agencies' }, { label: agency.name }]} />
      <h1>{agency.name}</h1>
      <div class="grid">
        <section class="panel">
          <h2>基本信息</h2>
          <table>
            <tbody>
              <tr><th scope="row">机构代码</th><td>{agency.code}</td></tr>
              <tr><th scope="row">机构类型</th><td>{AGENCY_KIND_LABELS[agency.kind]}</td></tr>
              <tr><th scope="row">上级机构</th><td>{parent ? <a href={`/office/agencies/${encodeURIComponent(parent.code)}`}>{parent.name}</a> : '—'}</td></tr>
              <tr><th scope="row">下级机构</th><td>{children.length ? children.map((c, i) => <span>{i ? '、' : ''}<a href={`/office/agencies/${encodeURIComponent(c.code)}`}>{c.name}</a></span>) : '—'}</td></tr>
              <tr><th scope="row">组织机构代码</th><td>{agency.orgCode ?? <span class="muted">未填写（索引号前缀默认使用机构代码）</span>}</td></tr>
              <tr><th scope="row">机关代字</th><td>{agency.abbr ?? <span class="muted">未填写（文书的发文字号只有类别字，如“依申复〔2026〕7号”）</span>}</td></tr>
              <tr>
                <th scope="row">行政复议机关</th>
                <td>
                  {reconsideration.body ? (
                    <>{reconsideration.body}<br /><span class="muted">{reconsideration.basis}</span></>
                  ) : (
                    <strong class="error-text" id="reconsideration-missing">未能确定：{reconsideration.question}</strong>
                  )}
                </td>
              </tr>
              <tr>
                <th scope="row">年度报告签发</th>
                <td>{agency.onePersonOffice ? '一人办公：送审人可以自行签发' : '须由送审人以外的另一人签发'}</td>
              </tr>
            </tbody>
          </table>
          {canSetOnePerson ? (
            <form method="post" action={`/office/agencies/${encodeURIComponent(agency.code)}/one-person-office`}>
              <Csrf token={env.csrfToken} />
              <input type="hidden" name="onePersonOffice" value={agency.onePersonOffice ? '0' : '1'} />
              <p class="hint">只有一人办理政府信息公开工作的机关可标明“一人办公”，其年度报告可由同一人起草和签发；标明和取消都记入审计日志。</p>
              <button type="submit" class="secondary">{agency.onePersonOffice ? '取消“一人办公”' : '标明为“一人办公”'}</button>
            </form>
          ) : null}
        </section>
        <section class="panel">
          <h2>公开工作机构联系方式</h2>
          <p class="muted">以下信息印在政府信息公开指南和年度报告中（条例第十二条）。</p>
          {canEdit ? (
            <form method="post" action={`/office/agencies/${encodeURIComponent(agency.code)}`}>
              <ErrorSummary errors={errors} />
              <Csrf token={env.csrfToken} />
              <Field name="name" label="机构名称" required value={v('name')} error={err('name')} maxLength={100} />
              <Field name="orgCode" label="组织机构代码（索引号前缀）" value={v('orgCode')} error={err('orgCode')} maxLength={40} />
              <Field name="abbr" label="机关代字" hint="发文字号的机关代字，如“哈文旅”：汉字、字母或数字，不含标点，不超过10个字（GB/T 9704 7.2.4）" value={v('abbr')} error={err('abbr')} maxLength={10} />
              <Field
                name="reconsiderationBody"
                label="行政复议机关（可选）"
                hint="留空时按行政复议法第二十四条由机构层级确定：政府部门为本级人民政府，人民政府为上一级人民政府；实行垂直领导的机关填写上一级主管部门。"
                value={v('reconsiderationBody')}
                error={err('reconsiderationBody')}
                maxLength={100}
              />
              {CONTACT_FIELDS.map((f) => (
                <Field name={f.name} label={f.label} hint={f.hint} value={v(f.name)} error={err(f.name)} maxLength={200} />
              ))}
              <button type="submit">保存</button>
            </form>
          ) : (
            <table>
              <tbody>
                {CONTACT_FIELDS.map((f) => (
                  <tr><th scope="row">{f.label}</th><td>{(agency as unknown as Record<string, string | null>)[f.name] ?? <span class="muted">未填写</span>}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </OfficeLayout>
  );
}
