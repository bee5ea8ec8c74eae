/**
 * The one CSV writer. Every CSV the service produces (a batch's report of rejected rows,
 * the answer to a verification batch, and any later one) is written here, by csv-stringify,
 * so quoting is the same everywhere (RFC 4180, CRLF line ends) and no cell can run as a
 * spreadsheet formula: a text cell starting with =, +, -, @, a tab or a carriage return
 * (or their full-width forms) gets a leading apostrophe, as OWASP advises against CSV
 * injection. Numbers stay numbers (-1 is not escaped). A cell with spaces at either end is
 * quoted so a reader keeps them.
 *
 * Test fixtures and benchmarks that write *input* files for the service use csv-stringify
 * themselves: an AO's file is not the service's output.
 */
import { stringify, type Options } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

const OPTIONS: Options = {
  escape_formulas: true,
  record_delimiter: '\r\n',
  // With a record delimiter given, csv-stringify stops quoting bare \n and \r unless told.
  quote_record_delimiter: true,
  quoted_match: [/^\s/, /\s$/],
  eof: true,
};

/** Rows as CSV text, each line ended by CRLF. */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  if (rows.length === 0) return '';
  return stringify(rows as CsvCell[][], OPTIONS);
}

/** One row as a CSV line, ended by CRLF. */
export function csvLine(values: readonly CsvCell[]): string {
  return csvLines([values]);
}
