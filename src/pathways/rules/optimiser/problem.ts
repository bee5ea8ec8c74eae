/**
 * The optimiser's problem, built once per call and never changed by the search: the rules
 * indexed as the evaluator reads them (groups, mandatory places, equivalences), the learner's
 * valid credits, the usable available units as candidates, and the subset-sum tables over the
 * candidates for each suffix of the two search orders.
 */
import { yearsBefore } from '../../../catalogue/rules/roc/index.js';
import { levelRank } from '../../../catalogue/model.js';
import type { Qualification, RuleGroup, Unit } from '../../../catalogue/model.js';
import { emptyTable, tableWith, withValue } from './subset-sums.js';
import type { SumTable } from './subset-sums.js';
import { SLACK } from './types.js';
import type { Candidate, RouteInput, SkipReason, Skipped } from './types.js';

/** Where a unit can count: its groups and the mandatory places it can fill. */
export interface Reach {
  groups: number[];
  places: number[];
}

/** The rules of one qualification, indexed. */
export interface RuleIndex {
  q: Qualification;
  groups: RuleGroup[];
  G: number;
  groupsOfUnit: Map<string, number[]>;
  /** One place per (mandatory group, unit), keyed `${group}|${urn}`. */
  placeIndex: Map<string, number>;
  placesOfGroup: number[][];
  placeGroup: number[];
  placeUnit: string[];
  P: number;
  /** The unit and every unit it can stand for, following chains of equivalences. */
  identities: (urn: string) => string[];
  inEquivalence: Set<string>;
  barredUnits: Set<string>;
  levelRule: Qualification['minCreditsAtLevel'];
  /** Rank of the level rule's level; Infinity without one. */
  floor: number;
  /** Each group's credit maximum (Infinity without one). */
  cap: number[];
  reachOf: (urn: string) => Reach;
}

export function indexRules(q: Qualification, globalEquivalences: RouteInput['globalEquivalences']): RuleIndex {
  const groups: RuleGroup[] = q.groups.map((g) => ({ ...g, units: [...new Set(g.units)] }));
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
  const equivalences = [...q.equivalences, ...(globalEquivalences ?? [])];
  const equivalentTo = new Map<string, string[]>();
  for (const e of equivalences) equivalentTo.set(e.from, [...(equivalentTo.get(e.from) ?? []), e.to]);
  const identities = (urn: string): string[] => {
    const seen = [urn];
    for (let i = 0; i < seen.length; i++) {
      for (const next of equivalentTo.get(seen[i]) ?? []) if (!seen.includes(next)) seen.push(next);
    }
    return seen;
  };
  const reached = new Map<string, Reach>();
  const reachOfUnit = (urn: string): Reach => {
    const options = identities(urn).flatMap((v) =>
      (groupsOfUnit.get(v) ?? []).map((g) => ({ g, place: placeIndex.get(`${g}|${v}`) ?? -1 })),
    );
    return {
      groups: [...new Set(options.map((o) => o.g))],
      places: [...new Set(options.flatMap((o) => (o.place >= 0 ? [o.place] : [])))],
    };
  };
  const reachOf = (urn: string): Reach => {
    let r = reached.get(urn);
    if (r === undefined) reached.set(urn, (r = reachOfUnit(urn)));
    return r;
  };
  const levelRule = q.minCreditsAtLevel;
  return {
    q,
    groups,
    G: groups.length,
    groupsOfUnit,
    placeIndex,
    placesOfGroup,
    placeGroup,
    placeUnit,
    P: placeIndex.size,
    identities,
    inEquivalence: new Set(equivalences.flatMap((e) => [e.from, e.to])),
    barredUnits: new Set(q.barred.flat()),
    levelRule,
    floor: levelRule ? levelRank(levelRule.level) : Infinity,
    cap: groups.map((g) => g.maxCredits ?? Infinity),
    reachOf,
  };
}

/** A unit the learner holds a valid credit for: its best value, and whether any credit is high. */
export interface HeldUnit {
  value: number;
  high: boolean;
}

