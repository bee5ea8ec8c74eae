import t, { type Test } from 'tap';
import { generateCatalogue } from '../../src/catalogue/generator.js';
import { type Catalogue, LEVELS, UKPRN_PATTERN } from '../../src/catalogue/model.js';
import {
  type GeneratedAchievement,
  type GeneratedLearner,
  DEFAULT_REFERENCE_DATE,
  generateAchievements,
  generateLearners,
} from '../../src/learners/generator.js';
import { isValidUln, TEMPORARY_ULN } from '../../src/learners/uln.js';

const REF = DEFAULT_REFERENCE_DATE;
const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$/;
const EMAIL = /^[a-z]+\.[a-z]+[0-9]+@example\.(org|com)$/;
const RECORD_ID = /^R[0-9]{7,}$/;

/** The same month and day `years` later; 29 February becomes 1 March in a common year. */
function birthday(dob: string, years: number): string {
  const y = Number(dob.slice(0, 4)) + years;
  const d = new Date(Date.UTC(y, Number(dob.slice(5, 7)) - 1, Number(dob.slice(8, 10))));
  return d.toISOString().slice(0, 10);
}

/** Whole years of age on `date`. */
function ageOn(dob: string, date: string): number {
  let age = Number(date.slice(0, 4)) - Number(dob.slice(0, 4));
  if (birthday(dob, age) > date) age--;
  return age;
}

function share(n: number, of: number): number {
  return of === 0 ? 0 : n / of;
}

