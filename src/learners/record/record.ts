/**
 * The learner record view (OCF 03), shaped from what the repository read. Pure: rows in,
 * view out.
 *
 * Two groupings of the same achievements:
 * - by unit: every unit credit, in award order, withdrawn ones included (marked);
 * - by qualification: for each qualification whose rules contain a unit the learner holds
 *   a credit for that is not withdrawn (directly or through an equivalence, as credit
 *   transfer works, SPEC 3), or that an award on the record names: the credits that can
 *   count towards it, any award of it, and the rules verdict as of the record's date. The
 *   verdict is the RoC evaluator's answer for the same rules, credits and date as OCF 04
 *   gives (the same input in the same order), put in words: achieved, or what remains,
 *   and each credit of its units that does not count, and why.
 */
import type { Principal } from '../../platform/auth.js';
import type { LearnerScope } from '../access.js';
import type { LearnerCredit, Level, Qualification, Unit, Equivalence } from '../../catalogue/model.js';
import { evaluate, yearsBefore, type Evaluation, type UnmetRule } from '../../catalogue/rules/roc/index.js';

export interface CountsTowardsRow {
  qan: string;
  title: string;
  level: string;
  totalCredits: number;
  /** The unit of the qualification's rules this credit counts as (its own URN when direct). */
  countsAs: string;
  groups: string[];
}

/** One achievement record as the repository reads it. */
export interface AchievementRow {
  /** The record's graph key (the RoC evaluator's credit id, as in OCF 04). */
  key?: string;
  recordId: string;
  aoUkprn: string;
  aoName: string | null;
  uln: string;
  kind: string | null;
  urn: string | null;
  qan: string | null;
  title: string | null;
  awardDate: string | null;
  credit: number | null;
  level: string | null;
  grade: string | null;
  status: string | null;
  underChallenge: boolean | null;
  countsTowards: CountsTowardsRow[];
}

export interface RecordAchievement {
  recordId: string;
  kind: 'unit' | 'qualification';
  /** The ULN the record was submitted under: another than the record's own when merged. */
  uln: string;
  urn: string | null;
  qan: string | null;
  title: string | null;
  ao: { ukprn: string; name: string | null };
  awardDate: string | null;
  credit: number | null;
  level: string | null;
  grade: string | null;
  status: 'active' | 'withdrawn';
  underChallenge: boolean;
}

export interface CountingCredit extends RecordAchievement {
  countsAs: string;
  groups: string[];
}

/** Why a credit of a qualification's units does not count (or not all of it) towards it. */
export type VerdictExclusionReason =
  'withdrawn' | 'after-date' | 'expired' | 'duplicate-unit' | 'barred' | 'over-group-maximum' | 'not-needed';

export interface VerdictExclusion {
  recordId: string;
  urn: string;
  title: string | null;
  awardDate: string | null;
  credit: number | null;
  reason: VerdictExclusionReason;
  /** Credits of it that do not count here (all of them unless a group's maximum cut it). */
  creditsNotCounted: number;
  /** The reason in words, for this qualification. */
  explanation: string;
}

export interface VerdictGroup {
  id: string;
  title: string;
  mandatory: boolean;
  credits: number;
  units: number;
  minCredits: number | null;
  maxCredits: number | null;
  minUnits: number | null;
  maxUnits: number | null;
  missingUnits: string[];
  met: boolean;
}

/** The rules-of-combination answer for one qualification on a date (the evaluator's, as OCF 04). */
export interface RecordVerdict {
  date: string;
  achieved: boolean;
  /** False only when the evaluator's search bound stopped it (then "not achieved" means "none found"). */
  exhaustive: boolean;
  creditsCounted: number;
  creditsRequired: number;
  /** Credits still needed, at least: the largest of the shortfalls on the total, the level rule and the groups' minimums added up. */
  creditsRemaining: number;
  /** Units still needed, at least: mandatory units missing plus the groups' unit minimums not met. */
  unitsRemaining: number;
  creditsAtLevel: { level: Level; counted: number; required: number } | null;
  /** The verdict in one sentence. */
  summary: string;
  unmet: { rule: UnmetRule; group: string | null; message: string }[];
  groups: VerdictGroup[];
  /** Which credit counted where. */
  counted: { recordId: string; urn: string; countsAs: string; group: string; credits: number; counted: number }[];
  excluded: VerdictExclusion[];
}

