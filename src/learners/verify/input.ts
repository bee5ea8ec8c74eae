/**
 * What the verification endpoints (OCF 11: REST, GraphQL and each row of a batch) accept
 * before asking verifyLearner (src/learners/verify.ts). Pure: "today" is passed in.
 *
 * The rule (docs/learner-files.md, "Bad input or an answer"): a submission that cannot be
 * compared at all is bad input, refused with the field named (400 for a single request, a
 * ROW_INVALID line in a batch). That is a missing field, a name with no letters (which
 * verifyLearner would list in `invalid`), a date of birth that is not a real YYYY-MM-DD day
 * or is in the future (verifyLearner has no clock, so it cannot tell), and a gender that is
 * not a known code. A ULN of the wrong shape is NOT bad input: it is the answer WSVRC006,
 * as the LRS gives it. So verifyLearner's own `invalid` list only ever reaches callers that
 * use it directly, such as the achievement upload's row checks.
 */
import { ulnProblem } from '../uln.js';
import { type SubmittedDetails, normaliseGender, normaliseName, parseDateOfBirth } from '../verify.js';

export type VerifyInputField = 'uln' | 'givenName' | 'familyName' | 'dateOfBirth' | 'gender' | 'postcode';
export type VerifyInputProblemCode =
  'missing' | 'uln-malformed' | 'name-invalid' | 'date-invalid' | 'date-in-future' | 'gender-invalid';

export interface VerifyInputProblem {
  field: VerifyInputField;
  code: VerifyInputProblemCode;
  /** Names the field and the rule, never the value. */
  message: string;
}

export interface RawVerifyInput {
  uln?: unknown;
  givenName?: unknown;
  familyName?: unknown;
  dateOfBirth?: unknown;
  gender?: unknown;
  postcode?: unknown;
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Check a verification request. On success the details to verify: the ULN and date of
 * birth trimmed, everything else as sent (verifyLearner normalises names, gender and
 * postcode itself), a blank postcode dropped.
 */
export function checkVerifyInput(
  raw: RawVerifyInput,
  today: string,
  label: (field: VerifyInputField) => string = (f) => f,
): { ok: true; submitted: SubmittedDetails; ulnWellFormed: boolean } | { ok: false; problems: VerifyInputProblem[] } {
  const problems: VerifyInputProblem[] = [];
  const problem = (field: VerifyInputField, code: VerifyInputProblemCode, message: string) =>
    problems.push({ field, code, message: `${label(field)} ${message}` });
  const required = (field: Exclude<VerifyInputField, 'postcode'>): string | null => {
    const value = raw[field];
    if (!present(value)) {
      problem(field, 'missing', 'is required');
      return null;
    }
    return value;
  };

  const uln = required('uln');
  // Not even the shape of a ULN is bad input. Ten digits that break a ULN rule (check digit,
  // leading zero, the temporary 9999999999) are a real answer: WSVRC006.
  if (uln !== null && !/^[0-9]{10}$/.test(uln.trim())) problem('uln', 'uln-malformed', 'must be exactly 10 digits');
  const givenName = required('givenName');
  if (givenName !== null && normaliseName(givenName) === '')
    problem('givenName', 'name-invalid', 'has no letters to compare');
  const familyName = required('familyName');
  if (familyName !== null && normaliseName(familyName) === '')
    problem('familyName', 'name-invalid', 'has no letters to compare');
  const dobText = required('dateOfBirth');
  let dateOfBirth: string | null = null;
  if (dobText !== null) {
    dateOfBirth = parseDateOfBirth(dobText);
    if (dateOfBirth === null) problem('dateOfBirth', 'date-invalid', 'is not a real date in the form YYYY-MM-DD');
    else if (dateOfBirth > today) problem('dateOfBirth', 'date-in-future', 'is in the future');
  }
  const gender = required('gender');
  if (gender !== null && normaliseGender(gender) === null)
    problem(
      'gender',
      'gender-invalid',
      'must be F, M, X or U (or female, male, other, unknown, or the ISO codes 2, 1, 0, 9)',
    );

  if (problems.length > 0) return { ok: false, problems };
  const submitted: SubmittedDetails = {
    uln: uln!.trim(),
    givenName: givenName!,
    familyName: familyName!,
    dateOfBirth: dateOfBirth!,
    gender: gender!,
  };
  if (present(raw.postcode)) submitted.postcode = raw.postcode;
  return { ok: true, submitted, ulnWellFormed: ulnProblem(submitted.uln) === null };
}
