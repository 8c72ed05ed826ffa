/** Progress for long jobs, on stderr, so stdout stays the results table. */
export function progress(label: string, total: number) {
  let last = 0;
  const started = Date.now();
  const tty = process.stderr.isTTY;
  return {
    tick(done: number) {
      const now = Date.now();
      if (done < total && now - last < (tty ? 200 : 5000)) return;
      last = now;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      const secs = ((now - started) / 1000).toFixed(1);
      const bar = '█'.repeat(Math.floor(pct / 5)).padEnd(20, '·');
      const line = `${label} ${bar} ${pct}% (${done}/${total}) ${secs}s`;
      if (tty) process.stderr.write(`\r${line}`);
      else process.stderr.write(`${line}\n`);
    },
    done() {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${tty ? '\r' : ''}${label} 完成，用时 ${secs}s${' '.repeat(30)}\n`);
    },
  };
}

export function log(msg: string) {
  process.stderr.write(`${msg}\n`);
}
