/**
 * The pure rules of OCF 08 (data challenges) and, sharing their result type, OCF 07
 * (availability requests).
 */
import t from 'tap';
import fc from 'fast-check';
import {
  checkFilingAgainstRecord,
  outcomeSentence,
  planFiling,
  planResolution,
  recordRef,
  type RecordState,
  type RuleResult,
} from '../../src/learners/challenges/rules.js';
import { parseInstant, planAvailabilityRequest, roundHours } from '../../src/learners/availability/rules.js';

const NOW = new Date('2025-08-26T09:00:00Z');
const REASON = 'This unit was never assessed at my centre.';
const ACTIVE: RecordState = { status: 'active', credit: 3, level: '2', grade: 'Pass', awardDate: '2025-06-01' };
const UNIT = { credit: 3, level: '2' };

function problemOf<T>(r: RuleResult<T>): { code: string; field?: string; status: number } {
  if (r.ok) throw new Error('expected a problem, got a value');
  return { code: r.problem.code, field: r.problem.field, status: r.problem.status };
}
function valueOf<T>(r: RuleResult<T>): T {
  if (!r.ok) throw new Error(`expected a value, got ${r.problem.code}`);
  return r.value;
}

t.test('a record is named by its key or by its parts, never both', async (t) => {
  t.same(
    valueOf(recordRef({ recordKey: '10000001:R-12:a' })),
    { key: '10000001:R-12:a', aoUkprn: '10000001', recordId: 'R-12:a' },
    'only the first colon separates',
  );
  t.same(valueOf(recordRef({ aoUkprn: '10000001', recordId: 'R1' })), {
    key: '10000001:R1',
    aoUkprn: '10000001',
    recordId: 'R1',
  });
  t.same(problemOf(recordRef({})), { code: 'RECORD_REQUIRED', field: 'recordKey', status: 400 });
  t.same(problemOf(recordRef({ recordKey: '10000001:R1', recordId: 'R1' })), {
    code: 'RECORD_NAMED_TWICE',
    field: 'recordKey',
    status: 400,
  });
  t.equal(problemOf(recordRef({ recordKey: 'R1' })).code, 'INVALID_RECORD_KEY');
  t.equal(problemOf(recordRef({ recordKey: '20000001:R1' })).code, 'INVALID_RECORD_KEY', 'a UKPRN starts with 1');
  t.equal(problemOf(recordRef({ recordKey: '10000001:' })).code, 'INVALID_RECORD_KEY');
  t.same(problemOf(recordRef({ recordId: 'R1' })), { code: 'RECORD_REQUIRED', field: 'aoUkprn', status: 400 });
  t.same(problemOf(recordRef({ aoUkprn: '10000001' })), { code: 'RECORD_REQUIRED', field: 'recordId', status: 400 });
  t.same(problemOf(recordRef({ aoUkprn: '1000000', recordId: 'R1' })), {
    code: 'INVALID_UKPRN',
    field: 'aoUkprn',
    status: 400,
  });
  t.same(problemOf(recordRef({ aoUkprn: '10000001', recordId: ' ' })), {
    code: 'INVALID_RECORD_ID',
    field: 'recordId',
    status: 400,
  });
});

t.test('property: a key built from valid parts reads back as the same parts', async (t) => {
  const ukprn = fc.integer({ min: 10_000_000, max: 19_999_999 }).map(String);
  const recordId = fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() !== '');
  fc.assert(
    fc.property(ukprn, recordId, (u, r) => {
      const byKey = valueOf(recordRef({ recordKey: `${u}:${r}` }));
      const byParts = valueOf(recordRef({ aoUkprn: u, recordId: r }));
      return byKey.aoUkprn === u && byKey.recordId === r && byKey.key === byParts.key;
    }),
  );
  t.pass('round trip');
});

