/**
 * OCF 03: the learner record (online, printable, through a time-limited link) and the
 * access log. What REST, GraphQL and the printable report all answer.
 *
 * Every organisation's or operator's view goes through the learner gate (openLearner),
 * which checks the ULN, the learner and the caller's right to see them, and writes the
 * read, or the refused attempt, to the access log. Record links are the one other way in:
 * the learner's own act of sharing, checked by the link rules (links.ts) and the graph,
 * and logged the same way with the subject "record-link:<id>".
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import type { Principal, Role } from '../../platform/auth.js';
import type { Mailer } from '../../platform/mail.js';
import { AppError } from '../../platform/errors.js';
import { invalidUln, openLearner } from '../gate.js';
import { recordAccess } from '../repository.js';
import { buildRecordView, seesNames, type RecordView } from './record.js';
import {
  MAX_LINKS_PER_DAY,
  REFUSALS,
  lifetimeProblem,
  linkEmail,
  linkExpiry,
  linkRefusal,
  linkStatus,
  looksLikeEmail,
  mayManageLinks,
  recordLinkUrl,
  type LinkStatus,
} from './links.js';
import { linkSigner } from './link-tokens.js';
import {
  accessLogPage,
  createLink,
  linkContact,
  listLinks,
  openLink,
  readRecord,
  revokeLink,
  type AccessLogEntry,
  type StoredLink,
} from './repository.js';

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

export interface RecordDeps {
  graph: Graph;
  mailer: Mailer;
  config: Config;
  /** The time rules judge by; the system clock unless a test says otherwise. */
  clock?: Clock;
}

export interface RecordAnswer extends RecordView {
  generatedAt: string;
  sharedLink?: { id: string; expiresAt: string; singleUse: boolean };
}

