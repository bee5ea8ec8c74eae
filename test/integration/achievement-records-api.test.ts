import t from 'tap';
import { setupApp, tokenFor } from '../helpers/app.js';
import { learner, loadSample, upsertLearners } from '../helpers/fixtures.js';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/platform/auth.js';

const AO = '10000001';
const OTHER_AO = '10000009';
const ADA = '1234567805';
const ada = { uln: ADA, given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '2004-12-10', gender: 'F' };
// A recent award date, so that "not in the future" holds whenever the test runs.
const AWARD = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);

async function auth(app: App, role: Role, organisation?: string) {
  return { authorization: `Bearer ${await tokenFor(app, role, organisation ? { organisation } : {})}` };
}

async function gql(app: App, headers: Record<string, string>, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } });
  return res.json<{
    data?: Record<string, any>;
    errors?: { message: string; extensions?: { code?: string; details?: unknown } }[];
  }>();
}

t.test(
  'single records over REST: add, amend, withdraw, list, history; other AOs refused; operator reads',
  async (t) => {
    const { app } = await setupApp(t);
    const graph = app.deps.graph;
    await loadSample(graph);
    await upsertLearners(graph, [learner(ADA)]);
    const ao = await auth(app, 'ao-user');
    const post = (headers: Record<string, string>, payload: Record<string, string>, query = '') =>
      app.inject({ method: 'POST', url: `/achievements${query}`, headers, payload });

    const unit = {
      record_id: 'web/1',
      action: 'ADD',
      ...ada,
      urn: 'H/601/4101',
      credit: '1',
      level: '2',
      award_date: AWARD,
    };
    const checked = await post(ao, unit, '?validateOnly=true');
    t.equal(checked.statusCode, 200);
    t.match(checked.json(), { result: 'added', validateOnly: true, record: null });

    const added = await post(ao, unit);
    t.equal(added.statusCode, 201, added.body);
    t.match(added.json(), {
      result: 'added',
      late: false,
      record: { recordId: 'web/1', aoUkprn: AO, version: 1, status: 'active', kind: 'unit' },
    });
    t.equal((await post(ao, unit)).json().result, 'unchanged', 'the same ADD again is a no-op');

    const clash = await post(ao, { ...unit, grade: 'Pass' });
    t.equal(clash.statusCode, 409);
    t.equal(clash.json().code, 'E024');
    t.match(clash.json().message, /AMEND/);

    const bad = await post(ao, { ...unit, record_id: 'web/2', family_name: 'Smith' });
    t.equal(bad.statusCode, 422);
    t.match(bad.json(), { code: 'E007', details: { field: 'family_name' } });
    t.notMatch(bad.body, /Smith|Lovelace/, 'no personal details in the answer');

    t.equal((await post(ao, { record_id: 'nothing', action: 'WITHDRAW' })).json().code, 'E023');
    t.equal((await post(ao, { ...unit, action: 'AMEND', grade: 'Pass' })).json().result, 'amended');
    const withdrawn = await post(ao, { record_id: 'web/1', action: 'WITHDRAW' });
    t.match(withdrawn.json(), { result: 'withdrawn', record: { status: 'withdrawn', version: 3 } });

    const history = await app.inject({ method: 'GET', url: '/achievements/web%2F1', headers: ao });
    t.equal(history.statusCode, 200, history.body);
    t.same(
      history
        .json()
        .versions.map((v: { version: number; action: string; grade: string | null }) => [v.version, v.action, v.grade]),
      [
        [2, 'AMEND', 'Pass'],
        [1, 'ADD', null],
      ],
    );
    t.equal(history.json().current.status, 'withdrawn');

    const list = await app.inject({ method: 'GET', url: `/achievements?uln=${ADA}`, headers: ao });
    t.match(list.json(), { ao: AO, page: 1, more: false, items: [{ recordId: 'web/1', status: 'withdrawn' }] });

    // Another AO sees none of it and cannot change it.
    const other = await auth(app, 'ao-admin', OTHER_AO);
    t.equal((await app.inject({ method: 'GET', url: '/achievements/web%2F1', headers: other })).statusCode, 404);
    t.equal(
      (await app.inject({ method: 'GET', url: `/achievements/web%2F1?ao=${AO}`, headers: other })).statusCode,
      403,
    );
    t.same((await app.inject({ method: 'GET', url: '/achievements', headers: other })).json().items, []);
    t.equal(
      (await post(other, { ...unit, action: 'AMEND' })).json().code,
      'E023',
      "another AO's record is not there to amend",
    );

    // The operator reads any AO's history but changes nothing; other roles are refused.
    const operator = await auth(app, 'operator');
    t.equal(
      (await app.inject({ method: 'GET', url: `/achievements/web%2F1?ao=${AO}`, headers: operator })).json().versions
        .length,
      2,
    );
    t.equal(
      (await app.inject({ method: 'GET', url: '/achievements/web%2F1', headers: operator })).statusCode,
      400,
      'the operator names the AO',
    );
    t.equal((await post(operator, unit)).statusCode, 403);
    for (const role of ['learner', 'provider-user', 'analyst'] as Role[]) {
      t.equal(
        (await app.inject({ method: 'GET', url: `/achievements?ao=${AO}`, headers: await auth(app, role) })).statusCode,
        403,
        role,
      );
    }
    t.equal((await app.inject({ method: 'GET', url: '/achievements' })).statusCode, 401);
    t.equal((await post(ao, { ...unit, colour: 'blue' })).statusCode, 400, 'unknown fields are refused');
  },
);

