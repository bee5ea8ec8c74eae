/**
 * ULN rules of SPEC section 2. Pure: no I/O.
 */
export const TEMPORARY_ULN = '9999999999';

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

export type UlnProblem =
  'missing' | 'not-ten-digits' | 'leading-zero' | 'no-valid-check-digit' | 'check-digit' | 'temporary';

/** Check digit for a nine-digit prefix, or null when no ULN can start with it. */
export function ulnCheckDigit(prefix: string): number | null {
  if (!/^[0-9]{9}$/.test(prefix)) throw new RangeError('a ULN prefix is nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(prefix[i]) * WEIGHTS[i];
  const r = sum % 11;
  if (r === 0) return null;
  return 10 - r;
}

/** Why a ULN is not valid, or null when it is. */
export function ulnProblem(value: unknown): UlnProblem | null {
  if (typeof value !== 'string' || value.length === 0) return 'missing';
  if (!/^[0-9]{10}$/.test(value)) return 'not-ten-digits';
  // The placeholder fails the check digit too, but says something more useful this way.
  if (value === TEMPORARY_ULN) return 'temporary';
  if (value[0] === '0') return 'leading-zero';
  const expected = ulnCheckDigit(value.slice(0, 9));
  if (expected === null) return 'no-valid-check-digit';
  if (expected !== Number(value[9])) return 'check-digit';
  return null;
}

export function isValidUln(value: unknown): value is string {
  return ulnProblem(value) === null;
}

export const ULN_PROBLEM_MESSAGES: Record<UlnProblem, string> = {
  missing: 'ULN is missing',
  'not-ten-digits': 'ULN must be exactly 10 digits',
  'leading-zero': 'ULN must not start with 0',
  'no-valid-check-digit': 'no valid ULN starts with these nine digits',
  'check-digit': 'ULN check digit is wrong',
  temporary: '9999999999 is the temporary ULN placeholder and is never accepted',
};
