/**
 * Worked examples of the Rules of Combination evaluator. Each expected value is worked out
 * by hand from the rules (SPEC 3.1 and docs/roc-semantics.md); the comment above each case
 * says why.
 */
import t from 'tap';
import { evaluate, yearsBefore } from '../../src/catalogue/rules/roc/index.js';
import type { Evaluation, EvaluationInput } from '../../src/catalogue/rules/roc/index.js';
import type {
  Equivalence,
  Exemption,
  LearnerCredit,
  Level,
  Qualification,
  RuleGroup,
  Unit,
} from '../../src/catalogue/model.js';

// ---- small builders ----

const catalogue = new Map<string, Unit>();
/** Adds a unit to the test catalogue; its title is "Unit" plus the URN's first and last characters. */
function unit(urn: string, credit: number, level: Level = '2'): string {
  catalogue.set(urn, { urn, title: `Unit ${urn.slice(0, 1)}${urn.slice(-1)}`, level, credit });
  return urn;
}

const P = unit('P/100/0001', 5);
const Q = unit('Q/100/0002', 5);
const R = unit('R/100/0003', 3);
const S = unit('S/100/0004', 5);
const X = unit('X/100/0005', 5);
const Y = unit('Y/100/0006', 5);
const Z = unit('Z/100/0007', 5);
const H3 = unit('H/300/0008', 6, '3');
const H4 = unit('H/400/0009', 2, '4');
const L1 = unit('L/100/0010', 6, '1');
const L2 = unit('L/200/0011', 8, '2');

function group(id: string, units: string[], rule: Partial<RuleGroup> = {}): RuleGroup {
  return { id, title: `Group ${id}`, mandatory: false, units, ...rule };
}

function qualification(groups: RuleGroup[], more: Partial<Qualification> = {}): Qualification {
  return {
    qan: '600/0001/2',
    title: 'Example Certificate',
    level: '2',
    aoUkprn: '10000001',
    operationalStart: '2015-01-01',
    totalCredits: 1,
    groups,
    barred: [],
    equivalences: [],
    exemptions: [],
    ...more,
  };
}

let ids = 0;
function credit(urn: string, more: Partial<LearnerCredit> = {}): LearnerCredit {
  const u = catalogue.get(urn);
  return {
    id: `k${++ids}`,
    urn,
    credit: u?.credit ?? 1,
    level: u?.level ?? '2',
    awardDate: '2023-01-10',
    status: 'active',
    ...more,
  };
}

function run(q: Qualification, credits: LearnerCredit[], more: Partial<EvaluationInput> = {}): Evaluation {
  return evaluate({ qualification: q, units: catalogue, credits, date: '2024-06-15', ...more });
}

const placeOf = (ev: Evaluation, c: LearnerCredit) => ev.allocation.find((a) => a.creditId === c.id);
const reasonOf = (ev: Evaluation, c: LearnerCredit) => ev.excluded.find((e) => e.creditId === c.id)?.reason;
const messages = (ev: Evaluation) => ev.unmet.map((u) => u.message);

/**
 * What a peer system does: take the credits in order and put each in the first group that
 * lists it and still wants credits. Used only to show where it goes wrong.
 */
function greedyAchieves(q: Qualification, credits: LearnerCredit[]): boolean {
  const got = new Map(q.groups.map((g) => [g.id, 0]));
  for (const c of credits) {
    const g = q.groups.find((x) => x.units.includes(c.urn) && got.get(x.id)! < (x.minCredits ?? Infinity));
    if (g) got.set(g.id, got.get(g.id)! + catalogue.get(c.urn)!.credit);
  }
  const total = [...got.values()].reduce((a, b) => a + b, 0);
  return q.groups.every((g) => got.get(g.id)! >= (g.minCredits ?? 0)) && total >= q.totalCredits;
}

// ---- the examples ----

