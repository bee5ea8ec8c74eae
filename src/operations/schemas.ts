/**
 * TypeBox schemas of the operations routes (validation and OpenAPI).
 */
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const MonthQuery = Type.Object(
  { month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'A calendar month, YYYY-MM (London)' }) },
  { additionalProperties: false },
);

const OcfLine = Type.Object({
  ocf: Type.String(),
  name: Type.String(),
  targetSeconds: Nullable(Type.Number()),
  count: Type.Integer(),
  errors: Type.Integer({ description: 'Answers with a 5xx status' }),
  meanMs: Nullable(Type.Number()),
  p95Ms: Nullable(Type.Number()),
  maxMs: Nullable(Type.Number()),
  met: Nullable(Type.Boolean({ description: 'The monthly average met the target' })),
  p95WithinTarget: Nullable(Type.Boolean()),
});

const Outage = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('unplanned'), Type.Literal('emergency'), Type.Literal('planned')]),
  start: Type.String(),
  end: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  inCoreHours: Type.Boolean(),
  source: Nullable(Type.String()),
  minutes: Type.Number(),
  flagged: Type.Boolean({ description: 'A planned window inside core hours (allowed only with a stated reason)' }),
});

const Handling = Type.Object({
  count: Type.Integer(),
  meanServiceHours: Nullable(Type.Number()),
  maxServiceHours: Nullable(Type.Number()),
});

export const ServiceLevelReportSchema = Type.Object({
  month: Type.String(),
  from: Type.String(),
  to: Type.String(),
  generatedAt: Type.String(),
  complete: Type.Boolean({ description: 'false while the month is still going on' }),
  services: Type.Array(OcfLine),
  batches: Type.Object({
    targetSeconds: Type.Integer(),
    received: Type.Integer(),
    completed: Type.Integer(),
    failed: Type.Integer(),
    withinTargetPercent: Nullable(Type.Number()),
    overdueOpen: Type.Integer(),
    slowest: Nullable(Type.Object({ id: Type.String(), seconds: Type.Number(), withinTarget: Type.Boolean() })),
    met: Nullable(Type.Boolean()),
  }),
  availability: Type.Object({
    targetPercent: Type.Number(),
    periodMinutes: Type.Integer(),
    plannedMinutes: Type.Integer(),
    downtimeMinutes: Type.Number(),
    percent: Nullable(Type.Number()),
    met: Nullable(Type.Boolean()),
    outages: Type.Array(Outage),
  }),
  handling: Type.Object({ challenges: Handling, availabilityRequests: Handling }),
});

/** A PDF answer, documented under its own media type; errors stay JSON. */
export const Pdf = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};
