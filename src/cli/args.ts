/** Argument parsing for the gongkai command, with Chinese usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e as Error).message
      .replace(/^Unknown option '(.+?)'.*$/s, '未知选项 $1')
      .replace(/^Option '(.+?)' argument missing.*$/s, '选项 $1 缺少取值')
      .replace(/^Unexpected argument '(.+?)'.*$/s, '多余的参数 $1');
    throw new UsageError(msg);
  }
}

export function required(v: string | undefined, name: string): string {
  if (v === undefined || v === '') throw new UsageError(`缺少必填选项 --${name}`);
  return v;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
