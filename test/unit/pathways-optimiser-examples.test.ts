/**
 * Worked examples of the route optimiser. Each expected route is worked out by hand from the
 * rules (SPEC 3.1, docs/roc-semantics.md and docs/route-optimiser.md); the comment above each
 * case says why it is the answer.
 */
import t from 'tap';
import { optimiseRoute } from '../../src/pathways/rules/optimiser/index.js';
import type { RouteInput, RouteResult } from '../../src/pathways/rules/optimiser/index.js';
import type { LearnerCredit, Level, Qualification, RuleGroup, Unit } from '../../src/catalogue/model.js';

// ---- small builders ----

const catalogue = new Map<string, Unit>();
function unit(urn: string, credit: number, level: Level = '2'): string {
  catalogue.set(urn, { urn, title: `Unit ${urn.slice(0, 1)}${urn.slice(-1)}`, level, credit });
  return urn;
}

const A8 = unit('A/100/0001', 8);
const B3 = unit('B/100/0002', 3);
const C3 = unit('C/100/0003', 3);
const D6 = unit('D/100/0004', 6);
const E6 = unit('E/100/0005', 6);
const F5 = unit('F/100/0006', 5);
const G4 = unit('G/100/0007', 4);
const H2 = unit('H/100/0008', 2);
const K1 = unit('K/100/0009', 1);
const L3 = unit('L/300/0010', 4, '3');
const M2 = unit('M/100/0011', 2);
const N6 = unit('N/100/0012', 6);
const OUT = unit('W/100/0099', 2); // in the catalogue, in no group of any qualification below

function group(id: string, units: string[], rule: Partial<RuleGroup> = {}): RuleGroup {
  return { id, title: `Group ${id}`, mandatory: false, units, ...rule };
}

function qualification(groups: RuleGroup[], more: Partial<Qualification> = {}): Qualification {
  return {
    qan: '600/0002/3',
    title: 'Example Award',
    level: '2',
    aoUkprn: '10000001',
    operationalStart: '2015-01-01',
    totalCredits: 1,
    groups,
    barred: [],
    equivalences: [],
    exemptions: [],
    ...more,
  };
}

let ids = 0;
function held(urn: string, more: Partial<LearnerCredit> = {}): LearnerCredit {
  const u = catalogue.get(urn)!;
  return { id: `h${++ids}`, urn, credit: u.credit, level: u.level, awardDate: '2023-03-01', status: 'active', ...more };
}

function route(
  q: Qualification,
  available: string[],
  credits: LearnerCredit[] = [],
  more: Partial<RouteInput> = {},
): RouteResult {
  return optimiseRoute({ qualification: q, units: catalogue, credits, date: '2024-06-15', available, ...more });
}

const urns = (r: RouteResult) => (r.reachable ? r.add.map((u) => u.urn) : null);

// ---- the examples ----

t.test('two small units beat one big one when they cost less', async (t) => {
  // Group A needs 6 credits. A8 alone reaches it for 8 credits; B3 + C3 reach exactly 6.
  // Least credit wins, even though it takes one unit more.
  const r = route(qualification([group('A', [A8, B3, C3], { minCredits: 6 })], { totalCredits: 6 }), [A8, B3, C3]);
  t.same(urns(r), [B3, C3]);
  t.ok(r.reachable && r.extraCredits === 6 && r.extraUnits === 2);
  t.ok(r.reachable && r.evaluation.achieved, 'the evaluator agrees');
  t.ok(r.exhaustive);
});

t.test('at equal credit the route with fewer units wins, then the smaller URNs', async (t) => {
  // Group A needs 6: D6 or E6 alone (6 credits, 1 unit) or B3 + C3 (6 credits, 2 units).
  // Fewer units wins, and between D6 and E6 the smaller URN.
  const r = route(qualification([group('A', [B3, C3, D6, E6], { minCredits: 6 })], { totalCredits: 6 }), [
    E6,
    C3,
    D6,
    B3,
  ]);
  t.same(urns(r), [D6]);
});

t.test('a barred partner of a unit the learner relies on is useless', async (t) => {
  // The learner holds G4, which group B needs (B needs 4). F5 and G4 are barred together, so
  // F5 could only count by pushing G4 out and breaking group B. Group A needs 5: the cheapest
  // unit that fits, F5, is useless, and the next best, N6, is the route.
  const q = qualification([group('A', [F5, N6], { minCredits: 5 }), group('B', [G4], { minCredits: 4 })], {
    totalCredits: 9,
    barred: [[F5, G4]],
  });
  const r = route(q, [F5, N6], [held(G4)]);
  t.same(urns(r), [N6]);
  t.same(r.reachable && r.groupsFilled, [{ group: 'A', units: [N6] }]);
});

