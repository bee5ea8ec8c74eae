/** The optimiser's answers in words: why a qualification is out of reach. */
import type { Evaluation } from '../../../catalogue/rules/roc/index.js';
import type { Qualification, RuleGroup, Unit } from '../../../catalogue/model.js';
import type { Failure } from './types.js';

export function unitName(catalogue: ReadonlyMap<string, Unit>, urn: string): string {
  const u = catalogue.get(urn);
  return u ? `${urn} (${u.title})` : urn;
}

/** Why the bound says the qualification is out of reach, in words. */
export function describe(
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
export function explain(
  ev: Evaluation,
  obtainable: (v: string) => boolean,
  catalogue: ReadonlyMap<string, Unit>,
): string {
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