function near(t: Test, actual: number, expected: number, tolerance: number, what: string): void {
  t.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${(actual * 100).toFixed(2)} % (want ${(expected * 100).toFixed(1)} % ± ${(tolerance * 100).toFixed(1)})`,
  );
}

// One full-size catalogue and one sample, shared by the tests below.
const catalogue: Catalogue = generateCatalogue({ seed: 1 });
const unitsByUrn = new Map(catalogue.units.map((u) => [u.urn, u]));
const learners = generateLearners({ seed: 42, count: 20_000 });
const sample = learners.slice(0, 6_000);
const achievements = generateAchievements({ seed: 42, learners: sample, catalogue });
const byUln = new Map<string, GeneratedAchievement[]>();
for (const a of achievements) {
  let list = byUln.get(a.uln);
  if (!list) byUln.set(a.uln, (list = []));
  list.push(a);
}
const unlinked = sample.filter((l) => l.linkedTo === undefined);

t.test('learners: same seed, same output; different seed, different output', async (t) => {
  const a = generateLearners({ seed: 7, count: 500 });
  t.same(generateLearners({ seed: 7, count: 500 }), a);
  const b = generateLearners({ seed: 8, count: 500 });
  t.not(JSON.stringify(b), JSON.stringify(a));
  t.not(a[0].uln, b[0].uln, 'even the first ULN differs');
  t.same(generateLearners({ seed: 7, count: 120 }), a.slice(0, 120), 'a smaller run is a prefix of a larger one');
  const later = generateLearners({ seed: 7, count: 500, referenceDate: '2030-11-01' });
  t.not(later[0].dateOfBirth, a[0].dateOfBirth, 'ages are measured on the reference date');
  t.same(generateLearners({ seed: 7, count: 0 }), []);
});

t.test('every ULN is valid, unique and never the temporary one (100,000 learners)', async (t) => {
  const many = generateLearners({ seed: 3, count: 100_000 });
  t.equal(many.length, 100_000);
  const bad = many.filter((l) => !isValidUln(l.uln) || l.uln === TEMPORARY_ULN);
  t.same(bad.slice(0, 3), [], 'no invalid ULN');
  t.equal(new Set(many.map((l) => l.uln)).size, many.length, 'ULNs are unique');
});

t.test('learner fields are well formed', async (t) => {
  const problems: string[] = [];
  const emails = new Set<string>();
  for (const l of learners) {
    if (!l.givenName || !l.familyName) problems.push(`${l.uln}: empty name`);
    if (l.previousFamilyName !== undefined && l.previousFamilyName === l.familyName && l.linkedTo === undefined) {
      problems.push(`${l.uln}: previous family name equals family name`);
    }
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(l.dateOfBirth) || birthday(l.dateOfBirth, 0) !== l.dateOfBirth) {
      problems.push(`${l.uln}: date of birth ${l.dateOfBirth}`);
    }
    const age = ageOn(l.dateOfBirth, REF);
    if (age < 14 || age > 70) problems.push(`${l.uln}: aged ${age}`);
    if (!['F', 'M', 'X', 'U'].includes(l.gender)) problems.push(`${l.uln}: gender ${l.gender}`);
    if (l.postcode !== undefined && !POSTCODE.test(l.postcode)) problems.push(`${l.uln}: postcode ${l.postcode}`);
    if (l.email !== undefined) {
      if (!EMAIL.test(l.email)) problems.push(`${l.uln}: email ${l.email}`);
      if (emails.has(l.email)) problems.push(`${l.uln}: email ${l.email} used twice`);
      emails.add(l.email);
    }
    if (typeof l.available !== 'boolean') problems.push(`${l.uln}: available`);
  }
  t.same(problems.slice(0, 5), []);

  const ages = learners.map((l) => ageOn(l.dateOfBirth, REF));
  const young = ages.filter((a) => a >= 16 && a <= 25).length;
  t.ok(share(young, ages.length) > 0.6, `most learners are 16 to 25 (${young} of ${ages.length})`);
  t.ok(ages.some((a) => a <= 15) && ages.some((a) => a >= 60), 'but the range runs from 14 to 70');

  const names = new Set(learners.flatMap((l) => [l.givenName, l.familyName]));
  t.ok(
    [...names].some((n) => /[\u00C0-\u017F]/.test(n)),
    'some names have accents',
  );
  t.ok(
    [...names].some((n) => n.includes('-')),
    'some names have hyphens',
  );
  t.ok(
    [...names].some((n) => n.includes("'")),
    'some names have apostrophes',
  );
  t.ok(names.has('Zoë') && names.has("O'Brien") && names.has('Smith-Jones'));
});

t.test('learner proportions are roughly as specified (20,000 learners)', async (t) => {
  const n = learners.length;
  const count = (f: (l: GeneratedLearner) => boolean) => share(learners.filter(f).length, n);
  near(
    t,
    count((l) => l.previousFamilyName !== undefined),
    0.05,
    0.012,
    'previous family name',
  );
  near(
    t,
    count((l) => l.postcode === undefined),
    0.1,
    0.015,
    'no postcode',
  );
  near(
    t,
    count((l) => l.email === undefined),
    0.2,
    0.025,
    'no email',
  );
  near(
    t,
    count((l) => !l.available),
    0.03,
    0.008,
    'unavailable',
  );
  near(
    t,
    count((l) => l.linkedTo !== undefined),
    0.01,
    0.005,
    'linked',
  );
  near(
    t,
    count((l) => l.gender === 'F'),
    0.485,
    0.03,
    'gender F',
  );
  near(
    t,
    count((l) => l.gender === 'M'),
    0.485,
    0.03,
    'gender M',
  );
  t.ok(count((l) => l.gender === 'X') > 0 && count((l) => l.gender === 'U') > 0, 'X and U both occur');
  t.ok(
    learners.some((l) => l.email?.endsWith('@example.org')) && learners.some((l) => l.email?.endsWith('@example.com')),
  );
});

t.test('linked learners point at earlier, unlinked masters with the same person details', async (t) => {
  const position = new Map(learners.map((l, i) => [l.uln, i]));
  const linked = learners.filter((l) => l.linkedTo !== undefined);
  t.ok(linked.length > 100, `${linked.length} linked learners`);
  const problems: string[] = [];
  for (const l of linked) {
    const masterAt = position.get(l.linkedTo!);
    if (masterAt === undefined) {
      problems.push(`${l.uln}: master ${l.linkedTo} does not exist`);
      continue;
    }
    const master = learners[masterAt];
    if (master.linkedTo !== undefined) problems.push(`${l.uln}: master ${master.uln} is itself linked`);
    if (masterAt >= position.get(l.uln)!) problems.push(`${l.uln}: master comes later`);
    if (master.uln === l.uln) problems.push(`${l.uln}: linked to itself`);
    if (
      master.givenName !== l.givenName ||
      master.familyName !== l.familyName ||
      master.dateOfBirth !== l.dateOfBirth ||
      master.gender !== l.gender
    ) {
      problems.push(`${l.uln}: details differ from the master's`);
    }
  }
  t.same(problems.slice(0, 5), []);
});

