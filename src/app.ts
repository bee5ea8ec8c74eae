/**
 * buildApp(config): the Fastify instance, used by the server and by the tests.
 * Plugins in order: external (docs, GraphQL), then the platform (errors, guard), then
 * each charter service's routes.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import { Neo4jError } from 'neo4j-driver';
import type { Config } from './config.js';
import { AppError } from './platform/errors.js';
import { loggerOptions } from './platform/logging.js';
import { createGraph, type Graph } from './platform/neo4j.js';
import { createRedis } from './platform/redis.js';
import type { Tokens } from './platform/auth.js';
import { KeyRing } from './identity/keys.js';
import { activeSubjectCheck, identityAdminRoutes, type IdentityRouteOptions } from './identity/identity-routes.js';
import { createMailer, type Mailer } from './platform/mail.js';
import { guard } from './platform/guard.js';
import { securityHeaders } from './platform/security-headers.js';
import { rateLimits } from './platform/rate-limits.js';
import { routeRecorder } from './platform/access-matrix.js';
import { requestIdFor, requestIds } from './platform/request-id.js';
import { requestTiming, type ExtraGauge } from './operations/metrics.js';
import { MaintenanceGate } from './operations/maintenance-gate.js';
import { maintenanceRefusals } from './operations/maintenance-plugin.js';
import { JobQueue } from '../importers/queue.js';
import { healthRoutes } from './operations/health.js';
import { metricsRoute, operationsRoutes, serviceStatusRoute } from './operations/routes.js';
import { identityRoutes } from './identity/routes.js';
import { credentialRoutes } from './learners/credentials/routes.js';
import { pathwayDataRoutes } from './pathways/data-routes.js';
import { forgetRouteRules } from './pathways/rules-cache.js';
import { onCatalogueLoaded } from './catalogue/service.js';
import { graphqlPlugin } from './graphql.js';
import { catalogueRoutes } from './catalogue/routes.js';
import { learnerRoutes } from './learners/routes.js';
import { pathwaysRoutes } from './pathways/routes.js';
import { analyticsRoutes } from './analytics/routes.js';
import { batchRoutes } from './achievements/batches/routes.js';
import { achievementRoutes } from './achievements/routes.js';
import { portal } from './web/plugin.js';

export interface AppDeps {
  graph: Graph;
  mailer: Mailer;
  redis: Redis;
  redisCheck: Redis;
  tokens: Tokens;
  jobs: JobQueue;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    config: Config;
  }
}

export type App = FastifyInstance;

const VERSION = '0.1.0';

/**
 * Build the app. Anything not passed in `given` is created here and closed with the app;
 * what is passed stays the caller's to close.
 */
export interface AppOptions {
  /** Tests only: a clock and cheaper settings for identity. */
  identity?: IdentityRouteOptions;
  /** Figures other features add to /metrics. */
  extraGauges?: ExtraGauge[];
  /** The process's maintenance gate, when a worker in the same process shares it. */
  gate?: MaintenanceGate;
}

