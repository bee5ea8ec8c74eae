/**
 * TypeBox schemas of the learner record (OCF 03), record links and the access log: used
 * for validation and OpenAPI.
 */
import { Type } from 'typebox';
import { MAX_LINK_HOURS, MIN_LINK_HOURS } from './links.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UlnParams = Type.Object({ uln: Type.String({ description: 'Unique Learner Number' }) });

export const RecordAchievementSchema = Type.Object(
  {
    recordId: Type.String({ description: "The awarding organisation's own record id" }),
    kind: Type.Union([Type.Literal('unit'), Type.Literal('qualification')]),
    uln: Type.String({ description: 'The ULN the record was submitted under (a merged ULN shows here)' }),
    urn: Nullable(Type.String()),
    qan: Nullable(Type.String()),
    title: Nullable(Type.String()),
    ao: Type.Object({ ukprn: Type.String(), name: Nullable(Type.String()) }),
    awardDate: Nullable(Type.String()),
    credit: Nullable(Type.Integer()),
    level: Nullable(Type.String()),
    grade: Nullable(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]),
    underChallenge: Type.Boolean({ description: 'The record is under data challenge (OCF 08); it still counts' }),
  },
  { title: 'RecordAchievement' },
);

const CountingCreditSchema = Type.Intersect([
  RecordAchievementSchema,
  Type.Object({
    countsAs: Type.String({
      description: 'The unit of the rules this credit counts as (its own URN unless by equivalence)',
    }),
    groups: Type.Array(Type.String(), { description: 'Rule groups of the qualification that contain it' }),
  }),
]);

const VerdictGroupSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    mandatory: Type.Boolean(),
    credits: Type.Integer({ description: 'Counted credits' }),
    units: Type.Integer({ description: 'Counted units' }),
    minCredits: Nullable(Type.Integer()),
    maxCredits: Nullable(Type.Integer()),
    minUnits: Nullable(Type.Integer()),
    maxUnits: Nullable(Type.Integer()),
    missingUnits: Type.Array(Type.String(), { description: 'Units of a mandatory group nothing fills' }),
    met: Type.Boolean(),
  },
  { title: 'RecordVerdictGroup' },
);

export const VerdictExclusionSchema = Type.Object(
  {
    recordId: Type.String(),
    urn: Type.String(),
    title: Nullable(Type.String()),
    awardDate: Nullable(Type.String()),
    credit: Nullable(Type.Integer()),
    reason: Type.Union(
      [
        Type.Literal('withdrawn'),
        Type.Literal('after-date'),
        Type.Literal('expired'),
        Type.Literal('duplicate-unit'),
        Type.Literal('barred'),
        Type.Literal('over-group-maximum'),
        Type.Literal('not-needed'),
      ],
      { description: 'Why it does not count (or not all of it) towards this qualification' },
    ),
    creditsNotCounted: Type.Integer(),
    explanation: Type.String({ description: 'The reason in words' }),
  },
  { title: 'RecordVerdictExclusion' },
);

export const RecordVerdictSchema = Type.Object(
  {
    date: Type.String({ description: 'The date the rules were applied on (today)' }),
    achieved: Type.Boolean(),
    exhaustive: Type.Boolean({ description: 'False only when the search bound stopped the evaluator' }),
    creditsCounted: Type.Integer(),
    creditsRequired: Type.Integer(),
    creditsRemaining: Type.Integer({
      description:
        "Credits still needed, at least: the largest of the shortfalls on the total, the level rule and the groups' minimums added up (the cheapest completion is OCF 06)",
    }),
    unitsRemaining: Type.Integer({
      description: "Units still needed, at least: mandatory units missing plus the groups' unit minimums not met",
    }),
    creditsAtLevel: Nullable(Type.Object({ level: Type.String(), counted: Type.Integer(), required: Type.Integer() })),
    summary: Type.String({ description: 'The verdict in one sentence' }),
    unmet: Type.Array(Type.Object({ rule: Type.String(), group: Nullable(Type.String()), message: Type.String() })),
    groups: Type.Array(VerdictGroupSchema),
    counted: Type.Array(
      Type.Object({
        recordId: Type.String(),
        urn: Type.String(),
        countsAs: Type.String(),
        group: Type.String(),
        credits: Type.Integer(),
        counted: Type.Integer(),
      }),
      { description: 'Which credit counted in which group' },
    ),
    excluded: Type.Array(VerdictExclusionSchema, {
      description: "Credits of this qualification's units that do not count here, and why",
    }),
  },
  {
    title: 'RecordVerdict',
    description: 'The rules-of-combination verdict, the same as OCF 04 gives for this learner and date',
  },
);

