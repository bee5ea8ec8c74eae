/**
 * OCF 08 in the graph: (:Challenge)-[:ABOUT]->(:Achievement), -[:CONCERNS]->(:Learner),
 * -[:ADDRESSED_TO]->(:Organisation), and for a representative's letter
 * -[:FILED_BY_REPRESENTATIVE]->(:Representative). The only code that runs the challenge Cypher.
 */
import { openDetails } from '../../platform/personal-details.js';
import type { Graph, GraphTx } from '../../platform/neo4j.js';
import type { Sealer } from '../../platform/sealing.js';
import type {
  ChallengeChannel,
  ChallengeStatus,
  FieldChange,
  PlannedResolution,
  RecordState,
  ResolutionAction,
} from './rules.js';

export interface ChallengeRecordView {
  recordId: string;
  aoUkprn: string;
  urn: string | null;
  unitTitle: string | null;
  credit: number | null;
  level: string | null;
  grade: string | null;
  awardDate: string | null;
  status: string;
  underChallenge: boolean;
  version: number;
}

export interface ChallengeRow {
  id: string;
  uln: string;
  recordKey: string;
  aoUkprn: string;
  reason: string;
  filedAt: string;
  filedBy: string;
  channel: ChallengeChannel;
  /** The representative who wrote, when one did; `name` only where the caller may see it. */
  representative: { name?: string; relationship: string } | null;
  status: ChallengeStatus;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** The AO's reason, when it gave one. */
  resolution: string | null;
  action: ResolutionAction | null;
  changes: FieldChange[];
  /** Service hours from filing to resolution; null while open. */
  serviceHours: number | null;
  notifiedAt: string | null;
  record: ChallengeRecordView;
}

interface RawChallenge {
  challenge: {
    id: string;
    uln: string;
    recordKey: string;
    aoUkprn: string;
    reason: string;
    filedBy: string;
    channel: ChallengeChannel;
    status: ChallengeStatus;
    resolvedBy: string | null;
    resolution: string | null;
    action: ResolutionAction | null;
    changes: string | null;
    serviceHours: number | null;
    filedAtMs: number;
    resolvedAtMs: number | null;
    notifiedAtMs: number | null;
  };
  record: Omit<ChallengeRecordView, 'unitTitle'>;
  unitTitle: string | null;
  representative: { name?: string; relationship: string } | null;
}

