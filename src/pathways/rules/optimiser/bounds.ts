/**
 * The credit bound: over every way to complete the current partial route with undecided
 * units, a lower bound on the extra credit still needed; Infinity when no completion can
 * work. Each step is a relaxation of the rules; docs/route-optimiser.md says why each is
 * sound. It reads the search state and leaves notes in it for the unit bound (unit-bounds.ts).
 */
import { transport } from '../../../catalogue/rules/roc/index.js';
import { leastFor } from './group-asks.js';
import type { GroupAsk } from './group-asks.js';
import type { SearchState } from './state.js';
import { firstSetBit, sumFirst } from './subset-sums.js';
import { MAX_WAYS } from './types.js';
import type { FlexItem } from './types.js';

/** The flexible items at a node, and the credits (of high units) they bring, each counted once. */
interface Flexible {
  items: FlexItem[];
  now: number;
  highNow: number;
}

/** The least sum of the bitset's that reaches `target` (0 for none needed, Infinity for none). */
export function leastSum(bits: Uint32Array, target: number, top: number): number {
  if (target <= 0) return 0;
  const s = firstSetBit(bits, target, top);
  return s < 0 ? Infinity : s;
}

/**
 * The flexible items now: the learner's, and the chosen units that can go to several groups,
 * less the groups where a unit they stand for would do as well (see Shadow). Sets s.flexTo.
 */
export function flexibleItems(s: SearchState): Flexible {
  const { cands, multiGroup, n, heldShadows, candShadows } = s.p;
  const items = s.heldFlex.slice();
  for (const j of multiGroup) {
    if (s.status[j] !== 1) continue;
    const c = cands[j];
    items.push({ key: -2 - j, value: c.value, high: c.high, groups: c.groups, credits: c.groups.map(() => c.value) });
  }
  const fx: Flexible = { items, now: s.flex, highNow: s.flexHigh };
  s.flexTo = s.flexAvail.slice();
  for (let i = 0; i < items.length; i++) {
    const f = items[i];
    const shadows = f.key >= 0 ? heldShadows[f.key] : f.key <= -2 && f.key > -2 - n ? candShadows[-2 - f.key] : null;
    if (!shadows || shadows.length === 0) continue;
    let left: { groups: number[]; credits: number[] } | null = null;
    for (const sh of shadows) {
      if (!sh.via.every((v) => s.takes(v, f.value, f.high))) continue;
      left ??= { groups: f.groups.slice(), credits: f.credits.slice() };
      const at = left.groups.indexOf(sh.g);
      if (at < 0) continue;
      s.flexTo[sh.g] -= left.credits[at];
      left.groups.splice(at, 1);
      left.credits.splice(at, 1);
    }
    if (left === null) continue;
    if (left.groups.length > 0) {
      items[i] = { ...f, ...left };
    } else {
      // It can count nowhere that the units it stands for would not do better.
      fx.now -= f.value;
      if (f.high) fx.highNow -= f.value;
      items.splice(i--, 1);
    }
  }
  return fx;
}

/**
 * Of the items (held or chosen) bound to one barred set, at most one counts: they become one
 * flexible item worth the most of them, able to go to any of their groups.
 */
export function mergeBarred(s: SearchState, fx: Flexible): void {
  const { q, n, heldBarred, heldItems, barredCands, cands, G } = s.p;
  s.singleLess.fill(0);
  s.singleHighLess.fill(0);
  for (let g = 0; g < G; g++) s.mergedValues[g].length = s.mergedHighValues[g].length = 0;
  if (q.barred.length === 0) return;
  const merged = new Set<number>();
  for (let b = 0; b < q.barred.length; b++) {
    const members: { key: number; value: number; high: boolean; groups: number[] }[] = [];
    heldBarred.forEach((sets, i) => {
      if (sets.includes(b) && !merged.has(i)) {
        members.push({ key: i, ...heldItems[i] });
      }
    });
    for (const j of barredCands[b]) {
      const c = cands[j];
      if (s.status[j] === 1 && !merged.has(-2 - j)) {
        members.push({ key: -2 - j, value: c.value, high: c.high, groups: c.groups });
      }
    }
    if (members.length < 2) continue;
    const virtual: FlexItem = { key: -2 - n - b, value: 0, high: false, groups: [], credits: [] };
    for (const m of members) {
      merged.add(m.key);
      virtual.value = Math.max(virtual.value, m.value);
      virtual.high ||= m.high;
      for (const g of m.groups) {
        const at = virtual.groups.indexOf(g);
        if (at < 0) {
          virtual.groups.push(g);
          virtual.credits.push(m.value);
        } else virtual.credits[at] = Math.max(virtual.credits[at], m.value);
      }
      if (m.groups.length === 1) {
        const g = m.groups[0];
        s.singleLess[g] += m.value;
        s.mergedValues[g].push(m.value);
        if (m.high) {
          s.singleHighLess[g] += m.value;
          s.mergedHighValues[g].push(m.value);
        }
      } else {
        fx.now -= m.value;
        if (m.high) fx.highNow -= m.value;
        for (const g of m.groups) s.flexTo[g] -= m.value;
      }
    }
    fx.now += virtual.value;
    if (virtual.high) fx.highNow += virtual.value;
    virtual.groups.forEach((g, i) => (s.flexTo[g] += virtual.credits[i]));
    fx.items = fx.items.filter((x) => !merged.has(x.key));
    fx.items.push(virtual);
  }
}

