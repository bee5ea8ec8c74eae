/**
 * Rules of Combination evaluator (SPEC section 3.1). Pure: data in, data out, no I/O.
 *
 * The question "has this learner achieved this qualification on this date?" is a search:
 * the learner has achieved it when SOME allocation of their valid credits to the
 * qualification's rule groups meets every rule. A greedy allocation in a fixed order is
 * not enough (a unit listed in two groups, or in a barred set, can be put in the wrong
 * place), so this module runs an exact, deterministic branch-and-bound search.
 *
 * Outline:
 *  1. Sort the learner's credits into valid candidates and excluded ones (withdrawn,
 *     after the date, expired, not in the qualification, a duplicate of a better credit).
 *  2. Turn every candidate credit, and every exemption the learner holds, into an "item"
 *     with its possible "options" (group, unit it counts as).
 *  3. Fix without branching every item that has one option and competes with nothing
 *     (placing it can only help). Break symmetry between interchangeable items, and
 *     between single-group items of a group whose unit maximum binds (only the biggest
 *     credits of each level class are worth trying).
 *  4. Branch over the rest, depth first, pruning with sound bounds (a max-flow relaxation
 *     for credits, per-rule feasibility for the rest) and skipping "leave it out" where
 *     placing the item can only help. Keep the best allocation found (fewest unmet rules,
 *     then most counted credits); stop at the first that meets every rule.
 *
 * docs/roc-semantics.md states the semantics in plain English.
 *
 * The parts: items.ts (steps 1 and 2), search.ts (steps 3 and 4, the search state in one
 * object), transport.ts (the max-flow bound), answer.ts (the allocation, progress and unmet
 * rules in words), types.ts. This file puts them together and is the module's public face.
 */
import { allocate, explainExclusions, unmetRules } from './answer.js';
import { candidatesOf, competition, excluder, indexRules, itemsOf } from './items.js';
import type { OrderedExclusion } from './items.js';
import { AllocationSearch } from './search.js';
import { DEFAULT_MAX_NODES } from './types.js';
import type { Evaluation, EvaluationInput } from './types.js';

export { DEFAULT_MAX_NODES } from './types.js';
export type {
  AllocationEntry,
  Evaluation,
  EvaluationInput,
  Exclusion,
  ExclusionReason,
  ExemptionUse,
  GroupProgress,
  UnmetReason,
  UnmetRule,
} from './types.js';
export { transport } from './transport.js';
export type { Offer } from './transport.js';

const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * The same month and day, `years` earlier, as a string that compares correctly with ISO
 * dates. It may name a day that does not exist (29 February of a common year); string
 * comparison still orders it correctly between the 28th and 1 March.
 */
export function yearsBefore(date: string, years: number): string {
  return String(Number(date.slice(0, 4)) - years).padStart(4, '0') + date.slice(4);
}

export function evaluate(input: EvaluationInput): Evaluation {
  const { qualification: q, date } = input;
  if (!ISO_DATE.test(date)) throw new RangeError(`evaluation date must be YYYY-MM-DD, got "${date}"`);
  const maxNodes = input.maxNodes ?? DEFAULT_MAX_NODES;
  const rules = indexRules(input);

  // ---- 1. valid candidates and exclusions ----
  const excluded: OrderedExclusion[] = [];
  const exclude = excluder(excluded);
  const cutoff = q.validityYears === undefined ? null : yearsBefore(date, q.validityYears);
  const candidates = candidatesOf(input, rules, cutoff, exclude);

  // ---- 2. items and options ----
  const items = itemsOf(input, rules, candidates);
  const comp = competition(input, rules, items);

  // ---- 3 and 4. fix what needs no branching, order the rest; branch and bound ----
  const outcome = new AllocationSearch(q, rules, items, comp, maxNodes).run();

  // ---- the answer ----
  const allocated = allocate(input, rules, items, candidates, outcome.choice, comp.barredSets.length);
  explainExclusions(items, candidates, outcome.choice, allocated, exclude);
  const unmet = unmetRules(q, rules, input.units, allocated);
  const { allocation, exemptionsUsed, groupsOut, totalCredits, levelCounted } = allocated;
  const { levelRule } = rules;
  allocation.sort((a, b) => a.order - b.order);
  excluded.sort((a, b) => a.order - b.order);
  return {
    achieved: unmet.length === 0,
    allocation: allocation.map(({ order: _order, ...entry }) => entry),
    exemptionsUsed,
    groups: groupsOut,
    totalCredits,
    totalRequired: q.totalCredits,
    ...(levelRule && {
      creditsAtLevel: { level: levelRule.level, counted: levelCounted, required: levelRule.credits },
    }),
    excluded: excluded.map(({ order: _order, ...e }) => e),
    unmet,
    exhaustive: !outcome.aborted,
    nodes: outcome.nodes,
  };
}
