/**
 * Routes across many qualifications (SPEC OCF 06 and section 8). Pure: data in, data out.
 *
 * Given the learner's credits (real, planned, or both) and, for each candidate
 * qualification, its rules and the units the filters allow, this:
 *  - runs the route optimiser on every candidate;
 *  - ranks the reachable ones by extra credits, then extra units, then QAN;
 *  - lists the unreachable ones apart, each with the optimiser's reason;
 *  - looks for combined routes: one set of units that completes two qualifications
 *    together, where sharing units costs less than taking both routes separately.
 *
 * docs/routes-to-achievement.md says the same in plain words.
 */
import { evaluate } from '../../catalogue/rules/roc/index.js';
import type { UnmetReason } from '../../catalogue/rules/roc/index.js';
import type { Equivalence, LearnerCredit, Qualification, Unit } from '../../catalogue/model.js';
import { optimiseRoute, type RouteResult } from './optimiser/index.js';

export interface RouteCandidate {
  qualification: Qualification;
  /** Catalogue units the rules name (and units that count as them). */
  units: ReadonlyMap<string, Unit>;
  globalEquivalences: Equivalence[];
  /** URNs the learner may take for this qualification, after the availability filter. */
  available: string[];
}

export interface RankInput {
  candidates: RouteCandidate[];
  credits: LearnerCredit[];
  exemptions?: string[];
  /** Evaluation date, YYYY-MM-DD. */
  date: string;
  /** Combined routes are looked for among the first `combineTop` reachable routes (default 10). */
  combineTop?: number;
  /** Node bound handed to each optimiser run. */
  maxNodes?: number;
}

export interface RankedRoute {
  qan: string;
  title: string;
  level: Qualification['level'];
  totalCredits: number;
  /** The learner's credits already meet the rules. */
  alreadyAchieved: boolean;
  extraCredits: number;
  extraUnits: number;
  /** Units to take, by URN. */
  unitsToTake: Unit[];
  /** Groups the units to take are counted in. */
  groupsFilled: { group: string; units: string[] }[];
  /** False when the optimiser's node bound cut the search: a route, but perhaps not the cheapest. */
  optimal: boolean;
}

export interface UnreachableRoute {
  qan: string;
  title: string;
  level: Qualification['level'];
  reason: 'no-units-available' | 'rules-cannot-be-met' | 'search-limit';
  message: string;
  missing: UnmetReason[];
}

export interface CombinedRoute {
  /** The two qualifications, in ranking order. */
  qans: [string, string];
  /** One set of units that, added to the credits, completes both. */
  unitsToTake: Unit[];
  extraCredits: number;
  extraUnits: number;
  /** What taking the two routes one after the other would cost. */
  separateCredits: number;
  /** separateCredits - extraCredits: what sharing saves. */
  saving: number;
  /** Units of the set that count in both qualifications. */
  shared: string[];
}

export interface RankResult {
  routes: RankedRoute[];
  unreachable: UnreachableRoute[];
  combined: CombinedRoute[];
}

const byUrn = (a: Unit, b: Unit) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
const byQan = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Planned units as credits awarded on the date, with ids no real credit uses. */
export function plannedCredits(units: readonly Unit[], date: string, prefix = 'planned'): LearnerCredit[] {
  return units.map((u) => ({
    id: `${prefix}:${u.urn}`,
    urn: u.urn,
    credit: u.credit,
    level: u.level,
    awardDate: date,
    status: 'active',
  }));
}

/** Ranking order: fewest extra credits, then fewest units, then QAN. */
export function compareRoutes(a: RankedRoute, b: RankedRoute): number {
  return a.extraCredits - b.extraCredits || a.extraUnits - b.extraUnits || byQan(a.qan, b.qan);
}

function ranked(c: RouteCandidate, r: Extract<RouteResult, { reachable: true }>): RankedRoute {
  const q = c.qualification;
  return {
    qan: q.qan,
    title: q.title,
    level: q.level,
    totalCredits: q.totalCredits,
    alreadyAchieved: r.alreadyAchieved,
    extraCredits: r.extraCredits,
    extraUnits: r.extraUnits,
    unitsToTake: [...r.add].sort(byUrn),
    groupsFilled: r.groupsFilled,
    optimal: r.exhaustive,
  };
}

