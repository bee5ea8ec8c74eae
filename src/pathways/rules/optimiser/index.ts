/**
 * Route optimiser (SPEC OCF 06, and section 8: "the optimal, least extra credit, set of
 * units"). Pure: data in, data out, no I/O.
 *
 * The question: which of the units the learner may still take complete a qualification for
 * the least extra credit? A route is a set S of available units such that evaluate()
 * (src/catalogue/roc.ts) says "achieved" for the learner's credits plus one planned credit per
 * unit of S, awarded on the evaluation date. The optimal route has the least total credit,
 * then the fewest units, then the lexicographically smallest sorted list of URNs.
 * docs/route-optimiser.md says the same in plain English.
 *
 * Outline:
 *  1. Already achieved? Then the route is empty. Otherwise keep the usable available units
 *     (known to the catalogue, not already held, able to count here) and ask whether even all
 *     of them together would do: first a cheap bound (below) that can prove they would not,
 *     then evaluate() itself. If not, the qualification is out of reach and the evaluation
 *     with every unit says what stays unmet.
 *  2. Otherwise search exactly, with a depth-first walk that takes a unit before leaving it out.
 *     Phase 1 walks the units dearest first and finds the least credit, then the fewest units:
 *     each pass has a credit budget and cuts every partial route whose credit plus a lower bound
 *     on the credit still needed goes over it. The first budget is the bound at the root; while a
 *     pass finds nothing the budget grows to at least the least value that went over (iterative
 *     deepening). The pass that finds a route carries on as branch and bound, keeping only partial
 *     routes that could still be cheaper, or as cheap with fewer units (a second lower bound, on
 *     the units still needed). Phase 2 walks the units in URN order, where routes are met in
 *     lexicographic order, and stops at the first route with phase 1's credit and units.
 *  3. The bounds come from a relaxation of the rules, so they never overestimate. The undecided
 *     units at a point of a walk are the ones after it in the walk's order (less a few forced
 *     in), so their subset-sum tables are computed once, group by group, for every suffix.
 *  4. When the bound says a partial route may already be enough, evaluate() decides. Every route
 *     returned is one that evaluate() accepts, so the optimiser can never disagree with the
 *     evaluator about whether a route works.
 *
 * A node limit keeps the work bounded; when it is reached the answer says so
 * (`exhaustive: false`) and the best route known is returned, not claimed optimal.
 */
import { evaluate, transport, yearsBefore } from '../../../catalogue/roc.js';
import type { Evaluation, EvaluationInput, UnmetReason } from '../../../catalogue/roc.js';
import { levelRank } from '../../../catalogue/model.js';
import type { Qualification, RuleGroup, Unit } from '../../../catalogue/model.js';

/** Work allowed (search nodes plus evaluator nodes) before the optimiser stops and says so. */
export const DEFAULT_ROUTE_MAX_NODES = 200_000;

/** What the evaluator takes (credits may be empty: no learner, or none yet), with the units the learner may add. */
export interface RouteInput extends Omit<EvaluationInput, 'date' | 'maxNodes'> {
  /**
   * Evaluation date, ISO YYYY-MM-DD. The learner's credits are judged on this date, and each
   * planned unit is treated as awarded (active) on it.
   */
  date: string;
  /** URNs the learner may still take, after availability and funding filters. */
  available: string[];
  /** Bound on search nodes plus evaluator nodes; DEFAULT_ROUTE_MAX_NODES when absent. */
  maxNodes?: number;
}

export type SkipReason = 'not-in-catalogue' | 'bad-credit' | 'already-held' | 'not-in-qualification' | 'would-expire';

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
  /** Passes of the search (credit budgets tried). */
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
      /** For each group (in the qualification's order) that planned units are allocated to, their URNs. */
      groupsFilled: { group: string; units: string[] }[];
      /** True when the route is proven optimal; false when the node bound cut the search short. */
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    }
  | {
      reachable: false;
      reason: 'no-units-available' | 'rules-cannot-be-met' | 'search-limit';
      message: string;
      /** What stays unmet even with every usable available unit (the evaluator's best allocation). */
      missing: UnmetReason[];
      /** evaluate() of the learner's credits plus every usable available unit. */
      evaluation: Evaluation;
      /** True when "not reachable" is proven; false when a node bound left it undecided. */
      exhaustive: boolean;
      skipped: Skipped[];
      stats: RouteStats;
    };

/** How far above a group's least credit the tables of unit counts look. */
const SLACK = 64;
/** Most credits of waste for which the unit bound tracks credit and waste exactly. */
const EXACT_WASTE = 8;
/** Most ways of placing the flexible items that the bound tries one by one. */
const MAX_WAYS = 64;
/** Evaluator nodes allowed for an evaluation that only explains an answer already proven. */
const EXPLAIN_NODES = 2_000;
/** Most units the fallback (node bound hit before any route was found) tries to drop. */
const FALLBACK_DROPS = 64;

// ---------------------------------------------------------------------------------------------
// Subset sums
// ---------------------------------------------------------------------------------------------

/** Index of the first set bit of `bits` in [from, to], or -1. */
function firstSetBit(bits: Uint32Array, from: number, to: number): number {
  for (let s = Math.max(0, from); s <= to; s++) if ((bits[s >>> 5] >>> (s & 31)) & 1) return s;
  return -1;
}

