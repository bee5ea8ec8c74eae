import t from 'tap';
import {
  activeWindow,
  announcedWindows,
  planWindow,
  refusedDuringMaintenance,
  retryAfterSeconds,
} from '../../src/operations/maintenance.js';
import { INITIAL_PROBE, nextProbe } from '../../src/operations/probe.js';

const now = new Date('2026-03-02T12:00:00Z'); // a Monday
const messages = { messageEn: 'Upgrade', messageCy: 'Uwchraddio' };

t.test('a planned window outside core hours is announced MAINTENANCE_NOTICE_HOURS ahead', async (t) => {
  // Saturday 7 March 21:00 to 23:00 London (GMT): after 20:00, outside core hours.
  const r = planWindow(
    { kind: 'planned', start: '2026-03-07T21:00:00Z', end: '2026-03-07T23:00:00Z', ...messages },
    now,
    72,
  );
  t.ok(r.ok);
  if (!r.ok) return;
  t.equal(r.window.inCoreHours, false);
  t.equal(r.window.announceFrom.toISOString(), '2026-03-04T21:00:00.000Z');
});

t.test('Sunday and a bank holiday are outside core hours; Saturday daytime is inside', async (t) => {
  const plan = (start: string, end: string) =>
    planWindow({ kind: 'planned', start, end, ...messages }, new Date('2026-01-01T00:00:00Z'), 72);
  t.ok(plan('2026-03-08T10:00:00Z', '2026-03-08T12:00:00Z').ok, 'Sunday');
  t.ok(plan('2026-04-06T10:00:00Z', '2026-04-06T12:00:00Z').ok, 'Easter Monday 2026');
  const saturday = plan('2026-03-07T10:00:00Z', '2026-03-07T12:00:00Z');
  t.notOk(saturday.ok, 'Saturday 10:00 is core hours: a reason is needed');
  if (!saturday.ok) t.match(saturday.problems, [{ field: 'reason' }]);
});

t.test('what a window must say', async (t) => {
  const r = planWindow(
    { kind: 'planned', start: '2026-03-01T21:00:00Z', end: '2026-03-01T20:00:00Z', messageEn: '', messageCy: ' ' },
    now,
    72,
  );
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(r.problems.map((p) => p.field).sort(), ['end', 'end', 'messageCy', 'messageEn', 'start']);
  const emergency = planWindow(
    { kind: 'emergency', start: '2026-03-02T11:00:00Z', end: '2026-03-02T13:00:00Z', ...messages },
    now,
    72,
  );
  t.ok(emergency.ok, 'an emergency window may have begun already');
  if (emergency.ok) t.same(emergency.window.announceFrom, now, 'and is announced at once');
});

t.test('in force, announced, Retry-After, and what is refused', async (t) => {
  const w = {
    id: 'w',
    kind: 'planned' as const,
    start: '2026-03-02T11:00:00Z',
    end: '2026-03-02T12:30:00Z',
    announceFrom: '2026-03-01T00:00:00Z',
    ...messages,
  };
  t.equal(activeWindow([w], now)?.id, 'w');
  t.equal(activeWindow([w], new Date('2026-03-02T12:30:00Z')), null, 'the end is not inside');
  t.same(
    announcedWindows([w], new Date('2026-03-01T12:00:00Z')).map((x) => x.id),
    ['w'],
  );
  t.equal(retryAfterSeconds(w, now), 1_800);
  t.equal(refusedDuringMaintenance('POST', '/achievements'), true);
  t.equal(refusedDuringMaintenance('GET', '/achievements'), false);
  t.equal(refusedDuringMaintenance('POST', '/auth/login'), false);
  t.equal(refusedDuringMaintenance('POST', '/operations/maintenance/x/end'), false);
});

t.test('the probe: failures in a row open one outage at the first failure; a success closes it', async (t) => {
  let n = 0;
  const id = () => `o${++n}`;
  const fail = (at: string, inWindow = false) => ({ ok: false, at, inWindow, reason: 'down' });
  let s = nextProbe(INITIAL_PROBE, fail('T1'), 3, id);
  t.equal(s.action, null);
  s = nextProbe(s.state, fail('T2'), 3, id);
  t.equal(s.action, null);
  s = nextProbe(s.state, fail('T3'), 3, id);
  t.same(s.action, { kind: 'open', id: 'o1', start: 'T1', reason: 'down' });
  s = nextProbe({ ...s.state, outageStored: true }, fail('T4'), 3, id);
  t.equal(s.action, null, 'the same outage goes on');
  s = nextProbe(s.state, { ok: true, at: 'T5', inWindow: false }, 3, id);
  t.same(s.action, { kind: 'close', id: 'o1', start: 'T1', end: 'T5', stored: true, reason: 'down' });
  t.same(s.state, INITIAL_PROBE);
});

t.test(
  'the probe: failures inside a maintenance window do not count; an unstored outage is stored again',
  async (t) => {
    const id = () => 'o';
    t.same(
      nextProbe({ ...INITIAL_PROBE, failures: 2, firstFailureAt: 'T0' }, { ok: false, at: 'T1', inWindow: true }, 3, id)
        .state,
      INITIAL_PROBE,
    );
    const open = { ...INITIAL_PROBE, failures: 3, firstFailureAt: 'T0', outageId: 'o', outageStored: false };
    t.match(nextProbe(open, { ok: false, at: 'T1', inWindow: false }, 3, id).action, {
      kind: 'open',
      id: 'o',
      start: 'T0',
    });
    t.match(nextProbe(open, { ok: true, at: 'T2', inWindow: false }, 3, id).action, {
      kind: 'close',
      stored: false,
      end: 'T2',
    });
  },
);
