import t from 'tap';
import { setupApp, tokenFor, errorBody } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import type { App } from '../../src/app.js';
import type { Principal, Role } from '../../src/platform/auth.js';
import { serviceHoursBetween } from '../../src/operations/service-hours.js';
import { roundHours } from '../../src/learners/availability/rules.js';
import { setAvailability, getAvailability } from '../../src/learners/availability/service.js';

const ULN = '9276308686';
const OTHER = '1000000019';
const MERGED = '1000000027';
const URN = 'F/603/2201';

type Extra = { uln?: string; organisation?: string; subject?: string };

function caller(app: App) {
  const headers = async (role: Role, extra: Extra = {}) => ({
    authorization: `Bearer ${await tokenFor(app, role, extra)}`,
  });
  return {
    get: async (role: Role, url: string, extra: Extra = {}) => app.inject({ url, headers: await headers(role, extra) }),
    put: async (role: Role, url: string, payload: unknown, extra: Extra = {}) =>
      app.inject({ method: 'PUT', url, payload: payload as object, headers: await headers(role, extra) }),
    gql: async (role: Role, query: string, variables: Record<string, unknown> = {}, extra: Extra = {}) =>
      (
        await app.inject({
          method: 'POST',
          url: '/graphql',
          payload: { query, variables },
          headers: await headers(role, extra),
        })
      ).json(),
  };
}

async function seed(app: App) {
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [
    learner(ULN),
    learner(OTHER, { givenName: 'Grace' }),
    learner(MERGED, { linkedTo: ULN }),
  ]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, URN, 'a1'),
    credit(c, ULN, URN, 'a2', { aoUkprn: '10000009', awardDate: '2025-05-01' }),
    credit(c, MERGED, URN, 'a3'),
    credit(c, OTHER, URN, 'a4'),
  ]);
}

