/**
 * Property tests of the route optimiser against a brute-force oracle.
 *
 * The oracle knows nothing of the optimiser's search. It lists every subset of the available
 * units that the catalogue knows, orders the subsets by (total credit, number of units,
 * sorted URN list), and asks evaluate() about each in that order: the first one evaluate()
 * accepts is the answer, and if none is accepted the qualification is out of reach. The
 * optimiser must agree on reachability, on the credits and units of the route, and (since it
 * promises the lexicographically smallest of the cheapest routes) on the route itself.
 *
 * Seed: fixed, override with ROUTE_SEED=<number>. Runs: ROUTE_RUNS=<number> (default 1500).
 */
import t from 'tap';
import fc from 'fast-check';
import { optimiseRoute, minSumAtLeast } from '../../src/pathways/rules/optimiser/index.js';
import type { RouteInput, RouteResult } from '../../src/pathways/rules/optimiser/index.js';
import { evaluate } from '../../src/catalogue/rules/roc/index.js';
import type { Evaluation } from '../../src/catalogue/rules/roc/index.js';
import type { LearnerCredit, Level, Qualification, RuleGroup, Unit } from '../../src/catalogue/model.js';
import { generateCatalogue } from '../../src/catalogue/generator.js';
import { generateAchievements, generateLearners } from '../../src/learners/generator.js';
import { POOL, opt, caseArb } from '../helpers/route-cases.js';

const SEED = process.env.ROUTE_SEED ? Number(process.env.ROUTE_SEED) : 20_240_615;
const RUNS = process.env.ROUTE_RUNS ? Number(process.env.ROUTE_RUNS) : 1500;

// ----------------------------------------------------------------------------------------
// The oracle
// ----------------------------------------------------------------------------------------

/** Compare two sorted URN lists: the first difference decides, a prefix comes first. */
function lexCompare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

function withPlanned(input: RouteInput, planned: readonly Unit[]): Evaluation {
  const credits: LearnerCredit[] = [
    ...input.credits,
    ...planned.map((u, i) => ({
      id: `oracle-${i}`,
      urn: u.urn,
      credit: u.credit,
      level: u.level,
      awardDate: input.date,
      status: 'active' as const,
    })),
  ];
  return evaluate({
    qualification: input.qualification,
    units: input.units,
    credits,
    exemptions: input.exemptions,
    globalEquivalences: input.globalEquivalences,
    date: input.date,
  });
}

interface OracleAnswer {
  /** Cheapest route (credits, then units, then URNs), or null when no subset works. */
  route: Unit[] | null;
  /** How many subsets tie with it on credits and units. */
  ties: number;
  evaluated: number;
}

function oracle(input: RouteInput): OracleAnswer {
  const pool = [...new Set(input.available)].flatMap((urn) => (input.units.has(urn) ? [input.units.get(urn)!] : []));
  const subsets: { units: Unit[]; credits: number; urns: string[] }[] = [];
  for (let mask = 0; mask < 1 << pool.length; mask++) {
    const units = pool.filter((_, i) => mask & (1 << i));
    subsets.push({ units, credits: units.reduce((s, u) => s + u.credit, 0), urns: units.map((u) => u.urn).sort() });
  }
  subsets.sort((a, b) => a.credits - b.credits || a.units.length - b.units.length || lexCompare(a.urns, b.urns));
  let evaluated = 0;
  for (let i = 0; i < subsets.length; i++) {
    evaluated++;
    if (!withPlanned(input, subsets[i].units).achieved) continue;
    let ties = 1;
    for (let k = i + 1; k < subsets.length; k++) {
      if (subsets[k].credits !== subsets[i].credits || subsets[k].units.length !== subsets[i].units.length) break;
      if (withPlanned(input, subsets[k].units).achieved) ties++;
    }
    return { route: subsets[i].units, ties, evaluated };
  }
  return { route: null, ties: 0, evaluated };
}

// ----------------------------------------------------------------------------------------

