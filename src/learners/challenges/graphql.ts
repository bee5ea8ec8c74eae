import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';

/** SDL extending Query/Mutation; empty until this part has GraphQL fields. */
export const challengesSdl = '';

export function challengesResolvers(_app: FastifyInstance): IResolvers {
  return {};
}
