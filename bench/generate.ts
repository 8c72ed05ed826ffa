/**
 * A realistic data generator, deterministic by seed: a city (1 government, departments, townships) or a
 * province (20 cities), five years of records per agency with the mix seen in real reports — most agencies
 * receive 0–20 requests a year and a few hundreds; hundreds to thousands of disclosure items with Chinese
 * titles and bodies; registries; new-media records; reconsiderations and suits.
 *
 * Everything goes through the capabilities' own use cases (import, submit, actions, registries, reviews),
 * so the audit chain holds and the search index is fed as in production.
 */
import { createUser, actorFor } from '../src/modules/accounts/accounts.service.js';
import { createAgency } from '../src/modules/agencies/agencies.service.js';
import type { Actor, Ctx } from '../src/modules/context.js';
import { importItems, type SourceRow } from '../src/modules/disclosure/import.service.js';
import { addDecisions, addDocument, addFee, addNewMedia } from '../src/modules/registries/registries.service.js';
import { performAction, submitRequest } from '../src/modules/requests/requests.service.js';
import { createReviewCase } from '../src/modules/reviews/reviews.service.js';
import { OUTCOME_KEYS } from '../src/law/report-model.js';
import { APPLICANT_KINDS } from '../src/law/report-model.js';
import { CITY_NAMES, DEPARTMENTS, TOWN_SUFFIX, idNumber, itemText, personName, placeName, rng, type Rng } from './lib/corpus.js';
import { progress } from './lib/progress.js';

export interface GenSize {
  cities: number;
  departments: number;
  townships: number;
  years: number[];
  /** Mean items per agency-year. */
  itemsPerAgencyYear: number;
  /** Requests: fraction of agencies that are "busy" (hundreds a year). */
  busyShare: number;
  busyRequests: number;
}

export const SIZES: Record<'quick' | 'district' | 'city' | 'province', GenSize> = {
  quick: { cities: 1, departments: 30, townships: 6, years: [2021, 2022, 2023, 2024, 2025], itemsPerAgencyYear: 540, busyShare: 0.05, busyRequests: 120 },
  district: { cities: 1, departments: 60, townships: 12, years: [2021, 2022, 2023, 2024, 2025], itemsPerAgencyYear: 900, busyShare: 0.05, busyRequests: 200 },
  city: { cities: 1, departments: 100, townships: 20, years: [2021, 2022, 2023, 2024, 2025], itemsPerAgencyYear: 1650, busyShare: 0.05, busyRequests: 300 },
  province: { cities: 20, departments: 100, townships: 20, years: [2021, 2022, 2023, 2024, 2025], itemsPerAgencyYear: 350, busyShare: 0.04, busyRequests: 250 },
};

export interface GenResult {
  agencies: { code: string; id?: number; city: string; kind: string }[];
  cityCodes: string[];
  provinceCode: string | null;
  items: number;
  itemSeconds: number;
  requests: number;
  requestSeconds: number;
}

const CATEGORIES = ['政策文件', '工作动态', '通知公告', '规划信息', '财政预决算', '政策解读', '人事信息', '行政许可', '行政处罚', '政府采购'];

/** Weighted outcome mix seen in reports: most disclosed, then not held, partial, not processed… */
const OUTCOME_WEIGHTS: [string, number][] = OUTCOME_KEYS.map((k) => [
  k,
  k === 'disclosed' ? 40 : k === 'unavailable.not_held' ? 18 : k === 'partially_disclosed' ? 8 : k.startsWith('not_processed') ? 3 : k.startsWith('withheld') ? 1.5 : 2,
]);

