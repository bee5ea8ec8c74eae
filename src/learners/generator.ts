/**
 * A seeded, deterministic generator of learners (the learner register of SPEC section 6)
 * and of the unit credits they hold (SPEC section 5), for tests, the demo seed and
 * benchmarks. Pure: no I/O, no clock, no Math.random. The same options always give the
 * same output.
 *
 * Learners: valid, unique ULNs; names from a built-in list that includes accents,
 * hyphens and apostrophes; ages 14 to 70 on the reference date, most 16 to 25. About 1 in
 * 100 is a duplicate registration merged into an earlier learner (the master), with the
 * master's names, date of birth and gender.
 *
 * Achievements: each learner works towards one to three "target" qualifications, holding
 * every unit some learners need and part of them for most, plus a few stray units, so
 * RoC and route questions have interesting answers. Credits for one target are awarded
 * close together in time (a course), inside the qualification's operational period when
 * that overlaps the learner's last eight years.
 */
import { Random } from '../catalogue/generator.js';
import {
  type Catalogue,
  type Level,
  type Qualification,
  type RuleGroup,
  levelRank,
  UKPRN_PATTERN,
} from '../catalogue/model.js';
import { TEMPORARY_ULN, ulnCheckDigit } from './uln.js';

/**
 * Gender codes: F female, M male, X other (neither F nor M), U not known (not given).
 */
export type Gender = 'F' | 'M' | 'X' | 'U';
export const GENDER_NAMES: Readonly<Record<Gender, string>> = { F: 'female', M: 'male', X: 'other', U: 'not known' };

export interface GeneratedLearner {
  /** Valid per SPEC section 2, unique, never the temporary ULN. */
  uln: string;
  givenName: string;
  familyName: string;
  /** About 5 % have one. */
  previousFamilyName?: string;
  /** ISO date. */
  dateOfBirth: string;
  gender: Gender;
  /** A UK-shaped postcode such as "LS1 4AP"; about 10 % have none. */
  postcode?: string;
  /** At example.org or example.com only; about 20 % have none. */
  email?: string;
  /** About 3 % have made their record unavailable. */
  available: boolean;
  /** About 1 %: merged into this (earlier, never itself linked) learner's ULN. */
  linkedTo?: string;
}

export type Grade = 'Pass' | 'Merit' | 'Distinction';

export interface GeneratedAchievement {
  /** The AO's own record id, unique per AO, e.g. "R0001234". */
  recordId: string;
  /** UKPRN of the awarding AO. */
  aoUkprn: string;
  uln: string;
  /** A unit credit: the unit's URN (this generator makes no qualification awards). */
  urn: string;
  /** As in the catalogue. */
  credit: number;
  level: Level;
  /** ISO date, on or after the learner's 14th birthday and on or before the reference date. */
  awardDate: string;
  grade?: Grade;
  /** About 2 % withdrawn. */
  status: 'active' | 'withdrawn';
  /** About 1 % (active records only). */
  underChallenge: boolean;
}

export interface GenerateLearnersOptions {
  seed: number;
  count: number;
  /** ISO date the ages are measured on; default DEFAULT_REFERENCE_DATE. */
  referenceDate?: string;
}

export interface GenerateAchievementsOptions {
  seed: number;
  learners: GeneratedLearner[];
  catalogue: Catalogue;
  /** UKPRNs of the awarding AOs; default the owning AOs of the catalogue's qualifications. */
  aos?: string[];
  /** Latest award date; default DEFAULT_REFERENCE_DATE. */
  referenceDate?: string;
  /**
   * How many unit credits (records) each learner who is not linked gets, re-takes
   * included; default DEFAULT_PER_LEARNER. Fewer only when the catalogue has too few units.
   */
  perLearner?: { min: number; max: number };
}

export const DEFAULT_REFERENCE_DATE = '2026-11-01';
export const DEFAULT_PER_LEARNER: Readonly<{ min: number; max: number }> = { min: 3, max: 25 };
export const MAX_LEARNERS = 5_000_000;
export const MAX_PER_LEARNER = 1_000;

