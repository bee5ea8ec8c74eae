/** The optimiser's public types, its constants, and the items its search reasons about. */
import type { Evaluation, EvaluationInput, UnmetReason } from '../../../catalogue/rules/roc/index.js';
import type { Unit } from '../../../catalogue/model.js';

/** Work allowed (search nodes plus evaluator nodes) before the optimiser stops and says so. */
export const DEFAULT_ROUTE_MAX_NODES = 200_000;

/** What the evaluator takes (credits may be empty: no learner, or none yet), with the units the learner may add. */
export interface RouteInput extends Omit<EvaluationInput, 'date' | 'maxNodes'> {
  /**
   * Evaluation date, ISO YYYY-MM-DD. The learner's credits are judged on this date, and each
   * planned unit is treated as awarded (active) on it.
   */
  date: string;
  /** URNs the learner may still take, after availability and funding filters. */
  available: string[];
  /** Bound on search nodes plus evaluator nodes; DEFAULT_ROUTE_MAX_NODES when absent. */
  maxNodes?: number;
}

export type SkipReason = 'not-in-catalogue' | 'bad-credit' | 'already-held' | 'not-in-qualification' | 'would-expire';

/** An available URN the optimiser did not consider, and why. */
export interface Skipped {
  urn: string;
  reason: SkipReason;
}

/** How much work the answer took. */
export interface RouteStats {
  /** Search nodes visited. */
  nodes: number;
  /** Calls to evaluate(). */
  evaluations: number;
  /** Search nodes visited inside those calls. */
  evaluatorNodes: number;
  /** Passes of the search (credit budgets tried). */
  passes: number;
}

export type RouteResult =
  | {
      reachable: true;
      alreadyAchieved: boolean;
      /** Units to take, sorted by URN. */
      add: Unit[];
      extraCredits: number;
      extraUnits: number;
      /** evaluate() of the learner's credits plus a planned credit for each unit of `add`. */
      evaluation: Evaluation;
      /** For each group (in the qualification's order) that planned units are allocated to, their URNs. */
      groupsFilled: { group: string; units: string[] }[];
      /** True when the route is proven optimal; false when the node bound cut the search short. */
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    }
  | {
      reachable: false;
      reason: 'no-units-available' | 'rules-cannot-be-met' | 'search-limit';
      message: string;
      /** What stays unmet even with every usable available unit (the evaluator's best allocation). */
      missing: UnmetReason[];
      /** evaluate() of the learner's credits plus every usable available unit. */
      evaluation: Evaluation;
      /** True when "not reachable" is proven; false when a node bound left it undecided. */
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    };

/** How far above a group's least credit the tables of unit counts look. */
export const SLACK = 64;
/** Most credits of waste for which the unit bound tracks credit and waste exactly. */
export const EXACT_WASTE = 8;
/** Most ways of placing the flexible items that the bound tries one by one. */
export const MAX_WAYS = 64;
/** Evaluator nodes allowed for an evaluation that only explains an answer already proven. */
export const EXPLAIN_NODES = 2_000;
/** Most units the fallback (node bound hit before any route was found) tries to drop. */
export const FALLBACK_DROPS = 64;

/** A unit the learner could still take, with what it can do for this qualification. */
export interface Candidate {
  unit: Unit;
  value: number;
  /** At or above the level of the level rule. */
  high: boolean;
  /** Groups it can be placed in (distinct). */
  groups: number[];
  /** Mandatory places it can fill (distinct). */
  places: number[];
  /** The interchangeable candidate before it in URN order, or -1. */
  twinPrev: number;
}

/** An item that might count in any of several groups (a held or chosen unit, or an exemption). */
export interface FlexItem {
  /** Held item index; -1 for an exemption; -2 - j for candidate j; -2 - n - b for barred set b. */
  key: number;
  value: number;
  high: boolean;
  groups: number[];
  credits: number[];
}

/** Why the bound proved that no completion can work (reported at the root only). */
export type Failure =
  | { kind: 'place' | 'place-twice'; place: number }
  | { kind: 'group'; group: number }
  | { kind: 'total' | 'level'; most: number }
  | { kind: 'together' };
