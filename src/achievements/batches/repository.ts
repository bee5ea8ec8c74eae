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
  attempts: number | null;
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
  for (const k of ['startedAt', 'loadingAt', 'finishedAt', 'failure', 'mail', 'attempts', 'idempotencyKey'] as const) {
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

export async function listBatches(graph: Graph, aoUkprn: string | null, limit: number): Promise<Batch[]> {
  const rows = await graph.read('achievements/batch-list', { aoUkprn, limit });
  return rows.map((r) => asBatch(r.batch as Record<string, unknown>));
}

/** Returns false when the batch has already finished (nothing to do). */
export async function setStatus(
  graph: Graph,
  id: string,
  status: 'validating' | 'loading',
  at: Date,
): Promise<boolean> {
  const rows = await graph.write('achievements/batch-status', { id, status, at: at.toISOString() });
  return rows.length > 0;
}

export async function lockCheckpoint(tx: GraphTx, id: string): Promise<Checkpoint> {
  const [row] = await tx.run('achievements/batch-lock', { id });
  if (!row) throw new Error(`batch ${id} is not in the graph`);
  return row as unknown as Checkpoint;
}

export async function saveCheckpoint(
  tx: GraphTx,
  id: string,
  checkpoint: Omit<Checkpoint, 'status'>,
  rejections: Rejection[],
): Promise<void> {
  await tx.run('achievements/batch-checkpoint', { id, ...checkpoint, rejections });
}

export async function finishBatch(
  graph: Graph,
  id: string,
  status: 'completed' | 'failed',
  at: Date,
  failure: string | null,
): Promise<void> {
  await graph.write('achievements/batch-finish', { id, status, at: at.toISOString(), failure });
}

export async function noteMail(graph: Graph, id: string, mail: string): Promise<void> {
  await graph.write('achievements/batch-mail', { id, mail });
}

/** The submitting user's email; null for an API client or a subject with no user. */
export async function submitterEmail(graph: Graph, subject: string): Promise<string | null> {
  const [row] = await graph.read('achievements/batch-submitter-email', { subject });
  return row && typeof row.email === 'string' && row.disabled !== true ? row.email : null;
}

export async function rejectionsPage(graph: Graph, id: string, after: number, limit: number): Promise<Rejection[]> {
  return (await graph.read('achievements/batch-rejections', { id, after, limit })) as unknown as Rejection[];
}
