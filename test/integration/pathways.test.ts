/**
 * OCF 06, Routes to Achievement, against the real Neo4j: the sample catalogue plus
 * hand-made providers, occupations and funding rules whose answers can be worked out by
 * hand. The plugin is registered on a fresh app here; src/app.ts does not know it yet.
 */
import t, { type Test } from 'tap';
import { buildSchema } from 'graphql';
import { setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { isPdf, pdfText } from '../helpers/pdf.js';
import { loadPathwayData } from '../../src/pathways/repository.js';
import { generatePathwayData, type PathwayData } from '../../src/pathways/generator.js';
import { learnerRoutes, whatIfRoutes } from '../../src/pathways/service.js';
import { pathwaysSdl, routesForGraphql } from '../../src/pathways/graphql.js';
import { catalogueSdl } from '../../src/catalogue/graphql.js';
import { catalogueSnapshot } from '../../src/catalogue/repository.js';
import type { Role } from '../../src/platform/auth.js';

process.env.PDF_UNCOMPRESSED = '1';

const ULN = '9276308686'; // shares; born 2004-12-10: age band 19-23 on DATE
const HIDDEN = '1000000019'; // has made the record unavailable
const YOUNG = '1000000027'; // born 2008-01-01: 16-18 on DATE
const DATE = '2025-06-01';

// Operational on DATE in the sample: 600/1101/4 (L2 food safety award), 601/2201/3 (L3 kitchen
// diploma), 600/3301/1 (L1 customer service award), 601/4401/7 (L2 adult social care).
const FOOD_AWARD = '600/1101/4';
const KITCHEN = '601/2201/3';
const CUSTOMER = '600/3301/1';
const CARE = '601/4401/7';
const CARE_UNITS = ['H/604/5501', 'K/604/5502', 'M/604/5503', 'T/604/5504', 'A/604/5505'];

const DATA: PathwayData = {
  providers: [
    {
      ukprn: '10000011',
      name: 'Northgate College',
      region: 'London',
      offers: [
        { urn: 'Y/603/2206', from: '2020-01-01', to: null },
        { urn: 'D/603/2205', from: '2020-01-01', to: null },
        ...CARE_UNITS.map((urn) => ({ urn, from: '2022-09-01', to: null })),
      ],
    },
    {
      ukprn: '10000012',
      name: 'Riverside Training',
      region: 'North West',
      offers: [
        { urn: 'J/603/2202', from: '2021-01-01', to: null },
        { urn: 'Y/603/2206', from: '2021-01-01', to: '2024-12-31' }, // ended before DATE
        ...[
          'H/602/7701',
          'K/602/7702',
          'A/602/7705',
          'M/602/7703',
          'T/602/7704',
          'A/601/4105',
          'L/601/4108',
          'R/601/4109',
          'D/601/4110',
          'F/601/4106',
          'L/603/2203',
        ].map((urn) => ({ urn, from: '2021-01-01', to: null })),
      ],
    },
  ],
  occupations: [
    { code: 'CHEF', title: 'Chef', qans: [KITCHEN, FOOD_AWARD] },
    { code: 'CARE', title: 'Care worker', qans: [CARE] },
  ],
  fundingRules: [
    { id: 'young', name: '16 to 18', ageBands: ['16-18'], maxLevel: '2', qans: [CUSTOMER, CARE, KITCHEN] },
    { id: 'loans', name: 'Loans', ageBands: ['19-23', '24+'], maxLevel: null, qans: [KITCHEN] },
  ],
};

const { app } = await setupApp(t);
const graph = app.deps.graph;
const catalogue = await loadSample(graph);
const loaded = await loadPathwayData(graph, DATA);
await upsertLearners(graph, [
  learner(ULN),
  learner(HIDDEN, { available: false }),
  learner(YOUNG, { dateOfBirth: '2008-01-01' }),
]);
await recordUnitCredits(graph, [
  credit(catalogue, ULN, 'F/603/2201', 'p1', { awardDate: '2024-05-01' }),
  credit(catalogue, ULN, 'R/603/2204', 'p2', { awardDate: '2024-05-01' }),
  credit(catalogue, ULN, 'T/601/4104', 'p3', { awardDate: '2024-05-01' }),
  credit(catalogue, ULN, 'J/603/2202', 'p4', { awardDate: '2024-05-01', status: 'withdrawn' }),
  credit(catalogue, HIDDEN, 'F/603/2201', 'p5'),
  credit(catalogue, YOUNG, 'R/603/2204', 'p6'),
]);

const as = async (role: Role, url: string, extra = {}) =>
  app.inject({ url, headers: { authorization: `Bearer ${await tokenFor(app, role, extra)}` } });
const routesOf = async (t: Test, query: string, role: Role = 'careers-adviser', uln = ULN) => {
  const res = await as(role, `/learners/${uln}/routes?date=${DATE}${query}`);
  t.equal(res.statusCode, 200, `routes${query} answers`);
  return res.json();
};
const whatIf = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/routes/what-if', payload, headers });
const qans = (list: { qan: string }[]) => list.map((r) => r.qan);

t.test('loading the filter data is idempotent', async (t) => {
  t.same(loaded, { providers: 2, offers: 20, occupations: 2, occupationLinks: 3, fundingRules: 2, fundingLinks: 4 });
  const before = await catalogueSnapshot(graph);
  await loadPathwayData(graph, DATA);
  t.same(
    await catalogueSnapshot(graph),
    before,
    'loading again leaves the catalogue, and every node and edge it touches, as it was',
  );
});

t.test("a learner's routes, ranked by extra credits", async (t) => {
  const body = await routesOf(t, '');
  t.equal(body.uln, ULN);
  t.equal(body.scope, 'all');
  t.same(
    qans(body.routes),
    [CUSTOMER, CARE, KITCHEN],
    'closed qualifications (600/1102/6, 600/3302/3) are not offered as routes',
  );
  const [customer, care, kitchen] = body.routes;
  t.same(
    [customer.extraCredits, customer.extraUnits],
    [1, 1],
    'the customer service award needs 6 in group A: F 3 + R 2 held, Y/603/2206 (1) tops it up',
  );
  t.same(
    customer.unitsToTake.map((u: any) => u.urn),
    ['Y/603/2206'],
  );
  t.same(customer.groupsFilled, [{ group: 'A', units: ['Y/603/2206'] }]);
  t.same(
    customer.unitsToTake[0].providers.map((p: any) => p.name),
    ['Northgate College'],
    'who offers the unit on the date (the ended offer is not listed)',
  );
  t.same(
    [care.extraCredits, care.extraUnits],
    [13, 5],
    'the five mandatory care units; R/603/2204 fills the optional group',
  );
  t.same(care.unitsToTake.map((u: any) => u.urn).sort(), [...CARE_UNITS].sort());
  t.ok(kitchen.extraCredits > care.extraCredits);
  t.equal(kitchen.optimal, true);
  t.ok(
    kitchen.groupsFilled.some((g: any) => g.group === 'A'),
    "the kitchen diploma's mandatory group is filled by units to take",
  );
  t.same(kitchen.occupations, ['CHEF']);
  t.same(body.unreachable, []);
  t.ok(body.candidates >= 3);
});

t.test('a combined route: one set of units completes two qualifications', async (t) => {
  const body = await routesOf(t, '');
  const pair = body.combined.find((c: any) => c.qans.includes(CUSTOMER) && c.qans.includes(KITCHEN));
  t.ok(pair, 'the customer service award and the kitchen diploma share group-C units');
  const kitchen = body.routes.find((r: any) => r.qan === KITCHEN);
  const customer = body.routes.find((r: any) => r.qan === CUSTOMER);
  t.equal(pair.separateCredits, kitchen.extraCredits + customer.extraCredits);
  t.ok(pair.extraCredits < pair.separateCredits, 'sharing costs less than the two routes apart');
  t.equal(pair.saving, pair.separateCredits - pair.extraCredits);
  t.ok(pair.shared.length > 0, 'the shared units are named');
  t.ok(pair.shared.every((urn: string) => pair.unitsToTake.some((u: any) => u.urn === urn)));
});

t.test('filter: level', async (t) => {
  t.same(qans((await routesOf(t, '&level=1')).routes), [CUSTOMER]);
  t.same(qans((await routesOf(t, '&minLevel=2')).routes), [CARE, KITCHEN]);
  t.same(qans((await routesOf(t, '&minLevel=2&maxLevel=2')).routes), [CARE]);
  const bad = await as('careers-adviser', `/learners/${ULN}/routes?minLevel=3&maxLevel=1`);
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().details.field, 'minLevel');
  t.equal((await as('careers-adviser', `/learners/${ULN}/routes?level=9`)).json().details.field, 'level');
});

