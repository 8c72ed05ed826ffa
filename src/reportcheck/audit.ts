/**
 * The report audit (`gongkai check`): a published report's text → its tables and prose → findings, in the
 * shape of the contract's Audit JSON (../shared/spec/contract.md).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type {
  AnnualReport,
  Cell,
  Finding,
  FindingPlace,
  FormatVersion,
  Narrative,
  ProactiveTable,
  RequestsTable,
  ReviewsTable,
  Severity,
} from '../law/report-model.js';
import type { SectionKey } from '../law/report-format.js';
import { SECTION_KEYS, SECTION_TITLES, formatForYear } from '../law/report-format.js';
import { checkReportRules } from '../law/report-rules.js';
import { blankProactive, blankRequests, blankReviews } from './model.js';
import type { ProsePart } from './prose.js';
import { checkProse, proseFacts, proseSentences, quote } from './prose.js';
import { positionMapper, resolvePlaces } from './positions.js';
import { reasonOverReadings } from './readings.js';
import type { Ambiguity } from './tables.js';
import { auditAcrossYears } from './years.js';
import { readReport } from './readers.js';
import type { SectionSpan } from './structure.js';
import {
  agencyProfileFromName,
  cleanAgencyName,
  endsMidSentence,
  findSections,
  findTitle,
  splitHeader,
  startsMidDocument,
} from './structure.js';
import { readProactiveTable, readRequestsTable, readReviewsTable } from './tables.js';
import { SEP, findFrom, normalizeText, stripFurniture } from './text.js';

export interface AuditedReport {
  file: string;
  agency: string | null;
  year: number | null;
  format: FormatVersion | null;
  proactive: ProactiveTable<Cell>;
  requests: RequestsTable<Cell>;
  reviews: ReviewsTable<Cell>;
  findings: Finding[];
}

export interface AuditResult {
  reports: AuditedReport[];
}

export interface AuditOptions {
  /** Last year's report, already audited (for the cross-year checks). */
  previous?: AuditedReport | null;
}

/** The rows each audited report left with several readings (kept out of the Audit JSON), for next year's audit. */
const undecided = new WeakMap<AuditedReport, Ambiguity[]>();

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortFindings(f: Finding[]): Finding[] {
  return f
    .map((x, i) => ({ x, i }))
    .sort((a, b) => SEVERITY_ORDER[a.x.severity] - SEVERITY_ORDER[b.x.severity] || a.i - b.i)
    .map((e) => e.x);
}

function blankAudit(file: string, findings: Finding[]): AuditedReport {
  return {
    file,
    agency: null,
    year: null,
    format: null,
    proactive: blankProactive(),
    requests: blankRequests(),
    reviews: blankReviews(),
    findings,
  };
}

const CORNER = new RegExp(`${[...'勾稽关系'].join(SEP)}|${[...'本年新收'].join(SEP)}`, 'g');
const BLOCK_ONE = new RegExp(`${[...'第二十条'].join(SEP)}`, 'g');
const REVIEW_HEADER = new RegExp(`${[...'行政复议'].join(SEP)}[\\s\\S]{0,200}?${[...'结果'].join(SEP)}`, 'g');

