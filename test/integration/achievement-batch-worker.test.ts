import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { PROJECT_ROOT } from '../../src/config.js';
import { setupApp, tokenFor } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { loadSample, upsertLearners } from '../helpers/fixtures.js';
import { batchLearners, listen, toCsv, toXml, unitRows, upload, waitForBatch } from '../helpers/batches.js';
import { startWorker } from '../../importers/worker.js';
import { getBatch } from '../../src/achievements/batches/repository.js';
import { listRecords } from '../../src/achievements/repository.js';
import { childEnv } from '../helpers/child-env.js';

/** Run plr without blocking: the worker answering it lives in this process. */
function runPlr(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(PROJECT_ROOT, 'bin', 'plr'), args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Children run under tsx, not tap's loader: keep tap's coverage hooks out of them.

t.test('a worker killed in the middle of a batch: the retried job ends with exact counts', async (t) => {
  const { app, config } = await setupApp(t, { WORKER_LOCK_MS: '2000' });
  const graph = app.deps.graph;
  const base = await listen(app);
  const catalogue = await loadSample(graph);
  const learners = batchLearners(300);
  await upsertLearners(graph, learners);
  const rows = unitRows(catalogue, learners, 3_000);
  for (let i = 99; i < rows.length; i += 100) rows[i] = { ...rows[i], urn: 'Z/999/9999' };
  const ao = await tokenFor(app, 'ao-user');

  const sent = await upload(base, toCsv(rows), { token: ao });
  t.equal(sent.status, 202);
  const id = sent.body.id as string;

  const env = childEnv({
    NEO4J_URI: config.neo4jUri!,
    QUEUE_PREFIX: config.queuePrefix,
    WORKER_LOCK_MS: '2000',
    BATCH_CHUNK_ROWS: '50',
    LOG_LEVEL: 'silent',
    DATA_DIR: config.dataDir,
    SMTP_URL: '',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), 'worker'], {
    env,
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  // Kill it once some chunks are committed and before the last.
  const deadline = Date.now() + 60_000;
  let seen = await getBatch(graph, id);
  while (!(seen && seen.processed >= 200)) {
    if (Date.now() > deadline)
      throw new Error(`the child worker did not start the batch (status ${seen?.status}: ${seen?.failure})`);
    await new Promise((r) => setTimeout(r, 20));
    seen = await getBatch(graph, id);
  }
  child.kill('SIGKILL');
  t.equal(await exited, 'SIGKILL', 'the worker died by SIGKILL');
  const atDeath = (await getBatch(graph, id))!;
  t.equal(atDeath.status, 'loading', 'the batch was in the middle of loading');
  t.ok(
    atDeath.processed > 0 && atDeath.processed < 3_000,
    `killed part-way (${atDeath.processed} of 3000 rows committed)`,
  );
  t.equal(atDeath.processed % 50, 0, 'the checkpoint is at a chunk boundary');

  // A fresh worker takes the job over once the dead one's lock has expired.
  const worker = startWorker({
    config: testConfig({ QUEUE_PREFIX: config.queuePrefix, WORKER_LOCK_MS: '2000', BATCH_CHUNK_ROWS: '50' }),
    graph,
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => worker.close());
  const done = await waitForBatch(app, ao, id, 90_000);
  t.equal(done.status, 'completed', done.failure ?? '');
  t.same(done.counts, { accepted: 2_970, rejected: 30, unchanged: 0, late: 2_970 }, 'exact counts');
  t.equal(done.progress.processed, 3_000);
  const stored = (await getBatch(graph, id))!;
  t.equal(stored.attempts, 2, 'two runs: the killed one and the one that finished');

  const report = await app.inject({
    url: `/achievements/batches/${id}/report.csv`,
    headers: { authorization: `Bearer ${ao}` },
  });
  const lines = report.body.trim().split(/\r\n/).slice(1);
  t.equal(lines.length, 30, 'each rejected row reported once');
  t.same(
    lines.map((l) => Number(l.split(',')[0])),
    Array.from({ length: 30 }, (_, i) => (i + 1) * 100),
    'in file order, no repeats',
  );

  const records = await listRecords(graph, '10000001', null, 0, 5_000);
  t.equal(records.items.length, 2_970, 'every accepted row stored once');
  t.ok(
    records.items.every((r) => r.version === 1),
    'no record written twice (still version 1)',
  );
});

t.test('plr import follows the job and prints the summary', async (t) => {
  const { app, config } = await setupApp(t);
  const graph = app.deps.graph;
  const catalogue = await loadSample(graph);
  const learners = batchLearners(10);
  await upsertLearners(graph, learners);
  const worker = startWorker({ config, graph, logger: pino({ level: 'silent' }) });
  t.teardown(() => worker.close());

  const dir = mkdtempSync(path.join(os.tmpdir(), 'plr-import-'));
  const rows = unitRows(catalogue, learners, 20, 'C');
  rows[6] = { ...rows[6], credit: '50' };
  writeFileSync(path.join(dir, 'june.xml'), toXml(rows));
  writeFileSync(path.join(dir, 'bad.csv'), toCsv(rows).replace('record_id', 'id'));
  const env = childEnv({
    NEO4J_URI: config.neo4jUri!,
    QUEUE_PREFIX: config.queuePrefix,
    LOG_LEVEL: 'silent',
    DATA_DIR: config.dataDir,
  });

  const checked = await runPlr(['import', path.join(dir, 'june.xml'), '--ao', '10000001', '--validate-only'], env);
  t.equal(checked.status, 0, checked.stderr);
  t.match(checked.stdout, /has completed \(validate only: nothing was stored\)/);
  t.match(checked.stdout, /Accepted: 19 \(would be accepted\)/);
  t.match(checked.stdout, /Rejected: 1/);
  t.match(checked.stderr, /100\.0%/, 'progress on stderr');
  t.equal((await listRecords(graph, '10000001', null, 0, 100)).items.length, 0, 'validate only: nothing stored');

  const loaded = await runPlr(['import', path.join(dir, 'june.xml'), '--ao', '10000001', '--batch-id', 'june'], env);
  t.equal(loaded.status, 0, loaded.stderr);
  t.match(loaded.stdout, /Achievement batch 10000001-june has completed/);
  t.match(loaded.stdout, /Accepted: 19\n/);
  t.match(loaded.stdout, /not sent|Report of rejected rows/);
  t.equal((await listRecords(graph, '10000001', null, 0, 100)).items.length, 19);
  const batch = (await getBatch(graph, '10000001-june'))!;
  t.equal(batch.source, 'cli');
  t.match(
    batch.mail,
    /^not sent: the submitter is an API client or a token without a user/,
    'no user to mail, and the batch says so',
  );

  const refused = await runPlr(['import', path.join(dir, 'bad.csv'), '--ao', '10000001'], env);
  t.equal(refused.status, 1);
  t.match(
    refused.stderr,
    /refused \(BATCH_WRONG_HEADER\), nothing was stored: the CSV header is wrong: missing record_id/,
  );
  const usage = await runPlr(['import', path.join(dir, 'june.xml')], env);
  t.equal(usage.status, 2);
  t.match(usage.stderr, /usage: plr import FILE --ao UKPRN/);
});
