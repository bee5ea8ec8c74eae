/**
 * OCF 07 in the graph: AvailabilityRequest nodes (one per request, linked FOR the learner)
 * and the Learner.available flag they set. The only code that runs the availability Cypher.
 */
import type { Graph } from '../../platform/neo4j.js';
import type { AvailabilityChannel } from './rules.js';

export interface AvailabilityRequestRecord {
  id: string;
  available: boolean;
  /** The flag before this request: equal to `available` when the request changed nothing. */
  previous: boolean;
  channel: AvailabilityChannel;
  requestedAt: string;
  handledAt: string;
  /** The subject (user id) that handled it: the learner's own, or the operator's. */
  handledBy: string;
  note: string | null;
  serviceHours: number;
}

export interface NewAvailabilityRequest {
  id: string;
  uln: string;
  available: boolean;
  channel: AvailabilityChannel;
  requestedAt: Date;
  handledAt: Date;
  handledBy: string;
  note: string | null;
  serviceHours: number;
}

type RawRequest = Omit<AvailabilityRequestRecord, 'requestedAt' | 'handledAt'> & {
  requestedAtMs: number;
  handledAtMs: number;
};

function toRecord(raw: RawRequest): AvailabilityRequestRecord {
  const { requestedAtMs, handledAtMs, ...rest } = raw;
  return {
    ...rest,
    note: rest.note ?? null,
    requestedAt: new Date(requestedAtMs).toISOString(),
    handledAt: new Date(handledAtMs).toISOString(),
  };
}

/** Store the request and change the flag in one statement; null when the learner does not exist. */
export async function recordAvailabilityRequest(
  graph: Graph,
  req: NewAvailabilityRequest,
): Promise<{ uln: string; available: boolean; mergedRecords: number; request: AvailabilityRequestRecord } | null> {
  const [row] = await graph.write<{ uln: string; available: boolean; mergedRecords: number; request: RawRequest }>(
    'learners/availability-record-request',
    {
      ...req,
      requestedAt: req.requestedAt.toISOString(),
      handledAt: req.handledAt.toISOString(),
    },
  );
  if (!row) return null;
  return { uln: row.uln, available: row.available, mergedRecords: row.mergedRecords, request: toRecord(row.request) };
}

export interface AvailabilityHistory {
  uln: string;
  available: boolean;
  /** Set when this ULN was merged into another: the history shown is the master's. */
  masterUln: string | null;
  total: number;
  requests: AvailabilityRequestRecord[];
}

export async function availabilityHistory(
  graph: Graph,
  uln: string,
  limit: number,
): Promise<AvailabilityHistory | null> {
  const [row] = await graph.read<{
    uln: string;
    available: boolean;
    masterUln: string | null;
    total: number;
    requests: RawRequest[];
  }>('learners/availability-history', { uln, limit });
  if (!row) return null;
  return {
    uln: row.uln,
    available: row.available,
    masterUln: row.masterUln,
    total: row.total,
    requests: row.requests.map(toRecord),
  };
}
