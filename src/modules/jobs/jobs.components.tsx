/**
 * A background job as pages show it (the jobs page, and the pages that start a job: the batch report audit,
 * a report's computation): its state in words, a progress bar that needs no script (<progress> and the figures
 * beside it), the error in Chinese, times in Beijing time. A page showing a job that is not finished refreshes
 * itself (<meta http-equiv="refresh">; routes also send the Refresh header).
 */
import { isInterrupted, kindLabel, percentDone, SHOWN_STATE_LABELS, shownState, startedBy, type JobRecord, type ShownState } from './jobs.service.js';

/** Seconds between refreshes of a page showing an unfinished job. */
export const JOB_REFRESH_SECONDS = 2;

/** An instant as Beijing time, 'YYYY-MM-DD HH:MM:SS'. */
export const beijingTime = (d: Date | null): string => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19) : '—');

export const jobFinished = (job: Pick<JobRecord, 'state'>): boolean => job.state === 'done' || job.state === 'failed';

const STATE_BADGE: Record<ShownState, string> = { queued: 'badge-info', running: 'badge-info', done: 'badge-ok', failed: 'badge-err', retrying: 'badge-warn' };

export function JobStateBadge({ job, now }: { job: JobRecord; now: Date }) {
  const s = shownState(job, now);
  return (
    <span class={`badge ${STATE_BADGE[s]}`} data-state={s}>
      {SHOWN_STATE_LABELS[s]}
    </span>
  );
}

/** '3 / 10（30%）', or the steps done while the total is unknown. */
export function progressText(job: JobRecord): string {
  const p = percentDone(job);
  if (job.total > 0) return `${job.done} / ${job.total}（${p}%）`;
  return job.state === 'done' ? '100%' : job.done > 0 ? `已完成 ${job.done} 步` : '尚未开始';
}

export function JobProgressBar({ job, compact }: { job: JobRecord; compact?: boolean }) {
  const text = progressText(job);
  const max = job.total > 0 ? job.total : 1;
  const value = job.state === 'done' ? max : job.total > 0 ? Math.min(job.done, job.total) : undefined;
  return (
    <span class={compact ? 'job-progress-cell' : undefined}>
      <progress max={max} value={value} aria-label={`进度 ${text}`}>
        {text}
      </progress>
      <span class="job-progress-text">{text}</span>
    </span>
  );
}

/** What the state means in a sentence (retries, interruptions). */
export function stateSentence(job: JobRecord, now: Date): string {
  const s = shownState(job, now);
  if (isInterrupted(job, now)) return '执行该任务的服务进程已停止响应（可能已重启），任务将由任务队列重新执行。';
  if (s === 'retrying') return `上一次尝试未成功，等待第 ${job.attempts + 1} 次尝试（最多 ${job.retryLimit + 1} 次）。`;
  if (s === 'queued') return '任务已排队，等待后台执行。';
  if (s === 'running') return job.attempts > 1 ? `正在执行（第 ${job.attempts} 次尝试）。` : '正在执行。';
  if (s === 'done') return `已于 ${beijingTime(job.finishedAt)}（北京时间）完成。`;
  return `已于 ${beijingTime(job.finishedAt)}（北京时间）失败，共尝试 ${job.attempts} 次。`;
}

/**
 * A job's panel on the page that started it: state, progress, what was just done, the error; a link to the
 * result once done (`resultHref`, unless the page is the result) and to the job's own page (retry there).
 */
export function JobPanel({ job, now, title, resultHref, resultLabel = '查看结果' }: { job: JobRecord; now: Date; title?: string; resultHref?: string; resultLabel?: string }) {
  const finished = jobFinished(job);
  return (
    <div class="panel job-progress" role="status" aria-live="polite" data-job={job.id} data-state={shownState(job, now)}>
      {finished ? null : <meta http-equiv="refresh" content={String(JOB_REFRESH_SECONDS)} />}
      <p>
        <strong>{title ?? kindLabel(job.kind)}</strong>：<JobStateBadge job={job} now={now} /> {stateSentence(job, now)}
      </p>
      {job.state === 'done' ? null : <JobProgressBar job={job} />}
      {job.current && !finished ? <p class="muted">刚完成：{job.current}</p> : null}
      {job.error ? (
        <div class={`notice ${job.state === 'failed' ? 'notice-error' : 'notice-warning'}`} role={job.state === 'failed' ? 'alert' : undefined}>
          {job.state === 'failed' ? job.error : `上一次尝试：${job.error}`}
        </div>
      ) : null}
      <p class="actions">
        {job.state === 'done' && resultHref ? <a class="button" href={resultHref}>{resultLabel}</a> : null}
        <a href={`/office/jobs/${job.id}`}>任务详情{job.state === 'failed' ? '与重试' : ''}</a>
      </p>
      {finished ? null : <p class="muted">本页每 {JOB_REFRESH_SECONDS} 秒自动刷新；也可以离开本页，稍后在“后台任务”页查看。</p>}
    </div>
  );
}

export { startedBy };
