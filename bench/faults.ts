/**
 * The fault harness (issue 15 part 7): achievement batches must end completed with exact
 * counts whatever happens to the processes under them. On a Neo4j and a Redis of its own
 * (never the ones the tests or other people use), with workers as child processes:
 *
 *   kill    SIGKILL the worker at random points of a batch (1 to --max-kills times),
 *           starting a fresh worker after each kill, as a supervisor would;
 *   neo4j   restart Neo4j in the middle of a batch (scripts/neo4j.sh restart);
 *   redis   SIGKILL the harness's Redis (append-only file on, fsync every second) in the
 *           middle of a batch and start it again on the same files.
 *
 * After each trial: the batch completed, its counts exact, every accepted row stored once
 * (no record doubled, every version 1), every rejected row reported once. Then a one-row
 * file with a 120 MB cell: refused at upload while /health/live stays fast, and failed
 * with its reason by a worker (192 MB heap) handed it directly, the worker alive.
 *
 *   npx tsx bench/faults.ts [--rows 50000] [--kill-trials 20] [--max-kills 5]
 *       [--neo4j-trials 5] [--redis-trials 5] [--seed 1] [--chunk 500] [--short]
 *       [--bolt PORT] [--redis-port PORT] [--trial-timeout 900] [--no-big-cell]
 *
 * --short: one trial of each kind on 4,000 rows (what `npm test` runs). Ports default to
 * the environment's own plus 100 (NEO4J_BOLT_PORT or 7687; REDIS_URL's port or 6379), so
 * people sharing a machine do not meet. Files under .local/faults/. Prints a line per
 * trial and, last, one JSON line with every trial; exits 1 when any trial was not exact.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openAsBlob,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue, mulberry32 } from '../src/catalogue/generator.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { generateLearners } from '../src/learners/generator.js';
import { upsertLearners } from '../src/learners/repository.js';
import { RECORD_FIELDS } from '../src/achievements/rows.js';
import { csvLine } from '../src/platform/csv.js';
import { createBatch, getBatch, type Batch } from '../src/achievements/batches/repository.js';
import { BATCHES_FOLDER, jobIdFor } from '../src/achievements/batches/service.js';
import type { App } from '../src/app.js';
import { benchConfig, listeningApp, secs } from './support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    'kill-trials': { type: 'string' },
    'max-kills': { type: 'string' },
    'neo4j-trials': { type: 'string' },
    'redis-trials': { type: 'string' },
    seed: { type: 'string', default: '1' },
    chunk: { type: 'string', default: '500' },
    short: { type: 'boolean', default: false },
    bolt: { type: 'string' },
    'redis-port': { type: 'string' },
    'trial-timeout': { type: 'string', default: '900' },
    'no-big-cell': { type: 'boolean', default: false },
  },
});
const short = values.short;
const rows = Number(values.rows ?? (short ? 4_000 : 50_000));
const trials = {
  kill: Number(values['kill-trials'] ?? (short ? 1 : 20)),
  neo4j: Number(values['neo4j-trials'] ?? (short ? 1 : 5)),
  redis: Number(values['redis-trials'] ?? (short ? 1 : 5)),
};
const maxKills = Number(values['max-kills'] ?? (short ? 2 : 5));
const chunk = Number(values.chunk);
const trialTimeoutMs = Number(values['trial-timeout']) * 1000;
const random = mulberry32(Number(values.seed));
const redisPortOf = (url: string | undefined) => Number(/:(\d+)(\/|$)/.exec(url ?? '')?.[1] ?? 6379);
const boltPort = Number(values.bolt ?? Number(process.env.NEO4J_BOLT_PORT ?? 7687) + 100);
const redisPort = Number(values['redis-port'] ?? redisPortOf(process.env.REDIS_URL) + 100);

const DIR = path.join(PROJECT_ROOT, '.local', 'faults');
const NEO4J_DIR = path.join(DIR, 'neo4j');
const REDIS_DIR = path.join(DIR, 'redis');
const LOG_DIR = path.join(DIR, 'logs');
const DATA_DIR = path.join(DIR, 'data');
for (const d of [NEO4J_DIR, REDIS_DIR, LOG_DIR, DATA_DIR]) mkdirSync(d, { recursive: true });

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- the harness's own Neo4j ----------------------------------------------------------

const neo4jEnv = {
  ...process.env,
  NEO4J_LOCAL_DIR: NEO4J_DIR,
  NEO4J_BOLT_PORT: String(boltPort),
  NEO4J_HEAP: process.env.FAULTS_NEO4J_HEAP ?? '512m',
  NEO4J_PAGECACHE: process.env.FAULTS_NEO4J_PAGECACHE ?? '128m',
};

/** Reuse the jars the usual server was fetched into, so the harness needs no fetch of its own. */
function shareNeo4jJars(): void {
  const lib = path.join(NEO4J_DIR, 'lib');
  if (existsSync(lib)) return;
  const usual = path.join(process.env.NEO4J_LOCAL_DIR ?? path.join(PROJECT_ROOT, '.local', 'neo4j'), 'lib');
  if (existsSync(usual)) symlinkSync(usual, lib);
}

