/**
 * Backup and restore of the project's own Neo4j server (charter section 7, disaster recovery).
 *
 * Neo4j Community has no online backup, so a backup is `neo4j-admin database dump` of the
 * stopped store (scripts/neo4j.sh dump): a stopped store is consistent by construction, and
 * a batch in flight meets a database that went away, which its job already survives (it
 * retries and resumes from its last committed checkpoint). The cost is the downtime of the
 * dump, which `plr backup` reports. Beside the dump go the keys the service cannot serve
 * without (the signing key and its ring, the personal-data key) and the uploaded batch
 * files unfinished batches resume from, with a manifest of counts and checksums.
 *
 * A restore checks the dump against its manifest before anything is touched, loads it with
 * `neo4j-admin database load`, and compares the restored graph's counts with the manifest.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { LOCAL_NEO4J_URI, PROJECT_ROOT, type Config } from '../config.js';
import { defaultRingFile } from '../identity/keys.js';
import { createGraph } from '../platform/neo4j.js';
import { countGraph, type GraphCounts } from './repository.js';

export const MANIFEST = 'manifest.json';
const DUMP = 'neo4j.dump';

export interface BackupManifest {
  version: 1;
  takenAt: string;
  dump: { file: string; bytes: number; sha256: string };
  counts: GraphCounts;
  /** Key files, by the name they are stored under in keys/, and their SHA-256. */
  keys: Record<string, string>;
  batchFiles: number;
  /** Seconds the database was stopped for the dump. */
  downtimeSeconds: number;
}

export class BackupError extends Error {}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function keyFiles(config: Config): Record<string, string> {
  const files: Record<string, string> = {
    'signing-key.json': config.signingKeyFile,
    'signing-key.ring.json': defaultRingFile(config),
  };
  // A DATA_KEY given in the environment lives wherever the operator keeps settings.
  if (!config.dataKey) files['data-key.json'] = config.dataKeyFile;
  return Object.fromEntries(Object.entries(files).filter(([, file]) => existsSync(file)));
}

function neo4jScript(command: 'dump' | 'load', dir: string): void {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'neo4j.sh'), command, dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new BackupError(`scripts/neo4j.sh ${command} failed (exit ${result.status})`);
}

async function counts(config: Config): Promise<GraphCounts> {
  const graph = createGraph(config);
  try {
    await graph.waitUntilReady(60_000);
    return await countGraph(graph);
  } finally {
    await graph.close();
  }
}

/** Refuses a server this process cannot stop and dump: only the project's own local one. */
function assertLocal(config: Config): void {
  const port = process.env.NEO4J_BOLT_PORT ?? '7687';
  const uri = config.neo4jUri ?? LOCAL_NEO4J_URI;
  if (!/^(bolt|neo4j):\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(uri) || !uri.endsWith(`:${port}`))
    throw new BackupError(
      `plr backup and restore work on the project's own Neo4j (scripts/neo4j.sh, Bolt port ${port}); ${uri} is another server: use its own backup (neo4j-admin database backup on Enterprise, Aura snapshots)`,
    );
}

export async function backup(config: Config, to: string): Promise<BackupManifest> {
  assertLocal(config);
  if (existsSync(path.join(to, MANIFEST))) throw new BackupError(`${to} already holds a backup; give a new folder`);
  mkdirSync(path.join(to, 'keys'), { recursive: true });
  const before = await counts(config);
  const started = Date.now();
  neo4jScript('dump', to);
  const downtimeSeconds = (Date.now() - started) / 1000;
  const dump = path.join(to, DUMP);
  const keys: Record<string, string> = {};
  for (const [name, file] of Object.entries(keyFiles(config))) {
    cpSync(file, path.join(to, 'keys', name));
    keys[name] = await sha256(file);
  }
  const batches = path.join(config.dataDir, 'batches');
  let batchFiles = 0;
  if (existsSync(batches)) {
    cpSync(batches, path.join(to, 'batches'), { recursive: true });
    batchFiles = readdirCount(path.join(to, 'batches'));
  }
  const manifest: BackupManifest = {
    version: 1,
    takenAt: new Date(started).toISOString(),
    dump: { file: DUMP, bytes: statSync(dump).size, sha256: await sha256(dump) },
    counts: before,
    keys,
    batchFiles,
    downtimeSeconds,
  };
  writeFileSync(path.join(to, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

function readdirCount(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

export function readManifest(from: string): BackupManifest {
  const file = path.join(from, MANIFEST);
  if (!existsSync(file)) throw new BackupError(`${from} holds no ${MANIFEST}: not a backup made by plr backup`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.version !== 1) throw new BackupError(`${file}: backup format ${String(manifest.version)} is unknown`);
  return manifest;
}

export interface RestoreReport {
  manifest: BackupManifest;
  counts: GraphCounts;
  keysRestored: string[];
  seconds: number;
}

/** What differs between two sets of counts, in words; empty when they agree. */
export function countDifferences(expected: GraphCounts, actual: GraphCounts): string[] {
  const out: string[] = [];
  for (const kind of ['labels', 'types'] as const) {
    const names = new Set([...Object.keys(expected[kind]), ...Object.keys(actual[kind])]);
    for (const name of [...names].sort()) {
      const want = expected[kind][name] ?? 0;
      const got = actual[kind][name] ?? 0;
      if (want !== got) out.push(`${kind === 'labels' ? 'label' : 'type'} ${name}: ${got}, the backup holds ${want}`);
    }
  }
  return out;
}

export async function restore(config: Config, from: string): Promise<RestoreReport> {
  assertLocal(config);
  const manifest = readManifest(from);
  const dump = path.join(from, manifest.dump.file);
  if (!existsSync(dump)) throw new BackupError(`${dump} is missing`);
  if ((await sha256(dump)) !== manifest.dump.sha256)
    throw new BackupError(`${dump} does not match its manifest's checksum: the backup is damaged; nothing was changed`);
  const targets = keyFiles(config);
  const wanted: Record<string, string> = {
    'signing-key.json': config.signingKeyFile,
    'signing-key.ring.json': defaultRingFile(config),
    ...(config.dataKey ? {} : { 'data-key.json': config.dataKeyFile }),
  };
  const keysRestored: string[] = [];
  // Keys first, and only where none is there: a different key in place is refused, not replaced.
  for (const [name, sum] of Object.entries(manifest.keys)) {
    const target = wanted[name];
    if (!target) continue;
    if (targets[name] && (await sha256(targets[name])) !== sum)
      throw new BackupError(
        `${target} holds a different key than the backup's ${name}; move it aside to restore this backup; nothing was changed`,
      );
  }
  const started = Date.now();
  neo4jScript('load', from);
  for (const [name] of Object.entries(manifest.keys)) {
    const target = wanted[name];
    if (!target || existsSync(target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(from, 'keys', name), target);
    keysRestored.push(name);
  }
  if (existsSync(path.join(from, 'batches')))
    cpSync(path.join(from, 'batches'), path.join(config.dataDir, 'batches'), { recursive: true, force: false });
  const after = await counts(config);
  const differences = countDifferences(manifest.counts, after);
  if (differences.length > 0)
    throw new BackupError(`the restored graph differs from the backup: ${differences.join('; ')}`);
  return { manifest, counts: after, keysRestored, seconds: (Date.now() - started) / 1000 };
}
