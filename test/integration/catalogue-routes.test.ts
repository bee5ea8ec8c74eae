import t from 'tap';
import { setupApp, tokenFor, errorBody } from '../helpers/app.js';
import {
  credit,
  learner,
  loadSample,
  recordUnitCredits,
  sampleCatalogue,
  upsertLearners,
} from '../helpers/fixtures.js';
import { isPdf, pdfText } from '../helpers/pdf.js';
import type { Role } from '../../src/platform/auth.js';
import { upsertOrganisation } from '../../src/identity/repository.js';

process.env.PDF_UNCOMPRESSED = '1';

const ULN = '9276308686';
const OTHER = '1000000019';
const CUSTOMER_CERT = '600/3302/3';
const enc = encodeURIComponent;

t.test('loading a catalogue (service operator)', async (t) => {
  const { app } = await setupApp(t);
  const body = sampleCatalogue();
  const op = { authorization: `Bearer ${await tokenFor(app, 'operator')}` };

  const refused = await app.inject({
    method: 'POST',
    url: '/catalogue',
    payload: body,
    headers: { authorization: `Bearer ${await tokenFor(app, 'ao-admin')}` },
  });
  t.equal(refused.statusCode, 403, 'only the operator loads the catalogue');

  const bad = structuredClone(body) as any;
  bad.qualifications[1].groups[1].units.push('Z/999/9999');
  bad.units[0].credit = 0;
  const badRes = await app.inject({ method: 'POST', url: '/catalogue', payload: bad, headers: op });
  t.equal(badRes.statusCode, 400);
  const err = badRes.json();
  t.equal(err.code, 'CATALOGUE_INVALID');
  t.ok(
    err.details.problems.some(
      (p: any) => p.code === 'unknown-unit' && /Z\/999\/9999/.test(p.message) && /600\/1102\/6/.test(p.message),
    ),
    'names the qualification and the unknown unit',
  );
  t.ok(
    err.details.problems.some((p: any) => p.path === 'units[0].credit'),
    'names the field',
  );
  const none = await app.inject({ url: '/qualifications' });
  t.equal(none.json().total, 0, 'nothing was stored');

  const check = await app.inject({ method: 'POST', url: '/catalogue?validateOnly=true', payload: body, headers: op });
  t.same(check.json(), { validated: true, loaded: false, counts: { units: 30, qualifications: 6 } });
  t.equal((await app.inject({ url: '/qualifications' })).json().total, 0, 'validate-only stores nothing');

  const first = await app.inject({ method: 'POST', url: '/catalogue', payload: body, headers: op });
  t.equal(first.statusCode, 200);
  t.same(first.json().qualifications, { created: 6, updated: 0, unchanged: 0 });
  const second = await app.inject({ method: 'POST', url: '/catalogue', payload: body, headers: op });
  t.same(second.json().qualifications, { created: 0, updated: 0, unchanged: 6 }, 'loading again changes nothing');

  const list = await app.inject({ url: '/qualifications?level=2&limit=2' });
  t.equal(list.json().total, 4);
  t.equal(list.json().items.length, 2);
  const found = await app.inject({ url: '/qualifications?text=customer' });
  t.same(
    found.json().items.map((q: any) => q.qan),
    ['600/3301/1', '600/3302/3'],
  );
});

