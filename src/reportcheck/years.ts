/**
 * Reports of one agency over several years in one batch (a folder of years): each report is checked against
 * the same agency's report of the year before, as with `--previous` — 二、上年结转 against last year's
 * 四、结转下年度继续办理, 现行有效件数 against last year's plus 制发 minus 废止 — using last year's cells as its
 * own audit read them (a row whose digits ran together counts with the readings its prose supports).
 */
/** What pairing needs of an audited report. */
export interface Dated {
  agency: string | null;
  year: number | null;
}

/** The agency's name as a key: no spaces, no notes in brackets. */
export function agencyKey(name: string | null): string | null {
  if (!name) return null;
  const k = name.replace(/[\s|]+/g, '').replace(/[（(][^（）()]*[）)]/g, '');
  return k || null;
}

/**
 * For each report, the index of the same agency's report of the year before in the list (or -1), and the
 * order to audit them in (earlier years first, so that a chain 2022 → 2023 → 2024 uses each year as read
 * with its own previous year).
 */
export function previousYearPairs(reports: Dated[]): { previous: number[]; order: number[] } {
  const byKey = new Map<string, number>();
  const dup = new Set<string>();
  reports.forEach((r, i) => {
    const a = agencyKey(r.agency);
    if (!a || !r.year) return;
    const k = `${a}\u0000${r.year}`;
    if (byKey.has(k)) dup.add(k);
    else byKey.set(k, i);
  });
  const previous = reports.map((r) => {
    const a = agencyKey(r.agency);
    if (!a || !r.year) return -1;
    const k = `${a}\u0000${r.year - 1}`;
    // Two reports of one agency and year (two copies, or two agencies of one name): no pairing.
    if (dup.has(k) || dup.has(`${a}\u0000${r.year}`)) return -1;
    return byKey.get(k) ?? -1;
  });
  const order = reports.map((_, i) => i).sort((x, y) => (reports[x].year ?? 0) - (reports[y].year ?? 0) || x - y);
  return { previous, order };
}

/**
 * Re-audits, with its previous year, every report that has one in the list; `reaudit(i, previous)` audits the
 * i-th document again. Returns the list with those reports replaced.
 */
export async function auditAcrossYears<R extends Dated>(reports: R[], reaudit: (index: number, previous: R) => Promise<R>): Promise<R[]> {
  const out = reports.slice();
  const { previous, order } = previousYearPairs(reports);
  for (const i of order) {
    if (previous[i] < 0) continue;
    out[i] = await reaudit(i, out[previous[i]]);
  }
  return out;
}
