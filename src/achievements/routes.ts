/**
 * REST for single achievement records (OCF 01 / OCF 02) under /achievements: submit one
 * record with an action, list an AO's records, read one with its version history.
 * Batches live under /achievements/batches (src/achievements/batches/routes.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';
import type { Principal } from '../platform/auth.js';
import {
  listOwnRecords,
  MAX_PAGE_SIZE,
  RECORD_READERS,
  RECORD_WRITERS,
  recordWithHistory,
  submissionDeadlineFor,
  submitRecord,
  submitRecords,
} from './service.js';
import {
  BulkSubmissionSchema,
  DeadlineQuerySchema,
  DeadlineSchema,
  HistorySchema,
  RecordPageSchema,
  SubmissionBodySchema,
  SubmissionSchema,
} from './schemas.js';

const AoQuery = Type.Optional(
  Type.String({
    description: 'UKPRN of the AO whose records to read: required for the operator; AO users may only give their own',
  }),
);

export const achievementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/achievements',
    {
      config: { access: access.roles(...RECORD_WRITERS), ocf: 'OCF02' },
      schema: {
        tags: ['achievements'],
        summary: 'OCF 01 / 02: add, amend or withdraw one achievement record, or an array of up to 1,000',
        description:
          'A record is checked exactly as a batch row is (docs/interface-files.md). One record: a rejection answers with its row error code (E001 to E026) as the error code: 404 for E023 (no such record), 409 for E024 (use AMEND) and E003, 422 otherwise. An array: 200 with one answer per record (its result, the status and row error code a single POST would have given); accepted records are written together, rejected ones change nothing. With validateOnly=true nothing is stored.',
        querystring: Type.Object({ validateOnly: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        body: SubmissionBodySchema,
        response: {
          200: Type.Union([SubmissionSchema, BulkSubmissionSchema]),
          201: SubmissionSchema,
          400: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal;
      const { validateOnly } = request.query;
      if (Array.isArray(request.body))
        return submitRecords(app.deps.graph, principal, request.body, new Date(), validateOnly);
      const outcome = await submitRecord(app.deps.graph, principal, request.body, new Date(), validateOnly);
      return reply.status(outcome.result === 'added' && !outcome.validateOnly ? 201 : 200).send(outcome);
    },
  );

  app.get(
    '/submission-deadlines',
    {
      config: { access: access.roles(...RECORD_READERS), ocf: 'OCF02' },
      schema: {
        tags: ['achievements'],
        summary: 'When a record awarded on a day is due (10 working days of the AO nation, extended by downtime)',
        description:
          "The AO's nation decides the public holidays; recorded service unavailability on working days inside the window extends it. AO users ask for their own AO by default; the operator names one.",
        querystring: DeadlineQuerySchema,
        response: { 200: DeadlineSchema, 400: ErrorBody },
      },
    },
    async (request) => submissionDeadlineFor(app.deps.graph, request.principal as Principal, request.query),
  );

  app.get(
    '/achievements',
    {
      config: { access: access.roles(...RECORD_READERS), ocf: 'OCF02' },
      schema: {
        tags: ['achievements'],
        summary: "OCF 02: an AO's own achievement records, current versions, in record id order",
        querystring: Type.Object(
          {
            ao: AoQuery,
            uln: Type.Optional(Type.String({ description: "Only this learner's records" })),
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RecordPageSchema, 400: ErrorBody },
      },
    },
    async (request) => listOwnRecords(app.deps.graph, request.principal as Principal, request.query),
  );

  app.get(
    '/achievements/:recordId',
    {
      config: { access: access.roles(...RECORD_READERS), ocf: 'OCF02' },
      schema: {
        tags: ['achievements'],
        summary: 'OCF 02: one achievement record with its version history, newest first',
        description: 'A record id holding "/" is sent percent-encoded (%2F).',
        params: Type.Object({ recordId: Type.String({ description: "The AO's record id" }) }),
        querystring: Type.Object({ ao: AoQuery }, { additionalProperties: false }),
        response: { 200: HistorySchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      recordWithHistory(app.deps.graph, request.principal as Principal, request.params.recordId, request.query.ao),
  );
};
