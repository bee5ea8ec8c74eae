/**
 * Identity management (OCF 09): sign-in, refresh, sign-out, invitations, roles, disabling,
 * API clients. Rules come from the pure modules (organisations, lockout, sessions,
 * passwords); the graph from repository.ts. Log lines name user and client ids, never an
 * email address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Graph } from '../platform/neo4j.js';
import type { Mailer } from '../platform/mail.js';
import type { Principal, Role, TokenClaims } from '../platform/auth.js';
import { AppError, forbidden } from '../platform/errors.js';
import {
  clientRolesProblem,
  isOrganisationKind,
  looksLikeEmail,
  mayManage,
  normaliseEmail,
  selfChangeProblem,
  userRolesProblem,
  type OrganisationKind,
} from './organisations.js';
import { DEFAULT_LOCKOUT, afterFailure, isLocked, type LockoutPolicy } from './lockout.js';
import {
  DEFAULT_SCRYPT,
  dummyHash,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
  type ScryptParams,
} from './passwords.js';
import { hashSecret, newOpaqueToken, newSecret, secretMatches, splitOpaqueToken } from './secrets.js';
import { judgeRefresh, refreshExpiry, setPasswordExpiry, REFRESH_TOKEN_DAYS } from './sessions.js';
import * as repo from './repository.js';

export interface IdentityDeps {
  graph: Graph;
  mailer: Mailer;
  tokens: { issue(claims: TokenClaims): Promise<string> };
  publicUrl: string;
  accessTokenSeconds: number;
  now?: () => Date;
  lockout?: LockoutPolicy;
  scrypt?: ScryptParams;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** One answer for an unknown email, a wrong password, a locked, disabled or not yet set up account. */
export const BAD_CREDENTIALS = 'the email or password is not right, or the account cannot sign in just now';
const badCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', BAD_CREDENTIALS);
const badRefresh = () => new AppError(401, 'INVALID_REFRESH_TOKEN', 'the refresh token is not valid: sign in again');
const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `there is no such ${what} in this organisation`);

function nowOf(deps: IdentityDeps): Date {
  return deps.now ? deps.now() : new Date();
}

/** The roles a user may act with now: only those their organisation's kind allows (a kind may have changed). */
function effectiveRoles(user: {
  roles: Role[];
  kind: OrganisationKind | null;
  uln: string | null;
  organisation: string | null;
}): Role[] {
  if (user.organisation === null) return user.uln ? user.roles.filter((r) => r === 'learner') : [];
  if (!user.kind) return [];
  return user.roles.filter((r) => userRolesProblem(user.kind as OrganisationKind, [r]) === null);
}

async function issuePair(
  deps: IdentityDeps,
  user: repo.UserLoginFacts,
  refresh: { token: string },
): Promise<TokenPair> {
  const accessToken = await deps.tokens.issue({
    subject: user.id,
    roles: effectiveRoles(user),
    organisation: user.organisation ?? undefined,
    uln: user.uln ?? undefined,
  });
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: deps.accessTokenSeconds,
    refreshToken: refresh.token,
    refreshExpiresIn: REFRESH_TOKEN_DAYS * 86_400,
  };
}

// --- sign-in ----------------------------------------------------------------------------

export async function login(deps: IdentityDeps, email: string, password: string): Promise<TokenPair> {
  const now = nowOf(deps);
  const policy = deps.lockout ?? DEFAULT_LOCKOUT;
  const user = await repo.userByEmail(deps.graph, normaliseEmail(email));
  if (!user || !user.passwordHash || user.disabled || isLocked(user, now)) {
    // As slow as a real check, so that the answer's timing does not tell these cases apart.
    await verifyPassword(password, await dummyHash(deps.scrypt ?? DEFAULT_SCRYPT));
    throw badCredentials();
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await repo.recordLoginFailure(deps.graph, user.id, now, (count) => {
      const next = afterFailure(count, now, policy);
      if (next.locked)
        deps.log?.warn({ userId: user.id, lockedUntil: next.lockedUntil }, 'sign-in locked after repeated failures');
      return next.locked ? next.lockedUntil : null;
    });
    throw badCredentials();
  }
  if (effectiveRoles(user).length === 0) throw badCredentials();
  const rehash = needsRehash(user.passwordHash, deps.scrypt ?? DEFAULT_SCRYPT)
    ? await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT)
    : null;
  await repo.recordLoginSuccess(deps.graph, user.id, now, rehash);
  const refresh = newOpaqueToken();
  await repo.createRefreshToken(deps.graph, {
    id: refresh.id,
    hash: refresh.hash,
    userId: user.id,
    familyId: randomUUID(),
    now: now.toISOString(),
    expiresAt: refreshExpiry(now).toISOString(),
  });
  deps.log?.info({ userId: user.id }, 'signed in');
  return issuePair(deps, user, refresh);
}