t.test('a unit listed in two groups goes where it is needed, not where it is met first', async (t) => {
  // S sits in groups A and B; P only in A. A needs 5 and B needs 5. Taking S first, a
  // greedy allocation puts it in A (listed first), P also fits only A, and B stays empty.
  // The only allocation that works is S -> B, P -> A.
  const q = qualification([group('A', [S, P], { minCredits: 5 }), group('B', [S, Q], { minCredits: 5 })], {
    totalCredits: 10,
  });
  const s = credit(S);
  const p = credit(P);
  t.notOk(greedyAchieves(q, [s, p]), 'the greedy peer says no');
  const ev = run(q, [s, p]);
  t.ok(ev.achieved);
  t.equal(placeOf(ev, s)?.group, 'B');
  t.equal(placeOf(ev, p)?.group, 'A');
  t.same(
    ev.groups.map((g) => [g.id, g.credits, g.met]),
    [
      ['A', 5, true],
      ['B', 5, true],
    ],
  );
  t.equal(ev.totalCredits, 10);
  t.ok(ev.exhaustive);
});

t.test('a barred set lets only one of its units count', async (t) => {
  // X and Y are barred together. With X, Y and Z (5 credits each) only one of X/Y counts,
  // so the group can count 10 credits, never 15.
  const credits = [credit(X), credit(Y), credit(Z)];
  const easy = qualification([group('A', [X, Y, Z], { minCredits: 10 })], { totalCredits: 10, barred: [[X, Y]] });
  const ev = run(easy, credits);
  t.ok(ev.achieved);
  t.equal(ev.allocation.filter((a) => a.urn === X || a.urn === Y).length, 1, 'exactly one of the barred pair counts');
  t.ok(placeOf(ev, credits[2]), 'Z counts');
  const left = credits.slice(0, 2).find((c) => !placeOf(ev, c))!;
  t.equal(reasonOf(ev, left), 'barred');

  const hard = qualification([group('A', [X, Y, Z], { minCredits: 15 })], { totalCredits: 15, barred: [[X, Y]] });
  const no = run(hard, credits);
  t.notOk(no.achieved);
  t.same(messages(no), ['group A needs 15 credits, has 10', 'the qualification needs 15 credits, has 10']);
});

t.test('a barred unit that sits in two groups', async (t) => {
  // X is in groups A and B, Y in A, Z in B; X and Y are barred together; 5 credits each.
  // If B needs 5: Y -> A and Z -> B meets everything (X is left out).
  const credits = [credit(X), credit(Y), credit(Z)];
  const groupsNeeding = (b: number) => [group('A', [X, Y], { minCredits: 5 }), group('B', [X, Z], { minCredits: b })];
  const ok = run(qualification(groupsNeeding(5), { totalCredits: 10, barred: [[X, Y]] }), credits);
  t.ok(ok.achieved);
  t.notOk(placeOf(ok, credits[0]) && placeOf(ok, credits[1]), 'X and Y do not both count');

  // If B needs 10, B must take both X and Z, and then Y cannot count: A is empty. Taking
  // Y for A leaves B with Z alone. Either way exactly one group minimum fails, with 10
  // credits counted: the best allocation reports one unmet rule.
  const no = run(qualification(groupsNeeding(10), { totalCredits: 10, barred: [[X, Y]] }), credits);
  t.notOk(no.achieved);
  t.equal(no.totalCredits, 10);
  t.same(
    no.unmet.map((u) => u.rule),
    ['group-min-credits'],
  );
});

