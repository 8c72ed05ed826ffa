/**
 * /office/jobs: 后台任务 — the jobs of the site's queue with their progress (any process shows them: the
 * records are in the database), one job's page with its result link, error and retry; and
 * GET /api/v1/jobs/:id, a job's progress as JSON. An admin sees every job, anyone else the jobs they started.
 */
import { Type } from '@sinclair/typebox';
import { ButtonsOnly, formRoute } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { redirectWithNotice, requireActor, type App } from '../../http/types.js';
import { isAdmin } from '../accounts/access.js';
import { JOB_REFRESH_SECONDS, jobFinished } from './jobs.components.js';
import { JOBS_BASE, JobPage, JobsPage } from './jobs.pages.js';
import { canRetry, isInterrupted, jobFor, jobsFor, kindLabel, maySeeJob, percentDone, retryJob, SHOWN_STATE_LABELS, shownState, startedBy, type JobRecord } from './jobs.service.js';

const JobJson = Type.Object(
  {
    id: Type.String({ description: '任务 id' }),
    kind: Type.String({ description: '任务类别（队列名），如 report.audit、report.build、search.maintenance' }),
    kindLabel: Type.String({ description: '任务类别的中文名称' }),
    subject: Type.Union([Type.String(), Type.Null()], { description: '任务内容（如“某局2024年度报告”）' }),
    startedBy: Type.String({ description: '发起的账号，或“系统定时任务”' }),
    state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('retrying')], {
      description: 'queued 排队中，running 进行中，done 已完成，failed 失败，retrying 重试中（上次尝试失败或被中断，等待重新执行）',
    }),
    stateLabel: Type.String({ description: '状态的中文名称' }),
    interrupted: Type.Boolean({ description: '执行它的进程已停止响应（重启或退出），等待任务队列重新执行' }),
    done: Type.Integer({ description: '已完成的步数（如已审核的报告份数）' }),
    total: Type.Integer({ description: '总步数；0 表示尚不知道' }),
    percent: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()], { description: '完成百分比；总步数未知时为 null' }),
    current: Type.Union([Type.String(), Type.Null()], { description: '刚完成的一步' }),
    attempts: Type.Integer({ description: '已尝试次数' }),
    maxAttempts: Type.Integer({ description: '最多尝试次数' }),
    error: Type.Union([Type.String(), Type.Null()], { description: '失败原因（中文）' }),
    createdAt: Type.String({ description: 'ISO 8601 时间' }),
    startedAt: Type.Union([Type.String({ description: 'ISO 8601 时间' }), Type.Null()]),
    finishedAt: Type.Union([Type.String({ description: 'ISO 8601 时间' }), Type.Null()]),
    url: Type.String({ description: '任务页面（工作台）' }),
    resultUrl: Type.Union([Type.String(), Type.Null()], { description: '完成后查看结果的页面' }),
  },
  { additionalProperties: false },
);

function jobJson(job: JobRecord, now: Date) {
  const s = shownState(job, now);
  return {
    id: job.id,
    kind: job.kind,
    kindLabel: kindLabel(job.kind),
    subject: job.subject,
    startedBy: startedBy(job),
    state: s,
    stateLabel: SHOWN_STATE_LABELS[s],
    interrupted: isInterrupted(job, now),
    done: job.done,
    total: job.total,
    percent: percentDone(job),
    current: job.current,
    attempts: job.attempts,
    maxAttempts: job.retryLimit + 1,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    url: `${JOBS_BASE}/${job.id}`,
    resultUrl: job.state === 'done' ? job.href : null,
  };
}

export default async function jobsRoutes(app: App) {
  const ctx = app.ctx;

  app.get(JOBS_BASE, { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const jobs = await jobsFor(ctx, actor);
    if (jobs.some((j) => !jobFinished(j))) reply.header('refresh', String(JOB_REFRESH_SECONDS * 2));
    return reply.page(<JobsPage env={pageEnv(req)} jobs={jobs} now={ctx.now()} admin={isAdmin(actor)} />);
  });

  app.get(`${JOBS_BASE}/:id`, { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const job = await jobFor(ctx, actor, (req.params as { id: string }).id);
    if (!jobFinished(job)) reply.header('refresh', String(JOB_REFRESH_SECONDS));
    return reply.page(<JobPage env={pageEnv(req)} job={job} now={ctx.now()} canRetry={maySeeJob(actor, job) && (await canRetry(ctx, job))} />);
  });

  app.post(`${JOBS_BASE}/:id/retry`, formRoute(ButtonsOnly), async (req, reply) => {
    const actor = requireActor(req);
    const id = (req.params as { id: string }).id;
    await retryJob(ctx, (n, d, o) => app.jobs.send(n, d, o), actor, id);
    return redirectWithNotice(reply, `${JOBS_BASE}/${id}`, '已重新排队，任务将再次执行');
  });

  app.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: '后台任务的状态与进度（批量报告审核、年度报告生成等；发起的账号或系统管理员）',
        operationId: 'getJob',
        params: Type.Object({ id: Type.String({ description: '任务 id' }) }),
        response: { 200: JobJson },
      },
    },
    async (req) => jobJson(await jobFor(ctx, requireActor(req), (req.params as { id: string }).id), ctx.now()),
  );
}