export interface RecordQualification {
  qan: string;
  title: string;
  level: string;
  totalCredits: number;
  /** Credit value of the distinct units with an active credit that sit in its rules (where credits can count, not the verdict). */
  creditsTowards: number;
  /** An active award of the qualification itself is on the record. */
  awarded: boolean;
  /** The rules verdict on the record's date; null when the catalogue has no rules for it. */
  verdict: RecordVerdict | null;
  awards: RecordAchievement[];
  credits: CountingCredit[];
}

/** One qualification's rules as the RoC evaluator takes them (catalogue QualificationRules). */
export interface RulesInput {
  qualification: Qualification;
  units: ReadonlyMap<string, Unit>;
  globalEquivalences: Equivalence[];
}

export interface RecordView {
  uln: string;
  /** Only for the learner themself, the operator, and a link the learner made with names. */
  name: { givenName: string | null; familyName: string | null } | null;
  /** "own-records": the learner has not agreed to share, so only your AO's records are shown. */
  scope: LearnerScope;
  summary: {
    unitCredits: number;
    creditValue: number;
    qualificationsAwarded: number;
    underChallenge: number;
    withdrawn: number;
  };
  byQualification: RecordQualification[];
  byUnit: RecordAchievement[];
  awards: RecordAchievement[];
}

/**
 * Whose names the record view shows: the learner's own, and the service operator's (who
 * acts for learners on the telephone). Organisations looking a learner up already know
 * who the learner is; they get the ULN only.
 */
export function seesNames(principal: Principal, uln: string, linkedTo: string | null = null): boolean {
  if (principal.roles.includes('operator')) return true;
  return (
    principal.roles.includes('learner') &&
    principal.uln !== undefined &&
    (principal.uln === uln || principal.uln === linkedTo)
  );
}

function achievement(r: AchievementRow): RecordAchievement {
  return {
    recordId: r.recordId,
    kind: r.kind === 'qualification' ? 'qualification' : 'unit',
    uln: r.uln,
    urn: r.urn,
    qan: r.qan,
    title: r.title,
    ao: { ukprn: r.aoUkprn, name: r.aoName },
    awardDate: r.awardDate,
    credit: r.credit,
    level: r.level,
    grade: r.grade,
    status: r.status === 'withdrawn' ? 'withdrawn' : 'active',
    underChallenge: r.underChallenge === true,
  };
}

function byAwardDate(a: RecordAchievement, b: RecordAchievement): number {
  const da = a.awardDate ?? '';
  const db = b.awardDate ?? '';
  if (da !== db) return da < db ? -1 : 1;
  if (a.recordId !== b.recordId) return a.recordId < b.recordId ? -1 : 1;
  return a.ao.ukprn < b.ao.ukprn ? -1 : a.ao.ukprn > b.ao.ukprn ? 1 : 0;
}

/**
 * The learner's unit credits as the evaluator takes them, in the order OCF 04 reads them
 * (award date, then key): the same input gives the same allocation.
 */
