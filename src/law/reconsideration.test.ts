/**
 * 行政复议法 (2023) 第二十四条: a department → its 本级人民政府; a government → the next government up;
 * 第二十七条 (vertical systems) and 第二十五条 (province) only by the agency's own entry; no government above →
 * asked for, never invented.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HierarchyNode } from './reconsideration.js';
import { reconsiderationBodyOf, remedySentence } from './reconsideration.js';

const province: HierarchyNode = { name: '黑龙江省人民政府', kind: 'government' };
const city: HierarchyNode = { name: '哈尔滨市人民政府', kind: 'government' };
const district: HierarchyNode = { name: '哈尔滨市松北区人民政府', kind: 'government' };
const bureau: HierarchyNode = { name: '哈尔滨市文化广电和旅游局', kind: 'department' };
const districtBureau: HierarchyNode = { name: '松北区教育局', kind: 'department' };
const town: HierarchyNode = { name: '对青山镇人民政府', kind: 'township' };

describe('reconsiderationBodyOf', () => {
  it('第24条: a department → its 本级人民政府', () => {
    assert.deepEqual(reconsiderationBodyOf([bureau, city, province]).body, '哈尔滨市人民政府');
    assert.deepEqual(reconsiderationBodyOf([districtBureau, district, city]).body, '哈尔滨市松北区人民政府');
    assert.match((reconsiderationBodyOf([bureau, city]) as { basis: string }).basis, /第二十四条/);
  });

  it('第24条: a government → the next government up; a township → its county-level government', () => {
    assert.equal(reconsiderationBodyOf([district, city, province]).body, '哈尔滨市人民政府');
    assert.equal(reconsiderationBodyOf([city, province]).body, '黑龙江省人民政府');
    assert.equal(reconsiderationBodyOf([town, district, city]).body, '哈尔滨市松北区人民政府');
  });

  it('skips departments above a government (a government under a department still goes to a government)', () => {
    const office: HierarchyNode = { name: '某开发区管委会办公室', kind: 'department' };
    assert.equal(reconsiderationBodyOf([town, office, district]).body, '哈尔滨市松北区人民政府');
  });

  it('the agency’s own entry overrides the rule (第27条 vertical systems, 第25条 province)', () => {
    const tax: HierarchyNode = { name: '国家税务总局哈尔滨市税务局', kind: 'department', reconsiderationBody: '国家税务总局黑龙江省税务局' };
    const r = reconsiderationBodyOf([tax, city]);
    assert.equal(r.body, '国家税务总局黑龙江省税务局');
    assert.equal(r.source, 'override');
    assert.equal(reconsiderationBodyOf([{ ...city, reconsiderationBody: '  ' }, province]).body, '黑龙江省人民政府', 'blank entry ignored');
  });

  it('bad input: no government above → asked for, never invented', () => {
    for (const chain of [[city], [bureau], [bureau, { name: '某局', kind: 'department' } as HierarchyNode]]) {
      const r = reconsiderationBodyOf(chain);
      assert.equal(r.body, null);
      assert.equal(r.source, 'missing');
      assert.match((r as { question: string }).question, /请在机关信息中填写“行政复议机关”/);
    }
  });

  it('the remedy sentence: 60 days (行政复议法第20条) and 6 months (行政诉讼法第46条), with or without a body', () => {
    assert.equal(
      remedySentence('哈尔滨市人民政府'),
      '如对本答复不服，可以自收到本告知书之日起60日内向哈尔滨市人民政府申请行政复议，或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。',
    );
    assert.match(remedySentence(null), /60日内依法申请行政复议，或者.*6个月内依法向人民法院提起行政诉讼/);
    assert.match(remedySentence('某市人民政府', '本收费决定', '本通知书'), /^如对本收费决定不服，可以自收到本通知书之日起60日内向某市人民政府/);
  });
});
