/**
 * The pure parts of a batch run: cutting a file's rows into chunks per pass, where a
 * resumed run starts again, the counts a chunk adds, the duration against the 48-hour
 * target, the summary people read and the lines of the rejected-rows report.
 */
import { passOf, type NumberedRecord, type RowProblem } from '../rows.js';
import type { FileItem } from './file.js';

export type Pass = 'units' | 'qualifications';
export const PASSES: readonly Pass[] = ['units', 'qualifications'];

/** The charter: every valid batch loaded within 48 hours. */
export const TARGET_SECONDS = 48 * 3600;

export interface Chunk {
  pass: Pass;
  /** 0-based index of the chunk within its pass. */
  index: number;
  records: NumberedRecord[];
  /** Rows the reader could not read (they travel with the unit pass, in file order). */
  unreadable: RowProblem[];
  /** Rows in this chunk: records plus unreadable rows. */
  size: number;
}

/**
 * The chunks of one pass, in file order: the pass's records and, in the unit pass, the
 * rows that could not be read. The same file always gives the same chunks, which is what
 * lets a resumed run skip the chunks already committed.
 */
export async function* chunksOfPass(items: AsyncIterable<FileItem>, pass: Pass, size: number): AsyncGenerator<Chunk> {
  let index = 0;
  let records: NumberedRecord[] = [];
  let unreadable: RowProblem[] = [];
  const flush = (): Chunk => {
    const chunk = { pass, index: index++, records, unreadable, size: records.length + unreadable.length };
    records = [];
    unreadable = [];
    return chunk;
  };
  for await (const item of items) {
    if (item.problem) {
      if (pass !== 'units') continue;
      unreadable.push(item.problem);
    } else if (passOf(item.record) === pass) {
      records.push({ row: item.row, record: item.record });
    } else {
      continue;
    }
    if (records.length + unreadable.length >= size) yield flush();
  }
  if (records.length + unreadable.length > 0) yield flush();
}

/** How many chunks of a pass a run skips, given the checkpoint it resumes from. */
export function chunksDone(checkpoint: { pass: Pass | 'done'; chunk: number }, pass: Pass): number {
  if (checkpoint.pass === 'done') return Number.POSITIVE_INFINITY;
  if (checkpoint.pass === pass) return checkpoint.chunk;
  return PASSES.indexOf(checkpoint.pass) > PASSES.indexOf(pass) ? Number.POSITIVE_INFINITY : 0;
}

/** Distinct rows among problems (one row may fail on several fields). */
export function rejectedRows(problems: RowProblem[]): number {
  return new Set(problems.map((p) => p.row)).size;
}

export interface Counts {
  accepted: number;
  rejected: number;
  unchanged: number;
  late: number;
  problems: number;
  processed: number;
}

/** Cumulative counts after one more chunk. */
export function addChunk(
  before: Counts,
  outcome: { accepted: number; late: number; unchanged: number; rejected: RowProblem[] },
  rows: number,
): Counts {
  return {
    accepted: before.accepted + outcome.accepted,
    late: before.late + outcome.late,
    unchanged: before.unchanged + outcome.unchanged,
    rejected: before.rejected + rejectedRows(outcome.rejected),
    problems: before.problems + outcome.rejected.length,
    processed: before.processed + rows,
  };
}

/** Problems in file order (row, then as the validator gave them). */
export function inFileOrder(problems: RowProblem[]): RowProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.row - b.p.row || a.i - b.i)
    .map(({ p }) => p);
}

export interface Duration {
  /** From receipt to the end (or to `now` while running). */
  seconds: number | null;
  targetSeconds: number;
  /** null while running and still inside the target. */
  withinTarget: boolean | null;
}

/** How long a batch took (or has taken so far) against the 48-hour target. */
export function durationOf(
  batch: { receivedAt: string; finishedAt: string | null; status: string },
  now: Date,
): Duration {
  const start = Date.parse(batch.receivedAt);
  if (Number.isNaN(start)) return { seconds: null, targetSeconds: TARGET_SECONDS, withinTarget: null };
  const end = batch.finishedAt ? Date.parse(batch.finishedAt) : now.getTime();
  const seconds = Math.max(0, Math.round((end - start) / 100) / 10);
  const finished = batch.status === 'completed' || batch.status === 'failed';
  return {
    seconds,
    targetSeconds: TARGET_SECONDS,
    withinTarget: seconds > TARGET_SECONDS ? false : finished ? true : null,
  };
}

/** Percent of a batch's rows processed, for job progress and the CLI's bar. */
export function percentDone(processed: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.floor((processed / total) * 1000) / 10);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

export interface SummaryInput {
  id: string;
  status: string;
  validateOnly: boolean;
  fileName: string;
  rows: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  late: number;
  failure: string | null;
  duration: Duration;
  statusUrl: string;
  reportUrl: string;
}

/** The completion email's text: counts, duration against 48 hours, links. No personal details. */
export function summaryText(s: SummaryInput): string {
  const lines = [
    `Achievement batch ${s.id} ${s.status === 'completed' ? 'has completed' : 'has failed'}${s.validateOnly ? ' (validate only: nothing was stored)' : ''}.`,
    '',
    `File: ${s.fileName}`,
    `Rows: ${s.rows}`,
    `Accepted: ${s.accepted}${s.validateOnly ? ' (would be accepted)' : ''}`,
    `  of which late (more than 10 working days after the award date): ${s.late}`,
    `Unchanged (already recorded exactly so): ${s.unchanged}`,
    `Rejected: ${s.rejected}`,
  ];
  if (s.failure) lines.push('', `Reason: ${s.failure}`);
  if (s.duration.seconds !== null) {
    lines.push(
      '',
      `Time from receipt: ${formatSeconds(s.duration.seconds)} (target: within 48 hours${s.duration.withinTarget ? ', met' : s.duration.withinTarget === false ? ', missed' : ''}).`,
    );
  }
  lines.push(
    '',
    `Status: ${s.statusUrl}`,
    `Report of rejected rows (CSV): ${s.reportUrl}`,
    '',
    'Personal Learning Record service',
  );
  return lines.join('\n');
}

export const REPORT_HEADER = ['row', 'record_id', 'field', 'code', 'message'];
