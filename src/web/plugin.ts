/**
 * The portal (SPEC 6a): server-rendered GOV.UK Frontend pages on the same services as the
 * API. Each page is a route with `config.access` and `config.ocf` like the API's, marked
 * `config.page`: its caller comes from the session cookie (session.ts) and the same
 * rule is enforced here (enforceAccess) once the session is read. Every form carries a
 * CSRF token (@fastify/csrf-protection, checked on every POST); every page has a content
 * security policy of its own with a nonce per request for its one inline script.
 *
 * Layout: views/ (Nunjucks, beside govuk-frontend's own templates), locales/ (en, cy),
 * pages/ (one file per journey: routes that parse, call one service function, render).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import view from '@fastify/view';
import fastifyStatic from '@fastify/static';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT } from '../config.js';
import { AppError } from '../platform/errors.js';
import { enforceAccess } from '../platform/guard.js';
import { translator } from './i18n.js';
import { principalOf } from './context.js';
import { pickLang, render, type BannerSource } from './render.js';
import { sessionHooks, type SessionSettings } from './session.js';
import { identitySignIn, type SignInProvider } from './sign-in.js';
import type { IdentityRouteOptions } from '../identity/identity-routes.js';
import { startPages } from './pages/start.js';
import { accountPages } from './pages/account.js';
import { learnerPages } from './pages/learner.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = path.join(here, 'views');
export const GOVUK_DIR = path.join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist');
const ASSETS_DIR = path.join(GOVUK_DIR, 'govuk', 'assets');
const OWN_ASSETS_DIR = path.join(here, 'assets');

/** The pages' policy: this origin only, and inline script or style only with the request's nonce. */
export const PORTAL_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'none'"],
};

/** govuk-frontend's files change name only with its version: a year's caching is safe. */
export const ASSET_MAX_AGE_SECONDS = 365 * 86_400;

export interface PortalOptions {
  identity?: IdentityRouteOptions;
  banner?: BannerSource;
  /** Tests: another way to sign in. */
  signIn?: SignInProvider;
  /** Tests: the session clock. */
  now?: () => number;
}

export async function portal(app: FastifyInstance, opts: PortalOptions): Promise<void> {
  const secure = app.config.publicUrl.startsWith('https:');
  await app.register(cookie);

  // --- assets: govuk-frontend's CSS, JS, fonts and images, and the portal's own ---------
  await app.register(async (assets) => {
    await assets.register(fastifyStatic, { root: ASSETS_DIR, serve: false });
    const files: Record<string, string> = {
      'govuk-frontend.min.css': path.join(GOVUK_DIR, 'govuk'),
      'govuk-frontend.min.js': path.join(GOVUK_DIR, 'govuk'),
      'portal.css': OWN_ASSETS_DIR,
      'portal.js': OWN_ASSETS_DIR,
    };
    assets.get(
      '/assets/*',
      { config: { access: { public: true }, ocf: 'none' }, schema: { hide: true } },
      async (request, reply) => {
        const file = (request.params as { '*': string })['*'];
        const options = { maxAge: ASSET_MAX_AGE_SECONDS * 1000, immutable: true, dotfiles: 'deny' as const };
        if (files[file]) return reply.sendFile(file, files[file], options);
        if (!/^(fonts|images)\/[A-Za-z0-9._-]+$/.test(file) && file !== 'manifest.json') {
          return reply.status(404).type('text/plain').send('not found');
        }
        return reply.sendFile(file, ASSETS_DIR, options);
      },
    );
  });

  // --- pages ------------------------------------------------------------------------------
  await app.register(async (pages) => {
    const sessionSettings: SessionSettings = {
      redis: app.deps.redis,
      prefix: app.config.queuePrefix,
      idleSeconds: app.config.portalIdleSeconds,
      maxSeconds: app.config.portalMaxSeconds,
      secure,
      now: opts.now,
    };
    const sessions = sessionHooks(sessionSettings);
    pages.decorate('portal', {
      sessions,
      sessionSettings,
      signIn: opts.signIn ?? identitySignIn(app, opts.identity),
      identity: opts.identity,
    });

    await pages.register(formbody, { bodyLimit: 64 * 1024 });
    await pages.register(csrf, {
      sessionPlugin: '@fastify/session',
      // Forms only: a token in a header would mean a script made the request.
      getToken: (request: FastifyRequest) => (request.body as { _csrf?: string } | undefined)?._csrf ?? '',
    });
    await pages.register(view, {
      engine: { nunjucks },
      templates: [VIEWS_DIR, GOVUK_DIR],
      options: { autoescape: true },
    });

    pages.addHook('onRoute', (route) => {
      route.config = {
        ...(route.config ?? {}),
        page: true,
        helmet: { enableCSPNonces: true, contentSecurityPolicy: { useDefaults: false, directives: PORTAL_CSP } },
      } as typeof route.config;
      route.schema = { ...(route.schema ?? {}), hide: true };
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.includes('POST')) {
        const existing = route.preHandler;
        const list = Array.isArray(existing) ? existing : existing ? [existing] : [];
        const protect: preHandlerHookHandler = (request, reply, done) => pages.csrfProtection(request, reply, done);
        route.preHandler = [protect, ...list];
      }
    });

    pages.addHook('onRequest', async (request, reply) => {
      request.lang = pickLang(request, reply, secure);
      request.t = translator(request.lang);
      request.portalBanner = opts.banner;
      await sessions.load(request);
      const principal = principalOf(request);
      request.principal = principal;
      const rule = request.routeOptions.config.access;
      if (rule && 'roles' in rule && !principal) {
        const next = encodeURIComponent(request.url);
        const why = request.portalSession.ended ? `&ended=${request.portalSession.ended}` : '';
        return reply.redirect(`/sign-in?next=${next}${why}`, 303);
      }
      if (rule) enforceAccess(rule, principal, 'you to sign in');
    });

    pages.addHook('onSend', async (request, reply, payload) => {
      await sessions.save(request, reply);
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });

    pages.setErrorHandler(async (err: FastifyError | AppError | Error, request, reply) =>
      pageError(err, request, reply),
    );

    await pages.register(startPages);
    await pages.register(accountPages);
    await pages.register(learnerPages);
  });
}

const KNOWN_CODES = new Set(['FORBIDDEN', 'NOT_SHARED', 'NOT_FOUND', 'RATE_LIMITED', 'CSRF', 'UNAVAILABLE']);

async function pageError(
  err: FastifyError | AppError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // Sessions are read in onRequest: an error before that still gets a page.
  request.lang ??= 'en';
  request.t ??= translator(request.lang);
  const fe = err as FastifyError;
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
    return render(request, reply, 'error.njk', { code: 'CSRF' }, 403);
  }
  if (err instanceof AppError) {
    if (err.headers?.['retry-after']) reply.header('retry-after', err.headers['retry-after']);
    if (err.statusCode === 401) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    const code = KNOWN_CODES.has(err.code) ? err.code : err.statusCode === 404 ? 'NOT_FOUND' : 'GENERIC';
    if (err.statusCode === 503) return render(request, reply, 'error.njk', { code: 'UNAVAILABLE' }, 503);
    return render(request, reply, 'error.njk', { code, rawCode: err.code }, err.statusCode);
  }
  if (fe.validation || (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)) {
    return render(request, reply, 'error.njk', { code: 'GENERIC' }, fe.statusCode ?? 400);
  }
  request.log.error({ err }, 'unhandled error on a page');
  return render(request, reply, 'error.njk', { code: 'INTERNAL', reference: request.id }, 500);
}
