/**
 * REST for OCF 08, data challenges: the learner's side under /learners/{uln}/challenges,
 * the awarding organisation's side under /challenges.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/guard.js';
import { ErrorBody } from '../../platform/errors.js';
import {
  aoChallenge,
  aoChallenges,
  fileChallenge,
  learnerChallenges,
  resolveChallenge,
  type ChallengeDeps,
} from './service.js';
import {
  ChallengeIdParams,
  ChallengeListSchema,
  ChallengePageSchema,
  ChallengeSchema,
  FileChallengeBody,
  QueueQuery,
  ResolveChallengeBody,
  ResolvedChallengeSchema,
  UlnParams,
} from './schemas.js';

export function challengeDeps(app: FastifyInstance): ChallengeDeps {
  return { graph: app.deps.graph, mailer: app.deps.mailer, now: () => new Date(), log: app.log };
}

export const challengesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = challengeDeps(app);

  app.post(
    '/learners/:uln/challenges',
    {
      config: { access: access.roles('learner', 'operator'), ocf: 'OCF08' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 08: challenge one achievement record in writing',
        description:
          'The learner files online for themself; service staff record a written challenge from the learner or a representative (with `representative` and, for a letter that arrived earlier, `filedAt`). Name the record by `recordKey` ("UKPRN:recordId") or by `aoUkprn` and `recordId`. The record is flagged "under challenge" for every viewer until the submitting AO resolves it.',
        params: UlnParams,
        body: FileChallengeBody,
        response: { 201: ChallengeSchema, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fileChallenge(deps, request.principal!, request.params.uln, request.body)),
  );

  app.get(
    '/learners/:uln/challenges',
    {
      config: { access: access.roles('learner', 'operator'), ocf: 'OCF08' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 08: the challenges filed for a learner, newest first, with their outcomes',
        params: UlnParams,
        response: { 200: ChallengeListSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => ({ items: await learnerChallenges(deps, request.principal!, request.params.uln) }),
  );

  app.get(
    '/challenges',
    {
      config: { access: access.roles('ao-user', 'ao-admin'), ocf: 'OCF08' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 08: the challenges addressed to your awarding organisation (its own records only), oldest first',
        description:
          "By default the open ones: the queue to work through. Each read is written to the learners' access logs.",
        querystring: QueueQuery,
        response: { 200: ChallengePageSchema, 400: ErrorBody },
      },
    },
    async (request) => aoChallenges(deps, request.principal!, request.query),
  );

  app.get(
    '/challenges/:id',
    {
      config: { access: access.roles('ao-user', 'ao-admin'), ocf: 'OCF08' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 08: one challenge addressed to your awarding organisation',
        description: "A challenge about another AO's record answers 404, exactly as one that does not exist.",
        params: ChallengeIdParams,
        response: { 200: ChallengeSchema, 404: ErrorBody },
      },
    },
    async (request) => aoChallenge(deps, request.principal!, request.params.id),
  );

  app.post(
    '/challenges/:id/resolution',
    {
      config: { access: access.roles('ao-user', 'ao-admin'), ocf: 'OCF08' },
      schema: {
        tags: ['learners'],
        summary: 'OCF 08: uphold (withdraw or amend the record) or reject (with a reason) a challenge',
        description:
          "Only the AO that submitted the record; for any other the challenge does not exist (404). Upholding keeps the record's earlier values as a version. The record stays flagged while another challenge about it is open. The learner is emailed the outcome; the time taken is recorded in service hours.",
        params: ChallengeIdParams,
        body: ResolveChallengeBody,
        response: { 200: ResolvedChallengeSchema, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => resolveChallenge(deps, request.principal!, request.params.id, request.body),
  );
};
