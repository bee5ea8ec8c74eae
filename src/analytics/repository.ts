/**
 * The analysts' console, I/O part. Two kinds of Cypher run here:
 *
 * - the service's own statement (logging a query) is a named file, cypher/analytics/,
 *   run through Graph like every other statement;
 * - the analyst's query is data, not one of the service's statements: it cannot live in
 *   cypher/. It runs only through `planQuery` and `runQuery` below, on the driver, in a
 *   READ session, after checkPlan (console.ts) has passed its plan. This is the one
 *   exception to "every Cypher statement in cypher/" (docs/analytics.md).
 */
import neo4j, { type Driver, type Record as Neo4jRecord, type ResultSummary } from 'neo4j-driver';
import type { Graph } from '../platform/neo4j.js';
import { toJson, type PlanFacts, type Refusal } from './console.js';

/** What the console puts in front of the analyst's query to get its plan. */
export const EXPLAIN_PREFIX = 'EXPLAIN ';

/** The plan of a query, without running it; throws Neo4j's error when it does not compile. */
export async function planQuery(driver: Driver, database: string, text: string, timeoutMs: number): Promise<PlanFacts> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    const tx = session.beginTransaction({ timeout: timeoutMs });
    try {
      const result = await tx.run(EXPLAIN_PREFIX + text);
      const summary: ResultSummary = result.summary;
      return {
        plan: summary.plan ? summary.plan : null,
        queryType: summary.queryType ?? undefined,
        database: summary.database?.name ?? undefined,
      };
    } finally {
      await tx.rollback().catch(() => undefined);
    }
  } finally {
    await session.close();
  }
}

export interface AnswerLimits {
  timeoutMs: number;
  maxRows: number;
  /** Most bytes of the answer's rows as JSON. */
  maxBytes: number;
  /** Longest list or map anywhere in a value. */
  maxList: number;
}

export type RunAnswer =
  | {
      columns: string[];
      /** At most maxRows rows, values as plain JSON. */
      rows: unknown[][];
      truncated: boolean;
    }
  | { refusal: Refusal }
  | { tooLarge: string };

/** The longest list or map in a plain JSON value, if longer than max. */
function overlong(value: unknown, max: number): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const items = Array.isArray(value) ? value : Object.values(value);
  if (items.length > max) return items.length;
  for (const v of items) {
    const n = overlong(v, max);
    if (n !== undefined) return n;
  }
  return undefined;
}

/**
 * Run a checked query in a read transaction with the time limit, reading records one
 * small batch at a time and stopping as soon as a limit is passed: maxRows (one more
 * record is read only to say "truncated"), maxBytes of JSON, maxList items in any list.
 * Each row goes through `check` (the answer-side rule) before it is converted. The
 * transaction is rolled back, never committed.
 */
export async function runQuery(
  driver: Driver,
  database: string,
  text: string,
  limits: AnswerLimits,
  check: (row: unknown[]) => Refusal | undefined,
): Promise<RunAnswer> {
  const session = driver.session({
    database,
    defaultAccessMode: neo4j.session.READ,
    fetchSize: Math.min(limits.maxRows + 1, 100),
  });
  try {
    const tx = session.beginTransaction({ timeout: limits.timeoutMs });
    try {
      const result = tx.run(text);
      const columns = (await result.keys()).map(String);
      const rows: unknown[][] = [];
      let bytes = 0;
      let truncated = false;
      for await (const record of result as AsyncIterable<Neo4jRecord>) {
        if (rows.length === limits.maxRows) {
          truncated = true;
          break;
        }
        const raw = columns.map((c): unknown => record.get(c));
        const refusal = check(raw);
        if (refusal) return { refusal };
        const long = overlong(raw, limits.maxList);
        if (long !== undefined)
          return { tooLarge: `a list or map in the answer has ${long} items; at most ${limits.maxList} are sent` };
        const row = raw.map(toJson);
        bytes += JSON.stringify(row).length;
        if (bytes > limits.maxBytes)
          return {
            tooLarge: `the answer is larger than ${limits.maxBytes} bytes; aggregate more, or return fewer rows`,
          };
        rows.push(row);
      }
      return { columns, rows, truncated };
    } finally {
      await tx.rollback().catch(() => undefined);
    }
  } finally {
    await session.close();
  }
}

export interface QueryLogEntry {
  subject: string;
  organisation: string | null;
  /** The query with literals, comments and the analyst's own names taken out (query-text.ts, stripForLog). */
  text: string;
  /** SHA-256 of the query as sent: the same query twice has the same hash. */
  hash: string;
  /** Labels and relationship types in the query's plan. */
  labels: string[];
  outcome: 'ok' | 'refused' | 'syntax-error' | 'error' | 'timeout' | 'too-large';
  reason: string | null;
  rows: number;
  ms: number;
}

/**
 * One (:AnalyticsQuery) node per query, run or refused. The full text is kept sealed with
 * the data key, which the console never holds: only the service, with the key, can open it (no command shows it yet).
 */
export async function recordQuery(graph: Graph, entry: QueryLogEntry, fullText: string): Promise<void> {
  await graph.write('analytics/record-query', { ...entry, sealedText: graph.sealer.seal(fullText) });
}
