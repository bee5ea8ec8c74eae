import t from 'tap';
import { setupApp, tokenFor, errorBody } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { isPdf, pdfFonts, pdfInfo, pdfText } from '../helpers/pdf.js';
import { startSmtp, type Received } from '../helpers/smtp.js';
import { createRecordLink } from '../../src/learners/record/service.js';
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/platform/auth.js';
import { upsertOrganisation } from '../../src/identity/repository.js';

const ULN = '9276308686';
const HIDDEN = '1000000019';
const NO_EMAIL = '1000000027';
const BUSY = '1000000035';
const CUSTOMER_CERT = '600/3302/3';

type As = (
  role: Role,
  url: string,
  extra?: { uln?: string; organisation?: string; subject?: string },
  method?: 'GET' | 'POST' | 'DELETE',
  payload?: object,
) => Promise<LightMyRequestResponse>;

async function seeded(t: Test) {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app, config } = await setupApp(t, { SMTP_URL: smtp.url });
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [
    learner(ULN),
    learner(HIDDEN, { givenName: 'Grace', familyName: 'Hopper', email: 'grace@example.org', available: false }),
    learner(NO_EMAIL, { givenName: 'Alan', familyName: 'Turing', email: undefined }),
    learner(BUSY, { givenName: 'Mary', familyName: 'Somerville', email: 'mary@example.org' }),
  ]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'F/603/2201', 'r1', { grade: 'Merit', awardDate: '2025-03-01' }),
    credit(c, ULN, 'J/603/2202', 'r2', { awardDate: '2025-04-01' }),
    credit(c, ULN, 'L/603/2203', 'r3', { status: 'withdrawn', awardDate: '2025-04-02' }),
    credit(c, ULN, 'Y/601/4111', 'r4', { underChallenge: true, aoUkprn: '10000009', awardDate: '2025-05-01' }),
    credit(c, HIDDEN, 'F/603/2201', 'h1'),
    credit(c, HIDDEN, 'J/603/2202', 'h2', { aoUkprn: '10000009' }),
  ]);
  const as: As = async (role, url, extra = {}, method = 'GET', payload) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${await tokenFor(app, role, extra)}` } });
  return { app, config, smtp, as };
}

/** The path of the record link in an emailed message. */
function linkPath(message: Received, publicUrl: string): string {
  const found = new RegExp(`${publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/record-links/([A-Za-z0-9._-]+)`).exec(
    message.text,
  );
  if (!found) throw new Error('no record link in the message');
  return `/record-links/${found[1]}`;
}

t.test('the record view: grouped by qualification and unit, for whoever may see it', async (t) => {
  const { app, as } = await seeded(t);

  const own = await as('learner', `/learners/${ULN}/record`);
  t.equal(own.statusCode, 200);
  const body = own.json();
  t.equal(body.uln, ULN);
  t.same(body.name, { givenName: 'Ada', familyName: 'Lovelace' }, 'the learner sees their names');
  t.equal(body.scope, 'all');
  t.same(
    body.byUnit.map((a: any) => [a.recordId, a.urn, a.status, a.underChallenge]),
    [
      ['r1', 'F/603/2201', 'active', false],
      ['r2', 'J/603/2202', 'active', false],
      ['r3', 'L/603/2203', 'withdrawn', false],
      ['r4', 'Y/601/4111', 'active', true],
    ],
    'every unit credit in award order, withdrawn and challenged ones marked',
  );
  const first = body.byUnit[0];
  t.same(first.ao, { ukprn: '10000001', name: null });
  t.equal(first.awardDate, '2025-03-01');
  t.equal(first.credit, 3);
  t.equal(first.level, '2');
  t.equal(first.grade, 'Merit');
  t.equal(first.title, 'Principles of customer service');
  t.same(body.summary, { unitCredits: 3, creditValue: 6, qualificationsAwarded: 0, underChallenge: 1, withdrawn: 1 });

  const customer = body.byQualification.find((q: any) => q.qan === CUSTOMER_CERT);
  t.ok(customer, 'the customer service certificate is where these credits count');
  t.equal(customer.totalCredits, 14);
  t.equal(customer.creditsTowards, 3 + 2 + 1, 'F and J in group A, and the 2009 hygiene unit as H/601/4101 in group C');
  t.same(
    customer.credits.map((c: any) => [c.recordId, c.countsAs, c.groups]),
    [
      ['r1', 'F/603/2201', ['A']],
      ['r2', 'J/603/2202', ['A']],
      ['r4', 'H/601/4101', ['C']],
    ],
  );
  t.notOk(
    body.byQualification.some((q: any) => q.credits.some((c: any) => c.recordId === 'r3')),
    'a withdrawn credit counts nowhere',
  );
  const qans = body.byQualification.map((q: any) => q.qan).sort();
  t.same(
    qans,
    ['600/1101/4', '600/1102/6', '600/3301/1', '600/3302/3', '601/2201/3'],
    'every qualification whose rules hold one of the units',
  );
  const food = body.byQualification.find((q: any) => q.qan === '600/1101/4');
  t.same(
    food.credits.map((c: any) => c.countsAs),
    ['H/601/4101'],
    'credit transfer through the global equivalence',
  );

  const me = await as('learner', '/me/record');
  t.equal(me.statusCode, 200);
  t.same(me.json().byUnit, body.byUnit, '/me/record is the same record');
  const noUln = await as('learner', '/me/record', { uln: undefined, subject: 'no-uln' });
  t.equal(noUln.statusCode, 403, 'a learner token without a ULN has no record of its own');
  t.equal(noUln.json().code, 'FORBIDDEN');

  const adviser = await as('careers-adviser', `/learners/${ULN}/record`);
  t.equal(adviser.statusCode, 200, 'an adviser sees a learner who shares');
  t.equal(adviser.json().name, null, 'but not their names');
  t.same(
    adviser.json().byUnit.map((a: any) => a.recordId),
    ['r1', 'r2', 'r3', 'r4'],
  );
  const operator = await as('operator', `/learners/${ULN}/record`);
  t.equal(operator.json().name.familyName, 'Lovelace', 'the operator sees names');

  // A learner who does not share.
  const provider = await as('provider-user', `/learners/${HIDDEN}/record`);
  t.equal(provider.statusCode, 403);
  t.same(errorBody(provider), { code: 'NOT_SHARED', message: 'the learner has not agreed to share their record' });
  const ao = await as('ao-user', `/learners/${HIDDEN}/record`);
  t.equal(ao.statusCode, 200, 'the submitting AO still sees its own records');
  t.equal(ao.json().scope, 'own-records');
  t.same(
    ao.json().byUnit.map((a: any) => a.recordId),
    ['h1'],
    'and only those',
  );
  t.equal(ao.json().name, null);
  t.notMatch(ao.body, /Grace|Hopper/, 'no personal detail reaches an organisation');
  t.equal(
    (await as('learner', `/learners/${HIDDEN}/record`)).json().code,
    'FORBIDDEN',
    'a learner sees only their own record',
  );

  t.equal((await app.inject({ url: `/learners/${ULN}/record` })).statusCode, 401);
  t.equal((await as('analyst', `/learners/${ULN}/record`)).statusCode, 403);
  const bad = await as('careers-adviser', '/learners/1234567890/record');
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'INVALID_ULN');
  t.equal(bad.json().details.field, 'uln');
  t.equal((await as('careers-adviser', '/learners/1000000043/record')).json().code, 'LEARNER_NOT_FOUND');

  // Who looked, as the learner who does not share sees it.
  const log = await as('learner', `/learners/${HIDDEN}/access-log`, { uln: HIDDEN });
  t.equal(log.statusCode, 200);
  const entries = log.json().items;
  const refused = entries.find((e: any) => e.subject === 'user-provider');
  t.ok(refused, 'the refused provider is in the log');
  t.equal(refused.outcome, 'refused');
  t.equal(refused.organisation, '10000002');
  t.same(refused.roles, ['provider-user']);
  t.ok(
    entries.some((e: any) => e.subject === 'user-ao' && e.outcome === 'allowed' && e.what === 'record'),
    'the AO read is there too',
  );
});

t.test('the printable record', async (t) => {
  const { as } = await seeded(t);
  const pdf = await as('learner', `/learners/${ULN}/record.pdf`);
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.headers['content-type'], 'application/pdf');
  t.ok(isPdf(pdf.rawPayload));
  const text = pdfText(pdf.rawPayload);
  for (const s of [
    'Personal Learning Record',
    'Ada Lovelace',
    ULN,
    'Level 2 Certificate in Customer Service',
    'Principles of customer service',
    'Withdrawn',
    'Merit',
    'All unit credits',
  ])
    t.match(text, s, `shows "${s}"`);
  // Narrow table cells wrap onto more than one line.
  t.match(text, /Y\/601\/4111\s*\(as\s*H\/601\/4101\)/, 'a credit that counts through an equivalence says so');
  t.match(text, /Active,\s*under\s*data\s*challenge/, 'the data challenge mark');

  const adviser = pdfText((await as('careers-adviser', `/learners/${ULN}/record.pdf`)).rawPayload);
  t.match(adviser, `Learner ${ULN}`);
  t.notMatch(adviser, 'Lovelace', "an adviser's print has no name");
  const ao = pdfText((await as('ao-user', `/learners/${HIDDEN}/record.pdf`)).rawPayload);
  t.match(ao, /only your organisation/, 'the own-records scope is said on paper too');
  t.equal((await as('provider-user', `/learners/${HIDDEN}/record.pdf`)).json().code, 'NOT_SHARED');
  const mine = await as('learner', '/me/record.pdf');
  t.ok(isPdf(mine.rawPayload));
});

t.test('the printable record of a learner named in Welsh and Polish', async (t) => {
  const { app } = await setupApp(t);
  const c = await loadSample(app.deps.graph);
  const uln = '1000000043';
  await upsertLearners(app.deps.graph, [learner(uln, { givenName: 'Łukasz', familyName: 'Wŷn-Llŷr ap Siôn' })]);
  await upsertOrganisation(app.deps.graph, {
    ukprn: '10000001',
    name: 'Cymwysterau’r Gogledd',
    nation: 'GB-WLS',
    kind: 'ao',
  });
  await recordUnitCredits(app.deps.graph, [credit(c, uln, 'F/603/2201', 'w1', { awardDate: '2025-03-01' })]);
  const res = await app.inject({
    url: '/me/record.pdf',
    headers: { authorization: `Bearer ${await tokenFor(app, 'learner', { uln })}` },
  });
  t.equal(res.statusCode, 200);
  const pdf = res.rawPayload;
  t.ok(
    pdfFonts(pdf).every((f) => f.embedded),
    'pdffonts: every font embedded',
  );
  t.equal(pdfInfo(pdf).Tagged, 'yes', 'pdfinfo: Tagged: yes');
  const text = pdfText(pdf);
  t.match(text, 'Łukasz Wŷn-Llŷr ap Siôn, ULN 1000000043', 'pdftotext gives the name back exactly');
  t.match(text, 'Name: Łukasz Wŷn-Llŷr ap Siôn');
  t.match(text, 'Cymwysterau’r Gogledd', 'the awarding organisation by name');
  t.notMatch(text, '10000001', 'not by its UKPRN');
  t.match(text, '1 March 2025', 'the award date as people write it');
  t.notMatch(text, '2025-03-01');
});

t.test('record links: emailed, opened, and refused once expired, revoked or used', async (t) => {
  const { app, config, smtp, as } = await seeded(t);
  const links = `/learners/${ULN}/record-links`;

  // Made by the learner, sent to their contact email.
  const made = await as('learner', links, {}, 'POST', { lifetimeHours: 2 });
  t.equal(made.statusCode, 201);
  const created = made.json();
  t.equal(created.emailed, true);
  t.equal(created.link.status, 'active');
  t.equal(created.link.singleUse, false);
  t.equal(Date.parse(created.link.expiresAt) - Date.parse(created.link.createdAt), 2 * 3_600_000, 'two hours');
  const [mail] = await smtp.waitFor(1);
  t.same(mail.to, ['ada@example.org'], "to the learner's contact email");
  const path = linkPath(mail, config.publicUrl);
  t.equal(`${config.publicUrl}${path}`, created.url, 'the emailed address is the one made');

  const opened = await app.inject({ url: path });
  t.equal(opened.statusCode, 200, 'the link opens without signing in');
  const shared = opened.json();
  t.equal(shared.uln, ULN);
  t.same(shared.name, { givenName: 'Ada', familyName: 'Lovelace' }, 'names are shared unless the learner said not to');
  t.same(
    shared.byUnit.map((a: any) => a.recordId),
    ['r1', 'r2', 'r3', 'r4'],
    'the whole record',
  );
  t.same(shared.sharedLink, { id: created.link.id, expiresAt: created.link.expiresAt, singleUse: false });
  t.equal((await app.inject({ url: path })).statusCode, 200, 'a reusable link opens again');
  const printed = await app.inject({ url: `${path}?format=pdf` });
  t.equal(printed.headers['content-type'], 'application/pdf');
  t.match(pdfText(printed.rawPayload), 'Shared link');

  // Revoked: gone at once.
  const revoked = await as('learner', `${links}/${created.link.id}`, {}, 'DELETE');
  t.equal(revoked.statusCode, 200);
  t.equal(revoked.json().status, 'revoked');
  t.equal(revoked.json().opens, 3);
  const afterRevoke = await app.inject({ url: path });
  t.equal(afterRevoke.statusCode, 410);
  t.equal(afterRevoke.json().code, 'LINK_REVOKED');
  t.equal(
    (await as('learner', `${links}/${created.link.id}`, {}, 'DELETE')).json().revokedAt,
    revoked.json().revokedAt,
    'revoking twice changes nothing',
  );

  // Single use, to another address, without names.
  const once = await as('learner', links, {}, 'POST', {
    lifetimeHours: 24,
    singleUse: true,
    email: 'employer@example.com',
    showName: false,
  });
  t.equal(once.statusCode, 201);
  const onceMail = (await smtp.waitFor(2))[1];
  t.same(onceMail.to, ['employer@example.com']);
  t.match(onceMail.text, /once only/);
  const oncePath = linkPath(onceMail, config.publicUrl);
  const firstOpen = await app.inject({ url: oncePath });
  t.equal(firstOpen.statusCode, 200);
  t.equal(firstOpen.json().name, null, 'the learner chose not to share names');
  const secondOpen = await app.inject({ url: oncePath });
  t.equal(secondOpen.statusCode, 410);
  t.equal(secondOpen.json().code, 'LINK_USED');

  // Two people opening a single-use link at the same moment: one of them gets it.
  await as('learner', links, {}, 'POST', { lifetimeHours: 1, singleUse: true });
  const racePath = linkPath((await smtp.waitFor(3))[2], config.publicUrl);
  const race = await Promise.all(Array.from({ length: 6 }, () => app.inject({ url: racePath })));
  t.same(
    race.map((r) => r.statusCode).sort(),
    [200, 410, 410, 410, 410, 410],
    'exactly one concurrent opening succeeds',
  );

  // Expiry, on the real clock: a one-hour link made (by the clock it was given) a second
  // or two before its hour is up.
  const learnerPrincipal = { subject: 'user-learner', roles: ['learner' as Role], uln: ULN, tokenId: 'test' };
  const shortLived = await createRecordLink(
    {
      graph: app.deps.graph,
      mailer: app.deps.mailer,
      config: app.config,
      clock: () => new Date(Date.now() - 3_600_000 + 2_000),
    },
    learnerPrincipal,
    ULN,
    { lifetimeHours: 1 },
  );
  const shortPath = linkPath((await smtp.waitFor(4))[3], config.publicUrl);
  t.equal((await app.inject({ url: shortPath })).statusCode, 200, 'opens before it expires');
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(shortLived.link.expiresAt) - Date.now()) + 300));
  const expired = await app.inject({ url: shortPath });
  t.equal(expired.statusCode, 410);
  t.equal(expired.json().code, 'LINK_EXPIRED');
  t.match(expired.json().message, /expired/);

  // Not a link.
  const [h, p, s] = path.slice('/record-links/'.length).split('.');
  const forged = await app.inject({ url: `/record-links/${h}.${p}.${s.slice(0, -4)}AAAA` });
  t.equal(forged.statusCode, 404);
  t.equal(forged.json().code, 'LINK_NOT_FOUND');
  const accessToken = await tokenFor(app, 'learner');
  t.equal(
    (await app.inject({ url: `/record-links/${accessToken}` })).json().code,
    'LINK_NOT_FOUND',
    'an access token is not a link',
  );
  t.equal((await app.inject({ url: '/record-links/not-a-token' })).statusCode, 400);
  t.equal((await as('learner', '/me/record', {}, 'GET')).statusCode, 200);
  t.equal(
    (
      await app.inject({
        url: '/me/record',
        headers: { authorization: `Bearer ${path.slice('/record-links/'.length)}` },
      })
    ).statusCode,
    401,
    'a link is not an access token',
  );

  // The learner's list of links.
  const list = await as('learner', links);
  t.equal(list.statusCode, 200);
  t.equal(list.json().total, 4);
  t.same(
    list
      .json()
      .items.map((l: any) => l.status)
      .sort(),
    ['expired', 'revoked', 'used', 'used'],
  );
  t.equal((await as('learner', `${links}?limit=1`)).json().items.length, 1);

  // The access log shows the link openings and refusals, newest first.
  const log = await as('learner', `/learners/${ULN}/access-log?limit=200`);
  t.equal(log.statusCode, 200);
  const items = log.json().items;
  const times = items.map((e: any) => Date.parse(e.at));
  t.same(
    times,
    [...times].sort((a: number, b: number) => b - a),
    'newest first',
  );
  const byLink = items.filter((e: any) => e.subject === `record-link:${created.link.id}`);
  t.same(byLink.map((e: any) => e.outcome).sort(), ['allowed', 'allowed', 'allowed', 'refused']);
  t.ok(
    byLink.some((e: any) => e.what === 'record.pdf via shared link'),
    'the printed opening',
  );
  t.ok(
    byLink.some((e: any) => e.outcome === 'refused' && /revoked/.test(e.what)),
    'the refusal says why',
  );
  t.same(
    byLink.map((e: any) => e.roles),
    [[], [], [], []],
    'a link carries no role',
  );
  t.ok(items.some((e: any) => e.outcome === 'refused' && /expired/.test(e.what)));
  t.ok(items.some((e: any) => e.outcome === 'refused' && /used/.test(e.what)));
  t.equal(
    items.filter((e: any) => e.outcome === 'allowed' && e.roles.length === 0).length,
    3 + 1 + 1 + 1,
    'one allowed opening per link and per reuse',
  );

  // What was emailed never reached the log of links.
  t.notMatch(list.body, /example\.(org|com)/, 'no address is kept with a link');
});

t.test('record links: who may make them, and bad requests', async (t) => {
  const { app, as, smtp } = await seeded(t);
  const links = `/learners/${ULN}/record-links`;
  const bad = async (payload: object) => as('learner', links, {}, 'POST', payload);

  for (const [payload, field] of [
    [{}, 'lifetimeHours'],
    [{ lifetimeHours: 0 }, 'lifetimeHours'],
    [{ lifetimeHours: 721 }, 'lifetimeHours'],
    [{ lifetimeHours: 1.5 }, 'lifetimeHours'],
    [{ lifetimeHours: 2, email: 'not an address' }, 'email'],
    [{ lifetimeHours: 2, colour: 'red' }, 'colour'],
  ] as const) {
    const res = await bad(payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.ok(
      res.json().details.some((d: any) => d.field === field),
      `names ${field}`,
    );
    t.notMatch(res.body, /not an address/, 'the given address is not repeated back');
  }
  const noEmail = await as('learner', `/learners/${NO_EMAIL}/record-links`, { uln: NO_EMAIL }, 'POST', {
    lifetimeHours: 2,
  });
  t.equal(noEmail.statusCode, 400);
  t.equal(noEmail.json().code, 'NO_EMAIL');
  t.equal(noEmail.json().details[0].field, 'email');
  const withEmail = await as('learner', `/learners/${NO_EMAIL}/record-links`, { uln: NO_EMAIL }, 'POST', {
    lifetimeHours: 2,
    email: 'alan@example.org',
  });
  t.equal(withEmail.statusCode, 201, 'an address given in the request will do');

  t.equal(
    (await as('learner', links, { uln: BUSY }, 'POST', { lifetimeHours: 2 })).json().code,
    'FORBIDDEN',
    "not for someone else's record",
  );
  t.equal((await as('operator', links, {}, 'POST', { lifetimeHours: 2 })).statusCode, 403, 'not by the operator');
  t.equal((await as('careers-adviser', links)).statusCode, 403);
  t.equal((await as('learner', links, { uln: BUSY })).statusCode, 403, 'nor listed by another learner');
  t.equal(
    (await as('learner', `${links}/1b4e28ba-2fa1-11d2-883f-0016d3cca427`, {}, 'DELETE')).json().code,
    'LINK_NOT_FOUND',
  );
  t.equal((await as('learner', `${links}/nope`, {}, 'DELETE')).statusCode, 400);
  t.equal(
    (
      await as('learner', '/learners/1234567890/record-links', { uln: '1234567890' }, 'POST', { lifetimeHours: 2 })
    ).json().code,
    'INVALID_ULN',
  );

  // The service checks what it is given even when called without the REST schema in front.
  const deps = { graph: app.deps.graph, mailer: app.deps.mailer, config: app.config };
  const principal = { subject: 'user-learner', roles: ['learner' as Role], uln: ULN, tokenId: 'test' };
  await t.rejects(createRecordLink(deps, principal, ULN, { lifetimeHours: 0 }), {
    code: 'VALIDATION',
    details: [{ field: 'lifetimeHours' }],
  });
  await t.rejects(createRecordLink(deps, principal, ULN, { lifetimeHours: 2, email: 'nobody' }), {
    code: 'VALIDATION',
    details: [{ field: 'email' }],
  });
  await t.rejects(
    createRecordLink(deps, principal, NO_EMAIL, { lifetimeHours: 2 }),
    { code: 'FORBIDDEN' },
    "the principal's ULN decides",
  );

  const unavailable = await as('learner', `/learners/${HIDDEN}/record-links`, { uln: HIDDEN }, 'POST', {
    lifetimeHours: 2,
  });
  t.equal(unavailable.statusCode, 409, 'a record nobody else may see is not shared by link');
  t.equal(unavailable.json().code, 'RECORD_UNAVAILABLE');

  // The daily limit.
  const busy = `/learners/${BUSY}/record-links`;
  for (let i = 0; i < 20; i++)
    t.equal((await as('learner', busy, { uln: BUSY }, 'POST', { lifetimeHours: 1 })).statusCode, 201, `link ${i + 1}`);
  const tooMany = await as('learner', busy, { uln: BUSY }, 'POST', { lifetimeHours: 1 });
  t.equal(tooMany.statusCode, 429);
  t.equal(tooMany.json().code, 'TOO_MANY_LINKS');
  t.ok(tooMany.headers['retry-after']);
  await smtp.waitFor(21);
  t.equal(smtp.messages.filter((m) => m.to[0] === 'mary@example.org').length, 20, 'the refused one was not sent');
});

t.test('the access log: the learner and the operator, paged, newest first', async (t) => {
  const { app, as } = await seeded(t);
  for (const role of ['careers-adviser', 'provider-user', 'ao-user'] as Role[])
    await as(role, `/learners/${ULN}/record`);
  await as('careers-adviser', `/learners/${ULN}/record.pdf`);
  await as('learner', `/learners/${ULN}/record`);

  const page = await as('learner', `/learners/${ULN}/access-log?limit=2`);
  t.equal(page.statusCode, 200);
  t.equal(page.json().total, 4, "four reads by others; the learner's own read is not logged");
  t.same(
    page.json().items.map((e: any) => [e.subject, e.what]),
    [
      ['user-adviser', 'record.pdf'],
      ['user-ao', 'record'],
    ],
  );
  const rest = await as('learner', `/learners/${ULN}/access-log?limit=2&offset=2`);
  t.same(
    rest.json().items.map((e: any) => e.subject),
    ['user-provider', 'user-adviser'],
  );
  t.same(rest.json().items[1].roles, ['careers-adviser']);
  t.equal(rest.json().items[1].organisation, '10000003');

  const byOperator = await as('operator', `/learners/${ULN}/access-log`);
  t.equal(byOperator.statusCode, 200, 'the operator reads it');
  const again = await as('learner', `/learners/${ULN}/access-log`);
  t.equal(again.json().items[0].what, 'access-log', 'and that reading is itself in the log');
  t.equal(again.json().items[0].subject, 'user-operator');

  t.equal((await as('careers-adviser', `/learners/${ULN}/access-log`)).statusCode, 403, 'not an adviser');
  t.equal(
    (await as('learner', `/learners/${ULN}/access-log`, { uln: BUSY })).json().code,
    'FORBIDDEN',
    'not another learner',
  );
  t.equal((await as('learner', `/learners/${ULN}/access-log?limit=0`)).statusCode, 400);
  t.equal((await as('learner', `/learners/${ULN}/access-log?limit=500`)).statusCode, 400);

  // GraphQL: the same record and log.
  const gql = async (role: Role, query: string, extra = {}) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query },
        headers: { authorization: `Bearer ${await tokenFor(app, role, extra)}` },
      })
    ).json();
  const rec = await gql(
    'careers-adviser',
    `{ learnerRecord(uln: "${ULN}") { uln name { familyName } scope byUnit { recordId status underChallenge ao { ukprn } } byQualification { qan creditsTowards credits { recordId countsAs } } } }`,
  );
  t.equal(rec.data.learnerRecord.uln, ULN);
  t.equal(rec.data.learnerRecord.name, null);
  t.same(
    rec.data.learnerRecord.byUnit.map((a: any) => [a.recordId, a.status, a.underChallenge]),
    [
      ['r1', 'active', false],
      ['r2', 'active', false],
      ['r3', 'withdrawn', false],
      ['r4', 'active', true],
    ],
  );
  t.equal(rec.data.learnerRecord.byQualification.find((q: any) => q.qan === CUSTOMER_CERT).creditsTowards, 6);
  const mine = await gql('learner', '{ myRecord { name { givenName } summary { unitCredits } } }');
  t.same(mine.data.myRecord, { name: { givenName: 'Ada' }, summary: { unitCredits: 3 } });
  const hidden = await gql('provider-user', `{ learnerRecord(uln: "${HIDDEN}") { uln } }`);
  t.equal(hidden.errors[0].extensions.code, 'NOT_SHARED');
  const log = await gql(
    'learner',
    `{ accessLog(uln: "${ULN}", limit: 3) { total items { subject what outcome roles } } }`,
  );
  t.equal(log.data.accessLog.items.length, 3);
  t.equal(log.data.accessLog.items[0].subject, 'user-adviser', 'the GraphQL read just above is the newest');
  t.ok(log.data.accessLog.total >= 6);
  const denied = await gql('careers-adviser', `{ accessLog(uln: "${ULN}") { total } }`);
  t.equal(denied.errors[0].extensions.code, 'FORBIDDEN');
  const notTheirs = await gql('learner', `{ accessLog(uln: "${ULN}") { total } }`, { uln: BUSY });
  t.equal(notTheirs.errors[0].extensions.code, 'FORBIDDEN', "another learner's log");
  const badPage = await gql('operator', `{ accessLog(uln: "${ULN}", limit: 0, offset: -1) { total } }`);
  t.equal(badPage.errors[0].extensions.code, 'VALIDATION');
  t.same(
    badPage.errors[0].extensions.details.map((d: any) => d.field),
    ['limit', 'offset'],
  );
  const noUln = await gql('learner', '{ myRecord { uln } }', { uln: undefined });
  t.equal(noUln.errors[0].extensions.code, 'FORBIDDEN', 'a learner token without a ULN has no record');
});

t.test("a merged ULN's records show in the master's record; an unsendable link is withdrawn", async (t) => {
  // Mail goes to a server that has gone away.
  const gone = await startSmtp();
  await gone.close();
  const { app } = await setupApp(t, { SMTP_URL: gone.url });
  const c = await loadSample(app.deps.graph);
  const MERGED = '1000000043';
  await upsertLearners(app.deps.graph, [learner(ULN), learner(MERGED, { linkedTo: ULN })]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'F/603/2201', 'm1'),
    credit(c, MERGED, 'J/603/2202', 'm2', { awardDate: '2025-07-01' }),
  ]);
  const as = async (role: Role, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${await tokenFor(app, role)}` } });

  const record = (await as('careers-adviser', `/learners/${ULN}/record`)).json();
  t.same(
    record.byUnit.map((a: any) => [a.recordId, a.uln]),
    [
      ['m1', ULN],
      ['m2', MERGED],
    ],
    "the merged record's credit, under its own ULN",
  );
  t.equal(record.byQualification.find((q: any) => q.qan === CUSTOMER_CERT).creditsTowards, 5);
  await as('careers-adviser', `/learners/${MERGED}/record`);
  const log = (await as('learner', `/learners/${ULN}/access-log`)).json();
  t.same(log.items.map((e: any) => e.uln).sort(), [MERGED, ULN], "the master's log holds reads of the merged ULN too");

  const failed = await as('learner', `/learners/${ULN}/record-links`, 'POST', { lifetimeHours: 2 });
  t.equal(failed.statusCode, 502);
  t.equal(failed.json().code, 'MAIL_FAILED');
  t.notMatch(failed.body, /example\.org/, 'the address is not in the answer');
  const links = (await as('learner', `/learners/${ULN}/record-links`)).json();
  t.equal(links.total, 1);
  t.equal(links.items[0].status, 'revoked', 'a link nobody received cannot be opened');
});
