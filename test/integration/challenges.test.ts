import t from 'tap';
import { errorBody, setupApp, tokenFor } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import type { App } from '../../src/app.js';
import type { Principal, Role } from '../../src/platform/auth.js';
import { serviceHoursBetween } from '../../src/operations/service-hours.js';
import { roundHours } from '../../src/learners/availability/rules.js';
import { fileChallenge, resolveChallenge, type ChallengeDeps } from '../../src/learners/challenges/service.js';
import { challengeDeps } from '../../src/learners/challenges/routes.js';
import { createMailer } from '../../src/platform/mail.js';
import { testConfig } from '../helpers/config.js';

const ULN = '9276308686';
const OTHER = '1000000019';
const AO = '10000001';
const OTHER_AO = '10000009';
const REASON = 'I never took this unit; my college says it was entered against the wrong learner.';

type Extra = { uln?: string; organisation?: string; subject?: string };

function caller(app: App) {
  const headers = async (role: Role, extra: Extra = {}) => ({
    authorization: `Bearer ${await tokenFor(app, role, extra)}`,
  });
  return {
    get: async (role: Role, url: string, extra: Extra = {}) => app.inject({ url, headers: await headers(role, extra) }),
    post: async (role: Role, url: string, payload: unknown, extra: Extra = {}) =>
      app.inject({ method: 'POST', url, payload: payload as object, headers: await headers(role, extra) }),
    gql: async (role: Role, query: string, variables: Record<string, unknown> = {}, extra: Extra = {}) =>
      (
        await app.inject({
          method: 'POST',
          url: '/graphql',
          payload: { query, variables },
          headers: await headers(role, extra),
        })
      ).json(),
  };
}

async function seed(app: App) {
  const c = await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [
    learner(ULN),
    learner(OTHER, { givenName: 'Grace', familyName: 'Hopper', email: undefined }),
  ]);
  await recordUnitCredits(app.deps.graph, [
    credit(c, ULN, 'F/603/2201', 'r1'),
    credit(c, ULN, 'J/603/2202', 'r2', { grade: 'Pass' }),
    credit(c, ULN, 'T/601/4104', 'r3', { aoUkprn: OTHER_AO, grade: 'Pass' }),
    credit(c, ULN, 'L/603/2203', 'r4', { status: 'withdrawn' }),
    credit(c, OTHER, 'F/603/2201', 'r5'),
  ]);
}

const learnerPrincipal: Principal = { subject: 'user-learner', roles: ['learner'], uln: ULN, tokenId: 'l' };
const aoPrincipal: Principal = { subject: 'user-ao', roles: ['ao-user'], organisation: AO, tokenId: 'a' };

