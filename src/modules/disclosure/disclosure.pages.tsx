/** Office pages of 主动公开: the list, the item form, the item with its screen and workflow, the catalogue. */
import type { ComponentChildren } from 'preact';
import { CATALOGUE_FIELD_LABELS, DISCLOSURE_MODE_LABELS, DISCLOSURE_MODES, SUBJECT_CATEGORIES, VALIDITY_LABELS, VALIDITY_VALUES, type Validity } from '../../law/catalogue.js';
import { GENRES, INTERPRETATION_CATEGORY } from '../../law/proactive.js';
import { SCREENING_HIT_KIND_LABELS, type ScreeningHit, type WordRule } from '../../law/screening.js';
import { BarChart, Breadcrumb, Csrf, ErrorSummary, Field, Pagination } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import type { Agency } from '../agencies/agencies.service.js';
import { ITEM_STATUS_LABELS, ITEM_STATUSES, STEP_LABELS, type Category, type ItemListRow, type ItemStatus, type OfficeItemView } from './disclosure.service.js';
import { ALLOWED_EXTENSIONS_LABEL } from './attachments.service.js';
import type { WordRow } from './disclosure.repository.js';
import { shanghaiTime } from '../../ui/time.js';

type Errors = { field: string; message: string }[] | undefined;

const STATUS_BADGE: Record<ItemStatus, string> = { draft: 'badge', in_review: 'badge badge-info', approved: 'badge badge-warn', published: 'badge badge-ok', withdrawn: 'badge badge-err' };

