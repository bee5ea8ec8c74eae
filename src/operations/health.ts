/**
 * Liveness and readiness (SPEC 7). Readiness checks Neo4j and Redis, each within a time
 * limit, and answers 503 naming what failed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pingRedis } from '../platform/redis.js';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
});
const Checks = Type.Object({ neo4j: Check, redis: Check });

async function timed(work: () => Promise<void>) {
  const started = performance.now();
  try {
    await work();
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'failed' as const,
      latencyMs: Math.round(performance.now() - started),
      error: (err as Error).message.split('\n')[0].slice(0, 200),
    };
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: Neo4j and Redis both answer',
        description: 'Answers 503 with the failing dependencies named when either does not answer within 2 seconds.',
        response: { 200: Type.Object({ status: Type.Literal('ok'), checks: Checks }), 503: ErrorBody },
      },
    },
    async (_request, reply) => {
      const { graph, redisCheck } = app.deps;
      const [neo4j, redis] = await Promise.all([
        timed(() => graph.ping(2_000)),
        timed(() => pingRedis(redisCheck, 2_000)),
      ]);
      const checks = { neo4j, redis };
      const failed = Object.entries(checks)
        .filter(([, c]) => c.status === 'failed')
        .map(([name]) => (name === 'neo4j' ? 'Neo4j' : 'Redis'));
      if (failed.length > 0) {
        return reply
          .status(503)
          .header('retry-after', '10')
          .send({
            code: 'NOT_READY',
            message: `not ready: ${failed.join(' and ')} ${failed.length > 1 ? 'are' : 'is'} not answering`,
            details: { checks },
          });
      }
      return { status: 'ok' as const, checks };
    },
  );
};
