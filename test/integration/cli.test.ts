import t from 'tap';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, LOCAL_NEO4J_URI } from '../../src/config.js';
import { runServer } from '../../src/server.js';
import { testConfig } from '../helpers/config.js';

const plr = path.join(PROJECT_ROOT, 'bin', 'plr');
const env = { ...process.env, NEO4J_URI: process.env.NEO4J_URI ?? LOCAL_NEO4J_URI, LOG_LEVEL: 'silent' };

t.test('plr migrate applies the schema and lists it', async (t) => {
  const r = spawnSync(plr, ['migrate'], { env, encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /applied \d+ schema migrations/);
  t.match(r.stdout, /learner_uln\s+RANGE\s+Learner\(uln\) unique/);
});

t.test('plr explains itself and refuses what it does not know', async (t) => {
  const none = spawnSync(plr, [], { env, encoding: 'utf8' });
  t.equal(none.status, 2);
  t.match(none.stdout, /Commands:/);
  const bogus = spawnSync(plr, ['frobnicate'], { env, encoding: 'utf8' });
  t.equal(bogus.status, 2);
  t.match(bogus.stderr, /unknown command "frobnicate"/);
});

t.test('a bad setting stops plr with the variable named', async (t) => {
  const r = spawnSync(plr, ['migrate'], { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' });
  t.equal(r.status, 2);
  t.match(r.stderr, /PORT="eighty" is not a whole number/);
});

t.test('the server runs API and worker together and stops cleanly', async (t) => {
  const config = testConfig();
  const running = await runServer(config, { api: true, worker: true });
  t.ok(running.url, 'prints a URL');
  const res = await fetch(`${running.url}/health/ready`);
  t.equal(res.status, 200);
  t.ok(running.worker?.isRunning(), 'the worker is taking jobs');
  await running.stop();
  t.notOk(running.worker?.isRunning(), 'the worker has stopped');
  await t.rejects(fetch(`${running.url}/health/live`), 'the port is closed');
});
