/**
 * OCF 01 / OCF 02: the shape of one achievement record as an awarding organisation sends
 * it (SPEC section 5), shared by single-record requests, CSV rows and XML elements.
 * Fields arrive as text; validation (src/achievements/validate.ts) turns them into typed
 * records or row problems with codes.
 */

export const ACTIONS = ['ADD', 'AMEND', 'WITHDRAW'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The interface-file fields in column order: the CSV header is exactly these names, and
 * the XML form uses the same names as child elements of <record>.
 */
export const RECORD_FIELDS = [
  'record_id',
  'action',
  'uln',
  'given_name',
  'family_name',
  'date_of_birth',
  'gender',
  'urn',
  'qan',
  'award_date',
  'grade',
  'credit',
  'level',
  'provider_ukprn',
  'language',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

/** One record as submitted: every field as text, absent or empty when not given. */
export type SubmittedRecord = Partial<Record<RecordField, string>>;

/** A submitted record with its place in the file (1-based data row; 0 for a single record). */
export interface NumberedRecord {
  row: number;
  record: SubmittedRecord;
}

/** Why one row was not loaded. `field` names the offending field where there is one. */
export interface RowProblem {
  row: number;
  recordId?: string;
  field?: RecordField;
  code: string;
  message: string;
}

/** What happened to the rows of one chunk (or one single record). */
export interface ChunkOutcome {
  accepted: number;
  /** Of the accepted rows, how many arrived more than 10 working days after the award date. */
  late: number;
  /** Rows that changed nothing (an ADD repeating the stored record exactly). */
  unchanged: number;
  rejected: RowProblem[];
}

/** Who is submitting: the AO the records belong to. */
export interface Submitter {
  aoUkprn: string;
  /** ISO 3166-2 nation for working days (see src/operations/service-hours.ts). */
  nation: string;
  /** The user or API client, for the audit trail; never personal details. */
  subject: string;
}

/** Rows of a batch are applied in two passes: unit credits first, then qualification awards. */
export function passOf(record: SubmittedRecord): 'units' | 'qualifications' {
  return (record.qan ?? '').trim() !== '' && (record.urn ?? '').trim() === '' ? 'qualifications' : 'units';
}
