/**
 * Verifiable credentials in the graph (issue 17 point 6): the only code that runs
 * cypher/learners/credential-*. A credential's revocation is read from what it carries,
 * so amending or withdrawing a record (OCF 02, OCF 08) needs no step of its own.
 */
import type { Graph } from '../../platform/neo4j.js';

export async function storeCredential(
  graph: Graph,
  c: { id: string; uln: string; kind: string; qan: string | null; list: string; now: string },
): Promise<{ index: number; carried: number }> {
  const [row] = await graph.write<{ index: number; carried: number }>('learners/credential-issue', c);
  return { index: Number(row.index), carried: Number(row.carried) };
}

export interface CredentialState {
  list: string;
  index: number;
  revokedAt: string | null;
  /** Record ids of carried records amended or withdrawn since issue. */
  changed: string[];
}

export async function credentialState(graph: Graph, id: string): Promise<CredentialState | null> {
  const [row] = await graph.read<{ list: string; index: number; revokedAt: string | null; changed: string[] }>(
    'learners/credential-state',
    { id },
  );
  return row ? { list: row.list, index: Number(row.index), revokedAt: row.revokedAt, changed: row.changed } : null;
}

export async function revokedIndexes(
  graph: Graph,
  list: string,
): Promise<{ exists: boolean; size: number; revoked: number[] }> {
  const [row] = await graph.read<{ exists: boolean; size: number; revoked: number[] }>(
    'learners/credential-status-list',
    { list },
  );
  return { exists: row.exists, size: Number(row.size), revoked: row.revoked.map(Number) };
}