t.test('OCF 08, the whole journey: filed on a Friday evening, resolved after a bank holiday weekend', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app } = await setupApp(t, { SMTP_URL: smtp.url });
  await seed(app);
  const as = caller(app);

  // The service's clock is a dependency: this part runs on a fixed one. Friday 22 August
  // 2025 at 19:00 London time (BST, so 18:00 UTC).
  let clock = new Date('2025-08-22T18:00:00Z');
  const deps: ChallengeDeps = { ...challengeDeps(app), now: () => clock };
  const filed = await fileChallenge(deps, learnerPrincipal, ULN, { recordKey: `${AO}:r1`, reason: REASON });
  t.equal(filed.status, 'open');
  t.equal(filed.channel, 'online');
  t.equal(filed.filedAt, '2025-08-22T18:00:00.000Z');
  t.equal(filed.recordKey, `${AO}:r1`);
  t.equal(filed.record.underChallenge, true);

  // Service staff record a representative's letter about another record, by its parts.
  const letter = await as.post('operator', `/learners/${ULN}/challenges`, {
    aoUkprn: AO,
    recordId: 'r2',
    reason: 'The grade should be Merit, not Pass: see the enclosed certificate.',
    representative: { name: 'Charles Babbage', relationship: 'guardian' },
  });
  t.equal(letter.statusCode, 201);
  const written = letter.json();
  t.equal(written.channel, 'written');
  t.equal(written.filedBy, 'user-operator');
  t.same(written.representative, { name: 'Charles Babbage', relationship: 'guardian' }, 'staff see who wrote');

  // Every viewer sees the flag: the credit check says "under-challenge".
  for (const role of ['careers-adviser', 'learner'] as Role[]) {
    const check = await as.get(role, `/learners/${ULN}/credit-check?urn=F/603/2201`);
    t.equal(check.json().records[0].status, 'under-challenge', `${role} sees the flag`);
  }

  // The submitting AO's queue holds both, oldest first; the representative's name is not in it.
  const queue = await as.get('ao-user', '/challenges?status=open');
  t.equal(queue.statusCode, 200);
  t.equal(queue.json().total, 2);
  t.same(
    queue.json().items.map((c: { id: string }) => c.id),
    [filed.id, written.id],
  );
  t.same(queue.json().items[1].representative, { relationship: 'guardian' });
  t.notMatch(queue.body, /Babbage/, "no representative's name reaches the AO");
  t.ok(queue.json().items[0].serviceHours > 0, 'an open challenge shows the service hours so far');
  const single = await as.get('ao-admin', `/challenges/${filed.id}`);
  t.equal(single.json().reason, REASON);

  // Another AO sees none of it, and cannot resolve it: it does not exist for them.
  const elsewhere = await as.get('ao-user', '/challenges?status=all', { organisation: OTHER_AO });
  t.same(elsewhere.json(), { total: 0, items: [] });
  const peek = await as.get('ao-user', `/challenges/${filed.id}`, { organisation: OTHER_AO });
  t.equal(peek.statusCode, 404);
  t.equal(peek.json().code, 'CHALLENGE_NOT_FOUND');
  const meddle = await as.post(
    'ao-admin',
    `/challenges/${filed.id}/resolution`,
    { outcome: 'upheld', action: 'withdraw' },
    { organisation: OTHER_AO },
  );
  t.equal(meddle.statusCode, 404);
  const nonexistent = await as.post(
    'ao-admin',
    '/challenges/no-such-challenge/resolution',
    { outcome: 'upheld', action: 'withdraw' },
    { organisation: OTHER_AO },
  );
  t.equal(nonexistent.statusCode, 404);
  t.same(
    { ...errorBody(meddle), message: meddle.json().message.replace(filed.id, 'ID') },
    { ...errorBody(nonexistent), message: nonexistent.json().message.replace('no-such-challenge', 'ID') },
    "another AO's challenge and a missing one get the same answer",
  );
  const missing = await as.get('ao-user', '/challenges/no-such-challenge');
  t.equal(missing.statusCode, 404, 'a challenge that does not exist answers the same way');
  t.equal(missing.json().code, 'CHALLENGE_NOT_FOUND');

  // The AO upholds the first and withdraws the record, on Tuesday 26 August at 10:00 BST.
  // Service hours: Friday 19:00-20:00 (1) + Saturday 08:00-20:00 (12) + Sunday (closed) +
  // Monday 25 August, the summer bank holiday (closed) + Tuesday 08:00-10:00 (2) = 15.
  clock = new Date('2025-08-26T09:00:00Z');
  const upheld = await resolveChallenge(deps, aoPrincipal, filed.id, {
    outcome: 'upheld',
    action: 'withdraw',
    reason: 'Entered against the wrong learner; withdrawn.',
  });
  t.equal(upheld.status, 'upheld');
  t.equal(upheld.serviceHours, 15);
  t.equal(upheld.resolvedAt, '2025-08-26T09:00:00.000Z');
  t.equal(upheld.resolvedBy, 'user-ao');
  t.same(upheld.changes, [{ field: 'status', from: 'active', to: 'withdrawn' }]);
  t.equal(upheld.record.status, 'withdrawn');
  t.equal(upheld.record.underChallenge, false, 'the flag is cleared');
  t.equal(upheld.record.version, 2, 'the earlier values are kept as version 1');
  t.equal(upheld.notified, true);

  const [mail] = await smtp.waitFor(1);
  t.same(mail.to, ['ada@example.org'], 'the learner is told at their contact address');
  t.match(mail.subject, /upheld/);
  t.match(mail.text, /record r1/);
  t.match(mail.text, /withdrawn the record/);
  t.match(mail.text, /15 service hours/);
  t.match(mail.text, filed.id);
  t.notMatch(mail.text, /Ada|Lovelace/, 'the message carries no name');

  const after = await as.get('careers-adviser', `/learners/${ULN}/credit-check?urn=F/603/2201`);
  t.equal(after.json().records[0].status, 'withdrawn');
  t.equal(after.json().awarded, false);

  // The second is rejected over HTTP, on the real clock.
  const noReason = await as.post('ao-user', `/challenges/${written.id}/resolution`, { outcome: 'rejected' });
  t.equal(noReason.statusCode, 400);
  t.equal(noReason.json().code, 'REASON_REQUIRED');
  t.match(JSON.stringify(noReason.json().details), 'reason');
  const rejectedRes = await as.post('ao-user', `/challenges/${written.id}/resolution`, {
    outcome: 'rejected',
    reason: 'Our assessment records show a Pass; the certificate enclosed is for another unit.',
  });
  t.equal(rejectedRes.statusCode, 200);
  const rejected = rejectedRes.json();
  t.equal(rejected.status, 'rejected');
  t.equal(rejected.resolution, 'Our assessment records show a Pass; the certificate enclosed is for another unit.');
  t.same(rejected.changes, []);
  t.equal(rejected.record.grade, 'Pass', 'a rejection changes nothing');
  t.equal(rejected.record.underChallenge, false);
  t.equal(
    rejected.serviceHours,
    roundHours(serviceHoursBetween(new Date(rejected.filedAt), new Date(rejected.resolvedAt))),
  );
  t.same(rejected.representative, { relationship: 'guardian' });
  const [, second] = await smtp.waitFor(2);
  t.match(second.subject, /rejected/);
  t.match(second.text, /another unit/, "the AO's reason reaches the learner");

  const twice = await as.post('ao-user', `/challenges/${written.id}/resolution`, {
    outcome: 'upheld',
    action: 'withdraw',
  });
  t.equal(twice.statusCode, 409);
  t.equal(twice.json().code, 'CHALLENGE_CLOSED');

  t.same((await as.get('ao-user', '/challenges')).json(), { total: 0, items: [] }, 'the queue is empty');
  const closed = (await as.get('ao-user', '/challenges?status=all')).json();
  t.same(
    closed.items.map((c: { status: string }) => c.status),
    ['upheld', 'rejected'],
  );
  t.equal((await as.get('ao-user', '/challenges?status=upheld')).json().total, 1);

  // The learner sees their challenges and what became of them, newest first.
  const mine = await as.get('learner', `/learners/${ULN}/challenges`);
  t.equal(mine.statusCode, 200);
  t.same(
    mine.json().items.map((c: { id: string; status: string }) => [c.id, c.status]),
    [
      [written.id, 'rejected'],
      [filed.id, 'upheld'],
    ],
  );
  t.equal(mine.json().items[1].serviceHours, 15);
  t.equal(mine.json().items[0].representative.name, 'Charles Babbage', 'the learner sees who wrote for them');
  t.ok(mine.json().items.every((c: { notifiedAt: string | null }) => c.notifiedAt !== null));
  t.equal((await as.get('operator', `/learners/${ULN}/challenges`)).json().items.length, 2);
  t.equal((await as.get('learner', `/learners/${ULN}/challenges`, { uln: OTHER })).statusCode, 403);
});

