/**
 * One run of an achievement batch (the `achievements.batch` job): read the stored file as
 * a stream in two passes (unit credits, then qualification awards), plan each chunk and
 * write it in one transaction together with the batch's checkpoint, then finish and tell
 * the submitter. A run that starts after a dead one skips the chunks already committed,
 * so the counts come out exact and nothing is written twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import type { Mailer } from '../../platform/mail.js';
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
  type Pass,
} from './chunks.js';
import { BatchFileError, readItems } from './file.js';
import {
  finishBatch,
  getBatch,
  lockCheckpoint,
  noteMail,
  saveCheckpoint,
  setStatus,
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
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export type RunResult =
  { outcome: 'missing' } | { outcome: 'superseded' } | { outcome: 'completed' | 'failed'; batch: Batch };

/** Another run of the same batch committed a chunk this run meant to: this run stops. */
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

export async function runBatch(batchId: string, deps: RunDeps): Promise<RunResult> {
  const now = deps.now ?? (() => new Date());
  const { graph, config } = deps;
  const batch = await getBatch(graph, batchId);
  if (!batch) return { outcome: 'missing' };
  if (batch.status === 'completed' || batch.status === 'failed') {
    await notify(batch, deps);
    return { outcome: batch.status, batch: (await getBatch(graph, batchId))! };
  }

  try {
    if (!(await setStatus(graph, batchId, 'validating', now()))) return finished(batchId, deps);
    const file = batchPath(config, batch);
    // The file must be the one received: a changed file would make the checkpoint lie.
    let digest: string;
    try {
      digest = await sha256Of(file);
    } catch {
      return await fail(batch, 'the stored batch file is missing; send the file again', deps);
    }
    if (digest !== batch.sha256)
      return await fail(batch, 'the stored batch file has changed since it was received; send the file again', deps);

    const submitter: Submitter = { aoUkprn: batch.aoUkprn, nation: batch.nation, subject: batch.subject };
    const options = { validateOnly: batch.validateOnly, submittedAt: new Date(batch.receivedAt), batchId };
    const state = newBatchState();
    const status = batch.validateOnly ? 'validating' : 'loading';
    if (status === 'loading') await setStatus(graph, batchId, 'loading', now());
    const total = batch.rows;
    let processed = batch.processed;

    for (const pass of PASSES) {
      const skip = chunksDone(batch, pass);
      if (skip === Number.POSITIVE_INFINITY) continue;
      for await (const chunk of chunksOfPass(readItems(file, batch.kind), pass, config.batchChunkRows)) {
        if (chunk.index < skip) continue;
        const plan: ChunkPlan | null =
          chunk.records.length > 0 ? await planChunk(graph, submitter, chunk.records, options, state) : null;
        processed = await graph.writeTx(async (tx) => {
          const cp = await lockCheckpoint(tx, batchId);
          const expected = cp.pass === pass && cp.chunk === chunk.index;
          const passStart = chunk.index === 0 && PASSES.indexOf(pass) === PASSES.indexOf(cp.pass as Pass) + 1;
          if ((cp.status !== 'validating' && cp.status !== 'loading') || !(expected || passStart))
            throw new Superseded();
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
        await deps.progress({ batchId, status, pass, processed, total, percent: percentDone(processed, total) });
      }
    }
    await finishBatch(graph, batchId, 'completed', now(), null);
    return await finished(batchId, deps);
  } catch (err) {
    if (err instanceof Superseded) return { outcome: 'superseded' };
    if (err instanceof BatchFileError) return await fail(batch, err.message, deps);
    if (deps.finalAttempt) {
      deps.log?.warn({ batchId, err: (err as Error).message }, 'batch failed on its last attempt');
      return await fail(
        batch,
        'the batch could not be completed after several attempts (a service fault, not your file); send it again or contact the service desk',
        deps,
      );
    }
    throw err;
  }
}

async function fail(batch: Batch, reason: string, deps: RunDeps): Promise<RunResult> {
  await finishBatch(deps.graph, batch.id, 'failed', (deps.now ?? (() => new Date()))(), reason);
  return finished(batch.id, deps);
}

async function finished(batchId: string, deps: RunDeps): Promise<RunResult> {
  const batch = (await getBatch(deps.graph, batchId))!;
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
  await notify(batch, deps);
  return { outcome: batch.status as 'completed' | 'failed', batch: (await getBatch(deps.graph, batchId))! };
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
