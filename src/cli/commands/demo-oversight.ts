/**
 * The demo city's oversight that acts (called once at the end of `gongkai demo`): requests of several applicants
 * for the same information (依申请转主动), 督办 of the city's office (市政务公开办, account jiandu) on its
 * departments in every state — accepted, answered late, returned, open on an overdue request and on the missing
 * report —, the office's 考核 weights, and the reminders of today in the office.
 */
import { actorFor, usersWithRoles } from '../../modules/accounts/accounts.service.js';
import { getAgency } from '../../modules/agencies/agencies.service.js';
import { setWeights } from '../../modules/assessment/assessment.service.js';
import type { Actor, Ctx } from '../../modules/context.js';
import { runReminders } from '../../modules/notifications/notifications.service.js';
import { releasedSince, runningLimits } from '../../modules/requests/notices.service.js';
import { newAccessKey, performAction, submitRequest } from '../../modules/requests/requests.service.js';
import { acceptSupervision, answerSupervision, openSupervision, returnSupervision } from '../../modules/supervision/supervision.service.js';

const at = (ctx: Ctx, date: string): Ctx => ({ ...ctx, now: () => new Date(`${date}T02:00:00Z`) });
const daysBefore = (date: string, n: number) => new Date(Date.parse(date) - n * 86400_000).toISOString().slice(0, 10);

/** The same information, asked for in different words by different people (条例第四十四条). */
const CLUSTERS: { agency: string; subjects: string[] }[] = [
  {
    agency: 'hrb-zjj',
    subjects: ['2025年城市道路维修工程中标结果', '关于公开今年道路维修项目中标情况的申请', '申请公开城市道路维修工程的中标单位和中标金额'],
  },
  {
    agency: 'hrb-jyj',
    subjects: ['2025年义务教育阶段学校招生划片范围', '关于公开今年小学招生学区划片方案的申请'],
  },
];

const PEOPLE = ['周明', '吴芳', '郑伟', '王静', '冯磊'];

async function staff(ctx: Ctx, code: string, role: 'handler' | 'editor' | 'approver' | 'supervisor'): Promise<Actor> {
  const agency = await getAgency(ctx, code);
  const u = (await usersWithRoles(ctx, [agency.id], [role]))[0];
  if (!u) throw new Error(`演示数据缺少 ${code} 的 ${role} 账号`);
  return (await actorFor(ctx, u.id))!;
}

export async function loadOversightDemo(ctx: Ctx, opts: { year: number; today: string }): Promise<{ supervisions: number; clusters: number; reminders: number }> {
  const { year, today } = opts;
  // ---- 依申请转主动: released requests of several applicants for the same information ----
  let person = 0;
  for (const c of CLUSTERS) {
    const handler = await staff(ctx, c.agency, 'handler');
    for (const [i, subject] of c.subjects.entries()) {
      // Within the last two months (a year whose report is published is locked).
      const receivedOn = daysBefore(today, 70 - 9 * i);
      const name = PEOPLE[person++ % PEOPLE.length]!;
      const { request } = await submitRequest(
        at(ctx, receivedOn),
        handler,
        { agency: c.agency, channel: 'online', receivedOn, applicant: { kind: 'natural_person', name, phone: `1390000${String(1000 + person).padStart(4, '0')}`, address: '哈尔滨市南岗区某街道1号' }, subject, description: '请以电子文档形式提供。', formWanted: 'electronic', delivery: 'online' },
        { strict: false, accessKey: newAccessKey() },
      );
      const replyOn = daysBefore(today, 56 - 9 * i);
      await performAction(at(ctx, replyOn), handler, request.id, { type: 'reply', on: replyOn, outcome: 'disclosed', replyText: '经审查，您申请的政府信息属于公开范围，现予以提供。' });
    }
  }

  // ---- 督办 of the city's office ----
  const office = await staff(ctx, 'harbin', 'supervisor');
  let supervisions = 0;
  const zjj = await getAgency(ctx, 'hrb-zjj');
  const released = (await releasedSince(ctx, zjj.id, `${year}-01-01`, 200)).filter((r) => r.repliedOn <= `${year}-06-01`);
  // Opened in the year, answered on time, accepted.
  if (released.length >= 2) {
    const id = await openSupervision(at(ctx, `${year}-06-09`), office, {
      agency: 'hrb-zjj',
      matter: 'requests',
      trackingNos: released.slice(0, 2).map((r) => r.trackingNo),
      details: '群众反映以上申请答复内容不完整，请核查并报送办理情况。',
      deadline: `${year}-06-20`,
    });
    const h = await staff(ctx, 'hrb-zjj', 'approver');
    await answerSupervision(at(ctx, `${year}-06-18`), h, id, { text: '经核查，已向申请人补充提供中标公示全文，并对承办人进行了提醒。' }, { maxBytes: 1 << 20 });
    await acceptSupervision(at(ctx, `${year}-06-23`), office, id);
    supervisions++;
  }
  // Answered after its deadline, returned once, answered again, accepted.
  {
    const id = await openSupervision(at(ctx, `${year}-09-01`), office, {
      agency: 'hrb-jyj',
      matter: 'other',
      title: '政府信息公开指南未按新机构职能更新',
      details: '你局公开指南中的办公地址和咨询电话仍为旧信息，请更新后报告。',
      deadline: `${year}-09-12`,
    });
    const h = await staff(ctx, 'hrb-jyj', 'approver');
    await answerSupervision(at(ctx, `${year}-09-16`), h, id, { text: '已安排专人更新公开指南。' }, { maxBytes: 1 << 20 });
    await returnSupervision(at(ctx, `${year}-09-17`), office, id, { text: '请附更新后的指南链接和截图。' });
    await answerSupervision(at(ctx, `${year}-09-22`), h, id, { text: '公开指南已更新，见本局政府信息公开专栏“公开指南”。' }, { maxBytes: 1 << 20 });
    await acceptSupervision(at(ctx, `${year}-09-24`), office, id);
    supervisions++;
  }
  // Open now: this year's overdue requests of a department, and the missing report.
  const current = Number(today.slice(0, 4));
  const deadline = new Date(Date.parse(today) + 14 * 86400_000).toISOString().slice(0, 10);
  for (const code of ['hrb-wglj', 'hrb-zjj', 'hrb-jyj', 'hrb-sthjj']) {
    const a = await getAgency(ctx, code);
    const overdue = (await runningLimits(ctx, [a.id])).filter((r) => r.dueOn < today);
    if (!overdue.length) continue;
    await openSupervision(at(ctx, today), office, { agency: code, matter: 'requests', trackingNos: overdue.slice(0, 3).map((r) => r.trackingNo), details: '请立即答复并说明超期原因。', deadline });
    supervisions++;
    break;
  }
  await openSupervision(at(ctx, today), office, { agency: 'hrb-sthjj', matter: 'report', reportYear: current - 1, details: '你局尚未发布上一年度政府信息公开工作年度报告，请抓紧发布并报告原因。', deadline });
  supervisions++;

  // ---- 考核: the office weighs on-time replies and the report a little more ----
  await setWeights(at(ctx, today), office, year, { replies: 30, reconsideration: 10, litigation: 10, report: 20, timeliness: 15, interpretation: 5, supervision: 10 });

  // ---- Reminders of today (in the office; no mail server in the demo) ----
  const r = await runReminders(ctx, ctx.now());
  return { supervisions, clusters: CLUSTERS.length, reminders: r.created };
}
