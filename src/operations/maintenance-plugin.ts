/**
 * During a maintenance window, changes are refused with 503, a Retry-After of the window's
 * end and the window's message (English, with the Welsh in details); reads go on. GraphQL
 * goes on too, except mutations. Registered before every route.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { AppError } from '../platform/errors.js';
import type { MaintenanceGate } from './maintenance-gate.js';
import { refusedDuringMaintenance, retryAfterSeconds } from './maintenance.js';

declare module 'fastify' {
  interface FastifyInstance {
    maintenance: MaintenanceGate;
  }
}

function asksForMutation(body: unknown): boolean {
  const query = body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') return false;
  try {
    return parse(query).definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.MUTATION,
    );
  } catch {
    return false; // GraphQL itself answers a query it cannot parse
  }
}

export const maintenanceRefusals = fp(
  async (app: FastifyInstance, opts: { gate: MaintenanceGate; owned: boolean }) => {
    app.decorate('maintenance', opts.gate);
    if (opts.owned) {
      app.addHook('onClose', async () => opts.gate.stop());
      await opts.gate.start();
    }
    app.addHook('preValidation', async (request) => {
      const path = request.url.split('?')[0];
      const refused =
        path === '/graphql'
          ? request.method === 'POST' && asksForMutation(request.body)
          : refusedDuringMaintenance(request.method, path);
      if (!refused) return;
      const now = new Date();
      const w = opts.gate.active(now);
      if (!w) return;
      throw new AppError(
        503,
        'MAINTENANCE',
        w.messageEn,
        { messageCy: w.messageCy, window: { id: w.id, kind: w.kind, start: w.start, end: w.end } },
        { 'retry-after': String(retryAfterSeconds(w, now)) },
      );
    });
  },
  { name: 'plr-maintenance' },
);