/** Every way the result is not a faithful answer for this input, apart from optimality. */
function problemsWith(input: RouteInput, res: RouteResult): string[] {
  const out: string[] = [];
  if (!res.reachable) {
    if (res.evaluation.achieved) out.push('not reachable, yet its evaluation says achieved');
    if (res.missing.length === 0) out.push('not reachable with nothing missing');
    if (res.message.length === 0) out.push('no message');
    return out;
  }
  const urns = res.add.map((u) => u.urn);
  if ([...urns].sort().join() !== urns.join()) out.push('add is not sorted by URN');
  if (new Set(urns).size !== urns.length) out.push('a unit is added twice');
  for (const u of urns) if (!input.available.includes(u)) out.push(`${u} is not available`);
  if (res.extraCredits !== res.add.reduce((s, u) => s + u.credit, 0))
    out.push('extraCredits is not the sum of the units');
  if (res.extraUnits !== res.add.length) out.push('extraUnits is not the number of units');
  if (!res.evaluation.achieved) out.push('the evaluation returned does not say achieved');
  if (!withPlanned(input, res.add).achieved) out.push('an independent evaluation does not say achieved');
  if (res.alreadyAchieved !== (res.add.length === 0)) out.push('alreadyAchieved disagrees with add');
  const filled = res.groupsFilled.flatMap((g) => g.units);
  for (const u of filled) if (!urns.includes(u)) out.push(`groupsFilled names ${u}, which is not added`);
  return out;
}

