/**
 * Batches always end (issue 15 part 1): the watchdog that takes up a batch whose job is
 * gone or has failed (or fails it, visibly, when taking it up again does not help), the
 * operator's resume, and the counts of stuck and failed batches for alerts.
 *
 * A run that dies leaves its checkpoint in the graph; any later run goes on from there
 * (src/achievements/batches/run.ts). So the only way a batch could stay unfinished is for
 * nobody to run it again: its job lost with Redis, failed for good, or ended without
 * finishing it. The watchdog looks for exactly that.
 */
import { Job } from 'bullmq';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../../importers/queue.js';
import {
  batchAlertCounts,
  finishBatch,
  getBatch,
  reopenBatch,
  unfinishedBatches,
  type Batch,
  type BatchAlerts,
  type UnfinishedBatch,
} from './repository.js';
import { jobIdFor } from './service.js';

/** Where a batch's job stands in the queue; `gone` when the queue does not have it. */
export type JobStanding = 'active' | 'waiting' | 'delayed' | 'failed' | 'completed' | 'gone';

export type WatchAction = { kind: 'none' } | { kind: 'resume'; note: string } | { kind: 'fail'; reason: string };

/**
 * What the watchdog does about one unfinished batch, given its job. Pure.
 * A job still queued or running needs nothing; a job gone or ended without finishing the
 * batch is queued again; a job that failed for good is queued again up to `maxResumes`
 * times, then the batch fails with a reason. A batch whose last sign of life is younger
 * than `graceMs` is left alone (its job may be being queued right now).
 */
export function watchDecision(
  batch: Pick<UnfinishedBatch, 'autoResumes' | 'progressAt'>,
  job: JobStanding,
  now: Date,
  opts: { maxResumes: number; graceMs: number },
): WatchAction {
  if (job === 'active' || job === 'waiting' || job === 'delayed') return { kind: 'none' };
  const quiet = now.getTime() - Date.parse(batch.progressAt);
  if (job !== 'failed' && !(quiet >= opts.graceMs)) return { kind: 'none' };
  if (job === 'failed') {
    if (batch.autoResumes >= opts.maxResumes) {
      return {
        kind: 'fail',
        reason: `the batch's job failed again after the watchdog had taken it up ${batch.autoResumes} times (a service fault, not your file), so it stopped trying; the service desk can resume it, or send it again`,
      };
    }
    return { kind: 'resume', note: 'its job had failed: taken up again by the watchdog' };
  }
  if (job === 'gone')
    return { kind: 'resume', note: 'its job was no longer in the queue: queued again by the watchdog' };
  return { kind: 'resume', note: 'its job ended without finishing it: queued again by the watchdog' };
}

async function standingOf(jobs: JobQueue, batchId: string): Promise<{ standing: JobStanding; job?: Job }> {
  const job = await Job.fromId(jobs.queue, jobIdFor(batchId));
  if (!job) return { standing: 'gone' };
  const state = await job.getState();
  if (state === 'active' || state === 'failed' || state === 'completed' || state === 'delayed')
    return { standing: state, job };
  if (state === 'unknown') return { standing: 'gone' };
  return { standing: 'waiting', job };
}

/** Queue a batch's job afresh (the old one removed, so the job id is free). */
async function requeue(jobs: JobQueue, batchId: string, old?: Job): Promise<void> {
  if (old) await old.remove();
  await jobs.enqueue('achievements.batch', { batchId }, { jobId: jobIdFor(batchId) });
}

export interface WatchReport {
  looked: number;
  resumed: string[];
  failed: string[];
}

export interface RecoveryDeps {
  graph: Graph;
  config: Config;
  jobs: JobQueue;
  log?: { warn(obj: object, msg: string): void };
}

/** One round of the watchdog (the repeatable `achievements.batch-watchdog` job). */
export async function watchBatches(deps: RecoveryDeps, now = new Date()): Promise<WatchReport> {
  const { graph, config, jobs } = deps;
  const report: WatchReport = { looked: 0, resumed: [], failed: [] };
  for (const b of await unfinishedBatches(graph)) {
    report.looked++;
    const { standing, job } = await standingOf(jobs, b.id);
    const action = watchDecision(b, standing, now, {
      maxResumes: config.batchWatchdogResumes,
      graceMs: config.batchWatchdogMs,
    });
    if (action.kind === 'none') continue;
    if (action.kind === 'fail') {
      if (await finishBatch(graph, b.id, 'failed', now, action.reason, null)) report.failed.push(b.id);
      deps.log?.warn({ batchId: b.id, job: standing, failedReason: job?.failedReason }, 'batch watchdog: batch failed');
      continue;
    }
    if (!(await reopenBatch(graph, b.id, 'watchdog', action.note, now))) continue;
    await requeue(jobs, b.id, job);
    report.resumed.push(b.id);
    deps.log?.warn(
      { batchId: b.id, job: standing, failedReason: job?.failedReason },
      'batch watchdog: batch taken up again',
    );
  }
  return report;
}

/**
 * The operator takes a batch up again: a failed one goes on from its checkpoint (for a
 * service fault; a fault of the file fails again, saying so), an unfinished one whose job
 * is not running is queued afresh. A completed batch, or one a worker is running, is a 409.
 */
export async function resumeBatch(deps: RecoveryDeps, id: string, now = new Date()): Promise<Batch> {
  const { graph, jobs } = deps;
  const batch = await getBatch(graph, id);
  if (!batch) throw new AppError(404, 'BATCH_NOT_FOUND', `there is no batch "${id}"`);
  if (batch.status === 'completed')
    throw new AppError(409, 'BATCH_COMPLETED', `batch ${id} has completed: there is nothing to resume`);
  const { standing, job } = await standingOf(jobs, id);
  if (standing === 'active')
    throw new AppError(
      409,
      'BATCH_RUNNING',
      `batch ${id} is being run by a worker now (last progress ${batch.progressAt ?? batch.receivedAt}); a worker that died loses it within WORKER_LOCK_MS`,
    );
  await reopenBatch(graph, id, 'operator', 'resumed by the operator', now);
  if (standing !== 'waiting' && standing !== 'delayed') await requeue(jobs, id, job);
  return (await getBatch(graph, id))!;
}

/**
 * For alerts (ops' /metrics): batches not finished, those stuck (no progress for
 * BATCH_STUCK_SECONDS) and those failed in the last 24 hours.
 */
export async function batchAlerts(graph: Graph, config: Config, now = new Date()): Promise<BatchAlerts> {
  return batchAlertCounts(
    graph,
    new Date(now.getTime() - config.batchStuckSeconds * 1000),
    new Date(now.getTime() - 24 * 3600 * 1000),
  );
}

/** Whether a batch counts as stuck: not finished, and no progress for BATCH_STUCK_SECONDS. Pure. */
export function isStuck(
  b: Pick<Batch, 'status' | 'progressAt' | 'receivedAt'>,
  stuckSeconds: number,
  now: Date,
): boolean {
  if (b.status === 'completed' || b.status === 'failed') return false;
  const last = Date.parse(b.progressAt ?? b.receivedAt);
  return now.getTime() - last > stuckSeconds * 1000;
}
