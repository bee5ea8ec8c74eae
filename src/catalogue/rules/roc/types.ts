/** The evaluator's public types, and the items and options its search reasons about. */
import type { Equivalence, LearnerCredit, Level, Qualification, Unit } from '../../model.js';

/** Search nodes allowed before the evaluator gives up and says so (`exhaustive: false`). */
export const DEFAULT_MAX_NODES = 100_000;

export interface EvaluationInput {
  qualification: Qualification;
  /** Catalogue units by URN: value, level and title of units. */
  units: ReadonlyMap<string, Unit>;
  /** The learner's credits. */
  credits: LearnerCredit[];
  /** Names of outside-QCF achievements the learner holds. */
  exemptions?: string[];
  /** Equivalences that hold everywhere (merged with qualification.equivalences). */
  globalEquivalences?: Equivalence[];
  /** Evaluation date, ISO YYYY-MM-DD. */
  date: string;
  /** Safety bound on search nodes; DEFAULT_MAX_NODES when absent. */
  maxNodes?: number;
}

export type ExclusionReason =
  'withdrawn' | 'after-date' | 'expired' | 'not-in-qualification' | 'duplicate-unit' | 'barred' | 'unused';

export type UnmetRule = 'mandatory' | 'group-min-credits' | 'group-min-units' | 'total-credits' | 'level-credits';

export interface AllocationEntry {
  creditId: string;
  /** The unit the learner was credited with. */
  urn: string;
  /** The qualification unit it stands for: differs from `urn` when via an equivalence. */
  countsAs: string;
  /** Id of the group it is allocated to. */
  group: string;
  /** Credit value of the unit. */
  credits: number;
  /** Credits that count in the group; below `credits` when the group's maximum caps it. */
  counted: number;
  /** Level of the unit. */
  level: Level;
  /** False only when the group's maximum number of units leaves this unit out. */
  unitCounted: boolean;
  /** The credit is under data challenge: it counts, but the reader should know. */
  challenged: boolean;
}

export interface ExemptionUse {
  name: string;
  group: string;
  credits: number;
  /** Credits that count in the group after its maximum. */
  counted: number;
}

export interface GroupProgress {
  id: string;
  title: string;
  mandatory: boolean;
  /** Counted credits, exemptions included. */
  credits: number;
  /** Counted units. */
  units: number;
  minCredits?: number;
  maxCredits?: number;
  minUnits?: number;
  maxUnits?: number;
  /** Units of a mandatory group that nothing fills. */
  missingUnits: string[];
  met: boolean;
}

export interface Exclusion {
  creditId: string;
  urn: string;
  reason: ExclusionReason;
}

export interface UnmetReason {
  rule: UnmetRule;
  group?: string;
  message: string;
}

export interface Evaluation {
  achieved: boolean;
  allocation: AllocationEntry[];
  exemptionsUsed: ExemptionUse[];
  groups: GroupProgress[];
  totalCredits: number;
  totalRequired: number;
  creditsAtLevel?: { level: Level; counted: number; required: number };
  excluded: Exclusion[];
  unmet: UnmetReason[];
  /**
   * True when the answer is proven: an allocation meeting every rule was found, or the
   * whole search space was covered. False only when the node bound stopped the search;
   * then `achieved: false` means "none found", and the allocation is the best seen.
   */
  exhaustive: boolean;
  /** Search nodes visited. */
  nodes: number;
}

/** One way an item can be allocated. */
export interface Option {
  group: number;
  /** Unit the credit stands for; null for an exemption. */
  countsAs: string | null;
  /** Credits it adds to the group: 0 when placed without counting. */
  credit: number;
  /** Its credits are at or above the level of minCreditsAtLevel. */
  high: boolean;
  /** It adds a counted unit (and unit credits) to the group. */
  unit: boolean;
  /** It is an exemption (group credits only). */
  exemption: boolean;
  /** Keys that at most one placed item may hold: the credited unit and the unit it counts as. */
  slots: string[];
  /** Index of (group, countsAs) among mandatory places, or -1. */
  mand: number;
  /** Live barred sets that contain countsAs. */
  barred: number[];
  /** For exemptions: the entry of qualification.exemptions. */
  entry: number;
}

export interface Item {
  kind: 'credit' | 'exemption';
  /** Index into the candidate list (credits) or qualification.exemptions (first entry). */
  ref: number;
  options: Option[];
  /** Largest credit any option adds; used to order the search. */
  weight: number;
  /** Position, in search order, of the item whose choice bounds this one's (symmetry); -1 if none. */
  follows: number;
}

export interface Candidate {
  credit: LearnerCredit;
  index: number;
  value: number;
  level: Level;
  rank: number;
  options: { group: number; countsAs: string }[];
}
