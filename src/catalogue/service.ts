/**
 * OCF 04 (RoC single-qualification query) and OCF 05 (credit check): what REST, GraphQL
 * and the printable reports all answer. Reads through the repository, decides with the
 * pure evaluator, and lets a learner be seen only through the learner gate.
 */
import type { Graph } from '../platform/neo4j.js';
import type { Principal } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';
import { openLearner, type LearnerPass } from '../learners/gate.js';
import { evaluate, type Evaluation } from './rules/roc/index.js';
import {
  URN_PATTERN,
  QAN_PATTERN,
  qualificationSize,
  type Level,
  type Qualification,
  type Unit,
  type Equivalence,
} from './model.js';
import {
  getQualificationRules,
  qualificationsContainingUnit,
  creditRecords,
  loadCatalogue as writeCatalogue,
  type LoadOptions,
  type LoadReport,
  type CreditTransferMatch,
  type CreditRecordRow,
  type QualificationRules,
} from './repository.js';
import type { Catalogue } from './model.js';

/** Told of every catalogue load in this process, with the graph it went into. */
export type CatalogueLoadListener = (graph: Graph) => void;

const loadListeners = new Set<CatalogueLoadListener>();

/**
 * Register, at start, what must hear of a catalogue load: another feature that keeps what
 * it read from the catalogue (pathways' rules cache) without the catalogue knowing of it.
 * A listener registered twice is called once.
 */
export function onCatalogueLoaded(listener: CatalogueLoadListener): void {
  loadListeners.add(listener);
}

/** Load a catalogue (the repository's loadCatalogue), then tell the listeners. */
export async function loadCatalogue(graph: Graph, catalogue: Catalogue, opts: LoadOptions = {}): Promise<LoadReport> {
  const report = await writeCatalogue(graph, catalogue, opts);
  for (const listener of loadListeners) listener(graph);
  return report;
}

/** "501/1855/9", or the same without slashes. */
export function normaliseQan(raw: string): string {
  const qan = /^[0-9]{7}[0-9A-Z]$/.test(raw) ? `${raw.slice(0, 3)}/${raw.slice(3, 7)}/${raw.slice(7)}` : raw;
  if (!QAN_PATTERN.test(qan))
    throw new AppError(400, 'INVALID_QAN', `a qualification number looks like 501/1855/9; got ${JSON.stringify(raw)}`, {
      field: 'qan',
    });
  return qan;
}

export function checkUrn(urn: string): string {
  if (!URN_PATTERN.test(urn))
    throw new AppError(
      400,
      'INVALID_URN',
      `a unit reference number looks like J/617/2480; got ${JSON.stringify(urn)}`,
      { field: 'urn' },
    );
  return urn;
}

export function checkDate(date: string | undefined): string {
  const today = new Date().toISOString().slice(0, 10);
  if (date === undefined) return today;
  if (
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new AppError(
      400,
      'INVALID_DATE',
      `the date must be a real day written YYYY-MM-DD; got ${JSON.stringify(date)}`,
      { field: 'date' },
    );
  }
  return date;
}

export type RuleUnit = Unit;

export interface RulesView {
  qualification: Omit<Qualification, 'groups' | 'barred' | 'equivalences' | 'exemptions'> & {
    size: string;
    aoName: string | null;
  };
  groups: (Omit<Qualification['groups'][number], 'units'> & { units: RuleUnit[] })[];
  barred: string[][];
  equivalences: (Equivalence & { scope: 'qualification' | 'global' })[];
  exemptions: Qualification['exemptions'];
  /** Units that may stand in for a unit of the rules through an equivalence. */
  otherUnits: RuleUnit[];
}

export interface ProgressView extends Evaluation {
  uln: string;
  date: string;
  /** "own-records" when only the caller's AO's records were counted (learner unavailable). */
  scope: LearnerPass['scope'];
}

