import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APPLICANT_KINDS,
  APPLICANT_KIND_LABELS,
  OUTCOMES,
  OUTCOME_FAMILY_LABELS,
  OUTCOME_KEYS,
  RECEIPT_RULES,
  REQUEST_CHANNELS,
  REQUEST_CHANNEL_LABELS,
  applicantKindDisplayLabel,
  isApplicantKind,
  isOutcomeKey,
  isRequestChannel,
  outcomeDisplayLabel,
  outcomeFamily,
  outcomeLegalBasis,
  outcomesOf,
  receiptDate,
} from './outcomes.js';

test('年报格式 表三: 21 outcomes, in table order, with verbatim row labels', () => {
  assert.equal(OUTCOME_KEYS.length, 21);
  assert.deepEqual(Object.keys(OUTCOMES), [...OUTCOME_KEYS]);
  const labels = OUTCOME_KEYS.map((k) => OUTCOMES[k].label);
  assert.deepEqual(labels, [
    '（一）予以公开',
    '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    '1.属于国家秘密',
    '2.其他法律行政法规禁止公开',
    '3.危及“三安全一稳定”',
    '4.保护第三方合法权益',
    '5.属于三类内部事务信息',
    '6.属于四类过程性信息',
    '7.属于行政执法案卷',
    '8.属于行政查询事项',
    '1.本机关不掌握相关政府信息',
    '2.没有现成信息需要另行制作',
    '3.补正后申请内容仍不明确',
    '1.信访举报投诉类申请',
    '2.重复申请',
    '3.要求提供公开出版物',
    '4.无正当理由大量反复申请',
    '5.要求行政机关确认或重新出具已获取信息',
    '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    '3.其他',
  ]);
  for (const k of OUTCOME_KEYS) assert.equal(OUTCOMES[k].key, k);
});

test('年报格式 表三: families （一）–（六） and their sizes', () => {
  assert.deepEqual(Object.values(OUTCOME_FAMILY_LABELS), ['（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '（三）不予公开', '（四）无法提供', '（五）不予处理', '（六）其他处理']);
  assert.deepEqual(
    (['disclosed', 'partially_disclosed', 'withheld', 'unavailable', 'not_processed', 'other'] as const).map((f) => outcomesOf(f).length),
    [1, 1, 8, 3, 5, 3],
  );
  for (const k of OUTCOME_KEYS) {
    const prefix = k.split('.')[0];
    assert.equal(outcomeFamily(k), prefix, k);
  }
});

test('条例第14条–第39条: legal basis per outcome (regulations.md §2.6)', () => {
  assert.equal(OUTCOMES['withheld.state_secret'].basis, '第十四条');
  assert.equal(OUTCOMES['withheld.third_party_rights'].basis, '第十五条、第三十二条');
  assert.equal(OUTCOMES['withheld.internal_affairs'].basis, '第十六条第一款');
  assert.equal(OUTCOMES['withheld.process_information'].basis, '第十六条第二款');
  assert.equal(OUTCOMES['unavailable.needs_creation'].basis, '第三十八条');
  assert.equal(OUTCOMES['unavailable.still_unclear'].basis, '第三十条');
  assert.equal(OUTCOMES['not_processed.excessive'].basis, '第三十五条');
  assert.equal(OUTCOMES['not_processed.publication'].basis, '第三十九条第二款');
  assert.equal(outcomeLegalBasis('withheld.state_secret'), '《中华人民共和国政府信息公开条例》第十四条');
  assert.equal(outcomeLegalBasis('other.fee_overdue'), '《中华人民共和国政府信息公开条例》第四十二条，国办函〔2020〕109号');
  assert.equal(outcomeLegalBasis('not_processed.confirm_or_reissue'), '');
  assert.equal(outcomeLegalBasis('other.other'), '');
});

test('display labels drop numbers and notes', () => {
  assert.equal(OUTCOMES.partially_disclosed.shortLabel, '部分公开');
  assert.equal(outcomeDisplayLabel('disclosed'), '予以公开');
  assert.equal(outcomeDisplayLabel('partially_disclosed'), '部分公开');
  assert.equal(outcomeDisplayLabel('withheld.state_secret'), '不予公开 · 属于国家秘密');
  assert.equal(outcomeDisplayLabel('other.other'), '其他处理 · 其他');
  assert.equal(isOutcomeKey('withheld.state_secret'), true);
  assert.equal(isOutcomeKey('withheld'), false);
});

test('年报格式 表三 columns: six applicant kinds', () => {
  assert.deepEqual(
    APPLICANT_KINDS.map((k) => APPLICANT_KIND_LABELS[k]),
    ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
  );
  assert.equal(applicantKindDisplayLabel('natural_person'), '自然人');
  assert.equal(applicantKindDisplayLabel('legal_service_org'), '法人或其他组织（法律服务机构）');
  assert.equal(applicantKindDisplayLabel('other_org'), '法人或其他组织（其他组织）');
  assert.equal(isApplicantKind('other_org'), true);
  assert.equal(isApplicantKind('company'), false);
});

test('条例第31条: channels and the receipt date', () => {
  assert.deepEqual([...REQUEST_CHANNELS], ['online', 'letter', 'in_person', 'fax', 'email', 'other']);
  for (const c of REQUEST_CHANNELS) {
    assert.ok(REQUEST_CHANNEL_LABELS[c]);
    assert.match(RECEIPT_RULES[c].basis, /第三十一条/);
  }
  assert.equal(isRequestChannel('fax'), true);
  assert.equal(isRequestChannel('phone'), false);
  // (一) in person: the day handed in.
  assert.equal(receiptDate({ channel: 'in_person', submittedOn: '2025-03-03' }), '2025-03-03');
  // (二) registered mail: the day signed for; ordinary mail: the day confirmed.
  assert.equal(receiptDate({ channel: 'letter', submittedOn: '2025-03-01', signedOn: '2025-03-04' }), '2025-03-04');
  assert.equal(receiptDate({ channel: 'letter', submittedOn: '2025-03-01', confirmedOn: '2025-03-05' }), '2025-03-05');
  assert.equal(receiptDate({ channel: 'letter', submittedOn: '2025-03-01' }), null);
  // (三) internet and fax: the day both sides confirmed.
  assert.equal(receiptDate({ channel: 'online', submittedOn: '2025-03-01', confirmedOn: '2025-03-03' }), '2025-03-03');
  assert.equal(receiptDate({ channel: 'fax', submittedOn: '2025-03-01' }), null);
  assert.equal(receiptDate({ channel: 'email', submittedOn: '2025-03-01', confirmedOn: '2025-03-02' }), '2025-03-02');
  assert.equal(receiptDate({ channel: 'other', submittedOn: '2025-03-01' }), '2025-03-01');
});
