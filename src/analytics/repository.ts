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
import type { PlanFacts } from './console.js';

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

export interface RawAnswer {
  columns: string[];
  /** At most maxRows rows, values as the driver gives them. */
  rows: unknown[][];
  truncated: boolean;
}

/**
 * Run a checked query in a read transaction with the time limit, reading at most
 * maxRows + 1 records (the extra one only says "truncated"); the transaction is rolled
 * back, never committed.
 */
export async function runQuery(
  driver: Driver,
  database: string,
  text: string,
  limits: { timeoutMs: number; maxRows: number },
): Promise<RawAnswer> {
  const session = driver.session({
    database,
    defaultAccessMode: neo4j.session.READ,
    fetchSize: Math.min(limits.maxRows + 1, 1000),
  });
  try {
    const tx = session.beginTransaction({ timeout: limits.timeoutMs });
    try {
      const result = tx.run(text);
      const columns = (await result.keys()).map(String);
      const rows: unknown[][] = [];
      let truncated = false;
      for await (const record of result as AsyncIterable<Neo4jRecord>) {
        if (rows.length === limits.maxRows) {
          truncated = true;
          break;
        }
        rows.push(columns.map((c): unknown => record.get(c)));
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
  /** The query with its string literals masked. */
  text: string;
  outcome: 'ok' | 'refused' | 'syntax-error' | 'error' | 'timeout';
  reason: string | null;
  rows: number;
  ms: number;
}

/** One (:AnalyticsQuery) node per query, run or refused. */
export async function recordQuery(graph: Graph, entry: QueryLogEntry): Promise<void> {
  await graph.write('analytics/record-query', { ...entry });
}
