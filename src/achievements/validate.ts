/**
 * Row validation for achievement records (SPEC sections 2 and 5, OCF 01 / OCF 02), shared
 * by single records and batch rows. Pure: everything it needs about the register, the
 * catalogue, the AO's stored records and the learner's credits comes in through a
 * RowContext of synchronous look-ups that the caller filled beforehand, and "today" is
 * passed in.
 *
 * A row gets one decision: rejected with the first problem found (checks run in a fixed
 * order, so the same row always gets the same code), unchanged, or a change to write.
 * Messages never repeat a name, date of birth, gender or postcode.
 */
import { isValidUln, TEMPORARY_ULN, ULN_PROBLEM_MESSAGES, ulnProblem } from '../learners/uln.js';
import {
  FIELD_FLAGS,
  parseDateOfBirth,
  verifyLearner,
  type RegisterEntry,
  type VerifiedField,
} from '../learners/verify.js';
import {
  isLevel,
  QAN_PATTERN,
  UKPRN_PATTERN,
  URN_PATTERN,
  type LearnerCredit,
  type Level,
  type Unit,
} from '../catalogue/model.js';
import type { QualificationRules } from '../catalogue/repository.js';
import { evaluate } from '../catalogue/rules/roc/index.js';
import {
  ACTIONS,
  type Action,
  type NumberedRecord,
  type RecordField,
  type RowProblem,
  type SubmittedRecord,
} from './rows.js';

// ---------------------------------------------------------------------------------------
// Row error codes: fixed; docs/interface-files.md lists the same table.

export interface RowErrorCode {
  code: string;
  /** The field the code is about, when it is about one field. */
  field?: RecordField;
  meaning: string;
}

export const ROW_ERRORS = [
  {
    code: 'E001',
    field: 'record_id',
    meaning: 'record_id is missing or is not 1 to 50 characters of letters, digits, ".", "_", "-" or "/"',
  },
  { code: 'E002', field: 'action', meaning: 'action is missing or is not ADD, AMEND or WITHDRAW' },
  {
    code: 'E003',
    field: 'record_id',
    meaning:
      'an earlier row of this batch already dealt with this record_id (added, amended, withdrew it or repeated it unchanged); send a further change to it in a later batch',
  },
  {
    code: 'E004',
    field: 'uln',
    meaning: 'the ULN is missing or not valid (10 digits, not starting with 0, with the right check digit)',
  },
  {
    code: 'E005',
    field: 'uln',
    meaning: 'the ULN is the temporary placeholder 9999999999, which is never accepted for an achievement',
  },
  { code: 'E006', field: 'uln', meaning: 'no learner is registered with this ULN (verification answer WSVRC005)' },
  {
    code: 'E007',
    meaning: 'the learner details do not match the register (WSVRC004); the message names the fields and VRF flags',
  },
  {
    code: 'E008',
    meaning: 'the learner details are only similar to the register (WSVRC003); send them exactly as registered',
  },
  {
    code: 'E009',
    field: 'uln',
    meaning:
      'the ULN was merged into another learner record (WSVRC002); submit against the master ULN the message gives',
  },
  { code: 'E010', meaning: 'give exactly one of urn (a unit credit) and qan (a qualification award)' },
  { code: 'E011', field: 'urn', meaning: 'the URN is not in the form J/617/2480' },
  { code: 'E012', field: 'qan', meaning: 'the QAN is not in the form 501/1855/9' },
  { code: 'E013', field: 'urn', meaning: 'no unit with this URN is in the catalogue' },
  { code: 'E014', field: 'qan', meaning: 'no qualification with this QAN is in the catalogue' },
  {
    code: 'E015',
    field: 'credit',
    meaning:
      "credit is missing, not a whole number, or not the catalogue's credit value for the unit (or total credits of the qualification)",
  },
  {
    code: 'E016',
    field: 'level',
    meaning: "level is missing, not one of E1, E2, E3, 1 to 8, or not the catalogue's level",
  },
  { code: 'E017', field: 'award_date', meaning: 'award_date is missing or not a real date written YYYY-MM-DD' },
  { code: 'E018', field: 'award_date', meaning: 'award_date is in the future' },
  { code: 'E019', field: 'award_date', meaning: "award_date is before the learner's date of birth" },
  {
    code: 'E020',
    field: 'grade',
    meaning: 'grade is longer than 20 characters or holds characters other than letters, digits, spaces and "+-*/()."',
  },
  { code: 'E021', field: 'provider_ukprn', meaning: 'provider_ukprn is not 8 digits starting with 1' },
  { code: 'E022', field: 'language', meaning: 'language is not a 2 or 3 letter ISO 639 code (en, cy, ga, gd, ...)' },
  { code: 'E023', field: 'record_id', meaning: 'AMEND or WITHDRAW names a record_id this AO has never submitted' },
  {
    code: 'E024',
    field: 'record_id',
    meaning: 'ADD repeats a record_id this AO already submitted, with different content: use AMEND to change it',
  },
  {
    code: 'E025',
    meaning:
      'AMEND or WITHDRAW would change the learner (uln) or the unit or qualification of the record: withdraw it and ADD a new record instead',
  },
  {
    code: 'E026',
    field: 'qan',
    meaning:
      "the learner's valid credits do not meet the qualification's rules of combination on the award date; the message names the unmet rule",
  },
] as const satisfies readonly RowErrorCode[];

