/**
 * OCF 11, "verify ULN learner details", as a pure function (SPEC sections 2, 4 and 6).
 *
 * An awarding organisation sends a ULN with the learner's given name, family name, date
 * of birth, gender and, optionally, postcode. `verifyLearner` compares them with what the
 * learner register holds and answers in the manner of the Learning Records Service:
 * a WSVRC code, the fields that differ with VRF flags, and a plain-English message that
 * never repeats any personal detail.
 *
 * No I/O, no clock, no randomness: the caller loads the register entries beforehand and
 * hands them over through the synchronous `lookup`. The rules are described in full in
 * docs/verification.md.
 */
import { type UlnProblem, ULN_PROBLEM_MESSAGES, ulnProblem } from './uln.js';

// ---------------------------------------------------------------------------------------
// Types

/** What an awarding organisation sends. */
export interface SubmittedDetails {
  uln: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  /** F, M, X or U (or one of the spellings `normaliseGender` understands). */
  gender: string;
  /** Compared only when given. */
  postcode?: string | null;
}

/** What the learner register holds for one ULN. Nulls are accepted as "absent". */
export interface RegisterEntry {
  uln: string;
  givenName: string;
  familyName: string;
  previousFamilyName?: string | null;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  gender: string;
  postcode?: string | null;
  /** Set when this ULN was merged into another learner record (the master). */
  linkedTo?: string | null;
}

export type VerificationCode = 'WSVRC001' | 'WSVRC002' | 'WSVRC003' | 'WSVRC004' | 'WSVRC005' | 'WSVRC006';
export type VerificationOutcome = 'match' | 'linked-match' | 'similar-match' | 'no-match' | 'not-found' | 'invalid-uln';
export type VerifiedField = 'givenName' | 'familyName' | 'dateOfBirth' | 'gender' | 'postcode';
export type Similarity = 'names-swapped' | 'previous-family-name' | 'typo:givenName' | 'typo:familyName';
/** Why a ULN that is on the register could still not be verified (answered as WSVRC005). */
export type LinkProblem = 'master-not-found' | 'link-loop' | 'link-too-long';

export interface VerificationAnswer {
  code: VerificationCode;
  outcome: VerificationOutcome;
  /** The ULN as submitted. */
  uln: string;
  /** The ULN of the record compared with, when the submitted ULN was merged into it. */
  masterUln?: string;
  /** Fields that are not the same as the register's, after normalisation, in this order. */
  mismatches: VerifiedField[];
  /** VRF1 to VRF5 for the mismatching fields, then VRF6, VRF7 or VRF8 for a similar match. */
  flags: string[];
  /** Why a similar match (WSVRC003) was similar; empty otherwise. */
  similarities: Similarity[];
  /**
   * Submitted fields that cannot be compared at all (empty name, unreal date, unknown
   * gender code). Each is also in `mismatches`.
   */
  invalid: VerifiedField[];
  /** On WSVRC006: which ULN rule failed. */
  ulnProblem?: UlnProblem;
  /** On WSVRC005 for a ULN that is registered but whose merge link leads nowhere. */
  linkProblem?: LinkProblem;
  /** Plain English. Never contains names, dates of birth or postcodes. */
  message: string;
}

// ---------------------------------------------------------------------------------------
// Codes and flags

export const OUTCOME_CODES: Readonly<Record<VerificationOutcome, VerificationCode>> = {
  match: 'WSVRC001',
  'linked-match': 'WSVRC002',
  'similar-match': 'WSVRC003',
  'no-match': 'WSVRC004',
  'not-found': 'WSVRC005',
  'invalid-uln': 'WSVRC006',
};

/** The field flag raised when a field is not the same as the register's. */
export const FIELD_FLAGS: Readonly<Record<VerifiedField, string>> = {
  givenName: 'VRF1',
  familyName: 'VRF2',
  dateOfBirth: 'VRF3',
  gender: 'VRF4',
  postcode: 'VRF5',
};

