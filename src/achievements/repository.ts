/**
 * Achievement records in the graph (OCF 01 / OCF 02): the only code here that runs their
 * Cypher. Records are (:Achievement) nodes keyed `aoUkprn:recordId`; amendments and
 * withdrawals keep earlier values on (:AchievementVersion) nodes along PREVIOUS_VERSION.
 * Every write is an UNWIND over a list of rows.
 */
import { openDetails } from '../platform/personal-details.js';
import type { Graph, GraphTx } from '../platform/neo4j.js';
import type { Level, LearnerCredit, Unit } from '../catalogue/model.js';
import type { DowntimeWindow } from './deadline.js';
import type { RegisterEntry } from '../learners/verify.js';
import { registerLookup } from '../learners/verify/service.js';
import type { RecordContent, RecordStatus, StoredRecord } from './validate.js';

/** One record as the write statements take it. */
export interface RecordWrite extends RecordContent {
  key: string;
  recordId: string;
  aoUkprn: string;
  status: RecordStatus;
  late: boolean;
  /** ISO instant of this change. */
  at: string;
  /** Who made it: a user or API client subject, never personal details. */
  by: string;
  batchId: string | null;
  batchRow: number | null;
  underChallenge?: boolean | null;
}

/** A change to an existing record: the new values, and ADD, AMEND or WITHDRAW. */
export interface ChangeWrite extends RecordWrite {
  action: 'AMEND' | 'WITHDRAW';
}

/** New records of one AO, already validated (the learner, unit or qualification exist; the keys are free). */
export async function addRecords(tx: GraphTx, aoUkprn: string, rows: RecordWrite[]): Promise<number> {
  if (rows.length === 0) return 0;
  const [res] = await tx.run<{ recorded: number }>('achievements/add-records', { aoUkprn, rows });
  return res?.recorded ?? 0;
}

export async function changeRecords(tx: GraphTx, rows: ChangeWrite[]): Promise<number> {
  if (rows.length === 0) return 0;
  const [res] = await tx.run<{ changed: number }>('achievements/change-records', { rows });
  return res?.changed ?? 0;
}

export function recordKey(aoUkprn: string, recordId: string): string {
  return `${aoUkprn}:${recordId}`;
}

/** This AO's stored records with these record ids, by record id. */
export async function existingRecords(
  graph: Graph,
  aoUkprn: string,
  recordIds: string[],
): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>();
  if (recordIds.length === 0) return out;
  const rows = await graph.read<StoredRecord & Record<string, unknown>>('achievements/existing-records', {
    keys: recordIds.map((id) => recordKey(aoUkprn, id)),
  });
  for (const r of rows) {
    out.set(r.recordId, {
      ...contentOf(r),
      recordId: r.recordId,
      status: r.status === 'withdrawn' ? 'withdrawn' : 'active',
      version: r.version,
      late: r.late === true,
      batchId: r.batchId ?? null,
      batchRow: r.batchRow ?? null,
    });
  }
  return out;
}

const REGISTER_CHUNK = 5_000;

/**
 * Register entries for these ULNs, as verifyLearner's lookup wants them: one light read for
 * all, then the full merge-chain read of OCF 11 only for entries merged into another.
 */
export async function registerEntriesFor(graph: Graph, ulns: Iterable<string>): Promise<Map<string, RegisterEntry>> {
  const all = [...new Set(ulns)];
  const out = new Map<string, RegisterEntry>();
  const linked: string[] = [];
  for (let i = 0; i < all.length; i += REGISTER_CHUNK) {
    const rows = await graph.read<{ uln: string; linkedTo: string | null; sealedDetails: string | null }>(
      'achievements/register-entries',
      { ulns: all.slice(i, i + REGISTER_CHUNK) },
    );
    for (const r of rows) {
      const d = openDetails(graph.sealer, r.sealedDetails);
      out.set(r.uln, {
        uln: r.uln,
        linkedTo: r.linkedTo ?? null,
        givenName: d?.givenName ?? '',
        familyName: d?.familyName ?? '',
        previousFamilyName: d?.previousFamilyName ?? null,
        dateOfBirth: d?.dateOfBirth ?? '',
        gender: d?.gender ?? '',
        postcode: d?.postcode ?? null,
      });
      if (typeof r.linkedTo === 'string' && r.linkedTo.trim() !== '') linked.push(r.uln);
    }
  }
  if (linked.length > 0) {
    for (const [uln, entry] of await registerLookup(graph, linked)) if (!out.has(uln)) out.set(uln, entry);
  }
  return out;
}

