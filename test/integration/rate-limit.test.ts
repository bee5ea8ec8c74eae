import t, { type Test } from 'tap';
import { buildApp, type App } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { accountKey, limitCategory } from '../../src/platform/rate-limits.js';
import { setupApp, tokenFor } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { createRedis } from '../../src/platform/redis.js';

t.test('limits are settings: COUNT/SECONDS, checked at start', async (t) => {
  const c = loadConfig({ RATE_LIMIT_SIGNIN_IP: '5/30', RATE_LIMIT_PUBLIC_IP: ' 1000 / 60 ', TRUST_PROXY: '2' });
  t.same(c.rateLimits.signInPerIp, { max: 5, windowSeconds: 30 });
  t.same(c.rateLimits.publicPerIp, { max: 1000, windowSeconds: 60 });
  t.same(c.rateLimits.signInPerAccount, { max: 20, windowSeconds: 900 }, 'defaults where unset');
  t.equal(c.rateLimits.enabled, true);
  t.equal(c.trustProxy, 2);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1']);
  t.equal(loadConfig({}).trustProxy, false, 'no proxy is trusted unless configured');
  t.equal(loadConfig({ RATE_LIMIT_ENABLED: 'false' }).rateLimits.enabled, false);
  for (const [name, value, says] of [
    ['RATE_LIMIT_SIGNIN_IP', '5', /RATE_LIMIT_SIGNIN_IP="5" must be COUNT\/SECONDS/],
    ['RATE_LIMIT_TOKEN_IP', '0/60', /RATE_LIMIT_TOKEN_IP=0\/60 is out of range/],
    ['RATE_LIMIT_SIGNIN_ACCOUNT', '5/100000', /out of range/],
    ['TRUST_PROXY', 'the load balancer', /TRUST_PROXY="the load balancer" must be/],
  ] as const) {
    let problem: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      problem = err;
    }
    t.ok(problem instanceof ConfigError, `${name}=${value} stops the start`);
    t.match((problem as Error).message, says, 'naming the variable and what is wrong');
  }
});

t.test('which routes are limited, and the account key', async (t) => {
  t.equal(limitCategory('/auth/login', true), 'sign-in');
  for (const url of ['/auth/refresh', '/auth/token', '/auth/logout', '/auth/set-password'])
    t.equal(limitCategory(url, true), 'token', url);
  for (const url of ['/.well-known/jwks.json', '/record-links/:token', '/qualifications', '/routes/what-if'])
    t.equal(limitCategory(url, true), 'public', url);
  t.equal(limitCategory('/graphql', true), 'public', 'GraphQL: open to anyone, so limited as public');
  t.equal(limitCategory('/health/live', true), undefined, 'health probes are not limited');
  t.equal(limitCategory('/docs/json', false), undefined, 'nor the API docs');
  t.equal(limitCategory('/learners/:uln/record', false), undefined, 'nor routes that need a token');

  const key = accountKey('Ada.Lovelace@Example.org ');
  t.equal(key, accountKey('ada.lovelace@example.org'), 'one key per account, whatever the case and spaces');
  t.not(key, accountKey('ada.lovelace@example.com'));
  t.match(key, /^[0-9a-f]{32}$/, 'a hash: the address is not in it');
});

