/**
 * The catalogue in Neo4j: loading a catalogue into the graph and reading it back.
 * The only code that runs the statements in cypher/catalogue/. docs/graph-model.md
 * describes the nodes, relationships and properties written here.
 *
 * Loading is idempotent: every Unit and Qualification carries a hash of its content, and
 * an entry whose hash matches is not written at all. A qualification whose hash differs
 * has its whole rule structure cleared and written again, inside one transaction, so a
 * reader never sees a mixture of old and new rules.
 */
import { createHash } from 'node:crypto';
import { parseCatalogue, serializeCatalogue, type CatalogueError } from './catalogue-file.js';
import {
  type Catalogue,
  type Equivalence,
  type Exemption,
  type Level,
  type LearnerCredit,
  type Qualification,
  type QualificationSize,
  type RuleGroup,
  type Unit,
  isLevel,
  levelRank,
  qualificationSize,
} from './model.js';
import type { Graph, GraphTx, Row } from '../platform/neo4j.js';

/** Bumped whenever the stored shape changes, so that the next load rewrites every entry. */
const STORAGE_VERSION = 'graph-model-1';

/** Rows per write statement (units, equivalences) or weighted rows per qualification chunk. */
export const DEFAULT_CHUNK_SIZE = 5_000;
/** Catalogues up to this many weighted rows are written in one transaction. */
export const DEFAULT_SINGLE_TRANSACTION_ROWS = 20_000;
/** Longest chain of equivalences the credit-transfer query follows (see the Cypher file). */
export const MAX_EQUIVALENCE_STEPS = 8;

export type LoadPhase = 'units' | 'equivalences' | 'qualifications';

export interface LoadProgress {
  phase: LoadPhase;
  /** Entries of this phase handled so far (units, global equivalences or qualifications). */
  done: number;
  total: number;
}

export interface LoadOptions {
  /** Rows per write statement; qualifications are grouped so that their rule rows come near it. */
  chunkSize?: number;
  onProgress?: (p: LoadProgress) => void;
  /**
   * `single`: everything in one transaction; `chunked`: one transaction per chunk;
   * `auto` (default): single when the catalogue has at most `singleTransactionRows`
   * weighted rows, chunked otherwise.
   */
  transaction?: 'auto' | 'single' | 'chunked';
  singleTransactionRows?: number;
}

export interface LoadCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface LoadReport {
  units: LoadCounts;
  qualifications: LoadCounts;
  globalEquivalences: { created: number; unchanged: number };
  mode: 'single' | 'chunked';
  transactions: number;
  timings: { validateMs: number; unitsMs: number; equivalencesMs: number; qualificationsMs: number; totalMs: number };
}

/** Thrown by loadCatalogue when the catalogue does not pass parseCatalogue; nothing was written. */
export class InvalidCatalogueError extends Error {
  constructor(readonly errors: CatalogueError[]) {
    super(
      `the catalogue is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}): ${errors[0]?.message ?? ''}`,
    );
    this.name = 'InvalidCatalogueError';
  }
}

// ---------------------------------------------------------------------------------------
// Rows written to the graph

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function unitHash(u: Unit): string {
  return sha256([STORAGE_VERSION, u.urn, u.title, u.level, u.credit]);
}

/** Order matters (positions are stored), so a reordered list counts as a change. */
export function qualificationHash(q: Qualification): string {
  return sha256([
    STORAGE_VERSION,
    q.qan,
    q.title,
    q.level,
    q.aoUkprn,
    q.operationalStart,
    q.operationalEnd ?? null,
    q.totalCredits,
    q.minCreditsAtLevel ? [q.minCreditsAtLevel.level, q.minCreditsAtLevel.credits] : null,
    q.validityYears ?? null,
    q.groups.map((g) => [
      g.id,
      g.title,
      g.mandatory,
      g.minCredits ?? null,
      g.maxCredits ?? null,
      g.minUnits ?? null,
      g.maxUnits ?? null,
      g.units,
    ]),
    q.barred,
    q.equivalences.map((e) => [e.from, e.to]),
    q.exemptions.map((e) => [e.name, e.group, e.credits]),
  ]);
}