t.test(`the optimiser agrees with the brute-force oracle (seed ${SEED}, ${RUNS} runs)`, async (t) => {
  const seen = {
    reachable: 0,
    unreachable: 0,
    alreadyAchieved: 0,
    noUnits: 0,
    twoGroups: 0,
    barredBites: 0,
    capped: 0,
    mandatory: 0,
    viaEquivalence: 0,
    levelRule: 0,
    expired: 0,
    emptyLearner: 0,
    ties: 0,
    heldAvailable: 0,
  };
  let evaluated = 0;
  let mostNodes = 0;
  fc.assert(
    fc.property(caseArb, (input) => {
      const res = optimiseRoute(input);
      const truth = oracle(input);
      evaluated += truth.evaluated;
      mostNodes = Math.max(mostNodes, res.stats.nodes);
      if (!res.exhaustive) throw new Error(`small case not exhaustive (${JSON.stringify(res.stats)})`);
      const problems = problemsWith(input, res);
      if (problems.length > 0) throw new Error(problems.join('; '));
      if (res.reachable !== (truth.route !== null)) {
        throw new Error(`reachable: optimiser ${res.reachable}, oracle ${truth.route !== null}`);
      }
      if (res.reachable && truth.route) {
        const want = truth.route.map((u) => u.urn).sort();
        const got = res.add.map((u) => u.urn);
        if (res.extraCredits !== truth.route.reduce((s, u) => s + u.credit, 0) || res.extraUnits !== want.length) {
          throw new Error(`optimiser ${res.extraCredits} credits / ${res.extraUnits} units (${got}), oracle ${want}`);
        }
        if (got.join() !== want.join()) throw new Error(`tie broken differently: optimiser ${got}, oracle ${want}`);
      }
      // What the cases exercised.
      const q = input.qualification;
      if (input.credits.length === 0) seen.emptyLearner++;
      if (res.skipped.some((s) => s.reason === 'already-held')) seen.heldAvailable++;
      const years = q.validityYears;
      const cutoff = years === undefined ? null : `${Number(input.date.slice(0, 4)) - years}${input.date.slice(4)}`;
      if (cutoff !== null && input.credits.some((c) => c.status !== 'withdrawn' && c.awardDate <= cutoff))
        seen.expired++;
      if (!res.reachable) {
        seen.unreachable++;
        if (res.reason === 'no-units-available') seen.noUnits++;
        return;
      }
      seen.reachable++;
      if (res.alreadyAchieved) {
        seen.alreadyAchieved++;
        return;
      }
      if (truth.ties > 1) seen.ties++;
      if (res.groupsFilled.length >= 2) seen.twoGroups++;
      const planned = res.evaluation.allocation.filter(
        (a) => a.creditId.startsWith('planned:') && a.creditId !== 'planned:K/201/0001',
      );
      if (planned.some((a) => a.countsAs !== a.urn)) seen.viaEquivalence++;
      if (q.groups.some((g) => g.mandatory && planned.some((a) => a.group === g.id))) seen.mandatory++;
      if (q.groups.some((g) => g.maxCredits !== undefined && g.units.some((u) => input.available.includes(u))))
        seen.capped++;
      if (q.minCreditsAtLevel) seen.levelRule++;
      if (
        q.barred.some(
          (set) =>
            set.some((u) => input.available.includes(u)) &&
            set.some(
              (u) =>
                input.credits.some((c) => c.urn === u) ||
                (input.available.includes(u) && set.filter((x) => input.available.includes(x)).length > 1),
            ),
        )
      ) {
        seen.barredBites++;
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  t.comment(JSON.stringify(seen));
  t.comment(`oracle evaluations: ${evaluated}; most optimiser nodes in a case: ${mostNodes}`);
  // The generator must reach the interesting corners, or the agreement above means little.
  const share = RUNS / 1000; // thresholds below are per 1000 runs
  t.ok(seen.reachable >= 250 * share, `routes found: ${seen.reachable}`);
  t.ok(seen.unreachable >= 100 * share, `out of reach: ${seen.unreachable}`);
  t.ok(seen.alreadyAchieved >= 20 * share, `already achieved: ${seen.alreadyAchieved}`);
  t.ok(seen.noUnits >= 10 * share, `nothing usable available: ${seen.noUnits}`);
  t.ok(seen.twoGroups >= 20 * share, `a route filling two groups: ${seen.twoGroups}`);
  t.ok(seen.barredBites >= 20 * share, `a barred set touching the route: ${seen.barredBites}`);
  t.ok(seen.capped >= 50 * share, `a capped group: ${seen.capped}`);
  t.ok(seen.mandatory >= 20 * share, `a route filling a mandatory group: ${seen.mandatory}`);
  t.ok(seen.viaEquivalence >= 5 * share, `a planned unit counting through an equivalence: ${seen.viaEquivalence}`);
  t.ok(seen.levelRule >= 50 * share, `a level minimum: ${seen.levelRule}`);
  t.ok(seen.expired >= 20 * share, `an expired credit: ${seen.expired}`);
  t.ok(seen.emptyLearner >= 50 * share, `no learner credits: ${seen.emptyLearner}`);
  t.ok(seen.ties >= 20 * share, `several cheapest routes (tie-break): ${seen.ties}`);
  t.ok(seen.heldAvailable >= 20 * share, `an available unit already held: ${seen.heldAvailable}`);
});

t.test('the order of the available units and of the credits does not change the route', async (t) => {
  let runs = 0;
  fc.assert(
    fc.property(caseArb, fc.infiniteStream(fc.nat()), (input, randoms) => {
      const shuffle = <T>(xs: T[]) => {
        const out = [...xs];
        for (let i = out.length - 1; i > 0; i--) {
          const j = randoms.next().value % (i + 1);
          [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
      };
      const a = optimiseRoute(input);
      const b = optimiseRoute({ ...input, available: shuffle(input.available), credits: shuffle(input.credits) });
      runs++;
      if (a.reachable !== b.reachable) return false;
      if (!a.reachable || !b.reachable) return true;
      return a.add.map((u) => u.urn).join() === b.add.map((u) => u.urn).join();
    }),
    { numRuns: 400, seed: SEED + 1 },
  );
  t.equal(runs, 400);
});

t.test('with a tiny node bound the answer is still sound, and says when it is not proven', async (t) => {
  let cut = 0;
  fc.assert(
    fc.property(caseArb, fc.integer({ min: 1, max: 12 }), (input, maxNodes) => {
      const res = optimiseRoute({ ...input, maxNodes });
      const full = optimiseRoute(input);
      const problems = problemsWith(input, res);
      if (problems.length > 0) throw new Error(problems.join('; '));
      if (res.reachable !== full.reachable) throw new Error('the node bound changed reachability');
      if (res.exhaustive && res.reachable && full.reachable && res.extraCredits !== full.extraCredits) {
        throw new Error('claimed optimal but is not');
      }
      if (!res.exhaustive) cut++;
    }),
    { numRuns: 300, seed: SEED + 2 },
  );
  t.ok(cut >= 10, `cases cut by the bound: ${cut}`);
});

t.test('minSumAtLeast agrees with enumeration', async (t) => {
  const brute = (values: number[], target: number) => {
    let best = Infinity;
    for (let mask = 0; mask < 1 << values.length; mask++) {
      const sum = values.reduce((s, v, i) => (mask & (1 << i) ? s + v : s), 0);
      if (sum >= target) best = Math.min(best, sum);
    }
    return best;
  };
  let runs = 0;
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 9 }),
      fc.integer({ min: -3, max: 200 }),
      (values, target) => {
        runs++;
        return minSumAtLeast(values, target) === brute(values, target);
      },
    ),
    { numRuns: 1000, seed: SEED + 3 },
  );
  t.equal(runs, 1000);
});

// ----------------------------------------------------------------------------------------
// Many small units and caps: ties on credit, where the fewest units and then the URNs decide
// ----------------------------------------------------------------------------------------

const tieCaseArb = fc
  .record({
    credits: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: POOL.length, maxLength: POOL.length }),
    high: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
    split: fc.integer({ min: 1, max: POOL.length - 1 }),
    cap: opt(fc.integer({ min: 2, max: 8 }), 0.5),
    maxUnits: opt(fc.integer({ min: 1, max: 3 }), 0.3),
    minA: fc.integer({ min: 0, max: 6 }),
    total: fc.integer({ min: 2, max: 14 }),
    level: opt(fc.integer({ min: 1, max: 6 }), 0.3),
    shared: fc.boolean(),
    held: fc.subarray(POOL, { maxLength: 2 }),
  })
  .map((r): RouteInput => {
    const units = POOL.map((urn, i): Unit => ({
      urn,
      title: `Unit ${i + 1}`,
      credit: r.credits[i],
      level: r.high[i] ? '3' : '2',
    }));
    const a = POOL.slice(0, r.split);
    const b = POOL.slice(r.split);
    return {
      qualification: {
        qan: '601/0000/2',
        title: 'Tie Certificate',
        level: '2',
        aoUkprn: '10000001',
        operationalStart: '2010-01-01',
        groups: [
          {
            id: 'A',
            title: 'Group A',
            mandatory: false,
            units: r.shared ? [...a, b[0]] : a,
            minCredits: r.minA || undefined,
            maxUnits: r.maxUnits,
          },
          { id: 'B', title: 'Group B', mandatory: false, units: b, maxCredits: r.cap },
        ],
        totalCredits: r.total,
        minCreditsAtLevel: r.level === undefined ? undefined : { level: '3', credits: r.level },
        barred: [],
        equivalences: [],
        exemptions: [],
      },
      units: new Map(units.map((u) => [u.urn, u])),
      credits: r.held.map((urn, i) => ({
        id: `t${i}`,
        urn,
        credit: 1,
        level: '2',
        awardDate: '2023-01-01',
        status: 'active',
      })),
      date: '2024-06-15',
      available: POOL,
    };
  });

