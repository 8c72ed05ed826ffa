/** Pages of the annual report: the portal's 年报专栏 and the office's report workspace. */
import type { Finding } from '../../law/report-model.js';
import { ReportDocument, ReportTables } from '../../render/report-html.js';
import { reportTitle } from '../../render/report-layout.js';
import { BarChart, Breadcrumb, Csrf, ErrorSummary, Field, Notice } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout, PortalLayout } from '../../ui/layout.js';
import type { Agency } from '../agencies/agencies.service.js';
import type { DeadlineState } from '../../law/report-deadline.js';
import { NEW_MEDIA_CHANNEL_LABELS } from './report-prose.js';
import { shanghaiTime } from '../../ui/time.js';
import { JobPanel, jobFinished } from '../jobs/jobs.components.js';
import type { JobRecord } from '../jobs/jobs.service.js';
import {
  REPORT_STATUS_LABELS,
  type Contribution,
  type OfficeReportRow,
  type PublishedEntry,
  type PublishedReport,
  type ReportStatus,
  type ReportView,
} from './reports.service.js';

export const DOWNLOADS = [
  { file: 'report.docx', label: 'Word 文档（公文格式）' },
  { file: 'report.pdf', label: 'PDF 文档' },
  { file: 'report.xlsx', label: 'Excel 表格' },
  { file: 'report.json', label: 'JSON 数据' },
] as const;

const DEADLINE_LABELS: Record<DeadlineState, { text: string; cls: string }> = {
  published: { text: '按期发布', cls: 'badge-ok' },
  published_late: { text: '逾期发布', cls: 'badge-warn' },
  due: { text: '未到期限', cls: 'badge-info' },
  late: { text: '已逾期未发布', cls: 'badge-err' },
};

export function StatusBadge({ status }: { status: ReportStatus | 'none' }) {
  if (status === 'none') return <span class="badge">未生成</span>;
  const cls = status === 'published' ? 'badge-ok' : status === 'draft' ? 'badge' : 'badge-info';
  return <span class={`badge ${cls}`}>{REPORT_STATUS_LABELS[status]}</span>;
}

export function DeadlineBadge({ state }: { state: DeadlineState }) {
  const l = DEADLINE_LABELS[state];
  return <span class={`badge ${l.cls}`}>{l.text}</span>;
}

const base = (code: string) => `/agencies/${encodeURIComponent(code)}/reports`;

// ---------------------------------------------------------------------------------------------
// Portal

export function ReportsColumnPage({ env, entries, agency }: { env: PageEnv; entries: PublishedEntry[]; agency?: Agency }) {
  const years = [...new Set(entries.map((e) => e.year))].sort((a, b) => b - a);
  const title = agency ? `${agency.name}政府信息公开工作年度报告` : '政府信息公开工作年度报告';
  return (
    <PortalLayout title={title} env={env} description="各机关政府信息公开工作年度报告（年报专栏）">
      <Breadcrumb items={[{ label: '首页', href: '/' }, ...(agency ? [{ label: '政府信息公开年报', href: '/reports' }, { label: agency.name }] : [{ label: '政府信息公开年报' }])]} />
      <h1>{title}</h1>
      <p class="muted">依据《中华人民共和国政府信息公开条例》第四十九条、第五十条，各级行政机关每年公布上一年度政府信息公开工作年度报告。</p>
      {years.length === 0 ? (
        <section class="panel">
          <h2>暂无年度报告</h2>
          <p>尚未发布政府信息公开工作年度报告。</p>
        </section>
      ) : (
        years.map((y) => (
          <section class="panel" aria-labelledby={`y${y}`}>
            <h2 id={`y${y}`}>{y}年度</h2>
            <ul class="list">
              {entries
                .filter((e) => e.year === y)
                .map((e) => (
                  <li>
                    <a href={`${base(e.agency.code)}/${e.year}`}>
                      {e.agency.name}
                      {e.year}年政府信息公开工作年度报告
                    </a>
                    <span class="date">{e.publishedOn}</span>
                  </li>
                ))}
            </ul>
          </section>
        ))
      )}
    </PortalLayout>
  );
}