export const RecordQualificationSchema = Type.Object(
  {
    qan: Type.String(),
    title: Type.String(),
    level: Type.String(),
    totalCredits: Type.Integer({ description: 'Credits the qualification needs' }),
    creditsTowards: Type.Integer({
      description:
        'Credit value of the distinct units held (active) that sit in its rules: where credits can count; the rules answer is `verdict`',
    }),
    awarded: Type.Boolean({ description: 'An active award of this qualification is on the record' }),
    verdict: Nullable(RecordVerdictSchema),
    awards: Type.Array(RecordAchievementSchema),
    credits: Type.Array(CountingCreditSchema),
  },
  { title: 'RecordQualification' },
);

export const LinkInfoSchema = Type.Object(
  {
    id: Type.String(),
    expiresAt: Type.String(),
    singleUse: Type.Boolean(),
  },
  { title: 'SharedLinkInfo' },
);

export const RecordSchema = Type.Object(
  {
    uln: Type.String(),
    name: Nullable(
      Type.Object(
        { givenName: Nullable(Type.String()), familyName: Nullable(Type.String()) },
        {
          description:
            'Shown to the learner themself, the service operator, and through a link the learner made with names',
        },
      ),
    ),
    scope: Type.Union([Type.Literal('all'), Type.Literal('own-records')], {
      description: '"own-records": the learner has not agreed to share, so only your AO\'s records are shown',
    }),
    generatedAt: Type.String(),
    summary: Type.Object({
      unitCredits: Type.Integer({ description: 'Active unit credits' }),
      creditValue: Type.Integer({ description: 'Their total credit value' }),
      qualificationsAwarded: Type.Integer(),
      underChallenge: Type.Integer(),
      withdrawn: Type.Integer(),
    }),
    byQualification: Type.Array(RecordQualificationSchema),
    byUnit: Type.Array(RecordAchievementSchema),
    awards: Type.Array(RecordAchievementSchema),
    sharedLink: Type.Optional(LinkInfoSchema),
  },
  { title: 'LearnerRecord' },
);

export const RecordLinkSchema = Type.Object(
  {
    id: Type.String(),
    createdAt: Type.String(),
    expiresAt: Type.String(),
    lifetimeHours: Type.Integer(),
    singleUse: Type.Boolean(),
    showName: Type.Boolean(),
    opens: Type.Integer({ description: 'How many times it was opened' }),
    usedAt: Nullable(Type.String({ description: 'First opening' })),
    revokedAt: Nullable(Type.String()),
    status: Type.Union([
      Type.Literal('active'),
      Type.Literal('expired'),
      Type.Literal('revoked'),
      Type.Literal('used'),
    ]),
  },
  { title: 'RecordLink' },
);

export const CreateLinkBody = Type.Object(
  {
    lifetimeHours: Type.Integer({
      minimum: MIN_LINK_HOURS,
      maximum: MAX_LINK_HOURS,
      description: `How long the link works: ${MIN_LINK_HOURS} to ${MAX_LINK_HOURS} hours (30 days)`,
    }),
    singleUse: Type.Optional(Type.Boolean({ default: false, description: 'The link opens once only' })),
    email: Type.Optional(
      Type.String({ format: 'email', maxLength: 254, description: 'Where to send it; default your contact email' }),
    ),
    showName: Type.Optional(
      Type.Boolean({ default: true, description: 'Whether the shared view shows your given and family names' }),
    ),
  },
  { additionalProperties: false },
);

export const CreatedLinkSchema = Type.Object(
  {
    link: RecordLinkSchema,
    url: Type.String({ description: 'The address that was emailed' }),
    emailed: Type.Boolean({ description: 'False when the service has no mail server configured' }),
  },
  { title: 'CreatedRecordLink' },
);

export const LinkParams = Type.Object({ uln: Type.String(), id: Type.String({ format: 'uuid' }) });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200' }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Items to skip' })),
  },
  { additionalProperties: false },
);

/** The page a query asks for, with the defaults filled in. */
export function pageOf(query: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: query.limit ?? 50, offset: query.offset ?? 0 };
}

export const LinkPageSchema = Type.Object({ total: Type.Integer(), items: Type.Array(RecordLinkSchema) });

export const AccessLogEntrySchema = Type.Object(
  {
    at: Type.String(),
    uln: Type.String(),
    subject: Type.String({ description: 'User or API client id, or record-link:<id> for an opened link' }),
    organisation: Nullable(Type.String({ description: 'UKPRN' })),
    organisationName: Nullable(Type.String()),
    roles: Type.Array(Type.String()),
    what: Type.String(),
    outcome: Type.Union([Type.Literal('allowed'), Type.Literal('refused')]),
  },
  { title: 'AccessLogEntry' },
);

export const AccessLogSchema = Type.Object(
  { total: Type.Integer(), items: Type.Array(AccessLogEntrySchema) },
  { title: 'AccessLogPage' },
);
