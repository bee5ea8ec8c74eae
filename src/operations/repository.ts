import type { Histogram } from 'hdr-histogram-js';
import type { Graph } from '../platform/neo4j.js';
import { decodeHistogram, encodeHistogram, newHistogram, sliceKey, type TimingSlice } from './timing.js';
import type { BatchRow, OutageRow } from './service-levels.js';
import type { KnownWindow, PlannedWindow } from './maintenance.js';

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

// --- maintenance windows and outages -------------------------------------------------------

export interface WindowRow extends KnownWindow {
  reason: string | null;
  inCoreHours: boolean;
  cancelled: boolean;
  source: string | null;
}

export async function createWindow(
  graph: Graph,
  w: PlannedWindow & { id: string; now: Date; createdBy: string },
): Promise<void> {
  await graph.write('operations/window-create', {
    id: w.id,
    kind: w.kind,
    start: w.start.toISOString(),
    end: w.end.toISOString(),
    announceFrom: w.announceFrom.toISOString(),
    messageEn: w.messageEn,
    messageCy: w.messageCy,
    reason: w.reason,
    inCoreHours: w.inCoreHours,
    now: w.now.toISOString(),
    createdBy: w.createdBy,
  });
}

export async function listWindows(
  graph: Graph,
  opts: { from: Date; cancelled?: boolean; limit?: number },
): Promise<WindowRow[]> {
  return graph.read<WindowRow & Record<string, unknown>>('operations/window-list', {
    from: opts.from.toISOString(),
    cancelled: opts.cancelled ?? false,
    limit: opts.limit ?? 50,
  });
}

export async function getWindow(graph: Graph, id: string): Promise<(WindowRow & { noticeSent: string | null }) | null> {
  const [row] = await graph.read<WindowRow & { noticeSent: string | null } & Record<string, unknown>>(
    'operations/window-get',
    { id },
  );
  return row ?? null;
}

export async function endWindow(
  graph: Graph,
  id: string,
  now: Date,
  by: string,
): Promise<{ id: string; cancelled: boolean } | null> {
  const [row] = await graph.write<{ id: string; cancelled: boolean }>('operations/window-end', {
    id,
    now: now.toISOString(),
    by,
  });
  return row ?? null;
}

export async function windowRecipients(graph: Graph): Promise<string[]> {
  const rows = await graph.read<{ emailSealed: string }>('operations/window-recipients');
  return [...new Set(rows.map((r) => graph.sealer.open(r.emailSealed)))].sort();
}

export async function noteWindowNotice(graph: Graph, id: string, note: string): Promise<void> {
  await graph.write('operations/window-notice-sent', { id, note });
}

export async function openOutage(
  graph: Graph,
  o: { id: string; start: string; end: string | null; reason: string },
): Promise<void> {
  await graph.write('operations/outage-open', o);
}

export async function closeOutage(graph: Graph, id: string, end: string): Promise<void> {
  await graph.write('operations/outage-close', { id, end });
}

// --- the service desk log -----------------------------------------------------------------

export interface DeskCallRow {
  id: string;
  receivedAt: string;
  channel: string;
  organisation: string | null;
  summary: string;
  category: string | null;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  resolution: string | null;
  serviceHours: number | null;
}

export async function recordDeskCall(
  graph: Graph,
  c: {
    id: string;
    receivedAt: string;
    channel: string;
    organisation: string | null;
    summary: string;
    category: string | null;
    now: string;
    by: string;
  },
): Promise<void> {
  await graph.write('operations/desk-record', c);
}

export async function getDeskCall(graph: Graph, id: string): Promise<DeskCallRow | null> {
  const [row] = await graph.read<DeskCallRow & Record<string, unknown>>('operations/desk-get', { id });
  return row ?? null;
}

export async function listDeskCalls(graph: Graph, status: string | null, limit: number): Promise<DeskCallRow[]> {
  return graph.read<DeskCallRow & Record<string, unknown>>('operations/desk-list', { status, limit });
}

export async function categoriseDeskCall(
  graph: Graph,
  id: string,
  category: string,
  now: string,
  by: string,
): Promise<boolean> {
  return (await graph.write('operations/desk-categorise', { id, category, now, by })).length > 0;
}

export async function resolveDeskCall(
  graph: Graph,
  r: { id: string; resolvedAt: string; resolution: string; by: string; serviceHours: number },
): Promise<boolean> {
  return (await graph.write('operations/desk-resolve', r)).length > 0;
}

export async function reportDesk(
  graph: Graph,
  from: Date,
  to: Date,
): Promise<
  {
    category: string | null;
    status: string;
    receivedAt: string;
    resolvedAt: string | null;
    serviceHours: number | null;
  }[]
> {
  return graph.read('operations/report-desk', { from: from.toISOString(), to: to.toISOString() });
}

// --- backup manifest (src/operations/backup.ts) ------------------------------------------

export interface GraphCounts {
  labels: Record<string, number>;
  types: Record<string, number>;
}

/** Nodes per label and relationships per type: what a restore must give back. */
export async function countGraph(graph: Graph): Promise<GraphCounts> {
  const labels = await graph.read<{ label: string; count: number }>('operations/backup-label-counts');
  const types = await graph.read<{ type: string; count: number }>('operations/backup-type-counts');
  return {
    labels: Object.fromEntries(labels.map((r) => [r.label, Number(r.count)])),
    types: Object.fromEntries(types.map((r) => [r.type, Number(r.count)])),
  };
}
