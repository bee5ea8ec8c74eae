import t from 'tap';
import neo4j from 'neo4j-driver';
import {
  checkPlan,
  checkRows,
  checkText,
  computedSubscript,
  maskLiterals,
  syntaxMessage,
  toJson,
  type PlanNode,
  type PlanFacts,
} from '../../src/analytics/console.js';

/** A plan operator as the driver gives it (shapes copied from Neo4j 5.26 EXPLAIN output). */
function op(operatorType: string, details?: string, children: PlanNode[] = [], identifiers: string[] = []): PlanNode {
  const args: Record<string, unknown> = { Id: 1, EstimatedRows: 10 };
  if (details !== undefined) args.Details = details;
  return { operatorType: `${operatorType}@neo4j`, arguments: args, identifiers, children };
}
const root = (details: string, child: PlanNode, identifiers: string[] = []): PlanNode => {
  const r = op('ProduceResults', details, [child], identifiers);
  Object.assign(r.arguments, {
    planner: 'COST',
    'planner-version': '5.26.30',
    runtime: 'SLOTTED',
    'string-representation': 'anything',
  });
  return r;
};
const facts = (plan: PlanNode, queryType = 'r', database = 'neo4j'): PlanFacts => ({ plan, queryType, database });
const check = (plan: PlanNode, queryType = 'r', database = 'neo4j') =>
  checkPlan(facts(plan, queryType, database), 'neo4j');

t.test('harmless plans pass', async (t) => {
  // MATCH (a:Unit)<-[:INCLUDES]-(g:RuleGroup) RETURN g.id
  t.equal(
    check(
      root(
        '`g.id`',
        op('Projection', 'cache[g.id] AS `g.id`', [
          op('Filter', 'a:Unit', [
            op('Expand(All)', '(g)-[anon_0:INCLUDES]->(a)', [
              op('CacheProperties', 'cache[g.id]', [op('NodeByLabelScan', 'g:RuleGroup')]),
            ]),
          ]),
        ]),
      ),
    ),
    undefined,
  );
  // collect(q.qan)[0..2], [1,2][0]
  t.equal(
    check(
      root(
        'x',
        op('Projection', 'anon_0[$autoint_3..$autoint_4] AS x, $autolist_1[$autoint_2] AS y, xs[0] AS z', [
          op('EagerAggregation', 'collect(q.qan) AS anon_0', [op('NodeByLabelScan', 'q:Qualification')]),
        ]),
      ),
    ),
    undefined,
  );
  t.equal(check(root('label', op('ProcedureCall', 'db.labels() :: (label :: STRING)'))), undefined, 'db.labels');
  t.equal(
    check(root('propertyKey', op('ProcedureCall', 'db.propertyKeys() :: (propertyKey :: STRING)'))),
    undefined,
    'db.propertyKeys',
  );
  t.equal(
    check(root('relationshipType', op('ProcedureCall', 'db.relationshipTypes() :: (relationshipType :: STRING)'))),
    undefined,
    'db.relationshipTypes: "relationship" inside a longer word is not the key',
  );
  t.equal(
    check(root('`n.uln`', op('Projection', 'n.uln AS `n.uln`', [op('AllNodesScan', 'n')]))),
    undefined,
    'ULN is not a personal detail',
  );
});

t.test('writes, schema and administration are refused on the query type', async (t) => {
  const create = op('Create', '(anon_0:Unit {urn: $autostring_0})');
  t.match(check(root('', create), 'w'), { kind: 'query-type', name: 'w' });
  t.match(check(root('', create), 'rw'), { kind: 'query-type', name: 'rw' });
  t.match(check(op('CreateIndex', 'RANGE INDEX foo FOR (:X) ON (y)'), 's'), { kind: 'query-type', name: 's' });
  t.match(checkPlan({ plan: op('X'), queryType: undefined, database: 'neo4j' }, 'neo4j'), { kind: 'query-type' });
});

t.test('operators that write or load are refused even in a plan that says "r"', async (t) => {
  for (const [name, details] of [
    ['SetProperty', 'u.title = $autostring_0'],
    ['Merge', 'CREATE (o:Organisation)'],
    ['DetachDelete', 'n'],
    ['LoadCSV', 'r'],
    ['TransactionApply', 'IN TRANSACTIONS OF 1000 ROWS ON ERROR FAIL'],
    ['Foreach', 'x IN us'],
    ['ShowUsers', 'user'],
    ['AdministrationCommand', undefined],
  ] as const) {
    const refusal = check(root('n', op(name, details, [op('AllNodesScan', 'n')])));
    t.match(refusal, { kind: 'operator', name }, `${name} is refused`);
  }
});

t.test('plans on another database or with no plan are refused', async (t) => {
  t.match(checkPlan({ plan: op('ProduceResults', 'n'), queryType: 'r', database: 'system' }, 'neo4j'), {
    kind: 'database',
    name: 'system',
  });
  const onSystem: PlanNode = { operatorType: 'ProduceResults@system', arguments: {}, identifiers: [], children: [] };
  t.match(check(onSystem), { kind: 'database', name: 'system' });
  t.match(checkPlan({ plan: false, queryType: 'r', database: 'neo4j' }, 'neo4j'), { kind: 'plan' });
});