/**
 * A mandatory place that one item alone can fill, and no undecided unit can, pins that item:
 * it counts in that group or nowhere. One item cannot fill two such places: then null.
 */
export function pinItems(s: SearchState, fx: Flexible): Set<number> | null {
  const { P, placeCands, placeGroup } = s.p;
  s.pinned.fill(0);
  s.pinnedHigh.fill(0);
  for (const list of s.pinnedValues) list.length = 0;
  const pinnedKeys = new Set<number>();
  for (let p = 0; p < P; p++) {
    if (s.cover[p] !== 1 || placeCands[p].some((j) => s.status[j] === 0)) continue;
    const key = s.heldByPlace[p].length > 0 ? s.heldByPlace[p][0] : -2 - placeCands[p].find((j) => s.status[j] === 1)!;
    if (pinnedKeys.has(key)) {
      s.fail({ kind: 'place-twice', place: p });
      return null;
    }
    pinnedKeys.add(key);
    const f = fx.items.find((x) => x.key === key);
    if (!f) continue; // a single item: it can only go there anyway
    const g = placeGroup[p];
    fx.now -= f.value;
    if (f.high) {
      fx.highNow -= f.value;
      s.pinnedHigh[g] += f.value;
    }
    f.groups.forEach((gg, i) => (s.flexTo[gg] -= f.credits[i]));
    s.pinned[g] += f.value;
    s.pinnedValues[g].push(f.value);
  }
  return pinnedKeys;
}

/** What the groups' own rules ask of new units, summed over the groups (see groupAsks). */
interface GroupSums {
  /** Least credit of new units meeting every group's own rules, flexible items offered to all. */
  groupCost: number;
  /** What those credits can count towards the total, and the level rule. */
  coveredByAsks: number;
  coveredHighByAsks: number;
  roomForTotal: number;
  roomForLevel: number;
  /** What single items count towards the total, and the level rule. */
  base: number;
  baseHigh: number;
}

/**
 * Each group's own rules, with the flexible items offered to every group they reach: sets
 * s.asked, s.deficit, s.roomOf, s.roomHighOf and s.leastOf; null when a group cannot be met.
 */
