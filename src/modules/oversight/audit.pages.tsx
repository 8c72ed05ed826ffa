/** 报告审核 pages of the oversight workspace: the upload form, and a job's progress and results. */
import { basename } from 'node:path';
import type { Finding, Severity } from '../../law/report-model.js';
import type { AuditedReport } from '../../reportcheck/audit.js';
import { SEVERITY_LABELS, severityCounts } from '../../reportcheck/batch.js';
import { BarChart, Breadcrumb, Csrf, ErrorSummary, Section } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { SHOWN_STATE_LABELS, shownState } from '../jobs/jobs.service.js';
import { stateSentence } from '../jobs/jobs.components.js';
import { AUDIT_JOB_TTL_MS, MAX_AUDIT_FILES, type AuditJob, type UploadProblem } from './audit.service.js';

export const AUDIT_BASE = '/office/oversight/audit';

const SEVERITY_BADGE: Record<Severity, string> = { error: 'badge-err', warning: 'badge-warn', info: 'badge-info' };
const stateLabel = (j: AuditJob, now: Date) => SHOWN_STATE_LABELS[j.record ? shownState(j.record, now) : j.state];
/** Reports shown in the chart (those with the most errors first when there are more). */
const CHART_MAX = 40;

/** An instant as Beijing time, 'YYYY-MM-DD HH:MM'. */
const beijing = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);

const crumbs = (last: { label: string; href?: string }[]) => (
  <Breadcrumb items={[{ label: '监督检查', href: '/office/oversight' }, { label: '报告审核', href: AUDIT_BASE }, ...last].map((c, i, all) => (i === all.length - 1 ? { label: c.label } : c))} />
);

function FileField(p: { name: 'files' | 'previous'; label: string; hint: string; multiple?: boolean; error?: string; required?: boolean }) {
  const id = `f-${p.name}`;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required ? <span class="req" aria-hidden="true"> *</span> : null}
      </label>
      <p class="hint" id={`${id}-hint`}>{p.hint}</p>
      {p.error ? <p class="error-text" id={`${id}-err`}>{p.error}</p> : null}
      <input
        id={id}
        name={p.name}
        type="file"
        multiple={p.multiple}
        required={p.required}
        accept=".txt,.htm,.html,.pdf,.docx,.zip,text/plain,text/html,application/pdf,application/zip"
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={[`${id}-hint`, p.error ? `${id}-err` : ''].filter(Boolean).join(' ')}
      />
    </div>
  );
}