/** The start of the validity period (credit on or before it has expired), or null. */
export function validityCutoff(q: Qualification, date: string): string | null {
  return q.validityYears === undefined ? null : yearsBefore(date, q.validityYears);
}

/** The learner's valid credits, one entry per unit (the evaluator counts a unit once). */
export function heldUnits(input: RouteInput, rules: RuleIndex, cutoff: string | null): Map<string, HeldUnit> {
  const heldValid = new Map<string, HeldUnit>();
  for (const c of input.credits) {
    if (c.status === 'withdrawn' || c.awardDate > input.date || (cutoff !== null && c.awardDate <= cutoff)) continue;
    const u = input.units.get(c.urn);
    const value = u ? u.credit : c.credit;
    const high = levelRank(u ? u.level : c.level) >= rules.floor;
    const before = heldValid.get(c.urn);
    heldValid.set(c.urn, { value: Math.max(value, before?.value ?? 0), high: high || (before?.high ?? false) });
  }
  return heldValid;
}

/** The usable available units, in URN order; the others go to `skipped` with the reason. */
export function usableUnits(
  input: RouteInput,
  rules: RuleIndex,
  heldValid: ReadonlyMap<string, HeldUnit>,
  cutoff: string | null,
  skipped: Skipped[],
): Unit[] {
  const seen = new Set<string>();
  const usable: Unit[] = [];
  for (const urn of input.available) {
    if (seen.has(urn)) continue;
    seen.add(urn);
    const u = input.units.get(urn);
    let reason: SkipReason | null = null;
    if (!u) reason = 'not-in-catalogue';
    else if (!Number.isInteger(u.credit) || u.credit < 1) reason = 'bad-credit';
    else if (heldValid.has(urn)) reason = 'already-held';
    else if (rules.reachOf(urn).groups.length === 0) reason = 'not-in-qualification';
    else if (cutoff !== null && input.date <= cutoff) reason = 'would-expire';
    if (reason) skipped.push({ urn, reason });
    else usable.push(u!);
  }
  usable.sort((a, b) => (a.urn < b.urn ? -1 : 1));
  return usable;
}

/**
 * Subset-sum tables over the candidates from position p of a search order on (p = 0 ... n),
 * group by group and overall: at a node of the walk the undecided units are those from its
 * position on (less a few forced in, which the tables still count: a relaxation).
 */
export interface Tables {
  order: number[];
  /** sum[g][p], high[g][p]: credits (of high units) from p on that can go to group g. */
  sum: number[][];
  high: number[][];
  table: SumTable[][];
  groupBits: Uint32Array[][];
  bits: Uint32Array[];
  highBits: Uint32Array[];
}

/** A held unit that can count in this qualification, with where. */
export type HeldItem = { urn: string } & HeldUnit & Reach;

/** Who can fill what, and the tables: everything the search reads and never changes. */
export interface Problem extends RuleIndex {
  heldValid: ReadonlyMap<string, HeldUnit>;
  heldItems: HeldItem[];
  n: number;
  cands: Candidate[];
  candIndex: Map<string, number>;
  /** For each held item, the barred sets it is bound to. */
  heldBarred: number[][];
  /** For each barred set, the candidates bound to it. */
  barredCands: number[][];
  /** For each group, the candidates that can go there, dearest first. */
  groupCands: number[][];
  /** For each mandatory place, the candidates that can fill it. */
  placeCands: number[][];
  /** Every candidate, dearest first. */
  allDesc: number[];
  /** Candidates that can go to several groups: chosen, they are flexible items. */
  multiGroup: number[];
  heldShadows: Shadow[][];
  candShadows: Shadow[][];
  groupTotal: number[];
  groupMax: number[];
  totalValue: number;
  /** Tables for the walk dearest first (it finds the optimum) and in URN order (it breaks ties). */
  byCredit: Tables;
  byUrn: Tables;
}

/** A group a flexible item reaches only by standing for other units, with those units. */
export interface Shadow {
  g: number;
  via: string[];
}

