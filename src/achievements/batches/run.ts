/**
 * One run of an achievement batch (the `achievements.batch` job): read the stored file as
 * a stream in two passes (unit credits, then qualification awards), plan each chunk and
 * write it in one transaction together with the batch's checkpoint, then finish and tell
 * the submitter. A run that starts after a dead one skips the chunks already committed,
 * so the counts come out exact and nothing is written twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import type { Mailer } from '../../platform/mail.js';
import { retrying } from '../../platform/retry.js';
import { newBatchState, planChunk, writeChunk, type ChunkPlan } from '../records.js';
import type { Submitter } from '../rows.js';
import {
  addChunk,
  chunksDone,
  chunksOfPass,
  durationOf,
  inFileOrder,
  PASSES,
  percentDone,
  summaryText,
  type Chunk,
  type Pass,
} from './chunks.js';
import { BatchFileError, readItems } from './file.js';
import {
  finishBatch,
  getBatch,
  lockCheckpoint,
  noteMail,
  saveCheckpoint,
  setLoading,
  startRun,
  submitterEmail,
  type Batch,
} from './repository.js';

export interface BatchProgress {
  batchId: string;
  status: 'validating' | 'loading';
  pass: Pass;
  processed: number;
  total: number;
  percent: number;
}

export interface RunDeps {
  graph: Graph;
  config: Config;
  mailer: Mailer;
  progress(value: BatchProgress): Promise<void>;
  /** The last try the queue will make: a failure now ends the batch as failed. */
  finalAttempt: boolean;
  now?: () => Date;
  /** Waits while a maintenance window is in force: called before each chunk, so a worker finishes its chunk and pauses. */
  betweenChunks?: () => Promise<void>;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export type RunResult =
  { outcome: 'missing' } | { outcome: 'superseded' } | { outcome: 'completed' | 'failed'; batch: Batch };

/** Another run of the same batch has claimed it since this one started: this run stops. */
class Superseded extends Error {}

export function batchPath(config: Config, batch: { file: string }): string {
  return path.join(config.dataDir, batch.file);
}

