import t from 'tap';
import {
  availability,
  batchFigures,
  handlingFigures,
  monthBounds,
  type OutageRow,
} from '../../src/operations/service-levels.js';
import { TimingAggregator, dayOf, summarise } from '../../src/operations/timing.js';

t.test('months are London calendar months', async (t) => {
  t.same(
    { from: monthBounds('2026-01').from.toISOString(), to: monthBounds('2026-01').to.toISOString() },
    { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
    'winter: London is UTC',
  );
  t.equal(monthBounds('2026-07').from.toISOString(), '2026-06-30T23:00:00.000Z', 'summer: midnight is 23:00 UTC');
  t.equal(monthBounds('2026-12').to.toISOString(), '2027-01-01T00:00:00.000Z', 'December ends in the next year');
  t.throws(() => monthBounds('2026-13'), RangeError);
});

t.test('timings are kept per London day: a request at 23:30 UTC in summer counts for the next day', async (t) => {
  t.equal(dayOf(Date.parse('2026-07-01T23:30:00Z')), '2026-07-02');
  t.equal(dayOf(Date.parse('2026-01-01T23:30:00Z')), '2026-01-01');
  const agg = new TimingAggregator();
  agg.record('OCF03', 1_000, Date.parse('2026-07-01T12:00:00Z'));
  agg.record('OCF03', 3_000, Date.parse('2026-07-01T13:00:00Z'), true);
  const [slice] = agg.take();
  t.same([slice.count, slice.sumMicros, slice.errors], [2, 4_000, 1]);
  t.equal(agg.size, 0, 'taking empties it');
  t.same(summarise([slice]).meanMs, 2);
});

const outage = (
  kind: OutageRow['kind'],
  start: string,
  end: string | null,
  extra: Partial<OutageRow> = {},
): OutageRow => ({
  id: `${kind}-${start}`,
  kind,
  start,
  end,
  reason: null,
  inCoreHours: false,
  source: null,
  ...extra,
});

t.test('availability leaves out planned maintenance and counts overlapping downtime once', async (t) => {
  const { from, to } = monthBounds('2026-02'); // 28 days: 40,320 minutes
  const a = availability(
    [
      outage('planned', '2026-02-01T01:00:00Z', '2026-02-01T03:00:00Z'),
      outage('unplanned', '2026-02-10T10:00:00Z', '2026-02-10T11:00:00Z'),
      outage('emergency', '2026-02-10T10:30:00Z', '2026-02-10T12:00:00Z'),
      // Inside the planned window: already excluded, not downtime.
      outage('unplanned', '2026-02-01T02:00:00Z', '2026-02-01T02:30:00Z'),
    ],
    from,
    to,
    new Date('2026-03-15T00:00:00Z'),
  );
  t.equal(a.periodMinutes, 40_320);
  t.equal(a.plannedMinutes, 120);
  t.equal(a.downtimeMinutes, 120, 'two hours of unplanned and emergency downtime, overlap once');
  t.equal(a.percent, Math.round((1 - 120 / 40_200) * 1e6) / 1e4);
  t.equal(a.met, true, '99.70 % meets 99.5 %');
  t.equal(a.outages.length, 4);
});

t.test('an open outage counts up to now, and a month of it misses the target', async (t) => {
  const { from, to } = monthBounds('2026-02');
  const a = availability(
    [outage('unplanned', '2026-02-27T00:00:00Z', null)],
    from,
    to,
    new Date('2026-02-28T00:00:00Z'),
  );
  t.equal(a.downtimeMinutes, 1_440);
  t.equal(a.periodMinutes, 27 * 1_440, 'measured up to now');
  t.equal(a.met, false);
});

t.test('a planned window in core hours is flagged', async (t) => {
  const { from, to } = monthBounds('2026-02');
  const a = availability(
    [
      outage('planned', '2026-02-10T10:00:00Z', '2026-02-10T11:00:00Z', {
        inCoreHours: true,
        reason: 'agreed with AOs',
      }),
    ],
    from,
    to,
    new Date('2026-03-01T00:00:00Z'),
  );
  t.equal(a.outages[0].flagged, true);
});

t.test('batches: received, finished within 48 hours, the slowest, and open ones overdue', async (t) => {
  const { from, to } = monthBounds('2026-02');
  const b = batchFigures(
    [
      {
        id: 'fast',
        status: 'completed',
        receivedAt: '2026-02-02T10:00:00Z',
        finishedAt: '2026-02-02T10:05:00Z',
        rows: 10,
      },
      {
        id: 'slow',
        status: 'completed',
        receivedAt: '2026-02-03T10:00:00Z',
        finishedAt: '2026-02-06T10:00:00Z',
        rows: 10,
      },
      {
        id: 'failed',
        status: 'failed',
        receivedAt: '2026-02-04T10:00:00Z',
        finishedAt: '2026-02-04T11:00:00Z',
        rows: 10,
      },
      // Received the month before, finished in this one: finished here, not received here.
      {
        id: 'late-jan',
        status: 'completed',
        receivedAt: '2026-01-31T10:00:00Z',
        finishedAt: '2026-02-01T10:00:00Z',
        rows: 1,
      },
      { id: 'stuck', status: 'loading', receivedAt: '2026-02-20T10:00:00Z', finishedAt: null, rows: 10 },
    ],
    from,
    to,
    new Date('2026-03-10T00:00:00Z'),
  );
  t.equal(b.received, 4);
  t.equal(b.completed, 3);
  t.equal(b.failed, 1);
  t.equal(b.withinTargetPercent, 75, '3 of 4 finished within 48 hours');
  t.same(b.slowest, { id: 'slow', seconds: 3 * 86_400, withinTarget: false });
  t.equal(b.overdueOpen, 1);
  t.equal(b.met, false);
});

t.test('handling times: count, mean and longest in service hours', async (t) => {
  t.same(handlingFigures([1, 2, 4.5, null]), { count: 4, meanServiceHours: 2.5, maxServiceHours: 4.5 });
  t.same(handlingFigures([]), { count: 0, meanServiceHours: null, maxServiceHours: null });
});
