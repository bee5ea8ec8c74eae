/**
 * Loading a learner file (docs/learner-files.md) into the register: `plr learners load FILE`
 * and POST /learners/import.
 *
 * Two streaming passes over the file, so that a file of millions of learners is never held
 * in memory: the first checks every row (csv.ts) and the merge links against the register,
 * the second, only when the whole file is valid, writes it in chunks through the existing
 * upsert. A file with any problem stores nothing. Each chunk is compared with the register
 * first, inside its write transaction, and only new or changed learners are written: loading
 * the same file again writes nothing and reports every learner as unchanged.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Graph, GraphTx } from '../../platform/neo4j.js';
import { registerEntries, registerEntriesTx, writeRegisterEntries, type RegisterWriteRow } from '../repository.js';
import { londonToday } from './clock.js';
import {
  CSV_PARSE_OPTIONS,
  type CsvRecordInfo,
  LearnerFileCheck,
  type MasterFacts,
  type RowError,
  RowNumbers,
  isBlankRecord,
  readLearnerHeader,
  validateLearnerRow,
} from './csv.js';
import { type Learner, compareWithRegister } from './learner-fields.js';

/** Opens the CSV afresh each time it is called: the load reads it twice. */
export type CsvSource = () => Readable;

export function fileSource(file: string): CsvSource {
  return () => createReadStream(file);
}

export function textSource(text: string): CsvSource {
  return () => Readable.from([text]);
}

/** Learners per write statement (and per transaction in chunked mode). */
export const DEFAULT_CHUNK_SIZE = 2_000;
/** Files up to this many learners are written in one transaction: all or nothing. */
export const DEFAULT_SINGLE_TRANSACTION_ROWS = 20_000;
/** Errors kept for a report; more are counted. */
export const DEFAULT_MAX_ERRORS = 1_000;
/** ULNs per register look-up while checking merge links. */
const LOOKUP_CHUNK = 5_000;

export interface LearnerLoadOptions {
  /** YYYY-MM-DD; default today in London. */
  today?: string;
  /** Check only; write nothing. */
  validateOnly?: boolean;
  maxErrors?: number;
  chunkSize?: number;
  singleTransactionRows?: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface LearnerLoadCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Existing learners whose `available` in the file differs from the register's; left as they are. */
  availabilityKept: number;
}

export interface LearnerLoadReport extends LearnerLoadCounts {
  rows: number;
  mode: 'single' | 'chunked';
  transactions: number;
  durationMs: number;
}

export type LearnerLoadResult =
  | { ok: true; rows: number; loaded: false }
  | { ok: true; rows: number; loaded: true; report: LearnerLoadReport }
  | { ok: false; rows: number; errors: RowError[]; errorCount: number };

/** The file changed between the checking pass and the writing pass. */
export class LearnerFileChangedError extends Error {
  constructor(detail: string) {
    super(`the learner file changed while it was being loaded (${detail}); load it again`);
    this.name = 'LearnerFileChangedError';
  }
}

interface CsvRow {
  record: string[];
  row: number;
}

