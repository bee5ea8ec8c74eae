import type { Histogram } from 'hdr-histogram-js';
import type { Graph } from '../platform/neo4j.js';
import { decodeHistogram, encodeHistogram, newHistogram, sliceKey, type TimingSlice } from './timing.js';
import type { BatchRow, OutageRow } from './service-levels.js';

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

// --- response-time figures (src/operations/timing.ts) -----------------------------------

/**
 * Add a process's slices to the stored days, in one transaction: lock each day's node,
 * merge the stored histogram with the new one, store. A retried transaction starts again
 * from the stored histograms, so nothing is counted twice.
 */
export async function storeTimings(graph: Graph, slices: readonly TimingSlice[]): Promise<number> {
  if (slices.length === 0) return 0;
  const rows = slices
    .map((s) => ({ s, key: sliceKey(s.ocf, s.day) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return graph.writeTx(async (tx) => {
    const stored = await tx.run<{ key: string; histogram: string | null }>('operations/timing-lock', {
      rows: rows.map(({ s, key }) => ({ key, ocf: s.ocf, day: s.day })),
    });
    const before = new Map(stored.map((r) => [r.key, r.histogram]));
    const merged = rows.map(({ s, key }) => {
      const h = newHistogram();
      const prior = before.get(key);
      if (prior) h.add(decodeHistogram(prior));
      h.add(s.histogram);
      return { key, histogram: encodeHistogram(h), count: s.count, sumMicros: s.sumMicros, errors: s.errors };
    });
    const [row] = await tx.run<{ stored: number }>('operations/timing-store', { rows: merged });
    return row?.stored ?? 0;
  });
}

export interface StoredTiming {
  ocf: string;
  day: string;
  count: number;
  sumMicros: number;
  errors: number;
  histogram: Histogram;
}

/** The stored days of a month (YYYY-MM, London). */
export async function timingsOfMonth(graph: Graph, month: string): Promise<StoredTiming[]> {
  const rows = await graph.read<Omit<StoredTiming, 'histogram'> & { histogram: string | null }>(
    'operations/timing-month',
    { month },
  );
  return rows.map((r) => ({ ...r, histogram: r.histogram ? decodeHistogram(r.histogram) : newHistogram() }));
}

// --- the service-level report --------------------------------------------------------------

export async function reportBatches(graph: Graph, from: Date, to: Date): Promise<BatchRow[]> {
  return graph.read<BatchRow & Record<string, unknown>>('operations/report-batches', {
    from: from.toISOString(),
    to: to.toISOString(),
  });
}

export async function reportHandling(
  graph: Graph,
  from: Date,
  to: Date,
): Promise<{ kind: 'challenge' | 'availability'; serviceHours: number | null }[]> {
  return graph.read('operations/report-handling', { from: from.toISOString(), to: to.toISOString() });
}

export async function reportOutages(graph: Graph, from: Date, to: Date): Promise<OutageRow[]> {
  return graph.read<OutageRow & Record<string, unknown>>('operations/report-outages', {
    from: from.toISOString(),
    to: to.toISOString(),
  });
}

export interface BatchMetricRow {
  status: string;
  batches: number;
  processed: number;
  rowsPerSecond: number;
  overdue: number;
}

export async function batchMetrics(graph: Graph): Promise<BatchMetricRow[]> {
  return graph.read<BatchMetricRow & Record<string, unknown>>('operations/metrics-batches', {}, 5_000);
}
