/** Empty tables of the report model, with every cell blank (`null`). */
import type {
  Cell,
  ProactiveTable,
  RequestRow,
  RequestsTable,
  ReviewResult,
  ReviewsTable,
} from '../law/report-model.js';
import { REQUEST_ROW_KEYS } from '../law/report-model.js';

export function blankRequestRow(): RequestRow<Cell> {
  return {
    natural_person: null,
    commercial_enterprise: null,
    research_institution: null,
    social_welfare_org: null,
    legal_service_org: null,
    other_org: null,
    total: null,
  };
}

export function blankRequests(): RequestsTable<Cell> {
  const t = {} as RequestsTable<Cell>;
  for (const k of REQUEST_ROW_KEYS) t[k] = blankRequestRow();
  return t;
}

function blankResult(): ReviewResult<Cell> {
  return { upheld: null, corrected: null, other: null, pending: null, total: null };
}

export function blankReviews(): ReviewsTable<Cell> {
  return {
    reconsideration: blankResult(),
    litigationDirect: blankResult(),
    litigationAfterReconsideration: blankResult(),
  };
}

export function blankProactive(): ProactiveTable<Cell> {
  return {
    rules: { issued: null, abolished: null, inForce: null },
    normativeDocuments: { issued: null, abolished: null, inForce: null },
    licensing: { decisions: null },
    penalties: { decisions: null },
    enforcement: { decisions: null },
    fees: { amount10kYuan: null },
  };
}

/** Sets a dotted path ("rules.issued") in a proactive table. */
export function setProactive(t: ProactiveTable<Cell>, path: string, value: Cell): void {
  if (!path) return;
  const [a, b] = path.split('.') as [keyof ProactiveTable<Cell>, string];
  (t[a] as Record<string, Cell>)[b] = value;
}

export function getProactive(t: ProactiveTable<Cell>, path: string): Cell {
  const [a, b] = path.split('.') as [keyof ProactiveTable<Cell>, string];
  return (t[a] as Record<string, Cell>)[b];
}
