/**
 * Errors that pass (Neo4j or Redis restarting, a dropped connection, a deadlock) and the
 * retrying of work through them with back-off. Long-running work (a batch's chunks) uses
 * it so that a restart of either costs time, not the work.
 */

/** Neo4j codes and network error codes that a later try can get past. */
const TRANSIENT_NEO4J =
  /^(ServiceUnavailable|SessionExpired|Neo\.TransientError\.|Neo\.ClientError\.Cluster\.NotALeader)/;
const TRANSIENT_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);
/** ioredis's words for a connection that is gone or not yet back. */
const TRANSIENT_REDIS =
  /Connection is closed|Stream isn't writeable|Reached the max retries per request|connect ECONNREFUSED/;

/** Whether an error is one a later try may not meet (a server away or restarting). Pure. */
export function isTransient(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as { code?: unknown; retriable?: unknown; message?: unknown; name?: unknown };
  if (e.retriable === true) return true;
  if (typeof e.code === 'string' && (TRANSIENT_NEO4J.test(e.code) || TRANSIENT_NET.has(e.code))) return true;
  if (typeof e.message === 'string' && TRANSIENT_REDIS.test(e.message)) return true;
  return e.name === 'MaxRetriesPerRequestError';
}

/** The wait before try number `attempt` (1-based): doubling from `firstMs`, at most `maxMs`. Pure. */
export function backoffMs(attempt: number, firstMs = 250, maxMs = 5_000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}

export interface RetryOptions {
  /** Give up (throw the last error) once this much time has passed, ms. */
  forMs: number;
  /** What the work is, for the log. */
  what: string;
  log?: { warn(obj: object, msg: string): void };
  sleep?: (ms: number) => Promise<void>;
}

/** Run `work`, trying again with back-off while it fails with a transient error, up to `forMs`. */
export async function retrying<T>(work: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = Date.now() + opts.forMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isTransient(err) || Date.now() >= until) throw err;
      const wait = Math.min(backoffMs(attempt), Math.max(0, until - Date.now()));
      opts.log?.warn(
        { what: opts.what, attempt, waitMs: wait, err: (err as Error).message },
        'transient error: retrying',
      );
      await sleep(wait);
    }
  }
}
