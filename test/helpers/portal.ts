/**
 * A signed-in browser for app.inject: a portal session stored as sign-in stores it, its
 * cookie, and a CSRF token for its forms.
 */
import CSRF from '@fastify/csrf';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/platform/auth.js';
import { SESSION_COOKIE, storeSession, type SessionSettings, type SessionUser } from '../../src/web/session.js';
import { PRINCIPALS } from './app.js';

const tokens = (CSRF as unknown as (o?: object) => { secretSync(): string; create(s: string): string })();

export function sessionSettings(app: App): SessionSettings {
  return {
    redis: app.deps.redis,
    prefix: app.config.queuePrefix,
    idleSeconds: app.config.portalIdleSeconds,
    maxSeconds: app.config.portalMaxSeconds,
    secure: false,
  };
}

export interface Browser {
  cookie: string;
  csrf: string;
  headers: { cookie: string };
}

/** A session for a role (or none signed in, for 'anonymous'), with a CSRF secret. */
export async function browserFor(
  app: App,
  who: Role | 'anonymous',
  extra: Partial<SessionUser> = {},
): Promise<Browser> {
  const secret = tokens.secretSync();
  const user: SessionUser | undefined =
    who === 'anonymous'
      ? undefined
      : {
          ...PRINCIPALS[who],
          roles: [who],
          label: `${who}@example.org`,
          signedInAt: new Date().toISOString(),
          ...extra,
        };
  const id = await storeSession(sessionSettings(app), { createdAt: Date.now(), user, _csrf: secret });
  const cookie = `${SESSION_COOKIE}=${id}`;
  return { cookie, csrf: tokens.create(secret), headers: { cookie } };
}

/** A form body as a browser sends it. */
export function formBody(fields: Record<string, string>): {
  payload: string;
  headers: { 'content-type': string };
} {
  return {
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** What a page answer means in the access matrix's terms: sent to sign in is 401, an error page its code. */
export function pageOutcome(res: { statusCode: number; headers: Record<string, unknown>; body: string }): {
  status: number;
  codes: string[];
} {
  const location = typeof res.headers.location === 'string' ? res.headers.location : '';
  if (res.statusCode === 303 && location.startsWith('/sign-in?next=')) return { status: 401, codes: ['UNAUTHORIZED'] };
  const code = /data-error-code="([A-Z_]+)"/.exec(res.body)?.[1];
  return { status: res.statusCode, codes: code && res.statusCode >= 400 ? [code] : [] };
}
