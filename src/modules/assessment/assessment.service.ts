/**
 * 考核 from live data: the yearly score sheet of every agency an oversight office supervises, computed from the
 * records the other modules hold (their read models: GROUP BY in the database), weighted by the office's
 * weights, ranked; and for every figure the records behind it.
 */
import ExcelJS from 'exceljs';
import { AppError } from '../../errors.js';
import { deadlineState } from '../../law/report-deadline.js';
import { reportPeriod } from '../../law/report-period.js';
import { readableAgencies, getAgency, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { assessmentItemRecords, policyInterpretations, publicationTimeliness } from '../disclosure/disclosure.read-model.js';
import { canOversee } from '../oversight/oversight.service.js';
import { reportsOfYear } from '../reports/reports.service.js';
import { replyTimeliness, replyTimelinessRecords } from '../requests/requests.read-model.js';
import { concludedWithin, concludedWithinRecords } from '../reviews/reviews.read-model.js';
import { supervisionTimeliness, supervisionsOfAgency } from '../supervision/supervision.service.js';
import * as repo from './assessment.repository.js';
import { DEFAULT_WEIGHTS, INDICATORS, INDICATOR_LABELS, correctionRate, parseWeights, ranks, ratio, reportFigure, score, type Figure, type Indicator, type Weights } from './score.js';

export interface SheetRow {
  agency: Agency;
  figures: Record<Indicator, Figure>;
  score: number | null;
  rank: number | null;
}

export interface Sheet {
  year: number;
  today: string;
  weights: Weights;
  /** The office whose weights apply (null: the defaults, e.g. for an administrator). */
  office: { code: string; name: string } | null;
  canSetWeights: boolean;
  rows: SheetRow[];
}

function assertOversee(actor: Actor) {
  if (!canOversee(actor)) throw new AppError('forbidden', '考核仅限监督检查账号和系统管理员');
}

/** The actor's office: its highest supervisor grant (the one that sees most). */
function officeOf(actor: Actor) {
  return actor.grants.filter((g) => g.role === 'supervisor').sort((a, b) => a.agencyPath.length - b.agencyPath.length)[0] ?? null;
}

export function defaultYear(now: Date): number {
  return Number(todayCst(now).slice(0, 4)) - 1;
}

async function weightsFor(ctx: Ctx, officeId: number | null, year: number): Promise<Weights> {
  if (officeId === null) return DEFAULT_WEIGHTS;
  const raw = await repo.weightsOf(ctx.db, officeId, year);
  return raw ? { ...DEFAULT_WEIGHTS, ...(JSON.parse(raw) as Partial<Weights>) } : DEFAULT_WEIGHTS;
}

export async function scoreSheet(ctx: Ctx, actor: Actor, opts: { year?: number } = {}): Promise<Sheet> {
  assertOversee(actor);
  const today = todayCst(ctx.now());
  const year = opts.year ?? defaultYear(ctx.now());
  const office = officeOf(actor);
  const agencies = (await readableAgencies(ctx, actor)).slice(0, 500);
  const ids = agencies.map((a) => a.id);
  const y = reportPeriod(year);
  const db = ctx.db;
  const [weights, replies, cases, reports, items, policies, sup] = await Promise.all([
    weightsFor(ctx, office?.agencyId ?? null, year),
    replyTimeliness(db, ids, y),
    concludedWithin(db, ids, y),
    reportsOfYear(ctx, ids, year - 1),
    publicationTimeliness(db, ids, y),
    policyInterpretations(db, ids, y),
    supervisionTimeliness(ctx, ids, year),
  ]);
  const rows: SheetRow[] = agencies.map((a) => {
    const rp = replies.find((r) => r.agencyId === a.id);
    const rec = cases.filter((c) => c.agencyId === a.id && c.kind === 'reconsideration');
    const lit = cases.filter((c) => c.agencyId === a.id && c.kind !== 'reconsideration');
    const report = reports.find((r) => r.agencyId === a.id);
    const state = deadlineState(a.kind, year - 1, report?.status === 'published' ? report.publishedOn : null, today);
    const it = items.find((i) => i.agencyId === a.id);
    const po = policies.find((p) => p.agencyId === a.id);
    const su = sup.find((s) => s.agencyId === a.id);
    const figures: Record<Indicator, Figure> = {
      replies: ratio(rp?.onTime ?? 0, rp?.replied ?? 0),
      reconsideration: correctionRate(rec.reduce((s, c) => s + c.corrected, 0), rec.reduce((s, c) => s + c.n, 0)),
      litigation: correctionRate(lit.reduce((s, c) => s + c.corrected, 0), lit.reduce((s, c) => s + c.n, 0)),
      report: reportFigure({
        published: state === 'published' || state === 'published_late',
        onTime: state === 'published',
        errors: report?.status === 'published' ? report.findings.filter((f) => f.severity === 'error').length : 0,
        due: state !== 'due',
      }),
      timeliness: ratio((it?.published ?? 0) - (it?.late ?? 0), it?.published ?? 0),
      interpretation: ratio(po?.interpreted ?? 0, po?.policies ?? 0),
      supervision: ratio(su?.onTime ?? 0, su?.opened ?? 0),
    };
    return { agency: a, figures, score: score(figures, weights), rank: null };
  });
  const r = ranks(rows.map((x) => x.score));
  rows.forEach((x, i) => (x.rank = r[i]!));
  rows.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.agency.path.localeCompare(b.agency.path));
  return { year, today, weights, office: office ? { code: office.agencyCode, name: agencies.find((a) => a.id === office.agencyId)?.name ?? office.agencyCode } : null, canSetWeights: !!office, rows };
}

