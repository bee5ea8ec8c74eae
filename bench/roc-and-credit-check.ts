/**
 * OCF 04 and OCF 05 against the charter's 5-second target, through the real HTTP server:
 * generate and load a full-size catalogue, generate learners with credits, then time the
 * RoC query with a learner's progress and the credit check over many learners.
 *
 *   npx tsx bench/roc-and-credit-check.ts [--seed 1] [--units 20000] [--qualifications 10000]
 *       [--learners 5000] [--requests 500] [--concurrency 1] [--keep]
 *
 * It empties the graph first (the test clean-up query) unless --keep is given, so run it
 * on a development database only. Prints p50, p95 and max per query, and a JSON summary.
 */
import { parseArgs } from 'node:util';
import { migrate } from '../src/operations/migrate.js';
import { generateCatalogue } from '../src/catalogue/generator.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { generateAchievements, generateLearners } from '../src/learners/generator.js';
import { upsertLearners } from '../src/learners/repository.js';
import { recordUnitCredits } from '../src/achievements/repository.js';
import { mulberry32 } from '../src/catalogue/generator.js';
import { benchConfig, listeningApp, percentile, secs } from './support.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    units: { type: 'string', default: '20000' },
    qualifications: { type: 'string', default: '10000' },
    learners: { type: 'string', default: '5000' },
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);

const config = benchConfig();
const { app, base } = await listeningApp(config);
const graph = app.deps.graph;

try {
  if (!values.keep) await graph.autoCommit('testing/clean-graph');
  await migrate(graph);

  let t0 = performance.now();
  const catalogue = generateCatalogue({
    seed,
    units: Number(values.units),
    qualifications: Number(values.qualifications),
  });
  const load = await loadCatalogue(graph, catalogue);
  const catalogueMs = performance.now() - t0;
  console.log(
    `catalogue: ${catalogue.units.length} units, ${catalogue.qualifications.length} qualifications generated and loaded in ${secs(catalogueMs)} (load ${secs(load.timings.totalMs)})`,
  );

  t0 = performance.now();
  const learners = generateLearners({ seed, count: Number(values.learners) });
  const achievements = generateAchievements({ seed, learners, catalogue });
  await upsertLearners(graph, learners);
  await recordUnitCredits(graph, achievements);
  console.log(
    `learners: ${learners.length} learners with ${achievements.length} credits loaded in ${secs(performance.now() - t0)}`,
  );

  // Questions people ask: a learner and a qualification that holds one of their units; a
  // learner and one of their units.
  const unitsToQuals = new Map<string, string[]>();
  for (const q of catalogue.qualifications)
    for (const g of q.groups)
      for (const u of g.units) {
        const list = unitsToQuals.get(u) ?? [];
        if (list[list.length - 1] !== q.qan) list.push(q.qan);
        unitsToQuals.set(u, list);
      }
  const shared = new Set(learners.filter((l) => l.available && !l.linkedTo).map((l) => l.uln));
  const usable = achievements.filter((a) => shared.has(a.uln) && unitsToQuals.has(a.urn));
  const random = mulberry32(seed * 7919);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const n = Number(values.requests);
  const rocUrls: string[] = [];
  const checkUrls: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = pick(usable);
    rocUrls.push(`/qualifications/${encodeURIComponent(pick(unitsToQuals.get(a.urn)!))}/rules?uln=${a.uln}`);
    const b = pick(usable);
    checkUrls.push(`/learners/${b.uln}/credit-check?urn=${encodeURIComponent(b.urn)}`);
  }
  const token = await app.deps.tokens.issue({
    subject: 'bench',
    roles: ['careers-adviser'],
    organisation: '10000003',
    expiresIn: 3600,
  });
  const headers = { authorization: `Bearer ${token}` };

  async function timeAll(name: string, urls: string[]) {
    // Warm up the plan cache and the JIT on a few requests that are not counted.
    for (const u of urls.slice(0, 10)) await fetch(base + u, { headers }).then((r) => r.arrayBuffer());
    const times: number[] = [];
    let failures = 0;
    let achieved = 0;
    let next = 0;
    const concurrency = Number(values.concurrency);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < urls.length) {
          const u = urls[next++];
          const s = performance.now();
          const res = await fetch(base + u, { headers });
          const body = (await res.json()) as { progress?: { achieved: boolean } };
          times.push(performance.now() - s);
          if (res.status !== 200) failures++;
          if (body.progress?.achieved) achieved++;
        }
      }),
    );
    const wall = performance.now() - started;
    times.sort((x, y) => x - y);
    const r = {
      name,
      requests: times.length,
      failures,
      concurrency,
      p50: +percentile(times, 50).toFixed(1),
      p95: +percentile(times, 95).toFixed(1),
      max: +times[times.length - 1].toFixed(1),
      perSecond: +(times.length / (wall / 1000)).toFixed(1),
      achieved,
    };
    console.log(
      `${name}: ${r.requests} requests, p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, ${r.perSecond}/s, ${failures} not 200` +
        (name.startsWith('OCF 04') ? `, ${achieved} achieved` : ''),
    );
    return r;
  }

  const roc = await timeAll('OCF 04 rules + progress', rocUrls);
  const check = await timeAll('OCF 05 credit check', checkUrls);
  console.log(
    JSON.stringify({
      catalogueLoadMs: Math.round(load.timings.totalMs),
      learners: learners.length,
      credits: achievements.length,
      roc,
      check,
    }),
  );
} finally {
  await app.close();
}
