/**
 * Ranking routes across qualifications and finding combined routes (src/pathways/rules/ranking.ts).
 * Small hand-made catalogues whose answers can be worked out on paper.
 */
import t from 'tap';
import type { LearnerCredit, Qualification, RuleGroup, Unit } from '../../src/catalogue/model.js';
import {
  combinePair,
  compareCombined,
  compareRoutes,
  plannedCredits,
  rankRoutes,
  type RankedRoute,
  type RouteCandidate,
} from '../../src/pathways/rules/ranking.js';
import { generatePathwayData, REGIONS } from '../../src/pathways/generator.js';
import { generateCatalogue } from '../../src/catalogue/generator.js';

const DATE = '2025-06-01';
const unit = (urn: string, credit: number, level: Unit['level'] = '2'): Unit => ({
  urn,
  title: `Unit ${urn}`,
  level,
  credit,
});
const U = {
  a: unit('A/100/0001', 3),
  b: unit('A/100/0002', 2),
  c: unit('A/100/0003', 2),
  d: unit('A/100/0004', 5),
  e: unit('A/100/0005', 4),
  f: unit('A/100/0006', 1),
  p: unit('A/100/0007', 4),
  q: unit('A/100/0008', 2),
  r: unit('A/100/0009', 2),
};
const CATALOGUE = new Map(Object.values(U).map((u) => [u.urn, u]));

function qual(
  qan: string,
  totalCredits: number,
  groups: RuleGroup[],
  extra: Partial<Qualification> = {},
): Qualification {
  return {
    qan,
    title: `Qualification ${qan}`,
    level: '2',
    aoUkprn: '10000001',
    operationalStart: '2010-01-01',
    totalCredits,
    groups,
    barred: [],
    equivalences: [],
    exemptions: [],
    ...extra,
  };
}
const mandatory = (id: string, units: Unit[]): RuleGroup => ({
  id,
  title: id,
  mandatory: true,
  units: units.map((u) => u.urn),
});
const optional = (id: string, units: Unit[], bounds: Partial<RuleGroup> = {}): RuleGroup => ({
  id,
  title: id,
  mandatory: false,
  units: units.map((u) => u.urn),
  ...bounds,
});

/** A candidate whose available units are all the units of its groups, unless given. */
function candidate(q: Qualification, available?: Unit[]): RouteCandidate {
  return {
    qualification: q,
    units: CATALOGUE,
    globalEquivalences: [],
    available: (available ?? q.groups.flatMap((g) => g.units.map((u) => CATALOGUE.get(u)!))).map((u) => u.urn),
  };
}
const held = (u: Unit, id = `held-${u.urn}`): LearnerCredit => ({
  id,
  urn: u.urn,
  credit: u.credit,
  level: u.level,
  awardDate: '2024-01-01',
  status: 'active',
});
const urns = (units: Unit[]) => units.map((u) => u.urn);

// X: both of a (3) and b (2). Y: at least 4 credits from b, c, d. Together: a, b, c (7), not 5 + 4.
const X = qual('100/0001/1', 5, [mandatory('M', [U.a, U.b])]);
const Y = qual('100/0002/2', 4, [optional('O', [U.b, U.c, U.d], { minCredits: 4 })]);

t.test('routes are ranked by extra credits, then units, then QAN', async (t) => {
  const Z = qual('100/0003/3', 4, [optional('O', [U.e, U.q, U.r], { minCredits: 4 })]); // e alone: 4 credits, 1 unit
  const W = qual('100/0000/9', 4, [optional('O', [U.q, U.r], { minCredits: 4 })]); // q + r: 4 credits, 2 units
  const V = qual('100/0004/4', 4, [optional('O', [U.p], { minCredits: 4 })]); // p: 4 credits, 1 unit; ties with Z on both
  const r = rankRoutes({ candidates: [X, Y, Z, W, V].map((q) => candidate(q)), credits: [], date: DATE });
  t.same(
    r.routes.map((x) => [x.qan, x.extraCredits, x.extraUnits]),
    [
      ['100/0003/3', 4, 1],
      ['100/0004/4', 4, 1],
      ['100/0000/9', 4, 2],
      ['100/0002/2', 4, 2],
      ['100/0001/1', 5, 2],
    ],
    'fewest credits first; fewer units break a tie; the QAN breaks the rest',
  );
  const y = r.routes.find((x) => x.qan === Y.qan)!;
  t.same(urns(y.unitsToTake), [U.b.urn, U.c.urn], 'two 2-credit units beat the single 5-credit unit');
  t.same(y.groupsFilled, [{ group: 'O', units: [U.b.urn, U.c.urn] }], 'and it says which group they fill');
  t.equal(y.optimal, true);
  t.same(r.unreachable, []);
});

