// Expected dates were counted by hand from ../shared/spec/holidays.md §4.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCalendar } from './calendar.js';
import {
  CATALOGUE_FIELDS,
  DISCLOSURE_MODE_LABELS,
  SUBJECT_CATEGORIES,
  VALIDITY_LABELS,
  formatIndexNo,
  isSubjectCategory,
  isValidity,
  nextIndexNo,
  parseIndexNo,
  publicationTimeliness,
  validateCatalogueEntry,
} from './catalogue.js';

const cal = createCalendar();

test('目录系统实施指引: 索引号 = code/year-serial (5 digits)', () => {
  assert.equal(formatIndexNo('XXXXXXXXX', 2025, 42), 'XXXXXXXXX/2025-00042');
  assert.equal(formatIndexNo('11230100MB1234567X', 2024, 1), '11230100MB1234567X/2024-00001');
  assert.equal(formatIndexNo('007542937', 2025, 99999), '007542937/2025-99999');
  assert.equal(nextIndexNo('007542937', 2025, 41), '007542937/2025-00042');
  assert.throws(() => formatIndexNo('007542937', 2025, 0), RangeError);
  assert.throws(() => formatIndexNo('007542937', 2025, 100000), RangeError);
  assert.throws(() => formatIndexNo('abc/1', 2025, 1), RangeError);
  assert.throws(() => formatIndexNo('007542937', 25, 1), RangeError);
});

test('目录系统实施指引: parsing 索引号', () => {
  assert.deepEqual(parseIndexNo('XXXXXXXXX/2025-00042'), { orgCode: 'XXXXXXXXX', year: 2025, serial: 42 });
  assert.deepEqual(parseIndexNo(' 11230100MB1234567X/2024-00001 '), { orgCode: '11230100MB1234567X', year: 2024, serial: 1 });
  assert.equal(parseIndexNo('XXXXXXXXX/2025-42'), null);
  assert.equal(parseIndexNo('XXXXXXXXX-2025-00042'), null);
  assert.equal(parseIndexNo('XXXXXXXXX/2025-00000'), null);
  assert.equal(parseIndexNo('xxxxxxxxx/2025-00042'), null);
  for (const n of [1, 42, 99999]) assert.deepEqual(parseIndexNo(formatIndexNo('ABC123456', 2026, n)), { orgCode: 'ABC123456', year: 2026, serial: n });
});

test('条例第12条: the catalogue names 索引、名称、内容概述、生成日期', () => {
  assert.deepEqual(
    CATALOGUE_FIELDS.filter((f) => f.statutory).map((f) => f.label),
    ['索引号', '名称', '内容概述', '生成日期'],
  );
  assert.deepEqual(
    CATALOGUE_FIELDS.map((f) => f.label),
    ['索引号', '名称', '内容概述', '发布机构', '生成日期', '发布日期', '文号', '主题分类', '体裁分类', '公开方式', '有效性'],
  );
  assert.deepEqual(VALIDITY_LABELS, { valid: '有效', invalid: '失效', abolished: '废止' });
  assert.deepEqual(Object.values(DISCLOSURE_MODE_LABELS), ['主动公开', '依申请公开', '不予公开']);
  assert.equal(isValidity('abolished'), true);
  assert.equal(isValidity('repealed'), false);
});

test('主题分类: the 22 gov.cn subjects', () => {
  assert.equal(SUBJECT_CATEGORIES.length, 22);
  assert.equal(SUBJECT_CATEGORIES[0], '政府组织机构');
  assert.equal(SUBJECT_CATEGORIES[21], '其他');
  assert.equal(isSubjectCategory('财政、金融、审计'), true);
  assert.equal(isSubjectCategory('财政'), false);
});

test('条例第26条: published within 20 working days (over 春节 2025)', () => {
  // Generated 2025-01-20: the limit is 2025-02-21 (1/26 and 2/8 调休 count; 1/28–2/4 do not).
  const onTime = publicationTimeliness('2025-01-20', '2025-02-21', cal);
  assert.deepEqual(
    onTime.status === 'on_time' && { workingDays: onTime.workingDays, deadline: onTime.deadline },
    { workingDays: 20, deadline: '2025-02-21' },
  );
  assert.equal(onTime.message, '生成日期 2025-01-20，发布日期 2025-02-21，用时 20 个工作日，在 20 个工作日内（第26条）');
  const late = publicationTimeliness('2025-01-20', '2025-02-24', cal);
  assert.equal(late.status, 'late');
  assert.equal(late.status === 'late' && late.workingDays, 21);
  assert.match(late.message, /超过第26条规定的 20 个工作日（应于 2025-02-21 前公开）/);
  const sameDay = publicationTimeliness('2025-03-03', '2025-03-03', cal);
  assert.equal(sameDay.status === 'on_time' && sameDay.workingDays, 0);
});

test('条例第26条: another period set by law is a parameter; bad dates and uncovered years are flagged', () => {
  // 5 working days after 2025-09-26: 9/28 调休 (1), 9/29–30 (3), 10/9–10 (5)
  const r = publicationTimeliness('2025-09-26', '2025-10-10', cal, 5);
  assert.equal(r.status === 'on_time' && r.deadline, '2025-10-10');
  assert.equal(publicationTimeliness('2025-03-03', '2025-03-01', cal).status, 'invalid');
  assert.equal(publicationTimeliness('2025-3-3', '2025-03-04', cal).status, 'invalid');
  const nc = publicationTimeliness('2026-12-20', '2027-01-05', cal);
  assert.equal(nc.status, 'not_covered');
  assert.equal(nc.status === 'not_covered' && nc.year, 2027);
  assert.match(nc.message, /2027 年/);
});

test('import contract: title, category and publishedOn are required; fields are checked', () => {
  assert.deepEqual(validateCatalogueEntry({ title: '关于印发…的通知', category: '综合政务', publishedOn: '2025-03-03' }), []);
  assert.deepEqual(validateCatalogueEntry({}), ['缺少名称（title）', '缺少主题分类（category）', '缺少发布日期（publishedOn）']);
  const p = validateCatalogueEntry({ title: 't', category: 'c', publishedOn: '2025-03-01', generatedOn: '2025-03-03', validity: 'gone', indexNo: 'abc', docNumber: 5 });
  assert.deepEqual(p, [
    '发布日期 2025-03-01 早于生成日期 2025-03-03',
    '有效性应为 valid（有效）、invalid（失效）或 abolished（废止）：gone',
    '索引号格式不正确：abc（应为 机构代码/年份-5位流水号）',
    '文号应为文字',
  ]);
  assert.deepEqual(validateCatalogueEntry({ title: 't', category: 'c', publishedOn: '2025-02-30' }), ['发布日期格式不正确：2025-02-30']);
});
