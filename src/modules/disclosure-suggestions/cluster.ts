/**
 * 依申请转主动 (条例第四十四条): "多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，
 * 行政机关可以纳入主动公开的范围。" Which released requests ask for the same information, worded differently.
 *
 * Pure: each request comes with its words (the search engine's analysis: jieba in search mode, so a compound and
 * its parts both count). The words every request carries — 关于, 申请, 公开, 情况, 结果, years — are dropped; two
 * requests are alike when they share at least two specific words and those cover most of the shorter one
 * (|A ∩ B| / min(|A|, |B|) ≥ 0.6, generic words such as 项目 or 方案 weighing a quarter), in their subjects or
 * in subject and description together (a description says more, but also dilutes the subject). Alike requests
 * are grouped (complete linkage); a group is offered when it holds requests of at least two applicants.
 */

/** Words of a request letter that say nothing about which information is asked for. */
export const REQUEST_BOILERPLATE: ReadonlySet<string> = new Set([
  '关于', '公开', '申请', '申请人', '依申请', '信息', '政府', '政府信息', '请求', '提供', '情况', '结果', '有关', '相关',
  '今年', '去年', '本年', '当年', '年度', '内容', '资料', '具体', '要求', '依法', '希望', '查询', '获取', '贵局',
  '贵单位', '贵机关', '请予', '本人', '我们', '以及', '包括', '所有', '全部', '文件', '材料', '复印件', '的函',
]);

/** A request's distinguishing words: the analysed words less boilerplate and bare numbers (years, serials). */
export function distinguishingWords(words: readonly string[]): string[] {
  return [...new Set(words.filter((w) => !REQUEST_BOILERPLATE.has(w) && !/^\d+$/.test(w)))];
}

export const MIN_SHARED = 2;
export const MIN_OVERLAP = 0.6;

/**
 * Words that name a kind of document or activity rather than the information itself (项目, 清单, 方案, 检查 …):
 * they count a quarter, two requests must share at least MIN_SHARED other words (or one, when all of one's words
 * are in the other), and two requests that both name kinds of document must share one. Without this, "供热管理项目
 * 清单" and "物业管理项目清单", or "供热管理的会议纪要" and "供热管理的检查结果", would look alike.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  '工作', '项目', '方案', '实施', '实施方案', '清单', '审批', '会议', '纪要', '会议纪要', '检查', '资金', '使用',
  '计划', '规划', '建设', '通知', '报告', '标准', '名单', '目录', '办法', '规定', '决定', '批复', '意见', '数据', '统计',
  '公告', '公示', '记录', '文书', '制度',
]);

const weightOf = (w: string) => (GENERIC_WORDS.has(w) ? 0.25 : 1);

/**
 * How alike two word sets are: the weight of the shared words over the weight of the smaller set (overlap
 * coefficient, generic words a quarter), 0 when they share fewer than MIN_SHARED specific words.
 */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const sb = new Set(b);
  const shared = a.filter((w) => sb.has(w));
  const specific = shared.filter((w) => !GENERIC_WORDS.has(w)).length;
  // Two specific words in common, or one when one request's words are all in the other.
  if (specific < MIN_SHARED && !(specific >= 1 && shared.length === Math.min(a.length, b.length))) return 0;
  // Both name a kind of document, and not the same one (会议纪要 / 检查结果): different information.
  const generic = (ws: readonly string[]) => ws.filter((w) => GENERIC_WORDS.has(w));
  if (generic(a).length && generic(b).length && !generic(shared).length) return 0;
  const sum = (ws: readonly string[]) => ws.reduce((s, w) => s + weightOf(w), 0);
  return sum(shared) / Math.min(sum(a), sum(b));
}

export interface ClusterInput {
  id: number;
  /** Who asked (the same person asking twice is one applicant). */
  applicantKey: string;
  subject: string;
  repliedOn: string;
  /** distinguishingWords of the subject. */
  subjectWords: string[];
  /** distinguishingWords of subject and description. */
  words: string[];
}

export interface Cluster {
  subject: string;
  requestIds: number[];
  applicants: number;
  lastRepliedOn: string;
}

/**
 * Groups alike requests. Words found in more than half of the requests (an agency's form letter: "本人因生产经营
 * 需要……请以电子文档形式提供") are left out when there are 8 requests or more. Complete linkage: two groups merge
 * only when every request of one is alike every request of the other (no chains from topic to topic through
 * shared words), most alike pairs first.
 */
export function clusterRequests(rs: readonly ClusterInput[], minOverlap = MIN_OVERLAP): Cluster[] {
  const n = rs.length;
  const df = new Map<string, number>();
  for (const r of rs) for (const w of new Set([...r.subjectWords, ...r.words])) df.set(w, (df.get(w) ?? 0) + 1);
  const common = (w: string) => n >= 8 && (df.get(w) ?? 0) > n / 2;
  const subj = rs.map((r) => r.subjectWords.filter((w) => !common(w)));
  const full = rs.map((r) => r.words.filter((w) => !common(w)));
  const sim = new Map<number, number>();
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.max(similarity(subj[i]!, subj[j]!), similarity(full[i]!, full[j]!));
      if (s >= minOverlap) {
        sim.set(i * n + j, s);
        pairs.push([s, i, j]);
      }
    }
  }
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const alike = (i: number, j: number) => sim.has(Math.min(i, j) * n + Math.max(i, j));
  const groupOf = rs.map((_, i) => i);
  const members = new Map<number, number[]>(rs.map((_, i) => [i, [i]]));
  for (const [, i, j] of pairs) {
    const gi = groupOf[i]!;
    const gj = groupOf[j]!;
    if (gi === gj) continue;
    const a = members.get(gi)!;
    const b = members.get(gj)!;
    if (!a.every((x) => b.every((y) => alike(x, y)))) continue;
    for (const y of b) groupOf[y] = gi;
    a.push(...b);
    members.delete(gj);
  }
  const out: Cluster[] = [];
  for (const m of members.values()) {
    const applicants = new Set(m.map((i) => rs[i]!.applicantKey)).size;
    if (m.length < 2 || applicants < 2) continue;
    // The subject of the request most like the others names the cluster.
    const score = (i: number) => m.reduce((s, x) => s + (x === i ? 0 : (sim.get(Math.min(i, x) * n + Math.max(i, x)) ?? 0)), 0);
    const central = m.reduce((best, i) => (score(i) > score(best) ? i : best), m[0]!);
    out.push({
      subject: rs[central]!.subject,
      requestIds: m.map((i) => rs[i]!.id).sort((a, b) => a - b),
      applicants,
      lastRepliedOn: m.map((i) => rs[i]!.repliedOn).sort().at(-1)!,
    });
  }
  return out.sort((a, b) => b.applicants - a.applicants || b.requestIds.length - a.requestIds.length || (a.lastRepliedOn < b.lastRepliedOn ? 1 : -1));
}
