/**
 * The parts of a routes search that make it fast without changing its answers: the ranker's
 * stopping rule, the combined-route shortcuts (checked against the plain computation on
 * generated catalogues) and the rules cache.
 */
import t from 'tap';
import type { LearnerCredit, Qualification, Unit } from '../../src/catalogue/model.js';
import { generateCatalogue } from '../../src/catalogue/generator.js';
import { generateAchievements, generateLearners } from '../../src/learners/generator.js';
import { optimiseRoute } from '../../src/pathways/rules/optimiser/index.js';
import {
  compareCombined,
  countingUnits,
  plannedCredits,
  rankRoutes,
  RouteRanker,
  type CombinedRoute,
  type RankedRoute,
  type RouteCandidate,
} from '../../src/pathways/rules/ranking.js';
import { RulesCache } from '../../src/pathways/rules-cache.js';
import type { CandidateRules } from '../../src/pathways/repository.js';
import { evaluate } from '../../src/catalogue/rules/roc/index.js';

const DATE = '2024-10-01';

t.test('countingUnits: group units and every unit with an equivalence chain into them', async (t) => {
  const q = {
    qan: '100/0001/1',
    groups: [{ id: 'A', title: 'A', mandatory: false, units: ['A/100/0001'] }],
    equivalences: [{ from: 'B/100/0002', to: 'A/100/0001' }],
  } as unknown as Qualification;
  const set = countingUnits({
    qualification: q,
    globalEquivalences: [
      { from: 'C/100/0003', to: 'B/100/0002' },
      { from: 'A/100/0001', to: 'D/100/0004' },
    ],
  });
  t.same(
    [...set].sort(),
    ['A/100/0001', 'B/100/0002', 'C/100/0003'],
    'chains lead in; an equivalence out of the group does not',
  );
});

t.test('settled: limit routes known and the next bound above the last of them', async (t) => {
  const unit: Unit = { urn: 'A/100/0001', title: 'a', level: '2', credit: 3 };
  const cand = (qan: string, credit: number): RouteCandidate => {
    const u = { ...unit, urn: `A/100/${qan.slice(4, 8)}`, credit };
    return {
      qualification: {
        qan,
        title: qan,
        level: '2',
        aoUkprn: '10000001',
        operationalStart: '2010-01-01',
        totalCredits: credit,
        groups: [{ id: 'M', title: 'M', mandatory: true, units: [u.urn] }],
        barred: [],
        equivalences: [],
        exemptions: [],
      },
      units: new Map([[u.urn, u]]),
      globalEquivalences: [],
      available: [u.urn],
    };
  };
  const r = new RouteRanker({ credits: [], date: DATE });
  t.notOk(r.settled(2, 100), 'nothing known yet');
  r.add(cand('100/0001/1', 3));
  t.notOk(r.settled(2, 100), 'one route of two');
  r.add(cand('100/0002/1', 5));
  t.ok(r.settled(2, 6), 'a bound above the second route');
  t.notOk(r.settled(2, 5), 'a bound equal to it could still tie and win on units or QAN');
  r.add(cand('100/0003/1', 4));
  t.ok(r.settled(2, 5), 'a cheaper route moves the threshold down');
  t.equal(r.examined, 3);
  r.add(cand('100/0003/1', 4));
  t.equal(r.examined, 3, 'a QAN seen before is not examined again');
});

/** The combined routes as first written: every pair, both completions always run. */
function plainCombined(
  routes: RankedRoute[],
  byQan: Map<string, RouteCandidate>,
  credits: LearnerCredit[],
  top: number,
): CombinedRoute[] {
  const best = routes.filter((r) => !r.alreadyAchieved).slice(0, top);
  const out: CombinedRoute[] = [];
  const completes = (c: RouteCandidate, add: Unit[]) =>
    evaluate({
      qualification: c.qualification,
      units: c.units,
      credits: [...credits, ...plannedCredits(add, DATE, 'combined')],
      globalEquivalences: c.globalEquivalences,
      date: DATE,
    }).achieved;
  for (let i = 0; i < best.length; i++) {
    for (let j = i + 1; j < best.length; j++) {
      const [a, b] = [best[i], best[j]];
      const options: Unit[][] = [[...a.unitsToTake, ...b.unitsToTake]];
      for (const [first, second] of [
        [a, b],
        [b, a],
      ]) {
        const c = byQan.get(second.qan)!;
        const after = optimiseRoute({
          ...c,
          credits: [...credits, ...plannedCredits(first.unitsToTake, DATE, 'first')],
          date: DATE,
        });
        if (after.reachable) options.push([...first.unitsToTake, ...after.add]);
      }
      let chosen: Unit[] | null = null;
      let cost = Infinity;
      for (const units of options) {
        const set = [...new Map(units.map((u) => [u.urn, u])).values()].sort((x, y) => (x.urn < y.urn ? -1 : 1));
        const c = set.reduce((s, u) => s + u.credit, 0);
        if (c > cost || (c === cost && chosen !== null && set.length >= chosen.length)) continue;
        if (!completes(byQan.get(a.qan)!, set) || !completes(byQan.get(b.qan)!, set)) continue;
        chosen = set;
        cost = c;
      }
      if (chosen !== null && a.extraCredits + b.extraCredits - cost > 0) {
        out.push({
          qans: [a.qan, b.qan],
          unitsToTake: chosen,
          extraCredits: cost,
          extraUnits: chosen.length,
          separateCredits: a.extraCredits + b.extraCredits,
          saving: a.extraCredits + b.extraCredits - cost,
          shared: [],
        });
      }
    }
  }
  return out.sort(compareCombined);
}

