import { createToken, createUser, setPassword } from '../../modules/accounts/accounts.service.js';
import { parse, readStdin, required, UsageError } from '../args.js';
import { withCtx } from './context.js';

async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('请输入密码并回车（至少 10 位，含字母和数字）：');
  const raw = await readStdin();
  return raw.replace(/\r?\n$/, '').split(/\r?\n/)[0] ?? '';
}

export async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const { values } = parse(rest, {
      agency: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' },
      'password-stdin': { type: 'boolean' }, name: { type: 'string' },
    });
    const agencyCode = required(values.agency, 'agency');
    const username = required(values.username, 'username');
    const role = required(values.role, 'role');
    const password = values['password-stdin'] ? await passwordFromStdin() : undefined;
    await withCtx((ctx) => createUser(ctx, { system: 'cli' }, { agencyCode, username, role, password, displayName: values.name }));
    console.log(`已创建账号 ${username}（${agencyCode}，${role}）${password ? '' : '。未设置密码：用 gongkai user password 设置，或只用 API 令牌'}`);
    return 0;
  }
  if (sub === 'password') {
    const { values } = parse(rest, { username: { type: 'string' } });
    const username = required(values.username, 'username');
    const password = await passwordFromStdin();
    await withCtx((ctx) => setPassword(ctx, { system: 'cli' }, username, password));
    console.log(`已重设 ${username} 的密码，其全部会话已注销`);
    return 0;
  }
  throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令（add 或 password）');
}

export async function tokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 create');
  const { values } = parse(rest, { username: { type: 'string' }, name: { type: 'string' } });
  const username = required(values.username, 'username');
  const token = await withCtx((ctx) => createToken(ctx, { system: 'cli' }, username, values.name));
  process.stdout.write(`${token}\n`);
  return 0;
}
