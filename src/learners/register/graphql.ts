/**
 * GraphQL for the learner register: the registerLearner mutation, with the same rules,
 * roles and answers as POST /learners (a conflict is an error with code CONFLICT).
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../../graphql-support.js';
import { londonToday } from './clock.js';
import type { RawLearner } from './learner-fields.js';
import { REGISTER_ROLES, registerLearner } from './service.js';

export const registerSdl = /* GraphQL */ `
  "A learner to register. Rules: docs/learner-files.md (the same as a row of the learner file)."
  input RegisterLearnerInput {
    uln: String!
    givenName: String!
    familyName: String!
    previousFamilyName: String
    "YYYY-MM-DD"
    dateOfBirth: String!
    "F, M, X or U"
    gender: String!
    postcode: String
    email: String
    "For a new learner only; default true"
    available: Boolean
    "The master ULN when this registration was merged into another record"
    linkedTo: String
  }

  type RegisteredLearner {
    uln: String!
    givenName: String!
    familyName: String!
    previousFamilyName: String
    dateOfBirth: String!
    gender: String!
    postcode: String
    email: String
    linkedTo: String
    available: Boolean!
  }

  type LearnerRegistration {
    "true: registered by this call; false: the register already held exactly these details"
    created: Boolean!
    learner: RegisteredLearner!
  }

  extend type Mutation {
    "Register one learner. Errors: VALIDATION (naming the field), CONFLICT (registered with different details). Roles: operator, AO and provider users and admins."
    registerLearner(input: RegisterLearnerInput!): LearnerRegistration!
  }
`;

export function registerResolvers(app: FastifyInstance): IResolvers {
  return {
    Mutation: {
      registerLearner: async (_root, args: { input: RawLearner }, ctx) => {
        const who = await requireRole(ctx, REGISTER_ROLES);
        try {
          return await registerLearner(app.deps.graph, { ...args.input }, londonToday(), who);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
