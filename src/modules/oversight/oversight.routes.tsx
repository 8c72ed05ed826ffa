/** /office/oversight: the supervisor's workspace over every agency below (tables and charts). */
import { requireActor, type App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { OUTCOME_FAMILIES, OUTCOME_FAMILY_SHORT_LABELS } from '../../law/outcomes.js';
import { BarChart, Section } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import auditRoutes from './audit.routes.js';
import { OVERSIGHT_STATE_LABELS, oversight, rate, type OversightReportState } from './oversight.service.js';

const STATE_CLASS: Record<OversightReportState, string> = {
  published: 'badge-ok',
  published_late: 'badge-warn',
  draft: 'badge-info',
  late: 'badge-err',
  missing: 'badge-err',
};

export default async function oversightRoutes(app: App) {
  await app.register(auditRoutes);
  app.get('/office/oversight', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query as { year?: string };
    const year = q.year && /^\d{4}$/.test(q.year) ? Number(q.year) : undefined;
    const o = await oversight(app.ctx, actor, { year });
    const env = pageEnv(req);
    const total = (f: (r: (typeof o.rows)[number]) => number) => o.rows.reduce((s, r) => s + f(r), 0);
    const states = Object.keys(OVERSIGHT_STATE_LABELS) as OversightReportState[];
    return reply.page(
      <OfficeLayout title="监督检查" env={env}>
        <h1>监督检查</h1>
        <p class="muted">
          统计日期：{o.today}。年度报告：{o.year}年度（部门应于{o.year + 1}年1月31日前、政府应于{o.year + 1}年3月31日前发布，条例第四十九条）。
          <a href={`/office/oversight?year=${o.year - 1}`}>查看{o.year - 1}年度</a>
        </p>
        <p class="actions">
          <a class="button" href="/office/oversight/audit">报告审核：上传已发布的年度报告（可批量、可 zip）</a>
        </p>
        <div class="stats">
          <div class="stat"><span class="n">{o.rows.length}</span>所辖机构</div>
          <div class="stat"><span class="n">{o.rows.filter((r) => r.reportState === 'published' || r.reportState === 'published_late').length}</span>已发布年度报告</div>
          <div class="stat"><span class="n">{o.rows.filter((r) => r.reportState === 'late').length}</span>逾期未发布</div>
          <div class="stat"><span class="n">{total((r) => r.open)}</span>办理中的申请</div>
          <div class="stat"><span class="n">{total((r) => r.overdue)}</span>已超期的申请</div>
        </div>
        <div class="grid">
          <BarChart title={`${o.year}年度报告情况`} data={states.map((s) => ({ label: OVERSIGHT_STATE_LABELS[s], value: o.rows.filter((r) => r.reportState === s).length }))} unit="个" />
          <BarChart title={`${o.year}年办理结果构成`} data={OUTCOME_FAMILIES.map((f) => ({ label: OUTCOME_FAMILY_SHORT_LABELS[f], value: total((r) => r.outcomes[f]) }))} unit="件" />
          <BarChart title="各机构已超期的申请" data={o.rows.map((r) => ({ label: r.agency.name, value: r.overdue }))} unit="件" />
          <BarChart
            title={`${o.year}年以来行政复议、行政诉讼纠错率`}
            data={o.rows
              .filter((r) => r.reconsideration.concluded + r.litigation.concluded > 0)
              .map((r) => ({
                label: r.agency.name,
                value: Math.round(((r.reconsideration.corrected + r.litigation.corrected) / (r.reconsideration.concluded + r.litigation.concluded)) * 100),
              }))}
            unit="%"
          />
        </div>
        <Section title="各机构情况" id="agencies">
          <table>
            <thead>
              <tr>
                <th scope="col">机构</th>
                <th scope="col">{o.year}年度报告</th>
                <th scope="col">期限</th>
                <th scope="col" class="num">办理中</th>
                <th scope="col" class="num">已超期</th>
                <th scope="col" class="num">{o.year}年办结</th>
                <th scope="col" class="num">予以公开</th>
                <th scope="col" class="num">复议纠错率</th>
                <th scope="col" class="num">诉讼纠错率</th>
                <th scope="col" class="num">报告错误</th>
                <th scope="col" class="num">报告提示</th>
                <th scope="col">督办</th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={`/office/reports/${encodeURIComponent(r.agency.code)}/${o.year}`}>{r.agency.name}</a>
                  </th>
                  <td><span class={`badge ${STATE_CLASS[r.reportState]}`}>{OVERSIGHT_STATE_LABELS[r.reportState]}</span></td>
                  <td>{r.deadline}</td>
                  <td class="num">{r.open}</td>
                  <td class="num">{r.overdue}</td>
                  <td class="num">{r.concluded}</td>
                  <td class="num">{r.outcomes.disclosed}</td>
                  <td class="num">{rate(r.reconsideration.corrected, r.reconsideration.concluded)}</td>
                  <td class="num">{rate(r.litigation.corrected, r.litigation.concluded)}</td>
                  <td class="num">{r.findings.filter((f) => f.severity === 'error').length}</td>
                  <td class="num">{r.findings.filter((f) => f.severity === 'warning').length}</td>
                  <td>
                    {r.overdue ? <a href={`/office/supervision/new?agency=${encodeURIComponent(r.agency.code)}&matter=requests`}>督办超期申请<span class="visually-hidden">（{r.agency.name}）</span></a> : null}
                    {r.overdue && (r.reportState === 'late' || r.reportState === 'missing' || r.findings.some((f) => f.severity === 'error')) ? '　' : null}
                    {r.reportState === 'late' || r.reportState === 'missing' || r.findings.some((f) => f.severity === 'error') ? (
                      <a href={`/office/supervision/new?agency=${encodeURIComponent(r.agency.code)}&matter=report&year=${o.year}`}>督办年度报告<span class="visually-hidden">（{r.agency.name}）</span></a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title="年度报告检查结果" id="findings">
          {o.rows.every((r) => r.findings.length === 0) ? (
            <p>所辖机构的年度报告未发现问题。</p>
          ) : (
            <ul class="findings">
              {o.rows.flatMap((r) =>
                r.findings.map((f) => (
                  <li class={`finding finding-${f.severity}`}>
                    <span class={`badge ${f.severity === 'error' ? 'badge-err' : 'badge-warn'}`}>{f.severity === 'error' ? '错误' : f.severity === 'warning' ? '提示' : '说明'}</span>{' '}
                    {r.agency.name}：{f.message}
                    {r.findingsFrom === 'computed' ? <span class="muted">（按记录试算）</span> : null}
                  </li>
                )),
              )}
            </ul>
          )}
        </Section>
      </OfficeLayout>,
    );
  });
}
