/**
 * Achievement records in the graph. For now the one writer records unit credits as given
 * (tests, the demo seed and benchmarks use it); the upload issue adds validation,
 * versions, amendments and withdrawals on top.
 */
import type { Graph } from '../platform/neo4j.js';
import type { Level } from '../catalogue/model.js';

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

/** Write unit credits; returns how many were recorded (rows naming an unknown unit are skipped). */
export async function recordUnitCredits(graph: Graph, rows: UnitCreditRow[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ grade: null, underChallenge: false, ...r }));
    const [res] = await graph.write('achievements/upsert-unit-credits', { rows: chunk });
    total += res.recorded as number;
  }
  return total;
}
