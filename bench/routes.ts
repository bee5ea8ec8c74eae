/**
 * OCF 06 routes through the real HTTP server, at several catalogue sizes: for each scale,
 * a generated catalogue (scale x 20,000 units, scale x 10,000 qualifications) with its
 * providers, occupations and funding, learners holding 5 to 40 credits, then
 * GET /learners/{uln}/routes with a careers adviser's token: one client, then
 * --concurrency clients at once; without filters and with a region filter.
 *
 *   npx tsx bench/routes.ts [--scales 0.1,0.5,1] [--seed 1] [--learners 2000]
 *       [--requests 400] [--single 100] [--concurrency 8] [--keep] [--neo4j-pid PID]
 *
 * Besides latencies it prints the CPU time per request of this process (the server, and the
 * clients' small share) and, when it knows the Neo4j server's process (--neo4j-pid, or the
 * pid file of scripts/neo4j.sh under NEO4J_LOCAL_DIR), of Neo4j: on a shared machine those
 * say more about the cost of a request than the wall clock does.
 *
 * Empties the graph first (development databases only). --keep skips emptying and loading
 * and measures what is in the graph (one scale only).
 */
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue, Random } from '../src/catalogue/generator.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { generateAchievements, generateLearners } from '../src/learners/generator.js';
import { upsertLearners } from '../src/learners/repository.js';
import { recordUnitCredits } from '../src/achievements/repository.js';
import { generatePathwayData, REGIONS } from '../src/pathways/generator.js';
import { loadPathwayData } from '../src/pathways/repository.js';
import { benchConfig, listeningApp, percentile, secs } from './support.js';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.1,0.5,1' },
    seed: { type: 'string', default: '1' },
    learners: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '400' },
    single: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
    'neo4j-pid': { type: 'string' },
  },
});
const pidFile = join(process.env.NEO4J_LOCAL_DIR ?? '.local/neo4j', 'neo4j.pid');
const neo4jPid = values['neo4j-pid'] ?? (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : undefined);
/** CPU milliseconds a process has used (user + system), from /proc; null when unknown. */
function cpuOf(pid: string | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
  } catch {
    return null;
  }
}
const seed = Number(values.seed);
const scales = values.scales.split(',').map(Number);
if (scales.some((s) => !(s > 0 && s <= 1))) throw new RangeError('--scales: numbers in (0, 1], comma-separated');
if (values.keep && scales.length !== 1) throw new RangeError('--keep measures what is loaded: give one scale');
const concurrency = Number(values.concurrency);
const ms = (x: number) => Math.round(x);

const config = benchConfig();
const { app, base } = await listeningApp(config);
const graph = app.deps.graph;
const token = await app.deps.tokens.issue({
  subject: 'bench',
  roles: ['careers-adviser'],
  organisation: '10000003',
  expiresIn: 4 * 3600,
});
const headers = { authorization: `Bearer ${token}` };

interface Sample {
  ms: number;
  credits: number;
  candidates: number;
  discovered: number;
  ok: boolean;
}

