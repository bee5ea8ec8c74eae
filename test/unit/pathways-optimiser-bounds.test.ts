/**
 * The optimiser's parts on their own (src/pathways/rules/optimiser/): the search state steps
 * and undoes exactly, propagation forces the one unit that can fill a mandatory place, the
 * credit and unit bounds at the root never overestimate what the optimum route needs, the
 * unit-count dynamic programmes agree with brute force, and the failure messages say why.
 */
import t from 'tap';
import fc from 'fast-check';
import { optimiseRoute } from '../../src/pathways/rules/optimiser/index.js';
import type { RouteInput } from '../../src/pathways/rules/optimiser/index.js';
import {
  buildProblem,
  heldUnits,
  indexRules,
  usableUnits,
  validityCutoff,
} from '../../src/pathways/rules/optimiser/problem.js';
import { SearchState } from '../../src/pathways/rules/optimiser/state.js';
import { bound } from '../../src/pathways/rules/optimiser/bounds.js';
import { fewestCounting, fewestPaying, units } from '../../src/pathways/rules/optimiser/unit-bounds.js';
import { describe } from '../../src/pathways/rules/optimiser/explanation.js';
import type { Qualification, Unit } from '../../src/catalogue/model.js';
import { caseArb } from '../helpers/route-cases.js';

const SEED = 7_102_027;

/** The search state at the root of a case, or null when the optimiser stops before the search. */
function stateOf(input: RouteInput): SearchState | null {
  const rules = indexRules(input.qualification, input.globalEquivalences);
  const cutoff = validityCutoff(input.qualification, input.date);
  const heldValid = heldUnits(input, rules, cutoff);
  const usable = usableUnits(input, rules, heldValid, cutoff, []);
  if (usable.length === 0) return null;
  return new SearchState(buildProblem(rules, heldValid, usable), input.exemptions);
}

/** Everything in the state that apply() and propagate() change. */
function snapshot(s: SearchState): string {
  return JSON.stringify([
    [...s.status],
    s.single,
    s.singleHigh,
    s.singleCount,
    s.flexAvail,
    s.unitsAvail,
    [...s.cover],
    s.flex,
    s.flexHigh,
    s.cost,
    s.count,
  ]);
}

t.test('the search state: apply and propagate are undone exactly', async (t) => {
  let stepped = 0;
  fc.assert(
    fc.property(caseArb, fc.array(fc.nat(), { maxLength: 6 }), (input, picks) => {
      const s = stateOf(input);
      if (s === null) return true;
      const before = snapshot(s);
      const taken: number[] = [];
      for (const pick of picks) {
        const j = pick % s.p.n;
        if (s.status[j] !== 0) continue;
        s.status[j] = 1;
        s.apply(j, 1);
        taken.push(j);
      }
      if (s.cost !== taken.reduce((sum, j) => sum + s.p.cands[j].value, 0)) return false;
      const forced = s.propagate();
      stepped += taken.length + forced.length;
      s.unforce(forced);
      for (const j of taken.reverse()) {
        s.apply(j, -1);
        s.status[j] = 0;
      }
      return snapshot(s) === before;
    }),
    { numRuns: 400, seed: SEED },
  );
  t.ok(stepped > 200, `units stepped in and out: ${stepped}`);
});

const unit = (urn: string, credit: number): Unit => ({ urn, title: `Unit ${urn}`, level: '2', credit });
const q: Qualification = {
  qan: '601/0000/2',
  title: 'Two groups',
  level: '2',
  aoUkprn: '10000001',
  operationalStart: '2010-01-01',
  totalCredits: 9,
  groups: [
    { id: 'M', title: 'Mandatory', mandatory: true, units: ['A/100/0001', 'A/100/0002'] },
    { id: 'O', title: 'Optional', mandatory: false, units: ['A/100/0003', 'A/100/0004'], minCredits: 3 },
  ],
  barred: [],
  equivalences: [{ from: 'A/100/0005', to: 'A/100/0002' }],
  exemptions: [],
};
const catalogue = new Map(
  [
    unit('A/100/0001', 2),
    unit('A/100/0002', 3),
    unit('A/100/0003', 4),
    unit('A/100/0004', 1),
    unit('A/100/0005', 2),
  ].map((u) => [u.urn, u]),
);
const fixed = (available: string[]): RouteInput => ({
  qualification: q,
  units: catalogue,
  credits: [],
  date: '2025-01-01',
  available,
});

t.test('propagation forces the only unit that can fill a mandatory place', async (t) => {
  const s = stateOf(fixed(['A/100/0001', 'A/100/0002', 'A/100/0003', 'A/100/0004', 'A/100/0005']))!;
  const forced = s.propagate().map((j) => s.p.cands[j].unit.urn);
  t.same(forced, ['A/100/0001'], 'A/100/0002 has a stand-in, A/100/0001 has none');
  t.equal(s.cost, 2);
  const only = stateOf(fixed(['A/100/0001', 'A/100/0002', 'A/100/0003']))!;
  t.same(
    only
      .propagate()
      .map((j) => only.p.cands[j].unit.urn)
      .sort(),
    ['A/100/0001', 'A/100/0002'],
  );
});

