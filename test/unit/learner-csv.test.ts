import t from 'tap';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import {
  type Learner,
  type StoredLearner,
  MAX_AGE_YEARS,
  MAX_NAME_LENGTH,
  canonicalPostcode,
  checkLearner,
  compareWithRegister,
} from '../../src/learners/register/learner-fields.js';
import {
  LEARNER_COLUMNS,
  LearnerFileCheck,
  RowNumbers,
  isBlankRecord,
  readLearnerHeader,
  validateLearnerRow,
} from '../../src/learners/register/csv.js';
import { checkVerifyInput } from '../../src/learners/verify/input.js';
import {
  OUTPUT_COLUMNS,
  ROW_INVALID,
  answerLine,
  prepareBatchRow,
  readVerifyHeader,
} from '../../src/learners/verify/batch.js';
import { verifyLearner } from '../../src/learners/verify.js';
import { validUlns } from '../helpers/ulns.js';

const TODAY = '2026-03-15';

const [U1, U2, U3, U4, U5] = validUlns(731200450, 5);

/** A ULN whose last digit is not its check digit. */
function wrongCheckDigit(uln: string): string {
  return `${uln.slice(0, 9)}${(Number(uln[9]) + 1) % 10}`;
}

const HEADER = [...LEARNER_COLUMNS];
type Cells = Partial<Record<(typeof LEARNER_COLUMNS)[number], string>>;

function record(cells: Cells): string[] {
  const base: Cells = {
    uln: U1,
    given_name: 'Imogen',
    family_name: 'Thwaite',
    date_of_birth: '2006-04-01',
    gender: 'F',
    postcode: 'ls6 2qt',
    email: 'imogen@example.org',
  };
  const all = { ...base, ...cells };
  return HEADER.map((c) => all[c] ?? '');
}

function header() {
  const h = readLearnerHeader(HEADER, 1);
  if (!h.ok) throw new Error('the standard header must be accepted');
  return h.header;
}

function errorsOf(cells: Cells, row = 2) {
  const res = validateLearnerRow(header(), record(cells), row, TODAY);
  return res.ok ? [] : res.errors;
}

t.test('a valid row comes back in canonical form', async (t) => {
  const res = validateLearnerRow(
    header(),
    record({ given_name: '  Imogen   Rose ', gender: 'female', available: 'No', linked_to: ` ${U2} ` }),
    2,
    TODAY,
  );
  t.ok(res.ok);
  if (!res.ok) return;
  t.same(res.learner, {
    uln: U1,
    givenName: 'Imogen Rose',
    familyName: 'Thwaite',
    previousFamilyName: null,
    dateOfBirth: '2006-04-01',
    gender: 'F',
    postcode: 'LS6 2QT',
    email: 'imogen@example.org',
    available: false,
    linkedTo: U2,
  });
});

t.test('optional columns may be left out of the header entirely', async (t) => {
  const h = readLearnerHeader(['Gender', ' ULN ', 'date_of_birth', 'family_name', 'given_name'], 1);
  t.ok(h.ok, 'order is free and names ignore case and spaces');
  if (!h.ok) return;
  const res = validateLearnerRow(h.header, ['M', U3, '1990-02-28', "O'Hare", 'Rónán'], 2, TODAY);
  t.ok(res.ok);
  if (res.ok)
    t.same(
      [res.learner.postcode, res.learner.email, res.learner.available, res.learner.linkedTo],
      [null, null, null, null],
    );
});