const groupKey = (qan: string, id: string) => `${qan}#${id}`;
const barredKey = (qan: string, position: number) => `${qan}#barred-${position}`;
const exemptionKey = (qan: string, name: string) => `${qan}#${name}`;

function unitRow(u: Unit) {
  return {
    urn: u.urn,
    title: u.title,
    level: u.level,
    levelRank: levelRank(u.level),
    credit: u.credit,
    hash: unitHash(u),
  };
}

/** How many rows a qualification adds to the write statements: its weight in a chunk. */
function qualificationWeight(q: Qualification): number {
  let w = 1 + q.groups.length + q.equivalences.length + q.exemptions.length;
  for (const g of q.groups) w += g.units.length;
  for (const b of q.barred) w += 1 + b.length;
  return w;
}

interface QualificationRows {
  qualifications: Row[];
  groups: Row[];
  barred: Row[];
  exemptions: Row[];
  equivalences: Row[];
  /** Rows the statements must report, to catch a silently unmatched unit or group. */
  expect: { included: number; barred: number; exemptions: number; equivalences: number };
}

function qualificationRows(items: { q: Qualification; hash: string }[]): QualificationRows {
  const out: QualificationRows = {
    qualifications: [],
    groups: [],
    barred: [],
    exemptions: [],
    equivalences: [],
    expect: { included: 0, barred: 0, exemptions: 0, equivalences: 0 },
  };
  for (const { q, hash } of items) {
    out.qualifications.push({
      qan: q.qan,
      title: q.title,
      level: q.level,
      levelRank: levelRank(q.level),
      totalCredits: q.totalCredits,
      size: qualificationSize(q.totalCredits),
      operationalStart: q.operationalStart,
      operationalEnd: q.operationalEnd ?? null,
      validityYears: q.validityYears ?? null,
      minLevel: q.minCreditsAtLevel?.level ?? null,
      minLevelRank: q.minCreditsAtLevel ? levelRank(q.minCreditsAtLevel.level) : null,
      minLevelCredits: q.minCreditsAtLevel?.credits ?? null,
      aoUkprn: q.aoUkprn,
      hash,
    });
    q.groups.forEach((g, position) => {
      out.groups.push({
        qan: q.qan,
        key: groupKey(q.qan, g.id),
        id: g.id,
        title: g.title,
        mandatory: g.mandatory,
        minCredits: g.minCredits ?? null,
        maxCredits: g.maxCredits ?? null,
        minUnits: g.minUnits ?? null,
        maxUnits: g.maxUnits ?? null,
        position,
        units: g.units,
      });
      out.expect.included += g.units.length;
    });
    q.barred.forEach((units, position) => {
      out.barred.push({ qan: q.qan, key: barredKey(q.qan, position), position, units });
      out.expect.barred += units.length;
    });
    q.exemptions.forEach((e, position) => {
      out.exemptions.push({
        key: exemptionKey(q.qan, e.name),
        groupKey: groupKey(q.qan, e.group),
        name: e.name,
        credits: e.credits,
        position,
      });
    });
    out.expect.exemptions += q.exemptions.length;
    q.equivalences.forEach((e, position) => {
      out.equivalences.push({ qan: q.qan, from: e.from, to: e.to, position });
    });
    out.expect.equivalences += q.equivalences.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Loading

interface Step {
  phase: LoadPhase;
  /** Entries this step handles, for progress. */
  size: number;
  run(tx: GraphTx): Promise<Partial<Omit<LoadReport, 'mode' | 'transactions' | 'timings'>>>;
}

function one(rows: Row[], key: string): number {
  return Number(rows[0]?.[key] ?? 0);
}

function unitStep(units: Unit[]): Step {
  return {
    phase: 'units',
    size: units.length,
    async run(tx) {
      const [r] = await tx.run<{ written: number; updated: number }>('catalogue/upsert-units', {
        rows: units.map(unitRow),
      });
      const written = r?.written ?? 0;
      const updated = r?.updated ?? 0;
      return { units: { created: written - updated, updated, unchanged: units.length - written } };
    },
  };
}

function equivalenceStep(equivalences: Equivalence[]): Step {
  return {
    phase: 'equivalences',
    size: equivalences.length,
    async run(tx) {
      const rows = equivalences.map((e) => ({ from: e.from, to: e.to }));
      const created = one(await tx.run('catalogue/merge-global-equivalences', { rows }), 'created');
      return { globalEquivalences: { created, unchanged: equivalences.length - created } };
    },
  };
}

function qualificationStep(chunk: Qualification[]): Step {
  return {
    phase: 'qualifications',
    size: chunk.length,
    async run(tx) {
      const stored = new Map<string, string | null>();
      for (const r of await tx.run<{ qan: string; hash: string | null }>('catalogue/qualification-hashes', {
        qans: chunk.map((q) => q.qan),
      })) {
        stored.set(r.qan, r.hash);
      }
      const changed: { q: Qualification; hash: string }[] = [];
      const replaced: string[] = [];
      for (const q of chunk) {
        const hash = qualificationHash(q);
        if (stored.has(q.qan) && stored.get(q.qan) === hash) continue;
        changed.push({ q, hash });
        if (stored.has(q.qan)) replaced.push(q.qan);
      }
      const counts: LoadCounts = {
        created: changed.length - replaced.length,
        updated: replaced.length,
        unchanged: chunk.length - changed.length,
      };
      if (changed.length === 0) return { qualifications: counts };

      if (replaced.length > 0) await tx.run('catalogue/clear-qualification-rules', { qans: replaced });
      const rows = qualificationRows(changed);
      await tx.run('catalogue/upsert-qualifications', { rows: rows.qualifications });
      const check = (what: string, got: number, wanted: number) => {
        // A mismatch means a referenced unit or group was not found: fail, and roll back.
        if (got !== wanted)
          throw new Error(
            `catalogue load: wrote ${got} ${what} where ${wanted} were expected; nothing of this chunk was kept`,
          );
      };
      check(
        'group memberships',
        one(await tx.run('catalogue/create-groups', { rows: rows.groups }), 'included'),
        rows.expect.included,
      );
      if (rows.barred.length > 0) {
        check(
          'barred-set memberships',
          one(await tx.run('catalogue/create-barred-sets', { rows: rows.barred }), 'barred'),
          rows.expect.barred,
        );
      }
      if (rows.exemptions.length > 0) {
        check(
          'exemptions',
          one(await tx.run('catalogue/create-exemptions', { rows: rows.exemptions }), 'created'),
          rows.expect.exemptions,
        );
      }
      if (rows.equivalences.length > 0) {
        check(
          'qualification equivalences',
          one(await tx.run('catalogue/create-qualification-equivalences', { rows: rows.equivalences }), 'created'),
          rows.expect.equivalences,
        );
      }
      return { qualifications: counts };
    },
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Qualifications grouped so that each chunk's rule rows come to about `size`. */
function qualificationChunks(items: Qualification[], size: number): Qualification[][] {
  const out: Qualification[][] = [];
  let current: Qualification[] = [];
  let weight = 0;
  for (const q of items) {
    const w = qualificationWeight(q);
    if (current.length > 0 && weight + w > size) {
      out.push(current);
      current = [];
      weight = 0;
    }
    current.push(q);
    weight += w;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function emptyReport(mode: LoadReport['mode']): LoadReport {
  return {
    units: { created: 0, updated: 0, unchanged: 0 },
    qualifications: { created: 0, updated: 0, unchanged: 0 },
    globalEquivalences: { created: 0, unchanged: 0 },
    mode,
    transactions: 0,
    timings: { validateMs: 0, unitsMs: 0, equivalencesMs: 0, qualificationsMs: 0, totalMs: 0 },
  };
}

function addCounts(into: LoadReport, part: Awaited<ReturnType<Step['run']>>): void {
  for (const k of ['units', 'qualifications'] as const) {
    const p = part[k];
    if (!p) continue;
    into[k].created += p.created;
    into[k].updated += p.updated;
    into[k].unchanged += p.unchanged;
  }
  if (part.globalEquivalences) {
    into.globalEquivalences.created += part.globalEquivalences.created;
    into.globalEquivalences.unchanged += part.globalEquivalences.unchanged;
  }
}

const PHASE_TIMING = { units: 'unitsMs', equivalences: 'equivalencesMs', qualifications: 'qualificationsMs' } as const;

/**
 * Load a catalogue into the graph. The catalogue is checked first (parseCatalogue on its
 * serialised form) and nothing is written when it has problems: InvalidCatalogueError.
 *
 * Units go first, then global equivalences, then qualifications with their rules. Entries
 * whose content is unchanged are not written; entries absent from `catalogue` are left as
 * they are (a catalogue may be partial). Small catalogues are written in one transaction;
 * large ones in one transaction per chunk, each of which is safe to run again, so a load
 * that failed half-way is completed by loading the same catalogue again.
 */
export async function loadCatalogue(graph: Graph, catalogue: Catalogue, opts: LoadOptions = {}): Promise<LoadReport> {
  const started = performance.now();
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000) {
    throw new RangeError(`chunkSize must be a whole number from 1 to 100000, got ${chunkSize}`);
  }

  // Validation before any write; the checked copy (fresh objects) is what gets written.
  const checked = parseCatalogue(serializeCatalogue(catalogue));
  if (!checked.ok) throw new InvalidCatalogueError(checked.errors);
  const c = checked.catalogue;
  const validateMs = performance.now() - started;

  const steps: Step[] = [
    ...chunks(c.units, chunkSize).map(unitStep),
    ...chunks(c.equivalences, chunkSize).map(equivalenceStep),
    ...qualificationChunks(c.qualifications, chunkSize).map(qualificationStep),
  ];
  const totals: Record<LoadPhase, number> = {
    units: c.units.length,
    equivalences: c.equivalences.length,
    qualifications: c.qualifications.length,
  };
  let weight = c.units.length + c.equivalences.length;
  for (const q of c.qualifications) weight += qualificationWeight(q);
  const mode =
    opts.transaction === 'single' || opts.transaction === 'chunked'
      ? opts.transaction
      : weight <= (opts.singleTransactionRows ?? DEFAULT_SINGLE_TRANSACTION_ROWS)
        ? 'single'
        : 'chunked';

  const report = emptyReport(mode);
  report.timings.validateMs = Math.round(validateMs);
  const done: Record<LoadPhase, number> = { units: 0, equivalences: 0, qualifications: 0 };
  const progress = (step: Step) => {
    done[step.phase] += step.size;
    opts.onProgress?.({ phase: step.phase, done: done[step.phase], total: totals[step.phase] });
  };

  if (mode === 'single') {
    const phaseMs: Record<LoadPhase, number> = { units: 0, equivalences: 0, qualifications: 0 };
    const result = await graph.writeTx(async (tx) => {
      // The work may be retried by the driver: start from nothing each time.
      const r = emptyReport(mode);
      for (const p of Object.keys(phaseMs) as LoadPhase[]) phaseMs[p] = 0;
      for (const step of steps) {
        const t0 = performance.now();
        addCounts(r, await step.run(tx));
        phaseMs[step.phase] += performance.now() - t0;
      }
      return r;
    });
    addCounts(report, result);
    report.transactions = 1;
    for (const p of Object.keys(phaseMs) as LoadPhase[]) report.timings[PHASE_TIMING[p]] = Math.round(phaseMs[p]);
    for (const step of steps) progress(step);
  } else {
    for (const step of steps) {
      const t0 = performance.now();
      addCounts(report, await graph.writeTx((tx) => step.run(tx)));
      report.timings[PHASE_TIMING[step.phase]] += performance.now() - t0;
      report.transactions += 1;
      progress(step);
    }
    for (const p of Object.values(PHASE_TIMING)) report.timings[p] = Math.round(report.timings[p]);
  }
  report.timings.totalMs = Math.round(performance.now() - started);
  return report;
}

// ---------------------------------------------------------------------------------------
// Reading

function toUnit(raw: unknown): Unit {
  const r = raw as { urn: string; title: string; level: Level; credit: number };
  return { urn: r.urn, title: r.title, level: r.level, credit: r.credit };
}

type Positioned<T> = T & { position: number };

/** The shape of a qualification's rules as the catalogue's read statements return it. */
export interface RulesRow {
  qualification: {
    qan: string;
    title: string;
    level: Level;
    totalCredits: number;
    operationalStart: string;
    operationalEnd: string | null;
    validityYears: number | null;
    minLevel: Level | null;
    minLevelCredits: number | null;
  };
  owners: string[];
  groups: Positioned<{
    id: string;
    title: string;
    mandatory: boolean;
    minCredits: number | null;
    maxCredits: number | null;
    minUnits: number | null;
    maxUnits: number | null;
    units: Positioned<{ urn: string }>[];
  }>[];
  barred: Positioned<{ units: Positioned<{ urn: string }>[] }>[];
  equivalences: Positioned<Equivalence>[];
  exemptions: Positioned<Exemption>[];
  units: unknown[];
  globalEquivalences: { from: string; to: string; fromUnit: unknown }[];
}

interface QualificationRow extends RulesRow, Row {
  credits: CreditRow[];
  aoName: string | null;
}

interface CreditRow {
  id: string;
  urn: string;
  credit: number;
  level: Level;
  awardDate: string;
  status: string;
  underChallenge: boolean | null;
}

function toCredit(r: CreditRow): LearnerCredit {
  return {
    id: r.id,
    urn: r.urn,
    credit: r.credit,
    level: r.level,
    awardDate: r.awardDate,
    status: r.status === 'withdrawn' ? 'withdrawn' : r.underChallenge ? 'challenged' : 'active',
  };
}

/** Lists come out of the graph in no particular order; their stored positions restore it. */
function inOrder<T extends { position: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.position - b.position);
}

export interface QualificationRules {
  qualification: Qualification;
  /** Every unit the rules name, plus units that count as one of them by a global equivalence. */
  units: Map<string, Unit>;
  /** Global equivalences that lead (possibly by a chain) into a unit of the qualification's groups. */
  globalEquivalences: Equivalence[];
  /** With a learner: their unit credits (and those of ULNs merged into theirs), oldest first. */
  credits?: LearnerCredit[];
  /** The owning AO's name, when the register knows it (read for one qualification only). */
  aoName?: string | null;
}

/**
 * A read row turned into the evaluator's input: lists put back in their stored order, absent
 * bounds left absent, global equivalences de-duplicated and their starting units added.
 * Shared by every statement that returns this shape (one qualification, or many for routes).
 */
export function rulesFromRow(row: RulesRow): QualificationRules {
  const p = row.qualification;
  const qualification: Qualification = {
    qan: p.qan,
    title: p.title,
    level: p.level,
    aoUkprn: row.owners[0] ?? '',
    operationalStart: p.operationalStart,
    totalCredits: p.totalCredits,
    groups: inOrder(row.groups).map((g) => {
      const group: RuleGroup = {
        id: g.id,
        title: g.title,
        mandatory: g.mandatory,
        units: inOrder(g.units).map((u) => u.urn),
      };
      if (g.minCredits !== null) group.minCredits = g.minCredits;
      if (g.maxCredits !== null) group.maxCredits = g.maxCredits;
      if (g.minUnits !== null) group.minUnits = g.minUnits;
      if (g.maxUnits !== null) group.maxUnits = g.maxUnits;
      return group;
    }),
    barred: inOrder(row.barred).map((b) => inOrder(b.units).map((u) => u.urn)),
    equivalences: inOrder(row.equivalences).map((e) => ({ from: e.from, to: e.to })),
    exemptions: inOrder(row.exemptions).map((e) => ({ name: e.name, group: e.group, credits: e.credits })),
  };
  if (p.operationalEnd !== null) qualification.operationalEnd = p.operationalEnd;
  if (p.minLevel !== null && p.minLevelCredits !== null)
    qualification.minCreditsAtLevel = { level: p.minLevel, credits: p.minLevelCredits };
  if (p.validityYears !== null) qualification.validityYears = p.validityYears;

  const units = new Map<string, Unit>();
  for (const u of row.units) {
    const unit = toUnit(u);
    units.set(unit.urn, unit);
  }

  const seen = new Set<string>();
  const globalEquivalences: Equivalence[] = [];
  for (const r of row.globalEquivalences) {
    const key = `${r.from}>${r.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    globalEquivalences.push({ from: r.from, to: r.to });
    if (!units.has(r.from)) units.set(r.from, toUnit(r.fromUnit));
  }
  globalEquivalences.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  return { qualification, units, globalEquivalences };
}

/**
 * A qualification exactly as the catalogue states it, with what the RoC evaluator needs
 * besides: the units it names, the global equivalences that can bring other units into it
 * (chains of up to MAX_EQUIVALENCE_STEPS), and with a learner their credits. One round trip.
 */
export async function getQualificationRules(
  graph: Graph,
  qan: string,
  learner?: { uln: string; onlyAo: string | null },
): Promise<QualificationRules | null> {
  const [row] = await graph.read<QualificationRow>('catalogue/get-qualification', {
    qan,
    uln: learner?.uln ?? null,
    aoUkprn: learner?.onlyAo ?? null,
  });
  if (!row) return null;
  const rules = rulesFromRow(row);
  const credits = learner
    ? row.credits
        .map(toCredit)
        .sort((a, b) => (a.awardDate === b.awardDate ? (a.id < b.id ? -1 : 1) : a.awardDate < b.awardDate ? -1 : 1))
    : undefined;
  return { ...rules, credits, aoName: row.aoName ?? null };
}

export async function getUnit(graph: Graph, urn: string): Promise<Unit | null> {
  const [row] = await graph.read('catalogue/get-units', { urns: [urn] });
  return row ? toUnit(row) : null;
}

export interface CreditTransferMatch {
  qan: string;
  title: string;
  level: Level;
  /** The unit itself sits in one of the qualification's groups. */
  direct: boolean;
  /** Units of the qualification the unit counts as (itself when direct), with the equivalence steps taken and the groups. */
  countsAs: { urn: string; steps: number; groups: string[] }[];
}

/**
 * Credit transfer (SPEC 3): every qualification whose rule groups contain the unit, or a
 * unit it counts as through equivalences (global, or scoped to that qualification), in
 * QAN order. Chains of up to MAX_EQUIVALENCE_STEPS equivalences are followed.
 */
export async function qualificationsContainingUnit(graph: Graph, urn: string): Promise<CreditTransferMatch[]> {
  const rows = await graph.read<{
    qan: string;
    title: string;
    level: Level;
    reached: { urn: string; steps: number; groups: string[] }[];
  }>('catalogue/qualifications-containing-unit', { urn });
  return rows.map((r) => ({
    qan: r.qan,
    title: r.title,
    level: r.level,
    direct: r.reached.some((x) => x.steps === 0),
    countsAs: r.reached.map((x) => ({ urn: x.urn, steps: x.steps, groups: [...x.groups].sort() })),
  }));
}

export interface QualificationSummary {
  qan: string;
  title: string;
  level: Level;
  size: QualificationSize;
  totalCredits: number;
  aoUkprn: string | null;
  operationalStart: string;
  operationalEnd: string | null;
}

export interface ListQualificationsQuery {
  level?: Level;
  /** Matched, ignoring case, against the title and the QAN. */
  text?: string;
  limit: number;
  offset: number;
}

export const MAX_LIST_LIMIT = 1_000;

/** A page of qualifications in QAN order with the number of all that match. */
export async function listQualifications(
  graph: Graph,
  query: ListQualificationsQuery,
): Promise<{ total: number; items: QualificationSummary[] }> {
  const { limit, offset } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError('offset must be a whole number from 0');
  if (query.level !== undefined && !isLevel(query.level)) throw new RangeError(`not a level: ${String(query.level)}`);
  const text = query.text?.trim() ? query.text.trim() : null;
  const [row] = await graph.read<{ total: number; items: QualificationSummary[] }>('catalogue/list-qualifications', {
    level: query.level ?? null,
    text,
    limit,
    offset,
  });
  return {
    total: row?.total ?? 0,
    // Sorted here too: the order of a collected page is not something to rely on.
    items: (row?.items ?? [])
      .sort((a, b) => (a.qan < b.qan ? -1 : a.qan > b.qan ? 1 : 0))
      .map((q) => ({
        qan: q.qan,
        title: q.title,
        level: q.level,
        size: q.size,
        totalCredits: q.totalCredits,
        aoUkprn: q.aoUkprn ?? null,
        operationalStart: q.operationalStart,
        operationalEnd: q.operationalEnd ?? null,
      })),
  };
}

// ---------------------------------------------------------------------------------------
// Snapshot: counts and fingerprints of the catalogue part of the graph

export interface CatalogueSnapshot {
  /** Nodes by label and relationships by type. */
  counts: Record<string, number>;
  /** Hash of every catalogue node's and relationship's content (keys and properties, no ids). */
  fingerprint: string;
  /** Hash of the element ids: unchanged only when no node or relationship was recreated. */
  identity: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Counts and fingerprints of everything the catalogue loader writes, for checking that a
 * load changed nothing (tests) and for reporting what a load made (bench). Reads the whole
 * catalogue: meant for tests, benchmarks and operators, not for request handling.
 */
export async function catalogueSnapshot(graph: Graph): Promise<CatalogueSnapshot> {
  const counts: Record<string, number> = {};
  const content: string[] = [];
  const ids: string[] = [];
  for (const n of await graph.read<{ labels: string[]; id: string; props: unknown }>('catalogue/snapshot-nodes')) {
    const labels = [...n.labels].sort().join(':');
    counts[labels] = (counts[labels] ?? 0) + 1;
    content.push(`N ${labels} ${canonical(n.props)}`);
    ids.push(n.id);
  }
  for (const r of await graph.read<{ type: string; id: string; from: string; to: string; props: unknown }>(
    'catalogue/snapshot-relationships',
  )) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
    content.push(`R ${r.type} ${JSON.stringify(r.from)} ${JSON.stringify(r.to)} ${canonical(r.props)}`);
    ids.push(r.id);
  }
  const digest = (lines: string[]) => {
    const h = createHash('sha256');
    for (const line of lines.sort()) h.update(line).update('\n');
    return h.digest('hex');
  };
  return { counts, fingerprint: digest(content), identity: digest(ids) };
}

// ---------------------------------------------------------------------------------------
// A learner's credits, as the RoC evaluator and the credit check need them

export interface CreditRecordRow {
  recordId: string;
  aoUkprn: string;
  aoName: string | null;
  uln: string;
  credit: number;
  level: Level;
  grade: string | null;
  status: 'active' | 'withdrawn';
  underChallenge: boolean;
  awardDate: string;
}

/** The unit and a learner's records of credit for it, oldest award first; null when no such unit. */
export async function creditRecords(
  graph: Graph,
  uln: string,
  urn: string,
  onlyAo: string | null = null,
): Promise<{ unit: Unit; records: CreditRecordRow[] } | null> {
  const [row] = await graph.read<{ unit: unknown; records: CreditRecordRow[] }>('catalogue/credit-check', {
    uln,
    urn,
    aoUkprn: onlyAo,
  });
  if (!row) return null;
  const records = row.records.map((r) => ({
    ...r,
    grade: r.grade ?? null,
    aoName: r.aoName ?? null,
    underChallenge: r.underChallenge === true,
  }));
  records.sort((a, b) =>
    a.awardDate === b.awardDate ? a.recordId.localeCompare(b.recordId) : a.awardDate < b.awardDate ? -1 : 1,
  );
  return { unit: toUnit(row.unit), records };
}
