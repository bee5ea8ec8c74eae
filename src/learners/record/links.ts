/**
 * Rules of the learner's time-limited record links (OCF 03). Pure: every function takes
 * the time it should judge by, so tests (and the service) decide what "now" is.
 *
 * - A link lives from 1 hour to 720 hours (30 days), in whole hours; the learner chooses.
 * - It stops opening when it has expired, when the learner revoked it, when it was made
 *   single-use and has been opened once, or while the learner's record is unavailable
 *   (OCF 07: nobody else sees it then; the link opens again once it is available, until
 *   it expires).
 * - A learner makes at most MAX_LINKS_PER_DAY links in any 24 hours: each one sends an
 *   email, and the address may be anybody's.
 */
import type { Principal } from '../../platform/auth.js';

export const MIN_LINK_HOURS = 1;
export const MAX_LINK_HOURS = 720;
export const MAX_LINKS_PER_DAY = 20;

/** Audience and token type that set link tokens apart from access tokens (at+jwt, plr-api). */
export const LINK_AUDIENCE = 'plr-record-link';
export const LINK_TOKEN_TYPE = 'plr-record-link+jwt';

const HOUR_MS = 3_600_000;

/** Why a requested lifetime is not acceptable, or null when it is. */
export function lifetimeProblem(hours: unknown): string | null {
  if (typeof hours !== 'number' || !Number.isInteger(hours))
    return `lifetimeHours must be a whole number of hours from ${MIN_LINK_HOURS} to ${MAX_LINK_HOURS}`;
  if (hours < MIN_LINK_HOURS) return `lifetimeHours must be at least ${MIN_LINK_HOURS}`;
  if (hours > MAX_LINK_HOURS) return `lifetimeHours must be at most ${MAX_LINK_HOURS} (30 days)`;
  return null;
}

/** When a link made at `createdAt` with this lifetime stops opening. */
export function linkExpiry(createdAt: Date, hours: number): Date {
  const problem = lifetimeProblem(hours);
  if (problem) throw new RangeError(problem);
  return new Date(createdAt.getTime() + hours * HOUR_MS);
}

/** What the rules need to know about a stored link. Times are ISO strings or null. */
export interface LinkFacts {
  expiresAt: string;
  singleUse: boolean;
  usedAt: string | null;
  revokedAt: string | null;
}

export type LinkRefusal = 'revoked' | 'expired' | 'used' | 'not-shared';
export type LinkStatus = 'active' | 'revoked' | 'expired' | 'used';

/**
 * Why the link may not be opened at `now`, or null when it may. A revoked link says so
 * even after it would have expired: the learner's decision is the more useful answer.
 * `available` is the learner's availability flag (OCF 07).
 */
export function linkRefusal(link: LinkFacts, now: Date, available = true): LinkRefusal | null {
  if (link.revokedAt !== null) return 'revoked';
  if (Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
  if (link.singleUse && link.usedAt !== null) return 'used';
  if (!available) return 'not-shared';
  return null;
}

/** The state of a link as its owner sees it in the list. */
export function linkStatus(link: LinkFacts, now: Date): LinkStatus {
  const refusal = linkRefusal(link, now);
  return refusal === null || refusal === 'not-shared' ? 'active' : refusal;
}

/** The answer for a refused link: the HTTP status, a stable code and a sentence. */
export const REFUSALS: Readonly<Record<LinkRefusal, { status: number; code: string; message: string }>> = {
  revoked: { status: 410, code: 'LINK_REVOKED', message: 'this record link has been withdrawn by the learner' },
  expired: {
    status: 410,
    code: 'LINK_EXPIRED',
    message: 'this record link has expired; ask the learner for a new one',
  },
  used: { status: 410, code: 'LINK_USED', message: 'this record link could be opened once only, and it has been' },
  'not-shared': {
    status: 403,
    code: 'NOT_SHARED',
    message: 'the learner has not agreed to share their record at the moment',
  },
};

/**
 * Only the learner manages links to their record, and only under the ULN their token
 * carries: a link is a personal act of sharing, so neither the operator nor the master
 * ULN of a merged record may make or revoke one in their name.
 */
export function mayManageLinks(principal: Principal, uln: string): boolean {
  return principal.roles.includes('learner') && principal.uln !== undefined && principal.uln === uln;
}

/**
 * A plausible email address: one @, something before it, a dotted domain after it, no
 * spaces, at most 254 characters. The mail server is the real judge.
 */
export function looksLikeEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);
}

/** A link's address, as emailed. */
export function recordLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/record-links/${token}`;
}

/** How long a lifetime reads in a sentence: "3 days", "1 hour", "30 hours". */
export function describeLifetime(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? '1 day' : `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** The email that carries a link. No personal detail goes in it besides what the learner shares. */
export function linkEmail(
  url: string,
  link: { expiresAt: string; singleUse: boolean; lifetimeHours: number },
): { subject: string; text: string } {
  const lines = [
    'A learner has shared their Personal Learning Record with you.',
    '',
    'Open it here (read-only):',
    url,
    '',
    `The link works for ${describeLifetime(link.lifetimeHours)}, until ${link.expiresAt} (UTC).`,
    link.singleUse
      ? 'It can be opened once only: save or print the record when you open it.'
      : 'It can be opened as often as needed until then.',
    'The learner can withdraw it at any time, and each opening is shown to the learner.',
    '',
    'If you did not expect this message, you can ignore it.',
  ];
  return { subject: 'A learning record has been shared with you', text: lines.join('\n') };
}
