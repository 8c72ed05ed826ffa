import { Type } from '@sinclair/typebox';
import { requireActor, type App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { assertAdmin, isAdmin } from '../accounts/access.js';
import { readableAgencies } from '../agencies/agencies.service.js';
import { listAudit, verifyAuditChain } from './audit-log.service.js';
import { auditActionLabel, auditActorLabel, auditEntityLabel } from './audit-labels.js';
import { shanghaiTime } from '../../ui/time.js';

export default async function auditRoutes(app: App) {
  app.get('/office/audit', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query as { before?: string; verify?: string };
    const agencyIds = isAdmin(actor) ? undefined : (await readableAgencies(app.ctx, actor)).map((a) => a.id);
    const entries = await listAudit(app.ctx.db, { agencyIds, limit: 100, beforeSeq: q.before ? Number(q.before) || undefined : undefined });
    const verify = q.verify === '1' && isAdmin(actor) ? await verifyAuditChain(app.ctx.db) : undefined;
    const env = pageEnv(req);
    return reply.page(
      <OfficeLayout title="审计日志" env={env}>
        <h1>审计日志</h1>
        <p class="muted">每条记录都包含前一条记录的哈希值，任何改动、删除或调换顺序都会被发现。</p>
        {isAdmin(actor) ? (
          <form method="get" action="/office/audit" class="actions">
            <input type="hidden" name="verify" value="1" />
            <button type="submit">校验完整性</button>
          </form>
        ) : null}
        {verify ? (
          verify.ok ? (
            <div class="notice" role="status">校验通过：共 {verify.entries} 条记录，哈希链完整。</div>
          ) : (
            <div class="notice notice-error" role="alert">校验失败：{verify.firstBad?.problem}</div>
          )
        ) : null}
        <table>
          <thead><tr><th scope="col">序号</th><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">对象</th><th scope="col">哈希</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td class="num">{e.seq}</td>
                <td><time datetime={e.at}>{shanghaiTime(e.at)}</time></td>
                <td>{auditActorLabel(e.actorName)}</td>
                <td>{auditActionLabel(e.action, e.entity)}</td>
                <td>{auditEntityLabel(e.entity)} {e.entityId ?? ''}</td>
                <td><code>{e.hash.slice(0, 12)}…</code></td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 100 ? <p><a href={`/office/audit?before=${entries[entries.length - 1]!.seq}`}>更早的记录</a></p> : null}
      </OfficeLayout>,
    );
  });

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链（仅系统管理员）',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            firstBad: Type.Optional(Type.Object({ seq: Type.Integer(), problem: Type.String() })),
          }),
        },
      },
    },
    async (req) => {
      assertAdmin(requireActor(req));
      return verifyAuditChain(app.ctx.db);
    },
  );
}
