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
  submitRecord,
} from './service.js';
import { HistorySchema, RecordPageSchema, SubmissionSchema, SubmittedRecordSchema } from './schemas.js';

const AoQuery = Type.Optional(
  Type.String({
    description: 'UKPRN of the AO whose records to read: required for the operator; AO users may only give their own',
  }),
);

export const achievementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/achievements',
    {
      config: { access: access.roles(...RECORD_WRITERS) },
      schema: {
        tags: ['achievements'],
        summary: 'OCF 01 / 02: add, amend or withdraw one achievement record',
        description:
          'The record is checked exactly as a batch row is (docs/interface-files.md). A rejected record answers with its row error code (E001 to E026) as the error code: 404 for E023 (no such record), 409 for E024 (use AMEND) and E003, 422 otherwise. With validateOnly=true nothing is stored.',
        querystring: Type.Object({ validateOnly: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        body: SubmittedRecordSchema,
        response: {
          200: SubmissionSchema,
          201: SubmissionSchema,
          400: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const outcome = await submitRecord(
        app.deps.graph,
        request.principal as Principal,
        request.body,
        new Date(),
        request.query.validateOnly,
      );
      return reply.status(outcome.result === 'added' && !outcome.validateOnly ? 201 : 200).send(outcome);
    },
  );

  app.get(
    '/achievements',
    {
      config: { access: access.roles(...RECORD_READERS) },
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
      config: { access: access.roles(...RECORD_READERS) },
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
