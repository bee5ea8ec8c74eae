import t from 'tap';
import { loadConfig, ConfigError } from '../../src/config.js';

t.test('defaults are local and sensible', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.neo4jUri, undefined, 'no NEO4J_URI means the local server');
  t.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  t.equal(c.publicUrl, 'http://127.0.0.1:3000');
  t.equal(c.jwtIssuer, 'http://127.0.0.1:3000');
  t.equal(c.seedDemo, true);
  t.ok(Object.isFrozen(c));
});

t.test('values from the environment are used', async (t) => {
  const c = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    NEO4J_URI: 'neo4j://db:7687',
    SEED_DEMO: 'no',
    PUBLIC_URL: 'https://plr.example/',
    WORKER_CONCURRENCY: '4',
  });
  t.equal(c.port, 8080);
  t.equal(c.neo4jUri, 'neo4j://db:7687');
  t.equal(c.seedDemo, false);
  t.equal(c.publicUrl, 'https://plr.example', 'trailing slash dropped');
  t.equal(c.workerConcurrency, 4);
});

t.test('every bad value is named at once', async (t) => {
  const err = t.throws(() =>
    loadConfig({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      NEO4J_URI: 'http://x',
      REDIS_URL: 'nope',
      SEED_DEMO: 'maybe',
      WORKER_CONCURRENCY: '0',
      QUEUE_PREFIX: 'a b',
      SIGNING_KEY: 'secret',
    }),
  ) as ConfigError;
  t.type(err, ConfigError);
  const text = err.problems.join('\n');
  for (const name of [
    'PORT',
    'LOG_LEVEL',
    'NEO4J_URI',
    'REDIS_URL',
    'SEED_DEMO',
    'WORKER_CONCURRENCY',
    'QUEUE_PREFIX',
    'SIGNING_KEY',
  ]) {
    t.match(text, name, `${name} is named`);
  }
  t.equal(err.problems.length, 8);
  t.match(err.message, /invalid configuration/);
});

t.test('ranges are checked', async (t) => {
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT=70000 is out of range/);
  t.throws(() => loadConfig({ ACCESS_TOKEN_SECONDS: '5' }), /ACCESS_TOKEN_SECONDS=5 is out of range/);
});
