/**
 * Operator routes: background workers, the monthly service-level report, metrics.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';
import { renderReport } from '../platform/pdf.js';
import { listWorkers } from './repository.js';
import {
  categoriseCall,
  deskCalls,
  endMaintenance,
  maintenanceWindows,
  recordCall,
  resolveCall,
  scheduleWindow,
  serviceLevelPdf,
  serviceLevelReport,
  serviceStatus,
  type WindowDeps,
} from './service.js';
import {
  DeskCallInputSchema,
  DeskCallSchema,
  DeskCategoryInputSchema,
  DeskResolutionInputSchema,
  MonthQuery,
  Pdf,
  ServiceLevelReportSchema,
  ServiceStatusSchema,
  WindowInputSchema,
  WindowSchema,
} from './schemas.js';

export const Worker = Type.Object({
  name: Type.String(),
  lastSeen: Type.String({ description: 'ISO date-time of the last heartbeat' }),
  beats: Type.Integer(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  host: Type.Union([Type.String(), Type.Null()]),
});

/** Who is acting, for the records they leave (the guard has checked the token). */
function subjectOf(request: FastifyRequest): string {
  return request.principal?.subject ?? 'unknown';
}

export const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workers',
    {
      config: { access: access.roles('operator'), ocf: 'none' },
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
      config: { access: access.roles('operator'), ocf: 'none' },
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

  const windowDeps = (): WindowDeps => ({
    graph: app.deps.graph,
    gate: app.maintenance,
    jobs: app.deps.jobs,
    noticeHours: app.config.maintenanceNoticeHours,
  });
  const operator = { access: access.roles('operator'), ocf: 'none' as const };
  const IdParams = Type.Object({ id: Type.String() });

  app.post(
    '/maintenance',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Schedule a maintenance window (planned or emergency), with its message in English and Welsh',
        description:
          'A planned window is announced on GET /service-status from announceFrom (default MAINTENANCE_NOTICE_HOURS before) and emailed to every AO user; one that touches core hours (08:00 to 20:00 Monday to Saturday, bank holidays aside) needs a reason and is flagged in the report. During a window changes are refused with 503 and Retry-After; reads go on; workers pause between chunks.',
        body: WindowInputSchema,
        response: { 201: WindowSchema, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await scheduleWindow(windowDeps(), request.body, subjectOf(request))),
  );

  app.get(
    '/maintenance',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Maintenance windows of the last 31 days and to come, cancelled ones too',
        response: { 200: Type.Object({ windows: Type.Array(WindowSchema) }) },
      },
    },
    async () => ({ windows: await maintenanceWindows(app.deps.graph) }),
  );

  app.post(
    '/maintenance/:id/end',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'End a window now: one in progress ends, one not begun is cancelled',
        params: IdParams,
        response: { 200: WindowSchema, 404: ErrorBody },
      },
    },
    async (request) => endMaintenance(windowDeps(), request.params.id, subjectOf(request)),
  );

  app.post(
    '/desk-calls',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Service desk: record a call (charter section 5)',
        body: DeskCallInputSchema,
        response: { 201: DeskCallSchema, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordCall(app.deps.graph, request.body, subjectOf(request))),
  );

  app.get(
    '/desk-calls',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Service desk calls, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ calls: Type.Array(DeskCallSchema) }) },
      },
    },
    async (request) => ({ calls: await deskCalls(app.deps.graph, request.query.status, request.query.limit) }),
  );

  app.put(
    '/desk-calls/:id/category',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Service desk: assign a call its incident category (1 to 4, or DC)',
        params: IdParams,
        body: DeskCategoryInputSchema,
        response: { 200: DeskCallSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => categoriseCall(app.deps.graph, request.params.id, request.body.category, subjectOf(request)),
  );

  app.post(
    '/desk-calls/:id/resolution',
    {
      config: operator,
      schema: {
        tags: ['operations'],
        summary: 'Service desk: resolve a call; its resolution time is measured in service hours',
        params: IdParams,
        body: DeskResolutionInputSchema,
        response: { 200: DeskCallSchema, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => resolveCall(app.deps.graph, request.params.id, request.body, subjectOf(request)),
  );
};

/** GET /service-status: public, for people and the portal banner. */
export const serviceStatusRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/service-status',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Whether the service is available, and maintenance in progress or announced (English and Welsh)',
        response: { 200: ServiceStatusSchema },
      },
    },
    async () => serviceStatus(app.maintenance),
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
