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

export const DueDateSchema = Type.Object(
  {
    date: Type.String({ description: 'The last day (London, YYYY-MM-DD) on which a submission is on time' }),
    lateFrom: Type.String({ description: 'The first instant (ISO) at which a submission is late' }),
    extendedMinutes: Type.Integer({
      description: 'Working time recorded service unavailability added to the 10 working days',
    }),
  },
  {
    title: 'DueDate',
    description: "10 working days of the AO's nation after the award date, extended by recorded service unavailability",
  },
);

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
    late: Type.Boolean({
      description: 'Submitted after it was due (decided when it was submitted, with the downtime recorded then)',
    }),
    due: DueDateSchema,
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

/** POST /achievements: one record, or an array of up to 1,000. */
export const SubmissionBodySchema = Type.Union(
  [
    SubmittedRecordSchema,
    Type.Array(SubmittedRecordSchema, {
      minItems: 1,
      maxItems: 1000,
      description: 'Up to 1,000 records, each answered on its own',
    }),
  ],
  { description: 'One record (answered as before), or an array of records' },
);

export const BulkSubmissionSchema = Type.Object(
  {
    validateOnly: Type.Boolean(),
    counts: Type.Object({
      added: Type.Integer(),
      amended: Type.Integer(),
      withdrawn: Type.Integer(),
      unchanged: Type.Integer(),
      rejected: Type.Integer(),
      late: Type.Integer(),
    }),
    items: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'Place in the array, from 0 (a message naming a row counts from 1)' }),
        recordId: Nullable(Type.String()),
        status: Type.Integer({ description: 'The HTTP status a single POST of this record would have had' }),
        result: Type.Union([
          Type.Literal('added'),
          Type.Literal('amended'),
          Type.Literal('withdrawn'),
          Type.Literal('unchanged'),
          Type.Literal('rejected'),
        ]),
        code: Nullable(Type.String({ description: 'The row error code (E001 to E026) of a rejected record' })),
        message: Nullable(Type.String()),
        field: Nullable(Type.String()),
        late: Type.Boolean(),
      }),
      { description: 'One answer per record, in the order sent' },
    ),
  },
  { title: 'AchievementBulkSubmission' },
);

export const DeadlineQuerySchema = Type.Object(
  {
    awardDate: Type.String({ description: 'Award date YYYY-MM-DD' }),
    ukprn: Type.Optional(
      Type.String({
        description: "The awarding organisation (default: the token's own AO; required for the operator)",
      }),
    ),
    submittedAt: Type.Optional(
      Type.String({ description: 'An ISO date and time: say whether a record submitted then would be late' }),
    ),
  },
  { additionalProperties: false },
);

export const DeadlineSchema = Type.Object(
  {
    awardDate: Type.String(),
    ukprn: Type.String(),
    nation: Type.String({ description: "Whose public holidays count: the AO's nation (GB-ENG when none is recorded)" }),
    workingDays: Type.Integer(),
    due: DueDateSchema,
    downtime: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }), {
      description: 'Recorded service unavailability inside the window',
    }),
    submittedAt: Nullable(Type.String()),
    late: Nullable(Type.Boolean({ description: 'With submittedAt: whether a record submitted then is late' })),
  },
  { title: 'SubmissionDeadline' },
);
