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
import { evaluate } from '../catalogue/roc.js';
import type { UnmetReason } from '../catalogue/roc.js';
import type { Equivalence, LearnerCredit, Qualification, Unit } from '../catalogue/model.js';
import { optimiseRoute, type RouteResult } from './optimiser.js';

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
  return units.map((u) => ({ id: `${prefix}:${u.urn}`, urn: u.urn, credit: u.credit, level: u.level, awardDate: date, status: 'active' }));
}

/** Ranking order: fewest extra credits, then fewest units, then QAN. */
export function compareRoutes(a: RankedRoute, b: RankedRoute): number {
  return a.extraCredits - b.extraCredits || a.extraUnits - b.extraUnits || byQan(a.qan, b.qan);
}

function ranked(c: RouteCandidate, r: Extract<RouteResult, { reachable: true }>): RankedRoute {
  const q = c.qualification;
  return {
    qan: q.qan, title: q.title, level: q.level, totalCredits: q.totalCredits,
    alreadyAchieved: r.alreadyAchieved, extraCredits: r.extraCredits, extraUnits: r.extraUnits,
    unitsToTake: [...r.add].sort(byUrn), groupsFilled: r.groupsFilled, optimal: r.exhaustive,
  };
}

/** Does the set of units, added to the credits, complete the qualification? */
function completes(c: RouteCandidate, credits: LearnerCredit[], add: readonly Unit[], date: string, exemptions?: string[]): boolean {
  return evaluate({
    qualification: c.qualification, units: c.units, credits: [...credits, ...plannedCredits(add, date, 'combined')],
    exemptions, globalEquivalences: c.globalEquivalences, date,
  }).achieved;
}

/**
 * The cheapest set of units found that completes both a and b: the better of taking a's
 * route and then the cheapest completion of b on top of it, the same the other way round,
 * and the plain union of the two routes. Each is checked with the evaluator.
 */
export function combinePair(
  a: { candidate: RouteCandidate; route: RankedRoute },
  b: { candidate: RouteCandidate; route: RankedRoute },
  credits: LearnerCredit[],
  date: string,
  exemptions?: string[],
  maxNodes?: number,
): CombinedRoute | null {
  const options: Unit[][] = [];
  const union = new Map<string, Unit>();
  for (const u of [...a.route.unitsToTake, ...b.route.unitsToTake]) union.set(u.urn, u);
  options.push([...union.values()]);
  for (const [first, second] of [[a, b], [b, a]] as const) {
    const after = optimiseRoute({
      qualification: second.candidate.qualification, units: second.candidate.units,
      credits: [...credits, ...plannedCredits(first.route.unitsToTake, date, 'first')],
      exemptions, globalEquivalences: second.candidate.globalEquivalences, date,
      available: second.candidate.available, maxNodes,
    });
    if (after.reachable) options.push([...first.route.unitsToTake, ...after.add]);
  }
  let best: Unit[] | null = null;
  let bestCost = Infinity;
  for (const units of options) {
    const set = [...new Map(units.map((u) => [u.urn, u])).values()].sort(byUrn);
    const cost = set.reduce((s, u) => s + u.credit, 0);
    if (cost > bestCost || (cost === bestCost && best !== null && set.length >= best.length)) continue;
    if (!completes(a.candidate, credits, set, date, exemptions) || !completes(b.candidate, credits, set, date, exemptions)) continue;
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

export function rankRoutes(input: RankInput): RankResult {
  const { credits, date, exemptions, maxNodes } = input;
  const reachable: { candidate: RouteCandidate; route: RankedRoute }[] = [];
  const unreachable: UnreachableRoute[] = [];
  const seen = new Set<string>();
  for (const c of input.candidates) {
    if (seen.has(c.qualification.qan)) continue;
    seen.add(c.qualification.qan);
    const r = optimiseRoute({
      qualification: c.qualification, units: c.units, credits, exemptions,
      globalEquivalences: c.globalEquivalences, date, available: c.available, maxNodes,
    });
    if (r.reachable) {
      reachable.push({ candidate: c, route: ranked(c, r) });
    } else {
      const q = c.qualification;
      unreachable.push({ qan: q.qan, title: q.title, level: q.level, reason: r.reason, message: r.message, missing: r.missing });
    }
  }
  reachable.sort((a, b) => compareRoutes(a.route, b.route));
  unreachable.sort((a, b) => byQan(a.qan, b.qan));

  // Pairs among the best routes that still need something: an achieved qualification adds nothing to a pair.
  const top = reachable.filter((x) => !x.route.alreadyAchieved).slice(0, input.combineTop ?? 10);
  const combined: CombinedRoute[] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const pair = combinePair(top[i], top[j], credits, date, exemptions, maxNodes);
      if (pair && pair.saving > 0) combined.push(pair);
    }
  }
  combined.sort(compareCombined);
  return { routes: reachable.map((x) => x.route), unreachable, combined };
}
