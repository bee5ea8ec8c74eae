import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { PROJECT_ROOT } from '../../src/config.js';
import { setupApp } from '../helpers/app.js';
import { loadSample, upsertLearners } from '../helpers/fixtures.js';
import { batchLearners, toCsv, toXml, unitRows } from '../helpers/batches.js';
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
  t.equal(checked.status, 3, 'completed with a rejected row: exit 3');
  t.match(checked.stdout, /has completed \(validate only: nothing was stored\)/);
  t.match(checked.stdout, /Accepted: 19 \(would be accepted\)/);
  t.match(checked.stdout, /Rejected: 1/);
  t.match(checked.stderr, /100\.0%/, 'progress on stderr');
  t.equal((await listRecords(graph, '10000001', null, 0, 100)).items.length, 0, 'validate only: nothing stored');

  const loaded = await runPlr(['import', path.join(dir, 'june.xml'), '--ao', '10000001', '--batch-id', 'june'], env);
  t.equal(loaded.status, 3, loaded.stderr);
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
  t.match(usage.stderr, /usage: plr import FILE \(--ao UKPRN \| --url URL --token TOKEN\)/);
});
