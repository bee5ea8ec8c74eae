/**
 * The charter's services (SPEC section 4), as every route declares the one it belongs to
 * (`config: { ocf: 'OCF04' }`, or 'none' for health, docs, sign-in and the like), so that
 * each request can be timed against its service's target.
 */
export const OCF_SERVICES = [
  'OCF01',
  'OCF02',
  'OCF03',
  'OCF04',
  'OCF05',
  'OCF06',
  'OCF07',
  'OCF08',
  'OCF09',
  'OCF10',
  'OCF11',
] as const;
export type Ocf = (typeof OCF_SERVICES)[number];
/** What a route declares: its charter service, or none (health, docs, sign-in, operations). */
export type OcfDeclaration = Ocf | 'none';

export const OCF_NAMES: Record<Ocf, string> = {
  OCF01: 'Learner achievement data upload',
  OCF02: 'Learner data amendments',
  OCF03: 'View learner record',
  OCF04: 'RoC single-qualification query',
  OCF05: 'Credit check',
  OCF06: 'Routes to Achievement',
  OCF07: 'Learner data availability',
  OCF08: 'Data challenge',
  OCF09: 'Identity management',
  OCF10: 'Development support',
  OCF11: 'Verify ULN learner details',
};

/** The charter's monthly average response time target, seconds; null where it sets none for responses. */
export const OCF_TARGET_SECONDS: Record<Ocf, number | null> = {
  OCF01: null,
  OCF02: 3,
  OCF03: 3,
  OCF04: 5,
  OCF05: 5,
  OCF06: 5,
  OCF07: null,
  OCF08: null,
  OCF09: null,
  OCF10: null,
  OCF11: 3,
};

export function isOcf(value: unknown): value is Ocf {
  return typeof value === 'string' && (OCF_SERVICES as readonly string[]).includes(value);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The charter service the route belongs to (src/platform/ocf.ts). */
    ocf?: OcfDeclaration;
  }
}

/**
 * The charter service of each GraphQL Query and Mutation field. A request is timed once
 * for each distinct service among the top-level fields it asks for (a request for two
 * services' fields counts, with its whole duration, for both). A field missing here stops
 * the app at start-up.
 */
export const GRAPHQL_FIELD_OCF: Readonly<Record<string, OcfDeclaration>> = {
  'Query.health': 'none',
  'Query.me': 'none',
  'Query.workers': 'none',
  'Query.qualification': 'OCF04',
  'Query.qualifications': 'OCF04',
  'Query.creditCheck': 'OCF05',
  'Query.routes': 'OCF06',
  'Query.whatIfRoutes': 'OCF06',
  'Query.verifyLearner': 'OCF11',
  'Query.learnerRecord': 'OCF03',
  'Query.myRecord': 'OCF03',
  'Query.accessLog': 'OCF03',
  'Query.availability': 'OCF07',
  'Query.challenges': 'OCF08',
  'Query.learnerChallenges': 'OCF08',
  'Query.achievements': 'OCF02',
  'Query.achievement': 'OCF02',
  'Query.achievementBatch': 'OCF01',
  'Query.achievementBatches': 'OCF01',
  'Mutation.requestHeartbeat': 'none',
  'Mutation.registerLearner': 'none',
  'Mutation.setAvailability': 'OCF07',
  'Mutation.fileChallenge': 'OCF08',
  'Mutation.resolveChallenge': 'OCF08',
  'Mutation.submitAchievement': 'OCF02',
  'Mutation.submitAchievements': 'OCF02',
  'Mutation.withdrawAchievement': 'OCF02',
};

/** Top-level Query/Mutation fields that GRAPHQL_FIELD_OCF does not list. Pure. */
export function undeclaredGraphqlFields(fields: readonly string[]): string[] {
  return fields.filter((f) => !(f in GRAPHQL_FIELD_OCF)).sort();
}
