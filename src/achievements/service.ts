/**
 * Single achievement records (OCF 01 / OCF 02) for REST and GraphQL: submit one record
 * (ADD, AMEND, WITHDRAW) through the same chunk path as batch rows, list an AO's records,
 * read one record with its version history.
 *
 * Who: AO users and admins change and read their own organisation's records (the token's
 * organisation claim is the AO's UKPRN); the service operator reads any AO's records and
 * history but changes none.
 */
import type { Graph } from '../platform/neo4j.js';
import type { Principal, Role } from '../platform/auth.js';
import { AppError, forbidden } from '../platform/errors.js';
import { UKPRN_PATTERN } from '../catalogue/model.js';
import { isValidUln } from '../learners/uln.js';
import { applyChunkWithPlan, newBatchState, submitterFor, type RowResult } from './records.js';
import { listRecords, recordHistory, type RecordHistory, type RecordView } from './repository.js';
import { RECORD_ID_PATTERN } from './validate.js';
import type { RowProblem, SubmittedRecord } from './rows.js';

export const RECORD_WRITERS: readonly Role[] = ['ao-user', 'ao-admin'];
export const RECORD_READERS: readonly Role[] = ['ao-user', 'ao-admin', 'operator'];

export const MAX_PAGE_SIZE = 200;

/** The AO whose records the caller works on: their own; an operator names one. */
export function aoFor(principal: Principal, requested: string | undefined, writing: boolean): string {
  const isAo = principal.roles.some((r) => RECORD_WRITERS.includes(r));
  if (isAo) {
    const own = principal.organisation;
    if (!own) throw forbidden("this token names no organisation: AO users work on their own organisation's records");
    if (requested !== undefined && requested !== own)
      throw forbidden(`records of AO ${requested} belong to that AO; this token is for AO ${own}`);
    return own;
  }
  if (writing || !principal.roles.includes('operator'))
    throw forbidden(`this needs one of the roles: ${(writing ? RECORD_WRITERS : RECORD_READERS).join(', ')}`);
  if (requested === undefined)
    throw new AppError(400, 'VALIDATION', 'an operator names the AO whose records to read: give ao (its UKPRN)', [
      { in: 'querystring', field: 'ao', problem: 'is required for the operator' },
    ]);
  if (!UKPRN_PATTERN.test(requested))
    throw new AppError(
      400,
      'VALIDATION',
      `ao must be a UKPRN (8 digits starting with 1); got ${JSON.stringify(requested)}`,
      [{ in: 'querystring', field: 'ao', problem: 'is not a UKPRN' }],
    );
  return requested;
}

export interface Submission {
  result: Exclude<RowResult, 'rejected'>;
  late: boolean;
  validateOnly: boolean;
  /** The record as stored after the change (absent when only validated). */
  record: RecordView | null;
}

/** HTTP status for a rejected single record: missing target 404, clash 409, the rest 422. */
function statusFor(problem: RowProblem): number {
  if (problem.code === 'E023') return 404;
  if (problem.code === 'E024' || problem.code === 'E003') return 409;
  return 422;
}

/** Add, amend or withdraw one record; a rejected record is an AppError carrying its row error code. */
export async function submitRecord(
  graph: Graph,
  principal: Principal,
  record: SubmittedRecord,
  now: Date,
  validateOnly = false,
): Promise<Submission> {
  const aoUkprn = aoFor(principal, undefined, true);
  const submitter = await submitterFor(graph, aoUkprn, principal.subject);
  const { plan } = await applyChunkWithPlan(
    graph,
    submitter,
    [{ row: 0, record }],
    { validateOnly, submittedAt: now },
    newBatchState(),
  );
  const [problem] = plan.outcome.rejected;
  if (problem) {
    throw new AppError(statusFor(problem), problem.code, problem.message, {
      field: problem.field ?? null,
      recordId: problem.recordId ?? null,
    });
  }
  const [done] = plan.results;
  const recordId = done.recordId as string;
  const stored = validateOnly ? null : await recordHistory(graph, aoUkprn, recordId);
  return {
    result: done.result as Submission['result'],
    late: done.late,
    validateOnly,
    record: stored ? stored.current : null,
  };
}

export interface RecordPage {
  ao: string;
  page: number;
  pageSize: number;
  more: boolean;
  items: RecordView[];
}

export async function listOwnRecords(
  graph: Graph,
  principal: Principal,
  query: { ao?: string; uln?: string; page?: number; pageSize?: number },
): Promise<RecordPage> {
  const ao = aoFor(principal, query.ao, false);
  if (query.uln !== undefined && !isValidUln(query.uln)) {
    throw new AppError(400, 'VALIDATION', 'uln must be a valid ULN (10 digits with the right check digit)', [
      { in: 'querystring', field: 'uln', problem: 'is not a valid ULN' },
    ]);
  }
  const page = query.page ?? 1;
  const pageSize = Math.min(query.pageSize ?? 50, MAX_PAGE_SIZE);
  const { items, more } = await listRecords(graph, ao, query.uln ?? null, (page - 1) * pageSize, pageSize);
  return { ao, page, pageSize, more, items };
}

export async function recordWithHistory(
  graph: Graph,
  principal: Principal,
  recordId: string,
  ao?: string,
): Promise<RecordHistory> {
  const aoUkprn = aoFor(principal, ao, false);
  if (!RECORD_ID_PATTERN.test(recordId)) {
    throw new AppError(400, 'VALIDATION', 'a record id is 1 to 50 letters, digits, ".", "_", "-" or "/"', [
      { in: 'params', field: 'recordId', problem: 'is not a record id' },
    ]);
  }
  const history = await recordHistory(graph, aoUkprn, recordId);
  if (!history) throw new AppError(404, 'RECORD_NOT_FOUND', `AO ${aoUkprn} has no record ${recordId}`);
  return history;
}
