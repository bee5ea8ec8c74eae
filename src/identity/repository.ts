/**
 * Identity in the graph (OCF 09): (:User)-[:MEMBER_OF]->(:Organisation),
 * (:ApiClient)-[:MEMBER_OF]->(:Organisation), (:User)-[:HAS_REFRESH_TOKEN]->(:RefreshToken),
 * and the public (:SigningKey) records. The only code that runs the identity Cypher.
 * Secrets arrive here already hashed; times leave as ISO strings.
 */
import type { Sealer } from '../platform/sealing.js';
import { Neo4jError } from 'neo4j-driver';
import type { Graph, GraphTx } from '../platform/neo4j.js';
import type { Role } from '../platform/auth.js';
import type { OrganisationKind } from './organisations.js';

export interface Organisation {
  ukprn: string;
  name: string | null;
  nation: string | null;
  kind: OrganisationKind | null;
}

export interface UserLoginFacts {
  id: string;
  roles: Role[];
  organisation: string | null;
  uln: string | null;
  passwordHash: string | null;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  kind: OrganisationKind | null;
}

export interface UserView {
  id: string;
  email: string;
  roles: Role[];
  organisation: string | null;
  disabled: boolean;
  status: 'invited' | 'active' | 'disabled';
  createdAt: string | null;
  lastLoginAt: string | null;
}

export interface ClientView {
  id: string;
  name: string;
  roles: Role[];
  organisation: string;
  createdAt: string | null;
  revokedAt: string | null;
}

export interface RefreshFacts {
  hash: string;
  familyId: string;
  userId: string;
  expiresAt: string;
  rotated: boolean;
  revoked: boolean;
  userExists: boolean;
  userDisabled: boolean;
}

const iso = (ms: unknown): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

function toLoginFacts(row: Record<string, unknown>, sealer: Sealer): UserLoginFacts {
  return {
    id: row.id as string,
    roles: (row.roles as Role[] | null) ?? [],
    organisation: (row.organisation as string | null) ?? null,
    uln: (row.uln as string | null) ?? null,
    passwordHash: sealer.openOptional(row.passwordHash),
    disabled: row.disabled === true,
    failedLogins: (row.failedLogins as number) ?? 0,
    lockedUntil: iso(row.lockedUntilMs),
    kind: (row.kind as OrganisationKind | null) ?? null,
  };
}

function toUserView(row: Record<string, unknown>, sealer: Sealer): UserView {
  const disabled = row.disabled === true;
  return {
    id: row.id as string,
    email: sealer.open(row.emailSealed as string),
    roles: (row.roles as Role[] | null) ?? [],
    organisation: (row.organisation as string | null) ?? null,
    disabled,
    status: disabled ? 'disabled' : row.hasPassword ? 'active' : 'invited',
    createdAt: iso(row.createdAtMs),
    lastLoginAt: iso(row.lastLoginAtMs),
  };
}

function toClientView(row: Record<string, unknown>): ClientView {
  return {
    id: row.id as string,
    name: row.name as string,
    roles: (row.roles as Role[] | null) ?? [],
    organisation: row.organisation as string,
    createdAt: iso(row.createdAtMs),
    revokedAt: iso(row.revokedAtMs),
  };
}

export function isUniquenessConflict(err: unknown): boolean {
  return err instanceof Neo4jError && /ConstraintValidationFailed/.test(err.code);
}

// --- organisations ----------------------------------------------------------------------

export async function upsertOrganisation(
  graph: Graph,
  org: { ukprn: string; name: string; nation: string; kind: OrganisationKind },
) {
  const [row] = await graph.write('identity/upsert-organisation', org);
  return {
    existed: row.existed as boolean,
    accepted: row.accepted as boolean,
    previousKind: (row.previousKind as OrganisationKind | null) ?? null,
    organisation: row.organisation as Organisation,
  };
}

export async function getOrganisation(graph: Graph, ukprn: string): Promise<Organisation | null> {
  const [row] = await graph.read('identity/get-organisation', { ukprn });
  return row ? (row.organisation as Organisation) : null;
}

// --- users ------------------------------------------------------------------------------

