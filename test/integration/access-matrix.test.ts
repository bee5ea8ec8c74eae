/**
 * The access-control matrix, cell by cell (issue 7 item 6): for every route and GraphQL
 * field in src/platform/access-matrix.ts and every caller, a real request with just
 * enough valid input. Allowed: never 401/403 (nor 5xx); refused: 401/403 (404 where the
 * service hides what belongs to another organisation, NOT_SHARED where the learner does
 * not share), with nothing of the record or the person in the answer. A route or field
 * the table does not list fails the first test, with the list.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { ROLES } from '../../src/platform/auth.js';
import {
  ACCESS_MATRIX,
  CALLERS,
  entryName,
  matrixGaps,
  rolesAllowed,
  withMatrix,
  type Caller,
  type MatrixEntry,
  type Rule,
} from '../../src/platform/access-matrix.js';
import { ulnCheckDigit } from '../../src/learners/uln.js';
import { RECORD_FIELDS } from '../../src/achievements/rows.js';
import { PRINCIPALS, setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { startSmtp } from '../helpers/smtp.js';
import { pdfText } from '../helpers/pdf.js';
import { browserFor, formBody, pageOutcome } from '../helpers/portal.js';

// PDFs are searched for what they must not show: their text must be readable.
process.env.PDF_UNCOMPRESSED = '1';

// --- the world the requests are about ------------------------------------------------------

// Thousands of real requests: more than tap's usual two minutes on a busy machine.
t.setTimeout(600_000);

const AO = PRINCIPALS['ao-user'].organisation!;
const OTHER_AO = '10000011';
const PROVIDER = PRINCIPALS['provider-user'].organisation!;
const CAREERS = PRINCIPALS['careers-adviser'].organisation!;
const OPERATOR_ORG = PRINCIPALS.operator.organisation!;

/** A valid ULN from a nine-digit start. */
function uln(start: number): string {
  for (let p = start; ; p++) {
    const d = ulnCheckDigit(String(p));
    if (d !== null && d < 10) return `${p}${d}`;
  }
}
/** The learner the learner token belongs to; shares their record. */
const OPEN = PRINCIPALS.learner.uln!;
/** Another learner, who does not share. */
const CLOSED = uln(512345670);
/** Registered by the register probes. */
const REGISTERED = uln(598765430);
const PASSWORD = 'a matrix password of decent length';
const REASON = 'MATRIXREASON: this credit is not mine at all';

// Values that must never appear in a refused answer.
const PERSONAL = [
  'Zephyrine',
  'Quillfeather',
  'Ottoline',
  'Marchbanks',
  '2003-04-05',
  '2002-03-04',
  'ZZ9 9ZZ',
  'ZZ8 8ZZ',
  'zephyrine@example.org',
  'ottoline@example.org',
];
const RECORDS = ['REC-AO-OPEN', 'REC-OTHER-OPEN', 'REC-AO-CLOSED', 'REC-OTHER-CLOSED'];
const SECRETS = [...PERSONAL, ...RECORDS, 'matrix.', 'MATRIXREASON'];
/** Another AO's record that no write of this AO may reach. */
const OTHER_RECORD = 'XAO-0001';
const SPARES = ['AO-SPARE-1', 'AO-SPARE-2'];
/** Client batch id the other AO used: the same id sent by this AO names a batch of its own. */
const OTHER_BATCH_KEY = 'xorg-key';

const smtp = await startSmtp();
const keyDir = mkdtempSync(path.join(tmpdir(), 'plr-matrix-'));
t.teardown(async () => {
  await smtp.close();
  rmSync(keyDir, { recursive: true, force: true });
});
const { app } = await setupApp(t, {
  SMTP_URL: smtp.url,
  // Key rotation is one of the cells: rotate a ring of this file's own.
  SIGNING_KEY_FILE: path.join(keyDir, 'key.json'),
  RATE_LIMIT_SIGNIN_IP: '100000/60',
  RATE_LIMIT_SIGNIN_ACCOUNT: '100000/60',
  RATE_LIMIT_TOKEN_IP: '100000/60',
  RATE_LIMIT_PUBLIC_IP: '100000/60',
});

const catalogue = await loadSample(app.deps.graph);
const qualification = catalogue.qualifications[0];
const [unitA, unitB] = qualification.groups.flatMap((g) => g.units).filter((u, i, all) => all.indexOf(u) === i);
await upsertLearners(app.deps.graph, [
  learner(OPEN, {
    givenName: 'Zephyrine',
    familyName: 'Quillfeather',
    dateOfBirth: '2003-04-05',
    postcode: 'ZZ9 9ZZ',
    email: 'zephyrine@example.org',
    available: true,
  }),
  learner(CLOSED, {
    givenName: 'Ottoline',
    familyName: 'Marchbanks',
    dateOfBirth: '2002-03-04',
    postcode: 'ZZ8 8ZZ',
    email: 'ottoline@example.org',
    available: true,
  }),
]);
await recordUnitCredits(app.deps.graph, [
  credit(catalogue, OPEN, unitA, 'REC-AO-OPEN', { aoUkprn: AO }),
  credit(catalogue, OPEN, unitB, 'REC-OTHER-OPEN', { aoUkprn: OTHER_AO }),
  credit(catalogue, CLOSED, unitA, 'REC-AO-CLOSED', { aoUkprn: AO }),
  credit(catalogue, CLOSED, unitB, 'REC-OTHER-CLOSED', { aoUkprn: OTHER_AO }),
  // Another AO's record that writes name (always refused: a write goes to the writer's own AO).
  credit(catalogue, CLOSED, unitA, OTHER_RECORD, { aoUkprn: OTHER_AO }),
  // The AO's own records that withdrawAchievement (no validate-only) really withdraws, one per allowed cell.
  ...SPARES.map((id) => credit(catalogue, OPEN, unitB, id, { aoUkprn: AO })),
]);

