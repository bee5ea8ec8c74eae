/**
 * OCF 11, verify ULN learner details: single (REST, GraphQL) and batch (CSV). Checks the
 * input (input.ts), loads the register entries each ULN needs, merge chain included, in
 * one statement per chunk of ULNs, and lets the pure verifyLearner decide.
 *
 * Verification does not go through openLearner and writes nothing to the access log: it
 * shows no part of a learner's record, only whether the details the caller already holds
 * agree with it (a code and the names of the fields that differ), so there is no read of
 * the record to show the learner. Logging each row would also fill a learner's access log
 * with an AO's routine pre-submission checks, thousands at a time, and hide the real reads.
 * It is still limited to the roles that submit or plan learning (VERIFY_ROLES); learners
 * and analysts are refused. Logs get counts of answer codes only, never a detail.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Graph } from '../../platform/neo4j.js';
import type { Role } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { verifyChains } from '../repository.js';
import { type RegisterEntry, type VerificationAnswer, verifyLearner } from '../verify.js';
import { CSV_PARSE_OPTIONS, type CsvRecordInfo, type RowError, RowNumbers, isBlankRecord } from '../register/csv.js';
import { type RawVerifyInput, checkVerifyInput } from './input.js';
import {
  type BatchRow,
  OUTPUT_HEADER,
  type VerifyHeader,
  answerLine,
  prepareBatchRow,
  readVerifyHeader,
} from './batch.js';

export const VERIFY_ROLES: readonly Role[] = [
  'ao-user',
  'ao-admin',
  'provider-user',
  'provider-admin',
  'careers-adviser',
  'operator',
];

/** Rows a batch may hold; more is refused (413) before anything is looked up. */
export const MAX_VERIFY_BATCH_ROWS = 10_000;
/** ULNs per look-up statement. */
export const VERIFY_LOOKUP_CHUNK = 2_000;

/**
 * The register entries for these ULNs and along their merge chains, as verifyLearner's
 * lookup wants them. A Learner with no personal details (known only from an achievement)
 * is not on the register: it is left out, so it reads as not found.
 */
export async function registerLookup(graph: Graph, ulns: Iterable<string>): Promise<Map<string, RegisterEntry>> {
  const distinct = [...new Set(ulns)];
  const entries = new Map<string, RegisterEntry>();
  for (let i = 0; i < distinct.length; i += VERIFY_LOOKUP_CHUNK) {
    const chains = await verifyChains(graph, distinct.slice(i, i + VERIFY_LOOKUP_CHUNK));
    for (const chain of chains.values()) {
      for (const e of chain) {
        if (e.details === null || entries.has(e.uln)) continue;
        entries.set(e.uln, {
          uln: e.uln,
          linkedTo: e.linkedTo,
          givenName: e.details.givenName ?? '',
          familyName: e.details.familyName ?? '',
          previousFamilyName: e.details.previousFamilyName,
          dateOfBirth: e.details.dateOfBirth ?? '',
          gender: e.details.gender ?? '',
          postcode: e.details.postcode,
        });
      }
    }
  }
  return entries;
}

/** Verify one learner's details. Throws AppError 400 VALIDATION naming each field that cannot be compared. */
export async function verifyOne(graph: Graph, raw: RawVerifyInput, today: string): Promise<VerificationAnswer> {
  const checked = checkVerifyInput(raw, today);
  if (!checked.ok) {
    throw new AppError(
      400,
      'VALIDATION',
      `the details cannot be verified: ${checked.problems.map((p) => p.message).join('; ')}`,
      checked.problems.map((p) => ({ in: 'body', field: p.field, code: p.code, problem: p.message })),
    );
  }
  const entries = checked.ulnWellFormed
    ? await registerLookup(graph, [checked.submitted.uln])
    : new Map<string, RegisterEntry>();
  return verifyLearner(checked.submitted, (uln) => entries.get(uln));
}

export interface BatchResult {
  /** The answer file: a header line, then one line per data row, in the input's order. */
  csv: string;
  rows: number;
  /** How many rows got each code (ROW_INVALID included): for the log. */
  codes: Record<string, number>;
}

function csvInvalid(errors: RowError[]): AppError {
  const first = errors[0];
  return new AppError(400, 'CSV_INVALID', `the batch cannot be read: ${first.message}`, { errors });
}

/** Read the whole batch (it is small: at most MAX_VERIFY_BATCH_ROWS rows), refusing what cannot be read as a whole. */
async function readBatch(text: string, today: string, maxRows: number): Promise<BatchRow[]> {
  const parser = Readable.from([text]).pipe(parse(CSV_PARSE_OPTIONS));
  const numbers = new RowNumbers();
  let header: VerifyHeader | null = null;
  const rows: BatchRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecordInfo>) {
      const row = numbers.next(info);
      if (isBlankRecord(record)) continue;
      if (header === null) {
        const read = readVerifyHeader(record, row);
        if (!read.ok) throw csvInvalid(read.errors);
        header = read.header;
        continue;
      }
      if (rows.length >= maxRows) {
        throw new AppError(
          413,
          'BATCH_TOO_LARGE',
          `a verification batch holds at most ${maxRows} rows; split the file and send the parts one after the other`,
          { maxRows },
        );
      }
      rows.push(prepareBatchRow(header, record, row, today));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    // csv-parse quotes the offending text in its messages; keep only the rule.
    const rule = (e.message ?? '').split(':')[0].trim();
    throw csvInvalid([
      {
        row: e.lines ?? 0,
        field: '',
        code: 'csv-syntax',
        message: `the file is not valid CSV near line ${e.lines ?? '?'} (${rule}); check the quotes on that line`,
      },
    ]);
  } finally {
    parser.destroy();
  }
  if (header === null)
    throw csvInvalid([
      { row: 0, field: '', code: 'empty-file', message: 'the file is empty: it needs a header row naming its columns' },
    ]);
  return rows;
}

/** Verify a batch of learners given as CSV (docs/learner-files.md) and answer with CSV. */
export async function verifyBatch(
  graph: Graph,
  text: string,
  today: string,
  maxRows = MAX_VERIFY_BATCH_ROWS,
): Promise<BatchResult> {
  const rows = await readBatch(text, today, maxRows);
  const wellFormed: string[] = [];
  for (const r of rows) if ('submitted' in r && r.ulnWellFormed) wellFormed.push(r.submitted.uln);
  const entries = await registerLookup(graph, wellFormed);
  const lookup = (uln: string) => entries.get(uln);

  const codes: Record<string, number> = {};
  const lines = [OUTPUT_HEADER];
  for (const r of rows) {
    const answer = 'submitted' in r ? verifyLearner(r.submitted, lookup) : null;
    const code = answer?.code ?? 'ROW_INVALID';
    codes[code] = (codes[code] ?? 0) + 1;
    lines.push(answerLine(r, answer));
  }
  return { csv: lines.join(''), rows: rows.length, codes };
}
