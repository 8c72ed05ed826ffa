import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const person = { kind: 'natural_person', name: '李四', idNumber: '11010519491231002X', phone: '13800138000' };

/**
 * Tracking numbers are YSQ + year + the agency id padded to three digits + a five-digit serial. At a
 * province's scale (thousands of agencies) agency 123's prefix is also the start of agency 1234's numbers: each
 * agency's serials must still count only its own.
 */
describe('tracking numbers at a province scale: agency 123 and agency 1234 keep their own serials', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await buildTestApp({ now: '2026-03-10T02:00:00Z' });
    await t.agency('prov', { kind: 'government', name: '某省人民政府' });
    await t.user('prov', 'adm', 'admin');
    admin = await t.token('adm');
    const parent = await t.ctx.db.selectFrom('agencies').select(['id', 'path']).where('code', '=', 'prov').executeTakeFirstOrThrow();
    for (const id of [123, 1234]) {
      await sql`insert into agencies (id, code, name, kind, parent_id, path, depth, created_at, updated_at)
        values (${id}, ${`a${id}`}, ${`某市第${id}局`}, 'department', ${parent.id}, ${`${parent.path}${id}/`}, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(t.ctx.db);
    }
  });
  after(() => t.close());

  const file = async (agency: string) => {
    const r = await api(t.app, admin, 'POST', '/api/v1/requests', { agency, channel: 'letter', receivedOn: '2026-03-02', applicant: person, subject: `某文件${Math.random()}`, description: '请公开' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.trackingNo as string;
  };

  test('numbers of the longer prefix do not move the shorter prefix’s serial', async () => {
    assert.equal(await file('a1234'), 'YSQ2026123400001');
    assert.equal(await file('a1234'), 'YSQ2026123400002');
    assert.equal(await file('a123'), 'YSQ202612300001'); // before the fix: YSQ2026123400003 read as serial 400002
    assert.equal(await file('a123'), 'YSQ202612300002');
    assert.equal(await file('a1234'), 'YSQ2026123400003');
  });
});