t.test('a withdrawn credit shows as withdrawn in the credit check and stops counting', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ADA)]);
  const ao = await auth(app, 'ao-user');
  for (const [id, urn] of [
    ['c1', 'H/601/4101'],
    ['c2', 'K/601/4102'],
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/achievements',
      headers: ao,
      payload: { record_id: id, action: 'ADD', ...ada, urn, credit: '1', level: '2', award_date: AWARD },
    });
    t.equal(res.statusCode, 201, res.body);
  }
  const progress = async () =>
    (await app.inject({ method: 'GET', url: `/qualifications/600%2F1101%2F4/rules?uln=${ADA}`, headers: ao })).json()
      .progress.achieved;
  t.equal(await progress(), true);
  await app.inject({
    method: 'POST',
    url: '/achievements',
    headers: ao,
    payload: { record_id: 'c2', action: 'WITHDRAW' },
  });
  const check = await app.inject({ method: 'GET', url: `/learners/${ADA}/credit-check?urn=K/601/4102`, headers: ao });
  t.match(check.json(), { awarded: false, records: [{ recordId: 'c2', status: 'withdrawn' }] });
  const gcheck = await gql(
    app,
    ao,
    `query($uln: String!) { creditCheck(uln: $uln, urn: "K/601/4102") { awarded records { recordId status } } }`,
    { uln: ADA },
  );
  t.same(gcheck.data?.creditCheck, { awarded: false, records: [{ recordId: 'c2', status: 'withdrawn' }] });
  t.equal(await progress(), false, 'the award no longer holds');
  const award = await app.inject({
    method: 'POST',
    url: '/achievements',
    headers: ao,
    payload: { record_id: 'q1', action: 'ADD', ...ada, qan: '600/1101/4', level: '2', award_date: AWARD },
  });
  t.equal(award.json().code, 'E026');
});

