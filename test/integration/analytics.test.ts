import t, { type Test } from 'tap';
import type { App } from '../../src/app.js';
import { setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import type { Role } from '../../src/platform/auth.js';

const ULN_A = '9276308686';
const ULN_B = '1000000019';

/** Seeded personal values: none of them may ever appear in an answer to the analyst. */
const SECRETS = [
  'Zephyrine',
  'Quartermaine',
  'Oldcastle',
  'Bartholomew',
  'Featherstonehaugh',
  'ZZ9 9ZZ',
  'QX1 7QQ',
  'zq@secret.example',
  'bf@secret.example',
  '1999-02-03',
  '2001-07-08',
  'Mortimer Blackwood',
  'grandparent-secret',
];

const MAX_ROWS = 25;
const TIMEOUT_MS = 1_500;

async function setup(): Promise<App> {
  const { app } = await setupApp(t, { ANALYTICS_TIMEOUT_MS: String(TIMEOUT_MS), ANALYTICS_MAX_ROWS: String(MAX_ROWS) });

  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [
    learner(ULN_A, {
      givenName: 'Zephyrine',
      familyName: 'Quartermaine',
      previousFamilyName: 'Oldcastle',
      dateOfBirth: '1999-02-03',
      gender: 'F',
      postcode: 'ZZ9 9ZZ',
      email: 'zq@secret.example',
    }),
    learner(ULN_B, {
      givenName: 'Bartholomew',
      familyName: 'Featherstonehaugh',
      dateOfBirth: '2001-07-08',
      gender: 'M',
      postcode: 'QX1 7QQ',
      email: 'bf@secret.example',
    }),
  ]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN_A, 'H/601/4101', 'a1'),
    credit(c, ULN_A, 'K/601/4102', 'a2'),
    credit(c, ULN_A, 'M/601/4103', 'a3', { aoUkprn: '10000009' }),
    credit(c, ULN_B, 'H/601/4101', 'b1'),
    credit(c, ULN_B, 'H/602/7701', 'b2'),
  ]);
  // A representative, as a challenge filed for a learner would leave one (test data only).
  await app.deps.graph.driver.executeQuery(
    "CREATE (:Challenge {id: 'ch-1', uln: $uln, reason: 'Mortimer Blackwood says the grade is wrong'})-[:FILED_BY_REPRESENTATIVE]->(:Representative {challengeId: 'ch-1', name: 'Mortimer Blackwood', relationship: 'grandparent-secret'})",
    { uln: ULN_A },
    { database: app.deps.graph.database },
  );
  return app;
}

const app = await setup();

async function ask(query: string, role: Role = 'analyst') {
  const res = await app.inject({
    method: 'POST',
    url: '/analytics/cypher',
    payload: { query },
    headers: { authorization: `Bearer ${await tokenFor(app, role)}` },
  });
  return { status: res.statusCode, body: res.json(), raw: res.body };
}

function noSecrets(t: Test, raw: string, what: string) {
  const found = SECRETS.filter((s) => raw.includes(s));
  t.same(found, [], `${what}: no personal value in the answer`);
}

t.test('legitimate analyst queries answer with plain JSON', async (t) => {
  const perLevel = await ask(
    'MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement) RETURN a.level AS level, count(DISTINCT l) AS learners, sum(a.credit) AS credits ORDER BY level',
  );
  t.equal(perLevel.status, 200, JSON.stringify(perLevel.body));
  t.same(perLevel.body.columns, ['level', 'learners', 'credits']);
  t.same(
    perLevel.body.rows,
    [
      ['1', 1, 2],
      ['2', 2, 3],
      ['3', 1, 3],
    ],
    'learners and credits per level',
  );
  t.equal(perLevel.body.rowCount, 3);
  t.equal(perLevel.body.truncated, false);
  t.type(perLevel.body.ms, 'number');

  const perAo = await ask(
    'MATCH (o:Organisation)-[:OWNS]->(q:Qualification) RETURN o.ukprn AS ao, count(q) AS qualifications, collect(q.qan)[0..2] AS some ORDER BY ao',
  );
  t.equal(perAo.status, 200, JSON.stringify(perAo.body));
  t.ok(perAo.body.rows.length >= 1);
  t.equal(
    perAo.body.rows.reduce((s: number, r: any[]) => s + r[1], 0),
    6,
    'the six sample qualifications, counted per AO',
  );

  const topUnits = await ask(
    'MATCH (a:Achievement)-[:FOR_UNIT]->(u:Unit) RETURN u.urn AS urn, u.title AS title, sum(a.credit) AS awarded, count(a) AS records ORDER BY awarded DESC, urn LIMIT 3',
  );
  t.equal(topUnits.status, 200);
  t.same(topUnits.body.rows[0].slice(0, 1), ['H/602/7701'], 'the 3-credit unit first');
  t.same(topUnits.body.rows.find((r: any[]) => r[0] === 'H/601/4101')?.[3], 2, 'two records of H/601/4101');

  const dates = await ask(
    "MATCH (a:Achievement) RETURN min(a.awardDate) AS first, {n: count(a), list: [1, 2.5, 'x', true, null]} AS info",
  );
  t.equal(dates.status, 200);
  t.same(
    dates.body.rows,
    [['2025-06-01', { n: 5, list: [1, 2.5, 'x', true, null] }]],
    'dates as ISO strings, maps and lists as JSON',
  );

  const labels = await ask('CALL db.labels() YIELD label RETURN label ORDER BY label');
  t.equal(labels.status, 200, 'db.labels is allowed');
  t.ok(labels.body.rows.some((r: string[]) => r[0] === 'Unit'));

  const learnerUlns = await ask('MATCH (l:Learner) RETURN l.uln AS uln, l.available AS available ORDER BY uln');
  t.same(
    learnerUlns.body.rows,
    [
      [ULN_B, true],
      [ULN_A, true],
    ],
    'the Learner node itself carries no personal detail',
  );
  noSecrets(t, perLevel.raw + perAo.raw + topUnits.raw + learnerUlns.raw, 'legitimate answers');
});

