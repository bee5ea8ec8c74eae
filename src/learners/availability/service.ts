/**
 * OCF 07, learner data availability: what REST and GraphQL both answer. The learner
 * makes their record available or unavailable; service staff record the same request
 * taken by telephone. Who may then see the record is decided by ../access.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Graph } from '../../platform/neo4j.js';
import type { Principal } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { openLearner } from '../gate.js';
import { learnerSharing } from '../repository.js';
import { planAvailabilityRequest, type AvailabilityActor, type AvailabilityInput } from './rules.js';
import {
  availabilityHistory,
  recordAvailabilityRequest,
  type AvailabilityHistory,
  type AvailabilityRequestRecord,
} from './repository.js';

/** What the service needs; `now` is the clock, so that tests can fix it. */
export interface AvailabilityDeps {
  graph: Graph;
  now: () => Date;
}

export interface AvailabilityChange {
  uln: string;
  available: boolean;
  /** Records merged into this learner's whose flag changed with it. */
  mergedRecords: number;
  request: AvailabilityRequestRecord;
}

/** The learner acting on their own record (or one merged into theirs), else service staff. */
async function actorFor(graph: Graph, principal: Principal, uln: string): Promise<AvailabilityActor> {
  if (principal.roles.includes('learner') && principal.uln !== undefined) {
    if (principal.uln === uln) return 'learner';
    if ((await learnerSharing(graph, uln)).linkedTo === principal.uln) return 'learner';
  }
  if (principal.roles.includes('operator')) return 'operator';
  throw new AppError(403, 'FORBIDDEN', 'only the learner, or service staff for them, may change who sees a record');
}

export async function setAvailability(
  deps: AvailabilityDeps,
  principal: Principal,
  uln: string,
  input: AvailabilityInput,
): Promise<AvailabilityChange> {
  await openLearner(deps.graph, principal, uln, 'availability-change');
  const actor = await actorFor(deps.graph, principal, uln);
  const now = deps.now();
  const plan = planAvailabilityRequest(actor, input, now);
  if (!plan.ok)
    throw new AppError(
      plan.problem.status,
      plan.problem.code,
      plan.problem.message,
      plan.problem.field ? { field: plan.problem.field } : undefined,
    );
  const saved = await recordAvailabilityRequest(deps.graph, {
    id: randomUUID(),
    uln,
    handledBy: principal.subject,
    ...plan.value,
  });
  if (!saved) throw new AppError(404, 'LEARNER_NOT_FOUND', `no learner has ULN ${uln}`);
  return saved;
}

export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 200;

export async function getAvailability(
  deps: AvailabilityDeps,
  principal: Principal,
  uln: string,
  limit = HISTORY_LIMIT_DEFAULT,
): Promise<AvailabilityHistory> {
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_LIMIT_MAX) {
    throw new AppError(400, 'VALIDATION', `limit must be a whole number from 1 to ${HISTORY_LIMIT_MAX}`, {
      field: 'limit',
    });
  }
  await openLearner(deps.graph, principal, uln, 'availability');
  // Only the learner and service staff see the history; the route says so too, and
  // GraphQL callers reach this with any role the gate lets through.
  await actorFor(deps.graph, principal, uln);
  const history = await availabilityHistory(deps.graph, uln, limit);
  if (!history) throw new AppError(404, 'LEARNER_NOT_FOUND', `no learner has ULN ${uln}`);
  return history;
}