t.test('the learner files online, now, with nothing extra', async (t) => {
  const plan = valueOf(planFiling('learner', { recordKey: '10000001:R1', reason: `  ${REASON}  ` }, NOW));
  t.equal(plan.channel, 'online');
  t.equal(plan.filedAt, NOW);
  t.equal(plan.backdated, false);
  t.equal(plan.reason, REASON, 'the reason is trimmed');
  t.equal(plan.representative, null);
  t.same(
    problemOf(
      planFiling(
        'learner',
        { recordKey: '10000001:R1', reason: REASON, representative: { name: 'N', relationship: 'parent' } },
        NOW,
      ),
    ),
    { code: 'FIELD_NOT_ALLOWED', field: 'representative', status: 400 },
  );
  t.same(
    problemOf(
      planFiling('learner', { recordKey: '10000001:R1', reason: REASON, filedAt: '2025-08-22T18:00:00Z' }, NOW),
    ),
    { code: 'FIELD_NOT_ALLOWED', field: 'filedAt', status: 400 },
  );
});

t.test('the reason is 10 to 2,000 characters, not counting spaces at the ends', async (t) => {
  t.equal(
    problemOf(planFiling('learner', { recordKey: '10000001:R1', reason: 'too short' }, NOW)).code,
    'INVALID_TEXT',
  );
  t.equal(
    problemOf(planFiling('learner', { recordKey: '10000001:R1', reason: `   ${'x'.repeat(9)}   ` }, NOW)).field,
    'reason',
  );
  t.ok(planFiling('learner', { recordKey: '10000001:R1', reason: 'x'.repeat(10) }, NOW).ok, 'ten is enough');
  t.ok(planFiling('learner', { recordKey: '10000001:R1', reason: 'x'.repeat(2000) }, NOW).ok);
  t.notOk(planFiling('learner', { recordKey: '10000001:R1', reason: 'x'.repeat(2001) }, NOW).ok);
});

t.test('staff record written challenges, back-dated and with a representative', async (t) => {
  const plan = valueOf(
    planFiling(
      'operator',
      {
        aoUkprn: '10000001',
        recordId: 'R1',
        reason: REASON,
        filedAt: '2025-08-22T19:00:00+01:00',
        representative: { name: ' Charles Babbage ', relationship: 'guardian' },
      },
      NOW,
    ),
  );
  t.equal(plan.channel, 'written');
  t.equal(plan.filedAt.toISOString(), '2025-08-22T18:00:00.000Z', 'an offset is honoured');
  t.equal(plan.backdated, true);
  t.same(plan.representative, { name: 'Charles Babbage', relationship: 'guardian' });
  t.equal(
    valueOf(planFiling('operator', { recordKey: '10000001:R1', reason: REASON }, NOW)).filedAt,
    NOW,
    'default: now',
  );
  t.same(
    problemOf(
      planFiling('operator', { recordKey: '10000001:R1', reason: REASON, filedAt: '2025-08-27T09:00:00Z' }, NOW),
    ),
    { code: 'FILED_IN_FUTURE', field: 'filedAt', status: 400 },
  );
  t.equal(
    valueOf(planFiling('operator', { recordKey: '10000001:R1', reason: REASON, filedAt: '2025-08-26T09:01:00Z' }, NOW))
      .filedAt,
    NOW,
    'a minute of clock skew is taken as now',
  );
  t.equal(
    problemOf(planFiling('operator', { recordKey: '10000001:R1', reason: REASON, filedAt: '22/08/2025' }, NOW)).code,
    'INVALID_DATE_TIME',
  );
  t.equal(
    problemOf(
      planFiling(
        'operator',
        { recordKey: '10000001:R1', reason: REASON, representative: { name: '', relationship: 'x' } },
        NOW,
      ),
    ).field,
    'representative.name',
  );
  t.equal(
    problemOf(
      planFiling(
        'operator',
        { recordKey: '10000001:R1', reason: REASON, representative: { name: 'N', relationship: ' ' } },
        NOW,
      ),
    ).field,
    'representative.relationship',
  );
});