/** `bits` with every sum shifted up by v added (0/1 subset-sum step), as a new bitset. */
function withValue(bits: Uint32Array, v: number): Uint32Array {
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
interface SumTable {
  top: number;
  fewest: Int32Array;
  most: Int32Array;
}

function emptyTable(top: number): SumTable {
  const fewest = new Int32Array(top + 1).fill(1 << 30);
  const most = new Int32Array(top + 1).fill(-1);
  fewest[0] = 0;
  most[0] = 0;
  return { top, fewest, most };
}

function tableWith(t: SumTable, v: number): SumTable {
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
function fewestToReach(desc: readonly number[], target: number): number {
  let sum = 0;
  let k = 0;
  while (sum < target && k < desc.length) sum += desc[k++];
  return sum >= target ? k : Infinity;
}

function sumFirst(xs: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < k && i < xs.length; i++) sum += xs[i];
  return sum;
}

/**
 * What a group with a requirement asks of the new units that could go there. Some subset of
 * them (the ones that count) must bring at least needs[k] - flex credits with at most
 * maxCount - k units, for some k (k = places under the group's unit maximum taken by units the
 * learner holds or has chosen; `needs` has one entry when there is no unit maximum), and at
 * least `unitsNeeded` units. A sum s of the table qualifies when its fewest units fit the
 * maximum and its most units reach the minimum: a relaxation, so what follows from it is a
 * lower bound.
 */
interface GroupAsk {
  table: SumTable;
  needs: number[];
  unitsNeeded: number;
  maxCount: number;
  placeCost: number;
  placeCount: number;
}

function qualifies(a: GroupAsk, s: number, flex: number): boolean {
  const { fewest, most } = a.table;
  if (most[s] < 0 || most[s] < a.unitsNeeded) return false;
  // The most places the learner's own units may take while these units still fit.
  const k = Math.min(a.needs.length - 1, a.maxCount - fewest[s]);
  return k >= 0 && a.needs[k] - flex <= s;
}

/** Least credit of new units meeting the ask when flexible items bring `flex` credits. */
function leastFor(a: GroupAsk, flex: number): number {
  for (let s = Math.max(0, a.needs[a.needs.length - 1] - flex); s <= a.table.top; s++)
    if (qualifies(a, s, flex)) return s;
  return Infinity;
}

/** Unit counts for an ask: fewest[d] when its new units cost at most least + d. */
interface UnitsAsked {
  least: number;
  fewest: number[];
  /** At any cost. */
  atAll: number;
}

function unitsAsked(a: GroupAsk, flex: number): UnitsAsked | null {
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
function fewestWithin(list: UnitsAsked[], r: number): number {
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

// ---------------------------------------------------------------------------------------------
// The optimiser
// ---------------------------------------------------------------------------------------------

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
  /** The interchangeable candidate before it in URN order, or -1. */
  twinPrev: number;
}

/** An item that might count in any of several groups (a held or chosen unit, or an exemption). */
interface FlexItem {
  /** Held item index; -1 for an exemption; -2 - j for candidate j; -2 - n - b for barred set b. */
  key: number;
  value: number;
  high: boolean;
  groups: number[];
  credits: number[];
}

/** Why the bound proved that no completion can work (reported at the root only). */
type Failure =
  | { kind: 'place' | 'place-twice'; place: number }
  | { kind: 'group'; group: number }
  | { kind: 'total' | 'level'; most: number }
  | { kind: 'together' };

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
      for (let k = 2; usedIds.has(id); k++) id = `planned:${urn}#${k}`;
      usedIds.add(id);
      plannedId.set(urn, id);
    }
    return id;
  };
  const run = (planned: readonly Unit[], evaluatorNodes?: number): Evaluation => {
    const credits = [...input.credits];
    for (const u of planned)
      credits.push({
        id: idFor(u.urn),
        urn: u.urn,
        credit: u.credit,
        level: u.level,
        awardDate: date,
        status: 'active',
      });
    const ev = evaluate({
      qualification: q,
      units: catalogue,
      credits,
      exemptions: input.exemptions,
      globalEquivalences: input.globalEquivalences,
      date,
      maxNodes: evaluatorNodes,
    });
    stats.evaluations++;
    stats.evaluatorNodes += ev.nodes;
    if (!ev.exhaustive && !ev.achieved) proven = false;
    return ev;
  };

  // ---- 1. achieved already? (evaluate() also checks the date) ----
  const held = run([]);
  const skipped: Skipped[] = [];
  if (held.achieved) {
    return {
      reachable: true,
      alreadyAchieved: true,
      add: [],
      extraCredits: 0,
      extraUnits: 0,
      evaluation: held,
      groupsFilled: [],
      exhaustive: true,
      skipped,
      stats,
    };
  }

  // The rules, indexed as the evaluator reads them.
  const groups: RuleGroup[] = q.groups.map((g) => ({ ...g, units: [...new Set(g.units)] }));
  const G = groups.length;
  const groupsOfUnit = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const u of g.units) groupsOfUnit.set(u, [...(groupsOfUnit.get(u) ?? []), i]);
  });
  const placeIndex = new Map<string, number>(); // one per (mandatory group, unit)
  const placesOfGroup: number[][] = groups.map(() => []);
  const placeGroup: number[] = [];
  const placeUnit: string[] = [];
  groups.forEach((g, i) => {
    if (!g.mandatory) return;
    for (const u of g.units) {
      placesOfGroup[i].push(placeIndex.size);
      placeGroup.push(i);
      placeUnit.push(u);
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
  /** Where a unit can count: its groups and the mandatory places it can fill. */
  const reached = new Map<string, { groups: number[]; places: number[] }>();
  const reachOf = (urn: string) => {
    let r = reached.get(urn);
    if (r === undefined) reached.set(urn, (r = reachOfUnit(urn)));
    return r;
  };
  const reachOfUnit = (urn: string) => {
    const options = identities(urn).flatMap((v) =>
      (groupsOfUnit.get(v) ?? []).map((g) => ({ g, place: placeIndex.get(`${g}|${v}`) ?? -1 })),
    );
    return {
      groups: [...new Set(options.map((o) => o.g))],
      places: [...new Set(options.flatMap((o) => (o.place >= 0 ? [o.place] : [])))],
    };
  };

  // The learner's valid credits, one item per unit (the evaluator counts a unit once).
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

  // The usable available units, in URN order.
  const seen = new Set<string>();
  const usable: Unit[] = [];
  for (const urn of input.available) {
    if (seen.has(urn)) continue;
    seen.add(urn);
    const u = catalogue.get(urn);
    let reason: SkipReason | null = null;
    if (!u) reason = 'not-in-catalogue';
    else if (!Number.isInteger(u.credit) || u.credit < 1) reason = 'bad-credit';
    else if (heldValid.has(urn)) reason = 'already-held';
    else if (reachOf(urn).groups.length === 0) reason = 'not-in-qualification';
    else if (cutoff !== null && date <= cutoff) reason = 'would-expire';
    if (reason) skipped.push({ urn, reason });
    else usable.push(u!);
  }
  usable.sort((a, b) => (a.urn < b.urn ? -1 : 1));
  const obtainable = (v: string) =>
    [...heldValid.keys(), ...usable.map((u) => u.urn)].some((x) => identities(x).includes(v));

  if (usable.length === 0) {
    return {
      reachable: false,
      reason: 'no-units-available',
      message: `no available unit can count towards ${q.qan}; still unmet: ${explain(held, obtainable, catalogue)}`,
      missing: held.unmet,
      evaluation: held,
      exhaustive: proven,
      skipped,
      stats,
    };
  }

  // ---- 2. items: where each held unit and each candidate can go ----
  const heldItems = [...heldValid.entries()]
    .map(([urn, h]) => ({ urn, ...h, ...reachOf(urn) }))
    .filter((h) => h.groups.length > 0);
  const n = usable.length;
  const twinLast = new Map<string, number>();
  const cands: Candidate[] = usable.map((u, j) => {
    const { groups: gs, places } = reachOf(u.urn);
    const high = levelRank(u.level) >= floor;
    let twinPrev = -1;
    if (places.length === 0 && !barredUnits.has(u.urn) && !inEquivalence.has(u.urn)) {
      const key = `${gs.join(',')}|${u.credit}|${high}`;
      twinPrev = twinLast.get(key) ?? -1;
      twinLast.set(key, j);
    }
    return { unit: u, value: u.credit, high, groups: gs, places, twinPrev };
  });
  // The barred sets an item is bound to: every unit it could count as is in the set.
  const barredOf = (urn: string) => {
    const ids = identities(urn).filter((v) => groupsOfUnit.has(v));
    return q.barred.flatMap((set, b) => (ids.every((v) => set.includes(v)) ? [b] : []));
  };
  const heldBarred = [...heldValid.keys()].filter((urn) => reachOf(urn).groups.length > 0).map(barredOf);
  const barredCands: number[][] = q.barred.map(() => []);
  cands.forEach((c, j) => {
    for (const b of barredOf(c.unit.urn)) barredCands[b].push(j);
  });
  const byValueDesc = (js: number[]) => js.sort((a, b) => cands[b].value - cands[a].value || a - b);
  const groupCands: number[][] = groups.map((_, g) =>
    byValueDesc(cands.flatMap((c, j) => (c.groups.includes(g) ? [j] : []))),
  );
  const placeCands: number[][] = Array.from({ length: P }, (_, p) =>
    cands.flatMap((c, j) => (c.places.includes(p) ? [j] : [])),
  );
  const allDesc = byValueDesc(cands.map((_, j) => j));
  /** Candidates that can go to several groups: chosen, they are flexible items. */
  const multiGroup = cands.flatMap((c, j) => (c.groups.length > 1 ? [j] : []));
  // A flexible item that reaches a group only by standing for other units gives that group
  // nothing while each of those units is itself held or chosen, can count only as itself, and
  // is worth at least as much (and is as high): they would share one place (two credits never
  // stand for the same unit), and an allocation with the item there does as well with that
  // unit instead. Barred sets are left out: their own step handles them. shadowsOf(urn): such
  // groups, each with the units the item stands for there.
  const candIndex = new Map(cands.map((c, j) => [c.unit.urn, j]));
  const selfOnly = (v: string) => !barredUnits.has(v) && identities(v).every((w) => w === v || !groupsOfUnit.has(w));
  const shadowsOf = (urn: string): { g: number; via: string[] }[] => {
    const ids = identities(urn);
    if (ids.some((v) => barredUnits.has(v))) return [];
    const out: { g: number; via: string[] }[] = [];
    for (const g of reachOf(urn).groups) {
      if (groups[g].units.includes(urn)) continue;
      const via = ids.filter((v) => v !== urn && (groupsOfUnit.get(v) ?? []).includes(g));
      if (via.length > 0 && via.every(selfOnly)) out.push({ g, via });
    }
    return out;
  };
  const heldShadows = heldItems.map((h) => (h.groups.length > 1 ? shadowsOf(h.urn) : []));
  const candShadows = cands.map((c) => (c.groups.length > 1 ? shadowsOf(c.unit.urn) : []));
  const takes = (v: string, value: number, high: boolean): boolean => {
    const h = heldValid.get(v);
    if (h && h.value >= value && (h.high || !high)) return true;
    const j = candIndex.get(v);
    return j !== undefined && status[j] === 1 && cands[j].value >= value && (cands[j].high || !high);
  };

  // Tables over the candidates from position p of a search order on (p = 0 ... n), group by group
  // and overall: at a node of the walk the undecided units are those from its position on (less
  // a few forced in, which the tables still count: a relaxation).
  const groupTotal = groupCands.map((js) => js.reduce((s, j) => s + cands[j].value, 0));
  const groupMax = groupCands.map((js) => (js.length > 0 ? cands[js[0]].value : 0));
  const totalValue = cands.reduce((s, c) => s + c.value, 0);
  const tablesFor = (order: number[]) => {
    const sum = groups.map(() => new Array<number>(n + 1).fill(0));
    const high = groups.map(() => new Array<number>(n + 1).fill(0));
    const table: SumTable[][] = groups.map(() => new Array<SumTable>(n + 1));
    const groupBits: Uint32Array[][] = groups.map(() => new Array<Uint32Array>(n + 1));
    groups.forEach((grp, g) => {
      const top = Math.min(groupTotal[g], (grp.minCredits ?? 0) + groupMax[g] * ((grp.minUnits ?? 0) + 1) + SLACK);
      table[g][n] = emptyTable(top);
      groupBits[g][n] = new Uint32Array((groupTotal[g] >>> 5) + 1);
      groupBits[g][n][0] = 1;
      for (let p = n - 1; p >= 0; p--) {
        const c = cands[order[p]];
        const here = c.groups.includes(g);
        sum[g][p] = sum[g][p + 1] + (here ? c.value : 0);
        high[g][p] = high[g][p + 1] + (here && c.high ? c.value : 0);
        table[g][p] = here ? tableWith(table[g][p + 1], c.value) : table[g][p + 1];
        groupBits[g][p] = here ? withValue(groupBits[g][p + 1], c.value) : groupBits[g][p + 1];
      }
    });
    const bits = new Array<Uint32Array>(n + 1);
    const highBits = new Array<Uint32Array>(n + 1);
    bits[n] = new Uint32Array((totalValue >>> 5) + 1);
    bits[n][0] = 1;
    highBits[n] = bits[n];
    for (let p = n - 1; p >= 0; p--) {
      const c = cands[order[p]];
      bits[p] = withValue(bits[p + 1], c.value);
      highBits[p] = c.high ? withValue(highBits[p + 1], c.value) : highBits[p + 1];
    }
    return { order, sum, high, table, groupBits, bits, highBits };
  };
  // Dearest first (the walk that finds the optimum), and URN order (the one that breaks ties).
  // Units with the same credit keep URN order in both, as the rule for interchangeable units needs.
  const byCredit = tablesFor(allDesc);
  const byUrn = tablesFor(cands.map((_, j) => j));
  let tab = byCredit;
  const leastSum = (bits: Uint32Array, target: number) => {
    if (target <= 0) return 0;
    const s = firstSetBit(bits, target, totalValue);
    return s < 0 ? Infinity : s;
  };

  // ---- search state: what the learner holds plus the units chosen so far ----
  // A "single" item can go to one group only: its credits can count there or nowhere, under that
  // group's cap and unit maximum. The others ("flexible") might count in any of their groups.
  const single = new Array<number>(G).fill(0);
  const singleHigh = new Array<number>(G).fill(0);
  const singleCount = new Array<number>(G).fill(0);
  const heldSingle: number[][] = groups.map(() => []); // held single items' credits, largest first
  const heldSingleHigh: number[][] = groups.map(() => []);
  const flexAvail = new Array<number>(G).fill(0); // credits flexible items could bring to the group
  const unitsAvail = new Array<number>(G).fill(0); // items that could count as a unit in the group
  const cover = new Int32Array(P); // items that could fill each mandatory place
  let flex = 0; // credits of flexible items, exemptions included, each counted once
  let flexHigh = 0;
  const heldFlex: FlexItem[] = [];
  const heldByPlace: number[][] = Array.from({ length: P }, () => []);
  heldItems.forEach((h, i) => {
    if (h.groups.length === 1) {
      const g = h.groups[0];
      single[g] += h.value;
      singleCount[g]++;
      heldSingle[g].push(h.value);
      if (h.high) {
        singleHigh[g] += h.value;
        heldSingleHigh[g].push(h.value);
      }
    } else {
      flex += h.value;
      if (h.high) flexHigh += h.value;
      for (const g of h.groups) flexAvail[g] += h.value;
      heldFlex.push({ key: i, value: h.value, high: h.high, groups: h.groups, credits: h.groups.map(() => h.value) });
    }
    for (const g of h.groups) unitsAvail[g]++;
    for (const p of h.places) {
      cover[p]++;
      heldByPlace[p].push(i);
    }
  });
  for (const list of [...heldSingle, ...heldSingleHigh]) list.sort((a, b) => b - a);
  const heldExemptions = new Set(input.exemptions ?? []);
  const groupIndex = new Map(groups.map((g, i) => [g.id, i]));
  for (const name of new Set(q.exemptions.map((e) => e.name))) {
    if (!heldExemptions.has(name)) continue;
    const most = new Map<number, number>();
    for (const e of q.exemptions) {
      const g = groupIndex.get(e.group);
      if (e.name === name && g !== undefined) most.set(g, Math.max(most.get(g) ?? 0, e.credits));
    }
    if (most.size === 0) continue;
    flex += Math.max(...most.values());
    for (const [g, c] of most) flexAvail[g] += c;
    heldFlex.push({
      key: -1,
      value: Math.max(...most.values()),
      high: false,
      groups: [...most.keys()],
      credits: [...most.values()],
    });
  }

  const status = new Int8Array(n); // 0 undecided, 1 in the route, 2 left out
  let cost = 0;
  let count = 0;
  const apply = (j: number, d: 1 | -1) => {
    const c = cands[j];
    if (c.groups.length === 1) {
      const g = c.groups[0];
      single[g] += d * c.value;
      singleCount[g] += d;
      if (c.high) singleHigh[g] += d * c.value;
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

  /** Credits of the single items (high ones only, if asked) now in group g, plus `extra`, largest first. */
  const singlesDesc = (g: number, highOnly: boolean, extra: number[]): number[] => {
    const out = [...(highOnly ? heldSingleHigh[g] : heldSingle[g]), ...extra];
    for (const j of groupCands[g])
      if (status[j] === 1 && cands[j].groups.length === 1 && (!highOnly || cands[j].high)) out.push(cands[j].value);
    // Less those merged into barred-set items.
    for (const v of highOnly ? mergedHighValues[g] : mergedValues[g]) {
      const i = out.indexOf(v);
      if (i >= 0) out.splice(i, 1);
    }
    return out.sort((a, b) => b - a);
  };

  /** A mandatory place that nothing fills, with one undecided unit that can: that unit must come in. */
  const propagate = (): number[] => {
    const forced: number[] = [];
    for (let again = true; again;) {
      again = false;
      for (let p = 0; p < P; p++) {
        if (cover[p] > 0) continue;
        let only = -1;
        let open = 0;
        for (const j of placeCands[p]) {
          if (status[j] === 0) {
            open++;
            only = j;
          }
        }
        if (open !== 1) continue;
        status[only] = 1;
        apply(only, 1);
        forced.push(only);
        again = true;
      }
    }
    return forced;
  };
  const unforce = (forced: number[]) => {
    for (let i = forced.length - 1; i >= 0; i--) {
      apply(forced[i], -1);
      status[forced[i]] = 0;
    }
  };

  // ---- the bounds ----
  // What bound() leaves for units(), which is only asked right after it, about the same node.
  let lastCost = 0;
  let totalShort = 0;
  let levelShort = 0;
  let asked: { g: number; ask: GroupAsk; room: number; roomHigh: number }[] = [];
  let flexTo: number[] = []; // credits flexible items can bring to each group, pins applied
  let placings: number[][] = []; // for each way of placing the flexible items, what each asked group gets
  const roomOf = new Array<number>(G).fill(0); // credits new units can still add to a group's count
  const roomHighOf = new Array<number>(G).fill(0);
  const singleLess = new Array<number>(G).fill(0); // credits of single items merged into barred-set items
  const singleHighLess = new Array<number>(G).fill(0);
  const mergedValues: number[][] = groups.map(() => []);
  const mergedHighValues: number[][] = groups.map(() => []);
  const pinned = new Array<number>(G).fill(0); // credits of flexible items pinned to the group
  const pinnedHigh = new Array<number>(G).fill(0);
  const pinnedValues: number[][] = groups.map(() => []);
  const deficit = new Array<number>(G).fill(0); // credit minimum less what single items bring
  const leastOf = new Array<number>(G).fill(0); // least credit of new units meeting a group's own rules
  let failure: Failure | null = null;
  const fail = (f: Failure): number => {
    failure = f;
    return Infinity;
  };

  /**
   * A lower bound, over every way to complete the current partial route with undecided units,
   * on the extra credit still needed; Infinity when no completion can work. Each step is a
   * relaxation of the rules; docs/route-optimiser.md says why each is sound.
   */
  const bound = (from: number, enough = Infinity): number => {
    // The flexible items now: the learner's, and the chosen units that can go to several groups.
    let flexItems = heldFlex.slice();
    for (const j of multiGroup) {
      if (status[j] !== 1) continue;
      const c = cands[j];
      flexItems.push({
        key: -2 - j,
        value: c.value,
        high: c.high,
        groups: c.groups,
        credits: c.groups.map(() => c.value),
      });
    }
    let flexNow = flex;
    let flexHighNow = flexHigh;
    flexTo = flexAvail.slice();
    for (let i = 0; i < flexItems.length; i++) {
      const f = flexItems[i];
      const shadows = f.key >= 0 ? heldShadows[f.key] : f.key <= -2 && f.key > -2 - n ? candShadows[-2 - f.key] : null;
      if (!shadows || shadows.length === 0) continue;
      let left: { groups: number[]; credits: number[] } | null = null;
      for (const sh of shadows) {
        if (!sh.via.every((v) => takes(v, f.value, f.high))) continue;
        left ??= { groups: f.groups.slice(), credits: f.credits.slice() };
        const at = left.groups.indexOf(sh.g);
        if (at < 0) continue;
        flexTo[sh.g] -= left.credits[at];
        left.groups.splice(at, 1);
        left.credits.splice(at, 1);
      }
      if (left === null) continue;
      if (left.groups.length > 0) {
        flexItems[i] = { ...f, ...left };
      } else {
        // It can count nowhere that the units it stands for would not do better.
        flexNow -= f.value;
        if (f.high) flexHighNow -= f.value;
        flexItems.splice(i--, 1);
      }
    }
    singleLess.fill(0);
    singleHighLess.fill(0);
    for (let g = 0; g < G; g++) mergedValues[g].length = mergedHighValues[g].length = 0;
    // Of the items (held or chosen) bound to one barred set, at most one counts: they become one
    // flexible item worth the most of them, able to go to any of their groups.
    if (q.barred.length > 0) {
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
          if (status[j] === 1 && !merged.has(-2 - j)) {
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
            singleLess[g] += m.value;
            mergedValues[g].push(m.value);
            if (m.high) {
              singleHighLess[g] += m.value;
              mergedHighValues[g].push(m.value);
            }
          } else {
            flexNow -= m.value;
            if (m.high) flexHighNow -= m.value;
            for (const g of m.groups) flexTo[g] -= m.value;
          }
        }
        flexNow += virtual.value;
        if (virtual.high) flexHighNow += virtual.value;
        virtual.groups.forEach((g, i) => (flexTo[g] += virtual.credits[i]));
        flexItems = flexItems.filter((x) => !merged.has(x.key));
        flexItems.push(virtual);
      }
    }
    // A mandatory place that one item alone can fill, and no undecided unit can, pins that item:
    // it counts in that group or nowhere. One item cannot fill two such places.
    pinned.fill(0);
    pinnedHigh.fill(0);
    for (const list of pinnedValues) list.length = 0;
    const pinnedKeys = new Set<number>();
    for (let p = 0; p < P; p++) {
      if (cover[p] !== 1 || placeCands[p].some((j) => status[j] === 0)) continue;
      const key = heldByPlace[p].length > 0 ? heldByPlace[p][0] : -2 - placeCands[p].find((j) => status[j] === 1)!;
      if (pinnedKeys.has(key)) return fail({ kind: 'place-twice', place: p });
      pinnedKeys.add(key);
      const f = flexItems.find((x) => x.key === key);
      if (!f) continue; // a single item: it can only go there anyway
      const g = placeGroup[p];
      flexNow -= f.value;
      if (f.high) {
        flexHighNow -= f.value;
        pinnedHigh[g] += f.value;
      }
      f.groups.forEach((gg, i) => (flexTo[gg] -= f.credits[i]));
      pinned[g] += f.value;
      pinnedValues[g].push(f.value);
    }

    let groupCost = 0; // least credit of new units meeting every group's own rules, flexible items offered to all
    let coveredByAsks = 0; // what those credits can count towards the total, and the level rule
    let coveredHighByAsks = 0;
    let roomForTotal = 0;
    let roomForLevel = 0;
    let base = 0; // what single items count towards the total, and the level rule
    let baseHigh = 0;
    asked = [];
    leastOf.fill(0);
    for (let g = 0; g < G; g++) {
      const grp = groups[g];
      const minCredits = grp.minCredits ?? 0;
      const maxUnits = grp.maxUnits ?? Infinity;
      // Credits the single items can count here. Under a unit maximum only the best of them
      // count, and each one counted takes a place the new units could use: needs[k] is what new
      // units must bring when k of them count.
      let mine = single[g] - singleLess[g] + pinned[g];
      let mineHigh = singleHigh[g] - singleHighLess[g] + pinnedHigh[g];
      let needs = [Math.max(0, minCredits - mine)];
      if (maxUnits < Infinity) {
        const list = singlesDesc(g, false, pinnedValues[g]);
        mine = sumFirst(list, maxUnits);
        mineHigh = sumFirst(singlesDesc(g, true, pinnedHigh[g] > 0 ? pinnedValues[g] : []), maxUnits);
        needs = [];
        for (let k = 0, sum = 0; k <= Math.min(maxUnits, list.length); sum += list[k++])
          needs.push(Math.max(0, minCredits - sum));
      }
      deficit[g] = Math.max(0, minCredits - mine);
      const room = cap[g] - Math.min(cap[g], mine);
      const roomHigh = Math.min(cap[g] - Math.min(cap[g], mineHigh), tab.high[g][from]);
      roomOf[g] = room;
      roomHighOf[g] = roomHigh;
      base += Math.min(cap[g], mine);
      baseHigh += Math.min(cap[g], mineHigh);
      roomForTotal += Math.min(room, tab.sum[g][from]);
      roomForLevel += roomHigh;

      const unitsNeeded = Math.max(0, (grp.minUnits ?? 0) - unitsAvail[g]);
      let placeCost = 0;
      let placeCount = 0;
      for (const p of placesOfGroup[g]) {
        if (cover[p] > 0) continue;
        let cheapest = Infinity;
        for (const j of placeCands[p]) if (status[j] === 0 && cands[j].value < cheapest) cheapest = cands[j].value;
        if (cheapest === Infinity) return fail({ kind: 'place', place: p });
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
      asked.push({ g, ask, room, roomHigh });
      const least = leastFor(ask, flexTo[g]);
      if (least === Infinity) return fail({ kind: 'group', group: g });
      const m = Math.max(least, placeCost);
      leastOf[g] = m;
      groupCost += m;
      coveredByAsks += Math.min(m, room);
      coveredHighByAsks += Math.min(m, roomHigh);
    }
    totalShort = q.totalCredits - flexNow - base;
    levelShort = levelRule ? levelRule.credits - flexHighNow - baseHigh : 0;
    if (totalShort > roomForTotal) return fail({ kind: 'total', most: q.totalCredits - totalShort + roomForTotal });
    if (levelShort > roomForLevel) return fail({ kind: 'level', most: levelRule!.credits - levelShort + roomForLevel });
    let lb = groupCost + Math.max(0, totalShort - coveredByAsks, levelShort - coveredHighByAsks);

    // A flexible item counts in one group only, yet above it was offered to each of its groups.
    // When few of them touch groups that ask for something, try every way of giving each to one
    // of those groups, and keep the cheapest.
    const offers = pinnedKeys.size > 0 ? flexItems.filter((x) => !pinnedKeys.has(x.key)) : flexItems;
    const where = new Array<number>(G).fill(-1);
    asked.forEach((x, i) => (where[x.g] = i));
    const choices = offers
      .map((o) => o.groups.flatMap((g, i) => (where[g] >= 0 ? [{ to: where[g], credits: o.credits[i] }] : [])))
      .filter((c) => c.length > 0);
    let ways = 1;
    for (const c of choices) ways *= c.length;
    placings = [];
    if (choices.length > 0 && ways <= MAX_WAYS) {
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
        placings.push(given.slice());
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
      lb = Math.max(lb, cheapest);
    }
    // In any case, what the flexible items cannot cover of the groups' deficits between them
    // (a max-flow, each item split freely between its groups) new units must.
    let deficits = 0;
    for (const d of deficit) deficits += d;
    if (deficits > 0) lb = Math.max(lb, deficits - (offers.length > 0 ? transport(offers, deficit) : 0));
    // Level credits come from high-level units only; and the credit of new units is a sum that
    // the undecided units can actually make.
    lb = Math.max(lb, leastSum(tab.highBits[from], levelShort));
    // When the total asks for more than the groups' own rules bring, spend the rest where it can
    // count: for each group a sum its undecided units can make, at least what its own rules take,
    // counting up to its room. best[t]: least credit, group by group, counting t towards the total.
    if (totalShort > coveredByAsks && lb <= enough) {
      const T = totalShort;
      // Groups that take part, and what those from each one on can count at most: a state that
      // cannot reach T even so is dropped. So is a state that costs more than `enough` once the
      // credits it still lacks are paid for at one credit each: the search only needs to know
      // that the bound exceeds `enough`, and enough + 1 is then a lower bound as good as any.
      const takers: number[] = [];
      for (let g = 0; g < G; g++)
        if (!(leastOf[g] === 0 && (roomOf[g] === 0 || tab.sum[g][from] === 0))) takers.push(g);
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
      lb = Math.max(lb, best[T] !== NONE ? best[T] : enough === Infinity ? Infinity : enough + 1);
    }
    lb = leastSum(tab.bits[from], lb);
    if (lb === Infinity) return fail({ kind: 'together' });
    lastCost = lb;
    return lb;
  };

  /**
   * A lower bound on the units still needed by a completion of the node bound() last looked at
   * that costs at most r; the search only needs to know whether it reaches `limit`.
   */
  const units = (r: number, limit: number): number => {
    // Undecided credits, largest first, overall and group by group.
    const rem: number[] = [];
    for (const j of allDesc) if (status[j] === 0) rem.push(cands[j].value);
    let k = fewestToReach(rem, lastCost);
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
    const waste = r - totalShort;
    const forTotal =
      waste <= EXACT_WASTE
        ? fewestPaying(r, waste, limit, valuesOf, askedOf)
        : fewestCounting(totalShort, limit, valuesOf, roomOf, askedOf);
    return Math.max(k, forTotal, fewestCounting(levelShort, limit, highValuesOf, roomHighOf, null));
  };

  /**
   * Fewest new units (up to `limit`) whose counted credits reach `target`, where group g counts
   * at most its room, k of its units count at most its k largest, and it takes at least the
   * units its own rules ask (units may be reused across groups). most[k]: the most credits k
   * units can count, group by group.
   */
  const fewestCounting = (
    target: number,
    limit: number,
    valuesOf: number[][],
    room: number[],
    askedOf: (UnitsAsked | null)[] | null,
  ): number => {
    if (target <= 0) return 0;
    let most = new Array<number>(limit + 1).fill(-Infinity);
    most[0] = 0;
    for (let g = 0; g < G; g++) {
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
  };

  /**
   * Fewest new units (up to `limit`) for a completion that costs at most r, wastes at most
   * `waste` credits (paid for but not counted, so r - waste credits count towards the total)
   * and meets each group's own rules. Exact sums group by group (units may be reused across
   * groups): fewest[s] = fewest units of the group making exactly s; best[c][w] = fewest units,
   * group by group, costing c and wasting w.
   */
  const fewestPaying = (
    r: number,
    waste: number,
    limit: number,
    valuesOf: number[][],
    askedOf: (UnitsAsked | null)[],
  ): number => {
    const width = waste + 1;
    const NONE = 1 << 30;
    let best = new Int32Array((r + 1) * width).fill(NONE);
    best[0] = 0;
    for (let g = 0; g < G; g++) {
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
  };

  // ---- 3. can it be done at all? ----
  // The bound at the root, with every unit open, may prove cheaply that it cannot (where the
  // evaluator would search every allocation of every unit to say so). Either way the evaluator,
  // given every unit, says what stays unmet.
  const rootForced = propagate();
  const possible = bound(0) < Infinity;
  unforce(rootForced);
  if (!possible) {
    const all = run(usable, EXPLAIN_NODES);
    return {
      reachable: false,
      reason: 'rules-cannot-be-met',
      message: `${q.qan} cannot be achieved with the units available: ${describe(failure!, groups, placeGroup, placeUnit, catalogue, q)}`,
      missing: all.unmet,
      evaluation: all,
      exhaustive: true,
      skipped,
      stats,
    };
  }
  const all = run(usable);
  if (!all.achieved) {
    const limited = !all.exhaustive;
    return {
      reachable: false,
      reason: limited ? 'search-limit' : 'rules-cannot-be-met',
      message: limited
        ? `could not decide whether ${q.qan} can be achieved: the evaluator reached its node limit with every available unit`
        : `${q.qan} cannot be achieved with the units available: ${explain(all, obtainable, catalogue)}`,
      missing: all.unmet,
      evaluation: all,
      exhaustive: proven,
      skipped,
      stats,
    };
  }

  // ---- 4. the search ----
  // Evaluations of routes, by their units in URN order: the route returned reuses its own.
  const achievedCache = new Map<string, Evaluation>();
  const achieves = (route: number[]): boolean => {
    const sorted = [...route].sort((x, y) => x - y);
    const key = sorted.join(',');
    let ev = achievedCache.get(key);
    if (ev === undefined) {
      ev = run(sorted.map((j) => cands[j].unit));
      achievedCache.set(key, ev);
    }
    return ev.achieved;
  };
  let best = null as { cost: number; count: number; route: number[] } | null;
  let target = null as { cost: number; count: number } | null; // phase 2: the optimum to match
  let lexFirst = null as number[] | null;
  let budget = 0;
  let nextBudget = Infinity;
  let aborted = false;

  /**
   * The walk, from position `from` of the current order. Phase 1 (no target): iterative
   * deepening on credit, then branch and bound on (credit, units). Phase 2 (target): the first
   * route in URN order with the target's credit and units.
   */
  const dfs = (from: number): void => {
    stats.nodes++;
    if (stats.nodes + stats.evaluatorNodes > maxNodes) {
      aborted = true;
      return;
    }
    const forced = propagate();
    const limit = target ? target.cost : best ? best.cost : budget;
    let lb = bound(from, limit - cost);
    let unitsLb = units;
    const cut = (): boolean => {
      const f = cost + lb;
      if (target)
        return f > target.cost || count + unitsLb(target.cost - cost, target.count - count + 1) > target.count;
      if (best === null) {
        if (f <= budget) return false;
        nextBudget = Math.min(nextBudget, f);
        return true;
      }
      return f > best.cost || (f === best.cost && count + unitsLb(best.cost - cost, best.count - count) >= best.count);
    };
    let done = cut();
    if (!done && lb === 0) {
      // The relaxation cannot tell: ask the evaluator.
      const route = cands.flatMap((_, j) => (status[j] === 1 ? [j] : []));
      if (achieves(route)) {
        if (target) lexFirst = route;
        else best = { cost, count, route };
        done = true;
      } else {
        // At least one more unit is needed.
        lb = Infinity;
        for (let p = from; p < n; p++) if (status[tab.order[p]] === 0) lb = Math.min(lb, cands[tab.order[p]].value);
        unitsLb = () => 1;
        done = cut();
      }
    }
    for (let p = from; !done && p < n; p++) {
      const j = tab.order[p];
      if (status[j] !== 0) continue;
      const twin = cands[j].twinPrev;
      if (twin < 0 || status[twin] === 1) {
        status[j] = 1;
        apply(j, 1);
        dfs(p + 1);
        apply(j, -1);
      }
      if (!aborted && !lexFirst) {
        status[j] = 2;
        dfs(p + 1);
      }
      status[j] = 0;
      break;
    }
    unforce(forced);
  };

  // Phase 1, dearest units first, finds the least credit and then the fewest units. Budgets: the
  // first pass (budget 0) stops at the root and so measures the root bound, which is the next
  // budget. While no route fits, the next budget is at least the least value that went over, and
  // widens the gap above the root bound 1, 3, 7, 15... so that a weak bound costs few passes. The
  // pass that finds a route finishes as branch and bound: routes as cheap must have fewer units.
  let rootBound = -1;
  while (!best && !aborted && budget < Infinity) {
    stats.passes++;
    nextBudget = Infinity;
    dfs(0);
    if (rootBound < 0) rootBound = budget = nextBudget;
    else budget = Math.max(nextBudget, rootBound + 2 * (budget - rootBound) + 1);
  }
  // Phase 2, in URN order, finds the first route with that credit and that many units: the
  // lexicographically smallest of the optimal routes. (Phase 1's route is one of them, so there
  // is one to find; if the node bound stops phase 2, phase 1's route stands, unproven as to ties.)
  if (best && !aborted) {
    stats.passes++;
    target = { cost: best.cost, count: best.count };
    tab = byUrn;
    dfs(0);
  }

  let route: number[];
  if (lexFirst) {
    route = lexFirst;
  } else if (best) {
    route = [...best.route].sort((x, y) => x - y);
  } else {
    // The node bound stopped the search before any route was found: start from every unit and
    // drop, dearest first, the ones the evaluator can do without (a few tries only).
    route = cands.map((_, j) => j);
    for (const j of allDesc.slice(0, FALLBACK_DROPS)) {
      const without = route.filter((x) => x !== j);
      if (run(without.map((x) => cands[x].unit)).achieved) route = without;
    }
  }
  const add = route.map((j) => cands[j].unit);
  const evaluation = achievedCache.get(route.join(','))?.achieved ? achievedCache.get(route.join(','))! : run(add);
  const planned = new Set(add.map((u) => plannedId.get(u.urn)!));
  const groupsFilled = groups.flatMap((g) => {
    const here = evaluation.allocation
      .filter((a) => a.group === g.id && planned.has(a.creditId))
      .map((a) => a.urn)
      .sort();
    return here.length > 0 ? [{ group: g.id, units: here }] : [];
  });
  return {
    reachable: true,
    alreadyAchieved: false,
    add,
    extraCredits: add.reduce((s, u) => s + u.credit, 0),
    extraUnits: add.length,
    evaluation,
    groupsFilled,
    exhaustive: proven && !aborted && lexFirst !== null,
    skipped,
    stats,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

function unitName(catalogue: ReadonlyMap<string, Unit>, urn: string): string {
  const u = catalogue.get(urn);
  return u ? `${urn} (${u.title})` : urn;
}

/** Why the bound says the qualification is out of reach, in words. */
function describe(
  f: Failure,
  groups: RuleGroup[],
  placeGroup: number[],
  placeUnit: string[],
  catalogue: ReadonlyMap<string, Unit>,
  q: Qualification,
): string {
  switch (f.kind) {
    case 'place':
      return `mandatory unit ${unitName(catalogue, placeUnit[f.place])} of group ${groups[placeGroup[f.place]].id} is neither held nor available`;
    case 'place-twice':
      return `mandatory unit ${unitName(catalogue, placeUnit[f.place])} of group ${groups[placeGroup[f.place]].id} can only be filled by a unit that must fill another mandatory place`;
    case 'group': {
      const g = groups[f.group];
      const rules = [
        g.minCredits !== undefined && `${g.minCredits} credits`,
        g.minUnits !== undefined && `${g.minUnits} units`,
      ].filter(Boolean);
      const within = g.maxUnits !== undefined ? ` within ${g.maxUnits} units` : '';
      return `group ${g.id} cannot reach ${rules.join(' and ') || 'its minimum'}${within} with the units held and available`;
    }
    case 'total':
      return `the qualification needs ${q.totalCredits} credits; the units held and available can count at most ${f.most}`;
    case 'level':
      return `the qualification needs ${q.minCreditsAtLevel!.credits} credits at level ${q.minCreditsAtLevel!.level} or above; the units held and available can count at most ${f.most}`;
    default:
      return 'the units held and available cannot meet the group minimums, the total and the level rule together';
  }
}

/**
 * Why the qualification stays out of reach, in words, from the evaluation with every unit.
 * `obtainable(v)`: some held or available unit can stand for unit v.
 */
function explain(ev: Evaluation, obtainable: (v: string) => boolean, catalogue: ReadonlyMap<string, Unit>): string {
  const parts: string[] = [];
  for (const u of ev.unmet) {
    const g = ev.groups.find((x) => x.id === u.group);
    if (u.rule === 'mandatory') {
      const absent = g!.missingUnits.filter((v) => !obtainable(v));
      const blocked = g!.missingUnits.filter((v) => obtainable(v));
      if (absent.length > 0) {
        parts.push(
          `mandatory unit(s) ${absent.map((v) => unitName(catalogue, v)).join(', ')} of group ${g!.id} neither held nor available`,
        );
      }
      if (blocked.length > 0) {
        parts.push(
          `mandatory unit(s) ${blocked.map((v) => unitName(catalogue, v)).join(', ')} of group ${g!.id} cannot count alongside the other units (a barred combination, a unit maximum or a unit needed elsewhere)`,
        );
      }
    } else if (u.rule === 'group-min-credits') {
      parts.push(
        `group ${g!.id} cannot reach ${g!.minCredits} credits with the units held and available (best allocation: ${g!.credits})`,
      );
    } else if (u.rule === 'group-min-units') {
      parts.push(
        `group ${g!.id} cannot reach ${g!.minUnits} units with the units held and available (best allocation: ${g!.units})`,
      );
    } else if (u.rule === 'total-credits') {
      parts.push(
        `the qualification needs ${ev.totalRequired} credits; with every available unit the best allocation counts ${ev.totalCredits}`,
      );
    } else {
      const l = ev.creditsAtLevel!;
      parts.push(
        `the qualification needs ${l.required} credits at level ${l.level} or above; with every available unit the best allocation counts ${l.counted}`,
      );
    }
  }
  return parts.join('; ');
}
