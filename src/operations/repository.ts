import type { Graph } from '../platform/neo4j.js';

export interface WorkerRow {
  name: string;
  lastSeen: string;
  beats: number;
  pid: number | null;
  host: string | null;
}

export async function listWorkers(graph: Graph, limit: number): Promise<WorkerRow[]> {
  return graph.read<WorkerRow & Record<string, unknown>>('operations/list-workers', { limit });
}
