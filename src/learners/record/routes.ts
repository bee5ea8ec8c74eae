/**
 * REST for OCF 03: the learner record (JSON and PDF), the learner's time-limited record
 * links, the public link view, and the access log. Thin: the service decides.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { access } from '../../platform/guard.js';
import { ErrorBody } from '../../platform/errors.js';
import { renderReport } from '../../platform/pdf.js';
import { LEARNER_VIEWER_ROLES } from '../access.js';
import { recordReport } from './reports.js';
import {
  ACCESS_LOG_ROLES,
  accessLog,
  createRecordLink,
  learnerRecord,
  listRecordLinks,
  myRecord,
  openRecordLink,
  revokeRecordLink,
  type RecordAnswer,
} from './service.js';
import {
  AccessLogSchema,
  CreateLinkBody,
  CreatedLinkSchema,
  LinkPageSchema,
  LinkParams,
  PageQuery,
  RecordLinkSchema,
  RecordSchema,
  UlnParams,
  pageOf,
} from './schemas.js';
import { MAX_LINK_HOURS } from './links.js';

/** A PDF answer, documented under its own media type; errors stay JSON. */
const Pdf = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

// Link tokens are longer than the router's 100-character limit for a path parameter, so
// the link route takes the rest of the path as a wildcard and checks its shape here.
const TOKEN_SHAPE = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';
const LinkTokenParams = Type.Object({
  token: Type.String({
    minLength: 20,
    maxLength: 1024,
    pattern: TOKEN_SHAPE,
    description: 'The token from the emailed link',
  }),
});
const LinkQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('pdf')], {
        default: 'json',
        description: 'json (default) or pdf; a single-use link opens once, in the format chosen',
      }),
    ),
  },
  { additionalProperties: false },
);

async function sendPdf(reply: FastifyReply, record: RecordAnswer) {
  const pdf = await renderReport(recordReport(record));
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="learner-record-${record.uln}.pdf"`)
    .send(pdf);
}

export const recordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ graph: app.deps.graph, mailer: app.deps.mailer, config: app.config });

  app.get(
    '/learners/:uln/record',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: "OCF 03: a learner's record, grouped by qualification and by unit",
        description:
          "The learner sees their own; the operator any; AOs, providers and careers advisers a learner who shares (while a learner does not share, an AO sees the records it submitted). Names are shown to the learner and the operator only. Every read by someone other than the learner, and every refused attempt, is written to the learner's access log.",
        params: UlnParams,
        response: { 200: RecordSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => learnerRecord(app.deps.graph, request.principal!, request.params.uln),
  );

  app.get(
    '/learners/:uln/record.pdf',
    {
      config: { access: access.roles(...LEARNER_VIEWER_ROLES), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: "OCF 03, printable: a learner's record as a PDF",
        description: 'Same access rules and access logging as the online record.',
        params: UlnParams,
        response: { 200: Pdf, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) =>
      sendPdf(reply, await learnerRecord(app.deps.graph, request.principal!, request.params.uln, 'record.pdf')),
  );

  app.get(
    '/me/record',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03: your own record (the ULN your learner token carries)',
        response: { 200: RecordSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => myRecord(app.deps.graph, request.principal!),
  );

  app.get(
    '/me/record.pdf',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03, printable: your own record as a PDF',
        response: { 200: Pdf, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => sendPdf(reply, await myRecord(app.deps.graph, request.principal!, 'record.pdf')),
  );

  app.post(
    '/learners/:uln/record-links',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03: share your record through a time-limited link sent by email',
        description: `The link opens a read-only view of your record for 1 to ${MAX_LINK_HOURS} hours, once only if you ask, until you revoke it. It is emailed to the address given, or else to your contact email. At most 20 links in 24 hours.`,
        params: UlnParams,
        body: CreateLinkBody,
        response: {
          201: CreatedLinkSchema,
          400: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          429: ErrorBody,
          502: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const created = await createRecordLink(deps(), request.principal!, request.params.uln, request.body);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/learners/:uln/record-links',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03: your record links, newest first, with their state',
        params: UlnParams,
        querystring: PageQuery,
        response: { 200: LinkPageSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => listRecordLinks(deps(), request.principal!, request.params.uln, pageOf(request.query)),
  );

  app.delete(
    '/learners/:uln/record-links/:id',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03: revoke one of your record links; it stops opening at once',
        params: LinkParams,
        response: { 200: RecordLinkSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => revokeRecordLink(deps(), request.principal!, request.params.uln, request.params.id),
  );

  app.get(
    '/record-links/:token',
    {
      config: { access: access.public, ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 03: open a shared record link (read-only, no sign-in)',
        description:
          "Answers 410 (LINK_EXPIRED, LINK_REVOKED, LINK_USED) once the link no longer opens, 403 NOT_SHARED while the learner's record is unavailable, and 404 LINK_NOT_FOUND for an address that is not a genuine link. Every opening and every refusal is in the learner's access log.",
        params: LinkTokenParams,
        querystring: LinkQuery,
        response: {
          200: {
            description: 'The record: JSON, or a PDF with format=pdf',
            content: {
              'application/json': { schema: RecordSchema },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          400: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          410: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const pdf = request.query.format === 'pdf';
      const record = await openRecordLink(deps(), request.params.token, pdf ? 'record.pdf' : 'record');
      if (pdf) return sendPdf(reply, record);
      return record;
    },
  );

  app.get(
    '/learners/:uln/access-log',
    {
      config: { access: access.roles(...ACCESS_LOG_ROLES), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: "Who looked at a learner's record and when, newest first (the learner and the operator)",
        description:
          'Reads by organisations and the operator, openings of record links (subject record-link:<id>), and refused attempts (outcome "refused" with the reason).',
        params: UlnParams,
        querystring: PageQuery,
        response: { 200: AccessLogSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => accessLog(app.deps.graph, request.principal!, request.params.uln, pageOf(request.query)),
  );
};