t.test('a level minimum can make the route longer', async (t) => {
  // The qualification needs 6 credits, 4 of them at level 3 or above. D6 alone gives 6 credits
  // but none at level 3; L3 (4 credits at level 3) + H2 gives 6 with 4 at level 3. Both cost
  // 6 credits; only the second meets the level rule.
  const q = qualification([group('A', [D6, L3, H2])], {
    totalCredits: 6,
    minCreditsAtLevel: { level: '3', credits: 4 },
  });
  const r = route(q, [D6, L3, H2]);
  t.same(urns(r), [H2, L3]);
  t.same(r.reachable && r.evaluation.creditsAtLevel, { level: '3', counted: 4, required: 4 });
});

t.test('a mandatory group takes its missing unit even when cheaper units exist', async (t) => {
  // Mandatory group M has B3 and M2; the learner holds B3. The total is 5. K1 (1 credit) is
  // cheaper than M2, but M2 is mandatory: it is the route, and it also meets the total.
  const q = qualification([group('M', [B3, M2], { mandatory: true }), group('O', [K1, H2])], { totalCredits: 5 });
  const r = route(q, [K1, M2, H2], [held(B3)]);
  t.same(urns(r), [M2]);
});

t.test('a unit listed in two groups goes where it is needed', async (t) => {
  // G4 sits in groups A and B; A needs 4 and B needs 3; the learner holds B3 (group B only).
  // G4 must count in A, and the report says so.
  const q = qualification([group('A', [G4, A8], { minCredits: 4 }), group('B', [B3, G4], { minCredits: 3 })], {
    totalCredits: 7,
  });
  const r = route(q, [G4, A8], [held(B3)]);
  t.same(urns(r), [G4]);
  t.same(r.reachable && r.groupsFilled, [{ group: 'A', units: [G4] }]);
});

t.test('credit above a group maximum does not count, so the cheapest unit there is useless', async (t) => {
  // Group C counts at most 5 credits and the learner already has 5 there (F5). The total needs
  // 3 more. K1 is the cheapest available unit, but it sits in the full group C and cannot count;
  // B3 in group D can.
  const q = qualification([group('C', [F5, K1], { maxCredits: 5 }), group('D', [B3, D6])], { totalCredits: 8 });
  const r = route(q, [K1, B3, D6], [held(F5)]);
  t.same(urns(r), [B3]);
});

t.test('an expired credit must be taken again; a withdrawn one too', async (t) => {
  // Credit older than 2 years does not count. The learner's B3 is from 2020, so on 2024-06-15
  // it has expired; C3 was withdrawn. Group A needs 6: both must be taken (again).
  const q = qualification([group('A', [B3, C3, A8], { minCredits: 6 })], { totalCredits: 6, validityYears: 2 });
  const r = route(q, [B3, C3, A8], [held(B3, { awardDate: '2020-01-10' }), held(C3, { status: 'withdrawn' })]);
  t.same(urns(r), [B3, C3]);
});

t.test('an equivalent unit can fill a mandatory place', async (t) => {
  // Mandatory group M needs A8, which is not available; K1 counts as A8 (an equivalence of the
  // qualification). K1 fills the place, and brings its own single credit to the total of 1.
  const q = qualification([group('M', [A8], { mandatory: true })], {
    totalCredits: 1,
    equivalences: [{ from: K1, to: A8 }],
  });
  const r = route(q, [K1]);
  t.same(urns(r), [K1]);
  t.same(r.reachable && r.evaluation.allocation.map((a) => [a.urn, a.countsAs]), [[K1, A8]]);
});

t.test('no learner credits at all: the whole qualification is the route', async (t) => {
  // With nothing held, group A needs 4 and the total 7: G4 + B3 (7 credits) is the least.
  const q = qualification([group('A', [G4, A8], { minCredits: 4 }), group('B', [B3, N6])], { totalCredits: 7 });
  const r = route(q, [A8, B3, G4, N6]);
  t.same(urns(r), [B3, G4]);
  t.ok(r.reachable && !r.alreadyAchieved);
});

t.test('already achieved: nothing to add', async (t) => {
  // The learner holds D6, which meets group A and the total.
  const q = qualification([group('A', [D6, B3], { minCredits: 6 })], { totalCredits: 6 });
  const r = route(q, [B3], [held(D6)]);
  t.ok(r.reachable && r.alreadyAchieved);
  t.same(urns(r), []);
  t.ok(r.reachable && r.extraCredits === 0 && r.groupsFilled.length === 0);
});

