/**
 * Route optimiser (SPEC OCF 06 and section 8: "the optimal, least extra credit, set of units").
 * Pure: data in, data out, no I/O.
 *
 * Question: which units, taken from the ones the learner may still take, complete a
 * qualification for the least extra credit? The answer is a set S of available units such
 * that evaluate() (src/catalogue/roc.ts) says "achieved" for the learner's credits plus one
 * planned credit per unit of S, awarded on the evaluation date. Among such sets we want the
 * smallest total credit, then the fewest units, then the lexicographically smallest sorted
 * list of URNs. docs/route-optimiser.md says the same in plain English.
 *
 * Outline:
 *  1. Is it achieved already? Does it become achieved with every usable available unit? If
 *     not, it is not reachable, and the evaluation with every unit says what stays unmet.
 *  2. Otherwise search, exactly: a depth-first walk over the usable units in URN order
 *     (include a unit, then leave it out), so the first set found at a given cost and size
 *     is the lexicographically smallest. The walk runs as iterative deepening on cost
 *     (IDA*): a pass allows only partial sets whose cost plus a lower bound on what is still
 *     needed stays within a budget; the first budget is the bound at the root and each next
 *     one is the smallest value that went over it. Inside the pass that finds a route, a
 *     second bound (on the number of units still needed) keeps only sets with fewer units.
 *  3. The lower bound is a relaxation of the rules that never overestimates: per group, the
 *     cheapest subset of the remaining units that meets the group's own credit and unit
 *     minimums and fills its empty mandatory places; on top, the credits the total and the
 *     level rule still need beyond what those group covers can count; then rounded up to a
 *     sum the remaining units can actually make. A mandatory place that one remaining unit
 *     alone can fill forces that unit in. Interchangeable units (same credit, level class
 *     and groups, with no mandatory place, barred set or equivalence) are taken in URN order.
 *  4. When the bound says a partial set may already be enough, evaluate() decides. Every
 *     route returned is one evaluate() accepts, so the optimiser can never disagree with the
 *     evaluator.
 *
 * A node limit keeps the work bounded; when it is reached the answer says so
 * (`exhaustive: false`) and the best route known is returned, not claimed optimal.
 */
import { evaluate, yearsBefore } from '../catalogue/roc.js';
import type { Evaluation, UnmetReason } from '../catalogue/roc.js';
import { levelRank } from '../catalogue/model.js';
import type { Equivalence, LearnerCredit, Qualification, Unit } from '../catalogue/model.js';

/** Work allowed (search nodes plus evaluator nodes) before the optimiser stops and says so. */
export const DEFAULT_ROUTE_MAX_NODES = 200_000;

export interface RouteInput {
  qualification: Qualification;
  /** Catalogue units by URN. */
  units: ReadonlyMap<string, Unit>;
  /** What the learner holds; may be empty (a learner with no credits, or none known). */
  credits: LearnerCredit[];
  /** Names of outside-QCF achievements the learner holds. */
  exemptions?: string[];
  /** Equivalences that hold everywhere. */
  globalEquivalences?: Equivalence[];
  /**
   * Evaluation date, ISO YYYY-MM-DD. The learner's credits are judged on this date and each
   * planned unit is treated as awarded (active) on it.
   */
  date: string;
  /** URNs the learner may still take, after availability and funding filters. */
  available: string[];
  /** Bound on search nodes plus evaluator nodes; DEFAULT_ROUTE_MAX_NODES when absent. */
  maxNodes?: number;
}

export type SkipReason = 'not-in-catalogue' | 'already-held' | 'not-in-qualification' | 'would-expire' | 'bad-credit';

/** An available URN the optimiser did not consider, and why. */
export interface Skipped {
  urn: string;
  reason: SkipReason;
}

/** How much work the answer took. */
export interface RouteStats {
  /** Search nodes visited. */
  nodes: number;
  /** Calls to evaluate(). */
  evaluations: number;
  /** Search nodes visited inside those calls. */
  evaluatorNodes: number;
  /** Cost budgets tried by the iterative deepening. */
  passes: number;
}

