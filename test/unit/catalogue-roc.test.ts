/**
 * Property tests of the Rules of Combination evaluator against a brute-force oracle.
 *
 * The oracle below shares no code with src/catalogue/rules/roc/. It tries EVERY assignment of
 * every valid credit to "nowhere" or to one (group, unit) place it could fill, and every
 * held exemption to "nowhere" or one of its listed groups, then checks the rules of SPEC
 * 3.1 directly. A second, independent checker verifies that the allocation the evaluator
 * returns really does what it claims.
 *
 * Seed: fixed, override with ROC_SEED=<number>. Runs: ROC_RUNS=<number> (default 4000).
 */
import t from 'tap';
import fc from 'fast-check';
import { evaluate, transport, DEFAULT_MAX_NODES } from '../../src/catalogue/rules/roc/index.js';
import type { Evaluation, EvaluationInput } from '../../src/catalogue/rules/roc/index.js';
import { LEVELS } from '../../src/catalogue/model.js';
import type { Equivalence, LearnerCredit, Level, Qualification, RuleGroup, Unit } from '../../src/catalogue/model.js';

const SEED = process.env.ROC_SEED ? Number(process.env.ROC_SEED) : 31_415_926;
const RUNS = process.env.ROC_RUNS ? Number(process.env.ROC_RUNS) : 4000;

// ----------------------------------------------------------------------------------------
// The oracle (independent of the evaluator)
// ----------------------------------------------------------------------------------------

const rankOf = (l: Level) => LEVELS.indexOf(l);

/** Completed years from `from` to `to`, like an age. */
function age(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  const beforeAnniversary = m2 < m1 || (m2 === m1 && d2 < d1);
  return y2 - y1 - (beforeAnniversary ? 1 : 0);
}

type Validity = 'ok' | 'withdrawn' | 'after-date' | 'expired';
function validity(c: LearnerCredit, date: string, years: number | undefined): Validity {
  if (c.status === 'withdrawn') return 'withdrawn';
  if (c.awardDate > date) return 'after-date';
  if (years !== undefined && age(c.awardDate, date) >= years) return 'expired';
  return 'ok';
}

/** reach.get(a).has(b): a credit for a may stand for b (transitive, computed to a fixpoint). */
function reachability(eqs: Equivalence[]): Map<string, Set<string>> {
  const reach = new Map<string, Set<string>>();
  const get = (u: string) => {
    if (!reach.has(u)) reach.set(u, new Set());
    return reach.get(u)!;
  };
  for (const e of eqs) get(e.from).add(e.to);
  for (let changed = true; changed;) {
    changed = false;
    for (const [, targets] of reach) {
      for (const b of [...targets]) {
        for (const c of get(b)) {
          if (!targets.has(c)) {
            targets.add(c);
            changed = true;
          }
        }
      }
    }
  }
  return reach;
}

function choose<T>(items: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...choose(rest, k - 1).map((c) => [first, ...c]), ...choose(rest, k)];
}

interface OracleResult {
  achieved: boolean;
  /** Over every allocation: the fewest unmet rules, and the most counted credits among those. */
  unmet: number;
  counted: number;
  leaves: number;
}

