/**
 * GraphQL for single achievement records (OCF 01 / OCF 02): the same service as REST.
 * Input fields keep the interface-file names (record_id, award_date, ...).
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../graphql-support.js';
import { AppError } from '../platform/errors.js';
import { RECORD_FIELDS, type SubmittedRecord } from './rows.js';
import {
  listOwnRecords,
  RECORD_READERS,
  RECORD_WRITERS,
  recordWithHistory,
  submitRecord,
  submitRecords,
} from './service.js';

export const achievementSdl = /* GraphQL */ `
  "An achievement record (unit credit or qualification award), its current version."
  type AchievementRecord {
    recordId: String!, aoUkprn: String!, uln: String!
    "unit or qualification"
    kind: String!
    urn: String, qan: String, credit: Int!, level: String!, awardDate: String!
    grade: String, providerUkprn: String, language: String
    "active or withdrawn"
    status: String!
    late: Boolean!, underChallenge: Boolean!, version: Int!, action: String!
    batchId: String, submittedAt: String, changedAt: String
    "When it was due: 10 working days of the AO's nation after the award date, extended by recorded downtime"
    due: DueDate!
  }
  type DueDate {
    "The last day (London, YYYY-MM-DD) on which a submission is on time"
    date: String!
    "The first instant (ISO) at which a submission is late"
    lateFrom: String!
    "Working minutes recorded downtime added"
    extendedMinutes: Int!
  }
  "What happened to one record of an array, as a single submission would have answered it."
  type AchievementSubmissionItem {
    "Place in the list, from 0"
    index: Int!
    recordId: String
    "The HTTP status a single REST POST of this record would have had"
    status: Int!
    "added, amended, withdrawn, unchanged or rejected"
    result: String!
    "The row error code of a rejected record"
    code: String
    message: String
    field: String
    late: Boolean!
  }
  type AchievementSubmissionCounts { added: Int!, amended: Int!, withdrawn: Int!, unchanged: Int!, rejected: Int!, late: Int! }
  type AchievementBulkSubmission {
    validateOnly: Boolean!
    counts: AchievementSubmissionCounts!
    items: [AchievementSubmissionItem!]!
  }
  "An earlier version of a record."
  type AchievementVersion {
    version: Int!, action: String!, credit: Int!, level: String!, awardDate: String!
    grade: String, providerUkprn: String, language: String, status: String!, late: Boolean!
    batchId: String, changedAt: String, changedBy: String, supersededAt: String, supersededBy: String, challengeId: String
  }
  type AchievementHistory {
    current: AchievementRecord!
    submittedBy: String
    changedBy: String
    "Earlier versions, newest first"
    versions: [AchievementVersion!]!
  }
  type AchievementPage { ao: String!, page: Int!, pageSize: Int!, more: Boolean!, items: [AchievementRecord!]! }
  type AchievementSubmission {
    "added, amended, withdrawn or unchanged"
    result: String!
    late: Boolean!
    validateOnly: Boolean!
    record: AchievementRecord
  }
  "One record as in the interface file (docs/interface-files.md)."
  input AchievementInput {
    ${RECORD_FIELDS.map((f) => `${f}: String`).join('\n    ')}
  }

  extend type Query {
    "An AO's own records (operator: name the AO). AO users and admins, operator."
    achievements(ao: String, uln: String, page: Int = 1, pageSize: Int = 50): AchievementPage!
    "One record with its version history. AO users and admins (their own), operator (any AO, named)."
    achievement(recordId: String!, ao: String): AchievementHistory
  }

  extend type Mutation {
    "Add, amend or withdraw one record; a rejection is an error whose code is the row error code. AO users and admins."
    submitAchievement(record: AchievementInput!, validateOnly: Boolean = false): AchievementSubmission!
    "Withdraw one of your records (kept as a version). AO users and admins."
    withdrawAchievement(recordId: String!): AchievementSubmission!
    "Up to 1,000 records in one call, each answered on its own. AO users and admins."
    submitAchievements(records: [AchievementInput!]!, validateOnly: Boolean = false): AchievementBulkSubmission!
  }
`;

export function achievementResolvers(app: FastifyInstance): IResolvers {
  const graph = () => app.deps.graph;
  return {
    Query: {
      achievements: async (
        _root,
        args: { ao?: string | null; uln?: string | null; page: number; pageSize: number },
        ctx,
      ) => {
        const principal = await requireRole(ctx, RECORD_READERS);
        try {
          if (args.page < 1 || args.pageSize < 1 || args.pageSize > 200)
            throw new AppError(400, 'VALIDATION', 'page must be 1 or more and pageSize 1 to 200');
          return await listOwnRecords(graph(), principal, {
            ao: args.ao ?? undefined,
            uln: args.uln ?? undefined,
            page: args.page,
            pageSize: args.pageSize,
          });
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      achievement: async (_root, args: { recordId: string; ao?: string | null }, ctx) => {
        const principal = await requireRole(ctx, RECORD_READERS);
        try {
          const h = await recordWithHistory(graph(), principal, args.recordId, args.ao ?? undefined);
          return {
            current: h.current,
            submittedBy: h.current.submittedBy,
            changedBy: h.current.changedBy,
            versions: h.versions,
          };
        } catch (err) {
          if ((err as { code?: string }).code === 'RECORD_NOT_FOUND') return null;
          throw asGraphqlError(err);
        }
      },
    },
    Mutation: {
      submitAchievement: async (_root, args: { record: SubmittedRecord; validateOnly: boolean }, ctx) => {
        const principal = await requireRole(ctx, RECORD_WRITERS);
        try {
          return await submitRecord(graph(), principal, { ...args.record }, new Date(), args.validateOnly);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      submitAchievements: async (_root, args: { records: SubmittedRecord[]; validateOnly: boolean }, ctx) => {
        const principal = await requireRole(ctx, RECORD_WRITERS);
        try {
          const records = args.records.map((r) => ({ ...r }));
          return await submitRecords(graph(), principal, records, new Date(), args.validateOnly);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      withdrawAchievement: async (_root, args: { recordId: string }, ctx) => {
        const principal = await requireRole(ctx, RECORD_WRITERS);
        try {
          return await submitRecord(graph(), principal, { record_id: args.recordId, action: 'WITHDRAW' }, new Date());
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
