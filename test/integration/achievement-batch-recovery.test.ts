import t from 'tap';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { Job } from 'bullmq';
import { PROJECT_ROOT } from '../../src/config.js';
import { setupApp, tokenFor } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { loadSample, upsertLearners } from '../helpers/fixtures.js';
import { batchLearners, listen, toCsv, unitRows, upload, waitForBatch } from '../helpers/batches.js';
import { startWorker } from '../../importers/worker.js';
import { getBatch } from '../../src/achievements/batches/repository.js';
import { listRecords } from '../../src/achievements/repository.js';
import { batchAlerts, watchBatches } from '../../src/achievements/batches/recovery.js';
import { runBatch } from '../../src/achievements/batches/run.js';
import { jobIdFor } from '../../src/achievements/batches/service.js';
import { Graph, type GraphTx } from '../../src/platform/neo4j.js';
import { childEnv } from '../helpers/child-env.js';
import type { JobHandlers } from '../../importers/registry.js';

t.test(
  'a worker killed twice in the middle of a batch: the job is taken up again and ends with exact counts',
  async (t) => {
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
    const children: ReturnType<typeof spawn>[] = [];
    t.teardown(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });

    // Two workers in turn, each killed once more chunks are committed (and before the last).
    // BullMQ's default failed a job on its second stall, and the batch stayed loading for good.
    let killedAt = 0;
    for (const [n, after] of [
      [1, 200],
      [2, 1_000],
    ] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), 'worker'], {
        env,
        stdio: 'ignore',
      });
      children.push(child);
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      const deadline = Date.now() + 60_000;
      let seen = await getBatch(graph, id);
      while (!(seen && seen.processed >= after)) {
        if (Date.now() > deadline)
          throw new Error(`child worker ${n} did not go on with the batch (status ${seen?.status}: ${seen?.failure})`);
        await new Promise((r) => setTimeout(r, 20));
        seen = await getBatch(graph, id);
      }
      child.kill('SIGKILL');
      t.equal(await exited, 'SIGKILL', `worker ${n} died by SIGKILL`);
      const atDeath = (await getBatch(graph, id))!;
      t.equal(atDeath.status, 'loading', 'the batch was in the middle of loading');
      t.ok(
        atDeath.processed > killedAt && atDeath.processed < 3_000,
        `killed part-way (${atDeath.processed} of 3000 rows committed)`,
      );
      t.equal(atDeath.processed % 50, 0, 'the checkpoint is at a chunk boundary');
      killedAt = atDeath.processed;
    }

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
    t.equal(done.recovery.runs, 3, 'three runs: the two killed and the one that finished');
    t.equal(done.recovery.stuck, false);

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
  },
);

/**
 * A Graph whose first chunk transaction commits and then loses its answer, as when Neo4j
 * goes away between its commit and the reply: the driver (or the run) tries again.
 */
class AnswerLostOnce extends Graph {
  lost = 0;
  override async writeTx<T>(work: (tx: GraphTx) => Promise<T>): Promise<T> {
    const result = await super.writeTx(work);
    if (this.lost === 0) {
      this.lost++;
      throw Object.assign(new Error('connection lost after the commit'), { code: 'ServiceUnavailable' });
    }
    return result;
  }
}

t.test('a chunk whose commit went through but whose answer was lost is not taken for another run', async (t) => {
  const { app, config } = await setupApp(t);
  const graph = app.deps.graph;
  const base = await listen(app);
  const catalogue = await loadSample(graph);
  const learners = batchLearners(20);
  await upsertLearners(graph, learners);
  const sent = await upload(base, toCsv(unitRows(catalogue, learners, 120)), { token: await tokenFor(app, 'ao-user') });
  const id = sent.body.id as string;
  const losing = new AnswerLostOnce(graph.driver, graph.database, graph.registry, graph.sealer);
  const result = await runBatch(id, {
    graph: losing,
    config: { ...config, batchChunkRows: 50 },
    mailer: { send: async () => ({ sent: false }), close: () => undefined },
    progress: async () => undefined,
    finalAttempt: false,
  });
  t.equal(losing.lost, 1, 'the first chunk lost its answer');
  // Before: the retried transaction found its own checkpoint one chunk on and stopped as "superseded".
  t.equal(result.outcome, 'completed');
  const b = (await getBatch(graph, id))!;
  t.same([b.status, b.processed, b.accepted], ['completed', 120, 120], 'every row once, exact counts');
  const records = await listRecords(graph, '10000001', null, 0, 500);
  t.equal(records.items.length, 120);
});

