/**
 * GraphQL for OCF 08: fileChallenge and resolveChallenge mutations, challenges(status) for
 * an awarding organisation, learnerChallenges(uln) for the learner. Same rules as REST.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../../graphql-support.js';
import { AppError } from '../../platform/errors.js';
import type { FilingInput, ResolutionInput } from './rules.js';
import {
  AO_ROLES,
  aoChallenges,
  fileChallenge,
  learnerChallenges,
  resolveChallenge,
  QUEUE_LIMIT_DEFAULT,
} from './service.js';
import { challengeDeps } from './routes.js';

export const challengesSdl = /* GraphQL */ `
  type ChallengeRepresentative {
    "Not shown to the awarding organisation"
    name: String
    relationship: String!
  }
  type ChallengeChange { field: String!, from: String, to: String }
  type ChallengedRecord {
    recordId: String!, aoUkprn: String!, urn: String, unitTitle: String
    credit: Int, level: String, grade: String, awardDate: String
    "active or withdrawn, as it stands now"
    status: String!
    underChallenge: Boolean!
    version: Int!
  }

  "A data challenge about one achievement record (OCF 08)."
  type DataChallenge {
    id: ID!
    uln: String!
    recordKey: String!
    aoUkprn: String!
    reason: String!
    filedAt: String!
    filedBy: String!
    "online or written"
    channel: String!
    representative: ChallengeRepresentative
    "open, upheld or rejected"
    status: String!
    resolvedAt: String
    resolvedBy: String
    "The AO's reason"
    resolution: String
    "withdraw or amend, when upheld"
    action: String
    changes: [ChallengeChange!]!
    "Service hours from filing to resolution; while open, so far"
    serviceHours: Float
    notifiedAt: String
    "Set by resolveChallenge: whether the learner was emailed the outcome"
    notified: Boolean
    record: ChallengedRecord!
  }
  type DataChallengePage { total: Int!, items: [DataChallenge!]! }

  input ChallengeRepresentativeInput { name: String!, relationship: String! }
  input FileChallengeInput {
    "UKPRN:recordId; or give aoUkprn and recordId"
    recordKey: String
    aoUkprn: String
    recordId: String
    reason: String!
    "Operator only"
    representative: ChallengeRepresentativeInput
    "Operator only: when the written challenge was received"
    filedAt: String
  }
  input ChallengeAmendmentInput { credit: Int, level: String, grade: String, awardDate: String }
  input ResolveChallengeInput {
    "upheld or rejected"
    outcome: String!
    "Required when rejected"
    reason: String
    "withdraw or amend; required when upheld"
    action: String
    amendment: ChallengeAmendmentInput
  }

  extend type Query {
    "OCF 08: challenges addressed to your awarding organisation: open (default), upheld, rejected or all. AO roles."
    challenges(status: String = "open", limit: Int = ${QUEUE_LIMIT_DEFAULT}, offset: Int = 0): DataChallengePage!
    "OCF 08: the challenges filed for a learner. The learner, or an operator."
    learnerChallenges(uln: String!): [DataChallenge!]!
  }

  extend type Mutation {
    "OCF 08: challenge one achievement record. The learner, or an operator recording a written challenge."
    fileChallenge(uln: String!, input: FileChallengeInput!): DataChallenge!
    "OCF 08: uphold or reject a challenge addressed to your awarding organisation. AO roles."
    resolveChallenge(id: ID!, input: ResolveChallengeInput!): DataChallenge!
  }
`;

/** GraphQL gives null for an absent optional input field; the rules expect it absent. */
function defined<T extends object>(obj: T | null | undefined): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out as Partial<T>;
}

function stringifyChanges<T extends { changes: { field: string; from: unknown; to: unknown }[] }>(c: T): T {
  return {
    ...c,
    changes: c.changes.map((x) => ({
      field: x.field,
      from: x.from === null ? null : textOf(x.from),
      to: x.to === null ? null : textOf(x.to),
    })),
  };
}

export function challengesResolvers(app: FastifyInstance): IResolvers {
  const deps = challengeDeps(app);
  return {
    Query: {
      challenges: async (_root, args: { status: string; limit: number; offset: number }, ctx) => {
        const principal = await requireRole(ctx, AO_ROLES);
        try {
          const page = await aoChallenges(deps, principal, args);
          return { total: page.total, items: page.items.map(stringifyChanges) };
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      learnerChallenges: async (_root, args: { uln: string }, ctx) => {
        const principal = await requireRole(ctx, ['learner', 'operator']);
        try {
          return (await learnerChallenges(deps, principal, args.uln)).map(stringifyChanges);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
    Mutation: {
      fileChallenge: async (_root, args: { uln: string; input: FilingInput }, ctx) => {
        const principal = await requireRole(ctx, ['learner', 'operator']);
        try {
          const input = defined(args.input) as FilingInput;
          return stringifyChanges(await fileChallenge(deps, principal, args.uln, input));
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      resolveChallenge: async (
        _root,
        args: { id: string; input: ResolutionInput & { outcome: string; action?: string } },
        ctx,
      ) => {
        const principal = await requireRole(ctx, AO_ROLES);
        try {
          const input = defined(args.input) as ResolutionInput;
          if (input.outcome !== 'upheld' && input.outcome !== 'rejected')
            throw new AppError(400, 'VALIDATION', 'outcome must be upheld or rejected', { field: 'outcome' });
          if (input.action !== undefined && input.action !== 'withdraw' && input.action !== 'amend')
            throw new AppError(400, 'VALIDATION', 'action must be withdraw or amend', { field: 'action' });
          if (input.amendment) input.amendment = defined(input.amendment);
          return stringifyChanges(await resolveChallenge(deps, principal, args.id, input));
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}

/** A changed field's value as text: strings and numbers as they are, anything else as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