export function ContributionsTable({ rows, caption }: { rows: Contribution[]; caption: string }) {
  return (
    <table class="contributions">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">单位</th>
          <th scope="col" class="num">本年新收申请</th>
          <th scope="col" class="num">上年结转</th>
          <th scope="col" class="num">本年办结</th>
          <th scope="col" class="num">结转下年度</th>
          <th scope="col" class="num">行政复议</th>
          <th scope="col" class="num">行政诉讼</th>
          <th scope="col" class="num">制发规范性文件</th>
          <th scope="col" class="num">门户网站公开信息</th>
          <th scope="col" class="num">新媒体发布信息</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr>
            <th scope="row">{c.name}</th>
            <td class="num">{c.newRequests}</td>
            <td class="num">{c.carriedOver}</td>
            <td class="num">{c.concluded}</td>
            <td class="num">{c.carriedForward}</td>
            <td class="num">{c.reconsideration}</td>
            <td class="num">{c.litigation}</td>
            <td class="num">{c.normativeIssued}</td>
            <td class="num">{c.itemsPublished}</td>
            <td class="num">{c.newMedia}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PublishedReportPage({ env, agency, report, preface, dateLine }: { env: PageEnv; agency: Agency; report: PublishedReport; preface: string; dateLine?: string }) {
  const rollup = (report.scope?.length ?? 0) > 1;
  const title = reportTitle(report, { rollup });
  return (
    <PortalLayout title={title} env={env} description={title}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '政府信息公开年报', href: '/reports' }, { label: agency.name, href: base(agency.code) }, { label: `${report.year}年度` }]} />
      <div class="meta-box">
        <dl>
          <dt>发布机构</dt>
          <dd>{agency.name}</dd>
          <dt>发布日期</dt>
          <dd>{report.publishedOn}</dd>
          <dt>报告格式</dt>
          <dd>{report.format === '2021' ? '国办公开办函〔2021〕30号' : '国办公开办函〔2019〕60号（试行）'}</dd>
          <dt>版本</dt>
          <dd>{report.revision > 1 ? `第 ${report.revision} 版（已更正）` : '首次发布'}</dd>
        </dl>
      </div>
      <div class="article report-article">
        <ReportDocument report={report} opts={{ preface, dateLine, rollup }} headingLevel={1} />
        {report.contributions && report.contributions.length > 1 ? (
          <section class="report-contributions">
            <h2>附：各单位情况</h2>
            <ContributionsTable rows={report.contributions} caption="本报告汇总的各单位主要数据" />
          </section>
        ) : null}
      </div>
      <section class="panel" aria-labelledby="dl">
        <h2 id="dl">下载</h2>
        <ul class="downloads">
          {DOWNLOADS.map((d) => (
            <li>
              <a href={`${base(agency.code)}/${report.year}/${d.file}`} download>
                {d.label}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </PortalLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Office

export function OfficeReportsPage({ env, rows, years }: { env: PageEnv; rows: OfficeReportRow[]; years: number[] }) {
  return (
    <OfficeLayout title="年度报告" env={env}>
      <h1>年度报告</h1>
      <p class="muted">
        年度报告由记录生成：表二来自规章和规范性文件、行政许可/处罚/强制、行政事业性收费登记，表三来自依申请公开记录，表四来自行政复议、行政诉讼案件。
        各部门应于次年1月31日前、各级人民政府应于次年3月31日前发布（条例第四十九条）。
      </p>
      {years.map((year) => (
        <section class="panel" aria-labelledby={`r${year}`}>
          <h2 id={`r${year}`}>{year}年度报告</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">机构</th>
                <th scope="col">状态</th>
                <th scope="col">发布期限</th>
                <th scope="col">期限情况</th>
                <th scope="col" class="num">错误</th>
                <th scope="col" class="num">提示</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {rows
                .filter((r) => r.year === year)
                .map((r) => (
                  <tr>
                    <th scope="row">{r.agency.name}</th>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{r.deadline}</td>
                    <td>
                      <DeadlineBadge state={r.deadlineState} />
                    </td>
                    <td class="num">{r.errors}</td>
                    <td class="num">{r.warnings}</td>
                    <td>
                      <a href={`/office/reports/${encodeURIComponent(r.agency.code)}/${year}`}>{r.status === 'none' ? '编制' : '查看'}</a>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </OfficeLayout>
  );
}

export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p class="badge badge-ok">未发现问题</p>;
  const order = { error: 0, warning: 1, info: 2 } as const;
  const label = { error: '错误', warning: '提示', info: '说明' } as const;
  return (
    <ul class="findings">
      {[...findings]
        .sort((a, b) => order[a.severity] - order[b.severity])
        .map((f) => (
          <li class={`finding finding-${f.severity}`}>
            <span class={`badge ${f.severity === 'error' ? 'badge-err' : f.severity === 'warning' ? 'badge-warn' : 'badge-info'}`}>{label[f.severity]}</span> {f.message}{' '}
            <code class="muted">{f.where}</code>
          </li>
        ))}
    </ul>
  );
}

export interface OfficeReportPageProps {
  env: PageEnv;
  view: ReportView;
  subAgencies: Agency[];
  can: { write: boolean; review: boolean; approve: boolean };
  errors?: { field: string; message: string }[];
  error?: string;
  values?: Record<string, string>;
  /** The computation of this report run as a job: shown while it runs, and when the page was asked with its id. */
  buildJob?: { job: JobRecord; now: Date } | null;
}

export function OfficeReportPage({ env, view, subAgencies, can, errors, error, values, buildJob }: OfficeReportPageProps) {
  const { agency, year, built } = view;
  const report = built?.report;
  const codeYear = `/office/reports/${encodeURIComponent(agency.code)}/${year}`;
  const editable = can.write && (view.status === 'draft' || view.status === 'none') && !view.locked;
  const n = report?.narrative ?? {};
  const errCount = report?.findings.filter((f) => f.severity === 'error').length ?? 0;
  const scope = built?.scope ?? [agency.code];
  return (
    <OfficeLayout title={`${agency.name}${year}年度报告`} env={env}>
      <Breadcrumb items={[{ label: '年度报告', href: '/office/reports' }, { label: `${agency.name} ${year}年度` }]} />
      <h1>
        {agency.name}
        {year}年政府信息公开工作年度报告
      </h1>
      <Notice text={error} kind="error" />
      <ErrorSummary errors={errors} />
      <div class="stats">
        <div class="stat">
          <span class="n">
            <StatusBadge status={view.status} />
          </span>
          状态
        </div>
        <div class="stat">
          <span class="n">{view.deadline}</span>发布期限（条例第四十九条） <DeadlineBadge state={view.deadlineState} />
        </div>
        <div class="stat">
          <span class="n">{view.locked ? '已锁定' : view.published ? '已解除锁定' : '未锁定'}</span>
          {year}年度记录
        </div>
        <div class="stat">
          <span class="n">{errCount}</span>项错误（发布前须处理）
        </div>
      </div>
      {view.reviewNote ? <Notice kind="warning" text={`审核意见：${view.reviewNote}`} /> : null}

      {buildJob ? <JobPanel job={buildJob.job} now={buildJob.now} title="按最新记录生成报告" /> : null}
      <section class="panel" aria-labelledby="build-h">
        <h2 id="build-h">从记录生成</h2>
        {built ? (
          <p class="muted">
            最近生成：{shanghaiTime(built.builtAt, true)}；汇总范围：{scope.length > 1 ? `${scope.length} 个单位` : '本机关'}；表四口径：
            {built.reviewsReading === 'filed' ? '本年立案的案件（结果以12月31日为准）' : '本年审结的案件及年末尚未审结的案件'}。已填写的正文保留不变。
          </p>
        ) : (
          <p>尚未生成。生成后，表二、表三、表四由记录计算，正文一、五、六给出依据记录的初稿。</p>
        )}
        {can.write && !view.locked && !(buildJob && !jobFinished(buildJob.job)) ? (
          <form method="post" action={`${codeYear}/build`}>
            <Csrf token={env.csrfToken} />
            {subAgencies.length > 0 ? (
              <fieldset>
                <legend>汇总下级单位（不选则只统计本机关）</legend>
                {subAgencies.map((a) => (
                  <label class="check">
                    <input type="checkbox" name="scope" value={a.code} checked={scope.includes(a.code)} /> {a.name}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <Field
              name="reviewsReading"
              label="表四统计口径"
              value={built?.reviewsReading ?? 'filed'}
              options={[
                { value: 'filed', label: '本年立案的案件，结果以12月31日为准' },
                { value: 'activity', label: '本年审结的案件，加年末尚未审结的案件' },
              ]}
            />
            {built ? (
              <label class="check">
                <input type="checkbox" name="redraft" value="1" /> 按最新记录重新起草第一、六部分（覆盖已编辑的内容；第五部分保留）
              </label>
            ) : null}
            <div class="actions">
              <button type="submit">{built ? '按最新记录重新生成' : '从记录生成报告'}</button>
            </div>
          </form>
        ) : null}
      </section>

      {report ? (
        <>
          <section class="panel" aria-labelledby="findings-h">
            <h2 id="findings-h">检查结果</h2>
            <p class="muted">勾稽关系（一 + 二 = （七）总计 + 四）、行合计和分组合计由生成保证，仍按规则复核；另核对记录是否完整、正文数字是否与表格和记录一致。</p>
            <FindingsList findings={report.findings} />
          </section>

          <section class="panel" aria-labelledby="facts-h">
            <h2 id="facts-h">记录中的事实（供撰写正文）</h2>
            <ul>
              <li>门户网站本年发布信息：{built!.facts.itemsPublished} 条</li>
              <li>
                政务新媒体本年发布信息：{built!.facts.newMediaTotal} 条
                {built!.facts.newMedia.length
                  ? `（${built!.facts.newMedia.map((c) => `${NEW_MEDIA_CHANNEL_LABELS[c.channel] ?? c.channel} ${c.n} 条`).join('，')}）`
                  : ''}
              </li>
              <li>
                本年新收申请 {report.requests.new.total} 件，上年结转 {report.requests.carriedOver.total} 件，办结 {report.requests.concludedTotal.total} 件，结转下年度{' '}
                {report.requests.carriedForward.total} 件
              </li>
              <li>信息处理费：{built!.facts.processingFeeYuan > 0 ? `本年收取 ${built!.facts.processingFeeYuan} 元（${built!.facts.processingFeeRequests} 件申请）` : '本年未收取'}</li>
            </ul>
            <BarChart
              title="本年办理结果"
              data={[
                { label: '予以公开', value: report.requests.disclosed.total },
                { label: '部分公开', value: report.requests.partially_disclosed.total },
                { label: '不予公开', value: sumKeys(report, 'withheld.') },
                { label: '无法提供', value: sumKeys(report, 'unavailable.') },
                { label: '不予处理', value: sumKeys(report, 'not_processed.') },
                { label: '其他处理', value: sumKeys(report, 'other.') },
              ]}
              unit="件"
            />
          </section>

          <section class="panel" aria-labelledby="prose-h">
            <h2 id="prose-h">正文（一、五、六）</h2>
            {editable ? (
              <form method="post" action={`${codeYear}/narrative`}>
                <Csrf token={env.csrfToken} />
                <Field name="overview" label="一、总体情况" textarea rows={16} value={values?.overview ?? n.overview ?? ''} error={errors?.find((e) => e.field === 'overview')?.message} />
                <Field
                  name="problems"
                  label="五、存在的主要问题及改进情况"
                  textarea
                  rows={6}
                  value={values?.problems ?? n.problems ?? ''}
                  hint="请替换“【待填写】”部分。"
                  error={errors?.find((e) => e.field === 'problems')?.message}
                />
                <Field name="other" label="六、其他需要报告的事项" textarea rows={4} value={values?.other ?? n.other ?? ''} error={errors?.find((e) => e.field === 'other')?.message} />
                <div class="actions">
                  <button type="submit">保存正文</button>
                </div>
              </form>
            ) : (
              <p class="muted">{view.locked ? '报告已发布，年度已锁定。' : view.status === 'submitted' || view.status === 'reviewed' ? '报告已送审，审核人退回后可修改。' : '您没有编辑权限。'}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="workflow-h">
            <h2 id="workflow-h">审核、签发与发布</h2>
            <div class="actions">
              {can.write && view.status === 'draft' && !view.locked ? (
                <form method="post" action={`${codeYear}/submit`} class="inline">
                  <Csrf token={env.csrfToken} />
                  <button type="submit">送审</button>
                </form>
              ) : null}
              {can.review && view.status === 'submitted' ? (
                <form method="post" action={`${codeYear}/review`} class="inline">
                  <Csrf token={env.csrfToken} />
                  <input type="hidden" name="decision" value="approve" />
                  <button type="submit">审核通过</button>
                </form>
              ) : null}
              {can.approve && (view.status === 'submitted' || view.status === 'reviewed') ? (
                <form method="post" action={`${codeYear}/publish`} class="inline">
                  <Csrf token={env.csrfToken} />
                  <button type="submit">签发并发布到年报专栏</button>
                </form>
              ) : null}
            </div>
            {can.review && (view.status === 'submitted' || view.status === 'reviewed') ? (
              <form method="post" action={`${codeYear}/review`}>
                <Csrf token={env.csrfToken} />
                <input type="hidden" name="decision" value="return" />
                <Field name="note" label="退回意见" textarea rows={2} value={values?.note ?? ''} error={errors?.find((e) => e.field === 'note')?.message} />
                <button type="submit" class="secondary">退回修改</button>
              </form>
            ) : null}
            {view.published ? (
              <p>
                已于 {view.publishedOn} 发布（第 {view.published.revision} 版）：
                <a href={`/agencies/${encodeURIComponent(agency.code)}/reports/${year}`}>在年报专栏查看</a>
              </p>
            ) : null}
            {can.approve && view.locked ? (
              <form method="post" action={`${codeYear}/unlock`}>
                <Csrf token={env.csrfToken} />
                <Field
                  name="reason"
                  label="解除年度锁定的理由"
                  textarea
                  rows={2}
                  required
                  hint="解除后可修改本年度的申请和登记记录，并重新生成、发布报告；理由记入审计日志。"
                  value={values?.reason ?? ''}
                  error={errors?.find((e) => e.field === 'reason')?.message}
                />
                <button type="submit">解除锁定</button>
              </form>
            ) : null}
            {view.unlocks.length ? (
              <>
                <h3>锁定记录</h3>
                <ul>
                  {view.unlocks.map((u) => (
                    <li>
                      {shanghaiTime(u.at)} 解除锁定：{u.reason}
                      {u.relockedAt ? `（${shanghaiTime(u.relockedAt)} 重新发布后锁定）` : '（尚未重新发布）'}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>

          <section class="panel" aria-labelledby="tables-h">
            <h2 id="tables-h">表格预览</h2>
            <p>
              下载工作稿：
              {DOWNLOADS.map((d) => (
                <>
                  {' '}
                  <a href={`${codeYear}/${d.file}`}>{d.label}</a>
                </>
              ))}
            </p>
            <ReportTables report={report} />
            {built!.contributions.length > 1 ? <ContributionsTable rows={built!.contributions} caption="各单位情况" /> : null}
          </section>
        </>
      ) : null}
    </OfficeLayout>
  );
}

function sumKeys(report: NonNullable<ReportView['built']>['report'], prefix: string): number {
  return Object.entries(report.requests)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((s, [, r]) => s + r.total, 0);
}