function neo4jScript(command: 'start' | 'stop' | 'restart'): void {
  const r = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'neo4j.sh'), command], {
    env: neo4jEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`scripts/neo4j.sh ${command} failed (exit ${r.status})`);
}

// --- the harness's own Redis, append-only file on ------------------------------------------

let redis: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  const out = openSync(path.join(LOG_DIR, 'redis.log'), 'a');
  redis = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--dir',
      REDIS_DIR,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', out, out] },
  );
  for (let i = 0; i < 100; i++) {
    const ping = spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' });
    if (ping.stdout.trim() === 'PONG') return;
    await sleep(100);
  }
  throw new Error(`the harness's Redis did not answer on port ${redisPort}`);
}

async function killRedis(): Promise<void> {
  if (!redis || redis.exitCode !== null) return;
  const gone = once(redis, 'exit');
  redis.kill('SIGKILL');
  await gone;
}

// --- workers ---------------------------------------------------------------------------

const settings = {
  NEO4J_URI: `bolt://127.0.0.1:${boltPort}`,
  REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  QUEUE_PREFIX: 'faults',
  DATA_DIR,
  BATCH_CHUNK_ROWS: String(chunk),
  WORKER_LOCK_MS: '2000',
  BATCH_WATCHDOG_MS: '3000',
  SMTP_URL: '',
  RATE_LIMIT_ENABLED: 'false',
};
let workerNo = 0;

function startWorker(): ChildProcess {
  const n = ++workerNo;
  const out = openSync(path.join(LOG_DIR, `worker-${n}.log`), 'w');
  const env = Object.fromEntries(
    Object.entries({ ...process.env, ...settings, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' }).filter(
      ([k]) => !/^(NODE_V8_COVERAGE|_TAPJS_)/.test(k),
    ),
  );
  return spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), 'worker'], {
    env: { ...env, NODE_OPTIONS: '--max-old-space-size=192' },
    stdio: ['ignore', out, out],
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGKILL');
  await gone;
}

// --- the batch of a trial ----------------------------------------------------------------

interface Expected {
  accepted: number;
  rejected: number;
}

/** One AO per trial, so every trial's records are new (version 1) and counted on their own. */
const aoOf = (trial: number) => String(10_010_000 + trial);