t.test('the record itself: withdrawn records and challenges older than their record', async (t) => {
  const now = valueOf(planFiling('learner', { recordKey: '10000001:R1', reason: REASON }, NOW));
  const back = valueOf(
    planFiling('operator', { recordKey: '10000001:R1', reason: REASON, filedAt: '2025-08-01T10:00:00Z' }, NOW),
  );
  t.equal(checkFilingAgainstRecord(now, { status: 'active', submittedAtMs: Date.parse('2025-08-01T00:00:00Z') }), null);
  t.same(checkFilingAgainstRecord(now, { status: 'withdrawn', submittedAtMs: null }), {
    status: 409,
    code: 'RECORD_WITHDRAWN',
    message: 'record 10000001:R1 has been withdrawn; there is nothing left to challenge',
  });
  t.equal(
    checkFilingAgainstRecord(back, { status: 'active', submittedAtMs: Date.parse('2025-08-02T00:00:00Z') })?.code,
    'FILED_BEFORE_RECORD',
  );
  t.equal(
    checkFilingAgainstRecord(back, { status: 'active', submittedAtMs: null }),
    null,
    'no submission time, nothing to compare',
  );
  // The service's own clock is never second-guessed, only a date someone typed.
  t.equal(checkFilingAgainstRecord(now, { status: 'active', submittedAtMs: Date.parse('2025-09-01T00:00:00Z') }), null);
});

t.test('rejecting needs a reason and changes nothing', async (t) => {
  const plan = valueOf(
    planResolution({ outcome: 'rejected', reason: 'The record is correct as held.' }, 'open', ACTIVE, UNIT, NOW),
  );
  t.same(plan, { outcome: 'rejected', reason: 'The record is correct as held.', action: null, changes: [], set: {} });
  t.same(problemOf(planResolution({ outcome: 'rejected' }, 'open', ACTIVE, UNIT, NOW)), {
    code: 'REASON_REQUIRED',
    field: 'reason',
    status: 400,
  });
  t.equal(
    problemOf(planResolution({ outcome: 'rejected', reason: 'no' }, 'open', ACTIVE, UNIT, NOW)).code,
    'INVALID_TEXT',
  );
  t.equal(
    problemOf(planResolution({ outcome: 'rejected', reason: REASON, action: 'withdraw' }, 'open', ACTIVE, UNIT, NOW))
      .field,
    'action',
  );
  t.equal(
    problemOf(
      planResolution({ outcome: 'rejected', reason: REASON, amendment: { grade: 'Merit' } }, 'open', ACTIVE, UNIT, NOW),
    ).field,
    'amendment',
  );
});

t.test('only an open challenge can be resolved', async (t) => {
  for (const status of ['upheld', 'rejected'] as const) {
    t.same(problemOf(planResolution({ outcome: 'rejected', reason: REASON }, status, ACTIVE, UNIT, NOW)), {
      code: 'CHALLENGE_CLOSED',
      field: undefined,
      status: 409,
    });
  }
});

