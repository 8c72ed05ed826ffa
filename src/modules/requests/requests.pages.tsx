/** Pages of 依申请公开: the portal form and tracking page; the office list, registration and detail. */
import type { ComponentChildren } from 'preact';
import { APPLICANT_KINDS, APPLICANT_KIND_LABELS, OUTCOME_FAMILIES, OUTCOME_FAMILY_SHORT_LABELS, OUTCOMES, REQUEST_CHANNELS, REQUEST_CHANNEL_LABELS, RECEIPT_RULES, outcomesOf } from '../../law/outcomes.js';
import { FEE_METHODS, FEE_METHOD_LABELS } from '../../law/fees.js';
import { CLOCK_STATE_LABELS } from '../../law/reply-clock.js';
import { BarChart, Breadcrumb, Csrf, ErrorSummary, Field, Pagination, type FieldProps } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout, PortalLayout } from '../../ui/layout.js';
import type { Agency } from '../agencies/agencies.service.js';
import { LetterLinks } from '../../render/letter-html.js';
import { ChallengeFields } from '../challenge/challenge.components.js';
import type { Challenge } from '../challenge/challenge.service.js';
import {
  ACTION_LABELS,
  DELIVERIES,
  DELIVERY_LABELS,
  FORMS_WANTED,
  FORM_WANTED_LABELS,
  ID_TYPES,
  ID_TYPE_LABELS,
  LETTER_KIND_LABELS,
  RECORD_OUTCOMES,
  RECORD_OUTCOME_LABELS,
  REQUEST_KINDS,
  REQUEST_KIND_LABELS,
  SERVICE_METHODS,
  SERVICE_METHOD_LABELS,
  STATUS_LABELS,
  outcomeLabel,
  type EventRow,
  type RequestList,
  type RequestView,
} from './requests.service.js';

export type Errors = { field: string; message: string }[] | undefined;
export type Values = Record<string, string>;

const errOf = (errors: Errors) => (f: string) => errors?.find((e) => e.field === f)?.message;

const REVIEW_KIND_LABELS: Record<string, string> = {
  reconsideration: '行政复议',
  litigation_direct: '行政诉讼（未经复议直接起诉）',
  litigation_after_reconsideration: '行政诉讼（复议后起诉）',
};
const REVIEW_RESULT_LABELS: Record<string, string> = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结' };

// ---------------------------------------------------------------------------------------------
// Shared pieces

export function StatusBadge({ status, overdue, dueSoon, flagged }: { status: string; overdue?: boolean; dueSoon?: boolean; flagged?: boolean }) {
  return (
    <span>
      <span class={`badge ${status === 'replied' ? 'badge-ok' : status === 'open' || status === 'reopened' ? 'badge-info' : 'badge-warn'}`}>{STATUS_LABELS[status] ?? status}</span>
      {overdue ? <span class="badge badge-err">已逾期</span> : null}
      {dueSoon ? <span class="badge badge-warn">5个工作日内到期</span> : null}
      {flagged ? <span class="badge badge-err">日历未覆盖</span> : null}
    </span>
  );
}

function ApplicantFields({ v, err, staff }: { v: (k: string) => string; err: (f: string) => string | undefined; staff: boolean }) {
  return (
    <>
      <fieldset>
        <legend>申请人信息（条例第二十九条第二款第（一）项）</legend>
        <Field name="applicantKind" label="申请人类型" required value={v('applicantKind')} error={err('applicantKind')} options={[{ value: '', label: '请选择' }, ...APPLICANT_KINDS.map((k) => ({ value: k, label: k === 'natural_person' ? '自然人（公民）' : `法人或其他组织：${k === 'other_org' ? '其他组织' : APPLICANT_KIND_LABELS[k]}` }))]} />
        <Field name="name" label="姓名或单位名称" required value={v('name')} error={err('name')} maxLength={100} autocomplete="name" />
        <Field name="idType" label="证件类型（自然人）" value={v('idType') || 'resident_id'} error={err('idType')} options={ID_TYPES.map((k) => ({ value: k, label: ID_TYPE_LABELS[k] }))} />
        <Field name="idNumber" label="证件号码（自然人）" required={!staff} value={v('idNumber')} error={err('idNumber')} maxLength={40} hint="自然人填写；法人或其他组织可不填" />
        <Field name="orgCode" label="统一社会信用代码（法人或其他组织）" value={v('orgCode')} error={err('orgCode')} maxLength={18} hint="法人或其他组织填写，18 位" />
        <Field name="contact" label="联系人（法人或其他组织）" value={v('contact')} error={err('contact')} maxLength={50} />
      </fieldset>
      <fieldset>
        <legend>联系方式{staff ? '' : '（至少填写一种）'}</legend>
        <Field name="phone" label="联系电话" type="tel" value={v('phone')} error={err('phone')} maxLength={20} autocomplete="tel" inputMode="tel" />
        <Field name="email" label="电子邮箱" type="email" value={v('email')} error={err('email')} maxLength={100} autocomplete="email" />
        <Field name="address" label="通信地址" value={v('address')} error={err('address')} maxLength={200} autocomplete="street-address" />
        <Field name="postcode" label="邮政编码" value={v('postcode')} error={err('postcode')} maxLength={6} inputMode="numeric" autocomplete="postal-code" />
      </fieldset>
    </>
  );
}

