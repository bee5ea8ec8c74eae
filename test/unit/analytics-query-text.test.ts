import t from 'tap';
import { checkQueryText, stripForLog, tokenize } from '../../src/analytics/query-text.js';

const ok = [
  'MATCH (a:Achievement)-[:FOR_UNIT]->(u:Unit) RETURN u.urn AS urn, sum(a.credit) AS credits ORDER BY credits DESC LIMIT 10',
  "MATCH (a:Achievement) RETURN min(a.awardDate) AS first, {n: count(a), list: [1, 2.5, 'x', true, null]} AS info",
  'CALL db.labels() YIELD label RETURN label ORDER BY label',
  'MATCH (o:Organisation)-[:OWNS]->(q:Qualification) RETURN o.ukprn, collect(q.qan)[0..2] AS some, collect(q.qan)[-1] AS last',
  'UNWIND range(1, 10) AS i RETURN i % 3 AS r, [x IN range(1, i) WHERE x > 2 | x * 2] AS xs',
  'MATCH (u:Unit {urn: "H/601/4101"}) RETURN u {.urn, .title}',
  'MATCH (l:Learner) WHERE EXISTS { MATCH (l)-[:ACHIEVED]->(:Achievement) } RETURN count(l) AS n',
  'MATCH (l:Learner) RETURN COUNT { (l)-[:ACHIEVED]->() } AS n',
  'MATCH (l:Learner) CALL (l) { MATCH (l)-[:ACHIEVED]->(a:Achievement) RETURN count(a) AS n } RETURN l.uln, n',
  "MATCH (a:Achievement) RETURN a.awardDate.year AS y, date.truncate('month', a.awardDate) AS m",
  'MATCH (n) WHERE n.uln IS NOT NULL AND n.linkedTo IS NULL RETURN count(n) // a comment\n',
  'MATCH p = (u:Unit)-[:COUNTS_AS*1..3]->(v:Unit) RETURN length(p) AS steps, 1.5e3 AS x, 0x1F AS h',
  "RETURN 'it\\'s' AS s, `odd ``alias``` AS q",
  'MATCH (n) RETURN n.title <> "x" AS a, n.level >= 3 AS b',
];
for (const q of ok) t.equal(checkQueryText(q), undefined, q);

const refused: [string, string, string?][] = [
  ["MATCH (n) RETURN n['email']", 'subscript'],
  ['MATCH (n) RETURN n.postcode', 'property', 'postcode'],
  ['MATCH (n:PersonalDetails) RETURN 1', 'label', 'PersonalDetails'],
  ['MATCH (n:Learner|Unit) RETURN 1', 'label', '|'],
  ['MATCH (n:!Learner) RETURN 1', 'label'],
  ['MATCH (n) WHERE n:% RETURN 1', 'label'],
  ['MATCH (n) WHERE n IS Learner RETURN 1', 'label', 'IS'],
  ['MATCH (n) RETURN properties(n)', 'function', 'properties()'],
  ['MATCH (n) RETURN keys(n)', 'function', 'keys()'],
  ['MATCH (n) RETURN n {.*}', 'projection'],
  ['MATCH (n) RETURN n {.uln, .email}', 'property', 'email'],
  ["MATCH (n {email: 'x'}) RETURN 1", 'property', 'email'],
  ["MATCH ({postcode: 'x'}) RETURN 1", 'property', 'postcode'],
  ['CALL db.schema.visualization()', 'procedure'],
  ['MATCH (n) RETURN n[$k]', 'text', '$'],
  ['RETURN 1; RETURN 2', 'text', ';'],
  ['RETURN 1 AS é', 'text'],
  ['MATCH (n) WHERE n.uln IS :: STRING RETURN 1', 'label', 'IS'],
  ['MATCH (n) WHERE n.uln :: STRING RETURN 1', 'text', '::'],
  ['MATCH (n:Unit%) RETURN 1', 'label', '%'],
  ['MATCH (n) RETURN n & 1', 'text', '&'],
  ['CREATE (n:Unit)', 'text', 'CREATE'],
  ['MATCH (n) RETURN 1x', 'text'],
  ['MATCH (n) RETURN xs[i]', 'subscript'],
  ['MATCH (n) RETURN xs[0..i]', 'subscript'],
  ['RETURN . 5', 'text', '.'],
  ['MATCH (n) RETURN n.', 'property'],
  ['MATCH (n:) RETURN 1', 'label'],
  ['MATCH (n:Unit RETURN 1', 'syntax'],
  ['MATCH (n:Unit)) RETURN 1', 'syntax'],
  ["RETURN 'open", 'syntax'],
  ['RETURN `open', 'syntax'],
  ['RETURN 1 /* open', 'syntax'],
  ['RETURN apoc.text.join([], "")', 'function'],
];
for (const [q, kind, name] of refused) {
  const r = checkQueryText(q);
  t.equal(r?.kind, kind, `${q}: ${r?.reason}`);
  if (name) t.equal(r?.name, name, `${q}: names ${name}`);
}

t.test('the log form keeps the shape, not the values', async (t) => {
  t.equal(
    stripForLog(
      "MATCH (Zephyrine:Learner) WHERE Zephyrine.uln = '9276308686' RETURN count(*) AS `Quartermaine` // note",
    ),
    'MATCH ( v1 : Learner ) WHERE v1 . uln = ? RETURN count ( * ) AS v2',
  );
  t.match(stripForLog("RETURN 'open"), /^\(not read/);
  t.equal(stripForLog('RETURN 1 AS `uln`'), 'RETURN ? AS `uln`');
});

t.test('tokens', async (t) => {
  const tokens = tokenize('MATCH (n)-->(m) WHERE n.x <> 1');
  t.ok(Array.isArray(tokens));
  if (Array.isArray(tokens)) t.same(tokens.map((x) => x.kind).slice(0, 3), ['name', 'punct', 'name']);
});