function oracle(input: EvaluationInput): OracleResult {
  const q = input.qualification;
  const reach = reachability([...q.equivalences, ...(input.globalEquivalences ?? [])]);
  const canStandFor = (urn: string, v: string) => urn === v || (reach.get(urn)?.has(v) ?? false);
  const floor = q.minCreditsAtLevel ? rankOf(q.minCreditsAtLevel.level) : Infinity;

  interface Place {
    credit: number;
    urn: string;
    v: string;
    g: number;
    value: number;
    high: boolean;
  }
  const creditChoices: (Place | null)[][] = [];
  input.credits.forEach((c, credit) => {
    if (validity(c, input.date, q.validityYears) !== 'ok') return;
    const cat = input.units.get(c.urn);
    const value = cat ? cat.credit : c.credit;
    const high = rankOf(cat ? cat.level : c.level) >= floor;
    const places: (Place | null)[] = [null];
    q.groups.forEach((g, gi) => {
      for (const v of new Set(g.units))
        if (canStandFor(c.urn, v)) places.push({ credit, urn: c.urn, v, g: gi, value, high });
    });
    creditChoices.push(places);
  });
  const exChoices: ({ g: number; credits: number } | null)[][] = [];
  const held = new Set(input.exemptions ?? []);
  for (const name of new Set(q.exemptions.map((e) => e.name))) {
    if (!held.has(name)) continue;
    const places: ({ g: number; credits: number } | null)[] = [null];
    for (const e of q.exemptions) {
      const gi = q.groups.findIndex((g) => g.id === e.group);
      if (e.name === name && gi >= 0) places.push({ g: gi, credits: e.credits });
    }
    exChoices.push(places);
  }

  let best = { unmet: Infinity, counted: -Infinity };
  let leaves = 0;
  const placed: Place[] = [];
  const exPlaced: { g: number; credits: number }[] = [];

  const judge = () => {
    leaves++;
    // A unit counts once: no two placed credits for the same unit or standing for the same unit.
    if (new Set(placed.map((p) => p.urn)).size !== placed.length) return;
    if (new Set(placed.map((p) => p.v)).size !== placed.length) return;
    // Barred sets: at most one placed credit stands for a unit of the set.
    for (const set of q.barred) {
      const members = new Set(set);
      if (placed.filter((p) => members.has(p.v)).length > 1) return;
    }
    // For each group, the units that count: all, or every choice of maxUnits of them.
    const countedChoices = q.groups.map((g, gi) => {
      const here = placed.filter((p) => p.g === gi);
      return g.maxUnits !== undefined && here.length > g.maxUnits ? choose(here, g.maxUnits) : [here];
    });
    const walk = (gi: number, picks: Place[][]) => {
      if (gi < q.groups.length) {
        for (const c of countedChoices[gi]) walk(gi + 1, [...picks, c]);
        return;
      }
      let unmet = 0;
      let total = 0;
      let atLevel = 0;
      q.groups.forEach((g: RuleGroup, i) => {
        const cap = g.maxCredits ?? Infinity;
        const exemptCredits = exPlaced.filter((e) => e.g === i).reduce((s, e) => s + e.credits, 0);
        const unitCredits = picks[i].reduce((s, p) => s + p.value, 0);
        const highCredits = picks[i].filter((p) => p.high).reduce((s, p) => s + p.value, 0);
        const credits = Math.min(cap, exemptCredits + unitCredits);
        total += credits;
        atLevel += Math.min(cap, highCredits);
        if (g.mandatory && !g.units.every((u) => placed.some((p) => p.g === i && p.v === u))) unmet++;
        if (g.minCredits !== undefined && credits < g.minCredits) unmet++;
        if (g.minUnits !== undefined && picks[i].length < g.minUnits) unmet++;
      });
      if (total < q.totalCredits) unmet++;
      if (q.minCreditsAtLevel && atLevel < q.minCreditsAtLevel.credits) unmet++;
      if (unmet < best.unmet || (unmet === best.unmet && total > best.counted)) best = { unmet, counted: total };
    };
    walk(0, []);
  };

  const go = (i: number) => {
    if (i < creditChoices.length) {
      for (const c of creditChoices[i]) {
        if (c) placed.push(c);
        go(i + 1);
        if (c) placed.pop();
      }
      return;
    }
    const j = i - creditChoices.length;
    if (j < exChoices.length) {
      for (const e of exChoices[j]) {
        if (e) exPlaced.push(e);
        go(i + 1);
        if (e) exPlaced.pop();
      }
      return;
    }
    judge();
  };
  go(0);
  return { achieved: best.unmet === 0, unmet: best.unmet, counted: best.counted, leaves };
}

// ----------------------------------------------------------------------------------------
// Independent check of the evaluator's own answer
// ----------------------------------------------------------------------------------------

