/**
 * The search's state: what the learner holds plus the units chosen so far, kept as running
 * sums so that a step of the walk is cheap, and the notes the bounds leave for each other
 * about the node they last looked at. One object, passed explicitly to the bounds and the
 * search; nothing else in the optimiser changes.
 *
 * A "single" item can go to one group only: its credits can count there or nowhere, under
 * that group's cap and unit maximum. The others ("flexible") might count in any of their
 * groups.
 */
import type { GroupAsk } from './group-asks.js';
import type { Problem, Tables } from './problem.js';
import type { Failure, FlexItem, RouteInput } from './types.js';

/** A group whose own rules ask something of new units, with the room it leaves for them. */
export interface Asked {
  g: number;
  ask: GroupAsk;
  room: number;
  roomHigh: number;
}

export class SearchState {
  /** Per candidate: 0 undecided, 1 in the route, 2 left out. */
  readonly status: Int8Array;
  readonly single: number[];
  readonly singleHigh: number[];
  readonly singleCount: number[];
  /** Held single items' credits per group, largest first. */
  readonly heldSingle: number[][];
  readonly heldSingleHigh: number[][];
  /** Credits flexible items could bring to each group. */
  readonly flexAvail: number[];
  /** Items that could count as a unit in each group. */
  readonly unitsAvail: number[];
  /** Items that could fill each mandatory place. */
  readonly cover: Int32Array;
  /** Credits of flexible items, exemptions included, each counted once. */
  flex = 0;
  flexHigh = 0;
  readonly heldFlex: FlexItem[] = [];
  readonly heldByPlace: number[][];
  /** Credit and units of the chosen units. */
  cost = 0;
  count = 0;
  /** The tables of the walk's current order. */
  tab: Tables;

  // What bound() leaves for units(), which is only asked right after it, about the same node.
  lastCost = 0;
  totalShort = 0;
  levelShort = 0;
  asked: Asked[] = [];
  /** Credits flexible items can bring to each group, pins applied. */
  flexTo: number[] = [];
  /** For each way of placing the flexible items, what each asked group gets. */
  placings: number[][] = [];
  /** Credits new units can still add to a group's count. */
  readonly roomOf: number[];
  readonly roomHighOf: number[];
  /** Credits of single items merged into barred-set items. */
  readonly singleLess: number[];
  readonly singleHighLess: number[];
  readonly mergedValues: number[][];
  readonly mergedHighValues: number[][];
  /** Credits of flexible items pinned to the group. */
  readonly pinned: number[];
  readonly pinnedHigh: number[];
  readonly pinnedValues: number[][];
  /** Credit minimum less what single items bring. */
  readonly deficit: number[];
  /** Least credit of new units meeting a group's own rules. */
  readonly leastOf: number[];
  /** Why the last bound was Infinity (read at the root only). */
  failure: Failure | null = null;

  constructor(
    readonly p: Problem,
    exemptions: RouteInput['exemptions'],
  ) {
    const { G, P, groups } = p;
    const zeros = () => new Array<number>(G).fill(0);
    const lists = () => groups.map((): number[] => []);
    this.status = new Int8Array(p.n);
    this.single = zeros();
    this.singleHigh = zeros();
    this.singleCount = zeros();
    this.heldSingle = lists();
    this.heldSingleHigh = lists();
    this.flexAvail = zeros();
    this.unitsAvail = zeros();
    this.cover = new Int32Array(P);
    this.heldByPlace = Array.from({ length: P }, () => []);
    this.roomOf = zeros();
    this.roomHighOf = zeros();
    this.singleLess = zeros();
    this.singleHighLess = zeros();
    this.mergedValues = lists();
    this.mergedHighValues = lists();
    this.pinned = zeros();
    this.pinnedHigh = zeros();
    this.pinnedValues = lists();
    this.deficit = zeros();
    this.leastOf = zeros();
    this.tab = p.byCredit;
    this.addHeld();
    this.addExemptions(exemptions);
  }

