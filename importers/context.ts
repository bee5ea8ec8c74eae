/**
 * What a job handler is given and what it is: the handlers (importers/jobs/) and the
 * registry both import this, so the registry can import the handlers without a cycle.
 */
import type { Redis } from 'ioredis';
import type { Graph } from '../src/platform/neo4j.js';
import type { Config } from '../src/config.js';
import type { Mailer } from '../src/platform/mail.js';
import type { JobQueue } from './queue.js';
import type { JobName, JobPayloads } from './payloads.js';

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