t.test('every field error code, naming the row and the column', async (t) => {
  const cases: [string, Cells, string, string][] = [
    ['missing', { given_name: '   ' }, 'given_name', 'missing'],
    ['missing gender', { gender: '' }, 'gender', 'missing'],
    ['too-long', { family_name: 'a'.repeat(MAX_NAME_LENGTH + 1) }, 'family_name', 'too-long'],
    ['too-long email', { email: `${'x'.repeat(250)}@example.org` }, 'email', 'too-long'],
    ['too-long postcode', { postcode: 'A'.repeat(20) }, 'postcode', 'too-long'],
    ['encoding', { family_name: 'Zo\ufffd' }, 'family_name', 'encoding'],
    ['uln-invalid (check digit)', { uln: wrongCheckDigit(U1) }, 'uln', 'uln-invalid'],
    ['uln-invalid (temporary)', { uln: '9999999999' }, 'uln', 'uln-invalid'],
    ['uln-invalid (shape)', { uln: '12345' }, 'uln', 'uln-invalid'],
    ['name-invalid (digits)', { given_name: 'R2D2' }, 'given_name', 'name-invalid'],
    ['name-invalid (no letters)', { previous_family_name: "-'" }, 'previous_family_name', 'name-invalid'],
    ['date-invalid (not a day)', { date_of_birth: '2005-02-29' }, 'date_of_birth', 'date-invalid'],
    ['date-invalid (format)', { date_of_birth: '14/03/2006' }, 'date_of_birth', 'date-invalid'],
    ['date-in-future', { date_of_birth: '2026-03-16' }, 'date_of_birth', 'date-in-future'],
    ['date-too-old', { date_of_birth: '1906-03-14' }, 'date_of_birth', 'date-too-old'],
    ['gender-invalid', { gender: 'Q' }, 'gender', 'gender-invalid'],
    ['postcode-invalid', { postcode: '12345' }, 'postcode', 'postcode-invalid'],
    ['email-invalid', { email: 'imogen.example.org' }, 'email', 'email-invalid'],
    ['available-invalid', { available: 'maybe' }, 'available', 'available-invalid'],
    ['linked-to-invalid', { linked_to: '0123456789' }, 'linked_to', 'linked-to-invalid'],
    ['linked-to-self', { linked_to: U1 }, 'linked_to', 'linked-to-self'],
  ];
  for (const [name, cells, column, code] of cases) {
    const errors = errorsOf(cells, 7);
    t.same(
      errors.map((e) => [e.row, e.field, e.code]),
      [[7, column, code]],
      name,
    );
    t.match(errors[0]?.message ?? '', new RegExp(`^${column} `), `${name}: the message names the column`);
  }
});

t.test('a value that is not text is refused, naming the field', async (t) => {
  const r = checkLearner(
    { uln: U1, givenName: { first: 'A' }, familyName: 'B', dateOfBirth: '2000-01-01', gender: 'F' },
    TODAY,
  );
  t.same(r.ok ? [] : r.problems.map((p) => [p.field, p.code, p.message]), [
    ['givenName', 'missing', 'givenName must be text'],
  ]);
});

t.test('dates at the edges', async (t) => {
  t.same(errorsOf({ date_of_birth: TODAY }), [], 'born today is not in the future');
  t.same(errorsOf({ date_of_birth: '1906-03-15' }), [], `exactly ${MAX_AGE_YEARS} years ago is accepted`);
  t.same(errorsOf({ date_of_birth: '2004-02-29' }), [], 'a real leap day');
  t.same(errorsOf({ date_of_birth: ' 2004-02-29 ' }), [], 'spaces around the date are ignored');
});

t.test('every problem of a row is reported, not just the first', async (t) => {
  const errors = errorsOf({ uln: '', given_name: '', date_of_birth: 'soon', gender: 'Q', email: 'no' });
  t.same(
    errors.map((e) => e.code),
    ['missing', 'missing', 'date-invalid', 'gender-invalid', 'email-invalid'],
  );
});

t.test('the wrong number of fields is one error for the row, nothing else', async (t) => {
  const res = validateLearnerRow(header(), record({}).slice(0, 6), 4, TODAY);
  t.notOk(res.ok);
  if (!res.ok)
    t.same(
      res.errors.map((e) => [e.row, e.field, e.code]),
      [[4, '', 'field-count']],
    );
});