const iso = (ms: number | null): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Free text and a representative's details are sealed in the graph (docs/analytics.md, the second wall). */
function toRow(raw: RawChallenge, sealer: Sealer): ChallengeRow {
  const c = raw.challenge;
  const rep = raw.representative;
  const r = raw.record;
  return {
    id: c.id,
    uln: c.uln,
    recordKey: c.recordKey,
    aoUkprn: c.aoUkprn,
    reason: sealer.open(c.reason),
    filedAt: iso(c.filedAtMs) as string,
    filedBy: c.filedBy,
    channel: c.channel,
    representative: rep
      ? {
          ...(rep.name !== undefined ? { name: sealer.open(rep.name) } : {}),
          relationship: sealer.open(rep.relationship),
        }
      : null,
    status: c.status,
    resolvedAt: iso(c.resolvedAtMs),
    resolvedBy: c.resolvedBy ?? null,
    resolution: sealer.openOptional(c.resolution),
    action: c.action ?? null,
    changes: c.changes ? (JSON.parse(c.changes) as FieldChange[]) : [],
    serviceHours: c.serviceHours ?? null,
    notifiedAt: iso(c.notifiedAtMs),
    record: {
      recordId: r.recordId,
      aoUkprn: r.aoUkprn,
      urn: r.urn ?? null,
      unitTitle: raw.unitTitle ?? null,
      credit: r.credit ?? null,
      level: r.level ?? null,
      grade: r.grade ?? null,
      awardDate: r.awardDate ?? null,
      status: r.status,
      underChallenge: r.underChallenge === true,
      version: r.version ?? 1,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Filing

export async function recordForLearner(
  graph: Graph,
  uln: string,
  key: string,
): Promise<{ status: 'active' | 'withdrawn'; submittedAtMs: number | null } | null> {
  const [row] = await graph.read<{ status: 'active' | 'withdrawn'; submittedAtMs: number | null }>(
    'learners/challenge-record-for-learner',
    { uln, key },
  );
  return row ? { status: row.status, submittedAtMs: row.submittedAtMs ?? null } : null;
}

export interface NewChallenge {
  id: string;
  uln: string;
  key: string;
  reason: string;
  filedAt: Date;
  filedBy: string;
  channel: ChallengeChannel;
  representative: { name: string; relationship: string } | null;
}

/** Create the challenge and flag the record; false when the record was no longer active. */
export async function createChallenge(graph: Graph, c: NewChallenge): Promise<boolean> {
  const { sealer } = graph;
  const rows = await graph.write('learners/challenge-file', {
    ...c,
    reason: sealer.seal(c.reason),
    representative: c.representative
      ? { name: sealer.seal(c.representative.name), relationship: sealer.seal(c.representative.relationship) }
      : null,
    filedAt: c.filedAt.toISOString(),
  });
  return rows.length === 1;
}

// ---------------------------------------------------------------------------------------
// Reading

export async function challengesForLearner(graph: Graph, uln: string): Promise<ChallengeRow[]> {
  return (await graph.read<RawChallenge & Record<string, unknown>>('learners/challenge-list-for-learner', { uln })).map(
    (r) => toRow(r, graph.sealer),
  );
}

export async function challengeQueue(
  graph: Graph,
  aoUkprn: string,
  status: ChallengeStatus | null,
  limit: number,
  offset: number,
): Promise<{ total: number; items: ChallengeRow[] }> {
  const [row] = await graph.read<{ total: number; items: RawChallenge[] }>('learners/challenge-queue', {
    aoUkprn,
    status,
    limit,
    offset,
  });
  if (!row) return { total: 0, items: [] };
  return { total: row.total, items: row.items.map((r) => toRow(r, graph.sealer)) };
}

export async function challengeForAo(graph: Graph, aoUkprn: string, id: string): Promise<ChallengeRow | null> {
  const [row] = await graph.read<RawChallenge & Record<string, unknown>>('learners/challenge-for-ao', { aoUkprn, id });
  return row ? toRow(row, graph.sealer) : null;
}

// ---------------------------------------------------------------------------------------
// Resolving, in one transaction

/** What a resolution decides from, read after the challenge and its record are locked. */
export interface LockedChallenge {
  id: string;
  uln: string;
  status: ChallengeStatus;
  filedAt: Date;
  recordKey: string;
  recordId: string;
  urn: string | null;
  record: RecordState;
  unit: { credit: number; level: string } | null;
}

export interface ResolutionWrite {
  plan: PlannedResolution;
  resolvedAt: Date;
  resolvedBy: string;
  serviceHours: number;
}

/**
 * Lock the challenge (addressed to this AO) and its record, let `decide` look at them and
 * say what to write (or throw to write nothing), write it, and return the challenge as
 * it now stands. Null when no challenge with that id is addressed to this AO.
 */
export async function resolveChallengeTx(
  graph: Graph,
  aoUkprn: string,
  id: string,
  decide: (locked: LockedChallenge) => ResolutionWrite,
): Promise<{ locked: LockedChallenge; write: ResolutionWrite; challenge: ChallengeRow } | null> {
  return graph.writeTx(async (tx: GraphTx) => {
    const [row] = await tx.run<{
      id: string;
      uln: string;
      status: ChallengeStatus;
      filedAtMs: number;
      recordKey: string;
      recordId: string;
      urn: string | null;
      record: RecordState;
      unit: { credit: number; level: string } | null;
    }>('learners/challenge-lock', { aoUkprn, id });
    if (!row) return null;
    const locked: LockedChallenge = {
      id: row.id,
      uln: row.uln,
      status: row.status,
      filedAt: new Date(row.filedAtMs),
      recordKey: row.recordKey,
      recordId: row.recordId,
      urn: row.urn ?? null,
      record: { ...row.record, grade: row.record.grade ?? null },
      unit: row.unit ?? null,
    };
    const write = decide(locked);
    const { plan } = write;
    if (plan.outcome === 'upheld') {
      await tx.run('learners/challenge-version-record', {
        key: locked.recordKey,
        at: write.resolvedAt.toISOString(),
        by: write.resolvedBy,
        challengeId: id,
        withdraw: plan.set.withdraw === true,
        credit: plan.set.credit ?? null,
        level: plan.set.level ?? null,
        grade: plan.set.grade ?? null,
        awardDate: plan.set.awardDate ?? null,
      });
    }
    await tx.run('learners/challenge-close', {
      id,
      outcome: plan.outcome,
      resolvedAt: write.resolvedAt.toISOString(),
      resolvedBy: write.resolvedBy,
      reason: graph.sealer.sealOptional(plan.reason),
      action: plan.action,
      changes: JSON.stringify(plan.changes),
      serviceHours: write.serviceHours,
    });
    const [after] = await tx.run<RawChallenge & Record<string, unknown>>('learners/challenge-for-ao', { aoUkprn, id });
    return { locked, write, challenge: toRow(after, graph.sealer) };
  });
}

// ---------------------------------------------------------------------------------------
// Telling the learner, and the access log

/** The learner's contact email, or null. Personal: never log what this returns. */
export async function learnerContactEmail(graph: Graph, uln: string): Promise<string | null> {
  const [row] = await graph.read<{ own: string | null; master: string | null }>('learners/challenge-learner-contact', {
    uln,
  });
  if (!row) return null;
  return openDetails(graph.sealer, row.own)?.email ?? openDetails(graph.sealer, row.master)?.email ?? null;
}

export async function markNotified(graph: Graph, id: string, at: Date): Promise<void> {
  await graph.write('learners/challenge-notified', { id, at: at.toISOString() });
}

export interface ChallengeAccess {
  uln: string;
  subject: string;
  organisation: string | null;
  roles: string[];
  what: string;
}

export async function logChallengeAccess(graph: Graph, rows: ChallengeAccess[]): Promise<void> {
  if (rows.length === 0) return;
  await graph.write('learners/challenge-access-log', { rows });
}
