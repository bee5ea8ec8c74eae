/**
 * REST for the analysts' console (SPEC 6, issue 7 item 5): POST /analytics/cypher runs
 * read-only Cypher for the analyst role, with a time and a row limit, after checking its
 * plan keeps personal details out of reach. Every query is logged with who ran it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import { Neo4jError } from 'neo4j-driver';
import { access } from '../platform/guard.js';
import { AppError, ErrorBody } from '../platform/errors.js';
import type { Principal } from '../platform/auth.js';
import type { Graph } from '../platform/neo4j.js';
import { checkPlan, checkRows, checkText, maskLiterals, syntaxMessage, toJson, type Refusal } from './console.js';
import { EXPLAIN_PREFIX, planQuery, recordQuery, runQuery, type QueryLogEntry } from './repository.js';

export interface AnalyticsOptions {
  /** Time limit of one query (planning and running), ms. Default 10,000. */
  timeoutMs?: number;
  /** Most rows in an answer. Default 1,000. */
  maxRows?: number;
}

export const ANALYTICS_DEFAULTS = { timeoutMs: 10_000, maxRows: 1_000 } as const;

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

/** Timeouts and terminations as the server reports them. */
function isTimeout(err: Neo4jError): boolean {
  return /TimedOut|Terminated|TransactionTimedOut/.test(err.code ?? '') || /timed out|terminated/i.test(err.message);
}

export const analyticsRoutes: FastifyPluginAsyncTypebox<AnalyticsOptions> = async (app, opts) => {
  const timeoutMs = opts.timeoutMs ?? ANALYTICS_DEFAULTS.timeoutMs;
  const maxRows = opts.maxRows ?? ANALYTICS_DEFAULTS.maxRows;

  app.post(
    '/analytics/cypher',
    {
      config: { access: access.roles('analyst') },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['analytics'],
        summary: "The analysts' console: run one read-only Cypher query",
        description: `Runs in a read transaction with a ${timeoutMs} ms time limit and at most ${maxRows} rows. The query's plan is checked first: writes, procedures (other than db.labels, db.relationshipTypes, db.propertyKeys), LOAD CSV, schema and administration commands, personal-detail labels and properties, properties()/keys()/{.*} and computed subscripts are refused, and an answer holding whole nodes, relationships or paths is refused. See docs/analytics.md.`,
        body: CypherBody,
        response: { 200: CypherAnswer, 400: ErrorBody, 408: ErrorBody },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const text = request.body.query;
      const graph = app.deps.graph;
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const log = (outcome: QueryLogEntry['outcome'], reason: string | null, rows = 0) =>
        logQuery(graph, request.log, principal, { text: maskLiterals(text), outcome, reason, rows, ms: elapsed() });
      const refused = async (r: Refusal) => {
        await log('refused', r.reason);
        return new AppError(400, 'ANALYTICS_REFUSED', `refused: ${r.reason}`, { kind: r.kind, refused: r.name });
      };

      const early = checkText(text);
      if (early) throw await refused(early);

      let answer;
      try {
        const facts = await planQuery(graph.driver, graph.database, text, timeoutMs);
        const refusal = checkPlan(facts, graph.database);
        if (refusal) throw await refused(refusal);
        answer = await runQuery(graph.driver, graph.database, text, { timeoutMs, maxRows });
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (!(err instanceof Neo4jError) || err.code === 'ServiceUnavailable' || err.code === 'SessionExpired')
          throw err;
        if (isTimeout(err)) {
          await log('timeout', `stopped after the ${timeoutMs} ms time limit`);
          throw new AppError(
            408,
            'ANALYTICS_TIMEOUT',
            `the query did not finish within the ${timeoutMs} ms time limit and was stopped`,
          );
        }
        if (/AccessMode|ForbiddenOnReadOnlyDatabase|WriteOnReadOnly/.test(err.code)) {
          throw await refused({
            kind: 'query-type',
            name: 'write',
            reason: 'the query tried to write; the console is read-only',
          });
        }
        const message = syntaxMessage(err.message, EXPLAIN_PREFIX);
        if (
          /SyntaxError|SemanticError|ParameterMissing|ParameterNotProvided|UnknownFunction|ProcedureNotFound/.test(
            err.code,
          )
        ) {
          await log('syntax-error', err.code);
          throw new AppError(400, 'CYPHER_SYNTAX', message, { neo4jCode: err.code });
        }
        if (err.code.startsWith('Neo.ClientError.')) {
          await log('error', err.code);
          throw new AppError(400, 'CYPHER_ERROR', message, { neo4jCode: err.code });
        }
        throw err;
      }

      const leak = checkRows(answer.rows);
      if (leak) throw await refused(leak);
      const rows = answer.rows.map((row) => row.map(toJson));
      await log('ok', null, rows.length);
      return { columns: answer.columns, rows, rowCount: rows.length, truncated: answer.truncated, ms: elapsed() };
    },
  );
};

/** To the pino log (no rows, literals masked) and to the graph as an (:AnalyticsQuery). */
async function logQuery(
  graph: Graph,
  logger: FastifyBaseLogger,
  who: Principal,
  entry: Omit<QueryLogEntry, 'subject' | 'organisation'>,
): Promise<void> {
  const full: QueryLogEntry = { subject: who.subject, organisation: who.organisation ?? null, ...entry };
  logger.info({ analytics: full }, `analytics query ${entry.outcome}`);
  try {
    await recordQuery(graph, full);
  } catch (err) {
    // The answer is not withheld for a failed log write, but the failure is loud.
    logger.error(
      { err: (err as Error).message, analytics: { subject: full.subject, outcome: full.outcome } },
      'analytics query not recorded',
    );
  }
}