function dateIn(r: Rng, year: number, fromMonth = 1, toMonth = 12): string {
  const m = r.int(fromMonth, toMonth);
  const d = r.int(1, m === 2 ? 28 : 30);
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds working-day-ish offsets crudely (the clock itself is computed by the service). */
function plusDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export async function generate(ctx: Ctx, sizeName: keyof typeof SIZES, opts: { seed?: number; skipItems?: boolean; itemsPerAgencyYear?: number; requestShare?: number } = {}): Promise<GenResult> {
  const size = { ...SIZES[sizeName], ...(opts.itemsPerAgencyYear ? { itemsPerAgencyYear: opts.itemsPerAgencyYear } : {}) };
  const r = rng(opts.seed ?? 20261128);
  const sys = { system: 'bench-generator' };
  const result: GenResult = { agencies: [], cityCodes: [], provinceCode: null, items: 0, itemSeconds: 0, requests: 0, requestSeconds: 0 };

  // Agencies.
  let parentOfCities: string | null = null;
  if (size.cities > 1) {
    await createAgency(ctx, sys, { code: 'prov', name: '某省人民政府', kind: 'government' });
    parentOfCities = 'prov';
    result.provinceCode = 'prov';
  }
  const agencyCount = size.cities * (1 + size.departments + size.townships);
  const pa = progress('生成机构', agencyCount);
  for (let c = 0; c < size.cities; c++) {
    const city = `${CITY_NAMES[c % CITY_NAMES.length]}${c >= CITY_NAMES.length ? c : ''}市`;
    const cityCode = `c${String(c + 1).padStart(2, '0')}`;
    await createAgency(ctx, sys, {
      code: cityCode, name: `${city}人民政府`, kind: 'government', parentCode: parentOfCities,
      officeName: `${city}人民政府办公室`, address: `${city}人民大街1号`, postcode: '150001', phone: '0451-12345678', officeHours: '工作日 9:00–12:00，13:30–17:00',
    });
    result.cityCodes.push(cityCode);
    result.agencies.push({ code: cityCode, city, kind: 'government' });
    for (let d = 0; d < size.departments; d++) {
      const name = `${city}${DEPARTMENTS[d % DEPARTMENTS.length]}${d >= DEPARTMENTS.length ? `第${Math.floor(d / DEPARTMENTS.length) + 1}分局` : ''}`;
      const code = `${cityCode}-d${String(d + 1).padStart(3, '0')}`;
      await createAgency(ctx, sys, { code, name, kind: 'department', parentCode: cityCode });
      result.agencies.push({ code, city, kind: 'department' });
    }
    for (let t = 0; t < size.townships; t++) {
      const name = `${city}${placeName(r)}${r.pick(TOWN_SUFFIX)}`;
      const code = `${cityCode}-t${String(t + 1).padStart(3, '0')}`;
      await createAgency(ctx, sys, { code, name, kind: 'township', parentCode: cityCode });
      result.agencies.push({ code, city, kind: 'township' });
    }
    pa.tick(result.agencies.length);
  }
  pa.done();

  // One administrator acts for the generator in the use cases that need an account.
  const root = result.provinceCode ?? result.cityCodes[0]!;
  const admin = await createUser(ctx, sys, { agencyCode: root, username: 'bench-admin', role: 'admin' });
  const actor = (await actorFor(ctx, admin.id)) as Actor;

  // Items, through the import path (batched inserts with search indexing).
  if (!opts.skipItems) {
    const perAgency = size.years.length * size.itemsPerAgencyYear;
    const total = result.agencies.length * perAgency;
    const pi = progress('生成并导入主动公开信息', total);
    const t0 = performance.now();
    for (const a of result.agencies) {
      const ar = rng(r.int(1, 2 ** 31));
      const place = a.city.replace(/市$/, '');
      async function* rows(): AsyncGenerator<SourceRow> {
        let line = 0;
        for (const year of size.years) {
          const n = Math.max(1, Math.round(size.itemsPerAgencyYear * (0.5 + ar.next())));
          for (let i = 0; i < n; i++) {
            const { title, summary, body } = itemText(ar, place, year, a.code);
            const generatedOn = dateIn(ar, year);
            line++;
            yield {
              line,
              record: {
                title, summary, body, category: ar.pick(CATEGORIES), generatedOn, publishedOn: plusDays(generatedOn, ar.int(0, 25)),
                docNumber: ar.chance(0.3) ? `${place}政发〔${year}〕${ar.int(1, 200)}号` : '', publisher: a.city, validity: ar.chance(0.9) ? 'valid' : 'invalid',
              },
            };
          }
        }
      }
      const before = result.items;
      const res = await importItems(ctx, sys, a.code, rows(), { file: `generator:${a.code}`, batchSize: 10_000, onProgress: (_, imported) => pi.tick(before + imported) });
      result.items += res.imported;
      if (res.rejected.length) throw new Error(`generator rows rejected for ${a.code}: ${JSON.stringify(res.rejected.slice(0, 3))}`);
    }
    result.itemSeconds = (performance.now() - t0) / 1000;
    pi.done();
  }

  // Requests, registries, reviews.
  const pr = progress('生成依申请公开、登记簿和复议诉讼记录', result.agencies.length);
  const t1 = performance.now();
  let done = 0;
  // Agencies are generated side by side on PostgreSQL (each with its own seeded sequence, so the data does
  // not depend on the interleaving): a province's ≈ 230 000 requests one after another would take hours of
  // commit waits. SQLite has one writer: one agency at a time.
  const seed = opts.seed ?? 20261128;
  const perAgency = async (a: GenResult['agencies'][number], index: number) => {
    const r = rng(seed + 7919 * (index + 1));
    const busy = r.chance(size.busyShare);
    for (const year of size.years) {
      const full = busy ? r.int(size.busyRequests / 2, size.busyRequests) : r.int(0, r.chance(0.3) ? 20 : 4);
      const n = opts.requestShare === undefined ? full : Math.round(full * opts.requestShare);
      for (let i = 0; i < n; i++) {
        const kind = r.chance(0.8) ? 'natural_person' : r.pick(APPLICANT_KINDS.slice(1));
        const receivedOn = dateIn(r, year, 1, 12);
        const { request } = await submitRequest(
          ctx,
          actor,
          {
            agency: a.code, channel: r.pick(['online', 'online', 'letter', 'in_person', 'email']), receivedOn,
            applicant: kind === 'natural_person'
              ? { kind, name: personName(r), idNumber: idNumber(r, r.int(1950, 2000)), phone: `139${r.int(10000000, 99999999)}` }
              : { kind, name: `${placeName(r)}${r.pick(['科技有限公司', '律师事务所', '研究院', '公益基金会', '商会'])}`, orgCode: `91230102MA${r.int(10000000, 99999999)}`.slice(0, 18), contact: personName(r), phone: `0451-${r.int(80000000, 89999999)}` },
            subject: itemText(r, a.city, year, a.code).title,
            description: '请求公开上述文件全文及相关附件。',
            formWanted: 'electronic', delivery: 'email',
          },
          { strict: false, accessKey: `k${year}${i}${a.code}` },
        );
        result.requests++;
        // Replies within the limit for most; a few stay open across the year end (carried forward).
        const openAtEnd = receivedOn > `${year}-12-10` && r.chance(0.7);
        if (!openAtEnd || year < size.years[size.years.length - 1]!) {
          const replyOn = openAtEnd ? `${year + 1}-01-${String(r.int(5, 20)).padStart(2, '0')}` : plusDays(receivedOn, r.int(1, 20));
          const outcome = r.weighted(OUTCOME_WEIGHTS);
          if (outcome === 'other.correction_overdue' || outcome === 'other.fee_overdue') continue; // those need their notices first
          try {
            await performAction(ctx, actor, request.id, { type: 'reply', on: replyOn, outcome, replyText: '经审查，现答复如下。' });
          } catch {
            // a generated date the clock refuses (e.g. on a holiday past the limit): leave it open
          }
        }
      }
      // Registries.
      for (let k = r.int(0, 3); k > 0; k--) {
        await addDocument(ctx, actor, a.code, {
          kind: a.kind === 'township' || r.chance(0.9) ? 'normative_document' : 'rule',
          title: itemText(r, a.city, year, a.code).title, docNumber: `${a.city}规〔${year}〕${r.int(1, 50)}号`,
          issuedOn: dateIn(r, year), abolishedOn: r.chance(0.15) ? dateIn(r, Math.min(year + 2, size.years[size.years.length - 1]!)) : null,
        }).catch(() => undefined);
      }
      if (r.chance(0.6)) await addDecisions(ctx, actor, a.code, { kind: 'licensing', year, count: r.int(0, 3000) || 1 });
      if (r.chance(0.5)) await addDecisions(ctx, actor, a.code, { kind: 'penalty', year, count: r.int(1, 400) });
      if (r.chance(0.2)) await addDecisions(ctx, actor, a.code, { kind: 'enforcement', year, count: r.int(1, 40) });
      if (r.chance(0.3)) await addFee(ctx, actor, a.code, { collectedOn: `${year}-12-31`, amountYuan: String(r.int(1000, 900000)) });
      for (const channel of ['wechat', 'douyin', 'weibo']) {
        if (r.chance(0.6)) await addNewMedia(ctx, actor, a.code, { channel, publishedOn: `${year}-12-31`, count: r.int(20, 1500), account: `${a.city}发布` });
      }
      if (r.chance(0.08)) {
        await createReviewCase(ctx, actor, {
          agency: a.code, kind: r.pick(['reconsideration', 'reconsideration', 'litigation_direct', 'litigation_after_reconsideration']),
          filedOn: dateIn(r, year), result: r.pick(['upheld', 'upheld', 'corrected', 'other', 'pending']), concludedOn: undefined, caseNo: `（${year}）复字第${r.int(1, 99)}号`,
        }).catch(() => undefined);
      }
    }
    pr.tick(++done);
  };
  const lanes = ctx.engine === 'postgres' ? 6 : 1;
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < result.agencies.length) {
      const i = next++;
      await perAgency(result.agencies[i]!, i);
    }
  }));
  result.requestSeconds = (performance.now() - t1) / 1000;
  pr.done();
  return result;
}
