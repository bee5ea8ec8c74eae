import t from 'tap';
import fc from 'fast-check';
import {
  MAX_LINK_HOURS,
  MIN_LINK_HOURS,
  REFUSALS,
  describeLifetime,
  lifetimeProblem,
  linkEmail,
  linkExpiry,
  linkRefusal,
  linkStatus,
  looksLikeEmail,
  mayManageLinks,
  recordLinkUrl,
  type LinkFacts,
} from '../../src/learners/record/links.js';
import { buildRecordView, seesNames, type AchievementRow } from '../../src/learners/record/record.js';
import { recordReport, statusWords } from '../../src/learners/record/reports.js';
import type { Principal, Role } from '../../src/platform/auth.js';

const HOUR = 3_600_000;
const made = new Date('2026-03-02T09:00:00.000Z');
const at = (hours: number) => new Date(made.getTime() + hours * HOUR);

function link(extra: Partial<LinkFacts> = {}): LinkFacts {
  return { expiresAt: at(24).toISOString(), singleUse: false, usedAt: null, revokedAt: null, ...extra };
}

t.test('a lifetime is a whole number of hours from 1 to 720', async (t) => {
  t.equal(lifetimeProblem(MIN_LINK_HOURS), null);
  t.equal(lifetimeProblem(MAX_LINK_HOURS), null);
  t.equal(lifetimeProblem(72), null);
  t.match(lifetimeProblem(0), /at least 1/);
  t.match(lifetimeProblem(-5), /at least 1/);
  t.match(lifetimeProblem(721), /at most 720/);
  t.match(lifetimeProblem(1.5), /whole number/);
  t.match(lifetimeProblem('24'), /whole number/);
  t.match(lifetimeProblem(Number.NaN), /whole number/);
  t.throws(() => linkExpiry(made, 0), RangeError, 'an expiry is never computed from a bad lifetime');
});

t.test('a link expires exactly its lifetime after it was made', async (t) => {
  t.equal(linkExpiry(made, 1).toISOString(), '2026-03-02T10:00:00.000Z');
  t.equal(linkExpiry(made, 720).toISOString(), '2026-04-01T09:00:00.000Z', '30 days later');
  fc.assert(
    fc.property(fc.integer({ min: MIN_LINK_HOURS, max: MAX_LINK_HOURS }), (hours) => {
      const expiresAt = linkExpiry(made, hours).toISOString();
      const l = link({ expiresAt });
      // Opens up to the last millisecond, and not from the expiry on.
      return (
        linkRefusal(l, new Date(Date.parse(expiresAt) - 1)) === null &&
        linkRefusal(l, new Date(expiresAt)) === 'expired' &&
        linkRefusal(l, at(hours + 1000)) === 'expired'
      );
    }),
  );
});

t.test('a link refuses for the right reason', async (t) => {
  t.equal(linkRefusal(link(), at(1)), null, 'fresh: opens');
  t.equal(linkRefusal(link({ usedAt: at(1).toISOString() }), at(2)), null, 'a reusable link opens again');
  t.equal(linkRefusal(link({ singleUse: true }), at(1)), null, 'single use: the first opening is allowed');
  t.equal(
    linkRefusal(link({ singleUse: true, usedAt: at(1).toISOString() }), at(2)),
    'used',
    'single use: not the second',
  );
  t.equal(linkRefusal(link({ revokedAt: at(2).toISOString() }), at(3)), 'revoked');
  t.equal(
    linkRefusal(link({ revokedAt: at(2).toISOString() }), at(48)),
    'revoked',
    'revoked says revoked even once past its expiry',
  );
  t.equal(linkRefusal(link({ singleUse: true, usedAt: at(1).toISOString() }), at(30)), 'expired', 'expiry before use');
  t.equal(linkRefusal(link(), at(1), false), 'not-shared', 'a record made unavailable is not shown');
  t.equal(linkRefusal(link(), at(30), false), 'expired', 'but an expired link says it expired');
});

t.test('each refusal has a status, a code and a sentence', async (t) => {
  t.same(
    [REFUSALS.expired.status, REFUSALS.revoked.status, REFUSALS.used.status],
    [410, 410, 410],
    'a link that no longer opens is gone',
  );
  t.equal(REFUSALS['not-shared'].status, 403);
  t.equal(REFUSALS['not-shared'].code, 'NOT_SHARED', 'the same code as the learner gate uses');
  t.equal(new Set(Object.values(REFUSALS).map((r) => r.code)).size, 4, 'codes are distinct');
});

