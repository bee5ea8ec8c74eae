import type { JobContext } from '../context.js';
import type { JobPayloads } from '../payloads.js';
import { watchBatches } from '../../src/achievements/batches/recovery.js';

/** `achievements.batch-watchdog`: one round over the unfinished batches (src/achievements/batches/recovery.ts). */
export async function runBatchWatchdog(_data: JobPayloads['achievements.batch-watchdog'], ctx: JobContext) {
  return watchBatches({ graph: ctx.graph, config: ctx.config, jobs: ctx.jobs, log: ctx.log });
}
