/**
 * The access-control matrix (issue 7 item 6): every REST route and every GraphQL Query and
 * Mutation field against every caller (no token, then each role of SPEC 6), with the
 * ownership rule that applies. This table is the statement of who may do what;
 * docs/access-control.md is rendered from it (`npx tsx scripts/access-matrix-doc.ts`),
 * and test/integration/access-matrix.test.ts makes a real request for every cell and
 * fails on a route or field that is not listed here.
 *
 * The routes still enforce their own rules (config.access and the services); the test
 * checks that they agree with this table.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from './auth.js';
import type { Access } from './guard.js';

/** What one caller may do with one route or field. */
export type Rule =
  /** Allowed, whatever it is about. */
  | 'yes'
  /** Refused: 401 without a token, 403 with one. */
  | 'no'
  /** Only for the caller's own organisation; another's is 403 (its users, clients, records or batches named by id: 404, as if absent). */
  | 'own-org'
  /** Only about the learner themself (the ULN in the token); any other learner is 403. */
  | 'self'
  /** Only while the learner shares their record (OCF 07); otherwise 403 NOT_SHARED. */
  | 'shared'
  /** While the learner shares: the whole record; otherwise only the records this AO submitted. */
  | 'shared-or-own'
  /** Only what concerns the records its own organisation submitted; another's is 404, as if it did not exist. */
  | 'own-records'
  /** With a genuine, live link, while the learner shares; otherwise 403 NOT_SHARED (or 404/410 for a bad or spent link). */
  | 'link';

export const RULE_MEANINGS: Record<Rule, string> = {
  yes: 'allowed',
  no: 'refused: 401 without a token, 403 with one',
  'own-org':
    "its own organisation only; another organisation is 403 (another's user, client, record or batch named by its id: 404, as if absent)",
  self: 'the learner themself only (the ULN in the token); another learner is 403',
  shared: 'only while the learner shares their record; otherwise 403 NOT_SHARED',
  'shared-or-own': 'the whole record while the learner shares; otherwise only the records this AO submitted',
  'own-records': "only what concerns records its organisation submitted; another's is 404, as if absent",
  link: 'anyone holding a genuine, live link, while the learner shares; otherwise 403 NOT_SHARED',
};

export type Caller = 'anonymous' | Role;
export const CALLERS: readonly Caller[] = ['anonymous', ...ROLES];

export type Rules = Readonly<Record<Caller, Rule>>;

interface EntryBase {
  rules: Rules;
  /**
   * A second row for the same route or field whose rule depends on its input, e.g.
   * "with uln": the route is public without a ULN and about a learner with one.
   */
  variant?: string;
  note?: string;
}

export interface RestEntry extends EntryBase {
  kind: 'rest';
  /** A portal page (src/web): the caller comes from the session cookie, and forms carry a CSRF token. */
  page?: boolean;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As registered, with :params and * wildcards. */
  url: string;
}

export interface GraphqlEntry extends EntryBase {
  kind: 'graphql';
  /** Query, Mutation, or an object type for a field that is checked on its own (Qualification.progress). */
  type: string;
  field: string;
}

export type MatrixEntry = RestEntry | GraphqlEntry;

