import t from 'tap';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvLine, csvLines } from '../../src/platform/csv.js';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

t.test('quoting is RFC 4180 with CRLF line ends', async (t) => {
  t.equal(csvLine([12, 'R1', null, 'E001', 'has "quotes", commas']), '12,R1,,E001,"has ""quotes"", commas"\r\n');
  t.equal(csvLine(['plain']), 'plain\r\n');
  t.equal(csvLine(['a,b']), '"a,b"\r\n');
  t.equal(csvLine(['two\nlines']), '"two\nlines"\r\n');
  t.equal(csvLine([' padded ']), '" padded "\r\n', 'spaces at the ends are kept by quoting');
  t.equal(csvLines([['a'], ['b']]), 'a\r\nb\r\n');
  t.equal(csvLines([]), '');
});

t.test('a cell a spreadsheet would run as a formula gets an apostrophe', async (t) => {
  t.equal(csvLine(['=HYPERLINK("x")', '-1', '@a', '+1']), `"'=HYPERLINK(""x"")",'-1,'@a,'+1\r\n`);
  t.equal(csvLine(['\tx']), `"'\tx"\r\n`);
  t.equal(csvLine(['\rx']), `"'\rx"\r\n`);
  t.equal(csvLine(['\uFF1D1']), `'\uFF1D1\r\n`, 'the full-width = too');
  t.equal(csvLine([-1, 2]), '-1,2\r\n', 'a number is not a formula');
  t.equal(csvLine(['a=b', 'x-y']), 'a=b,x-y\r\n', 'only the first character counts');
});

// Any text, and text made of the characters that matter to CSV and spreadsheets.
const cell = fc.oneof(fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[=+\-@ \t\r\n",;'a1\uFF1D]{0,8}$/));

t.test('any text survives a round trip through a CSV reader, formulas with an apostrophe in front', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(cell, { minLength: 2, maxLength: 6 }), (values) => {
        const back = parse(csvLine(values), { relax_column_count: true })[0] as string[];
        const expected = values.map((v) => (FORMULA_START.test(v) ? `'${v}` : v));
        return JSON.stringify(back) === JSON.stringify(expected);
      }),
      { seed: 18, numRuns: 300 },
    ),
  );
});