function rulesView(rules: QualificationRules): RulesView {
  const { qualification: q, units, globalEquivalences } = rules;
  const unit = (urn: string): RuleUnit =>
    units.get(urn) ?? { urn, title: '(not in the catalogue)', level: q.level, credit: 0 };
  const inGroups = new Set(q.groups.flatMap((g) => g.units));
  const { groups, barred, equivalences, exemptions, ...rest } = q;
  const view: RulesView = {
    qualification: { ...rest, size: qualificationSize(q.totalCredits), aoName: rules.aoName ?? null },
    groups: groups.map((g) => ({ ...g, units: g.units.map(unit) })),
    barred,
    equivalences: [
      ...equivalences.map((e) => ({ ...e, scope: 'qualification' as const })),
      ...globalEquivalences.map((e) => ({ ...e, scope: 'global' as const })),
    ],
    exemptions,
    otherUnits: [...units.values()].filter((u) => !inGroups.has(u.urn)).sort((a, b) => a.urn.localeCompare(b.urn)),
  };
  return view;
}

async function readRules(
  graph: Graph,
  qan: string,
  learner?: { uln: string; onlyAo: string | null },
): Promise<QualificationRules> {
  const rules = await getQualificationRules(graph, qan, learner);
  if (!rules) throw new AppError(404, 'QUALIFICATION_NOT_FOUND', `no qualification has QAN ${qan}`);
  return rules;
}

/** OCF 04: the rule structure of one qualification. */
export async function qualificationRules(graph: Graph, rawQan: string): Promise<RulesView> {
  return rulesView(await readRules(graph, normaliseQan(rawQan)));
}

/** OCF 04 with a learner: their progress against one qualification on a date. */
export async function qualificationProgress(
  graph: Graph,
  principal: Principal,
  rawQan: string,
  uln: string,
  rawDate?: string,
): Promise<{ rules: RulesView; progress: ProgressView }> {
  const date = checkDate(rawDate);
  const qan = normaliseQan(rawQan);
  const pass = await openLearner(graph, principal, uln, `rules-progress ${qan}`);
  const rules = await readRules(graph, qan, { uln, onlyAo: pass.onlyAo });
  const { qualification, units, globalEquivalences } = rules;
  const evaluation = evaluate({ qualification, units, credits: rules.credits ?? [], globalEquivalences, date });
  return { rules: rulesView(rules), progress: { ...evaluation, uln, date, scope: pass.scope } };
}

export type CreditStatusView = 'active' | 'withdrawn' | 'under-challenge';

export interface CreditCheckView {
  uln: string;
  unit: Unit;
  /** At least one record of this credit is not withdrawn. */
  awarded: boolean;
  records: {
    recordId: string;
    ao: { ukprn: string; name: string | null };
    awardDate: string;
    credit: number;
    level: Level;
    grade: string | null;
    status: CreditStatusView;
  }[];
  /** Every qualification a credit for this unit counts towards (credit transfer). */
  countsTowards: CreditTransferMatch[];
  scope: LearnerPass['scope'];
}

function statusOf(r: CreditRecordRow): CreditStatusView {
  if (r.status === 'withdrawn') return 'withdrawn';
  return r.underChallenge ? 'under-challenge' : 'active';
}

/** OCF 05: was credit for this unit awarded to this learner, and where does it count. */
export async function creditCheck(
  graph: Graph,
  principal: Principal,
  uln: string,
  rawUrn: string,
): Promise<CreditCheckView> {
  const urn = checkUrn(rawUrn);
  const pass = await openLearner(graph, principal, uln, `credit-check ${urn}`);
  const found = await creditRecords(graph, uln, urn, pass.onlyAo);
  if (!found) throw new AppError(404, 'UNIT_NOT_FOUND', `no unit has URN ${urn}`);
  const records = found.records.map((r) => ({
    recordId: r.recordId,
    ao: { ukprn: r.aoUkprn, name: r.aoName },
    awardDate: r.awardDate,
    credit: r.credit,
    level: r.level,
    grade: r.grade,
    status: statusOf(r),
  }));
  const awarded = records.some((r) => r.status !== 'withdrawn');
  return {
    uln,
    unit: found.unit,
    awarded,
    records,
    countsTowards: await qualificationsContainingUnit(graph, urn),
    scope: pass.scope,
  };
}