/** Handlers whose batch job always fails, to leave a batch whose job failed for good. */
const failing = (): JobHandlers => ({
  'operations.heartbeat': async () => undefined,
  'achievements.batch': async () => {
    throw new Error('a fault of the service');
  },
  'achievements.batch-watchdog': async () => undefined,
  'operations.probe': async () => undefined,
  'operations.maintenance-notice': async () => undefined,
});

t.test(
  'the watchdog takes up a batch whose job is gone or failed, then fails it visibly; the operator resumes it',
  async (t) => {
    const { app, config } = await setupApp(t, { BATCH_WATCHDOG_RESUMES: '2' });
    const graph = app.deps.graph;
    const base = await listen(app);
    const catalogue = await loadSample(graph);
    const learners = batchLearners(10);
    await upsertLearners(graph, learners);
    const ao = await tokenFor(app, 'ao-user');
    const operator = await tokenFor(app, 'operator');
    const sent = await upload(base, toCsv(unitRows(catalogue, learners, 30)), { token: ao });
    const id = sent.body.id as string;
    const deps = { graph, config, jobs: app.deps.jobs };
    const later = (s: number) => new Date(Date.now() + s * 1000);

    // Its job is lost (Redis lost it): the watchdog queues it again.
    await (await Job.fromId(app.deps.jobs.queue, jobIdFor(id)))!.remove();
    t.same((await watchBatches(deps, new Date())).resumed, [], 'not while it may be being queued');
    t.same((await watchBatches(deps, later(60))).resumed, [id], 'queued again');
    t.ok(await Job.fromId(app.deps.jobs.queue, jobIdFor(id)), 'the job is back');
    t.match((await getBatch(graph, id))!.recovery, /no longer in the queue/);

    // Its job fails for good (one attempt here): taken up once more, then failed with a reason.
    const failAll = async () => {
      const job = (await Job.fromId(app.deps.jobs.queue, jobIdFor(id)))!;
      await job.remove();
      await app.deps.jobs.enqueue('achievements.batch', { batchId: id }, { jobId: jobIdFor(id), attempts: 1 });
      const w = startWorker({ config, graph, logger: pino({ level: 'silent' }), handlers: failing() });
      await new Promise<void>((resolve) => w.on('failed', () => resolve()));
      await w.close();
    };
    await failAll();
    t.same((await watchBatches(deps, later(60))).resumed, [id], 'a failed job is taken up again');
    await failAll();
    const round = await watchBatches(deps, later(120));
    t.same(round.failed, [id], 'and then the batch fails');
    const failed = (await getBatch(graph, id))!;
    t.equal(failed.status, 'failed');
    t.match(
      failed.failure,
      /failed again after the watchdog had taken it up 2 times .*not your file.*service desk can resume it/,
    );

    const view = await app.inject({
      url: '/achievements/batches?state=failed',
      headers: { authorization: `Bearer ${operator}` },
    });
    t.same(
      view.json().batches.map((b: { id: string }) => b.id),
      [id],
      'the operator lists the failed batch',
    );
    t.same((await batchAlerts(graph, config)).failed, 1, 'counted for alerts');

    // The operator resumes it; a worker that works finishes it.
    const resumed = await app.inject({
      method: 'POST',
      url: `/achievements/batches/${id}/resume`,
      headers: { authorization: `Bearer ${operator}` },
    });
    t.equal(resumed.statusCode, 202, resumed.body);
    t.equal(resumed.json().status, 'received');
    t.match(resumed.json().recovery, { resumes: 3, note: 'resumed by the operator', stuck: false });
    const worker = startWorker({ config, graph, logger: pino({ level: 'silent' }) });
    t.teardown(() => worker.close());
    const done = await waitForBatch(app, ao, id, 60_000);
    t.equal(done.status, 'completed', done.failure ?? '');
    t.equal(done.counts.accepted, 30);
    const again = await app.inject({
      method: 'POST',
      url: `/achievements/batches/${id}/resume`,
      headers: { authorization: `Bearer ${operator}` },
    });
    t.equal(again.statusCode, 409);
    t.equal(again.json().code, 'BATCH_COMPLETED');
  },
);