/** The proportions the generator aims at (each an independent chance, unless said). */
export const LEARNER_RATES = {
  previousFamilyName: 0.05,
  noPostcode: 0.1,
  noEmail: 0.2,
  unavailable: 0.03,
  linked: 0.01,
} as const;
export const ACHIEVEMENT_RATES = {
  withdrawn: 0.02,
  underChallenge: 0.01,
  /** Share of (unlinked) learners with a second credit for a unit from another AO. */
  retake: 0.01,
  /** Share of records with a grade. */
  graded: 0.35,
  /** Share of targets the learner is given enough units to complete. */
  completeTarget: 0.3,
  /** Share of linked learners with no credits of their own. */
  linkedWithNone: 0.6,
} as const;

// ---------------------------------------------------------------------------------------
// Randomness and dates

const LEARNER_SALT = 0x4c45524e; // "LERN"
const ACHIEVEMENT_SALT = 0x41434856; // "ACHV"

const DAY_MS = 86_400_000;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Days since 1970-01-01 of an ISO date, or null when it is not a real date. */
function parseDay(value: string): number | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function requireDay(name: string, value: string): number {
  const day = parseDay(value);
  if (day === null) throw new RangeError(`${name} must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
  return day;
}

const isoCache = new Map<number, string>();
function isoDate(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 200_000) isoCache.set(day, s);
  }
  return s;
}

/** The same month and day `years` later (or earlier, when negative). */
function addYears(day: number, years: number, leapDay: 'back' | 'forward'): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear() + years;
  const mo = d.getUTCMonth();
  const dd = d.getUTCDate();
  const ms = Date.UTC(y, mo, dd);
  // 29 February in a common year: the 28th ('back') or 1 March ('forward').
  if (new Date(ms).getUTCMonth() !== mo) return leapDay === 'back' ? Date.UTC(y, mo + 1, 0) / DAY_MS : ms / DAY_MS;
  return ms / DAY_MS;
}

/** The learner's 14th birthday, taking 1 March for a 29 February birthday in a common year. */
function fourteenthBirthday(dob: number): number {
  return addYears(dob, 14, 'forward');
}

// ---------------------------------------------------------------------------------------
// Names and places

const FEMALE_NAMES = [
  'Olivia',
  'Amelia',
  'Emily',
  'Sophie',
  'Jessica',
  'Grace',
  'Isla',
  'Ella',
  'Charlotte',
  'Hannah',
  'Lucy',
  'Mia',
  'Chloé',
  'Aisha',
  'Zoë',
  'Ruby',
  'Freya',
  'Megan',
  'Anne-Marie',
  'Siobhán',
  'Niamh',
  'Siân',
  'Priya',
  'Fatima',
  'Renée',
  'Agnieszka',
  'Mary-Jane',
  'Léa',
  'Eilidh',
  'Chidinma',
  'Ananya',
  'Nadia',
  'Bethan',
  'Catrin',
  'Maja',
  'Inés',
] as const;
const MALE_NAMES = [
  'Oliver',
  'Jack',
  'Harry',
  'George',
  'Noah',
  'Thomas',
  'James',
  'William',
  'Mohammed',
  'Daniel',
  'Joshua',
  'Samuel',
  'Ryan',
  'Liam',
  'Connor',
  'Ethan',
  'Seán',
  'Jean-Luc',
  'Eóin',
  'Rhys',
  'Dylan',
  'Arjun',
  'Kwame',
  'José',
  'Łukasz',
  'Björn',
  'Callum',
  'Hamish',
  'Tomás',
  'Ibrahim',
  'Kai',
  'Dafydd',
  'Oisín',
  'Yusuf',
  'Mateusz',
  'Emeka',
] as const;
const NEUTRAL_NAMES = [
  'Alex',
  'Sam',
  'Jordan',
  'Charlie',
  'Robin',
  'Jamie',
  'Morgan',
  'Rowan',
  'Ashley',
  'Riley',
] as const;

const FAMILY_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Harris',
  'Clarke',
  'Patel',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  "O'Brien",
  'Smith-Jones',
  'Khan',
  'Singh',
  'Kaur',
  'Ahmed',
  'Hussain',
  'Begum',
  'Murphy',
  'Kelly',
  'MacLeod',
  'McDonald',
  "O'Neill",
  "D'Souza",
  'Taylor-Hughes',
  'Nowak',
  'Kowalski',
  'Okafor',
  'Adeyemi',
  'Mensah',
  'Nguyen',
  'Chen',
  'Müller',
  'García',
  'Fernández',
  'Peña',
  'Ó Súilleabháin',
  'Ní Bhriain',
  'Brontë',
  'Da Silva',
  'Ward-Prowse',
  "O'Connor",
  'Llewellyn',
  'Ap Rhys',
  'Van der Berg',
  'Mbeki-Owusu',
] as const;

/** Letters that may follow the digit of an inward code (no C, I, K, M, O, V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
/** Real postcode areas; the districts and sectors made up with them are invented. */
const POSTCODE_AREAS = [
  'AB',
  'B',
  'BA',
  'BD',
  'BH',
  'BL',
  'BN',
  'BS',
  'BT',
  'CA',
  'CB',
  'CF',
  'CH',
  'CM',
  'CO',
  'CV',
  'CW',
  'DD',
  'DE',
  'DH',
  'DL',
  'DN',
  'E',
  'EC',
  'EH',
  'EX',
  'FK',
  'G',
  'GL',
  'GU',
  'HD',
  'HP',
  'HU',
  'IP',
  'IV',
  'KA',
  'KY',
  'L',
  'LA',
  'LD',
  'LE',
  'LL',
  'LN',
  'LS',
  'M',
  'ME',
  'MK',
  'N',
  'NE',
  'NG',
  'NN',
  'NP',
  'NR',
  'NW',
  'OX',
  'PA',
  'PE',
  'PL',
  'PO',
  'PR',
  'RG',
  'S',
  'SA',
  'SE',
  'SK',
  'SO',
  'SR',
  'ST',
  'SW',
  'SY',
  'TA',
  'TN',
  'TQ',
  'TS',
  'W',
  'WA',
  'WC',
  'WF',
  'WN',
  'WR',
  'WS',
  'WV',
  'YO',
] as const;
/** Central London areas with districts such as EC1A or WC2N. */
const LETTERED_DISTRICT_AREAS = new Set(['EC', 'WC', 'W', 'SW']);

function makePostcode(rnd: Random): string {
  const area = rnd.pick(POSTCODE_AREAS);
  let district: string;
  if (LETTERED_DISTRICT_AREAS.has(area) && rnd.chance(0.3))
    district = `${rnd.int(1, 4)}${rnd.pick(['A', 'M', 'N', 'R', 'V', 'Y'])}`;
  else district = String(rnd.chance(0.6) ? rnd.int(1, 9) : rnd.int(10, 30));
  const inward = `${rnd.int(0, 9)}${INWARD_LETTERS[rnd.int(0, 19)]}${INWARD_LETTERS[rnd.int(0, 19)]}`;
  return `${area}${district} ${inward}`;
}

const SPECIAL_LETTERS: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', ß: 'ss', đ: 'd' };

/** "Ó Súilleabháin" -> "osuilleabhain": the name as it might appear in an email address. */
function emailPart(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[łøæßđ]/g, (c) => SPECIAL_LETTERS[c])
    .replace(/[^a-z]/g, '');
}

/** emailPart of every built-in name, worked out once. */
const EMAIL_PARTS = new Map<string, string>();
for (const n of [...FEMALE_NAMES, ...MALE_NAMES, ...NEUTRAL_NAMES, ...FAMILY_NAMES]) EMAIL_PARTS.set(n, emailPart(n));

// ---------------------------------------------------------------------------------------
// Learners

function checkSeed(seed: unknown): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
}

function givenNameFor(rnd: Random, gender: Gender): string {
  if (gender === 'F') return rnd.pickCommon(FEMALE_NAMES);
  if (gender === 'M') return rnd.pickCommon(MALE_NAMES);
  const r = rnd.float();
  return r < 0.5 ? rnd.pick(NEUTRAL_NAMES) : r < 0.75 ? rnd.pickCommon(FEMALE_NAMES) : rnd.pickCommon(MALE_NAMES);
}

/** Age in years: a few 14-15, most 16-25, a tail to 70. */
function drawAge(rnd: Random): number {
  const r = rnd.float();
  if (r < 0.04) return 14 + 2 * rnd.float();
  if (r < 0.74) return 16 + 10 * rnd.float();
  return 26 + 45 * rnd.float() ** 1.6;
}

/**
 * `count` learners. The first n learners of a run do not depend on `count`, so a smaller
 * run is a prefix of a larger one with the same seed and reference date.
 */
export function generateLearners(opts: GenerateLearnersOptions): GeneratedLearner[] {
  checkSeed(opts.seed);
  const count = opts.count;
  if (!Number.isInteger(count) || count < 0 || count > MAX_LEARNERS) {
    throw new RangeError(`count must be a whole number from 0 to ${MAX_LEARNERS}, got ${count}`);
  }
  const ref = requireDay('referenceDate', opts.referenceDate ?? DEFAULT_REFERENCE_DATE);
  // Born on or before `latest` means 14 or over on the reference date; after `earliest`, under 71.
  const latest = addYears(ref, -14, 'back');
  const earliest = addYears(ref, -71, 'back') + 1;

  const rnd = new Random(opts.seed, LEARNER_SALT);
  const taken = new Set<number>();
  const emailCounts = new Map<string, number>();
  const out = new Array<GeneratedLearner>(count);

  const newUln = (): string => {
    for (;;) {
      const prefix = rnd.int(100_000_000, 999_999_999);
      const check = ulnCheckDigit(String(prefix));
      if (check === null) continue;
      const value = prefix * 10 + check;
      if (taken.has(value)) continue;
      const uln = String(value);
      if (uln === TEMPORARY_ULN) continue;
      taken.add(value);
      return uln;
    }
  };
  const newEmail = (given: string, family: string): string => {
    const local = `${EMAIL_PARTS.get(given) ?? emailPart(given)}.${EMAIL_PARTS.get(family) ?? emailPart(family)}`;
    const n = (emailCounts.get(local) ?? 0) + 1;
    emailCounts.set(local, n);
    return `${local}${n}@${rnd.chance(0.7) ? 'example.org' : 'example.com'}`;
  };

  for (let i = 0; i < count; i++) {
    const uln = newUln();
    let master: GeneratedLearner | undefined;
    if (i > 0 && rnd.chance(LEARNER_RATES.linked)) {
      for (let attempt = 0; attempt < 20 && !master; attempt++) {
        const candidate = out[rnd.int(0, i - 1)];
        if (candidate.linkedTo === undefined) master = candidate;
      }
    }

    let learner: GeneratedLearner;
    if (master) {
      // A duplicate registration of the master's person: same names, birth date, gender.
      learner = {
        uln,
        givenName: master.givenName,
        familyName: master.familyName,
        dateOfBirth: master.dateOfBirth,
        gender: master.gender,
        available: !rnd.chance(LEARNER_RATES.unavailable),
        linkedTo: master.uln,
      };
      if (master.previousFamilyName !== undefined) learner.previousFamilyName = master.previousFamilyName;
      if (rnd.chance(0.5)) {
        if (master.postcode !== undefined) learner.postcode = master.postcode;
      } else if (!rnd.chance(LEARNER_RATES.noPostcode)) {
        learner.postcode = makePostcode(rnd);
      }
      if (rnd.chance(0.4)) learner.email = newEmail(learner.givenName, learner.familyName);
    } else {
      const g = rnd.float();
      const gender: Gender = g < 0.485 ? 'F' : g < 0.97 ? 'M' : g < 0.98 ? 'X' : 'U';
      const givenName = givenNameFor(rnd, gender);
      const familyName = rnd.pickCommon(FAMILY_NAMES);
      const dob = Math.max(earliest, Math.min(latest, latest - Math.floor((drawAge(rnd) - 14) * 365.2425)));
      learner = { uln, givenName, familyName, dateOfBirth: isoDate(dob), gender, available: true };
      if (rnd.chance(LEARNER_RATES.previousFamilyName)) {
        let previous: string;
        do {
          previous = rnd.pickCommon(FAMILY_NAMES);
        } while (previous === familyName);
        learner.previousFamilyName = previous;
      }
      if (!rnd.chance(LEARNER_RATES.noPostcode)) learner.postcode = makePostcode(rnd);
      if (!rnd.chance(LEARNER_RATES.noEmail)) learner.email = newEmail(givenName, familyName);
      learner.available = !rnd.chance(LEARNER_RATES.unavailable);
    }
    out[i] = learner;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Achievements

interface QualInfo {
  q: Qualification;
  /** Operational period as epoch days; end is null when open. */
  start: number;
  end: number | null;
  /** Unit indices of the mandatory groups, without repeats. */
  mandatory: number[];
  optional: { group: RuleGroup; members: number[] }[];
  /** Unit index -> indices of barred sets containing it (only when the RoC has barred sets). */
  barred: Map<number, number[]> | null;
  barredSets: number[][];
}

interface Draft {
  learner: number;
  unit: number;
  ao: string;
  day: number;
}

const GRADES: readonly Grade[] = ['Pass', 'Merit', 'Distinction'];
const GRADE_WEIGHTS = [55, 30, 15];
/** Level 3 and below: what learners under 19 mostly study. */
const YOUNG_MAX_RANK = levelRank('3');

/**
 * Unit credits for the given learners. Records come out learner by learner (in the order
 * given), each learner's in award-date order. Record ids rise with award date within each AO.
 */
export function generateAchievements(opts: GenerateAchievementsOptions): GeneratedAchievement[] {
  checkSeed(opts.seed);
  const { learners, catalogue } = opts;
  const ref = requireDay('referenceDate', opts.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const per = opts.perLearner ?? DEFAULT_PER_LEARNER;
  if (
    !Number.isInteger(per.min) ||
    !Number.isInteger(per.max) ||
    per.min < 0 ||
    per.max < per.min ||
    per.max > MAX_PER_LEARNER
  ) {
    throw new RangeError(
      `perLearner must have whole numbers 0 <= min <= max <= ${MAX_PER_LEARNER}, got ${per.min}..${per.max}`,
    );
  }
  const aos = opts.aos ?? [...new Set(catalogue.qualifications.map((q) => q.aoUkprn))];
  for (const ao of aos) if (!UKPRN_PATTERN.test(ao)) throw new RangeError(`not a UKPRN: ${ao}`);
  const units = catalogue.units;
  if (learners.length === 0 || per.max === 0) return [];
  if (units.length === 0) throw new RangeError('the catalogue has no units to award');
  if (aos.length === 0) throw new RangeError('aos must name at least one awarding organisation');
  const aoSet = new Set(aos);

  const unitIndex = new Map<string, number>();
  for (let i = 0; i < units.length; i++) unitIndex.set(units[i].urn, i);

  const allQuals: number[] = [];
  const youngQuals: number[] = [];
  catalogue.qualifications.forEach((q, i) => {
    allQuals.push(i);
    if (levelRank(q.level) <= YOUNG_MAX_RANK) youngQuals.push(i);
  });
  const infoCache = new Map<number, QualInfo | null>();
  const qualInfo = (i: number): QualInfo | null => {
    let info = infoCache.get(i);
    if (info === undefined) {
      info = buildQualInfo(catalogue.qualifications[i], unitIndex);
      infoCache.set(i, info);
    }
    return info;
  };

  const rnd = new Random(opts.seed, ACHIEVEMENT_SALT);
  const drafts: Draft[] = [];
  const eightYearsBack = addYears(ref, -8, 'back');

  for (let li = 0; li < learners.length; li++) {
    const learner = learners[li];
    const dob = parseDay(learner.dateOfBirth);
    if (dob === null) throw new RangeError(`learner ${learner.uln} has no valid dateOfBirth`);
    const from = Math.max(eightYearsBack, fourteenthBirthday(dob));
    if (from > ref) continue; // Not yet 14 on the reference date.

    const list: Draft[] = [];
    const held = new Set<number>();
    const add = (unit: number, ao: string, day: number) => {
      held.add(unit);
      list.push({ learner: li, unit, ao, day });
    };
    const addStrays = (n: number) => {
      for (let attempt = 0; attempt < n * 20 && n > 0; attempt++) {
        const u = rnd.int(0, units.length - 1);
        if (held.has(u)) continue;
        add(u, rnd.pick(aos), rnd.int(from, ref));
        n--;
      }
    };

    if (learner.linkedTo !== undefined) {
      // A merged duplicate: its credits mostly moved to the master; a few may remain.
      if (!rnd.chance(ACHIEVEMENT_RATES.linkedWithNone)) addStrays(Math.min(per.max, rnd.int(1, 2)));
    } else {
      const retake = aos.length >= 2 && per.max >= 2 && rnd.chance(ACHIEVEMENT_RATES.retake);
      const cap = per.max - (retake ? 1 : 0);
      const floor = Math.max(0, per.min - (retake ? 1 : 0));
      const strays = Math.min(cap, rnd.weighted([35, 35, 20, 10]));
      const targets = rnd.weighted([5, 62, 24, 9]);
      const age = (ref - dob) / 365.2425;
      const chosen = new Set<number>();
      // One to three targets (a few learners none); more when those gave too few units.
      for (let t = 0; allQuals.length > 0 && list.length < cap - strays; t++) {
        if (t >= targets && (targets === 0 || list.length + strays >= floor || t >= targets + 5)) break;
        const pool = age < 19 && youngQuals.length > 0 && !rnd.chance(0.1) ? youngQuals : allQuals;
        const qi = rnd.pick(pool);
        if (chosen.has(qi)) continue;
        chosen.add(qi);
        const info = qualInfo(qi);
        if (!info) continue;
        const plan = rnd.chance(ACHIEVEMENT_RATES.completeTarget)
          ? completionPlan(rnd, info, units)
          : partialPlan(rnd, info);
        const ao = aoSet.has(info.q.aoUkprn) && rnd.chance(0.85) ? info.q.aoUkprn : rnd.pick(aos);
        // A course: inside the operational period when it overlaps the learner's window.
        let lo = Math.max(from, info.start);
        let hi = Math.min(ref, info.end ?? ref);
        if (hi - lo < 30) {
          lo = from;
          hi = ref;
        }
        const span = Math.min(hi - lo, rnd.int(30, 730));
        const courseStart = rnd.int(lo, hi - span);
        for (const u of plan) {
          if (list.length >= cap - strays) break;
          if (held.has(u)) continue;
          add(u, ao, courseStart + Math.floor(rnd.float() * (span + 1)));
        }
      }
      addStrays(strays);
      if (list.length < floor) addStrays(floor - list.length);
      if (retake && list.length > 0) {
        const first = rnd.pick(list);
        let ao: string;
        do {
          ao = rnd.pick(aos);
        } while (ao === first.ao);
        list.push({ learner: li, unit: first.unit, ao, day: Math.min(ref, first.day + rnd.int(30, 400)) });
      }
    }
    list.sort((a, b) => a.day - b.day);
    for (const d of list) drafts.push(d);
  }

  // Record ids rise with award date within each AO, from a seeded start, with gaps (the AO
  // keeps other records too).
  const next = new Map<string, number>();
  for (const ao of aos) next.set(ao, rnd.int(1, 400_000));
  const order = Array.from(drafts.keys()).sort((a, b) => drafts[a].day - drafts[b].day || a - b);
  const ids = new Array<string>(drafts.length);
  for (const k of order) {
    const ao = drafts[k].ao;
    const n = next.get(ao)!;
    next.set(ao, n + rnd.int(1, 3));
    ids[k] = `R${String(n).padStart(7, '0')}`;
  }

  const out = new Array<GeneratedAchievement>(drafts.length);
  for (let k = 0; k < drafts.length; k++) {
    const d = drafts[k];
    const unit = units[d.unit];
    const withdrawn = rnd.chance(ACHIEVEMENT_RATES.withdrawn);
    const a: GeneratedAchievement = {
      recordId: ids[k],
      aoUkprn: d.ao,
      uln: learners[d.learner].uln,
      urn: unit.urn,
      credit: unit.credit,
      level: unit.level,
      awardDate: isoDate(d.day),
      status: withdrawn ? 'withdrawn' : 'active',
      underChallenge: !withdrawn && rnd.chance(ACHIEVEMENT_RATES.underChallenge / (1 - ACHIEVEMENT_RATES.withdrawn)),
    };
    if (rnd.chance(ACHIEVEMENT_RATES.graded)) a.grade = GRADES[rnd.weighted(GRADE_WEIGHTS)];
    out[k] = a;
  }
  return out;
}

function buildQualInfo(q: Qualification, unitIndex: ReadonlyMap<string, number>): QualInfo | null {
  const start = parseDay(q.operationalStart);
  if (start === null) return null;
  const end = q.operationalEnd === undefined ? null : parseDay(q.operationalEnd);
  const mandatory: number[] = [];
  const seen = new Set<number>();
  const optional: QualInfo['optional'] = [];
  for (const group of q.groups) {
    const members: number[] = [];
    for (const urn of group.units) {
      const u = unitIndex.get(urn);
      if (u !== undefined) members.push(u);
    }
    if (group.mandatory) {
      for (const u of members) {
        if (seen.has(u)) continue;
        seen.add(u);
        mandatory.push(u);
      }
    } else if (members.length > 0) {
      optional.push({ group, members });
    }
  }
  if (mandatory.length === 0 && optional.length === 0) return null;
  const barredSets: number[][] = [];
  let barred: Map<number, number[]> | null = null;
  if (q.barred.length > 0) {
    barred = new Map();
    for (const set of q.barred) {
      const members = set.map((urn) => unitIndex.get(urn)).filter((u): u is number => u !== undefined);
      const s = barredSets.length;
      barredSets.push(members);
      for (const u of members) {
        const list = barred.get(u);
        if (list) list.push(s);
        else barred.set(u, [s]);
      }
    }
  }
  return { q, start, end: end ?? null, mandatory, optional, barred, barredSets };
}

/**
 * Units that should let the learner achieve the qualification: every mandatory unit, then
 * optional units until each group's minimums, the total and the credits at level are met.
 * It respects barred sets and group maximums; it is a good guess, not a proof (the RoC
 * evaluator decides).
 */
function completionPlan(rnd: Random, info: QualInfo, units: Catalogue['units']): number[] {
  const q = info.q;
  const chosen = new Set<number>();
  const blocked = new Set<number>();
  const plan: number[] = [];
  const atLevel = q.minCreditsAtLevel;
  const levelFloor = atLevel ? levelRank(atLevel.level) : 0;
  let total = 0;
  let high = 0;
  const choose = (u: number, counted: number) => {
    chosen.add(u);
    plan.push(u);
    total += counted;
    if (atLevel && levelRank(units[u].level) >= levelFloor) high += counted;
    if (info.barred) {
      for (const s of info.barred.get(u) ?? [])
        for (const other of info.barredSets[s]) if (other !== u) blocked.add(other);
    }
  };
  for (const u of info.mandatory) if (!chosen.has(u)) choose(u, units[u].credit);

  const state = info.optional.map(({ group, members }) => ({
    group,
    members: rnd.shuffle(members.slice()),
    credits: 0,
    count: 0,
  }));
  const room = (g: (typeof state)[number]) =>
    (g.group.maxUnits === undefined || g.count < g.group.maxUnits) &&
    (g.group.maxCredits === undefined || g.credits < g.group.maxCredits);
  const take = (g: (typeof state)[number], u: number) => {
    const c = units[u].credit;
    const counted = g.group.maxCredits === undefined ? c : Math.min(c, g.group.maxCredits - g.credits);
    g.credits += counted;
    g.count++;
    choose(u, counted);
  };
  // Each optional group's own minimums.
  for (const g of state) {
    const needCredits = g.group.minCredits ?? 0;
    const needUnits = g.group.minUnits ?? 0;
    for (const u of g.members) {
      if ((g.credits >= needCredits && g.count >= needUnits) || !room(g)) break;
      if (chosen.has(u) || blocked.has(u)) continue;
      take(g, u);
    }
  }
  // Then the total and the credits at level, preferring units at or above that level.
  const needHigh = atLevel?.credits ?? 0;
  for (const g of state) {
    if (total >= q.totalCredits && high >= needHigh) break;
    const members = atLevel
      ? [...g.members].sort(
          (a, b) => Number(levelRank(units[b].level) >= levelFloor) - Number(levelRank(units[a].level) >= levelFloor),
        )
      : g.members;
    for (const u of members) {
      if ((total >= q.totalCredits && high >= needHigh) || !room(g)) break;
      if (chosen.has(u) || blocked.has(u)) continue;
      take(g, u);
    }
  }
  return plan;
}

/** Part of the qualification: most of the mandatory units, some optional ones. */
function partialPlan(rnd: Random, info: QualInfo): number[] {
  const f = 0.15 + 0.7 * rnd.float();
  const plan: number[] = [];
  for (const u of info.mandatory) if (rnd.chance(Math.min(1, f + 0.15))) plan.push(u);
  for (const { members } of info.optional) for (const u of members) if (rnd.chance(f * 0.6)) plan.push(u);
  if (plan.length === 0) {
    const all = info.mandatory.length > 0 ? info.mandatory : rnd.pick(info.optional).members;
    plan.push(rnd.pick(all));
  }
  return plan;
}