export type RowErrorCodeName = (typeof ROW_ERRORS)[number]['code'];

export const ROW_ERROR_MEANINGS: Readonly<Record<RowErrorCodeName, string>> = Object.fromEntries(
  ROW_ERRORS.map((e) => [e.code, e.meaning]),
) as Record<RowErrorCodeName, string>;

// ---------------------------------------------------------------------------------------
// What validation works with

export type RecordKind = 'unit' | 'qualification';
export type RecordStatus = 'active' | 'withdrawn';

/** The content of a record: what ADD and AMEND set, and what "identical" compares. */
export interface RecordContent {
  uln: string;
  kind: RecordKind;
  /** Exactly one of urn and qan. */
  urn: string | null;
  qan: string | null;
  credit: number;
  level: Level;
  /** YYYY-MM-DD. */
  awardDate: string;
  grade: string | null;
  providerUkprn: string | null;
  language: string | null;
}

/** A record of this AO as stored now (its current version). */
export interface StoredRecord extends RecordContent {
  recordId: string;
  status: RecordStatus;
  version: number;
  late: boolean;
  /** The batch and row that last changed it, when a batch did. */
  batchId: string | null;
  batchRow: number | null;
}

export interface RowContext {
  /** The submitting AO. */
  aoUkprn: string;
  /** Today in London, YYYY-MM-DD: award dates after it are in the future. */
  today: string;
  /** The batch being run, if any. */
  batchId?: string;
  register(uln: string): RegisterEntry | undefined;
  unit(urn: string): Unit | undefined;
  /** The qualification with its rules (for RoC), or undefined when the catalogue has none. */
  qualification(qan: string): QualificationRules | undefined;
  /** This AO's stored record with this record id. */
  existing(recordId: string): StoredRecord | undefined;
  /**
   * The row of this batch run that already dealt with this record id (changed it, or
   * repeated it unchanged), when it is not `row` itself and the stored record does not
   * say so already (its batchId and batchRow mark the row of this batch that changed it).
   */
  earlierRow(recordId: string, row: number): number | undefined;
  /** The learner's unit credits as they stand for this row (RoC checks). */
  credits(uln: string): LearnerCredit[];
}