/** Everyone, with or without a token. */
const PUBLIC: Rules = everyone('yes');
/** Any signed-in caller. */
const SIGNED_IN: Rules = only({ ...Object.fromEntries(ROLES.map((r) => [r, 'yes'])) });
const OPERATOR: Rules = only({ operator: 'yes' });
/** The organisation's admins for their own organisation; the operator for any. */
const ORG_ADMIN: Rules = only({ operator: 'yes', 'ao-admin': 'own-org', 'provider-admin': 'own-org' });
/** Reading one learner (src/learners/access.ts). */
const LEARNER_VIEW: Rules = only({
  learner: 'self',
  operator: 'yes',
  'ao-user': 'shared-or-own',
  'ao-admin': 'shared-or-own',
  'provider-user': 'shared',
  'provider-admin': 'shared',
  'careers-adviser': 'shared',
});
/** The learner's own requests (availability, challenges, access log), and service staff on the learner's behalf. */
const LEARNER_OR_STAFF: Rules = only({ learner: 'self', operator: 'yes' });
const LEARNER_ONLY: Rules = only({ learner: 'self' });
/** The awarding organisation's side of a challenge. */
const AO_OWN_RECORDS: Rules = only({ 'ao-user': 'own-records', 'ao-admin': 'own-records' });
/** OCF 11 (src/learners/verify/service.ts VERIFY_ROLES). */
const VERIFIERS: Rules = only({
  operator: 'yes',
  'ao-user': 'yes',
  'ao-admin': 'yes',
  'provider-user': 'yes',
  'provider-admin': 'yes',
  'careers-adviser': 'yes',
});
/** The learner register (src/learners/register/service.ts REGISTER_ROLES). */
const REGISTRARS: Rules = only({
  operator: 'yes',
  'ao-user': 'yes',
  'ao-admin': 'yes',
  'provider-user': 'yes',
  'provider-admin': 'yes',
});
const ANALYST: Rules = only({ analyst: 'yes' });
/** Writing achievement records (src/achievements/service.ts RECORD_WRITERS): always into the token's own AO. */
const RECORD_WRITERS: Rules = only({ 'ao-user': 'own-org', 'ao-admin': 'own-org' });
/** Reading achievement records (RECORD_READERS): AO users their own AO's; the operator names any AO. */
const RECORD_READERS: Rules = only({ 'ao-user': 'own-org', 'ao-admin': 'own-org', operator: 'yes' });
/** Uploading achievement batches (src/achievements/batches/routes.ts UPLOADERS). */
const BATCH_UPLOADERS: Rules = only({ 'ao-user': 'own-records', 'ao-admin': 'own-records' });
/** One achievement batch (VIEWERS): AO users their own AO's (another's is 404); the operator any. */
const BATCH_VIEWERS: Rules = only({ 'ao-user': 'own-org', 'ao-admin': 'own-org', operator: 'yes' });
/** Lists of batches (VIEWERS): AO users see their own AO's only, whatever they ask; the operator any. */
const BATCH_LISTERS: Rules = only({ 'ao-user': 'own-records', 'ao-admin': 'own-records', operator: 'yes' });
const RECORD_LINK: Rules = everyone('link');
/** When a record is due (src/achievements/service.ts submissionDeadlineFor): for any AO. */
const DEADLINE_READERS: Rules = only({ 'ao-user': 'yes', 'ao-admin': 'yes', operator: 'yes' });

function everyone(rule: Rule): Rules {
  return Object.fromEntries(CALLERS.map((c) => [c, rule])) as Rules;
}

function only(grants: Partial<Record<Caller, Rule>>): Rules {
  return Object.fromEntries(CALLERS.map((c) => [c, grants[c] ?? 'no'])) as Rules;
}

const rest = (
  method: RestEntry['method'],
  url: string,
  rules: Rules,
  extra: Pick<EntryBase, 'variant' | 'note'> = {},
): RestEntry => ({ kind: 'rest', method, url, rules, ...extra });
/** A portal page: refused means sent to sign in (no session) or a 403 page. */
const page = (
  method: RestEntry['method'],
  url: string,
  rules: Rules,
  extra: Pick<EntryBase, 'variant' | 'note'> = {},
): RestEntry => ({ kind: 'rest', method, url, rules, page: true, ...extra });
const gql = (
  type: string,
  field: string,
  rules: Rules,
  extra: Pick<EntryBase, 'variant' | 'note'> = {},
): GraphqlEntry => ({ kind: 'graphql', type, field, rules, ...extra });

