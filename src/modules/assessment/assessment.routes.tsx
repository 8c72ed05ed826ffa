/**
 * 考核 pages: /office/assessment (the year's score sheet: chart, ranked table, every figure a link to its
 * records, the office's weights), the records behind a figure, and the Excel export.
 */
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { BarChart, Csrf, ErrorSummary, Section } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import { assessmentRecords, defaultYear, recordsHref, scoreSheet, setWeights, sheetXlsx, type Records } from './assessment.service.js';
import { INDICATORS, INDICATOR_LABELS, INDICATOR_RULES, type Indicator } from './score.js';

const RESULT_LABELS: Record<string, string> = { upheld: '维持', corrected: '纠正', other: '其他结果' };
const MATTER_STATUS: Record<string, string> = { open: '待答复', answered: '已答复，待审核', returned: '已退回', accepted: '已办结' };

function yearOf(req: FastifyRequest, app: App): number {
  const y = (req.query as { year?: string }).year;
  return y && /^\d{4}$/.test(y) ? Number(y) : defaultYear(app.ctx.now());
}

function RecordsTable({ records, year }: { records: Records; year: number }) {
  switch (records.indicator) {
    case 'replies':
      return (
        <table>
          <thead><tr><th scope="col">受理编号</th><th scope="col">申请内容</th><th scope="col">收到日期</th><th scope="col">答复期限</th><th scope="col">答复日期</th><th scope="col">按期</th></tr></thead>
          <tbody>
            {records.rows.map((r) => (
              <tr><td><a href={`/office/requests/${r.id}`}>{r.trackingNo}</a></td><td>{r.subject}</td><td>{r.receivedOn}</td><td>{r.dueOn}</td><td>{r.repliedOn}</td><td>{r.onTime ? '是' : <span class="badge badge-err">超期</span>}</td></tr>
            ))}
          </tbody>
        </table>
      );
    case 'reconsideration':
    case 'litigation':
      return (
        <table>
          <thead><tr><th scope="col">案号</th><th scope="col">受理日期</th><th scope="col">审结日期</th><th scope="col">结果</th></tr></thead>
          <tbody>
            {records.rows.map((r) => (
              <tr><td><a href={`/office/reviews/${r.id}`}>{r.caseNo ?? `案件 ${r.id}`}</a></td><td>{r.filedOn}</td><td>{r.concludedOn}</td><td>{r.result === 'corrected' ? <span class="badge badge-err">纠正</span> : (RESULT_LABELS[r.result] ?? '其他')}</td></tr>
            ))}
          </tbody>
        </table>
      );
    case 'timeliness':
    case 'interpretation':
      return (
        <table>
          <thead><tr><th scope="col">索引号</th><th scope="col">名称</th><th scope="col">生成日期</th><th scope="col">发布期限</th><th scope="col">发布日期</th><th scope="col">{records.indicator === 'timeliness' ? '及时' : '有政策解读'}</th></tr></thead>
          <tbody>
            {records.rows.map((r) => (
              <tr>
                <td>{r.indexNo}</td><td><a href={`/office/items/${r.id}`}>{r.title}</a></td><td>{r.generatedOn ?? '—'}</td><td>{r.dueOn ?? '—'}</td><td>{r.publishedOn}</td>
                <td>{records.indicator === 'timeliness' ? (r.late ? <span class="badge badge-err">逾期</span> : '是') : r.interpreted ? '是' : <span class="badge badge-warn">否</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'supervision':
      return (
        <table>
          <thead><tr><th scope="col">督办事项</th><th scope="col">办理期限</th><th scope="col">首次答复</th><th scope="col">状态</th></tr></thead>
          <tbody>
            {records.rows.map((s) => (
              <tr><td><a href={`/office/supervision/${s.id}`}>{s.title}</a></td><td>{s.deadline}</td><td>{s.firstAnsweredOn ? `${s.firstAnsweredOn}${s.firstAnsweredOn <= s.deadline ? '（按期）' : '（逾期）'}` : '未答复'}</td><td>{MATTER_STATUS[s.status] ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      );
    case 'report':
      return <p><a href={`/office/reports/${year}`}>年度报告</a></p>;
  }
}

export default async function assessmentRoutes(app: App) {
  const ctx = app.ctx;

  const sheetPage = async (req: FastifyRequest, reply: FastifyReply, errors?: { field: string; message: string }[], values?: Record<string, string>) => {
    const actor = requireActor(req);
    const s = await scoreSheet(ctx, actor, { year: yearOf(req, app) });
    const env = pageEnv(req);
    const scored = s.rows.filter((r) => r.score !== null);
    return reply.page(
      <OfficeLayout title={`${s.year}年度考核`} env={env}>
        <h1>{s.year}年度政府信息公开工作考核</h1>
        {errors?.length ? <ErrorSummary errors={errors} /> : null}
        <p class="muted">
          按系统中的记录计算，统计日期 {s.today}。权重：{s.office ? `${s.office.name}设定` : '默认'}。
          <a href={`/office/assessment?year=${s.year - 1}`}>{s.year - 1}年度</a>{' '}
          {s.year < Number(s.today.slice(0, 4)) ? <a href={`/office/assessment?year=${s.year + 1}`}>{s.year + 1}年度</a> : null}{' '}
          <a href={`/office/assessment/export.xlsx?year=${s.year}`}>下载电子表格（XLSX）</a>
        </p>
        {scored.length ? <BarChart title={`${s.year}年度考核得分（满分 100）`} data={scored.map((r) => ({ label: `${r.rank}. ${r.agency.name}`, value: r.score! }))} unit="分" /> : null}
        <Section title="得分表" id="sheet">
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">排名</th>
                  <th scope="col">机构</th>
                  <th scope="col" class="num">得分</th>
                  {INDICATORS.map((k) => <th scope="col">{INDICATOR_LABELS[k]}<span class="muted">（权重 {s.weights[k]}）</span></th>)}
                </tr>
              </thead>
              <tbody>
                {s.rows.map((r) => (
                  <tr>
                    <td class="num">{r.rank ?? '—'}</td>
                    <th scope="row">{r.agency.name}</th>
                    <td class="num">{r.score ?? '—'}</td>
                    {INDICATORS.map((k) => (
                      <td><a href={recordsHref(s.year, r.agency.code, k)}>{r.figures[k].text}<span class="visually-hidden">：{r.agency.name}{INDICATOR_LABELS[k]}的记录</span></a></td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
        <Section title="指标说明" id="rules">
          <dl>
            {INDICATORS.map((k) => <><dt>{INDICATOR_LABELS[k]}</dt><dd>{INDICATOR_RULES[k]}</dd></>)}
            <dt>得分</dt><dd>有记录的各项指标按权重加权平均后乘以 100；某项指标当年没有记录的，不计入该机构的得分。</dd>
          </dl>
        </Section>
        {s.canSetWeights ? (
          <Section title={`${s.year}年度考核权重`} id="weights">
            <form method="post" action={`/office/assessment/weights?year=${s.year}`}>
              <Csrf token={env.csrfToken} />
              {INDICATORS.map((k) => {
                const err = errors?.find((e) => e.field === k)?.message;
                return (
                  <div class={`field${err ? ' field-error' : ''}`}>
                    <label for={`w-${k}`}>{INDICATOR_LABELS[k]}</label>
                    {err ? <p class="error-text" id={`w-${k}-err`}>{err}</p> : null}
                    <input id={`w-${k}`} name={k} type="number" min="0" max="100" inputMode="numeric" required value={values?.[k] ?? String(s.weights[k])} aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `w-${k}-err` : undefined} />
                  </div>
                );
              })}
              <button type="submit">保存权重</button>
            </form>
          </Section>
        ) : null}
      </OfficeLayout>,
      { status: errors ? 400 : 200 },
    );
  };

  app.get('/office/assessment', { schema: { hide: true } }, async (req, reply) => sheetPage(req, reply));

  /** The weights form: one number per indicator (the use case checks the range and the sum). */
  const WeightsForm = formSchema(Object.fromEntries(INDICATORS.map((k) => [k, Form.optional(Form.text(INDICATOR_LABELS[k], { maxLength: 10 }))])));
  const weightsAgain = (req: FastifyRequest, reply: FastifyReply, err: AppError) =>
    sheetPage(req, reply, err.fields ?? [{ field: INDICATORS[0], message: err.message }], Object.fromEntries(INDICATORS.map((k) => [k, formField(req.body, k) ?? ''])));
  app.post('/office/assessment/weights', formRoute(WeightsForm, { invalid: weightsAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const year = yearOf(req, app);
    try {
      await setWeights(ctx, actor, year, req.body);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return weightsAgain(req, reply, err);
      throw err;
    }
    return redirectWithNotice(reply, `/office/assessment?year=${year}`, '考核权重已保存');
  });

  app.get('/office/assessment/export.xlsx', { schema: { hide: true } }, async (req, reply) => {
    const s = await scoreSheet(ctx, requireActor(req), { year: yearOf(req, app) });
    const buf = await sheetXlsx(s, app.config.baseUrl);
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="assessment-${s.year}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${s.year}年度考核.xlsx`)}`);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
  });

  app.get('/office/assessment/:year/:code/:indicator', { schema: { hide: true } }, async (req, reply) => {
    const p = req.params as { year: string; code: string; indicator: string };
    if (!/^\d{4}$/.test(p.year)) throw new AppError('not_found', '年度不存在');
    const year = Number(p.year);
    const { agency, records } = await assessmentRecords(ctx, requireActor(req), year, p.code, p.indicator);
    const label = INDICATOR_LABELS[p.indicator as Indicator];
    const n = 'rows' in records ? records.rows.length : 0;
    return reply.page(
      <OfficeLayout title={`${agency.name} ${label}`} env={pageEnv(req)}>
        <p><a href={`/office/assessment?year=${year}`}>{year}年度考核</a> ›</p>
        <h1>{agency.name}：{label}</h1>
        <p class="muted">{INDICATOR_RULES[p.indicator as Indicator]}。共 {n} 条记录。</p>
        {n || records.indicator === 'report' ? <RecordsTable records={records} year={year} /> : <p>该年度没有记录。</p>}
      </OfficeLayout>,
    );
  });
}