/** Every way in which the returned evaluation is not a faithful, valid account. */
function problemsWith(input: EvaluationInput, ev: Evaluation): string[] {
  const q = input.qualification;
  const out: string[] = [];
  const reach = reachability([...q.equivalences, ...(input.globalEquivalences ?? [])]);
  const floor = q.minCreditsAtLevel ? rankOf(q.minCreditsAtLevel.level) : Infinity;
  const byId = new Map(input.credits.map((c) => [c.id, c]));

  // Every input credit is accounted for exactly once, with the right validity reason.
  const seen = new Map<string, number>();
  for (const id of [...ev.allocation.map((a) => a.creditId), ...ev.excluded.map((e) => e.creditId)]) {
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const c of input.credits)
    if (seen.get(c.id) !== 1) out.push(`credit ${c.id} accounted for ${seen.get(c.id) ?? 0} times`);
  for (const e of ev.excluded) {
    const v = validity(byId.get(e.creditId)!, input.date, q.validityYears);
    const invalid = e.reason === 'withdrawn' || e.reason === 'after-date' || e.reason === 'expired';
    if (invalid ? v !== e.reason : v !== 'ok')
      out.push(`credit ${e.creditId} excluded as ${e.reason} but validity is ${v}`);
  }

  // Each allocated credit is valid, stands for a unit of its group, and its numbers add up.
  const groupOf = new Map(q.groups.map((g) => [g.id, g]));
  for (const a of ev.allocation) {
    const c = byId.get(a.creditId);
    if (!c) {
      out.push(`unknown credit ${a.creditId}`);
      continue;
    }
    if (validity(c, input.date, q.validityYears) !== 'ok') out.push(`invalid credit ${a.creditId} allocated`);
    if (a.urn !== c.urn) out.push(`credit ${a.creditId} urn mismatch`);
    if (a.countsAs !== c.urn && !reach.get(c.urn)?.has(a.countsAs)) out.push(`${c.urn} cannot stand for ${a.countsAs}`);
    const g = groupOf.get(a.group);
    if (!g || !g.units.includes(a.countsAs)) out.push(`${a.countsAs} is not in group ${a.group}`);
    const cat = input.units.get(c.urn);
    if (a.credits !== (cat ? cat.credit : c.credit)) out.push(`credit ${a.creditId} has wrong value`);
    if (a.counted < 0 || a.counted > a.credits) out.push(`credit ${a.creditId} counted ${a.counted} of ${a.credits}`);
    if (!a.unitCounted && a.counted !== 0) out.push(`credit ${a.creditId} counts credits but not its unit`);
    if (a.challenged !== (c.status === 'challenged')) out.push(`credit ${a.creditId} challenged flag wrong`);
  }
  if (new Set(ev.allocation.map((a) => a.urn)).size !== ev.allocation.length) out.push('a unit is allocated twice');
  if (new Set(ev.allocation.map((a) => a.countsAs)).size !== ev.allocation.length) out.push('a unit is filled twice');
  for (const set of q.barred) {
    const hits = ev.allocation.filter((a) => set.includes(a.countsAs));
    if (hits.length > 1) out.push(`barred set ${set.join('+')} has ${hits.length} units`);
  }
  const held = new Set(input.exemptions ?? []);
  for (const e of ev.exemptionsUsed) {
    if (!held.has(e.name)) out.push(`exemption ${e.name} not held`);
    if (!q.exemptions.some((x) => x.name === e.name && x.group === e.group && x.credits === e.credits)) {
      out.push(`exemption ${e.name} in ${e.group} is not in the RoC`);
    }
    if (e.counted < 0 || e.counted > e.credits) out.push(`exemption ${e.name} counted ${e.counted}`);
  }
  if (new Set(ev.exemptionsUsed.map((e) => e.name)).size !== ev.exemptionsUsed.length)
    out.push('an exemption is used twice');

  // Recompute each group's progress from the allocation and compare.
  const expectedUnmet: string[] = [];
  let total = 0;
  let atLevel = 0;
  q.groups.forEach((g, i) => {
    const here = ev.allocation.filter((a) => a.group === g.id);
    const ex = ev.exemptionsUsed.filter((e) => e.group === g.id);
    const units = here.filter((a) => a.unitCounted).length;
    const credits = here.reduce((s, a) => s + a.counted, 0) + ex.reduce((s, e) => s + e.counted, 0);
    const offered =
      here.filter((a) => a.unitCounted).reduce((s, a) => s + a.credits, 0) + ex.reduce((s, e) => s + e.credits, 0);
    const cap = g.maxCredits ?? Infinity;
    if (credits !== Math.min(cap, offered)) out.push(`group ${g.id} counts ${credits} of ${offered} under cap ${cap}`);
    if (g.maxUnits !== undefined && units > g.maxUnits)
      out.push(`group ${g.id} counts ${units} units over max ${g.maxUnits}`);
    const missing = g.mandatory ? [...new Set(g.units)].filter((u) => !here.some((a) => a.countsAs === u)) : [];
    const reported = ev.groups[i];
    if (!reported || reported.id !== g.id || reported.credits !== credits || reported.units !== units) {
      out.push(`group ${g.id} progress reported wrongly`);
    } else if (reported.missingUnits.join() !== missing.join()) {
      out.push(`group ${g.id} missing units reported wrongly`);
    }
    total += credits;
    atLevel += here.filter((a) => rankOf(a.level) >= floor).reduce((s, a) => s + a.counted, 0);
    if (missing.length > 0) expectedUnmet.push(`mandatory:${g.id}`);
    if (g.minCredits !== undefined && credits < g.minCredits) expectedUnmet.push(`group-min-credits:${g.id}`);
    if (g.minUnits !== undefined && units < g.minUnits) expectedUnmet.push(`group-min-units:${g.id}`);
    if (reported && reported.met !== (missing.length === 0 && !expectedUnmet.some((u) => u.endsWith(`:${g.id}`)))) {
      out.push(`group ${g.id} met flag wrong`);
    }
  });
  if (ev.totalCredits !== total) out.push(`total ${ev.totalCredits} reported, ${total} recomputed`);
  if (total < q.totalCredits) expectedUnmet.push('total-credits:');
  if (q.minCreditsAtLevel) {
    if (ev.creditsAtLevel?.counted !== atLevel)
      out.push(`level credits ${ev.creditsAtLevel?.counted} reported, ${atLevel} recomputed`);
    if (atLevel < q.minCreditsAtLevel.credits) expectedUnmet.push('level-credits:');
  } else if (ev.creditsAtLevel) out.push('creditsAtLevel reported without a level rule');
  const gotUnmet = ev.unmet.map((u) => `${u.rule}:${u.group ?? ''}`);
  if (gotUnmet.sort().join() !== expectedUnmet.sort().join())
    out.push(`unmet ${gotUnmet} but recomputed ${expectedUnmet}`);
  if (ev.achieved !== (expectedUnmet.length === 0)) out.push('achieved flag disagrees with the rules');
  return out;
}