t.test('single records over GraphQL', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ADA)]);
  const ao = await auth(app, 'ao-admin');
  const submit = `mutation($r: AchievementInput!) { submitAchievement(record: $r) { result late record { recordId version status } } }`;
  const record = {
    record_id: 'g1',
    action: 'ADD',
    ...ada,
    urn: 'H/601/4101',
    credit: '1',
    level: '2',
    award_date: AWARD,
  };
  const added = await gql(app, ao, submit, { r: record });
  t.same(added.data?.submitAchievement, {
    result: 'added',
    late: false,
    record: { recordId: 'g1', version: 1, status: 'active' },
  });
  const amended = await gql(app, ao, submit, { r: { ...record, action: 'AMEND', grade: 'Merit' } });
  t.equal(amended.data?.submitAchievement.result, 'amended');
  const rejected = await gql(app, ao, submit, { r: { ...record, record_id: 'g2', credit: '9' } });
  t.equal(rejected.errors?.[0].extensions?.code, 'E015');
  const withdrawn = await gql(
    app,
    ao,
    `mutation { withdrawAchievement(recordId: "g1") { result record { status version } } }`,
  );
  t.same(withdrawn.data?.withdrawAchievement, { result: 'withdrawn', record: { status: 'withdrawn', version: 3 } });

  const read = `query($ao: String) { achievement(recordId: "g1", ao: $ao) { current { status version } versions { version action grade } } achievements(ao: $ao) { items { recordId } more } }`;
  const mine = await gql(app, ao, read);
  t.same(mine.data?.achievement, {
    current: { status: 'withdrawn', version: 3 },
    versions: [
      { version: 2, action: 'AMEND', grade: 'Merit' },
      { version: 1, action: 'ADD', grade: null },
    ],
  });
  t.same(mine.data?.achievements, { items: [{ recordId: 'g1' }], more: false });
  const operator = await gql(app, await auth(app, 'operator'), read, { ao: AO });
  t.equal(operator.data?.achievement.versions.length, 2);
  const otherAo = await gql(app, await auth(app, 'ao-user', '10000009'), read, { ao: AO });
  t.equal(otherAo.errors?.[0].extensions?.code, 'FORBIDDEN');
  const provider = await gql(app, await auth(app, 'provider-user'), submit, { r: record });
  t.equal(provider.errors?.[0].extensions?.code, 'FORBIDDEN');
});

t.test('an array of records: each answered on its own, the accepted ones written together', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ADA)]);
  const ao = await auth(app, 'ao-user');
  const unit = (id: string, urn: string, extra: Record<string, string> = {}) => ({
    record_id: id,
    action: 'ADD',
    ...ada,
    urn,
    credit: '1',
    level: '2',
    award_date: AWARD,
    ...extra,
  });
  const records = [
    unit('arr/1', 'H/601/4101'),
    unit('arr/2', 'K/601/4102', { family_name: 'Smith' }),
    // An award resting on the two credits: only arr/1 is accepted, so the rules are not met.
    { record_id: 'arr/3', action: 'ADD', ...ada, qan: '600/1101/4', level: '2', award_date: AWARD },
    unit('arr/1', 'H/601/4101'),
    { record_id: 'nothing-here', action: 'WITHDRAW' },
  ];
  const post = (payload: unknown, query = '') =>
    app.inject({ method: 'POST', url: `/achievements${query}`, headers: ao, payload: payload as object });
  const checked = await post(records, '?validateOnly=true');
  t.equal(checked.statusCode, 200, checked.body);
  t.match(checked.json(), { validateOnly: true, counts: { added: 1, rejected: 4 } });

  const res = await post(records);
  t.equal(res.statusCode, 200, res.body);
  const body = res.json();
  t.same(
    body.items.map((i: { index: number; status: number; result: string; code: string | null }) => [
      i.index,
      i.status,
      i.result,
      i.code,
    ]),
    [
      [0, 201, 'added', null],
      [1, 422, 'rejected', 'E007'],
      [2, 422, 'rejected', 'E026'],
      [3, 409, 'rejected', 'E003'],
      [4, 404, 'rejected', 'E023'],
    ],
    'in the order sent, each with the status and code a single POST would give',
  );
  t.match(body.items[3].message, /row 1 /, 'the repeat names the earlier record by its row (index + 1)');
  t.notMatch(res.body, /Smith|Lovelace/, 'no personal details in the answer');
  t.same(body.counts, { added: 1, amended: 0, withdrawn: 0, unchanged: 0, rejected: 4, late: 0 });
  const list = await app.inject({ method: 'GET', url: `/achievements?uln=${ADA}`, headers: ao });
  t.same(
    list.json().items.map((r: { recordId: string }) => r.recordId),
    ['arr/1'],
    'only the accepted record was stored',
  );
  t.equal((await post([unit('arr/1', 'H/601/4101')])).json().items[0].result, 'unchanged', 'a resend changes nothing');

  const tooMany = await post(Array.from({ length: 1001 }, (_, i) => unit(`m/${i}`, 'H/601/4101')));
  t.equal(tooMany.statusCode, 400, 'more than 1,000 records: refused whole');
  t.equal((await post([])).statusCode, 400, 'an empty array is refused');

  const g = await gql(
    app,
    ao,
    'mutation ($r: [AchievementInput!]!) { submitAchievements(records: $r) { counts { added unchanged } items { index result } } }',
    { r: [unit('arr/1', 'H/601/4101'), unit('arr/4', 'K/601/4102')] },
  );
  t.same(g.data?.submitAchievements, {
    counts: { added: 1, unchanged: 1 },
    items: [
      { index: 0, result: 'unchanged' },
      { index: 1, result: 'added' },
    ],
  });
});

