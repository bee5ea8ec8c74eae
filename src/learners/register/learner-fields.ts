/**
 * The rules for one learner register entry (SPEC section 6), shared by the learner file
 * (csv.ts), the single registration (POST /learners, GraphQL registerLearner) and the
 * comparison that tells a new entry from a changed or an identical one. Pure: the date
 * "today" is passed in.
 *
 * Every value is brought to one canonical form before it is stored or compared, so that
 * loading the same learner twice, however it was spelt, changes nothing the second time:
 * names trimmed with inner white space collapsed, gender as a code (F, M, X, U), postcode
 * upper case with one space before the inward code, ULNs trimmed.
 *
 * Problem messages name the field and the rule, never the value: the values are personal
 * details (names, date of birth, gender, postcode, email) and must not reach logs or error
 * reports.
 */
import { ULN_PROBLEM_MESSAGES, ulnProblem } from '../uln.js';
import { type GenderCode, normaliseGender, parseDateOfBirth } from '../verify.js';

export type LearnerField =
  | 'uln'
  | 'givenName'
  | 'familyName'
  | 'previousFamilyName'
  | 'dateOfBirth'
  | 'gender'
  | 'postcode'
  | 'email'
  | 'available'
  | 'linkedTo';

/** Field order, for stable listings. */
export const LEARNER_FIELDS: readonly LearnerField[] = [
  'uln',
  'givenName',
  'familyName',
  'previousFamilyName',
  'dateOfBirth',
  'gender',
  'postcode',
  'email',
  'available',
  'linkedTo',
];

/** Problems one value can have on its own (docs/learner-files.md lists them all). */
export type FieldProblemCode =
  | 'missing'
  | 'too-long'
  | 'encoding'
  | 'uln-invalid'
  | 'name-invalid'
  | 'date-invalid'
  | 'date-in-future'
  | 'date-too-old'
  | 'gender-invalid'
  | 'postcode-invalid'
  | 'email-invalid'
  | 'available-invalid'
  | 'linked-to-invalid'
  | 'linked-to-self';

export interface FieldProblem {
  field: LearnerField;
  code: FieldProblemCode;
  /** Names the field as the caller knows it (a CSV column or a JSON field), never its value. */
  message: string;
}

/** A learner as submitted: strings as they came (CSV cells, JSON values); booleans allowed for `available`. */
export interface RawLearner {
  uln?: unknown;
  givenName?: unknown;
  familyName?: unknown;
  previousFamilyName?: unknown;
  dateOfBirth?: unknown;
  gender?: unknown;
  postcode?: unknown;
  email?: unknown;
  available?: unknown;
  linkedTo?: unknown;
}

/** A register entry in canonical form; absent optional values are null. */
export interface Learner {
  uln: string;
  givenName: string;
  familyName: string;
  previousFamilyName: string | null;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  gender: GenderCode;
  /** "LS1 4AP" form. */
  postcode: string | null;
  email: string | null;
  /** Only used when the learner is new; null means "not said" (new learners are then available). */
  available: boolean | null;
  /** The master ULN when this registration was merged into another record. */
  linkedTo: string | null;
}

