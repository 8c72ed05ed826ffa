#!/usr/bin/env node
// The gongkai command. A clone needs no build step: the TypeScript sources are compiled here, file by file
// with esbuild (types stripped, JSX for preact; no bundling, so every module keeps its own file and
// `import.meta.url`), into a cache folder named by the sources' stamp (path, size, mtime of every file), and
// run as plain JavaScript. The first run after a change compiles (≈ 0.5 s); later runs reuse the folder.
// Running through a TypeScript loader instead (tsx) keeps a second V8 isolate alive for the loader hooks:
// ≈ 40 MB more resident memory in a long-running server. GONGKAI_TSX=1 runs through tsx;
// so does any failure to compile into the cache (a read-only install, say).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(join(root, 'src'));
  return out.sort();
}

async function compiled() {
  const files = sources();
  const stamp = createHash('sha256');
  for (const f of files) {
    const s = statSync(f);
    stamp.update(`${relative(root, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  const cache = join(root, 'node_modules', '.cache', 'gongkai');
  const dir = join(cache, stamp.digest('hex').slice(0, 16));
  if (!existsSync(join(dir, 'src', 'cli', 'main.js'))) {
    const { build } = await import('esbuild');
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    await build({
      entryPoints: files,
      outdir: join(tmp, 'src'),
      outbase: join(root, 'src'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      keepNames: true,
      sourcemap: 'linked',
      logLevel: 'error',
    });
    // `../../public` from src/web, resolved inside the folder.
    symlinkSync(join(root, 'public'), join(tmp, 'public'), 'dir');
    writeFileSync(join(tmp, 'package.json'), '{"type":"module","private":true}\n');
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process compiled the same sources first
    }
    prune(cache, dir);
  } else {
    const now = new Date();
    try {
      utimesSync(dir, now, now); // in use: kept by prune
    } catch {
      /* read-only: fine */
    }
  }
  return join(dir, 'src', 'cli', 'main.js');
}

/** Folders of older sources, unused for a day, beyond the five newest, are removed (best effort). */
function prune(cache, keep) {
  try {
    const dirs = readdirSync(cache)
      .map((n) => join(cache, n))
      .filter((p) => p !== keep)
      .map((p) => ({ p, m: statSync(p).mtimeMs }))
      .sort((a, b) => b.m - a.m);
    for (const { p, m } of dirs.slice(4)) if (Date.now() - m > 86_400_000 || p.includes('.tmp-')) rmSync(p, { recursive: true, force: true });
  } catch {
    /* nothing to prune */
  }
}

let entry = null;
if (process.env.GONGKAI_TSX !== '1') {
  try {
    entry = await compiled();
  } catch (e) {
    if (process.env.GONGKAI_DEBUG) console.error(`gongkai: compiling into the cache failed, running through tsx: ${e.message}`);
  }
}
let main;
if (entry) ({ main } = await import(pathToFileURL(entry).href));
else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: join(root, 'tsconfig.json') });
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