t.test('the row limit truncates and says so', async (t) => {
  const res = await ask('UNWIND range(1, 100) AS i RETURN i');
  t.equal(res.status, 200);
  t.equal(res.body.rowCount, MAX_ROWS);
  t.equal(res.body.rows.length, MAX_ROWS);
  t.equal(res.body.truncated, true);
  t.same(res.body.rows[0], [1]);
  const exact = await ask(`UNWIND range(1, ${MAX_ROWS}) AS i RETURN i`);
  t.equal(exact.body.truncated, false, 'exactly the limit is not truncated');
});

t.test('the time limit stops a slow query', async (t) => {
  const started = Date.now();
  // 30^6 rows, each read and summed: far beyond the limit (a bare count(*) would be answered from the counts store).
  const res = await ask(
    'MATCH (a:Unit), (b:Unit), (c:Unit), (d:Unit), (e:Unit), (f:Unit) WHERE a.credit + b.credit + c.credit + d.credit + e.credit + f.credit < 0 RETURN count(*) AS n',
  );
  t.equal(res.status, 408, JSON.stringify(res.body));
  t.equal(res.body.code, 'ANALYTICS_TIMEOUT');
  t.ok(Date.now() - started < TIMEOUT_MS + 8_000, 'stopped near the limit');
  const after = await ask('RETURN 1 AS one');
  t.same(after.body.rows, [[1]], 'the console still answers afterwards');
});

t.test('syntax errors say what Neo4j said, without a stack', async (t) => {
  const res = await ask('MATCH (n:Unit RETURN n.urn');
  t.equal(res.status, 400);
  t.equal(res.body.code, 'CYPHER_SYNTAX');
  t.match(res.body.message, /Invalid input|expected/i);
  t.notMatch(res.body.message, /EXPLAIN/, "the console's own EXPLAIN is not shown");
  t.notMatch(res.raw, /at .*\.js:\d+/, 'no stack trace');
});

t.test('only analysts may use the console', async (t) => {
  for (const role of [
    'learner',
    'ao-user',
    'ao-admin',
    'provider-user',
    'provider-admin',
    'careers-adviser',
    'operator',
  ] as Role[]) {
    const res = await ask('RETURN 1', role);
    t.equal(res.status, 403, `${role} is refused`);
  }
  const anonymous = await app.inject({ method: 'POST', url: '/analytics/cypher', payload: { query: 'RETURN 1' } });
  t.equal(anonymous.statusCode, 401, 'no token, no console');
});