/** Audits a report's text (as read from a file). */
export function auditText(raw: string, file: string, opts: AuditOptions = {}): AuditedReport {
  const findings: Finding[] = [];
  const normalized = normalizeText(raw);
  const { header, body: rawBody, offset: headerOffset } = splitHeader(normalized);
  let body = stripFurniture(rawBody);
  // A copy cut off in the middle of a number ("…0 0 1" of "…0 0 19"): the last number may be incomplete, so it
  // is not read (a "0" alone cannot be the start of a longer number).
  const cutNumber = /(?:^|[^\d.])([1-9]\d*(?:\.\d*)?|0\.\d*)$/.exec(body);
  if (cutNumber) {
    body = body.slice(0, body.length - cutNumber[1].length) + ' '.repeat(cutNumber[1].length);
    findings.push({
      severity: 'info',
      rule: 'structure.truncated-number',
      message: `文本结尾处的数字“${cutNumber[1]}”可能不完整（文本被截断），未读取`,
      where: 'file',
      places: [{ quote: cutNumber[1], offset: body.length - cutNumber[1].length, line: 0, column: 0 }],
    });
  }
  const out = blankAudit(file, findings);
  if (!body.trim()) {
    findings.push({ severity: 'info', rule: 'input.empty', message: '文件没有文字内容，无法审核', where: 'file' });
    return out;
  }
  const title = findTitle(body);
  out.agency = title.agency ?? (header.agency ? cleanAgencyName(header.agency) : null);
  out.year = header.year ?? title.year ?? null;

  const sections = findSections(body);
  const sec = (k: SectionKey): SectionSpan | undefined => sections.find((s) => s.key === k);
  const nextStart = (k: SectionKey, fallback: number): number => {
    const i = SECTION_KEYS.indexOf(k);
    const later = sections.filter((s) => SECTION_KEYS.indexOf(s.key) > i);
    return later.length ? later[0].start : fallback;
  };

  // Regions of the three tables.
  const s2 = sec('proactive');
  const s3 = sec('requests');
  const s4 = sec('reviews');
  const t2Start = s2?.bodyStart ?? findFrom(body, BLOCK_ONE, 0)?.start ?? -1;
  const cornerFrom = s3?.bodyStart ?? (t2Start >= 0 ? t2Start : 0);
  const corner = findFrom(body, CORNER, cornerFrom);
  const t3Start = s3?.bodyStart ?? corner?.start ?? -1;
  const t4Start = s4?.bodyStart ?? (t3Start >= 0 ? findFrom(body, REVIEW_HEADER, t3Start)?.start ?? -1 : -1);
  const t2End = t2Start < 0 ? -1 : Math.min(s2 ? nextStart('proactive', body.length) : body.length, t3Start > t2Start ? t3Start : body.length);
  const t3End = t3Start < 0 ? -1 : Math.min(s3 ? nextStart('requests', body.length) : body.length, t4Start > t3Start ? t4Start : body.length);
  const t4End = t4Start < 0 ? -1 : s4 ? nextStart('reviews', body.length) : (sec('problems')?.start ?? body.length);

  const previous = opts.previous ?? null;
  // A text cut off: the row that runs into the cut is read only when complete.
  const cutAt = endsMidSentence(body) ? body.replace(/\s+$/, '').length : Infinity;
  const t2 = t2Start >= 0 ? readProactiveTable(body, t2Start, t2End, cutAt) : null;
  const t3 = t3Start >= 0 ? readRequestsTable(body, t3Start, t3End, cutAt) : null;
  const t4 = t4Start >= 0 ? readReviewsTable(body, t4Start, t4End, cutAt) : null;
  if (t2?.present) out.proactive = t2.table;
  if (t3?.present) out.requests = t3.table;
  if (t4?.present) out.reviews = t4.table;
  const anyTable = !!(t2?.present || t3?.present || t4?.present);

  // Not an annual report at all?
  if (sections.length < 2 && !anyTable) {
    findings.push({
      severity: 'info',
      rule: 'input.not-annual-report',
      message: `未识别为政府信息公开工作年度报告：未见“${SECTION_TITLES.overview}”等部分标题，也未见表二、表三、表四${title.year ? '' : '，标题中也没有“××年政府信息公开工作年度报告”'}`,
      where: 'file',
    });
    return out;
  }

  // Format version.
  const cited = /〔2021〕30号|\[2021\]30号/.test(body) ? '2021' : null;
  out.format = t3?.format ?? t2?.format ?? cited ?? (out.year ? formatForYear(out.year) : null);
  const otherLabels = [...(t2?.otherFormatLabels ?? [])];
  if (t2?.format && t3?.format && t2.format !== t3.format) {
    otherLabels.push(`表二为 ${t2.format} 年格式而表三为 ${t3.format} 年格式`);
  }
  if (out.format === '2021' && t3?.format === '2019') otherLabels.push('（六）其他处理（单行，2019 年试行格式）');
  const expected = out.year ? formatForYear(out.year) : null;
  if (expected && out.format && (t2?.format || t3?.format) && expected !== out.format) {
    findings.push({
      severity: 'warning',
      rule: 'format.version',
      message: `${out.year} 年度报告应采用${expected === '2021' ? '国办公开办函〔2021〕30号格式' : '2019 年试行格式（国办公开办函〔2019〕60号）'}，但表格为 ${out.format} 年格式`,
      where: 'format',
    });
  } else if (otherLabels.length) {
    findings.push({
      severity: 'warning',
      rule: 'format.version-labels',
      message: `表格混用了另一版本格式的标签：${otherLabels.join('；')}（本报告按 ${out.format} 年格式读取）`,
      where: 'format',
    });
  }

  for (const t of [t2, t3, t4]) if (t) findings.push(...t.findings);
  for (const s of sections) {
    if (!s.typo) continue;
    findings.push({
      severity: 'info',
      rule: 'structure.heading-typo',
      message: `标题有误：“${s.typo.printed}”，应为“${s.typo.expected}”（已按该部分读取）`,
      where: `sections.${s.key}`,
    });
  }

  // Missing sections and tables.
  const truncatedEnd =
    endsMidSentence(body) || (sections.length > 0 && ['proactive', 'requests', 'reviews'].includes(sections[sections.length - 1].key) && lastTableIncomplete());
  function lastTableIncomplete(): boolean {
    const last = sections[sections.length - 1].key;
    const t = last === 'proactive' ? t2 : last === 'requests' ? t3 : t4;
    return !t || !t.complete;
  }
  const startMid = startsMidDocument(rawBody);
  const foundIdx = sections.map((s) => SECTION_KEYS.indexOf(s.key));
  const firstIdx = foundIdx.length ? Math.min(...foundIdx) : 0;
  const lastIdx = foundIdx.length ? Math.max(...foundIdx) : -1;
  const cutEnd: string[] = [];
  const cutStart: string[] = [];
  SECTION_KEYS.forEach((k, i) => {
    if (sec(k)) return;
    if (i > lastIdx && truncatedEnd) cutEnd.push(SECTION_TITLES[k]);
    else if (i < firstIdx && startMid) cutStart.push(SECTION_TITLES[k]);
    else {
      findings.push({ severity: 'error', rule: 'structure.missing-section', message: `缺少“${SECTION_TITLES[k]}”部分`, where: `sections.${k}` });
    }
  });
  if (cutStart.length) {
    findings.push({
      severity: 'info',
      rule: 'structure.fragment',
      message: `文本只是报告的中间部分（从第 ${/(\d+)/.exec(rawBody.slice(0, 300))?.[1] ?? '?'} 页开始），未见：${cutStart.join('、')}`,
      where: 'sections',
    });
  }
  if (cutEnd.length) {
    findings.push({ severity: 'info', rule: 'structure.truncated', message: `文本在结尾处不完整（截断），未见：${cutEnd.join('、')}`, where: 'sections' });
  }
  for (const [k, t, name] of [
    ['proactive', t2, '表二（主动公开政府信息情况）'],
    ['requests', t3, '表三（收到和处理政府信息公开申请情况）'],
    ['reviews', t4, '表四（政府信息公开行政复议、行政诉讼情况）'],
  ] as const) {
    const s = sec(k);
    if (!s || t?.present) continue;
    const isLast = sections[sections.length - 1]?.key === k;
    if (isLast && truncatedEnd) {
      findings.push({ severity: 'info', rule: 'structure.truncated', message: `文本在“${SECTION_TITLES[k]}”处截断，未见${name}`, where: k });
    } else {
      findings.push({
        severity: 'error',
        rule: 'structure.missing-table',
        message: `“${SECTION_TITLES[k]}”部分没有${name}（表格缺失，或为图片、在文本提取时丢失）`,
        where: k,
      });
    }
  }

  // The consistency rules, shared with report generation.
  const narrative: Narrative = {};
  const proseParts: ProsePart[] = [];
  const narrativeKey: Record<SectionKey, keyof Narrative> = {
    overview: 'overview',
    proactive: 'proactive',
    requests: 'requests',
    reviews: 'reviews',
    problems: 'problems',
    other: 'other',
  };
  for (const s of sections) {
    let text = body.slice(s.bodyStart, s.end);
    // Tables are not prose: keep only what comes before a table.
    const tableStart =
      s.key === 'proactive' ? findFrom(body, BLOCK_ONE, s.bodyStart, s.end)?.start : s.key === 'requests' ? findFrom(body, CORNER, s.bodyStart, s.end)?.start : s.key === 'reviews' ? findFrom(body, REVIEW_HEADER, s.bodyStart, s.end)?.start : undefined;
    if (tableStart !== undefined) text = body.slice(s.bodyStart, tableStart);
    narrative[narrativeKey[s.key]] = text.trim();
    proseParts.push({ text, where: `narrative.${narrativeKey[s.key]}`, offset: s.bodyStart });
  }
  if (!sections.length || sections[0].start > 0) {
    const pre = body.slice(0, sections[0]?.start ?? (t2Start >= 0 ? t2Start : body.length));
    proseParts.unshift({ text: pre, where: 'narrative.preface', offset: 0 });
  }

  const report: AnnualReport<Cell> = {
    agency: { code: '', name: out.agency ?? '' },
    year: out.year ?? 0,
    format: out.format ?? '2021',
    proactive: out.proactive,
    requests: out.requests,
    reviews: out.reviews,
    narrative,
    findings: [],
  };
  const profile = agencyProfileFromName(out.agency ?? undefined) ?? agencyProfileFromName(header.agency);
  let prevReport: AnnualReport<Cell> | undefined;
  if (previous) {
    if (out.year && previous.year && previous.year !== out.year - 1) {
      findings.push({
        severity: 'info',
        rule: 'previous.year',
        message: `--previous 报告的年度为 ${previous.year}，不是 ${out.year - 1}，未做跨年度核对`,
        where: 'previous',
      });
    } else {
      prevReport = {
        agency: { code: '', name: previous.agency ?? '' },
        year: previous.year ?? (out.year ? out.year - 1 : 0),
        format: previous.format ?? '2021',
        proactive: previous.proactive,
        requests: previous.requests,
        reviews: previous.reviews,
        narrative: {},
        findings: [],
      };
    }
  }
  // Where each table row is, for the positions of findings.
  const positions: Record<string, { start: number; end: number }> = { ...t2?.positions, ...t3?.positions, ...t4?.positions };
  const locate = (row: string): FindingPlace | undefined => {
    const p = positions[row];
    if (!p) return undefined;
    let start = p.start;
    while (start < p.end && /[\s|│]/.test(body[start])) start++;
    return { quote: quote(body.slice(start, p.end).replace(/[\s|]+/g, ' ').trim()), offset: start, line: 0, column: 0 };
  };
  const checkAll = (r: AnnualReport<Cell>): Finding[] => [
    ...checkReportRules(r, { previous: prevReport, agency: profile ?? undefined }),
    ...checkProse(proseParts, r, { locate }),
  ];
  // Rows whose digits ran together: every reading kept, the prose and last year's report choose (readings.ts).
  const ambiguities = [...(t2?.present ? t2.ambiguities : []), ...(t3?.present ? t3.ambiguities : []), ...(t4?.present ? t4.ambiguities : [])];
  const reasoned = reasonOverReadings({
    report,
    ambiguities,
    facts: proseFacts(proseSentences(proseParts), report.format),
    previous: prevReport,
    previousAmbiguities: previous ? undecided.get(previous) : undefined,
    check: checkAll,
  });
  undecided.set(
    out,
    ambiguities.filter((a) => a.readings.length > 1),
  );
  const seen = new Set<string>();
  for (const f of [...checkAll(report), ...reasoned]) {
    const k = `${f.rule}\u0000${f.where}\u0000${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    findings.push(f);
  }
  // Every finding about a table row points at the row; then offsets become positions in the document's text.
  for (const f of findings) {
    if (f.places) continue;
    const row = Object.keys(positions)
      .filter((k) => f.where === k || f.where.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    const sec = sections.find((s) => f.where === s.key || f.where === `sections.${s.key}`);
    if (row) f.places = [locate(row)!];
    else if (sec) {
      const heading = sec.typo?.printed ?? quote(body.slice(sec.start, sec.bodyStart).replace(/[\s|]+/g, '')).slice(0, 40);
      f.places = [{ quote: heading, offset: sec.start, line: 0, column: 0 }];
    }
  }
  resolvePlaces(findings, positionMapper(raw, normalized, headerOffset));
  out.findings = sortFindings(findings);
  return out;
}

/** Audits one file (any supported kind); never throws. */
export async function auditFile(path: string, opts: AuditOptions = {}): Promise<AuditedReport> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    return blankAudit(path, [
      {
        severity: 'info',
        rule: 'input.unreadable',
        message: `无法打开文件 ${path}：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : e instanceof Error ? e.message : String(e)}`,
        where: 'file',
      },
    ]);
  }
  return auditBuffer(buf, path, opts);
}

/** Audits an uploaded file's content (the upload page calls this with the file's name). */
export async function auditBuffer(buf: Buffer, fileName: string, opts: AuditOptions = {}): Promise<AuditedReport> {
  const doc = await readReport(buf, basename(fileName));
  if (!doc.text.trim()) {
    const out = blankAudit(fileName, doc.findings.length ? doc.findings : [{ severity: 'info', rule: 'input.empty', message: '文件没有文字内容，无法审核', where: 'file' }]);
    return out;
  }
  const audited = auditText(doc.text, fileName, opts);
  audited.findings = sortFindings([...doc.findings, ...audited.findings]);
  return audited;
}

/** `gongkai check FILE… [--previous FILE]`: the contract's Audit JSON. */
export async function checkReportFiles(paths: string[], opts: { previous?: string } = {}): Promise<AuditResult> {
  const previous = opts.previous ? await auditFile(opts.previous) : null;
  const reports: AuditedReport[] = [];
  for (const p of paths) reports.push(await auditFile(p, { previous }));
  if (previous) return { reports };
  return { reports: await auditAcrossYears(reports, (i, prev) => auditFile(paths[i], { previous: prev })) };
}

const SEVERITY_LABEL: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

/** A readable Chinese report of the audit. */
export function formatAuditText(result: AuditResult): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of result.reports) {
    const e = r.findings.filter((f) => f.severity === 'error').length;
    const w = r.findings.filter((f) => f.severity === 'warning').length;
    const i = r.findings.length - e - w;
    errors += e;
    warnings += w;
    out.push(`== ${r.file}`);
    out.push(
      `   ${r.agency ?? '（未识别机关）'} ${r.year ?? '（未识别年度）'}年度 · ${r.format ? `${r.format} 年格式` : '格式未识别'} · 错误 ${e}，警告 ${w}，提示 ${i}`,
    );
    if (r.findings.length === 0) out.push('   未发现问题。');
    for (const f of r.findings) {
      const lines = [...new Set((f.places ?? []).map((p) => p.line))];
      const at = lines.length ? `，第 ${lines.join('、')} 行` : '';
      out.push(`   [${SEVERITY_LABEL[f.severity]}] ${f.message}（${f.rule} @ ${f.where}${at}）`);
    }
    out.push('');
  }
  out.push(`共审核 ${result.reports.length} 份报告：错误 ${errors}，警告 ${warnings}。${errors ? '发现错误。' : '未发现错误。'}`);
  return out.join('\n') + '\n';
}