t.test('filter: occupation, including qualifications with no credit yet', async (t) => {
  const chef = await routesOf(t, '&occupation=CHEF');
  t.same(
    qans(chef.routes),
    [FOOD_AWARD, KITCHEN],
    'the food safety award comes in although the learner has nothing towards it',
  );
  t.same(
    chef.routes[0].unitsToTake.map((u: any) => u.urn),
    ['H/601/4101', 'K/601/4102'],
  );
  t.same(qans((await routesOf(t, '&occupation=CARE')).routes), [CARE]);
  t.same((await routesOf(t, '&occupation=NOBODY')).routes, []);
  t.equal(
    (await as('careers-adviser', `/learners/${ULN}/routes?occupation=${encodeURIComponent('bad code!')}`)).json()
      .details.field,
    'occupation',
  );
});

t.test('filter: availability in a region', async (t) => {
  const north = await routesOf(t, '&region=North%20West');
  t.same(qans(north.routes), [CUSTOMER, KITCHEN], 'no care unit is offered in the North West');
  t.same(
    north.routes[0].unitsToTake.map((u: any) => u.urn),
    ['J/603/2202'],
    'Y/603/2206 is no longer offered there: J/603/2202 (2 credits) instead',
  );
  t.equal(north.routes[0].extraCredits, 2, "the learner's withdrawn J/603/2202 credit does not count");
  t.same(north.routes[0].unitsToTake[0].providers, [
    { ukprn: '10000012', name: 'Riverside Training', region: 'North West' },
  ]);
  const london = await routesOf(t, '&region=London');
  t.same(qans(london.routes), [CUSTOMER, CARE], 'no kitchen unit is offered in London');
  t.equal((await as('careers-adviser', `/learners/${ULN}/routes?region=Atlantis`)).json().details.field, 'region');
});