/** Queries an analyst must not get personal details (or writes) through. */
const HOSTILE: [string, string][] = [
  ['create', "CREATE (:Unit {urn: 'X/000/0001'})"],
  ['merge', "MERGE (o:Organisation {ukprn: '99999999'}) RETURN o.ukprn"],
  ['set', "MATCH (u:Unit) SET u.title = 'pwned' RETURN count(u)"],
  ['remove', 'MATCH (u:Unit) REMOVE u.title RETURN count(u)'],
  ['delete', 'MATCH (a:Achievement) DELETE a'],
  ['detach delete', 'MATCH (n) DETACH DELETE n'],
  ['foreach write', "MATCH (u:Unit) WITH collect(u) AS us FOREACH (x IN us | SET x.title = 'x')"],
  ['load csv', "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"],
  [
    'load csv, hidden after a comment',
    "// harmless\nLOAD\nCSV FROM 'https://example.org/x.csv' AS row RETURN count(row)",
  ],
  ['writing procedure', "CALL db.createLabel('Pwned')"],
  ['dbms procedure', 'CALL dbms.components() YIELD name RETURN name'],
  ['dbms listing', 'CALL dbms.listConfig() YIELD value RETURN value'],
  ['create index', 'CREATE INDEX pwned IF NOT EXISTS FOR (u:Unit) ON (u.title)'],
  ['drop constraint', 'DROP CONSTRAINT unit_urn IF EXISTS'],
  ['call in transactions', 'MATCH (u:Unit) CALL (u) { SET u.x = 1 } IN TRANSACTIONS RETURN count(u)'],
  ['personal label directly', 'MATCH (p:PersonalDetails) RETURN p'],
  ['personal property through HAS_DETAILS', 'MATCH (l:Learner)-[:HAS_DETAILS]->(p) RETURN p.familyName'],
  ['whole nodes reached blindly', 'MATCH (l:Learner)-->(x) RETURN x'],
  ['every node', 'MATCH (n) RETURN n'],
  ['properties()', 'MATCH (n) RETURN properties(n)'],
  ['keys()', 'MATCH (n) RETURN keys(n)'],
  ['map projection of all', 'MATCH (n) RETURN n {.*}'],
  ['map projection by name', 'MATCH (n) RETURN n {.uln, .postcode}'],
  ['paths', 'MATCH p = (l:Learner)-[*1..2]-() RETURN p'],
  ['nodes of paths', 'MATCH p = (l:Learner)-[*1..2]-() RETURN nodes(p)'],
  ['inference through a filter', 'MATCH (n) WHERE n.familyName IS NOT NULL RETURN count(n)'],
  ['inference through keys()', "MATCH (n) WHERE any(k IN keys(n) WHERE k STARTS WITH 'fam') RETURN n.uln"],
  [
    'union with a personal branch',
    'MATCH (u:Unit) RETURN u.title AS t UNION MATCH (p:PersonalDetails) RETURN p.givenName AS t',
  ],
  ['union with a blind branch', 'MATCH (u:Unit) RETURN u.title AS t UNION MATCH (n) RETURN n.email AS t'],
  ['aliasing through WITH', 'MATCH (p:PersonalDetails) WITH p AS x RETURN x.email'],
  ['aliasing through UNWIND', 'MATCH (l:Learner)-[r]->(d) WITH collect(d) AS ds UNWIND ds AS x RETURN x.postcode'],
  ['label through a variable', "MATCH (n) WHERE 'PersonalDetails' IN labels(n) RETURN n.postcode"],
  ['label built from pieces', "MATCH (n) WHERE ('Personal' + 'Details') IN labels(n) RETURN n.uln, n.dateOfBirth"],
  ['dynamic property', "MATCH (n) RETURN n['given' + 'Name']"],
  ['dynamic property by variable', "MATCH (n) WITH n, 'gender' AS k RETURN n[k]"],
  ['dynamic property in a comprehension', "MATCH (n) RETURN [k IN ['givenName', 'familyName'] | n[k]]"],
  ['collect of nodes', 'MATCH (l:Learner)-->(x) RETURN collect(x) AS xs'],
  ['list comprehension over nodes', 'MATCH (l:Learner) RETURN [(l)-->(x) | x] AS xs'],
  ['list comprehension with a key', 'MATCH (l:Learner) RETURN [(l)-->(x) | x.givenName] AS names'],
  ['optional match', 'MATCH (l:Learner) OPTIONAL MATCH (l)-[:HAS_DETAILS]->(d) RETURN l.uln, d.dateOfBirth'],
  [
    'exists subquery',
    "MATCH (l:Learner) WHERE EXISTS { MATCH (l)-->(d) WHERE d.postcode STARTS WITH 'ZZ9' } RETURN l.uln",
  ],
  ['count subquery on the label', 'MATCH (l:Learner) RETURN l.uln, COUNT { (l)-->(:PersonalDetails) } AS n'],
  ['representative name', 'MATCH (c:Challenge)-[*1]->(r) RETURN r.name'],
  ['representative blindly', 'MATCH (n) WHERE n.challengeId IS NOT NULL RETURN n.name, n.relationship'],
  ['free text reason', 'MATCH (c:Challenge) RETURN c.reason'],
  ['relationship properties', 'MATCH ()-[r]->() RETURN properties(r)'],
  ['whole relationships', 'MATCH ()-[r]->() RETURN r'],
  ['fulltext procedure', "CALL db.index.fulltext.queryNodes('people', 'Zephyrine') YIELD node RETURN node"],
  ['schema visualisation', 'CALL db.schema.visualization()'],
  ['show users', 'SHOW USERS'],
  ['use system', 'USE system SHOW USERS'],
  ['use system with a read', 'USE system MATCH (n) RETURN n'],
  ["the console's own log", 'MATCH (q:AnalyticsQuery) RETURN q.queryText'],
  ['case variant of a key', 'MATCH (n) RETURN n.FamilyName, n.familyname'],
  ['backquoted key', 'MATCH (n) RETURN n.`email`'],
  ['explain prefix', 'EXPLAIN MATCH (n) RETURN n'],
];

