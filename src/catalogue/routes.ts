/**
 * REST for the catalogue: OCF 04 (rules of combination, with a learner's progress), OCF 05
 * (credit check), the qualification list, and loading a catalogue (service operator).
 * RoC structure is public; anything about a learner needs a role that may see them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { AppError, ErrorBody } from '../platform/errors.js';
import { authenticate } from '../platform/guard.js';
import { renderReport } from '../platform/pdf.js';
import { LEARNER_VIEWER_ROLES } from '../learners/access.js';
import { parseCatalogue } from './catalogue-file.js';
import { listQualifications } from './repository.js';
import { creditCheck, loadCatalogue, qualificationProgress, qualificationRules } from './service.js';
import { creditCheckReport, rulesReport } from './reports.js';
import {
  CatalogueProblemSchema,
  CreditCheckSchema,
  LevelSchema,
  QualificationSummarySchema,
  RulesWithProgressSchema,
} from './schemas.js';
import type { FastifyRequest } from 'fastify';

const QanParams = Type.Object({
  qan: Type.String({ description: 'QAN, percent-encoded (501%2F1855%2F9) or without slashes (50118559)' }),
});
const RulesQuery = Type.Object(
  {
    uln: Type.Optional(
      Type.String({ description: "With a ULN, the learner's progress too (needs a role that may see the learner)" }),
    ),
    date: Type.Optional(Type.String({ description: 'Evaluation date YYYY-MM-DD; default today' })),
  },
  { additionalProperties: false },
);
const CreditCheckQuery = Type.Object(
  { urn: Type.String({ description: 'Unit reference number, e.g. J/617/2480' }) },
  { additionalProperties: false },
);
const UlnParams = Type.Object({ uln: Type.String({ description: 'Unique Learner Number' }) });
/** A PDF answer, documented under its own media type; errors stay JSON. */
const Pdf = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

/** The rules route is public, but a ULN makes it about a learner: then a token is needed. */
async function learnerCaller(request: FastifyRequest) {
  const principal = await authenticate(request, request.server.deps.tokens);
  if (!principal)
    throw new AppError(401, 'UNAUTHORIZED', 'sign in first: progress for a learner needs a bearer token', undefined, {
      'www-authenticate': 'Bearer',
    });
  if (!principal.roles.some((r) => LEARNER_VIEWER_ROLES.includes(r)))
    throw new AppError(403, 'FORBIDDEN', `this needs one of the roles: ${LEARNER_VIEWER_ROLES.join(', ')}`);
  return principal;
}

async function rulesAnswer(request: FastifyRequest, qan: string, uln: string | undefined, date: string | undefined) {
  const graph = request.server.deps.graph;
  if (uln === undefined) return { rules: await qualificationRules(graph, qan), progress: undefined };
  return qualificationProgress(graph, await learnerCaller(request), qan, uln, date);
}

export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/qualifications',
    {
      config: { access: access.public, ocf: 'OCF04' },
      schema: {
        tags: ['catalogue'],
        summary: 'Find qualifications by level or words in the title or QAN',
        querystring: Type.Object(
          {
            level: Type.Optional(LevelSchema),
            text: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(QualificationSummarySchema) }) },
      },
    },
    async (request) => listQualifications(app.deps.graph, request.query),
  );

  app.get(
    '/qualifications/:qan/rules',
    {
      config: { access: access.public, ocf: 'OCF04' },
      schema: {
        tags: ['catalogue'],
        summary: "OCF 04: the rules of combination of a qualification, and with a ULN the learner's progress",
        description:
          'Without `uln` this is public. With `uln` it needs a bearer token whose role may see that learner (learner themself; AO, provider or careers adviser when the learner shares; operator).',
        params: QanParams,
        querystring: RulesQuery,
        response: { 200: RulesWithProgressSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { rules, progress } = await rulesAnswer(request, request.params.qan, request.query.uln, request.query.date);
      return progress ? { ...rules, progress } : rules;
    },
  );

  app.get(
    '/qualifications/:qan/rules.pdf',
    {
      config: { access: access.public, ocf: 'OCF04' },
      schema: {
        tags: ['catalogue'],
        summary: "OCF 04, printable: the rules of combination (and a learner's progress) as a PDF",
        params: QanParams,
        querystring: RulesQuery,
        response: { 200: Pdf, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { rules, progress } = await rulesAnswer(request, request.params.qan, request.query.uln, request.query.date);
      const pdf = await renderReport(rulesReport(rules, progress, new Date().toISOString()));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="rules-${rules.qualification.qan.replace(/\//g, '')}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/learners/:uln/credit-check',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF05' },
      schema: {
        tags: ['catalogue'],
        summary:
          'OCF 05: was credit for a unit awarded to a learner, by whom and when, and which qualifications it counts towards',
        params: UlnParams,
        querystring: CreditCheckQuery,
        response: { 200: CreditCheckSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => creditCheck(app.deps.graph, request.principal!, request.params.uln, request.query.urn),
  );

  app.get(
    '/learners/:uln/credit-check.pdf',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF05' },
      schema: {
        tags: ['catalogue'],
        summary: 'OCF 05, printable: the credit check as a PDF',
        params: UlnParams,
        querystring: CreditCheckQuery,
        response: { 200: Pdf, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const check = await creditCheck(app.deps.graph, request.principal!, request.params.uln, request.query.urn);
      const pdf = await renderReport(creditCheckReport(check, new Date().toISOString()));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="credit-check-${check.uln}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/catalogue',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
      bodyLimit: 200 * 1024 * 1024,
      schema: {
        tags: ['catalogue'],
        summary: 'Load a catalogue file (docs/catalogue-format.md): units and qualifications with their rules',
        description:
          'The whole file is checked first; with any problem nothing is stored and every problem is listed. Loading the same file again changes nothing; a changed qualification has its rules replaced. With `validateOnly=true` the file is only checked.',
        querystring: Type.Object({ validateOnly: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        body: Type.Object({}, { additionalProperties: true, description: 'A catalogue file (JSON)' }),
        response: {
          200: Type.Object({
            validated: Type.Boolean(),
            loaded: Type.Boolean(),
            units: Type.Optional(
              Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
            ),
            qualifications: Type.Optional(
              Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
            ),
            counts: Type.Optional(Type.Object({ units: Type.Integer(), qualifications: Type.Integer() })),
            durationMs: Type.Optional(Type.Integer()),
          }),
          400: Type.Object({
            code: Type.String(),
            message: Type.String(),
            details: Type.Object({ problems: Type.Array(CatalogueProblemSchema), total: Type.Integer() }),
          }),
        },
      },
    },
    async (request) => {
      const parsed = parseCatalogue(request.body);
      if (!parsed.ok) {
        const first = parsed.errors[0];
        throw new AppError(
          400,
          'CATALOGUE_INVALID',
          `the catalogue has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}; nothing was stored. First: ${first.path ? `${first.path}: ` : ''}${first.message}`,
          { problems: parsed.errors, total: parsed.errors.length },
        );
      }
      const counts = { units: parsed.catalogue.units.length, qualifications: parsed.catalogue.qualifications.length };
      if (request.query.validateOnly) return { validated: true, loaded: false, counts };
      const report = await loadCatalogue(app.deps.graph, parsed.catalogue);
      request.log.info(
        { units: report.units, qualifications: report.qualifications, ms: Math.round(report.timings.totalMs) },
        'catalogue loaded',
      );
      return {
        validated: true,
        loaded: true,
        units: report.units,
        qualifications: report.qualifications,
        counts,
        durationMs: Math.round(report.timings.totalMs),
      };
    },
  );
};
