/**
 * The RoC evaluator's parts on their own (src/catalogue/rules/roc/): credits sorted into
 * candidates and exclusions, items and what competes, the search's fixing step and its bounds
 * at the root (never below what the best allocation reaches), and the unmet rules in words.
 */
import t from 'tap';
import fc from 'fast-check';
import { evaluate, yearsBefore } from '../../src/catalogue/rules/roc/index.js';
import type { EvaluationInput } from '../../src/catalogue/rules/roc/index.js';
import { candidatesOf, competition, excluder, indexRules, itemsOf } from '../../src/catalogue/rules/roc/items.js';
import type { OrderedExclusion } from '../../src/catalogue/rules/roc/items.js';
import { AllocationSearch } from '../../src/catalogue/rules/roc/search.js';
import { allocate, unmetRules } from '../../src/catalogue/rules/roc/answer.js';
import type { LearnerCredit, Qualification, Unit } from '../../src/catalogue/model.js';
import { caseArb } from '../helpers/route-cases.js';

const unit = (urn: string, credit: number, level: Unit['level'] = '2'): Unit => ({
  urn,
  title: `Unit ${urn}`,
  level,
  credit,
});
const q: Qualification = {
  qan: '601/0000/3',
  title: 'Parts',
  level: '2',
  aoUkprn: '10000001',
  operationalStart: '2010-01-01',
  totalCredits: 8,
  groups: [
    { id: 'M', title: 'Mandatory', mandatory: true, units: ['A/100/0001'] },
    { id: 'O', title: 'Optional', mandatory: false, units: ['A/100/0002', 'A/100/0003', 'A/100/0004'], maxUnits: 1 },
  ],
  barred: [['A/100/0003', 'A/100/0004']],
  equivalences: [],
  exemptions: [],
  validityYears: 5,
};
const catalogue = new Map(
  [unit('A/100/0001', 3), unit('A/100/0002', 2), unit('A/100/0003', 4), unit('A/100/0004', 5)].map((u) => [u.urn, u]),
);
const credit = (id: string, urn: string, awardDate: string, status: LearnerCredit['status'] = 'active') => ({
  id,
  urn,
  credit: catalogue.get(urn)?.credit ?? 1,
  level: '2' as const,
  awardDate,
  status,
});
const input: EvaluationInput = {
  qualification: q,
  units: catalogue,
  date: '2025-06-01',
  credits: [
    credit('c0', 'A/100/0001', '2024-01-01'),
    credit('c1', 'A/100/0001', '2023-01-01'), // a duplicate of c0, older
    credit('c2', 'A/100/0002', '2019-01-01'), // expired (5 years)
    credit('c3', 'A/100/0003', '2025-07-01'), // after the date
    credit('c4', 'A/100/0003', '2024-02-01'),
    credit('c5', 'A/100/0004', '2024-03-01'),
    credit('c6', 'A/100/0009', '2024-03-01'), // in no group
    credit('c7', 'A/100/0002', '2024-03-01', 'withdrawn'),
  ],
};

t.test('candidates and exclusions', async (t) => {
  const rules = indexRules(input);
  const excluded: OrderedExclusion[] = [];
  const candidates = candidatesOf(input, rules, '2020-06-01', excluder(excluded));
  t.same(
    candidates.map((c) => c.credit.id),
    ['c0', 'c4', 'c5'],
  );
  t.same(excluded.map((e) => [e.creditId, e.reason]).sort(), [
    ['c1', 'duplicate-unit'],
    ['c2', 'expired'],
    ['c3', 'after-date'],
    ['c6', 'not-in-qualification'],
    ['c7', 'withdrawn'],
  ]);
});

t.test('items, competition, and the fixing step', async (t) => {
  const rules = indexRules(input);
  const candidates = candidatesOf(input, rules, '2020-06-01', excluder([]));
  const items = itemsOf(input, rules, candidates);
  const comp = competition(input, rules, items);
  t.same(comp.binding, [false, true], "two credits for group O's one unit place: its maximum binds");
  t.ok(
    items[1].options.every((o) => o.barred.length === 1),
    'A/100/0003 is in a live barred set',
  );
  t.ok(comp.competes(items[1].options[0]));
  t.notOk(comp.competes(items[0].options[0]), 'the mandatory unit competes with nothing');
  const search = new AllocationSearch(q, rules, items, comp, 1000);
  t.same(search.branch, [2, 1], 'the mandatory unit is fixed; the rest branch, dearest first');
  t.equal(search.choice[0], 0);
  t.equal(search.counted(0), 3);
  const root = search.assess(0);
  t.same(root, { unmet: 0, ub: 8 }, 'at most 3 + 5 can count');
  const outcome = search.run();
  t.same([...outcome.choice], [0, -1, 0], 'the 5-credit unit takes the one place');
  const allocated = allocate(input, rules, items, candidates, outcome.choice, comp.barredSets.length);
  t.equal(allocated.totalCredits, 8);
  t.same(unmetRules(q, rules, catalogue, allocated), []);
  const short = unmetRules({ ...q, totalCredits: 9 }, rules, catalogue, allocated);
  t.same(
    short.map((u) => u.message),
    ['the qualification needs 9 credits, has 8'],
  );
});

t.test('the bounds at the root never fall below what the best allocation reaches (random cases)', async (t) => {
  let branched = 0;
  fc.assert(
    fc.property(caseArb, (route) => {
      const input: EvaluationInput = route;
      const ev = evaluate(input);
      const rules = indexRules(input);
      const years = input.qualification.validityYears;
      const cutoff = years === undefined ? null : yearsBefore(input.date, years);
      const candidates = candidatesOf(input, rules, cutoff, excluder([]));
      const items = itemsOf(input, rules, candidates);
      const search = new AllocationSearch(input.qualification, rules, items, competition(input, rules, items), 1000);
      if (search.branch.length > 0) branched++;
      const root = search.assess(0);
      return root.ub >= ev.totalCredits && root.unmet <= ev.unmet.length;
    }),
    { numRuns: 1000, seed: 7_102_028 },
  );
  t.ok(branched >= 100, `cases with items to branch over: ${branched}`);
});
