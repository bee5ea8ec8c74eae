/**
 * Reading an achievement batch file (docs/interface-files.md) as a stream: CSV through
 * csv-parse, XML through saxes, one record at a time, never the whole file in memory.
 * Both forms give the same items with the same row numbers (1-based data rows; the CSV
 * header and blank lines are not rows), so CSV and XML batches report alike.
 *
 * A file that cannot be read at all (not CSV or XML, empty, truncated, the wrong header,
 * not UTF-8) is a BatchFileError and nothing of it is loaded; one malformed row (too few
 * fields, an unknown element) is a row problem and the rest of the file goes on.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { SaxesParser } from 'saxes';
import {
  passOf,
  RECORD_FIELDS,
  type NumberedRecord,
  type RecordField,
  type RowProblem,
  type SubmittedRecord,
} from '../rows.js';

export type BatchKind = 'csv' | 'xml';

/** Row problem codes of the file reader itself (the records' own codes come from validation). */
export const READER_CODES = {
  /** A CSV row with more or fewer fields than the header. */
  fieldCount: 'ROW_FIELD_COUNT',
  /** An XML <record> holding an element that is not an interface field, or nested elements. */
  unknownField: 'ROW_UNKNOWN_FIELD',
  /** An XML <record> giving the same field twice. */
  repeatedField: 'ROW_REPEATED_FIELD',
  /** A field longer than a field may be (BATCH_MAX_FIELD_CHARS). */
  fieldTooLong: 'ROW_FIELD_TOO_LONG',
} as const;

/** How long one field and one row of a file may be, characters (config BATCH_MAX_FIELD_CHARS, BATCH_MAX_ROW_CHARS). */
export interface ReadLimits {
  maxFieldChars: number;
  maxRowChars: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxFieldChars: 1_000, maxRowChars: 16_384 };

function rowTooLarge(where: string, limits: ReadLimits): BatchFileError {
  return new BatchFileError(
    'BATCH_ROW_TOO_LARGE',
    `${where} is longer than the ${limits.maxRowChars} characters a row may be (BATCH_MAX_ROW_CHARS): it cannot be an achievement record; nothing of the file was loaded`,
  );
}

function fieldTooLong(row: number, field: string, limits: ReadLimits): RowProblem {
  return {
    row,
    field: field as RecordField,
    code: READER_CODES.fieldTooLong,
    message: `row ${row}: ${field} is longer than the ${limits.maxFieldChars} characters a field may be; the row was not read`,
  };
}

/** Why a whole file is refused; `status` is the HTTP answer when found at upload. */
export class BatchFileError extends Error {
  constructor(
    readonly code:
      | 'BATCH_EMPTY'
      | 'BATCH_NOT_CSV_OR_XML'
      | 'BATCH_TRUNCATED'
      | 'BATCH_WRONG_HEADER'
      | 'BATCH_NOT_READABLE'
      | 'BATCH_NOT_UTF8'
      | 'BATCH_TOO_LARGE'
      | 'BATCH_ROW_TOO_LARGE',
    message: string,
    readonly status = code === 'BATCH_NOT_CSV_OR_XML'
      ? 415
      : code === 'BATCH_TOO_LARGE' || code === 'BATCH_ROW_TOO_LARGE'
        ? 413
        : 400,
  ) {
    super(message);
    this.name = 'BatchFileError';
  }
}

/** One data row of the file: a record, or the problem that kept it from being one. */
export type FileItem =
  | { row: number; record: SubmittedRecord; problem?: undefined }
  | { row: number; record?: undefined; problem: RowProblem };

/**
 * The kind of a file from its first bytes (a byte-order mark and leading blank space
 * skipped): XML starts with "<", a CSV's first line names the interface fields. Anything
 * else (binary, JSON, free text) is neither. Pure.
 */
export function detectKind(head: Buffer): BatchKind {
  if (head.length === 0)
    throw new BatchFileError(
      'BATCH_EMPTY',
      'the file is empty: send a CSV or XML achievement file (docs/interface-files.md)',
    );
  if (head.subarray(0, 8192).includes(0)) {
    throw new BatchFileError(
      'BATCH_NOT_CSV_OR_XML',
      'the file is binary, not CSV or XML (see docs/interface-files.md)',
    );
  }
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/^\s+/, '');
  if (text === '')
    throw new BatchFileError(
      'BATCH_EMPTY',
      'the file holds only blank space: send a CSV or XML achievement file (docs/interface-files.md)',
    );
  if (text.startsWith('<')) return 'xml';
  const firstLine = text.split(/\r?\n/, 1)[0];
  const names = firstLine.split(',').map((n) =>
    n
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase(),
  );
  const known = names.filter((n) => (RECORD_FIELDS as readonly string[]).includes(n)).length;
  if (names.length < 2 || known === 0) {
    throw new BatchFileError(
      'BATCH_NOT_CSV_OR_XML',
      `the file is neither XML (it does not start with "<") nor CSV with the interface header (its first line names none of the fields ${RECORD_FIELDS.join(',')}); see docs/interface-files.md`,
    );
  }
  return 'csv';
}