t.test('header problems: missing, unknown and repeated columns', async (t) => {
  const h = readLearnerHeader(['uln', 'given_name', 'surname', 'date_of_birth', 'gender', 'Gender'], 1);
  t.notOk(h.ok);
  if (h.ok) return;
  t.same(
    h.errors.map((e) => [e.row, e.field, e.code]),
    [
      [1, 'column 3', 'unknown-column'],
      [1, 'gender', 'duplicate-column'],
      [1, 'family_name', 'missing-column'],
    ],
  );
  const noHeader = readLearnerHeader(record({ given_name: 'Perpetua' }), 1);
  t.notOk(noHeader.ok);
  if (!noHeader.ok) {
    t.notOk(
      noHeader.errors.some((e) => /Perpetua|Thwaite/.test(e.message + e.field)),
      'a data row read as a header is not echoed back',
    );
    t.match(noHeader.errors[0].message, /header row/);
  }
});

t.test('field formats: postcodes, genders and availability words', async (t) => {
  t.equal(canonicalPostcode(' sw1a2aa '), 'SW1A 2AA');
  t.equal(canonicalPostcode('b29  6tt'), 'B29 6TT');
  t.equal(canonicalPostcode('gir0aa'), 'GIR 0AA');
  t.equal(canonicalPostcode('LS1 4A'), null);
  t.equal(canonicalPostcode('1LS 4AP'), null);
  const gender = (g: string) => {
    const r = checkLearner({ uln: U1, givenName: 'A', familyName: 'B', dateOfBirth: '2000-01-01', gender: g }, TODAY);
    return r.ok ? r.learner.gender : null;
  };
  t.same(['f', 'Male', '2', '1', 'other', 'not known', '9'].map(gender), ['F', 'M', 'F', 'M', 'X', 'U', 'U']);
  const available = (a: unknown) => {
    const r = checkLearner(
      { uln: U1, givenName: 'A', familyName: 'B', dateOfBirth: '2000-01-01', gender: 'F', available: a },
      TODAY,
    );
    return r.ok ? r.learner.available : 'refused';
  };
  t.same(['yes', 'Y', '1', 'TRUE', 'no', 'n', '0', 'false', '', true, false].map(available), [
    true,
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    null,
    true,
    false,
  ]);
});

t.test('messages never repeat a personal detail', async () => {
  // Invalid values made of letters that cannot appear in the fixed wording of any message.
  const junk = fc.stringMatching(/^[QZ]{3,8}[0-9]{2}$/);
  fc.assert(
    fc.property(junk, junk, junk, junk, junk, (given, family, dob, postcode, email) => {
      const errors = errorsOf({
        given_name: given,
        family_name: family,
        date_of_birth: dob,
        gender: given,
        postcode,
        email,
      });
      const text = JSON.stringify(errors);
      return errors.length >= 5 && [given, family, dob, postcode, email].every((v) => !text.includes(v));
    }),
  );
});

t.test('the whole file: duplicates and merge links', async (t) => {
  const check = new LearnerFileCheck(TODAY);
  t.ok(check.readHeader(HEADER, 1));
  t.ok(check.row(record({ uln: U1 }), 2), 'a valid row');
  t.equal(check.row(record({ uln: U1, given_name: 'Other' }), 3), null, 'the same ULN again');
  t.ok(check.row(record({ uln: U2, linked_to: U3 }), 4), 'a link to a master further down the file');
  t.ok(check.row(record({ uln: U3 }), 5));
  t.ok(check.row(record({ uln: U4, linked_to: U2 }), 6), 'a link to a learner who is linked himself');
  t.ok(check.row(record({ uln: U5, linked_to: validUlns(731300000, 1)[0] }), 7), 'a link to someone outside the file');
  const outside = validUlns(731300000, 3);
  check.row(record({ uln: outside[1], linked_to: outside[2] }), 8);
  t.same(
    check.mastersToLookUp().sort(),
    [outside[0], outside[2]].sort(),
    'only masters outside the file are looked up',
  );

  check.finish(new Map([[outside[2], { registered: true, linked: true }]]));
  t.same(
    check.errors().map((e) => [e.row, e.field, e.code]),
    [
      [3, 'uln', 'duplicate-uln'],
      [6, 'linked_to', 'linked-to-linked'],
      [7, 'linked_to', 'linked-to-unknown'],
      [8, 'linked_to', 'linked-to-linked'],
    ],
  );
  t.match(check.errors()[0].message, /row 2/, 'the duplicate names the earlier row');
  t.equal(check.rows, 7);
  t.notOk(check.ok);

  const registeredWithoutDetails = new LearnerFileCheck(TODAY);
  registeredWithoutDetails.readHeader(HEADER, 1);
  registeredWithoutDetails.row(record({ uln: U1, linked_to: U2 }), 2);
  registeredWithoutDetails.finish(new Map([[U2, { registered: false, linked: false }]]));
  t.same(
    registeredWithoutDetails.errors().map((e) => e.code),
    ['linked-to-unknown'],
    'a ULN known only from an achievement is not a register entry',
  );

  const fine = new LearnerFileCheck(TODAY);
  fine.readHeader(HEADER, 1);
  fine.row(record({ uln: U1, linked_to: U2 }), 2);
  fine.finish(new Map([[U2, { registered: true, linked: false }]]));
  t.ok(fine.ok, 'a link to a registered master is fine');
});