t.test('OCF 08: two open challenges on one record, an amendment, and a learner without email', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app } = await setupApp(t, { SMTP_URL: smtp.url });
  await seed(app);
  const as = caller(app);
  const key = `${OTHER_AO}:r3`;

  const first = (
    await as.post('learner', `/learners/${ULN}/challenges`, {
      recordKey: key,
      reason: 'The grade should be Distinction.',
    })
  ).json();
  const second = (
    await as.post('operator', `/learners/${ULN}/challenges`, {
      recordKey: key,
      reason: 'Written: the grade on my certificate is Distinction.',
    })
  ).json();
  t.not(first.id, second.id);
  const otherAo = { organisation: OTHER_AO };

  const reject = await as.post(
    'ao-admin',
    `/challenges/${first.id}/resolution`,
    { outcome: 'rejected', reason: 'Filed twice; answered under the written challenge.' },
    otherAo,
  );
  t.equal(reject.json().record.underChallenge, true, 'still flagged: another challenge about the record is open');
  const check = await as.get('learner', `/learners/${ULN}/credit-check?urn=T/601/4104`);
  t.equal(check.json().records[0].status, 'under-challenge');

  const url = `/challenges/${second.id}/resolution`;
  const expect = async (body: object, status: number, code: string, field?: string) => {
    const res = await as.post('ao-user', url, body, otherAo);
    t.equal(res.statusCode, status, code);
    t.equal(res.json().code, code);
    if (field) t.match(JSON.stringify(res.json().details), field, `${code} names ${field}`);
  };
  await expect({ outcome: 'upheld' }, 400, 'ACTION_REQUIRED', 'action');
  await expect({ outcome: 'upheld', action: 'amend' }, 400, 'AMENDMENT_REQUIRED', 'amendment');
  await expect(
    { outcome: 'upheld', action: 'amend', amendment: { grade: 'Pass' } },
    400,
    'NOTHING_TO_AMEND',
    'amendment',
  );
  await expect(
    { outcome: 'upheld', action: 'amend', amendment: { credit: 7 } },
    400,
    'DISAGREES_WITH_CATALOGUE',
    'amendment.credit',
  );
  await expect(
    { outcome: 'upheld', action: 'amend', amendment: { level: '5' } },
    400,
    'DISAGREES_WITH_CATALOGUE',
    'amendment.level',
  );
  await expect(
    { outcome: 'upheld', action: 'amend', amendment: { awardDate: '2025-02-30' } },
    400,
    'INVALID_DATE',
    'amendment.awardDate',
  );
  await expect(
    { outcome: 'upheld', action: 'withdraw', amendment: { grade: 'Merit' } },
    400,
    'FIELD_NOT_ALLOWED',
    'amendment',
  );
  await expect(
    { outcome: 'rejected', reason: 'Not a good reason at all.', action: 'withdraw' },
    400,
    'FIELD_NOT_ALLOWED',
    'action',
  );
  await expect({ outcome: 'maybe' }, 400, 'VALIDATION', 'outcome');
  await expect({ outcome: 'upheld', action: 'amend', amendment: { colour: 'red' } }, 400, 'VALIDATION', 'colour');

  const amended = await as.post(
    'ao-user',
    url,
    { outcome: 'upheld', action: 'amend', amendment: { grade: 'Distinction', awardDate: '2025-05-20' } },
    otherAo,
  );
  t.equal(amended.statusCode, 200);
  const body = amended.json();
  t.same(body.changes, [
    { field: 'grade', from: 'Pass', to: 'Distinction' },
    { field: 'awardDate', from: '2025-06-01', to: '2025-05-20' },
  ]);
  t.equal(body.record.grade, 'Distinction');
  t.equal(body.record.awardDate, '2025-05-20');
  t.equal(body.record.status, 'active');
  t.equal(body.record.underChallenge, false, 'the last open challenge is closed: the flag goes');
  t.equal(body.record.version, 2);
  const now = await as.get('learner', `/learners/${ULN}/credit-check?urn=T/601/4104`);
  t.same(
    now.json().records.map((r: { status: string; grade: string }) => [r.status, r.grade]),
    [['active', 'Distinction']],
  );
  const mails = await smtp.waitFor(2);
  t.match(mails[1].text, /grade from Pass to Distinction/);

  // Two resolutions at once: the challenge is locked before it is read, so exactly one wins.
  const raced = (
    await as.post('learner', `/learners/${ULN}/challenges`, {
      recordKey: `${AO}:r2`,
      reason: 'The unit title on this record is wrong.',
    })
  ).json();
  const race = await Promise.all([
    as.post('ao-user', `/challenges/${raced.id}/resolution`, { outcome: 'upheld', action: 'withdraw' }),
    as.post('ao-admin', `/challenges/${raced.id}/resolution`, {
      outcome: 'upheld',
      action: 'amend',
      amendment: { grade: 'Merit' },
    }),
  ]);
  t.same(race.map((r) => r.statusCode).sort(), [200, 409], 'one resolves, the other finds it closed');
  t.equal(race.find((r) => r.statusCode === 409)?.json().code, 'CHALLENGE_CLOSED');
  const winner = race.find((r) => r.statusCode === 200)!.json();
  t.equal(winner.record.version, 2, 'the record changed once');
  await smtp.waitFor(3);

  // A learner with no contact email: resolved all the same, and said not to be notified.
  const hers = (
    await as.post('operator', `/learners/${OTHER}/challenges`, {
      recordKey: `${AO}:r5`,
      reason: 'Written: this credit is not mine.',
    })
  ).json();
  const quiet = await as.post('ao-user', `/challenges/${hers.id}/resolution`, {
    outcome: 'upheld',
    action: 'withdraw',
  });
  t.equal(quiet.json().notified, false);
  t.equal(quiet.json().notifiedAt, null);
  t.equal(quiet.json().status, 'upheld');
  t.equal(smtp.messages.length, 3, 'nothing more was sent');
});

