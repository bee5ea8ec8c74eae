/**
 * GraphQL at /graphql (mercurius). Each feature adds its SDL and resolvers here; roles are
 * checked per field with requireRole, using the same tokens as REST.
 */
import fp from 'fastify-plugin';
import mercurius, { type IResolvers } from 'mercurius';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Kind, OperationTypeNode, printSchema, type DocumentNode } from 'graphql';
import { GRAPHQL_FIELD_OCF, undeclaredGraphqlFields, type OcfDeclaration } from './platform/ocf.js';
import { authenticate } from './platform/guard.js';
import type { Principal } from './platform/auth.js';
import { requireRole } from './graphql-support.js';
import { catalogueResolvers, catalogueSdl } from './catalogue/graphql.js';
import { learnerGraphql } from './learners/graphql.js';
import { pathwaysResolvers, pathwaysSdl } from './pathways/graphql.js';
import { batchResolvers, batchSdl } from './achievements/batches/graphql.js';
import { achievementResolvers, achievementSdl } from './achievements/graphql.js';
import { ROLES } from './platform/auth.js';
import { listWorkers } from './operations/repository.js';
import { pingRedis } from './platform/redis.js';
import { COST_BUDGET, queryCost } from './platform/graphql-cost.js';

const schema = /* GraphQL */ `
  enum Role { ${ROLES.map((r) => r.replace(/-/g, '_').toUpperCase()).join(' ')} }

  type Principal {
    subject: String!
    roles: [Role!]!
    organisation: String
    uln: String
  }

  type Dependency { name: String!, ok: Boolean! }
  type Health { ok: Boolean!, dependencies: [Dependency!]! }

  type Worker { name: String!, lastSeen: String!, beats: Int! }

  type Query {
    "Whether Neo4j and Redis answer. Public."
    health: Health!
    "Who the bearer token says you are. Any signed-in role."
    me: Principal!
    "Background workers that have reported. Operator only."
    workers(limit: Int = 20): [Worker!]!
  }

  type Mutation {
    "Ask a worker to record a heartbeat (checks the queue end to end); the job id. Operator only."
    requestHeartbeat: String!
  }
`;

/** Feature resolvers side by side: each type's fields from every feature. */
function mergeResolvers(all: IResolvers[]): IResolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const r of all) {
    for (const [type, fields] of Object.entries(r))
      merged[type] = { ...(merged[type] ?? {}), ...(fields as Record<string, unknown>) };
  }
  return merged as IResolvers;
}

export const graphqlPlugin = fp(
  async (app: FastifyInstance) => {
    const resolvers: IResolvers = {
      Query: {
        health: async () => {
          const check = async (work: () => Promise<void>) =>
            work().then(
              () => true,
              () => false,
            );
          const [neo4j, redis] = await Promise.all([
            check(() => app.deps.graph.ping(2_000)),
            check(() => pingRedis(app.deps.redisCheck, 2_000)),
          ]);
          return {
            ok: neo4j && redis,
            dependencies: [
              { name: 'neo4j', ok: neo4j },
              { name: 'redis', ok: redis },
            ],
          };
        },
        me: async (_root, _args, ctx) => {
          const p = await requireRole(ctx, ROLES);
          return { ...p, roles: p.roles.map((r) => r.replace(/-/g, '_').toUpperCase()) };
        },
        workers: async (_root, args: { limit: number }, ctx) => {
          await requireRole(ctx, ['operator']);
          const limit = Math.min(Math.max(args.limit, 1), 100);
          return listWorkers(app.deps.graph, limit);
        },
      },
      Mutation: {
        requestHeartbeat: async (_root, _args, ctx) => {
          await requireRole(ctx, ['operator']);
          const job = await app.deps.jobs.enqueue('operations.heartbeat', { at: new Date().toISOString() });
          return String(job.id);
        },
      },
    };

    app.get(
      '/graphql/schema.graphql',
      {
        config: { access: { public: true }, ocf: 'OCF10' },
        schema: {
          tags: ['graphql'],
          summary: 'The GraphQL schema (SDL); send queries to POST /graphql',
          response: { 200: { type: 'string', description: 'GraphQL SDL' } },
        },
      },
      async (_request, reply) => {
        reply.type('text/plain; charset=utf-8');
        return printSchema(app.graphql.schema);
      },
    );

    await app.register(mercurius, {
      schema: [schema, catalogueSdl, pathwaysSdl, batchSdl, achievementSdl, ...learnerGraphql.map((m) => m.sdl)],
      resolvers: mergeResolvers([
        resolvers,
        catalogueResolvers(app),
        pathwaysResolvers(app),
        batchResolvers(app),
        achievementResolvers(app),
        ...learnerGraphql.map((m) => m.resolvers(app)),
      ]),
      graphiql: false,
      path: '/graphql',
      queryDepth: 12,
      context: (request: FastifyRequest) => {
        let cached: Promise<Principal | undefined> | undefined;
        return { principal: () => (cached ??= authenticate(request, app.deps.tokens)) };
      },
      // One query per request: a batch (a JSON array) is refused, so the cost limit below holds per request.
      allowBatchedQueries: false,
      errorFormatter: (execution, ctx) => {
        const formatted = mercurius.defaultErrorFormatter(execution, ctx);
        // GraphQL answers 200 with errors in the body unless the request itself was bad.
        return {
          statusCode: formatted.statusCode >= 500 && execution.data ? 200 : formatted.statusCode,
          response: formatted.response,
        };
      },
    });

    // The cost limit (src/platform/graphql-cost.ts): priced before any resolver runs.
    app.graphql.addHook('preExecution', async (_schema, document, context) => {
      const budget = (await context.principal().catch(() => undefined)) ? COST_BUDGET.signedIn : COST_BUDGET.anonymous;
      const cost = queryCost(document, budget);
      if (cost > budget) {
        throw new mercurius.ErrorWithProps(
          `this request costs more than the ${budget} allowed${budget === COST_BUDGET.anonymous ? ' without a token' : ''}: every field counts 1, each alias again, and searches more (docs/access-control.md)`,
          { code: 'QUERY_TOO_COSTLY', details: { budget } },
          400,
        );
      }
    });

    // Every Query and Mutation field says which charter service it belongs to (request timing).
    const roots = [app.graphql.schema.getQueryType(), app.graphql.schema.getMutationType()];
    const missing = undeclaredGraphqlFields(
      roots.flatMap((t) => (t ? Object.keys(t.getFields()).map((f) => `${t.name}.${f}`) : [])),
    );
    if (missing.length > 0)
      throw new Error(`GraphQL fields without a charter service (GRAPHQL_FIELD_OCF): ${missing.join(', ')}`);
    app.graphql.addHook('preExecution', async (_schema, document, context) => {
      context.reply.request.ocfServices = servicesOf(document);
    });
  },
  { name: 'plr-graphql', dependencies: ['plr-guard'] },
);

/** The charter services of the top-level fields of a GraphQL document's operations. */
function servicesOf(document: DocumentNode): OcfDeclaration[] {
  const out = new Set<OcfDeclaration>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const type = def.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
    for (const sel of def.selectionSet.selections) {
      if (sel.kind === Kind.FIELD) out.add(GRAPHQL_FIELD_OCF[`${type}.${sel.name.value}`] ?? 'none');
    }
  }
  return out.size > 0 ? [...out] : ['none'];
}