t.test('upholding withdraws or amends', async (t) => {
  const withdraw = valueOf(planResolution({ outcome: 'upheld', action: 'withdraw' }, 'open', ACTIVE, UNIT, NOW));
  t.same(withdraw.changes, [{ field: 'status', from: 'active', to: 'withdrawn' }]);
  t.same(withdraw.set, { withdraw: true });
  t.equal(withdraw.reason, null, 'a reason is optional when upheld');
  t.same(problemOf(planResolution({ outcome: 'upheld' }, 'open', ACTIVE, UNIT, NOW)), {
    code: 'ACTION_REQUIRED',
    field: 'action',
    status: 400,
  });
  t.equal(
    problemOf(
      planResolution({ outcome: 'upheld', action: 'withdraw' }, 'open', { ...ACTIVE, status: 'withdrawn' }, UNIT, NOW),
    ).code,
    'RECORD_WITHDRAWN',
  );
  t.equal(
    problemOf(planResolution({ outcome: 'upheld', action: 'withdraw', amendment: {} }, 'open', ACTIVE, UNIT, NOW))
      .field,
    'amendment',
  );

  const amend = valueOf(
    planResolution(
      { outcome: 'upheld', action: 'amend', amendment: { grade: 'Merit', awardDate: '2025-05-30', credit: 3 } },
      'open',
      ACTIVE,
      UNIT,
      NOW,
    ),
  );
  t.same(
    amend.changes,
    [
      { field: 'grade', from: 'Pass', to: 'Merit' },
      { field: 'awardDate', from: '2025-06-01', to: '2025-05-30' },
    ],
    'unchanged fields are left out',
  );
  t.same(amend.set, { grade: 'Merit', awardDate: '2025-05-30' });

  // A record that disagreed with the catalogue can be put right.
  const wrongCredit = { ...ACTIVE, credit: 4, level: '3' };
  const fixed = valueOf(
    planResolution(
      { outcome: 'upheld', action: 'amend', amendment: { credit: 3, level: '2' } },
      'open',
      wrongCredit,
      UNIT,
      NOW,
    ),
  );
  t.same(fixed.set, { credit: 3, level: '2' });
  const noGrade = valueOf(
    planResolution(
      { outcome: 'upheld', action: 'amend', amendment: { grade: 'Pass' } },
      'open',
      { ...ACTIVE, grade: null },
      UNIT,
      NOW,
    ),
  );
  t.same(noGrade.changes, [{ field: 'grade', from: null, to: 'Pass' }]);
});

t.test('an amendment must be valid, agree with the catalogue and change something', async (t) => {
  const amend = (amendment: object, unit: { credit: number; level: string } | null = UNIT) =>
    planResolution({ outcome: 'upheld', action: 'amend', amendment }, 'open', ACTIVE, unit, NOW);
  t.same(problemOf(amend({})), { code: 'AMENDMENT_REQUIRED', field: 'amendment', status: 400 });
  t.same(problemOf(amend({ credit: 5 })), { code: 'DISAGREES_WITH_CATALOGUE', field: 'amendment.credit', status: 400 });
  t.same(problemOf(amend({ level: '3' })), { code: 'DISAGREES_WITH_CATALOGUE', field: 'amendment.level', status: 400 });
  t.ok(amend({ credit: 5 }, null).ok, 'without a catalogue unit there is nothing to disagree with');
  t.equal(problemOf(amend({ credit: 0 })).field, 'amendment.credit');
  t.equal(problemOf(amend({ credit: 2.5 })).field, 'amendment.credit');
  t.equal(problemOf(amend({ level: 'Level 2' })).code, 'INVALID_LEVEL');
  t.equal(problemOf(amend({ grade: '  ' })).field, 'amendment.grade');
  t.equal(problemOf(amend({ awardDate: '2025-13-01' })).code, 'INVALID_DATE');
  t.equal(problemOf(amend({ awardDate: '2025-08-27' })).code, 'AWARD_IN_FUTURE');
  t.same(problemOf(amend({ grade: 'Pass', credit: 3, level: '2', awardDate: '2025-06-01' })), {
    code: 'NOTHING_TO_AMEND',
    field: 'amendment',
    status: 400,
  });
});

t.test('the learner is told what happened, without personal details', async (t) => {
  t.match(outcomeSentence({ outcome: 'rejected', action: null, changes: [] }), /rejected/);
  t.match(outcomeSentence({ outcome: 'upheld', action: 'withdraw', changes: [] }), /withdrawn the record/);
  t.match(
    outcomeSentence({ outcome: 'upheld', action: 'amend', changes: [{ field: 'grade', from: null, to: 'Merit' }] }),
    'grade from (none) to Merit',
  );
});

// ---------------------------------------------------------------------------------------
// OCF 07 availability requests

