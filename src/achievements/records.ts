/**
 * OCF 01 / OCF 02: achievement records, one chunk of rows at a time. The single-record
 * routes and the batch pipeline both come through here: planChunk reads and validates,
 * writeChunk writes in the caller's transaction, applyChunk does both.
 */
import type { Graph, GraphTx } from '../platform/neo4j.js';
import type { ChunkOutcome, NumberedRecord, RowProblem, Submitter } from './rows.js';

export interface ChunkOptions {
  validateOnly: boolean;
  submittedAt: Date;
  batchId?: string;
}

/** Opaque state carried between the chunks of one batch run. Create one per run with newBatchState(). */
export interface BatchState {
  /** Record ids already met in this batch, with the content they carried. */
  seen: Map<string, string>;
}

export function newBatchState(): BatchState {
  return { seen: new Map() };
}

/** What a chunk will write, decided by planChunk; opaque to callers. */
export interface ChunkPlan {
  validateOnly: boolean;
  accepted: number;
  late: number;
  unchanged: number;
  rejected: RowProblem[];
  writes: unknown[];
}

/** A recorded period of service unavailability; it extends submission deadlines. */
export interface DowntimeWindow {
  start: Date;
  end: Date;
}

/** All reads and validation for a chunk; no writes. */
export async function planChunk(graph: Graph, submitter: Submitter, rows: NumberedRecord[], options: ChunkOptions, state: BatchState): Promise<ChunkPlan> {
  void graph; void submitter; void state;
  return { validateOnly: options.validateOnly, accepted: 0, late: 0, unchanged: 0, rejected: rows.map((r) => ({ row: r.row, code: 'E000', message: 'not implemented yet' })), writes: [] };
}

/** The chunk's writes in the caller's transaction; with validateOnly, writes nothing. */
export async function writeChunk(tx: GraphTx, plan: ChunkPlan): Promise<ChunkOutcome> {
  void tx;
  return { accepted: plan.accepted, late: plan.late, unchanged: plan.unchanged, rejected: plan.rejected };
}

/** plan + one write transaction, for callers that need no checkpoint of their own. */
export async function applyChunk(graph: Graph, submitter: Submitter, rows: NumberedRecord[], options: ChunkOptions, state: BatchState): Promise<ChunkOutcome> {
  const plan = await planChunk(graph, submitter, rows, options, state);
  if (options.validateOnly) return writeChunk(undefined as unknown as GraphTx, plan);
  return graph.writeTx((tx) => writeChunk(tx, plan));
}

/** Downtime windows that overlap [from, to], read from (:ServiceOutage) nodes. */
export async function downtimeWindows(graph: Graph, from: Date, to: Date): Promise<DowntimeWindow[]> {
  void graph; void from; void to;
  return [];
}
