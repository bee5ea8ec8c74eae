/**
 * The verification batch (OCF 11 batch, docs/learner-files.md): a CSV of learners in, the
 * same rows with their answers out. Pure: reading the header, preparing each row and
 * writing each answer line. The streaming and the register look-ups are in service.ts.
 *
 * A row that cannot be verified (a missing field, a date of birth that is not a real day
 * or is in the future, a gender that is not a code, the wrong number of fields) does not
 * fail the batch: it gets an answer line of its own with code ROW_INVALID, so that one bad
 * row among thousands costs the caller one line to fix, not a second round trip for the
 * rest. Only a file that cannot be read as a whole (no header, a bad header, broken CSV
 * quoting, too many rows) is refused.
 */
import { csvLine } from '../../platform/csv.js';
import { type RowError, fieldCountError, readHeader } from '../register/csv.js';
import type { SubmittedDetails, VerificationAnswer, VerifiedField } from '../verify.js';
import { type VerifyInputField, checkVerifyInput } from './input.js';

export const VERIFY_COLUMNS = ['uln', 'given_name', 'family_name', 'date_of_birth', 'gender', 'postcode'] as const;
export type VerifyColumn = (typeof VERIFY_COLUMNS)[number];
export const REQUIRED_VERIFY_COLUMNS: readonly VerifyColumn[] = [
  'uln',
  'given_name',
  'family_name',
  'date_of_birth',
  'gender',
];

/** Answer columns added after the input columns. */
export const ANSWER_COLUMNS = ['code', 'outcome', 'master_uln', 'mismatches', 'flags', 'message'] as const;
export const OUTPUT_COLUMNS = ['row', ...VERIFY_COLUMNS, ...ANSWER_COLUMNS] as const;

/** The code and outcome of a row that could not be verified. */
export const ROW_INVALID = { code: 'ROW_INVALID', outcome: 'invalid-row' } as const;

const FIELD_OF_COLUMN: Readonly<Record<VerifyColumn, VerifyInputField>> = {
  uln: 'uln',
  given_name: 'givenName',
  family_name: 'familyName',
  date_of_birth: 'dateOfBirth',
  gender: 'gender',
  postcode: 'postcode',
};
const COLUMN_OF_FIELD: Readonly<Record<VerifiedField | VerifyInputField, VerifyColumn>> = {
  uln: 'uln',
  givenName: 'given_name',
  familyName: 'family_name',
  dateOfBirth: 'date_of_birth',
  gender: 'gender',
  postcode: 'postcode',
};

export interface VerifyHeader {
  width: number;
  positions: Partial<Record<VerifyColumn, number>>;
}

export function readVerifyHeader(
  record: readonly string[],
  row: number,
): { ok: true; header: VerifyHeader } | { ok: false; errors: RowError[] } {
  return readHeader<VerifyColumn>(record, row, VERIFY_COLUMNS, REQUIRED_VERIFY_COLUMNS);
}

/** One data row, ready to verify or already answered as ROW_INVALID. */
export type BatchRow =
  | { row: number; echo: string[]; submitted: SubmittedDetails; ulnWellFormed: boolean }
  | { row: number; echo: string[]; invalid: string };

/** The input columns as sent (in the standard order), or blanks when the row's fields cannot be placed. */
function echoOf(header: VerifyHeader, record: readonly string[]): string[] {
  return VERIFY_COLUMNS.map((c) => {
    const at = header.positions[c];
    return at === undefined ? '' : (record[at] ?? '');
  });
}

export function prepareBatchRow(header: VerifyHeader, record: readonly string[], row: number, today: string): BatchRow {
  const wrongWidth = fieldCountError(header, record, row);
  if (wrongWidth) {
    return { row, echo: VERIFY_COLUMNS.map(() => ''), invalid: `The row cannot be verified: ${wrongWidth.message}.` };
  }
  const raw: Record<string, string> = {};
  for (const c of VERIFY_COLUMNS) {
    const at = header.positions[c];
    if (at !== undefined) raw[FIELD_OF_COLUMN[c]] = record[at];
  }
  const checked = checkVerifyInput(raw, today, (f) => COLUMN_OF_FIELD[f]);
  const echo = echoOf(header, record);
  if (!checked.ok)
    return { row, echo, invalid: `The row cannot be verified: ${checked.problems.map((p) => p.message).join('; ')}.` };
  return { row, echo, submitted: checked.submitted, ulnWellFormed: checked.ulnWellFormed };
}

export const OUTPUT_HEADER = csvLine(OUTPUT_COLUMNS);

/** The answer line of a row. Field lists use the file's column names, separated by ";". */
export function answerLine(row: BatchRow, answer: VerificationAnswer | null): string {
  if ('invalid' in row)
    return csvLine([String(row.row), ...row.echo, ROW_INVALID.code, ROW_INVALID.outcome, '', '', '', row.invalid]);
  if (answer === null) throw new Error('a valid row needs an answer');
  return csvLine([
    String(row.row),
    ...row.echo,
    answer.code,
    answer.outcome,
    answer.masterUln ?? '',
    answer.mismatches.map((f) => COLUMN_OF_FIELD[f]).join(';'),
    answer.flags.join(';'),
    answer.message,
  ]);
}
