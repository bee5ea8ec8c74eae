/**
 * Signing in and out, who you are, setting a password (the link of an invitation or a
 * forgotten-password email), and asking for a forgotten-password link. The pages call the
 * sign-in provider and the identity service; they never reach a repository.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { access } from '../../platform/guard.js';
import { ROLES } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import * as identity from '../../identity/service.js';
import { looksLikeEmail } from '../../identity/organisations.js';
import { render } from '../render.js';
import { principalOf, safeNext } from '../context.js';
import { identityDeps } from '../sign-in.js';

type Form = Record<string, string | undefined>;
const form = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
const field = (f: Form, name: string): string => {
  const v = f[name];
  return typeof v === 'string' ? v.trim() : '';
};

export interface FieldError {
  field: string;
  key: string;
}

/** The GOV.UK error summary's list and each field's message, translated. */
export function errorsFor(request: FastifyRequest, errors: FieldError[]) {
  const t = request.t;
  return {
    errorList: errors.map((e) => ({ text: t(e.key), href: `#${e.field}` })),
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: t(e.key) }])),
  };
}

export async function accountPages(app: FastifyInstance): Promise<void> {
  const deps = () => identityDeps(app, app.portal.identity);

  app.get('/sign-in', { config: { access: access.public, ocf: 'none' } }, async (request, reply) => {
    const q = request.query as { next?: string; ended?: string };
    if (request.session.user) return reply.redirect(safeNext(q.next), 303);
    const ended = q.ended === 'idle' || q.ended === 'expired' ? q.ended : undefined;
    return render(request, reply, 'account/sign-in.njk', { next: safeNext(q.next), ended, values: {} });
  });

  app.post('/sign-in', { config: { access: access.public, ocf: 'none', limit: 'sign-in' } }, async (request, reply) => {
    const f = form(request);
    const email = field(f, 'email');
    const password = typeof f.password === 'string' ? f.password : '';
    const next = safeNext(f.next);
    const errors: FieldError[] = [];
    if (!email) errors.push({ field: 'email', key: 'signIn.errors.emailMissing' });
    if (!password) errors.push({ field: 'password', key: 'signIn.errors.passwordMissing' });
    if (errors.length === 0) {
      try {
        const user = await app.portal.signIn.signIn(email, password);
        // A new session id at sign-in: an id planted before it is worth nothing after.
        await app.portal.sessions.rotate(request, { createdAt: Date.now(), user });
        return reply.redirect(next === '/' ? '/account' : next, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'INVALID_CREDENTIALS') throw err;
        errors.push({ field: 'email', key: 'signIn.errors.wrong' });
      }
    }
    return render(
      request,
      reply,
      'account/sign-in.njk',
      { next, values: { email }, ...errorsFor(request, errors) },
      errors.some((e) => e.key === 'signIn.errors.wrong') ? 401 : 400,
    );
  });

  app.post('/sign-out', { config: { access: access.public, ocf: 'none' } }, async (request, reply) => {
    const user = request.session.user;
    if (user) await app.portal.signIn.signOut(user);
    await app.portal.sessions.destroy(request);
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', { config: { access: access.public, ocf: 'none' } }, async (request, reply) =>
    render(request, reply, 'account/signed-out.njk'),
  );

  app.get('/account', { config: { access: access.roles(...ROLES), ocf: 'none' } }, async (request, reply) => {
    const principal = principalOf(request)!;
    const organisation = await identity.organisationOf(deps(), principal);
    return render(request, reply, 'account/account.njk', { organisation, roles: principal.roles });
  });

  // --- set a password: the invitation's and the forgotten-password email's link ----------

  app.get('/set-password', { config: { access: access.public, ocf: 'none' } }, async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '');
    return render(request, reply, 'account/set-password.njk', { token, missing: token === '' });
  });

  app.post(
    '/set-password',
    { config: { access: access.public, ocf: 'none', limit: 'token' } },
    async (request, reply) => {
      const f = form(request);
      const token = field(f, 'token');
      const password = typeof f.password === 'string' ? f.password : '';
      const confirm = typeof f.confirm === 'string' ? f.confirm : '';
      const errors: FieldError[] = [];
      if (!password) errors.push({ field: 'password', key: 'setPassword.errors.missing' });
      else if (password !== confirm) errors.push({ field: 'confirm', key: 'setPassword.errors.mismatch' });
      if (errors.length === 0) {
        try {
          await identity.setPassword(deps(), token, password);
          return render(request, reply, 'account/password-set.njk');
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.code === 'WEAK_PASSWORD') errors.push({ field: 'password', key: 'setPassword.errors.weak' });
          else if (err.code === 'INVALID_SET_PASSWORD_TOKEN')
            return render(request, reply, 'account/set-password.njk', { token: '', invalid: true }, 400);
          else throw err;
        }
      }
      return render(request, reply, 'account/set-password.njk', { token, ...errorsFor(request, errors) }, 400);
    },
  );

  // --- forgotten password ----------------------------------------------------------------

  app.get('/forgotten-password', { config: { access: access.public, ocf: 'none' } }, async (request, reply) =>
    render(request, reply, 'account/forgotten-password.njk', { values: {} }),
  );

  app.post(
    '/forgotten-password',
    { config: { access: access.public, ocf: 'none', limit: 'token' } },
    async (request, reply) => {
      const email = field(form(request), 'email');
      if (!looksLikeEmail(email)) {
        const errors = [{ field: 'email', key: 'forgotten.errors.email' }];
        return render(
          request,
          reply,
          'account/forgotten-password.njk',
          { values: { email }, ...errorsFor(request, errors) },
          400,
        );
      }
      await identity.requestPasswordReset(deps(), email);
      return render(request, reply, 'account/forgotten-sent.njk');
    },
  );
}
