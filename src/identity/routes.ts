/**
 * Keys and the caller's identity (OCF 09 core). Organisations, users and API clients
 * come with the Identity issue.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { ROLES } from '../platform/auth.js';

const Jwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  y: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String(),
});

export const Principal = Type.Object({
  subject: Type.String(),
  roles: Type.Array(Type.Enum(ROLES)),
  organisation: Type.Optional(Type.String()),
  uln: Type.Optional(Type.String()),
});

export const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/jwks.json',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags: ['identity'],
        summary: "The public keys that verify this service's tokens",
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return app.deps.tokens.publicJwks() as { keys: Array<Record<string, string>> } as never;
    },
  );

  app.get(
    '/auth/whoami',
    {
      config: { access: access.roles(...ROLES), ocf: 'none' },
      schema: {
        tags: ['identity'],
        summary: 'Who the bearer token says you are',
        response: { 200: Principal },
      },
    },
    async (request) => {
      const p = request.principal!;
      return { subject: p.subject, roles: p.roles, organisation: p.organisation, uln: p.uln };
    },
  );
};