/** The flag that says why a similar match was accepted as similar. */
export const SIMILARITY_FLAGS: Readonly<Record<Similarity, string>> = {
  'typo:givenName': 'VRF6',
  'typo:familyName': 'VRF6',
  'names-swapped': 'VRF7',
  'previous-family-name': 'VRF8',
};

/** A typo is tolerated only in a name whose register form has at least this many characters. */
export const TYPO_MIN_LENGTH = 5;
/** The largest edit distance still counted as a typo. */
export const TYPO_MAX_DISTANCE = 1;
/** How many merge links are followed before giving up. */
export const MAX_LINK_DEPTH = 8;

const FIELD_ORDER: readonly VerifiedField[] = ['givenName', 'familyName', 'dateOfBirth', 'gender', 'postcode'];

const FIELD_LABELS: Readonly<Record<VerifiedField, string>> = {
  givenName: 'given name',
  familyName: 'family name',
  dateOfBirth: 'date of birth',
  gender: 'gender',
  postcode: 'postcode',
};

// ---------------------------------------------------------------------------------------
// Normalisation

/** Letters that Unicode does not decompose into a base letter plus a mark. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ł: 'l',
  ŀ: 'l',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ø: 'o',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

/**
 * Characters that never matter in a name: white space of any kind, hyphens and dashes,
 * apostrophes and their look-alikes (straight, curly, modifier letter, grave, acute, prime).
 */
const IGNORED_IN_NAMES = /[\s\-\u00ad\u2010-\u2015\u2212'\u2018\u2019\u201b\u02bc\u0060\u00b4\u2032]/u;
const COMBINING_MARK = /\p{M}/gu;

/**
 * The form in which names are compared: lower case, accents and other combining marks
 * removed (Unicode NFD), a few letters without a decomposition folded to plain Latin
 * (ł→l, ø→o, ß→ss, æ→ae, ...), and spaces, hyphens and apostrophes dropped.
 * "O’Brien", "o'brien" and "O Brien" all become "obrien"; "Zoë" becomes "zoe".
 * A value that is not a string normalises to "".
 */
export function normaliseName(s: string): string {
  if (typeof s !== 'string') return '';
  const stripped = s.toLowerCase().normalize('NFD').replace(COMBINING_MARK, '');
  let out = '';
  for (const ch of stripped) {
    if (IGNORED_IN_NAMES.test(ch)) continue;
    out += LETTER_FOLDS[ch] ?? ch;
  }
  return out;
}

/** Upper case with every space removed: "ls1 4ap" and "LS14AP" both become "LS14AP". */
export function normalisePostcode(s: string | null | undefined): string {
  if (typeof s !== 'string') return '';
  return s.replace(/\s+/gu, '').toUpperCase();
}

export type GenderCode = 'F' | 'M' | 'X' | 'U';

const GENDER_SPELLINGS: Readonly<Record<string, GenderCode>> = {
  f: 'F',
  female: 'F',
  '2': 'F',
  m: 'M',
  male: 'M',
  '1': 'M',
  x: 'X',
  other: 'X',
  u: 'U',
  unknown: 'U',
  'not known': 'U',
  '0': 'U',
  '9': 'U',
};

/**
 * The gender code for a submitted or registered value, or null when it is not one we
 * understand. Accepts the codes F, M, X and U, the words female, male, other, unknown and
 * "not known" in any case, and the ISO/IEC 5218 digits used by the LRS (1 male, 2 female,
 * 0 not known, 9 not applicable, read as not known).
 */
export function normaliseGender(s: string | null | undefined): GenderCode | null {
  if (typeof s !== 'string') return null;
  const key = s.trim().toLowerCase().replace(/\s+/gu, ' ');
  return Object.hasOwn(GENDER_SPELLINGS, key) ? GENDER_SPELLINGS[key] : null;
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A date of birth in the canonical form YYYY-MM-DD, or null when the value is not a
 * YYYY-MM-DD string naming a real calendar day (years 0001 to 9999). Surrounding spaces
 * are ignored.
 */
export function parseDateOfBirth(s: string | null | undefined): string | null {
  if (typeof s !== 'string') return null;
  const text = s.trim();
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return text;
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein without re-editing a
 * transposed pair): the fewest single-character insertions, deletions, substitutions and
 * swaps of two neighbouring characters that turn `a` into `b`. Works on code points.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const n = s.length;
  const m = t.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: two rows back (for swaps), the previous row and the current one.
  let before = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, before[j - 2] + 1);
      cur[j] = best;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[m];
}

