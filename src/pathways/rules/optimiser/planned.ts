/**
 * evaluate() of the learner's credits plus planned units, each planned unit a credit awarded
 * (active) on the evaluation date, under an id no learner credit uses. Counts the calls and
 * their nodes, and remembers whether any answer was left unproven by a node bound.
 */
import { evaluate } from '../../../catalogue/rules/roc/index.js';
import type { Evaluation } from '../../../catalogue/rules/roc/index.js';
import type { Unit } from '../../../catalogue/model.js';
import type { RouteInput, RouteStats } from './types.js';

export class PlannedEvaluator {
  readonly stats: RouteStats = { nodes: 0, evaluations: 0, evaluatorNodes: 0, passes: 0 };
  /** False once an evaluation that said "not achieved" was cut short by its node bound. */
  proven = true;
  private readonly usedIds: Set<string>;
  private readonly plannedId = new Map<string, string>();

  constructor(private readonly input: RouteInput) {
    this.usedIds = new Set(input.credits.map((c) => c.id));
  }

  /** The credit id of the planned unit `urn`. */
  idFor(urn: string): string {
    let id = this.plannedId.get(urn);
    if (id === undefined) {
      id = `planned:${urn}`;
      for (let k = 2; this.usedIds.has(id); k++) id = `planned:${urn}#${k}`;
      this.usedIds.add(id);
      this.plannedId.set(urn, id);
    }
    return id;
  }

  run(planned: readonly Unit[], evaluatorNodes?: number): Evaluation {
    const { input } = this;
    const credits = [...input.credits];
    for (const u of planned)
      credits.push({
        id: this.idFor(u.urn),
        urn: u.urn,
        credit: u.credit,
        level: u.level,
        awardDate: input.date,
        status: 'active',
      });
    const ev = evaluate({
      qualification: input.qualification,
      units: input.units,
      credits,
      exemptions: input.exemptions,
      globalEquivalences: input.globalEquivalences,
      date: input.date,
      maxNodes: evaluatorNodes,
    });
    this.stats.evaluations++;
    this.stats.evaluatorNodes += ev.nodes;
    if (!ev.exhaustive && !ev.achieved) this.proven = false;
    return ev;
  }
}
