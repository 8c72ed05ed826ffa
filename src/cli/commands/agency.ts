import { createAgency, listAgencies, reconsiderationOf } from '../../modules/agencies/agencies.service.js';
import { parse, required, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function agencyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const { values } = parse(rest, {
      code: { type: 'string' }, name: { type: 'string' }, parent: { type: 'string' }, kind: { type: 'string' },
      'org-code': { type: 'string' }, office: { type: 'string' }, address: { type: 'string' }, postcode: { type: 'string' },
      phone: { type: 'string' }, fax: { type: 'string' }, email: { type: 'string' }, hours: { type: 'string' }, website: { type: 'string' },
      abbr: { type: 'string' }, reconsideration: { type: 'string' },
    });
    const code = required(values.code, 'code');
    const name = required(values.name, 'name');
    const { a, rb } = await withCtx(async (ctx) => {
      const a = await createAgency(ctx, { system: 'cli' }, {
        code, name, kind: values.kind, parentCode: values.parent ?? null, orgCode: values['org-code'] ?? null,
        officeName: values.office, address: values.address, postcode: values.postcode, phone: values.phone,
        fax: values.fax, email: values.email, officeHours: values.hours, website: values.website,
        abbr: values.abbr, reconsiderationBody: values.reconsideration,
      });
      return { a, rb: await reconsiderationOf(ctx, a) };
    });
    console.log(`已创建机构 ${a.code} ${a.name}${a.abbr ? `（机关代字：${a.abbr}）` : ''}`);
    if (rb.body) console.log(`行政复议机关：${rb.body}（${rb.basis}）`);
    else console.log(`注意：${rb.question}（gongkai 暂无修改命令，请在办公系统“机构信息”页填写）`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    const list = await withCtx((ctx) => listAgencies(ctx));
    const byId = new Map(list.map((a) => [a.id, a]));
    const rows = list.map((a) => ({ code: a.code, name: a.name, kind: a.kind, parent: a.parentId ? byId.get(a.parentId)!.code : null }));
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else for (const r of rows) console.log(`${r.code}\t${r.name}\t${r.kind}\t${r.parent ?? ''}`);
    return 0;
  }
  throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令（add 或 list）');
}
