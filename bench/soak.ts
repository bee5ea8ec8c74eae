/**
 * The soak (issue 15 part 8): a mixed workload at a steady rate for a long time, from this
 * process, against an API process and a worker process of their own (children of this
 * one, so their memory can be read from /proc): reads of every OCF (03 record, 04 rules
 * and progress, 05 credit check, 06 routes, 07 availability, 08 challenges, 09 access log,
 * 02 records), verifications (OCF 11), sign-ins, and achievement batches (OCF 01, and 10
 * validate-only) uploaded and loaded while the rest goes on. Target: 0 errors, p95 steady
 * from the first minute to the last, API and worker RSS flat.
 *
 *   npx tsx bench/soak.ts [--minutes 10] [--rate 20] [--window 60] [--batch-every 30]
 *       [--batch-rows 500] [--learners 300] [--port 3990]
 *
 * It empties the graph first (the test clean-up query): run it on a development database.
 * RATE_LIMIT_ENABLED=false for the API (the sign-ins come from one address at a steady
 * rate). Any answer that is not 2xx is an error: printed (the first few) and counted.
 * Prints a line per window and, last, the figures as Markdown for bench/README.md and one
 * JSON line; exits 1 on any error or unfinished batch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { createGraph } from '../src/platform/neo4j.js';
import { migrate } from '../src/operations/migrate.js';
import { seedDemo, SAMPLE_CATALOGUE } from '../src/operations/seed.js';
import { parseCatalogue } from '../src/catalogue/catalogue-file.js';
import { generateLearners } from '../src/learners/generator.js';
import { KeyRing } from '../src/identity/keys.js';
import { RECORD_FIELDS } from '../src/achievements/rows.js';
import { csvLine } from '../src/platform/csv.js';
import { getBatch } from '../src/achievements/batches/repository.js';
import { startSmtp } from '../test/helpers/smtp.js';
import { benchConfig, percentile } from './support.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    window: { type: 'string', default: '60' },
    'batch-every': { type: 'string', default: '30' },
    'batch-rows': { type: 'string', default: '500' },
    learners: { type: 'string', default: '300' },
    port: { type: 'string', default: '3990' },
  },
});
const durationMs = Number(values.minutes) * 60_000;
const rate = Number(values.rate);
const windowMs = Number(values.window) * 1000;
const batchEveryMs = Number(values['batch-every']) * 1000;
const batchRows = Number(values['batch-rows']);
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const AO = '10000301';
const PASSWORD = 'soak-Password-2026!';

const smtp = await startSmtp();
const settings = {
  QUEUE_PREFIX: `soak-${process.pid}`,
  RATE_LIMIT_ENABLED: 'false',
  SMTP_URL: smtp.url,
  PORT: String(port),
  PUBLIC_URL: base,
  LOG_LEVEL: 'warn',
};
const config = benchConfig(settings);
const graph = createGraph(config);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().slice(11, 19);

function child(command: 'serve' | 'worker'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), command], {
    env: {
      ...process.env,
      ...settings,
      NEO4J_URI: config.neo4jUri!,
      ...(command === 'worker' ? { NODE_OPTIONS: '--max-old-space-size=192' } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
}

let api: ChildProcess | undefined;
let worker: ChildProcess | undefined;
const errors: string[] = [];
let errorCount = 0;

async function call(
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${base}${url}`, { method, headers, body: payload });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

try {
  // --- data: the sample catalogue, learners with credits, an AO, users to sign in -------
  await graph.waitUntilReady(60_000);
  await graph.autoCommit('testing/clean-graph');
  await migrate(graph);
  const seeded = await seedDemo(graph, { learners: Number(values.learners), seed: 2026 });
  const parsed = parseCatalogue(readFileSync(SAMPLE_CATALOGUE, 'utf8'));
  if (!parsed.ok) throw new Error('the sample catalogue does not validate');
  const catalogue = parsed.catalogue;
  const learners = generateLearners({ seed: 2026, count: Number(values.learners) });
  const shared = learners.filter((l) => l.available && !l.linkedTo);
  const registered = learners.filter((l) => !l.linkedTo);
  console.log(
    `[${stamp()}] data: ${seeded.qualifications} qualifications, ${seeded.units} units, ${seeded.learners} learners (${shared.length} sharing), ${seeded.credits} credits`,
  );

  api = child('serve');
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the API did not start');
    await sleep(100);
  }
  worker = child('worker');

  const keys = await KeyRing.create(config);
  const token = (roles: string[], extra: Record<string, string> = {}) =>
    keys.issue({ subject: `soak-${roles[0]}`, roles: roles as never, expiresIn: 6 * 3600, ...extra });
  const operator = await token(['operator'], { organisation: '10000005' });
  const adviser = await token(['careers-adviser'], { organisation: '10000003' });
  const provider = await token(['provider-user'], { organisation: '10000002' });
  const aoUser = await token(['ao-user'], { organisation: AO });

  // Sign-in accounts, made as people are: invited, the email read, a password set.
  const org = await call('POST', '/organisations', operator, { ukprn: AO, name: 'Soak Awards', kind: 'ao' });
  if (org.status >= 300) throw new Error(`organisation: ${org.status} ${JSON.stringify(org.json)}`);
  const emails: string[] = [];
  for (let i = 0; i < 5; i++) {
    const email = `soak-${i}@example.test`;
    const before = smtp.messages.length;
    const invited = await call('POST', `/organisations/${AO}/users`, operator, { email, roles: ['ao-user'] });
    if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.json)}`);
    const [mail] = (await smtp.waitFor(before + 1, 30_000)).slice(before);
    const setup = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
    const set = await call('POST', '/auth/set-password', null, { token: setup, password: PASSWORD });
    if (set.status !== 200) throw new Error(`set-password: ${set.status} ${JSON.stringify(set.json)}`);
    emails.push(email);
  }
  const learnerTokens = await Promise.all(shared.slice(0, 50).map((l) => token(['learner'], { uln: l.uln })));
  const quals = catalogue.qualifications.slice(0, 20).map((q) => q.qan);

  // --- the workload ------------------------------------------------------------------------
  type Op = { name: string; run: (n: number) => Promise<{ status: number; json: any }> };
  const pick = <T>(list: T[], n: number) => list[n % list.length];
  const ops: Op[] = [
    { name: 'record (03)', run: (n) => call('GET', `/learners/${pick(shared, n).uln}/record`, adviser) },
    {
      name: 'rules+progress (04)',
      run: (n) =>
        call('GET', `/qualifications/${encodeURIComponent(pick(quals, n))}/rules?uln=${pick(shared, n).uln}`, adviser),
    },
    { name: 'credit check (05)', run: (n) => call('GET', `/learners/${pick(shared, n).uln}/credit-check`, adviser) },
    { name: 'routes (06)', run: (n) => call('GET', `/learners/${pick(shared, n).uln}/routes`, adviser) },
    {
      name: 'availability (07)',
      run: (n) => call('GET', `/learners/${pick(shared, n).uln}/availability`, pick(learnerTokens, n)),
    },
    {
      name: 'challenges (08)',
      run: (n) => call('GET', `/learners/${pick(shared, n).uln}/challenges`, pick(learnerTokens, n)),
    },
    {
      name: 'access log (09)',
      run: (n) => call('GET', `/learners/${pick(shared, n).uln}/access-log`, pick(learnerTokens, n)),
    },
    { name: 'records (02)', run: () => call('GET', `/achievements?ao=${AO}&pageSize=20`, aoUser) },
    {
      name: 'verify (11)',
      run: (n) => {
        const l = pick(registered, n);
        return call('POST', '/learners/verify', provider, {
          uln: l.uln,
          givenName: l.givenName,
          familyName: l.familyName,
          dateOfBirth: l.dateOfBirth,
          gender: l.gender,
        });
      },
    },
    { name: 'sign-in', run: (n) => call('POST', '/auth/login', null, { email: pick(emails, n), password: PASSWORD }) },
    { name: 'batch status', run: () => call('GET', '/achievements/batches?limit=10', aoUser) },
  ];
  // The learners whose own record ids a batch adds (every batch new rows: its counts are known).
  const batchIds: { id: string; validateOnly: boolean; rows: number }[] = [];
  let batchNo = 0;
  async function sendBatch(): Promise<{ status: number; json: any }> {
    const n = ++batchNo;
    const validateOnly = n % 2 === 0;
    let text = csvLine([...RECORD_FIELDS]);
    for (let i = 0; i < batchRows; i++) {
      const l = registered[(n * 37 + i) % registered.length];
      const u = catalogue.units[(n * 11 + i * 7) % catalogue.units.length];
      text += csvLine([
        `SOAK-${n}-${i + 1}`,
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
    }
    const form = new FormData();
    if (validateOnly) form.append('validateOnly', 'true');
    form.append('file', new Blob([text]), `soak-${n}.csv`);
    const res = await call('POST', '/achievements/batches', aoUser, form);
    if (res.status === 202) batchIds.push({ id: res.json.id, validateOnly, rows: batchRows });
    return res;
  }

  interface Window {
    from: number;
    latencies: number[];
    requests: number;
    errors: number;
    apiRss: number[];
    workerRss: number[];
  }
  const windows: Window[] = [];
  const newWindow = (from: number): Window => ({
    from,
    latencies: [],
    requests: 0,
    errors: 0,
    apiRss: [],
    workerRss: [],
  });
  const started = performance.now();
  let current = newWindow(0);
  windows.push(current);
  const byOp = new Map<string, number[]>();
  const inFlight = new Set<Promise<void>>();
  const fire = (name: string, work: () => Promise<{ status: number; json: any }>) => {
    const w = current;
    const t0 = performance.now();
    const p = work()
      .then(
        (res) => {
          const ms = performance.now() - t0;
          w.latencies.push(ms);
          (byOp.get(name) ?? byOp.set(name, []).get(name)!).push(ms);
          if (res.status < 200 || res.status >= 300) {
            w.errors++;
            errorCount++;
            if (errors.length < 10) errors.push(`${name}: ${res.status} ${JSON.stringify(res.json)?.slice(0, 200)}`);
          }
        },
        (err: Error) => {
          w.errors++;
          errorCount++;
          if (errors.length < 10) errors.push(`${name}: ${err.message}`);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    w.requests++;
  };

  console.log(
    `[${stamp()}] soak: ${rate} requests/s for ${values.minutes} min, a batch of ${batchRows} rows every ${values['batch-every']} s`,
  );
  let n = 0;
  let nextBatch = 0;
  let nextSample = 0;
  const interval = 1000 / rate;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= durationMs) break;
    if (elapsed - current.from >= windowMs) {
      const w = current;
      current = newWindow(w.from + windowMs);
      windows.push(current);
      report(w);
    }
    if (elapsed >= nextSample) {
      nextSample += 5_000;
      current.apiRss.push(rssMB(api.pid!));
      current.workerRss.push(rssMB(worker.pid!));
    }
    if (elapsed >= nextBatch) {
      nextBatch += batchEveryMs;
      fire('batch upload (01/10)', sendBatch);
    }
    const op = ops[n % ops.length];
    const k = n++;
    fire(op.name, () => op.run(k));
    // A steady rate: the next request at its own time, however long the last one takes.
    const due = started + n * interval;
    await sleep(Math.max(0, due - performance.now()));
  }
  await Promise.all(inFlight);
  report(current);

  function report(w: Window) {
    const sorted = [...w.latencies].sort((a, b) => a - b);
    const last = (list: number[]) => list.at(-1) ?? 0;
    console.log(
      `[${stamp()}] minute ${String(Math.round(w.from / 60_000) + 1).padStart(2)}: ${w.requests} requests, ${w.errors} errors, p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, API RSS ${last(w.apiRss)} MB, worker RSS ${last(w.workerRss)} MB`,
    );
  }

  // Every batch must have ended, completed with every row counted.
  const deadline = Date.now() + 180_000;
  const unfinished: string[] = [];
  for (const b of batchIds) {
    for (;;) {
      const got = await getBatch(graph, b.id);
      if (got && got.status === 'completed') {
        if (got.accepted + got.rejected + got.unchanged !== b.rows)
          unfinished.push(`${b.id}: counts ${got.accepted}/${got.rejected}`);
        break;
      }
      if ((got && got.status === 'failed') || Date.now() > deadline) {
        unfinished.push(`${b.id}: ${got?.status} ${got?.failure ?? ''}`);
        break;
      }
      await sleep(250);
    }
  }

  const full = windows.filter((w) => w.latencies.length > 0);
  const p95s = full.map((w) =>
    percentile(
      [...w.latencies].sort((a, b) => a - b),
      95,
    ),
  );
  const rss = (f: (w: Window) => number[]) => full.map((w) => f(w).at(-1) ?? 0).filter((x) => x > 0);
  const apiRss = rss((w) => w.apiRss);
  const workerRss = rss((w) => w.workerRss);
  const total = full.reduce((s, w) => s + w.requests, 0);
  const summary = {
    minutes: Number(values.minutes),
    rate,
    requests: total,
    errors: errorCount,
    batches: batchIds.length,
    batchesNotCompleted: unfinished.length,
    p95FirstMs: Number(p95s[0]?.toFixed(1)),
    p95LastMs: Number(p95s.at(-1)?.toFixed(1)),
    p95MaxMs: Number(Math.max(...p95s).toFixed(1)),
    apiRssMB: { first: apiRss[0], last: apiRss.at(-1), max: Math.max(...apiRss) },
    workerRssMB: { first: workerRss[0], last: workerRss.at(-1), max: Math.max(...workerRss) },
  };
  console.log('');
  console.log(`| minute | requests | errors | p50 ms | p95 ms | API RSS MB | worker RSS MB |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const w of full) {
    const sorted = [...w.latencies].sort((a, b) => a - b);
    console.log(
      `| ${Math.round(w.from / 60_000) + 1} | ${w.requests} | ${w.errors} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} | ${w.apiRss.at(-1) ?? ''} | ${w.workerRss.at(-1) ?? ''} |`,
    );
  }
  console.log('');
  console.log(`| question | n | p50 ms | p95 ms |`);
  console.log(`|---|---|---|---|`);
  for (const [name, list] of byOp) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `| ${name} | ${list.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} |`,
    );
  }
  console.log('');
  if (errors.length > 0) console.log(`errors (first ${errors.length}):\n  ${errors.join('\n  ')}`);
  if (unfinished.length > 0) console.log(`batches not completed exactly:\n  ${unfinished.join('\n  ')}`);
  console.log(JSON.stringify(summary));
  process.exitCode = errorCount === 0 && unfinished.length === 0 ? 0 : 1;
} finally {
  api?.kill('SIGTERM');
  worker?.kill('SIGTERM');
  await graph.close();
  await smtp.close();
}
