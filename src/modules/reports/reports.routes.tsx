/**
 * The annual report on the web: the portal's 年报专栏 (/reports, /agencies/:code/reports[/:year] with downloads),
 * the JSON API (GET /api/v1/agencies/:code/reports/:year: the published report per the contract; with a token,
 * `?version=draft` the working copy, `?version=computed` computed afresh from the records), and the office's
 * workspace (/office/reports, /office/reports/:code/:year with build, prose, review, sign-off, unlock).
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { ButtonsOnly, Form, formRoute, formSchema } from '../../http/forms.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { currentReportYear } from '../../law/report-deadline.js';
import { hasRole } from '../accounts/access.js';
import { getAgency, listSubtree } from '../agencies/agencies.service.js';
import { todayCst } from '../context.js';
import { OfficeReportPage, OfficeReportsPage, PublishedReportPage, ReportsColumnPage } from './reports.pages.js';
import * as service from './reports.service.js';
import { JOB_REFRESH_SECONDS } from '../jobs/jobs.components.js';
import { waitForJob } from '../jobs/jobs.service.js';

/** How long starting a report's computation waits for it before answering with its progress instead. */
const BUILD_WAIT_MS = 1500;

const FILES: Record<string, service.ReportOutputFormat> = {
  'report.docx': 'docx',
  'report.pdf': 'pdf',
  'report.xlsx': 'xlsx',
  'report.json': 'json',
  'report.html': 'html',
  'report.txt': 'txt',
};

function parseYear(s: string): number {
  if (!/^\d{4}$/.test(s)) throw new AppError('not_found', '年度不存在');
  return Number(s);
}

const RowSchema = Type.Object(
  {
    natural_person: Type.Number(),
    commercial_enterprise: Type.Number(),
    research_institution: Type.Number(),
    social_welfare_org: Type.Number(),
    legal_service_org: Type.Number(),
    other_org: Type.Number(),
    total: Type.Number(),
  },
  { additionalProperties: false },
);
const ResultSchema = Type.Object({ upheld: Type.Number(), corrected: Type.Number(), other: Type.Number(), pending: Type.Number(), total: Type.Number() });
const ReportJsonSchema = Type.Object(
  {
    agency: Type.Object({ code: Type.String(), name: Type.String() }),
    year: Type.Integer(),
    format: Type.Union([Type.Literal('2021'), Type.Literal('2019')]),
    proactive: Type.Object({
      rules: Type.Object({ issued: Type.Number(), abolished: Type.Number(), inForce: Type.Number() }),
      normativeDocuments: Type.Object({ issued: Type.Number(), abolished: Type.Number(), inForce: Type.Number() }),
      licensing: Type.Object({ decisions: Type.Number() }),
      penalties: Type.Object({ decisions: Type.Number() }),
      enforcement: Type.Object({ decisions: Type.Number() }),
      fees: Type.Object({ amount10kYuan: Type.Number() }),
    }),
    requests: Type.Record(Type.String(), RowSchema),
    reviews: Type.Object({ reconsideration: ResultSchema, litigationDirect: ResultSchema, litigationAfterReconsideration: ResultSchema }),
    narrative: Type.Record(Type.String(), Type.String()),
    findings: Type.Array(Type.Object({ severity: Type.String(), rule: Type.String(), message: Type.String(), where: Type.String() })),
    status: Type.Optional(Type.String({ description: 'published | draft | submitted | reviewed | computed' })),
    publishedOn: Type.Optional(Type.String()),
    revision: Type.Optional(Type.Integer()),
    scope: Type.Optional(Type.Array(Type.String(), { description: '汇总的机构代码' })),
    contributions: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])))),
  },
  { description: '年度报告（接口约定 Report JSON）' },
);

