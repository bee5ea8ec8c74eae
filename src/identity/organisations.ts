/**
 * Organisations, the roles each kind may hold, and who may manage whom. Pure.
 *
 * | kind | roles its people and API clients may hold |
 * |---|---|
 * | ao (awarding organisation) | ao-user, ao-admin |
 * | provider | provider-user, provider-admin |
 * | careers (careers service) | careers-adviser |
 * | operator (the service operator) | operator, analyst |
 *
 * Learners belong to no organisation. An organisation's admin (ao-admin, provider-admin)
 * manages the users and API clients of their own organisation only; the service operator
 * manages any organisation (and is how a careers service, which has no admin role, or a
 * new organisation's first admin, gets its users).
 */
import type { Principal, Role } from '../platform/auth.js';
import { isRole } from '../platform/auth.js';

export const ORGANISATION_KINDS = ['ao', 'provider', 'careers', 'operator'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const KIND_ROLES: Readonly<Record<OrganisationKind, readonly Role[]>> = {
  ao: ['ao-user', 'ao-admin'],
  provider: ['provider-user', 'provider-admin'],
  careers: ['careers-adviser'],
  operator: ['operator', 'analyst'],
};

/** Roles that manage an organisation's users and clients. */
export const ADMIN_ROLES: readonly Role[] = ['ao-admin', 'provider-admin'];
/** Roles that may call the organisation management routes at all (the org check comes after). */
export const MANAGER_ROLES: readonly Role[] = ['operator', ...ADMIN_ROLES];

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === 'string' && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/** UKPRN: 8 digits starting with 1 (SPEC section 2). */
export function isUkprn(value: unknown): value is string {
  return typeof value === 'string' && /^1[0-9]{7}$/.test(value);
}

/** Why these roles cannot be given to a user of an organisation of this kind, or null. */
export function userRolesProblem(kind: OrganisationKind, roles: readonly string[]): string | null {
  if (roles.length === 0) return 'give at least one role';
  if (new Set(roles).size !== roles.length) return 'a role is listed twice';
  const allowed = KIND_ROLES[kind];
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) return `not a role: ${unknown.join(', ')}`;
  const refused = roles.filter((r) => !allowed.includes(r as Role));
  if (refused.length > 0)
    return `an organisation of kind "${kind}" cannot hold the role${refused.length === 1 ? '' : 's'} ${refused.join(', ')} (it may hold ${allowed.join(', ')})`;
  return null;
}

/**
 * Why these roles cannot be given to an API client, or null. A client holds a subset of
 * its organisation's roles, but never an admin role: a program that could create users
 * and more clients would be a way round the people who run the organisation.
 */
export function clientRolesProblem(kind: OrganisationKind, roles: readonly string[]): string | null {
  const problem = userRolesProblem(kind, roles);
  if (problem) return problem;
  const admin = roles.filter((r) => ADMIN_ROLES.includes(r as Role));
  if (admin.length > 0) return `an API client cannot hold an admin role (${admin.join(', ')})`;
  return null;
}

export type ManageDecision = { allowed: true; as: 'operator' | 'admin' } | { allowed: false; reason: string };

/** May this caller manage the users and clients of the organisation with this UKPRN? */
export function mayManage(principal: Principal, ukprn: string): ManageDecision {
  if (principal.roles.includes('operator')) return { allowed: true, as: 'operator' };
  if (principal.roles.some((r) => ADMIN_ROLES.includes(r))) {
    if (principal.organisation === ukprn) return { allowed: true, as: 'admin' };
    return { allowed: false, reason: 'you may manage your own organisation only' };
  }
  return { allowed: false, reason: `this needs one of the roles: ${MANAGER_ROLES.join(', ')}` };
}

/**
 * An admin may not disable themself nor take their own admin role away: the last admin
 * doing so would leave the organisation with nobody to run it.
 */
export function selfChangeProblem(
  principal: Principal,
  targetUserId: string,
  change: { disable?: boolean; roles?: readonly Role[] },
): string | null {
  if (principal.subject !== targetUserId || principal.roles.includes('operator')) return null;
  if (change.disable) return 'you cannot disable yourself';
  if (change.roles && !change.roles.some((r) => ADMIN_ROLES.includes(r)))
    return 'you cannot remove your own admin role';
  return null;
}

/** Normalise an email for storage and lookup: trimmed, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function looksLikeEmail(email: string): boolean {
  return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(email) && email.length <= 254;
}
