/**
 * GraphQL for achievement batches: a batch's status and the organisation's batches, with
 * the same rules as REST (AO users and admins see their own; the operator sees all).
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { asGraphqlError, requireRole } from '../../graphql-support.js';
import { AppError } from '../../platform/errors.js';
import { getBatch, listBatches, type BatchState } from './repository.js';
import { visibleBatch } from './routes.js';
import { batchView } from './schemas.js';

export const batchSdl = /* GraphQL */ `
  type AchievementBatchCounts {
    accepted: Int!
    rejected: Int!
    unchanged: Int!
    late: Int!
  }
  type AchievementBatchProgress {
    pass: String!
    processed: Int!
    percent: Float!
  }
  type AchievementBatchRecovery {
    "Runs started: the first, and one more each time a worker died or the job was tried again"
    runs: Int!
    "Times the watchdog or the operator took the batch up again"
    resumes: Int!
    lastProgressAt: String
    "Not finished and no progress for BATCH_STUCK_SECONDS"
    stuck: Boolean!
    "What the watchdog or the operator last did about it"
    note: String
    noteAt: String
  }
  type AchievementBatchDuration {
    seconds: Float
    targetSeconds: Int!
    "null while running inside the 48-hour target"
    withinTarget: Boolean
  }
  "An uploaded achievement file and what became of it (OCF 01)."
  type AchievementBatch {
    id: ID!
    "received, validating, loading, completed or failed"
    status: String!
    validateOnly: Boolean!
    aoUkprn: String!
    submittedBy: String!
    kind: String!
    fileName: String!
    bytes: Int!
    receivedAt: String!
    startedAt: String
    finishedAt: String
    rows: Int!
    counts: AchievementBatchCounts!
    progress: AchievementBatchProgress!
    duration: AchievementBatchDuration!
    failure: String
    recovery: AchievementBatchRecovery!
    mail: String
    statusUrl: String!
    "CSV of rejected rows: row, record_id, field, code, message"
    reportUrl: String!
  }

  extend type Query {
    "One achievement batch. AO users and admins (their organisation's), operator."
    achievementBatch(id: ID!): AchievementBatch!
    "Achievement batches, newest first. AO users and admins: their organisation's; operator: all, or one AO's. state: failed, unfinished or stuck (unfinished with no progress for BATCH_STUCK_SECONDS)."
    achievementBatches(limit: Int = 50, ao: String, state: String): [AchievementBatch!]!
  }
`;

const VIEWERS = ['ao-user', 'ao-admin', 'operator'] as const;

export function batchResolvers(app: FastifyInstance): IResolvers {
  return {
    Query: {
      achievementBatch: async (_root: unknown, args: { id: string }, ctx) => {
        const principal = await requireRole(ctx, VIEWERS);
        try {
          const batch = visibleBatch(principal, await getBatch(app.deps.graph, args.id), args.id);
          return batchView(app.config, batch, new Date());
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      achievementBatches: async (
        _root: unknown,
        args: { limit: number; ao?: string | null; state?: string | null },
        ctx,
      ) => {
        const principal = await requireRole(ctx, VIEWERS);
        const operator = principal.roles.includes('operator');
        if (!operator && !principal.organisation)
          throw asGraphqlError(new AppError(403, 'FORBIDDEN', 'your token names no organisation'));
        const ao = operator ? (args.ao ?? null) : principal.organisation!;
        const limit = Math.min(Math.max(args.limit, 1), 200);
        const state = args.state ?? undefined;
        if (state !== undefined && !['failed', 'unfinished', 'stuck'].includes(state))
          throw asGraphqlError(new AppError(400, 'VALIDATION', 'state must be failed, unfinished or stuck'));
        const now = new Date();
        const batches = await listBatches(app.deps.graph, ao, limit, {
          state: state as BatchState | undefined,
          stuckBefore: new Date(now.getTime() - app.config.batchStuckSeconds * 1000),
        });
        return batches.map((b) => batchView(app.config, b, now));
      },
    },
  } as IResolvers;
}
