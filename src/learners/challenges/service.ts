/**
 * OCF 08, data challenges: what REST and GraphQL both answer.
 *
 * - A learner (own ULN) files a challenge online; service staff record a written one
 *   (from the learner or a representative). Both go through the learner gate.
 * - The AO that submitted the record sees the challenges addressed to it and resolves
 *   them. Any other AO is told the challenge does not exist (404), so that its existence
 *   does not leak. AOs reach challenges without the learner gate (they must answer a
 *   challenge whether or not the learner shares their record, just as they see their own
 *   records of an unsharing learner), and every such read or resolution goes to the
 *   access log.
 * - On resolution the learner is emailed the outcome. The time taken is measured in
 *   service hours from filing to resolution.
 *
 * The clock is a dependency (`now`), so tests can file on a Friday evening and resolve
 * after a bank holiday weekend without waiting for one.
 */
import { randomUUID } from 'node:crypto';
import type { Graph } from '../../platform/neo4j.js';
import type { Mailer } from '../../platform/mail.js';
import type { Principal, Role } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { serviceHoursBetween, DEFAULT_NATION, type Nation } from '../../operations/service-hours.js';
import { openLearner } from '../gate.js';
import { learnerSharing } from '../repository.js';
import { roundHours } from '../availability/rules.js';
import {
  checkFilingAgainstRecord,
  outcomeSentence,
  planFiling,
  planResolution,
  type ChallengeActor,
  type ChallengeStatus,
  type FilingInput,
  type ResolutionInput,
  type RuleProblem,
} from './rules.js';
import {
  challengeForAo,
  challengeQueue,
  challengesForLearner,
  createChallenge,
  learnerContactEmail,
  logChallengeAccess,
  markNotified,
  recordForLearner,
  resolveChallengeTx,
  type ChallengeRow,
} from './repository.js';

export interface ChallengeDeps {
  graph: Graph;
  mailer: Mailer;
  now: () => Date;
  /** Where a failed notification is reported; gets ids and kinds only. */
  log: { warn(obj: object, msg: string): void };
  /** Whose public holidays the service hours skip. */
  nation?: Nation;
}

export const AO_ROLES: readonly Role[] = ['ao-user', 'ao-admin'];
export const QUEUE_LIMIT_DEFAULT = 50;
export const QUEUE_LIMIT_MAX = 200;

function problem(p: RuleProblem): AppError {
  return new AppError(p.status, p.code, p.message, p.field ? { field: p.field } : undefined);
}

/** Service hours so far for an open challenge, as stored for a resolved one. */
function withHours(row: ChallengeRow, deps: ChallengeDeps): ChallengeRow {
  if (row.status !== 'open') return row;
  return {
    ...row,
    serviceHours: roundHours(serviceHoursBetween(new Date(row.filedAt), deps.now(), deps.nation ?? DEFAULT_NATION)),
  };
}

/** What an AO may see of a challenge: the representative's relationship but not their name. */
function forAo(row: ChallengeRow): ChallengeRow {
  return row.representative ? { ...row, representative: { relationship: row.representative.relationship } } : row;
}

function aoOf(principal: Principal): string {
  if (!principal.roles.some((r) => AO_ROLES.includes(r)))
    throw new AppError(
      403,
      'FORBIDDEN',
      'only the awarding organisation that submitted a record answers challenges about it',
    );
  if (!principal.organisation)
    throw new AppError(403, 'FORBIDDEN', 'your token names no organisation, so no challenge is addressed to you');
  return principal.organisation;
}

async function actorFor(graph: Graph, principal: Principal, uln: string): Promise<ChallengeActor> {
  if (principal.roles.includes('learner') && principal.uln !== undefined) {
    if (principal.uln === uln) return 'learner';
    if ((await learnerSharing(graph, uln)).linkedTo === principal.uln) return 'learner';
  }
  if (principal.roles.includes('operator')) return 'operator';
  throw new AppError(
    403,
    'FORBIDDEN',
    'only the learner, or service staff recording a written challenge, may file one',
  );
}

