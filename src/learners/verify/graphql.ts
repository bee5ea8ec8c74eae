/**
 * GraphQL for OCF 11: the verifyLearner query, with the same rules, roles and answers as
 * POST /learners/verify.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../../graphql-support.js';
import { londonToday } from '../register/clock.js';
import type { RawVerifyInput } from './input.js';
import { VERIFY_ROLES, verifyOne } from './service.js';

export const verifySdl = /* GraphQL */ `
  "The details to check against the learner register (OCF 11)."
  input VerifyLearnerInput {
    uln: String!
    givenName: String!
    familyName: String!
    "YYYY-MM-DD; a real day, not in the future"
    dateOfBirth: String!
    "F, M, X or U"
    gender: String!
    "Compared only when given and when the register holds one"
    postcode: String
  }

  "An OCF 11 answer, in the manner of the Learning Records Service."
  type LearnerVerification {
    "WSVRC001 match, 002 linked match, 003 similar match, 004 no match, 005 not found, 006 invalid ULN"
    code: String!
    outcome: String!
    uln: String!
    "When the ULN was merged into another record: that record's ULN"
    masterUln: String
    "givenName, familyName, dateOfBirth, gender, postcode"
    mismatches: [String!]!
    "VRF1 to VRF8"
    flags: [String!]!
    similarities: [String!]!
    invalid: [String!]!
    ulnProblem: String
    linkProblem: String
    "Plain English; never repeats a personal detail"
    message: String!
  }

  extend type Query {
    "OCF 11: verify a ULN and learner details. Errors: VALIDATION naming the field. Roles: AO and provider users and admins, careers advisers, operator."
    verifyLearner(input: VerifyLearnerInput!): LearnerVerification!
  }
`;

export function verifyResolvers(app: FastifyInstance): IResolvers {
  return {
    Query: {
      verifyLearner: async (_root, args: { input: RawVerifyInput }, ctx) => {
        await requireRole(ctx, VERIFY_ROLES);
        try {
          return await verifyOne(app.deps.graph, { ...args.input }, londonToday());
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