t.test(
  'OCF 07 end to end: unavailable means NOT_SHARED for others, own records only for the submitting AO',
  async (t) => {
    const { app } = await setupApp(t);
    await seed(app);
    const as = caller(app);
    const check = `/learners/${ULN}/credit-check?urn=${URN}`;

    // Shared to begin with: a provider sees every record, including the one held under the
    // ULN merged into this learner's.
    t.equal(
      (await as.get('provider-user', check)).json().records.length,
      3,
      'available: the provider sees every record',
    );
    t.equal((await as.get('careers-adviser', check)).statusCode, 200);

    const off = await as.put('learner', `/learners/${ULN}/availability`, { available: false, channel: 'online' });
    t.equal(off.statusCode, 200);
    const change = off.json();
    t.equal(change.uln, ULN);
    t.equal(change.available, false);
    t.equal(change.mergedRecords, 1, "the record merged into this learner's changes with it");
    t.equal(change.request.channel, 'online');
    t.equal(change.request.previous, true);
    t.equal(change.request.handledBy, 'user-learner');
    t.equal(change.request.requestedAt, change.request.handledAt, "the learner's own request is handled as it is made");
    t.equal(change.request.serviceHours, 0);

    for (const role of ['provider-user', 'careers-adviser'] as Role[]) {
      const refused = await as.get(role, check);
      t.equal(refused.statusCode, 403, `${role} is refused`);
      t.same(errorBody(refused), { code: 'NOT_SHARED', message: 'the learner has not agreed to share their record' });
    }
    const merged = await as.get('careers-adviser', `/learners/${MERGED}/credit-check?urn=${URN}`);
    t.equal(merged.json().code, 'NOT_SHARED', 'the merged ULN is unavailable too');

    // The learner can see who tried and was turned away.
    const log = (await as.get('learner', `/learners/${ULN}/access-log?limit=50`)).json();
    const refusedEvents = log.items.filter((e: { outcome: string }) => e.outcome === 'refused');
    t.same(
      refusedEvents.map((e: { roles: string[]; uln: string }) => `${e.roles[0]} ${e.uln}`).sort(),
      [`careers-adviser ${MERGED}`, `careers-adviser ${ULN}`, `provider-user ${ULN}`],
      "every refused attempt is in the access log, the merged ULN's too",
    );
    t.ok(
      refusedEvents.every((e: { what: string }) => e.what === `credit-check ${URN}`),
      'with what they asked for',
    );

    const own = await as.get('learner', check);
    t.equal(own.statusCode, 200, 'the learner still sees their record');
    t.equal(own.json().records.length, 3);
    t.equal(own.json().scope, 'all');

    const ao = await as.get('ao-user', check);
    t.equal(ao.statusCode, 200, 'the submitting AO still sees...');
    t.equal(ao.json().scope, 'own-records');
    t.same(
      ao
        .json()
        .records.map((r: { recordId: string }) => r.recordId)
        .sort(),
      ['a1', 'a3'],
      "...its own records and no other AO's",
    );
    const otherAo = await as.get('ao-admin', check, { organisation: '10000009' });
    t.same(
      otherAo.json().records.map((r: { recordId: string }) => r.recordId),
      ['a2'],
      'the other AO sees only its own',
    );

    // An unrelated learner is untouched.
    t.equal((await as.get('careers-adviser', `/learners/${OTHER}/credit-check?urn=${URN}`)).statusCode, 200);

    // The learner phones in to share again; service staff record the call.
    const calledAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const on = await as.put('operator', `/learners/${ULN}/availability`, {
      available: true,
      channel: 'telephone',
      requestedAt: calledAt,
      note: 'caller passed security questions',
    });
    t.equal(on.statusCode, 200);
    const phoned = on.json().request;
    t.equal(phoned.channel, 'telephone');
    t.equal(phoned.handledBy, 'user-operator');
    t.equal(phoned.requestedAt, calledAt);
    t.ok(Date.parse(phoned.handledAt) >= Date.parse(calledAt), 'handled after the call');
    t.equal(
      phoned.serviceHours,
      roundHours(serviceHoursBetween(new Date(phoned.requestedAt), new Date(phoned.handledAt))),
      'handling time is measured in service hours',
    );
    t.ok(phoned.serviceHours <= 3, 'never more than the wall-clock time');
    t.equal((await as.get('careers-adviser', check)).statusCode, 200, 'shared again');
    t.equal((await as.get('careers-adviser', `/learners/${MERGED}/credit-check?urn=${URN}`)).statusCode, 200);

    // The history: both requests, newest first, with when each was made and handled.
    for (const role of ['learner', 'operator'] as Role[]) {
      const history = await as.get(role, `/learners/${ULN}/availability`);
      t.equal(history.statusCode, 200, `${role} reads the history`);
      const body = history.json();
      t.equal(body.available, true);
      t.equal(body.total, 2);
      t.same(
        body.requests.map((r: { channel: string; available: boolean }) => [r.channel, r.available]),
        [
          ['telephone', true],
          ['online', false],
        ],
      );
      t.equal(body.requests[0].note, 'caller passed security questions');
      t.ok(
        body.requests.every(
          (r: { handledAt: string; requestedAt: string }) =>
            !Number.isNaN(Date.parse(r.handledAt)) && !Number.isNaN(Date.parse(r.requestedAt)),
        ),
      );
    }
    const page = await as.get('learner', `/learners/${ULN}/availability?limit=1`);
    t.equal(page.json().requests.length, 1);
    t.equal(page.json().total, 2);

    const viaMerged = await as.get('learner', `/learners/${MERGED}/availability`);
    t.equal(viaMerged.json().masterUln, ULN, "a merged ULN shows its master's history");
    t.equal(viaMerged.json().total, 2);

    // Asking for what is already so is recorded, and says nothing changed.
    const again = await as.put('learner', `/learners/${ULN}/availability`, { available: true, channel: 'api' });
    t.equal(again.json().request.previous, true);
    t.equal(again.json().request.available, true);
  },
);

