/**
 * The analysts' console (SPEC 6, issue 7 item 5, issue 15 part 2): one query in, checked
 * against the analytics schema, planned and run in the console's worker thread, logged.
 * The rules are in query-text.ts (the text's allow-list), console.ts (the plan and the
 * answer) and schema.ts (what may be read); docs/analytics.md says why they hold.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../platform/errors.js';
import type { Principal } from '../platform/auth.js';
import type { Graph } from '../platform/neo4j.js';
import { checkText, syntaxMessage, type Refusal } from './console.js';
import { checkQueryText, stripForLog } from './query-text.js';
import { EXPLAIN_PREFIX, recordQuery, type AnswerLimits, type QueryLogEntry } from './repository.js';
import type { ConsoleRunner } from './runner.js';

export interface ConsoleContext {
  graph: Graph;
  runner: ConsoleRunner;
  log: FastifyBaseLogger;
  limits: AnswerLimits;
}

export interface ConsoleAnswer {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  ms: number;
}

/** Longest message of Neo4j's passed on to the analyst. */
const MESSAGE_MAX = 600;

/**
 * Neo4j's message for a query that failed while running, without the values it may
 * quote (a runtime error can name the value it choked on), and capped.
 */
export function runtimeMessage(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "'…'")
    .split('\n')[0]
    .slice(0, MESSAGE_MAX);
}

export async function runConsoleQuery(ctx: ConsoleContext, who: Principal, text: string): Promise<ConsoleAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let labels: string[] = [];
  const log = (outcome: QueryLogEntry['outcome'], reason: string | null, rows = 0) =>
    logQuery(ctx, who, text, {
      text: stripForLog(text),
      hash: createHash('sha256').update(text).digest('hex'),
      labels,
      outcome,
      reason,
      rows,
      ms: elapsed(),
    });
  const refused = async (r: Refusal) => {
    // The refused name may be something the analyst typed: the log keeps only its kind.
    await log('refused', `refused ${r.kind}`);
    return new AppError(400, 'ANALYTICS_REFUSED', `refused: ${r.reason}`, {
      kind: r.kind,
      refused: r.name.slice(0, 80),
    });
  };

  const early = checkText(text) ?? checkQueryText(text);
  if (early?.kind === 'syntax') {
    await log('syntax-error', 'syntax');
    throw new AppError(400, 'CYPHER_SYNTAX', early.reason);
  }
  if (early) throw await refused(early);

  const a = await ctx.runner.run(text, ctx.limits);
  labels = a.labels;
  if (a.ok) {
    await log('ok', null, a.rows.length);
    return { columns: a.columns, rows: a.rows, rowCount: a.rows.length, truncated: a.truncated, ms: elapsed() };
  }
  switch (a.kind) {
    case 'refused':
      throw await refused(a.refusal);
    case 'too-large':
      await log('too-large', a.message);
      throw new AppError(400, 'ANALYTICS_TOO_LARGE', `refused: ${a.message}`);
    case 'timeout':
      await log('timeout', `stopped after the ${ctx.limits.timeoutMs} ms time limit`);
      throw new AppError(
        408,
        'ANALYTICS_TIMEOUT',
        `the query did not finish within the ${ctx.limits.timeoutMs} ms time limit and was stopped`,
      );
    case 'failed':
      await log('error', a.message);
      throw new AppError(503, 'ANALYTICS_UNAVAILABLE', 'the console could not run the query; try again');
    case 'neo4j':
      return neo4jFailure(a.code, a.message, log, ctx.limits.timeoutMs);
  }
}

async function neo4jFailure(
  code: string,
  message: string,
  log: (outcome: QueryLogEntry['outcome'], reason: string | null) => Promise<void>,
  timeoutMs: number,
): Promise<never> {
  if (/TimedOut|Terminated|TransactionTimedOut/.test(code) || /timed out|terminated/i.test(message)) {
    await log('timeout', `stopped after the ${timeoutMs} ms time limit`);
    throw new AppError(
      408,
      'ANALYTICS_TIMEOUT',
      `the query did not finish within the ${timeoutMs} ms time limit and was stopped`,
    );
  }
  if (/AccessMode|ForbiddenOnReadOnlyDatabase|WriteOnReadOnly/.test(code)) {
    await log('refused', 'the query tried to write; the console is read-only');
    throw new AppError(400, 'ANALYTICS_REFUSED', 'refused: the query tried to write; the console is read-only', {
      kind: 'query-type',
      refused: 'write',
    });
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') {
    await log('error', code);
    throw new AppError(503, 'DEPENDENCY_UNAVAILABLE', 'the graph database is not answering; try again shortly');
  }
  if (/SyntaxError|SemanticError|ParameterMissing|ParameterNotProvided|UnknownFunction|ProcedureNotFound/.test(code)) {
    // A compile error quotes the analyst's own text back, nothing from the graph.
    await log('syntax-error', code);
    throw new AppError(400, 'CYPHER_SYNTAX', syntaxMessage(message, EXPLAIN_PREFIX).slice(0, MESSAGE_MAX * 2), {
      neo4jCode: code,
    });
  }
  await log('error', code);
  throw new AppError(400, 'CYPHER_ERROR', runtimeMessage(message), { neo4jCode: code });
}

/** To the pino log (stripped text, hash, planned labels; never rows) and, with the full text sealed, to the graph. */
async function logQuery(
  ctx: ConsoleContext,
  who: Principal,
  fullText: string,
  entry: Omit<QueryLogEntry, 'subject' | 'organisation'>,
): Promise<void> {
  const full: QueryLogEntry = { subject: who.subject, organisation: who.organisation ?? null, ...entry };
  ctx.log.info({ analytics: full }, `analytics query ${entry.outcome}`);
  try {
    await recordQuery(ctx.graph, full, fullText);
  } catch (err) {
    // The answer is not withheld for a failed log write, but the failure is loud.
    ctx.log.error(
      { err: (err as Error).message, analytics: { subject: full.subject, outcome: full.outcome } },
      'analytics query not recorded',
    );
  }
}