export function evaluatorCredits(rows: AchievementRow[]): LearnerCredit[] {
  return rows
    .filter((r) => r.kind === 'unit' && r.urn !== null)
    .map((r): LearnerCredit => ({
      id: r.key ?? `${r.aoUkprn}:${r.recordId}`,
      urn: r.urn as string,
      credit: r.credit ?? 0,
      level: (r.level ?? 'E1') as Level,
      awardDate: r.awardDate ?? '',
      status: r.status === 'withdrawn' ? 'withdrawn' : r.underChallenge ? 'challenged' : 'active',
    }))
    .sort((a, b) => (a.awardDate === b.awardDate ? (a.id < b.id ? -1 : 1) : a.awardDate < b.awardDate ? -1 : 1));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function groupLimit(g: VerdictGroup): string {
  const parts: string[] = [];
  if (g.maxCredits !== null) parts.push(`at most ${plural(g.maxCredits, 'credit')}`);
  if (g.maxUnits !== null) parts.push(`at most ${plural(g.maxUnits, 'unit')}`);
  return `group ${g.id} (${g.title}) takes ${parts.join(' and ')}`;
}

const isFull = (g: VerdictGroup) =>
  (g.maxCredits !== null && g.credits >= g.maxCredits) || (g.maxUnits !== null && g.units >= g.maxUnits);

/**
 * The evaluator's answer for one qualification, in the record's words. `rowsByKey` finds the
 * record behind each credit; `groupsOf` says which of the qualification's groups a credit's
 * unit sits in (directly or by equivalence), so that only credits of its units are listed.
 */
export function verdictOf(
  rules: RulesInput,
  evaluation: Evaluation,
  date: string,
  rowsByKey: Map<string, AchievementRow>,
  groupsOf: (row: AchievementRow) => { groups: string[]; countsAs: string[] } | null,
): RecordVerdict {
  const q = rules.qualification;
  const groups: VerdictGroup[] = evaluation.groups.map((g) => ({
    id: g.id,
    title: g.title,
    mandatory: g.mandatory,
    credits: g.credits,
    units: g.units,
    minCredits: g.minCredits ?? null,
    maxCredits: g.maxCredits ?? null,
    minUnits: g.minUnits ?? null,
    maxUnits: g.maxUnits ?? null,
    missingUnits: g.missingUnits,
    met: g.met,
  }));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const rowOf = (creditId: string) => rowsByKey.get(creditId);
  const excluded: VerdictExclusion[] = [];
  const base = (row: AchievementRow, urn: string) => ({
    recordId: row.recordId,
    urn,
    title: row.title,
    awardDate: row.awardDate,
    credit: row.credit,
  });

  for (const e of evaluation.excluded) {
    if (e.reason === 'not-in-qualification') continue;
    const row = rowOf(e.creditId);
    if (!row) continue;
    const where = groupsOf(row);
    if (where === null || where.groups.length === 0) continue;
    const inGroups = where.groups;
    let reason: VerdictExclusionReason;
    let explanation: string;
    switch (e.reason) {
      case 'withdrawn':
        reason = 'withdrawn';
        explanation = 'withdrawn by the awarding organisation: a withdrawn credit counts nowhere';
        break;
      case 'after-date':
        reason = 'after-date';
        explanation = `awarded after ${date}, the date of this verdict`;
        break;
      case 'expired':
        reason = 'expired';
        explanation = `expired: this qualification counts credit for ${plural(q.validityYears ?? 0, 'year')}, and this one was awarded on or before ${yearsBefore(date, q.validityYears ?? 0)}`;
        break;
      case 'duplicate-unit':
        reason = 'duplicate-unit';
        explanation = 'another credit for the same unit counts instead: a unit counts once';
        break;
      case 'barred': {
        reason = 'barred';
        const set = q.barred.find((b) => b.some((u) => u === e.urn || where.countsAs.includes(u))) ?? [];
        const counting = set.filter((u) => evaluation.allocation.some((a) => a.countsAs === u));
        explanation =
          counting.length > 0
            ? `barred: at most one of ${set.join(', ')} may count, and ${counting.join(', ')} counts`
            : 'barred: it is in a barred combination with a unit that counts';
        break;
      }
      default: {
        const full = inGroups.map((id) => groupById.get(id)).filter((g): g is VerdictGroup => !!g && isFull(g));
        if (full.length === inGroups.length && full.length > 0) {
          reason = 'over-group-maximum';
          explanation = `over a group maximum: ${full.map(groupLimit).join('; ')}, and that is reached`;
        } else if (evaluation.achieved) {
          reason = 'not-needed';
          explanation = 'not needed: the rules are met without it';
        } else {
          reason = 'not-needed';
          explanation = 'not counted: it adds nothing the rules can still use here';
        }
      }
    }
    excluded.push({ ...base(row, e.urn), reason, creditsNotCounted: row.credit ?? 0, explanation });
  }
  // Credits placed in a group but cut by its maximum.
  for (const a of evaluation.allocation) {
    if (a.counted >= a.credits && a.unitCounted) continue;
    const row = rowOf(a.creditId);
    const g = groupById.get(a.group);
    if (!row || !g) continue;
    const words =
      a.counted === 0
        ? 'none of its credits count'
        : `${plural(a.counted, 'credit')} of its ${a.credits} count${a.counted === 1 ? 's' : ''}`;
    excluded.push({
      ...base(row, a.urn),
      reason: 'over-group-maximum',
      creditsNotCounted: a.credits - a.counted,
      explanation: `over a group maximum: ${words}, because ${groupLimit(g)}`,
    });
  }

  const totalShort = Math.max(0, evaluation.totalRequired - evaluation.totalCredits);
  const levelShort = evaluation.creditsAtLevel
    ? Math.max(0, evaluation.creditsAtLevel.required - evaluation.creditsAtLevel.counted)
    : 0;
  const groupShort = groups.reduce((s, g) => s + Math.max(0, (g.minCredits ?? 0) - g.credits), 0);
  const creditsRemaining = evaluation.achieved ? 0 : Math.max(totalShort, levelShort, groupShort);
  const unitsRemaining = evaluation.achieved
    ? 0
    : groups.reduce((s, g) => s + Math.max(g.missingUnits.length, (g.minUnits ?? 0) - g.units, 0), 0);
  const unmet = evaluation.unmet.map((u) => ({ rule: u.rule, group: u.group ?? null, message: u.message }));
  const summary = evaluation.achieved
    ? `Achieved on ${date}: the rules of combination are met with ${plural(evaluation.totalCredits, 'credit')}.`
    : `Not achieved on ${date}: ${evaluation.totalCredits} of the ${evaluation.totalRequired} credits it needs count` +
      (creditsRemaining > 0 || unitsRemaining > 0
        ? `; at least ${plural(creditsRemaining, 'more credit')}${unitsRemaining > 0 ? ` and ${plural(unitsRemaining, 'more unit')}` : ''} needed`
        : '') +
      `. ${unmet.map((u) => u.message).join('; ')}` +
      (evaluation.exhaustive ? '' : ' (the search stopped at its bound: no allocation meeting every rule was found)') +
      '.';
  return {
    date,
    achieved: evaluation.achieved,
    exhaustive: evaluation.exhaustive,
    creditsCounted: evaluation.totalCredits,
    creditsRequired: evaluation.totalRequired,
    creditsRemaining,
    unitsRemaining,
    creditsAtLevel: evaluation.creditsAtLevel ?? null,
    summary: summary.replace(/\.\.$/, '.'),
    unmet,
    groups,
    counted: evaluation.allocation.map((a) => ({
      recordId: rowOf(a.creditId)?.recordId ?? a.creditId,
      urn: a.urn,
      countsAs: a.countsAs,
      group: a.group,
      credits: a.credits,
      counted: a.counted,
    })),
    excluded,
  };
}

export function buildRecordView(input: {
  uln: string;
  scope: LearnerScope;
  name: RecordView['name'];
  rows: AchievementRow[];
  /** Rules of the qualifications the record touches, by QAN (read with the record). */
  rules?: ReadonlyMap<string, RulesInput>;
  /** The date of the verdicts, YYYY-MM-DD (today). */
  date?: string;
}): RecordView {
  const all = input.rows.map((r) => ({ row: r, view: achievement(r) }));
  all.sort((a, b) => byAwardDate(a.view, b.view));
  const byUnit = all.filter((a) => a.view.kind === 'unit').map((a) => a.view);
  const awards = all.filter((a) => a.view.kind === 'qualification').map((a) => a.view);

  const quals = new Map<string, RecordQualification & { unitCredit: Map<string, number> }>();
  const entry = (qan: string, title: string | null, level: string | null, totalCredits: number | null) => {
    let q = quals.get(qan);
    if (!q) {
      q = {
        qan,
        title: title ?? qan,
        level: level ?? '',
        totalCredits: totalCredits ?? 0,
        creditsTowards: 0,
        awarded: false,
        verdict: null,
        awards: [],
        credits: [],
        unitCredit: new Map(),
      };
      quals.set(qan, q);
    } else if (q.title === qan && title) {
      q.title = title;
    }
    return q;
  };

  for (const { row, view } of all) {
    if (view.kind === 'qualification') {
      if (view.qan === null) continue;
      const q = entry(view.qan, view.title, view.level, null);
      q.awards.push(view);
      if (view.status === 'active') q.awarded = true;
      continue;
    }
    // Withdrawn credits count nowhere; a credit under challenge still counts (OCF 08).
    if (view.status === 'withdrawn' || view.urn === null) continue;
    const seen = new Map<string, CountingCredit>();
    for (const c of row.countsTowards) {
      const q = entry(c.qan, c.title, c.level, c.totalCredits);
      // A qualification first met through an award learns its credit total here.
      if (q.totalCredits === 0) q.totalCredits = c.totalCredits;
      const already = seen.get(c.qan);
      if (already) {
        // The unit counts as two units of this qualification (an equivalence): one entry.
        already.groups = [...new Set([...already.groups, ...c.groups])].sort();
        if (c.countsAs === view.urn) already.countsAs = c.countsAs;
        continue;
      }
      const counting: CountingCredit = { ...view, countsAs: c.countsAs, groups: [...c.groups].sort() };
      seen.set(c.qan, counting);
      q.credits.push(counting);
      // A re-take of the same unit adds no credit: the best value counts once.
      q.unitCredit.set(view.urn, Math.max(q.unitCredit.get(view.urn) ?? 0, view.credit ?? 0));
    }
  }

  const date = input.date ?? new Date().toISOString().slice(0, 10);
  const credits = evaluatorCredits(input.rows);
  const rowsByKey = new Map(input.rows.map((r) => [r.key ?? `${r.aoUkprn}:${r.recordId}`, r]));
  const verdict = (qan: string): RecordVerdict | null => {
    const rules = input.rules?.get(qan);
    if (!rules) return null;
    const { qualification, units, globalEquivalences } = rules;
    const evaluation = evaluate({ qualification, units, credits, globalEquivalences, date });
    const groupsOf = (row: AchievementRow) => {
      const found = row.countsTowards.filter((c) => c.qan === qan);
      if (found.length === 0) return null;
      return { groups: [...new Set(found.flatMap((c) => c.groups))], countsAs: found.map((c) => c.countsAs) };
    };
    return verdictOf(rules, evaluation, date, rowsByKey, groupsOf);
  };

  const byQualification: RecordQualification[] = [...quals.values()]
    .filter((q) => q.credits.length > 0 || q.awards.length > 0)
    .map(({ unitCredit, ...q }) => ({
      ...q,
      creditsTowards: [...unitCredit.values()].reduce((s, c) => s + c, 0),
      verdict: verdict(q.qan),
    }))
    .sort((a, b) => {
      if (a.awarded !== b.awarded) return a.awarded ? -1 : 1;
      const achieved = (q: RecordQualification) => q.verdict?.achieved === true;
      if (achieved(a) !== achieved(b)) return achieved(a) ? -1 : 1;
      // The share that counts by the rules; without rules, the share where credits can count.
      const share = (q: RecordQualification) =>
        q.verdict
          ? q.verdict.creditsRequired > 0
            ? q.verdict.creditsCounted / q.verdict.creditsRequired
            : 0
          : q.totalCredits > 0
            ? q.creditsTowards / q.totalCredits
            : 0;
      if (share(a) !== share(b)) return share(b) - share(a);
      return a.qan < b.qan ? -1 : a.qan > b.qan ? 1 : 0;
    });

  const active = byUnit.filter((a) => a.status === 'active');
  return {
    uln: input.uln,
    name: input.name,
    scope: input.scope,
    summary: {
      unitCredits: active.length,
      creditValue: active.reduce((s, a) => s + (a.credit ?? 0), 0),
      qualificationsAwarded: awards.filter((a) => a.status === 'active').length,
      underChallenge: all.filter((a) => a.view.status === 'active' && a.view.underChallenge).length,
      withdrawn: all.filter((a) => a.view.status === 'withdrawn').length,
    },
    byQualification,
    byUnit,
    awards,
  };
}
