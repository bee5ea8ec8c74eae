/**
 * Steps 3 and 4 of the evaluator: fix without branching what needs no choice, order the rest
 * (with symmetry breaking), then branch and bound over the items. The search state (the
 * choice per item and running sums per group) lives in one object.
 */
import type { Qualification } from '../../model.js';
import type { Competition, RocRules } from './items.js';
import { transport } from './transport.js';
import type { Offer } from './transport.js';
import type { Item, Option } from './types.js';

function topSum(list: number[], k: number): number {
  list.sort((x, y) => y - x);
  let s = 0;
  for (let i = 0; i < k && i < list.length; i++) s += list[i];
  return s;
}

export interface SearchOutcome {
  /** The option index chosen per item; -1 for left out. */
  choice: Int32Array;
  aborted: boolean;
  nodes: number;
}

export class AllocationSearch {
  readonly choice: Int32Array;
  /** Counted unit credits per group, before the cap. */
  readonly raw: number[];
  readonly rawHigh: number[];
  readonly unitCount: number[];
  readonly exempt: number[];
  readonly filled: Int32Array;
  readonly slotTaken = new Set<string>();
  readonly barredCount: Int32Array;
  /** Items to branch over, in search order. */
  readonly branch: number[] = [];
  /** Last search position at which each slot / barred set can still be taken. */
  private readonly lastSlotPos = new Map<string, number>();
  private readonly lastBarredPos: Int32Array;
  // Scratch for assess().
  private readonly potC: number[];
  private readonly potH: number[];
  private readonly potU: number[];
  private readonly potList: number[][];
  private readonly potHighList: number[][];
  private readonly perC: number[];
  private readonly perH: number[];
  private readonly perU: boolean[];
  private readonly mandStamp: Int32Array;
  private stamp = 0;
  private best: { unmet: number; counted: number; choice: Int32Array } | null = null;
  private nodes = 0;
  private stopped = false;
  private aborted = false;
  private readonly binding: boolean[];

  constructor(
    private readonly q: Qualification,
    private readonly rules: RocRules,
    private readonly items: Item[],
    private readonly comp: Competition,
    private readonly maxNodes: number,
  ) {
    const { G, mandIndex, groups } = rules;
    const zeros = () => new Array<number>(G).fill(0);
    this.binding = comp.binding;
    this.choice = new Int32Array(items.length).fill(-1);
    this.raw = zeros();
    this.rawHigh = zeros();
    this.unitCount = zeros();
    this.exempt = zeros();
    this.filled = new Int32Array(mandIndex.size);
    this.barredCount = new Int32Array(comp.barredSets.length);
    this.lastBarredPos = new Int32Array(comp.barredSets.length).fill(-1);
    this.potC = new Array<number>(G);
    this.potH = new Array<number>(G);
    this.potU = new Array<number>(G);
    this.potList = groups.map(() => []);
    this.potHighList = groups.map(() => []);
    this.perC = new Array<number>(G).fill(-1);
    this.perH = zeros();
    this.perU = new Array<boolean>(G).fill(false);
    this.mandStamp = new Int32Array(mandIndex.size);
    this.fixAndOrder();
  }

  apply(o: Option, d: 1 | -1): void {
    const g = o.group;
    if (o.exemption) this.exempt[g] += d * o.credit;
    if (o.unit) {
      this.raw[g] += d * o.credit;
      if (o.high) this.rawHigh[g] += d * o.credit;
      this.unitCount[g] += d;
    }
    if (o.mand >= 0) this.filled[o.mand] += d;
    for (const s of o.slots) {
      if (d === 1) this.slotTaken.add(s);
      else this.slotTaken.delete(s);
    }
    for (const b of o.barred) this.barredCount[b] += d;
  }

  alive(o: Option): boolean {
    if (o.slots.some((s) => this.slotTaken.has(s))) return false;
    if (o.barred.some((b) => this.barredCount[b] > 0)) return false;
    const maxUnits = this.rules.groups[o.group].maxUnits;
    return !(o.unit && maxUnits !== undefined && this.unitCount[o.group] >= maxUnits);
  }

  cap(g: number): number {
    return this.rules.groups[g].maxCredits ?? Infinity;
  }

  counted(g: number): number {
    return Math.min(this.cap(g), this.exempt[g] + this.raw[g]);
  }

  countedHigh(g: number): number {
    return Math.min(this.cap(g), this.rawHigh[g]);
  }

