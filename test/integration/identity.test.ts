import t from 'tap';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { buildApp, type App } from '../../src/app.js';
import { ROLES } from '../../src/platform/auth.js';
import { access } from '../../src/platform/guard.js';
import { migrate } from '../../src/operations/migrate.js';
import { KeyRing } from '../../src/identity/keys.js';
import { BAD_CREDENTIALS } from '../../src/identity/service.js';
import { cleanGraph, errorBody } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { startSmtp } from '../helpers/smtp.js';

const AO = '10000001';
const OTHER_AO = '10000011';
const PROVIDER = '10000002';
const OPERATOR_ORG = '10000005';
const PASSWORD = 'a perfectly long password';

t.test('identity management (OCF 09)', async (t) => {
  const smtp = await startSmtp();
  const config = testConfig({ SMTP_URL: smtp.url });
  // A ring of this test's own, kept in memory, so rotations here touch no key file.
  const ring = await KeyRing.create(config, { file: null });
  let clock = Date.now();
  const app: App = await buildApp(
    config,
    { tokens: ring },
    { identity: { overrides: { now: () => new Date(clock) } } },
  );
  // A probe any role may call, registered after the per-request check like every route would be.
  app.get(
    '/test/probe',
    { config: { access: access.roles(...ROLES), ocf: 'none' }, schema: { hide: true } },
    async (request) => ({
      subject: request.principal!.subject,
    }),
  );
  t.teardown(async () => {
    await app.deps.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await app.close();
    await smtp.close();
  });
  await app.ready();
  await app.deps.graph.waitUntilReady(60_000);
  await cleanGraph(app.deps.graph);
  await migrate(app.deps.graph);

  // The service operator's first token comes from outside (as `plr token operator` gives it).
  const operator = {
    authorization: `Bearer ${await app.deps.tokens.issue({ subject: 'user-operator', roles: ['operator'], organisation: OPERATOR_ORG })}`,
  };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers });
  const login = (email: string, password = PASSWORD) => post('/auth/login', { email, password });

  /** Invite a user, read the email, set the password: the user's id. */
  async function onboard(by: Record<string, string>, ukprn: string, email: string, roles: string[]): Promise<string> {
    const before = smtp.messages.length;
    const res = await post(`/organisations/${ukprn}/users`, { email, roles }, by);
    if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
    const set = await post('/auth/set-password', { token, password: PASSWORD });
    if (set.statusCode !== 200) throw new Error(`set-password failed: ${set.statusCode} ${set.body}`);
    return res.json().id;
  }

  await t.test('organisations: the operator creates them; kinds are fixed; nobody else may', async (t) => {
    for (const [ukprn, name, kind] of [
      [AO, 'Awarding Body One', 'ao'],
      [OTHER_AO, 'Awarding Body Two', 'ao'],
      [PROVIDER, 'A College', 'provider'],
      [OPERATOR_ORG, 'The Operator', 'operator'],
    ]) {
      const res = await post('/organisations', { ukprn, name, nation: 'GB-ENG', kind }, operator);
      t.equal(res.statusCode, 201, `${ukprn} created`);
      t.same(res.json().organisation, { ukprn, name, nation: 'GB-ENG', kind });
    }
    const again = await post(
      '/organisations',
      { ukprn: AO, name: 'Awarding Body One Ltd', nation: 'GB-WLS', kind: 'ao' },
      operator,
    );
    t.equal(again.statusCode, 200, 'an update');
    t.equal(again.json().organisation.name, 'Awarding Body One Ltd');
    const kind = await post('/organisations', { ukprn: AO, name: 'x', nation: 'GB-ENG', kind: 'provider' }, operator);
    t.equal(kind.statusCode, 409);
    t.equal(kind.json().code, 'KIND_CONFLICT');
    t.equal(
      (await post('/organisations', { ukprn: '0123', name: 'x', nation: 'GB-ENG', kind: 'ao' }, operator)).statusCode,
      400,
      'bad UKPRN',
    );
    const adminToken = await app.deps.tokens.issue({ subject: 'usr_x', roles: ['ao-admin'], organisation: AO });
    t.equal(
      (await post('/organisations', { ukprn: '10000099', name: 'x', nation: 'GB-ENG', kind: 'ao' }, auth(adminToken)))
        .statusCode,
      403,
    );
    t.equal(
      (await post('/organisations', { ukprn: '10000099', name: 'x', nation: 'GB-ENG', kind: 'ao' })).statusCode,
      401,
    );
  });

  let adminId = '';
  let admin: Record<string, string> = {};
  let otherAdmin: Record<string, string> = {};

  await t.test('invitation email, set password, sign in', async (t) => {
    const before = smtp.messages.length;
    const res = await post(
      `/organisations/${AO}/users`,
      { email: 'Ada.Admin@Example.ORG', roles: ['ao-admin'] },
      operator,
    );
    t.equal(res.statusCode, 201);
    const user = res.json();
    adminId = user.id;
    t.match(user, {
      email: 'ada.admin@example.org',
      roles: ['ao-admin'],
      organisation: AO,
      status: 'invited',
      disabled: false,
    });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    t.same(mail.to, ['ada.admin@example.org']);
    t.match(mail.text, /Set your password|set your password/i);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
    t.ok(token.startsWith(`${adminId}.`), 'the link carries the token');

    t.equal((await login('ada.admin@example.org')).statusCode, 401, 'no password yet: cannot sign in');
    const weak = await post('/auth/set-password', { token, password: 'short' });
    t.equal(weak.statusCode, 400);
    t.equal(weak.json().code, 'WEAK_PASSWORD');
    const forged = await post('/auth/set-password', { token: `${adminId}.${'A'.repeat(43)}`, password: PASSWORD });
    t.equal(forged.statusCode, 400, 'a made-up secret does not set a password');
    t.same((await post('/auth/set-password', { token, password: PASSWORD })).json(), { passwordSet: true });
    t.equal(
      (await post('/auth/set-password', { token, password: 'another long password' })).statusCode,
      400,
      'the link works once',
    );

    const signedIn = await login('ADA.admin@example.org ');
    t.equal(signedIn.statusCode, 200, 'email matched without regard to case');
    const pair = signedIn.json();
    t.match(pair, {
      tokenType: 'Bearer',
      expiresIn: config.accessTokenSeconds,
      refreshToken: /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/,
    });
    const claims = decodeJwt(pair.accessToken);
    t.equal(claims.sub, adminId);
    t.same(claims.roles, ['ao-admin']);
    t.equal(claims.org, AO);
    const whoami = await app.inject({ url: '/auth/whoami', headers: auth(pair.accessToken) });
    t.same(whoami.json(), { subject: adminId, roles: ['ao-admin'], organisation: AO });
    admin = auth(pair.accessToken);

    const listed = await app.inject({ url: `/organisations/${AO}/users`, headers: admin });
    t.equal(listed.statusCode, 200);
    t.match(listed.json().items, [{ id: adminId, status: 'active' }]);
  });

  await t.test('an expired invitation link does not work', async (t) => {
    const before = smtp.messages.length;
    const res = await post(`/organisations/${AO}/users`, { email: 'late@example.org', roles: ['ao-user'] }, admin);
    t.equal(res.statusCode, 201);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
    clock += 73 * 3_600_000;
    try {
      t.equal((await post('/auth/set-password', { token, password: PASSWORD })).statusCode, 400, 'after 72 hours');
    } finally {
      clock = Date.now();
    }
    const dup = await post(`/organisations/${AO}/users`, { email: 'LATE@example.org', roles: ['ao-user'] }, admin);
    t.equal(dup.statusCode, 409, 'one user per email');
  });

  await t.test('wrong password and unknown email get the same answer', async (t) => {
    await onboard(admin, AO, 'wrong.pw@example.org', ['ao-user']);
    const wrong = await login('wrong.pw@example.org', 'not the password at all');
    const unknown = await login('nobody@example.org', 'not the password at all');
    t.equal(wrong.statusCode, 401);
    t.equal(unknown.statusCode, 401);
    t.same(errorBody(wrong), errorBody(unknown));
    t.same(errorBody(wrong), { code: 'INVALID_CREDENTIALS', message: BAD_CREDENTIALS });
  });

  await t.test('refresh rotates; a used token is refused and its reuse revokes the family', async (t) => {
    await onboard(admin, AO, 'rotating@example.org', ['ao-user']);
    const first = (await login('rotating@example.org')).json();
    const r1 = await post('/auth/refresh', { refreshToken: first.refreshToken });
    t.equal(r1.statusCode, 200);
    const second = r1.json();
    t.not(second.refreshToken, first.refreshToken, 'a new refresh token');
    t.equal(decodeJwt(second.accessToken).sub, decodeJwt(first.accessToken).sub);

    const reuse = await post('/auth/refresh', { refreshToken: first.refreshToken });
    t.equal(reuse.statusCode, 401, 'the used token is refused');
    t.equal(reuse.json().code, 'INVALID_REFRESH_TOKEN');
    t.equal(
      (await post('/auth/refresh', { refreshToken: second.refreshToken })).statusCode,
      401,
      'and its reuse revoked the newer one too',
    );

    const other = (await login('rotating@example.org')).json();
    t.equal(
      (await post('/auth/refresh', { refreshToken: other.refreshToken })).statusCode,
      200,
      'another sign-in is not affected',
    );
    t.equal((await post('/auth/refresh', { refreshToken: 'garbage' })).statusCode, 401);
  });

  await t.test('a revoked (signed-out) refresh token is refused', async (t) => {
    const pair = (await login('rotating@example.org')).json();
    t.equal((await post('/auth/logout', { refreshToken: pair.refreshToken })).statusCode, 200);
    t.equal((await post('/auth/refresh', { refreshToken: pair.refreshToken })).statusCode, 401);
    t.same(
      (await post('/auth/logout', { refreshToken: pair.refreshToken })).json(),
      { signedOut: true },
      'signing out twice is harmless',
    );
  });

  await t.test('a wrong secret for a real token id revokes nothing', async (t) => {
    const pair = (await login('rotating@example.org')).json();
    const [id] = pair.refreshToken.split('.');
    t.equal((await post('/auth/refresh', { refreshToken: `${id}.${'B'.repeat(43)}` })).statusCode, 401);
    t.same(
      (await post('/auth/logout', { refreshToken: `${id}.${'B'.repeat(43)}` })).json(),
      { signedOut: true },
      'same answer for a wrong secret',
    );
    t.equal(
      (await post('/auth/refresh', { refreshToken: pair.refreshToken })).statusCode,
      200,
      'the real token still works',
    );
  });

  await t.test('five wrong passwords lock the account for 15 minutes, right password or not', async (t) => {
    await onboard(admin, AO, 'locked@example.org', ['ao-user']);
    for (let i = 1; i <= 5; i++)
      t.equal((await login('locked@example.org', `wrong guess number ${i}`)).statusCode, 401, `failure ${i}`);
    const locked = await login('locked@example.org');
    t.equal(locked.statusCode, 401, 'the right password is refused while locked');
    t.same(
      errorBody(locked),
      { code: 'INVALID_CREDENTIALS', message: BAD_CREDENTIALS },
      'and the answer says no more than for a wrong password',
    );
    clock += 14 * 60_000;
    t.equal((await login('locked@example.org')).statusCode, 401, 'still locked after 14 minutes');
    clock += 2 * 60_000;
    try {
      t.equal((await login('locked@example.org')).statusCode, 200, 'open again after 15 minutes');
    } finally {
      clock = Date.now();
    }
    for (let i = 1; i <= 4; i++) await login('locked@example.org', `wrong again ${i}`);
    t.equal(
      (await login('locked@example.org')).statusCode,
      200,
      'a success clears the count: four failures do not lock',
    );
  });

  await t.test('a disabled user stops at once: refresh, sign-in and access token', async (t) => {
    const deputyId = await onboard(admin, AO, 'deputy@example.org', ['ao-admin']);
    const pair = (await login('deputy@example.org')).json();
    const deputy = auth(pair.accessToken);
    t.equal((await app.inject({ url: `/organisations/${AO}/users`, headers: deputy })).statusCode, 200, 'works before');

    const disabled = await post(`/organisations/${AO}/users/${deputyId}/disable`, {}, admin);
    t.equal(disabled.statusCode, 200);
    t.match(disabled.json(), { id: deputyId, disabled: true, status: 'disabled' });

    t.equal(
      (await post('/auth/refresh', { refreshToken: pair.refreshToken })).statusCode,
      401,
      'refresh refused at once',
    );
    t.equal((await login('deputy@example.org')).statusCode, 401, 'sign-in refused');
    const after = await app.inject({ url: `/organisations/${AO}/users`, headers: deputy });
    t.equal(after.statusCode, 401, 'the unexpired access token is refused too');

    t.equal((await post(`/organisations/${AO}/users/${deputyId}/enable`, {}, admin)).statusCode, 200);
    t.equal(
      (await post('/auth/refresh', { refreshToken: pair.refreshToken })).statusCode,
      401,
      'enabling again does not revive old refresh tokens',
    );
    t.equal((await login('deputy@example.org')).statusCode, 200, 'but the user can sign in again');

    const self = await post(`/organisations/${AO}/users/${adminId}/disable`, {}, admin);
    t.equal(self.statusCode, 409, 'an admin cannot disable themself');
  });

  await t.test('roles: set within the kind; the change arrives with the next refresh', async (t) => {
    const id = await onboard(admin, AO, 'promoted@example.org', ['ao-user']);
    const pair = (await login('promoted@example.org')).json();
    const res = await app.inject({
      method: 'PUT',
      url: `/organisations/${AO}/users/${id}/roles`,
      payload: { roles: ['ao-user', 'ao-admin'] },
      headers: admin,
    });
    t.equal(res.statusCode, 200);
    t.same(res.json().roles, ['ao-user', 'ao-admin']);
    const refreshed = (await post('/auth/refresh', { refreshToken: pair.refreshToken })).json();
    t.same(decodeJwt(refreshed.accessToken).roles, ['ao-user', 'ao-admin']);

    const provider = await app.inject({
      method: 'PUT',
      url: `/organisations/${AO}/users/${id}/roles`,
      payload: { roles: ['provider-user'] },
      headers: admin,
    });
    t.equal(provider.statusCode, 400, 'an AO admin cannot grant a provider role');
    t.equal(provider.json().code, 'ROLE_NOT_ALLOWED');
    const op = await post(`/organisations/${AO}/users`, { email: 'op@example.org', roles: ['operator'] }, admin);
    t.equal(op.statusCode, 400, 'nor invite an operator');
    const selfDemote = await app.inject({
      method: 'PUT',
      url: `/organisations/${AO}/users/${adminId}/roles`,
      payload: { roles: ['ao-user'] },
      headers: admin,
    });
    t.equal(selfDemote.statusCode, 409, 'nor drop their own admin role');
  });

  await t.test("an AO admin cannot see or change another organisation's users", async (t) => {
    await onboard(operator, OTHER_AO, 'other.admin@example.org', ['ao-admin']);
    otherAdmin = auth((await login('other.admin@example.org')).json().accessToken);
    const victimId = (await app.inject({ url: `/organisations/${AO}/users`, headers: admin }))
      .json()
      .items.find((u: { email: string }) => u.email === 'promoted@example.org').id;

    const list = await app.inject({ url: `/organisations/${AO}/users`, headers: otherAdmin });
    t.equal(list.statusCode, 403, "another organisation's path: 403");
    t.notMatch(list.body, /example\.org/, 'and nothing of it in the refusal');
    t.equal(
      (await post(`/organisations/${AO}/users`, { email: 'plant@example.org', roles: ['ao-admin'] }, otherAdmin))
        .statusCode,
      403,
      'cannot invite there',
    );
    t.equal(
      (
        await app.inject({
          method: 'PUT',
          url: `/organisations/${AO}/users/${victimId}/roles`,
          payload: { roles: ['ao-user'] },
          headers: otherAdmin,
        })
      ).statusCode,
      403,
    );
    t.equal((await post(`/organisations/${AO}/users/${victimId}/disable`, {}, otherAdmin)).statusCode, 403);

    const viaOwn = await app.inject({
      method: 'PUT',
      url: `/organisations/${OTHER_AO}/users/${victimId}/roles`,
      payload: { roles: ['ao-user'] },
      headers: otherAdmin,
    });
    t.equal(viaOwn.statusCode, 404, "another organisation's user through one's own path: 404");
    t.equal((await post(`/organisations/${OTHER_AO}/users/${victimId}/disable`, {}, otherAdmin)).statusCode, 404);

    const own = await app.inject({ url: `/organisations/${OTHER_AO}/users`, headers: otherAdmin });
    t.same(
      own.json().items.map((u: { email: string }) => u.email),
      ['other.admin@example.org'],
      'its own list holds only its own users',
    );
    const still = (await app.inject({ url: `/organisations/${AO}/users`, headers: admin }))
      .json()
      .items.find((u: { id: string }) => u.id === victimId);
    t.same(still.roles, ['ao-user', 'ao-admin'], 'the victim is unchanged');

    const userToken = auth((await login('promoted@example.org')).json().accessToken);
    t.equal(
      (
        await app.inject({
          url: `/organisations/${AO}/users`,
          headers: auth(await app.deps.tokens.issue({ subject: 'usr_u', roles: ['ao-user'], organisation: AO })),
        })
      ).statusCode,
      403,
      'an AO user (not admin) cannot list users',
    );
    t.equal(
      (await app.inject({ url: `/organisations/${OTHER_AO}/users`, headers: userToken })).statusCode,
      403,
      'an admin of one AO is nothing at another',
    );
  });

  await t.test('API clients: created once with a secret, hold only their roles, revocable', async (t) => {
    const made = await post(`/organisations/${AO}/clients`, { name: 'Results feed', roles: ['ao-user'] }, admin);
    t.equal(made.statusCode, 201);
    const client = made.json();
    t.match(client, {
      id: /^cli_/,
      name: 'Results feed',
      roles: ['ao-user'],
      organisation: AO,
      secret: /^[A-Za-z0-9_-]{43}$/,
    });

    t.equal(
      (await post(`/organisations/${AO}/clients`, { name: 'x', roles: ['ao-admin'] }, admin)).statusCode,
      400,
      'no admin role for a client',
    );
    t.equal(
      (await post(`/organisations/${AO}/clients`, { name: 'x', roles: ['provider-user'] }, admin)).statusCode,
      400,
      "nor another kind's role",
    );
    t.equal(
      (await post(`/organisations/${AO}/clients`, { name: 'x', roles: ['ao-user'] }, otherAdmin)).statusCode,
      403,
      'nor for another organisation',
    );

    const listed = await app.inject({ url: `/organisations/${AO}/clients`, headers: admin });
    t.equal(listed.statusCode, 200);
    t.equal(listed.json().items.length, 1);
    t.notOk('secret' in listed.json().items[0], 'the secret is never shown again');
    t.notMatch(listed.body, client.secret);

    const tokenRes = await post('/auth/token', {
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    t.equal(tokenRes.statusCode, 200);
    const accessToken = tokenRes.json().access_token;
    const claims = decodeJwt(accessToken);
    t.same(claims.roles, ['ao-user'], "the token has only the client's roles");
    t.equal(claims.org, AO);
    t.equal(claims.sub, client.id);
    t.equal(
      (await app.inject({ url: '/test/probe', headers: auth(accessToken) })).statusCode,
      200,
      'the token works where its role may go',
    );
    t.equal(
      (await app.inject({ url: '/operations/workers', headers: auth(accessToken) })).statusCode,
      403,
      'an operator route: 403',
    );
    t.equal(
      (await app.inject({ url: `/organisations/${AO}/users`, headers: auth(accessToken) })).statusCode,
      403,
      'an admin route: 403',
    );
    t.equal(
      (await app.inject({ url: `/organisations/${AO}/clients`, headers: auth(accessToken) })).statusCode,
      403,
      'cannot manage clients',
    );

    t.equal(
      (
        await post('/auth/token', {
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: 'B'.repeat(43),
        })
      ).statusCode,
      401,
      'wrong secret',
    );
    t.equal(
      (await post('/auth/token', { grant_type: 'password', client_id: client.id, client_secret: client.secret }))
        .statusCode,
      400,
      'only client_credentials',
    );

    t.equal(
      (await app.inject({ method: 'DELETE', url: `/organisations/${AO}/clients/${client.id}`, headers: otherAdmin }))
        .statusCode,
      403,
      'another admin cannot revoke it',
    );
    t.equal(
      (
        await app.inject({
          method: 'DELETE',
          url: `/organisations/${OTHER_AO}/clients/${client.id}`,
          headers: otherAdmin,
        })
      ).statusCode,
      404,
      'nor reach it through their own path',
    );
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/organisations/${AO}/clients/${client.id}`,
      headers: admin,
    });
    t.equal(revoked.statusCode, 200);
    t.match(revoked.json(), { id: client.id, revokedAt: /Z$/ });
    t.equal(
      (
        await post('/auth/token', {
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        })
      ).statusCode,
      401,
      'revoked: no more tokens',
    );
    t.ok(
      (await app.inject({ url: `/organisations/${AO}/clients`, headers: admin })).json().items[0].revokedAt,
      'listed as revoked',
    );
    t.equal(
      (await app.inject({ url: '/test/probe', headers: auth(accessToken) })).statusCode,
      401,
      'and its unexpired token is refused at once',
    );
  });

  await t.test('key rotation keeps old tokens valid, and new tokens verify against the JWKS', async (t) => {
    const before = (await login('ada.admin@example.org')).json();
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    t.equal((await post('/keys/rotate', {}, admin)).statusCode, 403, 'only the operator rotates');
    const rotated = await post('/keys/rotate', {}, operator);
    t.equal(rotated.statusCode, 200);
    const { current, keys } = rotated.json();
    t.not(current, oldKid);
    t.match(keys, [
      { kid: oldKid, current: false, publishUntil: /Z$/ },
      { kid: current, current: true, publishUntil: null },
    ]);

    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json();
    t.same(
      jwks.keys.map((k: { kid: string }) => k.kid),
      [current, oldKid],
      'both keys are published',
    );

    const oldStill = await app.inject({ url: '/auth/whoami', headers: auth(before.accessToken) });
    t.equal(oldStill.statusCode, 200, 'a token signed before the rotation still works');
    t.equal(
      (await app.inject({ url: `/organisations/${AO}/users`, headers: operator })).statusCode,
      200,
      "so does the operator's",
    );

    const after = (await login('ada.admin@example.org')).json();
    t.equal(decodeProtectedHeader(after.accessToken).kid, current, 'new tokens use the new key');
    const { payload } = await jwtVerify(after.accessToken, createLocalJWKSet(jwks), {
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      algorithms: ['ES256'],
    });
    t.equal(payload.sub, adminId, 'and verify against the published JWKS');
    const refreshed = await post('/auth/refresh', { refreshToken: before.refreshToken });
    t.equal(refreshed.statusCode, 200, 'refresh tokens do not depend on the signing key');
  });
});
