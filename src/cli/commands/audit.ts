import { verifyAuditChain } from '../../modules/audit-log/audit-log.service.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 verify');
  const { values } = parse(rest, { json: { type: 'boolean' } });
  const r = await withCtx((ctx) => verifyAuditChain(ctx.db));
  if (values.json) console.log(JSON.stringify(r));
  else if (r.ok) console.log(`审计日志完整：共 ${r.entries} 条记录，哈希链校验通过。`);
  else console.error(`审计日志校验失败：${r.firstBad!.problem}（已验证 ${r.entries} 条）`);
  return r.ok ? 0 : 1;
}