/** `total` requests from `clients` callers at once, each taking the next learner of the list. */
let lastCpu = { app: 0, neo4j: null as number | null };
async function run(
  learners: { uln: string; credits: number }[],
  total: number,
  clients: number,
  query: (i: number) => string,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const app0 = process.cpuUsage();
  const neo0 = cpuOf(neo4jPid);
  let next = 0;
  async function client() {
    for (let i = next++; i < total; i = next++) {
      const l = learners[i % learners.length];
      const s = performance.now();
      const res = await fetch(`${base}/learners/${l.uln}/routes?limit=10${query(i)}`, { headers });
      const body = (await res.json()) as { candidates?: number; discovered?: number };
      samples.push({
        ms: performance.now() - s,
        credits: l.credits,
        candidates: body.candidates ?? 0,
        discovered: body.discovered ?? 0,
        ok: res.status === 200,
      });
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  const app = process.cpuUsage(app0);
  const neo1 = cpuOf(neo4jPid);
  lastCpu = {
    app: (app.user + app.system) / 1000 / total,
    neo4j: neo0 === null || neo1 === null ? null : (neo1 - neo0) / total,
  };
  return samples;
}

function summary(samples: Sample[]) {
  const t = samples.map((s) => s.ms).sort((a, b) => a - b);
  const band = (lo: number, hi: number) => {
    const x = samples
      .filter((s) => s.credits >= lo && s.credits <= hi)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    return x.length === 0 ? null : ms(percentile(x, 50));
  };
  return {
    requests: t.length,
    failures: samples.filter((s) => !s.ok).length,
    p50: ms(percentile(t, 50)),
    p95: ms(percentile(t, 95)),
    max: ms(t[t.length - 1]),
    meanCandidates: +(samples.reduce((a, s) => a + s.candidates, 0) / samples.length).toFixed(1),
    // The learner's neighbourhood: qualifications their credits reach (filters applied).
    meanDiscovered: +(samples.reduce((a, s) => a + s.discovered, 0) / samples.length).toFixed(1),
    // The cost should follow the learner's neighbourhood (how many credits), not the catalogue.
    p50ByCredits: { '5-14': band(5, 14), '15-24': band(15, 24), '25-40': band(25, 40) },
    cpuMsPerRequest: { app: +lastCpu.app.toFixed(1), neo4j: lastCpu.neo4j === null ? null : +lastCpu.neo4j.toFixed(1) },
  };
}

const results: Record<string, unknown>[] = [];
try {
  for (const scale of scales) {
    const units = Math.round(20_000 * scale);
    const qualifications = Math.round(10_000 * scale);
    const catalogue = generateCatalogue({ seed, units, qualifications });
    const learners = generateLearners({ seed, count: Number(values.learners) });
    const achievements = generateAchievements({ seed, learners, catalogue, perLearner: { min: 5, max: 40 } });
    if (!values.keep) {
      let t0 = performance.now();
      await graph.autoCommit('testing/clean-graph');
      await migrate(graph);
      await loadCatalogue(graph, catalogue);
      const loaded = await loadPathwayData(graph, generatePathwayData({ seed, catalogue }));
      console.log(
        `scale ${scale}: ${units} units, ${qualifications} qualifications, ${loaded.providers} providers, ${loaded.offers} offers loaded in ${secs(performance.now() - t0)}`,
      );
      t0 = performance.now();
      await upsertLearners(graph, learners);
      await recordUnitCredits(graph, achievements);
      console.log(
        `  ${learners.length} learners with ${achievements.length} credits loaded in ${secs(performance.now() - t0)}`,
      );
    }
    const held = new Map<string, number>();
    for (const a of achievements) held.set(a.uln, (held.get(a.uln) ?? 0) + 1);
    const rnd = new Random(seed, 0x42454e43);
    const shared = rnd.shuffle(
      learners
        .filter((l) => l.available && !l.linkedTo && held.has(l.uln))
        .map((l) => ({ uln: l.uln, credits: held.get(l.uln)! })),
    );
    const region = (i: number) => `&region=${encodeURIComponent(REGIONS[i % REGIONS.length])}`;

    // Warm-up on learners the phases below do not use: JIT, query plans, page cache. 40
    // requests were too few: whichever scale ran first had a p95 about 80 ms worse than the
    // same scale run later, so the first scale looked like the dearest whatever its size.
    await run(shared.slice(-300), 300, concurrency, (i) => (i % 2 === 0 ? '' : region(i)));
    for (const [filter, query] of [
      ['no filter', () => ''],
      ['region', region],
    ] as const) {
      const one = summary(await run(shared, Number(values.single), 1, query));
      const many = summary(await run(shared.slice(Number(values.single)), Number(values.requests), concurrency, query));
      for (const [clients, r] of [
        [1, one],
        [concurrency, many],
      ] as const) {
        console.log(
          `  ${filter}, ${clients} client(s): ${r.requests} requests, p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, ${r.failures} not 200; ` +
            `${r.meanCandidates} of ${r.meanDiscovered} candidates examined on average; p50 by credits held ${JSON.stringify(r.p50ByCredits)}; ` +
            `CPU per request: app ${r.cpuMsPerRequest.app} ms, Neo4j ${r.cpuMsPerRequest.neo4j ?? '?'} ms`,
        );
        results.push({ scale, filter, clients, ...r });
      }
    }
  }
  console.log(JSON.stringify(results));
} finally {
  await app.close();
}