export async function refresh(deps: IdentityDeps, presented: string): Promise<TokenPair> {
  const now = nowOf(deps);
  const parts = splitOpaqueToken(presented);
  if (!parts) throw badRefresh();
  const next = newOpaqueToken();
  const outcome = await repo.presentRefreshToken(deps.graph, parts.id, now, (facts) => {
    const verdict = judgeRefresh(
      facts && { ...facts, secretMatches: secretMatches(parts.secret, facts.hash, deps.graph.sealer) },
      now,
    );
    if (verdict.verdict === 'rotate') {
      return {
        action: 'rotate',
        next: { id: next.id, hash: next.hash, expiresAt: refreshExpiry(now).toISOString() },
        value: facts!.userId,
      };
    }
    if (verdict.verdict === 'revoke-family') {
      deps.log?.warn({ userId: facts!.userId, reason: verdict.reason }, 'refresh token family revoked');
      return { action: 'revoke-family', reason: verdict.reason };
    }
    return { action: 'refuse', reason: verdict.reason };
  });
  if (!outcome.ok) throw badRefresh();
  const user = await repo.userById(deps.graph, outcome.value);
  if (!user || user.disabled || effectiveRoles(user).length === 0) throw badRefresh();
  return issuePair(deps, user, next);
}

/** Sign out: revoke the presented token's family. Says nothing about whether it was valid. */
export async function logout(deps: IdentityDeps, presented: string): Promise<void> {
  const parts = splitOpaqueToken(presented);
  if (!parts) return;
  await repo.presentRefreshToken(deps.graph, parts.id, nowOf(deps), (facts) =>
    facts && secretMatches(parts.secret, facts.hash, deps.graph.sealer)
      ? { action: 'revoke-family', reason: 'logout' }
      : { action: 'refuse', reason: 'unknown' },
  );
}

export async function setPassword(deps: IdentityDeps, token: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError(400, 'WEAK_PASSWORD', problem);
  const parts = splitOpaqueToken(token);
  const invalid = () =>
    new AppError(
      400,
      'INVALID_SET_PASSWORD_TOKEN',
      "the link is not valid or has expired: ask your organisation's admin for a new one",
    );
  if (!parts) throw invalid();
  const hash = await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT);
  if (!(await repo.setPassword(deps.graph, parts.id, hashSecret(parts.secret), hash, nowOf(deps)))) throw invalid();
  deps.log?.info({ userId: parts.id }, 'password set');
}

// --- API clients: the client-credentials exchange ---------------------------------------

export async function clientToken(
  deps: IdentityDeps,
  clientId: string,
  clientSecret: string,
): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
  const client = await repo.clientForToken(deps.graph, clientId);
  const ok =
    client !== null &&
    secretMatches(clientSecret, client.secretHash, deps.graph.sealer) &&
    !client.revoked &&
    client.kind !== null;
  if (!client || !ok)
    throw new AppError(401, 'INVALID_CLIENT', 'the client id or secret is not right, or the client was revoked');
  const roles = client.roles.filter((r) => clientRolesProblem(client.kind as OrganisationKind, [r]) === null);
  if (roles.length === 0)
    throw new AppError(401, 'INVALID_CLIENT', 'the client id or secret is not right, or the client was revoked');
  const accessToken = await deps.tokens.issue({ subject: client.id, roles, organisation: client.organisation });
  return { accessToken, tokenType: 'Bearer', expiresIn: deps.accessTokenSeconds };
}

// --- organisation management ------------------------------------------------------------