t.test('OCF 04: rules are public; progress needs a role that may see the learner', async (t) => {
  const { app } = await setupApp(t);
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ULN), learner(OTHER, { givenName: 'Grace', available: false })]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'F/603/2201', 'r1'),
    credit(c, ULN, 'J/603/2202', 'r2'),
    credit(c, ULN, 'L/603/2203', 'r3'),
    credit(c, ULN, 'D/603/2205', 'r4'),
    credit(c, ULN, 'R/603/2204', 'r5'),
    credit(c, ULN, 'Y/603/2206', 'r6', { aoUkprn: '10000009' }),
    credit(c, ULN, 'M/601/4103', 'r7', { aoUkprn: '10000009' }),
    credit(c, OTHER, 'F/603/2201', 'r8'),
    credit(c, OTHER, 'J/603/2202', 'r9', { aoUkprn: '10000009' }),
  ]);

  const rules = await app.inject({ url: `/qualifications/${enc(CUSTOMER_CERT)}/rules` });
  t.equal(rules.statusCode, 200);
  const body = rules.json();
  t.equal(body.qualification.title, 'Level 2 Certificate in Customer Service');
  t.equal(body.qualification.size, 'Certificate');
  t.same(
    body.groups.map((g: any) => g.id),
    ['A', 'B', 'C'],
  );
  t.same(
    body.groups[0].units.map((u: any) => [u.urn, u.credit, u.level]),
    [
      ['F/603/2201', 3, '2'],
      ['J/603/2202', 2, '2'],
    ],
  );
  t.notOk(body.progress, 'no learner, no progress');

  const compact = await app.inject({ url: '/qualifications/60033023/rules' });
  t.equal(compact.json().qualification.qan, CUSTOMER_CERT, 'the QAN may be given without slashes');
  t.equal((await app.inject({ url: `/qualifications/${enc('123/456')}/rules` })).statusCode, 400);
  t.equal(
    (await app.inject({ url: `/qualifications/${enc('999/9999/9')}/rules` })).json().code,
    'QUALIFICATION_NOT_FOUND',
  );

  const url = `/qualifications/${enc(CUSTOMER_CERT)}/rules?uln=${ULN}`;
  t.equal((await app.inject({ url })).statusCode, 401, 'progress needs a token');
  t.equal(
    (await app.inject({ url, headers: { authorization: `Bearer ${await tokenFor(app, 'analyst')}` } })).statusCode,
    403,
    'analysts never see a learner',
  );

  const as = async (role: Role, u = url, extra = {}) =>
    app.inject({ url: u, headers: { authorization: `Bearer ${await tokenFor(app, role, extra)}` } });
  const adviser = await as('careers-adviser');
  t.equal(adviser.statusCode, 200);
  const p = adviser.json().progress;
  t.equal(p.uln, ULN);
  t.same(p.unmet, [], 'nothing unmet');
  t.equal(p.achieved, true, 'needs 14');
  t.equal(p.totalCredits, 15, 'mandatory A 5, group B 3+2+2+1 = 8, group C 2');
  t.equal(p.scope, 'all');
  t.same(p.unmet, []);
  t.equal(p.allocation.length, 7);

  const early = await as('careers-adviser', `${url}&date=2025-01-01`);
  t.equal(early.json().progress.achieved, false, 'credits awarded after the date do not count');
  t.match(early.json().progress.unmet[0].message, /.+/);
  t.equal((await as('careers-adviser', `${url}&date=2025-02-30`)).statusCode, 400, 'not a real day');

  t.equal((await as('learner')).statusCode, 200, 'the learner sees their own progress');
  t.equal((await as('learner', url, { uln: OTHER })).statusCode, 403, "but not anyone else's");

  const hidden = `/qualifications/${enc(CUSTOMER_CERT)}/rules?uln=${OTHER}`;
  const notShared = await as('careers-adviser', hidden);
  t.equal(notShared.statusCode, 403);
  t.same(errorBody(notShared), { code: 'NOT_SHARED', message: 'the learner has not agreed to share their record' });
  const ao = await as('ao-user', hidden);
  t.equal(ao.statusCode, 200, 'the submitting AO still sees its own records');
  t.equal(ao.json().progress.scope, 'own-records');
  t.same(
    ao.json().progress.allocation.map((a: any) => a.urn),
    ['F/603/2201'],
    'only its own record counted',
  );

  t.equal(
    (await as('careers-adviser', `/qualifications/${enc(CUSTOMER_CERT)}/rules?uln=1234567890`)).json().code,
    'INVALID_ULN',
  );
  t.equal(
    (await as('careers-adviser', `/qualifications/${enc(CUSTOMER_CERT)}/rules?uln=1000000027`)).json().code,
    'LEARNER_NOT_FOUND',
  );

  await upsertOrganisation(app.deps.graph, {
    ukprn: '10087654',
    name: 'Northgate Awards',
    nation: 'GB-ENG',
    kind: 'ao',
  });
  t.equal(
    (await app.inject({ url: `/qualifications/${enc(CUSTOMER_CERT)}/rules` })).json().qualification.aoName,
    'Northgate Awards',
    'the rules name the owning AO',
  );
  const pdf = await as('careers-adviser', `/qualifications/${enc(CUSTOMER_CERT)}/rules.pdf?uln=${ULN}`);
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.headers['content-type'], 'application/pdf');
  t.ok(isPdf(pdf.rawPayload));
  const text = pdfText(pdf.rawPayload);
  for (const s of [
    'Level 2 Certificate in Customer Service',
    'Group A',
    'Handle customer complaints',
    `Progress of learner ${ULN}`,
    'Achieved',
    'Awarding organisation: Northgate Awards',
  ])
    t.match(text, s);
  const publicPdf = await app.inject({ url: `/qualifications/${enc(CUSTOMER_CERT)}/rules.pdf` });
  t.equal(publicPdf.statusCode, 200, 'the rules alone print without signing in');
});

