/**
 * Operator routes: background workers.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { listWorkers } from './repository.js';

export const Worker = Type.Object({
  name: Type.String(),
  lastSeen: Type.String({ description: 'ISO date-time of the last heartbeat' }),
  beats: Type.Integer(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  host: Type.Union([Type.String(), Type.Null()]),
});

export const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workers',
    {
      config: { access: access.roles('operator') },
      schema: {
        tags: ['operations'],
        summary: 'Background workers that have reported a heartbeat, newest first',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ workers: Type.Array(Worker) }) },
      },
    },
    async (request) => ({ workers: await listWorkers(app.deps.graph, request.query.limit) }),
  );

  app.post(
    '/workers/heartbeat',
    {
      config: { access: access.roles('operator') },
      schema: {
        tags: ['operations'],
        summary: 'Ask a worker to record a heartbeat (checks the queue end to end)',
        response: { 202: Type.Object({ jobId: Type.String() }) },
      },
    },
    async (_request, reply) => {
      const job = await app.deps.jobs.enqueue('operations.heartbeat', { at: new Date().toISOString() });
      return reply.status(202).send({ jobId: String(job.id) });
    },
  );
};
