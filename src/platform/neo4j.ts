/**
 * The Neo4j driver and the runner of named queries. Repositories are the only callers;
 * they pass a query name from cypher/ and parameters, never Cypher text.
 */
import neo4j, {
  type Driver,
  type ManagedTransaction,
  type Record as Neo4jRecord,
  isDate,
  isDateTime,
  isLocalDateTime,
  isDuration,
  isTime,
  isLocalTime,
  isInt,
  isNode,
  isRelationship,
} from 'neo4j-driver';
import type { Config } from '../config.js';
import { LOCAL_NEO4J_URI } from '../config.js';
import { queries, type QueryRegistry } from './queries.js';
import { Sealer } from './sealing.js';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

/**
 * Turn driver values into plain data once, here: integers to numbers (the driver is set
 * up for that), temporal values to ISO strings, nodes and relationships to their properties.
 */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (
    isDate(value) ||
    isDateTime(value) ||
    isLocalDateTime(value) ||
    isTime(value) ||
    isLocalTime(value) ||
    isDuration(value)
  ) {
    return String(value);
  }
  if (isNode(value) || isRelationship(value)) return plain((value as { properties: unknown }).properties);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out: Row = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/**
 * Parameters go the other way: JS numbers that are whole become Neo4j integers, so that
 * LIMIT, SKIP and integer properties get integers and not floats.
 */
export function toParams(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(toParams);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Row = {};
    for (const [k, v] of Object.entries(value)) out[k] = toParams(v);
    return out;
  }
  return value;
}

function toRow(record: Neo4jRecord): Row {
  const row: Row = {};
  for (const key of record.keys) row[key as string] = plain(record.get(key));
  return row;
}

/** A transaction in which named queries run; for work that spans several statements. */
export class GraphTx {
  constructor(
    private readonly tx: ManagedTransaction,
    private readonly registry: QueryRegistry,
    /** The graph's sealer, for repositories that seal or open values inside a transaction. */
    readonly sealer: Sealer,
  ) {}

  async run<T extends Row = Row>(name: string, params: Params = {}): Promise<T[]> {
    const result = await this.tx.run(this.registry.get(name).text, toParams(params));
    return result.records.map((r) => toRow(r) as T);
  }
}

export class Graph {
  constructor(
    readonly driver: Driver,
    readonly database: string,
    readonly registry: QueryRegistry,
    /** Seals what analysts must not read, at the repository boundary (src/platform/sealing.ts). */
    readonly sealer: Sealer,
  ) {}

  /** Run a named read query in its own read transaction. */
  async read<T extends Row = Row>(name: string, params: Params = {}, timeoutMs?: number): Promise<T[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(
        (tx) => new GraphTx(tx, this.registry, this.sealer).run<T>(name, params),
        timeoutMs ? { timeout: timeoutMs } : undefined,
      );
    } finally {
      await session.close();
    }
  }

  /** Run a named write query in its own write transaction (retried on transient errors). */
  async write<T extends Row = Row>(name: string, params: Params = {}): Promise<T[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite((tx) => new GraphTx(tx, this.registry, this.sealer).run<T>(name, params));
    } finally {
      await session.close();
    }
  }

  /** Several named queries in one write transaction: all apply or none. */
  async writeTx<T>(work: (tx: GraphTx) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite((tx) => work(new GraphTx(tx, this.registry, this.sealer)));
    } finally {
      await session.close();
    }
  }

  /**
   * Run a statement outside an explicit transaction. Schema commands need this; nothing
   * else should use it.
   */
  async autoCommit(name: string, params: Params = {}): Promise<Row[]> {
    const session = this.driver.session({ database: this.database });
    try {
      const result = await session.run(this.registry.get(name).text, toParams(params));
      return result.records.map(toRow);
    } finally {
      await session.close();
    }
  }

  /** Plan a named query without running it; throws when Neo4j cannot compile it. */
  async explain(name: string): Promise<void> {
    const session = this.driver.session({ database: this.database });
    try {
      await session.run(`EXPLAIN ${this.registry.get(name).text}`, {});
    } finally {
      await session.close();
    }
  }

  /** One trivial read, not retried, failing after timeoutMs: for health checks. */
  async ping(timeoutMs = 2000): Promise<void> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        session.run(this.registry.get('operations/ping').text),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      void session.close().catch(() => undefined);
    }
  }

  /** Wait until the server answers, for a server that may still be starting. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.ping(5_000);
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`Neo4j did not answer within ${timeoutMs / 1000} s: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

export function createGraph(config: Config, registry?: QueryRegistry): Graph {
  const driver = neo4j.driver(
    config.neo4jUri ?? LOCAL_NEO4J_URI,
    neo4j.auth.basic(config.neo4jUser, config.neo4jPassword),
    {
      // Counts and credits are small: plain JS numbers everywhere, decided once here.
      disableLosslessIntegers: true,
      connectionAcquisitionTimeout: 10_000,
      connectionTimeout: 5_000,
      maxConnectionPoolSize: 50,
      logging: { level: 'error', logger: () => undefined },
    },
  );
  return new Graph(
    driver,
    config.neo4jDatabase,
    registry ?? queries(),
    Sealer.load({ dataKey: config.dataKey, dataKeyFile: config.dataKeyFile }),
  );
}
