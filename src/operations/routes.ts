/**
 * Operator routes: background workers, the monthly service-level report, metrics.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';
import { renderReport } from '../platform/pdf.js';
import { listWorkers } from './repository.js';
import { serviceLevelPdf, serviceLevelReport } from './service.js';
import { MonthQuery, Pdf, ServiceLevelReportSchema } from './schemas.js';

export const Worker = Type.Object({
  name: Type.String(),
  lastSeen: Type.String({ description: 'ISO date-time of the last heartbeat' }),
  beats: Type.Integer(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  host: Type.Union([Type.String(), Type.Null()]),
});

export const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workers',
    {
      config: { access: access.roles('operator') },
      schema: {
        tags: ['operations'],
        summary: 'Background workers that have reported a heartbeat, newest first',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ workers: Type.Array(Worker) }) },
      },
    },
    async (request) => ({ workers: await listWorkers(app.deps.graph, request.query.limit) }),
  );

  app.post(
    '/workers/heartbeat',
    {
      config: { access: access.roles('operator') },
      schema: {
        tags: ['operations'],
        summary: 'Ask a worker to record a heartbeat (checks the queue end to end)',
        response: { 202: Type.Object({ jobId: Type.String() }) },
      },
    },
    async (_request, reply) => {
      const job = await app.deps.jobs.enqueue('operations.heartbeat', { at: new Date().toISOString() });
      return reply.status(202).send({ jobId: String(job.id) });
    },
  );

  app.get(
    '/service-levels',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'The monthly service-level report: response times per charter service, batches, availability',
        description:
          'Per OCF service the request count, monthly average and 95th percentile against the charter target; achievement batches against 48 hours; availability against 99.5 % with every outage; challenge and telephone availability handling times in service hours. A month still in progress is measured up to now.',
        querystring: MonthQuery,
        response: { 200: ServiceLevelReportSchema, 400: ErrorBody },
      },
    },
    async (request) =>
      serviceLevelReport({ graph: app.deps.graph, flush: () => app.serviceMetrics.flush() }, request.query.month),
  );

  app.get(
    '/service-levels.pdf',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'The monthly service-level report, printable (PDF)',
        querystring: MonthQuery,
        response: { 200: Pdf, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const report = await serviceLevelReport(
        { graph: app.deps.graph, flush: () => app.serviceMetrics.flush() },
        request.query.month,
      );
      const pdf = await renderReport(serviceLevelPdf(report));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="service-levels-${report.month}.pdf"`)
        .send(pdf);
    },
  );
};

/** GET /metrics in Prometheus' text format, for the operator (a scraper without a token uses METRICS_PORT). */
export const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/metrics',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Metrics in Prometheus text format (request durations by charter service, queue, batches, health)',
        description: 'For a scraper without a token, set METRICS_PORT: the same figures on a listener of their own.',
        response: { 200: { description: 'Prometheus text exposition format', type: 'string' } },
      },
    },
    async (_request, reply) => {
      const { registry } = app.serviceMetrics;
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
};