// ----------------------------------------------------------------------------------------
// Random small cases
// ----------------------------------------------------------------------------------------

const POOL = ['A/100/0001', 'B/100/0002', 'C/100/0003', 'D/100/0004', 'E/100/0005'];
const OUTSIDE = 'F/100/0006'; // in the catalogue, in no group
const UNCATALOGUED = 'G/100/0007'; // not in the catalogue at all
const SOME_LEVELS: Level[] = ['1', '2', '3'];
const DATES = ['2024-06-15', '2024-02-29', '2025-03-01', '2023-02-28'];
const MONTH_DAYS = ['01-10', '02-28', '02-29', '03-01', '06-14', '06-15', '06-16'];

/** `arb` in `present` cases out of `outOf`, otherwise undefined. */
const maybe = <T>(arb: fc.Arbitrary<T>, present: number, outOf: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: outOf - present }, { arbitrary: arb, weight: present });
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const catalogueArb = fc.tuple(
  ...[...POOL, OUTSIDE].map((urn) =>
    fc
      .record({ level: fc.constantFrom(...SOME_LEVELS), credit: fc.integer({ min: 1, max: 5 }) })
      .map((x): Unit => ({ urn, title: `Unit ${urn[0]}`, ...x })),
  ),
);

// Maximums are mostly at or above the minimums (a few contradictory groups remain).
const groupArb = fc
  .record({
    units: fc.subarray([...POOL, UNCATALOGUED], { minLength: 1, maxLength: 4 }),
    mandatory: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    minCredits: maybe(fc.integer({ min: 1, max: 5 }), 2, 5),
    maxCredits: maybe(fc.integer({ min: -1, max: 4 }), 1, 2),
    minUnits: maybe(fc.integer({ min: 1, max: 2 }), 1, 4),
    maxUnits: maybe(fc.integer({ min: 0, max: 2 }), 1, 2),
  })
  .map((g) => ({
    ...g,
    maxCredits: g.maxCredits === undefined ? undefined : Math.max(1, (g.minCredits ?? 1) + g.maxCredits),
    maxUnits: g.maxUnits === undefined ? undefined : Math.max(1, (g.minUnits ?? 1) + g.maxUnits - 1),
  }));