export type RouteResult =
  | {
      reachable: true;
      alreadyAchieved: boolean;
      /** Units to take, sorted by URN. */
      add: Unit[];
      extraCredits: number;
      extraUnits: number;
      /** evaluate() of the learner's credits plus a planned credit for each unit of `add`. */
      evaluation: Evaluation;
      /** For each group that a planned unit is allocated to, those units' URNs. */
      groupsFilled: { group: string; units: string[] }[];
      /** True when the route is proven optimal; false when the node bound cut the search. */
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    }
  | {
      reachable: false;
      reason: 'no-units-available' | 'rules-cannot-be-met' | 'search-limit';
      message: string;
      /** What stays unmet even with every available unit. */
      missing: UnmetReason[];
      /** evaluate() of the learner's credits plus every usable available unit. */
      evaluation: Evaluation;
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    };

/** A unit the learner could still take, with what it can do for this qualification. */
interface Candidate {
  unit: Unit;
  value: number;
  /** At or above the level of the level rule. */
  high: boolean;
  /** Groups it can be placed in (distinct). */
  groups: number[];
  /** Mandatory places it can fill (distinct). */
  places: number[];
  /** It can only go one way and competes with nothing, so once held it may be assumed placed. */
  simple: boolean;
  /** The interchangeable candidate before it in URN order, or -1. */
  twinPrev: number;
}

/** Index of the smallest set bit at or above `from` in a bitset, or -1. */
function firstSetFrom(bits: Uint32Array, from: number, to: number): number {
  for (let s = from; s <= to; s++) if ((bits[s >>> 5] >>> (s & 31)) & 1) return s;
  return -1;
}

/**
 * The smallest sum of a subset of `values` (whole numbers) that is at least `target`, or
 * Infinity when even all of them fall short. A 0/1 subset-sum over a bitset: the smallest
 * such sum is below target + max(values), since dropping the smallest unit of a minimal
 * subset takes it under the target.
 */
export function minSumAtLeast(values: readonly number[], target: number): number {
  if (target <= 0) return 0;
  let total = 0;
  let maxv = 0;
  for (const v of values) {
    total += v;
    if (v > maxv) maxv = v;
  }
  if (total < target) return Infinity;
  const top = target + maxv - 1;
  const words = (top >>> 5) + 1;
  const bits = new Uint32Array(words);
  bits[0] = 1;
  for (const v of values) {
    const q = v >>> 5;
    const r = v & 31;
    for (let w = words - 1; w >= q; w--) {
      let x = bits[w - q] << r;
      if (r !== 0 && w - q - 1 >= 0) x |= bits[w - q - 1] >>> (32 - r);
      bits[w] |= x;
    }
  }
  return firstSetFrom(bits, target, top);
}

/**
 * The smallest sum of a subset of `values` with at least `count` members and a sum of at
 * least `target`; Infinity when no subset qualifies. Sums above a ceiling are clamped to it,
 * which can only make the answer smaller: it stays a lower bound.
 */
export function minSumAtLeastWithCount(values: readonly number[], target: number, count: number): number {
  if (count <= 0) return minSumAtLeast(values, target);
  if (values.length < count) return Infinity;
  let maxv = 0;
  for (const v of values) if (v > maxv) maxv = v;
  const top = Math.max(0, target) + maxv * (count + 1);
  const width = top + 1;
  const reach = new Uint8Array((count + 1) * width);
  reach[0] = 1;
  for (const v of values) {
    for (let k = count; k >= 0; k--) {
      const to = Math.min(k + 1, count) * width;
      const from = k * width;
      for (let s = top; s >= 0; s--) if (reach[from + s]) reach[to + Math.min(top, s + v)] = 1;
    }
  }
  for (let s = Math.max(0, target); s <= top; s++) if (reach[count * width + s]) return s;
  return Infinity;
}

/** The fewest of `desc` (sorted largest first) whose sum reaches `target`. */
function fewestToReach(desc: readonly number[], target: number): number {
  let sum = 0;
  let k = 0;
  while (sum < target && k < desc.length) sum += desc[k++];
  return k;
}