t.test('errors are capped but all counted', async (t) => {
  const check = new LearnerFileCheck(TODAY, 3);
  check.readHeader(HEADER, 1);
  for (let row = 2; row < 12; row++) check.row(record({ gender: 'Q' }), row);
  t.equal(check.errorCount, 10);
  t.equal(check.errors().length, 3);
});

t.test('row numbers are the lines rows start on', async (t) => {
  const text = 'a,b\n1,2\n"x\ny",3\n\n\n4,5\n';
  const records = parse(text, { info: true, skip_empty_lines: true }) as {
    record: string[];
    info: { lines: number; empty_lines: number };
  }[];
  const numbers = new RowNumbers();
  t.same(
    records.map((r) => numbers.next(r.info)),
    [1, 2, 3, 7],
  );
  t.ok(isBlankRecord([' ', '', '  ']));
  t.notOk(isBlankRecord(['', 'x']));
});

t.test('comparing with the register', async (t) => {
  const checked = checkLearner(
    {
      uln: U1,
      givenName: 'Imogen',
      familyName: 'Thwaite',
      dateOfBirth: '2006-04-01',
      gender: 'F',
      postcode: 'LS6 2QT',
    },
    TODAY,
  );
  if (!checked.ok) throw new Error('valid');
  const learner: Learner = checked.learner;
  const stored: StoredLearner = {
    uln: U1,
    linkedTo: null,
    available: true,
    details: {
      givenName: 'Imogen',
      familyName: 'Thwaite',
      previousFamilyName: null,
      dateOfBirth: '2006-04-01',
      gender: 'F',
      postcode: 'LS6 2QT',
      email: null,
    },
  };
  t.same(compareWithRegister(learner, undefined), { kind: 'new' });
  t.same(compareWithRegister(learner, { ...stored, details: null }), { kind: 'new' }, 'known from an achievement only');
  t.same(compareWithRegister(learner, stored), { kind: 'same', availabilityDiffers: false });
  t.same(
    compareWithRegister({ ...learner, available: false }, stored),
    { kind: 'same', availabilityDiffers: true },
    'availability is not a detail',
  );
  t.same(compareWithRegister({ ...learner, email: 'i@example.org', linkedTo: U2 }, stored), {
    kind: 'changed',
    fields: ['email', 'linkedTo'],
    availabilityDiffers: false,
  });
  t.same(
    compareWithRegister(learner, { ...stored, details: { ...stored.details!, postcode: 'ls6 2qt' } }).kind,
    'changed',
    'a register value in another form is rewritten',
  );
});

