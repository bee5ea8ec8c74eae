/**
 * TypeBox schemas of single achievement records (REST validation and OpenAPI).
 */
import { Type } from 'typebox';
import { LevelSchema } from '../catalogue/schemas.js';
import { RECORD_FIELDS } from './rows.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const FIELD_NOTES: Record<(typeof RECORD_FIELDS)[number], string> = {
  record_id: "The AO's own id for the record, unique within the AO: 1 to 50 letters, digits, '.', '_', '-', '/'",
  action: 'ADD, AMEND or WITHDRAW',
  uln: 'Unique Learner Number (10 digits)',
  given_name: 'As on the learner register',
  family_name: 'As on the learner register',
  date_of_birth: 'YYYY-MM-DD, as on the learner register',
  gender: 'F, M, X or U',
  urn: 'Unit reference number (a unit credit), e.g. J/617/2480; give urn or qan, not both',
  qan: 'Qualification number (a qualification award), e.g. 501/1855/9',
  award_date: 'YYYY-MM-DD, not in the future',
  grade: 'Optional, up to 20 characters',
  credit: "The unit's credit value (the qualification's total credits; optional for a qualification)",
  level: 'E1, E2, E3 or 1 to 8, as in the catalogue',
  provider_ukprn: 'Optional: the learning provider (8 digits starting with 1)',
  language: 'Optional: language of assessment, ISO 639 code (en, cy, ga, gd)',
};

/** One record as submitted: the interface-file fields, all text (docs/interface-files.md). */
export const SubmittedRecordSchema = Type.Object(
  Object.fromEntries(
    RECORD_FIELDS.map((f) => [f, Type.Optional(Type.String({ maxLength: 200, description: FIELD_NOTES[f] }))]),
  ) as Record<(typeof RECORD_FIELDS)[number], ReturnType<typeof Type.Optional<ReturnType<typeof Type.String>>>>,
  {
    additionalProperties: false,
    title: 'SubmittedAchievementRecord',
    description:
      'Fields as in the CSV header and XML elements; record_id and action always, the rest as the action needs',
  },
);

const StatusSchema = Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]);

export const RecordViewSchema = Type.Object(
  {
    recordId: Type.String(),
    aoUkprn: Type.String(),
    uln: Type.String(),
    kind: Type.Union([Type.Literal('unit'), Type.Literal('qualification')]),
    urn: Nullable(Type.String()),
    qan: Nullable(Type.String()),
    credit: Type.Integer(),
    level: LevelSchema,
    awardDate: Type.String({ description: 'YYYY-MM-DD' }),
    grade: Nullable(Type.String()),
    providerUkprn: Nullable(Type.String()),
    language: Nullable(Type.String()),
    status: StatusSchema,
    late: Type.Boolean({ description: 'Submitted more than 10 working days after the award date' }),
    underChallenge: Type.Boolean(),
    version: Type.Integer(),
    action: Type.String({ description: 'The action that made this version' }),
    batchId: Nullable(Type.String()),
    submittedAt: Nullable(Type.String()),
    changedAt: Nullable(Type.String()),
  },
  { title: 'AchievementRecord' },
);

export const VersionSchema = Type.Object(
  {
    version: Type.Integer(),
    action: Type.String(),
    credit: Type.Integer(),
    level: LevelSchema,
    awardDate: Type.String(),
    grade: Nullable(Type.String()),
    providerUkprn: Nullable(Type.String()),
    language: Nullable(Type.String()),
    status: StatusSchema,
    late: Type.Boolean(),
    batchId: Nullable(Type.String()),
    changedAt: Nullable(Type.String()),
    changedBy: Nullable(Type.String()),
    supersededAt: Nullable(Type.String()),
    supersededBy: Nullable(Type.String()),
    challengeId: Nullable(
      Type.String({ description: 'The upheld data challenge that superseded this version, if one did' }),
    ),
  },
  { title: 'AchievementVersion' },
);

export const HistorySchema = Type.Object(
  {
    current: Type.Intersect([
      RecordViewSchema,
      Type.Object({ submittedBy: Nullable(Type.String()), changedBy: Nullable(Type.String()) }),
    ]),
    versions: Type.Array(VersionSchema, { description: 'Earlier versions, newest first' }),
  },
  { title: 'AchievementHistory' },
);

export const SubmissionSchema = Type.Object(
  {
    result: Type.Union([
      Type.Literal('added'),
      Type.Literal('amended'),
      Type.Literal('withdrawn'),
      Type.Literal('unchanged'),
    ]),
    late: Type.Boolean(),
    validateOnly: Type.Boolean(),
    record: Nullable(RecordViewSchema),
  },
  { title: 'AchievementSubmission' },
);

export const RecordPageSchema = Type.Object(
  {
    ao: Type.String(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    more: Type.Boolean({ description: 'Another page follows' }),
    items: Type.Array(RecordViewSchema),
  },
  { title: 'AchievementRecordPage' },
);