t.test('nothing usable available: not reachable, and why', async (t) => {
  // Nothing in the available list can count here: OUT is in no group, the learner already
  // holds B3, and Z/999/9999 is not in the catalogue.
  const q = qualification([group('A', [B3, D6], { minCredits: 9 })], { totalCredits: 9 });
  const r = route(q, [OUT, B3, 'Z/999/9999'], [held(B3)]);
  t.notOk(r.reachable);
  if (r.reachable) return;
  t.equal(r.reason, 'no-units-available');
  t.match(r.message, /no available unit can count/);
  t.same(
    r.missing.map((m) => m.rule),
    ['group-min-credits', 'total-credits'],
  );
  t.same(r.skipped, [
    { urn: OUT, reason: 'not-in-qualification' },
    { urn: B3, reason: 'already-held' },
    { urn: 'Z/999/9999', reason: 'not-in-catalogue' },
  ]);
});

t.test('a mandatory unit that is not available: not reachable, and the unit is named', async (t) => {
  // Mandatory group M needs A8 and M2; only M2 can be taken. No route exists.
  const q = qualification([group('M', [A8, M2], { mandatory: true })], { totalCredits: 10 });
  const r = route(q, [M2]);
  t.notOk(r.reachable);
  if (r.reachable) return;
  t.equal(r.reason, 'rules-cannot-be-met');
  t.match(r.message, /mandatory unit A\/100\/0001 \(Unit A1\) of group M is neither held nor available/);
  t.ok(r.missing.some((m) => m.rule === 'mandatory'));
  t.ok(r.exhaustive);
});

t.test('a group that cannot reach its minimum: not reachable, and the group is named', async (t) => {
  // Group B needs 10 credits, but its units give at most 3 + 6 = 9.
  const q = qualification([group('B', [B3, D6], { minCredits: 10 })], { totalCredits: 10 });
  const r = route(q, [B3, D6]);
  t.notOk(r.reachable);
  if (r.reachable) return;
  t.match(r.message, /group B cannot reach 10 credits with the units held and available/);
});

t.test('the total, the level rule and a unit maximum can each rule a route out', async (t) => {
  // Total: 9 needed, 3 + 2 available. Level: 4 at level 3 needed, only level 2 units.
  // Unit maximum: group A counts 1 unit and needs 8, but units are 3 and 6.
  const total = route(qualification([group('A', [B3, H2])], { totalCredits: 9 }), [B3, H2]);
  const level = route(
    qualification([group('A', [B3, H2])], { totalCredits: 5, minCreditsAtLevel: { level: '3', credits: 4 } }),
    [B3, H2],
  );
  const most = route(qualification([group('A', [B3, D6], { minCredits: 8, maxUnits: 1 })], { totalCredits: 8 }), [
    B3,
    D6,
  ]);
  t.match(!total.reachable && total.message, /needs 9 credits; the units held and available can count at most 5/);
  t.match(
    !level.reachable && level.message,
    /needs 4 credits at level 3 or above; the units held and available can count at most 0/,
  );
  t.match(!most.reachable && most.message, /group A cannot reach 8 credits within 1 units/);
});

t.test('an exemption counts towards its group', async (t) => {
  // Group A needs 6; the learner's outside achievement "First aid" counts for 3 there, so B3
  // is enough.
  const q = qualification([group('A', [B3, D6], { minCredits: 6 })], {
    totalCredits: 6,
    exemptions: [{ name: 'First aid', group: 'A', credits: 3 }],
  });
  const r = route(q, [B3, D6], [], { exemptions: ['First aid'] });
  t.same(urns(r), [B3]);
});

t.test('a tiny node bound: a valid route, not claimed optimal', async (t) => {
  // With room for one search node the optimiser cannot prove anything; it still returns a
  // route the evaluator accepts, and says it is not proven.
  const q = qualification([group('A', [A8, B3, C3, D6, H2, K1], { minCredits: 9 })], { totalCredits: 9 });
  const r = route(q, [A8, B3, C3, D6, H2, K1], [], { maxNodes: 1 });
  t.ok(r.reachable && r.evaluation.achieved);
  t.notOk(r.exhaustive);
  const full = route(q, [A8, B3, C3, D6, H2, K1]);
  t.ok(full.exhaustive);
  t.ok(full.reachable && full.extraCredits === 9);
});

t.test('a bad evaluation date is refused', async (t) => {
  const q = qualification([group('A', [B3])], { totalCredits: 3 });
  t.throws(() => route(q, [B3], [], { date: '15/06/2024' }), RangeError);
});