t.test('credits already held shorten routes and can complete a qualification', async (t) => {
  const r = rankRoutes({ candidates: [candidate(X), candidate(Y)], credits: [held(U.a), held(U.b)], date: DATE });
  t.same(
    r.routes.map((x) => [x.qan, x.alreadyAchieved, x.extraCredits]),
    [
      [X.qan, true, 0],
      [Y.qan, false, 2],
    ],
  );
  t.same(urns(r.routes[1].unitsToTake), [U.c.urn], 'b is held: c alone tops group O up to 4');
  t.same(r.combined, [], 'an achieved qualification makes no pair');
});

t.test('unreachable candidates are listed apart with the reason', async (t) => {
  const noneOffered = qual('100/0005/5', 5, [mandatory('M', [U.d])]);
  const tooSmall = qual('100/0006/6', 20, [optional('O', [U.a, U.b], {})]);
  const r = rankRoutes({
    candidates: [candidate(noneOffered, []), candidate(tooSmall), candidate(X)],
    credits: [],
    date: DATE,
  });
  t.same(
    r.routes.map((x) => x.qan),
    [X.qan],
  );
  t.same(
    r.unreachable.map((u) => [u.qan, u.reason]),
    [
      ['100/0005/5', 'no-units-available'],
      ['100/0006/6', 'rules-cannot-be-met'],
    ],
  );
  t.match(r.unreachable[1].message, /20 credits/, 'the message says what stays short');
  t.ok(r.unreachable[1].missing.some((m) => m.rule === 'total-credits'));
});

t.test('a combined route: one set of units completes two qualifications, shared units counted once', async (t) => {
  const r = rankRoutes({ candidates: [candidate(X), candidate(Y)], credits: [], date: DATE });
  t.equal(r.combined.length, 1);
  const c = r.combined[0];
  t.same(c.qans, [Y.qan, X.qan], 'in ranking order');
  t.same(urns(c.unitsToTake), [U.a.urn, U.b.urn, U.c.urn]);
  t.equal(c.extraCredits, 7, 'a 3 + b 2 + c 2: b counts in both');
  t.equal(c.separateCredits, 9);
  t.equal(c.saving, 2);
  t.same(c.shared, [U.b.urn]);
});

t.test('the combined route can beat the union of the two routes', async (t) => {
  // P: at least 4 credits from p (4), q (2), r (2): alone, p (one unit). Q: q and r mandatory.
  // Taking Q's route (q, r) completes P as well: 4 credits for both, not 8.
  const P = qual('100/0007/7', 4, [optional('O', [U.p, U.q, U.r], { minCredits: 4 })]);
  const Q = qual('100/0008/8', 4, [mandatory('M', [U.q, U.r])]);
  const r = rankRoutes({ candidates: [candidate(P), candidate(Q)], credits: [], date: DATE });
  t.same(urns(r.routes[0].unitsToTake), [U.p.urn], 'alone, P takes the single unit');
  t.equal(r.combined.length, 1);
  t.same(urns(r.combined[0].unitsToTake), [U.q.urn, U.r.urn]);
  t.equal(r.combined[0].extraCredits, 4);
  t.equal(r.combined[0].saving, 4);
});

t.test('pairs with nothing in common are not reported', async (t) => {
  const Z = qual('100/0003/3', 4, [optional('O', [U.e], { minCredits: 4 })]);
  const r = rankRoutes({ candidates: [candidate(X), candidate(Z)], credits: [], date: DATE });
  t.equal(r.routes.length, 2);
  t.same(r.combined, []);
  const pair = combinePair(
    { candidate: candidate(X), route: r.routes.find((x) => x.qan === X.qan)! },
    { candidate: candidate(Z), route: r.routes.find((x) => x.qan === Z.qan)! },
    [],
    DATE,
  );
  t.equal(pair?.saving, 0, 'the pair exists, but sharing saves nothing');
  t.equal(pair?.extraCredits, 9);
});

t.test('combineTop bounds the pairs looked at', async (t) => {
  const r = rankRoutes({ candidates: [candidate(X), candidate(Y)], credits: [], date: DATE, combineTop: 1 });
  t.same(r.combined, []);
});

t.test('a candidate listed twice is ranked once', async (t) => {
  const r = rankRoutes({ candidates: [candidate(X), candidate(X)], credits: [], date: DATE });
  t.equal(r.routes.length, 1);
});

