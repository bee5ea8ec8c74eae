/**
 * The exact search: a depth-first walk that takes a unit before leaving it out. Phase 1 walks
 * the units dearest first and finds the least credit, then the fewest units, by iterative
 * deepening on a credit budget and then branch and bound; phase 2 walks them in URN order and
 * stops at the first route with phase 1's credit and units (the lexicographically smallest
 * optimal route). The bounds (bounds.ts, unit-bounds.ts) cut; evaluate() decides.
 */
import type { Evaluation } from '../../../catalogue/rules/roc/index.js';
import { bound } from './bounds.js';
import type { PlannedEvaluator } from './planned.js';
import type { SearchState } from './state.js';
import { FALLBACK_DROPS } from './types.js';
import { units } from './unit-bounds.js';

interface Found {
  cost: number;
  count: number;
}

/** What the search found: the route (candidate indexes in URN order) and whether it is proven. */
export interface SearchOutcome {
  route: number[];
  /** Phase 2 finished: the route is the optimum, ties broken. */
  lexFirst: boolean;
  /** The node bound stopped the search. */
  aborted: boolean;
}

export class RouteSearch {
  /** Evaluations of routes, by their units in URN order: the route returned reuses its own. */
  readonly achievedCache = new Map<string, Evaluation>();
  private best: (Found & { route: number[] }) | null = null;
  /** Phase 2: the optimum to match. */
  private target: Found | null = null;
  private lexFirst: number[] | null = null;
  private budget = 0;
  private nextBudget = Infinity;
  private aborted = false;

  constructor(
    private readonly s: SearchState,
    private readonly evaluator: PlannedEvaluator,
    private readonly maxNodes: number,
  ) {}

  private achieves(route: number[]): boolean {
    const sorted = [...route].sort((x, y) => x - y);
    const key = sorted.join(',');
    let ev = this.achievedCache.get(key);
    if (ev === undefined) {
      ev = this.evaluator.run(sorted.map((j) => this.s.p.cands[j].unit));
      this.achievedCache.set(key, ev);
    }
    return ev.achieved;
  }

  /**
   * Whether to cut the node: its credit bound `lb` (plus the credit so far), and, on a tie in
   * credit, the unit bound, say it cannot beat (or, in phase 2, match) what is known.
   */
  private cut(lb: number, oneUnit: boolean): boolean {
    const { cost, count } = this.s;
    const { target, best } = this;
    const f = cost + lb;
    if (target)
      return (
        f > target.cost || count + this.unitsLb(target.cost - cost, target.count - count + 1, oneUnit) > target.count
      );
    if (best === null) {
      if (f <= this.budget) return false;
      this.nextBudget = Math.min(this.nextBudget, f);
      return true;
    }
    return (
      f > best.cost ||
      (f === best.cost && count + this.unitsLb(best.cost - cost, best.count - count, oneUnit) >= best.count)
    );
  }

  /** The unit bound for a completion costing at most r (1 once the evaluator said one more is needed). */
  private unitsLb(r: number, limit: number, oneUnit: boolean): number {
    return oneUnit ? 1 : units(this.s, r, limit);
  }

  /**
   * The walk, from position `from` of the current order. Phase 1 (no target): iterative
   * deepening on credit, then branch and bound on (credit, units). Phase 2 (target): the first
   * route in URN order with the target's credit and units.
   */
  private dfs(from: number): void {
    const s = this.s;
    const { stats } = this.evaluator;
    stats.nodes++;
    if (stats.nodes + stats.evaluatorNodes > this.maxNodes) {
      this.aborted = true;
      return;
    }
    const { n, cands } = s.p;
    const order = s.tab.order;
    const forced = s.propagate();
    const limit = this.target ? this.target.cost : this.best ? this.best.cost : this.budget;
    let lb = bound(s, from, limit - s.cost);
    let done = this.cut(lb, false);
    if (!done && lb === 0) {
      // The relaxation cannot tell: ask the evaluator.
      const route = s.route();
      if (this.achieves(route)) {
        if (this.target) this.lexFirst = route;
        else this.best = { cost: s.cost, count: s.count, route };
        done = true;
      } else {
        // At least one more unit is needed.
        lb = Infinity;
        for (let p = from; p < n; p++) if (s.status[order[p]] === 0) lb = Math.min(lb, cands[order[p]].value);
        done = this.cut(lb, true);
      }
    }
    for (let p = from; !done && p < n; p++) {
      const j = order[p];
      if (s.status[j] !== 0) continue;
      const twin = cands[j].twinPrev;
      if (twin < 0 || s.status[twin] === 1) {
        s.status[j] = 1;
        s.apply(j, 1);
        this.dfs(p + 1);
        s.apply(j, -1);
      }
      if (!this.aborted && !this.lexFirst) {
        s.status[j] = 2;
        this.dfs(p + 1);
      }
      s.status[j] = 0;
      break;
    }
    s.unforce(forced);
  }

  /**
   * Phase 1, dearest units first, finds the least credit and then the fewest units. Budgets:
   * the first pass (budget 0) stops at the root and so measures the root bound, which is the
   * next budget. While no route fits, the next budget is at least the least value that went
   * over, and widens the gap above the root bound 1, 3, 7, 15... so that a weak bound costs
   * few passes. The pass that finds a route finishes as branch and bound: routes as cheap must
   * have fewer units.
   */
  private cheapest(): void {
    const { stats } = this.evaluator;
    let rootBound = -1;
    while (!this.best && !this.aborted && this.budget < Infinity) {
      stats.passes++;
      this.nextBudget = Infinity;
      this.dfs(0);
      if (rootBound < 0) rootBound = this.budget = this.nextBudget;
      else this.budget = Math.max(this.nextBudget, rootBound + 2 * (this.budget - rootBound) + 1);
    }
  }

  /**
   * Phase 2, in URN order, finds the first route with that credit and that many units: the
   * lexicographically smallest of the optimal routes. (Phase 1's route is one of them, so
   * there is one to find; if the node bound stops phase 2, phase 1's route stands, unproven as
   * to ties.)
   */
  private firstInUrnOrder(): void {
    if (!this.best || this.aborted) return;
    this.evaluator.stats.passes++;
    this.target = { cost: this.best.cost, count: this.best.count };
    this.s.tab = this.s.p.byUrn;
    this.dfs(0);
  }

  /**
   * The node bound stopped the search before any route was found: start from every unit and
   * drop, dearest first, the ones the evaluator can do without (a few tries only).
   */
  private fallback(): number[] {
    const { cands, allDesc } = this.s.p;
    let route = cands.map((_, j) => j);
    for (const j of allDesc.slice(0, FALLBACK_DROPS)) {
      const without = route.filter((x) => x !== j);
      if (this.evaluator.run(without.map((x) => cands[x].unit)).achieved) route = without;
    }
    return route;
  }

  run(): SearchOutcome {
    this.cheapest();
    this.firstInUrnOrder();
    let route: number[];
    if (this.lexFirst) route = this.lexFirst;
    else if (this.best) route = [...this.best.route].sort((x, y) => x - y);
    else route = this.fallback();
    return { route, lexFirst: this.lexFirst !== null, aborted: this.aborted };
  }
}