export const ACCESS_MATRIX: readonly MatrixEntry[] = [
  // --- operations and documentation ----------------------------------------------------
  rest('GET', '/health/live', PUBLIC),
  rest('GET', '/health/ready', PUBLIC),
  rest('GET', '/operations/workers', OPERATOR),
  rest('POST', '/operations/workers/heartbeat', OPERATOR),
  rest('GET', '/operations/service-levels', OPERATOR),
  rest('GET', '/operations/service-levels.pdf', OPERATOR),
  rest('POST', '/operations/maintenance', OPERATOR, { note: 'planned windows are emailed to AO users' }),
  rest('GET', '/operations/maintenance', OPERATOR),
  rest('POST', '/operations/maintenance/:id/end', OPERATOR),
  rest('POST', '/operations/desk-calls', OPERATOR),
  rest('GET', '/operations/desk-calls', OPERATOR),
  rest('PUT', '/operations/desk-calls/:id/category', OPERATOR),
  rest('POST', '/operations/desk-calls/:id/resolution', OPERATOR),
  rest('GET', '/service-status', PUBLIC, { note: 'maintenance in progress and announced, English and Welsh' }),
  rest('GET', '/metrics', OPERATOR, { note: 'a scraper without a token: METRICS_PORT (docs/operations.md)' }),
  rest('GET', '/docs', PUBLIC, { note: 'the API docs (Swagger UI) and the OpenAPI document' }),
  rest('GET', '/docs/static/index.html', PUBLIC),
  rest('GET', '/docs/static/swagger-initializer.js', PUBLIC),
  rest('GET', '/docs/static/*', PUBLIC),
  rest('GET', '/docs/json', PUBLIC),
  rest('GET', '/docs/yaml', PUBLIC),
  rest('GET', '/graphql', PUBLIC, { note: 'the transport: each field decides (rows below)' }),
  rest('POST', '/graphql', PUBLIC, { note: 'the transport: each field decides (rows below)' }),
  rest('GET', '/graphql/schema.graphql', PUBLIC),

  // --- identity (OCF 09) ----------------------------------------------------------------
  rest('GET', '/.well-known/jwks.json', PUBLIC),
  rest('GET', '/auth/whoami', SIGNED_IN),
  rest('POST', '/auth/login', PUBLIC, { note: 'rate limited per address and per account' }),
  rest('POST', '/auth/refresh', PUBLIC, { note: 'needs a live refresh token; rate limited' }),
  rest('POST', '/auth/logout', PUBLIC, { note: 'same answer whatever the token; rate limited' }),
  rest('POST', '/auth/set-password', PUBLIC, { note: 'needs a live invitation token; rate limited' }),
  rest('POST', '/auth/token', PUBLIC, { note: 'needs a live API client id and secret; rate limited' }),
  rest('POST', '/organisations', OPERATOR),
  rest('GET', '/organisations/:ukprn/users', ORG_ADMIN),
  rest('POST', '/organisations/:ukprn/users', ORG_ADMIN, { note: 'roles its kind may hold only' }),
  rest('PUT', '/organisations/:ukprn/users/:id/roles', ORG_ADMIN, { note: 'roles its kind may hold only' }),
  rest('POST', '/organisations/:ukprn/users/:id/disable', ORG_ADMIN),
  rest('POST', '/organisations/:ukprn/users/:id/enable', ORG_ADMIN),
  rest('GET', '/organisations/:ukprn/clients', ORG_ADMIN),
  rest('POST', '/organisations/:ukprn/clients', ORG_ADMIN, {
    note: "a subset of its kind's roles, never an admin role",
  }),
  rest('DELETE', '/organisations/:ukprn/clients/:id', ORG_ADMIN),
  rest('POST', '/keys/rotate', OPERATOR),

  // --- catalogue (OCF 04, 05) -----------------------------------------------------------
  rest('GET', '/qualifications', PUBLIC),
  rest('GET', '/qualifications/:qan/rules', PUBLIC),
  rest('GET', '/qualifications/:qan/rules', LEARNER_VIEW, { variant: 'with uln', note: "the learner's progress too" }),
  rest('GET', '/qualifications/:qan/rules.pdf', PUBLIC),
  rest('GET', '/qualifications/:qan/rules.pdf', LEARNER_VIEW, { variant: 'with uln' }),
  rest('GET', '/learners/:uln/credit-check', LEARNER_VIEW),
  rest('GET', '/learners/:uln/credit-check.pdf', LEARNER_VIEW),
  rest('POST', '/catalogue', OPERATOR),

  // --- learners (register, OCF 11, 03, 07, 08) ------------------------------------------
  rest('POST', '/learners', REGISTRARS),
  rest('POST', '/learners/import', OPERATOR),
  rest('POST', '/learners/verify', VERIFIERS),
  rest('POST', '/learners/verify/batch', VERIFIERS),
  rest('GET', '/learners/:uln/record', LEARNER_VIEW, { note: 'names: the learner and the operator only' }),
  rest('GET', '/learners/:uln/record.pdf', LEARNER_VIEW),
  rest('GET', '/me/record', only({ learner: 'yes' }), { note: 'the ULN comes from the token' }),
  rest('GET', '/me/record.pdf', only({ learner: 'yes' })),
  rest('POST', '/learners/:uln/record-links', LEARNER_ONLY),
  rest('GET', '/learners/:uln/record-links', LEARNER_ONLY),
  rest('DELETE', '/learners/:uln/record-links/:id', LEARNER_ONLY),
  rest('GET', '/record-links/:token', RECORD_LINK),
  rest('POST', '/pathways/data', only({ operator: 'yes' }), { note: 'a pathway data file' }),
  rest('POST', '/me/credentials', only({ learner: 'yes' }), { note: 'the ULN comes from the token' }),
  rest('POST', '/credentials/verify', PUBLIC),
  rest('GET', '/credentials/status/:list', PUBLIC),
  rest('GET', '/learners/:uln/access-log', LEARNER_OR_STAFF),
  rest('PUT', '/learners/:uln/availability', LEARNER_OR_STAFF, { note: 'staff record telephone requests' }),
  rest('GET', '/learners/:uln/availability', LEARNER_OR_STAFF),
  rest('POST', '/learners/:uln/challenges', LEARNER_OR_STAFF, { note: 'staff record written challenges' }),
  rest('GET', '/learners/:uln/challenges', LEARNER_OR_STAFF),
  rest('GET', '/challenges', AO_OWN_RECORDS, { note: "the queue holds its own records' challenges only" }),
  rest('GET', '/challenges/:id', AO_OWN_RECORDS),
  rest('POST', '/challenges/:id/resolution', AO_OWN_RECORDS),

  // --- achievement records and batches (OCF 01, 02, 10) ---------------------------------
  rest('POST', '/achievements', RECORD_WRITERS, {
    note: "into its own AO only (the token's); another AO's record id is 404 E023, as if absent",
  }),
  rest('POST', '/achievements', BATCH_UPLOADERS, {
    variant: 'an array',
    note: "into its own AO only; each record answered on its own, another AO's record id E023, as if absent",
  }),
  rest('GET', '/submission-deadlines', DEADLINE_READERS, {
    note: 'any AO (a nation and recorded downtime are not secret); AO users their own by default',
  }),
  rest('GET', '/achievements', RECORD_READERS, {
    note: 'the operator names the AO (ao=); an AO user naming another AO: 403',
  }),
  rest('GET', '/achievements/:recordId', RECORD_READERS, {
    note: "an AO user naming another AO: 403; another AO's record id: 404",
  }),
  rest('POST', '/achievements/batches', BATCH_UPLOADERS, {
    note: 'into its own AO only; a batch id another AO used names a new batch of its own',
  }),
  rest('GET', '/achievements/batches', BATCH_LISTERS, {
    note: "AO users: their own AO's batches (ao= is for the operator)",
  }),
  rest('GET', '/achievements/batches/:id', BATCH_VIEWERS, { note: "another AO's batch: 404 BATCH_NOT_FOUND" }),
  rest('POST', '/achievements/batches/:id/resume', OPERATOR, {
    note: "any AO's batch: a failed or stuck one goes on from its checkpoint; completed or running: 409",
  }),
  rest('GET', '/achievements/batches/:id/report.csv', BATCH_VIEWERS, {
    note: "another AO's batch: 404 BATCH_NOT_FOUND",
  }),

  // --- pathways (OCF 06) ----------------------------------------------------------------
  rest('GET', '/learners/:uln/routes', LEARNER_VIEW),
  rest('GET', '/learners/:uln/routes.pdf', LEARNER_VIEW),
  rest('POST', '/routes/what-if', PUBLIC, { note: 'planned units only: catalogue data' }),
  rest('POST', '/routes/what-if', LEARNER_VIEW, { variant: 'with uln' }),

  // --- analytics ------------------------------------------------------------------------
  rest('POST', '/analytics/cypher', ANALYST, { note: 'personal details out of reach: docs/analytics.md' }),

  // --- the portal (src/web): pages, with a session cookie instead of a token ------------
  rest('GET', '/assets/*', PUBLIC, { note: "govuk-frontend's and the portal's CSS, JS, fonts, images" }),
  page('GET', '/', PUBLIC, { note: 'the start page' }),
  page('GET', '/accessibility', PUBLIC),
  page('GET', '/cookies', PUBLIC),
  page('GET', '/privacy', PUBLIC),
  page('GET', '/sign-in', PUBLIC),
  page('POST', '/sign-in', PUBLIC, { note: 'rate limited per address and per account; lock-out' }),
  page('POST', '/sign-out', PUBLIC),
  page('GET', '/signed-out', PUBLIC),
  page('GET', '/account', SIGNED_IN, { note: 'who you are signed in as, and your organisation' }),
  page('GET', '/set-password', PUBLIC),
  page('POST', '/set-password', PUBLIC, { note: 'needs a live set-password token; rate limited' }),
  page('GET', '/forgotten-password', PUBLIC),
  page('POST', '/forgotten-password', PUBLIC, { note: 'the same answer whether or not the address has an account' }),
  page('GET', '/my-record', only({ learner: 'yes' }), { note: "the learner's own: the ULN comes from the session" }),
  page('GET', '/my-record.pdf', only({ learner: 'yes' })),
  page('GET', '/my-record/availability', only({ learner: 'yes' })),
  page('POST', '/my-record/availability', only({ learner: 'yes' })),
  page('GET', '/my-record/access-log', only({ learner: 'yes' })),

  // --- GraphQL --------------------------------------------------------------------------
  gql('Query', 'health', PUBLIC),
  gql('Query', 'me', SIGNED_IN),
  gql('Query', 'workers', OPERATOR),
  gql('Query', 'qualification', PUBLIC),
  gql('Qualification', 'progress', LEARNER_VIEW, { note: "a learner's progress inside a public qualification" }),
  gql('Query', 'qualifications', PUBLIC),
  gql('Query', 'creditCheck', LEARNER_VIEW),
  gql('Query', 'routes', LEARNER_VIEW),
  gql('Query', 'whatIfRoutes', PUBLIC),
  gql('Query', 'whatIfRoutes', LEARNER_VIEW, { variant: 'with uln' }),
  gql('Query', 'verifyLearner', VERIFIERS),
  gql('Query', 'learnerRecord', LEARNER_VIEW),
  gql('Query', 'myRecord', only({ learner: 'yes' })),
  gql('Query', 'accessLog', LEARNER_OR_STAFF),
  gql('Query', 'availability', LEARNER_OR_STAFF),
  gql('Query', 'challenges', AO_OWN_RECORDS),
  gql('Query', 'learnerChallenges', LEARNER_OR_STAFF),
  gql('Query', 'achievements', RECORD_READERS),
  gql('Query', 'achievement', RECORD_READERS),
  gql('Query', 'achievementBatch', BATCH_VIEWERS),
  gql('Query', 'achievementBatches', BATCH_LISTERS),
  gql('Mutation', 'requestHeartbeat', OPERATOR),
  gql('Mutation', 'registerLearner', REGISTRARS),
  gql('Mutation', 'setAvailability', LEARNER_OR_STAFF),
  gql('Mutation', 'fileChallenge', LEARNER_OR_STAFF),
  gql('Mutation', 'resolveChallenge', AO_OWN_RECORDS),
  gql('Mutation', 'submitAchievement', RECORD_WRITERS),
  gql('Mutation', 'withdrawAchievement', RECORD_WRITERS),
  gql('Mutation', 'submitAchievements', BATCH_UPLOADERS),
];

