import t from 'tap';
import { setupApp, tokenFor } from '../helpers/app.js';

t.test('GraphQL at /graphql with per-field roles', async (t) => {
  const { app } = await setupApp(t);
  const gql = async (query: string, token?: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query },
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.statusCode, body: res.json() };
  };

  const health = await gql('{ health { ok dependencies { name ok } } }');
  t.equal(health.status, 200);
  t.same(health.body.data.health, {
    ok: true,
    dependencies: [
      { name: 'neo4j', ok: true },
      { name: 'redis', ok: true },
    ],
  });

  const anonymous = await gql('{ me { subject } }');
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHORIZED');

  const learner = await tokenFor(app, 'learner');
  const me = await gql('{ me { subject roles uln } }', learner);
  t.same(me.body.data.me, { subject: 'user-learner', roles: ['LEARNER'], uln: '9276308686' });

  const refused = await gql('{ workers { name } }', learner);
  t.equal(refused.body.errors[0].extensions.code, 'FORBIDDEN');
  t.notOk(refused.body.data?.workers, 'nothing leaks');

  await app.deps.graph.write('operations/record-worker-heartbeat', {
    name: 'gw',
    at: '2026-11-29T09:00:00Z',
    pid: 1,
    host: 'h',
  });
  const operator = await tokenFor(app, 'operator');
  const workers = await gql('{ workers(limit: 5) { name beats } }', operator);
  t.same(workers.body.data.workers, [{ name: 'gw', beats: 1 }]);

  const job = await gql('mutation { requestHeartbeat }', operator);
  t.match(job.body.data.requestHeartbeat, /^\d+$/, 'the operator queues a heartbeat');
  t.equal((await gql('mutation { requestHeartbeat }', learner)).body.errors[0].extensions.code, 'FORBIDDEN');

  const bad = await gql('{ me { subject } }', 'not-a-token');
  t.equal(bad.body.errors[0].extensions.code, 'UNAUTHORIZED');

  const invalid = await gql('{ nothingHere }');
  t.equal(invalid.status, 400, 'a query that does not validate is a 400');
});
