// The report preface cites the format of the report's own year (issue 12 part 4): the 2019 trial format
// (国办公开办函〔2019〕60号) for 2020 and earlier, the 2021 format (国办公开办函〔2021〕30号) from 2021.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Agency } from '../../src/modules/agencies/agencies.service.js';
import { reportPreface } from '../../src/modules/reports/reports.service.js';

const agency = { id: 1, code: 'city', name: '某市人民政府', path: '/1/' } as unknown as Agency;

test('the preface cites the format of the report year', () => {
  assert.match(reportPreface(agency, 2020), /年度报告格式（试行）》（国办公开办函〔2019〕60号）/);
  assert.doesNotMatch(reportPreface(agency, 2020), /〔2021〕30号/);
  assert.match(reportPreface(agency, 2021), /国办公开办函〔2021〕30号/);
  assert.match(reportPreface(agency, 2021), /统计期限自2021年1月1日起至2021年12月31日止/);
});