export function groupAsks(s: SearchState, from: number): GroupSums | null {
  const { G, groups, cap, placesOfGroup, placeCands, cands } = s.p;
  const tab = s.tab;
  const sums: GroupSums = {
    groupCost: 0,
    coveredByAsks: 0,
    coveredHighByAsks: 0,
    roomForTotal: 0,
    roomForLevel: 0,
    base: 0,
    baseHigh: 0,
  };
  s.asked = [];
  s.leastOf.fill(0);
  for (let g = 0; g < G; g++) {
    const grp = groups[g];
    const minCredits = grp.minCredits ?? 0;
    const maxUnits = grp.maxUnits ?? Infinity;
    // Credits the single items can count here. Under a unit maximum only the best of them
    // count, and each one counted takes a place the new units could use: needs[k] is what new
    // units must bring when k of them count.
    let mine = s.single[g] - s.singleLess[g] + s.pinned[g];
    let mineHigh = s.singleHigh[g] - s.singleHighLess[g] + s.pinnedHigh[g];
    let needs = [Math.max(0, minCredits - mine)];
    if (maxUnits < Infinity) {
      const list = s.singlesDesc(g, false, s.pinnedValues[g]);
      mine = sumFirst(list, maxUnits);
      mineHigh = sumFirst(s.singlesDesc(g, true, s.pinnedHigh[g] > 0 ? s.pinnedValues[g] : []), maxUnits);
      needs = [];
      for (let k = 0, sum = 0; k <= Math.min(maxUnits, list.length); sum += list[k++])
        needs.push(Math.max(0, minCredits - sum));
    }
    s.deficit[g] = Math.max(0, minCredits - mine);
    const room = cap[g] - Math.min(cap[g], mine);
    const roomHigh = Math.min(cap[g] - Math.min(cap[g], mineHigh), tab.high[g][from]);
    s.roomOf[g] = room;
    s.roomHighOf[g] = roomHigh;
    sums.base += Math.min(cap[g], mine);
    sums.baseHigh += Math.min(cap[g], mineHigh);
    sums.roomForTotal += Math.min(room, tab.sum[g][from]);
    sums.roomForLevel += roomHigh;

    const unitsNeeded = Math.max(0, (grp.minUnits ?? 0) - s.unitsAvail[g]);
    let placeCost = 0;
    let placeCount = 0;
    for (const p of placesOfGroup[g]) {
      if (s.cover[p] > 0) continue;
      let cheapest = Infinity;
      for (const j of placeCands[p]) if (s.status[j] === 0 && cands[j].value < cheapest) cheapest = cands[j].value;
      if (cheapest === Infinity) {
        s.fail({ kind: 'place', place: p });
        return null;
      }
      placeCost += cheapest;
      placeCount++;
    }
    if (needs[needs.length - 1] === 0 && unitsNeeded === 0 && placeCount === 0) continue;
    const ask: GroupAsk = {
      table: tab.table[g][from],
      needs,
      unitsNeeded,
      maxCount: maxUnits,
      placeCost,
      placeCount,
    };
    s.asked.push({ g, ask, room, roomHigh });
    const least = leastFor(ask, s.flexTo[g]);
    if (least === Infinity) {
      s.fail({ kind: 'group', group: g });
      return null;
    }
    const m = Math.max(least, placeCost);
    s.leastOf[g] = m;
    sums.groupCost += m;
    sums.coveredByAsks += Math.min(m, room);
    sums.coveredHighByAsks += Math.min(m, roomHigh);
  }
  return sums;
}

/**
 * A flexible item counts in one group only, yet groupAsks offered it to each of its groups.
 * When few of them touch groups that ask for something, try every way of giving each to one
 * of those groups, and keep the cheapest (0 when there are too many ways or none). Sets
 * s.placings.
 */
export function placingsBound(s: SearchState, offers: FlexItem[]): number {
  const { G } = s.p;
  const { asked, totalShort, levelShort } = s;
  const where = new Array<number>(G).fill(-1);
  asked.forEach((x, i) => (where[x.g] = i));
  const choices = offers
    .map((o) => o.groups.flatMap((g, i) => (where[g] >= 0 ? [{ to: where[g], credits: o.credits[i] }] : [])))
    .filter((c) => c.length > 0);
  let ways = 1;
  for (const c of choices) ways *= c.length;
  s.placings = [];
  if (choices.length === 0 || ways > MAX_WAYS) return 0;
  const given = new Array<number>(asked.length).fill(0);
  let cheapest = Infinity;
  const tryAll = (i: number): void => {
    if (i < choices.length) {
      for (const c of choices[i]) {
        given[c.to] += c.credits;
        tryAll(i + 1);
        given[c.to] -= c.credits;
      }
      return;
    }
    s.placings.push(given.slice());
    let sum = 0;
    let covered = 0;
    let coveredHigh = 0;
    for (let t = 0; t < asked.length; t++) {
      const x = asked[t];
      const m = Math.max(leastFor(x.ask, given[t]), x.ask.placeCost);
      sum += m;
      covered += Math.min(m, x.room);
      coveredHigh += Math.min(m, x.roomHigh);
    }
    cheapest = Math.min(cheapest, sum + Math.max(0, totalShort - covered, levelShort - coveredHigh));
  };
  tryAll(0);
  return cheapest;
}

/**
 * When the total asks for more than the groups' own rules bring, spend the rest where it can
 * count: for each group a sum its undecided units can make, at least what its own rules take,
 * counting up to its room. best[t]: least credit, group by group, counting t towards the total.
 * Groups that take part, and what those from each one on can count at most: a state that
 * cannot reach T even so is dropped. So is a state that costs more than `enough` once the
 * credits it still lacks are paid for at one credit each: the search only needs to know
 * that the bound exceeds `enough`, and enough + 1 is then a lower bound as good as any.
 */