t.test('the status a learner sees in their list', async (t) => {
  t.equal(linkStatus(link(), at(1)), 'active');
  t.equal(
    linkStatus(link({ usedAt: at(1).toISOString() }), at(2)),
    'active',
    'a reusable link stays active once opened',
  );
  t.equal(linkStatus(link({ singleUse: true, usedAt: at(1).toISOString() }), at(2)), 'used');
  t.equal(linkStatus(link({ revokedAt: at(1).toISOString() }), at(2)), 'revoked');
  t.equal(linkStatus(link(), at(24)), 'expired');
});

const who = (roles: Role[], extra: Partial<Principal> = {}): Principal => ({
  subject: 's',
  roles,
  tokenId: 'j',
  ...extra,
});

t.test('only the learner, under their own ULN, manages links', async (t) => {
  t.ok(mayManageLinks(who(['learner'], { uln: '9276308686' }), '9276308686'));
  t.notOk(mayManageLinks(who(['learner'], { uln: '1000000019' }), '9276308686'), 'not another learner');
  t.notOk(mayManageLinks(who(['learner']), '9276308686'), 'not a learner token without a ULN');
  t.notOk(mayManageLinks(who(['operator']), '9276308686'), 'not the operator');
  t.notOk(
    mayManageLinks(who(['careers-adviser'], { uln: '9276308686' }), '9276308686'),
    'a ULN without the learner role is not enough',
  );
});

t.test('the link address and its email', async (t) => {
  t.equal(recordLinkUrl('https://plr.example/', 'a.b.c'), 'https://plr.example/record-links/a.b.c');
  t.equal(describeLifetime(1), '1 hour');
  t.equal(describeLifetime(30), '30 hours');
  t.equal(describeLifetime(24), '1 day');
  t.equal(describeLifetime(720), '30 days');
  const once = linkEmail('https://plr.example/record-links/x.y.z', {
    expiresAt: '2026-03-05T09:00:00.000Z',
    singleUse: true,
    lifetimeHours: 72,
  });
  t.match(once.text, 'https://plr.example/record-links/x.y.z');
  t.match(once.text, '3 days');
  t.match(once.text, '2026-03-05T09:00:00.000Z');
  t.match(once.text, /once only/);
  const many = linkEmail('u', { expiresAt: 'e', singleUse: false, lifetimeHours: 5 });
  t.notMatch(many.text, /once only/);
  t.ok(looksLikeEmail('ada@example.org'));
  for (const bad of [
    'ada',
    'ada@',
    '@example.org',
    'ada@example',
    'a da@example.org',
    'ada@@example.org',
    `${'a'.repeat(250)}@example.org`,
  ]) {
    t.notOk(looksLikeEmail(bad), `${bad.slice(0, 20)} is not an address`);
  }
});

t.test('names go to the learner themself and the operator only', async (t) => {
  t.ok(seesNames(who(['learner'], { uln: '9276308686' }), '9276308686'));
  t.ok(seesNames(who(['learner'], { uln: '9276308686' }), '1000000019', '9276308686'), 'the master of a merged record');
  t.ok(seesNames(who(['operator']), '9276308686'));
  for (const role of [
    'ao-user',
    'ao-admin',
    'provider-user',
    'provider-admin',
    'careers-adviser',
    'analyst',
  ] as Role[]) {
    t.notOk(seesNames(who([role], { organisation: '10000001' }), '9276308686'), role);
  }
  t.notOk(seesNames(who(['learner'], { uln: '1000000019' }), '9276308686'), 'another learner');
});

// ---------------------------------------------------------------------------------------
// The record view

const CUSTOMER = { qan: '600/3302/3', title: 'Customer Service', level: '2', totalCredits: 14 };
const AWARD = { qan: '600/3301/1', title: 'Customer Service Award', level: '1', totalCredits: 6 };

