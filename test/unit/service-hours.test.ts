import t from 'tap';
import fc from 'fast-check';
import {
  addServiceHours,
  isServiceDay,
  isServiceTime,
  publicHolidays,
  serviceHoursBetween,
  serviceMillisBetween,
  NATIONS,
} from '../../src/operations/service-hours.js';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

t.test('inside one service day, service time is wall time', async (t) => {
  // Wednesday 15 January 2025, winter: London is UTC.
  t.equal(serviceHoursBetween(at('2025-01-15T09:00:00Z'), at('2025-01-15T11:30:00Z')), 2.5);
  t.equal(serviceMillisBetween(at('2025-01-15T09:00:00Z'), at('2025-01-15T09:00:00Z')), 0, 'an empty interval');
  // In summer London is UTC+1: 08:00 London is 07:00 UTC.
  t.equal(
    serviceHoursBetween(at('2025-07-16T07:00:00Z'), at('2025-07-16T19:00:00Z')),
    12,
    'a whole summer day is twelve hours',
  );
});

t.test('spans that start or end outside hours count only the open part', async (t) => {
  // Tuesday 14 January 2025 05:00 to 10:00 London: opens at 08:00, so 2 h.
  t.equal(serviceHoursBetween(at('2025-01-14T05:00:00Z'), at('2025-01-14T10:00:00Z')), 2);
  // 18:30 to 23:00: closes at 20:00, so 1.5 h.
  t.equal(serviceHoursBetween(at('2025-01-14T18:30:00Z'), at('2025-01-14T23:00:00Z')), 1.5);
  // Overnight, closed the whole time.
  t.equal(serviceHoursBetween(at('2025-01-14T20:00:00Z'), at('2025-01-15T08:00:00Z')), 0);
  // Tuesday 21:00 to Wednesday 09:15: only Wednesday 08:00 to 09:15.
  t.equal(serviceHoursBetween(at('2025-01-14T21:00:00Z'), at('2025-01-15T09:15:00Z')), 1.25);
});

t.test('Saturday is a service day, Sunday is not', async (t) => {
  // Friday 17 January 2025 19:00 to Monday 20 January 09:00:
  // Friday 1 h + Saturday 12 h + Sunday 0 + Monday 1 h.
  t.equal(serviceHoursBetween(at('2025-01-17T19:00:00Z'), at('2025-01-20T09:00:00Z')), 14);
  t.equal(isServiceDay('2025-01-18'), true, 'Saturday');
  t.equal(isServiceDay('2025-01-19'), false, 'Sunday');
  t.equal(serviceHoursBetween(at('2025-01-19T00:00:00Z'), at('2025-01-20T00:00:00Z')), 0, 'all of Sunday is closed');
});

t.test('public holidays are closed: Christmas, Boxing Day, Easter Monday, a summer bank holiday', async (t) => {
  // Wednesday 24 December 2025 18:00 to Monday 29 December 09:00:
  // Wed 2 h, Thu 25 (Christmas) 0, Fri 26 (Boxing Day) 0, Sat 27 12 h, Sun 0, Mon 1 h.
  t.equal(serviceHoursBetween(at('2025-12-24T18:00:00Z'), at('2025-12-29T09:00:00Z')), 15);
  // Easter 2025: Good Friday 18 April and Easter Monday 21 April are holidays in England.
  // Thursday 17 April 19:00 BST to Tuesday 22 April 09:00 BST: Thu 1 h, Sat 12 h, Tue 1 h.
  t.equal(serviceHoursBetween(at('2025-04-17T18:00:00Z'), at('2025-04-22T08:00:00Z')), 14);
  // The KEY example of the challenge test: Friday 22 August 2025 19:00 BST to Tuesday 26
  // August 10:00 BST, across a weekend and the summer bank holiday (Monday 25 August).
  t.equal(serviceHoursBetween(at('2025-08-22T18:00:00Z'), at('2025-08-26T09:00:00Z')), 15);
  t.equal(isServiceDay('2025-08-25'), false);
  t.ok(publicHolidays(2025).some((h) => h.date === '2025-04-21' && /Easter Monday/.test(h.name)));
});