t.test(`ties on credit are broken by units, then URNs, as the oracle does (seed ${SEED})`, async (t) => {
  let ties = 0;
  fc.assert(
    fc.property(tieCaseArb, (input) => {
      const res = optimiseRoute(input);
      const truth = oracle(input);
      if (!res.exhaustive) throw new Error('small case not exhaustive');
      if (res.reachable !== (truth.route !== null)) throw new Error('reachability differs');
      if (truth.ties > 1) ties++;
      if (!res.reachable || !truth.route) return;
      const want = truth.route
        .map((u) => u.urn)
        .sort()
        .join();
      if (res.add.map((u) => u.urn).join() !== want)
        throw new Error(`optimiser ${res.add.map((u) => u.urn)}, oracle ${want}`);
    }),
    { numRuns: 1000, seed: SEED + 4 },
  );
  t.ok(ties >= 200, `cases with several cheapest routes: ${ties}`);
});

// ----------------------------------------------------------------------------------------
// Realistic sizes: the search stays exhaustive and small
// ----------------------------------------------------------------------------------------

t.test('generated catalogue and learners: every route is proven, with few nodes', async (t) => {
  const catalogue = generateCatalogue({ seed: 11, units: 3000, qualifications: 300 });
  const units = new Map(catalogue.units.map((u) => [u.urn, u]));
  const learners = generateLearners({ seed: 11, count: 40, referenceDate: '2026-11-01' });
  const records = generateAchievements({ seed: 11, learners, catalogue, referenceDate: '2026-11-01' });
  const creditsOf = new Map<string, LearnerCredit[]>();
  for (const a of records) {
    const list = creditsOf.get(a.uln) ?? [];
    list.push({
      id: `${a.aoUkprn}:${a.recordId}`,
      urn: a.urn,
      credit: a.credit,
      level: a.level,
      awardDate: a.awardDate,
      status: a.status === 'withdrawn' ? 'withdrawn' : a.underChallenge ? 'challenged' : 'active',
    });
    creditsOf.set(a.uln, list);
  }
  // The largest qualifications; each learner may take most of their units (not always every
  // mandatory one) and some unrelated ones.
  const size = (q: Qualification) => q.groups.reduce((s, g) => s + g.units.length, 0);
  const quals = [...catalogue.qualifications]
    .sort((a, b) => size(b) - size(a) || (a.qan < b.qan ? -1 : 1))
    .slice(0, 12);
  const rnd = prng(5);
  const counts = { runs: 0, reachable: 0, achieved: 0, mostNodes: 0, mostWork: 0, mostEvaluations: 0 };
  for (const learner of learners.slice(0, 20)) {
    const credits = creditsOf.get(learner.uln) ?? [];
    for (const q of quals) {
      const own = [...new Set(q.groups.flatMap((g) => g.units))];
      const available = [...own.filter(() => rnd() < 0.9), ...catalogue.units.slice(0, 50).map((u) => u.urn)];
      const res = optimiseRoute({
        qualification: q,
        units,
        credits,
        globalEquivalences: catalogue.equivalences,
        date: '2026-11-01',
        available,
      });
      counts.runs++;
      counts.mostNodes = Math.max(counts.mostNodes, res.stats.nodes);
      counts.mostWork = Math.max(counts.mostWork, res.stats.nodes + res.stats.evaluatorNodes);
      counts.mostEvaluations = Math.max(counts.mostEvaluations, res.stats.evaluations);
      if (!res.exhaustive) t.fail(`${q.qan} for ${learner.uln} not exhaustive: ${JSON.stringify(res.stats)}`);
      if (res.reachable) {
        counts.reachable++;
        if (res.alreadyAchieved) counts.achieved++;
        if (!res.evaluation.achieved) t.fail(`${q.qan} for ${learner.uln}: the route does not achieve it`);
      }
    }
  }
  t.comment(JSON.stringify(counts));
  t.ok(counts.mostNodes <= 10_000, `most search nodes in one call: ${counts.mostNodes}`);
  t.ok(counts.reachable >= counts.runs / 5, `reachable: ${counts.reachable} of ${counts.runs}`);
});

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
 * A big qualification: 8 groups (a mandatory one of 6 units, then 40 to 60 units each) with
 * credit minimums, some caps and unit bounds, `shared` units of each optional group also in
 * another, barred pairs, equivalences, a level rule in most cases, an exemption; a learner with
 * `held` credits; about 500 available units (every mandatory one, 90% of the rest).
 */
