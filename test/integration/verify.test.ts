import t from 'tap';
import { parse } from 'csv-parse/sync';
import { setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { MAX_LINK_DEPTH } from '../../src/learners/verify.js';
import { MAX_VERIFY_BATCH_ROWS, VERIFY_LOOKUP_CHUNK, verifyBatch } from '../../src/learners/verify/service.js';
import { OUTPUT_COLUMNS } from '../../src/learners/verify/batch.js';
import type { Role } from '../../src/platform/auth.js';
import type { App } from '../../src/app.js';
import { validUlns } from '../helpers/ulns.js';

const [MASTER, LINKED, LINKED_TWICE, BROKEN, LOOP_A, LOOP_B, STUB, UNREGISTERED, NOWHERE] = validUlns(840100000, 9);
/** A chain of merges: CHAIN[0] -> CHAIN[1] -> ... ; CHAIN[MAX_LINK_DEPTH] is reached in exactly MAX_LINK_DEPTH links. */
const CHAIN = validUlns(840200000, MAX_LINK_DEPTH + 1);
const TOO_FAR = validUlns(840300000, 1)[0];

const DETAILS = {
  givenName: 'Siân',
  familyName: 'Llewellyn-Price',
  previousFamilyName: 'Morgan',
  dateOfBirth: '2003-02-14',
  gender: 'F',
  postcode: 'CF10 1AA',
};
/** What an AO sends for the master learner. */
const SENT = {
  uln: MASTER,
  givenName: 'Sian',
  familyName: 'Llewellyn Price',
  dateOfBirth: '2003-02-14',
  gender: 'F',
  postcode: 'cf101aa',
};

async function registerFixtures(app: App): Promise<void> {
  const graph = app.deps.graph;
  await upsertLearners(graph, [
    learner(MASTER, DETAILS),
    // A duplicate registration with out-of-date details, merged into the master.
    learner(LINKED, {
      givenName: 'Sian',
      familyName: 'Morgan',
      dateOfBirth: '2003-02-14',
      gender: 'F',
      linkedTo: MASTER,
    }),
    learner(LINKED_TWICE, { linkedTo: LINKED }),
    learner(BROKEN, { linkedTo: NOWHERE }),
    learner(LOOP_A, { linkedTo: LOOP_B }),
    learner(LOOP_B, { linkedTo: LOOP_A }),
    ...CHAIN.map((uln, i) => learner(uln, { ...DETAILS, ...(i < MAX_LINK_DEPTH ? { linkedTo: CHAIN[i + 1] } : {}) })),
    learner(TOO_FAR, { ...DETAILS, linkedTo: CHAIN[0] }),
  ]);
  // A ULN the graph knows only from an achievement: it was never registered.
  const c = await loadSample(graph);
  await recordUnitCredits(graph, [credit(c, STUB, 'F/603/2201', 'v1')]);
}

async function headers(app: App, role: Role) {
  return { authorization: `Bearer ${await tokenFor(app, role)}` };
}

t.test('POST /learners/verify: each answer code', async (t) => {
  const { app } = await setupApp(t);
  await registerFixtures(app);
  const auth = await headers(app, 'ao-user');
  const verify = async (body: object) => {
    const res = await app.inject({ method: 'POST', url: '/learners/verify', payload: body, headers: auth });
    t.equal(res.statusCode, 200);
    return res.json();
  };
  const summary = (a: any) => [a.code, a.outcome, a.masterUln ?? null, a.mismatches, a.flags];

  t.same(summary(await verify(SENT)), ['WSVRC001', 'match', null, [], []], 'names, postcode normalised: a match');
  t.same(
    summary(await verify({ ...SENT, postcode: undefined })),
    ['WSVRC001', 'match', null, [], []],
    'postcode is optional',
  );

  t.same(
    summary(await verify({ ...SENT, uln: LINKED })),
    ['WSVRC002', 'linked-match', MASTER, [], []],
    'a merged ULN: compared with the master, whose ULN comes back',
  );
  t.same(
    summary(await verify({ ...SENT, uln: LINKED_TWICE })),
    ['WSVRC002', 'linked-match', MASTER, [], []],
    'links are followed to the end',
  );
  t.same(
    summary(await verify({ ...SENT, uln: CHAIN[0] })),
    ['WSVRC002', 'linked-match', CHAIN[MAX_LINK_DEPTH], [], []],
    `${MAX_LINK_DEPTH} links are followed in one look-up`,
  );

  const typo = await verify({ ...SENT, familyName: 'Llewelyn-Price' });
  t.same(summary(typo), ['WSVRC003', 'similar-match', null, ['familyName'], ['VRF2', 'VRF6']]);
  t.same(typo.similarities, ['typo:familyName']);
  t.same((await verify({ ...SENT, givenName: SENT.familyName, familyName: SENT.givenName })).similarities, [
    'names-swapped',
  ]);
  t.same((await verify({ ...SENT, familyName: 'Morgan' })).similarities, ['previous-family-name']);

  const fields: [string, object, string, string][] = [
    ['given name', { givenName: 'Bethan' }, 'givenName', 'VRF1'],
    ['family name', { familyName: 'Pritchard' }, 'familyName', 'VRF2'],
    ['date of birth', { dateOfBirth: '2003-02-15' }, 'dateOfBirth', 'VRF3'],
    ['gender', { gender: 'M' }, 'gender', 'VRF4'],
    ['postcode', { postcode: 'CF11 9XR' }, 'postcode', 'VRF5'],
  ];
  for (const [name, change, field, flag] of fields) {
    const a = await verify({ ...SENT, ...change });
    t.same(summary(a), ['WSVRC004', 'no-match', null, [field], [flag]], `${name} differs`);
    t.notMatch(a.message, /Bethan|Pritchard|2003|CF1/, 'the message repeats no detail');
  }
  t.same(
    summary(await verify({ ...SENT, uln: LINKED, dateOfBirth: '2003-02-15' })),
    ['WSVRC004', 'no-match', MASTER, ['dateOfBirth'], ['VRF3']],
    'a merged ULN that does not match still names its master',
  );

  t.same(summary(await verify({ ...SENT, uln: UNREGISTERED })), ['WSVRC005', 'not-found', null, [], []]);
  t.same(
    summary(await verify({ ...SENT, uln: STUB })),
    ['WSVRC005', 'not-found', null, [], []],
    'known from an achievement only: not on the register',
  );
  t.equal((await verify({ ...SENT, uln: BROKEN })).linkProblem, 'master-not-found');
  t.equal((await verify({ ...SENT, uln: LOOP_A })).linkProblem, 'link-loop');
  t.equal(
    (await verify({ ...SENT, uln: TOO_FAR })).linkProblem,
    'link-too-long',
    `more than ${MAX_LINK_DEPTH} links: not confirmed`,
  );

  const leadingZero = await verify({ ...SENT, uln: '0123456789' });
  t.same(
    [leadingZero.code, leadingZero.ulnProblem],
    ['WSVRC006', 'leading-zero'],
    'ten digits that break a ULN rule are an answer',
  );
  t.equal(
    (await verify({ ...SENT, uln: `${MASTER.slice(0, 9)}${(Number(MASTER[9]) + 1) % 10}` })).ulnProblem,
    'check-digit',
  );
  t.equal((await verify({ ...SENT, uln: '9999999999' })).ulnProblem, 'temporary');
});

t.test('POST /learners/verify: bad input names the field; roles', async (t) => {
  const { app } = await setupApp(t);
  await registerFixtures(app);
  const auth = await headers(app, 'provider-user');
  const post = (body: object, h: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: '/learners/verify', payload: body, headers: h });
  const fieldsOf = (res: any) => res.json().details.map((d: any) => d.field);

  const missing = await post({ ...SENT, givenName: undefined });
  t.equal(missing.statusCode, 400);
  t.same(fieldsOf(missing), ['givenName'], 'a missing field');
  const blank = await post({ ...SENT, uln: '  ' });
  t.equal(blank.statusCode, 400);
  t.same(
    blank.json().details.map((d: any) => [d.field, d.code]),
    [['uln', 'missing']],
    'a blank ULN is a missing field',
  );
  const malformed = await post({ ...SENT, uln: '12345' });
  t.equal(malformed.statusCode, 400, 'a ULN that is not even ten digits is bad input');
  t.same(
    malformed.json().details.map((d: any) => [d.field, d.code]),
    [['uln', 'uln-malformed']],
  );
  const future = await post({ ...SENT, dateOfBirth: '2999-12-31' });
  t.equal(future.statusCode, 400);
  t.same(
    future.json().details.map((d: any) => [d.field, d.code]),
    [['dateOfBirth', 'date-in-future']],
  );
  t.notMatch(future.json().message, /2999/);
  t.same(
    (await post({ ...SENT, dateOfBirth: '2003-02-30' })).json().details.map((d: any) => d.code),
    ['date-invalid'],
  );
  t.same(
    (await post({ ...SENT, gender: 'Q', familyName: '--' })).json().details.map((d: any) => [d.field, d.code]),
    [
      ['familyName', 'name-invalid'],
      ['gender', 'gender-invalid'],
    ],
  );

  for (const role of ['learner', 'analyst'] as Role[]) {
    t.equal((await post(SENT, await headers(app, role))).statusCode, 403, `${role}: refused`);
  }
  t.equal((await post(SENT, {})).statusCode, 401);
  for (const role of ['ao-admin', 'provider-admin', 'careers-adviser', 'operator'] as Role[]) {
    t.equal((await post(SENT, await headers(app, role))).statusCode, 200, `${role}: may verify`);
  }
});