t.test('OCF 08: filing is checked field by field', async (t) => {
  const { app } = await setupApp(t);
  await seed(app);
  const seeded = new Date();
  const as = caller(app);
  const url = `/learners/${ULN}/challenges`;
  const expect = async (role: Role, body: object, status: number, code: string, field?: string, extra: Extra = {}) => {
    const res = await as.post(role, url, body, extra);
    t.equal(res.statusCode, status, `${code}: status`);
    t.equal(res.json().code, code);
    if (field) t.match(JSON.stringify(res.json().details), field, `${code} names ${field}`);
  };
  await expect('learner', { recordKey: `${AO}:r1`, reason: 'too short' }, 400, 'VALIDATION', 'reason');
  await expect('learner', { recordKey: `${AO}:r1`, reason: 'x'.repeat(2001) }, 400, 'VALIDATION', 'reason');
  await expect('learner', { recordKey: `${AO}:r1`, reason: `${' '.repeat(12)}short` }, 400, 'INVALID_TEXT', 'reason');
  await expect('learner', { reason: REASON }, 400, 'RECORD_REQUIRED', 'recordKey');
  await expect(
    'learner',
    { recordKey: `${AO}:r1`, aoUkprn: AO, recordId: 'r1', reason: REASON },
    400,
    'RECORD_NAMED_TWICE',
    'recordKey',
  );
  await expect('learner', { recordKey: 'R0001', reason: REASON }, 400, 'INVALID_RECORD_KEY', 'recordKey');
  await expect('learner', { aoUkprn: '999', recordId: 'r1', reason: REASON }, 400, 'INVALID_UKPRN', 'aoUkprn');
  await expect('learner', { aoUkprn: AO, reason: REASON }, 400, 'RECORD_REQUIRED', 'recordId');
  await expect('learner', { recordKey: `${AO}:nope`, reason: REASON }, 404, 'RECORD_NOT_FOUND', 'recordKey');
  await expect('learner', { recordKey: `${AO}:r5`, reason: REASON }, 404, 'RECORD_NOT_FOUND', 'recordKey');
  await expect('learner', { recordKey: `${AO}:r4`, reason: REASON }, 409, 'RECORD_WITHDRAWN');
  await expect(
    'learner',
    { recordKey: `${AO}:r1`, reason: REASON, representative: { name: 'A Friend', relationship: 'friend' } },
    400,
    'FIELD_NOT_ALLOWED',
    'representative',
  );
  await expect(
    'learner',
    { recordKey: `${AO}:r1`, reason: REASON, filedAt: '2025-08-22T18:00:00Z' },
    400,
    'FIELD_NOT_ALLOWED',
    'filedAt',
  );
  await expect(
    'operator',
    { recordKey: `${AO}:r1`, reason: REASON, filedAt: new Date(Date.now() + 86_400_000).toISOString() },
    400,
    'FILED_IN_FUTURE',
    'filedAt',
  );
  await expect(
    'operator',
    { recordKey: `${AO}:r1`, reason: REASON, filedAt: '2020-01-01T09:00:00Z' },
    400,
    'FILED_BEFORE_RECORD',
    'filedAt',
  );
  await expect(
    'operator',
    { recordKey: `${AO}:r1`, reason: REASON, filedAt: 'last Tuesday' },
    400,
    'INVALID_DATE_TIME',
    'filedAt',
  );
  await expect(
    'operator',
    { recordKey: `${AO}:r1`, reason: REASON, representative: { name: 'A Friend' } },
    400,
    'VALIDATION',
    'relationship',
  );
  await expect('learner', { recordKey: `${AO}:r1`, reason: REASON }, 403, 'FORBIDDEN', undefined, { uln: OTHER });
  await expect('ao-user', { recordKey: `${AO}:r1`, reason: REASON }, 403, 'FORBIDDEN');
  t.equal(
    (await as.post('learner', '/learners/1234567890/challenges', { recordKey: `${AO}:r1`, reason: REASON })).json()
      .code,
    'INVALID_ULN',
  );
  t.equal(
    (await app.inject({ method: 'POST', url, payload: { recordKey: `${AO}:r1`, reason: REASON } })).statusCode,
    401,
  );
  t.equal((await as.get('learner', '/challenges')).statusCode, 403, 'the queue is for AOs');
  t.equal((await as.get('ao-user', '/challenges?status=pending')).statusCode, 400);

  t.same(
    (await as.get('learner', `/learners/${ULN}/challenges`)).json(),
    { items: [] },
    'no refused filing was stored',
  );
  const check = await as.get('learner', `/learners/${ULN}/credit-check?urn=F/603/2201`);
  t.equal(check.json().records[0].status, 'active', 'and no record was flagged');

  // A written challenge back-dated to when the letter arrived (after the record existed,
  // before now) is accepted.
  const arrived = seeded.toISOString();
  const ok = await as.post('operator', url, { recordKey: `${AO}:r1`, reason: REASON, filedAt: arrived });
  t.equal(ok.statusCode, 201);
  t.equal(ok.json().filedAt, arrived);
  t.equal(ok.json().representative, null);
});