export async function upsertOrganisation(
  deps: IdentityDeps,
  org: { ukprn: string; name: string; nation: string; kind: string },
) {
  if (!isOrganisationKind(org.kind))
    throw new AppError(400, 'VALIDATION', `kind must be one of ao, provider, careers, operator`);
  const result = await repo.upsertOrganisation(deps.graph, { ...org, kind: org.kind });
  if (!result.accepted) {
    throw new AppError(
      409,
      'KIND_CONFLICT',
      `organisation ${org.ukprn} is already of kind "${result.previousKind}"; its kind cannot be changed here`,
    );
  }
  return { created: !result.existed || result.previousKind === null, organisation: result.organisation };
}

/** The organisation, when the caller may manage it: 403 for another organisation, 404 when it is unknown to identity. */
async function managedOrganisation(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
): Promise<{ kind: OrganisationKind; as: 'operator' | 'admin' }> {
  const decision = mayManage(principal, ukprn);
  if (!decision.allowed) throw forbidden(decision.reason);
  const org = await repo.getOrganisation(deps.graph, ukprn);
  if (!org || !org.kind)
    throw new AppError(
      404,
      'NOT_FOUND',
      `there is no organisation ${ukprn} with users (create it first: POST /organisations)`,
    );
  return { kind: org.kind, as: decision.as };
}

function rolesChecked(kind: OrganisationKind, roles: string[], check = userRolesProblem): Role[] {
  const problem = check(kind, roles);
  if (problem) throw new AppError(400, 'ROLE_NOT_ALLOWED', problem);
  return roles as Role[];
}

export async function inviteUser(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
  input: { email: string; roles: string[] },
): Promise<repo.UserView> {
  const { kind } = await managedOrganisation(deps, principal, ukprn);
  const roles = rolesChecked(kind, input.roles);
  const email = normaliseEmail(input.email);
  if (!looksLikeEmail(email)) throw new AppError(400, 'VALIDATION', 'email is not an email address');
  const now = nowOf(deps);
  const id = `usr_${randomUUID()}`;
  const setup = newOpaqueToken(id);
  const expiresAt = setPasswordExpiry(now);
  try {
    const created = await repo.createUser(deps.graph, {
      id,
      email,
      roles,
      ukprn,
      createdBy: principal.subject,
      now: now.toISOString(),
      setupTokenHash: setup.hash,
      setupTokenExpiresAt: expiresAt.toISOString(),
    });
    if (!created) throw notFound('organisation');
  } catch (err) {
    if (repo.isUniquenessConflict(err))
      throw new AppError(409, 'EMAIL_TAKEN', 'a user with that email address already exists');
    throw err;
  }
  const link = `${deps.publicUrl}/set-password?token=${encodeURIComponent(setup.token)}`;
  await deps.mailer.send({
    to: email,
    kind: 'identity-invitation',
    subject: 'Set your password for the Personal Learning Record service',
    text: [
      'You have been given an account on the Personal Learning Record service.',
      '',
      'Set your password with this link. It works once, and until ' + expiresAt.toUTCString() + ':',
      '',
      link,
      '',
      'If you did not expect this, ignore this message: nothing happens until the link is used.',
    ].join('\n'),
  });
  deps.log?.info({ userId: id, organisation: ukprn, by: principal.subject }, 'user invited');
  return {
    id,
    email,
    roles,
    organisation: ukprn,
    disabled: false,
    status: 'invited',
    createdAt: now.toISOString(),
    lastLoginAt: null,
  };
}

export async function listUsers(deps: IdentityDeps, principal: Principal, ukprn: string): Promise<repo.UserView[]> {
  await managedOrganisation(deps, principal, ukprn);
  return repo.listUsers(deps.graph, ukprn);
}

export async function setUserRoles(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
  userId: string,
  roles: string[],
): Promise<repo.UserView> {
  const { kind } = await managedOrganisation(deps, principal, ukprn);
  const checked = rolesChecked(kind, roles);
  const self = selfChangeProblem(principal, userId, { roles: checked });
  if (self) throw new AppError(409, 'SELF_CHANGE', self);
  const user = await repo.updateUser(deps.graph, {
    ukprn,
    id: userId,
    roles: checked,
    updatedBy: principal.subject,
    now: nowOf(deps),
  });
  if (!user) throw notFound('user');
  deps.log?.info({ userId, organisation: ukprn, by: principal.subject, roles: checked }, 'user roles set');
  return user;
}

