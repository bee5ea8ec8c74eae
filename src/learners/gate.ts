/**
 * The door to any view of one learner: the ULN is checked, the learner must exist, the
 * caller must be allowed (access.ts), and every read or refused attempt by someone other
 * than the learner is written to the access log.
 */
import type { Graph } from '../platform/neo4j.js';
import type { Principal } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';
import { ULN_PROBLEM_MESSAGES, ulnProblem } from './uln.js';
import { learnerAccess, type LearnerScope } from './access.js';
import { learnerSharing, recordAccess } from './repository.js';

export interface LearnerPass {
  uln: string;
  scope: LearnerScope;
  /** Set when the scope is the caller's own records: their AO's UKPRN. */
  onlyAo: string | null;
}

export function invalidUln(uln: string): AppError | null {
  const problem = ulnProblem(uln);
  return problem
    ? new AppError(400, 'INVALID_ULN', `${ULN_PROBLEM_MESSAGES[problem]}: ${uln}`, { field: 'uln' })
    : null;
}

export async function openLearner(graph: Graph, principal: Principal, uln: string, what: string): Promise<LearnerPass> {
  const bad = invalidUln(uln);
  if (bad) throw bad;
  const sharing = await learnerSharing(graph, uln);
  if (!sharing.exists) throw new AppError(404, 'LEARNER_NOT_FOUND', `no learner has ULN ${uln}`);
  const decision = learnerAccess(principal, { uln, available: sharing.available, linkedTo: sharing.linkedTo });
  const who = {
    uln,
    subject: principal.subject,
    organisation: principal.organisation ?? null,
    roles: principal.roles,
    what,
  };
  if (!decision.allowed) {
    // The learner can see who tried and was turned away, not only who looked.
    await recordAccess(graph, { ...who, outcome: 'refused' });
    if (decision.reason === 'not-shared') {
      throw new AppError(403, 'NOT_SHARED', 'the learner has not agreed to share their record');
    }
    throw new AppError(403, 'FORBIDDEN', 'your role may not see this learner');
  }
  const isSelf =
    principal.roles.includes('learner') &&
    principal.uln !== undefined &&
    (principal.uln === uln || principal.uln === sharing.linkedTo);
  if (!isSelf) {
    await recordAccess(graph, { ...who, outcome: 'allowed' });
  }
  return {
    uln,
    scope: decision.scope,
    onlyAo: decision.scope === 'own-records' ? (principal.organisation ?? null) : null,
  };
}
