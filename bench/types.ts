/** One measured figure of a benchmark (`npm run bench`). */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  /** The lowest acceptable value, when there is one. */
  floor?: number;
  /** value / floor. */
  ratio?: number;
  /** The target in words, e.g. "≥ 200 份/秒（单核）". */
  target?: string;
  /** Whether the floor is met. */
  met?: boolean;
  /** A remark shown beside the figure. */
  note?: string;
};
