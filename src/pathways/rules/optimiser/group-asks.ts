/**
 * What one group's own rules ask of the new units that could go there (a relaxation: what
 * follows from it is a lower bound), and the least credit and fewest units meeting the asks.
 */
import { SLACK } from './types.js';
import type { SumTable } from './subset-sums.js';

/**
 * What a group with a requirement asks of the new units that could go there. Some subset of
 * them (the ones that count) must bring at least needs[k] - flex credits with at most
 * maxCount - k units, for some k (k = places under the group's unit maximum taken by units the
 * learner holds or has chosen; `needs` has one entry when there is no unit maximum), and at
 * least `unitsNeeded` units. A sum s of the table qualifies when its fewest units fit the
 * maximum and its most units reach the minimum: a relaxation, so what follows from it is a
 * lower bound.
 */
export interface GroupAsk {
  table: SumTable;
  needs: number[];
  unitsNeeded: number;
  maxCount: number;
  placeCost: number;
  placeCount: number;
}

export function qualifies(a: GroupAsk, s: number, flex: number): boolean {
  const { fewest, most } = a.table;
  if (most[s] < 0 || most[s] < a.unitsNeeded) return false;
  // The most places the learner's own units may take while these units still fit.
  const k = Math.min(a.needs.length - 1, a.maxCount - fewest[s]);
  return k >= 0 && a.needs[k] - flex <= s;
}

/** Least credit of new units meeting the ask when flexible items bring `flex` credits. */
export function leastFor(a: GroupAsk, flex: number): number {
  for (let s = Math.max(0, a.needs[a.needs.length - 1] - flex); s <= a.table.top; s++)
    if (qualifies(a, s, flex)) return s;
  return Infinity;
}

/** Unit counts for an ask: fewest[d] when its new units cost at most least + d. */
export interface UnitsAsked {
  least: number;
  fewest: number[];
  /** At any cost. */
  atAll: number;
}

export function unitsAsked(a: GroupAsk, flex: number): UnitsAsked | null {
  const from = Math.max(0, a.needs[a.needs.length - 1] - flex);
  let least = -1;
  let running = Infinity;
  let atAll = Infinity;
  const fewest: number[] = [];
  for (let s = from; s <= a.table.top; s++) {
    // Reaching `from` credits with the fewest units never needs a sum beyond the table's top.
    if (a.table.most[s] >= 0) atAll = Math.min(atAll, a.table.fewest[s]);
    if (least >= 0 && s - least > SLACK) continue;
    const fits = qualifies(a, s, flex);
    if (!fits && least < 0) continue;
    if (least < 0) least = s;
    if (fits) running = Math.min(running, Math.max(a.unitsNeeded, a.placeCount, a.table.fewest[s]));
    fewest.push(running);
  }
  if (least < 0) return null;
  return { least, fewest, atAll: Math.max(a.unitsNeeded, a.placeCount, atAll) };
}

/** Fewest units for several asks costing at most r in all: share the slack (min-plus). */
export function fewestWithin(list: UnitsAsked[], r: number): number {
  let slack = r;
  for (const a of list) slack -= a.least;
  if (slack < 0) return Infinity;
  if (slack > SLACK) return list.reduce((s, a) => s + a.atAll, 0);
  let cur = new Array<number>(slack + 1).fill(0);
  for (const a of list) {
    const next = new Array<number>(slack + 1).fill(Infinity);
    for (let d = 0; d <= slack; d++) {
      for (let e = 0; e <= d; e++) {
        const v = cur[d - e] + (e < a.fewest.length ? a.fewest[e] : a.atAll);
        if (v < next[d]) next[d] = v;
      }
    }
    cur = next;
  }
  return cur[slack];
}
