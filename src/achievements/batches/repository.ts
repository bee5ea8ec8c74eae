/**
 * Batch nodes in the graph: the only code that runs the batch queries.
 */
import type { Graph, GraphTx } from '../../platform/neo4j.js';
import type { BatchKind } from './file.js';
import type { Pass } from './chunks.js';

export type BatchStatus = 'received' | 'validating' | 'loading' | 'completed' | 'failed';

/** What is stored about a batch when it is received. */
export interface NewBatch {
  id: string;
  aoUkprn: string;
  nation: string;
  /** The user or API client who sent it (never personal details). */
  subject: string;
  kind: BatchKind;
  /** Where the file is kept, relative to config.dataDir. */
  file: string;
  /** The client's file name, for people to recognise the batch. */
  fileName: string;
  bytes: number;
  sha256: string;
  validateOnly: boolean;
  idempotencyKey: string | null;
  source: 'upload' | 'cli';
  rows: number;
  unitRows: number;
  qualificationRows: number;
  malformedRows: number;
}

export interface Checkpoint {
  status: BatchStatus;
  /** The run that owns the batch now (each run of the job claims it when it starts). */
  runId: string | null;
  pass: Pass | 'done';
  chunk: number;
  processed: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  late: number;
  problems: number;
}

export interface Batch extends NewBatch, Checkpoint {
  receivedAt: string;
  startedAt: string | null;
  loadingAt: string | null;
  finishedAt: string | null;
  failure: string | null;
  mail: string | null;
  /** Runs started (the first, and each one after a worker died or the job was retried). */
  attempts: number | null;
  /** The last checkpoint committed (or the run's start, or a resume). */
  progressAt: string | null;
  /** Times the batch was taken up again: by the watchdog (autoResumes of them) or the operator. */
  resumes: number | null;
  autoResumes: number | null;
  /** What the watchdog or the operator last did about it, and when. */
  recovery: string | null;
  recoveryAt: string | null;
}

/** How a batch stands for alerts: not finished, stuck (no progress for a while), failed lately. */
export interface BatchAlerts {
  unfinished: number;
  stuck: number;
  failed: number;
}

/** Filters of a listing: the failed, the not yet finished, the stuck. */
export type BatchState = 'failed' | 'unfinished' | 'stuck';

export interface UnfinishedBatch {
  id: string;
  status: BatchStatus;
  autoResumes: number;
  progressAt: string;
}

export interface Rejection {
  n: number;
  row: number;
  recordId: string | null;
  field: string | null;
  code: string;
  message: string;
}

function asBatch(raw: Record<string, unknown>): Batch {
  const b = raw as unknown as Batch;
  for (const k of [
    'startedAt',
    'loadingAt',
    'finishedAt',
    'failure',
    'mail',
    'attempts',
    'idempotencyKey',
    'runId',
    'progressAt',
    'resumes',
    'autoResumes',
    'recovery',
    'recoveryAt',
  ] as const) {
    if (b[k] === undefined) (b as unknown as Record<string, unknown>)[k] = null;
  }
  return b;
}

/** Store a received batch; `created` false when its id (an idempotency key) was already used. */
export async function createBatch(
  graph: Graph,
  batch: NewBatch,
  receivedAt: Date,
): Promise<{ created: boolean; sha256: string; aoUkprn: string }> {
  const { id, ...props } = batch;
  const [row] = await graph.write('achievements/batch-create', { id, props, receivedAt: receivedAt.toISOString() });
  return row as { created: boolean; sha256: string; aoUkprn: string };
}

export async function getBatch(graph: Graph, id: string): Promise<Batch | null> {
  const [row] = await graph.read('achievements/batch-get', { id });
  return row ? asBatch(row.batch as Record<string, unknown>) : null;
}

