/**
 * OCF 08 rules, pure: what a data challenge must say, who may say what, and what a
 * resolution does to the record. No I/O, no clock (the caller passes `now`).
 *
 * Filing: one achievement record, named by its key "UKPRN:recordId" or by the AO's UKPRN
 * and its record id, with a reason of 10 to 2,000 characters. A learner files online for
 * themself, now. Service staff (operator) record a written challenge (letter or email)
 * from the learner or a representative: they may say when it was received (`filedAt`,
 * for back-dating to the day the letter arrived) and who the representative is.
 *
 * Resolving: the submitting AO upholds (withdrawing or amending the record) or rejects
 * with a reason. An amendment must change something, and a unit credit's value and level
 * must agree with the catalogue (SPEC 5).
 */
import { UKPRN_PATTERN, isLevel, type Level } from '../../catalogue/model.js';
import { parseInstant, type RuleProblem, type RuleResult } from '../availability/rules.js';

export type { RuleProblem, RuleResult } from '../availability/rules.js';

export const REASON_MIN = 10;
export const REASON_MAX = 2000;
export const RECORD_ID_MAX = 100;
export const REPRESENTATIVE_NAME_MAX = 200;
export const RELATIONSHIP_MAX = 100;
export const GRADE_MAX = 40;
const CLOCK_SKEW_MS = 2 * 60_000;

export const CHALLENGE_STATUSES = ['open', 'upheld', 'rejected'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];
/** online: the learner through the portal or API; written: a letter or email recorded by staff. */
export type ChallengeChannel = 'online' | 'written';
export type ChallengeActor = 'learner' | 'operator';

const fail = <T>(problem: RuleProblem): RuleResult<T> => ({ ok: false, problem });
const bad = <T>(field: string, code: string, message: string): RuleResult<T> =>
  fail({ status: 400, code, field, message });

// ---------------------------------------------------------------------------------------
// Naming the record

export interface RecordRef {
  key: string;
  aoUkprn: string;
  recordId: string;
}

export function recordRef(input: { recordKey?: string; aoUkprn?: string; recordId?: string }): RuleResult<RecordRef> {
  const byKey = input.recordKey !== undefined;
  const byParts = input.aoUkprn !== undefined || input.recordId !== undefined;
  if (byKey && byParts)
    return bad(
      'recordKey',
      'RECORD_NAMED_TWICE',
      'name the record either by recordKey or by aoUkprn and recordId, not both',
    );
  if (!byKey && !byParts)
    return bad(
      'recordKey',
      'RECORD_REQUIRED',
      'say which record is challenged: recordKey ("UKPRN:recordId"), or aoUkprn and recordId',
    );
  let aoUkprn: string;
  let recordId: string;
  if (byKey) {
    const key = input.recordKey as string;
    const colon = key.indexOf(':');
    if (colon < 0)
      return bad(
        'recordKey',
        'INVALID_RECORD_KEY',
        `a record key is the AO's UKPRN, a colon and the AO's record id, e.g. 10000001:R0001234; got ${JSON.stringify(key)}`,
      );
    aoUkprn = key.slice(0, colon);
    recordId = key.slice(colon + 1);
    if (!UKPRN_PATTERN.test(aoUkprn))
      return bad(
        'recordKey',
        'INVALID_RECORD_KEY',
        `the record key must start with the AO's UKPRN (8 digits starting with 1); got ${JSON.stringify(aoUkprn)}`,
      );
    if (recordId.trim() === '' || recordId.length > RECORD_ID_MAX)
      return bad(
        'recordKey',
        'INVALID_RECORD_KEY',
        `the record id after the colon must be 1 to ${RECORD_ID_MAX} characters`,
      );
  } else {
    if (input.aoUkprn === undefined) return bad('aoUkprn', 'RECORD_REQUIRED', 'aoUkprn is needed with recordId');
    if (input.recordId === undefined) return bad('recordId', 'RECORD_REQUIRED', 'recordId is needed with aoUkprn');
    aoUkprn = input.aoUkprn;
    recordId = input.recordId;
    if (!UKPRN_PATTERN.test(aoUkprn))
      return bad('aoUkprn', 'INVALID_UKPRN', `a UKPRN is 8 digits starting with 1; got ${JSON.stringify(aoUkprn)}`);
    if (recordId.trim() === '' || recordId.length > RECORD_ID_MAX)
      return bad('recordId', 'INVALID_RECORD_ID', `a record id is 1 to ${RECORD_ID_MAX} characters`);
  }
  return { ok: true, value: { key: `${aoUkprn}:${recordId}`, aoUkprn, recordId } };
}

