/**
 * `plr import FILE --url URL --token TOKEN`: an AO's own system sends a file through the
 * HTTP API, with the same progress display and summary as the local import, and exit codes
 * that tell a clean batch (0) from one with rejected rows (3).
 */
import t from 'tap';
import path from 'node:path';
import pino from 'pino';
import { Writable } from 'node:stream';
import { PROJECT_ROOT } from '../../src/config.js';
import { setupApp, tokenFor } from '../helpers/app.js';
import { loadSample } from '../helpers/fixtures.js';
import { listen } from '../helpers/batches.js';
import { loadLearnerFile } from '../../src/learners/register/load.js';
import { startWorker } from '../../importers/worker.js';
import { EXIT, main } from '../../src/cli.js';

const sample = (name: string) => path.join(PROJECT_ROOT, 'samples', 'achievements', name);

function io() {
  const sink = () => {
    const s = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          s.text += chunk.toString();
          done();
        },
      }),
      { text: '' },
    );
    return s;
  };
  return { stdout: sink(), stderr: sink() };
}

t.test('plr import --url sends a file through the API and follows it', async (t) => {
  const { app, config } = await setupApp(t);
  const graph = app.deps.graph;
  const worker = startWorker({ config, graph, logger: pino({ level: 'silent' }) });
  t.teardown(() => worker.close());
  const url = await listen(app);
  await loadSample(graph);
  await loadLearnerFile(graph, path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv'));
  const token = await tokenFor(app, 'ao-user');

  const clean = io();
  t.equal(
    await main(['import', sample('valid.csv'), '--url', url, '--token', token, '--validate-only'], clean),
    EXIT.ok,
    'every row accepted: exit 0',
  );
  t.match(clean.stderr.text, /^batch \S+: 9 rows, CSV, validate only\n/, 'says what it sent');
  t.match(clean.stderr.text, /100\.0% done/, 'the progress display');
  t.match(clean.stdout.text, /has completed \(validate only: nothing was stored\)/);
  t.match(clean.stdout.text, /Rejected: 0/);

  const rejected = io();
  t.equal(
    await main(['import', sample('errors.csv'), '--url', url, '--token', token, '--validate-only'], rejected),
    EXIT.rejectedRows,
    'rows rejected: exit 3',
  );
  t.match(rejected.stdout.text, /Rejected: [1-9]/);

  const refused = io();
  t.equal(await main(['import', sample('valid.csv'), '--url', url, '--token', 'not-a-token'], refused), EXIT.failed);
  t.match(refused.stderr.text, /refused \(HTTP 401 \w+\), nothing was stored/);

  const missing = io();
  t.equal(await main(['import', sample('nope.csv'), '--url', url, '--token', token], missing), EXIT.failed);
  t.match(missing.stderr.text, /cannot open/);
});