export async function listBatches(
  graph: Graph,
  aoUkprn: string | null,
  limit: number,
  filter: { state?: BatchState; stuckBefore?: Date } = {},
): Promise<Batch[]> {
  const rows = await graph.read('achievements/batch-list', {
    aoUkprn,
    limit,
    state: filter.state ?? null,
    stuckBefore: (filter.stuckBefore ?? new Date()).toISOString(),
  });
  return rows.map((r) => asBatch(r.batch as Record<string, unknown>));
}

/**
 * A run claims the batch and starts (status validating); null when the batch has already
 * finished. The answer counts the runs in a row that started from this same checkpoint.
 */
export async function startRun(
  graph: Graph,
  id: string,
  runId: string,
  at: Date,
): Promise<{ runsWithoutProgress: number } | null> {
  const [row] = await graph.write('achievements/batch-start', { id, runId, at: at.toISOString() });
  return row ? { runsWithoutProgress: row.runsWithoutProgress as number } : null;
}

/** The run moves its batch to loading; false when the batch is finished or another run owns it. */
export async function setLoading(graph: Graph, id: string, runId: string, at: Date): Promise<boolean> {
  const rows = await graph.write('achievements/batch-status', { id, runId, at: at.toISOString() });
  return rows.length > 0;
}

/** Take a batch up again (a failed one goes back to received, its checkpoint kept); null for a completed or absent batch. */
export async function reopenBatch(
  graph: Graph,
  id: string,
  by: 'watchdog' | 'operator',
  note: string,
  at: Date,
): Promise<{ status: BatchStatus; resumes: number } | null> {
  const [row] = await graph.write('achievements/batch-reopen', { id, by, note, at: at.toISOString() });
  return row ? (row as { status: BatchStatus; resumes: number }) : null;
}

export async function unfinishedBatches(graph: Graph, limit = 1_000): Promise<UnfinishedBatch[]> {
  return (await graph.read('achievements/batch-unfinished', { limit })) as unknown as UnfinishedBatch[];
}

export async function batchAlertCounts(graph: Graph, stuckBefore: Date, failedSince: Date): Promise<BatchAlerts> {
  const [row] = await graph.read('achievements/batch-alerts', {
    stuckBefore: stuckBefore.toISOString(),
    failedSince: failedSince.toISOString(),
  });
  return row as unknown as BatchAlerts;
}

export async function lockCheckpoint(tx: GraphTx, id: string): Promise<Checkpoint> {
  const [row] = await tx.run('achievements/batch-lock', { id });
  if (!row) throw new Error(`batch ${id} is not in the graph`);
  return row as unknown as Checkpoint;
}

export async function saveCheckpoint(
  tx: GraphTx,
  id: string,
  checkpoint: Omit<Checkpoint, 'status' | 'runId'>,
  rejections: Rejection[],
): Promise<void> {
  await tx.run('achievements/batch-checkpoint', { id, ...checkpoint, rejections });
}

/**
 * End a batch. With a run id, only if that run still owns it; without (the watchdog), any
 * unfinished batch. False when nothing changed (already finished, or another run's).
 */
export async function finishBatch(
  graph: Graph,
  id: string,
  status: 'completed' | 'failed',
  at: Date,
  failure: string | null,
  runId: string | null,
): Promise<boolean> {
  const rows = await graph.write('achievements/batch-finish', { id, status, at: at.toISOString(), failure, runId });
  return rows.length > 0;
}

export async function noteMail(graph: Graph, id: string, mail: string): Promise<void> {
  await graph.write('achievements/batch-mail', { id, mail });
}

/** The submitting user's email; null for an API client or a subject with no user. */
export async function submitterEmail(graph: Graph, subject: string): Promise<string | null> {
  const [row] = await graph.read('achievements/batch-submitter-email', { subject });
  // The address is sealed in the graph (src/platform/sealing.ts).
  return row && typeof row.emailSealed === 'string' && row.disabled !== true
    ? graph.sealer.open(row.emailSealed)
    : null;
}

export async function rejectionsPage(graph: Graph, id: string, after: number, limit: number): Promise<Rejection[]> {
  return (await graph.read('achievements/batch-rejections', { id, after, limit })) as unknown as Rejection[];
}
