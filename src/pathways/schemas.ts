/**
 * TypeBox schemas of the routes-to-achievement resources (OCF 06): validation and OpenAPI.
 */
import { Type } from 'typebox';
import { LevelSchema, UnitSchema } from '../catalogue/schemas.js';
import { AGE_BANDS, REGIONS } from './generator.js';
import { DEFAULT_ROUTE_LIMIT, MAX_ROUTE_LIMIT } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The filters, as query parameters (GET) or as the `filters` object (what-if). */
export const RouteFilterFields = {
  level: Type.Optional(Type.String({ description: 'Only qualifications at exactly this level (E1, E2, E3, 1 to 8)' })),
  minLevel: Type.Optional(Type.String({ description: 'Only qualifications at this level or above' })),
  maxLevel: Type.Optional(Type.String({ description: 'Only qualifications at this level or below' })),
  occupation: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        'Occupation code: qualifications leading to it, including ones the learner has no credit towards yet',
    }),
  ),
  region: Type.Optional(
    Type.String({
      maxLength: 60,
      description: `Only units offered by a provider in this region on the date: ${REGIONS.join(', ')}`,
    }),
  ),
  funded: Type.Optional(
    Type.Boolean({ description: 'Only qualifications the learner is eligible to have funded (by age band and level)' }),
  ),
  date: Type.Optional(Type.String({ description: 'Evaluation date YYYY-MM-DD; default today' })),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_ROUTE_LIMIT,
      default: DEFAULT_ROUTE_LIMIT,
      description: 'Routes to return',
    }),
  ),
};

export const RoutesQuery = Type.Object(RouteFilterFields, { additionalProperties: false });

export const WhatIfBody = Type.Object(
  {
    uln: Type.Optional(
      Type.String({
        description:
          "Start from this learner's credits (needs a role that may see the learner); leave out for planned units alone",
      }),
    ),
    plannedUnits: Type.Array(Type.String({ description: 'URN, e.g. J/617/2480' }), {
      maxItems: 100,
      description: 'Units the learner plans to take, counted as awarded on the date',
    }),
    filters: Type.Optional(
      Type.Object(
        {
          ...RouteFilterFields,
          ageBand: Type.Optional(
            Type.String({
              description: `Without a learner: the age band the funding filter uses (${AGE_BANDS.join(', ')})`,
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Provider = Type.Object({ ukprn: Type.String(), name: Type.String(), region: Type.String() });
const GroupFill = Type.Object({ group: Type.String(), units: Type.Array(Type.String()) });

export const RouteSchema = Type.Object(
  {
    qan: Type.String(),
    title: Type.String(),
    level: LevelSchema,
    totalCredits: Type.Integer(),
    alreadyAchieved: Type.Boolean(),
    extraCredits: Type.Integer({ description: 'Credits of the units to take' }),
    extraUnits: Type.Integer(),
    unitsToTake: Type.Array(
      Type.Intersect([
        UnitSchema,
        Type.Object({
          providers: Type.Array(Provider, {
            description: 'Who offers the unit on the date (in the region, when filtered)',
          }),
        }),
      ]),
    ),
    groupsFilled: Type.Array(GroupFill, { description: 'The rule groups the units to take are counted in' }),
    optimal: Type.Boolean({
      description: 'False only when the search limit stopped the optimiser: a valid route, perhaps not the cheapest',
    }),
    occupations: Type.Array(Type.String(), { description: 'Occupation codes the qualification leads to' }),
  },
  { title: 'Route' },
);

export const RoutesSchema = Type.Object(
  {
    uln: Nullable(Type.String()),
    scope: Nullable(
      Type.Union([Type.Literal('all'), Type.Literal('own-records')], {
        description: '"own-records": the learner has not agreed to share, so only your AO\'s records were counted',
      }),
    ),
    filters: Type.Object({
      minLevel: Nullable(LevelSchema),
      maxLevel: Nullable(LevelSchema),
      occupation: Nullable(Type.String()),
      region: Nullable(Type.String()),
      funded: Type.Boolean(),
      ageBand: Nullable(Type.String()),
      date: Type.String(),
      limit: Type.Integer(),
    }),
    plannedUnits: Type.Array(UnitSchema),
    candidates: Type.Integer({
      description: 'Candidate qualifications the optimiser examined, in order of a lower bound on their extra credits',
    }),
    discovered: Type.Integer({
      description: 'Candidate qualifications found (every filter applied); those not examined could not enter the page',
    }),
    routes: Type.Array(RouteSchema, {
      description: 'Reachable qualifications, fewest extra credits first (then fewest units, then QAN)',
    }),
    unreachable: Type.Array(
      Type.Object({
        qan: Type.String(),
        title: Type.String(),
        level: LevelSchema,
        reason: Type.Union([
          Type.Literal('no-units-available'),
          Type.Literal('rules-cannot-be-met'),
          Type.Literal('search-limit'),
        ]),
        message: Type.String(),
        missing: Type.Array(
          Type.Object({ rule: Type.String(), group: Type.Optional(Type.String()), message: Type.String() }),
        ),
      }),
    ),
    combined: Type.Array(
      Type.Object({
        qans: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
        unitsToTake: Type.Array(UnitSchema),
        extraCredits: Type.Integer(),
        extraUnits: Type.Integer(),
        separateCredits: Type.Integer({ description: 'Taking the two routes separately' }),
        saving: Type.Integer(),
        shared: Type.Array(Type.String(), { description: 'Units of the set that sit in both qualifications' }),
      }),
      {
        description: 'One set of units that completes two qualifications together, for less than the two routes apart',
      },
    ),
  },
  { title: 'Routes' },
);