  private addHeld(): void {
    this.p.heldItems.forEach((h, i) => {
      if (h.groups.length === 1) {
        const g = h.groups[0];
        this.single[g] += h.value;
        this.singleCount[g]++;
        this.heldSingle[g].push(h.value);
        if (h.high) {
          this.singleHigh[g] += h.value;
          this.heldSingleHigh[g].push(h.value);
        }
      } else {
        this.flex += h.value;
        if (h.high) this.flexHigh += h.value;
        for (const g of h.groups) this.flexAvail[g] += h.value;
        this.heldFlex.push({
          key: i,
          value: h.value,
          high: h.high,
          groups: h.groups,
          credits: h.groups.map(() => h.value),
        });
      }
      for (const g of h.groups) this.unitsAvail[g]++;
      for (const p of h.places) {
        this.cover[p]++;
        this.heldByPlace[p].push(i);
      }
    });
    for (const list of [...this.heldSingle, ...this.heldSingleHigh]) list.sort((a, b) => b - a);
  }

  /** Each exemption the learner holds: a flexible item worth its best entry. */
  private addExemptions(exemptions: RouteInput['exemptions']): void {
    const { q, groups } = this.p;
    const heldExemptions = new Set(exemptions ?? []);
    const groupIndex = new Map(groups.map((g, i) => [g.id, i]));
    for (const name of new Set(q.exemptions.map((e) => e.name))) {
      if (!heldExemptions.has(name)) continue;
      const most = new Map<number, number>();
      for (const e of q.exemptions) {
        const g = groupIndex.get(e.group);
        if (e.name === name && g !== undefined) most.set(g, Math.max(most.get(g) ?? 0, e.credits));
      }
      if (most.size === 0) continue;
      this.flex += Math.max(...most.values());
      for (const [g, c] of most) this.flexAvail[g] += c;
      this.heldFlex.push({
        key: -1,
        value: Math.max(...most.values()),
        high: false,
        groups: [...most.keys()],
        credits: [...most.values()],
      });
    }
  }

  /** Candidate j into the route (d = 1) or back out of it (d = -1). */
  apply(j: number, d: 1 | -1): void {
    const c = this.p.cands[j];
    if (c.groups.length === 1) {
      const g = c.groups[0];
      this.single[g] += d * c.value;
      this.singleCount[g] += d;
      if (c.high) this.singleHigh[g] += d * c.value;
    } else {
      this.flex += d * c.value;
      if (c.high) this.flexHigh += d * c.value;
      for (const g of c.groups) this.flexAvail[g] += d * c.value;
    }
    for (const g of c.groups) this.unitsAvail[g] += d;
    for (const p of c.places) this.cover[p] += d;
    this.cost += d * c.value;
    this.count += d;
  }

  /** Credits of the single items (high ones only, if asked) now in group g, plus `extra`, largest first. */
  singlesDesc(g: number, highOnly: boolean, extra: number[]): number[] {
    const { cands, groupCands } = this.p;
    const out = [...(highOnly ? this.heldSingleHigh[g] : this.heldSingle[g]), ...extra];
    for (const j of groupCands[g])
      if (this.status[j] === 1 && cands[j].groups.length === 1 && (!highOnly || cands[j].high))
        out.push(cands[j].value);
    // Less those merged into barred-set items.
    for (const v of highOnly ? this.mergedHighValues[g] : this.mergedValues[g]) {
      const i = out.indexOf(v);
      if (i >= 0) out.splice(i, 1);
    }
    return out.sort((a, b) => b - a);
  }

  /** A mandatory place that nothing fills, with one undecided unit that can: that unit must come in. */
  propagate(): number[] {
    const { P, placeCands } = this.p;
    const { status, cover } = this;
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
        this.apply(only, 1);
        forced.push(only);
        again = true;
      }
    }
    return forced;
  }

  /** Undo propagate(). */
  unforce(forced: number[]): void {
    for (let i = forced.length - 1; i >= 0; i--) {
      this.apply(forced[i], -1);
      this.status[forced[i]] = 0;
    }
  }

  /** Unit v is held or chosen, worth at least `value`, and high if `high`. */
  takes(v: string, value: number, high: boolean): boolean {
    const h = this.p.heldValid.get(v);
    if (h && h.value >= value && (h.high || !high)) return true;
    const j = this.p.candIndex.get(v);
    const c = j === undefined ? undefined : this.p.cands[j];
    return c !== undefined && this.status[j!] === 1 && c.value >= value && (c.high || !high);
  }

  /** The units in the route, in URN order. */
  route(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.p.n; j++) if (this.status[j] === 1) out.push(j);
    return out;
  }

  /** Note why no completion can work, and say so. */
  fail(f: Failure): number {
    this.failure = f;
    return Infinity;
  }
}