t.test('OCF 05: credit check', async (t) => {
  const { app } = await setupApp(t);
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ULN), learner(OTHER, { available: false })]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'T/601/4104', 'c1', { grade: 'Merit', awardDate: '2024-03-04' }),
    credit(c, ULN, 'T/601/4104', 'c2', { aoUkprn: '10000009', status: 'withdrawn', awardDate: '2023-01-01' }),
    credit(c, ULN, 'H/601/4101', 'c3', { underChallenge: true }),
    credit(c, ULN, 'Y/601/4111', 'c4'),
    credit(c, OTHER, 'T/601/4104', 'c5', { aoUkprn: '10000009' }),
  ]);
  const as = async (role: Role, u: string, extra = {}) =>
    app.inject({ url: u, headers: { authorization: `Bearer ${await tokenFor(app, role, extra)}` } });

  const res = await as('provider-user', `/learners/${ULN}/credit-check?urn=T/601/4104`);
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.awarded, true);
  t.same(body.unit, { urn: 'T/601/4104', title: 'Health and safety in a catering environment', level: '2', credit: 2 });
  t.same(
    body.records.map((r: any) => [r.recordId, r.ao.ukprn, r.awardDate, r.status, r.grade]),
    [
      ['c2', '10000009', '2023-01-01', 'withdrawn', null],
      ['c1', '10000001', '2024-03-04', 'active', 'Merit'],
    ],
  );
  t.same(
    body.countsTowards.map((q: any) => q.qan),
    ['600/1102/6', '600/3302/3', '601/2201/3'],
    'every qualification whose rules hold the unit',
  );

  const challenged = await as('learner', `/learners/${ULN}/credit-check?urn=H/601/4101`);
  t.equal(challenged.json().records[0].status, 'under-challenge');
  t.same(
    challenged.json().countsTowards.map((q: any) => q.qan),
    ['600/1101/4', '600/1102/6', '600/3302/3'],
  );

  const viaEquivalence = await as('learner', `/learners/${ULN}/credit-check?urn=Y/601/4111`);
  const direct = viaEquivalence.json().countsTowards.find((q: any) => q.qan === '600/1101/4');
  t.equal(direct.direct, false, 'the 2009 hygiene unit counts by a global equivalence');
  t.same(direct.countsAs[0], { urn: 'H/601/4101', steps: 1, groups: ['A'] });

  const nothing = await as('learner', `/learners/${ULN}/credit-check?urn=D/603/2205`);
  t.equal(nothing.json().awarded, false);
  t.same(nothing.json().records, []);

  t.equal((await as('learner', `/learners/${ULN}/credit-check?urn=X/999/9999`)).json().code, 'UNIT_NOT_FOUND');
  t.equal((await as('learner', `/learners/${ULN}/credit-check?urn=nonsense`)).json().code, 'INVALID_URN');
  t.equal((await as('learner', `/learners/${ULN}/credit-check`)).statusCode, 400, 'the unit is required');
  t.equal((await app.inject({ url: `/learners/${ULN}/credit-check?urn=T/601/4104` })).statusCode, 401);
  t.equal((await as('analyst', `/learners/${ULN}/credit-check?urn=T/601/4104`)).statusCode, 403);

  t.equal((await as('careers-adviser', `/learners/${OTHER}/credit-check?urn=T/601/4104`)).json().code, 'NOT_SHARED');
  const ownAo = await as('ao-user', `/learners/${OTHER}/credit-check?urn=T/601/4104`, { organisation: '10000009' });
  t.equal(ownAo.json().records.length, 1, 'the submitting AO sees its own record of an unshared learner');
  const otherAo = await as('ao-user', `/learners/${OTHER}/credit-check?urn=T/601/4104`);
  t.same(otherAo.json().records, [], 'another AO sees none of it');

  const pdf = await as('learner', `/learners/${ULN}/credit-check.pdf?urn=T/601/4104`);
  t.equal(pdf.headers['content-type'], 'application/pdf');
  const text = pdfText(pdf.rawPayload);
  for (const s of ['Credit check', 'Health and safety in a catering environment', 'Withdrawn', 'Merit', '600/3302/3'])
    t.match(text, s);
});
