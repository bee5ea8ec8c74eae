/**
 * The unit bound: a lower bound on the units still needed by a completion of the node that
 * bound() (bounds.ts) last looked at, costing at most r credits. It breaks ties on credit:
 * routes as cheap as the best known must have fewer units.
 */
import { fewestWithin, unitsAsked } from './group-asks.js';
import type { UnitsAsked } from './group-asks.js';
import type { SearchState } from './state.js';
import { fewestToReach, sumFirst } from './subset-sums.js';
import { EXACT_WASTE } from './types.js';

/**
 * Fewest new units (up to `limit`) whose counted credits reach `target`, where group g counts
 * at most room[g], k of its units count at most its k largest (valuesOf[g], largest first),
 * and it takes at least the units its own rules ask (units may be reused across groups).
 * most[k]: the most credits k units can count, group by group.
 */
export function fewestCounting(
  target: number,
  limit: number,
  valuesOf: number[][],
  room: number[],
  askedOf: (UnitsAsked | null)[] | null,
): number {
  if (target <= 0) return 0;
  let most = new Array<number>(limit + 1).fill(-Infinity);
  most[0] = 0;
  for (let g = 0; g < valuesOf.length; g++) {
    const values = valuesOf[g];
    const least = askedOf?.[g]?.atAll ?? 0;
    const next = new Array<number>(limit + 1).fill(-Infinity);
    for (let k = 0; k <= limit; k++) {
      if (most[k] === -Infinity) continue;
      let sum = sumFirst(values, least);
      for (let kg = least; kg <= values.length && k + kg <= limit; sum += values[kg++]) {
        const v = most[k] + Math.min(room[g], sum);
        if (v > next[k + kg]) next[k + kg] = v;
        if (sum >= room[g]) break;
      }
    }
    most = next;
  }
  let k = 0;
  while (k < limit && most[k] < target) k++;
  return k;
}

/**
 * Fewest new units (up to `limit`) for a completion that costs at most r, wastes at most
 * `waste` credits (paid for but not counted, so r - waste credits count towards the total)
 * and meets each group's own rules, group g counting at most room[g]. Exact sums group by
 * group (units may be reused across groups): fewest[s] = fewest units of the group making
 * exactly s; best[c][w] = fewest units, group by group, costing c and wasting w.
 */
export function fewestPaying(
  r: number,
  waste: number,
  limit: number,
  valuesOf: number[][],
  askedOf: (UnitsAsked | null)[],
  roomOf: number[],
): number {
  const width = waste + 1;
  const NONE = 1 << 30;
  let best = new Int32Array((r + 1) * width).fill(NONE);
  best[0] = 0;
  for (let g = 0; g < valuesOf.length; g++) {
    const values = valuesOf[g];
    const lo = askedOf[g]?.least ?? 0;
    const atLeast = askedOf[g]?.atAll ?? 0;
    const room = roomOf[g];
    const hi = Math.min(r, room + waste);
    const fewest = new Int32Array(hi + 1).fill(NONE);
    fewest[0] = 0;
    for (const v of values)
      for (let x = hi; x >= v; x--) if (fewest[x - v] + 1 < fewest[x]) fewest[x] = fewest[x - v] + 1;
    // The sums from lo up that some of the group's units make, with what each costs in units.
    const sums: number[] = [];
    const unitsFor: number[] = [];
    for (let x = lo; x <= hi; x++) {
      if (fewest[x] < NONE) {
        sums.push(x);
        unitsFor.push(Math.max(atLeast, fewest[x]));
      }
    }
    const next = new Int32Array((r + 1) * width).fill(NONE);
    for (let c = 0; c <= r; c++) {
      for (let w = 0; w <= waste; w++) {
        const here = best[c * width + w];
        if (here >= limit) continue;
        for (let i = 0; i < sums.length; i++) {
          const x = sums[i];
          if (c + x > r) break;
          const ww = x > room ? w + x - room : w;
          if (ww > waste) break;
          const v = here + unitsFor[i];
          const to = (c + x) * width + ww;
          if (v < next[to]) next[to] = v;
        }
      }
    }
    best = next;
  }
  let fewest = limit;
  for (let c = 0; c <= r; c++) {
    for (let w = 0; w <= waste; w++)
      if (c - w >= r - waste && best[c * width + w] < fewest) fewest = best[c * width + w];
  }
  return fewest;
}

/**
 * A lower bound on the units still needed by a completion of the node bound() last looked at
 * that costs at most r; the search only needs to know whether it reaches `limit`.
 */
export function units(s: SearchState, r: number, limit: number): number {
  const { allDesc, cands, G, groupCands } = s.p;
  const { status, asked, flexTo, placings } = s;
  // Undecided credits, largest first, overall and group by group.
  const rem: number[] = [];
  for (const j of allDesc) if (status[j] === 0) rem.push(cands[j].value);
  let k = fewestToReach(rem, s.lastCost);
  // Each group's own rules, with the flexible items offered to all (or placed each way).
  const asks = asked.map((x) => unitsAsked(x.ask, flexTo[x.g]));
  if (asks.every((a) => a !== null)) k = Math.max(k, fewestWithin(asks, r));
  if (placings.length > 0) {
    let fewest = Infinity;
    for (const given of placings) {
      const list = asked.map((x, t) => unitsAsked(x.ask, given[t]));
      if (list.every((a) => a !== null)) fewest = Math.min(fewest, fewestWithin(list, r));
    }
    k = Math.max(k, fewest);
  }
  if (k >= limit) return k;
  const valuesOf: number[][] = [];
  const highValuesOf: number[][] = [];
  for (let g = 0; g < G; g++) {
    const values: number[] = [];
    const highValues: number[] = [];
    for (const j of groupCands[g]) {
      if (status[j] !== 0) continue;
      values.push(cands[j].value);
      if (cands[j].high) highValues.push(cands[j].value);
    }
    valuesOf.push(values);
    highValuesOf.push(highValues);
  }
  const askedOf = new Array<UnitsAsked | null>(G).fill(null);
  asked.forEach((x, t) => (askedOf[x.g] = asks[t]));
  const waste = r - s.totalShort;
  const forTotal =
    waste <= EXACT_WASTE
      ? fewestPaying(r, waste, limit, valuesOf, askedOf, s.roomOf)
      : fewestCounting(s.totalShort, limit, valuesOf, s.roomOf, askedOf);
  return Math.max(k, forTotal, fewestCounting(s.levelShort, limit, highValuesOf, s.roomHighOf, null));
}