/** How an entry is named in the doc and in test messages. */
export function entryName(e: MatrixEntry): string {
  const base = e.kind === 'rest' ? `${e.method} ${e.url}` : `${e.type}.${e.field}`;
  return e.variant ? `${base} (${e.variant})` : base;
}

/** The key a route or field is found by: its variants share it. */
export function entryKey(e: MatrixEntry): string {
  return e.kind === 'rest' ? `${e.method} ${e.url}` : `${e.type}.${e.field}`;
}

/** A route as the app registered it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

/**
 * What the app has and the table does not list (routes, and Query/Mutation fields), and
 * what the table lists that no longer exists. HEAD routes mirror their GET. Pure.
 */
export function matrixGaps(
  routes: readonly RegisteredRoute[],
  fields: readonly string[],
  matrix: readonly MatrixEntry[] = ACCESS_MATRIX,
): { unlisted: string[]; stale: string[] } {
  const listed = new Set(matrix.map(entryKey));
  const present = new Set<string>();
  for (const r of routes) {
    // Fastify answers HEAD like GET (also for /prefix/ when the GET is /prefix).
    if (r.method === 'HEAD' && routes.some((g) => g.method === 'GET' && (g.url === r.url || `${g.url}/` === r.url)))
      continue;
    present.add(`${r.method} ${r.url}`);
  }
  for (const f of fields) present.add(f);
  const nested = new Set(
    matrix.filter((e) => e.kind === 'graphql' && e.type !== 'Query' && e.type !== 'Mutation').map(entryKey),
  );
  return {
    unlisted: [...present].filter((k) => !listed.has(k)).sort(),
    // Nested fields are not enumerated from the schema; the test checks them by request.
    stale: [...listed].filter((k) => !present.has(k) && !nested.has(k)).sort(),
  };
}

