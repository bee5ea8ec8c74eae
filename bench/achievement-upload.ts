/**
 * OCF 01 batch upload end to end, against the targets of issue 5: a generated file of
 * unit credits for registered learners, uploaded through the HTTP API and loaded by a
 * worker running as a child process (its memory sampled), and, as the ceiling, a bare
 * script writing the same rows with the same UNWIND statement and no validation.
 *
 *   npx tsx bench/achievement-upload.ts [--rows 1000000] [--per-learner 10] [--units 5000]
 *       [--qualifications 1000] [--chunk 2000] [--seed 1] [--worker-heap MB]
 *
 * --worker-heap caps the worker's V8 old space (--max-old-space-size; default 192, as
 * `plr worker` runs; 0 for no cap): without it V8 lets
 * garbage pile up far past what the worker holds live.
 *
 * It empties the graph first (the test clean-up query): run it on a development database.
 * Prints rows/s, the batch duration, the worker's peak RSS, the bare rate and the ratio.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, openAsBlob, readFileSync, mkdirSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue } from '../src/catalogue/generator.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { generateLearners } from '../src/learners/generator.js';
import { upsertLearners } from '../src/learners/repository.js';
import { addRecords, recordKey, type RecordWrite } from '../src/achievements/repository.js';
import { RECORD_FIELDS } from '../src/achievements/rows.js';
import { csvLine } from '../src/platform/csv.js';
import { readItems } from '../src/achievements/batches/file.js';
import { getBatch } from '../src/achievements/batches/repository.js';
import type { Level } from '../src/catalogue/model.js';
import { benchConfig, listeningApp, secs } from './support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'per-learner': { type: 'string', default: '10' },
    units: { type: 'string', default: '5000' },
    qualifications: { type: 'string', default: '1000' },
    chunk: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    'worker-heap': { type: 'string', default: '192' },
  },
});
const rows = Number(values.rows);
const perLearner = Number(values['per-learner']);
const chunk = Number(values.chunk);
const seed = Number(values.seed);
const BATCH_AO = '10000101';
const BARE_AO = '10000102';

const settings = { QUEUE_PREFIX: `bench-upload-${process.pid}`, BATCH_CHUNK_ROWS: String(chunk), SMTP_URL: '' };
const config = benchConfig(settings);
/** The worker child's environment: the same database, queue and chunk size. */
const env = { ...process.env, ...settings, NEO4J_URI: config.neo4jUri!, LOG_LEVEL: 'warn' };
const { app, base } = await listeningApp(config);
const graph = app.deps.graph;
const workDir = path.join(config.dataDir, 'bench');
mkdirSync(workDir, { recursive: true });
const file = path.join(workDir, `achievements-${rows}.csv`);

