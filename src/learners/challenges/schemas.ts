/**
 * TypeBox schemas of OCF 08 (data challenges): validation and OpenAPI.
 */
import { Type } from 'typebox';
import { LevelSchema } from '../../catalogue/schemas.js';
import {
  GRADE_MAX,
  RECORD_ID_MAX,
  REASON_MAX,
  REASON_MIN,
  RELATIONSHIP_MAX,
  REPRESENTATIVE_NAME_MAX,
} from './rules.js';
import { QUEUE_LIMIT_DEFAULT, QUEUE_LIMIT_MAX } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UlnParams = Type.Object({ uln: Type.String({ description: 'Unique Learner Number' }) });
export const ChallengeIdParams = Type.Object({ id: Type.String({ description: 'Challenge id', maxLength: 100 }) });

export const FileChallengeBody = Type.Object(
  {
    recordKey: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: RECORD_ID_MAX + 9,
        description:
          'The record\'s key, "UKPRN:recordId" (e.g. 10000001:R0001234); or give aoUkprn and recordId instead',
      }),
    ),
    aoUkprn: Type.Optional(Type.String({ description: 'UKPRN of the AO that submitted the record (with recordId)' })),
    recordId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: RECORD_ID_MAX,
        description: "The AO's own id of the record (with aoUkprn)",
      }),
    ),
    reason: Type.String({
      minLength: REASON_MIN,
      maxLength: REASON_MAX,
      description: "What is wrong with the record, in the learner's words",
    }),
    representative: Type.Optional(
      Type.Object(
        {
          name: Type.String({
            minLength: 1,
            maxLength: REPRESENTATIVE_NAME_MAX,
            description: 'Personal data: shown to the learner and service staff, never to the AO, never logged',
          }),
          relationship: Type.String({
            minLength: 1,
            maxLength: RELATIONSHIP_MAX,
            description: 'e.g. parent, carer, solicitor',
          }),
        },
        { additionalProperties: false, description: "Service staff only: who wrote on the learner's behalf" },
      ),
    ),
    filedAt: Type.Optional(
      Type.String({
        description:
          'Service staff only: when the written challenge was received, ISO date-time with a zone; default now',
      }),
    ),
  },
  { additionalProperties: false, title: 'FileChallenge' },
);

export const ResolveChallengeBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]),
    reason: Type.Optional(
      Type.String({
        minLength: REASON_MIN,
        maxLength: REASON_MAX,
        description: 'Required when rejected; sent to the learner',
      }),
    ),
    action: Type.Optional(
      Type.Union([Type.Literal('withdraw'), Type.Literal('amend')], { description: 'Required when upheld' }),
    ),
    amendment: Type.Optional(
      Type.Object(
        {
          credit: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
          level: Type.Optional(LevelSchema),
          grade: Type.Optional(Type.String({ minLength: 1, maxLength: GRADE_MAX })),
          awardDate: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
        },
        { additionalProperties: false, description: 'With action "amend": the fields to change' },
      ),
    ),
  },
  { additionalProperties: false, title: 'ResolveChallenge' },
);

const ChangeValue = Type.Union([Type.String(), Type.Number(), Type.Null()]);

const challengeProperties = {
  id: Type.String(),
  uln: Type.String({ description: 'The learner the challenge was filed for' }),
  recordKey: Type.String({ description: 'UKPRN:recordId of the challenged record' }),
  aoUkprn: Type.String({ description: 'The AO that submitted the record and answers the challenge' }),
  reason: Type.String(),
  filedAt: Type.String({ description: 'When the challenge was made (ISO date-time)' }),
  filedBy: Type.String({
    description: 'Subject of who filed it: the learner, or the staff member who recorded a written challenge',
  }),
  channel: Type.Union([Type.Literal('online'), Type.Literal('written')]),
  representative: Nullable(
    Type.Object({
      name: Type.Optional(Type.String({ description: 'Not shown to the AO' })),
      relationship: Type.String(),
    }),
  ),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]),
  resolvedAt: Nullable(Type.String()),
  resolvedBy: Nullable(Type.String()),
  resolution: Nullable(Type.String({ description: "The AO's reason" })),
  action: Nullable(Type.Union([Type.Literal('withdraw'), Type.Literal('amend')])),
  changes: Type.Array(Type.Object({ field: Type.String(), from: ChangeValue, to: ChangeValue }), {
    description: 'What the resolution changed on the record',
  }),
  serviceHours: Nullable(Type.Number({ description: 'Service hours from filing to resolution; while open, so far' })),
  notifiedAt: Nullable(Type.String({ description: 'When the learner was emailed the outcome' })),
  record: Type.Object({
    recordId: Type.String(),
    aoUkprn: Type.String(),
    urn: Nullable(Type.String()),
    unitTitle: Nullable(Type.String()),
    credit: Nullable(Type.Integer()),
    level: Nullable(Type.String()),
    grade: Nullable(Type.String()),
    awardDate: Nullable(Type.String()),
    status: Type.String({ description: 'active or withdrawn, as it stands now' }),
    underChallenge: Type.Boolean(),
    version: Type.Integer(),
  }),
};

export const ChallengeSchema = Type.Object(challengeProperties, { title: 'Challenge' });
export const ResolvedChallengeSchema = Type.Object(
  {
    ...challengeProperties,
    notified: Type.Boolean({ description: 'Whether the learner was emailed the outcome' }),
  },
  { title: 'ResolvedChallenge' },
);

export const ChallengeListSchema = Type.Object({ items: Type.Array(ChallengeSchema) });
export const ChallengePageSchema = Type.Object({ total: Type.Integer(), items: Type.Array(ChallengeSchema) });

export const QueueQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected'), Type.Literal('all')], {
      default: 'open',
    }),
    limit: Type.Integer({ minimum: 1, maximum: QUEUE_LIMIT_MAX, default: QUEUE_LIMIT_DEFAULT }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
