/**
 * GraphQL for OCF 03: learnerRecord(uln) and myRecord, and accessLog(uln). Same rules as
 * REST: the learner gate decides who sees a learner, and logs the read.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { LEARNER_VIEWER_ROLES } from '../access.js';
import { requireRole, asGraphqlError } from '../../graphql-support.js';
import { ACCESS_LOG_ROLES, accessLog, learnerRecord, myRecord } from './service.js';

export const recordSdl = /* GraphQL */ `
  type RecordAwardingOrganisation {
    ukprn: String!
    name: String
  }

  "One achievement record: a unit credit or a qualification award."
  type RecordAchievement {
    recordId: String!
    "unit or qualification"
    kind: String!
    "The ULN the record was submitted under (a merged ULN shows here)"
    uln: String!
    urn: String
    qan: String
    title: String
    ao: RecordAwardingOrganisation!
    awardDate: String
    credit: Int
    level: String
    grade: String
    "active or withdrawn"
    status: String!
    underChallenge: Boolean!
  }

  "A unit credit as it counts towards one qualification."
  type RecordCountingCredit {
    recordId: String!
    kind: String!
    uln: String!
    urn: String
    qan: String
    title: String
    ao: RecordAwardingOrganisation!
    awardDate: String
    credit: Int
    level: String
    grade: String
    status: String!
    underChallenge: Boolean!
    "The unit of the rules it counts as (its own URN unless by equivalence)"
    countsAs: String!
    groups: [String!]!
  }

  type RecordVerdictGroup {
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
  type RecordVerdictUnmet {
    rule: String!
    group: String
    message: String!
  }
  type RecordVerdictCounted {
    recordId: String!
    urn: String!
    countsAs: String!
    group: String!
    credits: Int!
    counted: Int!
  }
  "A credit of the qualification's units that does not count (or not all of it), and why."
  type RecordVerdictExclusion {
    recordId: String!
    urn: String!
    title: String
    awardDate: String
    credit: Int
    "withdrawn, after-date, expired, duplicate-unit, barred, over-group-maximum or not-needed"
    reason: String!
    creditsNotCounted: Int!
    explanation: String!
  }
  type RecordCreditsAtLevel {
    level: String!
    counted: Int!
    required: Int!
  }
  "The rules-of-combination verdict on a date: the same as Qualification.progress for this learner and date."
  type RecordVerdict {
    date: String!
    achieved: Boolean!
    exhaustive: Boolean!
    creditsCounted: Int!
    creditsRequired: Int!
    "Credits still needed, at least"
    creditsRemaining: Int!
    "Units still needed, at least"
    unitsRemaining: Int!
    creditsAtLevel: RecordCreditsAtLevel
    summary: String!
    unmet: [RecordVerdictUnmet!]!
    groups: [RecordVerdictGroup!]!
    counted: [RecordVerdictCounted!]!
    excluded: [RecordVerdictExclusion!]!
  }

  type RecordQualification {
    qan: String!
    title: String!
    level: String!
    totalCredits: Int!
    "Credit value of the distinct units held (active) that sit in its rules: where credits can count; the rules answer is verdict"
    creditsTowards: Int!
    awarded: Boolean!
    "The rules verdict as of today; null when the catalogue has no rules for it"
    verdict: RecordVerdict
    awards: [RecordAchievement!]!
    credits: [RecordCountingCredit!]!
  }

  type RecordName {
    givenName: String
    familyName: String
  }
  type RecordSummary {
    unitCredits: Int!
    creditValue: Int!
    qualificationsAwarded: Int!
    underChallenge: Int!
    withdrawn: Int!
  }

  "OCF 03: a learner's record."
  type LearnerRecord {
    uln: String!
    "Only for the learner themself and the service operator"
    name: RecordName
    "all, or own-records when the learner has not agreed to share and only your AO's records are shown"
    scope: String!
    generatedAt: String!
    summary: RecordSummary!
    byQualification: [RecordQualification!]!
    byUnit: [RecordAchievement!]!
    awards: [RecordAchievement!]!
  }

  type AccessLogEntry {
    at: String!
    uln: String!
    "User or API client id, or record-link:<id> for an opened link"
    subject: String!
    organisation: String
    organisationName: String
    roles: [String!]!
    what: String!
    "allowed or refused"
    outcome: String!
  }
  type AccessLogPage {
    total: Int!
    items: [AccessLogEntry!]!
  }

  extend type Query {
    "OCF 03: a learner's record. Needs a role that may see the learner; the read is in their access log."
    learnerRecord(uln: String!): LearnerRecord!
    "OCF 03: your own record. Learner only."
    myRecord: LearnerRecord!
    "Who looked at a learner's record and when, newest first. The learner (own) and the operator."
    accessLog(uln: String!, limit: Int = 50, offset: Int = 0): AccessLogPage!
  }
`;

export function recordResolvers(app: FastifyInstance): IResolvers {
  const graph = () => app.deps.graph;
  return {
    Query: {
      learnerRecord: async (_root, args: { uln: string }, ctx) => {
        const principal = await requireRole(ctx, LEARNER_VIEWER_ROLES);
        try {
          return await learnerRecord(graph(), principal, args.uln);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      myRecord: async (_root, _args, ctx) => {
        const principal = await requireRole(ctx, ['learner']);
        try {
          return await myRecord(graph(), principal);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      accessLog: async (_root, args: { uln: string; limit: number; offset: number }, ctx) => {
        const principal = await requireRole(ctx, ACCESS_LOG_ROLES);
        try {
          return await accessLog(graph(), principal, args.uln, { limit: args.limit, offset: args.offset });
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
