/**
 * The evaluator's answer from the allocation the search chose: which credit counted where
 * (capped), each group's progress, why each left-out credit was left out, and each unmet rule
 * in words.
 */
import type { Qualification } from '../../model.js';
import type { RocRules, excluder } from './items.js';
import type {
  AllocationEntry,
  Candidate,
  EvaluationInput,
  ExemptionUse,
  ExclusionReason,
  GroupProgress,
  Item,
  Option,
  UnmetReason,
} from './types.js';

/** The allocation in groups, with what the exclusions step needs to know of it. */
export interface Allocated {
  allocation: (AllocationEntry & { order: number })[];
  exemptionsUsed: ExemptionUse[];
  groupsOut: GroupProgress[];
  finalSlots: Set<string>;
  finalBarred: Int32Array;
  totalCredits: number;
  levelCounted: number;
}

export function allocate(
  input: EvaluationInput,
  rules: RocRules,
  items: Item[],
  candidates: Candidate[],
  final: Int32Array,
  barredCount: number,
): Allocated {
  const q = input.qualification;
  const { groups, G } = rules;
  const cap = (g: number) => groups[g].maxCredits ?? Infinity;
  const allocation: (AllocationEntry & { order: number })[] = [];
  const exemptionsUsed: ExemptionUse[] = [];
  const groupsOut: GroupProgress[] = [];
  const present = groups.map(() => new Set<string>());
  const finalSlots = new Set<string>();
  const finalBarred = new Int32Array(barredCount);
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

  return { allocation, exemptionsUsed, groupsOut, finalSlots, finalBarred, totalCredits, levelCounted };
}

/** Why each candidate left out was left out. */
export function explainExclusions(
  items: Item[],
  candidates: Candidate[],
  final: Int32Array,
  { finalSlots, finalBarred }: Allocated,
  exclude: ReturnType<typeof excluder>,
): void {
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
}

/** Each rule the allocation leaves unmet, in words. */
export function unmetRules(
  q: Qualification,
  rules: RocRules,
  catalogue: EvaluationInput['units'],
  { groupsOut, totalCredits, levelCounted }: Allocated,
): UnmetReason[] {
  const { levelRule } = rules;
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

  return unmet;
}
