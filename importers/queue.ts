/**
 * The producer side: a typed enqueue over one BullMQ queue.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAME, type JobName, type JobPayloads } from './payloads.js';

export class JobQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: 24 * 3600, count: 1_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  /** Add a job; a jobId makes the add idempotent (a second add with the same id is ignored). */
  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: JobsOptions = {}) {
    return this.queue.add(name, data, opts);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