  /**
   * Fix every item that has one option and competes with nothing (placing it can only help);
   * order the rest. Symmetry: items of one class must take non-decreasing option indexes in
   * search order, "left out" counting as the highest index:
   *  - single-option credits in a binding optional group, free of competition and alike in
   *    level class, sorted by falling credit: a credit is used only if the one before it
   *    is, since swapping in a bigger credit of the same class never hurts;
   *  - credits with the same groups, value and level class, free of competition and of
   *    mandatory places: they are interchangeable, so only one order of them is tried.
   */
  private fixAndOrder(): void {
    const { items, binding, branch } = this;
    const { competes } = this.comp;
    items.forEach((it, id) => {
      const only = it.options.length === 1 ? it.options[0] : null;
      if (only && (only.exemption || (!binding[only.group] && !competes(only)))) {
        this.choice[id] = 0;
        this.apply(only, 1);
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
    branch.forEach((id, pos) => {
      for (const o of items[id].options) {
        for (const s of o.slots) this.lastSlotPos.set(s, pos);
        for (const b of o.barred) this.lastBarredPos[b] = pos;
      }
    });
  }

  /**
   * What the undecided items from `depth` on could still add, per group (potC, potH, potU,
   * and the lists of binding groups), with their offers for the max-flow bounds.
   */
  private potential(depth: number): { offers: Offer[]; offersHigh: Offer[] } {
    const { potC, potH, potU, potList, potHighList, perC, perH, perU, binding } = this;
    this.stamp++;
    potC.fill(0);
    potH.fill(0);
    potU.fill(0);
    for (const l of potList) l.length = 0;
    for (const l of potHighList) l.length = 0;
    const offers: Offer[] = [];
    const offersHigh: Offer[] = [];
    const touched: number[] = [];
    for (let pos = depth; pos < this.branch.length; pos++) {
      for (const o of this.items[this.branch[pos]].options) {
        if (!this.alive(o)) continue;
        if (o.mand >= 0) this.mandStamp[o.mand] = this.stamp;
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
    return { offers, offersHigh };
  }

  /**
   * Sound bounds over every completion of the current partial allocation: the number of
   * rules that no completion can meet, and the most credits any completion can count.
   * With nothing left to decide both are exact.
   */
  assess(depth: number): { unmet: number; ub: number } {
    const { offers, offersHigh } = this.potential(depth);
    const { G, groups, mandOfGroup, levelRule } = this.rules;
    const { potC, potH, potU, potList, potHighList, binding, unitCount, exempt, raw, rawHigh } = this;
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
      const cap = this.cap(g);
      const maxC = Math.min(cap, exempt[g] + raw[g] + addC);
      const maxU = Math.min(grp.maxUnits ?? Infinity, unitCount[g] + addU);
      if (mandOfGroup[g].some((m) => this.filled[m] === 0 && this.mandStamp[m] !== this.stamp)) unmet++;
      if (grp.minCredits !== undefined && maxC < grp.minCredits) unmet++;
      if (grp.minUnits !== undefined && maxU < grp.minUnits) unmet++;
      sumNow += this.counted(g);
      sumNowHigh += this.countedHigh(g);
      room.push(maxC - this.counted(g));
      roomHigh.push(Math.min(cap, rawHigh[g] + addH) - this.countedHigh(g));
    }
    const ub = sumNow + transport(offers, room);
    if (ub < this.q.totalCredits) unmet++;
    if (levelRule && sumNowHigh + transport(offersHigh, roomHigh) < levelRule.credits) unmet++;
    return { unmet, ub };
  }

  /** Placing the item with option `o` rather than leaving it out can never be worse. */
  private dominatesNone(o: Option, pos: number): boolean {
    return (
      this.alive(o) &&
      !this.binding[o.group] &&
      o.slots.every((s) => this.lastSlotPos.get(s)! <= pos) &&
      o.barred.every((b) => this.lastBarredPos[b] <= pos)
    );
  }

  /**
   * Options in the order to try them: fill an empty mandatory place, then count the unit,
   * then help a group short of its minimum, then add the most credits under the cap.
   */
  ranked(it: Item): number[] {
    const key = (o: Option) => {
      const g = this.rules.groups[o.group];
      const c = this.counted(o.group);
      const short =
        (g.minCredits !== undefined && c < g.minCredits) ||
        (g.minUnits !== undefined && this.unitCount[o.group] < g.minUnits);
      return [
        Number(o.mand >= 0 && this.filled[o.mand] === 0),
        Number(o.unit || o.exemption),
        Number(short),
        Math.min(o.credit, this.cap(o.group) - c),
      ];
    };
    const keys = it.options.map(key);
    const order = (a: number, b: number) => {
      for (let i = 0; i < 4; i++) if (keys[a][i] !== keys[b][i]) return keys[b][i] - keys[a][i];
      return a - b;
    };
    return it.options.map((_, i) => i).sort(order);
  }

  private dfs(pos: number): void {
    this.nodes++;
    if (this.best && this.nodes > this.maxNodes) {
      this.aborted = this.stopped = true;
      return;
    }
    const { unmet, ub } = this.assess(pos);
    const best = this.best;
    if (best && (unmet > best.unmet || (unmet === best.unmet && ub <= best.counted))) return;
    if (pos === this.branch.length) {
      this.best = { unmet, counted: ub, choice: this.choice.slice() };
      if (unmet === 0) this.stopped = true;
      return;
    }
    const id = this.branch[pos];
    const it = this.items[id];
    const before = it.follows < 0 ? 0 : this.choice[this.branch[it.follows]];
    const lowest = before < 0 ? Infinity : before;
    let noneDominated = false;
    for (const oi of this.ranked(it)) {
      const o = it.options[oi];
      if (oi < lowest || !this.alive(o)) continue;
      noneDominated ||= this.dominatesNone(o, pos);
      this.apply(o, 1);
      this.choice[id] = oi;
      this.dfs(pos + 1);
      this.apply(o, -1);
      this.choice[id] = -1;
      if (this.stopped) return;
    }
    if (!noneDominated) this.dfs(pos + 1);
  }

  /** Keep the best allocation found (fewest unmet rules, then most counted credits); stop at the first that meets every rule. */
  run(): SearchOutcome {
    this.dfs(0);
    return { choice: this.best!.choice, aborted: this.aborted, nodes: this.nodes };
  }
}
