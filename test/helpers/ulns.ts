import { ulnCheckDigit } from '../../src/learners/uln.js';

/** The first `count` valid ULNs from a nine-digit starting prefix, worked out with the check-digit rule. */
export function validUlns(start: number, count: number): string[] {
  const out: string[] = [];
  for (let n = start; out.length < count; n++) {
    const c = ulnCheckDigit(String(n));
    if (c !== null) out.push(`${n}${c}`);
  }
  return out;
}