t.test('substitute days close the service when a holiday falls at the weekend', async (t) => {
  // Christmas 2027 is a Saturday and Boxing Day a Sunday: Monday 27 and Tuesday 28 are off.
  t.equal(isServiceDay('2027-12-25'), false, 'Christmas Day itself, though a Saturday');
  t.equal(isServiceDay('2027-12-27'), false);
  t.equal(isServiceDay('2027-12-28'), false);
  t.equal(isServiceDay('2027-12-29'), true);
});

t.test('observances do not close the service', async (t) => {
  // Mother's Day is a Sunday anyway; Father's Day too. St George's Day is not a holiday.
  t.notOk(publicHolidays(2025).some((h) => /Mother|Father/.test(h.name)));
  t.equal(isServiceDay('2025-04-23'), true, "St George's Day is a working day");
});

t.test('each nation has its own holidays', async (t) => {
  // 4 August 2025 is the Scottish summer bank holiday; England's is 25 August.
  t.equal(isServiceDay('2025-08-04', 'GB-SCT'), false);
  t.equal(isServiceDay('2025-08-04', 'GB-ENG'), true);
  t.equal(isServiceDay('2025-08-25', 'GB-SCT'), true);
  // 2 January is a holiday in Scotland only.
  t.equal(isServiceDay('2025-01-02', 'GB-SCT'), false);
  t.equal(isServiceDay('2025-01-02', 'GB-WLS'), true);
  // St Patrick's Day, 17 March 2025 (a Monday), in Northern Ireland only.
  t.equal(isServiceDay('2025-03-17', 'GB-NIR'), false);
  t.equal(isServiceDay('2025-03-17'), true);
  // England and Wales share their bank holidays.
  for (const year of [2024, 2025, 2026])
    t.same(
      publicHolidays(year, 'GB-WLS').map((h) => h.date),
      publicHolidays(year, 'GB-ENG').map((h) => h.date),
      `${year}`,
    );
  // Monday 4 August 2025 09:00 to 11:00 BST: 2 h in England, nothing in Scotland.
  t.equal(serviceHoursBetween(at('2025-08-04T08:00:00Z'), at('2025-08-04T10:00:00Z'), 'GB-ENG'), 2);
  t.equal(serviceHoursBetween(at('2025-08-04T08:00:00Z'), at('2025-08-04T10:00:00Z'), 'GB-SCT'), 0);
  t.throws(
    () => serviceHoursBetween(at('2025-01-01T00:00:00Z'), at('2025-01-02T00:00:00Z'), 'GB-XXX' as never),
    /unknown nation/,
  );
});

t.test('clock changes: the window follows London time', async (t) => {
  // Clocks go forward at 01:00 UTC on Sunday 30 March 2025. Saturday 29 March opens at
  // 08:00 GMT (08:00 UTC); Monday 31 March opens at 08:00 BST (07:00 UTC).
  t.equal(isServiceTime(at('2025-03-29T07:59:00Z')), false);
  t.equal(isServiceTime(at('2025-03-29T08:00:00Z')), true);
  t.equal(isServiceTime(at('2025-03-31T06:59:00Z')), false);
  t.equal(isServiceTime(at('2025-03-31T07:00:00Z')), true);
  t.equal(isServiceTime(at('2025-03-31T19:00:00Z')), false, '20:00 BST is closing time');
  // Saturday 12 h + Sunday 0 + Monday 12 h, although the UTC span is 23 h shorter than 3 days.
  t.equal(serviceHoursBetween(at('2025-03-29T00:00:00Z'), at('2025-04-01T00:00:00Z')), 24);
  // Clocks go back at 01:00 UTC on Sunday 26 October 2025: Saturday opens at 07:00 UTC,
  // Monday at 08:00 UTC; still twelve hours each.
  t.equal(serviceHoursBetween(at('2025-10-25T00:00:00Z'), at('2025-10-28T00:00:00Z')), 24);
  t.equal(serviceHoursBetween(at('2025-10-25T07:00:00Z'), at('2025-10-25T19:00:00Z')), 12);
  t.equal(serviceHoursBetween(at('2025-10-27T08:00:00Z'), at('2025-10-27T20:00:00Z')), 12);
});

