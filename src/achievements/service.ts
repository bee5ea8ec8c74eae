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
import { DEFAULT_NATION, isNation } from '../operations/service-hours.js';
import { applyChunkWithPlan, newBatchState, submitterFor, type RowResult } from './records.js';
import {
  listRecords,
  organisationNation,
  recordHistory,
  serviceOutages,
  type RecordHistory,
  type RecordView,
} from './repository.js';
import { RECORD_ID_PATTERN } from './validate.js';
import type { RowProblem, SubmittedRecord } from './rows.js';
import { dueDate, isLate, SUBMISSION_WORKING_DAYS, type DueDate } from './deadline.js';

export const RECORD_WRITERS: readonly Role[] = ['ao-user', 'ao-admin'];
export const RECORD_READERS: readonly Role[] = ['ao-user', 'ao-admin', 'operator'];

export const MAX_PAGE_SIZE = 200;
/** Most records one POST /achievements may carry (an array). */
export const MAX_RECORDS_PER_CALL = 1_000;

/** A record as the service shows it: with the day it was due. */
export interface DatedRecord extends RecordView {
  due: DueDate;
}

const DAY_MS = 86_400_000;
/** Downtime is looked up from the earliest award date to this long after the latest. */
const DOWNTIME_HORIZON_MS = 366 * DAY_MS;

/**
 * Due dates for award dates of one AO: the AO's nation and the recorded downtime, read
 * once (two reads, side by side) for any number of records.
 */
async function dueDatesOf(
  graph: Graph,
  aoUkprn: string,
  awardDates: string[],
): Promise<(awardDate: string) => DueDate> {
  const valid = awardDates.filter((d) => Number.isFinite(Date.parse(`${d}T00:00:00Z`))).sort();
  if (valid.length === 0) return () => dueDate('1970-01-01');
  const from = new Date(Date.parse(`${valid[0]}T00:00:00Z`) - DAY_MS);
  const to = new Date(Date.parse(`${valid[valid.length - 1]}T00:00:00Z`) + DOWNTIME_HORIZON_MS);
  const [nation, windows] = await Promise.all([organisationNation(graph, aoUkprn), serviceOutages(graph, from, to)]);
  const memo = new Map<string, DueDate>();
  return (awardDate) => {
    let due = memo.get(awardDate);
    if (!due) memo.set(awardDate, (due = dueDate(awardDate, isNation(nation) ? nation : DEFAULT_NATION, windows)));
    return due;
  };
}

async function dated<T extends RecordView>(
  graph: Graph,
  aoUkprn: string,
  records: T[],
): Promise<(T & { due: DueDate })[]> {
  if (records.length === 0) return [];
  const due = await dueDatesOf(
    graph,
    aoUkprn,
    records.map((r) => r.awardDate),
  );
  return records.map((r) => ({ ...r, due: due(r.awardDate) }));
}

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
  record: DatedRecord | null;
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
  const [shown] = stored ? await dated(graph, aoUkprn, [stored.current]) : [null];
  return {
    result: done.result as Submission['result'],
    late: done.late,
    validateOnly,
    record: shown,
  };
}

/** What happened to one record of an array, as a single POST would have answered it. */
export interface SubmissionItem {
  /** Its place in the array, from 0 (messages that name a row count from 1: row = index + 1). */
  index: number;
  recordId: string | null;
  /** The HTTP status a single POST of this record would have had. */
  status: number;
  result: RowResult;
  /** The row error code (E001 to E026) when rejected, else null. */
  code: string | null;
  message: string | null;
  field: string | null;
  late: boolean;
}

export interface BulkSubmission {
  validateOnly: boolean;
  counts: Record<RowResult, number> & { late: number };
  items: SubmissionItem[];
}

/**
 * Several records in one call (AO systems too small for files): checked and written as
 * one chunk of a batch is, unit credits before qualification awards, every record
 * answered on its own. Accepted records are written in one transaction; rejected ones
 * change nothing.
 */
export async function submitRecords(
  graph: Graph,
  principal: Principal,
  records: SubmittedRecord[],
  now: Date,
  validateOnly = false,
): Promise<BulkSubmission> {
  const aoUkprn = aoFor(principal, undefined, true);
  if (records.length === 0 || records.length > MAX_RECORDS_PER_CALL)
    throw new AppError(
      400,
      'VALIDATION',
      `send 1 to ${MAX_RECORDS_PER_CALL} records in one call; got ${records.length}`,
      [{ in: 'body', field: '(whole)', problem: `must hold 1 to ${MAX_RECORDS_PER_CALL} records` }],
    );
  const submitter = await submitterFor(graph, aoUkprn, principal.subject);
  const { plan } = await applyChunkWithPlan(
    graph,
    submitter,
    records.map((record, i) => ({ row: i + 1, record })),
    { validateOnly, submittedAt: now },
    newBatchState(),
  );
  const problems = new Map(plan.outcome.rejected.map((p) => [p.row, p]));
  const counts: BulkSubmission['counts'] = { added: 0, amended: 0, withdrawn: 0, unchanged: 0, rejected: 0, late: 0 };
  const items: SubmissionItem[] = plan.results.map((r) => {
    counts[r.result]++;
    if (r.late) counts.late++;
    const problem = problems.get(r.row);
    return {
      index: r.row - 1,
      recordId: r.recordId ?? problem?.recordId ?? null,
      status: problem ? statusFor(problem) : r.result === 'added' && !validateOnly ? 201 : 200,
      result: r.result,
      code: problem?.code ?? null,
      message: problem?.message ?? null,
      field: problem?.field ?? null,
      late: r.late,
    };
  });
  items.sort((a, b) => a.index - b.index);
  return { validateOnly, counts, items };
}

