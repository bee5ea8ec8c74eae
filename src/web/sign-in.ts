/**
 * Signing in, behind one interface: today email and password through the identity
 * service (its lock-out included); an OIDC provider such as GOV.UK One Login would be
 * another SignInProvider giving the same SessionUser.
 */
import type { FastifyInstance } from 'fastify';
import * as identity from '../identity/service.js';
import type { IdentityRouteOptions } from '../identity/identity-routes.js';
import type { SessionUser } from './session.js';

export interface SignInProvider {
  /** The user, or an AppError 401 INVALID_CREDENTIALS that says nothing of why. */
  signIn(email: string, password: string): Promise<SessionUser>;
  /** Ends what signing in started (the refresh token); says nothing on failure. */
  signOut(user: SessionUser): Promise<void>;
}

export function identityDeps(app: FastifyInstance, options: IdentityRouteOptions = {}): identity.IdentityDeps {
  return {
    graph: app.deps.graph,
    mailer: app.deps.mailer,
    tokens: app.deps.tokens,
    publicUrl: app.config.publicUrl,
    accessTokenSeconds: app.config.accessTokenSeconds,
    log: app.log,
    ...options.overrides,
  };
}

export function identitySignIn(app: FastifyInstance, options: IdentityRouteOptions = {}): SignInProvider {
  return {
    async signIn(email, password) {
      const pair = await identity.login(identityDeps(app, options), email, password);
      const principal = await app.deps.tokens.verify(pair.accessToken);
      return {
        subject: principal.subject,
        roles: principal.roles,
        organisation: principal.organisation,
        uln: principal.uln,
        label: email.trim().toLowerCase(),
        signedInAt: new Date().toISOString(),
        refreshToken: pair.refreshToken,
      };
    },
    async signOut(user) {
      if (user.refreshToken)
        await identity.logout(identityDeps(app, options), user.refreshToken).catch(() => undefined);
    },
  };
}