export function AuditUploadPage({ env, maxBytes, problems, jobs, now = new Date() }: { env: PageEnv; maxBytes: number; problems?: UploadProblem[]; jobs: AuditJob[]; now?: Date }) {
  const err = (field: UploadProblem['field']) => problems?.filter((p) => p.field === field).map((p) => p.message).join('；') || undefined;
  const mb = Math.floor(maxBytes / 1048576);
  return (
    <OfficeLayout title="报告审核" env={env}>
      {crumbs([])}
      <h1>报告审核</h1>
      <p>
        上传已发布的政府信息公开工作年度报告，逐份核对表二、表三、表四的合计与勾稽关系、正文与表格是否一致、格式版本等，
        给出错误、警告和提示。可以一次选择多份报告，也可以上传一个 zip 压缩包（其中的 .txt .htm .html .pdf .docx 文件都会审核）。
      </p>
      <ErrorSummary errors={problems} />
      <form method="post" action={AUDIT_BASE} enctype="multipart/form-data" class="panel">
        <Csrf token={env.csrfToken} />
        <FileField
          name="files"
          label="要审核的报告"
          multiple
          required
          error={err('files')}
          hint={`PDF（须有文字层）、DOCX、HTML、文本文件，或一个 zip 压缩包；可多选，最多 ${MAX_AUDIT_FILES} 个文件，每个不超过 ${mb} MB。文件类型按内容判断。`}
        />
        <FileField
          name="previous"
          label="上一年度报告（可选）"
          error={err('previous')}
          hint="提供上一年度的报告时，还会核对上年结转、现行有效件数等跨年度数字。"
        />
        <div class="actions">
          <button type="submit">开始审核</button>
        </div>
      </form>
      {jobs.length ? (
        <Section title="最近的审核任务" id="jobs">
          <p class="muted">审核结果保留一小时；全部后台任务见<a href="/office/jobs">后台任务</a>页。</p>
          <table>
            <thead>
              <tr>
                <th scope="col">开始时间（北京时间）</th>
                <th scope="col">状态</th>
                <th scope="col" class="num">报告数</th>
                <th scope="col">发起账号</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr>
                  <th scope="row">
                    <a href={`${AUDIT_BASE}/${j.id}`}>{beijing(j.createdAt)}</a>
                  </th>
                  <td>{stateLabel(j, now)}</td>
                  <td class="num">{j.total}</td>
                  <td>{j.ownerName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
    </OfficeLayout>
  );
}

function CountBadge({ n, severity }: { n: number; severity: Severity }) {
  return <span class={`badge ${n > 0 ? SEVERITY_BADGE[severity] : 'badge-ok'}`}>{n}</span>;
}

/** The kind of check a finding comes from, in words (its rule key stays in the CSV and in data-rule). */
const RULE_GROUPS: Record<string, string> = {
  structure: '报告结构', table: '表格读取', t: '表格数值', input: '文件读取', format: '报告格式', prose: '正文与表格一致性', proactive: '表二（主动公开）',
  requests: '表三（依申请公开）', reviews: '表四（复议诉讼）', previous: '与上年度报告对照', 'agency-kind': '机关类型',
};
function ruleGroup(rule: string): string {
  return RULE_GROUPS[rule.split('.')[0]!] ?? '其他检查';
}

/** Where in the report, in words (the full path stays in the CSV and in data-where). */
const WHERE_LABELS: Record<string, string> = {
  narrative: '正文', proactive: '表二（主动公开）', requests: '表三（依申请公开）', reviews: '表四（复议诉讼）', sections: '章节', file: '文件', format: '格式',
  previous: '上年度报告', table: '表格',
};
function whereLabel(where: string | undefined): string {
  if (!where) return '—';
  return WHERE_LABELS[where.split('.')[0]!] ?? '报告';
}

function FindingsTable({ findings }: { findings: Finding[] }) {
  if (!findings.length) return <p>未发现问题。</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">严重程度</th>
          <th scope="col">问题</th>
          <th scope="col">检查项</th>
          <th scope="col">位置</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr class={`finding-${f.severity}`}>
            <td><span class={`badge ${SEVERITY_BADGE[f.severity]}`}>{SEVERITY_LABELS[f.severity]}</span></td>
            <td>{f.message}</td>
            <td data-rule={f.rule}>{ruleGroup(f.rule)}</td>
            <td data-where={f.where}>{whereLabel(f.where)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditJobPage({ env, job, now = new Date() }: { env: PageEnv; job: AuditJob; now?: Date }) {
  const base = `${AUDIT_BASE}/${job.id}`;
  const finished = job.state === 'done' || job.state === 'failed';
  const expires = beijing(new Date(job.createdAt.getTime() + AUDIT_JOB_TTL_MS));
  return (
    <OfficeLayout title={finished ? '报告审核结果' : '报告审核进度'} env={env}>
      {/* Refreshes itself while the job runs: works without JavaScript. */}
      {finished ? null : <meta http-equiv="refresh" content="2" />}
      {crumbs([{ label: finished ? '审核结果' : '审核进度' }])}
      <h1>{finished ? '报告审核结果' : '报告审核进度'}</h1>
      {finished ? null : (
        <div class="panel audit-progress" role="status" aria-live="polite">
          <p>
            <strong>{stateLabel(job, now)}</strong>：已审核 {job.done} / {job.total}
            {job.current ? <span class="muted">（刚完成：{job.current}）</span> : null}
          </p>
          <progress max={job.total} value={job.done} aria-label={`已审核 ${job.done} / ${job.total}`}>
            {job.done} / {job.total}
          </progress>
          {job.record ? <p class="muted">{stateSentence(job.record, now)}</p> : null}
          {job.error ? <p class="notice notice-warning">上一次尝试：{job.error}</p> : null}
          <p class="muted">本页每 2 秒自动刷新；也可以离开本页，稍后从“报告审核”页的任务列表或“后台任务”页回来查看。</p>
        </div>
      )}
      {job.state === 'failed' ? (
        <div class="notice notice-error" role="alert">
          {job.error} <a href={`/office/jobs/${job.id}`}>任务详情与重试</a>
        </div>
      ) : null}
      {job.result ? <AuditResults base={base} reports={job.result.reports} previousFile={job.previousFile} expires={expires} /> : null}
    </OfficeLayout>
  );
}

function AuditResults({ base, reports, previousFile, expires }: { base: string; reports: AuditedReport[]; previousFile: string | null; expires: string }) {
  const counts = reports.map(severityCounts);
  const sum = (s: Severity) => counts.reduce((t, c) => t + c[s], 0);
  const chartRows = reports
    .map((r, i) => ({ label: basename(r.file), value: counts[i]!.error, i }))
    .sort((a, b) => (reports.length > CHART_MAX ? b.value - a.value || a.i - b.i : a.i - b.i))
    .slice(0, CHART_MAX);
  return (
    <>
      <p class="muted">
        共 {reports.length} 份报告{previousFile ? `，上一年度报告：${previousFile}` : ''}。结果保留至 {expires}（北京时间）。
      </p>
      <div class="stats">
        <div class="stat"><span class="n">{reports.length}</span>审核报告</div>
        <div class="stat"><span class="n">{counts.filter((c) => c.error > 0).length}</span>有错误的报告</div>
        <div class="stat"><span class="n">{sum('error')}</span>错误</div>
        <div class="stat"><span class="n">{sum('warning')}</span>警告</div>
        <div class="stat"><span class="n">{sum('info')}</span>提示</div>
      </div>
      <div class="actions">
        <a class="button" href={`${base}/summary.csv`} download>下载汇总表（CSV）</a>
        <a class="button" href={`${base}/findings.csv`} download>下载问题清单（CSV）</a>
        <a class="button" href={`${base}/audit.json`} download>下载审核结果（JSON）</a>
      </div>
      <Section title="汇总" id="summary">
        <BarChart
          title={reports.length > CHART_MAX ? `各报告错误数（错误最多的 ${CHART_MAX} 份）` : '各报告错误数'}
          data={chartRows.map(({ label, value }) => ({ label, value }))}
          unit="项"
        />
        <table>
          <thead>
            <tr>
              <th scope="col">文件</th>
              <th scope="col">机关</th>
              <th scope="col" class="num">年度</th>
              <th scope="col">格式</th>
              <th scope="col" class="num">错误</th>
              <th scope="col" class="num">警告</th>
              <th scope="col" class="num">提示</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r, i) => (
              <tr>
                <th scope="row"><a href={`#report-${i + 1}`}>{r.file}</a></th>
                <td>{r.agency ?? <span class="muted">未识别</span>}</td>
                <td class="num">{r.year ?? '—'}</td>
                <td>{r.format ? `${r.format} 年格式` : <span class="muted">未识别</span>}</td>
                <td class="num"><CountBadge n={counts[i]!.error} severity="error" /></td>
                <td class="num"><CountBadge n={counts[i]!.warning} severity="warning" /></td>
                <td class="num"><CountBadge n={counts[i]!.info} severity="info" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <section class="panel" aria-labelledby="reports-h">
        <h2 id="reports-h">各报告的问题</h2>
        {reports.map((r, i) => (
          <div class="audit-report" id={`report-${i + 1}`}>
            <h3>
              {r.file}
              <span class="muted">
                {' '}· {r.agency ?? '未识别机关'} · {r.year ? `${r.year}年度` : '年度未识别'}
              </span>
            </h3>
            <FindingsTable findings={r.findings} />
          </div>
        ))}
      </section>
    </>
  );
}
