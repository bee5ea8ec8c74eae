/**
 * The typed job registry: every job name, the data it carries, and its handler. The
 * worker checks at start-up that every name has exactly one handler.
 */
import type { Graph } from '../src/platform/neo4j.js';
import type { Config } from '../src/config.js';
import type { Mailer } from '../src/platform/mail.js';
import { recordHeartbeat } from './jobs/heartbeat.js';
import { runAchievementBatch } from './jobs/achievement-batch.js';
import { runBatchWatchdog } from './jobs/batch-watchdog.js';
import type { JobQueue } from './queue.js';
import { runMaintenanceNotice, runProbe } from './jobs/operations.js';
import type { Redis } from 'ioredis';

/** The one queue for background work; job names separate the kinds of work. */
export const QUEUE_NAME = 'plr';

export interface JobPayloads {
  /** A worker records that it is alive in the graph (operations can see workers). */
  'operations.heartbeat': { worker?: string; at: string };
  /** Load (or validate only) one received achievement batch; all else is on its Batch node. */
  'achievements.batch': { batchId: string };
  /** Repeatable: find batches whose job is gone or failed and take them up again or fail them. */
  'achievements.batch-watchdog': Record<string, never>;
  /** Repeatable: the availability probe (src/operations/probe.ts). */
  'operations.probe': Record<string, never>;
  /** Email every AO user about a planned maintenance window. */
  'operations.maintenance-notice': { windowId: string };
}

export type JobName = keyof JobPayloads;

export interface JobContext {
  graph: Graph;
  config: Config;
  workerName: string;
  /** Report progress (0-100 or a structured value) for long work. */
  progress(value: number | object): Promise<void>;
  /** Email for jobs that tell people when work is done. */
  mailer: Mailer;
  /** The queue, for jobs that queue others (the batch watchdog). */
  jobs: JobQueue;
  /** Redis, for jobs that keep a little state between runs (the probe). */
  redis: Redis;
  /** Resolves when no maintenance window is in force (at once outside one): workers pause between chunks. */
  untilOpen(): Promise<void>;
  /** This is the queue's last try at the job: a handler may record the failure as final. */
  finalAttempt: boolean;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export const JOB_NAMES: readonly JobName[] = [
  'operations.heartbeat',
  'achievements.batch',
  'achievements.batch-watchdog',
  'operations.probe',
  'operations.maintenance-notice',
];

export const handlers: JobHandlers = {
  'operations.heartbeat': recordHeartbeat,
  'achievements.batch': runAchievementBatch,
  'achievements.batch-watchdog': runBatchWatchdog,
  'operations.probe': runProbe,
  'operations.maintenance-notice': runMaintenanceNotice,
};

/** Every declared name has a handler function and no handler is undeclared. */
export function checkRegistry(names: readonly string[], table: Record<string, unknown>): void {
  const problems: string[] = [];
  for (const name of names) {
    if (typeof table[name] !== 'function') problems.push(`job "${name}" has no handler`);
  }
  for (const name of Object.keys(table)) {
    if (!names.includes(name)) problems.push(`handler "${name}" is not a declared job`);
  }
  if (new Set(names).size !== names.length) problems.push('a job name is declared twice');
  if (problems.length > 0) throw new Error(`job registry is inconsistent: ${problems.join('; ')}`);
}