export function StatusBadge({ status }: { status: ItemStatus }) {
  return <span class={STATUS_BADGE[status]}>{ITEM_STATUS_LABELS[status]}</span>;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / 1024 / 102.4) / 10} MB`;
}

function LateBadge({ row, today }: { row: { late: boolean | null; status: ItemStatus; dueOn: string | null }; today: string }) {
  if (row.status === 'published' && row.late === true) return <span class="badge badge-err">超期发布</span>;
  if ((row.status === 'draft' || row.status === 'in_review' || row.status === 'approved') && row.dueOn && row.dueOn < today) return <span class="badge badge-err">已超 20 个工作日</span>;
  if ((row.status === 'draft' || row.status === 'in_review' || row.status === 'approved') && row.dueOn) return <span class="badge">应于 {row.dueOn} 前公开</span>;
  return null;
}

// ---------------------------------------------------------------------------------------------

export interface ListProps {
  env: PageEnv;
  rows: ItemListRow[];
  total: number;
  page: number;
  pages: number;
  counts: { byStatus: Record<string, number>; lateByYear: { year: number; late: number; published: number }[]; overdue: number };
  agencies: Agency[];
  draftable: Agency[];
  filter: { agency?: string; status?: string; late?: string; q?: string };
  today: string;
}

export function ItemListPage(p: ListProps) {
  const qs = (patch: Record<string, string | number | undefined>) => {
    const all: Record<string, string | number | undefined> = { ...p.filter, ...patch };
    const s = new URLSearchParams(Object.entries(all).filter(([, v]) => v !== undefined && v !== '') as [string, string][]).toString();
    return `/office/items${s ? `?${s}` : ''}`;
  };
  return (
    <OfficeLayout title="主动公开" env={p.env}>
      <h1>主动公开信息</h1>
      <div class="actions">
        {p.draftable.length ? <a class="button" href={`/office/items/new${p.draftable.length === 1 ? `?agency=${encodeURIComponent(p.draftable[0]!.code)}` : ''}`}>起草新信息</a> : null}
        <a class="button secondary" href={`/office/categories${p.filter.agency ? `?agency=${encodeURIComponent(p.filter.agency)}` : ''}`}>信息公开目录与错敏词表</a>
      </div>
      <div class="stats">
        {ITEM_STATUSES.map((s) => (
          <div class="stat"><span class="n">{p.counts.byStatus[s] ?? 0}</span><a href={qs({ status: s, page: undefined })}>{ITEM_STATUS_LABELS[s]}</a></div>
        ))}
        <div class="stat"><span class="n">{p.counts.overdue}</span><a href={qs({ late: 'overdue', status: undefined, page: undefined })}>待发布已超期（第二十六条）</a></div>
      </div>
      <section class="panel">
        <h2>筛选</h2>
        <form method="get" action="/office/items" class="filters">
          <Field name="agency" label="机构" value={p.filter.agency ?? ''} options={[{ value: '', label: '全部机构' }, ...p.agencies.map((a) => ({ value: a.code, label: a.name }))]} />
          <Field name="status" label="状态" value={p.filter.status ?? ''} options={[{ value: '', label: '全部状态' }, ...ITEM_STATUSES.map((s) => ({ value: s, label: ITEM_STATUS_LABELS[s] }))]} />
          <Field name="late" label="时效（第二十六条）" value={p.filter.late ?? ''} options={[{ value: '', label: '全部' }, { value: 'late', label: '超期发布' }, { value: 'overdue', label: '待发布已超期' }]} />
          <Field name="q" label="名称包含" value={p.filter.q ?? ''} maxLength={100} />
          <button type="submit">筛选</button>
        </form>
      </section>
      <section class="panel">
        <h2>信息列表（共 {p.total} 条）</h2>
        {p.rows.length === 0 ? (
          <p>没有符合条件的信息。</p>
        ) : (
          <table>
            <thead>
              <tr><th scope="col">名称</th><th scope="col">索引号</th><th scope="col">机构</th><th scope="col">栏目</th><th scope="col">生成日期</th><th scope="col">发布日期</th><th scope="col">状态</th><th scope="col">时效</th></tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr>
                  <td><a href={`/office/items/${r.id}`}>{r.title}</a></td>
                  <td>{r.indexNo}</td>
                  <td>{r.agencyName}</td>
                  <td>{r.categoryName}</td>
                  <td>{r.generatedOn ?? '—'}</td>
                  <td>{r.publishedOn ?? '—'}</td>
                  <td><StatusBadge status={r.status} /></td>
                  <td><LateBadge row={r} today={p.today} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination page={p.page} pages={p.pages} href={(n) => qs({ page: n })} />
      </section>
      {p.counts.lateByYear.length ? (
        <section class="panel">
          <h2>发布时效（条例第二十六条：自生成之日起 20 个工作日内公开）</h2>
          <table>
            <thead><tr><th scope="col">年度</th><th scope="col" class="num">发布</th><th scope="col" class="num">超期发布</th></tr></thead>
            <tbody>
              {p.counts.lateByYear.map((y) => (
                <tr><th scope="row">{y.year}</th><td class="num">{y.published}</td><td class="num">{y.late}</td></tr>
              ))}
            </tbody>
          </table>
          <BarChart title="各年度超期发布条数" data={p.counts.lateByYear.map((y) => ({ label: `${y.year} 年`, value: y.late }))} unit=" 条" />
        </section>
      ) : null}
    </OfficeLayout>
  );
}

// ---------------------------------------------------------------------------------------------

export type ItemValues = Record<string, string>;

export function ItemFields({ values, errors, categories }: { values: ItemValues; errors: Errors; categories: Category[] }) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  const interpretationCat = categories.find((c) => c.name === INTERPRETATION_CATEGORY);
  return (
    <div>
      <Field name="title" label={`${CATALOGUE_FIELD_LABELS.title}（标题）`} required value={values.title} error={err('title')} maxLength={200} />
      <Field name="categoryId" label="所属目录栏目" required value={values.categoryId} error={err('categoryId')} options={[{ value: '', label: '请选择' }, ...categories.map((c) => ({ value: String(c.id), label: c.statuteRef ? `${c.name}（${c.statuteRef}）` : c.name }))]} />
      <Field
        name="interprets"
        label="所解读的政策文件（索引号）"
        value={values.interprets}
        error={err('interprets')}
        hint={`仅${interpretationCat ? `“${interpretationCat.name}”栏目` : '政策解读'}需要填写：填写被解读政策文件的索引号，两者将互相链接并同步发布（“三同步”）。`}
        maxLength={60}
      />
      <Field name="summary" label={CATALOGUE_FIELD_LABELS.summary} textarea rows={3} value={values.summary} error={err('summary')} maxLength={1000} />
      <Field name="body" label="正文" textarea rows={14} value={values.body} error={err('body')} hint="可直接输入文字（空行分段），也可使用段落、标题、加粗、列表、表格、链接等基本 HTML 标记；脚本、样式等不安全内容会被自动清除。" />
      <div class="grid">
        <Field name="generatedOn" label={`${CATALOGUE_FIELD_LABELS.generatedOn}（成文日期）`} type="date" value={values.generatedOn} error={err('generatedOn')} hint="条例第二十六条：应自生成之日起 20 个工作日内公开" />
        <Field name="docNumber" label={CATALOGUE_FIELD_LABELS.docNumber} value={values.docNumber} error={err('docNumber')} maxLength={100} hint="例如：哈政办规〔2025〕3号" />
        <Field name="publisher" label={CATALOGUE_FIELD_LABELS.publisher} value={values.publisher} error={err('publisher')} maxLength={100} hint="留空则为本机关名称" />
        <Field name="subjectCategory" label={CATALOGUE_FIELD_LABELS.category} value={values.subjectCategory} error={err('subjectCategory')} options={[{ value: '', label: '（未分类）' }, ...SUBJECT_CATEGORIES.map((s) => ({ value: s, label: s }))]} />
        <Field name="genre" label={CATALOGUE_FIELD_LABELS.genre} value={values.genre} error={err('genre')} options={[{ value: '', label: '（未分类）' }, ...GENRES.map((s) => ({ value: s, label: s }))]} />
        <Field name="disclosureMode" label={CATALOGUE_FIELD_LABELS.disclosureMode} value={values.disclosureMode || 'proactive'} error={err('disclosureMode')} options={DISCLOSURE_MODES.map((m) => ({ value: m, label: DISCLOSURE_MODE_LABELS[m] }))} />
        <Field name="validity" label={CATALOGUE_FIELD_LABELS.validity} value={values.validity || 'valid'} error={err('validity')} options={VALIDITY_VALUES.map((v) => ({ value: v, label: VALIDITY_LABELS[v] }))} />
      </div>
    </div>
  );
}

export function NewItemPage({ env, agency, agencies, categories, values, errors }: { env: PageEnv; agency: Agency | undefined; agencies: Agency[]; categories: Category[]; values: ItemValues; errors: Errors }) {
  return (
    <OfficeLayout title="起草主动公开信息" env={env}>
      <Breadcrumb items={[{ label: '主动公开', href: '/office/items' }, { label: '起草新信息' }]} />
      <h1>起草主动公开信息{agency ? `（${agency.name}）` : ''}</h1>
      {!agency ? (
        <section class="panel">
          <h2>选择机构</h2>
          <form method="get" action="/office/items/new">
            <Field name="agency" label="机构" options={agencies.map((a) => ({ value: a.code, label: a.name }))} />
            <button type="submit">下一步</button>
          </form>
        </section>
      ) : (
        <section class="panel">
          <h2>信息内容与目录信息</h2>
          <ErrorSummary errors={errors} />
          <form method="post" action={`/office/items?agency=${encodeURIComponent(agency.code)}`}>
            <Csrf token={env.csrfToken} />
            <p class="muted">索引号在保存时按“机构代码/年份-流水号”自动生成。</p>
            <ItemFields values={values} errors={errors} categories={categories} />
            <div class="actions"><button type="submit">保存草稿</button></div>
          </form>
        </section>
      )}
    </OfficeLayout>
  );
}

// ---------------------------------------------------------------------------------------------

export interface ActionError {
  form: string;
  message: string;
  values?: Record<string, string>;
}

function ActionForm({ env, id, action, label, kind, children, error }: { env: PageEnv; id: number; action: string; label: string; kind?: 'secondary' | 'danger'; children?: ComponentChildren; error?: ActionError }) {
  const err = error?.form === action ? error.message : undefined;
  return (
    <form method="post" action={`/office/items/${id}/${action}`} class="workflow-form" id={`form-${action}`}>
      <Csrf token={env.csrfToken} />
      {err ? <p class="error-text" role="alert">{err}</p> : null}
      {children}
      <button type="submit" class={kind}>{label}</button>
    </form>
  );
}

function HitsTable({ hits }: { hits: ScreeningHit[] }) {
  return (
    <table>
      <thead><tr><th scope="col">类型</th><th scope="col">命中内容</th><th scope="col">上下文</th><th scope="col">说明</th></tr></thead>
      <tbody>
        {hits.map((h) => (
          <tr>
            <td>{SCREENING_HIT_KIND_LABELS[h.kind]}</td>
            <td><mark>{h.match}</mark></td>
            <td>{h.excerpt}</td>
            <td>{h.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OfficeItemPage({ env, view, values, errors, actionError }: { env: PageEnv; view: OfficeItemView; values?: ItemValues; errors?: Errors; actionError?: ActionError }) {
  const { item, can, screening } = view;
  const v: ItemValues = values ?? {
    title: item.title, summary: item.summary, body: item.bodyHtml, categoryId: String(item.categoryId), generatedOn: item.generatedOn ?? '', docNumber: item.docNumber ?? '',
    publisher: item.publisher ?? '', subjectCategory: item.subjectCategory ?? '', genre: item.genre ?? '', disclosureMode: item.disclosureMode, validity: item.validity,
    interprets: view.policy?.indexNo ?? '',
  };
  const av = actionError?.values ?? {};
  const hits = (screening?.hits ?? []) as ScreeningHit[];
  return (
    <OfficeLayout title={item.title} env={env}>
      <Breadcrumb items={[{ label: '主动公开', href: '/office/items' }, { label: item.title }]} />
      <h1>{item.title}</h1>
      <p>
        <StatusBadge status={item.status} /> 索引号 {item.indexNo} · {view.agency.name} · 栏目“{item.categoryName}”
        {item.dueOn && item.status !== 'published' && item.status !== 'withdrawn' ? <span> · 应于 {item.dueOn} 前公开（第二十六条）</span> : null}
        {item.status === 'published' ? <span> · 发布于 {item.publishedOn}{item.late ? <span class="badge badge-err">超期发布</span> : null} · <a href={`/items/${item.id}`}>查看门户页面</a></span> : null}
      </p>
      {item.status === 'withdrawn' ? <div class="notice notice-warning" role="status">已撤回：{item.withdrawnReason}</div> : null}
      {view.policy ? <p>本信息是对 <a href={`/office/items/${view.policy.id}`}>{view.policy.title}</a>（{view.policy.indexNo}）的政策解读。</p> : null}
      {view.interpretations.length ? (
        <p>政策解读：{view.interpretations.map((r, i) => <span>{i ? '、' : ''}<a href={`/office/items/${r.id}`}>{r.title}</a>（{ITEM_STATUS_LABELS[r.status]}）</span>)}</p>
      ) : null}

      {item.status === 'in_review' || (screening && (item.status === 'draft')) ? (
        <section class="panel" id="screen" aria-labelledby="screen-h">
          <h2 id="screen-h">内容筛查结果</h2>
          {!screening ? (
            <p>尚未运行筛查。</p>
          ) : (
            <div>
              <p>
                {shanghaiTime(screening.runAt)} 筛查：
                {screening.hitCount === 0 ? <strong class="ok-text">未发现个人信息或错敏词</strong> : <strong class="err-text">发现 {screening.hitCount} 处问题，修改前不能通过审核</strong>}
                {!view.screeningCurrent ? <span class="badge badge-warn">内容已修改，需重新筛查</span> : null}
              </p>
              {screening.hitCount > 0 ? <HitsTable hits={hits} /> : null}
              {screening.overrideReason ? <p class="notice notice-info">审核人已放行：{screening.overrideReason}</p> : null}
            </div>
          )}
          {view.blockers.length ? (
            <div class="notice notice-warning" role="status">
              <strong>审核通过前还需：</strong>
              <ul>{view.blockers.map((b) => <li>{b}</li>)}</ul>
            </div>
          ) : null}
          <div class="actions">
            {can.screen ? <ActionForm env={env} id={item.id} action="screen" label="重新筛查" kind="secondary" error={actionError} /> : null}
          </div>
          {can.override && screening && screening.hitCount > 0 && !screening.overrideReason && view.screeningCurrent ? (
            <ActionForm env={env} id={item.id} action="override" label="确认放行" kind="secondary" error={actionError}>
              <Field name="overrideReason" label="放行理由（命中内容确需公开时填写，如本机关对外公布的电话）" textarea rows={2} value={av.overrideReason} maxLength={500} required />
            </ActionForm>
          ) : null}
        </section>
      ) : null}

      <section class="panel" aria-labelledby="wf-h">
        <h2 id="wf-h">审核与发布</h2>
        <ol class="workflow-steps">
          <li class={item.status === 'draft' ? 'current' : 'done'}>起草（信息编辑）</li>
          <li class={item.status === 'in_review' ? 'current' : item.status === 'draft' ? '' : 'done'}>审核，含内容筛查与保密审查（审核人）</li>
          <li class={item.status === 'approved' ? 'current' : item.status === 'published' || item.status === 'withdrawn' ? 'done' : ''}>签发（签发人）</li>
          <li class={item.status === 'published' ? 'current' : item.status === 'withdrawn' ? 'done' : ''}>发布</li>
        </ol>
        <div class="workflow-actions">
          {can.submit ? <ActionForm env={env} id={item.id} action="submit" label="提交审核" error={actionError} /> : null}
          {can.confidentiality ? (
            <ActionForm env={env} id={item.id} action="confidentiality" label="记录保密审查意见" kind="secondary" error={actionError}>
              <fieldset>
                <legend>保密审查结论</legend>
                <label><input type="radio" name="outcome" value="pass" checked={(av.outcome ?? 'pass') === 'pass'} /> 不涉及国家秘密、工作秘密，同意公开</label><br />
                <label><input type="radio" name="outcome" value="fail" checked={av.outcome === 'fail'} /> 不宜公开，退回修改</label>
              </fieldset>
              <Field name="opinion" label="保密审查意见" textarea rows={2} value={av.opinion} maxLength={1000} required />
            </ActionForm>
          ) : null}
          {can.approve ? (
            <ActionForm env={env} id={item.id} action="approve" label="审核通过" error={actionError}>
              <Field name="approveOpinion" label="审核意见（可选）" value={av.approveOpinion} maxLength={500} />
            </ActionForm>
          ) : null}
          {can.signOff ? (
            <ActionForm env={env} id={item.id} action="sign-off" label="签发并发布" error={actionError}>
              <Field name="publishedOn" label="发布日期（留空为今天）" type="date" value={av.publishedOn} />
            </ActionForm>
          ) : null}
          {can.returnIt ? (
            <ActionForm env={env} id={item.id} action="return" label="退回修改" kind="secondary" error={actionError}>
              <Field name="returnReason" label="退回理由" value={av.returnReason} maxLength={500} required />
            </ActionForm>
          ) : null}
          {can.withdraw ? (
            <ActionForm env={env} id={item.id} action="withdraw" label="撤回" kind="danger" error={actionError}>
              <Field name="withdrawReason" label="撤回理由" textarea rows={2} value={av.withdrawReason} maxLength={500} required />
            </ActionForm>
          ) : null}
          {can.validity ? (
            <ActionForm env={env} id={item.id} action="validity" label="变更有效性" kind="secondary" error={actionError}>
              <Field name="newValidity" label={CATALOGUE_FIELD_LABELS.validity} value={item.validity} options={VALIDITY_VALUES.map((x) => ({ value: x, label: VALIDITY_LABELS[x as Validity] }))} />
            </ActionForm>
          ) : null}
          {!Object.values(can).some(Boolean) ? <p class="muted">您在此信息当前状态下没有可执行的操作。</p> : null}
        </div>
      </section>

      <section class="panel" aria-labelledby="content-h">
        <h2 id="content-h">内容与目录信息</h2>
        {can.edit ? (
          <form method="post" action={`/office/items/${item.id}`}>
            <ErrorSummary errors={errors} />
            <Csrf token={env.csrfToken} />
            <ItemFields values={v} errors={errors} categories={view.categories} />
            <div class="actions"><button type="submit">保存修改</button></div>
          </form>
        ) : (
          <div>
            <MetaBox item={{ ...item, agencyName: view.agency.name }} />
            {/* eslint-disable-next-line react/no-danger */}
            <div class="body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
          </div>
        )}
      </section>

      <section class="panel" aria-labelledby="att-h" id="attachments">
        <h2 id="att-h">附件</h2>
        {view.attachments.length ? (
          <ul class="list">
            {view.attachments.map((a) => (
              <li>
                <span><a href={`/attachments/${a.id}`}>{a.fileName}</a>（{formatSize(a.size)}）</span>
                {can.edit ? (
                  <form method="post" action={`/office/items/${item.id}/attachments/${a.id}/delete`} class="inline">
                    <Csrf token={env.csrfToken} />
                    <button type="submit" class="secondary">删除<span class="visually-hidden">附件 {a.fileName}</span></button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">没有附件。</p>
        )}
        {can.edit ? (
          <form method="post" action={`/office/items/${item.id}/attachments`} enctype="multipart/form-data">
            <Csrf token={env.csrfToken} />
            <div class={`field${actionError?.form === 'attachments' ? ' field-error' : ''}`}>
              <label for="f-file">上传附件</label>
              <p class="hint" id="f-file-hint">允许：{ALLOWED_EXTENSIONS_LABEL}；按文件内容校验类型。</p>
              {actionError?.form === 'attachments' ? <p class="error-text" id="f-file-err" role="alert">{actionError.message}</p> : null}
              <input id="f-file" type="file" name="file" aria-describedby={`f-file-hint${actionError?.form === 'attachments' ? ' f-file-err' : ''}`} aria-invalid={actionError?.form === 'attachments' ? 'true' : undefined} />
            </div>
            <button type="submit" class="secondary">上传</button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="steps-h">
        <h2 id="steps-h">办理记录</h2>
        <table>
          <thead><tr><th scope="col">时间</th><th scope="col">环节</th><th scope="col">办理人</th><th scope="col">结论</th><th scope="col">意见</th></tr></thead>
          <tbody>
            {view.steps.map((s) => (
              <tr>
                <td>{shanghaiTime(s.at)}</td>
                <td>{STEP_LABELS[s.step] ?? s.step}</td>
                <td>{s.actorName}</td>
                <td>{s.outcome === 'pass' ? '通过' : s.outcome === 'fail' ? '未通过' : '—'}</td>
                <td>{s.opinion ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </OfficeLayout>
  );
}

/** The catalogue metadata box (索引号, 名称, 发布机构, 生成日期, 发布日期, 文号, 主题分类, 体裁分类, 公开方式, 有效性). */
export function MetaBox({ item }: { item: { indexNo: string; title: string; agencyName: string; publisher: string | null; generatedOn: string | null; publishedOn: string | null; docNumber: string | null; subjectCategory: string | null; genre: string | null; disclosureMode: string; validity: string; summary: string } }) {
  const L = CATALOGUE_FIELD_LABELS;
  const row = (label: string, value: string | null | undefined) => [<dt>{label}</dt>, <dd>{value || '—'}</dd>];
  return (
    <div class="meta-box">
      <dl>
        {row(L.indexNo, item.indexNo)}
        {row(L.category, item.subjectCategory)}
        {row(L.publisher, item.publisher || item.agencyName)}
        {row(L.genre, item.genre)}
        {row(L.generatedOn, item.generatedOn)}
        {row(L.publishedOn, item.publishedOn)}
        {row(L.docNumber, item.docNumber)}
        {row(L.disclosureMode, DISCLOSURE_MODE_LABELS[item.disclosureMode as keyof typeof DISCLOSURE_MODE_LABELS] ?? item.disclosureMode)}
        {row(L.validity, VALIDITY_LABELS[item.validity as Validity] ?? item.validity)}
      </dl>
      <dl class="meta-wide">
        {row(L.title, item.title)}
        {item.summary ? row(L.summary, item.summary) : null}
      </dl>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function CategoriesPage({ env, agency, agencies, categories, canManage, canWords, words, defaults, errors, values }: {
  env: PageEnv; agency: Agency; agencies: Agency[]; categories: (Category & { count: number })[]; canManage: boolean; canWords: boolean; words: WordRow[]; defaults: readonly WordRule[]; errors?: Errors; values?: Record<string, string>;
}) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  const code = encodeURIComponent(agency.code);
  return (
    <OfficeLayout title="信息公开目录" env={env}>
      <Breadcrumb items={[{ label: '主动公开', href: '/office/items' }, { label: '信息公开目录' }]} />
      <h1>政府信息公开目录：{agency.name}</h1>
      {agencies.length > 1 ? (
        <form method="get" action="/office/categories" class="actions">
          <Field name="agency" label="机构" value={agency.code} options={agencies.map((a) => ({ value: a.code, label: a.name }))} />
          <button type="submit" class="secondary">切换</button>
        </form>
      ) : null}
      <ErrorSummary errors={errors} />
      <section class="panel">
        <h2>目录栏目</h2>
        <p class="muted">法定类别（条例第二十条、第二十一条）不能改名或删除；机构自设栏目可以新增、改名、调整顺序，没有信息时可以删除。</p>
        <table>
          <thead><tr><th scope="col">栏目</th><th scope="col">依据</th><th scope="col" class="num">已发布</th><th scope="col">排序</th>{canManage ? <th scope="col">操作</th> : null}</tr></thead>
          <tbody>
            {categories.map((c) => (
              <tr>
                <th scope="row">{c.name}</th>
                <td>{c.statuteRef ?? '机构自设'}</td>
                <td class="num">{c.count}</td>
                <td>{c.position}</td>
                {canManage ? (
                  <td>
                    {c.kind === 'column' ? (
                      <div class="actions">
                        <form method="post" action={`/office/categories/${c.id}?agency=${code}`} class="inline">
                          <Csrf token={env.csrfToken} />
                          <label for={`n-${c.id}`} class="visually-hidden">栏目“{c.name}”的新名称</label>
                          <input id={`n-${c.id}`} name="name" value={c.name} maxLength={40} size={10} />
                          <label for={`p-${c.id}`} class="visually-hidden">栏目“{c.name}”的排序</label>
                          <input id={`p-${c.id}`} name="position" value={String(c.position)} inputMode="numeric" size={4} />
                          <button type="submit" class="secondary">保存</button>
                        </form>
                        {c.count === 0 ? (
                          <form method="post" action={`/office/categories/${c.id}/delete?agency=${code}`} class="inline">
                            <Csrf token={env.csrfToken} />
                            <button type="submit" class="danger">删除<span class="visually-hidden">栏目 {c.name}</span></button>
                          </form>
                        ) : null}
                      </div>
                    ) : (
                      <span class="muted">法定类别</span>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {canManage ? (
          <form method="post" action={`/office/categories?agency=${code}`}>
            <Csrf token={env.csrfToken} />
            <Field name="name" label="新增栏目名称" value={values?.name} error={err('name')} maxLength={40} required />
            <button type="submit">新增栏目</button>
          </form>
        ) : null}
      </section>
      <section class="panel" id="words">
        <h2>错敏词表（内容筛查）</h2>
        <p class="muted">筛查在审核通过前自动运行，检查公民身份号码（含校验码）、手机号码、银行卡号（按卡号校验位）和下列词语。命中后须修改或由审核人写明理由放行。</p>
        <table>
          <thead><tr><th scope="col">词语</th><th scope="col">建议改为</th><th scope="col">类型</th><th scope="col">来源</th>{canWords ? <th scope="col">操作</th> : null}</tr></thead>
          <tbody>
            {words.map((w) => (
              <tr>
                <th scope="row">{w.word}</th><td>{w.suggestion ?? ''}</td><td>{SCREENING_HIT_KIND_LABELS[w.kind]}</td><td>{w.agencyId ? '本机关' : '全平台'}</td>
                {canWords ? (
                  <td>
                    {w.agencyId ? (
                      <form method="post" action={`/office/screening-words/${w.id}/delete?agency=${code}`} class="inline">
                        <Csrf token={env.csrfToken} />
                        <button type="submit" class="danger">删除<span class="visually-hidden">词语 {w.word}</span></button>
                      </form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
            {defaults.map((w) => (
              <tr><th scope="row">{w.word}</th><td>{w.suggestion ?? ''}</td><td>{SCREENING_HIT_KIND_LABELS[w.kind ?? 'wrong_word']}</td><td>内置</td>{canWords ? <td></td> : null}</tr>
            ))}
          </tbody>
        </table>
        {canWords ? (
          <form method="post" action={`/office/screening-words?agency=${code}`}>
            <Csrf token={env.csrfToken} />
            <div class="grid">
              <Field name="word" label="词语" value={values?.word} error={err('word')} maxLength={50} required />
              <Field name="suggestion" label="建议改为" value={values?.suggestion} maxLength={50} />
              <Field name="kind" label="类型" value={values?.kind ?? 'wrong_word'} options={[{ value: 'wrong_word', label: '错别字词' }, { value: 'sensitive_wording', label: '不规范表述' }]} />
            </div>
            <button type="submit">加入词表</button>
          </form>
        ) : null}
      </section>
    </OfficeLayout>
  );
}