t.test("filter: funding for the learner's age band", async (t) => {
  const adult = await routesOf(t, '&funded=true');
  t.equal(adult.filters.ageBand, '19-23');
  t.same(qans(adult.routes), [KITCHEN], 'at 20 only the loan-funded diploma');
  const young = await routesOf(t, '&funded=true', 'careers-adviser', YOUNG);
  t.equal(young.filters.ageBand, '16-18');
  t.same(
    qans(young.routes),
    [CUSTOMER, CARE],
    'at 17, funded up to level 2: the level 3 diploma is left out though listed',
  );
});

t.test('what-if without a learner is public', async (t) => {
  const res = await whatIf({ plannedUnits: ['F/603/2201', 'R/603/2204'], filters: { date: DATE } });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.uln, null);
  t.same(
    body.plannedUnits.map((u: any) => u.urn),
    ['F/603/2201', 'R/603/2204'],
  );
  t.same(qans(body.routes), [CUSTOMER, CARE, KITCHEN]);
  t.equal(body.routes[0].extraCredits, 1);

  const funded = (
    await whatIf({ plannedUnits: ['R/603/2204'], filters: { date: DATE, funded: true, ageBand: '16-18' } })
  ).json();
  t.same(qans(funded.routes), [CUSTOMER, CARE]);
  const noBand = await whatIf({ plannedUnits: ['R/603/2204'], filters: { date: DATE, funded: true } });
  t.equal(noBand.statusCode, 422);
  t.equal(noBand.json().code, 'AGE_BAND_UNKNOWN');

  const occupation = (await whatIf({ plannedUnits: [], filters: { date: DATE, occupation: 'CARE' } })).json();
  t.same(qans(occupation.routes), [CARE], 'an occupation alone is a place to start');
  t.equal(occupation.routes[0].extraCredits, 15, 'nothing held: the five mandatory units and 2 optional credits');

  const empty = await whatIf({ plannedUnits: [] });
  t.equal(empty.statusCode, 400);
  t.equal(empty.json().details.field, 'plannedUnits');
  const badUrn = await whatIf({ plannedUnits: ['F/603/2201', 'nonsense'] });
  t.same([badUrn.statusCode, badUrn.json().code, badUrn.json().details.field], [400, 'INVALID_URN', 'plannedUnits[1]']);
  const unknown = await whatIf({ plannedUnits: ['Z/999/9999'] });
  t.same(
    [unknown.statusCode, unknown.json().code, unknown.json().details.field],
    [400, 'UNIT_NOT_FOUND', 'plannedUnits[0]'],
  );
  const extraField = await whatIf({ plannedUnits: [], colour: 'red' });
  t.equal(extraField.statusCode, 400);
});

