/**
 * `gongkai check` with folders and zip archives among FILE…, --csv, and progress on stderr (a line per
 * document when stderr is not a terminal, from 6 documents on). The Audit JSON keeps the contract's shape.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { writeZip } from './zip-writer.js';

const examples = fileURLToPath(new URL('../../../shared/examples/reports/', import.meta.url));
const ex = (name: string) => join(examples, name);

describe('gongkai check over folders and zip archives', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongkai-cli-check-'));
    mkdirSync(join(dir, 'folder', 'sub'), { recursive: true });
    copyFileSync(ex('harbin-wenguanglv-2022.txt'), join(dir, 'folder', 'harbin.txt'));
    copyFileSync(ex('huaian-2024.pdf'), join(dir, 'folder', 'sub', 'huaian.pdf'));
    writeFileSync(join(dir, 'folder', 'readme.md'), 'not a report');
    const names = ['longgang-bumen-2024.txt', 'pingtan-2021.txt', 'pingwu-tongjiju-2021.txt', 'wendeng-xinfangju-2022-p8.txt', 'xixian-taipingzhen-2022.txt', 'harbin-wenguanglv-2022.txt'];
    writeFileSync(join(dir, 'six.zip'), writeZip(names.map((n) => ({ name: `2021-2024/${n}`, data: readFileSync(ex(n)) }))));
    writeFileSync(join(dir, 'trick.zip'), writeZip([{ name: '../../etc/report.txt', data: readFileSync(ex('harbin-wenguanglv-2022.txt')) }]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder: its reports (recursively) in the contract JSON, exit 1 for the seed report’s error, --csv written, no progress for 2 documents', () => {
    const csv = join(dir, 'summary.csv');
    const r = runCli(['check', join(dir, 'folder'), '--json', '--csv', csv], {});
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['reports']);
    assert.deepEqual(json.reports.map((x: { file: string }) => x.file), [join(dir, 'folder', 'harbin.txt'), join(dir, 'folder', 'sub', 'huaian.pdf')]);
    for (const rep of json.reports) assert.deepEqual(Object.keys(rep), ['file', 'agency', 'year', 'format', 'proactive', 'requests', 'reviews', 'findings']);
    const [harbin, huaian] = json.reports;
    assert.ok(harbin.findings.some((f: { rule: string; severity: string }) => f.rule === 'prose.sum' && f.severity === 'error'));
    assert.equal(huaian.findings.filter((f: { severity: string }) => f.severity === 'error').length, 0);

    assert.ok(existsSync(csv));
    const text = readFileSync(csv, 'utf8');
    assert.equal(text.charCodeAt(0), 0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], '文件,机关,年度,格式,错误数,警告数,提示数,主要问题');
    assert.ok(lines[1]!.startsWith(`${join(dir, 'folder', 'harbin.txt')},哈尔滨市文化广电和旅游局,2022,`));
    assert.ok(lines[2]!.startsWith(`${join(dir, 'folder', 'sub', 'huaian.pdf')},淮安市人民政府,2024,2021,0,`));
  });

  it('a zip archive with 6 reports: each entry audited as archive/entry, a progress line per document on stderr', () => {
    const r = runCli(['check', join(dir, 'six.zip'), '--json'], {});
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.reports.length, 6);
    assert.equal(json.reports[0].file, 'six.zip/2021-2024/harbin-wenguanglv-2022.txt');
    const progress = r.stderr.trimEnd().split('\n');
    assert.equal(progress.length, 6);
    assert.equal(progress[0], '已审核 1 / 6：six.zip/2021-2024/harbin-wenguanglv-2022.txt');
    assert.match(progress[5]!, /^已审核 6 \/ 6：six\.zip\/2021-2024\/xixian-taipingzhen-2022\.txt$/);
  });

  it('folders, archives and files mix; the readable text report names every document', () => {
    const r = runCli(['check', ex('longgang-bumen-2024.txt'), join(dir, 'six.zip')], {});
    assert.equal(r.code, 1);
    assert.match(r.stdout, /共审核 7 份报告/);
    assert.match(r.stdout, /== six\.zip\/2021-2024\/pingtan-2021\.txt/);
    assert.match(r.stderr, /已审核 7 \/ 7/);
  });

  it('refuses an archive with a path trick (exit 2, nothing audited) and a missing path', () => {
    const r = runCli(['check', join(dir, 'trick.zip'), '--json'], {});
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /不安全的条目名/);
    const m = runCli(['check', join(dir, 'nope')], {});
    assert.equal(m.code, 2);
    assert.match(m.stderr, /文件不存在/);
  });

  it('a single report file still works as before (no --csv file unless asked)', () => {
    const r = runCli(['check', ex('huaian-2024.pdf'), '--json'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).reports[0].file, ex('huaian-2024.pdf'));
  });
});