/** Records with their row numbers, streamed from a fresh read of the source. */
async function* csvRows(source: CsvSource): AsyncGenerator<CsvRow> {
  const input = source();
  const parser = parse(CSV_PARSE_OPTIONS);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  const numbers = new RowNumbers();
  try {
    for await (const item of parser as AsyncIterable<CsvRecordInfo>) {
      yield { record: item.record, row: numbers.next(item.info) };
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** A failure to read or parse the file, as a file-level error. */
function readFailure(err: unknown): RowError {
  const e = err as { code?: string; lines?: number; message?: string };
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    // csv-parse's messages quote the offending text, which may be personal: keep only the rule.
    const rule = (e.message ?? '').split(':')[0].trim();
    return {
      row: e.lines ?? 0,
      field: '',
      code: 'csv-syntax',
      message: `the file is not valid CSV near line ${e.lines ?? '?'} (${rule}); check the quotes on that line`,
    };
  }
  return { row: 0, field: '', code: 'unreadable-file', message: `the file cannot be read (${e.code ?? 'error'})` };
}

/** First pass: every row's own rules, duplicates, then the merge links against the register. */
export async function checkLearnerSource(
  graph: Graph,
  source: CsvSource,
  today: string,
  maxErrors = DEFAULT_MAX_ERRORS,
): Promise<LearnerFileCheck> {
  const check = new LearnerFileCheck(today, maxErrors);
  try {
    for await (const { record, row } of csvRows(source)) {
      if (isBlankRecord(record)) continue;
      if (!check.header) {
        if (!check.readHeader(record, row)) return check;
        continue;
      }
      check.row(record, row);
    }
  } catch (err) {
    check.fail(readFailure(err));
    return check;
  }
  if (!check.header) {
    check.fail({
      row: 0,
      field: '',
      code: 'empty-file',
      message: 'the file is empty: it needs a header row naming its columns',
    });
    return check;
  }
  const masters = check.mastersToLookUp();
  const facts = new Map<string, MasterFacts>();
  for (let i = 0; i < masters.length; i += LOOKUP_CHUNK) {
    const entries = await registerEntries(graph, masters.slice(i, i + LOOKUP_CHUNK));
    for (const [uln, e] of entries)
      facts.set(uln, { registered: e.details !== null, linked: e.linkedTo !== null && e.linkedTo.trim() !== '' });
  }
  check.finish(facts);
  return check;
}

function writeRow(l: Learner): RegisterWriteRow {
  return {
    uln: l.uln,
    givenName: l.givenName,
    familyName: l.familyName,
    previousFamilyName: l.previousFamilyName,
    dateOfBirth: l.dateOfBirth,
    gender: l.gender,
    postcode: l.postcode,
    email: l.email,
    available: l.available,
    linkedTo: l.linkedTo,
  };
}

function zero(): LearnerLoadCounts {
  return { created: 0, updated: 0, unchanged: 0, availabilityKept: 0 };
}

function addCounts(into: LearnerLoadCounts, more: LearnerLoadCounts): void {
  into.created += more.created;
  into.updated += more.updated;
  into.unchanged += more.unchanged;
  into.availabilityKept += more.availabilityKept;
}

/** Compare a chunk with the register and write what is new or changed, in the given transaction. */
async function applyChunk(tx: GraphTx, chunk: Learner[]): Promise<LearnerLoadCounts> {
  const counts = zero();
  const stored = await registerEntriesTx(
    tx,
    chunk.map((l) => l.uln),
  );
  const toWrite: RegisterWriteRow[] = [];
  for (const learner of chunk) {
    const cmp = compareWithRegister(learner, stored.get(learner.uln));
    if (cmp.kind !== 'new' && cmp.availabilityDiffers) counts.availabilityKept++;
    if (cmp.kind === 'same') {
      counts.unchanged++;
      continue;
    }
    if (cmp.kind === 'new') counts.created++;
    else counts.updated++;
    toWrite.push(writeRow(learner));
  }
  const written = await writeRegisterEntries(tx, toWrite);
  if (written !== toWrite.length) throw new Error(`wrote ${written} of ${toWrite.length} learners`);
  return counts;
}

/**
 * Second pass: read the (already checked) file again and hand it over chunk by chunk. A row
 * that is no longer valid, or a different number of rows, means the file changed in between.
 */
async function eachChunk(
  source: CsvSource,
  today: string,
  expectedRows: number,
  chunkSize: number,
  work: (chunk: Learner[]) => Promise<void>,
): Promise<void> {
  let header: ReturnType<typeof readLearnerHeader> | null = null;
  let chunk: Learner[] = [];
  let rows = 0;
  for await (const { record, row } of csvRows(source)) {
    if (isBlankRecord(record)) continue;
    if (header === null) {
      header = readLearnerHeader(record, row);
      if (!header.ok) throw new LearnerFileChangedError('its header');
      continue;
    }
    if (!header.ok) throw new LearnerFileChangedError('its header');
    const checked = validateLearnerRow(header.header, record, row, today);
    if (!checked.ok) throw new LearnerFileChangedError(`row ${row}`);
    rows++;
    chunk.push(checked.learner);
    if (chunk.length >= chunkSize) {
      await work(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await work(chunk);
  if (rows !== expectedRows) throw new LearnerFileChangedError(`${rows} rows instead of ${expectedRows}`);
}

/**
 * Check a learner file and, when every row is valid, load it. Problems with the file come
 * back as `{ ok: false, errors }` (at most `maxErrors`, with the total) and nothing is
 * stored; a failure of the database itself is thrown.
 */
export async function loadLearnerSource(
  graph: Graph,
  source: CsvSource,
  opts: LearnerLoadOptions = {},
): Promise<LearnerLoadResult> {
  const started = performance.now();
  const today = opts.today ?? londonToday();
  const check = await checkLearnerSource(graph, source, today, opts.maxErrors ?? DEFAULT_MAX_ERRORS);
  if (!check.ok) return { ok: false, rows: check.rows, errors: check.errors(), errorCount: check.errorCount };
  const total = check.validRows;
  if (opts.validateOnly) return { ok: true, rows: total, loaded: false };

  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const mode = total <= (opts.singleTransactionRows ?? DEFAULT_SINGLE_TRANSACTION_ROWS) ? 'single' : 'chunked';
  let counts = zero();
  let transactions = 0;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.({ done, total });
  };
  if (mode === 'single') {
    counts = await graph.writeTx(async (tx) => {
      // The driver may run this again after a transient failure: start the counts afresh.
      const inTx = zero();
      done = 0;
      await eachChunk(source, today, total, chunkSize, async (chunk) => {
        addCounts(inTx, await applyChunk(tx, chunk));
        progress(chunk.length);
      });
      return inTx;
    });
    transactions = 1;
  } else {
    await eachChunk(source, today, total, chunkSize, async (chunk) => {
      addCounts(counts, await graph.writeTx((tx) => applyChunk(tx, chunk)));
      transactions++;
      progress(chunk.length);
    });
  }
  return {
    ok: true,
    rows: total,
    loaded: true,
    report: { rows: total, ...counts, mode, transactions, durationMs: Math.round(performance.now() - started) },
  };
}

export function loadLearnerFile(graph: Graph, file: string, opts: LearnerLoadOptions = {}): Promise<LearnerLoadResult> {
  return loadLearnerSource(graph, fileSource(file), opts);
}

/** A load report as a few lines for people. */
export function describeLearnerReport(r: LearnerLoadReport): string[] {
  const lines = [
    `learners: ${r.rows} in the file: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`,
    `written in ${r.transactions} transaction${r.transactions === 1 ? '' : 's'} (${r.mode}) in ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.availabilityKept > 0) {
    lines.push(
      `${r.availabilityKept} existing learner${r.availabilityKept === 1 ? '' : 's'} kept their availability: a file sets it for new learners only (changes are the learner's, OCF 07)`,
    );
  }
  return lines;
}

/** At most this many problems are printed by the command; the rest are counted. */
const PRINTED_PROBLEMS = 50;

/**
 * For the `plr learners load FILE` command: check and load a learner file, printing the
 * outcome. Returns the exit status: 0 loaded, 1 the file was refused (nothing stored).
 */
export async function runLearnerLoad(
  graph: Graph,
  file: string,
  print: (line: string) => void = console.log,
  opts: LearnerLoadOptions = {},
): Promise<number> {
  print(`loading learners from ${file}`);
  const result = await loadLearnerFile(graph, file, {
    ...opts,
    onProgress: (p) => {
      if (p.total > DEFAULT_CHUNK_SIZE)
        print(`  ${p.done.toLocaleString('en-GB')} / ${p.total.toLocaleString('en-GB')}`);
      opts.onProgress?.(p);
    },
  });
  if (!result.ok) {
    print(
      `the learner file was refused, nothing was stored: ${result.errorCount} problem${result.errorCount === 1 ? '' : 's'}`,
    );
    for (const e of result.errors.slice(0, PRINTED_PROBLEMS)) {
      print(`  ${e.row > 0 ? `row ${e.row}` : '(file)'}${e.field ? ` ${e.field}` : ''} [${e.code}] ${e.message}`);
    }
    if (result.errorCount > PRINTED_PROBLEMS) print(`  ... and ${result.errorCount - PRINTED_PROBLEMS} more`);
    return 1;
  }
  if (!result.loaded) {
    print(`the file is valid: ${result.rows} learners (nothing was written)`);
    return 0;
  }
  for (const line of describeLearnerReport(result.report)) print(line);
  return 0;
}