function unitRow(recordId: string, urn: string, credit: number, extra: Partial<AchievementRow> = {}): AchievementRow {
  return {
    recordId,
    aoUkprn: '10000001',
    aoName: 'Awarding Body',
    uln: '9276308686',
    kind: 'unit',
    urn,
    qan: null,
    title: `Unit ${urn}`,
    awardDate: '2025-06-01',
    credit,
    level: '2',
    grade: null,
    status: 'active',
    underChallenge: false,
    countsTowards: [],
    ...extra,
  };
}

t.test('unit credits grouped by the qualifications they count towards', async (t) => {
  const rows: AchievementRow[] = [
    unitRow('r2', 'J/603/2202', 2, {
      awardDate: '2025-07-01',
      countsTowards: [
        { ...CUSTOMER, countsAs: 'J/603/2202', groups: ['A'] },
        { ...AWARD, countsAs: 'J/603/2202', groups: ['A'] },
      ],
    }),
    unitRow('r1', 'F/603/2201', 3, { countsTowards: [{ ...CUSTOMER, countsAs: 'F/603/2201', groups: ['A'] }] }),
    // A re-take of the same unit with another AO: listed, but its credit counts once.
    unitRow('r3', 'F/603/2201', 3, {
      aoUkprn: '10000009',
      awardDate: '2025-08-01',
      countsTowards: [{ ...CUSTOMER, countsAs: 'F/603/2201', groups: ['A'] }],
    }),
    // Withdrawn: in the unit list, in no qualification.
    unitRow('r4', 'L/603/2203', 3, {
      status: 'withdrawn',
      countsTowards: [{ ...CUSTOMER, countsAs: 'L/603/2203', groups: ['B', 'C'] }],
    }),
    // Under challenge: still counts, and is marked.
    unitRow('r5', 'Y/601/4111', 1, {
      underChallenge: true,
      countsTowards: [{ ...CUSTOMER, countsAs: 'H/601/4101', groups: ['C'] }],
    }),
  ];
  const view = buildRecordView({ uln: '9276308686', scope: 'all', name: null, rows });

  t.same(
    view.byUnit.map((a) => a.recordId),
    ['r1', 'r4', 'r5', 'r2', 'r3'],
    'in award order (then record id)',
  );
  t.same(
    view.byQualification.map((q) => q.qan),
    [CUSTOMER.qan, AWARD.qan],
    'the larger share of the credit needed first: 6 of 14, then 2 of 6',
  );
  const customer = view.byQualification.find((q) => q.qan === CUSTOMER.qan)!;
  t.equal(
    customer.creditsTowards,
    3 + 2 + 1,
    'F counted once, J, and the hygiene unit; the withdrawn credit not at all',
  );
  t.same(
    customer.credits.map((c) => c.recordId),
    ['r1', 'r5', 'r2', 'r3'],
  );
  const hygiene = customer.credits.find((c) => c.recordId === 'r5')!;
  t.equal(hygiene.countsAs, 'H/601/4101', 'counts through an equivalence');
  t.equal(hygiene.underChallenge, true);
  t.equal(customer.totalCredits, 14);
  t.equal(customer.awarded, false);
  t.same(view.summary, { unitCredits: 4, creditValue: 9, qualificationsAwarded: 0, underChallenge: 1, withdrawn: 1 });
  t.equal(view.byUnit.find((a) => a.recordId === 'r4')!.status, 'withdrawn');
});

t.test('a unit that counts as two units of one qualification appears once there', async (t) => {
  const rows = [
    unitRow('r1', 'Y/601/4111', 1, {
      countsTowards: [
        { ...CUSTOMER, countsAs: 'H/601/4101', groups: ['C'] },
        { ...CUSTOMER, countsAs: 'Y/601/4111', groups: ['B'] },
      ],
    }),
  ];
  const [q] = buildRecordView({ uln: '9276308686', scope: 'all', name: null, rows }).byQualification;
  t.equal(q.credits.length, 1);
  t.equal(q.credits[0].countsAs, 'Y/601/4111', 'the direct membership is the one shown');
  t.same(q.credits[0].groups, ['B', 'C']);
  t.equal(q.creditsTowards, 1);
});