function InformationFields({ v, err, staff }: { v: (k: string) => string; err: (f: string) => string | undefined; staff: boolean }) {
  return (
    <>
      <fieldset>
        <legend>所需信息（条例第二十九条第二款第（二）项）</legend>
        <Field name="kind" label="申请类型" value={v('kind') || 'disclosure'} error={err('kind')} options={REQUEST_KINDS.map((k) => ({ value: k, label: REQUEST_KIND_LABELS[k] }))} hint="更正申请：有证据证明行政机关提供的与您自身相关的政府信息记录不准确的，可以要求更正（条例第四十一条）" />
        <Field name="subject" label="所需政府信息的名称（更正申请：需要更正的记录）" required value={v('subject')} error={err('subject')} maxLength={200} />
        <Field name="docNumber" label="文号（如知道）" value={v('docNumber')} error={err('docNumber')} maxLength={100} />
        <Field name="description" label="内容描述（便于查询的其他特征性描述；更正申请请说明应如何更正及证据）" required={!staff} textarea rows={5} value={v('description')} error={err('description')} maxLength={5000} />
      </fieldset>
      <fieldset>
        <legend>获取信息的方式和途径（条例第二十九条第二款第（三）项）</legend>
        <Field name="formWanted" label="获取信息的方式" required={!staff} value={v('formWanted')} error={err('formWanted')} options={[{ value: '', label: '请选择' }, ...FORMS_WANTED.map((k) => ({ value: k, label: FORM_WANTED_LABELS[k] }))]} />
        <Field name="delivery" label="获取信息的途径" required={!staff} value={v('delivery')} error={err('delivery')} options={[{ value: '', label: '请选择' }, ...DELIVERIES.map((k) => ({ value: k, label: DELIVERY_LABELS[k] }))]} />
      </fieldset>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Portal: the application form

export function ApplyPage({ env, agencies, values, errors, idempotencyKey, challenge }: { env: PageEnv; agencies: Agency[]; values: Values; errors?: Errors; idempotencyKey: string; challenge: Challenge }) {
  const err = errOf(errors);
  const v = (k: string) => values[k] ?? '';
  return (
    <PortalLayout title="政府信息公开申请" env={env} description="在线提交政府信息公开申请（依申请公开）">
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '依申请公开' }]} />
      <h1>政府信息公开申请</h1>
      <section class="panel">
        <h2>申请须知</h2>
        <p>根据《中华人民共和国政府信息公开条例》第二十七条至第二十九条，公民、法人或者其他组织可以向行政机关申请获取相关政府信息。网上提交的申请，以提交成功并获得登记编号之日为双方确认之日，即收到申请之日（条例第三十一条第（三）项）；行政机关自收到申请之日起 20 个工作日内予以答复（第三十三条）。</p>
        <p>提交后您将获得登记编号和专属查询链接，请妥善保存查询链接，凭其查看办理进度和答复。<a href="/track">已提交申请？查询办理进度</a></p>
      </section>
      <section class="panel">
        <h2>填写申请</h2>
        <ErrorSummary errors={errors} />
        <form method="post" action="/apply" novalidate>
          <Csrf token={env.csrfToken} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <div class="hp-field" aria-hidden="true">
            <label for="f-website">网址（请勿填写）</label>
            <input id="f-website" name="website" type="text" tabIndex={-1} autocomplete="off" value="" />
          </div>
          <Field name="agency" label="受理申请的行政机关" required value={v('agency')} error={err('agency')} options={[{ value: '', label: '请选择行政机关' }, ...agencies.map((a) => ({ value: a.code, label: a.name }))]} />
          <ApplicantFields v={v} err={err} staff={false} />
          <InformationFields v={v} err={err} staff={false} />
          <ChallengeFields challenge={challenge} error={err('challenge')} />
          <p class="muted">提交即表示您确认所填信息真实有效。您的身份证件号码、电话等个人信息仅用于办理本申请，只有承办人员可见。</p>
          <button type="submit">提交申请</button>
        </form>
      </section>
    </PortalLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Portal: tracking

export function TrackLookupPage({ env, values, error }: { env: PageEnv; values: Values; error?: string }) {
  return (
    <PortalLayout title="申请办理进度查询" env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '依申请公开', href: '/apply' }, { label: '办理进度查询' }]} />
      <h1>申请办理进度查询</h1>
      {error ? <div class="notice notice-error" role="alert">{error}</div> : null}
      <section class="panel" aria-labelledby="by-phone-h">
        <h2 id="by-phone-h">凭登记编号查询</h2>
        <form method="post" action="/track">
          <input type="hidden" name="_csrf" value={env.csrfToken} />
          <Field name="trackingNo" label="登记编号" required value={values.trackingNo} maxLength={40} hint="提交申请后页面和回执上的编号，如 YSQ2025…" />
          <Field name="proof" label="手机号码或证件号码后4位" required value="" maxLength={40} hint="填写申请时留下的手机号码，或身份证件号码的最后4位" />
          <button type="submit">查询</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="by-key-h">
        <h2 id="by-key-h">凭专属查询链接的查询码查询</h2>
        <form method="get" action="/track/lookup">
          <Field name="trackingNo" id="k-trackingNo" label="登记编号" required value={values.trackingNo} maxLength={40} />
          <Field name="key" label="查询码（专属查询链接中 key= 之后的部分）" required value={values.key} maxLength={100} />
          <button type="submit">查询</button>
        </form>
      </section>
    </PortalLayout>
  );
}

const PUBLIC_EVENT_TYPES = new Set(['receive', 'request_correction', 'receive_correction', 'start_consultation', 'end_consultation', 'extend', 'notify_fee', 'receive_payment', 'reply', 'deliver', 'reopen']);

