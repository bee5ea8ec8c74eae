/**
 * OCF 06 at scale, against the real Neo4j: on a generated catalogue, the service's page of
 * routes (candidates optimised in order of a lower bound, stopping when no later one can
 * enter the page) must be exactly the first routes of a brute-force ranking of every
 * candidate, with and without a region; and the rules it keeps between searches must
 * follow catalogue loads.
 */
import t from 'tap';
import { setupApp } from '../helpers/app.js';
import { recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { generateCatalogue } from '../../src/catalogue/generator.js';
import { loadCatalogue } from '../../src/catalogue/service.js';
import type { Catalogue } from '../../src/catalogue/model.js';
import { generateAchievements, generateLearners } from '../../src/learners/generator.js';
import { generatePathwayData, REGIONS } from '../../src/pathways/generator.js';
import { candidateBatch, findCandidates, learnerProfile, loadPathwayData } from '../../src/pathways/repository.js';
import { rankRoutes } from '../../src/pathways/rules/ranking.js';
import { learnerRoutes } from '../../src/pathways/service.js';
import { forgetRouteRules, rulesCacheOf } from '../../src/pathways/rules-cache.js';
import type { Principal } from '../../src/platform/auth.js';

const DATE = '2024-10-01';
const { app } = await setupApp(t);
const graph = app.deps.graph;
const catalogue = generateCatalogue({ seed: 5, units: 900, qualifications: 450 });
await loadCatalogue(graph, catalogue);
await loadPathwayData(
  graph,
  generatePathwayData({ seed: 5, catalogue, referenceDate: DATE, unitsPerProvider: { min: 60, max: 150 } }),
);
const learners = generateLearners({ seed: 5, count: 40 });
const achievements = generateAchievements({
  seed: 5,
  learners,
  catalogue,
  referenceDate: DATE,
  perLearner: { min: 5, max: 40 },
});
await upsertLearners(graph, learners);
await recordUnitCredits(graph, achievements);
const adviser: Principal = { subject: 'adviser', roles: ['careers-adviser'], organisation: '10000003', tokenId: 'x' };
const sharing = learners
  .filter((l) => l.available && !l.linkedTo && achievements.some((a) => a.uln === l.uln))
  .slice(0, 12);

/** Every candidate the filters allow, each optimised, ranked: what the page must start with. */
async function bruteForce(uln: string, region: string | null) {
  const { credits } = await learnerProfile(graph, uln, null, DATE);
  const heldUrns = [
    ...new Set(credits.filter((c) => c.status !== 'withdrawn' && c.awardDate <= DATE).map((c) => c.urn)),
  ].sort();
  // The region's own filter is replaced by its meaning: only the units offered there may be taken.
  const { candidates } = await findCandidates(graph, {
    heldUrns,
    occupation: null,
    minLevelRank: null,
    maxLevelRank: null,
    ageBand: null,
    region: null,
    date: DATE,
    max: 100_000,
  });
  const qans = candidates.map((c) => c.qan);
  const batch = await candidateBatch(graph, qans, qans, region, DATE);
  const all = qans.map((qan) => {
    const r = batch.rules.get(qan)!;
    const inGroups = new Set(r.qualification.groups.flatMap((g) => g.units));
    const available =
      region === null ? [...inGroups] : [...(batch.offered.get(qan) ?? [])].filter((u) => inGroups.has(u));
    return { ...r, available: available.sort() };
  });
  // With a region, a qualification none of whose units is offered there is not a candidate.
  const ranked = rankRoutes({
    candidates: region === null ? all : all.filter((c) => c.available.length > 0),
    credits,
    date: DATE,
    combineTop: 0,
  });
  return { ranked, discovered: candidates.length };
}

const summary = (routes: { qan: string; extraCredits: number; extraUnits: number; unitsToTake: { urn: string }[] }[]) =>
  routes.map((r) => `${r.qan} +${r.extraCredits}/${r.extraUnits} ${r.unitsToTake.map((u) => u.urn).join(',')}`);

t.test('the page is the first routes of the ranking of every candidate', async (t) => {
  t.ok(sharing.length >= 8, 'enough learners with credits');
  let examinedLess = 0;
  let regionRoutes = 0;
  for (const [i, l] of sharing.entries()) {
    const region = i % 2 === 0 ? null : REGIONS[i % REGIONS.length];
    const { ranked, discovered } = await bruteForce(l.uln, region);
    for (const limit of [1, 3, 10]) {
      const view = await learnerRoutes(graph, adviser, l.uln, { date: DATE, limit, ...(region ? { region } : {}) });
      t.same(
        summary(view.routes),
        summary(ranked.routes.slice(0, limit)),
        `${l.uln}, limit ${limit}${region ? `, ${region}` : ''}`,
      );
      t.ok(view.candidates <= view.discovered, 'examined no more than found');
      if (region === null) t.equal(view.discovered, discovered, 'every candidate found');
      if (view.candidates < view.discovered) examinedLess++;
      if (region !== null) regionRoutes += view.routes.length;
    }
  }
  t.ok(examinedLess > 0, 'and it stops early: some pages examine fewer candidates than were found');
  t.ok(regionRoutes > 0, 'with a region too, there are routes to compare');
});

t.test('kept rules follow catalogue loads', async (t) => {
  const l = sharing[0];
  const cache = rulesCacheOf(graph);
  forgetRouteRules(graph);
  t.equal(cache.size, 0, 'forgetRouteRules empties it');
  const first = await learnerRoutes(graph, adviser, l.uln, { date: DATE, limit: 3 });
  t.ok(cache.size > 0, 'rules read are kept');
  const hits = cache.hits;
  const again = await learnerRoutes(graph, adviser, l.uln, { date: DATE, limit: 3 });
  t.ok(cache.hits > hits, 'and used by the next search');
  t.same(summary(again.routes), summary(first.routes));

  // A new version of the best qualification: its total goes up by 5 credits of a unit only it has.
  const top = first.routes.find((r) => !r.alreadyAchieved)!;
  const q = catalogue.qualifications.find((x) => x.qan === top.qan)!;
  const extraUnit = { urn: 'Z/699/9999', title: 'Added to test the cache', level: q.level, credit: 5 };
  const changed: Catalogue = {
    ...catalogue,
    units: [...catalogue.units, extraUnit],
    qualifications: catalogue.qualifications.map((x) =>
      x.qan !== q.qan
        ? x
        : {
            ...x,
            totalCredits: x.totalCredits + 5,
            groups: [...x.groups, { id: 'Z', title: 'Added', mandatory: true, units: [extraUnit.urn] }],
          },
    ),
  };
  await loadCatalogue(graph, changed);
  t.equal(cache.size, 0, 'a catalogue load in this process empties it (a unit corrected in place is seen at once)');
  const after = await learnerRoutes(graph, adviser, l.uln, { date: DATE, limit: 50 });
  const route = after.routes.find((r) => r.qan === q.qan);
  t.ok(route, 'still reachable');
  t.ok(
    route!.unitsToTake.some((u) => u.urn === extraUnit.urn),
    'the new mandatory unit is asked for',
  );
  t.equal(route!.extraCredits, top.extraCredits + 5, 'and costs its 5 credits');

  // A new global equivalence changes the catalogue's stamp: everything kept is dropped.
  const size = cache.size;
  t.ok(size > 0);
  await loadCatalogue(graph, {
    ...changed,
    equivalences: [...changed.equivalences, { from: catalogue.units[0].urn, to: catalogue.units[1].urn }],
  });
  await learnerRoutes(graph, adviser, l.uln, { date: DATE, limit: 1 });
  t.ok(cache.size < size, 'a catalogue with more equivalences starts the cache again');
});