// ---------------------------------------------------------------------------------------
// Filing

export interface FilingInput {
  recordKey?: string;
  aoUkprn?: string;
  recordId?: string;
  reason: string;
  representative?: { name: string; relationship: string };
  /** Operator only: when the written challenge was received. */
  filedAt?: string;
}

export interface PlannedFiling {
  record: RecordRef;
  reason: string;
  channel: ChallengeChannel;
  filedAt: Date;
  /** Whether filedAt was given by staff (back-dated to when a letter arrived) rather than now. */
  backdated: boolean;
  representative: { name: string; relationship: string } | null;
}

function checkText(value: string, field: string, min: number, max: number, what: string): RuleResult<string> {
  const text = value.trim();
  if (text.length < min || text.length > max) {
    return bad(
      field,
      'INVALID_TEXT',
      `${what} must be ${min} to ${max} characters (not counting spaces at either end); got ${text.length}`,
    );
  }
  return { ok: true, value: text };
}

export function planFiling(actor: ChallengeActor, input: FilingInput, now: Date): RuleResult<PlannedFiling> {
  const record = recordRef(input);
  if (!record.ok) return record;
  const reason = checkText(input.reason, 'reason', REASON_MIN, REASON_MAX, 'the reason');
  if (!reason.ok) return reason;
  if (actor === 'learner') {
    if (input.representative !== undefined)
      return bad(
        'representative',
        'FIELD_NOT_ALLOWED',
        "a representative's challenge is recorded by service staff from their letter; a learner files their own online",
      );
    if (input.filedAt !== undefined)
      return bad(
        'filedAt',
        'FIELD_NOT_ALLOWED',
        "filedAt is for service staff recording a written challenge; a learner's online challenge is filed now",
      );
    return {
      ok: true,
      value: {
        record: record.value,
        reason: reason.value,
        channel: 'online',
        filedAt: now,
        backdated: false,
        representative: null,
      },
    };
  }
  let representative: PlannedFiling['representative'] = null;
  if (input.representative !== undefined) {
    const name = checkText(
      input.representative.name,
      'representative.name',
      1,
      REPRESENTATIVE_NAME_MAX,
      "the representative's name",
    );
    if (!name.ok) return name;
    const relationship = checkText(
      input.representative.relationship,
      'representative.relationship',
      1,
      RELATIONSHIP_MAX,
      'the relationship to the learner',
    );
    if (!relationship.ok) return relationship;
    representative = { name: name.value, relationship: relationship.value };
  }
  let filedAt = now;
  if (input.filedAt !== undefined) {
    const at = parseInstant(input.filedAt);
    if (!at)
      return bad(
        'filedAt',
        'INVALID_DATE_TIME',
        `filedAt must be an ISO date-time with a time zone, e.g. 2025-08-22T18:00:00Z; got ${JSON.stringify(input.filedAt)}`,
      );
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
      return bad(
        'filedAt',
        'FILED_IN_FUTURE',
        'filedAt is in the future; it is when the written challenge was received',
      );
    filedAt = at.getTime() > now.getTime() ? now : at;
  }
  return {
    ok: true,
    value: {
      record: record.value,
      reason: reason.value,
      channel: 'written',
      filedAt,
      backdated: input.filedAt !== undefined,
      representative,
    },
  };
}

