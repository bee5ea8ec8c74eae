/**
 * Sign-in lock-out rules. Pure: state and a clock in, decisions out.
 *
 * After `maxFailures` wrong passwords in a row the account is locked for `lockMinutes`.
 * While locked, no password is checked at all (a right one fails too, and nothing is
 * counted); when the lock runs out the count starts again from zero. A successful sign-in
 * clears the count. The caller answers a locked account exactly as it answers a wrong
 * password or an unknown email, so lock-out tells an attacker nothing about which emails exist.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 };

export interface LockoutState {
  failedLogins: number;
  /** ISO time, or null when not locked. */
  lockedUntil: string | null;
}

export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && new Date(state.lockedUntil).getTime() > now.getTime();
}

/**
 * The state after one more wrong password, given the count already stored (which the
 * caller has just incremented atomically: `failedLogins` here is the count including this one).
 */
export function afterFailure(
  failedLogins: number,
  now: Date,
  policy: LockoutPolicy = DEFAULT_LOCKOUT,
): LockoutState & { locked: boolean } {
  if (!Number.isInteger(failedLogins) || failedLogins < 1)
    throw new RangeError('failedLogins counts this failure: at least 1');
  if (failedLogins >= policy.maxFailures) {
    return {
      failedLogins: 0,
      lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000).toISOString(),
      locked: true,
    };
  }
  return { failedLogins, lockedUntil: null, locked: false };
}

export function afterSuccess(): LockoutState {
  return { failedLogins: 0, lockedUntil: null };
}
