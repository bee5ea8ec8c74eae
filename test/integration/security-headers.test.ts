import t, { type Test } from 'tap';
import { buildApp, type App } from '../../src/app.js';
import { testConfig } from '../helpers/config.js';
import { tokenFor } from '../helpers/app.js';
import { HSTS_SECONDS } from '../../src/platform/security-headers.js';

// No graph is needed: every request here is answered before a handler reads Neo4j.
const app: App = await buildApp(testConfig());
t.teardown(async () => {
  await app.deps.jobs.queue.obliterate({ force: true }).catch(() => undefined);
  await app.close();
});
await app.ready();

type Headers = Record<string, string | string[] | number | undefined>;

/** The policy as directive -> sources. */
function csp(headers: Headers): Map<string, string[]> {
  const raw = String(headers['content-security-policy'] ?? '');
  return new Map(
    raw
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources];
      }),
  );
}

function commonHeaders(t: Test, headers: Headers, what: string) {
  const hsts = /max-age=(\d+)/.exec(String(headers['strict-transport-security']));
  t.ok(hsts && Number(hsts[1]) >= HSTS_SECONDS, `${what}: HSTS for at least a year`);
  t.match(String(headers['strict-transport-security']), /includeSubDomains/, `${what}: HSTS covers subdomains`);
  t.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  t.equal(headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options DENY`);
  t.equal(headers['referrer-policy'], 'no-referrer', `${what}: no referrer`);
  t.same(csp(headers).get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none'`);
}

t.test('the API: every kind of answer carries the headers and a policy that allows nothing', async (t) => {
  const analyst = { authorization: `Bearer ${await tokenFor(app, 'analyst')}` };
  const answers: Array<[string, Awaited<ReturnType<App['inject']>>, number]> = [
    ['200', await app.inject({ url: '/health/live' }), 200],
    ['401 from the guard', await app.inject({ url: '/auth/whoami' }), 401],
    ['403 from the guard', await app.inject({ url: '/operations/workers', headers: analyst }), 403],
    ['404', await app.inject({ url: '/no/such/thing' }), 404],
    ['400 validation', await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 1 } }), 400],
    ['GraphQL', await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } }), 200],
  ];
  for (const [what, res, status] of answers) {
    t.equal(res.statusCode, status, `${what}: status`);
    commonHeaders(t, res.headers, what);
    const policy = csp(res.headers);
    t.same(policy.get('default-src'), ["'none'"], `${what}: default-src 'none'`);
    t.notOk(
      [...policy.values()].flat().some((s) => s.includes('unsafe')),
      `${what}: nothing unsafe`,
    );
  }
});

t.test('the API docs keep working under their own policy', async (t) => {
  const page = await app.inject({ url: '/docs/' });
  t.equal(page.statusCode, 200);
  t.match(String(page.headers['content-type']), /^text\/html/);
  t.match(page.body, /id="swagger-ui"/, 'the Swagger UI page');
  commonHeaders(t, page.headers, '/docs');
  const policy = csp(page.headers);
  t.same(policy.get('script-src'), ["'self'"], 'scripts from this origin only');
  t.ok(policy.get('style-src')?.includes("'self'"), 'styles from this origin');
  t.ok(policy.get('connect-src')?.includes("'self'"), 'the UI may fetch the OpenAPI document from this origin');

  t.notMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/i, "no inline script, which script-src 'self' would block");
  const assets = [...page.body.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map((m) => m[1]);
  t.ok(
    assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')),
    'the page loads scripts and styles',
  );
  for (const asset of assets) {
    t.notMatch(asset, /^(https?:)?\/\//, `${asset} is on this origin`);
    const res = await app.inject({ url: new URL(asset, 'http://x/docs/').pathname });
    t.equal(res.statusCode, 200, `${asset} loads`);
    if (asset.endsWith('.js'))
      t.match(String(res.headers['content-type']), /javascript/, `${asset} is served as a script`);
    if (asset.endsWith('.css'))
      t.match(String(res.headers['content-type']), /text\/css/, `${asset} is served as a style sheet`);
  }
  const initializer = await app.inject({ url: '/docs/static/swagger-initializer.js' });
  t.match(initializer.body, /resolveUrl\('\.\/json'\)/, 'the UI reads the document from ./json (same origin)');
  const doc = await app.inject({ url: '/docs/json' });
  t.equal(doc.statusCode, 200);
  t.equal(doc.json().openapi, '3.0.3');
});

t.test('token and signed-in answers are not cached; public ones keep their own caching', async (t) => {
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 1 } });
  t.equal(login.headers['cache-control'], 'no-store', 'sign-in answers');
  const whoami = await app.inject({
    url: '/auth/whoami',
    headers: { authorization: `Bearer ${await tokenFor(app, 'learner')}` },
  });
  t.equal(whoami.statusCode, 200);
  t.equal(whoami.headers['cache-control'], 'no-store', 'an answer to a signed-in caller');
  const jwks = await app.inject({ url: '/.well-known/jwks.json' });
  t.equal(jwks.headers['cache-control'], 'public, max-age=300', 'the JWKS keeps its caching');
});
