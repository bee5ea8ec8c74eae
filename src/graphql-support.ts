/**
 * Shared by every feature's GraphQL resolvers: the caller from the context, role checks,
 * and AppError turned into a GraphQL error with the same code.
 */
import mercurius, { type MercuriusContext } from 'mercurius';
import { hasRole } from './platform/guard.js';
import { AppError } from './platform/errors.js';
import type { Principal, Role } from './platform/auth.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The caller, or undefined when no token was sent; a bad token fails the request. */
    principal(): Promise<Principal | undefined>;
  }
}

/** An AppError as a GraphQL error carrying its code (and details); anything else unchanged. */
export function asGraphqlError(err: unknown): unknown {
  if (err instanceof AppError) {
    return new mercurius.ErrorWithProps(
      err.message,
      err.details === undefined ? { code: err.code } : { code: err.code, details: err.details },
      err.statusCode,
    );
  }
  return err;
}

/** The caller when they hold one of the roles; a GraphQL error with code UNAUTHORIZED or FORBIDDEN otherwise. */
export async function requireRole(ctx: MercuriusContext, roles: readonly Role[]): Promise<Principal> {
  let principal: Principal | undefined;
  try {
    principal = await ctx.principal();
  } catch (err) {
    if (err instanceof AppError) throw asGraphqlError(err);
    throw err;
  }
  if (!principal) throw asGraphqlError(new AppError(401, 'UNAUTHORIZED', 'sign in first: this needs a bearer token'));
  if (!hasRole(principal, roles))
    throw asGraphqlError(new AppError(403, 'FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`));
  return principal;
}
