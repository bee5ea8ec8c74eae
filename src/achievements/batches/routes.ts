/**
 * REST for achievement batches (OCF 01, OCF 10's validate-only): upload, list, status and
 * the CSV report of rejected rows. AO users and admins see their own organisation's
 * batches; the operator sees every AO's.
 */
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { access } from '../../platform/guard.js';
import { AppError, ErrorBody } from '../../platform/errors.js';
import type { Principal } from '../../platform/auth.js';
import { csvLine, csvLines } from '../../platform/csv.js';
import { REPORT_HEADER } from './chunks.js';
import { BatchFileError } from './file.js';
import { framingError, framingProblem } from './multipart.js';
import { getBatch, listBatches, rejectionsPage, type Batch, type BatchState } from './repository.js';
import { resumeBatch } from './recovery.js';
import {
  BatchParams,
  BatchView,
  batchView,
  ListQuery,
  ReportCsv,
  UploadBody,
  UploadHeaders,
  UploadQuery,
} from './schemas.js';
import { receiveBatch, storeStream, tooLarge, type StoredFile } from './service.js';

const tags = ['achievements'];

/** A malformed multipart body as the house's 400; any other error as it was. */
function asFramingError(err: unknown): unknown {
  const problem = framingError(err);
  return problem ? new AppError(problem.status, problem.code, problem.message) : err;
}
const UPLOADERS = ['ao-user', 'ao-admin'] as const;
const VIEWERS = ['ao-user', 'ao-admin', 'operator'] as const;

declare module 'fastify' {
  interface FastifyRequest {
    batchUpload?: { stored: StoredFile; fileName: string; adopted: boolean };
  }
}

/** The batch if the caller may see it; another AO's batch is "not found", not "forbidden". */
export function visibleBatch(principal: Principal, batch: Batch | null, id: string): Batch {
  const mayView =
    batch !== null &&
    (principal.roles.includes('operator') ||
      (principal.organisation !== undefined && principal.organisation === batch.aoUkprn));
  if (!mayView) throw new AppError(404, 'BATCH_NOT_FOUND', `there is no batch "${id}" of your organisation`);
  return batch;
}

function aoOf(principal: Principal): string {
  if (!principal.organisation)
    throw new AppError(
      403,
      'FORBIDDEN',
      'your token names no organisation: batches belong to an awarding organisation',
    );
  return principal.organisation;
}

