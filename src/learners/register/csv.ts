/**
 * The learner file (docs/learner-files.md): a CSV with a header row naming its columns.
 * Pure: the header and row rules, and LearnerFileCheck, which follows a whole file row by
 * row (duplicates, merge links) without keeping the rows. The streaming itself (csv-parse)
 * and the register look-ups are in load.ts.
 *
 * Row numbers are line numbers of the file: the header is row 1, and a row is numbered by
 * the line it starts on, so that an editor's "go to line" finds it.
 */
import { type Options as CsvOptions } from 'csv-parse';
import { type FieldProblemCode, type Learner, type LearnerField, checkLearner } from './learner-fields.js';

/** The columns, in the order the sample file and the documentation use. */
export const LEARNER_COLUMNS = [
  'uln',
  'given_name',
  'family_name',
  'previous_family_name',
  'date_of_birth',
  'gender',
  'postcode',
  'email',
  'available',
  'linked_to',
] as const;
export type LearnerColumn = (typeof LEARNER_COLUMNS)[number];

export const REQUIRED_LEARNER_COLUMNS: readonly LearnerColumn[] = [
  'uln',
  'given_name',
  'family_name',
  'date_of_birth',
  'gender',
];

const FIELD_OF_COLUMN: Readonly<Record<LearnerColumn, LearnerField>> = {
  uln: 'uln',
  given_name: 'givenName',
  family_name: 'familyName',
  previous_family_name: 'previousFamilyName',
  date_of_birth: 'dateOfBirth',
  gender: 'gender',
  postcode: 'postcode',
  email: 'email',
  available: 'available',
  linked_to: 'linkedTo',
};
const COLUMN_OF_FIELD = Object.fromEntries(Object.entries(FIELD_OF_COLUMN).map(([c, f]) => [f, c])) as Record<
  LearnerField,
  LearnerColumn
>;

export function columnOf(field: LearnerField): LearnerColumn {
  return COLUMN_OF_FIELD[field];
}

/** Problems that concern the file, its header or the relation between rows. */
export type FileProblemCode =
  | 'unreadable-file'
  | 'csv-syntax'
  | 'empty-file'
  | 'missing-column'
  | 'unknown-column'
  | 'duplicate-column'
  | 'field-count'
  | 'duplicate-uln'
  | 'linked-to-unknown'
  | 'linked-to-linked';

export type LearnerFileErrorCode = FieldProblemCode | FileProblemCode;

export interface RowError {
  /** Line of the file the row starts on (the header is 1); 0 for the file as a whole. */
  row: number;
  /** The column concerned; "" when the problem is the whole row or file. */
  field: string;
  code: LearnerFileErrorCode;
  /** Names the column and the rule, never the value. */
  message: string;
}

/**
 * csv-parse settings shared by every CSV this service reads: a UTF-8 byte-order mark is
 * dropped, empty lines are skipped, rows may have any number of fields (the checker says
 * which are wrong, rather than the parser stopping at the first), and `info` gives the
 * line numbers.
 */
export const CSV_PARSE_OPTIONS: CsvOptions = {
  bom: true,
  skip_empty_lines: true,
  relax_column_count: true,
  info: true,
  max_record_size: 64 * 1024,
};

/** A parsed record with its position, as csv-parse gives it with `info: true`. */
export interface CsvRecordInfo {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/**
 * Turns csv-parse's "line the record ends on" into "line the record starts on": the line
 * after the previous record, plus the empty lines skipped in between.
 */
export class RowNumbers {
  private lastEnd = 0;
  private lastEmpty = 0;

  next(info: CsvRecordInfo['info']): number {
    const start = this.lastEnd + 1 + (info.empty_lines - this.lastEmpty);
    this.lastEnd = info.lines;
    this.lastEmpty = info.empty_lines;
    return start;
  }
}

/** A record whose every field is blank: what spreadsheets write for an empty row. Skipped. */
export function isBlankRecord(record: readonly string[]): boolean {
  return record.every((v) => v.trim() === '');
}

/** Where each known column is in the file. */
export interface Header {
  width: number;
  positions: Partial<Record<LearnerColumn, number>>;
}

/**
 * Read the header row (row `row`). Column names are matched ignoring case and surrounding
 * spaces; their order is free. Every required column must be there; an unknown or repeated
 * column is refused, so that a misspelt optional column is not silently ignored.
 */
export function readHeader<C extends string>(
  record: readonly string[],
  row: number,
  known: readonly C[],
  required: readonly C[],
): { ok: true; header: { width: number; positions: Partial<Record<C, number>> } } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const positions: Partial<Record<C, number>> = {};
  record.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (!(known as readonly string[]).includes(name)) {
      // The cell is not repeated: a file without its header row would put a learner's details here.
      errors.push({
        row,
        field: `column ${i + 1}`,
        code: 'unknown-column',
        message: `column ${i + 1} of the header is not a column of this file (the columns are ${known.join(', ')}; does the file start with its header row?)`,
      });
      return;
    }
    const column = name as C;
    if (positions[column] !== undefined) {
      errors.push({ row, field: column, code: 'duplicate-column', message: `column ${column} appears more than once` });
      return;
    }
    positions[column] = i;
  });
  for (const column of required) {
    if (positions[column] === undefined)
      errors.push({
        row,
        field: column,
        code: 'missing-column',
        message: `the required column ${column} is missing from the header`,
      });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, header: { width: record.length, positions } };
}

export function readLearnerHeader(record: readonly string[], row: number) {
  return readHeader<LearnerColumn>(record, row, LEARNER_COLUMNS, REQUIRED_LEARNER_COLUMNS);
}