t.test('verification input: what is bad input and what is an answer', async (t) => {
  const good = {
    uln: ` ${U1} `,
    givenName: 'Imogen',
    familyName: 'Thwaite',
    dateOfBirth: '2006-04-01',
    gender: 'f',
    postcode: '  ',
  };
  const ok = checkVerifyInput(good, TODAY);
  t.ok(ok.ok);
  if (ok.ok) {
    t.equal(ok.submitted.uln, U1, 'the ULN is trimmed');
    t.notOk('postcode' in ok.submitted, 'a blank postcode is not given');
    t.equal(ok.ulnWellFormed, true);
  }
  const malformed = checkVerifyInput({ ...good, uln: '12345' }, TODAY);
  t.same(
    malformed.ok ? [] : malformed.problems.map((p) => [p.field, p.code]),
    [['uln', 'uln-malformed']],
    'a ULN that is not ten digits is bad input',
  );
  const ruleBroken = checkVerifyInput({ ...good, uln: '0123456789' }, TODAY);
  t.ok(ruleBroken.ok, 'ten digits breaking a ULN rule are a question, answered WSVRC006');
  if (ruleBroken.ok) t.equal(ruleBroken.ulnWellFormed, false);

  const codes = (raw: object) => {
    const r = checkVerifyInput({ ...good, ...raw }, TODAY);
    return r.ok ? [] : r.problems.map((p) => [p.field, p.code]);
  };
  t.same(codes({ uln: undefined }), [['uln', 'missing']]);
  t.same(codes({ familyName: ' ' }), [['familyName', 'missing']]);
  t.same(codes({ givenName: "'-" }), [['givenName', 'name-invalid']]);
  t.same(codes({ dateOfBirth: '2006-13-01' }), [['dateOfBirth', 'date-invalid']]);
  t.same(codes({ dateOfBirth: '2026-03-16' }), [['dateOfBirth', 'date-in-future']]);
  t.same(codes({ gender: 'Q' }), [['gender', 'gender-invalid']]);
  t.same(codes({ gender: null, dateOfBirth: 'x' }), [
    ['dateOfBirth', 'date-invalid'],
    ['gender', 'missing'],
  ]);
});

t.test('verification batch rows and answer lines', async (t) => {
  const h = readVerifyHeader(['uln', 'given_name', 'family_name', 'date_of_birth', 'gender'], 1);
  t.ok(h.ok, 'the postcode column is optional');
  if (!h.ok) return;
  const missing = readVerifyHeader(['uln', 'given_name', 'family_name', 'gender', 'email'], 1);
  t.same(missing.ok ? [] : missing.errors.map((e) => e.code), ['unknown-column', 'missing-column']);

  const bad = prepareBatchRow(h.header, [U1, 'Imogen', 'Thwaite', '2099-01-01', 'F'], 5, TODAY);
  t.ok('invalid' in bad);
  const badLine = parse(answerLine(bad, null))[0] as string[];
  t.equal(badLine.length, OUTPUT_COLUMNS.length);
  t.same(badLine.slice(0, 6), ['5', U1, 'Imogen', 'Thwaite', '2099-01-01', 'F'], 'the input is echoed');
  t.same(badLine.slice(7, 9), [ROW_INVALID.code, ROW_INVALID.outcome]);
  t.match(badLine[12], /date_of_birth is in the future/);

  const short = prepareBatchRow(h.header, [U1, 'Imogen'], 6, TODAY);
  t.ok('invalid' in short);
  t.match(parse(answerLine(short, null))[0][12], /2 fields but the header has 5/);

  const row = prepareBatchRow(h.header, [U1, 'Thwaite', 'Imogen', '2006-04-01', 'F'], 7, TODAY);
  if (!('submitted' in row)) throw new Error('a valid row');
  const answer = verifyLearner(row.submitted, () => ({
    uln: U1,
    givenName: 'Imogen',
    familyName: 'Thwaite',
    dateOfBirth: '2006-04-01',
    gender: 'F',
  }));
  const line = parse(answerLine(row, answer))[0] as string[];
  t.same(
    line.slice(7, 12),
    ['WSVRC003', 'similar-match', '', 'given_name;family_name', 'VRF1;VRF2;VRF7'],
    'fields are named as columns',
  );
  t.throws(() => answerLine(row, null), 'a valid row needs its answer');
});