/** What the graph says about the record being challenged. */
export interface ChallengedRecordFacts {
  status: 'active' | 'withdrawn';
  /** When the AO submitted it (ms since the epoch), when known. */
  submittedAtMs: number | null;
}

/**
 * The checks that need the record itself: a withdrawn record cannot be challenged, and a
 * back-dated written challenge cannot be older than the record (a typo in the date).
 */
export function checkFilingAgainstRecord(plan: PlannedFiling, record: ChallengedRecordFacts): RuleProblem | null {
  if (record.status === 'withdrawn') {
    return {
      status: 409,
      code: 'RECORD_WITHDRAWN',
      message: `record ${plan.record.key} has been withdrawn; there is nothing left to challenge`,
    };
  }
  if (plan.backdated && record.submittedAtMs !== null && plan.filedAt.getTime() < record.submittedAtMs) {
    return {
      status: 400,
      code: 'FILED_BEFORE_RECORD',
      field: 'filedAt',
      message: 'filedAt is before the record was submitted; a challenge cannot be older than its record',
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Resolving

export type ResolutionAction = 'withdraw' | 'amend';

export interface Amendment {
  credit?: number;
  level?: string;
  grade?: string;
  awardDate?: string;
}

export interface ResolutionInput {
  outcome: 'upheld' | 'rejected';
  reason?: string;
  action?: ResolutionAction;
  amendment?: Amendment;
}

/** The record as it stands, and its unit in the catalogue (null for a qualification award or unknown unit). */
export interface RecordState {
  status: 'active' | 'withdrawn';
  credit: number;
  level: string;
  grade: string | null;
  awardDate: string;
}

export interface FieldChange {
  field: 'credit' | 'level' | 'grade' | 'awardDate' | 'status';
  from: string | number | null;
  to: string | number | null;
}

export interface PlannedResolution {
  outcome: 'upheld' | 'rejected';
  reason: string | null;
  action: ResolutionAction | null;
  /** What changes on the record; empty when rejected. */
  changes: FieldChange[];
  /** The values to set on the record (only the changed ones). */
  set: { credit?: number; level?: Level; grade?: string; awardDate?: string; withdraw?: true };
}

function isRealDate(value: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function planResolution(
  input: ResolutionInput,
  challengeStatus: ChallengeStatus,
  record: RecordState,
  unit: { credit: number; level: string } | null,
  now: Date,
): RuleResult<PlannedResolution> {
  if (challengeStatus !== 'open')
    return fail({ status: 409, code: 'CHALLENGE_CLOSED', message: `this challenge was already ${challengeStatus}` });
  let reason: string | null = null;
  if (input.reason !== undefined) {
    const r = checkText(input.reason, 'reason', REASON_MIN, REASON_MAX, 'the reason');
    if (!r.ok) return r;
    reason = r.value;
  }
  if (input.outcome === 'rejected') {
    if (reason === null) return bad('reason', 'REASON_REQUIRED', 'a rejection must say why (reason), for the learner');
    if (input.action !== undefined)
      return bad('action', 'FIELD_NOT_ALLOWED', 'a rejected challenge changes nothing, so it takes no action');
    if (input.amendment !== undefined)
      return bad('amendment', 'FIELD_NOT_ALLOWED', 'a rejected challenge changes nothing, so it takes no amendment');
    return { ok: true, value: { outcome: 'rejected', reason, action: null, changes: [], set: {} } };
  }
  if (input.action === undefined)
    return bad(
      'action',
      'ACTION_REQUIRED',
      'an upheld challenge either withdraws the record (action "withdraw") or amends it (action "amend" with amendment)',
    );
  if (record.status === 'withdrawn')
    return fail({
      status: 409,
      code: 'RECORD_WITHDRAWN',
      message: 'the record has already been withdrawn; it can be neither withdrawn nor amended again',
    });
  if (input.action === 'withdraw') {
    if (input.amendment !== undefined) return bad('amendment', 'FIELD_NOT_ALLOWED', 'a withdrawal takes no amendment');
    return {
      ok: true,
      value: {
        outcome: 'upheld',
        reason,
        action: 'withdraw',
        changes: [{ field: 'status', from: 'active', to: 'withdrawn' }],
        set: { withdraw: true },
      },
    };
  }
  const a = input.amendment;
  if (a === undefined || Object.keys(a).length === 0)
    return bad('amendment', 'AMENDMENT_REQUIRED', 'say what the amendment changes: credit, level, grade or awardDate');
  const changes: FieldChange[] = [];
  const set: PlannedResolution['set'] = {};
  if (a.credit !== undefined) {
    if (!Number.isInteger(a.credit) || a.credit < 1 || a.credit > 999)
      return bad('amendment.credit', 'INVALID_CREDIT', 'a credit value is a whole number from 1 to 999');
    if (unit && a.credit !== unit.credit)
      return bad(
        'amendment.credit',
        'DISAGREES_WITH_CATALOGUE',
        `the unit is worth ${unit.credit} credits in the catalogue; a record must agree with it`,
      );
    if (a.credit !== record.credit) {
      changes.push({ field: 'credit', from: record.credit, to: a.credit });
      set.credit = a.credit;
    }
  }
  if (a.level !== undefined) {
    if (!isLevel(a.level))
      return bad('amendment.level', 'INVALID_LEVEL', `a level is E1, E2, E3 or 1 to 8; got ${JSON.stringify(a.level)}`);
    if (unit && a.level !== unit.level)
      return bad(
        'amendment.level',
        'DISAGREES_WITH_CATALOGUE',
        `the unit is at level ${unit.level} in the catalogue; a record must agree with it`,
      );
    if (a.level !== record.level) {
      changes.push({ field: 'level', from: record.level, to: a.level });
      set.level = a.level;
    }
  }
  if (a.grade !== undefined) {
    const g = checkText(a.grade, 'amendment.grade', 1, GRADE_MAX, 'a grade');
    if (!g.ok) return g;
    if (g.value !== record.grade) {
      changes.push({ field: 'grade', from: record.grade, to: g.value });
      set.grade = g.value;
    }
  }
  if (a.awardDate !== undefined) {
    if (!isRealDate(a.awardDate))
      return bad(
        'amendment.awardDate',
        'INVALID_DATE',
        `awardDate must be a real day written YYYY-MM-DD; got ${JSON.stringify(a.awardDate)}`,
      );
    if (a.awardDate > now.toISOString().slice(0, 10))
      return bad('amendment.awardDate', 'AWARD_IN_FUTURE', 'awardDate cannot be in the future');
    if (a.awardDate !== record.awardDate) {
      changes.push({ field: 'awardDate', from: record.awardDate, to: a.awardDate });
      set.awardDate = a.awardDate;
    }
  }
  if (changes.length === 0)
    return bad(
      'amendment',
      'NOTHING_TO_AMEND',
      'the amendment gives the values the record already has; nothing would change',
    );
  return { ok: true, value: { outcome: 'upheld', reason, action: 'amend', changes, set } };
}

/** One sentence for the learner about what happened, with no personal details in it. */
export function outcomeSentence(plan: Pick<PlannedResolution, 'outcome' | 'action' | 'changes'>): string {
  if (plan.outcome === 'rejected')
    return 'The awarding organisation has rejected your challenge; the record stays as it was.';
  if (plan.action === 'withdraw')
    return 'The awarding organisation has upheld your challenge and withdrawn the record.';
  const list = plan.changes.map((c) => `${c.field} from ${c.from ?? '(none)'} to ${c.to ?? '(none)'}`).join(', ');
  return `The awarding organisation has upheld your challenge and amended the record: ${list}.`;
}
