import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTICLE_20_CATEGORIES, INTERPRETATION_CATEGORY, defaultCatalogue } from './proactive.js';

test('条例第二十条: fifteen categories, (一) to (十五), with the statutory text', () => {
  assert.equal(ARTICLE_20_CATEGORIES.length, 15);
  assert.equal(ARTICLE_20_CATEGORIES[0]!.text, '行政法规、规章和规范性文件');
  assert.equal(ARTICLE_20_CATEGORIES[7]!.text, '行政事业性收费项目及其依据、标准');
  assert.equal(ARTICLE_20_CATEGORIES[14]!.statuteRef, '第二十条第（十五）项');
  assert.equal(new Set(ARTICLE_20_CATEGORIES.map((c) => c.name)).size, 15);
});

test('条例第二十一条: townships list 农村 topics, cities and counties 市政建设; 政策解读 is a column', () => {
  const town = defaultCatalogue('township').map((c) => c.name);
  const city = defaultCatalogue('government').map((c) => c.name);
  assert.ok(town.includes('宅基地使用情况审核'));
  assert.ok(!town.includes('市政建设'));
  assert.ok(city.includes('市政建设'));
  assert.ok(city.includes(INTERPRETATION_CATEGORY));
  assert.equal(new Set(city).size, city.length);
  assert.equal(new Set(town).size, town.length);
  assert.equal(defaultCatalogue('department').find((c) => c.name === INTERPRETATION_CATEGORY)!.statuteRef, null);
});