t.test('achievements: same seed, same output; different seed, different output', async (t) => {
  const few = sample.slice(0, 300);
  const a = generateAchievements({ seed: 1, learners: few, catalogue });
  t.ok(a.length > 300);
  t.same(generateAchievements({ seed: 1, learners: few, catalogue }), a);
  const b = generateAchievements({ seed: 2, learners: few, catalogue });
  t.not(JSON.stringify(b), JSON.stringify(a));
  t.same(generateAchievements({ seed: 1, learners: [], catalogue }), []);
});

t.test('every achievement agrees with the catalogue and the learner', async (t) => {
  const owners = new Set(catalogue.qualifications.map((q) => q.aoUkprn));
  const learnerByUln = new Map(sample.map((l) => [l.uln, l]));
  const eightYearsBack = birthday(REF, -8);
  const problems: string[] = [];
  for (const a of achievements) {
    const unit = unitsByUrn.get(a.urn);
    if (!unit) problems.push(`${a.recordId}: unknown URN ${a.urn}`);
    else if (unit.credit !== a.credit || unit.level !== a.level)
      problems.push(`${a.recordId}: credit or level differs from ${a.urn}`);
    if (!LEVELS.includes(a.level)) problems.push(`${a.recordId}: level ${a.level}`);
    if (!owners.has(a.aoUkprn) || !UKPRN_PATTERN.test(a.aoUkprn)) problems.push(`${a.recordId}: AO ${a.aoUkprn}`);
    const learner = learnerByUln.get(a.uln);
    if (!learner) {
      problems.push(`${a.recordId}: unknown ULN ${a.uln}`);
      continue;
    }
    if (a.awardDate > REF) problems.push(`${a.recordId}: awarded ${a.awardDate}, after the reference date`);
    if (a.awardDate < birthday(learner.dateOfBirth, 14))
      problems.push(`${a.recordId}: awarded before the learner was 14`);
    if (a.awardDate < eightYearsBack) problems.push(`${a.recordId}: awarded more than 8 years back`);
    if (a.status !== 'active' && a.status !== 'withdrawn') problems.push(`${a.recordId}: status ${a.status}`);
    if (a.grade !== undefined && !['Pass', 'Merit', 'Distinction'].includes(a.grade))
      problems.push(`${a.recordId}: grade ${a.grade}`);
  }
  t.same(problems.slice(0, 5), []);
});

t.test('record ids are unique per AO; unit credits are unique per learner and AO', async (t) => {
  const ids = new Set<string>();
  const keys = new Set<string>();
  let badIds = 0;
  let duplicateIds = 0;
  let duplicateCredits = 0;
  for (const a of achievements) {
    if (!RECORD_ID.test(a.recordId)) badIds++;
    const id = `${a.aoUkprn} ${a.recordId}`;
    if (ids.has(id)) duplicateIds++;
    ids.add(id);
    const key = `${a.uln} ${a.urn} ${a.aoUkprn}`;
    if (keys.has(key)) duplicateCredits++;
    keys.add(key);
  }
  t.equal(badIds, 0, 'record ids look like R0001234');
  t.equal(duplicateIds, 0, 'no AO uses a record id twice');
  t.equal(duplicateCredits, 0, 'no learner has two credits for one unit from one AO');

  // Re-takes: the same unit from a different AO, for about 1 in 100 learners.
  const retakers = new Set<string>();
  const seen = new Map<string, string>();
  for (const a of achievements) {
    const key = `${a.uln} ${a.urn}`;
    const ao = seen.get(key);
    if (ao !== undefined && ao !== a.aoUkprn) retakers.add(a.uln);
    seen.set(key, a.aoUkprn);
  }
  near(t, share(retakers.size, unlinked.length), 0.01, 0.007, 'learners with a re-take');
});

