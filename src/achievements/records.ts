/**
 * OCF 01 / OCF 02: achievement records, a chunk of rows at a time. Single records and
 * batch rows both come through here:
 *
 *   planChunk   reads everything the chunk needs in a handful of UNWIND statements (the
 *               register entries, catalogue units and qualifications, this AO's stored
 *               records, learners' credits for qualification awards, service outages) and
 *               decides every row with the pure validateRow; it writes nothing;
 *   writeChunk  writes the plan's new records and changes with two UNWIND statements in the
 *               caller's transaction (so a batch can commit its checkpoint with them);
 *   applyChunk  both, in one write transaction.
 *
 * Rows are decided in two passes, unit credits before qualification awards, so an award
 * can rest on credits sent in the same chunk. Chunks of one batch must be planned one
 * after the other, each after the previous chunk's writes committed: later chunks read
 * what earlier ones wrote. A validate-only run writes nothing and carries what it would
 * have written in the BatchState instead.
 */
import type { Graph, GraphTx } from '../platform/neo4j.js';
import { getQualificationRules, type QualificationRules } from '../catalogue/repository.js';
import { QAN_PATTERN, URN_PATTERN, type LearnerCredit, type Unit } from '../catalogue/model.js';
import { isValidUln } from '../learners/uln.js';
import { DEFAULT_NATION, isNation } from '../operations/service-hours.js';
import { lateChecker, londonDate, type DowntimeWindow } from './deadline.js';
import {
  addRecords,
  changeRecords,
  existingRecords,
  registerEntriesFor,
  learnerUnitCredits,
  organisationNation,
  recordKey,
  serviceOutages,
  unitsByUrn,
  type ChangeWrite,
  type RecordWrite,
} from './repository.js';
import { passOf, type ChunkOutcome, type NumberedRecord, type RowProblem, type Submitter } from './rows.js';
import {
  normaliseQanText,
  RECORD_ID_PATTERN,
  validateRow,
  type RecordContent,
  type RowContext,
  type RowDecision,
  type StoredRecord,
} from './validate.js';

export type { DowntimeWindow } from './deadline.js';

export interface ChunkOptions {
  validateOnly: boolean;
  /** When the batch (or single record) was submitted: "today" and lateness count from it. */
  submittedAt: Date;
  batchId?: string;
}

/**
 * Opaque state carried between the chunks of one batch run; create one per run with
 * newBatchState(). It caches the catalogue and the service outages for the run and, in a
 * validate-only run, remembers what earlier chunks would have written.
 */
export interface BatchState {
  units: Map<string, Unit | null>;
  qualifications: Map<string, QualificationRules | null>;
  outages: { from: number; to: number; windows: DowntimeWindow[] } | null;
  /**
   * Record ids earlier chunks used, with the row: unchanged rows, and in a validate-only run
   * the rows that would have changed a record (a real run marks those on the record).
   */
  changed: Map<string, number>;
  /** Validate-only: unit credits earlier chunks would have changed, by ULN and record key. */
  pendingCredits: Map<string, Map<string, LearnerCredit>>;
}

export function newBatchState(): BatchState {
  return { units: new Map(), qualifications: new Map(), outages: null, changed: new Map(), pendingCredits: new Map() };
}

export type RowResult = 'added' | 'amended' | 'withdrawn' | 'unchanged' | 'rejected';

/** What a chunk will do, decided by planChunk. */
export interface ChunkPlan {
  validateOnly: boolean;
  aoUkprn: string;
  outcome: ChunkOutcome;
  /** Per row, in the order decided (unit credits first): what happened to it. */
  results: { row: number; recordId?: string; result: RowResult; late: boolean }[];
  adds: RecordWrite[];
  changes: ChangeWrite[];
}

const DAY_MS = 86_400_000;