// ---------------------------------------------------------------------------------------
// The learner's side

export async function fileChallenge(
  deps: ChallengeDeps,
  principal: Principal,
  uln: string,
  input: FilingInput,
): Promise<ChallengeRow> {
  await openLearner(deps.graph, principal, uln, 'challenge-file');
  const actor = await actorFor(deps.graph, principal, uln);
  const plan = planFiling(actor, input, deps.now());
  if (!plan.ok) throw problem(plan.problem);
  const { record } = plan.value;
  const facts = await recordForLearner(deps.graph, uln, record.key);
  if (!facts) {
    throw new AppError(404, 'RECORD_NOT_FOUND', `learner ${uln} has no achievement record ${record.key}`, {
      field: input.recordKey !== undefined ? 'recordKey' : 'recordId',
    });
  }
  const refused = checkFilingAgainstRecord(plan.value, facts);
  if (refused) throw problem(refused);
  const id = randomUUID();
  const created = await createChallenge(deps.graph, {
    id,
    uln,
    key: record.key,
    reason: plan.value.reason,
    filedAt: plan.value.filedAt,
    filedBy: principal.subject,
    channel: plan.value.channel,
    representative: plan.value.representative,
  });
  if (!created)
    throw new AppError(
      409,
      'RECORD_WITHDRAWN',
      `record ${record.key} was withdrawn while the challenge was being filed`,
    );
  const rows = await challengesForLearner(deps.graph, uln);
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`challenge ${id} was created but cannot be read back`);
  return withHours(row, deps);
}

export async function learnerChallenges(
  deps: ChallengeDeps,
  principal: Principal,
  uln: string,
): Promise<ChallengeRow[]> {
  await openLearner(deps.graph, principal, uln, 'challenges');
  await actorFor(deps.graph, principal, uln);
  return (await challengesForLearner(deps.graph, uln)).map((r) => withHours(r, deps));
}

// ---------------------------------------------------------------------------------------
// The awarding organisation's side

export function parseStatus(raw: string | undefined | null): ChallengeStatus | null {
  if (raw === undefined || raw === null || raw === 'open') return 'open';
  if (raw === 'all') return null;
  if (raw === 'upheld' || raw === 'rejected') return raw;
  throw new AppError(400, 'VALIDATION', `status must be open, upheld, rejected or all; got ${JSON.stringify(raw)}`, {
    field: 'status',
  });
}

export async function aoChallenges(
  deps: ChallengeDeps,
  principal: Principal,
  opts: { status?: string | null; limit?: number; offset?: number } = {},
): Promise<{ total: number; items: ChallengeRow[] }> {
  const ukprn = aoOf(principal);
  const status = parseStatus(opts.status);
  const limit = opts.limit ?? QUEUE_LIMIT_DEFAULT;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > QUEUE_LIMIT_MAX)
    throw new AppError(400, 'VALIDATION', `limit must be a whole number from 1 to ${QUEUE_LIMIT_MAX}`, {
      field: 'limit',
    });
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError(400, 'VALIDATION', 'offset must be a whole number, 0 or more', { field: 'offset' });
  const page = await challengeQueue(deps.graph, ukprn, status, limit, offset);
  const ulns = [...new Set(page.items.map((c) => c.uln))];
  await logChallengeAccess(
    deps.graph,
    ulns.map((uln) => ({
      uln,
      subject: principal.subject,
      organisation: ukprn,
      roles: principal.roles,
      what: 'challenge-queue',
    })),
  );
  return { total: page.total, items: page.items.map((r) => forAo(withHours(r, deps))) };
}

function notFound(id: string): AppError {
  // The same answer whether the challenge does not exist or is addressed to another AO.
  return new AppError(404, 'CHALLENGE_NOT_FOUND', `no challenge ${id} is addressed to your organisation`);
}