/** The roles a rule row lets in at all (rule other than "no"). */
export function rolesAllowed(rules: Rules): Role[] {
  return ROLES.filter((r) => rules[r] !== 'no');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the access-control matrix test. */
    registeredRoutes: RegisteredRoute[];
  }
}

/** Records every route registered after it (with its access rule). Register it first. */
export const routeRecorder = fp(
  async (app: FastifyInstance) => {
    const routes: RegisteredRoute[] = [];
    app.decorate('registeredRoutes', routes);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods)
        routes.push({ method: String(method), url: route.url, access: route.config?.access });
    });
  },
  { name: 'plr-route-recorder' },
);

// --- the document ---------------------------------------------------------------------

const SHORT: Record<Rule, string> = {
  yes: 'yes',
  no: '·',
  'own-org': 'own org',
  self: 'self',
  shared: 'shared',
  'shared-or-own': 'shared / own records',
  'own-records': 'own records',
  link: 'link',
};

const HEAD: Record<Caller, string> = {
  anonymous: 'no token',
  learner: 'learner',
  'ao-user': 'AO user',
  'ao-admin': 'AO admin',
  'provider-user': 'provider user',
  'provider-admin': 'provider admin',
  'careers-adviser': 'careers adviser',
  analyst: 'analyst',
  operator: 'operator',
};

