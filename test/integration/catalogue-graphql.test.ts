import t from 'tap';
import { setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';

const ULN = '9276308686';

t.test('GraphQL: qualification rules, progress and credit check', async (t) => {
  const { app } = await setupApp(t);
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ULN)]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'H/601/4101', 'g1'),
    credit(c, ULN, 'K/601/4102', 'g2', { awardDate: '2026-01-10' }),
  ]);
  const gql = async (query: string, token?: string) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query },
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    ).json();

  const rules = await gql(
    '{ qualification(qan: "600/1102/6") { title size groups { id mandatory maxCredits units { urn credit } } barred exemptions { name credits } } }',
  );
  const q = rules.data.qualification;
  t.equal(q.title, 'Level 2 Certificate in Professional Cookery Skills');
  t.same(
    q.groups.map((g: any) => [g.id, g.mandatory, g.maxCredits]),
    [
      ['A', true, null],
      ['B', false, 12],
      ['C', false, 3],
    ],
  );
  t.same(q.barred, [['F/601/4106', 'J/601/4107']]);
  t.equal(q.exemptions[0].credits, 3);

  t.equal((await gql('{ qualification(qan: "999/9999/9") { title } }')).data.qualification, null, 'unknown QAN: null');
  t.equal((await gql('{ qualification(qan: "nope") { title } }')).errors[0].extensions.code, 'INVALID_QAN');

  const progressQuery = `{ qualification(qan: "600/1101/4") { progress(uln: "${ULN}") { achieved totalCredits totalRequired allocation { urn group } unmet { message } } } }`;
  const anonymous = await gql(progressQuery);
  t.equal(anonymous.errors[0].extensions.code, 'UNAUTHORIZED', 'progress needs a token');
  const mine = await gql(progressQuery, await tokenFor(app, 'learner'));
  t.same(mine.data.qualification.progress, {
    achieved: true,
    totalCredits: 2,
    totalRequired: 2,
    allocation: [
      { urn: 'H/601/4101', group: 'A' },
      { urn: 'K/601/4102', group: 'A' },
    ],
    unmet: [],
  });
  const earlier = await gql(
    `{ qualification(qan: "600/1101/4") { progress(uln: "${ULN}", date: "2025-12-31") { achieved unmet { rule message } } } }`,
    await tokenFor(app, 'careers-adviser'),
  );
  t.equal(earlier.data.qualification.progress.achieved, false);
  t.equal(earlier.data.qualification.progress.unmet[0].rule, 'mandatory');

  const check = await gql(
    `{ creditCheck(uln: "${ULN}", urn: "H/601/4101") { awarded records { aoUkprn status } countsTowards { qan } } }`,
    await tokenFor(app, 'provider-user'),
  );
  t.same(check.data.creditCheck.records, [{ aoUkprn: '10000001', status: 'active' }]);
  t.ok(check.data.creditCheck.countsTowards.length >= 3);
  const refused = await gql(
    `{ creditCheck(uln: "${ULN}", urn: "H/601/4101") { awarded } }`,
    await tokenFor(app, 'analyst'),
  );
  t.equal(refused.errors[0].extensions.code, 'FORBIDDEN');
  t.notOk(refused.data?.creditCheck);

  const page = await gql('{ qualifications(level: "2", limit: 2) { total items { qan } } }');
  t.equal(page.data.qualifications.total, 4);
  t.equal(page.data.qualifications.items.length, 2);
  t.equal((await gql('{ qualifications(level: "9") { total } }')).errors[0].extensions.code, 'VALIDATION');
});