export async function aoChallenge(deps: ChallengeDeps, principal: Principal, id: string): Promise<ChallengeRow> {
  const ukprn = aoOf(principal);
  const row = await challengeForAo(deps.graph, ukprn, id);
  if (!row) throw notFound(id);
  await logChallengeAccess(deps.graph, [
    { uln: row.uln, subject: principal.subject, organisation: ukprn, roles: principal.roles, what: `challenge ${id}` },
  ]);
  return forAo(withHours(row, deps));
}

export interface ResolvedChallenge extends ChallengeRow {
  /** Whether the learner was emailed the outcome now. */
  notified: boolean;
}

export async function resolveChallenge(
  deps: ChallengeDeps,
  principal: Principal,
  id: string,
  input: ResolutionInput,
): Promise<ResolvedChallenge> {
  const ukprn = aoOf(principal);
  const nation = deps.nation ?? DEFAULT_NATION;
  const done = await resolveChallengeTx(deps.graph, ukprn, id, (locked) => {
    const now = deps.now();
    const plan = planResolution(input, locked.status, locked.record, locked.unit, now);
    if (!plan.ok) throw problem(plan.problem);
    return {
      plan: plan.value,
      resolvedAt: now,
      resolvedBy: principal.subject,
      serviceHours: roundHours(serviceHoursBetween(locked.filedAt, now, nation)),
    };
  });
  if (!done) throw notFound(id);
  await logChallengeAccess(deps.graph, [
    {
      uln: done.locked.uln,
      subject: principal.subject,
      organisation: ukprn,
      roles: principal.roles,
      what: `challenge-resolution ${id}`,
    },
  ]);
  const notifiedAt = await notifyLearner(deps, done.challenge, done.write.plan);
  const challenge = notifiedAt ? { ...done.challenge, notifiedAt: notifiedAt.toISOString() } : done.challenge;
  return { ...forAo(challenge), notified: notifiedAt !== null };
}

/**
 * Email the learner the outcome; when it was sent, or null. A missing address or a mail
 * failure does not undo the resolution: the challenge simply has no notifiedAt, for staff
 * to follow up.
 */
async function notifyLearner(
  deps: ChallengeDeps,
  c: ChallengeRow,
  plan: Parameters<typeof outcomeSentence>[0] & { reason: string | null },
): Promise<Date | null> {
  const to = await learnerContactEmail(deps.graph, c.uln);
  if (!to) {
    deps.log.warn(
      { kind: 'challenge-outcome', challenge: c.id },
      'challenge outcome not sent: the learner has no contact email',
    );
    return null;
  }
  const unit = c.record.urn ? ` for unit ${c.record.urn}${c.record.unitTitle ? ` (${c.record.unitTitle})` : ''}` : '';
  const lines = [
    'Hello,',
    '',
    `You challenged achievement record ${c.record.recordId}${unit}, submitted by awarding organisation ${c.aoUkprn}, on ${c.filedAt.slice(0, 10)}.`,
    '',
    outcomeSentence(plan),
  ];
  if (plan.reason) lines.push('', "The awarding organisation's reason:", plan.reason);
  lines.push(
    '',
    `Challenge reference: ${c.id}`,
    `Time taken: ${c.serviceHours ?? 0} service hours.`,
    '',
    'Personal Learning Record service',
  );
  try {
    const sent = await deps.mailer.send({
      to,
      subject: `Your data challenge has been ${c.status}`,
      text: lines.join('\n'),
      kind: 'challenge-outcome',
    });
    if (!sent.sent) return null;
  } catch (err) {
    deps.log.warn(
      { kind: 'challenge-outcome', challenge: c.id, error: (err as Error).name },
      'challenge outcome not sent: the mail server did not take it',
    );
    return null;
  }
  const at = deps.now();
  await markNotified(deps.graph, c.id, at);
  return at;
}