/** The office sets its weights for a year (audited). */
export async function setWeights(ctx: Ctx, actor: Actor, year: number, input: Record<string, unknown>): Promise<Weights> {
  assertOversee(actor);
  const office = officeOf(actor);
  if (!office) throw new AppError('forbidden', '只有监督检查机构可以设置考核权重');
  if (!Number.isInteger(year) || year < 2008 || year > 2100) throw new AppError('validation', '年度不正确', { fields: [{ field: 'year', message: '年度不正确' }] });
  const parsed = parseWeights(input);
  if ('errors' in parsed) throw new AppError('validation', parsed.errors.map((e) => e.message).join('；'), { fields: parsed.errors, reason: 'assessment.weights' });
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.saveWeights(tx, office.agencyId, year, JSON.stringify(parsed.weights), actor.userId, at.toISOString());
    await appendAudit(tx, { actor, agencyId: office.agencyId, action: 'assessment.weights', entity: 'agency', entityId: office.agencyId, data: { year, weights: parsed.weights }, at });
  });
  return parsed.weights;
}

export type Records =
  | { indicator: 'replies'; rows: Awaited<ReturnType<typeof replyTimelinessRecords>> }
  | { indicator: 'reconsideration' | 'litigation'; rows: Awaited<ReturnType<typeof concludedWithinRecords>> }
  | { indicator: 'timeliness' | 'interpretation'; rows: Awaited<ReturnType<typeof assessmentItemRecords>> }
  | { indicator: 'supervision'; rows: Awaited<ReturnType<typeof supervisionsOfAgency>> }
  | { indicator: 'report'; reportYear: number };

/** The records behind one figure of the sheet. */
export async function assessmentRecords(ctx: Ctx, actor: Actor, year: number, code: string, indicator: string): Promise<{ agency: Agency; records: Records }> {
  assertOversee(actor);
  const agency = await getAgency(ctx, code);
  if (!(await readableAgencies(ctx, actor)).some((a) => a.id === agency.id)) throw new AppError('forbidden', '您无权查看该机构的考核记录');
  if (!(INDICATORS as readonly string[]).includes(indicator)) throw new AppError('not_found', '考核指标不存在');
  const y = reportPeriod(year);
  const ind = indicator as Indicator;
  switch (ind) {
    case 'replies':
      return { agency, records: { indicator: ind, rows: await replyTimelinessRecords(ctx.db, agency.id, y) } };
    case 'reconsideration':
    case 'litigation': {
      const rows = (await concludedWithinRecords(ctx.db, agency.id, y)).filter((r) => (ind === 'reconsideration') === (r.kind === 'reconsideration'));
      return { agency, records: { indicator: ind, rows } };
    }
    case 'timeliness':
      return { agency, records: { indicator: ind, rows: await assessmentItemRecords(ctx.db, agency.id, y, 'timeliness') } };
    case 'interpretation':
      return { agency, records: { indicator: ind, rows: await assessmentItemRecords(ctx.db, agency.id, y, 'policies') } };
    case 'supervision':
      return { agency, records: { indicator: ind, rows: await supervisionsOfAgency(ctx, agency.id, year) } };
    case 'report':
      return { agency, records: { indicator: ind, reportYear: year - 1 } };
  }
}

/** Where the records behind a figure are shown. */
export function recordsHref(year: number, code: string, indicator: Indicator): string {
  return indicator === 'report' ? `/office/reports/${encodeURIComponent(code)}/${year - 1}` : `/office/assessment/${year}/${encodeURIComponent(code)}/${indicator}`;
}

/** The sheet as an Excel workbook: one row per agency, each figure a link to its records. */
export async function sheetXlsx(sheet: Sheet, baseUrl: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${sheet.year}年度考核`);
  ws.addRow([`${sheet.year}年度政府信息公开工作考核（${sheet.office ? sheet.office.name : '默认权重'}，统计日期 ${sheet.today}）`]).font = { bold: true, size: 14 };
  ws.addRow(['排名', '机构', '得分', ...INDICATORS.map((k) => `${INDICATOR_LABELS[k]}（权重 ${sheet.weights[k]}）`)]).font = { bold: true };
  for (const r of sheet.rows) {
    const row = ws.addRow([r.rank ?? '—', r.agency.name, r.score ?? '—', ...INDICATORS.map((k) => r.figures[k].text)]);
    INDICATORS.forEach((k, i) => {
      const cell = row.getCell(4 + i);
      cell.value = { text: r.figures[k].text, hyperlink: `${baseUrl}${recordsHref(sheet.year, r.agency.code, k)}` };
      cell.font = { color: { argb: 'FF1D4ED8' }, underline: true };
    });
  }
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 6 : i === 1 ? 28 : i === 2 ? 8 : 22));
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
