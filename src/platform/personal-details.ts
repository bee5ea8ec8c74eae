/**
 * A learner's personal details as the graph holds them: one sealed value on the
 * PersonalDetails node (`sealed`), never a property per field, so that no analyst's
 * session can read them, filter on them or infer them (docs/analytics.md, the second
 * wall). The repositories seal on the way in and open on the way out; services and their
 * tests see the same plain values as before.
 */
import type { Sealer } from './sealing.js';

export interface PersonalFields {
  givenName: string | null;
  familyName: string | null;
  previousFamilyName: string | null;
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
  gender: string | null;
  postcode: string | null;
  email: string | null;
}

export function sealDetails(sealer: Sealer, d: Partial<PersonalFields>): string {
  const fields: PersonalFields = {
    givenName: d.givenName ?? null,
    familyName: d.familyName ?? null,
    previousFamilyName: d.previousFamilyName ?? null,
    dateOfBirth: d.dateOfBirth ?? null,
    gender: d.gender ?? null,
    postcode: d.postcode ?? null,
    email: d.email ?? null,
  };
  return sealer.seal(JSON.stringify(fields));
}

/** The details from their sealed form; null when there is none (a Learner not on the register). */
export function openDetails(sealer: Sealer, sealed: unknown): PersonalFields | null {
  if (typeof sealed !== 'string') return null;
  return JSON.parse(sealer.open(sealed)) as PersonalFields;
}