function trimmed(value: string | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The submitting AO with the nation its working days follow (GB-ENG unless the organisation says otherwise). */
export async function submitterFor(graph: Graph, aoUkprn: string, subject: string): Promise<Submitter> {
  const nation = await organisationNation(graph, aoUkprn);
  return { aoUkprn, subject, nation: isNation(nation) ? nation : DEFAULT_NATION };
}

/** Outages that can move the deadline of any award date from `from` on, for a submission at `to`; cached per run. */
async function outagesFor(graph: Graph, state: BatchState, from: number, to: number): Promise<DowntimeWindow[]> {
  const cached = state.outages;
  if (cached && cached.from <= from && cached.to >= to) return cached.windows;
  const range = { from: Math.min(from, cached?.from ?? from), to: Math.max(to, cached?.to ?? to) };
  const windows = await serviceOutages(graph, new Date(range.from), new Date(range.to));
  state.outages = { ...range, windows };
  return windows;
}

function creditOf(
  key: string,
  c: Pick<RecordContent, 'urn' | 'credit' | 'level' | 'awardDate'>,
  status: 'active' | 'withdrawn',
): LearnerCredit {
  return { id: key, urn: c.urn as string, credit: c.credit, level: c.level, awardDate: c.awardDate, status };
}

/** All reads and validation for a chunk (a few thousand rows); no writes. */
export async function planChunk(
  graph: Graph,
  submitter: Submitter,
  rows: NumberedRecord[],
  options: ChunkOptions,
  state: BatchState,
): Promise<ChunkPlan> {
  const { aoUkprn } = submitter;
  const ordered = [
    ...rows.filter((r) => passOf(r.record ?? {}) === 'units'),
    ...rows.filter((r) => passOf(r.record ?? {}) === 'qualifications'),
  ];

  // What to look up: only well-formed identifiers; the rest is rejected without a read.
  const ulns = new Set<string>();
  const awardUlns = new Set<string>();
  const urns = new Set<string>();
  const qans = new Set<string>();
  const recordIds = new Set<string>();
  let earliestAward = '';
  for (const { record = {} } of ordered) {
    const id = trimmed(record.record_id);
    if (RECORD_ID_PATTERN.test(id)) recordIds.add(id);
    const uln = trimmed(record.uln);
    const withdraw = trimmed(record.action).toUpperCase() === 'WITHDRAW';
    if (!withdraw && isValidUln(uln)) ulns.add(uln);
    const urn = trimmed(record.urn).toUpperCase();
    if (URN_PATTERN.test(urn) && !state.units.has(urn)) urns.add(urn);
    const qan = normaliseQanText(trimmed(record.qan));
    if (QAN_PATTERN.test(qan)) {
      if (!state.qualifications.has(qan)) qans.add(qan);
      if (!withdraw && isValidUln(uln)) awardUlns.add(uln);
    }
    const award = trimmed(record.award_date);
    if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(award) && (earliestAward === '' || award < earliestAward))
      earliestAward = award;
  }
  const submittedMs = options.submittedAt.getTime();
  const outageFrom =
    earliestAward === '' ? submittedMs : Math.min(Date.parse(`${earliestAward}T00:00:00Z`) - DAY_MS, submittedMs);

  const [register, units, qualifications, existing, credits, outages] = await Promise.all([
    registerEntriesFor(graph, ulns),
    unitsByUrn(graph, [...urns]),
    Promise.all([...qans].map(async (qan) => [qan, await getQualificationRules(graph, qan)] as const)),
    existingRecords(graph, aoUkprn, [...recordIds]),
    learnerUnitCredits(graph, [...awardUlns]),
    earliestAward === ''
      ? Promise.resolve([] as DowntimeWindow[])
      : outagesFor(graph, state, Number.isFinite(outageFrom) ? outageFrom : submittedMs, submittedMs),
  ]);
  for (const urn of urns) state.units.set(urn, units.get(urn) ?? null);
  for (const [qan, rules] of qualifications) state.qualifications.set(qan, rules);

  const isLate = lateChecker(options.submittedAt, submitter.nation, outages);
  const changedHere = new Map<string, number>();
  const overlay = options.validateOnly ? state.pendingCredits : new Map<string, Map<string, LearnerCredit>>();
  const ctx: RowContext = {
    aoUkprn,
    today: londonDate(options.submittedAt),
    batchId: options.batchId,
    register: (uln) => register.get(uln),
    unit: (urn) => state.units.get(urn) ?? undefined,
    qualification: (qan) => state.qualifications.get(qan) ?? undefined,
    existing: (id) => existing.get(id),
    earlierRow: (id, row) => {
      const earlier = changedHere.get(id) ?? state.changed.get(id);
      return earlier !== undefined && earlier !== row ? earlier : undefined;
    },
    credits: (uln) => {
      const stored = credits.get(uln) ?? [];
      const pending = overlay.get(uln);
      if (!pending) return stored;
      return [...stored.filter((c) => !pending.has(c.id)), ...pending.values()];
    },
  };
  const pend = (uln: string, credit: LearnerCredit) => {
    let m = overlay.get(uln);
    if (!m) overlay.set(uln, (m = new Map<string, LearnerCredit>()));
    m.set(credit.id, credit);
  };

  const plan: ChunkPlan = {
    validateOnly: options.validateOnly,
    aoUkprn,
    outcome: { accepted: 0, late: 0, unchanged: 0, rejected: [] },
    results: [],
    adds: [],
    changes: [],
  };
  const at = options.submittedAt.toISOString();
  const common = { aoUkprn, at, by: submitter.subject, batchId: options.batchId ?? null };
  for (const n of ordered) {
    const decision: RowDecision = validateRow(n, ctx);
    if (decision.kind === 'rejected') {
      plan.outcome.rejected.push(decision.problem);
      plan.results.push({ row: n.row, recordId: decision.problem.recordId, result: 'rejected', late: false });
      continue;
    }
    const { recordId } = decision;
    const key = recordKey(aoUkprn, recordId);
    changedHere.set(recordId, n.row);
    if (decision.kind === 'unchanged') {
      // Unchanged rows write nothing, so only the run's state can remember them.
      state.changed.set(recordId, n.row);
      plan.outcome.unchanged++;
      plan.results.push({ row: n.row, recordId, result: 'unchanged', late: false });
      continue;
    }
    plan.outcome.accepted++;
    // A written change is marked on the record itself (batchId, batchRow); a validated one only here.
    if (options.validateOnly) state.changed.set(recordId, n.row);
    if (decision.kind === 'replayed') {
      const late = decision.action === 'ADD' && decision.previous.late;
      if (late) plan.outcome.late++;
      const result: RowResult =
        decision.action === 'ADD' ? 'added' : decision.action === 'AMEND' ? 'amended' : 'withdrawn';
      plan.results.push({ row: n.row, recordId, result, late });
      continue;
    }
    const base = { ...common, key, recordId, batchRow: n.row };
    if (decision.kind === 'add') {
      const late = isLate(decision.content.awardDate);
      if (late) plan.outcome.late++;
      plan.adds.push({ ...base, ...decision.content, status: 'active', late, underChallenge: null });
      if (decision.content.kind === 'unit') pend(decision.content.uln, creditOf(key, decision.content, 'active'));
      plan.results.push({ row: n.row, recordId, result: 'added', late });
    } else if (decision.kind === 'amend') {
      plan.changes.push({
        ...base,
        ...decision.content,
        action: 'AMEND',
        status: 'active',
        late: decision.previous.late,
      });
      if (decision.content.kind === 'unit') pend(decision.content.uln, creditOf(key, decision.content, 'active'));
      plan.results.push({ row: n.row, recordId, result: 'amended', late: false });
    } else {
      const p: StoredRecord = decision.previous;
      const { recordId: _id, version: _v, batchId: _b, batchRow: _r, status: _s, ...content } = p;
      plan.changes.push({ ...base, ...content, action: 'WITHDRAW', status: 'withdrawn' });
      if (p.kind === 'unit') pend(p.uln, creditOf(key, p, 'withdrawn'));
      plan.results.push({ row: n.row, recordId, result: 'withdrawn', late: false });
    }
  }
  plan.outcome.rejected.sort((a: RowProblem, b: RowProblem) => a.row - b.row);
  return plan;
}

