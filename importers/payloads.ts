/**
 * What can be queued: every job name and the data it carries. A file of its own so that
 * the queue (producer), the handlers and the registry all depend on it and not on each other.
 */

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
