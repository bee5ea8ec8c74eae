/** What the portal's pages share: the signed-in principal, sessions, the sign-in provider. */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../platform/auth.js';
import type { IdentityRouteOptions } from '../identity/identity-routes.js';
import type { SessionSettings, sessionHooks } from './session.js';
import type { SignInProvider } from './sign-in.js';

export interface PortalContext {
  sessions: ReturnType<typeof sessionHooks>;
  sessionSettings: SessionSettings;
  signIn: SignInProvider;
  identity?: IdentityRouteOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    portal: PortalContext;
  }
}

/** The principal a page acts for, from the session's user. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  const user = request.session?.user;
  if (!user) return undefined;
  return {
    subject: user.subject,
    roles: user.roles,
    organisation: user.organisation,
    uln: user.uln,
    tokenId: 'portal-session',
  };
}

/** A relative address of this service to go back to after signing in, or the start page. Pure. */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}
