/**
 * The learner register in the graph. Personal details are kept on PersonalDetails nodes.
 */
import type { Graph, GraphTx, Row } from '../platform/neo4j.js';
import type { StoredLearner } from './register/learner-fields.js';
import { openDetails, sealDetails } from '../platform/personal-details.js';
import type { Sealer } from '../platform/sealing.js';

export interface LearnerRow {
  uln: string;
  givenName: string;
  familyName: string;
  previousFamilyName?: string;
  dateOfBirth: string;
  gender: string;
  postcode?: string;
  email?: string;
  available?: boolean;
  linkedTo?: string;
}

export interface LearnerSharing {
  exists: boolean;
  available: boolean;
  linkedTo: string | null;
}

const CHUNK = 2_000;

export async function upsertLearners(graph: Graph, rows: LearnerRow[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      uln: r.uln,
      available: r.available ?? true,
      linkedTo: r.linkedTo ?? null,
      sealed: sealDetails(graph.sealer, r),
    }));
    const [res] = await graph.write('learners/upsert-learners', { rows: chunk });
    total += res.learners as number;
  }
  return total;
}

export async function learnerSharing(graph: Graph, uln: string): Promise<LearnerSharing> {
  const [row] = await graph.read<LearnerSharing & Record<string, unknown>>('learners/learner-sharing', { uln });
  return row;
}

export interface AccessEvent {
  uln: string;
  subject: string;
  organisation: string | null;
  roles: string[];
  /** What was read, e.g. "credit-check J/617/2480". */
  what: string;
  /** Whether the read was allowed or refused (a refused attempt is logged too). */
  outcome: 'allowed' | 'refused';
}

export async function recordAccess(graph: Graph, event: AccessEvent): Promise<void> {
  await graph.write('learners/record-access', { ...event });
}

// ---------------------------------------------------------------------------------------
// The learner register (src/learners/register/) and OCF 11 verification (src/learners/verify/)

/** A register entry to write, in canonical form (nulls for absent values). */
export interface RegisterWriteRow {
  uln: string;
  givenName: string;
  familyName: string;
  previousFamilyName: string | null;
  dateOfBirth: string;
  gender: string;
  postcode: string | null;
  email: string | null;
  /** Used for new learners only; null: available. */
  available: boolean | null;
  linkedTo: string | null;
}

type RawStored = Omit<StoredLearner, 'details'> & { sealedDetails: string | null } & Row;

function registerRowsByUln(sealer: Sealer, rows: RawStored[]): Map<string, StoredLearner> {
  return new Map(rows.map((r) => [r.uln, stored(sealer, r)]));
}

function stored(sealer: Sealer, { sealedDetails, ...r }: RawStored): StoredLearner {
  return { ...r, details: openDetails(sealer, sealedDetails) };
}

/** The register's entries for these ULNs, in their own read transaction; ULNs with no Learner are absent. */
export async function registerEntries(graph: Graph, ulns: string[]): Promise<Map<string, StoredLearner>> {
  if (ulns.length === 0) return new Map();
  return registerRowsByUln(graph.sealer, await graph.read<RawStored>('learners/register-existing', { ulns }));
}

/** The same, inside a write transaction (so that what is read is what the writes that follow compare with). */
export async function registerEntriesTx(tx: GraphTx, ulns: string[]): Promise<Map<string, StoredLearner>> {
  if (ulns.length === 0) return new Map();
  return registerRowsByUln(tx.sealer, await tx.run<RawStored>('learners/register-existing', { ulns }));
}

/** Write register entries in the transaction (new ones created, existing ones' details replaced); how many. */
export async function writeRegisterEntries(tx: GraphTx, rows: RegisterWriteRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const [res] = await tx.run('learners/upsert-learners', {
    rows: rows.map((r) => ({
      uln: r.uln,
      available: r.available,
      linkedTo: r.linkedTo,
      sealed: sealDetails(tx.sealer, r),
    })),
  });
  return res.learners as number;
}

/**
 * First step of registering one learner, inside its transaction: lock the learner (creating
 * a bare Learner for a new ULN, available as given) and read what the register holds.
 */
export async function lockRegisterEntry(tx: GraphTx, uln: string, available: boolean): Promise<StoredLearner> {
  const [row] = await tx.run<RawStored>('learners/register-lock', { uln, available });
  return stored(tx.sealer, row);
}

/** One ULN's merge chain as verify-lookup reads it: the ULN's own entry first, then each master in turn. */
export interface VerifyChainEntry {
  uln: string;
  linkedTo: string | null;
  details: {
    givenName: string | null;
    familyName: string | null;
    previousFamilyName: string | null;
    dateOfBirth: string | null;
    gender: string | null;
    postcode: string | null;
  } | null;
}

/**
 * OCF 11: the register entries for these ULNs and everything along their merge chains, in
 * one statement per call (callers chunk long lists). ULNs that are not Learners are absent.
 */
export async function verifyChains(graph: Graph, ulns: string[]): Promise<Map<string, VerifyChainEntry[]>> {
  if (ulns.length === 0) return new Map();
  const rows = await graph.read<{
    uln: string;
    chain: (Omit<VerifyChainEntry, 'details'> & { sealedDetails: string | null })[];
  }>('learners/verify-lookup', { ulns });
  // Matching is done here, in the service, on the opened details (nothing is compared in the graph).
  return new Map(
    rows.map((r) => [
      r.uln,
      r.chain.map(({ sealedDetails, ...e }) => ({ ...e, details: openDetails(graph.sealer, sealedDetails) })),
    ]),
  );
}
