/**
 * The worker: takes jobs from the queue and runs their registered handler.
 */
import os from 'node:os';
import { Queue, Worker, UnrecoverableError, type Job } from 'bullmq';
import { MaintenanceGate } from '../src/operations/maintenance-gate.js';
import type { Logger } from 'pino';
import type { Config } from '../src/config.js';
import type { Graph } from '../src/platform/neo4j.js';
import { createRedis } from '../src/platform/redis.js';
import { createMailer } from '../src/platform/mail.js';
import { JobQueue } from './queue.js';
import {
  checkRegistry,
  handlers as defaultHandlers,
  JOB_NAMES,
  QUEUE_NAME,
  type JobContext,
  type JobHandlers,
  type JobName,
} from './registry.js';

export interface WorkerOptions {
  config: Config;
  graph: Graph;
  logger: Logger;
  handlers?: JobHandlers;
  name?: string;
  /** The process's maintenance gate, shared with the API in the same process. */
  gate?: MaintenanceGate;
}

/** The one schedule of the batch watchdog, whichever worker upserts it. */
export const WATCHDOG_SCHEDULER = 'achievements.batch-watchdog';
/** Jobs that run during maintenance too: the probe only writes what the window does not cover. */
const RUN_DURING_MAINTENANCE: readonly JobName[] = ['operations.probe'];

export function startWorker(opts: WorkerOptions): Worker {
  const table = opts.handlers ?? defaultHandlers;
  checkRegistry(JOB_NAMES, table);
  const workerName = opts.name ?? `${os.hostname()}:${process.pid}`;
  const connection = createRedis(opts.config, 'queue');
  const mailer = createMailer(opts.config, opts.logger);
  const jobs = new JobQueue(connection, opts.config.queuePrefix);
  const gate = opts.gate ?? new MaintenanceGate(opts.graph, opts.config.maintenanceRefreshMs);
  if (!opts.gate) void gate.start();
  const untilOpen = () =>
    gate.untilOpen((w) =>
      opts.logger.info({ window: w.id, until: w.end }, 'maintenance: worker paused until the window ends'),
    );

  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      if (!JOB_NAMES.includes(job.name as JobName)) {
        throw new UnrecoverableError(`no handler for job "${job.name}"`);
      }
      // The name was checked above, so the data is that job's payload.
      const handler = table[job.name as JobName] as (data: unknown, ctx: JobContext) => Promise<unknown>;
      if (!RUN_DURING_MAINTENANCE.includes(job.name as JobName)) await untilOpen();
      return handler(job.data as unknown, {
        graph: opts.graph,
        config: opts.config,
        workerName,
        progress: (value) => job.updateProgress(value),
        mailer,
        jobs,
        redis: connection,
        untilOpen,
        finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        log: opts.logger,
      });
    },
    {
      connection,
      prefix: opts.config.queuePrefix,
      concurrency: opts.config.workerConcurrency,
      autorun: true,
      // A worker that dies loses its lock after this; the job is then taken up again.
      lockDuration: opts.config.workerLockMs,
      stalledInterval: opts.config.workerLockMs,
      // A job whose worker died is taken up again however often that happens: BullMQ's
      // default (1) failed a batch's job on its second stall, without the batch ever
      // hearing of it, so the batch stayed loading for good. A batch that kills every
      // worker at the same place is stopped by its own count of runs without progress.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    },
  );
  // Every worker makes sure the watchdog is scheduled (the same scheduler id: one schedule).
  void jobs.queue
    .upsertJobScheduler(
      WATCHDOG_SCHEDULER,
      { every: opts.config.batchWatchdogMs },
      { name: 'achievements.batch-watchdog', data: {}, opts: { removeOnComplete: true, removeOnFail: 20 } },
    )
    .catch((err: Error) => opts.logger.warn({ err: err.message }, 'batch watchdog not scheduled'));
  worker.on('failed', (job, err) => {
    opts.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: err.message }, 'job failed');
  });
  worker.on('error', (err) => opts.logger.error({ err: err.message }, 'worker error'));
  // The availability probe repeats on its own; every worker upserts the same schedule.
  if (opts.config.probeIntervalSeconds > 0) {
    const scheduler = new Queue(QUEUE_NAME, { connection, prefix: opts.config.queuePrefix });
    void scheduler
      .upsertJobScheduler(
        'operations.probe',
        { every: opts.config.probeIntervalSeconds * 1000 },
        { name: 'operations.probe', data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((err: Error) => opts.logger.warn({ err: err.message }, 'availability probe not scheduled'))
      .finally(() => void scheduler.close());
  }
  worker.on('closed', () => {
    if (!opts.gate) gate.stop();
    mailer.close();
    void jobs.close().catch(() => undefined);
    void connection.quit().catch(() => undefined);
  });
  return worker;
}