t.test('achievement proportions are roughly as specified', async (t) => {
  const n = achievements.length;
  t.ok(n > 30_000, `${n} records`);
  near(t, share(achievements.filter((a) => a.status === 'withdrawn').length, n), 0.02, 0.004, 'withdrawn');
  near(t, share(achievements.filter((a) => a.underChallenge).length, n), 0.01, 0.003, 'under challenge');
  t.equal(
    achievements.filter((a) => a.underChallenge && a.status === 'withdrawn').length,
    0,
    'a withdrawn record is not also challenged',
  );
  near(t, share(achievements.filter((a) => a.grade !== undefined).length, n), 0.35, 0.03, 'graded');

  // Every unlinked learner gets 3 to 25 credits; linked learners few or none.
  const outside = unlinked.filter((l) => {
    const c = byUln.get(l.uln)?.length ?? 0;
    return c < 3 || c > 25;
  });
  t.same(outside.map((l) => l.uln).slice(0, 3), [], 'every unlinked learner has 3 to 25 credits');
  const linked = sample.filter((l) => l.linkedTo !== undefined);
  t.ok(linked.length > 20, `${linked.length} linked learners in the sample`);
  t.ok(
    linked.every((l) => (byUln.get(l.uln)?.length ?? 0) <= 2),
    'linked learners have at most 2 credits',
  );
  t.ok(share(linked.filter((l) => !byUln.has(l.uln)).length, linked.length) > 0.4, 'most linked learners have none');

  // Award dates spread over the last eight years, so validity periods matter.
  const years = new Set(achievements.map((a) => a.awardDate.slice(0, 4)));
  t.ok(years.size >= 8, `award years: ${[...years].sort().join(', ')}`);
  const old = achievements.filter((a) => a.awardDate < birthday(REF, -5)).length;
  t.ok(share(old, n) > 0.15, `${old} records are over 5 years old`);
});

t.test('the target-qualification design: complete sets, part-way learners, strays', async (t) => {
  const qualsByUrn = new Map<string, number[]>();
  catalogue.qualifications.forEach((q, i) => {
    for (const g of q.groups) {
      for (const urn of g.units) {
        const list = qualsByUrn.get(urn) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        qualsByUrn.set(urn, list);
      }
    }
  });
  let completeMandatory = 0;
  let clustered = 0;
  let unrelated = 0;
  const withCredits = unlinked.filter((l) => byUln.has(l.uln));
  for (const l of withCredits) {
    const held = new Set(byUln.get(l.uln)!.map((a) => a.urn));
    // How many of this learner's units each qualification holds.
    const inQual = new Map<number, number>();
    for (const urn of held) for (const q of qualsByUrn.get(urn) ?? []) inQual.set(q, (inQual.get(q) ?? 0) + 1);
    let best = 0;
    let complete = false;
    for (const [qi, k] of inQual) {
      best = Math.max(best, k);
      if (complete) continue;
      // Only qualifications whose mandatory groups hold 3 or more units: hard to fill by chance.
      const mandatory = catalogue.qualifications[qi].groups.filter((g) => g.mandatory).flatMap((g) => g.units);
      if (mandatory.length >= 3 && mandatory.every((urn) => held.has(urn))) complete = true;
    }
    if (complete) completeMandatory++;
    if (best >= 2) clustered++;
    if (best <= 1) unrelated++;
  }
  const n = withCredits.length;
  t.ok(
    share(completeMandatory, n) > 0.1,
    `${completeMandatory} of ${n} hold every mandatory unit (3 or more) of some qualification`,
  );
  t.ok(share(completeMandatory, n) < 0.6, 'but not most learners');
  t.ok(share(clustered, n) > 0.75, `${clustered} of ${n} have two or more units of one qualification`);
  t.ok(unrelated > 0, `${unrelated} learners hold only unrelated units`);
});