/** Catalogue units by URN; URNs the catalogue does not hold are absent. */
export async function unitsByUrn(graph: Graph, urns: string[]): Promise<Map<string, Unit>> {
  const out = new Map<string, Unit>();
  if (urns.length === 0) return out;
  const rows = await graph.read<Unit & Record<string, unknown>>('catalogue/get-units', { urns });
  for (const r of rows) out.set(r.urn, { urn: r.urn, title: r.title, level: r.level, credit: r.credit });
  return out;
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

/** Each learner's unit credits (merged ULNs' included), from every AO. */
export async function learnerUnitCredits(graph: Graph, ulns: string[]): Promise<Map<string, LearnerCredit[]>> {
  const out = new Map<string, LearnerCredit[]>();
  if (ulns.length === 0) return out;
  const rows = await graph.read<{ uln: string; credits: CreditRow[] }>('achievements/learner-unit-credits', { ulns });
  for (const r of rows) {
    out.set(
      r.uln,
      r.credits.map((c) => ({
        id: c.id,
        urn: c.urn,
        credit: c.credit,
        level: c.level,
        awardDate: c.awardDate,
        status: c.status === 'withdrawn' ? 'withdrawn' : c.underChallenge ? 'challenged' : 'active',
      })),
    );
  }
  return out;
}

/** Recorded service unavailability overlapping [from, to). */
export async function serviceOutages(graph: Graph, from: Date, to: Date): Promise<DowntimeWindow[]> {
  const rows = await graph.read<{ start: string; end: string }>('achievements/service-outages', {
    from: from.toISOString(),
    to: to.toISOString(),
  });
  return rows.map((r) => ({ start: new Date(r.start), end: new Date(r.end) }));
}

/** The nation recorded for an organisation, or null. */
export async function organisationNation(graph: Graph, ukprn: string): Promise<string | null> {
  const [row] = await graph.read<{ nation: string | null }>('achievements/organisation-nation', { ukprn });
  return row?.nation ?? null;
}

export interface RecordView extends RecordContent {
  recordId: string;
  aoUkprn: string;
  status: RecordStatus;
  late: boolean;
  underChallenge: boolean;
  version: number;
  action: string;
  batchId: string | null;
  submittedAt: string | null;
  changedAt: string | null;
}

/** A stored record's content as read back (absent optional values as null). */
function contentOf(r: Record<string, unknown>): RecordContent {
  return {
    uln: r.uln as string,
    kind: r.kind === 'qualification' ? 'qualification' : 'unit',
    urn: (r.urn as string | null) ?? null,
    qan: (r.qan as string | null) ?? null,
    credit: r.credit as number,
    level: r.level as Level,
    awardDate: r.awardDate as string,
    grade: (r.grade as string | null) ?? null,
    providerUkprn: (r.providerUkprn as string | null) ?? null,
    language: (r.language as string | null) ?? null,
  };
}

function recordView(r: Record<string, unknown>): RecordView {
  return {
    ...contentOf(r),
    recordId: r.recordId as string,
    aoUkprn: r.aoUkprn as string,
    status: r.status === 'withdrawn' ? 'withdrawn' : 'active',
    late: r.late === true,
    underChallenge: r.underChallenge === true,
    version: (r.version as number) ?? 1,
    action: (r.action as string | null) ?? 'ADD',
    batchId: (r.batchId as string | null) ?? null,
    submittedAt: (r.submittedAt as string | null) ?? null,
    changedAt: (r.changedAt as string | null) ?? null,
  };
}

/** A page of one AO's records in record id order; `more` when another page follows. */
export async function listRecords(
  graph: Graph,
  aoUkprn: string,
  uln: string | null,
  skip: number,
  limit: number,
): Promise<{ items: RecordView[]; more: boolean }> {
  const rows = await graph.read<{ record: Record<string, unknown> }>('achievements/list-records', {
    aoUkprn,
    uln,
    skip,
    limit: limit + 1,
  });
  return { items: rows.slice(0, limit).map((r) => recordView(r.record)), more: rows.length > limit };
}

/** An earlier version: the values a change may alter (not the learner or the unit), and who superseded it. */
export interface VersionView extends Pick<
  RecordContent,
  'credit' | 'level' | 'awardDate' | 'grade' | 'providerUkprn' | 'language'
> {
  version: number;
  action: string;
  status: RecordStatus;
  late: boolean;
  batchId: string | null;
  changedAt: string | null;
  changedBy: string | null;
  supersededAt: string | null;
  supersededBy: string | null;
  /** Set when an upheld data challenge made the change that superseded this version. */
  challengeId: string | null;
}

export interface RecordHistory {
  current: RecordView & { submittedBy: string | null; changedBy: string | null };
  /** Earlier versions, newest first. */
  versions: VersionView[];
}

export async function recordHistory(graph: Graph, aoUkprn: string, recordId: string): Promise<RecordHistory | null> {
  const [row] = await graph.read<{ current: Record<string, unknown>; versions: Record<string, unknown>[] }>(
    'achievements/record-history',
    { key: recordKey(aoUkprn, recordId) },
  );
  if (!row) return null;
  const c = row.current;
  return {
    current: {
      ...recordView(c),
      submittedBy: (c.submittedBy as string | null) ?? null,
      changedBy: (c.changedBy as string | null) ?? null,
    },
    versions: row.versions.map((v) => ({
      version: v.version as number,
      action: (v.action as string | null) ?? 'ADD',
      credit: v.credit as number,
      level: v.level as Level,
      awardDate: v.awardDate as string,
      grade: (v.grade as string | null) ?? null,
      providerUkprn: (v.providerUkprn as string | null) ?? null,
      language: (v.language as string | null) ?? null,
      status: v.status === 'withdrawn' ? 'withdrawn' : 'active',
      late: v.late === true,
      batchId: (v.batchId as string | null) ?? null,
      changedAt: (v.changedAt as string | null) ?? null,
      changedBy: (v.changedBy as string | null) ?? null,
      supersededAt: (v.supersededAt as string | null) ?? null,
      supersededBy: (v.supersededBy as string | null) ?? null,
      challengeId: (v.challengeId as string | null) ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Unit credits as given, without validation: tests, the demo seed and benchmarks.

export interface UnitCreditRow {
  recordId: string;
  aoUkprn: string;
  uln: string;
  urn: string;
  credit: number;
  level: Level;
  awardDate: string;
  grade?: string;
  status: 'active' | 'withdrawn';
  underChallenge?: boolean;
}

const CHUNK = 2_000;

/**
 * Write unit credits straight into the record model (version 1, not late, submitted by
 * "seed"); returns how many were recorded (rows naming an unknown unit are skipped).
 * Nothing is checked: only for data that is known good.
 */
export async function recordUnitCredits(graph: Graph, rows: UnitCreditRow[]): Promise<number> {
  let total = 0;
  const at = new Date().toISOString();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk: RecordWrite[] = rows.slice(i, i + CHUNK).map((r) => ({
      key: recordKey(r.aoUkprn, r.recordId),
      recordId: r.recordId,
      aoUkprn: r.aoUkprn,
      uln: r.uln,
      kind: 'unit',
      urn: r.urn,
      qan: null,
      credit: r.credit,
      level: r.level,
      awardDate: r.awardDate,
      grade: r.grade ?? null,
      providerUkprn: null,
      language: null,
      status: r.status,
      late: false,
      at,
      by: 'seed',
      batchId: null,
      batchRow: null,
      underChallenge: r.underChallenge ?? false,
    }));
    const [res] = await graph.write<{ recorded: number }>('achievements/upsert-unit-credits', { rows: chunk });
    total += res?.recorded ?? 0;
  }
  return total;
}