export function batchUrls(config: Config, id: string): { statusUrl: string; reportUrl: string } {
  const base = `${config.publicUrl}/achievements/batches/${encodeURIComponent(id)}`;
  return { statusUrl: base, reportUrl: `${base}/report.csv` };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Where a chunk's transaction stands against the checkpoint it locked. Pure.
 *  - `write`: the checkpoint is just before this chunk and the run owns the batch;
 *  - `committed`: this run already committed this very chunk (the commit went through but
 *    its answer was lost, say when Neo4j went away, and the driver ran the transaction
 *    again): nothing to write, carry on from the checkpoint;
 *  - `superseded`: another run owns the batch, or it has finished.
 */
export function chunkStanding(
  cp: { status: string; runId: string | null; pass: string; chunk: number },
  runId: string,
  pass: Pass,
  index: number,
): 'write' | 'committed' | 'superseded' {
  if ((cp.status !== 'validating' && cp.status !== 'loading') || cp.runId !== runId) return 'superseded';
  const passNo = PASSES.indexOf(pass);
  const cpNo = cp.pass === 'done' ? PASSES.length : PASSES.indexOf(cp.pass as Pass);
  if (cp.pass === pass && cp.chunk === index) return 'write';
  if (index === 0 && cpNo === passNo - 1) return 'write';
  if (cp.pass === pass && cp.chunk === index + 1) return 'committed';
  // The checkpoint is elsewhere although this run owns the batch: only a bug gets here.
  throw new Error(`batch checkpoint at ${cp.pass} chunk ${cp.chunk} does not fit ${pass} chunk ${index}`);
}

export async function runBatch(batchId: string, deps: RunDeps): Promise<RunResult> {
  const now = deps.now ?? (() => new Date());
  const { graph, config } = deps;
  const runId = randomUUID();
  // Neo4j or Redis restarting costs time, not the batch: each step is tried again for a while.
  const retry = <T>(what: string, work: () => Promise<T>) =>
    retrying(work, { forMs: config.batchRetrySeconds * 1000, what: `batch ${batchId}: ${what}`, log: deps.log });
  const batch = await retry('read', () => getBatch(graph, batchId));
  if (!batch) return { outcome: 'missing' };
  if (batch.status === 'completed' || batch.status === 'failed') return finished(batchId, deps, retry);

  try {
    const start = await retry('start', () => startRun(graph, batchId, runId, now()));
    if (!start) return await finished(batchId, deps, retry);
    // Read after the claim: from here no other run can move the checkpoint.
    const claimed = (await retry('read', () => getBatch(graph, batchId)))!;
    if (start.runsWithoutProgress > config.batchRunsWithoutProgress) {
      return await fail(
        batch,
        runId,
        `the batch was started ${start.runsWithoutProgress} times from the same place (after ${batch.processed} of ${batch.rows} rows) and made no progress: a worker may be dying on it. The service desk can resume it`,
        deps,
        retry,
      );
    }
    const file = batchPath(config, batch);
    // The file must be the one received: a changed file would make the checkpoint lie.
    let digest: string;
    try {
      digest = await sha256Of(file);
    } catch {
      return await fail(batch, runId, 'the stored batch file is missing; send the file again', deps, retry);
    }
    if (digest !== batch.sha256)
      return await fail(
        batch,
        runId,
        'the stored batch file has changed since it was received; send the file again',
        deps,
        retry,
      );

    const submitter: Submitter = { aoUkprn: batch.aoUkprn, nation: batch.nation, subject: batch.subject };
    const options = { validateOnly: batch.validateOnly, submittedAt: new Date(batch.receivedAt), batchId };
    const state = newBatchState();
    const status = batch.validateOnly ? 'validating' : 'loading';
    if (status === 'loading' && !(await retry('loading', () => setLoading(graph, batchId, runId, now()))))
      throw new Superseded();
    const total = batch.rows;
    const limits = { maxFieldChars: config.batchMaxFieldChars, maxRowChars: config.batchMaxRowChars };

    for (const pass of PASSES) {
      const skip = chunksDone(claimed, pass);
      if (skip === Number.POSITIVE_INFINITY) continue;
      for await (const chunk of chunksOfPass(readItems(file, batch.kind, limits), pass, config.batchChunkRows)) {
        if (chunk.index < skip) continue;
        await deps.betweenChunks?.();
        const processed = await retry(`${pass} chunk ${chunk.index}`, () =>
          commitChunk(graph, runId, batchId, chunk, pass, () =>
            chunk.records.length > 0 ? planChunk(graph, submitter, chunk.records, options, state) : null,
          ),
        );
        // Progress is for people watching; a Redis away must not hold the batch up.
        void deps
          .progress({ batchId, status, pass, processed, total, percent: percentDone(processed, total) })
          .catch(() => undefined);
      }
    }
    if (!(await retry('finish', () => finishBatch(graph, batchId, 'completed', now(), null, runId))))
      throw new Superseded();
    return await finished(batchId, deps, retry);
  } catch (err) {
    if (err instanceof Superseded) return { outcome: 'superseded' };
    if (err instanceof BatchFileError) return await fail(batch, runId, err.message, deps, retry);
    if (deps.finalAttempt) {
      deps.log?.warn({ batchId, err: (err as Error).message }, 'batch failed on its last attempt');
      return await fail(
        batch,
        runId,
        'the batch could not be completed after several attempts (a service fault, not your file); send it again or contact the service desk',
        deps,
        retry,
      );
    }
    throw err;
  }
}

type Retry = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * One chunk: plan it (reads only), then write it in one transaction with the checkpoint.
 * Returns the rows processed so far. Planned afresh on every try, since a try that failed
 * may have left the graph as it was or (its answer lost) committed.
 */
async function commitChunk(
  graph: Graph,
  runId: string,
  batchId: string,
  chunk: Chunk,
  pass: Pass,
  planOf: () => Promise<ChunkPlan> | null,
): Promise<number> {
  const plan = await planOf();
  return graph.writeTx(async (tx) => {
    const cp = await lockCheckpoint(tx, batchId);
    const standing = chunkStanding(cp, runId, pass, chunk.index);
    if (standing === 'superseded') throw new Superseded();
    if (standing === 'committed') return cp.processed;
    const outcome = plan ? await writeChunk(tx, plan) : { accepted: 0, late: 0, unchanged: 0, rejected: [] };
    const problems = inFileOrder([...chunk.unreadable, ...outcome.rejected]);
    const counts = addChunk(cp, { ...outcome, rejected: problems }, chunk.size);
    const rejections = problems.map((p, i) => ({
      n: cp.problems + i + 1,
      row: p.row,
      recordId: p.recordId ?? chunk.records.find((r) => r.row === p.row)?.record.record_id?.trim() ?? null,
      field: p.field ?? null,
      code: p.code,
      message: p.message,
    }));
    await saveCheckpoint(tx, batchId, { pass, chunk: chunk.index + 1, ...counts }, rejections);
    return counts.processed;
  });
}

async function fail(batch: Batch, runId: string, reason: string, deps: RunDeps, retry: Retry): Promise<RunResult> {
  const now = (deps.now ?? (() => new Date()))();
  if (!(await retry('fail', () => finishBatch(deps.graph, batch.id, 'failed', now, reason, runId)))) {
    const current = await retry('read', () => getBatch(deps.graph, batch.id));
    if (current && current.status !== 'completed' && current.status !== 'failed') return { outcome: 'superseded' };
  }
  return finished(batch.id, deps, retry);
}

async function finished(batchId: string, deps: RunDeps, retry: Retry): Promise<RunResult> {
  const batch = (await retry('read', () => getBatch(deps.graph, batchId)))!;
  deps.log?.info(
    {
      batchId,
      status: batch.status,
      accepted: batch.accepted,
      rejected: batch.rejected,
      unchanged: batch.unchanged,
      late: batch.late,
    },
    'batch finished',
  );
  await retry('email', () => notify(batch, deps));
  return {
    outcome: batch.status as 'completed' | 'failed',
    batch: (await retry('read', () => getBatch(deps.graph, batchId)))!,
  };
}

/** The completion email, once per batch; where there is nobody to mail, the batch says so. */
async function notify(batch: Batch, deps: RunDeps): Promise<void> {
  if (batch.mail) return;
  const to = await submitterEmail(deps.graph, batch.subject);
  if (!to) {
    await noteMail(
      deps.graph,
      batch.id,
      'not sent: the submitter is an API client or a token without a user account with an email address',
    );
    return;
  }
  const text = summaryText({
    ...batch,
    duration: durationOf(batch, (deps.now ?? (() => new Date()))()),
    ...batchUrls(deps.config, batch.id),
  });
  const subject = `Achievement batch ${batch.id}: ${batch.status}${batch.validateOnly ? ' (validate only)' : ''}`;
  try {
    const result = await deps.mailer.send({ to, subject, text, kind: 'batch-report' });
    await noteMail(deps.graph, batch.id, result.sent ? 'sent' : 'not sent: the service has no mail server configured');
  } catch {
    deps.log?.warn({ batchId: batch.id }, 'completion email not sent');
    await noteMail(deps.graph, batch.id, 'not sent: the mail server did not accept the message');
  }
}
