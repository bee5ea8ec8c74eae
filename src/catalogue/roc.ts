/**
 * Rules of Combination evaluator (SPEC section 3.1). Pure: data in, data out, no I/O.
 *
 * The question "has this learner achieved this qualification on this date?" is a search:
 * the learner has achieved it when SOME allocation of their valid credits to the
 * qualification's rule groups meets every rule. A greedy allocation in a fixed order is
 * not enough (a unit listed in two groups, or in a barred set, can be put in the wrong
 * place), so this module runs an exact, deterministic branch-and-bound search.
 *
 * Outline:
 *  1. Sort the learner's credits into valid candidates and excluded ones (withdrawn,
 *     after the date, expired, not in the qualification, a duplicate of a better credit).
 *  2. Turn every candidate credit, and every exemption the learner holds, into an "item"
 *     with its possible "options" (group, unit it counts as).
 *  3. Fix without branching every item that has one option and competes with nothing
 *     (placing it can only help). Break symmetry between interchangeable items, and
 *     between single-group items of a group whose unit maximum binds (only the biggest
 *     credits of each level class are worth trying).
 *  4. Branch over the rest, depth first, pruning with sound bounds (a max-flow relaxation
 *     for credits, per-rule feasibility for the rest) and skipping "leave it out" where
 *     placing the item can only help. Keep the best allocation found (fewest unmet rules,
 *     then most counted credits); stop at the first that meets every rule.
 *
 * docs/roc-semantics.md states the semantics in plain English.
 */
import { levelRank } from './model.js';
import type { Equivalence, LearnerCredit, Level, Qualification, Unit } from './model.js';

/** Search nodes allowed before the evaluator gives up and says so (`exhaustive: false`). */
export const DEFAULT_MAX_NODES = 100_000;

export interface EvaluationInput {
  qualification: Qualification;
  /** Catalogue units by URN: value, level and title of units. */
  units: ReadonlyMap<string, Unit>;
  /** The learner's credits. */
  credits: LearnerCredit[];
  /** Names of outside-QCF achievements the learner holds. */
  exemptions?: string[];
  /** Equivalences that hold everywhere (merged with qualification.equivalences). */
  globalEquivalences?: Equivalence[];
  /** Evaluation date, ISO YYYY-MM-DD. */
  date: string;
  /** Safety bound on search nodes; DEFAULT_MAX_NODES when absent. */
  maxNodes?: number;
}

export type ExclusionReason =
  'withdrawn' | 'after-date' | 'expired' | 'not-in-qualification' | 'duplicate-unit' | 'barred' | 'unused';

export type UnmetRule = 'mandatory' | 'group-min-credits' | 'group-min-units' | 'total-credits' | 'level-credits';

export interface AllocationEntry {
  creditId: string;
  /** The unit the learner was credited with. */
  urn: string;
  /** The qualification unit it stands for: differs from `urn` when via an equivalence. */
  countsAs: string;
  /** Id of the group it is allocated to. */
  group: string;
  /** Credit value of the unit. */
  credits: number;
  /** Credits that count in the group; below `credits` when the group's maximum caps it. */
  counted: number;
  /** Level of the unit. */
  level: Level;
  /** False only when the group's maximum number of units leaves this unit out. */
  unitCounted: boolean;
  /** The credit is under data challenge: it counts, but the reader should know. */
  challenged: boolean;
}

export interface ExemptionUse {
  name: string;
  group: string;
  credits: number;
  /** Credits that count in the group after its maximum. */
  counted: number;
}

export interface GroupProgress {
  id: string;
  title: string;
  mandatory: boolean;
  /** Counted credits, exemptions included. */
  credits: number;
  /** Counted units. */
  units: number;
  minCredits?: number;
  maxCredits?: number;
  minUnits?: number;
  maxUnits?: number;
  /** Units of a mandatory group that nothing fills. */
  missingUnits: string[];
  met: boolean;
}

export interface Exclusion {
  creditId: string;
  urn: string;
  reason: ExclusionReason;
}

export interface UnmetReason {
  rule: UnmetRule;
  group?: string;
  message: string;
}

