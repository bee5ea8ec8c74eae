import t from 'tap';
import { DEFAULT_LOCKOUT, afterFailure, afterSuccess, isLocked } from '../../src/identity/lockout.js';
import { judgeRefresh, refreshExpiry, setPasswordExpiry, type RefreshCheck } from '../../src/identity/sessions.js';

const now = new Date('2026-03-02T09:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

t.test("four failures count, the fifth locks for the policy's minutes", async (t) => {
  t.same(DEFAULT_LOCKOUT, { maxFailures: 5, lockMinutes: 15 });
  for (let n = 1; n < 5; n++) {
    const s = afterFailure(n, now);
    t.equal(s.locked, false, `failure ${n}`);
    t.equal(s.failedLogins, n);
    t.equal(s.lockedUntil, null);
  }
  const locked = afterFailure(5, now);
  t.equal(locked.locked, true);
  t.equal(locked.lockedUntil, minutes(15).toISOString());
  t.equal(locked.failedLogins, 0, 'the count starts again once the lock runs out');
});

t.test('another policy is followed', async (t) => {
  const policy = { maxFailures: 3, lockMinutes: 60 };
  t.equal(afterFailure(2, now, policy).locked, false);
  t.equal(afterFailure(3, now, policy).lockedUntil, minutes(60).toISOString());
  t.equal(afterFailure(7, now, policy).locked, true, 'more than the limit (concurrent failures) locks too');
});

t.test('a count that does not include this failure is a programming error', async (t) => {
  t.throws(() => afterFailure(0, now), RangeError);
  t.throws(() => afterFailure(1.5, now), RangeError);
});

t.test('locked until the time passes, not after', async (t) => {
  const state = { failedLogins: 0, lockedUntil: minutes(15).toISOString() };
  t.equal(isLocked(state, now), true);
  t.equal(isLocked(state, minutes(14.9)), true);
  t.equal(isLocked(state, minutes(15)), false, 'the lock ends at its time');
  t.equal(isLocked(state, minutes(16)), false);
  t.equal(isLocked({ failedLogins: 3, lockedUntil: null }, now), false, 'failures alone do not lock');
  t.same(afterSuccess(), { failedLogins: 0, lockedUntil: null });
});

const good: RefreshCheck = {
  secretMatches: true,
  expiresAt: minutes(60).toISOString(),
  rotated: false,
  revoked: false,
  userExists: true,
  userDisabled: false,
};

t.test('refresh: a good, unused, unexpired token of an enabled user rotates', async (t) => {
  t.same(judgeRefresh(good, now), { verdict: 'rotate' });
});

t.test('refresh: reuse of a used or revoked token revokes the family', async (t) => {
  t.same(judgeRefresh({ ...good, rotated: true }, now), { verdict: 'revoke-family', reason: 'reuse' });
  t.same(judgeRefresh({ ...good, revoked: true }, now), { verdict: 'revoke-family', reason: 'reuse' });
  t.same(
    judgeRefresh({ ...good, rotated: true, expiresAt: minutes(-1).toISOString() }, now),
    { verdict: 'revoke-family', reason: 'reuse' },
    'even when expired',
  );
});

t.test('refresh: a disabled or removed user ends the family', async (t) => {
  t.same(judgeRefresh({ ...good, userDisabled: true }, now), { verdict: 'revoke-family', reason: 'user-disabled' });
  t.same(judgeRefresh({ ...good, userExists: false }, now), { verdict: 'revoke-family', reason: 'user-disabled' });
});

t.test('refresh: a wrong secret or unknown id is refused and revokes nothing', async (t) => {
  t.same(judgeRefresh(null, now), { verdict: 'refuse', reason: 'unknown' });
  t.same(judgeRefresh({ ...good, secretMatches: false }, now), { verdict: 'refuse', reason: 'unknown' });
  t.same(
    judgeRefresh({ ...good, secretMatches: false, rotated: true }, now),
    { verdict: 'refuse', reason: 'unknown' },
    'a guessed id cannot sign someone out',
  );
});

t.test('refresh: expired is refused', async (t) => {
  t.same(judgeRefresh({ ...good, expiresAt: now.toISOString() }, now), { verdict: 'refuse', reason: 'expired' });
});

t.test('lifetimes: refresh tokens 14 days, set-password links 72 hours', async (t) => {
  t.equal(refreshExpiry(now).toISOString(), '2026-03-16T09:00:00.000Z');
  t.equal(setPasswordExpiry(now).toISOString(), '2026-03-05T09:00:00.000Z');
});
