/**
 * Subset sums for the optimiser's bounds: bitsets of the sums a set of whole numbers can make,
 * and tables of the fewest and most of them making each sum. Pure and small: each function is
 * tested on its own in test/unit/pathways-optimiser-subset-sums.test.ts.
 */

/** Index of the first set bit of `bits` in [from, to], or -1. */
export function firstSetBit(bits: Uint32Array, from: number, to: number): number {
  for (let s = Math.max(0, from); s <= to; s++) if ((bits[s >>> 5] >>> (s & 31)) & 1) return s;
  return -1;
}

/** `bits` with every sum shifted up by v added (0/1 subset-sum step), as a new bitset. */
export function withValue(bits: Uint32Array, v: number): Uint32Array {
  const out = bits.slice();
  const q = v >>> 5;
  const r = v & 31;
  for (let w = out.length - 1; w >= q; w--) {
    let x = bits[w - q] << r;
    if (r !== 0 && w - q - 1 >= 0) x |= bits[w - q - 1] >>> (32 - r);
    out[w] |= x;
  }
  return out;
}

/**
 * The smallest sum of a subset of `values` (whole numbers) that is at least `target`; 0 for a
 * target of 0 or less, Infinity when even all of them fall short.
 */
export function minSumAtLeast(values: readonly number[], target: number): number {
  if (target <= 0) return 0;
  let total = 0;
  for (const v of values) total += v;
  if (total < target) return Infinity;
  let bits: Uint32Array = new Uint32Array((total >>> 5) + 1);
  bits[0] = 1;
  for (const v of values) bits = withValue(bits, v);
  return firstSetBit(bits, target, total);
}

/** For each exact sum up to `top`: the fewest and the most units making it (most -1: none). */
export interface SumTable {
  top: number;
  fewest: Int32Array;
  most: Int32Array;
}

export function emptyTable(top: number): SumTable {
  const fewest = new Int32Array(top + 1).fill(1 << 30);
  const most = new Int32Array(top + 1).fill(-1);
  fewest[0] = 0;
  most[0] = 0;
  return { top, fewest, most };
}

export function tableWith(t: SumTable, v: number): SumTable {
  const fewest = t.fewest.slice();
  const most = t.most.slice();
  for (let s = t.top; s >= v; s--) {
    const a = s - v;
    if (t.most[a] < 0) continue;
    if (t.fewest[a] + 1 < fewest[s]) fewest[s] = t.fewest[a] + 1;
    if (t.most[a] + 1 > most[s]) most[s] = t.most[a] + 1;
  }
  return { top: t.top, fewest, most };
}

/** The fewest of `desc` (sorted largest first) whose sum reaches `target`. */
export function fewestToReach(desc: readonly number[], target: number): number {
  let sum = 0;
  let k = 0;
  while (sum < target && k < desc.length) sum += desc[k++];
  return sum >= target ? k : Infinity;
}

export function sumFirst(xs: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < k && i < xs.length; i++) sum += xs[i];
  return sum;
}
