/**
 * The learner record view (OCF 03), shaped from what the repository read. Pure: rows in,
 * view out.
 *
 * Two groupings of the same achievements:
 * - by unit: every unit credit, in award order, withdrawn ones included (marked);
 * - by qualification: for each qualification whose rules contain a unit the learner holds
 *   an active credit for (directly or through an equivalence, as credit transfer works,
 *   SPEC 3), the credits that count towards it and their total, plus any award of the
 *   qualification itself. This is "where the credits can count", not a rules-of-combination
 *   verdict: the exact progress of one qualification is OCF 04.
 */
import type { Principal } from '../../platform/auth.js';
import type { LearnerScope } from '../access.js';

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

export interface RecordQualification {
  qan: string;
  title: string;
  level: string;
  totalCredits: number;
  /** Credit value of the distinct units with an active credit that sit in its rules. */
  creditsTowards: number;
  /** An active award of the qualification itself is on the record. */
  awarded: boolean;
  awards: RecordAchievement[];
  credits: CountingCredit[];
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

export function buildRecordView(input: {
  uln: string;
  scope: LearnerScope;
  name: RecordView['name'];
  rows: AchievementRow[];
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

  const byQualification: RecordQualification[] = [...quals.values()]
    .filter((q) => q.credits.length > 0 || q.awards.length > 0)
    .map(({ unitCredit, ...q }) => ({ ...q, creditsTowards: [...unitCredit.values()].reduce((s, c) => s + c, 0) }))
    .sort((a, b) => {
      if (a.awarded !== b.awarded) return a.awarded ? -1 : 1;
      const share = (q: RecordQualification) => (q.totalCredits > 0 ? q.creditsTowards / q.totalCredits : 0);
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