export async function batchRoutes(app: FastifyInstance) {
  const config = app.config;

  await app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: config.batchMaxBytes, files: 1, fields: 5, fieldSize: 1_024, parts: 8 },
      // The file goes straight to disk as it arrives; the body only says it came.
      async onFile(this: FastifyRequest, part) {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new AppError(
            400,
            'VALIDATION',
            `the file must be sent in the form field "file", not "${part.fieldname.slice(0, 40)}"`,
          );
        }
        let stored: StoredFile;
        try {
          stored = await storeStream(config, part.file);
        } catch (err) {
          if (err instanceof BatchFileError) throw new AppError(err.status, err.code, err.message);
          throw asFramingError(err);
        }
        this.batchUpload = { stored, fileName: part.filename || 'upload', adopted: false };
        if (part.file.truncated) throw tooLargeError();
        (part as unknown as { value: string }).value = 'received';
      },
    });

    const tooLargeError = () => {
      const e = tooLarge(config.batchMaxBytes);
      return new AppError(e.status, e.code, e.message);
    };
    // A file stored for a request that then fails (bad field, too large, refused) is removed.
    scope.addHook('onResponse', async (request) => {
      const up = request.batchUpload;
      if (up && !up.adopted) await rm(up.stored.temp, { force: true });
    });
    // The multipart parser's own refusals, in this service's words; the app's handler answers.
    scope.setErrorHandler(async (err) => {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLargeError();
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw new AppError(
          413,
          'BATCH_FORM_TOO_LARGE',
          'send one file (field "file") and at most the fields validateOnly and batchId',
        );
      }
      throw asFramingError(err);
    });

    scope.post(
      '/achievements/batches',
      {
        config: { access: access.roles(...UPLOADERS), ocf: 'OCF01' },
        onRequest: async (request) => {
          if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
            throw new AppError(
              415,
              'UNSUPPORTED_MEDIA_TYPE',
              'send the file as multipart/form-data with the file in the field "file" (CSV or XML, see docs/interface-files.md)',
            );
          }
          const problem = framingProblem(request.headers);
          if (problem) throw new AppError(problem.status, problem.code, problem.message);
        },
        schema: {
          tags,
          summary: 'Upload an achievement batch (CSV or XML) to be loaded, or only checked with validateOnly',
          description:
            'The file is stored as it streams in and read once before it is accepted: a file that is empty, neither CSV nor XML, truncated, with the wrong header or too large is refused and nothing is kept. Then a worker loads it: unit credits first, then qualification awards. Follow statusUrl; when it ends, the submitting user is emailed. Sending a batch id (field batchId or Idempotency-Key header) again with the same file answers the first batch (200) and changes nothing.',
          consumes: ['multipart/form-data'],
          body: UploadBody,
          querystring: UploadQuery,
          headers: UploadHeaders,
          response: { 200: BatchView, 202: BatchView, 400: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        const up = request.batchUpload;
        if (!up) throw new AppError(400, 'VALIDATION', 'the form has no file: send it in the field "file"');
        const body = request.body as { validateOnly?: boolean; batchId?: string };
        const query = request.query as { validateOnly?: boolean; batchId?: string };
        const keys = [body.batchId, query.batchId, request.headers['idempotency-key'] as string | undefined].filter(
          (k): k is string => !!k,
        );
        if (new Set(keys).size > 1)
          throw new AppError(400, 'VALIDATION', 'batchId and Idempotency-Key differ: send one id');
        const received = await receiveBatch(
          { ...app.deps, config },
          {
            stored: up.stored,
            fileName: up.fileName,
            aoUkprn: aoOf(principal),
            subject: principal.subject,
            validateOnly: body.validateOnly ?? query.validateOnly ?? false,
            idempotencyKey: keys[0],
            source: 'upload',
          },
          new Date(),
        ).finally(() => {
          up.adopted = true; // receiveBatch keeps or removes the file itself
        });
        const view = batchView(config, received.batch, new Date());
        reply.header('location', view.statusUrl);
        return reply.status(received.created ? 202 : 200).send(view);
      },
    );
  });

  app.get(
    '/achievements/batches',
    {
      config: { access: access.roles(...VIEWERS), ocf: 'OCF01' },
      schema: {
        tags,
        summary: "Your organisation's achievement batches, newest first (the operator: every AO's)",
        querystring: ListQuery,
        response: { 200: Type.Object({ batches: Type.Array(BatchView) }) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const q = request.query as { limit?: number; ao?: string; state?: BatchState };
      const operator = principal.roles.includes('operator');
      const ao = operator ? (q.ao ?? null) : aoOf(principal);
      const now = new Date();
      const batches = await listBatches(app.deps.graph, ao, q.limit ?? 50, {
        state: q.state,
        stuckBefore: new Date(now.getTime() - config.batchStuckSeconds * 1000),
      });
      return { batches: batches.map((b) => batchView(config, b, now)) };
    },
  );

  app.get(
    '/achievements/batches/:id',
    {
      config: { access: access.roles(...VIEWERS), ocf: 'OCF01' },
      schema: {
        tags,
        summary: "A batch's status, counts, timestamps and duration against the 48-hour target",
        params: BatchParams,
        response: { 200: BatchView, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const batch = visibleBatch(request.principal!, await getBatch(app.deps.graph, id), id);
      return batchView(config, batch, new Date());
    },
  );

  app.post(
    '/achievements/batches/:id/resume',
    {
      config: { access: access.roles('operator'), ocf: 'OCF01' },
      schema: {
        tags,
        summary: 'Operator: take a failed or stuck batch up again from its checkpoint',
        description:
          'A failed batch goes back to received and its job is queued again; the run goes on from the last committed chunk, so nothing is written twice. An unfinished batch whose job is gone or failed is queued again. A completed batch, or one a worker is running now, is 409.',
        params: BatchParams,
        response: { 202: BatchView, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const batch = await resumeBatch({ ...app.deps, config }, id);
      return reply.status(202).send(batchView(config, batch, new Date()));
    },
  );

  app.get(
    '/achievements/batches/:id/report.csv',
    {
      config: { access: access.roles(...VIEWERS), ocf: 'OCF01' },
      schema: {
        tags,
        summary: 'The rejected rows of a batch as CSV: row, record_id, field, code, message (streamed, in file order)',
        params: BatchParams,
        response: { 200: ReportCsv, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const batch = visibleBatch(request.principal!, await getBatch(app.deps.graph, id), id);
      const graph = app.deps.graph;
      async function* lines() {
        yield csvLine(REPORT_HEADER);
        let after = 0;
        for (;;) {
          const page = await rejectionsPage(graph, batch.id, after, 2_000);
          if (page.length === 0) return;
          yield csvLines(page.map((r) => [r.row, r.recordId, r.field, r.code, r.message]));
          after = page[page.length - 1].n;
        }
      }
      reply.type('text/csv; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="batch-${batch.id.replace(/[^A-Za-z0-9._-]/g, '_')}-report.csv"`,
      );
      return reply.send(Readable.from(lines()));
    },
  );
}
