import t from 'tap';
import { setupApp } from '../helpers/app.js';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/config.js';

t.test('live answers without touching dependencies', async (t) => {
  const app = await buildApp(testConfig({ NEO4J_URI: 'bolt://127.0.0.1:1' }));
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/health/live' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
});

t.test('ready answers 200 when Neo4j and Redis both answer', async (t) => {
  const { app } = await setupApp(t);
  const res = await app.inject({ url: '/health/ready' });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.checks.neo4j.status, 'ok');
  t.equal(body.checks.redis.status, 'ok');
});

t.test('ready answers 503 naming Neo4j when it does not answer', async (t) => {
  // Nothing listens on port 1: the same as a stopped server.
  const app = await buildApp(testConfig({ NEO4J_URI: 'bolt://127.0.0.1:1' }));
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/health/ready' });
  t.equal(res.statusCode, 503);
  const body = res.json();
  t.equal(body.code, 'NOT_READY');
  t.match(body.message, /Neo4j is not answering/);
  t.notMatch(body.message, /Redis/);
  t.equal(body.details.checks.neo4j.status, 'failed');
  t.equal(body.details.checks.redis.status, 'ok');
  t.ok(res.headers['retry-after']);
});

t.test('ready answers 503 naming Redis when it does not answer', async (t) => {
  const app = await buildApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1' }));
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/health/ready' });
  t.equal(res.statusCode, 503);
  t.match(res.json().message, /Redis is not answering/);
  t.equal(res.json().details.checks.neo4j.status, 'ok');
});
