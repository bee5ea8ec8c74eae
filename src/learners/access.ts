/**
 * Who may see a learner's achievements (SPEC 4 OCF 07 and section 6). Pure.
 *
 * - The learner sees their own record, always.
 * - Service operators see any record (they act for learners who phone in).
 * - AOs, providers and careers advisers see a record the learner has made available.
 *   While it is unavailable an AO still sees the records it submitted itself, and nobody
 *   else sees anything: they get "not shared", never an empty record.
 * - Analysts never see an individual learner.
 */
import type { Principal, Role } from '../platform/auth.js';

export type LearnerScope = 'all' | 'own-records';

export type LearnerAccess =
  { allowed: true; scope: LearnerScope } | { allowed: false; reason: 'not-shared' | 'not-permitted' };

export interface LearnerFacts {
  uln: string;
  available: boolean;
  /** The master ULN when this learner has been merged into another record. */
  linkedTo?: string | null;
}

/** Roles that may look learners up at all. */
export const LEARNER_VIEWER_ROLES: readonly Role[] = [
  'learner',
  'operator',
  'ao-user',
  'ao-admin',
  'provider-user',
  'provider-admin',
  'careers-adviser',
];

const SHARED_WITH: readonly Role[] = ['ao-user', 'ao-admin', 'provider-user', 'provider-admin', 'careers-adviser'];
const AO_ROLES: readonly Role[] = ['ao-user', 'ao-admin'];

export function learnerAccess(principal: Principal, learner: LearnerFacts): LearnerAccess {
  const roles = principal.roles;
  if (
    roles.includes('learner') &&
    principal.uln !== undefined &&
    (principal.uln === learner.uln || principal.uln === learner.linkedTo)
  ) {
    return { allowed: true, scope: 'all' };
  }
  if (roles.includes('operator')) return { allowed: true, scope: 'all' };
  if (roles.some((r) => SHARED_WITH.includes(r))) {
    if (learner.available) return { allowed: true, scope: 'all' };
    if (roles.some((r) => AO_ROLES.includes(r)) && principal.organisation)
      return { allowed: true, scope: 'own-records' };
    return { allowed: false, reason: 'not-shared' };
  }
  return { allowed: false, reason: 'not-permitted' };
}
