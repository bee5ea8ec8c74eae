/**
 * The role guard. Every route declares its access rule next to its schema
 * (`config: { access: ... }`); a route without one stops the app at start-up.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody, forbidden, unauthorized } from './errors.js';
import { type Principal, type Role, type Tokens, TokenError } from './auth.js';

export type Access = { public: true } | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A portal page (src/web): its caller comes from the session cookie, not a bearer
     * token, so the portal enforces the same rule with `enforceAccess` once the session
     * is read. Pages are not part of the OpenAPI document.
     */
    page?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const access = {
  /** Anyone, signed in or not. */
  public: { public: true } as Access,
  /** Signed in with at least one of these roles. */
  roles: (...roles: Role[]): Access => ({ roles }),
};

/**
 * Paths served by plugins that authorise on their own terms: the API docs are public,
 * and GraphQL checks roles per field in its resolvers.
 */
const SELF_GUARDED_PREFIXES = ['/docs'];

/** The caller from the Authorization header, or undefined without one; throws on a bad token. */
export async function authenticate(request: FastifyRequest, tokens: Tokens): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
  try {
    return await tokens.verify(match[1]);
  } catch (err) {
    if (err instanceof TokenError) throw unauthorized(err.message);
    throw err;
  }
}

export function hasRole(principal: Principal | undefined, roles: readonly Role[]): boolean {
  return principal !== undefined && principal.roles.some((r) => roles.includes(r));
}

/** The rule applied to a caller: throws 401 without one, 403 without a role the rule names. */
export function enforceAccess(rule: Access, principal: Principal | undefined, how: string): void {
  if ('public' in rule) return;
  if (!principal) throw unauthorized(`sign in first: this needs ${how}`);
  if (!hasRole(principal, rule.roles)) throw forbidden(`this needs one of the roles: ${rule.roles.join(', ')}`);
}

export const guard = fp(
  async (app: FastifyInstance, opts: { tokens: Tokens }) => {
    app.addHook('onRoute', (route) => {
      if (route.url === '/graphql' || route.url === '/graphiql') {
        // GraphQL's own routes are described by its SDL, not by OpenAPI.
        route.schema = { ...(route.schema ?? {}), hide: true };
        return;
      }
      if (SELF_GUARDED_PREFIXES.some((p) => route.url.startsWith(p))) return;
      const rule = route.config?.access;
      if (!rule) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no access rule (config.access)`);
      }
      if ('roles' in rule) {
        if (rule.roles.length === 0) throw new Error(`route ${String(route.method)} ${route.url} allows no role`);
        if (route.config?.page) return;
        const schema = (route.schema ??= {});
        const s = schema as Record<string, unknown>;
        s.security = [{ bearer: [] }];
        const response = (s.response ??= {}) as Record<string, unknown>;
        response[401] ??= ErrorBody;
        response[403] ??= ErrorBody;
        const roles = rule.roles.join(', ');
        s.description = `${(s.description as string | undefined) ?? ''}\n\nRoles: ${roles}.`.trim();
      }
    });

    app.addHook('onRequest', async (request) => {
      const rule = request.routeOptions.config?.access;
      if (!rule || 'public' in rule || request.routeOptions.config?.page) return;
      const principal = await authenticate(request, opts.tokens);
      request.principal = principal;
      enforceAccess(rule, principal, 'a bearer token');
    });
  },
  { name: 'plr-guard' },
);
