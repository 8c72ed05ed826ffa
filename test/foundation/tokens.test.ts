import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { createHash } from 'node:crypto';
import { TOKEN_ACTOR_TTL_MS, createUser, tokenActor } from '../../src/modules/accounts/accounts.service.js';

/**
 * The actor of an API token is remembered for at most TOKEN_ACTOR_TTL_MS: a change made through this process
 * counts from the next request, one made from outside (here: SQL) within the bound.
 */
describe('API tokens: the account, its grants, revocation', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('env', 'h1', 'handler');
  });
  after(async () => t.close());

  const register = (token: string, agency: string) =>
    api(t.app, token, 'POST', '/api/v1/requests', { agency, channel: 'letter', receivedOn: '2025-03-03', applicant: { kind: 'natural_person', name: '张三' }, subject: '某文件', description: '' });

  test('the actor carries every grant of the account, and a grant added later at once', async () => {
    const token = await t.token('h1');
    const actor = (await tokenActor(t.ctx, token))!;
    assert.equal(actor.username, 'h1');
    assert.deepEqual(actor.grants.map((g) => `${g.agencyCode}:${g.role}`), ['env:handler']);
    assert.equal((await register(token, 'edu')).status, 403);
    await t.user('env', 'h1', 'supervisor'); // a second role, same agency
    await assert.rejects(createUser(t.ctx, { system: 'test' }, { agencyCode: 'edu', username: 'h1', role: 'handler' })); // another agency's account: refused
    assert.deepEqual((await tokenActor(t.ctx, token))!.grants.map((g) => `${g.agencyCode}:${g.role}`).sort(), ['env:handler', 'env:supervisor']);
    assert.equal((await register(token, 'env')).status, 201);
  });

  test('a token revoked or an account deactivated from outside is refused within the bound, at the latest', async () => {
    const token = await t.token('h1');
    const other = await t.token('h1');
    const later = (ms: number) => t.setNow(new Date(Date.parse('2025-03-03T02:00:00Z') + ms).toISOString());
    t.setNow('2025-03-03T02:00:00Z');
    assert.equal((await register(token, 'env')).status, 201);
    assert.equal((await register(other, 'env')).status, 201);
    await t.ctx.db.updateTable('api_tokens').set({ revoked_at: '2025-03-03T02:00:00.000Z' }).where('token_hash', '=', createHash('sha256').update(token).digest('hex')).execute();
    later(TOKEN_ACTOR_TTL_MS - 1);
    // remembered for up to TOKEN_ACTOR_TTL_MS (the documented bound) ...
    assert.equal((await register(token, 'env')).status, 201);
    later(TOKEN_ACTOR_TTL_MS);
    // ... and refused from then on, every time (a refusal is not remembered, neither is a revoked token)
    assert.equal((await register(token, 'env')).status, 401);
    assert.equal(await tokenActor(t.ctx, token), null);
    assert.equal((await register(other, 'env')).status, 201); // the account's other token still works
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('username', '=', 'h1').execute();
    later(2 * TOKEN_ACTOR_TTL_MS);
    assert.equal((await register(other, 'env')).status, 401);
    await t.ctx.db.updateTable('users').set({ active: 1 }).where('username', '=', 'h1').execute();
    assert.equal((await register(other, 'env')).status, 201); // nothing remembered while it was refused
    assert.equal(await tokenActor(t.ctx, 'gk_unknown'), null);
  });

  test('a clock set back does not keep a remembered actor longer', async () => {
    const token = await t.token('h1');
    t.setNow('2025-03-03T03:00:00Z');
    assert.equal((await register(token, 'env')).status, 201);
    await t.ctx.db.updateTable('api_tokens').set({ revoked_at: '2025-03-03T03:00:00.000Z' }).where('token_hash', '=', createHash('sha256').update(token).digest('hex')).execute();
    t.setNow('2025-03-03T02:59:59Z');
    assert.equal((await register(token, 'env')).status, 401);
  });

  test('the remembered actor cannot be changed by whoever receives it', async () => {
    const token = await t.token('h1');
    const actor = (await tokenActor(t.ctx, token))!;
    assert.throws(() => (actor.grants as unknown[]).push({}));
    assert.throws(() => ((actor as { agencyId: number }).agencyId = 0));
  });
});