t.test('POST /learners/verify/batch: CSV in, CSV out', async (t) => {
  const { app } = await setupApp(t);
  await registerFixtures(app);
  const auth = { ...(await headers(app, 'ao-admin')), 'content-type': 'text/csv' };
  const body = [
    'gender,Date_of_Birth,family_name,given_name,ULN',
    `F,2003-02-14,Llewellyn-Price,Siân,${MASTER}`,
    `F,2003-02-14,Llewellyn-Price,Siân,${LINKED}`,
    `F,2003-02-14,Llewelyn-Price,Siân,${MASTER}`,
    '',
    `M,2003-02-14,Llewellyn-Price,Siân,${MASTER}`,
    `F,2003-02-14,Llewellyn-Price,Siân,${UNREGISTERED}`,
    'F,2003-02-14,Llewellyn-Price,Siân,not-a-uln',
    `F,2099-02-14,Llewellyn-Price,Siân,${MASTER}`,
    `F,2003-02-14,,Siân,${MASTER}`,
    `F,2003-02-14,"Llewellyn, Price",Siân`,
    `F,2003-02-14,"O'Neil ""Jr""",Siân,${MASTER}`,
  ].join('\r\n');
  const res = await app.inject({ method: 'POST', url: '/learners/verify/batch', payload: body, headers: auth });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv/);
  const [head, ...lines] = parse(res.body) as string[][];
  t.same(head, [...OUTPUT_COLUMNS]);
  t.equal(lines.length, 10, 'one line per data row; the blank line is skipped');
  const col = (name: string) => OUTPUT_COLUMNS.indexOf(name as (typeof OUTPUT_COLUMNS)[number]);
  t.same(
    lines.map((l) => [l[col('row')], l[col('code')], l[col('master_uln')]]),
    [
      ['2', 'WSVRC001', ''],
      ['3', 'WSVRC002', MASTER],
      ['4', 'WSVRC003', ''],
      ['6', 'WSVRC004', ''],
      ['7', 'WSVRC005', ''],
      ['8', 'ROW_INVALID', ''],
      ['9', 'ROW_INVALID', ''],
      ['10', 'ROW_INVALID', ''],
      ['11', 'ROW_INVALID', ''],
      ['12', 'WSVRC004', ''],
    ],
  );
  t.same([lines[2][col('mismatches')], lines[2][col('flags')]], ['family_name', 'VRF2;VRF6']);
  t.same(
    [lines[3][col('mismatches')], lines[3][col('flags')], lines[3][col('outcome')]],
    ['gender', 'VRF4', 'no-match'],
  );
  t.same(
    lines[0].slice(col('uln'), col('postcode') + 1),
    [MASTER, 'Siân', 'Llewellyn-Price', '2003-02-14', 'F', ''],
    'input columns echoed in the standard order',
  );
  t.match(lines[6][col('message')], /date_of_birth is in the future/);
  t.match(lines[7][col('message')], /family_name is required/);
  t.match(lines[8][col('message')], /4 fields but the header has 5/);
  t.equal(lines[9][col('family_name')], 'O\'Neil "Jr"', 'quotes survive the round trip');
  t.notMatch(lines.map((l) => l[col('message')]).join(' '), /Siân|Llewellyn|2003-02-14/, 'messages repeat no detail');

  const learnerRole = await app.inject({
    method: 'POST',
    url: '/learners/verify/batch',
    payload: body,
    headers: { ...(await headers(app, 'learner')), 'content-type': 'text/csv' },
  });
  t.equal(learnerRole.statusCode, 403);
  const analyst = await app.inject({
    method: 'POST',
    url: '/learners/verify/batch',
    payload: body,
    headers: { ...(await headers(app, 'analyst')), 'content-type': 'text/csv' },
  });
  t.equal(analyst.statusCode, 403);
});

