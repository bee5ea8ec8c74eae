/**
 * REST for OCF 11, verify ULN learner details: one learner as JSON, or a batch as CSV
 * answered with CSV (docs/learner-files.md). Role-guarded, but not through openLearner and
 * not written to the access log (service.ts says why).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../../platform/guard.js';
import { ErrorBody } from '../../platform/errors.js';
import { londonToday } from '../register/clock.js';
import { MAX_VERIFY_BATCH_ROWS, VERIFY_ROLES, verifyBatch, verifyOne } from './service.js';
import { VerificationAnswerSchema, VerifyBody } from './schemas.js';

/** Enough for MAX_VERIFY_BATCH_ROWS rows of long names; a larger body is refused with 413. */
export const VERIFY_BATCH_BODY_LIMIT = 4 * 1024 * 1024;

const CsvAnswer = {
  description: 'The input rows in order, each with its answer (columns in docs/learner-files.md)',
  content: { 'text/csv': { schema: { type: 'string' } } },
};

export const verifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: VERIFY_BATCH_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/learners/verify',
    {
      config: { access: access.roles(...VERIFY_ROLES), ocf: 'OCF11' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 11: verify a ULN and the learner details that go with it',
        description:
          'Answers like the Learning Records Service: WSVRC001 match, 002 linked match (masterUln), 003 similar match, 004 no match (mismatches and VRF flags name the fields), 005 ULN not found, 006 invalid ULN. A missing field, a name with no letters, a date of birth that is not a real YYYY-MM-DD day or is in the future, or an unknown gender code is 400 VALIDATION naming the field; a malformed ULN is the answer WSVRC006.',
        body: VerifyBody,
        response: { 200: VerificationAnswerSchema, 400: ErrorBody },
      },
    },
    async (request) => {
      const answer = await verifyOne(app.deps.graph, request.body, londonToday());
      request.log.info({ code: answer.code }, 'verification');
      return answer;
    },
  );

  app.post(
    '/learners/verify/batch',
    {
      config: { access: access.roles(...VERIFY_ROLES), ocf: 'OCF11' },
      bodyLimit: VERIFY_BATCH_BODY_LIMIT,
      schema: {
        tags: ['learners'],
        summary: 'OCF 11, batch: verify up to 10,000 learners sent as CSV; the answer is CSV',
        description: `Send text/csv (text/plain is read the same way) with the header uln,given_name,family_name,date_of_birth,gender[,postcode] (any order). The answer (text/csv) has a line per input row, in order: row, the input columns, then code, outcome, master_uln, mismatches, flags and message. A row that cannot be verified gets code ROW_INVALID with a message naming the column; it does not fail the batch. Refused whole: no header or a bad header, broken CSV (400 CSV_INVALID), more than ${MAX_VERIFY_BATCH_ROWS} rows (413 BATCH_TOO_LARGE), a body over 4 MiB (413).`,
        consumes: ['text/csv'],
        body: Type.String({ description: 'The batch, as text/csv' }),
        response: { 200: CsvAnswer, 400: ErrorBody, 413: ErrorBody, 415: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await verifyBatch(app.deps.graph, request.body, londonToday());
      request.log.info({ rows: result.rows, codes: result.codes }, 'verification batch');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="verification.csv"')
        .send(result.csv);
    },
  );
};
