import t from 'tap';
import {
  dueDate,
  isLate,
  isWorkingDay,
  lateChecker,
  londonDate,
  submissionDeadline,
  SUBMISSION_WORKING_DAYS,
} from '../../src/achievements/deadline.js';

const iso = (d: Date) => d.toISOString();
const window = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

t.test('ten working days, ending at London midnight', async (t) => {
  t.equal(SUBMISSION_WORKING_DAYS, 10);
  // Wed 4 June 2025: 5, 6, 9-13, 16, 17, 18 June; due by the end of Wednesday 18 June (BST).
  t.equal(iso(submissionDeadline('2025-06-04')), '2025-06-18T23:00:00.000Z');
  t.notOk(isLate('2025-06-04', new Date('2025-06-18T22:59:59Z')));
  t.ok(isLate('2025-06-04', new Date('2025-06-18T23:00:00Z')), 'half past midnight in London is the next day');
  t.equal(londonDate(new Date('2025-06-18T23:30:00Z')), '2025-06-19');
});

t.test('weekends do not count', async (t) => {
  // Fri 6 June: the next two weeks' weekdays.
  t.equal(iso(submissionDeadline('2025-06-06')), '2025-06-20T23:00:00.000Z');
  // An award on a Saturday starts counting on Monday.
  t.equal(iso(submissionDeadline('2025-06-07')), iso(submissionDeadline('2025-06-08')));
  t.notOk(isWorkingDay('2025-06-07'));
  t.ok(isWorkingDay('2025-06-09'));
});

t.test('public holidays of the AO nation', async (t) => {
  // Scotland's summer bank holiday is the first Monday of August; England's the last.
  t.equal(iso(submissionDeadline('2025-08-01', 'GB-ENG')), '2025-08-15T23:00:00.000Z');
  t.equal(iso(submissionDeadline('2025-08-01', 'GB-SCT')), '2025-08-18T23:00:00.000Z');
  t.equal(iso(submissionDeadline('2025-08-01', 'GB-WLS')), '2025-08-15T23:00:00.000Z');
  // The Twelfth (a Saturday in 2025) gives Northern Ireland Monday 14 July off.
  t.notOk(isWorkingDay('2025-07-14', 'GB-NIR'));
  t.ok(isWorkingDay('2025-07-14', 'GB-ENG'));
  t.notOk(isWorkingDay('2025-03-17', 'GB-NIR'), "St Patrick's Day");
  // Christmas and New Year; Scotland also stops on 2 January. GMT, so midnight is 00:00Z.
  t.equal(iso(submissionDeadline('2025-12-19', 'GB-ENG')), '2026-01-08T00:00:00.000Z');
  t.equal(iso(submissionDeadline('2025-12-19', 'GB-SCT')), '2026-01-09T00:00:00.000Z');
  t.throws(() => submissionDeadline('2025-06-04', 'FR'), RangeError);
  t.throws(() => submissionDeadline('2025-02-30'), RangeError);
});

t.test('downtime extends the window by its length on working days', async (t) => {
  const base = submissionDeadline('2025-06-04');
  t.equal(
    iso(submissionDeadline('2025-06-04', 'GB-ENG', [window('2025-06-10T09:00:00Z', '2025-06-10T21:00:00Z')])),
    '2025-06-19T11:00:00.000Z',
    'twelve hours later',
  );
  t.equal(
    iso(submissionDeadline('2025-06-04', 'GB-ENG', [window('2025-06-07T09:00:00Z', '2025-06-07T21:00:00Z')])),
    iso(base),
    'a Saturday outage costs no working time',
  );
  t.equal(
    iso(submissionDeadline('2025-06-04', 'GB-ENG', [window('2025-07-01T09:00:00Z', '2025-07-01T21:00:00Z')])),
    iso(base),
    'after the window: nothing',
  );
  t.equal(
    iso(submissionDeadline('2025-06-04', 'GB-ENG', [window('2025-06-04T09:00:00Z', '2025-06-04T21:00:00Z')])),
    iso(base),
    'on the award day itself: nothing',
  );
  // Overlapping windows count once.
  t.equal(
    iso(
      submissionDeadline('2025-06-04', 'GB-ENG', [
        window('2025-06-10T09:00:00Z', '2025-06-10T21:00:00Z'),
        window('2025-06-10T15:00:00Z', '2025-06-10T21:00:00Z'),
      ]),
    ),
    '2025-06-19T11:00:00.000Z',
  );
  // A whole day out pushes the deadline into Thursday, where a further outage now falls inside the window.
  t.equal(
    iso(
      submissionDeadline('2025-06-04', 'GB-ENG', [
        window('2025-06-09T23:00:00Z', '2025-06-10T23:00:00Z'),
        window('2025-06-19T10:00:00Z', '2025-06-19T12:00:00Z'),
      ]),
    ),
    '2025-06-20T01:00:00.000Z',
  );
  // An extension that reaches a weekend skips it.
  t.equal(
    iso(submissionDeadline('2025-06-06', 'GB-ENG', [window('2025-06-10T11:00:00Z', '2025-06-10T23:00:00Z')])),
    '2025-06-23T11:00:00.000Z',
  );
  t.notOk(
    isLate('2025-06-04', new Date('2025-06-19T10:00:00Z'), 'GB-ENG', [
      window('2025-06-10T09:00:00Z', '2025-06-10T21:00:00Z'),
    ]),
  );
});

t.test('lateChecker agrees with isLate', async (t) => {
  const at = new Date('2025-06-19T08:00:00Z');
  const late = lateChecker(at, 'GB-SCT');
  for (const d of ['2025-06-01', '2025-06-04', '2025-06-05', '2025-06-18', '2025-05-01'])
    t.equal(late(d), isLate(d, at, 'GB-SCT'), d);
  t.equal(late('2025-06-04'), true);
  t.equal(late('2025-06-05'), false);
});

t.test('dueDate: the last day on time, the first late instant, and the extension', async (t) => {
  t.same(dueDate('2025-06-04'), { date: '2025-06-18', lateFrom: '2025-06-18T23:00:00.000Z', extendedMinutes: 0 });
  // Twelve hours of outage on a working day: noon on the next working day.
  t.same(dueDate('2025-06-04', 'GB-ENG', [window('2025-06-10T09:00:00Z', '2025-06-10T21:00:00Z')]), {
    date: '2025-06-19',
    lateFrom: '2025-06-19T11:00:00.000Z',
    extendedMinutes: 720,
  });
  // Downtime over a weekend moves nothing.
  t.equal(dueDate('2025-06-04', 'GB-ENG', [window('2025-06-07T00:00:00Z', '2025-06-08T12:00:00Z')]).extendedMinutes, 0);
  // A Friday deadline extended by a day's outage ends on Monday, over the weekend.
  t.equal(dueDate('2025-06-06', 'GB-ENG', [window('2025-06-09T23:00:00Z', '2025-06-10T23:00:00Z')]).date, '2025-06-23');
});
