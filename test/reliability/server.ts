/** A real server process (`gongkai serve --port 0`) on a test database, for the load and crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gongkai.js', import.meta.url));

export interface Served {
  proc: ChildProcess;
  base: string;
  output: () => string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function serve(env: Record<string, string>): Promise<Served> {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    env: { ...process.env, HOST: '127.0.0.1', GONGKAI_SECRET: 's'.repeat(40), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before starting:\n${out}`));
    });
  });
  return { proc, base: `http://127.0.0.1:${port}`, output: () => out, exited };
}
