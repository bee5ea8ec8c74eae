/**
 * Random small route-optimiser cases (fast-check arbitraries): up to 3 groups over 8 units,
 * barred sets, equivalences, exemptions, a validity period, learner credits of every status.
 * Shared by the brute-force property tests (test/unit/pathways-optimiser.test.ts) and the
 * tests of the optimiser's parts.
 */
import fc from 'fast-check';
import type { LearnerCredit, Level, Qualification, Unit } from '../../src/catalogue/model.js';
import type { RouteInput } from '../../src/pathways/rules/optimiser/index.js';

// ----------------------------------------------------------------------------------------

export const POOL = [
  'K/201/0001',
  'L/202/0002',
  'M/203/0003',
  'N/204/0004',
  'P/205/0005',
  'R/206/0006',
  'S/207/0007',
  'T/208/0008',
];
export const OUTSIDE = 'W/209/0009'; // in the catalogue, in no group
export const UNKNOWN = 'Z/210/0010'; // not in the catalogue
export const DATE_CHOICES = ['2024-06-15', '2025-03-01'];

export const opt = <T>(arb: fc.Arbitrary<T>, chance: number) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: Math.round(100 * (1 - chance)) },
    { arbitrary: arb, weight: Math.round(100 * chance) },
  );

export const catalogueArb = fc.tuple(
  ...[...POOL, OUTSIDE].map((urn, i) =>
    fc
      .record({ credit: fc.integer({ min: 1, max: 6 }), level: fc.constantFrom<Level>('1', '2', '2', '3') })
      .map((r): Unit => ({ urn, title: `Unit ${i + 1}`, ...r })),
  ),
);

export const groupArb = fc
  .record({
    units: fc.subarray(POOL, { minLength: 2, maxLength: 5 }),
    mandatory: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    minCredits: opt(fc.integer({ min: 1, max: 7 }), 0.6),
    capAbove: opt(fc.integer({ min: -1, max: 5 }), 0.3),
    minUnits: opt(fc.integer({ min: 1, max: 2 }), 0.2),
    unitsAbove: opt(fc.integer({ min: 0, max: 2 }), 0.2),
  })
  .map(({ capAbove, unitsAbove, ...g }) => ({
    ...g,
    maxCredits: capAbove === undefined ? undefined : Math.max(1, (g.minCredits ?? 2) + capAbove),
    maxUnits: unitsAbove === undefined ? undefined : Math.max(1, (g.minUnits ?? 1) + unitsAbove),
  }));

export const qualificationArb = fc
  .record({
    groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
    totalCredits: fc.integer({ min: 1, max: 11 }),
    minCreditsAtLevel: opt(
      fc.record({ level: fc.constantFrom<Level>('2', '3'), credits: fc.integer({ min: 1, max: 8 }) }),
      0.3,
    ),
    barred: fc.array(fc.subarray([...POOL, OUTSIDE], { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
    equivalences: fc.array(
      fc.record({ from: fc.constantFrom(...POOL, OUTSIDE, UNKNOWN), to: fc.constantFrom(...POOL) }),
      { maxLength: 2 },
    ),
    exemptions: fc.array(
      fc.record({
        name: fc.constantFrom('Prior', 'Overseas'),
        group: fc.constantFrom('G0', 'G1', 'G7'),
        credits: fc.integer({ min: 1, max: 4 }),
      }),
      { maxLength: 1 },
    ),
    validityYears: opt(fc.constantFrom(0, 1, 2, 2, 3, 3), 0.3),
  })
  .map((r): Qualification => ({
    qan: '601/0000/1',
    title: 'Random Certificate',
    level: '2',
    aoUkprn: '10000001',
    operationalStart: '2010-01-01',
    ...r,
    groups: r.groups.map((g, i) => ({ id: `G${i}`, title: `Group ${i}`, ...g })),
  }));

export const creditDraftArb = fc.record({
  urn: fc.constantFrom(...POOL, ...POOL, OUTSIDE, UNKNOWN),
  status: fc.constantFrom<LearnerCredit['status']>('active', 'active', 'active', 'challenged', 'withdrawn'),
  yearsAgo: fc.constantFrom(-1, 0, 0, 1, 1, 2, 4),
  credit: fc.integer({ min: 1, max: 6 }),
  level: fc.constantFrom<Level>('1', '2', '3'),
});
export type CreditDraft = typeof creditDraftArb extends fc.Arbitrary<infer T> ? T : never;
// One case in five has no learner credits at all.
export const creditsArb = fc.oneof(
  { arbitrary: fc.constant<CreditDraft[]>([]), weight: 1 },
  { arbitrary: fc.array(creditDraftArb, { minLength: 1, maxLength: 5 }), weight: 4 },
);

export const caseArb = fc
  .record({
    units: catalogueArb,
    qualification: qualificationArb,
    credits: creditsArb,
    exemptions: fc.subarray(['Prior', 'Overseas']),
    globalEquivalences: fc.array(fc.record({ from: fc.constantFrom(...POOL), to: fc.constantFrom(...POOL) }), {
      maxLength: 1,
    }),
    date: fc.constantFrom(...DATE_CHOICES),
    // Each of the 10 URNs is available with the case's own probability (mostly high).
    density: fc.oneof(
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 70, max: 100 }),
      fc.integer({ min: 70, max: 100 }),
    ),
    draws: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 10, maxLength: 10 }),
    repeat: fc.boolean(),
  })
  .map(({ density, draws, ...r }) => ({
    ...r,
    available: [...POOL, OUTSIDE, UNKNOWN].filter((_, i) => draws[i] < density),
  }))
  .map((r): RouteInput => ({
    qualification: r.qualification,
    units: new Map(r.units.map((u) => [u.urn, u])),
    exemptions: r.exemptions,
    globalEquivalences: r.globalEquivalences,
    date: r.date,
    credits: r.credits.map((c, i) => ({
      id: i === 0 ? 'planned:K/201/0001' : `c${i}`, // one id looks like a planned one, on purpose
      urn: c.urn,
      credit: c.credit,
      level: c.level,
      status: c.status,
      awardDate: `${Number(r.date.slice(0, 4)) - c.yearsAgo}-${c.yearsAgo === 0 ? '01-20' : '06-15'}`,
    })),
    // Sometimes an available URN is listed twice.
    available: r.repeat && r.available.length > 0 ? [...r.available, r.available[0]] : r.available,
  }));