export async function createUser(
  graph: Graph,
  user: {
    id: string;
    email: string;
    roles: Role[];
    ukprn: string;
    createdBy: string;
    now: string;
    setupTokenHash: string;
    setupTokenExpiresAt: string;
  },
): Promise<boolean> {
  const { sealer } = graph;
  const rows = await graph.write('identity/create-user', {
    ...user,
    email: undefined,
    emailIndex: sealer.index(user.email),
    emailSealed: sealer.seal(user.email),
    setupTokenHash: sealer.keyedHash(user.setupTokenHash),
  });
  return rows.length === 1;
}

export async function userByEmail(graph: Graph, email: string): Promise<UserLoginFacts | null> {
  const [row] = await graph.read('identity/user-by-email', { emailIndex: graph.sealer.index(email) });
  return row ? toLoginFacts(row, graph.sealer) : null;
}

export async function userById(graph: Graph, id: string): Promise<UserLoginFacts | null> {
  const [row] = await graph.read('identity/user-by-id', { id });
  return row ? toLoginFacts(row, graph.sealer) : null;
}

/** Count a wrong password and return the new count; `lock` then decides and applies a lock-out. */
export async function recordLoginFailure(
  graph: Graph,
  id: string,
  now: Date,
  lock: (failedLogins: number) => string | null,
): Promise<number> {
  return graph.writeTx(async (tx) => {
    const [row] = await tx.run('identity/login-failed', { id, now: now.toISOString() });
    const count = (row?.failedLogins as number) ?? 0;
    const lockedUntil = lock(count);
    if (lockedUntil) await tx.run('identity/lock-user', { id, lockedUntil });
    return count;
  });
}

export async function recordLoginSuccess(graph: Graph, id: string, now: Date, newHash: string | null): Promise<void> {
  await graph.write('identity/login-succeeded', {
    id,
    now: now.toISOString(),
    newHash: graph.sealer.sealOptional(newHash),
  });
}

export async function setPassword(
  graph: Graph,
  id: string,
  tokenHash: string,
  passwordHash: string,
  now: Date,
): Promise<boolean> {
  return graph.writeTx(async (tx) => {
    const rows = await tx.run('identity/set-password', {
      id,
      tokenHash: tx.sealer.keyedHash(tokenHash),
      passwordHash: tx.sealer.seal(passwordHash),
      now: now.toISOString(),
    });
    if (rows.length === 0) return false;
    await tx.run('identity/revoke-user-refresh-tokens', { userId: id, now: now.toISOString(), reason: 'password-set' });
    return true;
  });
}