t.test('qualification awards are listed, and lead their qualification', async (t) => {
  const rows: AchievementRow[] = [
    unitRow('r1', 'F/603/2201', 3, { countsTowards: [{ ...CUSTOMER, countsAs: 'F/603/2201', groups: ['A'] }] }),
    {
      ...unitRow('q1', 'x', 0),
      kind: 'qualification',
      urn: null,
      qan: AWARD.qan,
      title: AWARD.title,
      credit: null,
      level: '1',
      grade: 'Merit',
    },
    {
      ...unitRow('q2', 'x', 0),
      kind: 'qualification',
      urn: null,
      qan: '601/2201/3',
      title: 'Diploma',
      status: 'withdrawn',
    },
  ];
  const view = buildRecordView({
    uln: '9276308686',
    scope: 'own-records',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    rows,
  });
  t.same(
    view.awards.map((a) => a.recordId),
    ['q1', 'q2'],
  );
  const printed = recordReport({ ...view, generatedAt: '2026-03-02T09:00:00.000Z' });
  const awarded = printed.sections.find((s) => s.heading === 'Qualifications awarded')!;
  t.same(
    awarded.table!.rows.map((r) => [r[0], r[4], r[5]]),
    [
      [AWARD.qan, 'Merit', 'Active'],
      ['601/2201/3', '', 'Withdrawn'],
    ],
  );
  t.match(printed.sections.find((s) => s.heading.includes(AWARD.qan))!.paragraphs![0], /^Awarded\./);
  t.same(
    view.byQualification.map((q) => [q.qan, q.awarded]),
    [
      [AWARD.qan, true],
      [CUSTOMER.qan, false],
      ['601/2201/3', false],
    ],
  );
  t.equal(view.summary.qualificationsAwarded, 1, 'a withdrawn award is not counted');
  t.equal(view.scope, 'own-records');
  t.same(view.name, { givenName: 'Ada', familyName: 'Lovelace' });
});

t.test('an empty record', async (t) => {
  const view = buildRecordView({ uln: '9276308686', scope: 'all', name: null, rows: [] });
  t.same([view.byUnit, view.byQualification, view.awards], [[], [], []]);
  t.same(view.summary, { unitCredits: 0, creditValue: 0, qualificationsAwarded: 0, underChallenge: 0, withdrawn: 0 });
  const report = recordReport({ ...view, generatedAt: '2026-03-02T09:00:00.000Z' });
  t.equal(report.subtitle, 'Learner 9276308686', 'no name, only the ULN');
  t.match(report.sections.at(-1)!.paragraphs![0], /No unit credits/);
});

t.test('the printable report says what the view says', async (t) => {
  const rows = [
    unitRow('r1', 'F/603/2201', 3, {
      grade: 'Merit',
      countsTowards: [{ ...CUSTOMER, countsAs: 'F/603/2201', groups: ['A'] }],
    }),
    unitRow('r2', 'Y/601/4111', 1, {
      underChallenge: true,
      countsTowards: [{ ...CUSTOMER, countsAs: 'H/601/4101', groups: ['C'] }],
    }),
  ];
  const view = buildRecordView({
    uln: '9276308686',
    scope: 'own-records',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    rows,
  });
  const report = recordReport({
    ...view,
    generatedAt: '2026-03-02T09:00:00.000Z',
    sharedLink: { id: 'l', expiresAt: '2026-03-05T09:00:00.000Z', singleUse: true },
  });
  t.equal(report.subtitle, 'Ada Lovelace, ULN 9276308686');
  const facts = Object.fromEntries(report.sections[0].facts!);
  t.equal(facts['Name'], 'Ada Lovelace');
  t.match(facts['Note'], /only your organisation/);
  t.match(facts['Shared link'], /single use/);
  const qual = report.sections.find((s) => s.heading === `${CUSTOMER.title} (${CUSTOMER.qan})`)!;
  t.match(qual.paragraphs![0], /4 of the 14 credits/);
  t.same(
    qual.table!.rows.map((r) => r[0]),
    ['F/603/2201', 'Y/601/4111 (as H/601/4101)'],
  );
  const all = report.sections.find((s) => s.heading === 'All unit credits')!;
  t.same(
    all.table!.rows.map((r) => [r[6], r[7]]),
    [
      ['Merit', 'Active'],
      ['', 'Active, under data challenge'],
    ],
  );
  t.equal(statusWords({ status: 'withdrawn', underChallenge: true }), 'Withdrawn');
});