async function writeBatchFile(
  file: string,
  trial: number,
  learners: { uln: string; givenName: string; familyName: string; dateOfBirth: string; gender: string }[],
  units: { urn: string; credit: number; level: string }[],
): Promise<Expected> {
  const out = createWriteStream(file);
  out.write(csvLine([...RECORD_FIELDS]));
  let rejected = 0;
  for (let i = 0; i < rows; i++) {
    const l = learners[Math.floor(i / 10) % learners.length];
    const u = units[(Math.floor(i / 10) * 7 + (i % 10) * 31) % units.length];
    // Every 97th row names a unit that does not exist: rejected, reported once.
    const bad = i % 97 === 96;
    if (bad) rejected++;
    const line = csvLine([
      `F${trial}-${String(i + 1).padStart(7, '0')}`,
      'ADD',
      l.uln,
      l.givenName,
      l.familyName,
      l.dateOfBirth,
      l.gender,
      bad ? 'Z/999/9999' : u.urn,
      '',
      '2026-05-01',
      'Pass',
      u.credit,
      u.level,
      '',
      'en',
    ]);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { accepted: rows - rejected, rejected };
}

async function upload(base: string, app: App, trial: number, file: string): Promise<string> {
  const token = await app.deps.tokens.issue({
    subject: 'faults',
    roles: ['ao-user'],
    organisation: aoOf(trial),
    expiresIn: 3600,
  });
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const res = await fetch(`${base}/achievements/batches`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { id: string; message?: string };
  if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${body.message}`);
  return body.id;
}

/** The batch, or null while the database does not answer (during a restart). */
async function peek(app: App, id: string): Promise<Batch | null> {
  try {
    return await getBatch(app.deps.graph, id);
  } catch {
    return null;
  }
}

async function waitUntil(app: App, id: string, processed: number, deadline: number): Promise<Batch | null> {
  for (;;) {
    const b = await peek(app, id);
    if (b && (b.processed >= processed || b.status === 'completed' || b.status === 'failed')) return b;
    if (Date.now() > deadline) return b;
    await sleep(50);
  }
}

interface TrialResult {
  kind: 'kill' | 'neo4j' | 'redis';
  trial: number;
  faults: number;
  /** Rows committed when each fault struck. */
  at: number[];
  status: string;
  failure: string | null;
  accepted: number;
  rejected: number;
  expected: Expected;
  records: number;
  notVersion1: number;
  rejections: number;
  rejectedRowsReported: number;
  seconds: number;
  exact: boolean;
}

async function check(
  app: App,
  trial: number,
  id: string,
): Promise<
  Omit<
    TrialResult,
    | 'kind'
    | 'trial'
    | 'faults'
    | 'at'
    | 'seconds'
    | 'exact'
    | 'expected'
    | 'status'
    | 'failure'
    | 'accepted'
    | 'rejected'
  >
> {
  const [row] = await app.deps.graph.read('testing/faults-check', { ao: aoOf(trial), id });
  return row as never;
}

async function runTrial(
  kind: TrialResult['kind'],
  trial: number,
  ctx: { app: App; base: string; workers: { current: ChildProcess }; file: string; expected: Expected },
): Promise<TrialResult> {
  const { app } = ctx;
  const started = Date.now();
  const deadline = started + trialTimeoutMs;
  const faults = kind === 'kill' ? 1 + Math.floor(random() * maxKills) : 1;
  // Random points in the batch, in order: rows committed when each fault strikes.
  const points = Array.from({ length: faults }, () => Math.floor(random() * rows * 0.95)).sort((a, b) => a - b);
  const id = await upload(ctx.base, app, trial, ctx.file);
  const at: number[] = [];
  for (const point of points) {
    // Each fault after the batch went on from the last one: a worker killed before it took
    // the job up again would test nothing new.
    const b = await waitUntil(app, id, Math.max(point, (at.at(-1) ?? -1) + 1), deadline);
    if (!b || b.status === 'completed' || b.status === 'failed') break;
    at.push(b.processed);
    if (kind === 'kill') {
      await kill(ctx.workers.current);
      ctx.workers.current = startWorker();
    } else if (kind === 'neo4j') {
      neo4jScript('restart');
    } else {
      await killRedis();
      await sleep(500 + Math.floor(random() * 2_500));
      await startRedis();
    }
  }
  let b: Batch | null = null;
  for (;;) {
    b = await peek(app, id);
    if (b && (b.status === 'completed' || b.status === 'failed')) break;
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  const seconds = (Date.now() - started) / 1000;
  const found = b
    ? await check(app, trial, id)
    : { records: 0, notVersion1: 0, rejections: 0, rejectedRowsReported: 0 };
  const result: TrialResult = {
    kind,
    trial,
    faults: at.length,
    at,
    status: b?.status ?? 'unknown',
    failure: b?.failure ?? null,
    accepted: b?.accepted ?? 0,
    rejected: b?.rejected ?? 0,
    expected: ctx.expected,
    ...found,
    seconds: Number(seconds.toFixed(1)),
    exact: false,
  };
  result.exact =
    result.status === 'completed' &&
    result.accepted === ctx.expected.accepted &&
    result.rejected === ctx.expected.rejected &&
    result.records === ctx.expected.accepted &&
    result.notVersion1 === 0 &&
    result.rejections === ctx.expected.rejected &&
    result.rejectedRowsReported === ctx.expected.rejected;
  return result;
}

// --- a 120 MB cell ------------------------------------------------------------------------

interface BigCellResult {
  upload: { status: number; code: string; seconds: number };
  healthLiveMaxMs: number;
  healthLiveChecks: number;
  worker: { status: string; failure: string | null; alive: boolean; peakRssMB: number };
  ok: boolean;
}

/** One CSV row whose given_name is `mb` megabytes long. */
async function writeBigCell(file: string, mb: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(csvLine([...RECORD_FIELDS]));
  out.write('BIG-1,ADD,9276308686,');
  const block = 'x'.repeat(1 << 20);
  for (let i = 0; i < mb; i++) if (!out.write(block)) await once(out, 'drain');
  out.write(',Lovelace,2000-01-01,F,J/617/2480,,2025-06-02,Pass,3,1,,en\r\n');
  out.end();
  await once(out, 'finish');
}

function peakRssMB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/**
 * A one-row file with a 120 MB cell: the upload is refused (413) while /health/live stays
 * fast; and the same file handed straight to a worker (as if accepted before the limits
 * existed) fails its batch with the reason, the worker alive and small.
 */
async function bigCell(app: App, base: string, workers: { current: ChildProcess }): Promise<BigCellResult> {
  const file = path.join(DATA_DIR, 'big-cell.csv');
  await writeBigCell(file, 120);
  let polling = true;
  let maxMs = 0;
  let checks = 0;
  const poll = (async () => {
    while (polling) {
      const t0 = performance.now();
      const res = await fetch(`${base}/health/live`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/health/live answered ${res.status}`);
      maxMs = Math.max(maxMs, performance.now() - t0);
      checks++;
      await sleep(50);
    }
  })();
  const token = await app.deps.tokens.issue({
    subject: 'faults',
    roles: ['ao-user'],
    organisation: '10019999',
    expiresIn: 600,
  });
  const form = new FormData();
  form.append('file', await openAsBlob(file), 'big-cell.csv');
  const t0 = performance.now();
  const res = await fetch(`${base}/achievements/batches`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const answer = (await res.json()) as { code?: string };
  const upload = {
    status: res.status,
    code: answer.code ?? '',
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
  polling = false;
  await poll;

  // Straight to a worker: stored and recorded without the upload's inspection.
  const id = `faults-big-cell-${Date.now()}`;
  const stored = path.join(BATCHES_FOLDER, `${id}.csv`);
  mkdirSync(path.join(DATA_DIR, BATCHES_FOLDER), { recursive: true });
  renameSync(file, path.join(DATA_DIR, stored));
  const hash = createHash('sha256');
  for await (const c of createReadStream(path.join(DATA_DIR, stored))) hash.update(c as Buffer);
  await createBatch(
    app.deps.graph,
    {
      id,
      aoUkprn: '10019999',
      nation: 'GB-ENG',
      subject: 'faults',
      kind: 'csv',
      file: stored,
      fileName: 'big-cell.csv',
      bytes: statSync(path.join(DATA_DIR, stored)).size,
      sha256: hash.digest('hex'),
      validateOnly: false,
      idempotencyKey: null,
      source: 'cli',
      rows: 1,
      unitRows: 1,
      qualificationRows: 0,
      malformedRows: 0,
    },
    new Date(),
  );
  await app.deps.jobs.enqueue('achievements.batch', { batchId: id }, { jobId: jobIdFor(id) });
  let b: Batch | null = null;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    b = await peek(app, id);
    if (b && (b.status === 'completed' || b.status === 'failed')) break;
    await sleep(200);
  }
  const worker = {
    status: b?.status ?? 'unknown',
    failure: b?.failure ?? null,
    alive: workers.current.exitCode === null && workers.current.signalCode === null,
    peakRssMB: peakRssMB(workers.current.pid!),
  };
  rmSync(path.join(DATA_DIR, stored), { force: true });
  return {
    upload,
    healthLiveMaxMs: Math.round(maxMs),
    healthLiveChecks: checks,
    worker,
    ok:
      upload.status === 413 &&
      upload.code === 'BATCH_ROW_TOO_LARGE' &&
      worker.status === 'failed' &&
      /longer than the \d+ characters a row may be/.test(worker.failure ?? '') &&
      worker.alive &&
      worker.peakRssMB < 300,
  };
}

