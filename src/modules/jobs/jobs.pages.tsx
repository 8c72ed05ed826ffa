/** 后台任务: the office's list of recent and running jobs, and one job's page (progress, result, error, retry). */
import { Breadcrumb, Csrf, Section } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { beijingTime, JOB_REFRESH_SECONDS, JobProgressBar, JobStateBadge, jobFinished, stateSentence } from './jobs.components.js';
import { kindLabel, startedBy, type JobRecord } from './jobs.service.js';

export const JOBS_BASE = '/office/jobs';

const crumbs = (last?: string) => (
  <Breadcrumb items={[{ label: '工作台', href: '/office' }, ...(last ? [{ label: '后台任务', href: JOBS_BASE }, { label: last }] : [{ label: '后台任务' }])]} />
);

export function JobsPage({ env, jobs, now, admin }: { env: PageEnv; jobs: JobRecord[]; now: Date; admin: boolean }) {
  const active = jobs.filter((j) => !jobFinished(j));
  return (
    <OfficeLayout title="后台任务" env={env}>
      {active.length ? <meta http-equiv="refresh" content={String(JOB_REFRESH_SECONDS * 2)} /> : null}
      {crumbs()}
      <h1>后台任务</h1>
      <p>
        批量报告审核、年度报告生成、搜索维护和办理期限提醒等工作在后台执行，不占用页面等待。
        {admin ? '本页列出全站正在执行、排队中的任务和最近一天内的任务。' : '本页列出您发起的正在执行、排队中的任务和最近一天内的任务。'}
        失败的任务可以重试。
      </p>
      {active.length ? <p class="muted">有任务正在执行，本页每 {JOB_REFRESH_SECONDS * 2} 秒自动刷新。</p> : null}
      <Section title={`任务列表（${jobs.length}）`} id="jobs">
        {jobs.length === 0 ? (
          <p>最近一天内没有后台任务。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">任务</th>
                <th scope="col">内容</th>
                <th scope="col">发起</th>
                <th scope="col">状态</th>
                <th scope="col">进度</th>
                <th scope="col">开始时间（北京时间）</th>
                <th scope="col">结束时间（北京时间）</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr data-job={j.id}>
                  <th scope="row">
                    <a href={`${JOBS_BASE}/${j.id}`}>{kindLabel(j.kind)}</a>
                  </th>
                  <td>{j.subject ?? '—'}</td>
                  <td>{startedBy(j)}</td>
                  <td>
                    <JobStateBadge job={j} now={now} />
                  </td>
                  <td>
                    <JobProgressBar job={j} compact />
                  </td>
                  <td>{beijingTime(j.startedAt ?? j.createdAt)}</td>
                  <td>{beijingTime(j.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </OfficeLayout>
  );
}

export function JobPage({ env, job, now, canRetry }: { env: PageEnv; job: JobRecord; now: Date; canRetry: boolean }) {
  const finished = jobFinished(job);
  const title = `${kindLabel(job.kind)}${finished ? '' : '进度'}`;
  return (
    <OfficeLayout title={title} env={env}>
      {finished ? null : <meta http-equiv="refresh" content={String(JOB_REFRESH_SECONDS)} />}
      {crumbs(kindLabel(job.kind))}
      <h1>{title}</h1>
      <div class="panel job-progress" role="status" aria-live="polite" data-state={job.state}>
        <p>
          <JobStateBadge job={job} now={now} /> {stateSentence(job, now)}
        </p>
        <JobProgressBar job={job} />
        {job.current && !finished ? <p class="muted">刚完成：{job.current}</p> : null}
        {finished ? null : <p class="muted">本页每 {JOB_REFRESH_SECONDS} 秒自动刷新，无需停留在本页。</p>}
      </div>
      {job.error ? (
        <div class={`notice ${job.state === 'failed' ? 'notice-error' : 'notice-warning'}`} role={job.state === 'failed' ? 'alert' : undefined}>
          {job.state === 'failed' ? job.error : `上一次尝试：${job.error}`}
        </div>
      ) : null}
      <div class="actions">
        {job.state === 'done' && job.href ? (
          <a class="button" href={job.href}>
            查看结果
          </a>
        ) : null}
        {canRetry ? (
          <form method="post" action={`${JOBS_BASE}/${job.id}/retry`} class="inline">
            <Csrf token={env.csrfToken} />
            <button type="submit">重试</button>
          </form>
        ) : null}
        {job.state === 'failed' && !canRetry ? <p class="muted">该任务上传的文件已清理，不能重试；请重新发起。</p> : null}
      </div>
      <Section title="任务信息" id="details">
        <dl class="meta">
          <dt>任务</dt>
          <dd>{kindLabel(job.kind)}</dd>
          <dt>内容</dt>
          <dd>{job.subject ?? '—'}</dd>
          <dt>发起</dt>
          <dd>{startedBy(job)}</dd>
          <dt>创建时间</dt>
          <dd>{beijingTime(job.createdAt)}（北京时间）</dd>
          <dt>开始时间</dt>
          <dd>{beijingTime(job.startedAt)}（北京时间）</dd>
          <dt>结束时间</dt>
          <dd>{beijingTime(job.finishedAt)}（北京时间）</dd>
          <dt>尝试次数</dt>
          <dd>
            {job.attempts}（最多 {job.retryLimit + 1} 次）
          </dd>
        </dl>
      </Section>
    </OfficeLayout>
  );
}
