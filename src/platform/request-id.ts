/**
 * Every answer carries X-Request-Id, and every error body its `requestId`, so that a person
 * reporting a problem can quote the id the logs hold. A caller (a proxy, an integrator)
 * may send its own X-Request-Id: it is kept when it is a short plain token, and replaced
 * otherwise (it goes into logs, so it must not carry anything else).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

const ACCEPTED = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}

export const requestIds = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      if (
        reply.statusCode >= 400 &&
        payload !== null &&
        typeof payload === 'object' &&
        !Array.isArray(payload) &&
        'code' in payload &&
        'message' in payload
      ) {
        return { ...payload, requestId: request.id };
      }
      return payload;
    });
  },
  { name: 'plr-request-ids' },
);