t.test('helpers', async (t) => {
  t.same(plannedCredits([U.a], DATE), [
    { id: `planned:${U.a.urn}`, urn: U.a.urn, credit: 3, level: '2', awardDate: DATE, status: 'active' },
  ]);
  const route = (qan: string, extraCredits: number, extraUnits: number): RankedRoute => ({
    qan,
    title: qan,
    level: '2',
    totalCredits: 1,
    alreadyAchieved: false,
    extraCredits,
    extraUnits,
    unitsToTake: [],
    groupsFilled: [],
    optimal: true,
  });
  t.ok(compareRoutes(route('b', 1, 5), route('a', 2, 1)) < 0, 'credits first');
  t.ok(compareRoutes(route('b', 2, 1), route('a', 2, 2)) < 0, 'then units');
  t.ok(compareRoutes(route('a', 2, 2), route('b', 2, 2)) < 0, 'then QAN');
  const pair = (saving: number, extraCredits: number, qans: [string, string]) => ({
    qans,
    unitsToTake: [],
    extraCredits,
    extraUnits: 0,
    separateCredits: 0,
    saving,
    shared: [],
  });
  t.ok(compareCombined(pair(3, 9, ['a', 'b']), pair(2, 1, ['a', 'b'])) < 0, 'the biggest saving first');
  t.ok(compareCombined(pair(2, 1, ['c', 'd']), pair(2, 5, ['a', 'b'])) < 0, 'then the cheapest');
  t.ok(compareCombined(pair(2, 1, ['a', 'b']), pair(2, 1, ['a', 'c'])) < 0, 'then by QANs');
});

t.test('the pathway data generator is deterministic and consistent with its catalogue', async (t) => {
  const catalogue = generateCatalogue({ seed: 7, units: 200, qualifications: 60 });
  const one = generatePathwayData({ seed: 3, catalogue });
  t.same(generatePathwayData({ seed: 3, catalogue }), one, 'same seed, same data');
  t.notSame(generatePathwayData({ seed: 4, catalogue }), one, 'another seed, other data');
  const unitUrns = new Set(catalogue.units.map((u) => u.urn));
  const qans = new Set(catalogue.qualifications.map((q) => q.qan));
  t.equal(one.providers.length, 5, 'one provider per 40 units');
  t.ok(one.providers.every((p) => /^1[0-9]{7}$/.test(p.ukprn) && (REGIONS as readonly string[]).includes(p.region)));
  t.ok(
    one.providers.every((p) => p.offers.every((o) => unitUrns.has(o.urn) && (o.to === null || o.to >= o.from))),
    'offers name real units, and end after they start',
  );
  t.ok(
    one.providers.some((p) => p.offers.some((o) => o.to !== null)),
    'some offers have ended',
  );
  t.ok(one.occupations.every((o) => o.qans.length > 0 && o.qans.every((q) => qans.has(q))));
  t.same(
    one.fundingRules.map((f) => f.id),
    ['young-people', 'adult-entitlement', 'adult-loans'],
  );
  // A provider teaches whole qualifications of one to three subject areas, not a slice of everything.
  const areaOf = (title: string) => title.slice(title.lastIndexOf(' in ') + 4);
  const areasOfUnit = new Map<string, Set<string>>();
  for (const q of catalogue.qualifications)
    for (const g of q.groups)
      for (const u of g.units) areasOfUnit.set(u, (areasOfUnit.get(u) ?? new Set()).add(areaOf(q.title)));
  for (const p of one.providers) {
    t.ok(
      p.offers.length > 0 && p.offers.length <= 400,
      `${p.ukprn} offers a few hundred units at most (${p.offers.length})`,
    );
    const areas = new Set(p.offers.flatMap((o) => [...(areasOfUnit.get(o.urn) ?? [])]));
    t.ok(
      p.offers.every((o) => areasOfUnit.has(o.urn)),
      'only units some qualification uses',
    );
    t.ok(areas.size < new Set(catalogue.qualifications.map((q) => areaOf(q.title))).size, 'not every subject area');
  }
  const big = generateCatalogue({ seed: 7, units: 4000, qualifications: 2000 });
  const sized = generatePathwayData({ seed: 3, catalogue: big, unitsPerProvider: { min: 50, max: 80 } });
  t.equal(sized.providers.length, 100);
  const largest = Math.max(...big.qualifications.map((q) => new Set(q.groups.flatMap((g) => g.units)).size));
  t.ok(
    sized.providers.every((p) => p.offers.length <= Math.max(80, largest)),
    'unitsPerProvider bounds what a provider teaches (unless its first qualification is bigger)',
  );
  t.ok(sized.providers.filter((p) => p.offers.length >= 50).length > 50, 'most reach their size');
  t.throws(() => generatePathwayData({ seed: 3, catalogue, unitsPerProvider: { min: 5, max: 2 } }), RangeError);
  t.ok(one.fundingRules.every((f) => f.qans.every((q) => qans.has(q))));
});