export async function listUsers(graph: Graph, ukprn: string): Promise<UserView[]> {
  return (await graph.read('identity/list-users', { ukprn }))
    .map((r) => toUserView(r, graph.sealer))
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/** Change roles and/or disabled of a member of the organisation; null when not a member. Disabling revokes refresh tokens. */
export async function updateUser(
  graph: Graph,
  change: {
    ukprn: string;
    id: string;
    roles?: Role[];
    disabled?: boolean;
    updatedBy: string;
    now: Date;
  },
): Promise<UserView | null> {
  return graph.writeTx(async (tx) => {
    const now = change.now.toISOString();
    const [row] = await tx.run('identity/update-user', {
      ukprn: change.ukprn,
      id: change.id,
      roles: change.roles ?? null,
      disabled: change.disabled ?? null,
      updatedBy: change.updatedBy,
      now,
    });
    if (!row) return null;
    if (change.disabled === true) await revokeUserTokens(tx, change.id, now, 'user-disabled');
    return toUserView(row, tx.sealer);
  });
}

async function revokeUserTokens(tx: GraphTx, userId: string, now: string, reason: string): Promise<void> {
  await tx.run('identity/revoke-user-refresh-tokens', { userId, now, reason });
}

// --- refresh tokens ---------------------------------------------------------------------

export async function createRefreshToken(
  graph: Graph,
  token: { id: string; hash: string; userId: string; familyId: string; now: string; expiresAt: string },
): Promise<void> {
  await graph.write('identity/create-refresh-token', { ...token, hash: graph.sealer.keyedHash(token.hash) });
}

export type RefreshOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Present a refresh token: in one transaction, lock it, let `decide` judge it, and then
 * either rotate it (the new token's id and hash come from `decide`) or revoke its family.
 * A revocation is committed even though the caller then refuses the request.
 */
export async function presentRefreshToken<T>(
  graph: Graph,
  id: string,
  now: Date,
  decide: (
    facts: RefreshFacts | null,
  ) =>
    | { action: 'rotate'; next: { id: string; hash: string; expiresAt: string }; value: T }
    | { action: 'revoke-family'; reason: string }
    | { action: 'refuse'; reason: string },
): Promise<RefreshOutcome<T>> {
  return graph.writeTx(async (tx) => {
    const nowIso = now.toISOString();
    const [row] = await tx.run('identity/lock-refresh-token', { id, now: nowIso });
    const facts: RefreshFacts | null = row
      ? {
          hash: row.hash as string,
          familyId: row.familyId as string,
          userId: row.userId as string,
          expiresAt: iso(row.expiresAtMs) as string,
          rotated: row.rotated as boolean,
          revoked: row.revoked as boolean,
          userExists: row.userExists as boolean,
          userDisabled: row.userDisabled as boolean,
        }
      : null;
    const decision = decide(facts);
    if (decision.action === 'rotate') {
      await tx.run('identity/rotate-refresh-token', {
        oldId: id,
        ...decision.next,
        hash: tx.sealer.keyedHash(decision.next.hash),
        now: nowIso,
      });
      return { ok: true, value: decision.value };
    }
    if (decision.action === 'revoke-family' && facts) {
      await tx.run('identity/revoke-refresh-family', {
        familyId: facts.familyId,
        now: nowIso,
        reason: decision.reason,
      });
    }
    return { ok: false, reason: decision.reason };
  });
}

// --- API clients ------------------------------------------------------------------------

export async function createClient(
  graph: Graph,
  client: {
    id: string;
    name: string;
    roles: Role[];
    ukprn: string;
    secretHash: string;
    createdBy: string;
    now: string;
  },
): Promise<ClientView | null> {
  const [row] = await graph.write('identity/create-client', {
    ...client,
    secretHash: graph.sealer.keyedHash(client.secretHash),
  });
  return row ? toClientView(row) : null;
}

export async function listClients(graph: Graph, ukprn: string): Promise<ClientView[]> {
  return (await graph.read('identity/list-clients', { ukprn })).map(toClientView);
}

export async function revokeClient(
  graph: Graph,
  ukprn: string,
  id: string,
  revokedBy: string,
  now: Date,
): Promise<ClientView | null> {
  const [row] = await graph.write('identity/revoke-client', { ukprn, id, revokedBy, now: now.toISOString() });
  return row ? toClientView(row) : null;
}

export async function clientForToken(graph: Graph, id: string) {
  const [row] = await graph.read('identity/client-for-token', { id });
  if (!row) return null;
  return {
    id: row.id as string,
    secretHash: row.secretHash as string,
    roles: (row.roles as Role[] | null) ?? [],
    organisation: row.organisation as string,
    revoked: row.revoked as boolean,
    kind: (row.kind as OrganisationKind | null) ?? null,
  };
}

// --- per-request check, signing keys ----------------------------------------------------

export async function subjectStatus(graph: Graph, id: string): Promise<{ known: boolean; active: boolean }> {
  const [row] = await graph.read('identity/subject-status', { id });
  if (!row) return { known: false, active: false };
  if (row.isUser) return { known: true, active: row.disabled !== true };
  if (row.isClient) return { known: true, active: row.revoked !== true };
  return { known: false, active: false };
}

export async function recordSigningKeys(
  graph: Graph,
  keys: { kid: string; createdAt: string; retiredAt: string | null; publishUntil: string | null; current: boolean }[],
): Promise<void> {
  await graph.write('identity/record-signing-keys', { keys });
}

/** A new set-password token for a user who is not disabled; false when there is none such. */
export async function issueSetupToken(
  graph: Graph,
  id: string,
  setupTokenHash: string,
  setupTokenExpiresAt: string,
): Promise<boolean> {
  const rows = await graph.write('identity/issue-setup-token', {
    id,
    setupTokenHash: graph.sealer.keyedHash(setupTokenHash),
    setupTokenExpiresAt,
  });
  return rows.length === 1;
}
