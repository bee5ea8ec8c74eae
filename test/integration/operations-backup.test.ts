import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { backup, countDifferences, readManifest, restore } from '../../src/operations/backup.js';
import { countGraph } from '../../src/operations/repository.js';
import { migrate } from '../../src/operations/migrate.js';
import { createGraph, type Graph } from '../../src/platform/neo4j.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { testConfig } from '../helpers/config.js';
import { KeyRing } from '../../src/identity/keys.js';
import { validUlns } from '../helpers/ulns.js';

// A Neo4j of its own (the backup stops and starts it), sharing the usual server's jars.
t.setTimeout(600_000);
const dir = mkdtempSync(path.join(tmpdir(), 'plr-backup-'));
const port = process.env.BACKUP_TEST_BOLT_PORT ?? '7797';
const usualLib = path.join(process.env.NEO4J_LOCAL_DIR ?? path.join(PROJECT_ROOT, '.local', 'neo4j'), 'lib');
const neo4jDir = path.join(dir, 'neo4j');
process.env.NEO4J_LOCAL_DIR = neo4jDir;
process.env.NEO4J_BOLT_PORT = port;
process.env.NEO4J_HEAP = '512m';
process.env.NEO4J_PAGECACHE = '128m';

function neo4j(command: string): void {
  const r = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'neo4j.sh'), command], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/neo4j.sh ${command} failed`);
}

const config = testConfig({
  NEO4J_URI: `bolt://127.0.0.1:${port}`,
  SIGNING_KEY_FILE: path.join(dir, 'keys', 'signing-key.json'),
  DATA_KEY_FILE: path.join(dir, 'keys', 'data-key.json'),
  DATA_DIR: path.join(dir, 'data'),
});

async function withGraph<T>(fn: (graph: Graph) => Promise<T>): Promise<T> {
  const graph = createGraph(config);
  try {
    await graph.waitUntilReady(60_000);
    return await fn(graph);
  } finally {
    await graph.close();
  }
}

t.before(async () => {
  mkdirSync(neo4jDir, { recursive: true });
  // The usual server's jars when it was fetched here; otherwise neo4j.sh fetches its own.
  if (existsSync(usualLib)) symlinkSync(usualLib, path.join(neo4jDir, 'lib'));
  neo4j('start');
  mkdirSync(path.join(dir, 'keys'), { recursive: true });
  await KeyRing.create(config); // writes the signing key on first use
  mkdirSync(path.join(config.dataDir, 'batches'), { recursive: true });
  writeFileSync(path.join(config.dataDir, 'batches', 'b1.csv'), 'an unfinished batch\n');
  await withGraph(async (graph) => {
    await migrate(graph);
    const c = await loadSample(graph);
    const ulns = validUlns(870000000, 20);
    await upsertLearners(
      graph,
      ulns.map((u) => learner(u)),
    );
    const urns = c.units.slice(0, 3).map((u) => u.urn);
    await recordUnitCredits(
      graph,
      ulns.flatMap((u, i) => urns.map((urn, j) => credit(c, u, urn, `bk-${i}-${j}`))),
    );
  });
});

t.teardown(() => {
  try {
    neo4j('stop');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('countDifferences names each label and type that differs', async (t) => {
  t.same(countDifferences({ labels: { A: 1 }, types: { R: 2 } }, { labels: { A: 1 }, types: { R: 2 } }), []);
  t.same(countDifferences({ labels: { A: 1 }, types: { R: 2 } }, { labels: { A: 2, B: 1 }, types: {} }), [
    'label A: 2, the backup holds 1',
    'label B: 1, the backup holds 0',
    'type R: 0, the backup holds 2',
  ]);
});

t.test('a backup restores to the same graph, keys and batch files, and refuses what is not safe', async (t) => {
  const before = await withGraph(countGraph);
  const dataKey = readFileSync(config.dataKeyFile, 'utf8'); // made on the graph's first use
  t.ok((before.labels.Learner ?? 0) >= 20, 'the graph holds the learners');
  const to = path.join(dir, 'backup-1');
  const manifest = await backup(config, to);
  t.same(manifest.counts, before, 'the manifest holds the counts of the graph that was dumped');
  for (const key of ['data-key.json', 'signing-key.json']) t.ok(key in manifest.keys, `${key} goes with it`);
  t.equal(manifest.batchFiles, 1, 'and the uploaded batch files');
  t.ok(manifest.dump.bytes > 0 && /^[0-9a-f]{64}$/.test(manifest.dump.sha256), 'the dump and its checksum');
  t.same(readManifest(to), manifest, 'the manifest is on disk');
  t.same(await withGraph(countGraph), before, 'the server is back after the dump, unchanged');

  await t.rejects(backup(config, to), /already holds a backup/, 'a folder that holds a backup is not written over');

  // Disaster: the graph changes and the data key is lost.
  await withGraph(async (graph) => {
    await upsertLearners(graph, [learner(validUlns(880000000, 1)[0])]);
  });
  t.not((await withGraph(countGraph)).labels.Learner, before.labels.Learner, 'the graph moved on');
  rmSync(config.dataKeyFile);
  rmSync(path.join(config.dataDir, 'batches'), { recursive: true });

  const report = await restore(config, to);
  t.same(report.counts, before, 'every count is back');
  t.same(await withGraph(countGraph), before, 'as a fresh connection sees it');
  t.same(report.keysRestored, ['data-key.json'], 'the missing key is put back, the one in place is left');
  t.equal(readFileSync(config.dataKeyFile, 'utf8'), dataKey);
  t.ok(existsSync(path.join(config.dataDir, 'batches', 'b1.csv')), 'the batch file is back');

  // A different key in place: refused before the database is touched.
  await withGraph((graph) => upsertLearners(graph, [learner(validUlns(890000000, 1)[0])]));
  const moved = await withGraph(countGraph);
  writeFileSync(config.dataKeyFile, dataKey.replace(/"key":\s*"[^"]+"/, '"key": "AAAA"'));
  await t.rejects(restore(config, to), /holds a different key/, 'a different key is refused');
  t.same(await withGraph(countGraph), moved, 'and nothing was changed');
  writeFileSync(config.dataKeyFile, dataKey);

  // A damaged dump: refused before the database is touched.
  const dump = path.join(to, manifest.dump.file);
  const bytes = readFileSync(dump);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(dump, bytes);
  await t.rejects(restore(config, to), /does not match its manifest's checksum/, 'a damaged dump is refused');
  t.same(await withGraph(countGraph), moved, 'and nothing was changed');
  await t.rejects(restore(config, path.join(dir, 'nothing-here')), /holds no manifest\.json/);
});

t.test('only the project\u2019s own server is backed up', async (t) => {
  await t.rejects(
    backup({ ...config, neo4jUri: 'neo4j+s://example.databases.neo4j.io' }, path.join(dir, 'remote')),
    /is another server/,
  );
});