function bigCase(seed: number, shared: number, held: number): RouteInput {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const urn = (i: number) =>
    `${String.fromCharCode(65 + (i % 26))}/${String(100 + (i % 500)).padStart(3, '0')}/${String(i).padStart(4, '0')}`;
  const units: Unit[] = [];
  for (let i = 0; i < 600; i++) {
    units.push({
      urn: urn(i),
      title: `Unit ${i}`,
      level: pick<Level>(['1', '2', '2', '3', '3', '4']),
      credit: pick([1, 2, 3, 3, 4, 5, 6, 8, 10, 12]),
    });
  }
  const groups: RuleGroup[] = [];
  let next = 0;
  for (let g = 0; g < 8; g++) {
    const size = g === 0 ? 6 : 40 + Math.floor(rnd() * 21);
    const group: RuleGroup = {
      id: String.fromCharCode(65 + g),
      title: `Group ${g}`,
      mandatory: g === 0,
      units: units.slice(next, next + size).map((u) => u.urn),
    };
    next += size;
    if (g > 0) {
      group.minCredits = 4 + Math.floor(rnd() * 12);
      if (rnd() < 0.4) group.maxCredits = group.minCredits + 4 + Math.floor(rnd() * 10);
      if (rnd() < 0.3) group.minUnits = 1 + Math.floor(rnd() * 3);
      if (rnd() < 0.25) group.maxUnits = Math.max(group.minUnits ?? 1, 3 + Math.floor(rnd() * 3));
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
  const qualification: Qualification = {
    qan: '600/1234/5',
    title: 'Big Diploma',
    level: '3',
    aoUkprn: '10000001',
    operationalStart: '2010-01-01',
    totalCredits: 70 + Math.floor(rnd() * 50),
    minCreditsAtLevel: rnd() < 0.6 ? { level: '3', credits: 20 + Math.floor(rnd() * 25) } : undefined,
    groups,
    barred: Array.from({ length: 4 }, () => [pick(all), pick(all)]),
    equivalences: Array.from({ length: 3 }, () => ({ from: urn(550 + Math.floor(rnd() * 40)), to: pick(all) })),
    exemptions: [{ name: 'First aid', group: 'B', credits: 3 }],
    validityYears: 8,
  };
  const credits: LearnerCredit[] = [];
  const taken = new Set<string>();
  while (credits.length < held) {
    const u = rnd() < 0.85 ? pick(all) : urn(Math.floor(rnd() * 600));
    if (taken.has(u)) continue;
    taken.add(u);
    const unit = units.find((x) => x.urn === u)!;
    credits.push({
      id: `r${credits.length}`,
      urn: u,
      credit: unit.credit,
      level: unit.level,
      status: rnd() < 0.05 ? 'withdrawn' : 'active',
      awardDate: `20${12 + Math.floor(rnd() * 12)}-05-15`,
    });
  }
  const mandatory = new Set(groups[0].units);
  return {
    qualification,
    units: new Map(units.map((u) => [u.urn, u])),
    credits,
    exemptions: rnd() < 0.5 ? ['First aid'] : [],
    date: '2024-06-01',
    available: units.filter((u) => mandatory.has(u.urn) || rnd() < 0.9).map((u) => u.urn),
  };
}

t.test('8 groups of up to 60 units, up to 80 credits, ~500 available: exhaustive, bounded', async (t) => {
  const seen = { runs: 0, reachable: 0, mostNodes: 0, mostWork: 0, mostEvaluations: 0 };
  for (const [shared, held] of [
    [0, 0],
    [2, 20],
    [5, 40],
    [5, 80],
  ]) {
    for (let seed = 1; seed <= 8; seed++) {
      const input = bigCase(seed, shared, held);
      const res = optimiseRoute(input);
      seen.runs++;
      seen.mostNodes = Math.max(seen.mostNodes, res.stats.nodes);
      seen.mostWork = Math.max(seen.mostWork, res.stats.nodes + res.stats.evaluatorNodes);
      seen.mostEvaluations = Math.max(seen.mostEvaluations, res.stats.evaluations);
      t.ok(res.exhaustive, `shared ${shared}, held ${held}, seed ${seed}: exhaustive (${JSON.stringify(res.stats)})`);
      if (res.reachable) {
        seen.reachable++;
        t.ok(res.evaluation.achieved, 'the route achieves the qualification');
      }
    }
  }
  t.comment(JSON.stringify(seen));
  t.ok(seen.mostNodes <= 25_000, `most search nodes in one call: ${seen.mostNodes}`);
  t.ok(seen.reachable >= seen.runs / 2, `reachable: ${seen.reachable} of ${seen.runs}`);
});
