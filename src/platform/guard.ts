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
      if (!rule || 'public' in rule) return;
      const principal = await authenticate(request, opts.tokens);
      if (!principal) throw unauthorized('sign in first: this needs a bearer token');
      request.principal = principal;
      if (!hasRole(principal, rule.roles)) {
        throw forbidden(`this needs one of the roles: ${rule.roles.join(', ')}`);
      }
    });
  },
  { name: 'plr-guard' },
);