export function spreadBound(s: SearchState, from: number, enough: number): number {
  const { G, groupTotal, groupMax } = s.p;
  const { roomOf, leastOf, tab } = s;
  const T = s.totalShort;
  const takers: number[] = [];
  for (let g = 0; g < G; g++) if (!(leastOf[g] === 0 && (roomOf[g] === 0 || tab.sum[g][from] === 0))) takers.push(g);
  const canCount = new Array<number>(takers.length + 1).fill(0);
  for (let i = takers.length - 1; i >= 0; i--)
    canCount[i] = canCount[i + 1] + Math.min(roomOf[takers[i]], groupTotal[takers[i]]);
  const NONE = 0x3fffffff;
  let best = new Int32Array(T + 1).fill(NONE);
  best[0] = 0;
  for (let i = 0; i < takers.length; i++) {
    const g = takers[i];
    const room = roomOf[g];
    const bits = tab.groupBits[g][from];
    const first = firstSetBit(bits, leastOf[g], groupTotal[g]);
    const hi = Math.max(first, Math.min(groupTotal[g], Math.min(room, T) + groupMax[g]));
    const sums: number[] = [];
    for (let x = first; x >= 0 && x <= hi; x++) if ((bits[x >>> 5] >>> (x & 31)) & 1) sums.push(x);
    const next = new Int32Array(T + 1).fill(NONE);
    for (let t = 0; t <= T; t++) {
      const here = best[t];
      if (here === NONE || here + T - t > enough || t + canCount[i] < T) continue;
      // Sums below c count in full and land short of T; of the others, which all count the
      // same (up to T, or up to the room), only the smallest matters.
      const c = Math.min(room, T - t);
      for (const x of sums) {
        const to = x >= c ? Math.min(T, t + Math.min(x, room)) : t + x;
        if (here + x < next[to]) next[to] = here + x;
        if (x >= c) break;
      }
    }
    best = next;
  }
  return best[T] !== NONE ? best[T] : enough === Infinity ? Infinity : enough + 1;
}

/**
 * The credit bound at the node of the walk at position `from`; the search only needs to know
 * whether it exceeds `enough`. Infinity (and s.failure) when no completion can work.
 */
export function bound(s: SearchState, from: number, enough = Infinity): number {
  const { q, levelRule, totalValue } = s.p;
  const fx = flexibleItems(s);
  mergeBarred(s, fx);
  const pinnedKeys = pinItems(s, fx);
  if (pinnedKeys === null) return Infinity;
  const sums = groupAsks(s, from);
  if (sums === null) return Infinity;
  s.totalShort = q.totalCredits - fx.now - sums.base;
  s.levelShort = levelRule ? levelRule.credits - fx.highNow - sums.baseHigh : 0;
  const { totalShort, levelShort } = s;
  if (totalShort > sums.roomForTotal)
    return s.fail({ kind: 'total', most: q.totalCredits - totalShort + sums.roomForTotal });
  if (levelShort > sums.roomForLevel)
    return s.fail({ kind: 'level', most: levelRule!.credits - levelShort + sums.roomForLevel });
  let lb = sums.groupCost + Math.max(0, totalShort - sums.coveredByAsks, levelShort - sums.coveredHighByAsks);
  const offers = pinnedKeys.size > 0 ? fx.items.filter((x) => !pinnedKeys.has(x.key)) : fx.items;
  lb = Math.max(lb, placingsBound(s, offers));
  // In any case, what the flexible items cannot cover of the groups' deficits between them
  // (a max-flow, each item split freely between its groups) new units must.
  let deficits = 0;
  for (const d of s.deficit) deficits += d;
  if (deficits > 0) lb = Math.max(lb, deficits - (offers.length > 0 ? transport(offers, s.deficit) : 0));
  // Level credits come from high-level units only; and the credit of new units is a sum that
  // the undecided units can actually make.
  lb = Math.max(lb, leastSum(s.tab.highBits[from], levelShort, totalValue));
  if (totalShort > sums.coveredByAsks && lb <= enough) lb = Math.max(lb, spreadBound(s, from, enough));
  lb = leastSum(s.tab.bits[from], lb, totalValue);
  if (lb === Infinity) return s.fail({ kind: 'together' });
  s.lastCost = lb;
  return lb;
}