t.test('OCF 07: who may ask, by which channel, with what', async (t) => {
  const { app } = await setupApp(t);
  await seed(app);
  const as = caller(app);
  const url = `/learners/${ULN}/availability`;
  const expectProblem = async (
    res: Awaited<ReturnType<typeof as.put>>,
    status: number,
    code: string,
    field?: string,
  ) => {
    t.equal(res.statusCode, status, `${code}: status`);
    const body = res.json();
    t.equal(body.code, code);
    if (field) t.match(JSON.stringify(body.details), field, `${code} names ${field}`);
  };

  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'telephone' }),
    400,
    'CHANNEL_NOT_ALLOWED',
    'channel',
  );
  await expectProblem(
    await as.put('operator', url, { available: false, channel: 'online' }),
    400,
    'CHANNEL_NOT_ALLOWED',
    'channel',
  );
  await expectProblem(
    await as.put('operator', url, { available: false, channel: 'telephone' }),
    400,
    'REQUESTED_AT_REQUIRED',
    'requestedAt',
  );
  await expectProblem(
    await as.put('operator', url, { available: false, channel: 'telephone', requestedAt: 'yesterday' }),
    400,
    'INVALID_DATE_TIME',
    'requestedAt',
  );
  await expectProblem(
    await as.put('operator', url, { available: false, channel: 'telephone', requestedAt: '2025-02-30T10:00:00Z' }),
    400,
    'INVALID_DATE_TIME',
    'requestedAt',
  );
  await expectProblem(
    await as.put('operator', url, { available: false, channel: 'telephone', requestedAt: '2025-06-02T10:00' }),
    400,
    'INVALID_DATE_TIME',
    'requestedAt',
  );
  await expectProblem(
    await as.put('operator', url, {
      available: false,
      channel: 'telephone',
      requestedAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
    400,
    'REQUESTED_IN_FUTURE',
    'requestedAt',
  );
  await expectProblem(
    await as.put('operator', url, {
      available: false,
      channel: 'telephone',
      requestedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    }),
    400,
    'REQUESTED_TOO_LONG_AGO',
    'requestedAt',
  );
  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'online', requestedAt: new Date().toISOString() }),
    400,
    'FIELD_NOT_ALLOWED',
    'requestedAt',
  );
  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'online', note: 'hello' }),
    400,
    'FIELD_NOT_ALLOWED',
    'note',
  );
  await expectProblem(await as.put('learner', url, { channel: 'online' }), 400, 'VALIDATION', 'available');
  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'pigeon' }),
    400,
    'VALIDATION',
    'channel',
  );
  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'online', extra: 1 }),
    400,
    'VALIDATION',
    'extra',
  );
  await expectProblem(
    await as.put('learner', url, { available: 'no', channel: 'online' }),
    400,
    'VALIDATION',
    'available',
  );

  await expectProblem(
    await as.put('learner', url, { available: false, channel: 'online' }, { uln: OTHER }),
    403,
    'FORBIDDEN',
  );
  await expectProblem(await as.put('careers-adviser', url, { available: false, channel: 'online' }), 403, 'FORBIDDEN');
  await expectProblem(await as.put('ao-admin', url, { available: false, channel: 'online' }), 403, 'FORBIDDEN');
  t.equal((await app.inject({ method: 'PUT', url, payload: { available: false, channel: 'online' } })).statusCode, 401);
  await expectProblem(
    await as.put('operator', '/learners/1234567890/availability', {
      available: false,
      channel: 'telephone',
      requestedAt: new Date().toISOString(),
    }),
    400,
    'INVALID_ULN',
    'uln',
  );
  await expectProblem(
    await as.put('operator', '/learners/1000000035/availability', {
      available: false,
      channel: 'telephone',
      requestedAt: new Date().toISOString(),
    }),
    404,
    'LEARNER_NOT_FOUND',
  );
  await expectProblem(await as.get('provider-user', url), 403, 'FORBIDDEN');
  await expectProblem(await as.get('learner', `${url}?limit=0`), 400, 'VALIDATION', 'limit');

  const history = (await as.get('operator', url)).json();
  t.equal(history.total, 0, 'no refused request was stored');
  t.equal(history.available, true, 'and the flag never moved');
});

