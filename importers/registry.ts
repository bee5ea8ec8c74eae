/**
 * The typed job registry: every job name (payloads.ts says what each carries) and its
 * handler. The worker checks at start-up that every name has exactly one handler.
 */
import { recordHeartbeat } from './jobs/heartbeat.js';
import { runAchievementBatch } from './jobs/achievement-batch.js';
import { runBatchWatchdog } from './jobs/batch-watchdog.js';
import { runMaintenanceNotice, runProbe } from './jobs/operations.js';
import type { JobName } from './payloads.js';
import type { JobHandlers } from './context.js';

export { QUEUE_NAME, type JobName, type JobPayloads } from './payloads.js';
export type { JobContext, JobHandler, JobHandlers } from './context.js';

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