export interface RecordPage {
  ao: string;
  page: number;
  pageSize: number;
  more: boolean;
  items: DatedRecord[];
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
  return { ao, page, pageSize, more, items: await dated(graph, ao, items) };
}

export async function recordWithHistory(
  graph: Graph,
  principal: Principal,
  recordId: string,
  ao?: string,
): Promise<RecordHistory & { current: { due: DueDate } }> {
  const aoUkprn = aoFor(principal, ao, false);
  if (!RECORD_ID_PATTERN.test(recordId)) {
    throw new AppError(400, 'VALIDATION', 'a record id is 1 to 50 letters, digits, ".", "_", "-" or "/"', [
      { in: 'params', field: 'recordId', problem: 'is not a record id' },
    ]);
  }
  const history = await recordHistory(graph, aoUkprn, recordId);
  if (!history) throw new AppError(404, 'RECORD_NOT_FOUND', `AO ${aoUkprn} has no record ${recordId}`);
  const [current] = await dated(graph, aoUkprn, [history.current]);
  return { ...history, current };
}

export interface DeadlineAnswer {
  awardDate: string;
  ukprn: string;
  /** The UK nation whose public holidays count (the AO's; GB-ENG when it records none). */
  nation: string;
  workingDays: number;
  due: DueDate;
  /** Recorded service unavailability inside the window, which extended it. */
  downtime: { start: string; end: string }[];
  /** With `submittedAt`: whether a record submitted then would be late. */
  submittedAt: string | null;
  late: boolean | null;
}

/**
 * When a record awarded on a day is due for an AO (SPEC 5): the end of the 10th working
 * day of the AO's nation after the award date, extended by recorded downtime. AO users
 * ask for their own AO unless they name another; the operator names one.
 */
export async function submissionDeadlineFor(
  graph: Graph,
  principal: Principal,
  query: { awardDate: string; ukprn?: string; submittedAt?: string },
): Promise<DeadlineAnswer> {
  const own = principal.roles.some((r) => RECORD_WRITERS.includes(r)) ? principal.organisation : undefined;
  const ukprn = query.ukprn ?? own;
  const bad = (field: string, message: string) =>
    new AppError(400, 'VALIDATION', message, [{ in: 'querystring', field, problem: message }]);
  if (ukprn === undefined) throw bad('ukprn', 'name the awarding organisation: give ukprn');
  if (!UKPRN_PATTERN.test(ukprn))
    throw bad('ukprn', `ukprn must be 8 digits starting with 1; got ${JSON.stringify(ukprn)}`);
  const award = query.awardDate;
  if (
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(award) ||
    new Date(`${award}T00:00:00Z`).toISOString().slice(0, 10) !== award
  )
    throw bad('awardDate', `awardDate must be a real day written YYYY-MM-DD; got ${JSON.stringify(award)}`);
  let submittedAt: Date | null = null;
  if (query.submittedAt !== undefined) {
    submittedAt = new Date(query.submittedAt);
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(query.submittedAt) || Number.isNaN(submittedAt.getTime()))
      throw bad('submittedAt', `submittedAt must be an ISO date and time; got ${JSON.stringify(query.submittedAt)}`);
  }
  const from = new Date(Date.parse(`${award}T00:00:00Z`) - DAY_MS);
  const to = new Date(from.getTime() + DOWNTIME_HORIZON_MS);
  const [stored, windows] = await Promise.all([organisationNation(graph, ukprn), serviceOutages(graph, from, to)]);
  const nation = isNation(stored) ? stored : DEFAULT_NATION;
  const due = dueDate(award, nation, windows);
  const end = Date.parse(due.lateFrom);
  return {
    awardDate: award,
    ukprn,
    nation,
    workingDays: SUBMISSION_WORKING_DAYS,
    due,
    downtime: windows
      .filter((w) => w.start.getTime() < end && w.end.getTime() > from.getTime())
      .map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
    submittedAt: submittedAt?.toISOString() ?? null,
    late: submittedAt === null ? null : isLate(award, submittedAt, nation, windows),
  };
}