export async function buildApp(
  config: Config,
  given: Partial<Omit<AppDeps, 'redisCheck'>> = {},
  options: AppOptions = {},
): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, config.logFile, config.logFormat),
    genReqId: requestIdFor,
    bodyLimit: 1024 * 1024,
    // Record-link tokens (signed JWTs, about 400 characters) travel as a path parameter.
    routerOptions: { maxParamLength: 1024 },
    // The client's address (rate limits key on it) from X-Forwarded-For only behind a trusted proxy.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const owned: (() => Promise<unknown>)[] = [];
  const graph = given.graph ?? createGraph(config);
  if (!given.graph) owned.push(() => graph.close());
  const redis = given.redis ?? createRedis(config, 'queue');
  if (!given.redis) owned.push(() => redis.quit().catch(() => redis.disconnect()));
  // Readiness gets a connection of its own that fails fast instead of queueing commands.
  const redisCheck = createRedis(config, 'check');
  owned.push(async () => redisCheck.disconnect());
  const tokens = given.tokens ?? (await KeyRing.create(config));
  const jobs = given.jobs ?? new JobQueue(redis, config.queuePrefix);
  if (!given.jobs) owned.unshift(() => jobs.close());

  const mailer = given.mailer ?? createMailer(config, app.log);
  if (!given.mailer) owned.push(async () => mailer.close());
  app.decorate('deps', { graph, redis, redisCheck, tokens, jobs, mailer });
  // Route searches keep qualifications' rules; a catalogue load may have changed a unit in
  // place, which their own checks cannot see.
  onCatalogueLoaded(forgetRouteRules);
  app.decorate('config', config);
  app.addHook('onClose', async () => {
    for (const close of owned) await close();
  });

  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.status(err.statusCode).send(err.toBody());
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const where = fe.validationContext ?? 'request';
      return reply.status(400).send({
        code: 'VALIDATION',
        message: `the ${where} is not valid: ${fe.validation.map((v) => describeIssue(where, v)).join('; ')}`,
        details: fe.validation.map((v) => ({ in: where, field: fieldOf(v), problem: v.message ?? 'is not valid' })),
      });
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ code: fe.code ?? 'BAD_REQUEST', message: fe.message });
    }
    if (err instanceof Neo4jError && (err.code === 'ServiceUnavailable' || err.code === 'SessionExpired')) {
      request.log.error({ err: err.message }, 'neo4j unavailable');
      return reply
        .status(503)
        .header('retry-after', '30')
        .send({ code: 'DEPENDENCY_UNAVAILABLE', message: 'the graph database is not answering; try again shortly' });
    }
    request.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ code: 'INTERNAL', message: `something went wrong on our side (reference ${request.id})` });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `there is no ${request.method} ${request.url.split('?')[0]}` });
  });

  // First, so that refusals from the guard and the rate limits carry the headers too.
  await app.register(securityHeaders);
  await app.register(requestIds);
  // Before any route: every request is timed against its charter service.
  await app.register(requestTiming, { flushSeconds: config.timingFlushSeconds, extraGauges: options.extraGauges });
  // Every route from here on is listed for the access-control matrix test.
  await app.register(routeRecorder);
  await app.register(guard, { tokens });
  // Before any route plugin: a hook applies only to routes registered after it.
  await app.register(activeSubjectCheck);
  await app.register(rateLimits, { config });
  const gate = options.gate ?? new MaintenanceGate(graph, config.maintenanceRefreshMs);
  await app.register(maintenanceRefusals, { gate, owned: !options.gate });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Personal Learning Record service (QCF)',
        description:
          'REST API of the Personal Learning Record service: the charter services OCF 01 to 11. GraphQL is at /graphql.',
        version: VERSION,
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'operations', description: 'Health, workers and service operation' },
        { name: 'identity', description: 'Organisations, users, API clients, tokens and keys (OCF 09)' },
        { name: 'catalogue', description: 'Qualifications, rules of combination (OCF 04) and credit check (OCF 05)' },
        {
          name: 'learners',
          description:
            'The learner register, ULN verification (OCF 11), the learner record (OCF 03), availability (OCF 07) and data challenges (OCF 08)',
        },
        { name: 'pathways', description: 'Routes to achievement (OCF 06): ranked routes, what-if' },
        { name: 'analytics', description: "The analysts' read-only Cypher console" },
        {
          name: 'achievements',
          description:
            'Achievement records: single records, amendments and withdrawals (OCF 02), batch upload and reports (OCF 01)',
        },
        { name: 'graphql', description: 'The GraphQL API at /graphql' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(graphqlPlugin);
  await app.register(healthRoutes);
  await app.register(identityRoutes);
  await app.register(identityAdminRoutes, options.identity ?? {});
  await app.register(operationsRoutes, { prefix: '/operations' });
  await app.register(metricsRoute);
  await app.register(serviceStatusRoute);
  await app.register(catalogueRoutes);
  await app.register(learnerRoutes);
  await app.register(credentialRoutes);
  await app.register(pathwaysRoutes);
  await app.register(pathwayDataRoutes);
  await app.register(analyticsRoutes, {
    timeoutMs: config.analyticsTimeoutMs,
    maxRows: config.analyticsMaxRows,
    maxBytes: config.analyticsMaxBytes,
    maxList: config.analyticsMaxList,
  });
  await app.register(batchRoutes);
  await app.register(achievementRoutes);
  // The web portal: pages on the same services, with sessions instead of bearer tokens.
  await app.register(portal, {
    identity: options.identity,
    banner: (lang) => {
      const [next] = gate.announced();
      return next ? (lang === 'cy' ? next.messageCy : next.messageEn) : null;
    },
  });

  return app;
}

/** Trust the nearest `hops` proxies, as a hop count means to proxy-addr. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

type AjvIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

function fieldOf(v: AjvIssue): string {
  const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = v.params?.missingProperty ?? v.params?.additionalProperty;
  if (typeof missing === 'string') return base ? `${base}.${missing}` : missing;
  return base || '(whole)';
}

function describeIssue(where: string, v: AjvIssue): string {
  if (typeof v.params?.additionalProperty === 'string') return `${fieldOf(v)} is not a known field`;
  return `${fieldOf(v)} ${v.message ?? 'is not valid'}`;
}
