/**
 * Security headers on every answer (@fastify/helmet), errors and 404s included: it is
 * registered before the role guard, whose refusals would otherwise skip it.
 *
 * The API answers JSON, CSV and PDF, never a page that runs anything, so its content
 * security policy allows nothing at all. The API docs (/docs, Swagger UI) are the one
 * page: their scripts, styles and the OpenAPI document all come from this origin, so
 * 'self' is enough there (Swagger UI has no inline scripts; it sets inline styles).
 * Neither may be framed by anyone.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The API's policy: nothing may load, nothing may frame it, no form may post from it. */
export const API_CSP: Record<string, string[]> = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI's policy: its own files only. */
export const DOCS_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

export const DOCS_PREFIX = '/docs';

/** A year, with subdomains: browsers reach the service over HTTPS only once they have seen it. */
export const HSTS_SECONDS = 365 * 24 * 3600;

export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    // The docs routes get their own policy; helmet reads it from the route's config.
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith(DOCS_PREFIX)) return;
      route.config = {
        ...(route.config ?? {}),
        helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } },
      } as typeof route.config;
    });

    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
      strictTransportSecurity: { maxAge: HSTS_SECONDS, includeSubDomains: true },
      xFrameOptions: { action: 'deny' },
      // Record-link tokens travel in URLs: no page of ours passes its address on.
      referrerPolicy: { policy: 'no-referrer' },
      xContentTypeOptions: true,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });

    // Answers to a signed-in caller, and token answers, hold what no shared cache should
    // keep (RFC 6749 5.1 for tokens). Routes that set their own Cache-Control keep it.
    app.addHook('onSend', async (request, reply) => {
      if (reply.hasHeader('cache-control')) return;
      if (request.headers.authorization !== undefined || request.url.startsWith('/auth/'))
        reply.header('cache-control', 'no-store');
    });
  },
  { name: 'plr-security-headers' },
);