t.test('what-if with a learner: their credits plus planned units', async (t) => {
  t.equal((await whatIf({ uln: ULN, plannedUnits: ['Y/603/2206'] })).statusCode, 401, 'a learner needs a token');
  const auth = { authorization: `Bearer ${await tokenFor(app, 'careers-adviser')}` };
  const res = await whatIf({ uln: ULN, plannedUnits: ['Y/603/2206'], filters: { date: DATE } }, auth);
  t.equal(res.statusCode, 200);
  const customer = res.json().routes.find((r: any) => r.qan === CUSTOMER);
  t.equal(customer.alreadyAchieved, true, 'with the planned unit the award is complete');
  t.equal(customer.extraCredits, 0);
  t.equal((await whatIf({ uln: HIDDEN, plannedUnits: [] }, auth)).json().code, 'NOT_SHARED');
  const analyst = { authorization: `Bearer ${await tokenFor(app, 'analyst')}` };
  t.equal((await whatIf({ uln: ULN, plannedUnits: [] }, analyst)).statusCode, 403);
  t.equal(
    (await whatIf({ uln: ULN, plannedUnits: [], filters: { ageBand: '24+' } }, auth)).json().details.field,
    'filters.ageBand',
  );
});

t.test("who may see a learner's routes", async (t) => {
  t.equal((await app.inject({ url: `/learners/${ULN}/routes` })).statusCode, 401);
  const analyst = await as('analyst', `/learners/${ULN}/routes`);
  t.equal(analyst.statusCode, 403, 'analysts never see a learner');
  t.equal(analyst.json().code, 'FORBIDDEN');
  t.equal(
    (await as('careers-adviser', `/learners/${ULN}/routes`)).statusCode,
    200,
    'an adviser sees a learner who shares',
  );
  const hidden = await as('careers-adviser', `/learners/${HIDDEN}/routes`);
  t.equal(hidden.statusCode, 403);
  t.equal(hidden.json().code, 'NOT_SHARED');
  t.equal((await as('learner', `/learners/${ULN}/routes`)).statusCode, 200, 'the learner sees their own');
  t.equal((await as('learner', `/learners/${ULN}/routes`, { uln: HIDDEN })).statusCode, 403, "and nobody else's");
  const ao = await as('ao-user', `/learners/${HIDDEN}/routes?date=${DATE}`);
  t.equal(ao.statusCode, 200, 'the submitting AO may still plan with its own records');
  t.equal(ao.json().scope, 'own-records');
  t.equal((await as('careers-adviser', '/learners/1234567890/routes')).json().code, 'INVALID_ULN');
  t.equal((await as('careers-adviser', '/learners/1000000035/routes')).json().code, 'LEARNER_NOT_FOUND');
});