// ---------------------------------------------------------------------------------------
// Verification

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function blank(value: string | null | undefined): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function answer(
  outcome: VerificationOutcome,
  uln: string,
  message: string,
  extra: Partial<VerificationAnswer> = {},
): VerificationAnswer {
  return {
    code: OUTCOME_CODES[outcome],
    outcome,
    uln,
    mismatches: [],
    flags: [],
    similarities: [],
    invalid: [],
    ...extra,
    message,
  };
}

function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The fields a submission can get wrong in form, not just in content. */
type CheckedField = Exclude<VerifiedField, 'postcode'>;

const INVALID_SENTENCES: Readonly<Record<CheckedField, string>> = {
  givenName: 'The given name is empty.',
  familyName: 'The family name is empty.',
  dateOfBirth: 'The date of birth is not a real date in the form YYYY-MM-DD.',
  gender: 'The gender is not a recognised code (F, M, X or U).',
};

const SIMILARITY_SENTENCES: Readonly<Record<Similarity, string>> = {
  'names-swapped': 'the given and family names appear to be the wrong way round',
  'previous-family-name': "the family name is the learner's previous family name",
  'typo:givenName': 'the given name differs from the registered one by a single character',
  'typo:familyName': 'the family name differs from the registered one by a single character',
};

type Resolved =
  | { kind: 'found'; entry: RegisterEntry; masterUln?: string }
  | { kind: 'not-found' }
  | { kind: 'broken'; problem: LinkProblem };

/** The entry to compare with: the ULN's own, or, when it was merged, its master's. */
function resolve(uln: string, lookup: (uln: string) => RegisterEntry | undefined): Resolved {
  const own = lookup(uln);
  if (!own) return { kind: 'not-found' };
  let current = own;
  let masterUln: string | undefined;
  const seen = new Set([uln]);
  while (!blank(current.linkedTo)) {
    const next = (current.linkedTo as string).trim();
    if (seen.has(next)) return { kind: 'broken', problem: 'link-loop' };
    if (seen.size > MAX_LINK_DEPTH) return { kind: 'broken', problem: 'link-too-long' };
    seen.add(next);
    const found = lookup(next);
    if (!found) return { kind: 'broken', problem: 'master-not-found' };
    current = found;
    masterUln = next;
  }
  return masterUln === undefined ? { kind: 'found', entry: own } : { kind: 'found', entry: current, masterUln };
}

/** Whether a name pair differs by a tolerable typo. */
function isTypo(submitted: string, registered: string): boolean {
  return Array.from(registered).length >= TYPO_MIN_LENGTH && editDistance(submitted, registered) <= TYPO_MAX_DISTANCE;
}

/**
 * Verify the details an awarding organisation sent against the learner register.
 * `lookup` returns the register entry for a ULN, or undefined when there is none; it is
 * called for the submitted ULN and, when that was merged, for its master.
 */
