/**
 * Refresh-token rules. Pure.
 *
 * A sign-in starts a family; each refresh uses up the presented token and gives a new one
 * in the same family. Presenting a token that was already used up (or revoked) means two
 * parties hold the family: the legitimate client and someone who copied a token. We
 * cannot tell which is which, so the whole family is revoked and both must sign in
 * again. A wrong secret for a known id revokes nothing (that would let anyone who learnt
 * an id sign someone out) and is simply refused.
 */
export const REFRESH_TOKEN_DAYS = 14;
export const SET_PASSWORD_HOURS = 72;

export interface RefreshCheck {
  /** Whether the presented secret matches the stored hash. */
  secretMatches: boolean;
  expiresAt: string;
  rotated: boolean;
  revoked: boolean;
  userExists: boolean;
  userDisabled: boolean;
}

export type RefreshVerdict =
  | { verdict: 'rotate' }
  | { verdict: 'refuse'; reason: 'unknown' | 'expired' }
  | { verdict: 'revoke-family'; reason: 'reuse' | 'user-disabled' };

export function judgeRefresh(check: RefreshCheck | null, now: Date): RefreshVerdict {
  if (!check || !check.secretMatches) return { verdict: 'refuse', reason: 'unknown' };
  if (check.rotated || check.revoked) return { verdict: 'revoke-family', reason: 'reuse' };
  if (!check.userExists || check.userDisabled) return { verdict: 'revoke-family', reason: 'user-disabled' };
  if (new Date(check.expiresAt).getTime() <= now.getTime()) return { verdict: 'refuse', reason: 'expired' };
  return { verdict: 'rotate' };
}

export function refreshExpiry(now: Date, days = REFRESH_TOKEN_DAYS): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

export function setPasswordExpiry(now: Date, hours = SET_PASSWORD_HOURS): Date {
  return new Date(now.getTime() + hours * 3_600_000);
}