t.test('credits above a group maximum do not count', async (t) => {
  // Group A counts at most 6 credits; P and Q offer 10. Group B has R (3). Counted:
  // 6 + 3 = 9, one short of 10. One of P/Q is counted only in part.
  const q = qualification([group('A', [P, Q], { maxCredits: 6 }), group('B', [R])], { totalCredits: 10 });
  const ev = run(q, [credit(P), credit(Q), credit(R)]);
  t.notOk(ev.achieved);
  t.equal(ev.groups[0].credits, 6);
  t.equal(ev.groups[1].credits, 3);
  t.equal(
    ev.allocation.filter((a) => a.group === 'A').reduce((s, a) => s + a.counted, 0),
    6,
  );
  t.ok(
    ev.allocation.some((a) => a.counted < a.credits),
    'a credit is capped',
  );
  t.same(messages(ev), ['the qualification needs 10 credits, has 9']);
});

t.test('a unit maximum keeps the units worth most', async (t) => {
  // Group A counts at most 2 units; the qualification needs 9 credits. The learner holds
  // H4 (2), R (3) and L1 (6), in that order. Counting the first two held would give 5;
  // only L1 + R reaches 9.
  const q = qualification([group('A', [L1, R, H4], { maxUnits: 2 })], { totalCredits: 9 });
  const credits = [credit(H4), credit(R), credit(L1)];
  const ev = run(q, credits);
  t.ok(ev.achieved);
  t.equal(ev.groups[0].units, 2);
  t.equal(ev.totalCredits, 9);
  t.equal(reasonOf(ev, credits[0]), 'unused', 'H4 is left out: the group has no room');
});

t.test('under a cap the level minimum counts the high-level credits first', async (t) => {
  // Group A takes at most 6 credits from H3 (6 at level 3) and L1 (6 at level 1). The
  // qualification needs 6 credits at level 3 or above: only if the 6 counted are H3's.
  const q = qualification([group('A', [L1, H3], { maxCredits: 6 })], {
    totalCredits: 6,
    minCreditsAtLevel: { level: '3', credits: 6 },
  });
  const ev = run(q, [credit(L1), credit(H3)]);
  t.ok(ev.achieved);
  t.same(ev.creditsAtLevel, { level: '3', counted: 6, required: 6 });
  t.equal(ev.allocation.find((a) => a.urn === H3)?.counted, 6);
  t.equal(ev.allocation.find((a) => a.urn === L1)?.counted, 0);
});

t.test('a mandatory group above its unit maximum counts the units that help most', async (t) => {
  // Every unit of mandatory group M must be present, but only 2 of its 3 units count.
  // L1 (6 at level 1) is worth most credits, yet the level rule (4 at level 3+) needs H3
  // and H4 to be the counted ones: 6 + 2 = 8 credits, 8 at level 3+.
  const q = qualification([group('M', [L1, H3, H4], { mandatory: true, maxUnits: 2 })], {
    totalCredits: 8,
    minCreditsAtLevel: { level: '3', credits: 8 },
  });
  const ev = run(q, [credit(L1), credit(H3), credit(H4)]);
  t.ok(ev.achieved);
  t.same(ev.groups[0].missingUnits, []);
  t.equal(ev.groups[0].units, 2);
  const l1 = ev.allocation.find((a) => a.urn === L1)!;
  t.same([l1.unitCounted, l1.counted], [false, 0], 'L1 is present but does not count');
  t.equal(ev.creditsAtLevel?.counted, 8);
});

t.test('the level minimum counts credits at or above the level', async (t) => {
  // 14 credits in all (L2 8 at level 2, H3 6 at level 3) meet the total of 12, but only
  // 6 are at level 3 or above and the rule asks for 8. Adding H4 (level 4, 2 credits)
  // brings it to 8: a higher level counts too.
  const q = qualification([group('A', [L2, H3, H4])], {
    totalCredits: 12,
    minCreditsAtLevel: { level: '3', credits: 8 },
  });
  const short = run(q, [credit(L2), credit(H3)]);
  t.notOk(short.achieved);
  t.same(messages(short), ['the qualification needs 8 credits at level 3 or above, has 6']);
  const ok = run(q, [credit(L2), credit(H3), credit(H4)]);
  t.ok(ok.achieved);
  t.same(ok.creditsAtLevel, { level: '3', counted: 8, required: 8 });
});

