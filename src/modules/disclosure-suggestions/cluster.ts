/**
 * 依申请转主动 (条例第四十四条): "多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，
 * 行政机关可以纳入主动公开的范围。" Which released requests ask for the same information, worded differently.
 *
 * Pure: each request comes with its words (the search engine's analysis: jieba in search mode, so a compound and
 * its parts both count). The words every request carries — 关于, 申请, 公开, 情况, 结果, years — are dropped; two
 * requests are alike when they share at least two words and those cover most of the shorter one
 * (|A ∩ B| / min(|A|, |B|) ≥ 0.6), in their subjects or in subject and description together (a description
 * says more, but also dilutes the subject). Alike requests are joined transitively; a cluster is offered when it
 * holds requests of at least two applicants.
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

/** The overlap coefficient of two word sets, 0 when they share fewer than MIN_SHARED words. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const sb = new Set(b);
  const shared = a.filter((w) => sb.has(w)).length;
  if (shared < MIN_SHARED) return 0;
  return shared / Math.min(a.length, b.length);
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

export function clusterRequests(rs: readonly ClusterInput[], minOverlap = MIN_OVERLAP): Cluster[] {
  const parent = rs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const score = new Array<number>(rs.length).fill(0);
  for (let i = 0; i < rs.length; i++) {
    for (let j = i + 1; j < rs.length; j++) {
      const s = Math.max(similarity(rs[i]!.subjectWords, rs[j]!.subjectWords), similarity(rs[i]!.words, rs[j]!.words));
      if (s >= minOverlap) {
        parent[find(i)] = find(j);
        score[i]! += s;
        score[j]! += s;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rs.length; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  const out: Cluster[] = [];
  for (const members of groups.values()) {
    const applicants = new Set(members.map((i) => rs[i]!.applicantKey)).size;
    if (members.length < 2 || applicants < 2) continue;
    // The subject of the request most like the others names the cluster.
    const central = members.reduce((best, i) => (score[i]! > score[best]! ? i : best), members[0]!);
    out.push({
      subject: rs[central]!.subject,
      requestIds: members.map((i) => rs[i]!.id).sort((a, b) => a - b),
      applicants,
      lastRepliedOn: members.map((i) => rs[i]!.repliedOn).sort().at(-1)!,
    });
  }
  return out.sort((a, b) => b.applicants - a.applicants || b.requestIds.length - a.requestIds.length || (a.lastRepliedOn < b.lastRepliedOn ? 1 : -1));
}
