/**
 * REST for OCF 06, Routes to Achievement: a learner's ranked routes (and printable), and
 * what-if. A learner's routes need a role that may see the learner (the learner gate);
 * a what-if without a learner is public, since it shows catalogue data only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { access, authenticate } from '../platform/guard.js';
import { AppError, ErrorBody } from '../platform/errors.js';
import { renderReport } from '../platform/pdf.js';
import { LEARNER_VIEWER_ROLES } from '../learners/access.js';
import { learnerRoutes, whatIfRoutes } from './service.js';
import { routesReport } from './reports.js';
import { RoutesQuery, RoutesSchema, WhatIfBody } from './schemas.js';

const UlnParams = Type.Object({ uln: Type.String({ description: 'Unique Learner Number' }) });
const Pdf = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};
const Errors = { 400: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/** A what-if with a ULN is about a learner: then a token with a learner-viewing role is needed. */
async function learnerCaller(request: FastifyRequest) {
  const principal = await authenticate(request, request.server.deps.tokens);
  if (!principal)
    throw new AppError(401, 'UNAUTHORIZED', 'sign in first: a what-if for a learner needs a bearer token', undefined, {
      'www-authenticate': 'Bearer',
    });
  if (!principal.roles.some((r) => LEARNER_VIEWER_ROLES.includes(r)))
    throw new AppError(403, 'FORBIDDEN', `this needs one of the roles: ${LEARNER_VIEWER_ROLES.join(', ')}`);
  return principal;
}

export const pathwaysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learners/:uln/routes',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF06' },
      schema: {
        tags: ['pathways'],
        summary: 'OCF 06: routes to achievement for a learner, ranked by the extra credit each needs',
        description:
          "From the learner's credits to qualifications across the catalogue: for each, the cheapest set of units that completes its rules, ranked; the ones out of reach with the reason; and sets of units that complete two qualifications together. Filters: level range, occupation, region (units offered there), funding for the learner's age band.",
        params: UlnParams,
        querystring: RoutesQuery,
        response: { 200: RoutesSchema, ...Errors },
      },
    },
    async (request) => learnerRoutes(app.deps.graph, request.principal!, request.params.uln, request.query),
  );

  app.get(
    '/learners/:uln/routes.pdf',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF06' },
      schema: {
        tags: ['pathways'],
        summary: "OCF 06, printable: a learner's routes to achievement as a PDF",
        params: UlnParams,
        querystring: RoutesQuery,
        response: { 200: Pdf, ...Errors },
      },
    },
    async (request, reply) => {
      const view = await learnerRoutes(app.deps.graph, request.principal!, request.params.uln, request.query);
      const pdf = await renderReport(routesReport(view, new Date().toISOString()));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="routes-${request.params.uln}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/routes/what-if',
    {
      config: { access: access.public, ocf: 'OCF06' },
      schema: {
        tags: ['pathways'],
        summary:
          "OCF 06 what-if: routes from a hypothetical set of credits (a learner's plus planned units, or planned units alone)",
        description:
          "Without `uln` this is public: it starts from the planned units (or an occupation) only. With `uln` it needs a bearer token whose role may see that learner; the learner's own age band then drives the funding filter.",
        body: WhatIfBody,
        response: { 200: RoutesSchema, 401: ErrorBody, 403: ErrorBody, ...Errors },
      },
    },
    async (request) => {
      const principal = request.body.uln === undefined ? undefined : await learnerCaller(request);
      return whatIfRoutes(app.deps.graph, principal, request.body);
    },
  );
};