export type RowDecision =
  | { kind: 'rejected'; problem: RowProblem }
  /** An ADD identical to the stored record, an AMEND to what it already says, a WITHDRAW of a withdrawn record. */
  | { kind: 'unchanged'; recordId: string; action: Action }
  | { kind: 'add'; recordId: string; content: RecordContent }
  | { kind: 'amend'; recordId: string; content: RecordContent; previous: StoredRecord }
  | { kind: 'withdraw'; recordId: string; previous: StoredRecord }
  /** This very row was already applied by an earlier run of the same batch (a retried job). */
  | { kind: 'replayed'; recordId: string; action: Action; previous: StoredRecord };

// ---------------------------------------------------------------------------------------
// Field rules

export const RECORD_ID_PATTERN = /^[A-Za-z0-9._/-]{1,50}$/;
const GRADE_PATTERN = /^[A-Za-z0-9 +\-*/().]{1,20}$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}$/;

function field(record: SubmittedRecord, name: RecordField): string {
  const v = record[name];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * How a message refers to a value it refuses: by its length, never its content. A value in
 * the wrong column may be a learner's name, date of birth or postcode, and a rejection
 * report goes to the AO's staff and into logs (issue 15 part 6): messages name the field
 * and the rule only.
 */
function quoted(value: string): string {
  return `(the value given, ${value.length} character${value.length === 1 ? '' : 's'})`;
}

/** "5011855" + check character, or the slashed form: the slashed form. */
export function normaliseQanText(raw: string): string {
  const s = raw.toUpperCase();
  return /^[0-9]{7}[0-9A-Z]$/.test(s) ? `${s.slice(0, 3)}/${s.slice(3, 7)}/${s.slice(7)}` : s;
}

function normaliseLevel(raw: string): string {
  return raw.toUpperCase().replace(/^ENTRY\s*/, 'E');
}

class Rejection {
  constructor(
    readonly code: RowErrorCodeName,
    readonly message: string,
    readonly field?: RecordField,
  ) {}
}

function reject(code: RowErrorCodeName, message: string, fieldName?: RecordField): never {
  throw new Rejection(code, message, fieldName);
}

const VERIFIED_TO_FIELD: Readonly<Record<VerifiedField, RecordField | undefined>> = {
  givenName: 'given_name',
  familyName: 'family_name',
  dateOfBirth: 'date_of_birth',
  gender: 'gender',
  postcode: undefined,
};

/** The learner's details against the register: the register entry compared with, or a rejection. */
function checkLearner(record: SubmittedRecord, uln: string, ctx: RowContext): RegisterEntry {
  const answer = verifyLearner(
    {
      uln,
      givenName: field(record, 'given_name'),
      familyName: field(record, 'family_name'),
      dateOfBirth: field(record, 'date_of_birth'),
      gender: field(record, 'gender'),
    },
    (u) => ctx.register(u),
  );
  switch (answer.outcome) {
    case 'match':
      return ctx.register(uln) as RegisterEntry;
    case 'not-found':
      return reject(
        'E006',
        answer.linkProblem
          ? answer.message
          : `no learner is registered with ULN ${uln} (WSVRC005); verify the ULN before submitting`,
        'uln',
      );
    case 'linked-match':
      return reject(
        'E009',
        `ULN ${uln} was merged into ULN ${answer.masterUln} (WSVRC002): submit the record against ${answer.masterUln}`,
        'uln',
      );
    case 'similar-match':
      return reject(
        'E008',
        `${answer.message} (WSVRC003, flags ${answer.flags.join(', ')}); send the details exactly as registered`,
        VERIFIED_TO_FIELD[answer.mismatches[0]],
      );
    case 'no-match':
      return reject(
        'E007',
        `${answer.message} (WSVRC004, flags ${answer.mismatches.map((f) => FIELD_FLAGS[f]).join(', ')})`,
        VERIFIED_TO_FIELD[answer.mismatches[0]],
      );
    default:
      // invalid-uln cannot happen: the ULN was checked first.
      return reject('E004', answer.message, 'uln');
  }
}

/** The unit or qualification, credit and level, checked against the catalogue. */
function checkLearning(
  record: SubmittedRecord,
  ctx: RowContext,
): Pick<RecordContent, 'kind' | 'urn' | 'qan' | 'credit' | 'level'> & { rules?: QualificationRules } {
  const urnText = field(record, 'urn').toUpperCase();
  const qanText = field(record, 'qan');
  if ((urnText === '') === (qanText === '')) {
    reject(
      'E010',
      urnText === ''
        ? 'neither urn nor qan is given: give the unit (urn) or the qualification (qan)'
        : 'both urn and qan are given: a record is either a unit credit (urn) or a qualification award (qan)',
    );
  }
  const creditText = field(record, 'credit');
  const levelText = normaliseLevel(field(record, 'level'));
  if (urnText !== '') {
    if (!URN_PATTERN.test(urnText))
      reject('E011', `urn ${quoted(urnText)} is not a unit reference number like J/617/2480`, 'urn');
    const unit = ctx.unit(urnText);
    if (!unit) reject('E013', `no unit with URN ${urnText} is in the catalogue`, 'urn');
    if (!/^[0-9]{1,4}$/.test(creditText))
      reject(
        'E015',
        creditText === ''
          ? `credit is missing: unit ${unit.urn} carries ${unit.credit}`
          : `credit ${quoted(creditText)} is not a whole number`,
        'credit',
      );
    if (Number(creditText) !== unit.credit)
      reject(
        'E015',
        `credit ${Number(creditText)} does not agree with the catalogue: unit ${unit.urn} carries ${unit.credit}`,
        'credit',
      );
    if (!isLevel(levelText))
      reject(
        'E016',
        levelText === ''
          ? `level is missing: unit ${unit.urn} is level ${unit.level}`
          : `level ${quoted(levelText)} is not one of E1, E2, E3, 1 to 8`,
        'level',
      );
    if (levelText !== unit.level)
      reject(
        'E016',
        `level ${levelText} does not agree with the catalogue: unit ${unit.urn} is level ${unit.level}`,
        'level',
      );
    return { kind: 'unit', urn: unit.urn, qan: null, credit: unit.credit, level: unit.level };
  }
  const qan = normaliseQanText(qanText);
  if (!QAN_PATTERN.test(qan))
    reject('E012', `qan ${quoted(qanText)} is not a qualification number like 501/1855/9`, 'qan');
  const rules = ctx.qualification(qan);
  if (!rules) reject('E014', `no qualification with QAN ${qan} is in the catalogue`, 'qan');
  const q = rules.qualification;
  // A qualification's credit value is its total credits; giving it is optional.
  if (creditText !== '') {
    if (!/^[0-9]{1,4}$/.test(creditText))
      reject('E015', `credit ${quoted(creditText)} is not a whole number`, 'credit');
    if (Number(creditText) !== q.totalCredits)
      reject(
        'E015',
        `credit ${Number(creditText)} does not agree with the catalogue: qualification ${qan} needs ${q.totalCredits} credits`,
        'credit',
      );
  }
  if (!isLevel(levelText))
    reject(
      'E016',
      levelText === ''
        ? `level is missing: qualification ${qan} is level ${q.level}`
        : `level ${quoted(levelText)} is not one of E1, E2, E3, 1 to 8`,
      'level',
    );
  if (levelText !== q.level)
    reject(
      'E016',
      `level ${levelText} does not agree with the catalogue: qualification ${qan} is level ${q.level}`,
      'level',
    );
  return { kind: 'qualification', urn: null, qan, credit: q.totalCredits, level: q.level, rules };
}

function checkOptional(record: SubmittedRecord): Pick<RecordContent, 'grade' | 'providerUkprn' | 'language'> {
  const grade = field(record, 'grade');
  if (grade !== '' && !GRADE_PATTERN.test(grade))
    reject('E020', 'grade must be at most 20 letters, digits, spaces or "+-*/()."', 'grade');
  const provider = field(record, 'provider_ukprn');
  if (provider !== '' && !UKPRN_PATTERN.test(provider))
    reject('E021', `provider_ukprn ${quoted(provider)} is not a UKPRN (8 digits starting with 1)`, 'provider_ukprn');
  const language = field(record, 'language').toLowerCase();
  if (language !== '' && !LANGUAGE_PATTERN.test(language))
    reject(
      'E022',
      `language ${quoted(field(record, 'language'))} is not a 2 or 3 letter ISO 639 code such as en or cy`,
      'language',
    );
  return { grade: grade || null, providerUkprn: provider || null, language: language || null };
}

function checkAwardDate(record: SubmittedRecord, ctx: RowContext, entry: RegisterEntry): string {
  const text = field(record, 'award_date');
  const date = parseDateOfBirth(text);
  if (date === null)
    reject(
      'E017',
      text === '' ? 'award_date is missing' : `award_date ${quoted(text)} is not a real date written YYYY-MM-DD`,
      'award_date',
    );
  if (date > ctx.today) reject('E018', `award_date is in the future (today is ${ctx.today})`, 'award_date');
  const born = parseDateOfBirth(entry.dateOfBirth);
  // The message leaves the date of birth out: it is personal.
  if (born !== null && date < born) reject('E019', "award_date is before the learner's date of birth", 'award_date');
  return date;
}

/** Content equality: what makes a second ADD a no-op and an AMEND a change. */
export function sameContent(a: RecordContent, b: RecordContent): boolean {
  return (
    a.uln === b.uln &&
    a.kind === b.kind &&
    a.urn === b.urn &&
    a.qan === b.qan &&
    a.credit === b.credit &&
    a.level === b.level &&
    a.awardDate === b.awardDate &&
    (a.grade ?? null) === (b.grade ?? null) &&
    (a.providerUkprn ?? null) === (b.providerUkprn ?? null) &&
    (a.language ?? null) === (b.language ?? null)
  );
}

function checkRoc(content: RecordContent, rules: QualificationRules, ctx: RowContext): void {
  const credits = ctx.credits(content.uln);
  const evaluation = evaluate({
    qualification: rules.qualification,
    units: rules.units,
    globalEquivalences: rules.globalEquivalences,
    credits,
    date: content.awardDate,
  });
  if (evaluation.achieved) return;
  const reasons = evaluation.unmet.map((u) => u.message);
  const why =
    reasons.length > 0
      ? reasons.join('; ')
      : 'no allocation of the credits meeting every rule was found within the search limit';
  reject(
    'E026',
    `the learner's valid credits on ${content.awardDate} do not meet the rules of combination of ${content.qan}: ${why}`,
    'qan',
  );
}

function decide(n: NumberedRecord, ctx: RowContext): RowDecision {
  const record = n.record ?? {};
  const recordId = field(record, 'record_id');
  if (!RECORD_ID_PATTERN.test(recordId)) {
    reject(
      'E001',
      recordId === ''
        ? 'record_id is missing'
        : `record_id ${quoted(recordId)} must be 1 to 50 letters, digits, ".", "_", "-" or "/"`,
      'record_id',
    );
  }
  const actionText = field(record, 'action').toUpperCase();
  if (!(ACTIONS as readonly string[]).includes(actionText)) {
    reject(
      'E002',
      actionText === ''
        ? 'action is missing: ADD, AMEND or WITHDRAW'
        : `action ${quoted(field(record, 'action'))} is not ADD, AMEND or WITHDRAW`,
      'action',
    );
  }
  const action = actionText as Action;

  const stored = ctx.existing(recordId);
  if (ctx.batchId !== undefined && stored && stored.batchId === ctx.batchId && stored.batchRow === n.row) {
    return { kind: 'replayed', recordId, action, previous: stored };
  }
  const earlier =
    ctx.earlierRow(recordId, n.row) ??
    (ctx.batchId !== undefined && stored && stored.batchId === ctx.batchId && stored.batchRow !== null
      ? stored.batchRow
      : undefined);
  if (earlier !== undefined) {
    reject(
      'E003',
      `row ${earlier} of this batch already dealt with record ${recordId}; send a further change to it in a later batch`,
      'record_id',
    );
  }

  if (action !== 'ADD' && !stored) {
    reject(
      'E023',
      `${action} needs an existing record, and this AO has no record ${recordId}: use ADD for a new record`,
      'record_id',
    );
  }

  if (action === 'WITHDRAW') {
    const previous = stored as StoredRecord;
    const ulnText = field(record, 'uln');
    if (ulnText !== '' && ulnText !== previous.uln) {
      reject('E025', `record ${recordId} belongs to another ULN than ${ulnText}: check the record_id`, 'uln');
    }
    if (previous.status === 'withdrawn') return { kind: 'unchanged', recordId, action };
    return { kind: 'withdraw', recordId, previous };
  }

  // ADD and AMEND carry the whole record.
  const uln = field(record, 'uln');
  if (uln === TEMPORARY_ULN) reject('E005', ULN_PROBLEM_MESSAGES.temporary, 'uln');
  if (!isValidUln(uln)) {
    const problem = ulnProblem(uln);
    reject('E004', `the ULN is not valid: ${ULN_PROBLEM_MESSAGES[problem ?? 'missing']}`, 'uln');
  }
  const entry = checkLearner(record, uln, ctx);
  const learning = checkLearning(record, ctx);
  const awardDate = checkAwardDate(record, ctx, entry);
  const optional = checkOptional(record);
  const { rules, ...what } = learning;
  const content: RecordContent = { uln, ...what, awardDate, ...optional };

  if (action === 'ADD') {
    if (stored) {
      if (stored.status === 'active' && sameContent(stored, content)) return { kind: 'unchanged', recordId, action };
      reject(
        'E024',
        `this AO already has a record ${recordId} with different content${stored.status === 'withdrawn' ? ' (withdrawn)' : ''}: send it with action AMEND to change it`,
        'record_id',
      );
    }
  } else {
    const previous = stored as StoredRecord;
    if (
      previous.uln !== content.uln ||
      previous.kind !== content.kind ||
      previous.urn !== content.urn ||
      previous.qan !== content.qan
    ) {
      const what =
        previous.uln !== content.uln
          ? 'learner (uln)'
          : previous.kind === 'unit'
            ? `unit (${previous.urn})`
            : `qualification (${previous.qan})`;
      reject(
        'E025',
        `AMEND cannot change the ${what} of record ${recordId}: withdraw it and ADD a new record`,
        previous.uln !== content.uln ? 'uln' : previous.kind === 'unit' ? 'urn' : 'qan',
      );
    }
    if (previous.status === 'active' && sameContent(previous, content)) return { kind: 'unchanged', recordId, action };
  }

  if (rules) checkRoc(content, rules, ctx);
  return action === 'ADD'
    ? { kind: 'add', recordId, content }
    : { kind: 'amend', recordId, content, previous: stored as StoredRecord };
}

/** Decide what one submitted record does. Never throws for bad input: bad input is a rejection. */
export function validateRow(n: NumberedRecord, ctx: RowContext): RowDecision {
  try {
    return decide(n, ctx);
  } catch (err) {
    if (!(err instanceof Rejection)) throw err;
    const rawId = typeof n.record?.record_id === 'string' ? n.record.record_id.trim() : '';
    const problem: RowProblem = { row: n.row, code: err.code, message: err.message };
    if (RECORD_ID_PATTERN.test(rawId)) problem.recordId = rawId;
    if (err.field) problem.field = err.field;
    return { kind: 'rejected', problem };
  }
}