const bearer = async (caller: Caller, extra: { uln?: string } = {}): Promise<Record<string, string>> =>
  caller === 'anonymous' ? {} : { authorization: `Bearer ${await tokenFor(app, caller, extra)}` };
const operator = await bearer('operator');

/** A setup request that must succeed. */
async function must(
  method: string,
  url: string,
  payload: unknown,
  headers: Record<string, string>,
  status = [200, 201],
): Promise<any> {
  const res = await app.inject({ method: method as 'POST', url, payload: payload as object, headers });
  if (!status.includes(res.statusCode)) throw new Error(`setup ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body ? res.json() : undefined;
}

for (const [ukprn, name, kind] of [
  [AO, 'Matrix AO', 'ao'],
  [OTHER_AO, 'Matrix Other AO', 'ao'],
  [PROVIDER, 'Matrix College', 'provider'],
  [CAREERS, 'Matrix Careers', 'careers'],
  [OPERATOR_ORG, 'Matrix Operator', 'operator'],
]) {
  await must('POST', '/organisations', { ukprn, name, nation: 'GB-ENG', kind }, operator);
}
const roleOf = (org: string) => (org === PROVIDER ? 'provider-user' : 'ao-user');
/** A user and an API client in each organisation, for the admin routes to act on. */
const users: Record<string, string> = {};
const clients: Record<string, string> = {};
for (const org of [AO, OTHER_AO, PROVIDER]) {
  users[org] = (
    await must(
      'POST',
      `/organisations/${org}/users`,
      { email: `matrix.target.${org}@example.org`, roles: [roleOf(org)] },
      operator,
    )
  ).id;
  clients[org] = (
    await must('POST', `/organisations/${org}/clients`, { name: 'Matrix target', roles: [roleOf(org)] }, operator)
  ).id;
}
// A user who can sign in, and a client that can get tokens, for the token routes.
const before = smtp.messages.length;
await must('POST', `/organisations/${AO}/users`, { email: 'matrix.signin@example.org', roles: ['ao-user'] }, operator);
const [invitation] = (await smtp.waitFor(before + 1)).slice(before);
await must(
  'POST',
  '/auth/set-password',
  { token: decodeURIComponent(/token=([^\s]+)/.exec(invitation.text)![1]), password: PASSWORD },
  {},
);
const tokenClient = await must(
  'POST',
  `/organisations/${AO}/clients`,
  { name: 'Matrix feed', roles: ['ao-user'] },
  operator,
);

// Record links: made while both learners share; then the closed learner stops sharing.
const openLearner = await bearer('learner', { uln: OPEN });
const closedLearner = await bearer('learner', { uln: CLOSED });
const linkOpen = await must('POST', `/learners/${OPEN}/record-links`, { lifetimeHours: 24 }, openLearner);
const linkToRevoke = await must('POST', `/learners/${OPEN}/record-links`, { lifetimeHours: 24 }, openLearner);
const linkClosed = await must('POST', `/learners/${CLOSED}/record-links`, { lifetimeHours: 24 }, closedLearner);
const tokenOf = (created: { url: string }) => created.url.split('/record-links/')[1];
await must('PUT', `/learners/${CLOSED}/availability`, { available: false, channel: 'online' }, closedLearner);

// Challenges about one AO's record and about another's.
const challengeAo = (
  await must('POST', `/learners/${OPEN}/challenges`, { recordKey: `${AO}:REC-AO-OPEN`, reason: REASON }, openLearner)
).id;
const challengeOther = (
  await must(
    'POST',
    `/learners/${OPEN}/challenges`,
    { recordKey: `${OTHER_AO}:REC-OTHER-OPEN`, reason: REASON },
    openLearner,
  )
).id;

// Achievement batches of this AO and of another, validate-only (no worker runs here: they stay received).
/** A multipart upload of one tiny CSV, as app.inject takes it. */
async function batchForm(
  fields: Record<string, string> = {},
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const row: Record<string, string> = {
    record_id: 'MX-BATCH-1',
    action: 'ADD',
    uln: OPEN,
    given_name: 'Zephyrine',
    family_name: 'Quillfeather',
    date_of_birth: '2003-04-05',
    gender: 'F',
    urn: unitA,
    award_date: '2025-06-02',
    credit: '1',
    level: '1',
  };
  const csv = `${RECORD_FIELDS.join(',')}\n${RECORD_FIELDS.map((f) => row[f] ?? '').join(',')}\n`;
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([csv]), 'batch.csv');
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type')! },
  };
}
async function uploadAs(headers: Record<string, string>, fields: Record<string, string>): Promise<{ id: string }> {
  const form = await batchForm(fields);
  const res = await app.inject({
    method: 'POST',
    url: '/achievements/batches',
    payload: form.payload,
    headers: { ...headers, ...form.headers },
  });
  if (res.statusCode !== 202) throw new Error(`setup upload: ${res.statusCode} ${res.body}`);
  return res.json();
}
const ownBatch = await uploadAs(await bearer('ao-user'), { validateOnly: 'true' });
const otherBatch = await uploadAs(
  { authorization: `Bearer ${await tokenFor(app, 'ao-user', { subject: 'matrix-other-ao', organisation: OTHER_AO })}` },
  { validateOnly: 'true', batchId: OTHER_BATCH_KEY },
);
const spares = [...SPARES];

// --- what each case is about -----------------------------------------------------------------

/** What a request is about, chosen by the case being tested. */
interface About {
  uln: string;
  org: string;
  userId: string;
  clientId: string;
  challengeId: string;
  linkId: string;
  linkToken: string;
  /** An achievement record to read: the AO's own, or another AO's (with org). */
  recordId: string;
  /** An achievement record to withdraw (validate-only): the AO's own, or another AO's. */
  writeRecordId: string;
  /** An achievement batch: the AO's own, or another AO's. */
  batchId: string;
  /** A number of its own, for values that must be new (emails). */
  n: number;
}

type Case = 'default' | 'own' | 'other-org' | 'other-learner' | 'open' | 'closed';
let counter = 0;

function about(caller: Caller, c: Case): About {
  const callerOrg = caller === 'anonymous' ? undefined : PRINCIPALS[caller].organisation;
  // "yes" means whatever it is about: try it on what is least the caller's own.
  const other = c === 'other-org' || c === 'default';
  const org = other ? OTHER_AO : callerOrg === PROVIDER ? PROVIDER : AO;
  const learnerUln = c === 'closed' || c === 'other-learner' ? CLOSED : c === 'open' || c === 'own' ? OPEN : CLOSED;
  return {
    uln: learnerUln,
    org,
    userId: users[org],
    clientId: clients[org],
    challengeId: other ? challengeOther : challengeAo,
    linkId: learnerUln === OPEN ? linkToRevoke.link.id : linkClosed.link.id,
    linkToken: tokenOf(c === 'closed' ? linkClosed : linkOpen),
    recordId: other ? 'REC-OTHER-OPEN' : 'REC-AO-OPEN',
    writeRecordId: other ? OTHER_RECORD : 'REC-AO-CLOSED',
    batchId: other ? otherBatch.id : ownBatch.id,
    n: ++counter,
  };
}

// --- one request per route and field ---------------------------------------------------------

type RestRequest = {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** A portal form: sent urlencoded with the session's CSRF token. */
  form?: Record<string, string>;
};
type GqlRequest = { query: string; variables?: Record<string, unknown> };

const qan = encodeURIComponent(qualification.qan);
const csvHeaders = { 'content-type': 'text/csv' };
const learnerCsv = `uln,given_name,family_name,previous_family_name,date_of_birth,gender,postcode,email,available,linked_to\n${REGISTERED},Matrixa,Registera,,2001-01-01,F,,,true,\n`;
const verifyCsv = `uln,given_name,family_name,date_of_birth,gender\n${OPEN},Zephyrine,Quillfeather,2003-04-05,F\n`;
const registration = {
  uln: REGISTERED,
  givenName: 'Matrixa',
  familyName: 'Registera',
  dateOfBirth: '2001-01-01',
  gender: 'F',
};
const verification = {
  uln: OPEN,
  givenName: 'Zephyrine',
  familyName: 'Quillfeather',
  dateOfBirth: '2003-04-05',
  gender: 'F',
};
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
/** Availability as it already is, so that the cells do not change who shares. */
const keepAvailability = (a: About) =>
  a.uln === OPEN
    ? { available: true, channel: 'online' }
    : { available: false, channel: 'telephone', requestedAt: hourAgo() };
const keepAvailabilityFor = (caller: Caller, a: About) =>
  caller === 'operator'
    ? { ...keepAvailability(a), channel: 'telephone', requestedAt: hourAgo() }
    : keepAvailability(a);

async function signIn(): Promise<{ refreshToken: string }> {
  return must('POST', '/auth/login', { email: 'matrix.signin@example.org', password: PASSWORD }, {});
}

const REST: Record<string, (a: About, caller: Caller) => RestRequest | Promise<RestRequest>> = {
  'GET /health/live': () => ({ method: 'GET', url: '/health/live' }),
  'GET /health/ready': () => ({ method: 'GET', url: '/health/ready' }),
  'GET /operations/workers': () => ({ method: 'GET', url: '/operations/workers' }),
  'POST /operations/workers/heartbeat': () => ({ method: 'POST', url: '/operations/workers/heartbeat' }),
  'GET /operations/service-levels': () => ({ method: 'GET', url: '/operations/service-levels?month=2026-03' }),
  'GET /operations/service-levels.pdf': () => ({ method: 'GET', url: '/operations/service-levels.pdf?month=2026-03' }),
  'GET /metrics': () => ({ method: 'GET', url: '/metrics' }),
  'POST /operations/maintenance': () => ({
    method: 'POST',
    url: '/operations/maintenance',
    payload: {
      kind: 'planned',
      start: '2030-01-06T01:00:00Z',
      end: '2030-01-06T03:00:00Z',
      messageEn: 'Matrix maintenance',
      messageCy: 'Cynnal a chadw',
    },
  }),
  'GET /operations/maintenance': () => ({ method: 'GET', url: '/operations/maintenance' }),
  'POST /operations/maintenance/:id/end': () => ({ method: 'POST', url: '/operations/maintenance/mw-none/end' }),
  'POST /operations/desk-calls': () => ({
    method: 'POST',
    url: '/operations/desk-calls',
    payload: { receivedAt: hourAgo(), channel: 'telephone', summary: 'Matrix call', category: '3' },
  }),
  'GET /operations/desk-calls': () => ({ method: 'GET', url: '/operations/desk-calls' }),
  'PUT /operations/desk-calls/:id/category': () => ({
    method: 'PUT',
    url: '/operations/desk-calls/call-none/category',
    payload: { category: '2' },
  }),
  'POST /operations/desk-calls/:id/resolution': () => ({
    method: 'POST',
    url: '/operations/desk-calls/call-none/resolution',
    payload: { resolution: 'done' },
  }),
  'GET /service-status': () => ({ method: 'GET', url: '/service-status' }),
  'GET /docs': () => ({ method: 'GET', url: '/docs' }),
  'GET /docs/static/index.html': () => ({ method: 'GET', url: '/docs/static/index.html' }),
  'GET /docs/static/swagger-initializer.js': () => ({ method: 'GET', url: '/docs/static/swagger-initializer.js' }),
  'GET /docs/static/*': () => ({ method: 'GET', url: '/docs/static/swagger-ui.css' }),
  'GET /docs/json': () => ({ method: 'GET', url: '/docs/json' }),
  'GET /docs/yaml': () => ({ method: 'GET', url: '/docs/yaml' }),
  'GET /graphql': () => ({ method: 'GET', url: '/graphql?query=%7B__typename%7D' }),
  'POST /graphql': () => ({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } }),
  'GET /graphql/schema.graphql': () => ({ method: 'GET', url: '/graphql/schema.graphql' }),

  'GET /.well-known/jwks.json': () => ({ method: 'GET', url: '/.well-known/jwks.json' }),
  'GET /auth/whoami': () => ({ method: 'GET', url: '/auth/whoami' }),
  'POST /auth/login': () => ({
    method: 'POST',
    url: '/auth/login',
    payload: { email: 'matrix.signin@example.org', password: PASSWORD },
  }),
  'POST /auth/refresh': async () => ({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken: (await signIn()).refreshToken },
  }),
  'POST /auth/logout': async () => ({
    method: 'POST',
    url: '/auth/logout',
    payload: { refreshToken: (await signIn()).refreshToken },
  }),
  'POST /auth/set-password': () => ({
    method: 'POST',
    url: '/auth/set-password',
    payload: { token: 'not-a.real-token', password: PASSWORD },
  }),
  'POST /auth/token': () => ({
    method: 'POST',
    url: '/auth/token',
    payload: { grant_type: 'client_credentials', client_id: tokenClient.id, client_secret: tokenClient.secret },
  }),
  'POST /organisations': () => ({
    method: 'POST',
    url: '/organisations',
    payload: { ukprn: AO, name: 'Matrix AO', nation: 'GB-ENG', kind: 'ao' },
  }),
  'GET /organisations/:ukprn/users': (a) => ({ method: 'GET', url: `/organisations/${a.org}/users` }),
  'POST /organisations/:ukprn/users': (a) => ({
    method: 'POST',
    url: `/organisations/${a.org}/users`,
    payload: { email: `matrix.invited.${a.n}@example.org`, roles: [roleOf(a.org)] },
  }),
  'PUT /organisations/:ukprn/users/:id/roles': (a) => ({
    method: 'PUT',
    url: `/organisations/${a.org}/users/${a.userId}/roles`,
    payload: { roles: [roleOf(a.org)] },
  }),
  'POST /organisations/:ukprn/users/:id/disable': (a) => ({
    method: 'POST',
    url: `/organisations/${a.org}/users/${a.userId}/disable`,
  }),
  'POST /organisations/:ukprn/users/:id/enable': (a) => ({
    method: 'POST',
    url: `/organisations/${a.org}/users/${a.userId}/enable`,
  }),
  'GET /organisations/:ukprn/clients': (a) => ({ method: 'GET', url: `/organisations/${a.org}/clients` }),
  'POST /organisations/:ukprn/clients': (a) => ({
    method: 'POST',
    url: `/organisations/${a.org}/clients`,
    payload: { name: `Matrix client ${a.n}`, roles: [roleOf(a.org)] },
  }),
  'DELETE /organisations/:ukprn/clients/:id': (a) => ({
    method: 'DELETE',
    url: `/organisations/${a.org}/clients/${a.clientId}`,
  }),
  'POST /keys/rotate': () => ({ method: 'POST', url: '/keys/rotate' }),

  'GET /qualifications': () => ({ method: 'GET', url: '/qualifications?limit=5' }),
  'GET /qualifications/:qan/rules': () => ({ method: 'GET', url: `/qualifications/${qan}/rules` }),
  'GET /qualifications/:qan/rules (with uln)': (a) => ({
    method: 'GET',
    url: `/qualifications/${qan}/rules?uln=${a.uln}`,
  }),
  'GET /qualifications/:qan/rules.pdf': () => ({ method: 'GET', url: `/qualifications/${qan}/rules.pdf` }),
  'GET /qualifications/:qan/rules.pdf (with uln)': (a) => ({
    method: 'GET',
    url: `/qualifications/${qan}/rules.pdf?uln=${a.uln}`,
  }),
  'GET /learners/:uln/credit-check': (a) => ({
    method: 'GET',
    url: `/learners/${a.uln}/credit-check?urn=${encodeURIComponent(unitA)}`,
  }),
  'GET /learners/:uln/credit-check.pdf': (a) => ({
    method: 'GET',
    url: `/learners/${a.uln}/credit-check.pdf?urn=${encodeURIComponent(unitA)}`,
  }),
  'POST /catalogue': () => ({
    method: 'POST',
    url: '/catalogue?validateOnly=true',
    payload: JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json'), 'utf8')),
  }),

  'POST /learners': () => ({ method: 'POST', url: '/learners', payload: registration }),
  'POST /learners/import': () => ({
    method: 'POST',
    url: '/learners/import?validateOnly=true',
    payload: learnerCsv,
    headers: csvHeaders,
  }),
  'POST /learners/verify': () => ({ method: 'POST', url: '/learners/verify', payload: verification }),
  'POST /learners/verify/batch': () => ({
    method: 'POST',
    url: '/learners/verify/batch',
    payload: verifyCsv,
    headers: csvHeaders,
  }),
  'GET /learners/:uln/record': (a) => ({ method: 'GET', url: `/learners/${a.uln}/record` }),
  'GET /learners/:uln/record.pdf': (a) => ({ method: 'GET', url: `/learners/${a.uln}/record.pdf` }),
  'GET /me/record': () => ({ method: 'GET', url: '/me/record' }),
  'GET /me/record.pdf': () => ({ method: 'GET', url: '/me/record.pdf' }),
  'POST /learners/:uln/record-links': (a) => ({
    method: 'POST',
    url: `/learners/${a.uln}/record-links`,
    payload: { lifetimeHours: 1 },
  }),
  'GET /learners/:uln/record-links': (a) => ({ method: 'GET', url: `/learners/${a.uln}/record-links` }),
  'DELETE /learners/:uln/record-links/:id': (a) => ({
    method: 'DELETE',
    url: `/learners/${a.uln}/record-links/${a.linkId}`,
  }),
  'GET /record-links/:token': (a) => ({ method: 'GET', url: `/record-links/${a.linkToken}` }),
  'POST /pathways/data': () => ({
    method: 'POST',
    url: '/pathways/data',
    payload: { format: 'plr-pathways-1', occupations: [] },
  }),
  'POST /me/credentials': () => ({ method: 'POST', url: '/me/credentials', payload: {} }),
  'POST /credentials/verify': () => ({ method: 'POST', url: '/credentials/verify', payload: { credential: 'x.y.z' } }),
  'GET /credentials/status/:list': () => ({ method: 'GET', url: '/credentials/status/revocation-1' }),
  'GET /learners/:uln/access-log': (a) => ({ method: 'GET', url: `/learners/${a.uln}/access-log` }),
  'PUT /learners/:uln/availability': (a, caller) => ({
    method: 'PUT',
    url: `/learners/${a.uln}/availability`,
    payload: keepAvailabilityFor(caller, a),
  }),
  'GET /learners/:uln/availability': (a) => ({ method: 'GET', url: `/learners/${a.uln}/availability` }),
  'POST /learners/:uln/challenges': (a) => ({
    method: 'POST',
    url: `/learners/${a.uln}/challenges`,
    payload: { recordKey: `${AO}:${a.uln === OPEN ? 'REC-AO-OPEN' : 'REC-AO-CLOSED'}`, reason: REASON },
  }),
  'GET /learners/:uln/challenges': (a) => ({ method: 'GET', url: `/learners/${a.uln}/challenges` }),
  'GET /challenges': () => ({ method: 'GET', url: '/challenges?status=all' }),
  'GET /challenges/:id': (a) => ({ method: 'GET', url: `/challenges/${a.challengeId}` }),
  'POST /challenges/:id/resolution': (a) => ({
    method: 'POST',
    url: `/challenges/${a.challengeId}/resolution`,
    payload: { outcome: 'rejected', reason: 'The record matches the assessment evidence.' },
  }),

  'GET /learners/:uln/routes': (a) => ({ method: 'GET', url: `/learners/${a.uln}/routes` }),
  'GET /learners/:uln/routes.pdf': (a) => ({ method: 'GET', url: `/learners/${a.uln}/routes.pdf` }),
  'POST /routes/what-if': () => ({ method: 'POST', url: '/routes/what-if', payload: { plannedUnits: [unitA] } }),
  'POST /routes/what-if (with uln)': (a) => ({
    method: 'POST',
    url: '/routes/what-if',
    payload: { uln: a.uln, plannedUnits: [unitB] },
  }),

  'POST /achievements': (a) => ({
    method: 'POST',
    url: '/achievements?validateOnly=true',
    payload: { record_id: a.writeRecordId, action: 'WITHDRAW' },
  }),
  'POST /achievements (an array)': (a) => ({
    method: 'POST',
    url: '/achievements?validateOnly=true',
    payload: [{ record_id: a.writeRecordId, action: 'WITHDRAW' }],
  }),
  'GET /submission-deadlines': (a) => ({
    method: 'GET',
    url: `/submission-deadlines?awardDate=2025-06-02&ukprn=${a.org}`,
  }),
  'GET /achievements': (a) => ({ method: 'GET', url: `/achievements?ao=${a.org}&pageSize=5` }),
  'GET /achievements/:recordId': (a) => ({ method: 'GET', url: `/achievements/${a.recordId}?ao=${a.org}` }),
  // Another AO's case: its client batch id, which must name a new batch of this AO's, not answer the other's.
  'POST /achievements/batches': async (a) => ({
    method: 'POST',
    url: '/achievements/batches',
    ...(await batchForm({ validateOnly: 'true', ...(a.org === OTHER_AO ? { batchId: OTHER_BATCH_KEY } : {}) })),
  }),
  'GET /achievements/batches': (a) => ({ method: 'GET', url: `/achievements/batches?ao=${a.org}` }),
  'GET /achievements/batches/:id': (a) => ({ method: 'GET', url: `/achievements/batches/${a.batchId}` }),
  // Still received (no worker here), its job waiting: the operator's resume only notes it.
  'POST /achievements/batches/:id/resume': (a) => ({
    method: 'POST',
    url: `/achievements/batches/${a.batchId}/resume`,
  }),
  'GET /achievements/batches/:id/report.csv': (a) => ({
    method: 'GET',
    url: `/achievements/batches/${a.batchId}/report.csv`,
  }),

  // --- portal pages ---
  'GET /assets/*': () => ({ method: 'GET', url: '/assets/govuk-frontend.min.css' }),
  'GET /': () => ({ method: 'GET', url: '/' }),
  'GET /accessibility': () => ({ method: 'GET', url: '/accessibility?lang=cy' }),
  'GET /cookies': () => ({ method: 'GET', url: '/cookies' }),
  'GET /privacy': () => ({ method: 'GET', url: '/privacy' }),
  'GET /sign-in': () => ({ method: 'GET', url: '/sign-in' }),
  'POST /sign-in': () => ({
    method: 'POST',
    url: '/sign-in',
    form: { email: 'matrix.signin@example.org', password: PASSWORD },
  }),
  'POST /sign-out': () => ({ method: 'POST', url: '/sign-out', form: {} }),
  'GET /signed-out': () => ({ method: 'GET', url: '/signed-out' }),
  'GET /account': () => ({ method: 'GET', url: '/account' }),
  'GET /set-password': () => ({ method: 'GET', url: '/set-password?token=usr_nobody.x' }),
  'POST /set-password': () => ({
    method: 'POST',
    url: '/set-password',
    form: { token: 'usr_nobodyatall.notasecret', password: PASSWORD, confirm: PASSWORD },
  }),
  'GET /forgotten-password': () => ({ method: 'GET', url: '/forgotten-password' }),
  'POST /forgotten-password': (a) => ({
    method: 'POST',
    url: '/forgotten-password',
    form: { email: `matrix.nobody.${a.n}@example.org` },
  }),

  'GET /my-record': () => ({ method: 'GET', url: '/my-record' }),
  'GET /my-record.pdf': () => ({ method: 'GET', url: '/my-record.pdf' }),
  'GET /my-record/availability': () => ({ method: 'GET', url: '/my-record/availability' }),
  // Keeps the open learner sharing, as the other cells expect.
  'POST /my-record/availability': () => ({
    method: 'POST',
    url: '/my-record/availability',
    form: { available: 'yes' },
  }),
  'GET /my-record/access-log': () => ({ method: 'GET', url: '/my-record/access-log?lang=cy' }),

  'POST /analytics/cypher': () => ({
    method: 'POST',
    url: '/analytics/cypher',
    payload: { query: 'MATCH (u:Unit) RETURN count(u) AS units' },
  }),
};

const GQL: Record<string, (a: About, caller: Caller) => GqlRequest> = {
  'Query.health': () => ({ query: '{ health { ok } }' }),
  'Query.me': () => ({ query: '{ me { subject } }' }),
  'Query.workers': () => ({ query: '{ workers { name } }' }),
  'Query.qualification': () => ({
    query: 'query ($qan: String!) { qualification(qan: $qan) { title } }',
    variables: { qan: qualification.qan },
  }),
  'Qualification.progress': (a) => ({
    query:
      'query ($qan: String!, $uln: String!) { qualification(qan: $qan) { title progress(uln: $uln) { scope totalCredits allocation { creditId } } } }',
    variables: { qan: qualification.qan, uln: a.uln },
  }),
  'Query.qualifications': () => ({ query: '{ qualifications(limit: 5) { total } }' }),
  'Query.creditCheck': (a) => ({
    query:
      'query ($uln: String!, $urn: String!) { creditCheck(uln: $uln, urn: $urn) { scope records { recordId aoUkprn } } }',
    variables: { uln: a.uln, urn: unitA },
  }),
  'Query.routes': (a) => ({
    query: 'query ($uln: String!) { routes(uln: $uln) { scope candidates } }',
    variables: { uln: a.uln },
  }),
  'Query.whatIfRoutes': () => ({
    query: 'query ($units: [String!]!) { whatIfRoutes(plannedUnits: $units) { candidates } }',
    variables: { units: [unitA] },
  }),
  'Query.whatIfRoutes (with uln)': (a) => ({
    query:
      'query ($uln: String, $units: [String!]!) { whatIfRoutes(uln: $uln, plannedUnits: $units) { scope candidates } }',
    variables: { uln: a.uln, units: [unitB] },
  }),
  'Query.verifyLearner': () => ({
    query: 'query ($input: VerifyLearnerInput!) { verifyLearner(input: $input) { code } }',
    variables: { input: verification },
  }),
  'Query.learnerRecord': (a) => ({
    query:
      'query ($uln: String!) { learnerRecord(uln: $uln) { scope name { givenName familyName } byUnit { recordId } } }',
    variables: { uln: a.uln },
  }),
  'Query.myRecord': () => ({ query: '{ myRecord { uln byUnit { recordId } } }' }),
  'Query.accessLog': (a) => ({
    query: 'query ($uln: String!) { accessLog(uln: $uln) { total } }',
    variables: { uln: a.uln },
  }),
  'Query.availability': (a) => ({
    query: 'query ($uln: String!) { availability(uln: $uln) { available } }',
    variables: { uln: a.uln },
  }),
  'Query.challenges': () => ({ query: '{ challenges(status: "all") { total items { id recordKey reason } } }' }),
  'Query.learnerChallenges': (a) => ({
    query: 'query ($uln: String!) { learnerChallenges(uln: $uln) { id status } }',
    variables: { uln: a.uln },
  }),
  'Query.achievements': (a) => ({
    query: 'query ($ao: String) { achievements(ao: $ao, pageSize: 5) { ao items { recordId uln } } }',
    variables: { ao: a.org },
  }),
  'Query.achievement': (a) => ({
    query:
      'query ($id: String!, $ao: String) { achievement(recordId: $id, ao: $ao) { current { recordId uln } versions { version } } }',
    variables: { id: a.recordId, ao: a.org },
  }),
  'Query.achievementBatch': (a) => ({
    query: 'query ($id: ID!) { achievementBatch(id: $id) { id aoUkprn status } }',
    variables: { id: a.batchId },
  }),
  'Query.achievementBatches': (a) => ({
    query: 'query ($ao: String) { achievementBatches(ao: $ao) { id aoUkprn } }',
    variables: { ao: a.org },
  }),
  'Mutation.requestHeartbeat': () => ({ query: 'mutation { requestHeartbeat }' }),
  'Mutation.registerLearner': () => ({
    query: 'mutation ($input: RegisterLearnerInput!) { registerLearner(input: $input) { created } }',
    variables: { input: registration },
  }),
  'Mutation.setAvailability': (a, caller) => {
    const v = keepAvailabilityFor(caller, a);
    return {
      query:
        'mutation ($uln: String!, $available: Boolean!, $channel: String!, $requestedAt: String) { setAvailability(uln: $uln, available: $available, channel: $channel, requestedAt: $requestedAt) { __typename } }',
      variables: { uln: a.uln, ...v },
    };
  },
  'Mutation.fileChallenge': (a) => ({
    query: 'mutation ($uln: String!, $input: FileChallengeInput!) { fileChallenge(uln: $uln, input: $input) { id } }',
    variables: {
      uln: a.uln,
      input: { recordKey: `${AO}:${a.uln === OPEN ? 'REC-AO-OPEN' : 'REC-AO-CLOSED'}`, reason: REASON },
    },
  }),
  'Mutation.resolveChallenge': (a) => ({
    query:
      'mutation ($id: ID!, $input: ResolveChallengeInput!) { resolveChallenge(id: $id, input: $input) { status } }',
    variables: {
      id: a.challengeId,
      input: { outcome: 'rejected', reason: 'The record matches the assessment evidence.' },
    },
  }),
  'Mutation.submitAchievement': (a) => ({
    query:
      'mutation ($record: AchievementInput!) { submitAchievement(record: $record, validateOnly: true) { result record { recordId } } }',
    variables: { record: { record_id: a.writeRecordId, action: 'WITHDRAW' } },
  }),
  'Mutation.submitAchievements': (a) => ({
    query:
      'mutation ($records: [AchievementInput!]!) { submitAchievements(records: $records, validateOnly: true) { counts { rejected } items { code } } }',
    variables: { records: [{ record_id: a.writeRecordId, action: 'WITHDRAW' }] },
  }),
  // This one really withdraws: the AO's own cells each take a spare record of its own.
  'Mutation.withdrawAchievement': (a, caller) => ({
    query: 'mutation ($id: String!) { withdrawAchievement(recordId: $id) { result record { recordId } } }',
    variables: {
      id:
        a.writeRecordId === OTHER_RECORD || !['ao-user', 'ao-admin'].includes(caller)
          ? a.writeRecordId
          : (spares.shift() ?? 'AO-SPARE-NONE'),
    },
  }),
};

// --- the cases each rule is checked with -------------------------------------------------------

type Expectation =
  /** Allowed; `hide` must not appear (another AO's records); `impersonal`: no personal details either. */
  | { allow: true; hide?: string[]; impersonal?: boolean }
  /** Refused with this status (REST; or one of these) and one of these codes. */
  | { allow: false; status: number | number[]; codes: string[] }
  /** Either refused (401/403/404), or allowed without any of `hide`: a list of one's own organisation's items. */
  | { allow: 'hidden'; hide: string[] };

function cases(rule: Rule, caller: Caller): Array<[Case, Expectation]> {
  const refusedAs =
    caller === 'anonymous' ? { status: 401, codes: ['UNAUTHORIZED'] } : { status: 403, codes: ['FORBIDDEN'] };
  switch (rule) {
    case 'yes':
      return [['default', { allow: true }]];
    case 'no':
      return [['open', { allow: false, ...refusedAs }]];
    // Another organisation named: 403; another's record or batch named by its id: 404, as if absent.
    case 'own-org':
      return [
        ['own', { allow: true }],
        ['other-org', { allow: false, status: [403, 404], codes: ['FORBIDDEN', ...ABSENT_CODES] }],
      ];
    case 'self':
      return [
        ['own', { allow: true }],
        ['other-learner', { allow: false, status: 403, codes: ['FORBIDDEN'] }],
      ];
    case 'shared':
      return [
        ['open', { allow: true, impersonal: true }],
        ['closed', { allow: false, status: 403, codes: ['NOT_SHARED'] }],
      ];
    // Closed: the AO's own records only, and the answer says so where it has a scope.
    case 'shared-or-own':
      return [
        ['open', { allow: true, impersonal: true }],
        ['closed', { allow: true, impersonal: true, hide: ['REC-OTHER-CLOSED', '"scope":"all"'] }],
      ];
    case 'own-records':
      return [
        ['own', { allow: true }],
        ['other-org', { allow: 'hidden', hide: [challengeOther, 'REC-OTHER-OPEN', `"id":"${otherBatch.id}"`] }],
      ];
    case 'link':
      return [
        ['open', { allow: true }],
        ['closed', { allow: false, status: 403, codes: ['NOT_SHARED'] }],
      ];
  }
}

/** What came back, the same way for REST and GraphQL. */
interface Answer {
  status: number;
  codes: string[];
  body: string;
  fieldAnswered: boolean;
}

async function ask(entry: MatrixEntry, caller: Caller, a: About): Promise<Answer> {
  const headers = await bearer(caller, caller === 'learner' ? { uln: OPEN } : {});
  if (entry.kind === 'rest' && entry.page) {
    const req = await REST[entryName(entry)](a, caller);
    const browser = await browserFor(app, caller);
    const form = req.form ? formBody({ ...req.form, _csrf: browser.csrf }) : undefined;
    const res = await app.inject({
      method: req.method as 'GET',
      url: req.url,
      payload: form?.payload,
      headers: { ...browser.headers, ...form?.headers },
    });
    const outcome = pageOutcome(res);
    return { ...outcome, body: res.body, fieldAnswered: res.statusCode < 400 && outcome.codes.length === 0 };
  }
  if (entry.kind === 'rest') {
    const build = REST[entryName(entry)];
    const req = await build(a, caller);
    const res = await app.inject({
      method: req.method as 'GET',
      url: req.url,
      payload: req.payload as string,
      headers: { ...headers, ...req.headers },
    });
    const type = String(res.headers['content-type']);
    const json = /json/.test(type) ? res.json() : undefined;
    const body = /pdf/.test(type) ? pdfText(res.rawPayload) : res.body;
    return { status: res.statusCode, codes: json?.code ? [json.code] : [], body, fieldAnswered: res.statusCode < 300 };
  }
  const req = GQL[entryName(entry)](a, caller);
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: req, headers });
  const body = res.json();
  const codes = (body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code ?? 'NO_CODE');
  const top = entry.type === 'Query' || entry.type === 'Mutation' ? entry.field : 'qualification';
  return {
    status: res.statusCode,
    codes,
    body: res.body,
    fieldAnswered: body.data?.[top] != null && codes.length === 0,
  };
}

const AUTH_CODES = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_SHARED'];
/** "Not found", answered for another organisation's items named by id (E023: this AO has no such record). */
const ABSENT_CODES = ['BATCH_NOT_FOUND', 'RECORD_NOT_FOUND', 'NOT_FOUND', 'E023'];

function judge(t: Test, name: string, answer: Answer, expected: Expectation) {
  const refusedStatus = [401, 403, 404].includes(answer.status) && answer.codes.length > 0;
  const graphqlRefused = answer.codes.some((c) => AUTH_CODES.includes(c) || /NOT_FOUND$/.test(c));
  const refused = refusedStatus || graphqlRefused;
  if (expected.allow === true || (expected.allow === 'hidden' && !refused)) {
    t.ok(answer.status < 500, `${name}: allowed, and not a server error (${answer.status} ${answer.codes.join(',')})`);
    t.notOk(
      [401, 403].includes(answer.status) || answer.codes.some((c) => AUTH_CODES.includes(c)),
      `${name}: allowed, not refused (${answer.status} ${answer.codes.join(',')})`,
    );
    const hide = [...(expected.hide ?? []), ...(expected.allow === true && expected.impersonal ? PERSONAL : [])];
    const leaked = hide.filter((s) => answer.body.includes(s));
    t.same(leaked, [], `${name}: nothing it may not see`);
    return;
  }
  if (expected.allow === 'hidden') {
    t.ok(refused, `${name}: refused or hidden`);
  } else {
    if (answer.codes.length > 0 && answer.status === 200) {
      t.ok(
        answer.codes.some((c) => expected.codes.includes(c)),
        `${name}: refused with ${expected.codes.join(' or ')} (got ${answer.codes.join(',')})`,
      );
    } else {
      const statuses = ([] as number[]).concat(expected.status);
      t.ok(
        statuses.includes(answer.status),
        `${name}: refused with ${statuses.join(' or ')} (got ${answer.status} ${answer.codes.join(',')})`,
      );
      t.ok(
        answer.codes.some((c) => expected.codes.includes(c)),
        `${name}: code ${expected.codes.join(' or ')} (got ${answer.codes.join(',')})`,
      );
    }
    t.notOk(answer.fieldAnswered, `${name}: no answer to the question`);
  }
  const leaked = SECRETS.filter((s) => answer.body.includes(s));
  t.same(leaked, [], `${name}: nothing leaks in the refusal`);
}

// --- the tests ---------------------------------------------------------------------------------

t.test('the table lists every route and every GraphQL field, and nothing that is gone', async (t) => {
  const schema = app.graphql.schema;
  const fields = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
  ];
  const { unlisted, stale } = matrixGaps(app.registeredRoutes, fields);
  t.same(
    unlisted,
    [],
    `routes and fields missing from src/platform/access-matrix.ts ACCESS_MATRIX (add a row for each, then run npx tsx scripts/access-matrix-doc.ts):\n  ${unlisted.join('\n  ')}`,
  );
  t.same(stale, [], `rows for routes or fields that no longer exist:\n  ${stale.join('\n  ')}`);
  const names = ACCESS_MATRIX.map(entryName);
  t.same(
    names.filter((n, i) => names.indexOf(n) !== i),
    [],
    'no row twice',
  );
  for (const e of ACCESS_MATRIX) {
    t.same(Object.keys(e.rules).sort(), [...CALLERS].sort(), `${entryName(e)}: a rule for every caller`);
    t.ok(e.kind === 'rest' ? REST[entryName(e)] : GQL[entryName(e)], `${entryName(e)}: this test knows how to call it`);
  }
});

t.test("each route's declared access agrees with its row", async (t) => {
  for (const e of ACCESS_MATRIX) {
    if (e.kind !== 'rest' || e.variant) continue;
    const route = app.registeredRoutes.find((r) => r.method === e.method && r.url === e.url);
    if (!route) continue; // reported by the test above
    const name = entryName(e);
    if (e.url.startsWith('/docs') || e.url === '/graphql') {
      t.equal(e.rules.anonymous, 'yes', `${name}: open (it authorises on its own terms)`);
      continue;
    }
    if (e.rules.anonymous !== 'no') {
      t.same(route.access, { public: true }, `${name}: declared public, as the table says`);
    } else {
      t.same(
        route.access && 'roles' in route.access ? [...route.access.roles].sort() : null,
        rolesAllowed(e.rules).sort(),
        `${name}: declared roles are the table's`,
      );
    }
  }
});

t.test('docs/access-control.md shows the table as it is', async (t) => {
  const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'access-control.md'), 'utf8');
  t.equal(
    doc,
    withMatrix(doc),
    'in step with src/platform/access-matrix.ts (regenerate: npx tsx scripts/access-matrix-doc.ts)',
  );
});

t.test('every cell, by a real request', async (t) => {
  const started = Date.now();
  let requests = 0;
  for (const entry of ACCESS_MATRIX) {
    await t.test(entryName(entry), async (t) => {
      for (const caller of CALLERS) {
        for (const [c, expected] of cases(entry.rules[caller], caller)) {
          const answer = await ask(entry, caller, about(caller, c));
          requests++;
          judge(t, `${caller} (${entry.rules[caller]}, ${c})`, answer, expected);
        }
      }
    });
  }
  t.comment(`${requests} requests in ${Date.now() - started} ms`);
});

t.test('the matrix covers each role of SPEC 6', async (t) => {
  t.same([...CALLERS], ['anonymous', ...ROLES]);
  for (const role of ROLES)
    t.ok(
      ACCESS_MATRIX.some((e) => e.rules[role] !== 'no' && e.rules.anonymous === 'no'),
      `${role} may do something that needs a token`,
    );
});