t.test(
  'OCF 08: a mail server that is down does not undo a resolution, and the log gets no personal detail',
  async (t) => {
    const { app } = await setupApp(t);
    await seed(app);
    const logged: unknown[] = [];
    const log = {
      info: (o: unknown, m: string) => logged.push([o, m]),
      warn: (o: unknown, m: string) => logged.push([o, m]),
    };
    // Nothing listens on port 1: a real connection failure.
    const mailer = createMailer(testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }), log as never);
    t.teardown(() => mailer.close());
    const deps: ChallengeDeps = { ...challengeDeps(app), mailer, log, now: () => new Date() };
    const operator: Principal = {
      subject: 'user-operator',
      roles: ['operator'],
      organisation: '10000005',
      tokenId: 'o',
    };
    const filed = await fileChallenge(deps, operator, ULN, {
      recordKey: `${AO}:r1`,
      reason: REASON,
      representative: { name: 'Charles Babbage', relationship: 'guardian' },
    });
    const resolved = await resolveChallenge(deps, aoPrincipal, filed.id, {
      outcome: 'rejected',
      reason: 'The record matches our assessment register.',
    });
    t.equal(resolved.status, 'rejected', 'resolved all the same');
    t.equal(resolved.notified, false);
    t.equal(resolved.notifiedAt, null);
    t.ok(logged.length > 0, 'the failure is logged');
    const text = JSON.stringify(logged);
    t.match(text, filed.id, 'by challenge id');
    for (const personal of ['ada@example.org', 'Babbage', 'Ada', 'Lovelace', REASON])
      t.notMatch(text, personal, `no ${personal} in the log`);
  },
);