t.test('procedures outside the allow-list are refused', async (t) => {
  for (const proc of [
    'db.createLabel',
    'dbms.components',
    'db.index.fulltext.queryNodes',
    'db.schema.visualization',
    'dbms.listConfig',
    'apoc.export.csv.all',
  ]) {
    t.match(
      check(root('x', op('ProcedureCall', `${proc}($autostring_0) :: (x :: STRING)`))),
      { kind: 'procedure', name: proc },
      proc,
    );
  }
});

t.test('personal labels and relationship types, wherever they appear', async (t) => {
  t.match(
    check(root('p', op('NodeByLabelScan', 'p:PersonalDetails'))),
    { kind: 'label', name: 'PersonalDetails' },
    'label scan',
  );
  t.match(
    check(root('x', op('NodeUniqueIndexSeek', 'UNIQUE p:PersonalDetails(uln) WHERE uln = $autostring_0'))),
    { kind: 'label', name: 'PersonalDetails' },
    'index seek',
  );
  t.match(
    check(root('x', op('Filter', '$autostring_0 IN labels(n) OR n:Representative', [op('AllNodesScan', 'n')]))),
    { kind: 'label', name: 'Representative' },
    'label test in a filter',
  );
  t.match(
    check(
      root(
        'x',
        op('Filter', 'EXISTS { MATCH (l)-[anon_0]->(anon_1:PersonalDetails) }', [op('NodeByLabelScan', 'l:Learner')]),
      ),
    ),
    { kind: 'label' },
    'inside a subquery expression',
  );
  t.match(
    check(root('x', op('Expand(All)', '(l)-[anon_0:HAS_DETAILS]->(d)', [op('NodeByLabelScan', 'l:Learner')]))),
    { kind: 'label', name: 'HAS_DETAILS' },
    'expanding HAS_DETAILS (outside the schema)',
  );
  t.match(
    check(
      root('x', op('Expand(All)', '(c)-[anon_0:FILED_BY_REPRESENTATIVE]->(r)', [op('NodeByLabelScan', 'c:Challenge')])),
    ),
    { kind: 'label', name: 'FILED_BY_REPRESENTATIVE' },
  );
  t.match(
    check(root('q', op('NodeByLabelScan', 'q:AnalyticsQuery'))),
    { kind: 'label', name: 'AnalyticsQuery' },
    "the console's own log",
  );
  t.match(
    check(
      root('u', op('Union', undefined, [op('NodeByLabelScan', 'u:Unit'), op('NodeByLabelScan', 'p:PersonalDetails')])),
    ),
    { kind: 'label' },
    'in one branch of a UNION',
  );
});

t.test('personal property keys, in any operator and any form', async (t) => {
  t.match(
    check(root('`p.familyName`', op('Projection', 'p.familyName AS `p.familyName`', [op('AllNodesScan', 'p')]))),
    { kind: 'property', name: 'familyName' },
  );
  t.match(
    check(root('c', op('Filter', 'cache[n.email] IS NOT NULL', [op('AllNodesScan', 'n')]))),
    { kind: 'property', name: 'email' },
    'inference through a filter',
  );
  t.match(
    check(root('c', op('NodeIndexSeek', 'RANGE INDEX n:Learner(postcode) WHERE postcode = $autostring_0'))),
    { kind: 'property', name: 'postcode' },
    'index seek on the key',
  );
  t.match(
    check(root('x', op('Projection', 'n{.uln, .dateOfBirth} AS x', [op('AllNodesScan', 'n')]))),
    { kind: 'property', name: 'dateOfBirth' },
    'map projection by name',
  );
  t.match(
    check(root('x', op('Projection', 'x.`gender` AS g', [op('AllNodesScan', 'x')]))),
    { kind: 'property', name: 'gender' },
    'back-quoted',
  );
  t.equal(
    check(root('x', op('Projection', 'o.name AS n', [op('NodeByLabelScan', 'o:Organisation')]))),
    undefined,
    "organisation names are not personal (a representative's name is sealed)",
  );
  t.match(
    check(root('x', op('Projection', 'c.reason AS n', [op('NodeByLabelScan', 'c:Challenge')]))),
    { kind: 'property', name: 'reason' },
    'free text',
  );
  t.match(
    check(root('`x`', op('Projection', 'n.x AS x', [op('AllNodesScan', 'n')]), ['n', '`n.GivenName`'])),
    { kind: 'property', name: 'givenName' },
    'in identifiers, ignoring case',
  );
  t.match(
    check(root('x', op('Sort', 'x ASC', [op('Projection', 'p.previousFamilyName AS x', [op('AllNodesScan', 'p')])]))),
    { kind: 'property', name: 'previousFamilyName' },
    'deep in the tree',
  );
});