t.test('verification batch: what refuses the whole batch, and the size cap', async (t) => {
  const { app } = await setupApp(t);
  await registerFixtures(app);
  const auth = { ...(await headers(app, 'operator')), 'content-type': 'text/csv' };
  const post = (payload: string) =>
    app.inject({ method: 'POST', url: '/learners/verify/batch', payload, headers: auth });

  const badHeader = await post('uln,forename,family_name,date_of_birth,gender\n');
  t.equal(badHeader.statusCode, 400);
  t.equal(badHeader.json().code, 'CSV_INVALID');
  t.same(
    badHeader.json().details.errors.map((e: any) => e.code),
    ['unknown-column', 'missing-column'],
  );
  t.same(
    (await post('')).json().details.errors.map((e: any) => e.code),
    ['empty-file'],
  );
  t.same(
    (await post(`uln,given_name,family_name,date_of_birth,gender\n"${MASTER}"x,A,B,2000-01-01,F\n`))
      .json()
      .details.errors.map((e: any) => e.code),
    ['csv-syntax'],
  );

  const rows = (n: number) =>
    `uln,given_name,family_name,date_of_birth,gender\n${Array.from({ length: n }, () => `${MASTER},Siân,Llewellyn-Price,2003-02-14,F`).join('\n')}\n`;
  const full = await post(rows(MAX_VERIFY_BATCH_ROWS));
  t.equal(full.statusCode, 200, `${MAX_VERIFY_BATCH_ROWS} rows are fine`);
  t.equal(parse(full.body).length, MAX_VERIFY_BATCH_ROWS + 1);
  const over = await post(rows(MAX_VERIFY_BATCH_ROWS + 1));
  t.equal(over.statusCode, 413);
  t.equal(over.json().code, 'BATCH_TOO_LARGE');
  const huge = await post(`uln,given_name,family_name,date_of_birth,gender\n${'x'.repeat(5 * 1024 * 1024)}\n`);
  t.equal(huge.statusCode, 413, 'a body over the limit is refused before it is read');
});