const qualificationArb = fc
  .record({
    groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
    totalCredits: fc.integer({ min: 1, max: 8 }),
    minCreditsAtLevel: maybe(
      fc.record({ level: fc.constantFrom<Level>('2', '3'), credits: fc.integer({ min: 1, max: 5 }) }),
      1,
      2,
    ),
    barred: fc.array(fc.subarray([...POOL, OUTSIDE], { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
    equivalences: fc.array(
      fc.record({ from: fc.constantFrom(...POOL, OUTSIDE, UNCATALOGUED), to: fc.constantFrom(...POOL) }),
      { maxLength: 2 },
    ),
    exemptions: fc.array(
      fc.record({
        name: fc.constantFrom('X', 'Y'),
        group: fc.constantFrom('G0', 'G1', 'G9'),
        credits: fc.integer({ min: 1, max: 5 }),
      }),
      { maxLength: 2 },
    ),
    validityYears: maybe(fc.integer({ min: 1, max: 3 }), 1, 2),
  })
  .map((r): Qualification => ({
    qan: '600/0000/1',
    title: 'Random',
    level: '2',
    aoUkprn: '10000001',
    operationalStart: '2010-01-01',
    ...r,
    groups: r.groups.map((g, i) => ({ id: `G${i}`, title: `Group ${i}`, ...g })),
  }));

const creditsArb = fc.array(
  fc.record({
    urn: fc.constantFrom(...POOL, ...POOL, ...POOL, OUTSIDE, UNCATALOGUED),
    status: fc.constantFrom<LearnerCredit['status']>('active', 'active', 'active', 'active', 'challenged', 'withdrawn'),
    yearsAgo: fc.constantFrom(-1, 0, 0, 0, 1, 1, 2, 3),
    monthDay: fc.constantFrom(...MONTH_DAYS),
    credit: fc.integer({ min: 1, max: 5 }),
    level: fc.constantFrom(...SOME_LEVELS),
  }),
  { minLength: 3, maxLength: 9 },
);

const caseArb = fc
  .record({
    units: catalogueArb,
    qualification: qualificationArb,
    credits: creditsArb,
    exemptions: fc.subarray(['X', 'Y', 'W']),
    globalEquivalences: fc.array(
      fc.record({ from: fc.constantFrom(...POOL, UNCATALOGUED), to: fc.constantFrom(...POOL) }),
      { maxLength: 1 },
    ),
    date: fc.constantFrom(...DATES),
  })
  .map((r): EvaluationInput => ({
    qualification: r.qualification,
    units: new Map(r.units.map((u) => [u.urn, u])),
    exemptions: r.exemptions,
    globalEquivalences: r.globalEquivalences,
    date: r.date,
    credits: r.credits.map((c, i) => {
      const year = Number(r.date.slice(0, 4)) - c.yearsAgo;
      let awardDate = `${year}-${c.monthDay === '02-29' && !isLeap(year) ? '02-28' : c.monthDay}`;
      // In the evaluation year, keep most dates on or before the evaluation date.
      if (c.yearsAgo === 0 && awardDate > r.date) awardDate = `${year}-01-10`;
      return { id: `c${i}`, urn: c.urn, credit: c.credit, level: c.level, status: c.status, awardDate };
    }),
  }));

// ----------------------------------------------------------------------------------------

t.test(`evaluator agrees with the brute-force oracle (seed ${SEED}, ${RUNS} runs)`, async (t) => {
  const stats = {
    achieved: 0,
    notAchieved: 0,
    unitInTwoGroups: 0,
    barredBites: 0,
    capped: 0,
    viaEquivalence: 0,
    exemption: 0,
    expired: 0,
    leaves: 0,
  };
  const unmetRules: Record<string, number> = {};
  fc.assert(
    fc.property(caseArb, (input) => {
      const ev = evaluate(input);
      const truth = oracle(input);
      stats.leaves += truth.leaves;
      if (!ev.exhaustive) throw new Error(`small case not exhaustive (${ev.nodes} nodes)`);
      if (ev.achieved !== truth.achieved) {
        throw new Error(
          `achieved: evaluator ${ev.achieved}, oracle ${truth.achieved}; unmet ${JSON.stringify(ev.unmet)}`,
        );
      }
      const problems = problemsWith(input, ev);
      if (problems.length > 0) throw new Error(`allocation problems: ${problems.join('; ')}`);
      if (!ev.achieved && (ev.unmet.length !== truth.unmet || ev.totalCredits !== truth.counted)) {
        throw new Error(
          `best allocation: evaluator ${ev.unmet.length} unmet / ${ev.totalCredits} credits, oracle ${truth.unmet} / ${truth.counted}`,
        );
      }
      // What the cases exercised.
      if (ev.achieved) stats.achieved++;
      else stats.notAchieved++;
      for (const u of ev.unmet) unmetRules[u.rule] = (unmetRules[u.rule] ?? 0) + 1;
      const q = input.qualification;
      if (
        POOL.some(
          (u) => q.groups.filter((g) => g.units.includes(u)).length > 1 && input.credits.some((c) => c.urn === u),
        )
      ) {
        stats.unitInTwoGroups++;
      }
      if (ev.excluded.some((e) => e.reason === 'barred')) stats.barredBites++;
      if (ev.allocation.some((a) => a.counted < a.credits)) stats.capped++;
      if (ev.allocation.some((a) => a.countsAs !== a.urn)) stats.viaEquivalence++;
      if (ev.exemptionsUsed.length > 0) stats.exemption++;
      if (ev.excluded.some((e) => e.reason === 'expired')) stats.expired++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  t.comment(JSON.stringify(stats));
  t.comment(`unmet rules in not-achieved cases: ${JSON.stringify(unmetRules)}`);
  // The generator must reach the interesting corners, or the agreement above means little.
  const share = RUNS / 2000; // the thresholds below are per 2000 runs
  t.ok(stats.achieved >= 150 * share, `achieved cases: ${stats.achieved}`);
  t.ok(stats.notAchieved >= 150 * share, `not-achieved cases: ${stats.notAchieved}`);
  t.ok(stats.unitInTwoGroups >= 100 * share, `a credited unit in two groups: ${stats.unitInTwoGroups}`);
  t.ok(stats.barredBites >= 20 * share, `a credit left out by a barred set: ${stats.barredBites}`);
  t.ok(stats.capped >= 50 * share, `a credit capped by a group maximum: ${stats.capped}`);
  t.ok(stats.viaEquivalence >= 50 * share, `a credit counted through an equivalence: ${stats.viaEquivalence}`);
  t.ok(stats.exemption >= 50 * share, `an exemption used: ${stats.exemption}`);
  t.ok(stats.expired >= 50 * share, `an expired credit: ${stats.expired}`);
});

t.test('the order of the credits changes neither the verdict nor the value of the best allocation', async (t) => {
  let runs = 0;
  fc.assert(
    fc.property(caseArb, fc.infiniteStream(fc.nat()), (input, randoms) => {
      const shuffled = [...input.credits];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = randoms.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const a = evaluate(input);
      const b = evaluate({ ...input, credits: shuffled });
      runs++;
      // When achieved, any valid allocation will do, so only the verdict must agree; when not,
      // the best allocation's value (fewest unmet rules, then most credits) is unique.
      if (a.achieved || b.achieved) return a.achieved === b.achieved;
      return a.unmet.length === b.unmet.length && a.totalCredits === b.totalCredits;
    }),
    { numRuns: 500, seed: SEED + 1 },
  );
  t.equal(runs, 500);
});

t.test('the evaluator is deterministic', async (t) => {
  fc.assert(
    fc.property(caseArb, (input) => {
      t.same(evaluate(input), evaluate(input));
    }),
    { numRuns: 100, seed: SEED + 2 },
  );
});

t.test('the transport bound equals a brute-force best split of credits into groups', async (t) => {
  // Each offer may split its credits between its groups in whole credits (at most
  // credits[j] to groups[j], at most the largest of them in all); group g takes at most
  // room[g]. With whole capacities the best split is a whole one, so trying every whole
  // split finds the true maximum.
  const offerArb = fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }).chain((groups) =>
    fc.record({
      groups: fc.constant(groups),
      credits: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: groups.length, maxLength: groups.length }),
    }),
  );
  const roomArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Infinity)), {
    minLength: 3,
    maxLength: 3,
  });
  const best = (offers: { groups: number[]; credits: number[] }[], room: number[]): number => {
    if (offers.length === 0) return 0;
    const [o, ...rest] = offers;
    const supply = Math.max(...o.credits);
    let top = 0;
    const split = (j: number, used: number, left: number[]): void => {
      if (j === o.groups.length) {
        top = Math.max(top, used + best(rest, left));
        return;
      }
      for (let x = 0; x <= Math.min(o.credits[j], supply - used, left[o.groups[j]]); x++) {
        const next = left.slice();
        next[o.groups[j]] -= x;
        split(j + 1, used + x, next);
      }
    };
    split(0, 0, room);
    return top;
  };
  let runs = 0;
  fc.assert(
    fc.property(fc.array(offerArb, { maxLength: 4 }), roomArb, (offers, room) => {
      runs++;
      return transport(offers, room) === best(offers, room);
    }),
    { numRuns: 1000, seed: SEED + 3 },
  );
  t.equal(runs, 1000);
});

