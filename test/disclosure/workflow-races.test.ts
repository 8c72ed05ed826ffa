/**
 * Workflow races that actually interleave (issue 12 part 6). On PostgreSQL a test connection takes a table lock
 * that stops one step inside its transaction, after it has read what it acts on; the other step runs and commits
 * meanwhile; then the lock is released. SQLite serialises transactions (one connection), so there the same steps
 * are started together and must come out in one order or the other. Either way:
 *   - an editor's save committed between screening and approval: the approval is refused (409
 *     item.changed_meanwhile), the edited content is neither approved nor published unscreened;
 *   - two concurrent sign-offs: one publishes, the other is refused, one sign-off step;
 *   - an attachment uploaded while the item is approved: it lands before the approval or is refused, never on
 *     an approved item;
 *   - the 按件 fee 件 drawn concurrently with a split of an earlier request: every request's 件 are its own
 *     (no two notices charge the same 件).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import type { Actor } from '../../src/modules/context.js';
import { addAttachment } from '../../src/modules/disclosure/attachments.service.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

// A valid resident ID (GB 11643 checksum): the screen catches it.
const ID_NUMBER = '11010519491231002X';

describe('workflow races, interleaved', () => {
  let t: TestApp;
  let ed: string, rev: string, appr: string, appr2: string, hh: string;
  let cat: number;
  const pg = () => t.ctx.engine === 'postgres';

  before(async () => {
    t = await buildTestApp({ now: '2025-03-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.user('city', 'ed', 'editor');
    await t.user('city', 'rev', 'reviewer');
    await t.user('city', 'appr', 'approver');
    await t.user('city', 'appr2', 'approver');
    await t.user('city', 'hh', 'handler');
    [ed, rev, appr, appr2, hh] = await Promise.all(['ed', 'rev', 'appr', 'appr2', 'hh'].map((u) => t.token(u)));
    const cats = await api(t.app, ed, 'GET', '/api/v1/agencies/city/categories');
    cat = cats.body.find((c: { name: string }) => c.name === '通知公告').id;
  });
  after(async () => t.close());

  const act = (token: string, id: number, body: Record<string, unknown>) => api(t.app, token, 'POST', `/api/v1/items/${id}/actions`, body);
  /** An item in review, screened clean and through 保密审查: ready to approve. */
  const readyForApproval = async (title: string) => {
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'city', categoryId: cat, title, body: '正文。', generatedOn: '2025-03-18' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal((await act(ed, d.body.id, { type: 'submit' })).status, 200);
    assert.equal((await act(rev, d.body.id, { type: 'confidentiality', outcome: 'pass', opinion: '经审查不涉密，同意公开' })).status, 200);
    return d.body.id as number;
  };
  const itemRow = (id: number) => t.ctx.db.selectFrom('items').select(['status', 'body_html', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  const steps = async (id: number) => (await t.ctx.db.selectFrom('item_steps').select('step').where('item_id', '=', id).orderBy('id').execute()).map((s) => s.step);

  /**
   * PostgreSQL: holds `table` in ACCESS EXCLUSIVE mode on a connection of its own, starts `racer` `waiting` times,
   * waits until each is blocked on a lock (or has answered), runs `meanwhile` (which must not touch `table`), then
   * releases.
   */
  async function interleave<R, M>(table: string, waiting: number, racer: () => Promise<R>, meanwhile: () => Promise<M>): Promise<{ raced: R[]; meanwhile: M }> {
    return t.ctx.db.connection().execute(async (c) => {
      await sql`begin`.execute(c);
      await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(c);
      const started: Promise<R>[] = [];
      let settled = 0;
      let m: M;
      try {
        for (let i = 0; i < waiting; i++) started.push(racer().finally(() => settled++));
        for (let tries = 0; ; tries++) {
          // Each racer is either blocked on a lock or already answered (e.g. refused before it reached the lock).
          const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(t.ctx.db);
          if (r.rows[0]!.n + settled >= waiting) break;
          if (tries > 400) throw new Error(`the racing steps did not block on ${table}`);
          await new Promise((ok) => setTimeout(ok, 25));
        }
        m = await meanwhile();
      } finally {
        await sql`rollback`.execute(c);
      }
      return { raced: await Promise.all(started), meanwhile: m! };
    });
  }

  test('an editor’s save committed between screening and approval: the approval is refused, nothing unscreened is approved or published', async () => {
    const id = await readyForApproval('关于春季防火的通知');
    const save = () => api(t.app, rev, 'PATCH', `/api/v1/items/${id}`, { body: `正文。联系人身份证号${ID_NUMBER}` });
    let approval: Awaited<ReturnType<typeof act>>;
    let saved: Awaited<ReturnType<typeof save>>;
    if (pg()) {
      // Approval stops at the screen (item_screenings), after it has read the item; the save commits meanwhile.
      const r = await interleave('item_screenings', 1, () => act(rev, id, { type: 'approve', opinion: '同意' }), save);
      [approval, saved] = [r.raced[0]!, r.meanwhile];
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(approval.status, 409, JSON.stringify(approval.body));
      assert.equal(approval.body.error.reason, 'item.changed_meanwhile');
    } else {
      [approval, saved] = await Promise.all([act(rev, id, { type: 'approve', opinion: '同意' }), save()]);
      // One order or the other: approved first (the save is then refused) or saved first (approval then judges
      // the saved content: its screen hits and the 保密审查 no longer covers it).
      assert.ok((approval.status === 200 && saved.status === 409) || (saved.status === 200 && [409, 422].includes(approval.status)), `${approval.status} ${saved.status}`);
    }
    const row = await itemRow(id);
    if (saved.status === 200) {
      assert.equal(row.status, 'in_review');
      assert.match(row.body_html, new RegExp(ID_NUMBER));
      // Approving the saved content now is refused: its screen hits and its 保密审查 is missing.
      const again = await act(rev, id, { type: 'approve' });
      assert.equal(again.status, 422);
      assert.match(again.body.error.message, /内容筛查发现|保密审查/);
      assert.equal((await act(appr, id, { type: 'sign_off' })).status, 409);
      assert.ok(!(await steps(id)).includes('review'));
    } else {
      assert.equal(row.status, 'approved');
      assert.doesNotMatch(row.body_html, new RegExp(ID_NUMBER));
    }
  });

  test('two sign-offs at once: one publishes, the other is refused; one sign-off step', async () => {
    const id = await readyForApproval('关于开展安全生产检查的通知');
    assert.equal((await act(rev, id, { type: 'approve', opinion: '同意' })).status, 200);
    let results: Awaited<ReturnType<typeof act>>[];
    if (pg()) {
      // The first stops writing its step (item_steps) after publishing the row; the second has read the item as
      // approved and waits on the row: both are inside their transactions when the lock is released.
      let n = 0;
      const r = await interleave('item_steps', 2, () => act(n++ === 0 ? appr : appr2, id, { type: 'sign_off' }), async () => undefined);
      results = r.raced;
    } else {
      results = await Promise.all([act(appr, id, { type: 'sign_off' }), act(appr2, id, { type: 'sign_off' })]);
    }
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], JSON.stringify(results.map((r) => r.body)));
    assert.equal((await itemRow(id)).status, 'published');
    assert.equal((await steps(id)).filter((s) => s === 'sign_off').length, 1);
    const audits = await t.ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'item.publish').where('entity_id', '=', String(id)).execute();
    assert.equal(audits.length, 1);
  });

  test('an attachment uploaded while the item is approved: before the approval or refused, never after it', async () => {
    const id = await readyForApproval('关于公布评审结果的通知');
    const editor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'ed').executeTakeFirstOrThrow()).id)) as Actor;
    const upload = () =>
      addAttachment(t.ctx, editor, id, { fileName: '评审结果.txt', data: Buffer.from('评审结果：合格。'), truncated: false }, { maxBytes: 1_000_000, dataDir: t.config.dataDir })
        .then(() => 200)
        .catch((e: { code?: string }) => (e.code === 'conflict' ? 409 : Promise.reject(e)));
    const [approval, attached] = await Promise.all([act(rev, id, { type: 'approve', opinion: '同意' }), upload()]);
    assert.ok([200, 409].includes(approval.status) && [200, 409].includes(attached), `${approval.status} ${attached}`);
    const order = await steps(id);
    if (order.includes('attach') && order.includes('review')) assert.ok(order.indexOf('attach') < order.indexOf('review'), order.join(','));
    if (approval.status === 200) assert.equal((await itemRow(id)).status, 'approved');
  });

  test('按件: a split of an earlier request and two fee notices at once never charge the same 件', async () => {
    const applicant = { kind: 'natural_person', name: '钱七', idNumber: '110105194912310021', phone: '13800138000' };
    const file = async (receivedOn: string, subject: string) => (await api(t.app, hh, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn, applicant, subject, description: '请公开' })).body as { id: number };
    const a = await file('2025-03-03', '十二项信息');
    const b = await file('2025-03-05', '两项信息');
    const c = await file('2025-03-10', '三项信息');
    // A counts 12 件 already, so B and C are charged when their notices are taken; A's new split to 15 races them.
    assert.equal((await api(t.app, hh, 'POST', `/api/v1/requests/${a.id}/actions`, { type: 'split', on: '2025-03-17', count: 12 })).status, 200);
    const racers = [
      () => api(t.app, hh, 'POST', `/api/v1/requests/${a.id}/actions`, { type: 'split', on: '2025-03-18', count: 15 }),
      () => api(t.app, hh, 'POST', `/api/v1/requests/${b.id}/actions`, { type: 'notify_fee', on: '2025-03-18', method: 'per_request', count: 2 }),
      () => api(t.app, hh, 'POST', `/api/v1/requests/${c.id}/actions`, { type: 'notify_fee', on: '2025-03-18', method: 'per_request', count: 3 }),
    ];
    let results: Awaited<ReturnType<typeof api>>[];
    if (pg()) {
      // Each stops at its event (request_events) after reading the month; released together.
      let i = 0;
      results = (await interleave('request_events', 3, () => racers[i++]!(), async () => undefined)).raced;
    } else {
      results = await Promise.all(racers.map((r) => r()));
    }
    // C is charged whatever the order (its 件 begin at 14 at least); A's split and B's notice (which splits B into
    // 2) are refused when a later request was charged before them.
    assert.equal(results[2]!.status, 200, JSON.stringify(results[2]!.body));
    for (const r of results) assert.ok([200, 409].includes(r.status), JSON.stringify(r.body));
    // The 件 as they stand, in receipt order, and each notice's first 件 as drawn: they must agree.
    const rows = await t.ctx.db.selectFrom('requests').select(['id', 'split_items']).where('id', 'in', [a.id, b.id, c.id]).orderBy('received_on').execute();
    let next = 1;
    const firstOf = new Map<number, number>();
    for (const r of rows) {
      firstOf.set(r.id, next);
      next += Number(r.split_items);
    }
    const notices = await t.ctx.db.selectFrom('request_events').select(['request_id', 'data']).where('type', '=', 'notify_fee').where('request_id', 'in', [b.id, c.id]).execute();
    assert.equal(notices.length, results[1]!.status === 200 ? 2 : 1);
    const charged: number[] = [];
    for (const n of notices) {
      const d = JSON.parse(n.data) as { ordinal: number; count: number };
      assert.equal(d.ordinal, firstOf.get(n.request_id), `request ${n.request_id}: drawn ${d.ordinal}, its 件 begin at ${firstOf.get(n.request_id)}`);
      for (let k = d.ordinal; k < d.ordinal + d.count; k++) charged.push(k);
    }
    assert.equal(new Set(charged).size, charged.length, `件 charged twice: ${charged.join(',')}`);
  });
});
