/**
 * REST for the learner register: register one learner (AOs, providers, operator) and load
 * a learner file (operator). See docs/learner-files.md for the file format and its errors.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../../platform/guard.js';
import { AppError, ErrorBody } from '../../platform/errors.js';
import { londonToday } from './clock.js';
import { loadLearnerSource, textSource } from './load.js';
import { REGISTER_ROLES, registerLearner } from './service.js';
import { LearnerImportReportSchema, RegisterLearnerBody, RegistrationSchema } from './schemas.js';

/** Largest learner file accepted over HTTP (about 100,000 learners); larger files: `plr learners load`. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export const registerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // This plugin's routes only: a CSV body arrives as text; each route sets its own limit.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/learners',
    {
      config: { access: access.roles(...REGISTER_ROLES), ocf: 'none' },
      schema: {
        tags: ['learners'],
        summary: 'Register one learner on the learner register',
        description:
          'The same rules as a row of the learner file (docs/learner-files.md). 201 when the learner was registered. For a ULN already registered: 409 ALREADY_REGISTERED, nothing more, whatever was sent; only the operator is told 200 (the register holds exactly these details) or 409 CONFLICT (naming the fields that differ, never their values). `available` applies to a new learner only.',
        body: RegisterLearnerBody,
        response: { 200: RegistrationSchema, 201: RegistrationSchema, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const outcome = await registerLearner(app.deps.graph, request.body, londonToday(), request.principal!);
      // Counts only: the learner's details stay out of the log.
      request.log.info({ created: outcome.created }, 'learner registration');
      return reply.status(outcome.created ? 201 : 200).send(outcome);
    },
  );

  app.post(
    '/learners/import',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['learners'],
        summary: 'Load a learner file (CSV) into the learner register',
        description:
          'Send the file as `text/csv` (`text/plain` is read the same way; format: docs/learner-files.md). The whole file is checked first; with any problem nothing is stored and the answer is 400 LEARNER_FILE_INVALID with `details.errors` (each with row, field, code and message; at most 1,000, `details.total` counts them all). Loading the same file again changes nothing. With `validateOnly=true` the file is only checked. Files above 16 MiB: use `plr learners load FILE`.',
        consumes: ['text/csv'],
        querystring: Type.Object({ validateOnly: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        body: Type.String({ description: 'The learner file, as text/csv' }),
        response: { 200: LearnerImportReportSchema, 400: ErrorBody, 413: ErrorBody, 415: ErrorBody },
      },
    },
    async (request) => {
      const result = await loadLearnerSource(app.deps.graph, textSource(request.body), {
        validateOnly: request.query.validateOnly,
      });
      if (!result.ok) {
        const first = result.errors[0];
        const where = first.row > 0 ? `row ${first.row}${first.field ? `, ${first.field}` : ''}: ` : '';
        throw new AppError(
          400,
          'LEARNER_FILE_INVALID',
          `the learner file has ${result.errorCount} problem${result.errorCount === 1 ? '' : 's'}; nothing was stored. First: ${where}${first.message}`,
          { errors: result.errors, total: result.errorCount, shown: result.errors.length },
        );
      }
      if (!result.loaded) return { validated: true, loaded: false, rows: result.rows };
      const r = result.report;
      request.log.info(
        { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged, ms: r.durationMs },
        'learner file loaded',
      );
      return {
        validated: true,
        loaded: true,
        rows: r.rows,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        availabilityKept: r.availabilityKept,
        durationMs: r.durationMs,
      };
    },
  );
};