t.test('aos, perLearner and reference date options', async (t) => {
  const few = sample.slice(0, 400);
  const aos = ['10000001', '10000002'];
  const onlyTwo = generateAchievements({ seed: 5, learners: few, catalogue, aos });
  t.ok(onlyTwo.length > 0);
  t.same([...new Set(onlyTwo.map((a) => a.aoUkprn))].sort(), aos, 'only the given AOs award');

  const exact = generateAchievements({ seed: 5, learners: few, catalogue, perLearner: { min: 5, max: 5 } });
  const counts = new Map<string, number>();
  for (const a of exact) counts.set(a.uln, (counts.get(a.uln) ?? 0) + 1);
  t.ok(
    few.filter((l) => !l.linkedTo).every((l) => counts.get(l.uln) === 5),
    'perLearner 5..5 gives exactly 5 each',
  );

  const earlier = '2020-06-30';
  const old = generateAchievements({ seed: 5, learners: few, catalogue, referenceDate: earlier });
  const learnerByUln = new Map(few.map((l) => [l.uln, l]));
  t.ok(old.length > 0);
  t.ok(
    old.every((a) => a.awardDate <= earlier),
    'nothing after the reference date',
  );
  t.ok(
    old.every((a) => a.awardDate >= birthday(learnerByUln.get(a.uln)!.dateOfBirth, 14)),
    'nothing before the 14th birthday',
  );
  const underFourteen = new Set(few.filter((l) => ageOn(l.dateOfBirth, earlier) < 14).map((l) => l.uln));
  t.ok(underFourteen.size > 20, `${underFourteen.size} learners were under 14 on ${earlier}`);
  t.equal(old.filter((a) => underFourteen.has(a.uln)).length, 0, 'learners under 14 on the reference date get nothing');
});

t.test('a learner whose 14th birthday is the reference date can only be awarded on that day', async (t) => {
  const [base] = generateLearners({ seed: 9, count: 1 });
  const learner: GeneratedLearner = { ...base, dateOfBirth: birthday(REF, -14) };
  const got = generateAchievements({ seed: 9, learners: [learner], catalogue });
  t.ok(got.length >= 3);
  t.ok(got.every((a) => a.awardDate === REF));
  const leap: GeneratedLearner = { ...base, dateOfBirth: '2012-02-29' };
  const none = generateAchievements({ seed: 9, learners: [leap], catalogue, referenceDate: '2026-02-28' });
  t.same(none, [], 'born 29 February 2012: not yet 14 on 28 February 2026');
});

t.test('bad options are clear errors', async (t) => {
  t.throws(() => generateLearners({ seed: Number.NaN, count: 1 }), RangeError);
  t.throws(() => generateLearners({ seed: 1, count: -1 }), RangeError);
  t.throws(() => generateLearners({ seed: 1, count: 1.5 }), RangeError);
  t.throws(() => generateLearners({ seed: 1, count: 1, referenceDate: '2026-02-30' }), RangeError);
  const few = sample.slice(0, 5);
  t.throws(
    () => generateAchievements({ seed: 1, learners: few, catalogue, perLearner: { min: 5, max: 4 } }),
    RangeError,
  );
  t.throws(() => generateAchievements({ seed: 1, learners: few, catalogue, aos: ['2000000'] }), RangeError);
  t.throws(() => generateAchievements({ seed: 1, learners: few, catalogue, aos: [] }), RangeError);
  t.throws(() => generateAchievements({ seed: 1, learners: few, catalogue, referenceDate: 'soon' }), RangeError);
  t.throws(
    () => generateAchievements({ seed: 1, learners: [{ ...few[0], dateOfBirth: 'unknown' }], catalogue }),
    RangeError,
  );
  t.throws(
    () =>
      generateAchievements({ seed: 1, learners: few, catalogue: { units: [], qualifications: [], equivalences: [] } }),
    RangeError,
  );
});