// ----------------------------------------------------------------------------------------
// Realistic sizes: the search stays exhaustive and small
// ----------------------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic qualification: 8 groups (one mandatory) of up to 60 units, `shared` units of
 * each optional group also listed in another one (5: about one in ten), a few barred sets
 * and equivalences, caps on some groups, and a learner with 80 credits, most of them for
 * units of this qualification.
 */
function realisticCase(seed: number, shared = 5, barredSets = 5): EvaluationInput {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const urn = (n: number) =>
    `${String.fromCharCode(65 + (n % 26))}/${String(500 + (n % 400)).padStart(3, '0')}/${String(n).padStart(4, '0')}`;
  const units: Unit[] = [];
  for (let n = 0; n < 520; n++)
    units.push({
      urn: urn(n),
      title: `Unit ${n}`,
      level: pick<Level>(['1', '2', '2', '3', '3', '4']),
      credit: 1 + Math.floor(rnd() * 8),
    });
  const groups: RuleGroup[] = [];
  let next = 0;
  for (let g = 0; g < 8; g++) {
    const size = g === 0 ? 6 : 40 + Math.floor(rnd() * 21);
    const own = units.slice(next, next + size).map((u) => u.urn);
    next += size;
    const group: RuleGroup = { id: String.fromCharCode(65 + g), title: `Group ${g}`, mandatory: g === 0, units: own };
    if (g > 0) {
      group.minCredits = 4 + Math.floor(rnd() * 10);
      if (rnd() < 0.5) group.maxCredits = group.minCredits + 5 + Math.floor(rnd() * 10);
      if (rnd() < 0.3) group.minUnits = 1 + Math.floor(rnd() * 3);
      if (rnd() < 0.25) group.maxUnits = 3 + Math.floor(rnd() * 3);
    }
    groups.push(group);
  }
  const all = groups.flatMap((g) => g.units);
  for (const g of groups.slice(1)) {
    for (const u of g.units.slice(0, shared)) {
      const other = pick(groups.slice(1));
      if (other !== g && !other.units.includes(u)) other.units.push(u);
    }
  }
  const barred = Array.from({ length: barredSets }, () => [pick(all), pick(all)]);
  const equivalences = Array.from({ length: 4 }, () => ({ from: urn(500 + Math.floor(rnd() * 20)), to: pick(all) }));
  const qualification: Qualification = {
    qan: '600/1234/5',
    title: 'Realistic Diploma',
    level: '3',
    aoUkprn: '10000001',
    operationalStart: '2010-01-01',
    totalCredits: 60 + Math.floor(rnd() * 60),
    minCreditsAtLevel: { level: '3', credits: 20 + Math.floor(rnd() * 20) },
    groups,
    barred,
    equivalences,
    exemptions: [{ name: 'First aid', group: 'B', credits: 3 }],
    validityYears: 10,
  };
  const credits: LearnerCredit[] = [];
  const taken = new Set<string>();
  // Odd seeds: the learner holds the mandatory units (first in line); even seeds: by chance.
  const wanted = seed % 2 === 1 ? [...groups[0].units] : [];
  while (credits.length < 80) {
    const u = wanted.shift() ?? (rnd() < 0.9 ? pick(all) : urn(Math.floor(rnd() * 520)));
    if (taken.has(u) && rnd() < 0.9) continue;
    taken.add(u);
    const cat = units.find((x) => x.urn === u)!;
    const mandatory = groups[0].units.includes(u) && seed % 2 === 1;
    credits.push({
      id: `r${credits.length}`,
      urn: u,
      credit: cat.credit,
      level: cat.level,
      status: rnd() < 0.05 && !mandatory ? 'withdrawn' : rnd() < 0.05 ? 'challenged' : 'active',
      // A few are older than the ten-year validity period.
      awardDate: `20${mandatory ? 20 : 12 + Math.floor(rnd() * 12)}-0${1 + Math.floor(rnd() * 9)}-15`,
    });
  }
  return {
    qualification,
    units: new Map(units.map((u) => [u.urn, u])),
    credits,
    exemptions: rnd() < 0.5 ? ['First aid'] : [],
    date: '2024-06-01',
  };
}