/**
 * Map the header's columns to fields; any order is accepted, but every field exactly once
 * and nothing else. Only field names are ever echoed, never other header text (a file
 * without a header would put a learner's details there). Pure.
 */
export function headerColumns(header: string[]): RecordField[] {
  const names = header.map((n) =>
    n
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  const fields = RECORD_FIELDS as readonly string[];
  const unknown = names.map((n, i) => ({ n, i })).filter(({ n }) => !fields.includes(n));
  const missing = RECORD_FIELDS.filter((f) => !names.includes(f));
  const repeated = [...new Set(names.filter((n, i) => fields.includes(n) && names.indexOf(n) !== i))];
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  if (unknown.length > 0)
    problems.push(`column(s) ${unknown.map(({ i }) => i + 1).join(', ')} are not interface fields`);
  if (repeated.length > 0) problems.push(`repeated ${repeated.join(', ')}`);
  if (problems.length > 0) {
    throw new BatchFileError(
      'BATCH_WRONG_HEADER',
      `the CSV header is wrong: ${problems.join('; ')}. It must name the fields ${RECORD_FIELDS.join(',')}`,
    );
  }
  return names as RecordField[];
}

async function readHead(path: string, bytes = 16_384): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, size);
}

/** The kind of a stored file, from its content. */
export async function kindOfFile(path: string): Promise<BatchKind> {
  return detectKind(await readHead(path));
}

/**
 * Every data row of a stored file, in order, as records or row problems. No row longer than
 * the limit is ever held: the read stops there (BATCH_ROW_TOO_LARGE), so one huge cell
 * cannot take a worker's memory; a field over its limit makes a row problem.
 */
export function readItems(
  path: string,
  kind: BatchKind,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<FileItem> {
  return kind === 'csv' ? readCsv(path, limits) : readXml(path, limits);
}

async function* readCsv(path: string, limits: ReadLimits): AsyncGenerator<FileItem> {
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRowChars,
    }),
  );
  let columns: RecordField[] | undefined;
  let row = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = headerColumns(values);
        continue;
      }
      row++;
      if (values.length === 1 && values[0].trim() === '') {
        row--;
        continue;
      }
      if (values.length !== columns.length) {
        yield {
          row,
          problem: {
            row,
            code: READER_CODES.fieldCount,
            message: `row ${row} has ${values.length} fields where the header has ${columns.length}; the row was not read`,
          },
        };
        continue;
      }
      const long = values.findIndex((v) => v.length > limits.maxFieldChars);
      if (long >= 0) {
        yield { row, problem: fieldTooLong(row, columns[long], limits) };
        continue;
      }
      const record: SubmittedRecord = {};
      for (let i = 0; i < columns.length; i++) record[columns[i]] = values[i];
      yield { row, record };
    }
  } catch (err) {
    if (err instanceof BatchFileError) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw rowTooLarge(`the row on line ${e.lines ?? '?'}`, limits);
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new BatchFileError(
        'BATCH_TRUNCATED',
        `the CSV file ends inside a quoted field opened on line ${e.lines ?? '?'}: it is truncated or a quote is not closed`,
      );
    }
    throw new BatchFileError(
      'BATCH_NOT_READABLE',
      `the CSV file cannot be read near line ${e.lines ?? '?'} (${e.code ?? 'parse error'})`,
    );
  }
  if (!columns) throw new BatchFileError('BATCH_EMPTY', 'the file is empty');
}

/** Errors from saxes carry "line:column: message"; the message may quote file text, so only the place is kept. */
function xmlPlace(err: unknown): string {
  const m = /^(?:[^:]*:)?(\d+):(\d+):/.exec((err as Error).message ?? '');
  return m ? `line ${m[1]}, column ${m[2]}` : 'an unknown place';
}