/** Does the set of units, added to the credits, complete the qualification? */
function completes(
  c: RouteCandidate,
  credits: LearnerCredit[],
  add: readonly Unit[],
  date: string,
  exemptions?: string[],
): boolean {
  return evaluate({
    qualification: c.qualification,
    units: c.units,
    credits: [...credits, ...plannedCredits(add, date, 'combined')],
    exemptions,
    globalEquivalences: c.globalEquivalences,
    date,
  }).achieved;
}

/**
 * The cheapest set of units found that completes both a and b: the better of taking a's
 * route and then the cheapest completion of b on top of it, the same the other way round,
 * and the plain union of the two routes. Each is checked with the evaluator.
 */
export function combinePair(
  a: { candidate: RouteCandidate; route: RankedRoute; counting?: () => Set<string> },
  b: { candidate: RouteCandidate; route: RankedRoute; counting?: () => Set<string> },
  credits: LearnerCredit[],
  date: string,
  exemptions?: string[],
  maxNodes?: number,
): CombinedRoute | null {
  const options: Unit[][] = [];
  const union = new Map<string, Unit>();
  for (const u of [...a.route.unitsToTake, ...b.route.unitsToTake]) union.set(u.urn, u);
  options.push([...union.values()]);
  const countA = a.counting?.() ?? countingUnits(a.candidate);
  const countB = b.counting?.() ?? countingUnits(b.candidate);
  for (const [first, second, countSecond] of [
    [a, b, countB],
    [b, a, countA],
  ] as const) {
    // When no unit of the first route counts in the second, the second's cheapest completion on
    // top of it is its own route again: nothing to gain, and an optimiser run saved.
    if (!first.route.unitsToTake.some((u) => countSecond.has(u.urn))) {
      options.push([...first.route.unitsToTake, ...second.route.unitsToTake]);
      continue;
    }
    const after = optimiseRoute({
      qualification: second.candidate.qualification,
      units: second.candidate.units,
      credits: [...credits, ...plannedCredits(first.route.unitsToTake, date, 'first')],
      exemptions,
      globalEquivalences: second.candidate.globalEquivalences,
      date,
      available: second.candidate.available,
      maxNodes,
    });
    if (after.reachable) options.push([...first.route.unitsToTake, ...after.add]);
  }
  let best: Unit[] | null = null;
  let bestCost = Infinity;
  for (const units of options) {
    const set = [...new Map(units.map((u) => [u.urn, u])).values()].sort(byUrn);
    const cost = set.reduce((s, u) => s + u.credit, 0);
    if (cost > bestCost || (cost === bestCost && best !== null && set.length >= best.length)) continue;
    if (
      !completes(a.candidate, credits, set, date, exemptions) ||
      !completes(b.candidate, credits, set, date, exemptions)
    )
      continue;
    best = set;
    bestCost = cost;
  }
  if (best === null) return null;
  const separateCredits = a.route.extraCredits + b.route.extraCredits;
  const inA = new Set(a.candidate.qualification.groups.flatMap((g) => g.units));
  const inB = new Set(b.candidate.qualification.groups.flatMap((g) => g.units));
  return {
    qans: [a.route.qan, b.route.qan],
    unitsToTake: best,
    extraCredits: bestCost,
    extraUnits: best.length,
    separateCredits,
    saving: separateCredits - bestCost,
    shared: best.filter((u) => inA.has(u.urn) && inB.has(u.urn)).map((u) => u.urn),
  };
}

/** Combined routes before separate routes: most saved first, then cheapest, then QANs. */
export function compareCombined(a: CombinedRoute, b: CombinedRoute): number {
  return b.saving - a.saving || a.extraCredits - b.extraCredits || byQan(a.qans.join(), b.qans.join());
}

/**
 * Units that can count in the qualification: the units of its groups and every unit with a
 * chain of equivalences (its own or global) leading into one of them.
 */
export function countingUnits(c: Pick<RouteCandidate, 'qualification' | 'globalEquivalences'>): Set<string> {
  const into = new Map<string, string[]>();
  for (const e of [...c.qualification.equivalences, ...c.globalEquivalences])
    into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  const out = new Set(c.qualification.groups.flatMap((g) => g.units));
  const todo = [...out];
  while (todo.length > 0) {
    for (const from of into.get(todo.pop()!) ?? []) {
      if (!out.has(from)) {
        out.add(from);
        todo.push(from);
      }
    }
  }
  return out;
}