export function verifyLearner(
  submitted: SubmittedDetails,
  lookup: (uln: string) => RegisterEntry | undefined,
): VerificationAnswer {
  const details: Partial<SubmittedDetails> = submitted ?? {};
  const uln = text(details.uln);

  // 1. The ULN itself.
  const problem = ulnProblem(uln);
  if (problem !== null) {
    return answer('invalid-uln', uln, `The ULN is not valid: ${ULN_PROBLEM_MESSAGES[problem]}.`, {
      ulnProblem: problem,
    });
  }

  // 2. Is it on the register, and which record does it stand for now?
  const resolved = resolve(uln, lookup);
  if (resolved.kind === 'not-found') return answer('not-found', uln, 'No learner is registered with this ULN.');
  if (resolved.kind === 'broken') {
    return answer(
      'not-found',
      uln,
      'This ULN was merged into another learner record that cannot be found, so the details cannot be checked. Please contact the service desk.',
      { linkProblem: resolved.problem },
    );
  }
  const { entry, masterUln } = resolved;
  const linked = masterUln !== undefined ? { masterUln } : {};

  // 3. Field by field, after normalisation.
  const given = normaliseName(details.givenName as string);
  const family = normaliseName(details.familyName as string);
  const regGiven = normaliseName(entry.givenName);
  const regFamily = normaliseName(entry.familyName);
  const regPrevious = normaliseName(entry.previousFamilyName as string);
  const dob = parseDateOfBirth(details.dateOfBirth);
  const regDob = parseDateOfBirth(entry.dateOfBirth);
  const gender = normaliseGender(details.gender);
  const regGender = normaliseGender(entry.gender) ?? 'U';
  const postcode = normalisePostcode(details.postcode);
  const regPostcode = normalisePostcode(entry.postcode);

  const invalid: CheckedField[] = [];
  if (given === '') invalid.push('givenName');
  if (family === '') invalid.push('familyName');
  if (dob === null) invalid.push('dateOfBirth');
  if (gender === null) invalid.push('gender');

  const same: Record<VerifiedField, boolean> = {
    givenName: given !== '' && given === regGiven,
    familyName: family !== '' && family === regFamily,
    dateOfBirth: dob !== null && dob === regDob,
    gender: gender !== null && (gender === 'U' || regGender === 'U' || gender === regGender),
    postcode: postcode === '' || regPostcode === '' || postcode === regPostcode,
  };
  const mismatches = FIELD_ORDER.filter((f) => !same[f]);
  const fieldFlags = mismatches.map((f) => FIELD_FLAGS[f]);

  if (mismatches.length === 0) {
    if (masterUln !== undefined) {
      return answer(
        'linked-match',
        uln,
        'This ULN has been merged into another learner record, and the details match that record. Use the master ULN given in this answer.',
        linked,
      );
    }
    return answer('match', uln, 'The details match the learner record for this ULN.');
  }

  const mergedNote =
    masterUln !== undefined
      ? 'This ULN has been merged into another learner record; the details were compared with that record. '
      : '';

  // 4. Similar: only the names differ, and one single kind of difference explains them.
  let similarity: Similarity | null = null;
  if (invalid.length === 0 && same.dateOfBirth && same.gender && same.postcode) {
    if (!same.givenName && !same.familyName) {
      if (given === regFamily && family === regGiven) similarity = 'names-swapped';
    } else if (!same.familyName) {
      if (regPrevious !== '' && family === regPrevious) similarity = 'previous-family-name';
      else if (isTypo(family, regFamily)) similarity = 'typo:familyName';
    } else if (isTypo(given, regGiven)) {
      similarity = 'typo:givenName';
    }
  }
  if (similarity !== null) {
    return answer(
      'similar-match',
      uln,
      `${mergedNote}The details are similar to the learner record but not the same: ${SIMILARITY_SENTENCES[similarity]}.`,
      { ...linked, mismatches, flags: [...fieldFlags, SIMILARITY_FLAGS[similarity]], similarities: [similarity] },
    );
  }

  // 5. Anything else is a mismatch.
  const differing = capitalised(listOf(mismatches.map((f) => FIELD_LABELS[f])));
  const notes = invalid.map((f) => ` ${INVALID_SENTENCES[f]}`).join('');
  return answer(
    'no-match',
    uln,
    `${mergedNote}The details do not match the learner record for this ULN. ${differing} ${mismatches.length === 1 ? 'does' : 'do'} not match.${notes}`,
    { ...linked, mismatches, flags: fieldFlags, invalid },
  );
}
