import t from 'tap';
import pino from 'pino';
import { QueueEvents } from 'bullmq';
import { setupApp } from '../helpers/app.js';
import { startWorker } from '../../importers/worker.js';
import { handlers, QUEUE_NAME, type JobHandlers } from '../../importers/registry.js';
import { createRedis } from '../../src/platform/redis.js';

const silent = pino({ level: 'silent' });

t.test('a heartbeat job runs in a real worker through Redis and its write is read back from Neo4j', async (t) => {
  const { app, config } = await setupApp(t);
  const worker = startWorker({ config, graph: app.deps.graph, logger: silent, name: 'test-worker' });
  const eventsConnection = createRedis(config);
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection, prefix: config.queuePrefix });
  t.teardown(async () => {
    await worker.close();
    await events.close();
    await eventsConnection.quit();
  });
  await worker.waitUntilReady();
  await events.waitUntilReady();

  const operator = await app.deps.tokens.issue({ subject: 'op', roles: ['operator'] });
  const res = await app.inject({
    method: 'POST',
    url: '/operations/workers/heartbeat',
    headers: { authorization: `Bearer ${operator}` },
  });
  t.equal(res.statusCode, 202);
  const { jobId } = res.json();
  const job = await app.deps.jobs.queue.getJob(jobId);
  t.ok(job, 'the job is in the queue');
  const result = await job!.waitUntilFinished(events, 30_000);
  t.equal(result.name, 'test-worker');

  const list = await app.inject({ url: '/operations/workers', headers: { authorization: `Bearer ${operator}` } });
  t.equal(list.statusCode, 200);
  const workers = list.json().workers;
  t.equal(workers.length, 1);
  t.equal(workers[0].name, 'test-worker');
  t.equal(workers[0].beats, 1);
  t.equal(workers[0].pid, process.pid);
});

t.test('a job name nobody handles fails without retries', async (t) => {
  const { app, config } = await setupApp(t);
  const worker = startWorker({ config, graph: app.deps.graph, logger: silent });
  const eventsConnection = createRedis(config);
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection, prefix: config.queuePrefix });
  t.teardown(async () => {
    await worker.close();
    await events.close();
    await eventsConnection.quit();
  });
  await events.waitUntilReady();
  const job = await app.deps.jobs.queue.add('no.such.job', {}, { attempts: 3 });
  await t.rejects(job.waitUntilFinished(events, 30_000), /no handler for job "no.such.job"/);
  const failed = await app.deps.jobs.queue.getJob(job.id!);
  t.equal(failed!.attemptsMade, 1, 'not retried');
});

t.test('closing the worker waits for the job in progress', async (t) => {
  const { app, config } = await setupApp(t);
  let finished = false;
  const slow: JobHandlers = {
    ...handlers,
    'operations.heartbeat': async (data, ctx) => {
      await ctx.progress(50);
      await new Promise((r) => setTimeout(r, 700));
      const row = await handlers['operations.heartbeat'](data, ctx);
      finished = true;
      return row;
    },
  };
  const worker = startWorker({ config, graph: app.deps.graph, logger: silent, handlers: slow, name: 'slow' });
  let active!: () => void;
  const started = new Promise<void>((resolve) => {
    active = resolve;
  });
  worker.on('active', () => active());
  await app.deps.jobs.enqueue('operations.heartbeat', { at: new Date().toISOString() }, { jobId: 'graceful-1' });
  await started;
  await worker.close();
  t.ok(finished, 'the job finished before close returned');
  const rows = await app.deps.graph.read('operations/list-workers', { limit: 5 });
  t.equal(rows[0].name, 'slow');
});

t.test('the same job id is taken once (idempotent enqueue)', async (t) => {
  const { app } = await setupApp(t);
  const a = await app.deps.jobs.enqueue('operations.heartbeat', { at: '2026-01-01T00:00:00Z' }, { jobId: 'same' });
  const b = await app.deps.jobs.enqueue('operations.heartbeat', { at: '2026-01-01T00:00:00Z' }, { jobId: 'same' });
  t.equal(a.id, b.id);
  t.equal(await app.deps.jobs.queue.count(), 1);
});
