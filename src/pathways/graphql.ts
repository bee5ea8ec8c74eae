/**
 * GraphQL for OCF 06: routes(uln, filter) for advisers, and whatIfRoutes. Same rules as
 * REST: a learner's routes need a role that may see the learner (through the learner
 * gate); a what-if without a learner is public. Each answer is one service call, which
 * reads a whole page of routes in a few reads (see searchRoutes), so no field resolver
 * goes back to the database.
 */
import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { LEARNER_VIEWER_ROLES } from '../learners/access.js';
import { requireRole, asGraphqlError } from '../graphql-support.js';
import { learnerRoutes, whatIfRoutes, type RouteFilters, type RoutesView } from './service.js';

export const pathwaysSdl = /* GraphQL */ `
  input RouteFilter {
    "Exactly this level (E1, E2, E3, 1 to 8)"
    level: String
    minLevel: String
    maxLevel: String
    "Occupation code: qualifications leading to it, with or without credit yet"
    occupation: String
    "Only units offered by a provider in this region on the date"
    region: String
    "Only qualifications the learner is eligible to have funded"
    funded: Boolean
    "What-if without a learner: the age band the funding filter uses"
    ageBand: String
    date: String
    limit: Int
  }
  type RouteProvider {
    ukprn: String!
    name: String!
    region: String!
  }
  type RouteUnit {
    urn: String!
    title: String!
    level: String!
    credit: Int!
    providers: [RouteProvider!]!
  }
  type RouteGroupFill {
    group: String!
    units: [String!]!
  }
  type RouteQualification {
    qan: String!
    title: String!
    level: String!
    totalCredits: Int!
  }
  "The cheapest set of units that completes one qualification."
  type Route {
    qualification: RouteQualification!
    alreadyAchieved: Boolean!
    extraCredits: Int!
    extraUnits: Int!
    unitsToTake: [RouteUnit!]!
    "The rule groups the units to take are counted in"
    groupsFilled: [RouteGroupFill!]!
    optimal: Boolean!
    occupations: [String!]!
  }
  type RouteMissing {
    rule: String!
    group: String
    message: String!
  }
  type UnreachableRoute {
    qualification: RouteQualification!
    reason: String!
    message: String!
    missing: [RouteMissing!]!
  }
  "One set of units that completes two qualifications together."
  type CombinedRoute {
    qans: [String!]!
    unitsToTake: [Unit!]!
    extraCredits: Int!
    extraUnits: Int!
    separateCredits: Int!
    saving: Int!
    shared: [String!]!
  }
  type RouteFilters {
    minLevel: String
    maxLevel: String
    occupation: String
    region: String
    funded: Boolean!
    ageBand: String
    date: String!
    limit: Int!
  }
  "OCF 06: routes to achievement, ranked by extra credits."
  type Routes {
    uln: String
    scope: String
    filters: RouteFilters!
    plannedUnits: [Unit!]!
    "Candidate qualifications the optimiser examined"
    candidates: Int!
    "Candidate qualifications found; those not examined could not enter the page"
    discovered: Int!
    routes: [Route!]!
    unreachable: [UnreachableRoute!]!
    combined: [CombinedRoute!]!
  }

  extend type Query {
    "A learner's routes to achievement. Needs a role that may see the learner."
    routes(uln: String!, filter: RouteFilter): Routes!
    "Routes from planned units, with a learner's credits when uln is given (then a role that may see the learner)."
    whatIfRoutes(uln: String, plannedUnits: [String!]!, filter: RouteFilter): Routes!
  }
`;

/** GraphQL passes absent arguments as null; the service wants them left out. */
function filtersOf(filter: Record<string, unknown> | null | undefined): RouteFilters {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** The service's view in the GraphQL shape: the qualification as an object of its own. */
export function routesForGraphql(view: RoutesView) {
  const qualification = (r: { qan: string; title: string; level: string; totalCredits?: number }) => ({
    qan: r.qan,
    title: r.title,
    level: r.level,
    totalCredits: r.totalCredits ?? 0,
  });
  return {
    ...view,
    routes: view.routes.map((r) => ({ ...r, qualification: qualification(r) })),
    unreachable: view.unreachable.map((u) => ({ ...u, qualification: qualification(u) })),
  };
}

export function pathwaysResolvers(app: FastifyInstance): IResolvers {
  const graph = () => app.deps.graph;
  return {
    Query: {
      routes: async (_root, args: { uln: string; filter?: Record<string, unknown> | null }, ctx) => {
        const principal = await requireRole(ctx, LEARNER_VIEWER_ROLES);
        try {
          return routesForGraphql(await learnerRoutes(graph(), principal, args.uln, filtersOf(args.filter)));
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
      whatIfRoutes: async (
        _root,
        args: { uln?: string | null; plannedUnits: string[]; filter?: Record<string, unknown> | null },
        ctx,
      ) => {
        const principal = args.uln ? await requireRole(ctx, LEARNER_VIEWER_ROLES) : undefined;
        try {
          return routesForGraphql(
            await whatIfRoutes(graph(), principal, {
              uln: args.uln ?? undefined,
              plannedUnits: args.plannedUnits,
              filters: filtersOf(args.filter),
            }),
          );
        } catch (err) {
          throw asGraphqlError(err);
        }
      },
    },
  };
}
