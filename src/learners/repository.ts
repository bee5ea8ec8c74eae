/**
 * The learner register in the graph. Personal details are kept on PersonalDetails nodes.
 */
import type { Graph } from '../platform/neo4j.js';

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
      previousFamilyName: null, postcode: null, email: null, available: true, linkedTo: null, ...r,
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
