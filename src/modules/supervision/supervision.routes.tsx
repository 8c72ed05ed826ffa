/**
 * 督办 pages: /office/supervision (both sides' list, counts per agency and year, CSV/XLSX export), the form to
 * open one (/office/supervision/new, for oversight offices), each 督办 with its steps and files, the agency's
 * answer (text and files) and the office's acceptance or return.
 */
import { acceptUploads } from '../../http/uploads.js';
import { asBuffer, ButtonsOnly, Form, formRoute, formSchema, typedList } from '../../http/forms.js';
import ExcelJS from 'exceljs';
import { AppError } from '../../errors.js';
import { pageEnv } from '../../http/page-env.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { addDays } from '../../law/calendar.js';
import type { PageEnv } from '../../ui/env.js';
import { Csrf, ErrorSummary, Field, Section } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import { todayCst } from '../context.js';
import { runningLimits } from '../requests/notices.service.js';
import {
  EXPORT_HEADER,
  MATTERS,
  MATTER_LABELS,
  STEP_LABELS,
  SUPERVISION_STATUS_LABELS,
  acceptSupervision,
  answerSupervision,
  exportRows,
  getSupervision,
  listSupervisions,
  openSupervision,
  returnSupervision,
  supervisableAgencies,
  supervisionCounts,
  supervisionFile,
  type OpenInput,
  type SupervisionRow,
  type Upload,
} from './supervision.service.js';

const STATUS_BADGE: Record<SupervisionRow['status'], string> = { open: 'badge-info', answered: 'badge-warn', returned: 'badge-err', accepted: 'badge-ok' };

type FieldErrors = { field: string; message: string }[];

function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // not a formula in a spreadsheet
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function yearOf(q: unknown): number | undefined {
  const y = (q as { year?: string }).year;
  return y && /^\d{4}$/.test(y) ? Number(y) : undefined;
}

function StatusBadge({ s, today }: { s: SupervisionRow; today: string }) {
  const late = s.status !== 'accepted' && !s.firstAnsweredOn && today > s.deadline;
  return (
    <>
      <span class={`badge ${STATUS_BADGE[s.status]}`}>{SUPERVISION_STATUS_LABELS[s.status]}</span>
      {late ? <> <span class="badge badge-err">逾期未答复</span></> : null}
    </>
  );
}