export interface Evaluation {
  achieved: boolean;
  allocation: AllocationEntry[];
  exemptionsUsed: ExemptionUse[];
  groups: GroupProgress[];
  totalCredits: number;
  totalRequired: number;
  creditsAtLevel?: { level: Level; counted: number; required: number };
  excluded: Exclusion[];
  unmet: UnmetReason[];
  /**
   * True when the answer is proven: an allocation meeting every rule was found, or the
   * whole search space was covered. False only when the node bound stopped the search;
   * then `achieved: false` means "none found", and the allocation is the best seen.
   */
  exhaustive: boolean;
  /** Search nodes visited. */
  nodes: number;
}

const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * The same month and day, `years` earlier, as a string that compares correctly with ISO
 * dates. It may name a day that does not exist (29 February of a common year); string
 * comparison still orders it correctly between the 28th and 1 March.
 */
export function yearsBefore(date: string, years: number): string {
  return String(Number(date.slice(0, 4)) - years).padStart(4, '0') + date.slice(4);
}

/** One way an item can be allocated. */
interface Option {
  group: number;
  /** Unit the credit stands for; null for an exemption. */
  countsAs: string | null;
  /** Credits it adds to the group: 0 when placed without counting. */
  credit: number;
  /** Its credits are at or above the level of minCreditsAtLevel. */
  high: boolean;
  /** It adds a counted unit (and unit credits) to the group. */
  unit: boolean;
  /** It is an exemption (group credits only). */
  exemption: boolean;
  /** Keys that at most one placed item may hold: the credited unit and the unit it counts as. */
  slots: string[];
  /** Index of (group, countsAs) among mandatory places, or -1. */
  mand: number;
  /** Live barred sets that contain countsAs. */
  barred: number[];
  /** For exemptions: the entry of qualification.exemptions. */
  entry: number;
}

interface Item {
  kind: 'credit' | 'exemption';
  /** Index into the candidate list (credits) or qualification.exemptions (first entry). */
  ref: number;
  options: Option[];
  /** Largest credit any option adds; used to order the search. */
  weight: number;
  /** Position, in search order, of the item whose choice bounds this one's (symmetry); -1 if none. */
  follows: number;
}

interface Candidate {
  credit: LearnerCredit;
  index: number;
  value: number;
  level: Level;
  rank: number;
  options: { group: number; countsAs: string }[];
}

/** What one undecided item could still add: up to credits[i] to group groups[i], in one group. */
export interface Offer {
  groups: number[];
  credits: number[];
}

/**
 * The most credits the offers can add when group g takes at most room[g] more, letting an
 * item split its credit between groups (a relaxation, so an upper bound for the real,
 * unsplit allocation). A small max-flow: source -> item -> group -> sink. Items with one
 * group go straight in; the rest are routed along augmenting paths.
 */