t.test('the combined-route shortcuts change no answer (generated catalogues)', async (t) => {
  let pairs = 0;
  let learnersSeen = 0;
  for (const seed of [1, 2, 3]) {
    const catalogue = generateCatalogue({ seed, units: 300, qualifications: 150 });
    const units = new Map(catalogue.units.map((u) => [u.urn, u]));
    const learners = generateLearners({ seed, count: 12 });
    const achievements = generateAchievements({
      seed,
      learners,
      catalogue,
      referenceDate: DATE,
      perLearner: { min: 5, max: 30 },
    });
    for (const l of learners) {
      const mine = achievements.filter((a) => a.uln === l.uln);
      if (mine.length === 0) continue;
      learnersSeen++;
      const credits: LearnerCredit[] = mine.map((a, i) => ({
        id: `c${i}`,
        urn: a.urn,
        credit: a.credit,
        level: a.level,
        awardDate: a.awardDate,
        status: a.status === 'withdrawn' ? 'withdrawn' : 'active',
      }));
      const heldUrns = new Set(credits.map((c) => c.urn));
      const candidates: RouteCandidate[] = catalogue.qualifications
        .filter((q) => q.groups.some((g) => g.units.some((u) => heldUrns.has(u))))
        .map((q) => ({
          qualification: q,
          units,
          globalEquivalences: catalogue.equivalences,
          available: [...new Set(q.groups.flatMap((g) => g.units))].sort(),
        }));
      const ranked = rankRoutes({ candidates, credits, date: DATE, combineTop: 6 });
      const plain = plainCombined(ranked.routes, new Map(candidates.map((c) => [c.qualification.qan, c])), credits, 6);
      const key = (list: CombinedRoute[]) =>
        list.map((p) => `${p.qans.join('+')} ${p.extraCredits} ${p.unitsToTake.map((u) => u.urn).join(',')}`);
      t.same(key(ranked.combined), key(plain), `seed ${seed}, learner ${l.uln}`);
      pairs += plain.length;
    }
  }
  t.ok(learnersSeen > 10);
  t.ok(pairs > 0, 'some pairs do save credit, so the comparison means something');
});

t.test('the rules cache: hash, stamp, age, size', async (t) => {
  const rules = (qan: string) => ({ qualification: { qan } }) as unknown as CandidateRules;
  const cache = new RulesCache(2, 1_000);
  cache.catalogueIs('10/1');
  t.equal(cache.get('A', 'h1', 0), undefined, 'empty');
  cache.set('A', 'h1', rules('A'), 0);
  t.equal(cache.get('A', 'h1', 10)?.qualification.qan, 'A', 'same hash: kept');
  t.equal(cache.get('A', 'h2', 10), undefined, 'another hash: the rules changed');
  t.equal(cache.size, 0, 'and the stale entry is gone');
  cache.set('A', 'h1', rules('A'), 0);
  t.equal(cache.get('A', 'h1', 1_001), undefined, 'too old');
  cache.set('A', 'h1', rules('A'), 0);
  cache.set('B', 'h1', rules('B'), 0);
  cache.get('A', 'h1', 5); // A is now the most recently used
  cache.set('C', 'h1', rules('C'), 0);
  t.equal(cache.size, 2, 'at most 2');
  t.equal(cache.get('B', 'h1', 5), undefined, 'the least recently used went first');
  t.ok(cache.get('A', 'h1', 5));
  cache.catalogueIs('10/1');
  t.equal(cache.size, 2, 'the same stamp keeps everything');
  cache.catalogueIs('11/1');
  t.equal(cache.size, 0, 'another stamp empties it');
  cache.set('A', null, rules('A'), 0);
  t.equal(cache.size, 0, 'rules without a hash are not kept');
  cache.set('A', 'h1', rules('A'), 0);
  cache.forget();
  t.equal(cache.size, 0, 'forget');
  t.ok(cache.hits > 0 && cache.misses > 0);
});
