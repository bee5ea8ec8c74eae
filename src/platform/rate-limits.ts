/**
 * Rate limits on the routes a stranger can reach (issue 7 item 7): sign-in, the token
 * routes, and everything else open without a token (plus /graphql). Counts live in Redis
 * (@fastify/rate-limit's store), so several API processes share them.
 *
 * Routes that need a token are not limited here: their callers are known, and a disabled
 * user or revoked client stops at once (identity-routes.ts). Health probes and the API
 * docs are not limited either.
 *
 * When Redis does not answer within a second the request goes through (and a warning is
 * logged): sign-in still has the per-account lock-out, and an outage of the counter
 * should not take sign-in down with it.
 */
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Config, Limit } from '../config.js';
import { AppError, ErrorBody } from './errors.js';

export type LimitCategory = 'sign-in' | 'token' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The limit a route falls under when its URL does not say (portal forms: src/web). */
    limit?: LimitCategory;
  }
}

/** The token routes: each exchanges or spends a secret. */
export const TOKEN_ROUTES: readonly string[] = ['/auth/refresh', '/auth/token', '/auth/logout', '/auth/set-password'];

/** Open routes left unlimited: load-balancer probes and the static API docs. */
const UNLIMITED_PREFIXES = ['/health/', '/docs', '/assets/'];

/** Which limit a route falls under, or undefined for none. Pure. */
export function limitCategory(url: string, isPublic: boolean): LimitCategory | undefined {
  if (url === '/auth/login') return 'sign-in';
  if (TOKEN_ROUTES.includes(url)) return 'token';
  if (UNLIMITED_PREFIXES.some((p) => url.startsWith(p))) return undefined;
  if (url === '/graphql' || url.startsWith('/graphql/') || isPublic) return 'public';
  return undefined;
}

/**
 * The sign-in account as a counter key: a hash of the normalised email, so neither Redis
 * nor a log line holds the address. Pure.
 */
export function accountKey(email: string): string {
  return createHash('sha256').update(`plr-sign-in\u0000${email.trim().toLowerCase()}`).digest('hex').slice(0, 32);
}

const WHAT: Record<LimitCategory | 'sign-in-account', string> = {
  'sign-in': 'too many sign-in attempts from your address',
  'sign-in-account': 'too many sign-in attempts for this account',
  token: 'too many token requests from your address',
  public: 'too many requests from your address',
};

export function rateLimited(what: keyof typeof WHAT, retryAfterSeconds: number): AppError {
  const wait = Math.max(1, retryAfterSeconds);
  return new AppError(
    429,
    'RATE_LIMITED',
    `${WHAT[what]}; try again in ${wait} second${wait === 1 ? '' : 's'}`,
    { retryAfterSeconds: wait },
    { 'retry-after': String(wait) },
  );
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

function appendHook(
  route: RouteOptions,
  hook: 'onRequest' | 'preHandler',
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const existing = route[hook] as unknown;
  const list: unknown[] = Array.isArray(existing) ? (existing as unknown[]) : existing ? [existing] : [];
  (route as unknown as Record<string, unknown>)[hook] = [...list, handler];
}

export const rateLimits = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const { rateLimits: settings, redisUrl, queuePrefix } = opts.config;
    if (!settings.enabled) return;

    // A connection of its own that gives up within a second: the queue's waits for Redis
    // indefinitely, and a sign-in must not.
    const redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      commandTimeout: 1_000,
      connectTimeout: 2_000,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    });
    redis.on('error', () => undefined); // reported per request below, not per reconnect attempt
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });

    await app.register(rateLimit, {
      global: false,
      redis,
      nameSpace: `${queuePrefix}:rate-limit:`,
      skipOnError: false,
    });

    const byIp = (req: FastifyRequest) => normalizeIP(req.ip);
    const make = (name: string, limit: Limit, key: (req: FastifyRequest) => string): Limiter =>
      app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowSeconds * 1000,
        keyGenerator: (req) => `${name}:${key(req)}`,
      });
    const limiters: Record<LimitCategory, Limiter> = {
      'sign-in': make('sign-in-ip', settings.signInPerIp, byIp),
      token: make('token-ip', settings.tokenPerIp, byIp),
      public: make('public-ip', settings.publicPerIp, byIp),
    };
    // Counted after the body is read and checked, so the key is the email that was sent.
    const perAccount = make('sign-in-account', settings.signInPerAccount, (req) =>
      accountKey(stringOf((req.body as { email?: unknown } | undefined)?.email)),
    );

    /**
     * Count the request; over the limit, answer 429 here. The answer is sent rather than
     * thrown because /graphql has its own error handler (mercurius), which would dress it
     * as a GraphQL error.
     */
    async function check(
      request: FastifyRequest,
      reply: FastifyReply,
      limiter: Limiter,
      what: keyof typeof WHAT,
    ): Promise<FastifyReply | undefined> {
      let outcome;
      try {
        outcome = await limiter(request);
      } catch (err) {
        request.log.warn({ err: (err as Error).message, limit: what }, 'rate limit not checked: Redis did not answer');
        return undefined;
      }
      if (outcome.isAllowed || !outcome.isExceeded) return undefined;
      request.log.info({ limit: what }, 'rate limited');
      const refusal = rateLimited(what, outcome.ttlInSeconds);
      return reply
        .status(refusal.statusCode)
        .headers(refusal.headers ?? {})
        .send(refusal.toBody());
    }

    // Every route registered after this plugin: the limit its category says, documented
    // with a 429 answer.
    app.addHook('onRoute', (route) => {
      const isPublic = route.config?.access !== undefined && 'public' in route.config.access;
      const category = route.config?.limit ?? limitCategory(route.url, isPublic);
      if (!category) return;
      const schema = (route.schema ??= {}) as Record<string, unknown>;
      const response = (schema.response ??= {}) as Record<string, unknown>;
      response[429] ??= ErrorBody;
      appendHook(route, 'onRequest', async (request, reply) => check(request, reply, limiters[category], category));
      if (category === 'sign-in')
        appendHook(route, 'preHandler', async (request, reply) => check(request, reply, perAccount, 'sign-in-account'));
    });
  },
  { name: 'plr-rate-limits' },
);

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