/** The chunk's writes in the caller's transaction (UNWIND statements), returning the outcome. With validateOnly, writes nothing. */
export async function writeChunk(tx: GraphTx, plan: ChunkPlan): Promise<ChunkOutcome> {
  if (!plan.validateOnly) {
    const added = await addRecords(tx, plan.aoUkprn, plan.adds);
    const changed = await changeRecords(tx, plan.changes);
    // A unit, qualification or record that vanished since planning: fail the transaction so
    // the caller retries the chunk from a fresh plan rather than count what was not written.
    if (added !== plan.adds.length || changed !== plan.changes.length) {
      throw new Error(
        `the graph changed while the chunk was planned: wrote ${added} of ${plan.adds.length} new records and ${changed} of ${plan.changes.length} changes`,
      );
    }
  }
  const { accepted, late, unchanged, rejected } = plan.outcome;
  return { accepted, late, unchanged, rejected: [...rejected] };
}

/** plan + one write transaction, for callers that need no checkpoint of their own. */
export async function applyChunk(
  graph: Graph,
  submitter: Submitter,
  rows: NumberedRecord[],
  options: ChunkOptions,
  state: BatchState,
): Promise<ChunkOutcome> {
  return (await applyChunkWithPlan(graph, submitter, rows, options, state)).outcome;
}

/** applyChunk that also hands back the plan (what happened to each row): for single records. */
export async function applyChunkWithPlan(
  graph: Graph,
  submitter: Submitter,
  rows: NumberedRecord[],
  options: ChunkOptions,
  state: BatchState,
): Promise<{ plan: ChunkPlan; outcome: ChunkOutcome }> {
  const plan = await planChunk(graph, submitter, rows, options, state);
  const nothingToWrite = options.validateOnly || (plan.adds.length === 0 && plan.changes.length === 0);
  const outcome = nothingToWrite
    ? await writeChunk(undefined as unknown as GraphTx, { ...plan, validateOnly: true })
    : await graph.writeTx((tx) => writeChunk(tx, plan));
  return { plan, outcome };
}

/** Service outages overlapping [from, to): the windows that extend submission deadlines. */
export async function downtimeWindows(graph: Graph, from: Date, to: Date): Promise<DowntimeWindow[]> {
  return serviceOutages(graph, from, to);
}