t.test('an equivalence lets one unit stand for another', async (t) => {
  // Mandatory group M needs unit Q. The learner holds P; the qualification says P counts
  // as Q. The credit fills Q's place and shows both URNs.
  const q = qualification([group('M', [Q], { mandatory: true })], {
    totalCredits: 5,
    equivalences: [{ from: P, to: Q }],
  });
  const p = credit(P);
  const ev = run(q, [p]);
  t.ok(ev.achieved);
  t.match(placeOf(ev, p), { urn: P, countsAs: Q, group: 'M', credits: 5, counted: 5 });

  // The same equivalence given as one that holds everywhere works the same way.
  const bare = qualification([group('M', [Q], { mandatory: true })], { totalCredits: 5 });
  const everywhere: Equivalence[] = [{ from: P, to: Q }];
  t.ok(run(bare, [p], { globalEquivalences: everywhere }).achieved);

  // Without it, P is simply not part of this qualification.
  const none = run(bare, [p]);
  t.notOk(none.achieved);
  t.equal(reasonOf(none, p), 'not-in-qualification');
  t.same(none.groups[0].missingUnits, [Q]);

  // Equivalences chain: P -> R -> Q lets P stand for Q.
  t.ok(
    run(bare, [p], {
      globalEquivalences: [
        { from: P, to: R },
        { from: R, to: Q },
      ],
    }).achieved,
  );
});

t.test('one unit place is filled once, even through an equivalence', async (t) => {
  // Group A lists Q and R and needs 2 units. P counts as Q. The learner holds P and Q:
  // both can only stand for Q, the same place, so they make one unit, not two.
  const q = qualification([group('A', [Q, R], { minUnits: 2 })], {
    totalCredits: 5,
    equivalences: [{ from: P, to: Q }],
  });
  const ev = run(q, [credit(P), credit(Q)]);
  t.equal(ev.allocation.length, 1);
  t.equal(ev.allocation[0].countsAs, Q);
  t.same(
    ev.excluded.map((e) => e.reason),
    ['duplicate-unit'],
  );
  t.same(messages(ev), ['group A needs 2 units, has 1']);
});

t.test('an exemption counts credits in its group, but not units or level', async (t) => {
  // Group B needs 6 credits and 2 units; "First aid" counts 3 credits in B. With unit R
  // (3 credits) the credits are met (3 + 3) but the units are not (1; the exemption is not
  // a unit). The level rule (3 credits at level 3+) is not met either: R is level 2.
  const aid: Exemption = { name: 'First aid', group: 'B', credits: 3 };
  const q = qualification([group('B', [R, S], { minCredits: 6, minUnits: 2 })], {
    totalCredits: 6,
    exemptions: [aid],
    minCreditsAtLevel: { level: '3', credits: 3 },
  });
  const ev = run(q, [credit(R)], { exemptions: ['First aid'] });
  t.notOk(ev.achieved);
  t.same(ev.exemptionsUsed, [{ name: 'First aid', group: 'B', credits: 3, counted: 3 }]);
  t.same([ev.groups[0].credits, ev.groups[0].units], [6, 1]);
  t.equal(ev.totalCredits, 6);
  t.same(messages(ev), [
    'group B needs 2 units, has 1',
    'the qualification needs 3 credits at level 3 or above, has 0',
  ]);

  // A learner without the exemption gets no credits from it.
  const without = run(q, [credit(R)]);
  t.same(without.exemptionsUsed, []);
  t.equal(without.groups[0].credits, 3);
});