/** Peak and current resident memory of a process, MB, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

let worker: ReturnType<typeof spawn> | undefined;
try {
  await graph.autoCommit('testing/clean-graph');
  await migrate(graph);

  let t0 = performance.now();
  const catalogue = generateCatalogue({
    seed,
    units: Number(values.units),
    qualifications: Number(values.qualifications),
  });
  await loadCatalogue(graph, catalogue);
  const learnerCount = Math.ceil(rows / perLearner);
  const learners = generateLearners({ seed, count: Math.ceil(learnerCount * 1.05) + 10 })
    .filter((l) => !l.linkedTo)
    .slice(0, learnerCount);
  await upsertLearners(graph, learners);
  console.log(
    `setup: ${catalogue.units.length} units, ${catalogue.qualifications.length} qualifications, ${learners.length} learners loaded in ${secs(performance.now() - t0)}`,
  );

  // The file: `perLearner` distinct units for each learner, written as it is generated.
  t0 = performance.now();
  const out = createWriteStream(file);
  out.write(csvLine([...RECORD_FIELDS]));
  const units = catalogue.units;
  for (let i = 0; i < rows; i++) {
    const li = Math.floor(i / perLearner);
    const l = learners[li];
    const u = units[(li * 7919 + (i % perLearner) * 104_729) % units.length];
    const line = csvLine([
      `B${String(i + 1).padStart(8, '0')}`,
      'ADD',
      l.uln,
      l.givenName,
      l.familyName,
      l.dateOfBirth,
      l.gender,
      u.urn,
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
  const bytes = statSync(file).size;
  console.log(`file: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, written in ${secs(performance.now() - t0)}`);

  // The ceiling: the same rows, read from the same file, written with the same statement
  // (achievements/add-records) in chunks of the same size, with no validation at all.
  t0 = performance.now();
  let batchRows: RecordWrite[] = [];
  let bare = 0;
  const at = new Date().toISOString();
  const flush = async () => {
    const chunkRows = batchRows;
    batchRows = [];
    bare += await graph.writeTx((tx) => addRecords(tx, BARE_AO, chunkRows));
  };
  for await (const item of readItems(file, 'csv')) {
    if (!item.record) continue;
    const r = item.record;
    batchRows.push({
      key: recordKey(BARE_AO, r.record_id!),
      recordId: r.record_id!,
      aoUkprn: BARE_AO,
      uln: r.uln!,
      kind: 'unit',
      urn: r.urn!,
      qan: null,
      credit: Number(r.credit),
      level: r.level as Level,
      awardDate: r.award_date!,
      grade: r.grade || null,
      providerUkprn: null,
      language: r.language || null,
      status: 'active',
      late: false,
      at,
      by: 'bench',
      batchId: null,
      batchRow: item.row,
    });
    if (batchRows.length >= chunk) await flush();
  }
  if (batchRows.length > 0) await flush();
  const bareMs = performance.now() - t0;
  const bareRate = bare / (bareMs / 1000);
  console.log(`bare: ${bare} rows written in ${secs(bareMs)}: ${Math.round(bareRate)} rows/s`);

  // End to end: a worker in a child process, the upload through HTTP, until completed.
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), 'worker'], {
    env: {
      ...env,
      WORKER_CONCURRENCY: '1',
      ...(Number(values['worker-heap']) > 0 ? { NODE_OPTIONS: `--max-old-space-size=${values['worker-heap']}` } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const workerPid = worker.pid!;
  await new Promise((r) => setTimeout(r, 3_000));
  const token = await app.deps.tokens.issue({
    subject: 'bench',
    roles: ['ao-user'],
    organisation: BATCH_AO,
    expiresIn: 6 * 3600,
  });
  t0 = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const res = await fetch(`${base}/achievements/batches`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const sent = (await res.json()) as { id: string; status: string; message?: string };
  if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${sent.message}`);
  const uploadMs = performance.now() - t0;
  console.log(`upload: ${res.status} in ${secs(uploadMs)} (stored and inspected), batch ${sent.id}`);
  let peak = 0;
  let lastPrint = 0;
  for (;;) {
    const m = memoryOf(workerPid);
    peak = Math.max(peak, m.peak, m.rss);
    const b = (await getBatch(graph, sent.id))!;
    if (b.status === 'completed' || b.status === 'failed') break;
    if (performance.now() - lastPrint > 15_000) {
      lastPrint = performance.now();
      console.log(
        `  ${b.status} ${b.processed}/${b.rows} rows, ${secs(performance.now() - t0)}, worker RSS ${m.rss.toFixed(0)} MB`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const endMs = performance.now() - t0;
  const b = (await getBatch(graph, sent.id))!;
  const rate = rows / (endMs / 1000);
  const summary = {
    rows,
    fileMB: Number((bytes / 1e6).toFixed(1)),
    chunk,
    status: b.status,
    accepted: b.accepted,
    rejected: b.rejected,
    unchanged: b.unchanged,
    late: b.late,
    uploadSeconds: Number((uploadMs / 1000).toFixed(1)),
    batchSeconds: Number((endMs / 1000).toFixed(1)),
    rowsPerSecond: Math.round(rate),
    bareRowsPerSecond: Math.round(bareRate),
    ofBare: Number((rate / bareRate).toFixed(2)),
    workerPeakMB: Math.round(peak),
    targets: { rowsPerSecond: rate >= 5_000, ofBare: rate / bareRate >= 0.6, workerPeakMB: peak < 300 },
  };
  console.log(
    `batch: ${b.status}, ${b.accepted} accepted, ${b.rejected} rejected in ${secs(endMs)} from upload to completed: ${Math.round(rate)} rows/s (${((rate / bareRate) * 100).toFixed(0)} % of bare); worker peak RSS ${peak.toFixed(0)} MB`,
  );
  console.log(JSON.stringify(summary));
  rmSync(path.join(config.dataDir, b.file), { force: true });
} finally {
  worker?.kill('SIGTERM');
  await app.deps.jobs.queue.obliterate({ force: true }).catch(() => undefined);
  await app.close();
  rmSync(file, { force: true });
}