t.test('a batch looks the register up once per chunk of ULNs, not once per row', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const ulns = validUlns(850000000, VERIFY_LOOKUP_CHUNK * 2 + 10);
  await upsertLearners(
    graph,
    ulns.slice(0, 100).map((u) => learner(u)),
  );
  const text = `uln,given_name,family_name,date_of_birth,gender\n${ulns.map((u) => `${u},Ada,Lovelace,2004-12-10,F`).join('\n')}\n`;
  const read = graph.read.bind(graph);
  const names: string[] = [];
  graph.read = async (name: string, params?: Record<string, unknown>) => {
    // The maintenance gate reads its windows on a timer of its own; only the batch's reads count here.
    if (name.startsWith('learners/')) names.push(name);
    return read(name, params);
  };
  t.teardown(() => {
    graph.read = read;
  });
  const result = await verifyBatch(graph, text, '2026-01-01');
  t.same(
    names,
    ['learners/verify-lookup', 'learners/verify-lookup', 'learners/verify-lookup'],
    'three chunks, three statements',
  );
  t.equal(result.codes.WSVRC001, 100);
  t.equal(result.codes.WSVRC005, ulns.length - 100);
});

t.test('GraphQL verifyLearner', async (t) => {
  const { app } = await setupApp(t);
  await registerFixtures(app);
  const gql = async (input: string, role?: Role) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: {
          query: `{ verifyLearner(input: { ${input} }) { code outcome masterUln mismatches flags similarities message } }`,
        },
        headers: role ? await headers(app, role) : {},
      })
    ).json();
  const input = (uln: string, extra = '') =>
    `uln: "${uln}", givenName: "Siân", familyName: "Llewellyn-Price", dateOfBirth: "2003-02-14", gender: "F"${extra}`;

  t.equal((await gql(input(MASTER), 'careers-adviser')).data.verifyLearner.code, 'WSVRC001');
  const linked = (await gql(input(LINKED), 'ao-user')).data.verifyLearner;
  t.same([linked.code, linked.masterUln], ['WSVRC002', MASTER]);
  const mismatch = (await gql(input(MASTER, ', postcode: "NP20 1AB"'), 'ao-user')).data.verifyLearner;
  t.same([mismatch.code, mismatch.mismatches, mismatch.flags], ['WSVRC004', ['postcode'], ['VRF5']]);
  const bad = await gql(
    `uln: "${MASTER}", givenName: "Siân", familyName: "Llewellyn-Price", dateOfBirth: "2099-01-01", gender: "F"`,
    'ao-user',
  );
  t.equal(bad.errors[0].extensions.code, 'VALIDATION');
  t.equal(bad.errors[0].extensions.details[0].field, 'dateOfBirth');
  t.equal((await gql(input(MASTER), 'analyst')).errors[0].extensions.code, 'FORBIDDEN');
  t.equal((await gql(input(MASTER), 'learner')).errors[0].extensions.code, 'FORBIDDEN');
  t.equal((await gql(input(MASTER))).errors[0].extensions.code, 'UNAUTHORIZED');
});
