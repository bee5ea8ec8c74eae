/**
 * REST for OCF 07: the learner's availability flag and its request history.
 * The learner acts on their own record; service staff (operator) record telephone requests.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/guard.js';
import { ErrorBody } from '../../platform/errors.js';
import { getAvailability, setAvailability, type AvailabilityDeps } from './service.js';
import {
  AvailabilityChangeSchema,
  AvailabilityQuery,
  AvailabilitySchema,
  SetAvailabilityBody,
  UlnParams,
} from './schemas.js';

export function availabilityDeps(app: FastifyInstance): AvailabilityDeps {
  return { graph: app.deps.graph, now: () => new Date() };
}

export const availabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = availabilityDeps(app);

  app.put(
    '/learners/:uln/availability',
    {
      config: { access: access.roles('learner', 'operator'), ocf: 'OCF07' },
      schema: {
        tags: ['learners'],
        summary: "OCF 07: make a learner's record available or unavailable to organisations",
        description:
          'The learner on their own record (channel online or api), or service staff recording a telephone request (channel telephone, with requestedAt and an optional note). Each request is kept with when it was made and handled; the handling time is measured in service hours. While unavailable, only the learner and, for its own records, the submitting AO see the record; others get NOT_SHARED.',
        params: UlnParams,
        body: SetAvailabilityBody,
        response: { 200: AvailabilityChangeSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => setAvailability(deps, request.principal!, request.params.uln, request.body),
  );

  app.get(
    '/learners/:uln/availability',
    {
      config: { access: access.roles('learner', 'operator'), ocf: 'OCF07' },
      schema: {
        tags: ['learners'],
        summary: "OCF 07: whether a learner's record is available, and the requests that set it (newest first)",
        params: UlnParams,
        querystring: AvailabilityQuery,
        response: { 200: AvailabilitySchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => getAvailability(deps, request.principal!, request.params.uln, request.query.limit),
  );
};
