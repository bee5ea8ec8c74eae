import { UnrecoverableError } from 'bullmq';
import type { JobContext } from '../context.js';
import type { JobPayloads } from '../payloads.js';
import { runBatch } from '../../src/achievements/batches/run.js';

/** The `achievements.batch` job: one run of a received batch (src/achievements/batches/run.ts). */
export async function runAchievementBatch(data: JobPayloads['achievements.batch'], ctx: JobContext) {
  const result = await runBatch(data.batchId, {
    graph: ctx.graph,
    config: ctx.config,
    mailer: ctx.mailer,
    finalAttempt: ctx.finalAttempt,
    progress: (value) => ctx.progress(value),
    betweenChunks: () => ctx.untilOpen(),
    log: ctx.log,
  });
  if (result.outcome === 'missing') throw new UnrecoverableError(`batch ${data.batchId} is not in the graph`);
  if (result.outcome === 'superseded') return { batchId: data.batchId, outcome: 'superseded' };
  const b = result.batch;
  return {
    batchId: b.id,
    outcome: b.status,
    accepted: b.accepted,
    rejected: b.rejected,
    unchanged: b.unchanged,
    late: b.late,
  };
}
