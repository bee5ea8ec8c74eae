import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { queries } from '../../src/platform/queries.js';
import { createGraph } from '../../src/platform/neo4j.js';
import { migrate } from '../../src/operations/migrate.js';
import { testConfig } from '../helpers/config.js';

const registry = queries();

t.test('every Cypher file compiles on the real server (EXPLAIN)', async (t) => {
  const graph = createGraph(testConfig());
  t.teardown(() => graph.close());
  const all = registry.list();
  t.ok(all.length > 0, 'there are Cypher files');
  for (const q of all) {
    await t.resolves(graph.explain(q.name), `cypher/${q.name}.cypher`);
  }
});

t.test('migrations apply twice without change (idempotent)', async (t) => {
  const graph = createGraph(testConfig());
  t.teardown(() => graph.close());
  const first = await migrate(graph);
  const second = await migrate(graph);
  t.same(second.indexes, first.indexes);
  const unique = first.indexes.filter((i) => i.fromConstraint).map((i) => `${i.labelsOrTypes[0]}.${i.properties[0]}`);
  for (const key of [
    'Learner.uln',
    'Unit.urn',
    'Qualification.qan',
    'Organisation.ukprn',
    'Achievement.key',
    'Batch.id',
  ]) {
    t.ok(unique.includes(key), `${key} is unique`);
  }
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|mts)$/.test(entry)) out.push(full);
  }
  return out;
}

t.test('every Cypher file is used by some code', async (t) => {
  // Where code may call queries: the service, importers, benchmarks, and test helpers
  // (the clean-up query). Tests themselves do not count: a query only a test uses is dead.
  const dirs = ['src', 'importers', 'bench', 'test/helpers'].map((d) => path.join(PROJECT_ROOT, d));
  const code = dirs
    .filter((d) => {
      try {
        return statSync(d).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap(sources)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const usesSchemaFolder = /registry\.list\('schema'\)/.test(code);
  t.ok(usesSchemaFolder, 'the migrator applies the whole schema folder');
  for (const q of registry.list()) {
    if (q.name.startsWith('schema/')) continue;
    const used = code.includes(`'${q.name}'`) || code.includes(`"${q.name}"`);
    t.ok(used, `cypher/${q.name}.cypher is called by name somewhere`);
  }
});

t.test('Cypher files take parameters, never string building', async (t) => {
  for (const q of registry.list()) {
    t.notMatch(q.text, /\$\{/, `cypher/${q.name}.cypher has no template holes`);
  }
});