t.test('OCF 08 over GraphQL', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app } = await setupApp(t, { SMTP_URL: smtp.url });
  await seed(app);
  const as = caller(app);
  const file = `mutation($uln: String!, $input: FileChallengeInput!) { fileChallenge(uln: $uln, input: $input) { id status channel record { recordId underChallenge } } }`;
  const filed = await as.gql('learner', file, { uln: ULN, input: { recordKey: `${AO}:r2`, reason: REASON } });
  const id = filed.data.fileChallenge.id;
  t.same(filed.data.fileChallenge, {
    id,
    status: 'open',
    channel: 'online',
    record: { recordId: 'r2', underChallenge: true },
  });
  const refused = await as.gql('learner', file, {
    uln: ULN,
    input: { recordKey: `${AO}:r2`, reason: REASON, filedAt: '2025-01-01T00:00:00Z' },
  });
  t.equal(refused.errors[0].extensions.code, 'FIELD_NOT_ALLOWED');

  const queue = `query($status: String) { challenges(status: $status) { total items { id status reason record { recordId } } } }`;
  const mine = await as.gql('ao-user', queue, { status: 'open' });
  t.same(
    mine.data.challenges.items.map((c: { id: string }) => c.id),
    [id],
  );
  t.equal(
    (await as.gql('ao-user', queue, {}, { organisation: OTHER_AO })).data.challenges.total,
    0,
    "not another AO's",
  );
  t.equal((await as.gql('careers-adviser', queue)).errors[0].extensions.code, 'FORBIDDEN');
  t.equal((await as.gql('ao-user', queue, { status: 'pending' })).errors[0].extensions.code, 'VALIDATION');

  const resolve = `mutation($id: ID!, $input: ResolveChallengeInput!) { resolveChallenge(id: $id, input: $input) { status action notified changes { field from to } record { grade } } }`;
  const stranger = await as.gql(
    'ao-admin',
    resolve,
    { id, input: { outcome: 'upheld', action: 'withdraw' } },
    { organisation: OTHER_AO },
  );
  t.equal(stranger.errors[0].extensions.code, 'CHALLENGE_NOT_FOUND');
  const done = await as.gql('ao-admin', resolve, {
    id,
    input: { outcome: 'upheld', action: 'amend', amendment: { grade: 'Merit' } },
  });
  t.same(done.data.resolveChallenge, {
    status: 'upheld',
    action: 'amend',
    notified: true,
    changes: [{ field: 'grade', from: 'Pass', to: 'Merit' }],
    record: { grade: 'Merit' },
  });
  await smtp.waitFor(1);

  const list = await as.gql('learner', `{ learnerChallenges(uln: "${ULN}") { id status serviceHours } }`);
  t.equal(list.data.learnerChallenges[0].status, 'upheld');
  t.equal(typeof list.data.learnerChallenges[0].serviceHours, 'number');
});
