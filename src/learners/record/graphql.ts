import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';

/** SDL extending Query/Mutation; empty until this part has GraphQL fields. */
export const recordSdl = '';

export function recordResolvers(_app: FastifyInstance): IResolvers {
  return {};
}
