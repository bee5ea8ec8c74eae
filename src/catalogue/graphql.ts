/**
 * GraphQL for the catalogue: qualification(qan) with its rules and progress(uln) (OCF 04),
 * the qualification list, and creditCheck(uln, urn) (OCF 05). Same rules as REST:
 * structure is public, anything about a learner needs a role that may see them.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { LEARNER_VIEWER_ROLES } from '../learners/access.js';
import { isLevel } from './model.js';
import { listQualifications } from './repository.js';
import { creditCheck, qualificationProgress, qualificationRules } from './service.js';
import { requireRole, asGraphqlError } from '../graphql-support.js';
import { AppError } from '../platform/errors.js';

export const catalogueSdl = /* GraphQL */ `
  type Unit {
    urn: String!
    title: String!
    level: String!
    credit: Int!
  }
  type RuleGroup {
    id: String!
    title: String!
    mandatory: Boolean!
    minCredits: Int
    maxCredits: Int
    minUnits: Int
    maxUnits: Int
    units: [Unit!]!
  }
  type Equivalence {
    from: String!
    to: String!
    scope: String!
  }
  type Exemption {
    name: String!
    group: String!
    credits: Int!
  }
  type LevelMinimum {
    level: String!
    credits: Int!
  }
  type LevelProgress {
    level: String!
    counted: Int!
    required: Int!
  }

  type GroupProgress {
    id: String!
    title: String!
    mandatory: Boolean!
    credits: Int!
    units: Int!
    minCredits: Int
    maxCredits: Int
    minUnits: Int
    maxUnits: Int
    missingUnits: [String!]!
    met: Boolean!
  }
  type Allocation {
    creditId: String!
    urn: String!
    countsAs: String!
    group: String!
    credits: Int!
    counted: Int!
    level: String!
    unitCounted: Boolean!
    challenged: Boolean!
  }
  type ExemptionUse {
    name: String!
    group: String!
    credits: Int!
    counted: Int!
  }
  type Exclusion {
    creditId: String!
    urn: String!
    reason: String!
  }
  type Unmet {
    rule: String!
    group: String
    message: String!
  }

  "A learner's progress against one qualification on a date (OCF 04)."
  type Progress {
    uln: String!
    date: String!
    "all, or own-records when the learner has not agreed to share and only your AO's records count"
    scope: String!
    achieved: Boolean!
    exhaustive: Boolean!
    totalCredits: Int!
    totalRequired: Int!
    creditsAtLevel: LevelProgress
    groups: [GroupProgress!]!
    allocation: [Allocation!]!
    exemptionsUsed: [ExemptionUse!]!
    excluded: [Exclusion!]!
    unmet: [Unmet!]!
  }

  type Qualification {
    qan: String!
    title: String!
    level: String!
    size: String!
    aoUkprn: String!
    operationalStart: String!
    operationalEnd: String
    totalCredits: Int!
    minCreditsAtLevel: LevelMinimum
    validityYears: Int
    groups: [RuleGroup!]!
    "Sets of URNs of which at most one may count"
    barred: [[String!]!]!
    equivalences: [Equivalence!]!
    exemptions: [Exemption!]!
    otherUnits: [Unit!]!
    "The learner's progress; needs a role that may see the learner."
    progress(uln: String!, date: String): Progress!
  }

  type QualificationSummary {
    qan: String!
    title: String!
    level: String!
    size: String!
    totalCredits: Int!
    aoUkprn: String
    operationalStart: String!
    operationalEnd: String
  }
  type QualificationPage {
    total: Int!
    items: [QualificationSummary!]!
  }

  type CreditRecord {
    recordId: String!
    aoUkprn: String!
    aoName: String
    awardDate: String!
    credit: Int!
    level: String!
    grade: String
    status: String!
  }
  type CountsAs {
    urn: String!
    steps: Int!
    groups: [String!]!
  }
  type CreditTransfer {
    qan: String!
    title: String!
    level: String!
    direct: Boolean!
    countsAs: [CountsAs!]!
  }
  "OCF 05: a learner's credit for one unit and where it counts."
  type CreditCheck {
    uln: String!
    unit: Unit!
    awarded: Boolean!
    scope: String!
    records: [CreditRecord!]!
    countsTowards: [CreditTransfer!]!
  }

  extend type Query {
    "The rules of combination of a qualification. Public."
    qualification(qan: String!): Qualification
    "Qualifications by level or words in the title or QAN. Public."
    qualifications(level: String, text: String, limit: Int = 50, offset: Int = 0): QualificationPage!
    "OCF 05 credit check. Needs a role that may see the learner."
    creditCheck(uln: String!, urn: String!): CreditCheck!
  }
`;

export function catalogueResolvers(app: FastifyInstance): IResolvers {
  const graph = () => app.deps.graph;
  return {
    Query: {
      qualification: async (_root, args: { qan: string }) => {
        try {
          const view = await qualificationRules(graph(), args.qan);
          return {
            ...view.qualification,
            groups: view.groups,
            barred: view.barred,
            equivalences: view.equivalences,
            exemptions: view.exemptions,
            otherUnits: view.otherUnits,
          };
        } catch (err) {
          if (err instanceof AppError && err.code === 'QUALIFICATION_NOT_FOUND') return null;
          throw asGraphqlError(err);
        }
      },
      qualifications: async (_root, args: { level?: string; text?: string; limit: number; offset: number }) => {
        if (args.level !== undefined && args.level !== null && !isLevel(args.level))
          throw asGraphqlError(
            new AppError(
              400,
              'VALIDATION',
              `level must be one of E1, E2, E3, 1 to 8; got ${JSON.stringify(args.level)}`,
            ),
          );
        if (args.limit < 1 || args.limit > 200 || args.offset < 0)
          throw asGraphqlError(new AppError(400, 'VALIDATION', 'limit must be 1 to 200 and offset 0 or more'));
        return listQualifications(graph(), {
          level: args.level ?? undefined,
          text: args.text ?? undefined,
          limit: args.limit,
          offset: args.offset,
        });
      },
      creditCheck: async (_root, args: { uln: string; urn: string }, ctx) => {
        const principal = await requireRole(ctx, LEARNER_VIEWER_ROLES);
        try {
          const check = await creditCheck(graph(), principal, args.uln, args.urn);
          return { ...check, records: check.records.map((r) => ({ ...r, aoUkprn: r.ao.ukprn, aoName: r.ao.name })) };
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
    Qualification: {
      progress: async (root: { qan: string }, args: { uln: string; date?: string }, ctx) => {
        const principal = await requireRole(ctx, LEARNER_VIEWER_ROLES);
        try {
          return (await qualificationProgress(graph(), principal, root.qan, args.uln, args.date ?? undefined)).progress;
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