function publicEventText(e: EventRow): string {
  const d = e.data;
  switch (e.type) {
    case 'receive':
      return '收到申请并登记';
    case 'request_correction':
      return `告知补正${Array.isArray(d.items) && d.items.length ? `：${(d.items as string[]).join('；')}` : ''}`;
    case 'start_consultation':
      return '征求第三方或其他机关意见（所需时间不计算在答复期限内）';
    case 'end_consultation':
      return '征求意见结束';
    case 'extend':
      return `延长答复期限 ${String(d.days)} 个工作日`;
    case 'notify_fee':
      return `发出信息处理费收费通知，金额 ${String(d.amount)} 元`;
    case 'deliver':
      return `送达${LETTER_KIND_LABELS[d.letter as keyof typeof LETTER_KIND_LABELS] ?? '文书'}（${SERVICE_METHOD_LABELS[d.serviceMethod as keyof typeof SERVICE_METHOD_LABELS] ?? ''}）`;
    case 'reply':
      return `作出答复：${outcomeLabel(String(d.outcome)) ?? ''}`;
    default:
      return ACTION_LABELS[e.type] ?? e.type;
  }
}

/** A released file as the tracking page lists it. */
export interface TrackFile {
  id: number;
  fileName: string;
  size: number;
}

const fileSize = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

const STEP_KIND: Record<string, string> = { receive: 'received', request_correction: 'correction', receive_correction: 'correction', reply: 'reply' };

/** Every step and its date (收到 → 补正 → 答复), the reply still to come shown with its limit. */
function Timeline({ view }: { view: RequestView }) {
  const c = view.clock;
  const steps = view.events.filter((e) => PUBLIC_EVENT_TYPES.has(e.type));
  return (
    <ol class="timeline">
      {steps.map((e) => (
        <li class={`done step-${STEP_KIND[e.type] ?? 'other'}`}>
          <time datetime={e.on}>{e.on}</time>
          <span>{publicEventText(e)}</span>
        </li>
      ))}
      {c.state === 'replied' ? null : (
        <li class="upcoming">
          <span class="visually-hidden">待办：</span>
          <time datetime={c.dueOn ?? undefined}>{c.dueOn ? `${c.dueOn} 前` : '待定'}</time>
          <span>{c.state === 'awaiting_correction' ? '等待您补正，收到补正后重新计算答复期限' : '作出答复'}</span>
        </li>
      )}
    </ol>
  );
}

export function TrackPage({ env, view, keyParam, justFiled, link, files = [] }: { env: PageEnv; view: RequestView; keyParam: string; justFiled: boolean; link: string; files?: TrackFile[] }) {
  const r = view.request;
  const c = view.clock;
  const q = keyParam ? `?key=${encodeURIComponent(keyParam)}` : '';
  const lastReply = [...view.events].reverse().find((e) => e.type === 'reply');
  return (
    <PortalLayout title={`申请 ${r.trackingNo}`} env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '依申请公开', href: '/apply' }, { label: '办理进度' }]} />
      <h1>申请办理进度</h1>
      {justFiled ? (
        <div class="notice notice-success" role="status">
          <p><strong>申请已提交。</strong>登记编号：<strong>{r.trackingNo}</strong>。</p>
          <p>请保存本页地址（专属查询链接），凭其查看办理进度和答复：<br /><code class="break">{link}</code></p>
          <p>也可在“办理进度查询”页凭登记编号和申请时填写的手机号码（或证件号码后4位）查询。</p>
        </div>
      ) : null}
      <section class="panel">
        <h2>申请概况</h2>
        <table>
          <tbody>
            <tr><th scope="row">登记编号</th><td>{r.trackingNo}</td></tr>
            <tr><th scope="row">受理机关</th><td>{r.agencyName}</td></tr>
            <tr><th scope="row">申请类型</th><td>{REQUEST_KIND_LABELS[r.kind]}</td></tr>
            <tr><th scope="row">申请人</th><td>{view.applicant.name}</td></tr>
            <tr><th scope="row">所需信息</th><td>{r.subject}</td></tr>
            <tr><th scope="row">收到申请之日</th><td>{r.receivedOn}</td></tr>
            <tr><th scope="row">办理状态</th><td><StatusBadge status={c.status} /></td></tr>
            <tr><th scope="row">答复期限</th><td>{c.state === 'replied' ? `已于 ${r.repliedOn} 答复` : c.state === 'awaiting_correction' ? `等待您补正（补正期限至 ${c.clock?.correction?.deadline ?? ''}），收到补正后重新计算` : c.dueOn ? `${c.dueOn} 前${c.dueProvisional ? '（暂定：该年节假日安排尚未公布，公布后可能调整）' : ''}${c.state === 'paused' ? '（征求意见或缴费期间中止计算）' : ''}` : '正在核定'}</td></tr>
            {view.fee ? <tr><th scope="row">信息处理费</th><td>{view.fee.amount} 元（{FEE_METHOD_LABELS[view.fee.method as 'per_request']}）{view.fee.paidOn ? `，已于 ${view.fee.paidOn} 缴纳` : view.fee.deadline ? `，请于 ${view.fee.deadline} 前缴纳` : ''}</td></tr> : null}
          </tbody>
        </table>
      </section>
      {r.outcome && c.state === 'replied' ? (
        <section class="panel" id="reply">
          <h2>答复</h2>
          <p><strong>办理结果：</strong>{outcomeLabel(r.outcome)}</p>
          {r.transferredTo ? <p>已转送：{r.transferredTo}</p> : null}
          {lastReply?.data.replyText ? <p class="pre">{String(lastReply.data.replyText)}</p> : null}
          {lastReply?.data.deliveryMethod ? <p>获取方式：{String(lastReply.data.deliveryMethod)}</p> : null}
          {files.length ? (
            <div id="files">
              <h3>公开的政府信息（可下载）</h3>
              <ul class="list">
                {files.map((f) => (
                  <li><a href={`/track/${encodeURIComponent(r.trackingNo)}/files/${f.id}${q}`} download={f.fileName}>{f.fileName}</a><span class="date">{fileSize(f.size)}</span></li>
                ))}
              </ul>
            </div>
          ) : null}
          <p class="muted">如对答复不服，可在收到答复之日起60日内申请行政复议，或者在6个月内向人民法院提起行政诉讼。</p>
        </section>
      ) : null}
      <section class="panel">
        <h2>办理进程</h2>
        <Timeline view={view} />
      </section>
      <section class="panel">
        <h2>文书</h2>
        <ul class="list">
          {view.letters.filter((k) => k !== 'consultation').map((k) => (
            <li><LetterLinks base={`/track/${encodeURIComponent(r.trackingNo)}/letters`} kind={k} label={LETTER_KIND_LABELS[k]} query={q} /></li>
          ))}
        </ul>
      </section>
    </PortalLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Office: list