/** The row's field count against the header's, as an error or null. */
export function fieldCountError(header: { width: number }, record: readonly string[], row: number): RowError | null {
  if (record.length === header.width) return null;
  return {
    row,
    field: '',
    code: 'field-count',
    message: `the row has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.width}; check for a missing or extra comma, or an unquoted comma inside a value`,
  };
}

/** Check one data row of a learner file on its own (not against other rows). */
export function validateLearnerRow(
  header: Header,
  record: readonly string[],
  row: number,
  today: string,
): { ok: true; learner: Learner } | { ok: false; errors: RowError[] } {
  const wrongWidth = fieldCountError(header, record, row);
  if (wrongWidth) return { ok: false, errors: [wrongWidth] };
  const raw: Record<string, string> = {};
  for (const column of LEARNER_COLUMNS) {
    const at = header.positions[column];
    if (at !== undefined) raw[FIELD_OF_COLUMN[column]] = record[at];
  }
  const checked = checkLearner(raw, today, columnOf);
  if (checked.ok) return checked;
  return {
    ok: false,
    errors: checked.problems.map((p) => ({ row, field: columnOf(p.field), code: p.code, message: p.message })),
  };
}

// ---------------------------------------------------------------------------------------
// The whole file

/** What the register holds for a ULN that a row names in linked_to (see LearnerFileCheck.finish). */
export interface MasterFacts {
  /** Registered with personal details. */
  registered: boolean;
  /** Itself merged into another record. */
  linked: boolean;
}

/**
 * Follows a learner file row by row and keeps only what cross-row rules need: each ULN's
 * row (as a number, to keep a large file's memory small) and the rows with a merge link.
 * Call `header` once, `row` for each data row, then `finish` with what the register holds
 * for `mastersToLookUp()`.
 *
 * Merge links are checked so that a load never leaves a link that verification cannot
 * follow: the master must be in the same file or already registered, and must not itself
 * be merged (link to the master directly). A row that links to a master later in the file
 * is fine.
 */
export class LearnerFileCheck {
  header: Header | null = null;
  /** Data rows read (blank rows not counted). */
  rows = 0;
  /** Rows without a problem of their own. */
  validRows = 0;
  errorCount = 0;
  private readonly kept: RowError[] = [];
  private readonly rowOfUln = new Map<number, number>();
  private readonly linkedInFile = new Set<number>();
  private readonly links: { row: number; uln: string; linkedTo: string }[] = [];

  constructor(
    private readonly today: string,
    /** Errors kept for the report; the rest are only counted. */
    private readonly maxErrors = 1_000,
  ) {}

  private add(errors: RowError[]): void {
    for (const e of errors) {
      this.errorCount++;
      if (this.kept.length < this.maxErrors) this.kept.push(e);
    }
  }

  /** A problem found outside the row rules (the file cannot be read or parsed). */
  fail(error: RowError): void {
    this.add([error]);
  }

  readHeader(record: readonly string[], row: number): boolean {
    const read = readLearnerHeader(record, row);
    if (!read.ok) {
      this.add(read.errors);
      return false;
    }
    this.header = read.header;
    return true;
  }

  /** Check one data row; the learner when the row is valid on its own. */
  row(record: readonly string[], row: number): Learner | null {
    if (!this.header) throw new Error('readHeader first');
    this.rows++;
    const checked = validateLearnerRow(this.header, record, row, this.today);
    if (!checked.ok) {
      this.add(checked.errors);
      return null;
    }
    const { learner } = checked;
    const key = Number(learner.uln);
    const earlier = this.rowOfUln.get(key);
    if (earlier !== undefined) {
      this.add([
        {
          row,
          field: 'uln',
          code: 'duplicate-uln',
          message: `uln is the same as on row ${earlier}; each learner may appear once in a file`,
        },
      ]);
      return null;
    }
    this.rowOfUln.set(key, row);
    if (learner.linkedTo !== null) {
      this.linkedInFile.add(key);
      this.links.push({ row, uln: learner.uln, linkedTo: learner.linkedTo });
    }
    this.validRows++;
    return learner;
  }

  /** The masters named by linked_to that are not in the file: the register must be asked about them. */
  mastersToLookUp(): string[] {
    return [...new Set(this.links.filter((l) => !this.rowOfUln.has(Number(l.linkedTo))).map((l) => l.linkedTo))];
  }

  /** Check the merge links, given what the register holds for `mastersToLookUp()` (absent: not registered). */
  finish(register: ReadonlyMap<string, MasterFacts>): void {
    for (const link of this.links) {
      const key = Number(link.linkedTo);
      if (this.rowOfUln.has(key)) {
        if (this.linkedInFile.has(key)) {
          this.add([
            {
              row: link.row,
              field: 'linked_to',
              code: 'linked-to-linked',
              message: `linked_to names the learner on row ${this.rowOfUln.get(key)}, who is merged into another record too; link to the master record directly`,
            },
          ]);
        }
        continue;
      }
      const facts = register.get(link.linkedTo);
      if (!facts || !facts.registered) {
        this.add([
          {
            row: link.row,
            field: 'linked_to',
            code: 'linked-to-unknown',
            message: 'linked_to names a ULN that is neither in this file nor on the learner register',
          },
        ]);
      } else if (facts.linked) {
        this.add([
          {
            row: link.row,
            field: 'linked_to',
            code: 'linked-to-linked',
            message:
              'linked_to names a registered learner who is merged into another record; link to the master record directly',
          },
        ]);
      }
    }
  }

  get ok(): boolean {
    return this.errorCount === 0 && this.header !== null;
  }

  /** The errors kept, in row order. */
  errors(): RowError[] {
    return [...this.kept].sort((a, b) => a.row - b.row);
  }
}