t.test('the printable routes', async (t) => {
  const res = await as('careers-adviser', `/learners/${ULN}/routes.pdf?date=${DATE}`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/pdf');
  t.ok(isPdf(res.rawPayload));
  const text = pdfText(res.rawPayload);
  for (const s of [
    'Routes to achievement',
    `Learner ${ULN}`,
    'Level 1 Award in Customer Service',
    'Y/603/2206',
    'Northgate College',
    'Two qualifications with one set of units',
  ])
    t.match(text, s);
  t.equal((await as('careers-adviser', `/learners/${HIDDEN}/routes.pdf`)).statusCode, 403);
});

t.test('the service calls GraphQL resolvers make, in GraphQL shape', async (t) => {
  const adviser = { subject: 'adviser', roles: ['careers-adviser' as Role], organisation: '10000003', tokenId: 'x' };
  const view = routesForGraphql(await learnerRoutes(graph, adviser, ULN, { date: DATE, limit: 2 }));
  t.same(
    view.routes.map((r) => r.qualification.qan),
    [CUSTOMER, CARE],
    'limit applies',
  );
  t.same(view.routes[0].qualification, {
    qan: CUSTOMER,
    title: 'Level 1 Award in Customer Service',
    level: '1',
    totalCredits: 6,
  });
  const whatif = await whatIfRoutes(graph, undefined, { plannedUnits: ['H/601/4101'], filters: { date: DATE } });
  t.same(qans(whatif.routes), [FOOD_AWARD]);
  t.same(
    whatif.routes[0].unitsToTake.map((u) => u.urn),
    ['K/601/4102'],
  );
  const schema = buildSchema(`type Query { ping: Int }\n${catalogueSdl}\n${pathwaysSdl}`);
  const fields = schema.getQueryType()!.getFields();
  t.equal(String(fields.routes.type), 'Routes!', "the SDL builds beside the catalogue's and adds routes(uln, filter)");
  t.same(
    fields.routes.args.map((a) => a.name),
    ['uln', 'filter'],
  );
  t.ok(fields.whatIfRoutes);
});

// Last: it adds generated providers, occupations and funding that the tests above do not expect.
t.test('generated filter data loads for the sample catalogue', async (t) => {
  const generated = generatePathwayData({ seed: 11, catalogue, referenceDate: DATE });
  const report = await loadPathwayData(graph, generated);
  t.equal(
    report.offers,
    generated.providers.reduce((s, p) => s + p.offers.length, 0),
    'every offer written',
  );
  t.equal(
    report.occupationLinks,
    generated.occupations.reduce((s, o) => s + o.qans.length, 0),
  );
  const again = await loadPathwayData(graph, generated);
  t.same(again, report, 'and again, the same');
  const body = await routesOf(t, '&funded=true');
  t.ok(body.routes.length >= 1, 'the generated funding rules are used by the funding filter');
});

t.test('the routes are described in OpenAPI like every other', async (t) => {
  const doc = (await app.inject({ url: '/docs/json' })).json();
  for (const [url, method] of [
    ['/learners/{uln}/routes', 'get'],
    ['/learners/{uln}/routes.pdf', 'get'],
    ['/routes/what-if', 'post'],
  ] as const) {
    const op = doc.paths[url]?.[method];
    t.ok(op?.summary, `${url} has a summary`);
    t.same(op.tags, ['pathways']);
    for (const code of ['200', '400', '401', '403']) t.ok(op.responses[code], `${url} documents ${code}`);
    for (const [code, r] of Object.entries(op.responses as Record<string, any>)) {
      if (!code.startsWith('2')) t.same(Object.keys(r.content), ['application/json'], `${url} ${code} is a JSON error`);
    }
  }
  t.ok(doc.paths['/learners/{uln}/routes'].get.security, "a learner's routes need a token");
  t.notOk(doc.paths['/routes/what-if'].post.security, 'what-if is public (a ULN in it needs a token)');
});

t.test('GraphQL routes(uln, filter) through /graphql', async (t) => {
  const gql = async (query: string, role?: Role) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query },
        headers: role ? { authorization: `Bearer ${await tokenFor(app, role)}` } : {},
      })
    ).json();
  const q = `{ routes(uln: "${ULN}", filter: { date: "${DATE}" }) { uln routes { qualification { qan } extraCredits unitsToTake { urn } groupsFilled { group units } } } }`;
  const rest = await routesOf(t, '');
  const answer = await gql(q, 'careers-adviser');
  t.same(
    answer.data.routes.routes.map((r: any) => [r.qualification.qan, r.extraCredits]),
    rest.routes.map((r: any) => [r.qan, r.extraCredits]),
    'the same ranking as REST',
  );
  t.equal((await gql(q, 'analyst')).errors[0].extensions.code, 'FORBIDDEN');
  t.equal((await gql(q)).errors[0].extensions.code, 'UNAUTHORIZED');
});