t.test('an exemption listed for two groups counts in one of them, where it helps', async (t) => {
  // "Sign language" may count 3 credits in A or in B; each needs 3. The learner holds P
  // only in group A (5), so the exemption must go to B.
  const q = qualification([group('A', [P], { minCredits: 3 }), group('B', [Q], { minCredits: 3 })], {
    totalCredits: 6,
    exemptions: [
      { name: 'Sign language', group: 'A', credits: 3 },
      { name: 'Sign language', group: 'B', credits: 3 },
    ],
  });
  const ev = run(q, [credit(P)], { exemptions: ['Sign language'] });
  t.ok(ev.achieved);
  t.same(
    ev.exemptionsUsed.map((e) => e.group),
    ['B'],
  );

  // With no units, the one exemption can help only one group: one group stays short.
  const alone = run(q, [], { exemptions: ['Sign language'] });
  t.notOk(alone.achieved);
  t.equal(alone.unmet.filter((u) => u.rule === 'group-min-credits').length, 1);
});

t.test('credit older than the validity period does not count', async (t) => {
  // Five years' validity, evaluated on 2024-06-15: the period starts after 2019-06-15. A
  // credit from 2019-06-16 still counts; from 2019-06-15 it is exactly five years old and
  // does not; 2019-06-14 is older still.
  const q = qualification([group('A', [P, Q, S])], { totalCredits: 5, validityYears: 5 });
  const inside = credit(P, { awardDate: '2019-06-16' });
  const onTheDay = credit(Q, { awardDate: '2019-06-15' });
  const before = credit(S, { awardDate: '2019-06-14' });
  const ev = run(q, [inside, onTheDay, before]);
  t.ok(ev.achieved);
  t.ok(placeOf(ev, inside));
  t.equal(reasonOf(ev, onTheDay), 'expired');
  t.equal(reasonOf(ev, before), 'expired');
  // No validity period: old credit counts.
  t.ok(placeOf(run(qualification([group('A', [Q])], { totalCredits: 5 }), [onTheDay]), onTheDay));
});

t.test('a credit awarded on 29 February reaches its anniversary on 1 March', async (t) => {
  // One year's validity. In 2021 there is no 29 February, so the credit is still inside
  // the period on 28 February and out of it from 1 March.
  const q = qualification([group('A', [P])], { totalCredits: 5, validityYears: 1 });
  const leap = credit(P, { awardDate: '2020-02-29' });
  t.ok(run(q, [leap], { date: '2021-02-28' }).achieved);
  const late = run(q, [leap], { date: '2021-03-01' });
  t.notOk(late.achieved);
  t.equal(reasonOf(late, leap), 'expired');
  t.equal(yearsBefore('2021-02-28', 1), '2020-02-28');
  t.equal(yearsBefore('2024-02-29', 1), '2023-02-29', 'compares between 28 February and 1 March');
});

t.test('withdrawn credit never counts; challenged credit counts and says so', async (t) => {
  const q = qualification([group('A', [P, Q])], { totalCredits: 10 });
  const withdrawn = credit(P, { status: 'withdrawn' });
  const challenged = credit(Q, { status: 'challenged' });
  const ev = run(q, [withdrawn, challenged]);
  // Only Q's 5 credits count: 5 of 10.
  t.notOk(ev.achieved);
  t.equal(reasonOf(ev, withdrawn), 'withdrawn');
  t.match(placeOf(ev, challenged), { challenged: true, counted: 5 });
  t.same(messages(ev), ['the qualification needs 10 credits, has 5']);
});

t.test('credit awarded after the evaluation date does not count yet', async (t) => {
  const q = qualification([group('A', [P, Q])], { totalCredits: 5 });
  const today = credit(P, { awardDate: '2024-06-15' });
  const tomorrow = credit(Q, { awardDate: '2024-06-16' });
  const ev = run(q, [tomorrow, today]);
  t.ok(ev.achieved, 'a credit awarded on the evaluation date counts');
  t.ok(placeOf(ev, today));
  t.equal(reasonOf(ev, tomorrow), 'after-date');
});

