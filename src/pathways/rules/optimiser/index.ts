/**
 * Route optimiser (SPEC OCF 06, and section 8: "the optimal, least extra credit, set of
 * units"). Pure: data in, data out, no I/O.
 *
 * The question: which of the units the learner may still take complete a qualification for
 * the least extra credit? A route is a set S of available units such that evaluate()
 * (src/catalogue/rules/roc/) says "achieved" for the learner's credits plus one planned credit per
 * unit of S, awarded on the evaluation date. The optimal route has the least total credit,
 * then the fewest units, then the lexicographically smallest sorted list of URNs.
 * docs/route-optimiser.md says the same in plain English.
 *
 * Outline:
 *  1. Already achieved? Then the route is empty. Otherwise keep the usable available units
 *     (known to the catalogue, not already held, able to count here) and ask whether even all
 *     of them together would do: first a cheap bound (below) that can prove they would not,
 *     then evaluate() itself. If not, the qualification is out of reach and the evaluation
 *     with every unit says what stays unmet.
 *  2. Otherwise search exactly, with a depth-first walk that takes a unit before leaving it out.
 *     Phase 1 walks the units dearest first and finds the least credit, then the fewest units:
 *     each pass has a credit budget and cuts every partial route whose credit plus a lower bound
 *     on the credit still needed goes over it. The first budget is the bound at the root; while a
 *     pass finds nothing the budget grows to at least the least value that went over (iterative
 *     deepening). The pass that finds a route carries on as branch and bound, keeping only partial
 *     routes that could still be cheaper, or as cheap with fewer units (a second lower bound, on
 *     the units still needed). Phase 2 walks the units in URN order, where routes are met in
 *     lexicographic order, and stops at the first route with phase 1's credit and units.
 *  3. The bounds come from a relaxation of the rules, so they never overestimate. The undecided
 *     units at a point of a walk are the ones after it in the walk's order (less a few forced
 *     in), so their subset-sum tables are computed once, group by group, for every suffix.
 *  4. When the bound says a partial route may already be enough, evaluate() decides. Every route
 *     returned is one that evaluate() accepts, so the optimiser can never disagree with the
 *     evaluator about whether a route works.
 *
 * A node limit keeps the work bounded; when it is reached the answer says so
 * (`exhaustive: false`) and the best route known is returned, not claimed optimal.
 *
 * The parts: problem.ts (the rules indexed, the candidates, the suffix tables), state.ts (the
 * search state), subset-sums.ts and group-asks.ts (the arithmetic of the bounds), bounds.ts
 * (the credit bound), unit-bounds.ts (the unit bound), search.ts (the walk), planned.ts
 * (evaluate() with planned units), explanation.ts (the answers in words). This file puts them
 * together and is the module's public face.
 */
import type { Evaluation } from '../../../catalogue/rules/roc/index.js';
import type { Unit } from '../../../catalogue/model.js';
import { bound } from './bounds.js';
import { describe, explain } from './explanation.js';
import { PlannedEvaluator } from './planned.js';
import { buildProblem, heldUnits, indexRules, usableUnits, validityCutoff } from './problem.js';
import type { Problem } from './problem.js';
import { RouteSearch } from './search.js';
import { SearchState } from './state.js';
import { DEFAULT_ROUTE_MAX_NODES, EXPLAIN_NODES } from './types.js';
import type { RouteInput, RouteResult, Skipped } from './types.js';

export { DEFAULT_ROUTE_MAX_NODES } from './types.js';
export type { RouteInput, RouteResult, RouteStats, SkipReason, Skipped } from './types.js';
export { minSumAtLeast } from './subset-sums.js';