t.test(`${HOSTILE.length} hostile queries are refused and leak nothing`, async (t) => {
  t.ok(HOSTILE.length >= 20, 'at least twenty');
  const before = await app.deps.graph.driver.executeQuery(
    'MATCH (n) WHERE NOT n:AnalyticsQuery RETURN count(n) AS n',
    {},
    { database: app.deps.graph.database },
  );
  for (const [what, query] of HOSTILE) {
    const res = await ask(query);
    t.equal(res.status, 400, `${what}: refused (${res.body.code}: ${res.body.message})`);
    t.ok(['ANALYTICS_REFUSED', 'CYPHER_SYNTAX'].includes(res.body.code), `${what}: ${res.body.code}`);
    noSecrets(t, res.raw, what);
  }
  const after = await app.deps.graph.driver.executeQuery(
    'MATCH (n) WHERE NOT n:AnalyticsQuery RETURN count(n) AS n',
    {},
    { database: app.deps.graph.database },
  );
  t.equal(
    after.records[0].get('n'),
    before.records[0].get('n'),
    "nothing was written (other than the console's own log)",
  );
  const stillThere = await app.deps.graph.driver.executeQuery(
    "MATCH (u:Unit) WHERE u.title = 'pwned' OR u.x = 1 RETURN count(u) AS n",
    {},
    { database: app.deps.graph.database },
  );
  t.equal(stillThere.records[0].get('n'), 0, 'no unit was changed');
});

t.test('refusals name what was refused', async (t) => {
  const label = await ask('MATCH (p:PersonalDetails) RETURN count(p)');
  t.equal(label.body.code, 'ANALYTICS_REFUSED');
  t.same(label.body.details, { kind: 'label', refused: 'PersonalDetails' });
  const key = await ask('MATCH (n) WHERE n.postcode IS NOT NULL RETURN count(n)');
  t.same(key.body.details, { kind: 'property', refused: 'postcode' });
  const write = await ask("CREATE (:Unit {urn: 'X'})");
  t.equal(write.body.details.kind, 'query-type');
  const proc = await ask('CALL db.schema.visualization()');
  t.same(proc.body.details, { kind: 'procedure', refused: 'db.schema.visualization' });
  const entity = await ask('MATCH (u:Unit) RETURN u LIMIT 1');
  t.same(
    entity.body.details,
    { kind: 'value', refused: 'node, relationship or path' },
    'whole nodes are refused even when harmless',
  );
});

t.test('every query is logged with who ran it, literals masked', async (t) => {
  const marker = `marker-${Date.now()}`;
  await ask(`RETURN '${marker}' AS m`);
  await ask("MATCH (n) WHERE n.familyName = 'Quartermaine' RETURN count(n)");
  const res = await app.deps.graph.driver.executeQuery(
    'MATCH (q:AnalyticsQuery) RETURN q.subject AS subject, q.organisation AS organisation, q.queryText AS text, q.outcome AS outcome, q.reason AS reason, q.rows AS rows, q.ms AS ms ORDER BY q.at',
    {},
    { database: app.deps.graph.database },
  );
  const entries = res.records.map((r) => r.toObject());
  t.ok(entries.length >= HOSTILE.length, 'refused queries are logged too');
  t.ok(
    entries.every((e) => e.subject === 'user-analyst' && e.organisation === '10000004'),
    'subject and organisation on every entry',
  );
  t.ok(
    entries.some((e) => e.outcome === 'timeout'),
    'the timeout is logged',
  );
  t.ok(
    entries.some((e) => e.outcome === 'refused' && /familyName/.test(e.reason)),
    'a refusal is logged with its reason',
  );
  t.ok(
    entries.some((e) => e.outcome === 'ok' && e.text === "RETURN '…' AS m" && e.rows === 1),
    'a run is logged with its row count, literal masked',
  );
  const all = JSON.stringify(entries);
  t.notOk(all.includes(marker), 'string literals are not stored');
  noSecrets(t, all, 'the query log');
});