export async function setUserDisabled(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
  userId: string,
  disabled: boolean,
): Promise<repo.UserView> {
  await managedOrganisation(deps, principal, ukprn);
  const self = selfChangeProblem(principal, userId, { disable: disabled });
  if (self) throw new AppError(409, 'SELF_CHANGE', self);
  const user = await repo.updateUser(deps.graph, {
    ukprn,
    id: userId,
    disabled,
    updatedBy: principal.subject,
    now: nowOf(deps),
  });
  if (!user) throw notFound('user');
  deps.log?.info({ userId, organisation: ukprn, by: principal.subject }, disabled ? 'user disabled' : 'user enabled');
  return user;
}

export async function createClient(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
  input: { name: string; roles: string[] },
) {
  const { kind } = await managedOrganisation(deps, principal, ukprn);
  const roles = rolesChecked(kind, input.roles, clientRolesProblem);
  const id = `cli_${randomBytes(12).toString('base64url')}`;
  const secret = newSecret();
  const client = await repo.createClient(deps.graph, {
    id,
    name: input.name,
    roles,
    ukprn,
    secretHash: hashSecret(secret),
    createdBy: principal.subject,
    now: nowOf(deps).toISOString(),
  });
  if (!client) throw notFound('organisation');
  deps.log?.info({ clientId: id, organisation: ukprn, by: principal.subject, roles }, 'API client created');
  return { ...client, secret };
}

export async function listClients(deps: IdentityDeps, principal: Principal, ukprn: string) {
  await managedOrganisation(deps, principal, ukprn);
  return repo.listClients(deps.graph, ukprn);
}

export async function revokeClient(
  deps: IdentityDeps,
  principal: Principal,
  ukprn: string,
  clientId: string,
): Promise<repo.ClientView> {
  await managedOrganisation(deps, principal, ukprn);
  const client = await repo.revokeClient(deps.graph, ukprn, clientId, principal.subject, nowOf(deps));
  if (!client) throw notFound('API client');
  deps.log?.info({ clientId, organisation: ukprn, by: principal.subject }, 'API client revoked');
  return client;
}

// --- the portal: who you are, a forgotten password ---------------------------------------

/** The caller's organisation as the portal shows it (name and kind), or null for a learner. */
export async function organisationOf(
  deps: Pick<IdentityDeps, 'graph'>,
  principal: Principal,
): Promise<{ ukprn: string; name: string | null; kind: string | null } | null> {
  if (!principal.organisation) return null;
  const org = await repo.getOrganisation(deps.graph, principal.organisation);
  return { ukprn: principal.organisation, name: org?.name ?? null, kind: org?.kind ?? null };
}

/** How long a forgotten-password link works. */
export const RESET_LINK_HOURS = 2;

/**
 * A forgotten password: when the email belongs to a user who may sign in, a single-use
 * link to set a new one goes to that address. The answer is the same either way, so the
 * form tells nobody which addresses have accounts.
 */
export async function requestPasswordReset(deps: IdentityDeps, email: string): Promise<void> {
  const user = await repo.userByEmail(deps.graph, normaliseEmail(email));
  if (!user || user.disabled) {
    deps.log?.info({}, 'password reset asked for an address without an account');
    return;
  }
  const now = nowOf(deps);
  const setup = newOpaqueToken(user.id);
  const expiresAt = setPasswordExpiry(now, RESET_LINK_HOURS);
  if (!(await repo.issueSetupToken(deps.graph, user.id, setup.hash, expiresAt.toISOString()))) return;
  const link = `${deps.publicUrl}/set-password?token=${encodeURIComponent(setup.token)}`;
  await deps.mailer.send({
    to: normaliseEmail(email),
    kind: 'identity-password-reset',
    subject: 'Reset your password for the Personal Learning Record service',
    text: [
      'Someone asked to reset the password of your Personal Learning Record account.',
      '',
      'Choose a new password with this link. It works once, and until ' + expiresAt.toUTCString() + ':',
      '',
      link,
      '',
      'If it was not you, ignore this message: your password stays as it is.',
    ].join('\n'),
  });
  deps.log?.info({ userId: user.id }, 'password reset link sent');
}