export default async function reportsRoutes(app: App) {
  const ctx = app.ctx;

  // ---- Portal: 年报专栏 -------------------------------------------------------------------
  app.get('/reports', { schema: { hide: true } }, async (req, reply) => {
    const entries = await service.listPublished(ctx);
    return reply.page(<ReportsColumnPage env={pageEnv(req)} entries={entries} />, { cache: 'public' });
  });

  app.get('/agencies/:code/reports', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const agency = await getAgency(ctx, code);
    const entries = await service.listPublished(ctx, { agencyCode: code });
    return reply.page(<ReportsColumnPage env={pageEnv(req)} entries={entries} agency={agency} />, { cache: 'public' });
  });

  app.get('/agencies/:code/reports/:year', { schema: { hide: true } }, async (req, reply) => {
    const { code, year } = req.params as { code: string; year: string };
    const { agency, report } = await service.getPublished(ctx, code, parseYear(year));
    const env = pageEnv(req);
    return reply.page(
      <PublishedReportPage env={env} agency={agency} report={report} preface={service.reportPreface(agency, report.year, env.site.name)} dateLine={service.chineseDateLine(report.publishedOn)} />,
      { cache: 'public' },
    );
  });

  app.get('/agencies/:code/reports/:year/:file', { schema: { hide: true } }, async (req, reply) => {
    const { code, year, file } = req.params as { code: string; year: string; file: string };
    const format = FILES[file];
    if (!format) throw new AppError('not_found', '文件不存在');
    const { agency, report } = await service.getPublished(ctx, code, parseYear(year));
    const rollup = (report.scope?.length ?? 0) > 1;
    const buf = await service.renderReport(report, format, {
      preface: service.reportPreface(agency, report.year, app.config.site.name),
      dateLine: service.chineseDateLine(report.publishedOn),
      rollup,
    });
    return sendFile(reply, buf, format, `${agency.name}${report.year}年${rollup ? '度' : ''}政府信息公开工作年度报告${rollup ? '（汇总）' : ''}`);
  });

  // ---- API ---------------------------------------------------------------------------------
  app.get(
    '/api/v1/agencies/:code/reports/:year',
    {
      schema: {
        tags: ['reports'],
        summary: '政府信息公开工作年度报告（JSON）',
        description:
          '默认返回已发布的报告（无需令牌）。持有该机构读取权限的 API 令牌可用 version=draft 取工作稿，version=computed 取按当前记录即时计算的报告（rollup=1 汇总下级单位）。',
        security: [],
        params: Type.Object({ code: Type.String(), year: Type.String({ pattern: '^\\d{4}$' }) }),
        querystring: Type.Object({
          version: Type.Optional(Type.Union([Type.Literal('published'), Type.Literal('draft'), Type.Literal('computed')])),
          rollup: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
        }),
        response: { 200: ReportJsonSchema },
      },
    },
    async (req) => {
      const { code, year } = req.params as { code: string; year: string };
      const q = req.query as { version?: 'published' | 'draft' | 'computed'; rollup?: string };
      const version = q.version ?? 'published';
      const r = await service.reportForApi(ctx, req.actor, code, parseYear(year), version, q.rollup === '1');
      if (version === 'published') {
        const p = r as service.PublishedReport;
        return { ...service.reportJson(p), status: 'published', publishedOn: p.publishedOn, revision: p.revision, scope: p.scope, contributions: p.contributions } as any;
      }
      return r as any;
    },
  );

  // ---- Office --------------------------------------------------------------------------------
  app.get('/office/reports', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const y = currentReportYear(todayCst(ctx.now()));
    const years = [y, y - 1];
    const rows = await service.officeReports(ctx, actor, years);
    return reply.page(<OfficeReportsPage env={pageEnv(req)} rows={rows} years={years} />);
  });

  const officePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    year: number,
    extra: { errors?: { field: string; message: string }[]; error?: string; values?: Record<string, string>; status?: number } = {},
  ) => {
    const actor = requireActor(req);
    const view = await service.getReportView(ctx, actor, code, year);
    // The computation of this report, while it runs (whoever started it), or once it ended when the page was
    // asked with its id (the redirect after starting it).
    const asked = (req.query as { job?: unknown } | undefined)?.job;
    const showJob = await service.reportBuildJob(ctx, view.agency, year, typeof asked === 'string' ? asked : undefined);
    if (showJob && showJob.state !== 'done' && showJob.state !== 'failed') reply.header('refresh', String(JOB_REFRESH_SECONDS));
    const sub = (await listSubtree(ctx, view.agency)).filter((a) => a.id !== view.agency.id);
    const can = {
      write: hasRole(actor, view.agency, ['editor', 'handler', 'reviewer', 'approver']),
      review: hasRole(actor, view.agency, ['reviewer', 'approver']),
      approve: hasRole(actor, view.agency, ['approver']),
    };
    return reply.page(<OfficeReportPage
        env={pageEnv(req)}
        view={view}
        subAgencies={sub}
        can={can}
        errors={extra.errors}
        error={extra.error}
        values={extra.values}
        buildJob={showJob ? { job: showJob, now: ctx.now() } : null}
      />, {
      status: extra.status,
    });
  };

  app.get('/office/reports/:code/:year', { schema: { hide: true } }, async (req, reply) => {
    const { code, year } = req.params as { code: string; year: string };
    return officePage(req, reply, code, parseYear(year));
  });

  app.get('/office/reports/:code/:year/:file', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const { code, year, file } = req.params as { code: string; year: string; file: string };
    const format = FILES[file];
    if (!format) throw new AppError('not_found', '文件不存在');
    const view = await service.getReportView(ctx, actor, code, parseYear(year));
    if (!view.built) throw new AppError('not_found', '报告尚未生成');
    // The working copy: marked 草稿 with its open findings unless it is what was published.
    const buf = await service.renderReport(view.built.report, format, {
      preface: service.reportPreface(view.agency, view.year, app.config.site.name),
      rollup: view.built.scope.length > 1,
      draft: view.status !== 'published',
    });
    return sendFile(reply, buf, format, `${view.agency.name}${view.year}年政府信息公开工作年度报告（工作稿）`);
  });

  /** A form post: run the use case, redirect with a notice, or show the page again with the message and the input. */
  const action = <S extends TObject>(
    path: string,
    form: S,
    run: (req: FastifyRequest<{ Body: Static<S> }>, code: string, year: number) => Promise<string | { to: string }>,
    fieldsOf: (req: FastifyRequest) => Record<string, string> = () => ({}),
  ) => {
    const again = (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
      const { code, year } = req.params as { code: string; year: string };
      return officePage(req, reply, code, parseYear(year), { errors: e.fields, error: e.fields?.length ? undefined : e.message, values: fieldsOf(req), status: e.status });
    };
    app.post(`/office/reports/:code/:year/${path}`, formRoute(form, { invalid: again }), async (req, reply) => {
      const { code, year } = req.params as { code: string; year: string };
      const y = parseYear(year);
      try {
        const notice = await run(req as FastifyRequest<{ Body: Static<S> }>, code, y);
        if (typeof notice !== 'string') return reply.redirect(notice.to, 303);
        return redirectWithNotice(reply, `/office/reports/${encodeURIComponent(code)}/${y}`, notice);
      } catch (e) {
        if (e instanceof AppError && ['validation', 'conflict', 'unprocessable', 'locked', 'forbidden'].includes(e.code)) return again(req, reply, e);
        throw e;
      }
    });
  };

  action(
    'build',
    formSchema({
      scope: Form.optional(Form.list('汇总下级单位', Form.text('下级单位', { maxLength: 40 }))),
      reviewsReading: Form.optional(Form.choice('表四统计口径', ['filed', 'activity'])),
      redraft: Form.flag('重新起草第一、六部分'),
    }),
    async (req, code, year) => {
      const actor = requireActor(req);
      const hasScopeField = (await listSubtree(ctx, await getAgency(ctx, code))).length > 1;
      // The computation runs as a job of the site (a roll-up may read millions of records): a short one is
      // answered as before, a long one's page shows its progress (it refreshes itself until done).
      const id = await service.startReportBuild(ctx, app.jobs, actor, code, year, {
        rollup: hasScopeField ? (req.body.scope ?? []) : undefined,
        reviewsReading: req.body.reviewsReading ?? 'filed',
        redraft: req.body.redraft === '1',
      });
      const job = await waitForJob(ctx, id, BUILD_WAIT_MS);
      if (job?.state === 'done') return '已按最新记录生成报告';
      return { to: `/office/reports/${encodeURIComponent(code)}/${year}?job=${id}` };
    },
  );

  const narrativeFields = (req: FastifyRequest) => ({
    overview: typedRaw(req.body, 'overview'),
    problems: typedRaw(req.body, 'problems'),
    other: typedRaw(req.body, 'other'),
  });
  const section = (title: string) => Form.optional(Form.text(title, { maxLength: service.MAX_SECTION, raw: true }));
  action(
    'narrative',
    formSchema({ overview: section('一、总体情况'), problems: section('五、存在的主要问题及改进情况'), other: section('六、其他需要报告的事项') }),
    async (req, code, year) => {
      const actor = requireActor(req);
      const b = req.body;
      const view = await service.saveNarrative(ctx, actor, code, year, { overview: b.overview ?? '', problems: b.problems ?? '', other: b.other ?? '' });
      const errs = view.built?.report.findings.filter((f) => f.severity === 'error').length ?? 0;
      return errs ? `正文已保存；尚有 ${errs} 项错误，发布前须处理` : '正文已保存';
    },
    narrativeFields,
  );

  action('submit', ButtonsOnly, async (req, code, year) => {
    await service.submitReport(ctx, requireActor(req), code, year);
    return '已送审';
  });

  action(
    'review',
    formSchema({ decision: Form.choice('审核结果', ['approve', 'return']), note: Form.optional(Form.text('退回意见', { maxLength: 2000 })) }),
    async (req, code, year) => {
      const decision = req.body.decision;
      await service.reviewReport(ctx, requireActor(req), code, year, decision, req.body.note);
      return decision === 'approve' ? '审核通过，待签发' : '已退回修改';
    },
    (req) => ({ note: formField(req.body, 'note') ?? '' }),
  );

  action('publish', ButtonsOnly, async (req, code, year) => {
    await service.publishReport(ctx, requireActor(req), code, year);
    return `已签发并发布到年报专栏，${year}年度记录已锁定`;
  });

  action(
    'unlock',
    formSchema({ reason: Form.optional(Form.text('解除年度锁定的理由', { maxLength: 2000 })) }),
    async (req, code, year) => {
      await service.unlockYear(ctx, requireActor(req), code, year, req.body.reason ?? '');
      return `${year}年度已解除锁定，修改记录后请重新生成并发布报告`;
    },
    (req) => ({ reason: formField(req.body, 'reason') ?? '' }),
  );
}

/** A text field as typed, not trimmed (the report's prose), for showing the form again. */
function typedRaw(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

function sendFile(reply: FastifyReply, buf: Buffer, format: service.ReportOutputFormat, name: string) {
  reply.header('content-type', service.REPORT_CONTENT_TYPES[format]);
  if (format !== 'html') {
    const ext = format === 'txt' ? 'txt' : format;
    reply.header('content-disposition', `attachment; filename="report.${ext}"; filename*=UTF-8''${encodeURIComponent(`${name}.${ext}`)}`);
  }
  return reply.send(buf);
}