t.test('two credits for the same unit count once', async (t) => {
  // Group A needs 2 units; the learner has two records of P (say, a resit). They are one
  // unit. The active record is kept over the challenged one.
  const q = qualification([group('A', [P, Q], { minUnits: 2 })], { totalCredits: 10 });
  const first = credit(P, { status: 'challenged', awardDate: '2023-05-01' });
  const second = credit(P, { awardDate: '2022-05-01' });
  const ev = run(q, [first, second]);
  t.notOk(ev.achieved);
  t.ok(placeOf(ev, second), 'the active record counts');
  t.equal(reasonOf(ev, first), 'duplicate-unit');
  t.same(messages(ev), ['group A needs 2 units, has 1', 'the qualification needs 10 credits, has 5']);
});

t.test('the catalogue, not the record, gives a unit its credit value', async (t) => {
  // A record claims 9 credits for P, which the catalogue says is worth 5. A unit missing
  // from the catalogue keeps the value on its record.
  const loose = 'W/100/0099';
  const q = qualification([group('A', [P, loose])], { totalCredits: 9 });
  const ev = run(q, [credit(P, { credit: 9 }), credit(loose, { credit: 4, level: '1' })]);
  t.same(
    ev.allocation.map((a) => [a.urn, a.credits]),
    [
      [P, 5],
      [loose, 4],
    ],
  );
  t.ok(ev.achieved);
});

t.test('a clear account of what is missing', async (t) => {
  // Mandatory group M ("Core") needs M1, M2 and M3; the learner has only M1 (4 credits).
  // Optional group O needs 10 credits and has P (5). The learner's R is in no group. The
  // qualification needs 30 credits; counted 4 + 5 = 9. Three rules fail, each named.
  const M1 = unit('M/100/0021', 4);
  const M2 = unit('M/100/0022', 4);
  const M3 = unit('M/100/0023', 4);
  const q = qualification(
    [group('M', [M1, M2, M3], { mandatory: true, title: 'Core' }), group('O', [P, Q], { minCredits: 10 })],
    { totalCredits: 30 },
  );
  const r = credit(R);
  const ev = run(q, [credit(M1), credit(P), r]);
  t.notOk(ev.achieved);
  t.same(ev.unmet, [
    {
      rule: 'mandatory',
      group: 'M',
      message: 'mandatory group M (Core) is missing 2 unit(s): M/100/0022 (Unit M2), M/100/0023 (Unit M3)',
    },
    { rule: 'group-min-credits', group: 'O', message: 'group O needs 10 credits, has 5' },
    { rule: 'total-credits', message: 'the qualification needs 30 credits, has 9' },
  ]);
  t.same(
    ev.groups.map((g) => [g.id, g.credits, g.units, g.met]),
    [
      ['M', 4, 1, false],
      ['O', 5, 1, false],
    ],
  );
  t.same(ev.groups[0].missingUnits, [M2, M3]);
  t.equal(reasonOf(ev, r), 'not-in-qualification');
  t.equal(ev.totalRequired, 30);
  t.equal(ev.creditsAtLevel, undefined, 'no level rule, no level report');
});

t.test('when the node bound stops the search the answer says so', async (t) => {
  // The second barred case above is not achievable, and proving it takes more than one
  // allocation. With a bound of one node the search stops after its first allocation.
  const q = qualification([group('A', [X, Y], { minCredits: 5 }), group('B', [X, Z], { minCredits: 10 })], {
    totalCredits: 10,
    barred: [[X, Y]],
  });
  const credits = [credit(X), credit(Y), credit(Z)];
  const cut = run(q, credits, { maxNodes: 1 });
  t.notOk(cut.achieved);
  t.notOk(cut.exhaustive, 'reported as not exhaustive');
  const full = run(q, credits);
  t.ok(full.exhaustive);
  t.ok(full.nodes > cut.nodes);
});

t.test('a malformed evaluation date is a clear error', async (t) => {
  t.throws(() => run(qualification([group('A', [P])]), [], { date: '15/06/2024' }), RangeError);
});
