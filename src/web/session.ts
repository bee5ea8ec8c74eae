/**
 * Portal sessions, kept in Redis so that every API process shares them. The cookie holds
 * only a random id (32 bytes); Redis holds the session under a hash of it, so a copy of
 * Redis gives no cookie that works. A session ends after `idleSeconds` without a request
 * (the key's expiry, renewed on each request) and `maxSeconds` after it began, whatever
 * happens. Signing in starts a new id (no fixation); signing out deletes it.
 *
 * `request.session` is the session's data; @fastify/csrf-protection keeps its secret
 * there (as it would with @fastify/session).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Role } from '../platform/auth.js';

export const SESSION_COOKIE = 'plr_session';

export interface SessionUser {
  subject: string;
  roles: Role[];
  organisation?: string;
  uln?: string;
  /** What the header shows: the user's email, or the learner's ULN; never logged. */
  label: string;
  signedInAt: string;
  /** The identity service's refresh token, revoked at sign-out. */
  refreshToken?: string;
}

export interface SessionData {
  createdAt: number;
  user?: SessionUser;
  _csrf?: string;
  /** A one-off message for the next page (a key of the catalogue). */
  flash?: string;
  [key: string]: unknown;
}

/** Why a request that came with a session cookie has none now. */
export type SessionEnd = 'idle' | 'expired';

export interface SessionSettings {
  redis: Redis;
  prefix: string;
  idleSeconds: number;
  maxSeconds: number;
  secure: boolean;
  now?: () => number;
}

interface SessionState {
  id: string | null;
  loaded: string | null;
  fresh: boolean;
  destroyed: boolean;
  ended?: SessionEnd;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionData;
    portalSession: SessionState;
  }
}

const newId = () => randomBytes(32).toString('base64url');

/** The Redis key of a session id. Pure. */
export function sessionKey(prefix: string, id: string): string {
  return `${prefix}:portal-session:${createHash('sha256').update(id).digest('hex')}`;
}

/** Store a session and return its id (sign-in, and tests that need a signed-in browser). */
export async function storeSession(settings: SessionSettings, data: SessionData, id = newId()): Promise<string> {
  await settings.redis.set(sessionKey(settings.prefix, id), JSON.stringify(data), 'EX', settings.idleSeconds);
  return id;
}

export function sessionCookieOptions(settings: Pick<SessionSettings, 'secure'>) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: settings.secure };
}

export function sessionHooks(settings: SessionSettings) {
  const now = settings.now ?? Date.now;

  async function load(request: FastifyRequest): Promise<void> {
    const id = request.cookies[SESSION_COOKIE];
    const state: SessionState = { id: null, loaded: null, fresh: true, destroyed: false };
    request.portalSession = state;
    request.session = { createdAt: now() };
    if (!id || id.length > 100) return;
    const raw = await settings.redis.get(sessionKey(settings.prefix, id));
    if (raw === null) {
      state.ended = 'idle';
      return;
    }
    const data = JSON.parse(raw) as SessionData;
    if (now() - data.createdAt > settings.maxSeconds * 1000) {
      await settings.redis.del(sessionKey(settings.prefix, id));
      state.ended = 'expired';
      return;
    }
    Object.assign(state, { id, loaded: raw, fresh: false });
    request.session = data;
  }

  async function save(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const state = request.portalSession;
    if (!state) return;
    if (state.destroyed) {
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(settings));
      return;
    }
    const data = request.session;
    const worthKeeping = data.user !== undefined || data._csrf !== undefined || data.flash !== undefined;
    if (!worthKeeping && state.fresh) return;
    const raw = JSON.stringify(data);
    if (state.id === null) {
      state.id = newId();
      reply.setCookie(SESSION_COOKIE, state.id, sessionCookieOptions(settings));
    }
    const key = sessionKey(settings.prefix, state.id);
    // Renewing the expiry on every request is what makes the time-out an idle one.
    if (raw !== state.loaded) await settings.redis.set(key, raw, 'EX', settings.idleSeconds);
    else await settings.redis.expire(key, settings.idleSeconds);
  }

  /** A new id for the same browser, the old one deleted: at sign-in, against session fixation. */
  async function rotate(request: FastifyRequest, data: SessionData): Promise<void> {
    const state = request.portalSession;
    if (state.id) await settings.redis.del(sessionKey(settings.prefix, state.id));
    Object.assign(state, { id: null, loaded: null, fresh: true, destroyed: false });
    request.session = data;
  }

  async function destroy(request: FastifyRequest): Promise<void> {
    const state = request.portalSession;
    if (state.id) await settings.redis.del(sessionKey(settings.prefix, state.id));
    Object.assign(state, { id: null, loaded: null, destroyed: true });
    request.session = { createdAt: now() };
  }

  return { load, save, rotate, destroy };
}