export function optimiseRoute(input: RouteInput): RouteResult {
  const { qualification: q, units: catalogue, date } = input;
  const maxNodes = input.maxNodes ?? DEFAULT_ROUTE_MAX_NODES;
  const stats: RouteStats = { nodes: 0, evaluations: 0, evaluatorNodes: 0, passes: 0 };
  let proven = true;

  // Planned credits get ids that no learner credit uses.
  const usedIds = new Set(input.credits.map((c) => c.id));
  const plannedId = new Map<string, string>();
  const idFor = (urn: string): string => {
    let id = plannedId.get(urn);
    if (id === undefined) {
      id = `planned:${urn}`;
      for (let n = 2; usedIds.has(id); n++) id = `planned:${urn}#${n}`;
      usedIds.add(id);
      plannedId.set(urn, id);
    }
    return id;
  };
  const plan = (u: Unit): LearnerCredit => ({
    id: idFor(u.urn), urn: u.urn, credit: u.credit, level: u.level, awardDate: date, status: 'active',
  });
  const run = (planned: readonly Unit[]): Evaluation => {
    const ev = evaluate({
      qualification: q, units: catalogue, credits: [...input.credits, ...planned.map(plan)],
      exemptions: input.exemptions, globalEquivalences: input.globalEquivalences, date,
    });
    stats.evaluations++;
    stats.evaluatorNodes += ev.nodes;
    if (!ev.exhaustive && !ev.achieved) proven = false;
    return ev;
  };

  // ---- 1. already achieved? (evaluate() also checks the date) ----
  const held = run([]);
  const skipped: Skipped[] = [];
  if (held.achieved) {
    return {
      reachable: true, alreadyAchieved: true, add: [], extraCredits: 0, extraUnits: 0, evaluation: held,
      groupsFilled: [], exhaustive: true, skipped, stats,
    };
  }

  // ---- the rules, indexed as the evaluator reads them ----
  const groups = q.groups.map((g) => ({ ...g, units: [...new Set(g.units)] }));
  const G = groups.length;
  const groupsOfUnit = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const u of g.units) groupsOfUnit.set(u, [...(groupsOfUnit.get(u) ?? []), i]);
  });
  const placeIndex = new Map<string, number>();
  const placesOfGroup: number[][] = groups.map(() => []);
  groups.forEach((g, i) => {
    if (!g.mandatory) return;
    for (const u of g.units) {
      placesOfGroup[i].push(placeIndex.size);
      placeIndex.set(`${i}|${u}`, placeIndex.size);
    }
  });
  const P = placeIndex.size;
  const equivalences = [...q.equivalences, ...(input.globalEquivalences ?? [])];
  const equivalentTo = new Map<string, string[]>();
  for (const e of equivalences) equivalentTo.set(e.from, [...(equivalentTo.get(e.from) ?? []), e.to]);
  const identities = (urn: string): string[] => {
    const seen = [urn];
    for (let i = 0; i < seen.length; i++) {
      for (const next of equivalentTo.get(seen[i]) ?? []) if (!seen.includes(next)) seen.push(next);
    }
    return seen;
  };
  const inEquivalence = new Set(equivalences.flatMap((e) => [e.from, e.to]));
  const barredUnits = new Set(q.barred.flat());
  const levelRule = q.minCreditsAtLevel;
  const floor = levelRule ? levelRank(levelRule.level) : Infinity;
  const cap = groups.map((g) => g.maxCredits ?? Infinity);

  /** Where a unit can go: (group, unit it stands for) pairs. */
  const optionsOf = (urn: string) =>
    identities(urn).flatMap((v) => (groupsOfUnit.get(v) ?? []).map((g) => ({ g, v, place: placeIndex.get(`${g}|${v}`) ?? -1 })));

  // ---- the learner's valid credits, one item per unit (the evaluator counts a unit once) ----
  const cutoff = q.validityYears === undefined ? null : yearsBefore(date, q.validityYears);
  const heldValid = new Map<string, { value: number; high: boolean }>();
  for (const c of input.credits) {
    if (c.status === 'withdrawn' || c.awardDate > date || (cutoff !== null && c.awardDate <= cutoff)) continue;
    const u = catalogue.get(c.urn);
    const value = u ? u.credit : c.credit;
    const high = levelRank(u ? u.level : c.level) >= floor;
    const before = heldValid.get(c.urn);
    heldValid.set(c.urn, { value: Math.max(value, before?.value ?? 0), high: high || (before?.high ?? false) });
  }

  // ---- 2. the candidates ----
  const chosen = new Set<string>();
  const usable: Unit[] = [];
  for (const urn of input.available) {
    if (chosen.has(urn)) continue;
    chosen.add(urn);
    const u = catalogue.get(urn);
    let reason: SkipReason | null = null;
    if (!u) reason = 'not-in-catalogue';
    else if (!Number.isInteger(u.credit) || u.credit < 1) reason = 'bad-credit';
    else if (heldValid.has(urn)) reason = 'already-held';
    else if (optionsOf(urn).length === 0) reason = 'not-in-qualification';
    else if (cutoff !== null && date <= cutoff) reason = 'would-expire';
    if (reason) skipped.push({ urn, reason });
    else usable.push(u!);
  }
  usable.sort((a, b) => (a.urn < b.urn ? -1 : 1));

  if (usable.length === 0) {
    return {
      reachable: false, reason: 'no-units-available',
      message: `no available unit can count towards ${q.qan}; still unmet: ${held.unmet.map((u) => u.message).join('; ')}`,
      missing: held.unmet, evaluation: held, exhaustive: proven, skipped, stats,
    };
  }
  const all = run(usable);
  if (!all.achieved) {
    const reason = all.exhaustive ? 'rules-cannot-be-met' : 'search-limit';
    const why = reason === 'search-limit'
      ? 'the evaluator reached its node limit before finding an allocation with every available unit'
      : explain(all, (v) => heldValid.has(v) || usable.some((u) => identities(u.urn).includes(v)) ||
          [...heldValid.keys()].some((h) => identities(h).includes(v)), catalogue);
    return {
      reachable: false, reason, message: `${q.qan} cannot be achieved with the units available: ${why}`,
      missing: all.unmet, evaluation: all, exhaustive: proven, skipped, stats,
    };
  }

  // ---- 3. items: who can go where, and who is simple ----
  const heldItems = [...heldValid.entries()].flatMap(([urn, h]) => {
    const options = optionsOf(urn);
    return options.length === 0 ? [] : [{ urn, ...h, options }];
  });
  const candOptions = usable.map((u) => optionsOf(u.urn));
  // How many items (held or candidate) can stand for each unit: a unit two items can fill competes.
  const standers = new Map<string, number>();
  for (const opts of [...heldItems.map((h) => h.options), ...candOptions]) {
    for (const v of new Set(opts.map((o) => o.v))) standers.set(v, (standers.get(v) ?? 0) + 1);
  }
  const isSimple = (opts: { g: number; v: string }[]) =>
    opts.length === 1 && groups[opts[0].g].maxUnits === undefined && !barredUnits.has(opts[0].v) && standers.get(opts[0].v) === 1;

  const n = usable.length;
  const twinLast = new Map<string, number>();
  const cands: Candidate[] = usable.map((u, j) => {
    const opts = candOptions[j];
    const groupsHere = [...new Set(opts.map((o) => o.g))];
    const places = [...new Set(opts.filter((o) => o.place >= 0).map((o) => o.place))];
    const high = levelRank(u.level) >= floor;
    let twinPrev = -1;
    if (places.length === 0 && !barredUnits.has(u.urn) && !inEquivalence.has(u.urn)) {
      const key = `${groupsHere.join(',')}|${u.credit}|${high}`;
      twinPrev = twinLast.get(key) ?? -1;
      twinLast.set(key, j);
    }
    return { unit: u, value: u.credit, high, groups: groupsHere, places, simple: isSimple(opts), twinPrev };
  });

  // ---- search state: what the learner holds plus the units chosen so far ----
  const fixed = new Array<number>(G).fill(0); // credits of simple items, assumed placed
  const fixedHigh = new Array<number>(G).fill(0);
  const flexAvail = new Array<number>(G).fill(0); // credits other items could bring to the group
  const unitsAvail = new Array<number>(G).fill(0); // items that could count as a unit in the group
  const cover = new Int32Array(P); // items that could fill each mandatory place
  let flex = 0; // credits of non-simple items (each counts in one group at most)
  let flexHigh = 0;
  for (const h of heldItems) {
    const gs = [...new Set(h.options.map((o) => o.g))];
    if (isSimple(h.options)) {
      fixed[gs[0]] += h.value;
      if (h.high) fixedHigh[gs[0]] += h.value;
    } else {
      flex += h.value;
      if (h.high) flexHigh += h.value;
      for (const g of gs) flexAvail[g] += h.value;
    }
    for (const g of gs) unitsAvail[g]++;
    for (const o of h.options) if (o.place >= 0) cover[o.place]++;
  }
  const heldExemptions = new Set(input.exemptions ?? []);
  const groupIndex = new Map(groups.map((g, i) => [g.id, i]));
  for (const name of new Set(q.exemptions.map((e) => e.name))) {
    if (!heldExemptions.has(name)) continue;
    const best = new Map<number, number>();
    for (const e of q.exemptions) {
      const g = groupIndex.get(e.group);
      if (e.name === name && g !== undefined) best.set(g, Math.max(best.get(g) ?? 0, e.credits));
    }
    if (best.size === 0) continue;
    flex += Math.max(...best.values());
    for (const [g, c] of best) flexAvail[g] += c;
  }

  const status = new Int8Array(n); // 0 undecided, 1 in the route, 2 left out
  let cost = 0;
  let count = 0;
  const apply = (j: number, d: 1 | -1) => {
    const c = cands[j];
    if (c.simple) {
      fixed[c.groups[0]] += d * c.value;
      if (c.high) fixedHigh[c.groups[0]] += d * c.value;
    } else {
      flex += d * c.value;
      if (c.high) flexHigh += d * c.value;
      for (const g of c.groups) flexAvail[g] += d * c.value;
    }
    for (const g of c.groups) unitsAvail[g] += d;
    for (const p of c.places) cover[p] += d;
    cost += d * c.value;
    count += d;
  };

  const byValueDesc = (js: number[]) => js.sort((a, b) => cands[b].value - cands[a].value || a - b);
  const groupCands: number[][] = groups.map((_, g) => byValueDesc(cands.flatMap((c, j) => (c.groups.includes(g) ? [j] : []))));
  const placeCands: number[][] = Array.from({ length: P }, (_, p) => cands.flatMap((c, j) => (c.places.includes(p) ? [j] : [])));
  const allDesc = byValueDesc(cands.map((_, j) => j));

  /** A mandatory place nothing else can fill, with one undecided unit that can: that unit must come in. */
  const propagate = (): number[] => {
    const forced: number[] = [];
    for (let again = true; again; ) {
      again = false;
      for (let p = 0; p < P; p++) {
        if (cover[p] > 0) continue;
        let only = -1;
        let open = 0;
        for (const j of placeCands[p]) if (status[j] === 0) open++, (only = j);
        if (open !== 1) continue;
        status[only] = 1;
        apply(only, 1);
        forced.push(only);
        again = true;
      }
    }
    return forced;
  };

  /**
   * Lower bounds, over every way of completing the current partial route with undecided
   * units, on the extra credits (`cost`) and extra units (`units`) still needed. Infinity
   * when no completion can work. See docs/route-optimiser.md for why each step is sound.
   */
  const bound = (): { cost: number; units: number } => {
    const NONE = { cost: Infinity, units: Infinity };
    let groupCost = 0;
    let groupUnits = 0;
    let coveredByCovers = 0; // total credits the group covers can count
    let coveredHighByCovers = 0;
    let roomForTotal = 0;
    let roomForLevel = 0;
    let base = 0;
    let baseHigh = 0;
    for (let g = 0; g < G; g++) {
      const grp = groups[g];
      const values: number[] = [];
      let remHigh = 0;
      for (const j of groupCands[g]) {
        if (status[j] !== 0) continue;
        values.push(cands[j].value);
        if (cands[j].high) remHigh += cands[j].value;
      }
      let remSum = 0;
      for (const v of values) remSum += v;
      const room = cap[g] - Math.min(cap[g], fixed[g]);
      const roomHigh = cap[g] - Math.min(cap[g], fixedHigh[g]);
      base += Math.min(cap[g], fixed[g]);
      baseHigh += Math.min(cap[g], fixedHigh[g]);
      roomForTotal += Math.min(room, remSum);
      roomForLevel += Math.min(roomHigh, remHigh);

      const need = Math.max(0, (grp.minCredits ?? 0) - fixed[g] - flexAvail[g]);
      const unitsNeeded = Math.max(0, (grp.minUnits ?? 0) - unitsAvail[g]);
      let placeCost = 0;
      let placeCount = 0;
      for (const p of placesOfGroup[g]) {
        if (cover[p] > 0) continue;
        let cheapest = Infinity;
        for (const j of placeCands[p]) if (status[j] === 0) cheapest = Math.min(cheapest, cands[j].value);
        if (cheapest === Infinity) return NONE;
        placeCost += cheapest;
        placeCount++;
      }
      let m = placeCost;
      let k = placeCount;
      if (need > 0 || unitsNeeded > 0) {
        m = Math.max(m, minSumAtLeastWithCount(values, need, unitsNeeded));
        if (m === Infinity) return NONE;
        k = Math.max(k, unitsNeeded, fewestToReach(values, need));
      }
      groupCost += m;
      groupUnits += k;
      coveredByCovers += Math.min(m, room);
      coveredHighByCovers += Math.min(m, roomHigh, remHigh);
    }
    const totalShort = q.totalCredits - flex - base;
    const levelShort = levelRule ? levelRule.credits - flexHigh - baseHigh : 0;
    if (totalShort > roomForTotal || levelShort > roomForLevel) return NONE;
    let lb = groupCost + Math.max(0, totalShort - coveredByCovers, levelShort - coveredHighByCovers);
    const rem: number[] = [];
    const remHighValues: number[] = [];
    for (const j of allDesc) {
      if (status[j] !== 0) continue;
      rem.push(cands[j].value);
      if (cands[j].high) remHighValues.push(cands[j].value);
    }
    lb = Math.max(lb, minSumAtLeast(remHighValues, levelShort));
    lb = minSumAtLeast(rem, lb);
    if (lb === Infinity) return NONE;
    return { cost: lb, units: Math.max(groupUnits, fewestToReach(rem, lb)) };
  };

  // ---- 4. the search ----
  const achievedCache = new Map<string, boolean>();
  const routeNow = () => cands.flatMap((c, j) => (status[j] === 1 ? [j] : []));
  let best = null as { cost: number; count: number; route: number[] } | null;
  let budget = 0;
  let nextBudget = Infinity;
  let aborted = false;

  const dfs = (from: number): void => {
    stats.nodes++;
    if (stats.nodes + stats.evaluatorNodes > maxNodes) {
      aborted = true;
      return;
    }
    const forced = propagate();
    const b = bound();
    let lb = b.cost;
    let kb = b.units;
    const cut = () => {
      const f = cost + lb;
      if (f > budget) {
        nextBudget = Math.min(nextBudget, f);
        return true;
      }
      // Inside a budget every route found costs the same; a later one must have fewer units
      // (a later one with as many is lexicographically larger).
      return best !== null && count + kb >= best.count;
    };
    let done = cut();
    if (!done && lb === 0) {
      // The relaxation cannot tell: ask the evaluator.
      const route = routeNow();
      const key = route.join(',');
      let achieved = achievedCache.get(key);
      if (achieved === undefined) {
        achieved = run(route.map((j) => cands[j].unit)).achieved;
        achievedCache.set(key, achieved);
      }
      if (achieved) {
        best = { cost, count, route };
        done = true;
      } else {
        // At least one more unit is needed.
        lb = Infinity;
        for (let j = 0; j < n; j++) if (status[j] === 0) lb = Math.min(lb, cands[j].value);
        kb = 1;
        done = cut();
      }
    }
    for (let j = from; !done && j < n; j++) {
      if (status[j] !== 0) continue;
      const twin = cands[j].twinPrev;
      if (twin < 0 || status[twin] === 1) {
        status[j] = 1;
        apply(j, 1);
        dfs(j + 1);
        apply(j, -1);
      }
      if (!aborted) {
        status[j] = 2;
        dfs(j + 1);
      }
      status[j] = 0;
      break;
    }
    for (const j of forced.reverse()) {
      apply(j, -1);
      status[j] = 0;
    }
  };

  while (!best && !aborted && budget < Infinity) {
    stats.passes++;
    nextBudget = Infinity;
    dfs(0);
    budget = nextBudget;
  }

  let route: number[];
  if (best) {
    route = best.route;
  } else {
    // The node bound stopped the search before any route was proven: start from every unit
    // and drop, dearest first, each one the evaluator can do without.
    route = cands.map((_, j) => j);
    for (const j of allDesc) {
      const without = route.filter((x) => x !== j);
      if (run(without.map((x) => cands[x].unit)).achieved) route = without;
    }
  }
  const add = route.map((j) => cands[j].unit);
  const evaluation = run(add);
  const ids = new Map(add.map((u) => [plannedId.get(u.urn)!, u.urn]));
  const groupsFilled = groups.flatMap((g) => {
    const here = evaluation.allocation.filter((a) => a.group === g.id && ids.has(a.creditId)).map((a) => a.urn).sort();
    return here.length > 0 ? [{ group: g.id, units: here }] : [];
  });
  return {
    reachable: true, alreadyAchieved: false, add,
    extraCredits: add.reduce((s, u) => s + u.credit, 0), extraUnits: add.length,
    evaluation, groupsFilled, exhaustive: proven && !aborted, skipped, stats,
  };
}