async function* readXml(path: string, limits: ReadLimits): AsyncGenerator<FileItem> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  // Where the open <record> began and where the parser last said anything: saxes holds a
  // text, comment or CDATA whole until it ends, so a stretch longer than a row is refused.
  let recordStart = -1;
  let lastEvent = 0;
  const noteEvent = () => {
    lastEvent = parser.position;
  };
  for (const e of ['text', 'cdata', 'comment', 'processinginstruction', 'doctype', 'opentagstart'] as const)
    parser.on(e, noteEvent);
  const ready: FileItem[] = [];
  const fields = RECORD_FIELDS as readonly string[];
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  let depth = 0;
  let sawRoot = false;
  let row = 0;
  let record: SubmittedRecord | undefined;
  let problem: RowProblem | undefined;
  let field: RecordField | undefined;
  let text = '';
  let closedRoot = false;

  parser.on('opentag', (tag) => {
    depth++;
    const name = local(tag.name);
    if (depth === 1) {
      if (name !== 'achievements') {
        throw new BatchFileError(
          'BATCH_WRONG_HEADER',
          `the XML root element must be <achievements> (see docs/interface-files.xsd), not <${name.slice(0, 40)}>`,
        );
      }
      sawRoot = true;
    } else if (depth === 2) {
      row++;
      recordStart = parser.position;
      if (name !== 'record') {
        problem = {
          row,
          code: READER_CODES.unknownField,
          message: `element ${row} inside <achievements> is <${name.slice(0, 40)}>, not <record>; it was not read`,
        };
      } else {
        record = {};
        problem = undefined;
      }
    } else if (depth === 3 && record) {
      if (!fields.includes(name)) {
        problem ??= {
          row,
          code: READER_CODES.unknownField,
          message: `record ${row} holds <${name.slice(0, 40)}>, which is not an interface field; the record was not read`,
        };
        field = undefined;
      } else if ((record as Record<string, unknown>)[name] !== undefined) {
        problem ??= {
          row,
          field: name as RecordField,
          code: READER_CODES.repeatedField,
          message: `record ${row} gives <${name}> twice; the record was not read`,
        };
        field = undefined;
      } else {
        field = name as RecordField;
        text = '';
      }
    } else if (depth > 3 && record) {
      problem ??= {
        row,
        code: READER_CODES.unknownField,
        message: `record ${row} has an element nested inside a field; the record was not read`,
      };
      field = undefined;
    }
  });
  const onText = (t: string) => {
    if (!field || depth !== 3) return;
    text += t;
    if (text.length > limits.maxFieldChars) {
      problem ??= fieldTooLong(row, field, limits);
      field = undefined;
      text = '';
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    noteEvent();
    if (depth === 3 && record && field) {
      record[field] = text;
      field = undefined;
    } else if (depth === 2) {
      if (problem) ready.push({ row, problem: { ...problem, recordId: record?.record_id?.trim() || undefined } });
      else if (record) ready.push({ row, record });
      record = undefined;
      problem = undefined;
      recordStart = -1;
    } else if (depth === 1) {
      closedRoot = true;
    }
    depth--;
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      let str: string;
      try {
        str = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        throw new BatchFileError(
          'BATCH_NOT_UTF8',
          `the XML file is not valid UTF-8 (within bytes ${offset} to ${offset + (chunk as Buffer).length})`,
        );
      }
      offset += (chunk as Buffer).length;
      parser.write(str);
      if (
        parser.position - lastEvent > limits.maxRowChars ||
        (recordStart >= 0 && parser.position - recordStart > limits.maxRowChars)
      )
        throw rowTooLarge(recordStart >= 0 ? `record ${row}` : `the text after record ${row}`, limits);
      while (ready.length > 0) yield ready.shift()!;
    }
    parser.close();
  } catch (err) {
    if (err instanceof BatchFileError) throw err;
    if (/unclosed tag|unexpected end|document must contain a root/i.test((err as Error).message)) {
      if (!sawRoot) throw new BatchFileError('BATCH_EMPTY', 'the XML file has no <achievements> element');
      throw new BatchFileError(
        'BATCH_TRUNCATED',
        `the XML file ends before </achievements>: it is truncated (${xmlPlace(err)})`,
      );
    }
    throw new BatchFileError('BATCH_NOT_READABLE', `the XML file is not well-formed at ${xmlPlace(err)}`);
  }
  while (ready.length > 0) yield ready.shift()!;
  if (!sawRoot) throw new BatchFileError('BATCH_EMPTY', 'the XML file has no <achievements> element');
  if (!closedRoot)
    throw new BatchFileError('BATCH_TRUNCATED', 'the XML file ends before </achievements>: it is truncated');
}

export interface Inspection {
  kind: BatchKind;
  rows: number;
  /** Rows of the first pass (unit credits) and of the second (qualification awards). */
  unitRows: number;
  qualificationRows: number;
  /** Rows the reader could not read at all (reported with the unit pass). */
  malformedRows: number;
}

/**
 * Read a stored file once, end to end, to find anything that makes it unreadable before
 * any of it is loaded, and count its rows per pass (for progress).
 */
export async function inspectFile(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<Inspection> {
  const kind = await kindOfFile(path);
  const counts: Inspection = { kind, rows: 0, unitRows: 0, qualificationRows: 0, malformedRows: 0 };
  if (kind === 'csv') await checkUtf8(path);
  for await (const item of readItems(path, kind, limits)) {
    counts.rows++;
    if (item.problem) counts.malformedRows++;
    else if (passOf(item.record) === 'units') counts.unitRows++;
    else counts.qualificationRows++;
  }
  if (counts.rows === 0) {
    throw new BatchFileError(
      'BATCH_EMPTY',
      kind === 'csv' ? 'the CSV file has a header but no rows' : 'the XML file has no <record> elements',
    );
  }
  return counts;
}

async function checkUtf8(path: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
    try {
      decoder.decode(chunk as Buffer, { stream: true });
    } catch {
      throw new BatchFileError(
        'BATCH_NOT_UTF8',
        `the CSV file is not valid UTF-8 (within bytes ${offset} to ${offset + (chunk as Buffer).length})`,
      );
    }
    offset += (chunk as Buffer).length;
  }
  try {
    decoder.decode();
  } catch {
    throw new BatchFileError('BATCH_TRUNCATED', 'the CSV file ends in the middle of a character: it is truncated');
  }
}

export type { NumberedRecord };