t.test('OCF 07: the handling time of a telephone request skips nights, Sundays and bank holidays', async (t) => {
  const { app } = await setupApp(t);
  await seed(app);
  const operator: Principal = {
    subject: 'user-operator',
    roles: ['operator'],
    organisation: '10000005',
    tokenId: 'op',
  };
  // Recorded on Saturday 27 December 2025 at 08:30 GMT, for a call on Christmas Eve at
  // 19:00: Wednesday 19:00-20:00 (1 h), Christmas Day and Boxing Day closed, Saturday
  // 08:00-08:30 (0.5 h).
  const deps = { graph: app.deps.graph, now: () => new Date('2025-12-27T08:30:00Z') };
  const change = await setAvailability(deps, operator, ULN, {
    available: false,
    channel: 'telephone',
    requestedAt: '2025-12-24T19:00:00Z',
  });
  t.equal(change.request.serviceHours, 1.5);
  t.equal(change.request.handledAt, '2025-12-27T08:30:00.000Z');
  t.equal(change.request.requestedAt, '2025-12-24T19:00:00.000Z');

  // A call on Saturday 20 December 2025 at 19:30, recorded on Monday 22nd at 09:15:
  // Saturday 0.5 h, Sunday closed, Monday 1.25 h.
  const monday = { graph: app.deps.graph, now: () => new Date('2025-12-22T09:15:00Z') };
  const earlier = await setAvailability(monday, operator, ULN, {
    available: true,
    channel: 'telephone',
    requestedAt: '2025-12-20T19:30:00Z',
  });
  t.equal(earlier.request.serviceHours, 1.75);

  const history = await getAvailability(deps, operator, ULN);
  t.same(
    history.requests.map((r) => r.serviceHours),
    [1.5, 1.75],
    'newest handled first',
  );
  t.equal(history.available, true, 'the flag is whatever the last request processed set');
});

t.test('OCF 07 over GraphQL', async (t) => {
  const { app } = await setupApp(t);
  await seed(app);
  const as = caller(app);
  const set = `mutation($uln: String!, $available: Boolean!, $channel: String!, $requestedAt: String) {
    setAvailability(uln: $uln, available: $available, channel: $channel, requestedAt: $requestedAt) { uln available request { channel serviceHours handledBy } }
  }`;
  const off = await as.gql('learner', set, { uln: ULN, available: false, channel: 'api' });
  t.same(off.data.setAvailability, {
    uln: ULN,
    available: false,
    request: { channel: 'api', serviceHours: 0, handledBy: 'user-learner' },
  });

  const refused = await as.gql('careers-adviser', `{ creditCheck(uln: "${ULN}", urn: "${URN}") { awarded } }`);
  t.equal(refused.errors[0].extensions.code, 'NOT_SHARED');

  const wrongChannel = await as.gql('operator', set, { uln: ULN, available: true, channel: 'online' });
  t.equal(wrongChannel.errors[0].extensions.code, 'CHANNEL_NOT_ALLOWED');
  const unknownChannel = await as.gql('learner', set, { uln: ULN, available: true, channel: 'fax' });
  t.equal(unknownChannel.errors[0].extensions.code, 'VALIDATION');
  const notYours = await as.gql('provider-admin', set, { uln: ULN, available: true, channel: 'online' });
  t.equal(notYours.errors[0].extensions.code, 'FORBIDDEN');

  const read = await as.gql(
    'operator',
    `{ availability(uln: "${ULN}") { uln available total requests { channel available previous requestedAt handledAt } } }`,
  );
  t.equal(read.data.availability.available, false);
  t.equal(read.data.availability.total, 1);
  t.same(
    read.data.availability.requests.map((r: { channel: string; previous: boolean }) => [r.channel, r.previous]),
    [['api', true]],
  );
  const other = await as.gql('learner', `{ availability(uln: "${ULN}") { available } }`, {}, { uln: OTHER });
  t.equal(other.errors[0].extensions.code, 'FORBIDDEN');
});
