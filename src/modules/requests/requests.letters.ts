/** The letters of a request as input for src/render/letters.ts (built from the record). */
import { notFound } from '../../errors.js';
import type { FeeMethod } from '../../law/fees.js';
import type { OutcomeKey } from '../../law/outcomes.js';
import type { LetterInput, LetterKind } from '../../render/letters.js';
import { yearOf } from '../../law/calendar.js';
import { getAgencyById, letterNumber, reconsiderationOf } from '../agencies/agencies.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import type { Actor, Ctx } from '../context.js';
import { letterDate } from './requests.letter-dates.js';
import { getRequest, getRequestByTracking, type RequestView } from './requests.views.js';

const LETTER_NO_PREFIX: Record<LetterKind, string> = {
  receipt: '依申请登记',
  correction: '补正告知',
  consultation: '征询',
  extension: '延期告知',
  fee: '收费通知',
  reply: '依申请答复',
};

export async function letterInputOf(ctx: Ctx, view: RequestView, kind: LetterKind): Promise<LetterInput> {
  const r = view.request;
  if (!view.letters.includes(kind)) throw notFound('该文书（尚未办理相应事项）');
  const agency = await getAgencyById(ctx, r.agencyId);
  const events = view.events;
  const date = letterDate(r, events, kind) ?? r.receivedOn;
  const last = (t: string) => [...events].reverse().find((e) => e.type === t);
  const trace = view.clock.trace;
  const dueAfter = (action: string) => [...trace].reverse().find((s) => s.action === action)?.dueOn;
  // A printed limit is 暂定 when a year it was counted over (receipt to that limit) has no holiday notice loaded;
  // each letter's own date, not the request's latest limit (a receipt's covered limit stays firm after an
  // extension runs into an uncovered year).
  const cal = await loadCalendar(ctx);
  const provisional = (due: string) => {
    for (let y = yearOf(r.receivedOn); y <= yearOf(due); y++) if (!cal.covers(y)) return true;
    return false;
  };
  const input: LetterInput = {
    kind,
    agency: {
      name: agency.name,
      office: agency.officeName ?? `${agency.name}政府信息公开工作机构`,
      address: agency.address ?? '',
      postcode: agency.postcode ?? '',
      phone: agency.phone ?? '',
    },
    // 发文字号: the agency's 机关代字, the kind's 类别字 and its own serial (src/law/letter-numbers.ts).
    letterNo: await letterNumber(ctx, agency, kind, r.id, Number(date.slice(0, 4))),
    // 复议机关 by 行政复议法第二十四条, or the agency's own entry; none (and the office is asked) where neither.
    reconsiderationBody: (await reconsiderationOf(ctx, agency)).body,
    date,
    applicantName: r.applicant.name,
    subject: r.subject,
    trackingNo: r.trackingNo,
    receivedOn: r.receivedOn,
    channel: r.channel as LetterInput['channel'],
  };
  const corr = last('request_correction');
  if (corr) input.correctionRequestedOn = corr.on;
  switch (kind) {
    case 'receipt':
      input.dueOn = trace[0]?.dueOn || undefined;
      if (input.dueOn && provisional(input.dueOn)) input.dueProvisional = true;
      break;
    case 'correction':
      input.correctionItems = (corr?.data.items as string[] | undefined) ?? undefined;
      input.correctionDays = (corr?.data.periodWorkingDays as number | undefined) ?? 15;
      break;
    case 'consultation': {
      const c = last('start_consultation')!;
      input.thirdParty = c.data.party as string | undefined;
      input.thirdPartyInterest = c.data.interest as string | undefined;
      break;
    }
    case 'extension': {
      const e = last('extend')!;
      input.extensionDays = e.data.days as number;
      input.extensionReason = e.data.reason as string | undefined;
      input.dueOn = dueAfter('extend') || undefined;
      if (input.dueOn && provisional(input.dueOn)) input.dueProvisional = true;
      break;
    }
    case 'fee': {
      const f = last('notify_fee')!;
      input.fee = {
        method: f.data.method as FeeMethod,
        amount: f.data.amount as number,
        units: (f.data.method === 'per_page' ? f.data.pages : (f.data.ordinal as number) + ((f.data.count as number) ?? 1) - 1) as number,
        paymentMethod: (f.data.paymentMethod as string | undefined) ?? '按本机关另行告知的政府非税收入缴款方式缴纳',
        explanation: f.data.explanation as string | undefined,
      };
      break;
    }
    case 'reply': {
      const rep = last('reply')!;
      input.outcome = r.outcome as OutcomeKey;
      if (rep.data.replyText) input.reasons = rep.data.replyText as string;
      if (rep.data.deliveryMethod) input.deliveryMethod = rep.data.deliveryMethod as string;
      if (rep.data.referral) input.referral = rep.data.referral as string;
      break;
    }
  }
  return input;
}

export const LETTER_KINDS: readonly LetterKind[] = ['receipt', 'correction', 'consultation', 'extension', 'fee', 'reply'];

export async function letterForStaff(ctx: Ctx, actor: Actor, id: number, kind: LetterKind): Promise<LetterInput> {
  return letterInputOf(ctx, await getRequest(ctx, actor, id), kind);
}

/** The applicant's own letters (not the consultation letter, which goes to the third party). */
export async function letterForApplicant(ctx: Ctx, trackingNo: string, key: string, kind: LetterKind): Promise<LetterInput> {
  if (kind === 'consultation') throw notFound('该文书');
  return letterInputOf(ctx, await getRequestByTracking(ctx, trackingNo, key), kind);
}

