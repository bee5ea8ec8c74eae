/**
 * Steps 1 and 2 of the evaluator: the rules indexed, the learner's credits sorted into valid
 * candidates and exclusions, and every candidate and held exemption turned into an item with
 * its options (group, unit it counts as), the barred sets and slots each option touches.
 */
import { levelRank } from '../../model.js';
import type { LearnerCredit } from '../../model.js';
import type { Candidate, EvaluationInput, Exclusion, ExclusionReason, Item, Option } from './types.js';

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The rules of one qualification, indexed. */
export interface RocRules {
  groups: EvaluationInput['qualification']['groups'];
  G: number;
  groupIndex: Map<string, number>;
  groupsOfUnit: Map<string, number[]>;
  /** Mandatory places: one per (mandatory group, unit), keyed `${group}|${urn}`. */
  mandIndex: Map<string, number>;
  mandOfGroup: number[][];
  /** The unit and every unit it can stand for (A -> B lets A stand for B; chains are followed). */
  identities: (urn: string) => string[];
  levelRule: EvaluationInput['qualification']['minCreditsAtLevel'];
  levelFloor: number;
}

export function indexRules(input: EvaluationInput): RocRules {
  const q = input.qualification;
  const groups = q.groups.map((g) => ({ ...g, units: unique(g.units) }));
  const groupIndex = new Map<string, number>();
  groups.forEach((g, i) => groupIndex.set(g.id, i));
  const groupsOfUnit = new Map<string, number[]>();
  groups.forEach((g, i) => {
    for (const u of g.units) groupsOfUnit.set(u, [...(groupsOfUnit.get(u) ?? []), i]);
  });
  const mandIndex = new Map<string, number>();
  const mandOfGroup: number[][] = groups.map(() => []);
  groups.forEach((g, i) => {
    if (!g.mandatory) return;
    for (const u of g.units) {
      mandOfGroup[i].push(mandIndex.size);
      mandIndex.set(`${i}|${u}`, mandIndex.size);
    }
  });
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
  return {
    groups,
    G: groups.length,
    groupIndex,
    groupsOfUnit,
    mandIndex,
    mandOfGroup,
    identities,
    levelRule,
    levelFloor: levelRule ? levelRank(levelRule.level) : Infinity,
  };
}

/** An exclusion with the position of its credit in the input, for ordering the answer. */
export type OrderedExclusion = Exclusion & { order: number };

export function excluder(excluded: OrderedExclusion[]) {
  return (c: LearnerCredit, order: number, reason: ExclusionReason) =>
    excluded.push({ creditId: c.id, urn: c.urn, reason, order });
}

/**
 * Valid candidates (in input order), the others excluded with the reason. A unit counts
 * once: of several credits for one unit keep those no other one beats.
 */
export function candidatesOf(
  input: EvaluationInput,
  rules: RocRules,
  cutoff: string | null,
  exclude: ReturnType<typeof excluder>,
): Candidate[] {
  const { date, units: catalogue } = input;
  const byUrn = new Map<string, Candidate[]>();
  input.credits.forEach((c, index) => {
    if (c.status === 'withdrawn') return exclude(c, index, 'withdrawn');
    if (c.awardDate > date) return exclude(c, index, 'after-date');
    if (cutoff !== null && c.awardDate <= cutoff) return exclude(c, index, 'expired');
    const options: Candidate['options'] = [];
    for (const v of rules.identities(c.urn)) {
      for (const gi of rules.groupsOfUnit.get(v) ?? []) options.push({ group: gi, countsAs: v });
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
  return candidates;
}

/** The items (candidates, then held exemptions) and their options. */
export function itemsOf(input: EvaluationInput, rules: RocRules, candidates: Candidate[]): Item[] {
  const q = input.qualification;
  const items: Item[] = [];
  for (const [ci, c] of candidates.entries()) {
    const options = c.options.map((o): Option => ({
      group: o.group,
      countsAs: o.countsAs,
      credit: c.value,
      high: c.rank >= rules.levelFloor,
      unit: true,
      exemption: false,
      slots: [`u:${c.credit.urn}`, `v:${o.countsAs}`],
      mand: rules.mandIndex.get(`${o.group}|${o.countsAs}`) ?? -1,
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
      const gi = rules.groupIndex.get(e.group);
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
  return items;
}

/** How the items compete: binding unit maximums, live barred sets, shared slots. */
export interface Competition {
  /** A group's unit maximum "binds" when more credits could go there than it counts. */
  binding: boolean[];
  barredSets: Set<string>[];
  /** The option shares a slot or a live barred set with another item. */
  competes: (o: Option) => boolean;
}

/**
 * Marks what competes, and adds "present without counting" options in mandatory groups whose
 * unit maximum binds. Changes the items' options in place.
 */
export function competition(input: EvaluationInput, rules: RocRules, items: Item[]): Competition {
  const { groups } = rules;
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
  const barredSets = input.qualification.barred.map((s) => new Set(s));
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
  return { binding, barredSets, competes };
}
