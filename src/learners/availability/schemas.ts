/**
 * TypeBox schemas of OCF 07 (learner data availability): validation and OpenAPI.
 */
import { Type } from 'typebox';
import { MAX_NOTE_LENGTH } from './rules.js';
import { HISTORY_LIMIT_DEFAULT, HISTORY_LIMIT_MAX } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UlnParams = Type.Object({ uln: Type.String({ description: 'Unique Learner Number' }) });

export const AvailabilityChannelSchema = Type.Union(
  [Type.Literal('online'), Type.Literal('api'), Type.Literal('telephone')],
  {
    description: 'online or api: the learner themself; telephone: service staff recording a call from the learner',
  },
);

export const SetAvailabilityBody = Type.Object(
  {
    available: Type.Boolean({
      description:
        'true: organisations may see the record; false: only the learner and, for its own records, the submitting AO',
    }),
    channel: AvailabilityChannelSchema,
    requestedAt: Type.Optional(
      Type.String({
        description:
          'Telephone only, required: when the learner phoned, ISO date-time with a zone (e.g. 2025-08-22T18:30:00Z); at most 31 days ago',
      }),
    ),
    note: Type.Optional(
      Type.String({
        maxLength: MAX_NOTE_LENGTH,
        description: 'Telephone only: what the staff member wants kept with the request. Never logged.',
      }),
    ),
  },
  { additionalProperties: false, title: 'SetAvailability' },
);

export const AvailabilityRequestSchema = Type.Object(
  {
    id: Type.String(),
    available: Type.Boolean({ description: 'What the request asked for' }),
    previous: Type.Boolean({ description: 'The flag before; equal to available when nothing changed' }),
    channel: AvailabilityChannelSchema,
    requestedAt: Type.String({ description: 'When the learner asked (ISO date-time)' }),
    handledAt: Type.String({ description: 'When the change was made (ISO date-time)' }),
    handledBy: Type.String({ description: 'Subject of who made the change: the learner or the staff member' }),
    note: Nullable(Type.String()),
    serviceHours: Type.Number({
      description:
        'Handling time in service hours (08:00-20:00 London, Monday to Saturday, not public holidays), to 0.01 h',
    }),
  },
  { title: 'AvailabilityRequest' },
);

export const AvailabilityChangeSchema = Type.Object(
  {
    uln: Type.String({ description: 'The learner whose flag changed (the master ULN when a merged ULN was given)' }),
    available: Type.Boolean(),
    mergedRecords: Type.Integer({ description: "Records merged into this learner's that changed with it" }),
    request: AvailabilityRequestSchema,
  },
  { title: 'AvailabilityChange' },
);

export const AvailabilitySchema = Type.Object(
  {
    uln: Type.String(),
    available: Type.Boolean(),
    masterUln: Nullable(
      Type.String({ description: "Set when this ULN was merged into another; the history is the master's" }),
    ),
    total: Type.Integer({ description: 'How many requests there have been' }),
    requests: Type.Array(AvailabilityRequestSchema, { description: 'Newest first' }),
  },
  { title: 'Availability' },
);

export const AvailabilityQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: HISTORY_LIMIT_MAX, default: HISTORY_LIMIT_DEFAULT }),
  },
  { additionalProperties: false },
);
