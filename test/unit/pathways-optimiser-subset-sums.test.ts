/**
 * The optimiser's subset-sum arithmetic (src/pathways/rules/optimiser/subset-sums.ts and
 * group-asks.ts) on its own, against brute force over every subset of a few small numbers.
 */
import t from 'tap';
import fc from 'fast-check';
import {
  emptyTable,
  fewestToReach,
  firstSetBit,
  minSumAtLeast,
  sumFirst,
  tableWith,
  withValue,
} from '../../src/pathways/rules/optimiser/subset-sums.js';
import type { SumTable } from '../../src/pathways/rules/optimiser/subset-sums.js';
import { fewestWithin, leastFor, unitsAsked } from '../../src/pathways/rules/optimiser/group-asks.js';
import type { GroupAsk } from '../../src/pathways/rules/optimiser/group-asks.js';

const SEED = 7_102_026;

/** Every subset of `values`: its sum and size. */
function subsets(values: number[]): { sum: number; size: number }[] {
  const out: { sum: number; size: number }[] = [];
  for (let mask = 0; mask < 1 << values.length; mask++) {
    let sum = 0;
    let size = 0;
    values.forEach((v, i) => {
      if (mask & (1 << i)) {
        sum += v;
        size++;
      }
    });
    out.push({ sum, size });
  }
  return out;
}

const smallValues = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 9 });

t.test('bitsets: withValue adds exactly the shifted sums; firstSetBit finds the first in range', async (t) => {
  let bits: Uint32Array = new Uint32Array(4);
  bits[0] = 1;
  bits = withValue(bits, 33);
  bits = withValue(bits, 5);
  t.same(
    [0, 5, 33, 38].map((s) => firstSetBit(bits, s, 127)),
    [0, 5, 33, 38],
  );
  t.equal(firstSetBit(bits, 6, 32), -1, 'nothing between 6 and 32');
  t.equal(firstSetBit(bits, 34, 127), 38);
  t.equal(firstSetBit(bits, -3, 2), 0, 'a negative start reads from 0');
  fc.assert(
    fc.property(smallValues, (values) => {
      const total = values.reduce((s, v) => s + v, 0);
      let b: Uint32Array = new Uint32Array((total >>> 5) + 1);
      b[0] = 1;
      for (const v of values) b = withValue(b, v);
      const sums = new Set(subsets(values).map((x) => x.sum));
      for (let s = 0; s <= total; s++) if (Boolean((b[s >>> 5] >>> (s & 31)) & 1) !== sums.has(s)) return false;
      return true;
    }),
    { numRuns: 300, seed: SEED },
  );
});

t.test('minSumAtLeast is the least subset sum reaching the target', async (t) => {
  t.equal(minSumAtLeast([5, 7], 0), 0);
  t.equal(minSumAtLeast([5, 7], 6), 7);
  t.equal(minSumAtLeast([5, 7], 13), Infinity);
  fc.assert(
    fc.property(smallValues, fc.integer({ min: -5, max: 200 }), (values, target) => {
      const reaching = subsets(values)
        .map((x) => x.sum)
        .filter((s) => s >= target);
      const expected = target <= 0 ? 0 : reaching.length > 0 ? Math.min(...reaching) : Infinity;
      return minSumAtLeast(values, target) === expected;
    }),
    { numRuns: 500, seed: SEED + 1 },
  );
});

t.test('sum tables: the fewest and the most units making each exact sum', async (t) => {
  fc.assert(
    fc.property(smallValues, fc.integer({ min: 0, max: 120 }), (values, top) => {
      let table: SumTable = emptyTable(top);
      for (const v of values) table = tableWith(table, v);
      const all = subsets(values);
      for (let s = 0; s <= top; s++) {
        const sizes = all.filter((x) => x.sum === s).map((x) => x.size);
        if (sizes.length === 0) {
          if (table.most[s] !== -1) return false;
        } else if (table.fewest[s] !== Math.min(...sizes) || table.most[s] !== Math.max(...sizes)) return false;
      }
      return true;
    }),
    { numRuns: 300, seed: SEED + 2 },
  );
  const t0 = emptyTable(10);
  tableWith(t0, 3);
  t.equal(t0.most[3], -1, 'tableWith leaves its argument alone');
});

t.test('fewestToReach and sumFirst', async (t) => {
  t.equal(fewestToReach([8, 5, 2], 0), 0);
  t.equal(fewestToReach([8, 5, 2], 9), 2);
  t.equal(fewestToReach([8, 5, 2], 15), 3);
  t.equal(fewestToReach([8, 5, 2], 16), Infinity);
  t.equal(sumFirst([8, 5, 2], 2), 13);
  t.equal(sumFirst([8, 5, 2], 9), 15, 'k beyond the list sums it all');
});

/** A group's ask from its candidates' values, with no unit maximum unless given. */
function askOf(values: number[], need: number, unitsNeeded = 0, maxCount = Infinity): GroupAsk {
  let table = emptyTable(values.reduce((s, v) => s + v, 0));
  for (const v of values) table = tableWith(table, v);
  return { table, needs: [need], unitsNeeded, maxCount, placeCost: 0, placeCount: 0 };
}

t.test('group asks: the least credit and the unit counts meeting a group minimum', async (t) => {
  fc.assert(
    fc.property(
      smallValues,
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: 0, max: 3 }),
      (values, need, flex, unitsNeeded) => {
        const ask = askOf(values, need, unitsNeeded);
        // A subset qualifies when it brings need - flex credits and has at least unitsNeeded units.
        const ok = subsets(values).filter((x) => x.sum >= need - flex && x.size >= unitsNeeded);
        const least = ok.length > 0 ? Math.min(...ok.map((x) => x.sum)) : Infinity;
        if (leastFor(ask, flex) !== least) return false;
        const u = unitsAsked(ask, flex);
        if (least === Infinity) return u === null;
        // The fewest units of a qualifying subset costing at most least + 0 is a lower bound.
        const atLeast = ok.filter((x) => x.sum === least).map((x) => x.size);
        return u !== null && u.least === least && u.fewest[0] <= Math.min(...atLeast);
      },
    ),
    { numRuns: 500, seed: SEED + 3 },
  );
  const ask = askOf([6, 4, 3], 7, 0, 1);
  t.equal(leastFor(ask, 0), Infinity, 'one unit cannot bring 7 from 6, 4 and 3');
  t.equal(leastFor(ask, 1), 6, 'with 1 credit from elsewhere the 6 will do');
});

t.test('fewestWithin shares the credit slack between asks', async (t) => {
  const a = { least: 4, fewest: [2, 1], atAll: 1 };
  const b = { least: 3, fewest: [3, 3, 2], atAll: 2 };
  t.equal(fewestWithin([a, b], 6), Infinity, 'less than the least of both');
  t.equal(fewestWithin([a, b], 7), 5);
  t.equal(fewestWithin([a, b], 8), 4, 'one more credit: a drops to one unit');
  t.equal(fewestWithin([a, b], 9), 4, 'two more: either a to 1 or b to 2');
  t.equal(fewestWithin([a, b], 10), 3, 'three more: both');
});
