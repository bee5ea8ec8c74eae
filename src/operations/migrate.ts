/**
 * Schema migrations: every file in cypher/schema/, in name order. Each is idempotent
 * (IF NOT EXISTS), so applying them at every start and by `plr migrate` is safe.
 */
import type { Graph } from '../platform/neo4j.js';

export interface MigrationReport {
  applied: string[];
  indexes: { name: string; type: string; labelsOrTypes: string[]; properties: string[]; fromConstraint: boolean }[];
}

export async function migrate(graph: Graph): Promise<MigrationReport> {
  const applied: string[] = [];
  for (const q of graph.registry.list('schema')) {
    await graph.autoCommit(q.name);
    applied.push(q.name);
  }
  await graph.autoCommit('operations/await-indexes');
  const indexes = (await graph.read('operations/list-schema')) as unknown as MigrationReport['indexes'];
  return { applied, indexes };
}