export function optimiseRoute(input: RouteInput): RouteResult {
  const { qualification: q, units: catalogue, date } = input;
  const maxNodes = input.maxNodes ?? DEFAULT_ROUTE_MAX_NODES;
  const evaluator = new PlannedEvaluator(input);
  const { stats } = evaluator;

  // ---- 1. achieved already? (evaluate() also checks the date) ----
  const held = evaluator.run([]);
  const skipped: Skipped[] = [];
  if (held.achieved) {
    return {
      reachable: true,
      alreadyAchieved: true,
      add: [],
      extraCredits: 0,
      extraUnits: 0,
      evaluation: held,
      groupsFilled: [],
      exhaustive: true,
      skipped,
      stats,
    };
  }

  const rules = indexRules(q, input.globalEquivalences);
  const cutoff = validityCutoff(q, date);
  const heldValid = heldUnits(input, rules, cutoff);
  const usable = usableUnits(input, rules, heldValid, cutoff, skipped);
  const obtainable = (v: string) =>
    [...heldValid.keys(), ...usable.map((u) => u.urn)].some((x) => rules.identities(x).includes(v));
  if (usable.length === 0) {
    return {
      reachable: false,
      reason: 'no-units-available',
      message: `no available unit can count towards ${q.qan}; still unmet: ${explain(held, obtainable, catalogue)}`,
      missing: held.unmet,
      evaluation: held,
      exhaustive: evaluator.proven,
      skipped,
      stats,
    };
  }

  // ---- 2. items: where each held unit and each candidate can go ----
  const problem = buildProblem(rules, heldValid, usable);
  const state = new SearchState(problem, input.exemptions);

  // ---- 3. can it be done at all? ----
  // The bound at the root, with every unit open, may prove cheaply that it cannot (where the
  // evaluator would search every allocation of every unit to say so). Either way the evaluator,
  // given every unit, says what stays unmet.
  const rootForced = state.propagate();
  const possible = bound(state, 0) < Infinity;
  state.unforce(rootForced);
  if (!possible) {
    const all = evaluator.run(usable, EXPLAIN_NODES);
    return {
      reachable: false,
      reason: 'rules-cannot-be-met',
      message: `${q.qan} cannot be achieved with the units available: ${describe(state.failure!, rules.groups, rules.placeGroup, rules.placeUnit, catalogue, q)}`,
      missing: all.unmet,
      evaluation: all,
      exhaustive: true,
      skipped,
      stats,
    };
  }
  const all = evaluator.run(usable);
  if (!all.achieved) {
    const limited = !all.exhaustive;
    return {
      reachable: false,
      reason: limited ? 'search-limit' : 'rules-cannot-be-met',
      message: limited
        ? `could not decide whether ${q.qan} can be achieved: the evaluator reached its node limit with every available unit`
        : `${q.qan} cannot be achieved with the units available: ${explain(all, obtainable, catalogue)}`,
      missing: all.unmet,
      evaluation: all,
      exhaustive: evaluator.proven,
      skipped,
      stats,
    };
  }

  // ---- 4. the search ----
  const search = new RouteSearch(state, evaluator, maxNodes);
  const outcome = search.run();
  const add = outcome.route.map((j) => problem.cands[j].unit);
  const key = outcome.route.join(',');
  const evaluation = search.achievedCache.get(key)?.achieved ? search.achievedCache.get(key)! : evaluator.run(add);
  return {
    reachable: true,
    alreadyAchieved: false,
    add,
    extraCredits: add.reduce((s, u) => s + u.credit, 0),
    extraUnits: add.length,
    evaluation,
    groupsFilled: groupsFilled(problem, evaluation, add, evaluator),
    exhaustive: evaluator.proven && !outcome.aborted && outcome.lexFirst,
    skipped,
    stats,
  };
}

/** For each group (in the qualification's order) that planned units are allocated to, their URNs. */
function groupsFilled(
  problem: Problem,
  evaluation: Evaluation,
  add: Unit[],
  evaluator: PlannedEvaluator,
): { group: string; units: string[] }[] {
  const planned = new Set(add.map((u) => evaluator.idFor(u.urn)));
  return problem.groups.flatMap((g) => {
    const here = evaluation.allocation
      .filter((a) => a.group === g.id && planned.has(a.creditId))
      .map((a) => a.urn)
      .sort();
    return here.length > 0 ? [{ group: g.id, units: here }] : [];
  });
}
