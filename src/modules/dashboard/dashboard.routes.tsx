/**
 * The office home (工作台): what needs the signed-in person's attention, by role — requests overdue or due
 * soon, items waiting for review or sign-off or late under 第26条, annual reports against their deadlines.
 */
import { requireActor, type App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { BarChart } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import { isAdmin } from '../accounts/access.js';
import { listLockedUsers } from '../accounts/accounts.service.js';
import { ROLE_LABELS, todayCst, type Actor } from '../context.js';
import { officeList } from '../disclosure/disclosure.service.js';
import { officeReports } from '../reports/reports.service.js';
import { listRequests } from '../requests/requests.service.js';
import { supervisionsToAct } from '../supervision/supervision.service.js';

const has = (actor: Actor, roles: string[]) => isAdmin(actor) || actor.grants.some((g) => roles.includes(g.role));

const DEADLINE_LABELS: Record<string, { text: string; badge: string }> = {
  published: { text: '已按时发布', badge: 'badge-ok' },
  published_late: { text: '逾期发布', badge: 'badge-warn' },
  due: { text: '待发布', badge: 'badge-info' },
  late: { text: '已逾期未发布', badge: 'badge-err' },
};

export default async function dashboardRoutes(app: App) {
  app.get('/office', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const env = pageEnv(req);
    const ctx = app.ctx;
    const today = todayCst(ctx.now());
    const year = Number(today.slice(0, 4));
    const locked = await listLockedUsers(ctx, actor); // administrators only: accounts locked by failed logins
    const [requests, items, reports, supervision] = await Promise.all([
      has(actor, ['handler', 'supervisor']) ? listRequests(ctx, actor, { status: 'open', pageSize: 8 }) : Promise.resolve(null),
      has(actor, ['editor', 'reviewer', 'approver', 'supervisor']) ? officeList(ctx, actor, {}) : Promise.resolve(null),
      has(actor, ['handler', 'editor', 'reviewer', 'approver', 'supervisor']) ? officeReports(ctx, actor, [year - 1]) : Promise.resolve(null),
      has(actor, ['handler', 'editor', 'approver', 'supervisor']) ? supervisionsToAct(ctx, actor) : Promise.resolve(null),
    ]);
    const byStatus = items?.counts.byStatus ?? {};
    const lateReports = reports?.filter((r) => r.deadlineState === 'late') ?? [];
    return reply.page(
      <OfficeLayout title="工作台" env={env}>
        <h1>工作台</h1>
        {locked.length ? (
          <section class="panel notice notice-error" role="alert">
            <h2>账号锁定提醒（{locked.length}）</h2>
            <p>以下账号因连续多次登录失败已被临时锁定，请核实是否有人在尝试猜测密码：</p>
            <ul>
              {locked.map((u) => (
                <li>{u.username}（{u.displayName}，{u.agencyName}）</li>
              ))}
            </ul>
            <p><a href="/office/users">前往账号管理解除锁定或注销会话</a></p>
          </section>
        ) : null}
        <p class="muted">
          {actor.displayName}，今天是 {today}。您的角色：{[...new Set(actor.grants.map((g) => `${g.agencyCode} ${ROLE_LABELS[g.role]}`))].join('；')}。
        </p>
        <div class="stats">
          {requests ? (
            <>
              <a class="stat" href="/office/requests"><span class="n">{requests.counts.open}</span>办理中的申请</a>
              <a class="stat" href="/office/requests"><span class="n">{requests.counts.overdue}</span>已逾期</a>
              <a class="stat" href="/office/requests"><span class="n">{requests.counts.dueSoon}</span>5个工作日内到期</a>
            </>
          ) : null}
          {items ? (
            <>
              <a class="stat" href="/office/items?status=in_review"><span class="n">{byStatus.in_review ?? 0}</span>待审核信息</a>
              <a class="stat" href="/office/items?status=approved"><span class="n">{byStatus.approved ?? 0}</span>待签发信息</a>
              <a class="stat" href="/office/items?late=overdue"><span class="n">{items.counts.overdue}</span>超过第二十六条时限未发布</a>
            </>
          ) : null}
          {reports ? (
            <a class="stat" href="/office/reports"><span class="n">{lateReports.length}</span>{year - 1}年度报告逾期未发布</a>
          ) : null}
        </div>
        {supervision && (supervision.toAnswer.length || supervision.toReview.length) ? (
          <section class="panel">
            <h2>督办 <a class="more" href="/office/supervision">全部</a></h2>
            <ul class="list">
              {supervision.toAnswer.slice(0, 8).map((s) => (
                <li>
                  <span class={`badge ${s.deadline < today ? 'badge-err' : 'badge-warn'}`}>待答复</span> <a href={`/office/supervision/${s.id}`}>{s.title}</a>（{s.officeName}督办，期限 {s.deadline}）
                </li>
              ))}
              {supervision.toReview.slice(0, 8).map((s) => (
                <li>
                  <span class="badge badge-info">待审核答复</span> <a href={`/office/supervision/${s.id}`}>{s.title}</a>（{s.agencyName}）
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {requests && requests.items.length ? (
          <section class="panel">
            <h2>最紧急的申请 <a class="more" href="/office/requests">全部</a></h2>
            <table>
              <thead><tr><th scope="col">受理编号</th><th scope="col">申请内容</th><th scope="col">收到日期</th><th scope="col">答复期限</th><th scope="col">状态</th></tr></thead>
              <tbody>
                {requests.items.map((l) => (
                  <tr>
                    <td><a href={`/office/requests/${l.request.id}`}>{l.request.trackingNo}</a></td>
                    <td>{l.request.subject}</td>
                    <td>{l.request.receivedOn}</td>
                    <td>{l.request.dueOn ? `${l.request.dueOn}${l.request.calendarFlag ? '（暂定）' : ''}` : '未能计算'}</td>
                    <td>{l.overdue ? <span class="badge badge-err">已逾期</span> : <span class="badge badge-info">办理中</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {items && items.counts.lateByYear.length ? (
          <section class="panel">
            <h2>主动公开及时性（条例第二十六条）</h2>
            <BarChart title="各年度逾期发布的信息条数" data={items.counts.lateByYear.slice(0, 6).map((y) => ({ label: `${y.year}年（共${y.published}条）`, value: y.late }))} unit="条" />
          </section>
        ) : null}
        {reports && reports.length ? (
          <section class="panel">
            <h2>{year - 1}年度政府信息公开工作年度报告 <a class="more" href="/office/reports">全部</a></h2>
            <table>
              <thead><tr><th scope="col">机构</th><th scope="col">法定期限</th><th scope="col">状态</th></tr></thead>
              <tbody>
                {reports.slice(0, 12).map((r) => (
                  <tr>
                    <td><a href={`/office/reports/${encodeURIComponent(r.agency.code)}/${r.year}`}>{r.agency.name}</a></td>
                    <td>{r.deadline}</td>
                    <td><span class={`badge ${DEADLINE_LABELS[r.deadlineState]?.badge ?? ''}`}>{DEADLINE_LABELS[r.deadlineState]?.text ?? r.deadlineState}</span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {!requests && !items && !reports ? (
          <section class="panel">
            <h2>系统管理</h2>
            <ul>
              <li><a href="/office/agencies">机构管理</a>：机构层级与公开工作机构联系方式</li>
              <li><a href="/office/users">账号管理</a>：账号、角色、会话与锁定</li>
              <li><a href="/office/calendar">节假日</a>：载入国务院办公厅新一年的节假日安排</li>
              <li><a href="/office/audit">审计日志</a>：查看并校验防篡改日志</li>
            </ul>
          </section>
        ) : null}
      </OfficeLayout>,
    );
  });
}