t.test('availability: the learner acts online or by API, handled at once', async (t) => {
  const plan = valueOf(planAvailabilityRequest('learner', { available: false, channel: 'api' }, NOW));
  t.same(plan, { available: false, channel: 'api', requestedAt: NOW, handledAt: NOW, note: null, serviceHours: 0 });
  t.same(problemOf(planAvailabilityRequest('learner', { available: false, channel: 'telephone' }, NOW)), {
    code: 'CHANNEL_NOT_ALLOWED',
    field: 'channel',
    status: 400,
  });
  t.equal(
    problemOf(
      planAvailabilityRequest(
        'learner',
        { available: false, channel: 'online', requestedAt: '2025-08-26T08:00:00Z' },
        NOW,
      ),
    ).field,
    'requestedAt',
  );
  t.equal(
    problemOf(planAvailabilityRequest('learner', { available: false, channel: 'online', note: 'x' }, NOW)).field,
    'note',
  );
});

t.test('availability: staff record a telephone call, measured in service hours', async (t) => {
  // Called on Saturday 23 August 2025 at 19:30 BST, recorded on Tuesday 26th at 10:00 BST:
  // Saturday 0.5 h, Sunday and the bank holiday closed, Tuesday 2 h.
  const plan = valueOf(
    planAvailabilityRequest(
      'operator',
      { available: true, channel: 'telephone', requestedAt: '2025-08-23T18:30:00Z', note: '  called from work  ' },
      NOW,
    ),
  );
  t.equal(plan.serviceHours, 2.5);
  t.equal(plan.note, 'called from work');
  t.equal(plan.requestedAt.toISOString(), '2025-08-23T18:30:00.000Z');
  t.equal(plan.handledAt, NOW);
  t.same(problemOf(planAvailabilityRequest('operator', { available: true, channel: 'online' }, NOW)), {
    code: 'CHANNEL_NOT_ALLOWED',
    field: 'channel',
    status: 400,
  });
  t.equal(
    problemOf(planAvailabilityRequest('operator', { available: true, channel: 'telephone' }, NOW)).code,
    'REQUESTED_AT_REQUIRED',
  );
  t.equal(
    problemOf(
      planAvailabilityRequest(
        'operator',
        { available: true, channel: 'telephone', requestedAt: '2025-08-26T10:00:00Z' },
        NOW,
      ),
    ).code,
    'REQUESTED_IN_FUTURE',
  );
  t.equal(
    problemOf(
      planAvailabilityRequest(
        'operator',
        { available: true, channel: 'telephone', requestedAt: '2025-07-01T10:00:00Z' },
        NOW,
      ),
    ).code,
    'REQUESTED_TOO_LONG_AGO',
  );
  t.equal(
    problemOf(
      planAvailabilityRequest(
        'operator',
        { available: true, channel: 'telephone', requestedAt: '2025-08-25T10:00:00Z', note: 'n'.repeat(501) },
        NOW,
      ),
    ).code,
    'NOTE_TOO_LONG',
  );
  t.equal(
    valueOf(
      planAvailabilityRequest(
        'operator',
        { available: true, channel: 'telephone', requestedAt: '2025-08-26T09:00:30Z' },
        NOW,
      ),
    ).serviceHours,
    0,
    'a call logged a moment ahead of the server clock',
  );
  t.equal(
    valueOf(
      planAvailabilityRequest(
        'operator',
        { available: true, channel: 'telephone', requestedAt: '2025-08-25T10:00:00Z', note: '   ' },
        NOW,
      ),
    ).note,
    null,
    'a blank note is no note',
  );
});

t.test('timestamps people type must say their zone and be real', async (t) => {
  t.equal(parseInstant('2025-08-22T19:00+01:00')?.toISOString(), '2025-08-22T18:00:00.000Z');
  t.equal(parseInstant('2025-08-22T18:00:00.5Z')?.toISOString(), '2025-08-22T18:00:00.500Z');
  t.equal(parseInstant('2025-08-22T18:00:00'), null, 'no zone, no guess');
  t.equal(parseInstant('2025-02-29T10:00:00Z'), null, '2025 is not a leap year');
  t.equal(parseInstant('2024-02-29T10:00:00Z')?.toISOString(), '2024-02-29T10:00:00.000Z');
  t.equal(parseInstant('yesterday'), null);
  t.equal(roundHours(1 / 3), 0.33);
  t.equal(roundHours(2.005 + 0.0001), 2.01);
});