t.test('whole-entity functions, {.*} and computed subscripts', async (t) => {
  t.match(check(root('x', op('Projection', 'properties(n) AS x', [op('AllNodesScan', 'n')]))), {
    kind: 'function',
    name: 'properties()',
  });
  t.match(
    check(root('x', op('Filter', 'any(k IN keys(n) WHERE k STARTS WITH $autostring_0)', [op('AllNodesScan', 'n')]))),
    { kind: 'function', name: 'keys()' },
  );
  t.match(check(root('n', op('Projection', 'n{.*} AS n', [op('AllNodesScan', 'n')]))), {
    kind: 'projection',
    name: '.*',
  });
  t.match(
    check(root('x', op('Projection', 'n[($autostring_0 + $autostring_1)] AS x', [op('AllNodesScan', 'n')]))),
    { kind: 'subscript' },
    "n['given' + 'Name']",
  );
  t.match(
    check(root('x', op('EagerAggregation', 'n[k] AS x', [op('AllNodesScan', 'n')]))),
    { kind: 'subscript' },
    'n[k]',
  );
  t.match(
    check(root('x', op('Projection', 'n[$autostring_0] AS x', [op('AllNodesScan', 'n')]))),
    { kind: 'subscript' },
    "n['literal']",
  );
  t.equal(computedSubscript('cache[n.uln] IN $autolist_0'), undefined, "the planner's cache[] is not a subscript");
  t.equal(computedSubscript('(a)-[anon_0:OWNS]->(b)'), undefined, 'a relationship pattern is not a subscript');
  t.equal(computedSubscript('[x IN list | x.urn] AS y'), undefined, 'a list comprehension is not a subscript');
  t.equal(
    computedSubscript('xs[-1] AS last, ys[$autoint_0..] AS rest, `n[k]` AS z'),
    undefined,
    'indexes, slices and quoted aliases',
  );
  t.equal(computedSubscript('xs[i] AS y'), 'xs[i]', 'a variable index is refused (it could be a key)');
});

t.test('the text layer', async (t) => {
  t.match(checkText("load   csv FROM 'x' AS r RETURN r"), { name: 'LOAD CSV' });
  t.match(checkText('MATCH (n) CALL (n) { SET n.x = 1 } IN 3 CONCURRENT TRANSACTIONS'), { name: 'IN TRANSACTIONS' });
  t.match(checkText('USING PERIODIC COMMIT LOAD CSV FROM "x" AS r CREATE (n)'), { kind: 'text' });
  t.match(checkText('PROFILE MATCH (n) RETURN n'), { name: 'EXPLAIN/PROFILE' });
  t.equal(checkText('MATCH (u:Unit) RETURN u.urn'), undefined);
});

t.test('answers with whole nodes, relationships or paths are refused', async (t) => {
  const node = new neo4j.types.Node(1, ['Unit'], { urn: 'A' }, 'e1');
  const other = new neo4j.types.Node(2, ['PersonalDetails'], { familyName: 'X' }, 'e2');
  const rel = new neo4j.types.Relationship(3, 1, 2, 'HAS_DETAILS', {}, 'e3', 'e1', 'e2');
  const path = new neo4j.types.Path(node, other, [new neo4j.types.PathSegment(node, rel, other)]);
  t.match(checkRows([[node]]), { kind: 'value' }, 'a node, even a harmless one');
  t.match(checkRows([[1, [2, [other]]]]), { kind: 'value' }, 'inside nested lists');
  t.match(checkRows([[{ a: { b: rel } }]]), { kind: 'value' }, 'inside maps');
  t.match(checkRows([[path]]), { kind: 'value' }, 'a path');
  t.equal(
    checkRows([[1, 'x', null, [1, 2], { a: 1 }, neo4j.int(5), new neo4j.types.Date(2025, 6, 1)]]),
    undefined,
    'plain values pass',
  );
});

t.test('values become plain JSON', async (t) => {
  t.same(toJson([neo4j.int(7), new neo4j.types.Date(2025, 6, 1), { a: [1.5, null, 'x'] }, Number.NaN, undefined]), [
    7,
    '2025-06-01',
    { a: [1.5, null, 'x'] },
    'NaN',
    null,
  ]);
});

t.test('literals are masked in the log text', async (t) => {
  t.equal(
    maskLiterals('MATCH (n) WHERE n.familyName = \'Quartermaine\' OR n.x = "it\\"s" RETURN 1'),
    "MATCH (n) WHERE n.familyName = '…' OR n.x = '…' RETURN 1",
  );
  t.equal(maskLiterals('RETURN 1'), 'RETURN 1');
});

t.test('syntax messages are given as the analyst wrote the query', async (t) => {
  const neo =
    "Invalid input 'RETURN': expected ')' (line 1, column 23 (offset: 22))\n\"EXPLAIN MATCH (n:Unit RETURN n.urn\"\n                       ^";
  const msg = syntaxMessage(neo, 'EXPLAIN ');
  t.match(msg, /\(line 1, column 15 \(offset: 14\)\)/);
  t.match(msg, /"MATCH \(n:Unit RETURN n\.urn"/);
  t.notMatch(msg, /EXPLAIN/);
  t.match(msg, /\n {15}\^$/, 'the caret moves back too');
});
