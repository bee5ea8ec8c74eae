/**
 * The QCF catalogue as plain data (SPEC section 3). Shared by the catalogue file
 * format, the generator, the RoC evaluator and the route optimiser. No I/O here.
 */

/** Entry 1 to Entry 3, then 1 to 8. */
export const LEVELS = ['E1', 'E2', 'E3', '1', '2', '3', '4', '5', '6', '7', '8'] as const;
export type Level = (typeof LEVELS)[number];

/** Position of a level in LEVELS: E1 = 0 ... 8 = 10. Higher is harder. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export const QAN_PATTERN = /^[0-9]{3}\/[0-9]{4}\/[0-9A-Z]$/;
export const URN_PATTERN = /^[A-Z]\/[0-9]{3}\/[0-9]{4}$/;
export const UKPRN_PATTERN = /^1[0-9]{7}$/;

export interface Unit {
  urn: string;
  title: string;
  level: Level;
  /** 1 credit = 10 notional hours of learning. */
  credit: number;
}

/**
 * One group of a Rule of Combination. A mandatory group needs every unit; an optional
 * group has any of the four bounds. Credits and units above a maximum do not count.
 */
export interface RuleGroup {
  /** Unique inside its qualification, e.g. "A" or "mandatory". */
  id: string;
  title: string;
  mandatory: boolean;
  minCredits?: number;
  maxCredits?: number;
  minUnits?: number;
  maxUnits?: number;
  /** URNs of the units in the group. A unit may sit in several groups. */
  units: string[];
}

/** Unit `from` counts as unit `to`. */
export interface Equivalence {
  from: string;
  to: string;
}

/** An achievement from outside the QCF that counts for `credits` credits in group `group`. */
export interface Exemption {
  name: string;
  group: string;
  credits: number;
}

export type QualificationSize = 'Award' | 'Certificate' | 'Diploma';

export interface Qualification {
  qan: string;
  title: string;
  level: Level;
  /** UKPRN of the owning Awarding Organisation. */
  aoUkprn: string;
  /** ISO dates (YYYY-MM-DD). */
  operationalStart: string;
  operationalEnd?: string;
  /** Credits the qualification needs in all. */
  totalCredits: number;
  /** At least `credits` counted credits at or above `level`. */
  minCreditsAtLevel?: { level: Level; credits: number };
  groups: RuleGroup[];
  /** Sets of URNs of which at most one may count. */
  barred: string[][];
  /** Equivalences that hold for this qualification only. */
  equivalences: Equivalence[];
  exemptions: Exemption[];
  /** Credit older than this many whole years on the evaluation date does not count. */
  validityYears?: number;
}

/** Award 1-12 credits, Certificate 13-36, Diploma 37 and over (SPEC section 3). */
export function qualificationSize(totalCredits: number): QualificationSize {
  if (totalCredits <= 12) return 'Award';
  if (totalCredits <= 36) return 'Certificate';
  return 'Diploma';
}

export type CreditStatus = 'active' | 'withdrawn' | 'challenged';

/** One unit credit a learner holds (an achievement record for a unit). */
export interface LearnerCredit {
  /** The achievement record key; unique. */
  id: string;
  urn: string;
  /** Credit value and level as awarded (they agree with the catalogue). */
  credit: number;
  level: Level;
  /** ISO date. */
  awardDate: string;
  /** Withdrawn credit never counts; credit under challenge still counts but is marked. */
  status: CreditStatus;
}

/** The whole catalogue in memory: what a catalogue file holds. */
export interface Catalogue {
  units: Unit[];
  qualifications: Qualification[];
  /** Equivalences that hold everywhere. */
  equivalences: Equivalence[];
}
