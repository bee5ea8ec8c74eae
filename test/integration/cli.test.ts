import t from 'tap';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, LOCAL_NEO4J_URI } from '../../src/config.js';
import { runServer } from '../../src/server.js';
import { testConfig } from '../helpers/config.js';
import { childEnv } from '../helpers/child-env.js';

const plr = path.join(PROJECT_ROOT, 'bin', 'plr');
// The plr child runs under tsx, not tap's loader: keep tap's coverage hooks out of it, or
// its differently mapped coverage is merged into (and garbles) the suite's figures.
const env = childEnv({ NEO4J_URI: process.env.NEO4J_URI ?? LOCAL_NEO4J_URI, LOG_LEVEL: 'silent' });

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

t.test('plr catalogue load refuses a bad file whole and loads a good one', async (t) => {
  const { writeFileSync, mkdtempSync, readFileSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plr-cli-'));
  const good = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json'), 'utf8'));
  const bad = structuredClone(good);
  bad.qualifications[0].qan = '600-1101-4';
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
  const refused = spawnSync(plr, ['catalogue', 'load', path.join(dir, 'bad.json')], { env, encoding: 'utf8' });
  t.equal(refused.status, 1);
  t.match(refused.stdout, /refused, nothing was stored/);
  t.match(refused.stdout, /qualifications\[0\]\.qan \[bad-qan\]/);

  const missing = spawnSync(plr, ['catalogue', 'load', path.join(dir, 'nope.json')], { env, encoding: 'utf8' });
  t.equal(missing.status, 1);
  t.match(missing.stdout, /cannot open/);

  const ok = spawnSync(plr, ['catalogue', 'load', path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json')], {
    env,
    encoding: 'utf8',
  });
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /qualifications:\s+\d+ created, \d+ updated, \d+ unchanged/);
});

t.test('plr seed loads the demo data twice without change', async (t) => {
  const first = spawnSync(plr, ['seed'], { env, encoding: 'utf8' });
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, /demo data: 6 qualifications, 30 units, 200 learners, \d+ credits, 15 sample learners/);
  const again = spawnSync(plr, ['seed'], { env, encoding: 'utf8' });
  t.equal(again.stdout, first.stdout, 'the same report: deterministic and idempotent');
});

t.test('plr token prints a token the service accepts', async (t) => {
  const { KeyRing } = await import('../../src/identity/keys.js');
  const r = spawnSync(plr, ['token', 'learner', '--uln', '9276308686', '--minutes', '5'], { env, encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  const { loadConfig } = await import('../../src/config.js');
  const svc = await KeyRing.create(loadConfig(env));
  const p = await svc.verify(r.stdout.trim());
  t.same(p.roles, ['learner']);
  t.equal(p.uln, '9276308686');
  const bad = spawnSync(plr, ['token', 'wizard'], { env, encoding: 'utf8' });
  t.equal(bad.status, 2);
  t.match(bad.stderr, /ROLE is one of learner/);
});

t.test('plr learners load loads the sample learner file', async (t) => {
  const r = spawnSync(plr, ['learners', 'load', path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv')], {
    env,
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  const usage = spawnSync(plr, ['learners'], { env, encoding: 'utf8' });
  t.equal(usage.status, 2);
  t.match(usage.stderr, /usage: plr learners load FILE/);
});