t.test('realistic sizes stay exhaustive and far inside the node bound', async (t) => {
  let achieved = 0;
  let most = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const input = realisticCase(seed);
    const ev = evaluate(input);
    most = Math.max(most, ev.nodes);
    if (ev.achieved) achieved++;
    t.ok(ev.exhaustive, `case ${seed} exhaustive`);
    t.ok(ev.nodes <= 1_000, `case ${seed} used ${ev.nodes} nodes`);
    t.same(problemsWith(input, ev), [], `case ${seed} allocation is sound`);
  }
  t.comment(`realistic cases: ${achieved} of 60 achieved, at most ${most} nodes (bound ${DEFAULT_MAX_NODES})`);
  t.ok(achieved >= 10 && achieved <= 50, 'the realistic cases mix achieved and not achieved');
});

t.test('with four times as many units in two groups the search stays exhaustive', async (t) => {
  let most = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const input = realisticCase(seed, 20, 10);
    const ev = evaluate(input);
    most = Math.max(most, ev.nodes);
    t.ok(ev.exhaustive, `case ${seed} exhaustive`);
    t.ok(ev.nodes <= 10_000, `case ${seed} used ${ev.nodes} nodes`);
    t.same(problemsWith(input, ev), [], `case ${seed} allocation is sound`);
  }
  t.comment(`at most ${most} nodes`);
});