export function transport(offers: Offer[], room: number[]): number {
  const left = room.slice();
  let total = 0;
  const multi: Offer[] = [];
  for (const o of offers) {
    if (o.groups.length > 1) {
      multi.push(o);
      continue;
    }
    const g = o.groups[0];
    const x = Math.min(left[g], o.credits[0]);
    left[g] -= x;
    total += x;
  }
  const m = multi.length;
  const supply = multi.map((o) => Math.max(...o.credits));
  const flow = multi.map((o) => o.groups.map(() => 0));
  const sent = new Array<number>(m).fill(0);
  // Breadth-first search for an augmenting path; parents record how each node was reached.
  const itemFrom = new Array<number>(m); // group the path came from (-1: the source)
  const itemEdge = new Array<number>(m); // edge of this item used backwards from that group
  const groupFrom = new Array<number>(left.length); // item the path came from
  const groupEdge = new Array<number>(left.length);
  for (;;) {
    itemFrom.fill(-2);
    groupFrom.fill(-1);
    const queue: number[] = [];
    for (let i = 0; i < m; i++) {
      if (sent[i] < supply[i]) {
        itemFrom[i] = -1;
        queue.push(i);
      }
    }
    let sink = -1;
    for (let qi = 0; qi < queue.length && sink < 0; qi++) {
      const i = queue[qi];
      const o = multi[i];
      for (let j = 0; j < o.groups.length && sink < 0; j++) {
        const g = o.groups[j];
        if (groupFrom[g] >= 0 || flow[i][j] >= o.credits[j]) continue;
        groupFrom[g] = i;
        groupEdge[g] = j;
        if (left[g] > 0) {
          sink = g;
          break;
        }
        // Walk back along items already sending to g.
        for (let k = 0; k < m; k++) {
          if (itemFrom[k] !== -2) continue;
          const e = multi[k].groups.indexOf(g);
          if (e >= 0 && flow[k][e] > 0) {
            itemFrom[k] = g;
            itemEdge[k] = e;
            queue.push(k);
          }
        }
      }
    }
    if (sink < 0) return total;
    // Bottleneck along the path, then push.
    let push = left[sink];
    for (let g = sink; ;) {
      const i = groupFrom[g];
      push = Math.min(push, multi[i].credits[groupEdge[g]] - flow[i][groupEdge[g]]);
      if (itemFrom[i] === -1) {
        push = Math.min(push, supply[i] - sent[i]);
        break;
      }
      push = Math.min(push, flow[i][itemEdge[i]]);
      g = itemFrom[i];
    }
    left[sink] -= push;
    total += push;
    for (let g = sink; ;) {
      const i = groupFrom[g];
      flow[i][groupEdge[g]] += push;
      if (itemFrom[i] === -1) {
        sent[i] += push;
        break;
      }
      flow[i][itemEdge[i]] -= push;
      g = itemFrom[i];
    }
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

export function evaluate(input: EvaluationInput): Evaluation {
  const { qualification: q, units: catalogue, date } = input;
  if (!ISO_DATE.test(date)) throw new RangeError(`evaluation date must be YYYY-MM-DD, got "${date}"`);
  const maxNodes = input.maxNodes ?? DEFAULT_MAX_NODES;

  // ---- the rules, indexed ----
  const groups = q.groups.map((g) => ({ ...g, units: unique(g.units) }));
  const G = groups.length;
  const groupIndex = new Map<string, number>();
  groups.forEach((g, i) => groupIndex.set(g.id, i));
  const groupsOfUnit = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const u of g.units) groupsOfUnit.set(u, [...(groupsOfUnit.get(u) ?? []), i]);
  });

  // Mandatory places: one per (mandatory group, unit).
  const mandIndex = new Map<string, number>();
  const mandOfGroup: number[][] = groups.map(() => []);
  groups.forEach((g, i) => {
    if (!g.mandatory) return;
    for (const u of g.units) {
      mandOfGroup[i].push(mandIndex.size);
      mandIndex.set(`${i}|${u}`, mandIndex.size);
    }
  });

  // Equivalences: A -> B lets A stand for B; chains are followed (A -> B -> C).
  const equivalentTo = new Map<string, string[]>();
  for (const e of [...q.equivalences, ...(input.globalEquivalences ?? [])]) {
    equivalentTo.set(e.from, [...(equivalentTo.get(e.from) ?? []), e.to]);
  }
  const identities = (urn: string): string[] => {
    const seen = [urn];
    for (let i = 0; i < seen.length; i++) {
      for (const next of equivalentTo.get(seen[i]) ?? []) if (!seen.includes(next)) seen.push(next);
    }
    return seen;
  };

  const levelRule = q.minCreditsAtLevel;
  const levelFloor = levelRule ? levelRank(levelRule.level) : Infinity;

  // ---- 1. valid candidates and exclusions ----
  const excluded: (Exclusion & { order: number })[] = [];
  const exclude = (c: LearnerCredit, order: number, reason: ExclusionReason) =>
    excluded.push({ creditId: c.id, urn: c.urn, reason, order });
  const cutoff = q.validityYears === undefined ? null : yearsBefore(date, q.validityYears);
  const byUrn = new Map<string, Candidate[]>();
  input.credits.forEach((c, index) => {
    if (c.status === 'withdrawn') return exclude(c, index, 'withdrawn');
    if (c.awardDate > date) return exclude(c, index, 'after-date');
    if (cutoff !== null && c.awardDate <= cutoff) return exclude(c, index, 'expired');
    const options: Candidate['options'] = [];
    for (const v of identities(c.urn)) {
      for (const gi of groupsOfUnit.get(v) ?? []) options.push({ group: gi, countsAs: v });
    }
    if (options.length === 0) return exclude(c, index, 'not-in-qualification');
    const unit = catalogue.get(c.urn);
    const level = unit ? unit.level : c.level;
    const cand: Candidate = {
      credit: c,
      index,
      value: unit ? unit.credit : c.credit,
      level,
      rank: levelRank(level),
      options,
    };
    byUrn.set(c.urn, [...(byUrn.get(c.urn) ?? []), cand]);
  });

  // A unit counts once: of several credits for one unit keep those no other one beats.
  const candidates: Candidate[] = [];
  for (const same of byUrn.values()) {
    same.sort(
      (a, b) =>
        b.value - a.value ||
        b.rank - a.rank ||
        Number(a.credit.status === 'challenged') - Number(b.credit.status === 'challenged') ||
        (a.credit.awardDate < b.credit.awardDate ? 1 : a.credit.awardDate > b.credit.awardDate ? -1 : 0) ||
        a.index - b.index,
    );
    const kept: Candidate[] = [];
    for (const c of same) {
      if (kept.some((k) => k.value >= c.value && k.rank >= c.rank)) exclude(c.credit, c.index, 'duplicate-unit');
      else kept.push(c);
    }
    candidates.push(...kept);
  }
  candidates.sort((a, b) => a.index - b.index);

  // ---- 2. items and options ----
  const items: Item[] = [];
  for (const [ci, c] of candidates.entries()) {
    const options = c.options.map((o): Option => ({
      group: o.group,
      countsAs: o.countsAs,
      credit: c.value,
      high: c.rank >= levelFloor,
      unit: true,
      exemption: false,
      slots: [`u:${c.credit.urn}`, `v:${o.countsAs}`],
      mand: mandIndex.get(`${o.group}|${o.countsAs}`) ?? -1,
      barred: [],
      entry: -1,
    }));
    items.push({ kind: 'credit', ref: ci, options, weight: c.value, follows: -1 });
  }
  const held = new Set(input.exemptions ?? []);
  const exemptionNames = unique(q.exemptions.map((e) => e.name)).filter((n) => held.has(n));
  for (const name of exemptionNames) {
    const options: Option[] = [];
    q.exemptions.forEach((e, entry) => {
      const gi = groupIndex.get(e.group);
      if (e.name !== name || gi === undefined) return;
      options.push({
        group: gi,
        countsAs: null,
        credit: e.credits,
        high: false,
        unit: false,
        exemption: true,
        slots: [],
        mand: -1,
        barred: [],
        entry,
      });
    });
    if (options.length === 0) continue;
    items.push({
      kind: 'exemption',
      ref: options[0].entry,
      options,
      weight: Math.max(...options.map((o) => o.credit)),
      follows: -1,
    });
  }

  // A group's unit maximum "binds" when more credits could go there than it counts.
  const binding = groups.map(
    (g, gi) =>
      g.maxUnits !== undefined &&
      items.filter((it) => it.kind === 'credit' && it.options.some((o) => o.group === gi)).length > g.maxUnits,
  );
  // In a mandatory group whose unit maximum binds, a unit may be present without counting.
  for (const it of items) {
    if (it.kind !== 'credit') continue;
    it.options = it.options.flatMap((o) =>
      binding[o.group] && groups[o.group].mandatory ? [o, { ...o, credit: 0, high: false, unit: false }] : [o],
    );
  }

  // Barred sets matter only when two different items could fall in them.
  const barredSets = q.barred.map((s) => new Set(s));
  const liveBarred = barredSets.map(
    (s) => items.filter((it) => it.options.some((o) => o.countsAs !== null && s.has(o.countsAs))).length >= 2,
  );
  for (const it of items) {
    for (const o of it.options) {
      o.barred = barredSets.flatMap((s, si) =>
        liveBarred[si] && o.countsAs !== null && s.has(o.countsAs) ? [si] : [],
      );
    }
  }
  const slotUsers = new Map<string, Set<Item>>();
  for (const it of items) {
    for (const o of it.options) for (const s of o.slots) slotUsers.set(s, (slotUsers.get(s) ?? new Set()).add(it));
  }
  const competes = (o: Option) => o.barred.length > 0 || o.slots.some((s) => slotUsers.get(s)!.size > 1);

  // ---- search state ----
  const choice = new Int32Array(items.length).fill(-1);
  const raw = new Array<number>(G).fill(0); // counted unit credits, before the cap
  const rawHigh = new Array<number>(G).fill(0);
  const unitCount = new Array<number>(G).fill(0);
  const exempt = new Array<number>(G).fill(0);
  const filled = new Int32Array(mandIndex.size);
  const slotTaken = new Set<string>();
  const barredCount = new Int32Array(barredSets.length);

  const apply = (o: Option, d: 1 | -1) => {
    const g = o.group;
    if (o.exemption) exempt[g] += d * o.credit;
    if (o.unit) {
      raw[g] += d * o.credit;
      if (o.high) rawHigh[g] += d * o.credit;
      unitCount[g] += d;
    }
    if (o.mand >= 0) filled[o.mand] += d;
    for (const s of o.slots) {
      if (d === 1) slotTaken.add(s);
      else slotTaken.delete(s);
    }
    for (const b of o.barred) barredCount[b] += d;
  };
  const alive = (o: Option): boolean => {
    if (o.slots.some((s) => slotTaken.has(s))) return false;
    if (o.barred.some((b) => barredCount[b] > 0)) return false;
    const maxUnits = groups[o.group].maxUnits;
    return !(o.unit && maxUnits !== undefined && unitCount[o.group] >= maxUnits);
  };

  // ---- 3. fix what needs no branching; order the rest ----
  const branch: number[] = [];
  items.forEach((it, id) => {
    const only = it.options.length === 1 ? it.options[0] : null;
    if (only && (only.exemption || (!binding[only.group] && !competes(only)))) {
      choice[id] = 0;
      apply(only, 1);
    } else {
      branch.push(id);
    }
  });
  const touchesMandatory = (it: Item) => it.options.some((o) => o.mand >= 0);
  branch.sort(
    (a, b) =>
      Number(touchesMandatory(items[b])) - Number(touchesMandatory(items[a])) ||
      items[b].weight - items[a].weight ||
      a - b,
  );
  // Symmetry. Items of one class must take non-decreasing option indexes in search order,
  // "left out" counting as the highest index:
  //  - single-option credits in a binding optional group, free of competition and alike in
  //    level class, sorted by falling credit: a credit is used only if the one before it
  //    is, since swapping in a bigger credit of the same class never hurts;
  //  - credits with the same groups, value and level class, free of competition and of
  //    mandatory places: they are interchangeable, so only one order of them is tried.
  const classLast = new Map<string, number>();
  branch.forEach((id, pos) => {
    const it = items[id];
    if (it.kind !== 'credit' || it.options.some((o) => competes(o) || o.mand >= 0)) return;
    const o = it.options[0];
    const key =
      it.options.length === 1
        ? `chain|${o.group}|${o.high}`
        : `twin|${it.options.map((x) => x.group).join(',')}|${o.credit}|${o.high}`;
    it.follows = classLast.get(key) ?? -1;
    classLast.set(key, pos);
  });
  // Last search position at which each slot / barred set can still be taken.
  const lastSlotPos = new Map<string, number>();
  const lastBarredPos = new Int32Array(barredSets.length).fill(-1);
  branch.forEach((id, pos) => {
    for (const o of items[id].options) {
      for (const s of o.slots) lastSlotPos.set(s, pos);
      for (const b of o.barred) lastBarredPos[b] = pos;
    }
  });

  // ---- 4. branch and bound ----
  const potC = new Array<number>(G);
  const potH = new Array<number>(G);
  const potU = new Array<number>(G);
  const potList: number[][] = groups.map(() => []);
  const potHighList: number[][] = groups.map(() => []);
  const perC = new Array<number>(G).fill(-1);
  const perH = new Array<number>(G).fill(0);
  const perU = new Array<boolean>(G).fill(false);
  const mandStamp = new Int32Array(mandIndex.size);
  const cap = (g: number) => groups[g].maxCredits ?? Infinity;
  const counted = (g: number) => Math.min(cap(g), exempt[g] + raw[g]);
  const countedHigh = (g: number) => Math.min(cap(g), rawHigh[g]);
  const topSum = (list: number[], k: number) => {
    list.sort((x, y) => y - x);
    let s = 0;
    for (let i = 0; i < k && i < list.length; i++) s += list[i];
    return s;
  };
  let stamp = 0;

  /**
   * Sound bounds over every completion of the current partial allocation: the number of
   * rules that no completion can meet, and the most credits any completion can count.
   * With nothing left to decide both are exact.
   */
  const assess = (depth: number): { unmet: number; ub: number } => {
    stamp++;
    potC.fill(0);
    potH.fill(0);
    potU.fill(0);
    for (const l of potList) l.length = 0;
    for (const l of potHighList) l.length = 0;
    const offers: Offer[] = [];
    const offersHigh: Offer[] = [];
    const touched: number[] = [];
    for (let pos = depth; pos < branch.length; pos++) {
      for (const o of items[branch[pos]].options) {
        if (!alive(o)) continue;
        if (o.mand >= 0) mandStamp[o.mand] = stamp;
        const g = o.group;
        if (perC[g] < 0) touched.push(g);
        perC[g] = Math.max(perC[g], o.credit);
        perH[g] = Math.max(perH[g], o.high ? o.credit : 0);
        perU[g] ||= o.unit;
      }
      const offer: Offer = { groups: [], credits: [] };
      const offerHigh: Offer = { groups: [], credits: [] };
      for (const g of touched) {
        if (binding[g] && perU[g]) {
          potList[g].push(perC[g]);
          potHighList[g].push(perH[g]);
        } else {
          potC[g] += perC[g];
          potH[g] += perH[g];
          potU[g] += Number(perU[g]);
        }
        if (perC[g] > 0) {
          offer.groups.push(g);
          offer.credits.push(perC[g]);
        }
        if (perH[g] > 0) {
          offerHigh.groups.push(g);
          offerHigh.credits.push(perH[g]);
        }
        perC[g] = -1;
        perH[g] = 0;
        perU[g] = false;
      }
      touched.length = 0;
      if (offer.groups.length > 0) offers.push(offer);
      if (offerHigh.groups.length > 0) offersHigh.push(offerHigh);
    }
    let unmet = 0;
    let sumNow = 0;
    let sumNowHigh = 0;
    const room: number[] = [];
    const roomHigh: number[] = [];
    for (let g = 0; g < G; g++) {
      const grp = groups[g];
      let addC = potC[g];
      let addH = potH[g];
      let addU = potU[g];
      if (binding[g]) {
        const free = Math.max(0, grp.maxUnits! - unitCount[g]);
        addC += topSum(potList[g], free);
        addH += topSum(potHighList[g], free);
        addU += Math.min(free, potList[g].length);
      }
      const maxC = Math.min(cap(g), exempt[g] + raw[g] + addC);
      const maxU = Math.min(grp.maxUnits ?? Infinity, unitCount[g] + addU);
      if (mandOfGroup[g].some((m) => filled[m] === 0 && mandStamp[m] !== stamp)) unmet++;
      if (grp.minCredits !== undefined && maxC < grp.minCredits) unmet++;
      if (grp.minUnits !== undefined && maxU < grp.minUnits) unmet++;
      sumNow += counted(g);
      sumNowHigh += countedHigh(g);
      room.push(maxC - counted(g));
      roomHigh.push(Math.min(cap(g), rawHigh[g] + addH) - countedHigh(g));
    }
    const ub = sumNow + transport(offers, room);
    if (ub < q.totalCredits) unmet++;
    if (levelRule && sumNowHigh + transport(offersHigh, roomHigh) < levelRule.credits) unmet++;
    return { unmet, ub };
  };

  /** Placing the item with option `o` rather than leaving it out can never be worse. */
  const dominatesNone = (o: Option, pos: number) =>
    alive(o) &&
    !binding[o.group] &&
    o.slots.every((s) => lastSlotPos.get(s)! <= pos) &&
    o.barred.every((b) => lastBarredPos[b] <= pos);

  /**
   * Options in the order to try them: fill an empty mandatory place, then count the unit,
   * then help a group short of its minimum, then add the most credits under the cap.
   */
  const ranked = (it: Item): number[] => {
    const key = (o: Option) => {
      const g = groups[o.group];
      const c = counted(o.group);
      const short =
        (g.minCredits !== undefined && c < g.minCredits) ||
        (g.minUnits !== undefined && unitCount[o.group] < g.minUnits);
      return [
        Number(o.mand >= 0 && filled[o.mand] === 0),
        Number(o.unit || o.exemption),
        Number(short),
        Math.min(o.credit, cap(o.group) - c),
      ];
    };
    const keys = it.options.map(key);
    const order = (a: number, b: number) => {
      for (let i = 0; i < 4; i++) if (keys[a][i] !== keys[b][i]) return keys[b][i] - keys[a][i];
      return a - b;
    };
    return it.options.map((_, i) => i).sort(order);
  };

  let best: { unmet: number; counted: number; choice: Int32Array } | null = null;
  let nodes = 0;
  let stopped = false;
  let aborted = false;
  const dfs = (pos: number): void => {
    nodes++;
    if (best && nodes > maxNodes) {
      aborted = stopped = true;
      return;
    }
    const { unmet, ub } = assess(pos);
    if (best && (unmet > best.unmet || (unmet === best.unmet && ub <= best.counted))) return;
    if (pos === branch.length) {
      best = { unmet, counted: ub, choice: choice.slice() };
      if (unmet === 0) stopped = true;
      return;
    }
    const id = branch[pos];
    const it = items[id];
    const before = it.follows < 0 ? 0 : choice[branch[it.follows]];
    const lowest = before < 0 ? Infinity : before;
    let noneDominated = false;
    for (const oi of ranked(it)) {
      const o = it.options[oi];
      if (oi < lowest || !alive(o)) continue;
      noneDominated ||= dominatesNone(o, pos);
      apply(o, 1);
      choice[id] = oi;
      dfs(pos + 1);
      apply(o, -1);
      choice[id] = -1;
      if (stopped) return;
    }
    if (!noneDominated) dfs(pos + 1);
  };
  dfs(0);
  const final = best!.choice;

  // ---- the answer ----
  const allocation: (AllocationEntry & { order: number })[] = [];
  const exemptionsUsed: ExemptionUse[] = [];
  const groupsOut: GroupProgress[] = [];
  const present = groups.map(() => new Set<string>());
  const finalSlots = new Set<string>();
  const finalBarred = new Int32Array(barredSets.length);
  let totalCredits = 0;
  let levelCounted = 0;
  for (let g = 0; g < G; g++) {
    const placed = items.flatMap((it, id) =>
      final[id] >= 0 && it.options[final[id]].group === g ? [{ it, o: it.options[final[id]] }] : [],
    );
    // Under a cap, high-level unit credits count first, then other unit credits, then exemptions.
    const rankOf = ({ o }: { o: Option }) => (o.exemption ? 2 : o.high ? 0 : 1);
    placed.sort((a, b) => rankOf(a) - rankOf(b));
    let room = cap(g);
    let credits = 0;
    let units = 0;
    for (const { it, o } of placed) {
      const take = Math.min(o.credit, room);
      room -= take;
      credits += take;
      for (const s of o.slots) finalSlots.add(s);
      for (const b of o.barred) finalBarred[b]++;
      if (o.exemption) {
        exemptionsUsed.push({
          name: q.exemptions[o.entry].name,
          group: groups[g].id,
          credits: o.credit,
          counted: take,
        });
        continue;
      }
      const c = candidates[it.ref];
      present[g].add(o.countsAs!);
      units += Number(o.unit);
      if (o.high) levelCounted += take;
      allocation.push({
        creditId: c.credit.id,
        urn: c.credit.urn,
        countsAs: o.countsAs!,
        group: groups[g].id,
        credits: c.value,
        counted: take,
        level: c.level,
        unitCounted: o.unit,
        challenged: c.credit.status === 'challenged',
        order: g * (input.credits.length + 1) + c.index,
      });
    }
    totalCredits += credits;
    const grp = groups[g];
    const missingUnits = grp.mandatory ? grp.units.filter((u) => !present[g].has(u)) : [];
    const met =
      missingUnits.length === 0 &&
      (grp.minCredits === undefined || credits >= grp.minCredits) &&
      (grp.minUnits === undefined || units >= grp.minUnits);
    groupsOut.push({
      id: grp.id,
      title: grp.title,
      mandatory: grp.mandatory,
      credits,
      units,
      ...(grp.minCredits !== undefined && { minCredits: grp.minCredits }),
      ...(grp.maxCredits !== undefined && { maxCredits: grp.maxCredits }),
      ...(grp.minUnits !== undefined && { minUnits: grp.minUnits }),
      ...(grp.maxUnits !== undefined && { maxUnits: grp.maxUnits }),
      missingUnits,
      met,
    });
  }

  // Why each candidate left out was left out.
  items.forEach((it, id) => {
    if (it.kind !== 'credit' || final[id] >= 0) return;
    const slotBlocked = (o: Option) => o.slots.some((s) => finalSlots.has(s));
    const barBlocked = (o: Option) => o.barred.some((b) => finalBarred[b] > 0);
    const c = candidates[it.ref];
    const reason: ExclusionReason = it.options.every(slotBlocked)
      ? 'duplicate-unit'
      : it.options.every((o) => slotBlocked(o) || barBlocked(o))
        ? 'barred'
        : 'unused';
    exclude(c.credit, c.index, reason);
  });

  const unmet: UnmetReason[] = [];
  const unitName = (urn: string) => {
    const u = catalogue.get(urn);
    return u ? `${urn} (${u.title})` : urn;
  };
  for (const g of groupsOut) {
    if (g.missingUnits.length > 0) {
      unmet.push({
        rule: 'mandatory',
        group: g.id,
        message: `mandatory group ${g.id} (${g.title}) is missing ${g.missingUnits.length} unit(s): ${g.missingUnits.map(unitName).join(', ')}`,
      });
    }
    if (g.minCredits !== undefined && g.credits < g.minCredits) {
      unmet.push({
        rule: 'group-min-credits',
        group: g.id,
        message: `group ${g.id} needs ${g.minCredits} credits, has ${g.credits}`,
      });
    }
    if (g.minUnits !== undefined && g.units < g.minUnits) {
      unmet.push({
        rule: 'group-min-units',
        group: g.id,
        message: `group ${g.id} needs ${g.minUnits} units, has ${g.units}`,
      });
    }
  }
  if (totalCredits < q.totalCredits) {
    unmet.push({
      rule: 'total-credits',
      message: `the qualification needs ${q.totalCredits} credits, has ${totalCredits}`,
    });
  }
  if (levelRule && levelCounted < levelRule.credits) {
    unmet.push({
      rule: 'level-credits',
      message: `the qualification needs ${levelRule.credits} credits at level ${levelRule.level} or above, has ${levelCounted}`,
    });
  }

  allocation.sort((a, b) => a.order - b.order);
  excluded.sort((a, b) => a.order - b.order);
  return {
    achieved: unmet.length === 0,
    allocation: allocation.map(({ order: _order, ...entry }) => entry),
    exemptionsUsed,
    groups: groupsOut,
    totalCredits,
    totalRequired: q.totalCredits,
    ...(levelRule && {
      creditsAtLevel: { level: levelRule.level, counted: levelCounted, required: levelRule.credits },
    }),
    excluded: excluded.map(({ order: _order, ...e }) => e),
    unmet,
    exhaustive: !aborted,
    nodes,
  };
}
