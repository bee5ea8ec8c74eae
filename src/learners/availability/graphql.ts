/**
 * GraphQL for OCF 07: availability(uln) and setAvailability. Same rules as REST: the
 * learner on their own record, or service staff (operator) recording a telephone request.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../../graphql-support.js';
import { AppError } from '../../platform/errors.js';
import { AVAILABILITY_CHANNELS, type AvailabilityChannel } from './rules.js';
import { getAvailability, setAvailability, HISTORY_LIMIT_DEFAULT } from './service.js';
import { availabilityDeps } from './routes.js';

export const availabilitySdl = /* GraphQL */ `
  "One request to make a learner's record available or unavailable (OCF 07)."
  type AvailabilityRequest {
    id: ID!
    available: Boolean!
    "The flag before; equal to available when nothing changed"
    previous: Boolean!
    "online, api or telephone"
    channel: String!
    requestedAt: String!
    handledAt: String!
    handledBy: String!
    note: String
    "Handling time in service hours (08:00-20:00 London, Monday to Saturday, not public holidays)"
    serviceHours: Float!
  }

  type LearnerAvailability {
    uln: String!
    available: Boolean!
    "Set when this ULN was merged into another; the history is the master's"
    masterUln: String
    total: Int!
    "Newest first"
    requests: [AvailabilityRequest!]!
  }

  type AvailabilityChange {
    uln: String!
    available: Boolean!
    mergedRecords: Int!
    request: AvailabilityRequest!
  }

  extend type Query {
    "OCF 07: whether a learner's record is available, with its request history. The learner, or an operator."
    availability(uln: String!, limit: Int = ${HISTORY_LIMIT_DEFAULT}): LearnerAvailability!
  }

  extend type Mutation {
    "OCF 07: make a record available or unavailable. The learner (channel online or api), or an operator recording a telephone request (channel telephone, requestedAt required)."
    setAvailability(uln: String!, available: Boolean!, channel: String!, requestedAt: String, note: String): AvailabilityChange!
  }
`;

export function availabilityResolvers(app: FastifyInstance): IResolvers {
  const deps = availabilityDeps(app);
  return {
    Query: {
      availability: async (_root, args: { uln: string; limit: number }, ctx) => {
        const principal = await requireRole(ctx, ['learner', 'operator']);
        try {
          return await getAvailability(deps, principal, args.uln, args.limit);
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
    Mutation: {
      setAvailability: async (
        _root,
        args: { uln: string; available: boolean; channel: string; requestedAt?: string | null; note?: string | null },
        ctx,
      ) => {
        const principal = await requireRole(ctx, ['learner', 'operator']);
        try {
          if (!(AVAILABILITY_CHANNELS as readonly string[]).includes(args.channel)) {
            throw new AppError(400, 'VALIDATION', `channel must be one of ${AVAILABILITY_CHANNELS.join(', ')}`, {
              field: 'channel',
            });
          }
          return await setAvailability(deps, principal, args.uln, {
            available: args.available,
            channel: args.channel as AvailabilityChannel,
            ...(args.requestedAt != null ? { requestedAt: args.requestedAt } : {}),
            ...(args.note != null ? { note: args.note } : {}),
          });
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