/**
 * Why the qualification stays out of reach, in words, from the evaluation with every unit.
 * `obtainable(v)`: some held or available unit can stand for unit v.
 */
function explain(ev: Evaluation, obtainable: (v: string) => boolean, catalogue: ReadonlyMap<string, Unit>): string {
  const parts: string[] = [];
  const name = (v: string) => (catalogue.has(v) ? `${v} (${catalogue.get(v)!.title})` : v);
  for (const u of ev.unmet) {
    const g = ev.groups.find((x) => x.id === u.group);
    if (u.rule === 'mandatory') {
      const absent = g!.missingUnits.filter((v) => !obtainable(v));
      const blocked = g!.missingUnits.filter((v) => obtainable(v));
      if (absent.length > 0) {
        parts.push(`mandatory unit(s) ${absent.map(name).join(', ')} of group ${g!.id} neither held nor available`);
      }
      if (blocked.length > 0) {
        parts.push(`mandatory unit(s) ${blocked.map(name).join(', ')} of group ${g!.id} cannot count alongside the other units (a barred combination, a unit maximum or a unit needed elsewhere)`);
      }
    } else if (u.rule === 'group-min-credits') {
      parts.push(`group ${g!.id} cannot reach ${g!.minCredits} credits with the units held and available (best allocation: ${g!.credits})`);
    } else if (u.rule === 'group-min-units') {
      parts.push(`group ${g!.id} cannot reach ${g!.minUnits} units with the units held and available (best allocation: ${g!.units})`);
    } else if (u.rule === 'total-credits') {
      parts.push(`the qualification needs ${ev.totalRequired} credits; with every available unit the best allocation counts ${ev.totalCredits}`);
    } else {
      const l = ev.creditsAtLevel!;
      parts.push(`the qualification needs ${l.required} credits at level ${l.level} or above; with every available unit the best allocation counts ${l.counted}`);
    }
  }
  return parts.join('; ');
}