function NewForm(p: { env: PageEnv; agencies: { code: string; name: string }[]; values: Record<string, string>; overdue: { trackingNo: string; subject: string; dueOn: string }[]; errors?: FieldErrors }) {
  const fe = (f: string) => p.errors?.find((e) => e.field === f)?.message;
  const v = p.values;
  return (
    <OfficeLayout title="发起督办" env={p.env}>
      <h1>发起督办</h1>
      {p.errors?.length ? <ErrorSummary errors={p.errors} /> : null}
      <form method="get" action="/office/supervision/new" class="panel">
        <p>先选择被督办机构和事项类型，可列出该机构已超期的申请。</p>
        <Field id="pick-agency" name="agency" label="被督办机构" value={v.agency} options={p.agencies.map((a) => ({ value: a.code, label: a.name }))} />
        <Field id="pick-matter" name="matter" label="事项类型" value={v.matter} options={MATTERS.map((m) => ({ value: m, label: MATTER_LABELS[m] }))} />
        <button type="submit" class="secondary">选择</button>
      </form>
      <form method="post" action="/office/supervision" class="panel">
        <Csrf token={p.env.csrfToken} />
        <input type="hidden" name="agency" value={v.agency} />
        <input type="hidden" name="matter" value={v.matter} />
        <p>
          被督办机构：<strong>{p.agencies.find((a) => a.code === v.agency)?.name ?? '（请先选择）'}</strong>；事项类型：<strong>{MATTER_LABELS[v.matter as 'other'] ?? '（请先选择）'}</strong>
        </p>
        {v.matter === 'requests' ? (
          <>
            {p.overdue.length ? (
              <fieldset>
                <legend>该机构已超期的申请</legend>
                <ul class="list">
                  {p.overdue.map((r) => (
                    <li>
                      <input type="checkbox" id={`r-${r.trackingNo}`} name="trackingNos" value={r.trackingNo} checked />{' '}
                      <label for={`r-${r.trackingNo}`}>{r.trackingNo} {r.subject}（期限 {r.dueOn}）</label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            ) : (
              <p>该机构目前没有已超期的申请；可在下面填写受理编号。</p>
            )}
            <Field name="trackingNos" label="其他受理编号（每行一个）" textarea rows={3} value={p.overdue.length ? '' : v.trackingNos} error={fe('trackingNos')} />
          </>
        ) : null}
        {v.matter === 'report' ? <Field name="reportYear" label="年度报告的年度" type="number" inputMode="numeric" required value={v.reportYear} error={fe('reportYear')} hint="将附上该年度报告的发布情况和检查发现的问题。" /> : null}
        <Field name="title" label="督办事项" value={v.title} error={fe('title')} maxLength={200} required={v.matter === 'other'} hint={v.matter === 'other' ? undefined : '可不填，自动生成。'} />
        <Field name="details" label="督办要求" textarea rows={4} value={v.details} error={fe('details')} maxLength={5000} required={v.matter === 'other'} />
        <Field name="deadline" label="办理期限" type="date" required value={v.deadline} error={fe('deadline')} />
        <button type="submit">发起督办</button>
      </form>
    </OfficeLayout>
  );
}

export default async function supervisionRoutes(app: App) {
  const ctx = app.ctx;
  await acceptUploads(app, { files: 5, fields: 10, fieldSize: 100_000, parts: 16 });

  app.get('/office/supervision', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const year = yearOf(req.query);
    const today = todayCst(ctx.now());
    const [rows, counts, targets] = await Promise.all([listSupervisions(ctx, actor, { year }), supervisionCounts(ctx, actor, { year }), supervisableAgencies(ctx, actor)]);
    const env = pageEnv(req);
    const q = year ? `?year=${year}` : '';
    return reply.page(
      <OfficeLayout title="督办" env={env}>
        <h1>督办</h1>
        <p class="muted">
          上级监督检查机构对所辖机构的督办：超期未答复的申请、逾期或有误的年度报告、其他事项。被督办机构在期限内书面答复（可附文件），监督检查机构认可后办结或退回重新答复。
        </p>
        <p class="actions">
          {targets.length ? <a class="button" href="/office/supervision/new">发起督办</a> : null}{' '}
          <a href={`/office/supervision/export.csv${q}`}>下载（CSV）</a>{' '}
          <a href={`/office/supervision/export.xlsx${q}`}>下载电子表格（XLSX）</a>
        </p>
        <form method="get" action="/office/supervision" class="inline">
          <label for="year">年度</label> <input id="year" name="year" type="number" inputMode="numeric" value={year ? String(year) : ''} />{' '}
          <button type="submit" class="secondary">筛选</button>
        </form>
        <Section title={`督办事项（${rows.length}）`} id="list">
          {rows.length ? (
            <table>
              <thead>
                <tr><th scope="col">编号</th><th scope="col">督办事项</th><th scope="col">被督办机构</th><th scope="col">督办机构</th><th scope="col">类型</th><th scope="col">办理期限</th><th scope="col">状态</th></tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr>
                    <td>{s.id}</td>
                    <td><a href={`/office/supervision/${s.id}`}>{s.title}</a></td>
                    <td>{s.agencyName}</td>
                    <td>{s.officeName}</td>
                    <td>{MATTER_LABELS[s.matter]}</td>
                    <td>{s.deadline}</td>
                    <td><StatusBadge s={s} today={today} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>暂无督办事项。</p>
          )}
        </Section>
        <Section title="各机构督办统计" id="counts">
          {counts.length ? (
            <table>
              <thead>
                <tr><th scope="col">机构</th><th scope="col" class="num">年度</th><th scope="col" class="num">督办</th><th scope="col" class="num">按期答复</th><th scope="col" class="num">逾期答复</th><th scope="col" class="num">未答复</th><th scope="col" class="num">已办结</th></tr>
              </thead>
              <tbody>
                {counts.map((c) => (
                  <tr><th scope="row">{c.agency.name}</th><td class="num">{c.year}</td><td class="num">{c.opened}</td><td class="num">{c.answeredOnTime}</td><td class="num">{c.answeredLate}</td><td class="num">{c.unanswered}</td><td class="num">{c.accepted}</td></tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>暂无。</p>
          )}
        </Section>
      </OfficeLayout>,
    );
  });

  const newForm = async (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors?: FieldErrors) => {
    const actor = requireActor(req);
    const agencies = await supervisableAgencies(ctx, actor);
    if (!agencies.length) throw new AppError('forbidden', '只有上级监督检查机构的监督检查账号可以发起督办');
    const v: Record<string, string> = { matter: 'requests', deadline: addDays(todayCst(ctx.now()), 10), reportYear: String(Number(todayCst(ctx.now()).slice(0, 4)) - 1), ...values };
    if (!agencies.some((a) => a.code === v.agency)) v.agency = agencies[0]!.code;
    const agency = agencies.find((a) => a.code === v.agency);
    const today = todayCst(ctx.now());
    const overdue = agency && v.matter === 'requests' ? (await runningLimits(ctx, [agency.id])).filter((r) => r.dueOn < today).slice(0, 100) : [];
    return reply.page(<NewForm env={pageEnv(req)} agencies={agencies} values={v} overdue={overdue} errors={errors} />, { status: errors ? 400 : 200 });
  };

  app.get('/office/supervision/new', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    return newForm(req, reply, { agency: q.agency ?? '', matter: q.matter && (MATTERS as readonly string[]).includes(q.matter) ? q.matter : 'requests', ...(q.year ? { reportYear: q.year } : {}) });
  });

  /** The form of a new 督办 (NewForm): the picked applications are ticked boxes and a textarea of the same name. */
  const OpenForm = formSchema({
    agency: Form.optional(Form.text('被督办机构', { maxLength: 40 })),
    matter: Form.optional(Form.choice('事项类型', MATTERS, { empty: true })),
    trackingNos: Form.optional(Form.list('被督办的申请', Form.text('登记编号', { maxLength: 5000 }), { maxItems: 200 })),
    reportYear: Form.optional(Form.integer('报告年度', { digits: 4 })),
    title: Form.optional(Form.text('督办事项', { maxLength: 200 })),
    details: Form.optional(Form.text('督办要求', { maxLength: 5000 })),
    deadline: Form.optional(Form.date('办理期限')),
  });
  const splitTrackingNos = (list: string[]) => list.flatMap((x) => x.split(/[\s,，、；;]+/)).filter(Boolean);
  const openAgain = (req: FastifyRequest, reply: FastifyReply, err: AppError) => {
    const f = (k: string) => formField(req.body, k) ?? '';
    const values = { agency: f('agency'), matter: f('matter'), title: f('title'), details: f('details'), deadline: f('deadline'), reportYear: f('reportYear'), trackingNos: splitTrackingNos(typedList(req.body, 'trackingNos')).join('\n') };
    return newForm(req, reply, values, err.fields ?? [{ field: 'title', message: err.message }]);
  };
  app.post('/office/supervision', formRoute(OpenForm, { invalid: openAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const b = req.body;
    const input: OpenInput = {
      agency: b.agency,
      matter: b.matter,
      title: b.title,
      details: b.details,
      trackingNos: splitTrackingNos(b.trackingNos ?? []),
      reportYear: b.reportYear,
      deadline: b.deadline,
    };
    try {
      const id = await openSupervision(ctx, actor, input);
      return redirectWithNotice(reply, `/office/supervision/${id}`, '督办已发起，已通知被督办机构');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return openAgain(req, reply, err);
      throw err;
    }
  });

  const detail = async (req: FastifyRequest, reply: FastifyReply, id: number, errors?: FieldErrors, answerText?: string) => {
    const actor = requireActor(req);
    const v = await getSupervision(ctx, actor, id);
    const s = v.s;
    const env = pageEnv(req);
    const today = todayCst(ctx.now());
    const fe = (f: string) => errors?.find((e) => e.field === f)?.message;
    return reply.page(
      <OfficeLayout title={`督办：${s.title}`} env={env}>
        <p><a href="/office/supervision">督办</a> ›</p>
        <h1>督办：{s.title}</h1>
        {errors?.length ? <ErrorSummary errors={errors} /> : null}
        <dl class="meta">
          <dt>督办机构</dt><dd>{s.officeName}</dd>
          <dt>被督办机构</dt><dd>{s.agencyName}</dd>
          <dt>事项类型</dt><dd>{MATTER_LABELS[s.matter]}</dd>
          <dt>办理期限</dt><dd>{s.deadline}</dd>
          <dt>状态</dt><dd><StatusBadge s={s} today={today} /></dd>
          {s.firstAnsweredOn ? <><dt>首次答复</dt><dd>{s.firstAnsweredOn}{s.firstAnsweredOn <= s.deadline ? '（按期）' : '（逾期）'}</dd></> : null}
        </dl>
        {v.requests.length ? (
          <Section title="被督办的申请" id="requests">
            <ul class="list">
              {v.requests.map((r) => (
                <li><a href={`/office/requests/${r.id}`}>{r.trackingNo}</a> {r.subject}（答复期限 {r.dueOn ?? '—'}{r.status === 'replied' ? '，已答复' : ''}）</li>
              ))}
            </ul>
          </Section>
        ) : null}
        {s.reportYear ? (
          <Section title={`${s.reportYear}年度报告`} id="report">
            <p>
              <a href={`/office/reports/${encodeURIComponent(s.agencyCode)}/${s.reportYear}`}>查看年度报告</a>
              {s.findings?.reportState ? `；督办时状态：${s.findings.reportState}（法定期限 ${s.findings.deadline ?? ''}）` : ''}
            </p>
            {s.findings?.findings?.length ? (
              <ul class="findings">
                {s.findings.findings.map((f) => <li><span class={`badge ${f.severity === 'error' ? 'badge-err' : 'badge-warn'}`}>{f.severity === 'error' ? '错误' : '提示'}</span> {f.message}</li>)}
              </ul>
            ) : <p>督办时未发现报告错误。</p>}
          </Section>
        ) : null}
        <Section title="办理过程" id="steps">
          <ol class="steps">
            {v.steps.map((st) => (
              <li>
                <p><strong>{STEP_LABELS[st.step] ?? '办理'}</strong> <span class="muted">{st.on}，{st.actorName ?? '系统'}</span></p>
                <p style="white-space: pre-line">{st.text}</p>
                {st.files.length ? (
                  <ul class="list">
                    {st.files.map((f) => <li><a href={`/office/supervision/files/${f.id}`}>{f.fileName}</a>（{Math.max(1, Math.round(f.size / 1024))} KB）</li>)}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        </Section>
        {v.canAnswer ? (
          <Section title="答复督办" id="answer">
            <form method="post" action={`/office/supervision/${s.id}/answer`} enctype="multipart/form-data">
              <Csrf token={env.csrfToken} />
              <Field name="text" label="答复内容" textarea rows={6} required value={answerText} error={fe('text')} maxLength={10000} />
              <div class={`field${fe('files') ? ' field-error' : ''}`}>
                <label for="f-files">附件（可选，最多 5 个）</label>
                {fe('files') ? <p class="error-text" id="f-files-err">{fe('files')}</p> : null}
                <input id="f-files" type="file" name="files" multiple aria-describedby={fe('files') ? 'f-files-err' : undefined} />
              </div>
              <button type="submit">提交答复</button>
            </form>
          </Section>
        ) : null}
        {v.canReview ? (
          <Section title="审核答复" id="review">
            <form method="post" action={`/office/supervision/${s.id}/accept`} class="inline">
              <Csrf token={env.csrfToken} />
              <button type="submit">认可答复，办结</button>
            </form>
            <form method="post" action={`/office/supervision/${s.id}/return`}>
              <Csrf token={env.csrfToken} />
              <Field name="text" label="退回理由" textarea rows={3} required error={fe('text')} maxLength={5000} />
              <button type="submit" class="secondary">退回重新答复</button>
            </form>
          </Section>
        ) : null}
      </OfficeLayout>,
      { status: errors ? 400 : 200 },
    );
  };

  const idOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);

  app.get('/office/supervision/:id', { schema: { hide: true } }, async (req, reply) => {
    if (!/^\d+$/.test((req.params as { id: string }).id)) throw new AppError('not_found', '督办不存在');
    return detail(req, reply, idOf(req));
  });

  const AnswerForm = formSchema({
    text: Form.optional(Form.text('答复内容', { maxLength: 10000, raw: true })),
    files: Form.optional(Form.list('附件', Form.file('附件'), { maxItems: 20 })),
  });
  const answerAgain = (req: FastifyRequest, reply: FastifyReply, err: AppError) => detail(req, reply, idOf(req), err.fields, formField(req.body, 'text'));
  app.post('/office/supervision/:id/answer', formRoute(AnswerForm, { invalid: answerAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const files: Upload[] = (req.body.files ?? []).map((f) => ({ ...f, data: asBuffer(f.data) }));
    const text = req.body.text ?? '';
    try {
      await answerSupervision(ctx, actor, idOf(req), { text, files }, { maxBytes: app.config.maxUploadBytes });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return detail(req, reply, idOf(req), err.fields, text);
      throw err;
    }
    return redirectWithNotice(reply, `/office/supervision/${idOf(req)}`, '答复已提交，已通知督办机构');
  });

  app.post('/office/supervision/:id/accept', formRoute(ButtonsOnly), async (req, reply) => {
    await acceptSupervision(ctx, requireActor(req), idOf(req), {});
    return redirectWithNotice(reply, `/office/supervision/${idOf(req)}`, '督办已办结');
  });

  const ReturnForm = formSchema({ text: Form.optional(Form.text('退回理由', { maxLength: 5000 })) });
  app.post('/office/supervision/:id/return', formRoute(ReturnForm, { invalid: (req, reply, err) => detail(req, reply, idOf(req), err.fields) }), async (req, reply) => {
    try {
      await returnSupervision(ctx, requireActor(req), idOf(req), { text: req.body.text });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return detail(req, reply, idOf(req), err.fields);
      throw err;
    }
    return redirectWithNotice(reply, `/office/supervision/${idOf(req)}`, '答复已退回，已通知被督办机构');
  });

  app.get('/office/supervision/files/:id', { schema: { hide: true } }, async (req, reply) => {
    const f = await supervisionFile(ctx, requireActor(req), idOf(req));
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
    return reply.type(f.mediaType).send(f.data);
  });

  const exportData = async (req: FastifyRequest) => {
    const actor = requireActor(req);
    const rows = await listSupervisions(ctx, actor, { year: yearOf(req.query) });
    return exportRows(rows, todayCst(ctx.now()));
  };

  app.get('/office/supervision/export.csv', { schema: { hide: true } }, async (req, reply) => {
    const rows = await exportData(req);
    const body = '\ufeff' + [EXPORT_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="supervision.csv"; filename*=UTF-8''${encodeURIComponent('督办事项.csv')}`);
    return reply.type('text/csv; charset=utf-8').send(body);
  });

  app.get('/office/supervision/export.xlsx', { schema: { hide: true } }, async (req, reply) => {
    const rows = await exportData(req);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('督办事项');
    ws.addRow(EXPORT_HEADER).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.columns.forEach((c, i) => (c.width = [8, 24, 24, 8, 22, 40, 12, 16, 14, 16, 12][i] ?? 14));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="supervision.xlsx"; filename*=UTF-8''${encodeURIComponent('督办事项.xlsx')}`);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
  });
}
