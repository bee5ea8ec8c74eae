/**
 * Every learner service's GraphQL: each part gives SDL (extending Query or Mutation) and
 * resolvers; parts without GraphQL yet give empty SDL and are left out.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { registerSdl, registerResolvers } from './register/graphql.js';
import { verifySdl, verifyResolvers } from './verify/graphql.js';
import { recordSdl, recordResolvers } from './record/graphql.js';
import { availabilitySdl, availabilityResolvers } from './availability/graphql.js';
import { challengesSdl, challengesResolvers } from './challenges/graphql.js';

const parts: { sdl: string; resolvers: (app: FastifyInstance) => IResolvers }[] = [
  { sdl: registerSdl, resolvers: registerResolvers },
  { sdl: verifySdl, resolvers: verifyResolvers },
  { sdl: recordSdl, resolvers: recordResolvers },
  { sdl: availabilitySdl, resolvers: availabilityResolvers },
  { sdl: challengesSdl, resolvers: challengesResolvers },
];

export const learnerGraphql = parts.filter((p) => p.sdl.trim() !== '');
