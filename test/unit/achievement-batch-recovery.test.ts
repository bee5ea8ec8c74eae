import t from 'tap';
import { chunkStanding } from '../../src/achievements/batches/run.js';
import { isStuck, watchDecision } from '../../src/achievements/batches/recovery.js';
import { backoffMs, isTransient, retrying } from '../../src/platform/retry.js';

const cp = (pass: string, chunk: number, runId: string | null = 'me', status = 'loading') => ({
  status,
  runId,
  pass,
  chunk,
});

t.test('a chunk against the checkpoint it locked', async (t) => {
  t.equal(chunkStanding(cp('units', 3), 'me', 'units', 3), 'write', 'the next chunk');
  t.equal(chunkStanding(cp('units', 5), 'me', 'qualifications', 0), 'write', 'the first chunk of the next pass');
  // The commit went through and its answer was lost: this run's own checkpoint, one chunk on.
  t.equal(chunkStanding(cp('units', 4), 'me', 'units', 3), 'committed');
  t.equal(chunkStanding(cp('units', 3, 'another'), 'me', 'units', 3), 'superseded', 'another run owns it');
  t.equal(chunkStanding(cp('units', 3, 'me', 'failed'), 'me', 'units', 3), 'superseded', 'it has ended');
  t.throws(() => chunkStanding(cp('units', 9), 'me', 'units', 3), /does not fit/, 'anything else is a bug');
});

t.test('what the watchdog does about an unfinished batch', async (t) => {
  const now = new Date('2026-05-01T12:00:00Z');
  const opts = { maxResumes: 2, graceMs: 30_000 };
  const quietSince = (s: number) => ({ autoResumes: 0, progressAt: new Date(now.getTime() - s * 1000).toISOString() });
  for (const job of ['active', 'waiting', 'delayed'] as const)
    t.same(watchDecision(quietSince(3600), job, now, opts), { kind: 'none' }, `${job}: left alone`);
  t.same(watchDecision(quietSince(5), 'gone', now, opts), { kind: 'none' }, 'gone a moment ago: may be being queued');
  t.match(watchDecision(quietSince(60), 'gone', now, opts), { kind: 'resume', note: /no longer in the queue/ });
  t.match(watchDecision(quietSince(60), 'completed', now, opts), { kind: 'resume', note: /ended without finishing/ });
  t.match(watchDecision(quietSince(1), 'failed', now, opts), { kind: 'resume', note: /had failed/ }, 'at once');
  t.match(watchDecision({ ...quietSince(1), autoResumes: 2 }, 'failed', now, opts), {
    kind: 'fail',
    reason: /taken it up 2 times \(a service fault, not your file\)/,
  });
});

t.test('stuck: not finished and quiet for longer than the limit', async (t) => {
  const now = new Date('2026-05-01T12:00:00Z');
  const b = (status: string, secondsAgo: number | null) => ({
    status: status as 'loading',
    progressAt: secondsAgo === null ? null : new Date(now.getTime() - secondsAgo * 1000).toISOString(),
    receivedAt: new Date(now.getTime() - 7200_000).toISOString(),
  });
  t.equal(isStuck(b('loading', 60), 900, now), false);
  t.equal(isStuck(b('loading', 901), 900, now), true);
  t.equal(isStuck(b('received', null), 900, now), true, 'from receipt when it never started');
  t.equal(isStuck(b('failed', 5000), 900, now), false, 'a finished batch is not stuck');
});

t.test('transient errors and back-off', async (t) => {
  t.ok(isTransient({ code: 'ServiceUnavailable' }));
  t.ok(isTransient({ code: 'SessionExpired' }));
  t.ok(isTransient({ code: 'Neo.TransientError.Transaction.DeadlockDetected' }));
  t.ok(isTransient({ retriable: true }));
  t.ok(isTransient({ code: 'ECONNREFUSED' }));
  t.ok(isTransient(new Error('Connection is closed.')));
  t.ok(isTransient({ name: 'MaxRetriesPerRequestError' }));
  t.notOk(isTransient(new Error('the graph changed')));
  t.notOk(isTransient({ code: 'Neo.ClientError.Schema.ConstraintValidationFailed' }));
  t.notOk(isTransient(null));
  t.same(
    [1, 2, 3, 10].map((a) => backoffMs(a)),
    [250, 500, 1_000, 5_000],
  );

  let calls = 0;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const value = await retrying(
    async () => {
      if (++calls < 3) throw Object.assign(new Error('away'), { code: 'ServiceUnavailable' });
      return 'done';
    },
    { forMs: 60_000, what: 'test', sleep },
  );
  t.equal(value, 'done');
  t.same(waits, [250, 500], 'backed off between tries');
  await t.rejects(
    retrying(
      async () => {
        throw new Error('not transient');
      },
      { forMs: 60_000, what: 'test', sleep },
    ),
    /not transient/,
    'other errors at once',
  );
  await t.rejects(
    retrying(
      async () => {
        throw Object.assign(new Error('still away'), { code: 'ServiceUnavailable' });
      },
      { forMs: 0, what: 'test', sleep },
    ),
    /still away/,
    'transient ones once the time is up',
  );
});
