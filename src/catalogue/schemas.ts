/**
 * TypeBox schemas of the catalogue's REST resources: used for validation and OpenAPI.
 */
import { Type } from 'typebox';
import { LEVELS } from './model.js';

export const LevelSchema = Type.Enum(LEVELS, { description: 'E1, E2, E3 (Entry 1 to 3), then 1 to 8' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UnitSchema = Type.Object(
  {
    urn: Type.String({ description: 'Unit reference number, e.g. J/617/2480' }),
    title: Type.String(),
    level: LevelSchema,
    credit: Type.Integer({ description: 'Credit value (1 credit = 10 hours of learning)' }),
  },
  { title: 'Unit' },
);

const GroupBounds = {
  minCredits: Type.Optional(Type.Integer()),
  maxCredits: Type.Optional(Type.Integer()),
  minUnits: Type.Optional(Type.Integer()),
  maxUnits: Type.Optional(Type.Integer()),
};

export const RulesSchema = Type.Object(
  {
    qualification: Type.Object({
      qan: Type.String(),
      title: Type.String(),
      level: LevelSchema,
      size: Type.String(),
      aoUkprn: Type.String(),
      aoName: Nullable(Type.String({ description: "The owning AO's name, when the register knows it" })),
      operationalStart: Type.String(),
      operationalEnd: Type.Optional(Type.String()),
      totalCredits: Type.Integer(),
      minCreditsAtLevel: Type.Optional(Type.Object({ level: LevelSchema, credits: Type.Integer() })),
      validityYears: Type.Optional(Type.Integer()),
    }),
    groups: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        mandatory: Type.Boolean(),
        ...GroupBounds,
        units: Type.Array(UnitSchema),
      }),
    ),
    barred: Type.Array(Type.Array(Type.String()), { description: 'Sets of URNs of which at most one may count' }),
    equivalences: Type.Array(
      Type.Object({
        from: Type.String(),
        to: Type.String(),
        scope: Type.Union([Type.Literal('qualification'), Type.Literal('global')]),
      }),
    ),
    exemptions: Type.Array(Type.Object({ name: Type.String(), group: Type.String(), credits: Type.Integer() })),
    otherUnits: Type.Array(UnitSchema, {
      description: 'Units outside the groups that count as one of their units by equivalence',
    }),
  },
  { title: 'QualificationRules' },
);

export const ProgressSchema = Type.Object(
  {
    uln: Type.String(),
    date: Type.String({ description: 'Evaluation date' }),
    scope: Type.Union([Type.Literal('all'), Type.Literal('own-records')], {
      description: '"own-records": the learner has not agreed to share, so only your AO\'s records were counted',
    }),
    achieved: Type.Boolean(),
    exhaustive: Type.Boolean({
      description: 'False only if the search limit stopped the evaluator before it could prove the answer',
    }),
    nodes: Type.Integer(),
    totalCredits: Type.Integer(),
    totalRequired: Type.Integer(),
    creditsAtLevel: Type.Optional(
      Type.Object({ level: LevelSchema, counted: Type.Integer(), required: Type.Integer() }),
    ),
    groups: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        mandatory: Type.Boolean(),
        credits: Type.Integer(),
        units: Type.Integer(),
        ...GroupBounds,
        missingUnits: Type.Array(Type.String()),
        met: Type.Boolean(),
      }),
    ),
    allocation: Type.Array(
      Type.Object({
        creditId: Type.String(),
        urn: Type.String(),
        countsAs: Type.String(),
        group: Type.String(),
        credits: Type.Integer(),
        counted: Type.Integer(),
        level: LevelSchema,
        unitCounted: Type.Boolean(),
        challenged: Type.Boolean(),
      }),
    ),
    exemptionsUsed: Type.Array(
      Type.Object({ name: Type.String(), group: Type.String(), credits: Type.Integer(), counted: Type.Integer() }),
    ),
    excluded: Type.Array(Type.Object({ creditId: Type.String(), urn: Type.String(), reason: Type.String() })),
    unmet: Type.Array(
      Type.Object({ rule: Type.String(), group: Type.Optional(Type.String()), message: Type.String() }),
    ),
  },
  { title: 'Progress' },
);

export const RulesWithProgressSchema = Type.Intersect([
  RulesSchema,
  Type.Object({ progress: Type.Optional(ProgressSchema) }),
]);

export const CreditTransferSchema = Type.Object({
  qan: Type.String(),
  title: Type.String(),
  level: LevelSchema,
  direct: Type.Boolean({ description: 'The unit itself is in the rules (not only by equivalence)' }),
  countsAs: Type.Array(Type.Object({ urn: Type.String(), steps: Type.Integer(), groups: Type.Array(Type.String()) })),
});

export const CreditCheckSchema = Type.Object(
  {
    uln: Type.String(),
    unit: UnitSchema,
    awarded: Type.Boolean({ description: 'At least one record of this credit is not withdrawn' }),
    scope: Type.Union([Type.Literal('all'), Type.Literal('own-records')]),
    records: Type.Array(
      Type.Object({
        recordId: Type.String(),
        ao: Type.Object({ ukprn: Type.String(), name: Nullable(Type.String()) }),
        awardDate: Type.String(),
        credit: Type.Integer(),
        level: LevelSchema,
        grade: Nullable(Type.String()),
        status: Type.Union([Type.Literal('active'), Type.Literal('withdrawn'), Type.Literal('under-challenge')]),
      }),
    ),
    countsTowards: Type.Array(CreditTransferSchema),
  },
  { title: 'CreditCheck' },
);

export const QualificationSummarySchema = Type.Object({
  qan: Type.String(),
  title: Type.String(),
  level: LevelSchema,
  size: Type.String(),
  totalCredits: Type.Integer(),
  aoUkprn: Nullable(Type.String()),
  operationalStart: Type.String(),
  operationalEnd: Nullable(Type.String()),
});

export const CatalogueProblemSchema = Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() });
