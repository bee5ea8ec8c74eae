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
  desk: Type.Array(
    Type.Object({
      category: Type.String(),
      received: Type.Integer(),
      resolved: Type.Integer(),
      open: Type.Integer(),
      meanServiceHours: Nullable(Type.Number()),
      maxServiceHours: Nullable(Type.Number()),
    }),
  ),
});

/** A PDF answer, documented under its own media type; errors stay JSON. */
export const Pdf = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

export const WindowSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('planned'), Type.Literal('emergency')]),
  start: Type.String(),
  end: Type.String(),
  announceFrom: Type.String({ description: 'From when /service-status and the portal banner show it' }),
  messageEn: Type.String(),
  messageCy: Type.String(),
  reason: Nullable(Type.String()),
  inCoreHours: Type.Boolean({ description: 'Planned in core hours: allowed with a reason, flagged in the report' }),
  cancelled: Type.Boolean(),
  source: Nullable(Type.String()),
});

export const WindowInputSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('planned'), Type.Literal('emergency')]),
    start: Type.String({ description: 'ISO date-time with a zone' }),
    end: Type.String({ description: 'ISO date-time with a zone' }),
    messageEn: Type.String({ maxLength: 500, description: 'What users are told, in English' }),
    messageCy: Type.String({ maxLength: 500, description: 'The same in Welsh' }),
    reason: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Required for a planned window in core hours: the agreement it rests on',
      }),
    ),
    announceFrom: Type.Optional(Type.String({ description: 'Default: MAINTENANCE_NOTICE_HOURS before start' })),
  },
  { additionalProperties: false },
);

const Announced = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  start: Type.String(),
  end: Type.String(),
  message: Type.Object({ en: Type.String(), cy: Type.String() }),
});

export const ServiceStatusSchema = Type.Object({
  status: Type.Union([Type.Literal('available'), Type.Literal('maintenance')]),
  now: Type.String(),
  current: Nullable(Announced),
  announced: Type.Array(Announced),
});

export const DeskCallSchema = Type.Object({
  id: Type.String(),
  receivedAt: Type.String(),
  channel: Type.String(),
  organisation: Nullable(Type.String()),
  summary: Type.String(),
  category: Nullable(Type.String()),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  resolvedAt: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  serviceHours: Nullable(Type.Number({ description: 'Resolution time in service hours' })),
});

const Category = Type.Union(['1', '2', '3', '4', 'DC'].map((c) => Type.Literal(c)));

export const DeskCallInputSchema = Type.Object(
  {
    receivedAt: Type.String({ description: 'When the call came in (ISO date-time with a zone)' }),
    channel: Type.Union(['telephone', 'email', 'letter', 'portal'].map((c) => Type.Literal(c))),
    organisation: Type.Optional(Type.String({ description: 'UKPRN of the caller’s organisation, when any' })),
    summary: Type.String({ maxLength: 1000, description: 'What the call is about; never who the caller is' }),
    category: Type.Optional(Category),
  },
  { additionalProperties: false },
);

export const DeskCategoryInputSchema = Type.Object({ category: Category }, { additionalProperties: false });
export const DeskResolutionInputSchema = Type.Object(
  { resolution: Type.String({ maxLength: 1000 }), resolvedAt: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