/** The personal details and link that make two entries "the same" (availability is not one of them). */
export const COMPARED_FIELDS = [
  'givenName',
  'familyName',
  'previousFamilyName',
  'dateOfBirth',
  'gender',
  'postcode',
  'email',
  'linkedTo',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export const MAX_NAME_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;
/** A postcode is at most 8 characters with its space; longer input is refused before the shape check. */
export const MAX_POSTCODE_INPUT = 16;
/** A date of birth more than this many years before today is refused as implausible. */
export const MAX_AGE_YEARS = 120;

// ---------------------------------------------------------------------------------------
// Single values

/**
 * Letters (any script, with their combining marks), spaces, hyphens, apostrophes and full
 * stops. Digits, symbols and control characters are not part of anyone's name here.
 */
const NAME_CHARACTERS = /^[\p{L}\p{M} '\u2018\u2019\u02bc.\-\u2010\u2011]+$/u;
const HAS_LETTER = /\p{L}/u;
const REPLACEMENT_CHARACTER = '\ufffd';

/** UK postcode shape, spaces removed: outward code (area, district) then inward code. GIR 0AA is the one oddity. */
const POSTCODE_SHAPE = /^(?:([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})|(GIR)(0AA))$/;
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/u;

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Trimmed, with runs of white space made one space. */
export function tidyText(value: string): string {
  return value.trim().replace(/\s+/gu, ' ');
}

/** "ls14ap" or " LS1  4AP " -> "LS1 4AP"; null when it does not have the shape of a UK postcode. */
export function canonicalPostcode(value: string): string | null {
  const compact = value.replace(/\s+/gu, '').toUpperCase();
  const m = POSTCODE_SHAPE.exec(compact);
  if (!m) return null;
  return m[1] !== undefined ? `${m[1]} ${m[2]}` : `${m[3]} ${m[4]}`;
}

export function isEmailShaped(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(value);
}

/** The same month and day `years` earlier, as a string that sorts like the dates it stands for. */
function yearsBefore(isoDay: string, years: number): string {
  const year = Number(isoDay.slice(0, 4)) - years;
  return `${String(Math.max(year, 0)).padStart(4, '0')}${isoDay.slice(4)}`;
}

// ---------------------------------------------------------------------------------------
// One learner

/**
 * Check one learner and bring it to canonical form. `label` names a field the way the
 * caller's input does ("date_of_birth" in a file, "dateOfBirth" in JSON). `today` is
 * YYYY-MM-DD. Every problem is reported, not just the first.
 */
export function checkLearner(
  raw: RawLearner,
  today: string,
  label: (field: LearnerField) => string = (f) => f,
): { ok: true; learner: Learner } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: LearnerField, code: FieldProblemCode, message: string) => {
    problems.push({ field, code, message: `${label(field)} ${message}` });
  };

  /** The value as text, or null when it is blank or unusable (a problem is then recorded if `required`). */
  const textOf = (field: LearnerField, required: boolean): string | null => {
    const value = raw[field];
    if (isBlank(value)) {
      if (required) problem(field, 'missing', 'is required');
      return null;
    }
    if (typeof value !== 'string') {
      problem(field, 'missing', 'must be text');
      return null;
    }
    if (value.includes(REPLACEMENT_CHARACTER)) {
      problem(field, 'encoding', 'contains bytes that are not UTF-8 text');
      return null;
    }
    return tidyText(value);
  };

  const ulnOf = (field: 'uln' | 'linkedTo', required: boolean): string | null => {
    const text = textOf(field, required);
    if (text === null) return null;
    const why = ulnProblem(text);
    if (why !== null) {
      problem(
        field,
        field === 'uln' ? 'uln-invalid' : 'linked-to-invalid',
        `is not a valid ULN: ${ULN_PROBLEM_MESSAGES[why]}`,
      );
      return null;
    }
    return text;
  };

  const nameOf = (field: 'givenName' | 'familyName' | 'previousFamilyName', required: boolean): string | null => {
    const text = textOf(field, required);
    if (text === null) return null;
    if (text.length > MAX_NAME_LENGTH) {
      problem(field, 'too-long', `is longer than ${MAX_NAME_LENGTH} characters`);
      return null;
    }
    if (!NAME_CHARACTERS.test(text) || !HAS_LETTER.test(text)) {
      problem(
        field,
        'name-invalid',
        'must contain letters and only letters, spaces, hyphens, apostrophes and full stops',
      );
      return null;
    }
    return text;
  };

  const uln = ulnOf('uln', true);
  const givenName = nameOf('givenName', true);
  const familyName = nameOf('familyName', true);
  const previousFamilyName = nameOf('previousFamilyName', false);

  let dateOfBirth: string | null = null;
  const dobText = textOf('dateOfBirth', true);
  if (dobText !== null) {
    const day = parseDateOfBirth(dobText);
    if (day === null) problem('dateOfBirth', 'date-invalid', 'is not a real date in the form YYYY-MM-DD');
    else if (day > today) problem('dateOfBirth', 'date-in-future', 'is in the future');
    else if (day < yearsBefore(today, MAX_AGE_YEARS))
      problem('dateOfBirth', 'date-too-old', `is more than ${MAX_AGE_YEARS} years ago`);
    else dateOfBirth = day;
  }

  let gender: GenderCode | null = null;
  const genderText = textOf('gender', true);
  if (genderText !== null) {
    gender = normaliseGender(genderText);
    if (gender === null)
      problem(
        'gender',
        'gender-invalid',
        'must be F, M, X or U (or female, male, other, unknown, or the ISO codes 2, 1, 0, 9)',
      );
  }

  let postcode: string | null = null;
  const postcodeText = textOf('postcode', false);
  if (postcodeText !== null) {
    if (postcodeText.length > MAX_POSTCODE_INPUT)
      problem('postcode', 'too-long', `is longer than ${MAX_POSTCODE_INPUT} characters`);
    else {
      postcode = canonicalPostcode(postcodeText);
      if (postcode === null)
        problem('postcode', 'postcode-invalid', 'does not have the shape of a UK postcode (such as LS1 4AP)');
    }
  }

  let email: string | null = null;
  const emailText = textOf('email', false);
  if (emailText !== null) {
    if (emailText.length > MAX_EMAIL_LENGTH)
      problem('email', 'too-long', `is longer than ${MAX_EMAIL_LENGTH} characters`);
    else if (!isEmailShaped(emailText))
      problem('email', 'email-invalid', 'does not have the shape of an email address (name@domain.example)');
    else email = emailText;
  }

  let available: boolean | null = null;
  if (typeof raw.available === 'boolean') available = raw.available;
  else {
    const availableText = textOf('available', false);
    if (availableText !== null) {
      const word = availableText.toLowerCase();
      if (TRUE_WORDS.has(word)) available = true;
      else if (FALSE_WORDS.has(word)) available = false;
      else
        problem(
          'available',
          'available-invalid',
          'must be true or false (yes/no, y/n and 1/0 are also understood), or empty',
        );
    }
  }

  const linkedTo = ulnOf('linkedTo', false);
  if (linkedTo !== null && uln !== null && linkedTo === uln) {
    problem('linkedTo', 'linked-to-self', "names the learner's own ULN; a record cannot be merged into itself");
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    learner: {
      uln: uln!,
      givenName: givenName!,
      familyName: familyName!,
      previousFamilyName,
      dateOfBirth: dateOfBirth!,
      gender: gender!,
      postcode,
      email,
      available,
      linkedTo,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Comparing with the register

/** What the register holds for a ULN, as the repository reads it. */
export interface StoredLearner {
  uln: string;
  linkedTo: string | null;
  available: boolean;
  /** Null when the ULN is known (say from an achievement) but nobody registered the learner's details. */
  details: {
    givenName: string | null;
    familyName: string | null;
    previousFamilyName: string | null;
    dateOfBirth: string | null;
    gender: string | null;
    postcode: string | null;
    email: string | null;
  } | null;
}

export type Comparison =
  | { kind: 'new' }
  | { kind: 'same'; availabilityDiffers: boolean }
  | { kind: 'changed'; fields: ComparedField[]; availabilityDiffers: boolean };

function storedValue(stored: StoredLearner, field: ComparedField): string | null {
  const value = field === 'linkedTo' ? stored.linkedTo : stored.details?.[field];
  return value === undefined || value === null || value === '' ? null : value;
}

/**
 * How a canonical learner compares with the register's entry. No entry, or an entry with
 * no personal details, is new. Availability is not a detail: a file or a registration sets
 * it for new learners only (afterwards it is the learner's own choice, OCF 07), so a
 * difference is reported on its own and changes nothing.
 */
export function compareWithRegister(learner: Learner, stored: StoredLearner | undefined): Comparison {
  if (!stored || stored.details === null) return { kind: 'new' };
  const availabilityDiffers = learner.available !== null && learner.available !== stored.available;
  const fields = COMPARED_FIELDS.filter((f) => (learner[f] ?? null) !== storedValue(stored, f));
  return fields.length === 0 ? { kind: 'same', availabilityDiffers } : { kind: 'changed', fields, availabilityDiffers };
}