export function RequestListPage({ env, list, query, canRegister }: { env: PageEnv; list: RequestList; query: Values; canRegister: boolean }) {
  const qs = (p: number) => `/office/requests?${new URLSearchParams({ ...query, page: String(p) }).toString()}`;
  const { counts } = list;
  return (
    <OfficeLayout title="依申请公开" env={env}>
      <h1>依申请公开</h1>
      <div class="actions">
        {canRegister ? <a class="button" href="/office/requests/new">登记申请（信函、当面、传真、电子邮件）</a> : null}
        <a class="button secondary" href="/office/reviews">行政复议和行政诉讼</a>
        <a class="button secondary" href="/office/calendar">节假日安排</a>
      </div>
      <div class="stats">
        <div class="stat"><span class="n">{counts.open}</span>未办结</div>
        <div class="stat"><span class="n">{counts.overdue}</span>已逾期</div>
        <div class="stat"><span class="n">{counts.dueSoon}</span>5个工作日内到期</div>
        <div class="stat"><span class="n">{counts.correctionPending}</span>等待补正</div>
        <div class="stat"><span class="n">{counts.paused}</span>期限中止</div>
      </div>
      <BarChart title="未办结申请" unit="件" data={[
        { label: '已逾期', value: counts.overdue },
        { label: '5个工作日内到期', value: counts.dueSoon },
        { label: '其他办理中', value: Math.max(0, counts.open - counts.overdue - counts.dueSoon - counts.correctionPending - counts.paused) },
        { label: '等待补正', value: counts.correctionPending },
        { label: '期限中止', value: counts.paused },
      ]} />
      <section class="panel">
        <h2>筛选</h2>
        <form method="get" action="/office/requests" class="filters">
          <Field name="status" label="状态" value={query.status ?? 'open'} options={[{ value: 'open', label: '未办结' }, { value: 'all', label: '全部' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))]} />
          <Field name="agency" label="机关" value={query.agency ?? ''} options={[{ value: '', label: '全部可查看的机关' }, ...list.agencies.map((a) => ({ value: a.code, label: a.name }))]} />
          <Field name="kind" label="类型" value={query.kind ?? ''} options={[{ value: '', label: '全部' }, ...REQUEST_KINDS.map((k) => ({ value: k, label: REQUEST_KIND_LABELS[k] }))]} />
          <Field name="q" label="登记编号或所需信息" value={query.q ?? ''} maxLength={100} />
          <Field name="mine" label="承办人" value={query.mine ?? ''} options={[{ value: '', label: '全部' }, { value: '1', label: '仅我承办的' }]} />
          <button type="submit">筛选</button>
        </form>
      </section>
      <section class="panel">
        <h2>申请列表（共 {list.total} 件，按紧急程度排序）</h2>
        {list.items.length === 0 ? <p>没有符合条件的申请。</p> : (
          <table>
            <thead>
              <tr><th scope="col">登记编号</th><th scope="col">机关</th><th scope="col">所需信息</th><th scope="col">收到日期</th><th scope="col">答复期限</th><th scope="col" class="num">剩余工作日</th><th scope="col">状态</th><th scope="col">承办人</th></tr>
            </thead>
            <tbody>
              {list.items.map(({ request: r, overdue, dueSoon, workingDaysLeft }) => (
                <tr class={overdue ? 'row-overdue' : dueSoon ? 'row-due-soon' : undefined}>
                  <td><a href={`/office/requests/${r.id}`}>{r.trackingNo}</a></td>
                  <td>{r.agencyName}</td>
                  <td>{r.subject}{r.kind === 'record_correction' ? <span class="badge">更正</span> : null}</td>
                  <td>{r.receivedOn}</td>
                  <td>{r.status === 'correction_pending' ? '补正后重新计算' : r.dueOn ? (r.calendarFlag ? <>{r.dueOn} <span class="badge" title="该年节假日安排尚未载入，按法定节假日推算">暂定</span></> : r.dueOn) : r.calendarFlag ? '无法计算' : '—'}</td>
                  <td class="num">{workingDaysLeft == null ? '—' : workingDaysLeft < 0 ? `逾期 ${-workingDaysLeft}` : workingDaysLeft}</td>
                  <td><StatusBadge status={r.status} overdue={overdue} dueSoon={dueSoon} flagged={!!r.calendarFlag && !r.dueOn} /></td>
                  <td>{r.handlerName ?? <span class="muted">未指定</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination page={list.page} pages={list.pages} href={qs} />
      </section>
    </OfficeLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Office: register an application received otherwise

export function RequestNewPage({ env, agencies, values, errors }: { env: PageEnv; agencies: Agency[]; values: Values; errors?: Errors }) {
  const err = errOf(errors);
  const v = (k: string) => values[k] ?? '';
  return (
    <OfficeLayout title="登记申请" env={env}>
      <Breadcrumb items={[{ label: '依申请公开', href: '/office/requests' }, { label: '登记申请' }]} />
      <h1>登记政府信息公开申请</h1>
      <section class="panel">
        <h2>收到申请之日的确定（条例第三十一条）</h2>
        <ul>
          {REQUEST_CHANNELS.map((c) => <li><strong>{REQUEST_CHANNEL_LABELS[c]}</strong>：{RECEIPT_RULES[c].rule}（{RECEIPT_RULES[c].basis}）</li>)}
        </ul>
      </section>
      <section class="panel">
        <h2>申请内容</h2>
        <ErrorSummary errors={errors} />
        <form method="post" action="/office/requests/new" novalidate>
          <Csrf token={env.csrfToken} />
          <Field name="agency" label="受理机关" required value={v('agency') || agencies[0]?.code} error={err('agency')} options={agencies.map((a) => ({ value: a.code, label: a.name }))} />
          <Field name="channel" label="申请方式" required value={v('channel')} error={err('channel')} options={[{ value: '', label: '请选择' }, ...REQUEST_CHANNELS.map((c) => ({ value: c, label: REQUEST_CHANNEL_LABELS[c] }))]} />
          <Field name="receivedOn" label="收到申请之日" required type="date" value={v('receivedOn')} error={err('receivedOn')} hint="信函：签收之日或与申请人确认之日；传真、电子邮件：双方确认之日" />
          <ApplicantFields v={v} err={err} staff />
          <InformationFields v={v} err={err} staff />
          <button type="submit">登记</button>
        </form>
      </section>
    </OfficeLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Office: detail

/** A labelled field whose id is unique per action form (several forms on one page share field names). */
function AField({ form, ...p }: FieldProps & { form: string }) {
  return <Field {...p} id={`a-${form}-${p.name}`} />;
}

function ActionForm({ id, type, title, env, children, errors, open, submit }: { id: number; type: string; title: string; env: PageEnv; children?: ComponentChildren; errors?: Errors; open?: boolean; submit?: string }) {
  return (
    <details class="action-form" open={open}>
      <summary>{title}</summary>
      <form method="post" action={`/office/requests/${id}/actions`} novalidate>
        <Csrf token={env.csrfToken} />
        <input type="hidden" name="type" value={type} />
        {open && errors?.length ? (
          <div class="error-summary" role="alert">
            <h2>无法办理</h2>
            <ul>{errors.map((e) => <li><a href={`#a-${type}-${e.field}`}>{e.message}</a></li>)}</ul>
          </div>
        ) : null}
        {children}
        <button type="submit">{submit ?? title}</button>
      </form>
    </details>
  );
}

function outcomeOptions(kind: string) {
  if (kind === 'record_correction') return [{ value: '', label: '请选择' }, ...RECORD_OUTCOMES.map((k) => ({ value: k, label: RECORD_OUTCOME_LABELS[k] }))];
  const opts = [{ value: '', label: '请选择（年度报告表三的21项）' }];
  for (const f of OUTCOME_FAMILIES) for (const o of outcomesOf(f)) opts.push({ value: o.key, label: `${OUTCOME_FAMILY_SHORT_LABELS[f]}：${o.shortLabel}` });
  return opts;
}

export function RequestDetailPage({ env, view, handlers, failed, values, link, files = [] }: { env: PageEnv; view: RequestView; handlers: { id: number; name: string }[]; failed?: { type: string; errors: Errors }; values?: Values; link?: string; files?: TrackFile[] }) {
  const r = view.request;
  const c = view.clock;
  const a = view.applicant;
  const today = env.notice ? undefined : undefined;
  void today;
  const open = (t: string) => failed?.type === t;
  const val = (t: string, k: string, d = '') => (failed?.type === t ? (values?.[k] ?? d) : d);
  const errs = (t: string) => (failed?.type === t ? failed.errors : undefined);
  const fe = (t: string) => errOf(errs(t));
  const replied = c.state === 'replied';
  const disclosure = r.kind === 'disclosure';
  return (
    <OfficeLayout title={`申请 ${r.trackingNo}`} env={env}>
      <Breadcrumb items={[{ label: '依申请公开', href: '/office/requests' }, { label: r.trackingNo }]} />
      <h1>{REQUEST_KIND_LABELS[r.kind]} {r.trackingNo}</h1>
      {link ? <div class="notice notice-info" role="status">申请人专属查询链接（仅此一次显示，请印在登记回执上或告知申请人）：<br /><code class="break">{link}</code></div> : null}
      {c.dueProvisional ? (
        <div class="notice notice-warning" role="status">答复期限为<strong>暂定</strong>：{c.calendarFlag}。各项办理操作不受影响；管理员在“<a href="/office/calendar">节假日安排</a>”中载入该年通知后，期限自动重新计算。</div>
      ) : c.calendarFlag ? (
        <div class="notice notice-error" role="alert">无法计算答复期限：{c.calendarFlag}。请管理员在“<a href="/office/calendar">节假日安排</a>”中导入该年度的通知。</div>
      ) : null}
      {view.suggestion ? <div class="notice notice-warning" role="status">建议办理结果：<strong>{outcomeLabel(view.suggestion.outcome)}</strong>。{view.suggestion.reason}</div> : null}
      <div class="grid">
        <section class="panel">
          <h2>申请概况</h2>
          <table>
            <tbody>
              <tr><th scope="row">受理机关</th><td>{r.agencyName}</td></tr>
              <tr><th scope="row">申请方式</th><td>{REQUEST_CHANNEL_LABELS[r.channel as 'online'] ?? r.channel}</td></tr>
              <tr><th scope="row">收到申请之日</th><td>{r.receivedOn}</td></tr>
              <tr><th scope="row">所需信息</th><td>{r.subject}</td></tr>
              {r.docNumber ? <tr><th scope="row">文号</th><td>{r.docNumber}</td></tr> : null}
              <tr><th scope="row">内容描述</th><td class="pre">{r.description}</td></tr>
              <tr><th scope="row">获取方式和途径</th><td>{[FORM_WANTED_LABELS[r.formWanted as 'paper'], DELIVERY_LABELS[r.delivery as 'post']].filter(Boolean).join('，') || '—'}</td></tr>
              <tr><th scope="row">状态</th><td><StatusBadge status={c.status} overdue={c.overdue} dueSoon={c.dueSoon} flagged={!!c.calendarFlag && !c.dueProvisional} /></td></tr>
              <tr><th scope="row">办理结果</th><td>{r.outcome ? `${outcomeLabel(r.outcome)}（${r.repliedOn}）` : '—'}{r.transferredTo ? `；转送：${r.transferredTo}` : ''}</td></tr>
              {r.reopenedOn ? <tr><th scope="row">原答复</th><td>{`${outcomeLabel(r.firstOutcome) ?? '—'}（${r.firstRepliedOn ?? ''}）；${r.reopenedOn} 因复议或诉讼结果为纠正重新办理`}</td></tr> : null}
              {view.fee ? <tr><th scope="row">信息处理费</th><td>{view.fee.amount} 元（{FEE_METHOD_LABELS[view.fee.method as 'per_page']}）{view.fee.paidOn ? `，${view.fee.paidOn} 已缴` : view.fee.deadline ? `，缴费期限 ${view.fee.deadline}` : ''}</td></tr> : null}
              <tr><th scope="row">承办人</th><td>{r.handlerName ?? '未指定'}</td></tr>
            </tbody>
          </table>
        </section>
        <section class="panel">
          <h2>申请人{view.canHandle ? '' : '（个人信息已隐藏）'}</h2>
          <table>
            <tbody>
              <tr><th scope="row">类型</th><td>{APPLICANT_KIND_LABELS[a.kind as 'natural_person'] ?? a.kind}</td></tr>
              <tr><th scope="row">姓名或名称</th><td>{a.name}</td></tr>
              {a.idNumber ? <tr><th scope="row">证件号码</th><td>{a.idNumber}</td></tr> : null}
              {a.orgCode ? <tr><th scope="row">统一社会信用代码</th><td>{a.orgCode}</td></tr> : null}
              {a.contact ? <tr><th scope="row">联系人</th><td>{a.contact}</td></tr> : null}
              {a.phone ? <tr><th scope="row">联系电话</th><td>{a.phone}</td></tr> : null}
              {a.email ? <tr><th scope="row">电子邮箱</th><td>{a.email}</td></tr> : null}
              {a.address ? <tr><th scope="row">通信地址</th><td>{a.address} {a.postcode ?? ''}</td></tr> : null}
            </tbody>
          </table>
        </section>
      </div>
      <section class="panel" id="clock">
        <h2>答复期限及其计算过程</h2>
        {c.clock ? (
          <p>
            <strong>{c.state === 'awaiting_correction' ? '等待补正' : `答复期限：${c.dueOn}${c.dueProvisional ? '（暂定）' : ''}`}</strong>　{CLOCK_STATE_LABELS[c.clock.state]}
            {c.workingDaysLeft !== null ? (c.workingDaysLeft < 0 ? `，已逾期 ${-c.workingDaysLeft} 个工作日` : `，还剩 ${c.workingDaysLeft} 个工作日`) : ''}。
            <br />法定答复期限共 {c.clock.limitWorkingDays} 个工作日{c.clock.extendedWorkingDays ? `（含延长的 ${c.clock.extendedWorkingDays} 个）` : ''}{c.clock.pausedWorkingDays ? `，中止期间 ${c.clock.pausedWorkingDays} 个工作日不计入` : ''}；补正告知最迟于 {c.clock.correctionWindowEndsOn}。
          </p>
        ) : null}
        <ol class="trace">
          {c.trace.map((s) => <li>{s.text}</li>)}
        </ol>
      </section>
      {view.canHandle ? (
        <section class="panel" id="actions">
          <h2>办理</h2>
          {!replied ? (
            <>
              {disclosure ? (
                <ActionForm id={r.id} type="request_correction" title="告知补正（第三十条）" env={env} open={open('request_correction')} errors={errs('request_correction')}>
                  <AField form="request_correction" name="on" label="告知日期" type="date" required value={val('request_correction', 'on')} error={fe('request_correction')('on')} hint={c.clock ? `收到申请之日起7个工作日内，最迟 ${c.clock.correctionWindowEndsOn}` : undefined} />
                  <AField form="request_correction" name="items" label="需要补正的事项（每行一项）" textarea rows={3} value={val('request_correction', 'items')} error={fe('request_correction')('items')} />
                  <AField form="request_correction" name="periodWorkingDays" label="补正期限（工作日）" type="number" value={val('request_correction', 'periodWorkingDays', '15')} error={fe('request_correction')('periodWorkingDays')} />
                </ActionForm>
              ) : null}
              <ActionForm id={r.id} type="receive_correction" title="登记收到补正" env={env} open={open('receive_correction')} errors={errs('receive_correction')}>
                <AField form="receive_correction" name="on" label="收到补正之日" type="date" required value={val('receive_correction', 'on')} error={fe('receive_correction')('on')} />
              </ActionForm>
              <ActionForm id={r.id} type="start_consultation" title="征求第三方或其他机关意见（第三十二条、第三十四条）" env={env} open={open('start_consultation')} errors={errs('start_consultation')}>
                <AField form="start_consultation" name="on" label="发出征求意见书之日" type="date" required value={val('start_consultation', 'on')} error={fe('start_consultation')('on')} />
                <AField form="start_consultation" name="party" label="被征求意见方" required value={val('start_consultation', 'party')} error={fe('start_consultation')('party')} maxLength={200} />
                <AField form="start_consultation" name="interest" label="涉及的合法权益（如商业秘密）" value={val('start_consultation', 'interest')} maxLength={200} />
              </ActionForm>
              <ActionForm id={r.id} type="end_consultation" title="征求意见结束" env={env} open={open('end_consultation')} errors={errs('end_consultation')}>
                <AField form="end_consultation" name="on" label="收到意见或期满之日" type="date" required value={val('end_consultation', 'on')} error={fe('end_consultation')('on')} />
                <AField form="end_consultation" name="party" label="被征求意见方（有多项时填写）" value={val('end_consultation', 'party')} error={fe('end_consultation')('party')} maxLength={200} />
              </ActionForm>
              <ActionForm id={r.id} type="extend" title="延长答复期限（第三十三条第二款）" env={env} open={open('extend')} errors={errs('extend')}>
                <AField form="extend" name="on" label="经负责人同意并告知之日" type="date" required value={val('extend', 'on')} error={fe('extend')('on')} />
                <AField form="extend" name="days" label="延长工作日数（累计不超过20）" type="number" value={val('extend', 'days', '20')} error={fe('extend')('days')} />
                <AField form="extend" name="reason" label="延期理由" value={val('extend', 'reason')} maxLength={500} />
              </ActionForm>
              {disclosure ? (
                <>
                  <ActionForm id={r.id} type="notify_fee" title="发出收费通知（国办函〔2020〕109号）" env={env} open={open('notify_fee')} errors={errs('notify_fee')}>
                    <AField form="notify_fee" name="on" label="通知日期" type="date" required value={val('notify_fee', 'on')} error={fe('notify_fee')('on')} />
                    <AField form="notify_fee" name="method" label="收费方式（一件申请只适用一种）" required value={val('notify_fee', 'method')} error={fe('notify_fee')('method')} options={[{ value: '', label: '请选择' }, ...FEE_METHODS.map((m) => ({ value: m, label: FEE_METHOD_LABELS[m] }))]} />
                    <AField form="notify_fee" name="pages" label="页数（按量计收）" type="number" value={val('notify_fee', 'pages')} error={fe('notify_fee')('pages')} />
                    <AField form="notify_fee" name="count" label={`拆分件数（按件计收，一事一申请；现为 ${r.splitItems} 件）`} type="number" value={val('notify_fee', 'count', String(r.splitItems))} error={fe('notify_fee')('count')} />
                    <AField form="notify_fee" name="paymentMethod" label="缴纳方式" value={val('notify_fee', 'paymentMethod')} maxLength={300} />
                  </ActionForm>
                  <ActionForm id={r.id} type="split" title={`按一事一申请拆分计件（国办函〔2020〕109号第四条；现为 ${r.splitItems} 件）`} env={env} open={open('split')} errors={errs('split')}>
                    <AField form="split" name="on" label="拆分日期" type="date" required value={val('split', 'on')} error={fe('split')('on')} />
                    <AField form="split" name="count" label="件数（同一申请人本月其后申请的件次随之计算）" type="number" required value={val('split', 'count', String(r.splitItems))} error={fe('split')('count')} />
                    <AField form="split" name="reason" label="拆分说明" value={val('split', 'reason')} maxLength={500} />
                  </ActionForm>
                  <ActionForm id={r.id} type="receive_payment" title="登记收到缴费" env={env} open={open('receive_payment')} errors={errs('receive_payment')}>
                    <AField form="receive_payment" name="on" label="缴费日期" type="date" required value={val('receive_payment', 'on')} error={fe('receive_payment')('on')} />
                  </ActionForm>
                </>
              ) : null}
              <ActionForm id={r.id} type="reply" title="答复" env={env} open={open('reply') || !!view.suggestion} errors={errs('reply')} submit="作出答复">
                <AField form="reply" name="on" label="答复日期" type="date" required value={val('reply', 'on')} error={fe('reply')('on')} />
                <AField form="reply" name="outcome" label="办理结果" required value={val('reply', 'outcome', view.suggestion?.outcome ?? '')} error={fe('reply')('outcome')} options={outcomeOptions(r.kind)} />
                {disclosure ? null : <AField form="reply" name="to" label="转送的有权更正机关（转送时填写）" value={val('reply', 'to')} error={fe('reply')('to')} maxLength={200} />}
                <AField form="reply" name="replyText" label="答复内容或理由" textarea rows={4} value={val('reply', 'replyText')} error={fe('reply')('replyText')} maxLength={5000} />
                <AField form="reply" name="deliveryMethod" label="信息获取方式（予以公开、部分公开时）" value={val('reply', 'deliveryMethod')} maxLength={300} />
                <AField form="reply" name="referral" label="负责公开的机关及联系方式（本机关不掌握时）" value={val('reply', 'referral')} maxLength={300} />
              </ActionForm>
            </>
          ) : <p>该申请已答复。{view.reviewCases.length ? '' : '如被申请行政复议或提起行政诉讼，请在“行政复议和行政诉讼”中登记。'}</p>}
          <ActionForm id={r.id} type="deliver" title="登记送达" env={env} open={open('deliver')} errors={errs('deliver')}>
            <AField form="deliver" name="letter" label="文书" required value={val('deliver', 'letter')} error={fe('deliver')('letter')} options={[{ value: '', label: '请选择' }, ...view.letters.map((k) => ({ value: k, label: LETTER_KIND_LABELS[k] }))]} />
            <AField form="deliver" name="serviceMethod" label="送达方式" required value={val('deliver', 'serviceMethod')} error={fe('deliver')('serviceMethod')} options={[{ value: '', label: '请选择' }, ...SERVICE_METHODS.map((k) => ({ value: k, label: SERVICE_METHOD_LABELS[k] }))]} />
            <AField form="deliver" name="on" label="送达日期（直接送达为签收之日，邮寄为交邮之日）" type="date" required value={val('deliver', 'on')} error={fe('deliver')('on')} />
          </ActionForm>
          <ActionForm id={r.id} type="note" title="办理备注" env={env} open={open('note')} errors={errs('note')}>
            <AField form="note" name="on" label="日期" type="date" required value={val('note', 'on')} error={fe('note')('on')} />
            <AField form="note" name="note" label="备注" textarea rows={3} value={val('note', 'note')} error={fe('note')('note')} maxLength={2000} />
          </ActionForm>
          <form method="post" action={`/office/requests/${r.id}/assign`} class="assign">
            <Csrf token={env.csrfToken} />
            <Field name="handlerId" label="承办人" value={r.handlerId ? String(r.handlerId) : ''} options={[{ value: '', label: '未指定' }, ...handlers.map((h) => ({ value: String(h.id), label: h.name }))]} />
            <button type="submit" class="secondary">指定承办人</button>
          </form>
        </section>
      ) : null}
      <section class="panel" id="events">
        <h2>办理记录</h2>
        <table>
          <thead><tr><th scope="col">日期</th><th scope="col">事项</th><th scope="col">内容</th><th scope="col">经办人</th></tr></thead>
          <tbody>
            {view.events.map((e) => (
              <tr>
                <td>{e.on}</td>
                <td>{ACTION_LABELS[e.type] ?? e.type}</td>
                <td>{eventDetail(e, handlers)}</td>
                <td>{e.actorName ?? (e.type === 'notify' ? '系统' : e.actorId === null ? '申请人（网上提交）' : '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" id="files">
        <h2>答复附件（向申请人提供的政府信息）</h2>
        {files.length ? (
          <ul class="list">
            {files.map((f) => <li><a href={`/office/requests/${r.id}/files/${f.id}`}>{f.fileName}</a><span class="date">{fileSize(f.size)}</span></li>)}
          </ul>
        ) : <p>尚未上传。</p>}
        <p class="muted">答复作出后，申请人凭专属查询链接或登记编号加手机号码下载这些文件；不在门户公开。</p>
        {view.canHandle ? (
          <form method="post" action={`/office/requests/${r.id}/files`} enctype="multipart/form-data" class="inline-form">
            <input type="hidden" name="_csrf" value={env.csrfToken} />
            <label for="f-reply-file">上传文件</label>
            <input id="f-reply-file" name="file" type="file" required />
            <button type="submit">上传</button>
          </form>
        ) : null}
      </section>
      <section class="panel" id="letters">
        <h2>文书（公文格式 DOCX）</h2>
        <ul class="list">
          {view.letters.map((k) => <li><a href={`/api/v1/requests/${r.id}/letters/${k}.docx`}>{LETTER_KIND_LABELS[k]}</a></li>)}
        </ul>
      </section>
      <section class="panel" id="reviews">
        <h2>行政复议和行政诉讼</h2>
        {view.reviewCases.length ? (
          <table>
            <thead><tr><th scope="col">类型</th><th scope="col">案号</th><th scope="col">受理日期</th><th scope="col">结果</th><th scope="col">审结日期</th></tr></thead>
            <tbody>
              {view.reviewCases.map((rc) => (
                <tr><td><a href={`/office/reviews/${rc.id}`}>{REVIEW_KIND_LABELS[rc.kind] ?? rc.kind}</a></td><td>{rc.caseNo ?? '—'}</td><td>{rc.filedOn}</td><td>{REVIEW_RESULT_LABELS[rc.result] ?? rc.result}</td><td>{rc.concludedOn ?? '—'}</td></tr>
              ))}
            </tbody>
          </table>
        ) : <p>无。</p>}
        {view.canHandle ? <p><a href={`/office/reviews?request=${encodeURIComponent(r.trackingNo)}#new`}>登记与本申请有关的行政复议或行政诉讼</a></p> : null}
      </section>
    </OfficeLayout>
  );
}

function eventDetail(e: EventRow, handlers: { id: number; name: string }[]): string {
  const d = e.data;
  switch (e.type) {
    case 'receive':
      return `申请方式：${REQUEST_CHANNEL_LABELS[d.channel as 'online'] ?? String(d.channel ?? '')}`;
    case 'request_correction':
      return `${Array.isArray(d.items) ? (d.items as string[]).join('；') : ''}${d.periodWorkingDays ? `（补正期限 ${String(d.periodWorkingDays)} 个工作日）` : ''}`;
    case 'start_consultation':
    case 'end_consultation':
      return String(d.party ?? '');
    case 'extend':
      return `${String(d.days)} 个工作日${d.reason ? `；${String(d.reason)}` : ''}`;
    case 'notify_fee':
      return `${FEE_METHOD_LABELS[d.method as 'per_page'] ?? ''} ${String(d.amount)} 元。${String(d.explanation ?? '')}`;
    case 'split':
      return `由 ${String(d.from ?? 1)} 件计为 ${String(d.count)} 件${d.reason ? `；${String(d.reason)}` : ''}`;
    case 'reply':
      return `${outcomeLabel(String(d.outcome)) ?? ''}${d.to ? `；转送 ${String(d.to)}` : ''}${d.replyText ? `。${String(d.replyText)}` : ''}`;
    case 'deliver':
      return `${LETTER_KIND_LABELS[d.letter as 'reply'] ?? ''}，${SERVICE_METHOD_LABELS[d.serviceMethod as 'post'] ?? ''}`;
    case 'assign':
      return d.handlerId ? (handlers.find((h) => h.id === d.handlerId)?.name ?? `#${String(d.handlerId)}`) : '取消指定';
    case 'note':
      return String(d.note ?? '');
    case 'notify':
      return `${String(d.what ?? '')}（${String(d.to ?? '')}）`;
    case 'reopen':
      return `复议或诉讼案件 #${String(d.caseId)} 结果为纠正`;
    default:
      return '';
  }
}

export { OUTCOMES };