function table(entries: readonly MatrixEntry[]): string {
  const lines = [
    `| ${['route', ...CALLERS.map((c) => HEAD[c]), 'note'].join(' | ')} |`,
    `|${['---', ...CALLERS.map(() => ':-:'), '---'].join('|')}|`,
  ];
  for (const e of entries) {
    const name = e.kind === 'rest' ? `\`${e.method} ${e.url}\`` : `\`${e.type}.${e.field}\``;
    lines.push(
      `| ${[e.variant ? `${name} (${e.variant})` : name, ...CALLERS.map((c) => SHORT[e.rules[c]]), e.note ?? ''].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The generated part of docs/access-control.md. Pure. */
export function renderMatrix(matrix: readonly MatrixEntry[] = ACCESS_MATRIX): string {
  const legend = (Object.keys(SHORT) as Rule[]).map((r) => `- **${SHORT[r]}**: ${RULE_MEANINGS[r]}`).join('\n');
  return [
    `Generated from \`src/platform/access-matrix.ts\` by \`npx tsx scripts/access-matrix-doc.ts\`; do not edit by hand.`,
    '',
    legend,
    '',
    '### REST',
    '',
    table(matrix.filter((e) => e.kind === 'rest' && !e.page)),
    '',
    '### Portal pages (a session cookie; refused: sent to sign in, or a 403 page)',
    '',
    table(matrix.filter((e) => e.kind === 'rest' && e.page)),
    '',
    '### GraphQL (POST /graphql)',
    '',
    table(matrix.filter((e) => e.kind === 'graphql')),
  ].join('\n');
}

export const DOC_START = '<!-- access-matrix:start -->';
export const DOC_END = '<!-- access-matrix:end -->';

/** The doc with its generated part replaced. Pure. */
export function withMatrix(doc: string, matrix: readonly MatrixEntry[] = ACCESS_MATRIX): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`the document has no ${DOC_START} ... ${DOC_END} section`);
  return `${doc.slice(0, start + DOC_START.length)}\n${renderMatrix(matrix)}\n${doc.slice(end)}`;
}