t.test('the bounds at the root: the credit bound is exact here, failures say why', async (t) => {
  const s = stateOf(fixed(['A/100/0001', 'A/100/0002', 'A/100/0003', 'A/100/0004']))!;
  const forced = s.propagate();
  t.equal(s.cost, 5, 'both mandatory units forced');
  t.equal(bound(s, 0), 4, 'the group minimum of 3 takes the 4-credit unit: 9 in all');
  t.equal(s.count + units(s, 9 - s.cost, 10), 3);
  s.unforce(forced);

  const missing = stateOf(fixed(['A/100/0002', 'A/100/0003', 'A/100/0004']))!;
  missing.propagate();
  t.equal(bound(missing, 0), Infinity);
  t.same(missing.failure, { kind: 'place', place: 0 });
  const { groups, placeGroup, placeUnit } = missing.p;
  t.match(
    describe(missing.failure!, groups, placeGroup, placeUnit, catalogue, q),
    /mandatory unit A\/100\/0001 \(Unit A\/100\/0001\) of group M is neither held nor available/,
  );
  t.match(
    describe({ kind: 'total', most: 7 }, groups, placeGroup, placeUnit, catalogue, q),
    /needs 9 credits.*at most 7/,
  );
});

t.test('the root bounds never exceed what the optimum route takes (random cases)', async (t) => {
  let checked = 0;
  let tight = 0;
  fc.assert(
    fc.property(caseArb, (input) => {
      const res = optimiseRoute(input);
      const s = stateOf(input);
      if (s === null || (res.reachable && res.alreadyAchieved)) return true;
      s.propagate();
      const lb = bound(s, 0);
      // Infinity at the root is the optimiser's own proof that the rules cannot be met.
      if (lb === Infinity) return !res.reachable && res.reason === 'rules-cannot-be-met';
      if (!res.reachable || !res.exhaustive) return true;
      checked++;
      if (s.cost + lb === res.extraCredits) tight++;
      if (s.cost + lb > res.extraCredits) return false;
      // A completion costing the optimum's credit needs at least the unit bound's units.
      return s.count + units(s, res.extraCredits - s.cost, 1000) <= res.extraUnits;
    }),
    { numRuns: 1000, seed: SEED + 1 },
  );
  t.ok(checked >= 200, `reachable cases checked: ${checked}`);
  t.ok(tight >= checked / 4, `cases where the root credit bound is the optimum: ${tight}`);
});

/** Every way of taking k_g units of each group (largest first), as fewestCounting models it. */
function bruteCounting(target: number, limit: number, valuesOf: number[][], room: number[], least: number[]) {
  let best = limit;
  const walk = (g: number, k: number, counted: number) => {
    if (k > limit) return;
    if (g === valuesOf.length) {
      if (counted >= target) best = Math.min(best, k);
      return;
    }
    for (let kg = least[g]; kg <= valuesOf[g].length; kg++) {
      const sum = valuesOf[g].slice(0, kg).reduce((a, b) => a + b, 0);
      walk(g + 1, k + kg, counted + Math.min(room[g], sum));
    }
  };
  walk(0, 0, 0);
  return target <= 0 ? 0 : best;
}

const groupValues = fc.array(
  fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }).map((xs) => xs.sort((a, b) => b - a)),
  { minLength: 1, maxLength: 3 },
);

t.test('fewestCounting agrees with brute force', async (t) => {
  fc.assert(
    fc.property(
      groupValues,
      fc.integer({ min: -2, max: 30 }),
      fc.integer({ min: 1, max: 8 }),
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 }),
      (valuesOf, target, limit, room) => {
        const least = valuesOf.map((v, g) => Math.min(v.length, g % 2));
        const askedOf = least.map((atAll) => ({ least: 0, fewest: [], atAll }));
        return (
          fewestCounting(target, limit, valuesOf, room, askedOf) === bruteCounting(target, limit, valuesOf, room, least)
        );
      },
    ),
    { numRuns: 1000, seed: SEED + 2 },
  );
  t.equal(fewestCounting(10, 5, [[6, 5], [4]], [8, 4], null), 2, '6 + 4, the group caps allowing');
  t.equal(fewestCounting(10, 5, [[6, 5], [4]], [6, 4], null), 2, '6 (capped at 6) + 4');
  t.equal(fewestCounting(11, 5, [[6, 5], [4]], [6, 4], null), 5, 'out of reach: the limit');
});

t.test('fewestPaying: exact subset sums, paying at most r and wasting at most `waste`', async (t) => {
  // One group, units 5, 4, 3 and room 7: paying exactly 7 (4 + 3) takes two units; paying
  // at most 8 with one credit of waste allows 5 + 3 = 8 (8 - 1 = 7 count), still two.
  t.equal(fewestPaying(7, 0, 9, [[5, 4, 3]], [null], [7]), 2);
  t.equal(fewestPaying(5, 0, 9, [[5, 4, 3]], [null], [7]), 1, 'pay 5, count 5: one unit');
  t.equal(fewestPaying(6, 0, 9, [[5, 4, 3]], [null], [7]), 9, 'no subset makes 6: the limit');
  t.equal(fewestPaying(6, 1, 9, [[5, 4, 3]], [null], [7]), 1, 'pay 5 with a credit of waste allowed');
  t.equal(
    fewestPaying(7, 0, 9, [[5, 4, 3]], [{ least: 0, fewest: [], atAll: 3 }], [7]),
    3,
    'the group asks three units',
  );
});
