/**
 * The learner record, record links and the access log in the graph: the only code of
 * this part that runs Cypher (cypher/learners/record-*, link-*, access-log-*). Access
 * events themselves are written by recordAccess (src/learners/repository.ts); an event
 * written before refusals were logged has no outcome and reads as "allowed".
 */
import { openDetails } from '../../platform/personal-details.js';
import type { Graph } from '../../platform/neo4j.js';
import { rulesFromRow, type RulesRow } from '../../catalogue/repository.js';
import type { AchievementRow, RulesInput } from './record.js';

export interface RecordRead {
  givenName: string | null;
  familyName: string | null;
  rows: AchievementRow[];
  /** The rules of every qualification the record touches, by QAN: read in the same round trip. */
  rules: Map<string, RulesInput>;
}

export async function readRecord(
  graph: Graph,
  uln: string,
  opts: { onlyAo: string | null; withNames: boolean },
): Promise<RecordRead> {
  const [row] = await graph.read<{
    sealedDetails: string | null;
    achievements: AchievementRow[];
    rules: RulesRow[];
  }>('learners/record-view', {
    uln,
    aoUkprn: opts.onlyAo,
    withNames: opts.withNames,
  });
  // OPTIONAL MATCH: always exactly one row.
  const details = openDetails(graph.sealer, row.sealedDetails);
  const rules = new Map<string, RulesInput>();
  for (const r of row.rules) rules.set(r.qualification.qan, rulesFromRow(r));
  return {
    givenName: details?.givenName ?? null,
    familyName: details?.familyName ?? null,
    rows: row.achievements,
    rules,
  };
}

// ---------------------------------------------------------------------------------------
// Record links

/** Neo4j writes times its own way (no milliseconds when they are zero, or nanoseconds): ISO here, once. */
function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : (value as { toString(): string }).toString();
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

export interface StoredLink {
  id: string;
  createdAt: string;
  expiresAt: string;
  lifetimeHours: number;
  singleUse: boolean;
  showName: boolean;
  opens: number;
  usedAt: string | null;
  revokedAt: string | null;
}

function toLink(raw: Record<string, unknown>): StoredLink {
  return {
    id: raw.id as string,
    createdAt: iso(raw.createdAt) as string,
    expiresAt: iso(raw.expiresAt) as string,
    lifetimeHours: Number(raw.lifetimeHours),
    singleUse: raw.singleUse === true,
    showName: raw.showName === true,
    opens: Number(raw.opens),
    usedAt: iso(raw.usedAt),
    revokedAt: iso(raw.revokedAt),
  };
}

/** Whether the learner exists and shares, and their contact email (never logged, never stored on the link). */
export async function linkContact(
  graph: Graph,
  uln: string,
): Promise<{ exists: boolean; available: boolean; email: string | null }> {
  const [row] = await graph.read<{ exists: boolean; available: boolean; sealedDetails: string | null }>(
    'learners/link-contact',
    { uln },
  );
  return {
    exists: row.exists,
    available: row.available,
    email: openDetails(graph.sealer, row.sealedDetails)?.email ?? null,
  };
}

export interface NewLink {
  id: string;
  uln: string;
  now: string;
  expiresAt: string;
  lifetimeHours: number;
  singleUse: boolean;
  showName: boolean;
}

/** Store a new link unless the learner reached the daily limit; `created` says which. */
export async function createLink(
  graph: Graph,
  link: NewLink,
  maxPerDay: number,
): Promise<{ created: boolean; recent: number }> {
  const [row] = await graph.write<{ created: boolean; recent: number }>('learners/link-create', { ...link, maxPerDay });
  // No row: the learner went away since linkContact saw them.
  return row ? { created: row.created, recent: row.recent } : { created: false, recent: 0 };
}

export interface OpenedLink {
  /** This opening was allowed and counted. */
  opened: boolean;
  available: boolean;
  showName: boolean;
  singleUse: boolean;
  expiresAt: string;
  /** Before this opening. */
  usedAt: string | null;
  revokedAt: string | null;
}

/** Try to open a link (atomically marks a single-use link used); null when there is no such link. */
export async function openLink(graph: Graph, uln: string, id: string, now: string): Promise<OpenedLink | null> {
  const [row] = await graph.write<Record<string, unknown>>('learners/link-open', { uln, id, now });
  if (!row) return null;
  return {
    opened: row.opened === true,
    available: row.available !== false,
    showName: row.showName === true,
    singleUse: row.singleUse === true,
    expiresAt: iso(row.expiresAt) as string,
    usedAt: iso(row.usedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** A page of the learner's links, newest first; null when there is no such learner. */
export async function listLinks(
  graph: Graph,
  uln: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: StoredLink[] } | null> {
  const [row] = await graph.read<{ total: number; items: Record<string, unknown>[] }>('learners/link-list', {
    uln,
    ...page,
  });
  if (!row) return null;
  return { total: row.total, items: row.items.map(toLink) };
}

export async function revokeLink(graph: Graph, uln: string, id: string, now: string): Promise<StoredLink | null> {
  const [row] = await graph.write<{ link: Record<string, unknown> }>('learners/link-revoke', { uln, id, now });
  return row ? toLink(row.link) : null;
}

// ---------------------------------------------------------------------------------------
// Access log

export interface AccessLogEntry {
  at: string;
  /** The ULN the event was written against (a merged ULN's events show under the master). */
  uln: string;
  subject: string;
  organisation: string | null;
  organisationName: string | null;
  roles: string[];
  what: string;
  outcome: 'allowed' | 'refused';
}

export async function accessLogPage(
  graph: Graph,
  uln: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: AccessLogEntry[] }> {
  const [row] = await graph.read<{ total: number; items: Record<string, unknown>[] }>('learners/access-log-page', {
    uln,
    ...page,
  });
  // An aggregate over the events: always one row, total 0 when there are none.
  const items = row.items.map((e) => ({
    at: iso(e.at) as string,
    uln: e.uln as string,
    subject: e.subject as string,
    organisation: e.organisation as string | null,
    organisationName: e.organisationName as string | null,
    roles: Array.isArray(e.roles) ? (e.roles as string[]) : [],
    what: e.what as string,
    outcome: e.outcome === 'refused' ? ('refused' as const) : ('allowed' as const),
  }));
  return { total: row.total, items };
}
