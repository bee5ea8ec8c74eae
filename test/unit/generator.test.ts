import t from 'tap';
import { parseCatalogue, serializeCatalogue } from '../../src/catalogue/catalogue-file.js';
import {
  DEFAULT_AOS,
  DEFAULT_QUALIFICATION_COUNT,
  DEFAULT_UNIT_COUNT,
  generateCatalogue,
  mulberry32,
} from '../../src/catalogue/generator.js';
import {
  type Catalogue,
  LEVELS,
  QAN_PATTERN,
  qualificationSize,
  UKPRN_PATTERN,
  URN_PATTERN,
} from '../../src/catalogue/model.js';

function errorsOf(c: Catalogue): unknown[] {
  const r = parseCatalogue(c);
  return r.ok ? [] : r.errors.slice(0, 5);
}

t.test('mulberry32 is deterministic and spread over [0, 1)', async (t) => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const xs = Array.from({ length: 1000 }, () => a());
  t.same(
    Array.from({ length: 1000 }, () => b()),
    xs,
  );
  t.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  t.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

t.test('same seed, same catalogue; different seed, different catalogue', async (t) => {
  const opts = { units: 800, qualifications: 300 };
  const one = JSON.stringify(generateCatalogue({ seed: 11, ...opts }));
  const two = JSON.stringify(generateCatalogue({ seed: 11, ...opts }));
  const other = JSON.stringify(generateCatalogue({ seed: 12, ...opts }));
  t.equal(one, two);
  t.not(one, other);
  const c = JSON.parse(one) as Catalogue;
  const d = JSON.parse(other) as Catalogue;
  t.not(c.units[0].urn, d.units[0].urn, 'the first unit differs too');
});

t.test('small catalogues pass parseCatalogue for many seeds', async (t) => {
  for (let seed = 1; seed <= 40; seed++) {
    const c = generateCatalogue({ seed, units: 300 + seed * 10, qualifications: 150 });
    t.same(errorsOf(c), [], `seed ${seed}`);
    t.equal(c.units.length, 300 + seed * 10);
    t.equal(c.qualifications.length, 150);
  }
});

t.test('tiny and lopsided catalogues still pass', async (t) => {
  const shapes = [
    { units: 1, qualifications: 1 },
    { units: 2, qualifications: 10 },
    { units: 5, qualifications: 40 },
    { units: 30, qualifications: 200 },
    { units: 500, qualifications: 0 },
    { units: 0, qualifications: 0 },
  ];
  for (const shape of shapes) {
    for (let seed = 0; seed < 10; seed++) {
      const c = generateCatalogue({ seed, ...shape });
      t.same(errorsOf(c), [], `${JSON.stringify(shape)} seed ${seed}`);
    }
  }
});

t.test('the catalogue survives serialisation and parsing unchanged', async (t) => {
  const c = generateCatalogue({ seed: 5, units: 600, qualifications: 250 });
  const r = parseCatalogue(JSON.parse(JSON.stringify(serializeCatalogue(c))));
  t.ok(r.ok);
  if (r.ok) t.same(r.catalogue, c);
});

t.test('options are checked', async (t) => {
  t.throws(() => generateCatalogue({ seed: 1, aos: [] }), RangeError);
  t.throws(() => generateCatalogue({ seed: 1, aos: ['20000000'] }), RangeError);
  t.throws(() => generateCatalogue({ seed: 1, units: -1 }), RangeError);
  t.throws(() => generateCatalogue({ seed: 1, units: 1.5 }), RangeError);
  t.throws(() => generateCatalogue({ seed: 1, units: 0, qualifications: 3 }), RangeError);
  t.throws(() => generateCatalogue({ seed: Number.NaN }), RangeError);
  const aos = ['10000001', '19999999'];
  const c = generateCatalogue({ seed: 3, units: 200, qualifications: 100, aos });
  t.ok(c.qualifications.every((q) => aos.includes(q.aoUkprn)));
  t.same(new Set(c.qualifications.map((q) => q.aoUkprn)).size, 2, 'both AOs own something');
});

t.test('full default size: fast, valid and realistic', async (t) => {
  const started = performance.now();
  const c = generateCatalogue({ seed: 2024 });
  const ms = performance.now() - started;
  t.comment(`generated ${c.units.length} units and ${c.qualifications.length} qualifications in ${ms.toFixed(0)} ms`);
  // A couple of seconds is the goal; the bound is loose so a busy machine does not fail the test.
  t.ok(ms < 10_000, `generation took ${ms.toFixed(0)} ms`);

  t.equal(c.units.length, DEFAULT_UNIT_COUNT);
  t.equal(c.qualifications.length, DEFAULT_QUALIFICATION_COUNT);

  const parseStarted = performance.now();
  t.same(errorsOf(c), [], 'passes parseCatalogue');
  t.comment(`parseCatalogue took ${(performance.now() - parseStarted).toFixed(0)} ms`);

  // Identifiers.
  t.ok(
    c.units.every((u) => URN_PATTERN.test(u.urn)),
    'URNs well formed',
  );
  t.equal(new Set(c.units.map((u) => u.urn)).size, c.units.length, 'URNs unique');
  t.ok(
    c.qualifications.every((q) => QAN_PATTERN.test(q.qan)),
    'QANs well formed',
  );
  t.equal(new Set(c.qualifications.map((q) => q.qan)).size, c.qualifications.length, 'QANs unique');
  t.ok(
    c.qualifications.every((q) => UKPRN_PATTERN.test(q.aoUkprn) && DEFAULT_AOS.includes(q.aoUkprn)),
    'UKPRNs',
  );

  // Level spread: every level used, levels 1 to 3 the most common.
  const byLevel = new Map<string, number>();
  for (const u of c.units) byLevel.set(u.level, (byLevel.get(u.level) ?? 0) + 1);
  for (const level of LEVELS) t.ok((byLevel.get(level) ?? 0) >= 100, `units at level ${level}: ${byLevel.get(level)}`);
  const mid = (byLevel.get('1') ?? 0) + (byLevel.get('2') ?? 0) + (byLevel.get('3') ?? 0);
  t.ok(mid / c.units.length > 0.4 && mid / c.units.length < 0.7, `levels 1-3 hold ${mid} units`);
  const qualLevels = new Set(c.qualifications.map((q) => q.level));
  t.equal(qualLevels.size, LEVELS.length, 'qualifications at every level');

  // Size mix: more Awards and Certificates than Diplomas, but a fair number of Diplomas.
  const sizes = { Award: 0, Certificate: 0, Diploma: 0 };
  for (const q of c.qualifications) sizes[qualificationSize(q.totalCredits)]++;
  t.comment(`sizes ${JSON.stringify(sizes)}`);
  t.ok(sizes.Award > sizes.Diploma && sizes.Certificate > sizes.Diploma, 'Awards and Certificates outnumber Diplomas');
  t.ok(sizes.Diploma > c.qualifications.length * 0.1, 'at least a tenth are Diplomas');
  t.ok(
    c.qualifications.every((q) => q.title.includes(qualificationSize(q.totalCredits))),
    'titles agree with sizes',
  );

  // Groups from a few units to about 60.
  const groupSizes = c.qualifications.flatMap((q) => q.groups.map((g) => g.units.length));
  const biggest = Math.max(...groupSizes);
  t.ok(biggest >= 40 && biggest <= 200, `largest group has ${biggest} units`);
  t.ok(groupSizes.filter((n) => n >= 20).length > 100, 'many large groups');
  t.ok(
    c.qualifications.some((q) => q.groups.some((g) => g.mandatory)),
    'mandatory groups',
  );
  t.ok(
    c.qualifications.some((q) => q.groups.every((g) => !g.mandatory)),
    'qualifications with no mandatory group',
  );

  // Sharing: units count towards several qualifications.
  const quals = new Map<string, number>();
  let unitInTwoGroups = 0;
  for (const q of c.qualifications) {
    const inQual = new Set<string>();
    let listed = 0;
    for (const g of q.groups) {
      listed += g.units.length;
      for (const u of g.units) inQual.add(u);
    }
    if (listed > inQual.size) unitInTwoGroups++;
    for (const u of inQual) quals.set(u, (quals.get(u) ?? 0) + 1);
  }
  const shared = [...quals.values()].filter((n) => n >= 2).length;
  t.comment(`${quals.size} units in some qualification, ${shared} in two or more`);
  t.ok(shared / c.units.length > 0.5, 'over half of all units sit in two or more qualifications');
  t.ok(unitInTwoGroups > 50, `${unitInTwoGroups} qualifications have a unit in two groups`);

  // The rarer rules all appear, though not everywhere.
  const count = (f: (q: Catalogue['qualifications'][number]) => boolean) => c.qualifications.filter(f).length;
  const features = {
    barred: count((q) => q.barred.length > 0),
    equivalences: count((q) => q.equivalences.length > 0),
    exemptions: count((q) => q.exemptions.length > 0),
    levelMinimum: count((q) => q.minCreditsAtLevel !== undefined),
    validity: count((q) => q.validityYears !== undefined),
    ended: count((q) => q.operationalEnd !== undefined),
    maxCredits: count((q) => q.groups.some((g) => g.maxCredits !== undefined)),
    unitBounds: count((q) => q.groups.some((g) => g.minUnits !== undefined || g.maxUnits !== undefined)),
  };
  t.comment(`features ${JSON.stringify(features)}, global equivalences ${c.equivalences.length}`);
  for (const [name, n] of Object.entries(features)) {
    t.ok(n > 100 && n < c.qualifications.length * 0.9, `${name}: ${n} qualifications`);
  }
  t.ok(c.equivalences.length >= 50, 'global equivalences');
});
