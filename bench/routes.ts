/**
 * OCF 06 against the charter's 5-second target, through the real HTTP server: a full-size
 * catalogue with providers, occupations and funding, learners with credits, then
 * GET /learners/{uln}/routes over many learners, without filters and with a region filter.
 *
 *   npx tsx bench/routes.ts [--seed 1] [--units 20000] [--qualifications 10000]
 *       [--learners 2000] [--requests 200] [--keep]
 *
 * Empties the graph first unless --keep is given: development databases only.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue, mulberry32 } from '../src/catalogue/generator.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { generateAchievements, generateLearners } from '../src/learners/generator.js';
import { upsertLearners } from '../src/learners/repository.js';
import { recordUnitCredits } from '../src/achievements/repository.js';
import { generatePathwayData, REGIONS } from '../src/pathways/generator.js';
import { loadPathwayData } from '../src/pathways/repository.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    units: { type: 'string', default: '20000' },
    qualifications: { type: 'string', default: '10000' },
    learners: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const config = loadConfig({ ...process.env, NEO4J_URI: process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687', LOG_LEVEL: 'warn', PORT: '0', QUEUE_PREFIX: 'bench' });
const app = await buildApp(config);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const graph = app.deps.graph;

try {
  if (!values.keep) await graph.autoCommit('testing/clean-graph');
  await migrate(graph);
  let t0 = performance.now();
  const catalogue = generateCatalogue({ seed, units: Number(values.units), qualifications: Number(values.qualifications) });
  await loadCatalogue(graph, catalogue);
  const pathways = generatePathwayData({ seed, catalogue });
  const loaded = await loadPathwayData(graph, pathways);
  console.log(`catalogue and filter data loaded in ${secs(performance.now() - t0)}: ${catalogue.qualifications.length} qualifications, ${loaded.providers} providers, ${loaded.offers} offers, ${loaded.occupations} occupations, ${loaded.fundingRules} funding rules`);

  t0 = performance.now();
  const learners = generateLearners({ seed, count: Number(values.learners) });
  const achievements = generateAchievements({ seed, learners, catalogue });
  await upsertLearners(graph, learners);
  await recordUnitCredits(graph, achievements);
  console.log(`${learners.length} learners with ${achievements.length} credits loaded in ${secs(performance.now() - t0)}`);

  const shared = learners.filter((l) => l.available && !l.linkedTo);
  const random = mulberry32(seed * 104729);
  const token = await app.deps.tokens.issue({ subject: 'bench', roles: ['careers-adviser'], organisation: '10000003', expiresIn: 3600 });
  const headers = { authorization: `Bearer ${token}` };

  async function run(name: string, query: string) {
    const times: number[] = [];
    let failures = 0;
    let routes = 0;
    let candidates = 0;
    for (let i = 0; i < Number(values.requests); i++) {
      const l = shared[Math.floor(random() * shared.length)];
      const region = REGIONS[Math.floor(random() * REGIONS.length)];
      const url = `${base}/learners/${l.uln}/routes?limit=10${query.replace('REGION', encodeURIComponent(region))}`;
      const s = performance.now();
      const res = await fetch(url, { headers });
      const body = await res.json() as { routes?: unknown[]; candidates?: number };
      times.push(performance.now() - s);
      if (res.status !== 200) failures++;
      routes += body.routes?.length ?? 0;
      candidates += body.candidates ?? 0;
    }
    times.sort((a, b) => a - b);
    const r = { name, requests: times.length, failures, p50: +pct(times, 50).toFixed(1), p95: +pct(times, 95).toFixed(1), max: +times[times.length - 1].toFixed(1), meanRoutes: +(routes / times.length).toFixed(1), meanCandidates: +(candidates / times.length).toFixed(1) };
    console.log(`${name}: ${r.requests} requests, p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, ${failures} not 200, ${r.meanRoutes} routes and ${r.meanCandidates} candidates per answer on average`);
    return r;
  }
  const all = await run('OCF 06 routes, no filter', '');
  const region = await run('OCF 06 routes, region filter', '&region=REGION');
  console.log(JSON.stringify({ all, region }));
} finally {
  await app.close();
}
