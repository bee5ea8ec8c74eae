/**
 * REST for the analysts' console (SPEC 6, issue 7 item 5): POST /analytics/cypher runs
 * read-only Cypher for the analyst role, with a time and a row limit, after checking its
 * plan keeps personal details out of reach. Every query is logged with who ran it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LOCAL_NEO4J_URI } from '../config.js';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';
import { ConsoleRunner } from './runner.js';
import { runConsoleQuery } from './service.js';

export interface AnalyticsOptions {
  /** Time limit of one query (planning and running), ms. Default 10,000. */
  timeoutMs?: number;
  /** Most rows in an answer. Default 1,000. */
  maxRows?: number;
  /** Most bytes of an answer's rows as JSON. Default 4 MiB. */
  maxBytes?: number;
  /** Longest list or map anywhere in an answer. Default 10,000. */
  maxList?: number;
}

export const ANALYTICS_DEFAULTS = {
  timeoutMs: 10_000,
  maxRows: 1_000,
  maxBytes: 4 * 1024 * 1024,
  maxList: 10_000,
} as const;

/** Longest query text accepted. */
export const QUERY_MAX = 20_000;

const CypherBody = Type.Object(
  {
    query: Type.String({
      minLength: 1,
      maxLength: QUERY_MAX,
      description: 'One read-only Cypher statement, without parameters',
    }),
  },
  { additionalProperties: false },
);

const CypherAnswer = Type.Object(
  {
    columns: Type.Array(Type.String()),
    rows: Type.Array(Type.Array(Type.Unknown()), {
      description:
        'One array per row, values in column order: numbers, strings, booleans, null, lists and maps; temporal values as ISO strings',
    }),
    rowCount: Type.Integer(),
    truncated: Type.Boolean({ description: 'True when the query had more rows than the row limit' }),
    ms: Type.Integer(),
  },
  { additionalProperties: false },
);

export const analyticsRoutes: FastifyPluginAsyncTypebox<AnalyticsOptions> = async (app, opts) => {
  const limits = {
    timeoutMs: opts.timeoutMs ?? ANALYTICS_DEFAULTS.timeoutMs,
    maxRows: opts.maxRows ?? ANALYTICS_DEFAULTS.maxRows,
    maxBytes: opts.maxBytes ?? ANALYTICS_DEFAULTS.maxBytes,
    maxList: opts.maxList ?? ANALYTICS_DEFAULTS.maxList,
  };
  const runner = new ConsoleRunner({
    uri: app.config.neo4jUri ?? LOCAL_NEO4J_URI,
    user: app.config.neo4jUser,
    password: app.config.neo4jPassword,
    database: app.deps.graph.database,
  });
  app.addHook('onClose', async () => runner.close());

  app.post(
    '/analytics/cypher',
    {
      config: { access: access.roles('analyst'), ocf: 'none' },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['analytics'],
        summary: "The analysts' console: run one read-only Cypher query",
        description: `Runs in a read transaction with a ${limits.timeoutMs} ms time limit, at most ${limits.maxRows} rows, ${limits.maxBytes} bytes and lists of ${limits.maxList} items. Only the labels, relationship types and properties of the analytics schema may be named (docs/analytics.md); dynamic property, label and type access, properties()/keys()/{.*}, procedures other than db.labels, db.relationshipTypes and db.propertyKeys, writes and administration are refused, and so is an answer holding whole nodes, relationships or paths.`,
        body: CypherBody,
        response: { 200: CypherAnswer, 400: ErrorBody, 408: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) =>
      runConsoleQuery(
        { graph: app.deps.graph, runner, log: request.log, limits },
        request.principal!,
        request.body.query,
      ),
  );
};