function candidatesOf(rules: RuleIndex, usable: Unit[]): Candidate[] {
  const twinLast = new Map<string, number>();
  return usable.map((u, j) => {
    const { groups: gs, places } = rules.reachOf(u.urn);
    const high = levelRank(u.level) >= rules.floor;
    let twinPrev = -1;
    if (places.length === 0 && !rules.barredUnits.has(u.urn) && !rules.inEquivalence.has(u.urn)) {
      const key = `${gs.join(',')}|${u.credit}|${high}`;
      twinPrev = twinLast.get(key) ?? -1;
      twinLast.set(key, j);
    }
    return { unit: u, value: u.credit, high, groups: gs, places, twinPrev };
  });
}

/**
 * A flexible item that reaches a group only by standing for other units gives that group
 * nothing while each of those units is itself held or chosen, can count only as itself, and
 * is worth at least as much (and is as high): they would share one place (two credits never
 * stand for the same unit), and an allocation with the item there does as well with that
 * unit instead. Barred sets are left out: their own step handles them. Such groups of `urn`,
 * each with the units the item stands for there.
 */
function shadowsOf(rules: RuleIndex, urn: string): Shadow[] {
  const { groups, groupsOfUnit, barredUnits, identities } = rules;
  const selfOnly = (v: string) => !barredUnits.has(v) && identities(v).every((w) => w === v || !groupsOfUnit.has(w));
  const ids = identities(urn);
  if (ids.some((v) => barredUnits.has(v))) return [];
  const out: Shadow[] = [];
  for (const g of rules.reachOf(urn).groups) {
    if (groups[g].units.includes(urn)) continue;
    const via = ids.filter((v) => v !== urn && (groupsOfUnit.get(v) ?? []).includes(g));
    if (via.length > 0 && via.every(selfOnly)) out.push({ g, via });
  }
  return out;
}

function suffixTables(
  groups: RuleGroup[],
  cands: Candidate[],
  order: number[],
  shape: { groupTotal: number[]; groupMax: number[]; totalValue: number },
): Tables {
  const n = cands.length;
  const { groupTotal, groupMax, totalValue } = shape;
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
}

/** Items: where each held unit and each candidate can go; and the tables. */
export function buildProblem(rules: RuleIndex, heldValid: ReadonlyMap<string, HeldUnit>, usable: Unit[]): Problem {
  const { q, groups, identities, groupsOfUnit, reachOf } = rules;
  const heldItems = [...heldValid.entries()]
    .map(([urn, h]) => ({ urn, ...h, ...reachOf(urn) }))
    .filter((h) => h.groups.length > 0);
  const cands = candidatesOf(rules, usable);
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
  const placeCands: number[][] = Array.from({ length: rules.P }, (_, p) =>
    cands.flatMap((c, j) => (c.places.includes(p) ? [j] : [])),
  );
  const allDesc = byValueDesc(cands.map((_, j) => j));
  const shape = {
    groupTotal: groupCands.map((js) => js.reduce((s, j) => s + cands[j].value, 0)),
    groupMax: groupCands.map((js) => (js.length > 0 ? cands[js[0]].value : 0)),
    totalValue: cands.reduce((s, c) => s + c.value, 0),
  };
  return {
    ...rules,
    heldValid,
    heldItems,
    n: cands.length,
    cands,
    candIndex: new Map(cands.map((c, j) => [c.unit.urn, j])),
    heldBarred,
    barredCands,
    groupCands,
    placeCands,
    allDesc,
    multiGroup: cands.flatMap((c, j) => (c.groups.length > 1 ? [j] : [])),
    heldShadows: heldItems.map((h) => (h.groups.length > 1 ? shadowsOf(rules, h.urn) : [])),
    candShadows: cands.map((c) => (c.groups.length > 1 ? shadowsOf(rules, c.unit.urn) : [])),
    ...shape,
    // Units with the same credit keep URN order in both, as the rule for interchangeable units needs.
    byCredit: suffixTables(groups, cands, allDesc, shape),
    byUrn: suffixTables(
      groups,
      cands,
      cands.map((_, j) => j),
      shape,
    ),
  };
}