t.test('limits in action', async (t) => {
  const limits = {
    RATE_LIMIT_SIGNIN_IP: '3/60',
    RATE_LIMIT_SIGNIN_ACCOUNT: '2/60',
    RATE_LIMIT_TOKEN_IP: '2/60',
    RATE_LIMIT_PUBLIC_IP: '3/60',
    // Each test "client" is an X-Forwarded-For address.
    TRUST_PROXY: 'true',
  };
  const { app, config } = await setupApp(t, limits);
  const redis = app.deps.redis;
  t.teardown(async () => {
    const keys = await redis.keys(`${config.queuePrefix}:rate-limit:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const login = (ip: string, email: string, theApp: App = app) =>
    theApp.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email, password: 'not the password at all' },
      headers: from(ip),
    });

  /** A 429 in the house shape, with Retry-After agreeing with the body. */
  function isRateLimited(t: Test, res: Awaited<ReturnType<App['inject']>>, what: string, says: RegExp) {
    t.equal(res.statusCode, 429, `${what}: 429`);
    const body = res.json();
    t.same(Object.keys(body).sort(), ['code', 'details', 'message', 'requestId'], `${what}: the house error shape`);
    t.equal(body.code, 'RATE_LIMITED');
    t.match(body.message, says);
    const retry = Number(res.headers['retry-after']);
    t.ok(retry >= 1 && retry <= 60, `${what}: Retry-After within the window (${retry})`);
    t.equal(body.details.retryAfterSeconds, retry, `${what}: details.retryAfterSeconds is the Retry-After`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: security headers on the refusal too`);
  }

  await t.test('sign-in: per client address', async (t) => {
    for (let i = 1; i <= 3; i++)
      t.equal((await login('203.0.113.1', `person${i}@example.org`)).statusCode, 401, `attempt ${i} is answered`);
    const fourth = await login('203.0.113.1', 'person4@example.org');
    isRateLimited(t, fourth, 'the fourth from one address', /too many sign-in attempts from your address/);
    t.notMatch(fourth.body, /example\.org/, 'the refusal does not repeat the address');
    t.equal((await login('203.0.113.2', 'person4@example.org')).statusCode, 401, 'another address is not held back');
  });

  await t.test('sign-in: per account, from any address', async (t) => {
    const email = 'target@example.org';
    t.equal((await login('198.51.100.1', email)).statusCode, 401);
    t.equal((await login('198.51.100.2', email)).statusCode, 401);
    const third = await login('198.51.100.3', 'TARGET@example.org ');
    isRateLimited(t, third, 'the third for one account', /too many sign-in attempts for this account/);
    t.notMatch(third.body, /target/i, 'nor does it name the account');
    t.equal(
      (await login('198.51.100.3', 'someone.else@example.org')).statusCode,
      401,
      'other accounts are not held back',
    );

    const keys = await redis.keys(`${config.queuePrefix}:rate-limit:*`);
    t.ok(
      keys.some((k) => k.endsWith(`sign-in-account:${accountKey(email)}`)),
      'counted under the hashed account',
    );
    t.notOk(
      keys.some((k) => k.includes('@') || /target|person/i.test(k)),
      'no email address in Redis',
    );
  });

  await t.test('token routes share one count per address', async (t) => {
    const ip = { headers: from('192.0.2.10') };
    t.equal(
      (await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: 'x' }, ...ip })).statusCode,
      401,
    );
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/token',
          payload: { grant_type: 'client_credentials', client_id: 'cli_x', client_secret: 'y' },
          ...ip,
        })
      ).statusCode,
      401,
    );
    isRateLimited(
      t,
      await app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: 'x' }, ...ip }),
      'the third token request',
      /too many token requests/,
    );
    t.not(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/logout',
          payload: { refreshToken: 'x' },
          headers: from('192.0.2.11'),
        })
      ).statusCode,
      429,
      'another address',
    );
  });

  await t.test(
    'public routes, GraphQL included, per address; health and signed-in routes are not limited',
    async (t) => {
      const ip = from('192.0.2.20');
      t.equal((await app.inject({ url: '/.well-known/jwks.json', headers: ip })).statusCode, 200);
      t.equal((await app.inject({ url: '/qualifications', headers: ip })).statusCode, 200);
      t.equal(
        (await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' }, headers: ip }))
          .statusCode,
        200,
      );
      isRateLimited(
        t,
        await app.inject({ url: '/.well-known/jwks.json', headers: ip }),
        'the fourth public request',
        /too many requests from your address/,
      );
      isRateLimited(
        t,
        await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' }, headers: ip }),
        'GraphQL',
        /too many requests/,
      );

      for (let i = 0; i < 5; i++)
        t.equal((await app.inject({ url: '/health/live', headers: ip })).statusCode, 200, `health ${i + 1}`);
      const signedIn = { ...ip, authorization: `Bearer ${await tokenFor(app, 'learner')}` };
      for (let i = 0; i < 5; i++)
        t.equal((await app.inject({ url: '/auth/whoami', headers: signedIn })).statusCode, 200, `whoami ${i + 1}`);
    },
  );

  await t.test('two API processes share the counts through Redis', async (t) => {
    const other = await buildApp(config);
    t.teardown(() => other.close());
    await other.ready();
    const ip = '192.0.2.30';
    t.equal((await login(ip, 'a1@example.org')).statusCode, 401, 'first on one process');
    t.equal((await login(ip, 'a2@example.org', other)).statusCode, 401, 'second on the other');
    t.equal((await login(ip, 'a3@example.org')).statusCode, 401, 'third on the first');
    isRateLimited(t, await login(ip, 'a4@example.org', other), 'the fourth, on the other process', /from your address/);
  });

  await t.test('OpenAPI documents the 429 where it can happen', async (t) => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    t.ok(doc.paths['/auth/login'].post.responses['429'], 'sign-in');
    t.ok(doc.paths['/.well-known/jwks.json'].get.responses['429'], 'a public route');
    t.notOk(doc.paths['/auth/whoami'].get.responses['429'], 'not a signed-in route');
  });
});

t.test('RATE_LIMIT_ENABLED=false turns every limit off', async (t) => {
  const { app } = await setupApp(t, { RATE_LIMIT_PUBLIC_IP: '1/60', RATE_LIMIT_ENABLED: 'false' });
  for (let i = 0; i < 3; i++)
    t.equal((await app.inject({ url: '/.well-known/jwks.json' })).statusCode, 200, `request ${i + 1}`);
});

t.test('Redis not answering: requests go through rather than fail', async (t) => {
  // The queue gets a working connection; the limiter's own points at a port nobody serves.
  const queueRedis = createRedis(testConfig(), 'queue');
  const app = await buildApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PUBLIC_IP: '1/60' }), {
    redis: queueRedis,
  });
  t.teardown(async () => {
    await app.close();
    await queueRedis.quit();
  });
  await app.ready();
  for (let i = 0; i < 3; i++)
    t.equal((await app.inject({ url: '/.well-known/jwks.json' })).statusCode, 200, `request ${i + 1} answered`);
});
