import t from 'tap';
import { parse } from 'graphql';
import { setupApp, bearer } from '../helpers/app.js';
import { COST_BUDGET, queryCost } from '../../src/platform/graphql-cost.js';

const { app } = await setupApp(t);

async function gql(query: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query }, headers });
  return { status: res.statusCode, body: res.json(), bytes: res.body.length };
}

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

t.test('1,000 aliases of whatIfRoutes without a token are refused before anything runs, memory flat', async (t) => {
  const query = aliases(1_000, 'whatIfRoutes(plannedUnits: ["H/601/4101"]) { candidates }');
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const res = await gql(query);
  const ms = performance.now() - started;
  const grown = process.memoryUsage().heapUsed - before;
  t.equal(res.body.errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY', JSON.stringify(res.body).slice(0, 300));
  t.equal(res.status, 400);
  t.equal(res.body.data ?? null, null, 'no field ran');
  t.ok(ms < 3_000, `refused quickly (${Math.round(ms)} ms)`);
  t.ok(grown < 60 * 1024 * 1024, `memory stayed flat (${Math.round(grown / 1024 / 1024)} MB)`);
});

t.test('a signed-in caller has a larger budget than an anonymous one', async (t) => {
  const query = aliases(150, 'health { ok }');
  t.equal(queryCost(parse(query)), 300, 'each alias and each nested field counts');
  const anonymous = await gql(query);
  t.equal(anonymous.body.errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY');
  t.same(anonymous.body.errors?.[0]?.extensions?.details, { budget: COST_BUDGET.anonymous });
  const signedIn = await gql(query, await bearer(app, 'analyst'));
  t.equal(signedIn.status, 200, 'within the signed-in budget');
  t.type(signedIn.body.data?.a149?.ok, 'boolean', 'every alias answered');
  const small = await gql('{ health { ok } }');
  t.type(small.body.data?.health?.ok, 'boolean', 'a small query without a token runs');
});

t.test('fragments are counted where they are spread; batches are refused', async (t) => {
  const doc = parse(
    `query A { ...F ...F } query B { health { ok } } fragment F on Query { x: whatIfRoutes(plannedUnits: []) { candidates } }`,
  );
  t.equal(queryCost(doc), 104, 'the dearest operation, with its fragment counted twice');
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    payload: [{ query: '{ health { ok } }' }, { query: aliases(150, 'health { ok }') }],
  });
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `a batch is refused (${res.statusCode})`);
});

t.test('error bodies are capped: a huge value is quoted only by its start', async (t) => {
  const huge = 'x'.repeat(3 * 1024 * 1024);
  const res = await app.inject({
    method: 'POST',
    url: '/learners/verify',
    payload: { uln: huge, givenName: 'A', familyName: 'B', dateOfBirth: '2000-01-01', gender: 'F' },
    headers: await bearer(app, 'ao-user'),
  });
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `refused (${res.statusCode})`);
  t.ok(res.body.length < 20_000, `the error body is small (${res.body.length} bytes)`);
});