/**
 * Can a set of units complete a and b for less than their two routes apart? Only when some
 * unit they may use counts in both: otherwise the units of any set that count in a already
 * complete a (and cost at least a's optimal route), those that count in b likewise, and the
 * two parts do not overlap. Optimal routes only: an unproven route may be beaten alone.
 */
function mayShare(a: Ranked, b: Ranked): boolean {
  if (!a.route.optimal || !b.route.optimal) return true;
  for (const urn of [...a.candidate.available, ...b.candidate.available])
    if (a.counting().has(urn) && b.counting().has(urn)) return true;
  return false;
}

interface Ranked {
  candidate: RouteCandidate;
  route: RankedRoute;
  counting: () => Set<string>;
}

/**
 * Ranks candidates as they come (see rankRoutes), so that a caller holding candidates in
 * order of a lower bound on their extra credits can stop reading and optimising as soon as
 * `settled` says that no later one can enter the first `limit` routes.
 */
export class RouteRanker {
  private readonly reachable: Ranked[] = [];
  private readonly unreachable: UnreachableRoute[] = [];
  private readonly seen = new Set<string>();
  /** Extra credits of the reachable routes so far, cheapest first. */
  private readonly costs: number[] = [];

  constructor(private readonly input: Omit<RankInput, 'candidates'>) {}

  /** Candidates run through the optimiser so far. */
  get examined(): number {
    return this.seen.size;
  }

  add(c: RouteCandidate): void {
    const { credits, date, exemptions, maxNodes } = this.input;
    if (this.seen.has(c.qualification.qan)) return;
    this.seen.add(c.qualification.qan);
    const r = optimiseRoute({
      qualification: c.qualification,
      units: c.units,
      credits,
      exemptions,
      globalEquivalences: c.globalEquivalences,
      date,
      available: c.available,
      maxNodes,
    });
    if (r.reachable) {
      let counting: Set<string> | null = null;
      this.reachable.push({ candidate: c, route: ranked(c, r), counting: () => (counting ??= countingUnits(c)) });
      let at = this.costs.length;
      while (at > 0 && this.costs[at - 1] > r.extraCredits) at--;
      this.costs.splice(at, 0, r.extraCredits);
    } else {
      const q = c.qualification;
      this.unreachable.push({
        qan: q.qan,
        title: q.title,
        level: q.level,
        reason: r.reason,
        message: r.message,
        missing: r.missing,
      });
    }
  }

  /**
   * True when `limit` routes are known and a candidate needing at least `lowerBound` extra
   * credits cannot be among the first `limit`: it would cost more than the limit-th route.
   * (At equal cost it could still win on units or QAN, so it is examined.)
   */
  settled(limit: number, lowerBound: number): boolean {
    return this.costs.length >= limit && lowerBound > this.costs[limit - 1];
  }

  /** The reachable routes ranked, and the unreachable candidates by QAN. */
  ranked(): Omit<RankResult, 'combined'> {
    this.reachable.sort((a, b) => compareRoutes(a.route, b.route));
    return {
      routes: this.reachable.map((x) => x.route),
      unreachable: [...this.unreachable].sort((a, b) => byQan(a.qan, b.qan)),
    };
  }

  /** Combined routes among the first `combineTop` reachable routes that still need something. */
  combined(combineTop = 10): CombinedRoute[] {
    const { credits, date, exemptions, maxNodes } = this.input;
    this.reachable.sort((a, b) => compareRoutes(a.route, b.route));
    // An achieved qualification adds nothing to a pair.
    const top = this.reachable.filter((x) => !x.route.alreadyAchieved).slice(0, combineTop);
    const combined: CombinedRoute[] = [];
    for (let i = 0; i < top.length; i++) {
      for (let j = i + 1; j < top.length; j++) {
        if (!mayShare(top[i], top[j])) continue;
        const pair = combinePair(top[i], top[j], credits, date, exemptions, maxNodes);
        if (pair && pair.saving > 0) combined.push(pair);
      }
    }
    return combined.sort(compareCombined);
  }

  finish(combineTop = 10): RankResult {
    return { ...this.ranked(), combined: this.combined(combineTop) };
  }
}

/** Every candidate through the optimiser, ranked, with combined routes among the best. */
export function rankRoutes(input: RankInput): RankResult {
  const ranker = new RouteRanker(input);
  for (const c of input.candidates) ranker.add(c);
  return ranker.finish(input.combineTop ?? 10);
}