// --- the run -----------------------------------------------------------------------------

shareNeo4jJars();
log(`harness Neo4j on ${boltPort}, Redis on ${redisPort}, ${rows} rows a batch, chunks of ${chunk}`);
neo4jScript('start');
await startRedis();
const config = benchConfig(settings);
const { app, base } = await listeningApp(config);
const results: TrialResult[] = [];
let big: BigCellResult | undefined;
let workers: { current: ChildProcess } | undefined;
try {
  await app.deps.graph.waitUntilReady(120_000);
  await app.deps.graph.autoCommit('testing/clean-graph');
  await migrate(app.deps.graph);
  const catalogue = generateCatalogue({ seed: 7, units: 400, qualifications: 40 });
  await loadCatalogue(app.deps.graph, catalogue);
  const learners = generateLearners({ seed: 7, count: Math.ceil((rows / 10) * 1.1) + 10 })
    .filter((l) => !l.linkedTo)
    .slice(0, Math.ceil(rows / 10));
  await upsertLearners(app.deps.graph, learners);
  const units = catalogue.units.map((u) => ({ urn: u.urn, credit: u.credit, level: u.level }));
  // Started once the schema is in place: a worker migrates too, and two at once collide.
  workers = { current: startWorker() };

  const plan: TrialResult['kind'][] = [
    ...Array<TrialResult['kind']>(trials.kill).fill('kill'),
    ...Array<TrialResult['kind']>(trials.neo4j).fill('neo4j'),
    ...Array<TrialResult['kind']>(trials.redis).fill('redis'),
  ];
  for (let i = 0; i < plan.length; i++) {
    const trial = i + 1;
    const file = path.join(DATA_DIR, `faults-${trial}.csv`);
    const expected = await writeBatchFile(file, trial, learners, units);
    const r = await runTrial(plan[i], trial, { app, base, workers, file, expected });
    rmSync(file, { force: true });
    results.push(r);
    log(
      `trial ${trial} ${r.kind}: ${r.faults} fault(s) at ${r.at.join(', ') || '-'} rows; ${r.status}${r.failure ? ` (${r.failure})` : ''}; ` +
        `accepted ${r.accepted}/${r.expected.accepted}, rejected ${r.rejected}/${r.expected.rejected}, records ${r.records}, ` +
        `not version 1 ${r.notVersion1}, reported ${r.rejections} (${r.rejectedRowsReported} rows) in ${secs(r.seconds * 1000)}: ${r.exact ? 'EXACT' : 'NOT EXACT'}`,
    );
    if (r.exact) await app.deps.graph.autoCommit('testing/faults-clean-ao', { ao: aoOf(trial) }).catch(() => undefined);
  }
  if (!values['no-big-cell']) {
    big = await bigCell(app, base, workers);
    log(
      `120 MB cell: upload ${big.upload.status} ${big.upload.code} in ${big.upload.seconds} s, /health/live at most ${big.healthLiveMaxMs} ms over ${big.healthLiveChecks} checks; ` +
        `straight to a worker: ${big.worker.status} (${big.worker.failure}), worker alive ${big.worker.alive}, peak RSS ${big.worker.peakRssMB} MB: ${big.ok ? 'OK' : 'NOT OK'}`,
    );
  }
} finally {
  if (workers) await kill(workers.current);
  await app.close().catch(() => undefined);
  await killRedis();
  neo4jScript('stop');
}
const byKind = (k: TrialResult['kind']) => results.filter((r) => r.kind === k);
const summary = Object.fromEntries(
  (['kill', 'neo4j', 'redis'] as const).map((k) => [
    k,
    {
      run: byKind(k).length,
      exact: byKind(k).filter((r) => r.exact).length,
      faults: byKind(k).reduce((s, r) => s + r.faults, 0),
    },
  ]),
);
log(
  `trials run ${results.length}, exact ${results.filter((r) => r.exact).length}: ` +
    Object.entries(summary)
      .map(([k, s]) => `${k} ${s.exact}/${s.run} (${s.faults} faults)`)
      .join(', '),
);
writeFileSync(path.join(LOG_DIR, 'last-run.json'), JSON.stringify({ rows, chunk, summary, results, big }, null, 2));
console.log(JSON.stringify({ rows, chunk, summary, bigCell: big }));
const allExact = results.every((r) => r.exact) && results.length === trials.kill + trials.neo4j + trials.redis;
process.exit(allExact && (big === undefined || big.ok) ? 0 : 1);