t.test('reversed arguments give the negative, and bad input is refused', async (t) => {
  t.equal(serviceHoursBetween(at('2025-01-15T11:00:00Z'), at('2025-01-15T09:00:00Z')), -2);
  t.throws(() => serviceMillisBetween(at('nonsense'), at('2025-01-15T09:00:00Z')), RangeError);
  t.throws(() => isServiceDay('2025-02-30'), RangeError);
  t.throws(() => addServiceHours(at('2025-01-15T09:00:00Z'), -1), RangeError);
  t.throws(() => addServiceHours(at('2025-01-15T09:00:00Z'), Number.NaN), RangeError);
});

t.test('addServiceHours gives deadlines in service time', async (t) => {
  // Friday 22 August 2025 19:00 BST + 15 h: Fri 1 h, Sat 12 h, Sun and the bank holiday
  // skipped, Tuesday 08:00 + 2 h = 10:00 BST.
  t.equal(addServiceHours(at('2025-08-22T18:00:00Z'), 15).toISOString(), '2025-08-26T09:00:00.000Z');
  // Starting on a Sunday night: the clock starts at Monday's opening.
  t.equal(addServiceHours(at('2025-01-19T22:00:00Z'), 1).toISOString(), '2025-01-20T09:00:00.000Z');
  // A deadline may be exactly at closing time.
  t.equal(addServiceHours(at('2025-01-15T08:00:00Z'), 12).toISOString(), '2025-01-15T20:00:00.000Z');
  t.equal(
    addServiceHours(at('2025-01-19T22:00:00Z'), 0).toISOString(),
    '2025-01-19T22:00:00.000Z',
    'zero hours changes nothing',
  );
});

// Instants from 2024 to 2028, which covers leap years, both clock changes each year, and
// holidays with substitute days.
const instantArb = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 11, 31) }).map((ms) => new Date(ms));
const nationArb = fc.constantFrom(...NATIONS);

t.test('property: splitting an interval at any point gives the same total', async (t) => {
  fc.assert(
    fc.property(instantArb, instantArb, instantArb, nationArb, (a, b, c, nation) => {
      const [s, m, e] = [a, b, c].sort((x, y) => x.getTime() - y.getTime());
      return (
        serviceMillisBetween(s, m, nation) + serviceMillisBetween(m, e, nation) === serviceMillisBetween(s, e, nation)
      );
    }),
    { numRuns: 200 },
  );
  t.pass('additive');
});

t.test('property: service time never exceeds wall time, nor 72 h in any week', async (t) => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: 0, max: 21 * 24 }), nationArb, (s, hours, nation) => {
      const e = new Date(s.getTime() + hours * HOUR);
      const ms = serviceMillisBetween(s, e, nation);
      // Six twelve-hour days a week at most; a span of w weeks touches at most w + 1 weeks.
      return ms >= 0 && ms <= e.getTime() - s.getTime() && ms <= (Math.floor(hours / 168) + 1) * 72 * HOUR;
    }),
    { numRuns: 200 },
  );
  t.pass('bounded');
});

t.test('property: addServiceHours is the inverse of measuring', async (t) => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: 1, max: 400 * 4 }), nationArb, (s, quarters, nation) => {
      const hours = quarters / 4;
      const deadline = addServiceHours(s, hours, nation);
      const measured = serviceMillisBetween(s, deadline, nation);
      // The deadline falls in service time or exactly at closing time.
      const justBefore = new Date(deadline.getTime() - 1);
      return measured === hours * HOUR && isServiceTime(justBefore, nation);
    }),
    { numRuns: 150 },
  );
  t.pass('inverse');
});