export interface LinkView extends StoredLink {
  status: LinkStatus;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Roles that may read a learner's access log: the learner (their own) and the operator. */
export const ACCESS_LOG_ROLES: readonly Role[] = ['learner', 'operator'];

/** OCF 03: a learner's record for a caller who may see it; `what` is what the access log says. */
export async function learnerRecord(
  graph: Graph,
  principal: Principal,
  uln: string,
  what = 'record',
  clock: Clock = systemClock,
): Promise<RecordAnswer> {
  const pass = await openLearner(graph, principal, uln, what);
  const withNames = seesNames(principal, uln);
  const read = await readRecord(graph, uln, { onlyAo: pass.onlyAo, withNames });
  const now = clock();
  const view = buildRecordView({
    uln,
    scope: pass.scope,
    name: withNames ? { givenName: read.givenName, familyName: read.familyName } : null,
    rows: read.rows,
    rules: read.rules,
    date: now.toISOString().slice(0, 10),
  });
  return { ...view, generatedAt: now.toISOString() };
}

/** The signed-in learner's own record (the ULN their token carries). */
export async function myRecord(
  graph: Graph,
  principal: Principal,
  what = 'record',
  clock: Clock = systemClock,
): Promise<RecordAnswer> {
  if (!principal.roles.includes('learner') || principal.uln === undefined) {
    throw new AppError(403, 'FORBIDDEN', 'this needs a learner token that carries your ULN');
  }
  return learnerRecord(graph, principal, principal.uln, what, clock);
}

// ---------------------------------------------------------------------------------------
// Record links

function checkOwner(principal: Principal, uln: string): void {
  const bad = invalidUln(uln);
  if (bad) throw bad;
  if (!mayManageLinks(principal, uln)) {
    throw new AppError(
      403,
      'FORBIDDEN',
      'only the learner manages links to their record, signed in with their own ULN',
    );
  }
}

function linkView(link: StoredLink, now: Date): LinkView {
  return { ...link, status: linkStatus(link, now) };
}

export interface CreateLinkRequest {
  lifetimeHours: number;
  singleUse?: boolean;
  email?: string;
  showName?: boolean;
}

/**
 * The learner shares their record: a link is stored, signed and emailed (to the address
 * given, or else the learner's contact email). The address is never stored with the link
 * nor logged. If the mail server refuses the message, the link is withdrawn at once. A
 * learner whose record is unavailable (OCF 07) is asked to make it available first.
 */
export async function createRecordLink(
  deps: RecordDeps,
  principal: Principal,
  uln: string,
  request: CreateLinkRequest,
): Promise<{ link: LinkView; url: string; emailed: boolean }> {
  checkOwner(principal, uln);
  const problem = lifetimeProblem(request.lifetimeHours);
  if (problem) throw new AppError(400, 'VALIDATION', problem, [{ in: 'body', field: 'lifetimeHours', problem }]);
  if (request.email !== undefined && !looksLikeEmail(request.email)) {
    throw new AppError(400, 'VALIDATION', 'email is not an email address', [
      { in: 'body', field: 'email', problem: 'is not an email address' },
    ]);
  }
  const contact = await linkContact(deps.graph, uln);
  if (!contact.exists) throw new AppError(404, 'LEARNER_NOT_FOUND', `no learner has ULN ${uln}`);
  if (!contact.available) {
    // It would not open (links.ts): say so now rather than email a link that fails.
    throw new AppError(
      409,
      'RECORD_UNAVAILABLE',
      'your record is unavailable to others at the moment: make it available before sharing it',
    );
  }
  const to = request.email ?? contact.email;
  if (!to) {
    throw new AppError(
      400,
      'NO_EMAIL',
      'there is no contact email on your record: give the address the link should go to',
      [{ in: 'body', field: 'email', problem: 'is needed' }],
    );
  }

  // Whole seconds, so that the token's expiry and the stored one agree exactly.
  const now = new Date(Math.floor((deps.clock ?? systemClock)().getTime() / 1000) * 1000);
  const expiresAt = linkExpiry(now, request.lifetimeHours);
  const id = randomUUID();
  const singleUse = request.singleUse ?? false;
  const showName = request.showName ?? true;
  const stored = await createLink(
    deps.graph,
    {
      id,
      uln,
      now: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      lifetimeHours: request.lifetimeHours,
      singleUse,
      showName,
    },
    MAX_LINKS_PER_DAY,
  );
  if (!stored.created) {
    throw new AppError(
      429,
      'TOO_MANY_LINKS',
      `you have made ${MAX_LINKS_PER_DAY} links in the last 24 hours, the most allowed; try again later`,
      undefined,
      { 'retry-after': '3600' },
    );
  }

  const signer = await linkSigner(deps.config);
  const token = await signer.sign({ id, uln, issuedAt: now, expiresAt });
  const url = recordLinkUrl(deps.config.publicUrl, token);
  const mail = linkEmail(url, { expiresAt: expiresAt.toISOString(), singleUse, lifetimeHours: request.lifetimeHours });
  let emailed: boolean;
  try {
    emailed = (await deps.mailer.send({ to, subject: mail.subject, text: mail.text, kind: 'record-link' })).sent;
  } catch {
    await revokeLink(deps.graph, uln, id, now.toISOString());
    throw new AppError(502, 'MAIL_FAILED', 'the link could not be emailed, so it was withdrawn; try again later');
  }
  const link: StoredLink = {
    id,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    lifetimeHours: request.lifetimeHours,
    singleUse,
    showName,
    opens: 0,
    usedAt: null,
    revokedAt: null,
  };
  return { link: linkView(link, now), url, emailed };
}

export async function listRecordLinks(
  deps: Pick<RecordDeps, 'graph' | 'clock'>,
  principal: Principal,
  uln: string,
  page: Page,
): Promise<{ total: number; items: LinkView[] }> {
  checkOwner(principal, uln);
  const found = await listLinks(deps.graph, uln, page);
  if (!found) throw new AppError(404, 'LEARNER_NOT_FOUND', `no learner has ULN ${uln}`);
  const now = (deps.clock ?? systemClock)();
  return { total: found.total, items: found.items.map((l) => linkView(l, now)) };
}

export async function revokeRecordLink(
  deps: Pick<RecordDeps, 'graph' | 'clock'>,
  principal: Principal,
  uln: string,
  id: string,
): Promise<LinkView> {
  checkOwner(principal, uln);
  const now = (deps.clock ?? systemClock)();
  const link = await revokeLink(deps.graph, uln, id, now.toISOString());
  if (!link) throw new AppError(404, 'LINK_NOT_FOUND', 'you have no record link with that id');
  return linkView(link, now);
}

/**
 * Open a record link: a read-only view of the whole record, refused once the link has
 * expired, was revoked, was single-use and opened, or while the record is unavailable.
 * Every opening, and every refused one, is in the learner's access log.
 */
export async function openRecordLink(
  deps: RecordDeps,
  token: string,
  what: 'record' | 'record.pdf' = 'record',
): Promise<RecordAnswer> {
  const now = (deps.clock ?? systemClock)();
  const signer = await linkSigner(deps.config);
  const checked = await signer.check(token, now);
  const notFound = new AppError(
    404,
    'LINK_NOT_FOUND',
    'this record link is not valid: check that the whole address was copied',
  );
  if (!checked.ok) throw notFound;
  const { id, uln } = checked.claims;
  const state = await openLink(deps.graph, uln, id, now.toISOString());
  if (!state) throw notFound;

  const event = {
    uln,
    subject: `record-link:${id}`,
    organisation: null,
    roles: [] as string[],
    what: `${what} via shared link`,
  };
  if (!state.opened) {
    const refusal = linkRefusal(state, now, state.available) ?? 'used';
    const answer = REFUSALS[refusal];
    // The learner sees why it was turned away: the reason goes with what was asked for.
    await recordAccess(deps.graph, { ...event, what: `${event.what} (${refusal})`, outcome: 'refused' });
    throw new AppError(answer.status, answer.code, answer.message);
  }
  await recordAccess(deps.graph, { ...event, outcome: 'allowed' });
  const read = await readRecord(deps.graph, uln, { onlyAo: null, withNames: state.showName });
  const view = buildRecordView({
    uln,
    scope: 'all',
    name: state.showName ? { givenName: read.givenName, familyName: read.familyName } : null,
    rows: read.rows,
    rules: read.rules,
    date: now.toISOString().slice(0, 10),
  });
  return {
    ...view,
    generatedAt: now.toISOString(),
    sharedLink: { id, expiresAt: state.expiresAt, singleUse: state.singleUse },
  };
}

// ---------------------------------------------------------------------------------------
// Access log

/** Who read the learner's record and when, newest first: for the learner and the operator. */
export async function accessLog(
  graph: Graph,
  principal: Principal,
  uln: string,
  page: Page,
): Promise<{ total: number; items: AccessLogEntry[] }> {
  if (!principal.roles.some((r) => ACCESS_LOG_ROLES.includes(r))) {
    throw new AppError(403, 'FORBIDDEN', `this needs one of the roles: ${ACCESS_LOG_ROLES.join(', ')}`);
  }
  const problems = [
    ...(Number.isInteger(page.limit) && page.limit >= 1 && page.limit <= 200
      ? []
      : [{ field: 'limit', problem: 'must be a whole number from 1 to 200' }]),
    ...(Number.isInteger(page.offset) && page.offset >= 0
      ? []
      : [{ field: 'offset', problem: 'must be a whole number, 0 or more' }]),
  ];
  if (problems.length > 0) {
    throw new AppError(400, 'VALIDATION', problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
  }
  // Anyone but the operator reads as the learner only: a token that also carries an
  // organisation role must not reach another learner's log through that role.
  const reader: Principal = principal.roles.includes('operator') ? principal : { ...principal, roles: ['learner'] };
  await openLearner(graph, reader, uln, 'access-log');
  return accessLogPage(graph, uln, page);
}