t.test('due dates: on every record, and asked for an award date', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await upsertLearners(graph, [learner(ADA)]);
  const ao = await auth(app, 'ao-user');
  await graph.driver.executeQuery(
    "CREATE (:ServiceOutage {start: datetime('2025-06-10T09:00:00Z'), end: datetime('2025-06-10T21:00:00Z')})",
    {},
    { database: graph.database },
  );
  const ask = (query: string, headers = ao) =>
    app.inject({ method: 'GET', url: `/submission-deadlines?${query}`, headers });
  // Award Wed 2025-06-04: due by the end of Wed 18 June; twelve hours of outage move it to Thursday noon.
  const res = await ask('awardDate=2025-06-04&submittedAt=2025-06-19T09:00:00%2B01:00');
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), {
    awardDate: '2025-06-04',
    ukprn: AO,
    nation: 'GB-ENG',
    workingDays: 10,
    due: { date: '2025-06-19', lateFrom: '2025-06-19T11:00:00.000Z', extendedMinutes: 720 },
    downtime: [{ start: '2025-06-10T09:00:00.000Z', end: '2025-06-10T21:00:00.000Z' }],
    late: false,
  });
  t.equal((await ask('awardDate=2025-06-04&submittedAt=2025-06-19T13:00:00Z')).json().late, true);
  t.equal((await ask('awardDate=2025-02-30')).json().details[0].field, 'awardDate');
  t.equal(
    (await ask('awardDate=2025-06-04', await auth(app, 'operator'))).statusCode,
    400,
    'the operator names the AO',
  );
  t.equal((await ask(`awardDate=2025-06-04&ukprn=${AO}`, await auth(app, 'operator'))).statusCode, 200);

  const added = await app.inject({
    method: 'POST',
    url: '/achievements',
    headers: ao,
    payload: {
      record_id: 'due/1',
      action: 'ADD',
      ...ada,
      urn: 'H/601/4101',
      credit: '1',
      level: '2',
      award_date: '2025-06-04',
    },
  });
  t.equal(added.statusCode, 201, added.body);
  t.match(added.json().record, { late: true, due: { date: '2025-06-19', extendedMinutes: 720 } });
  const list = await app.inject({ method: 'GET', url: '/achievements', headers: ao });
  t.equal(list.json().items[0].due.lateFrom, '2025-06-19T11:00:00.000Z');
  const one = await gql(app, ao, '{ achievement(recordId: "due/1") { current { late due { date lateFrom } } } }');
  t.same(one.data?.achievement.current, {
    late: true,
    due: { date: '2025-06-19', lateFrom: '2025-06-19T11:00:00.000Z' },
  });
});
