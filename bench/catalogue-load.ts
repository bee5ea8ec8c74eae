/**
 * How long loading a full-size catalogue takes: generate a seeded catalogue, load it,
 * load it again (which must change nothing), and print timings and graph counts.
 *
 *   npx tsx bench/catalogue-load.ts [--seed 1] [--units 20000] [--qualifications 10000]
 *                                   [--chunk 5000] [--clean]
 *
 * --clean empties the whole graph first (the project's test clean-up query): use it only
 * on a development database. Without it, a catalogue already in the graph is reported as
 * unchanged and the first load measures only the comparison.
 */
import { parseArgs } from 'node:util';
import { createGraph } from '../src/platform/neo4j.js';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue } from '../src/catalogue/generator.js';
import { catalogueSnapshot, loadCatalogue } from '../src/catalogue/repository.js';
import { describeProgress, describeReport } from '../src/catalogue/load.js';
import { benchConfig, secs } from './support.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    units: { type: 'string' },
    qualifications: { type: 'string' },
    chunk: { type: 'string' },
    clean: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const graph = createGraph(benchConfig());
try {
  await graph.waitUntilReady(30_000);
  if (values.clean) {
    await graph.autoCommit('testing/clean-graph');
    console.log('graph emptied (--clean)');
  }
  await migrate(graph);

  let t0 = performance.now();
  const catalogue = generateCatalogue({
    seed: Number(values.seed),
    units: num(values.units),
    qualifications: num(values.qualifications),
  });
  console.log(
    `generated ${catalogue.units.length} units, ${catalogue.qualifications.length} qualifications, ` +
      `${catalogue.equivalences.length} global equivalences in ${secs(performance.now() - t0, 2)}`,
  );

  const onProgress = values.quiet
    ? undefined
    : (p: Parameters<typeof describeProgress>[0]) => console.log(describeProgress(p));
  const chunkSize = num(values.chunk);

  console.log('first load:');
  const first = await loadCatalogue(graph, catalogue, { chunkSize, onProgress });
  for (const line of describeReport(first)) console.log(`  ${line}`);

  t0 = performance.now();
  const before = await catalogueSnapshot(graph);
  const snapshotMs = performance.now() - t0;

  console.log('second load of the same catalogue:');
  const second = await loadCatalogue(graph, catalogue, { chunkSize });
  for (const line of describeReport(second)) console.log(`  ${line}`);
  const after = await catalogueSnapshot(graph);

  console.log(
    `graph (${secs(snapshotMs, 2)} to read back): ${Object.entries(before.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const same = before.fingerprint === after.fingerprint && before.identity === after.identity;
  console.log(`second load changed nothing: ${same ? 'yes' : 'NO'} (fingerprint ${after.fingerprint.slice(0, 16)})`);
  console.log(
    `SUMMARY units=${catalogue.units.length} qualifications=${catalogue.qualifications.length} ` +
      `first=${secs(first.timings.totalMs, 2)} second=${secs(second.timings.totalMs, 2)}`,
  );
  if (!same) process.exitCode = 1;
} finally {
  await graph.close();
}
