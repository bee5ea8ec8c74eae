import t from 'tap';
import fc from 'fast-check';
import { type GeneratedLearner, generateLearners } from '../../src/learners/generator.js';
import { TEMPORARY_ULN, type UlnProblem, ulnCheckDigit } from '../../src/learners/uln.js';
import {
  type RegisterEntry,
  type SubmittedDetails,
  type VerificationAnswer,
  FIELD_FLAGS,
  MAX_LINK_DEPTH,
  OUTCOME_CODES,
  SIMILARITY_FLAGS,
  editDistance,
  normaliseGender,
  normaliseName,
  normalisePostcode,
  parseDateOfBirth,
  verifyLearner,
} from '../../src/learners/verify.js';
import { validUlns } from '../helpers/ulns.js';

// ---------------------------------------------------------------------------------------
// Helpers

const [ULN_A, ULN_B, ULN_C, ULN_D, ULN_E, ...MORE_ULNS] = validUlns(412345678, 20);

const REGISTERED: RegisterEntry = {
  uln: ULN_A,
  givenName: 'Siobhán',
  familyName: "O'Brien-Walker",
  previousFamilyName: 'Müller',
  dateOfBirth: '2004-02-29',
  gender: 'F',
  postcode: 'LS1 4AP',
};

function registerOf(...entries: RegisterEntry[]): (uln: string) => RegisterEntry | undefined {
  const byUln = new Map(entries.map((e) => [e.uln, e]));
  return (uln) => byUln.get(uln);
}

function detailsOf(entry: RegisterEntry, changes: Partial<SubmittedDetails> = {}): SubmittedDetails {
  const d: SubmittedDetails = {
    uln: entry.uln,
    givenName: entry.givenName,
    familyName: entry.familyName,
    dateOfBirth: entry.dateOfBirth,
    gender: entry.gender,
  };
  if (typeof entry.postcode === 'string') d.postcode = entry.postcode;
  return { ...d, ...changes };
}

/** Verify `changes` applied to REGISTERED's own details against a register holding only it. */
function check(changes: Partial<SubmittedDetails>, entry: RegisterEntry = REGISTERED): VerificationAnswer {
  return verifyLearner(detailsOf(entry, changes), registerOf(entry));
}

// ---------------------------------------------------------------------------------------
// Codes

t.test('each outcome has its LRS-style code', async (t) => {
  t.same(OUTCOME_CODES, {
    match: 'WSVRC001',
    'linked-match': 'WSVRC002',
    'similar-match': 'WSVRC003',
    'no-match': 'WSVRC004',
    'not-found': 'WSVRC005',
    'invalid-uln': 'WSVRC006',
  });
  t.same(FIELD_FLAGS, { givenName: 'VRF1', familyName: 'VRF2', dateOfBirth: 'VRF3', gender: 'VRF4', postcode: 'VRF5' });
  t.same(SIMILARITY_FLAGS, {
    'typo:givenName': 'VRF6',
    'typo:familyName': 'VRF6',
    'names-swapped': 'VRF7',
    'previous-family-name': 'VRF8',
  });
});

t.test('WSVRC001: the same details are an exact match', async (t) => {
  const a = check({});
  t.same(a, {
    code: 'WSVRC001',
    outcome: 'match',
    uln: ULN_A,
    mismatches: [],
    flags: [],
    similarities: [],
    invalid: [],
    message: 'The details match the learner record for this ULN.',
  });
});

t.test('WSVRC005: a valid ULN with no learner is not found', async (t) => {
  const a = verifyLearner(detailsOf({ ...REGISTERED, uln: ULN_B }), registerOf(REGISTERED));
  t.equal(a.code, 'WSVRC005');
  t.equal(a.outcome, 'not-found');
  t.equal(a.uln, ULN_B);
  t.same(a.mismatches, []);
  t.same(a.flags, []);
  t.equal(a.linkProblem, undefined);
  t.equal(a.masterUln, undefined);
});

t.test('WSVRC006: an invalid ULN is answered before the register is consulted', async (t) => {
  const cases: [unknown, UlnProblem][] = [
    [TEMPORARY_ULN, 'temporary'],
    ['', 'missing'],
    [undefined, 'missing'],
    [9276308686, 'missing'],
    ['927630868', 'not-ten-digits'],
    [' 9276308686', 'not-ten-digits'],
    ['0276308686', 'leading-zero'],
    ['9276308685', 'check-digit'],
  ];
  let prefix = '';
  for (let n = 100000000; !prefix; n++) if (ulnCheckDigit(String(n)) === null) prefix = String(n);
  cases.push([`${prefix}0`, 'no-valid-check-digit']);

  for (const [uln, problem] of cases) {
    let calls = 0;
    const a = verifyLearner(detailsOf(REGISTERED, { uln: uln as string }), (u) => {
      calls++;
      return registerOf(REGISTERED)(u);
    });
    t.equal(a.code, 'WSVRC006', String(uln));
    t.equal(a.outcome, 'invalid-uln');
    t.equal(a.ulnProblem, problem);
    t.equal(calls, 0, 'lookup not called');
    t.match(a.message, /^The ULN is not valid: /);
  }
  const temp = verifyLearner(
    detailsOf(REGISTERED, { uln: TEMPORARY_ULN }),
    registerOf({ ...REGISTERED, uln: TEMPORARY_ULN }),
  );
  t.equal(temp.code, 'WSVRC006', 'the temporary ULN is refused even if something is registered under it');
  t.match(temp.message, /temporary/);
});

t.test('a missing submission is an invalid ULN, not a crash', async (t) => {
  const a = verifyLearner(null as unknown as SubmittedDetails, registerOf(REGISTERED));
  t.equal(a.code, 'WSVRC006');
  t.equal(a.ulnProblem, 'missing');
  t.equal(a.uln, '');
});

// ---------------------------------------------------------------------------------------
// Names

t.test('normaliseName ignores case, accents, spaces, hyphens and apostrophes', async (t) => {
  const same: [string, string][] = [
    ["O'Brien", 'obrien'],
    ['O Brien', 'obrien'],
    ['O’Brien', 'obrien'],
    ['O‘Brien', 'obrien'],
    ['Oʼbrien', 'obrien'],
    ['O`Brien', 'obrien'],
    ['Zoë', 'zoe'],
    ['Zoe\u0308', 'zoe'],
    ['Smith-Jones', 'smithjones'],
    ['smith jones', 'smithjones'],
    ['Smith\u2010Jones', 'smithjones'],
    ['Smith – Jones', 'smithjones'],
    ['Smith\u00a0Jones', 'smithjones'],
    ['  Smith\tJones\n', 'smithjones'],
    ['Ó Súilleabháin', 'osuilleabhain'],
    ['Łukasz', 'lukasz'],
    ['Bjørn', 'bjorn'],
    ['Strauß', 'strauss'],
    ['STRAUSS', 'strauss'],
    ['Æsa', 'aesa'],
    ['Chloé', 'chloe'],
    ['ÇAĞLAR', 'caglar'],
    ['Dafydd', 'dafydd'],
  ];
  for (const [input, want] of same) t.equal(normaliseName(input), want, input);
  t.equal(normaliseName(undefined as unknown as string), '');
  t.equal(normaliseName(" - ' "), '');
  t.equal(normaliseName('St. John'), 'st.john', 'full stops are not ignored');
});

t.test('names that differ only by normalisation are an exact match', async (t) => {
  const variants: [string, string][] = [
    ['siobhan', "O'Brien-Walker"],
    ['SIOBHAN', 'obrien walker'],
    ['Siobhán', 'O’Brien Walker'],
    ['Sio bhán', 'OBrienWalker'],
    ['siobha\u0301n', 'o-brien-walker'],
  ];
  for (const [givenName, familyName] of variants) {
    const a = check({ givenName, familyName });
    t.equal(a.code, 'WSVRC001', `${givenName} ${familyName}`);
  }
  const plain: RegisterEntry = { ...REGISTERED, givenName: 'Zoe', familyName: 'smith jones' };
  t.equal(check({ givenName: 'Zoë', familyName: 'Smith-Jones' }, plain).code, 'WSVRC001');
});

t.test('a different name is a mismatch of that field', async (t) => {
  const given = check({ givenName: 'Priya' });
  t.equal(given.code, 'WSVRC004');
  t.same(given.mismatches, ['givenName']);
  t.same(given.flags, ['VRF1']);
  t.same(given.similarities, []);
  t.match(given.message, /Given name does not match\.$/);

  const family = check({ familyName: 'Okafor' });
  t.equal(family.code, 'WSVRC004');
  t.same(family.mismatches, ['familyName']);
  t.same(family.flags, ['VRF2']);

  const both = check({ givenName: 'Priya', familyName: 'Okafor' });
  t.same(both.mismatches, ['givenName', 'familyName']);
  t.same(both.flags, ['VRF1', 'VRF2']);
  t.match(both.message, /Given name and family name do not match\./);
});

t.test('an empty name is invalid and never matches, even an empty register name', async (t) => {
  const a = check({ givenName: '  ' });
  t.equal(a.code, 'WSVRC004');
  t.same(a.mismatches, ['givenName']);
  t.same(a.invalid, ['givenName']);
  t.match(a.message, /The given name is empty\./);

  const blankRegister: RegisterEntry = { ...REGISTERED, familyName: '' };
  const b = check({ familyName: "'" }, blankRegister);
  t.equal(b.code, 'WSVRC004');
  t.same(b.invalid, ['familyName']);
  t.match(b.message, /The family name is empty\./);

  const c = check({ familyName: undefined });
  t.same(c.invalid, ['familyName']);
});

// ---------------------------------------------------------------------------------------
// Date of birth

t.test('parseDateOfBirth accepts only real YYYY-MM-DD dates', async (t) => {
  for (const ok of ['2004-02-29', '2000-02-29', '1999-12-31', '2001-01-01', '0001-01-01', '2001-04-30']) {
    t.equal(parseDateOfBirth(ok), ok, ok);
  }
  t.equal(parseDateOfBirth(' 2001-01-01 '), '2001-01-01', 'surrounding spaces are ignored');
  for (const bad of [
    '2001-02-29',
    '1900-02-29',
    '2001-02-30',
    '2001-04-31',
    '2001-13-01',
    '2001-00-10',
    '2001-01-00',
    '2001-01-32',
    '0000-01-01',
    '01/02/2001',
    '2001-1-1',
    '20010101',
    '2001-01-01T00:00:00Z',
    '',
    'tomorrow',
  ]) {
    t.equal(parseDateOfBirth(bad), null, bad);
  }
  t.equal(parseDateOfBirth(undefined), null);
  t.equal(parseDateOfBirth(null), null);
});

t.test('a different date of birth is a mismatch of that field alone', async (t) => {
  const a = check({ dateOfBirth: '2004-03-01' });
  t.equal(a.code, 'WSVRC004');
  t.equal(a.outcome, 'no-match');
  t.same(a.mismatches, ['dateOfBirth']);
  t.same(a.flags, ['VRF3']);
  t.same(a.invalid, []);
  t.equal(a.message, 'The details do not match the learner record for this ULN. Date of birth does not match.');

  t.equal(check({ dateOfBirth: ' 2004-02-29 ' }).code, 'WSVRC001', 'spaces around the date do not matter');
});

t.test('an unreal date of birth is a mismatch marked invalid', async (t) => {
  for (const bad of ['2004-02-30', '29/02/2004', '']) {
    const a = check({ dateOfBirth: bad });
    t.equal(a.code, 'WSVRC004', bad);
    t.same(a.mismatches, ['dateOfBirth']);
    t.same(a.invalid, ['dateOfBirth']);
    t.same(a.flags, ['VRF3']);
    t.match(a.message, /The date of birth is not a real date in the form YYYY-MM-DD\./);
  }
  const unreadable: RegisterEntry = { ...REGISTERED, dateOfBirth: 'not recorded' };
  const b = check({ dateOfBirth: '2004-02-29' }, unreadable);
  t.equal(b.code, 'WSVRC004', 'an unreadable register date matches nothing');
  t.same(b.invalid, [], 'but the submission is not to blame');
});

// ---------------------------------------------------------------------------------------
// Gender

t.test('normaliseGender understands codes, words and ISO 5218 digits', async (t) => {
  const cases: [string, string | null][] = [
    ['F', 'F'],
    ['f', 'F'],
    [' Female ', 'F'],
    ['2', 'F'],
    ['M', 'M'],
    ['male', 'M'],
    ['1', 'M'],
    ['X', 'X'],
    ['Other', 'X'],
    ['U', 'U'],
    ['unknown', 'U'],
    ['Not  Known', 'U'],
    ['0', 'U'],
    ['9', 'U'],
    ['', null],
    ['Q', null],
    ['3', null],
    ['constructor', null],
    ['toString', null],
  ];
  for (const [input, want] of cases) t.equal(normaliseGender(input), want, JSON.stringify(input));
  t.equal(normaliseGender(undefined), null);
});

t.test('gender compares by code; not known agrees with anything; X only with X', async (t) => {
  t.equal(check({ gender: 'f' }).code, 'WSVRC001');
  t.equal(check({ gender: 'Female' }).code, 'WSVRC001');
  t.equal(check({ gender: 'U' }).code, 'WSVRC001', 'submitted not known');
  t.equal(check({ gender: 'M' }, { ...REGISTERED, gender: 'U' }).code, 'WSVRC001', 'registered not known');
  t.equal(check({ gender: 'X' }, { ...REGISTERED, gender: 'X' }).code, 'WSVRC001');
  t.equal(
    check({ gender: 'M' }, { ...REGISTERED, gender: 'odd' }).code,
    'WSVRC001',
    'unreadable register gender is not known',
  );

  const male = check({ gender: 'M' });
  t.equal(male.code, 'WSVRC004');
  t.same(male.mismatches, ['gender']);
  t.same(male.flags, ['VRF4']);
  t.same(male.invalid, []);

  const x = check({ gender: 'X' });
  t.equal(x.code, 'WSVRC004', 'X against F');
  t.same(x.mismatches, ['gender']);
  t.equal(check({ gender: 'F' }, { ...REGISTERED, gender: 'X' }).code, 'WSVRC004', 'F against X');

  for (const bad of ['Q', '']) {
    const a = check({ gender: bad }, { ...REGISTERED, gender: 'U' });
    t.equal(a.code, 'WSVRC004', `unrecognised ${JSON.stringify(bad)} never matches`);
    t.same(a.invalid, ['gender']);
    t.same(a.flags, ['VRF4']);
    t.match(a.message, /The gender is not a recognised code/);
  }
});

// ---------------------------------------------------------------------------------------
// Postcode

t.test('normalisePostcode drops spaces and ignores case', async (t) => {
  t.equal(normalisePostcode('ls14ap'), 'LS14AP');
  t.equal(normalisePostcode(' LS1  4AP '), 'LS14AP');
  t.equal(normalisePostcode(undefined), '');
  t.equal(normalisePostcode(null), '');
});

t.test('postcode is compared only when both sides have one', async (t) => {
  t.equal(check({ postcode: 'ls14ap' }).code, 'WSVRC001', 'same postcode, other spacing and case');
  t.equal(check({ postcode: ' L S 1 4 A P ' }).code, 'WSVRC001');
  t.equal(check({ postcode: undefined }).code, 'WSVRC001', 'absent');
  t.equal(check({ postcode: null }).code, 'WSVRC001', 'null');
  t.equal(check({ postcode: '   ' }).code, 'WSVRC001', 'blank');
  t.equal(check({ postcode: 'M1 1AA' }, { ...REGISTERED, postcode: undefined }).code, 'WSVRC001', 'register has none');
  t.equal(check({ postcode: 'M1 1AA' }, { ...REGISTERED, postcode: null }).code, 'WSVRC001', 'register has null');

  const diff = check({ postcode: 'LS1 4AQ' });
  t.equal(diff.code, 'WSVRC004');
  t.same(diff.mismatches, ['postcode']);
  t.same(diff.flags, ['VRF5']);
  t.match(diff.message, /Postcode does not match\./);
});

t.test('several differing fields are all named, in a fixed order', async (t) => {
  const a = check({
    postcode: 'M1 1AA',
    gender: 'M',
    dateOfBirth: '2004-02-28',
    familyName: 'Okafor',
    givenName: 'Priya',
  });
  t.equal(a.code, 'WSVRC004');
  t.same(a.mismatches, ['givenName', 'familyName', 'dateOfBirth', 'gender', 'postcode']);
  t.same(a.flags, ['VRF1', 'VRF2', 'VRF3', 'VRF4', 'VRF5']);
  t.match(a.message, /Given name, family name, date of birth, gender and postcode do not match\./);
});

// ---------------------------------------------------------------------------------------
// Similar matches

t.test('editDistance counts insertions, deletions, substitutions and neighbour swaps', async (t) => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['smith', 'smith', 0],
    ['smith', 'smyth', 1],
    ['smith', 'smiths', 1],
    ['smith', 'mith', 1],
    ['smith', 'smtih', 1],
    ['smith', 'msith', 1],
    ['smith', 'smiht', 1],
    ['smith', 'smhti', 2],
    ['smith', 'smyht', 2],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
    ['jones', 'jnoes', 1],
    ['łukasz', 'lukasz', 1],
    ['😀a', 'a😀', 1],
  ];
  for (const [a, b, d] of cases) {
    t.equal(editDistance(a, b), d, `${a} → ${b}`);
    t.equal(editDistance(b, a), d, `${b} → ${a}`);
  }
});

t.test('WSVRC003: given and family names swapped', async (t) => {
  const a = check({ givenName: "O'Brien-Walker", familyName: 'Siobhan' });
  t.equal(a.code, 'WSVRC003');
  t.equal(a.outcome, 'similar-match');
  t.same(a.similarities, ['names-swapped']);
  t.same(a.mismatches, ['givenName', 'familyName']);
  t.same(a.flags, ['VRF1', 'VRF2', 'VRF7']);
  t.match(a.message, /wrong way round/);

  t.equal(check({ givenName: 'obrien walker', familyName: 'SIOBHÁN' }).code, 'WSVRC003', 'swapped and normalised');
  t.equal(check({ givenName: "O'Brien-Walker", familyName: 'Siobhin' }).code, 'WSVRC004', 'swapped with a typo');
  t.equal(
    check({ givenName: "O'Brien-Walker", familyName: 'Siobhan', dateOfBirth: '2004-02-28' }).code,
    'WSVRC004',
    'swapped, other date',
  );
  t.equal(
    check({ givenName: "O'Brien-Walker", familyName: 'Siobhan', gender: 'M' }).code,
    'WSVRC004',
    'swapped, other gender',
  );
  t.equal(
    check({ givenName: "O'Brien-Walker", familyName: 'Siobhan', postcode: 'M1 1AA' }).code,
    'WSVRC004',
    'swapped, other postcode',
  );
  t.equal(check({ givenName: "O'Brien-Walker", familyName: 'Priya' }).code, 'WSVRC004', 'only half swapped');
  const halfSwapped = check({ givenName: "O'Brien-Walker" });
  t.equal(halfSwapped.code, 'WSVRC004', 'family name put in the given name, family name kept');
  t.same(halfSwapped.mismatches, ['givenName']);
});

t.test('WSVRC003: the family name is the previous family name', async (t) => {
  const a = check({ familyName: 'Muller' });
  t.equal(a.code, 'WSVRC003');
  t.same(a.similarities, ['previous-family-name']);
  t.same(a.mismatches, ['familyName']);
  t.same(a.flags, ['VRF2', 'VRF8']);
  t.match(a.message, /previous family name/);

  t.equal(
    check({ familyName: 'Mullar' }).code,
    'WSVRC004',
    'a typo in the previous family name is two kinds of difference',
  );
  t.equal(
    check({ familyName: 'Müller', givenName: 'Siobhin' }).code,
    'WSVRC004',
    'previous name and a given-name typo',
  );
  t.equal(
    check({ familyName: 'Müller', dateOfBirth: '2004-03-01' }).code,
    'WSVRC004',
    'previous name and another date',
  );
  t.equal(check({ familyName: 'Müller', givenName: 'Priya' }).code, 'WSVRC004', 'previous name and another given name');
  t.equal(
    check({ familyName: 'Müller' }, { ...REGISTERED, previousFamilyName: undefined }).code,
    'WSVRC004',
    'no previous name recorded',
  );
  t.equal(
    check({ familyName: 'Müller' }, { ...REGISTERED, previousFamilyName: null }).code,
    'WSVRC004',
    'null previous name',
  );
  const swappedPrevious = check({ givenName: 'Müller', familyName: 'Siobhan' });
  t.equal(swappedPrevious.code, 'WSVRC004', 'previous family name given as the given name');
});

t.test('a previous family name that is also one typo away counts as the previous name', async (t) => {
  const entry: RegisterEntry = { ...REGISTERED, familyName: 'Smith', previousFamilyName: 'Smyth' };
  const a = check({ familyName: 'Smyth' }, entry);
  t.equal(a.code, 'WSVRC003');
  t.same(a.similarities, ['previous-family-name']);
});

t.test('WSVRC003: one typo in one name of five or more characters', async (t) => {
  const family = check({ familyName: "O'Brien-Walkr" });
  t.equal(family.code, 'WSVRC003');
  t.same(family.similarities, ['typo:familyName']);
  t.same(family.mismatches, ['familyName']);
  t.same(family.flags, ['VRF2', 'VRF6']);
  t.match(family.message, /single character/);

  const given = check({ givenName: 'Siohban' });
  t.equal(given.code, 'WSVRC003', 'two neighbours swapped');
  t.same(given.similarities, ['typo:givenName']);
  t.same(given.flags, ['VRF1', 'VRF6']);

  const jones: RegisterEntry = { ...REGISTERED, givenName: 'Jamie', familyName: 'Jones' };
  for (const typo of ['Jomes', 'Jone', 'Joness', 'Jnoes', 'Hones', 'J-omes']) {
    t.equal(check({ familyName: typo }, jones).code, 'WSVRC003', `${typo} (a five-letter name)`);
  }
  for (const typo of ['Jamei', 'Jame', 'Jammie']) {
    t.equal(check({ givenName: typo }, jones).code, 'WSVRC003', `${typo} (a five-letter given name)`);
  }
});

t.test('just beyond the typo rule is no match', async (t) => {
  const jones: RegisterEntry = { ...REGISTERED, givenName: 'Jamie', familyName: 'Jones' };
  for (const far of ['Jomse', 'Jns', 'Joneses', 'Hanes', 'Jnoe']) {
    const a = check({ familyName: far }, jones);
    t.equal(editDistance(normaliseName(far), 'jones'), 2, `${far} is two edits away`);
    t.equal(a.code, 'WSVRC004', far);
    t.same(a.mismatches, ['familyName']);
    t.same(a.similarities, []);
  }
  const khan: RegisterEntry = { ...REGISTERED, givenName: 'Kai', familyName: 'Khan' };
  for (const near of ['Kahn', 'Khn', 'Khans', 'Chan']) {
    t.equal(check({ familyName: near }, khan).code, 'WSVRC004', `${near}: no typo allowed on a four-letter name`);
  }
  t.equal(check({ givenName: 'Kia' }, khan).code, 'WSVRC004', 'no typo allowed on a three-letter given name');
  t.equal(check({ givenName: 'Jamei', familyName: 'Jomes' }, jones).code, 'WSVRC004', 'a typo in both names');
  t.equal(
    check({ familyName: 'Jomes', gender: 'M' }, { ...jones, gender: 'F' }).code,
    'WSVRC004',
    'a typo and another gender',
  );
  t.equal(check({ familyName: 'Jomes', postcode: 'M1 1AA' }, jones).code, 'WSVRC004', 'a typo and another postcode');
  t.equal(check({ familyName: 'Jomes', dateOfBirth: '2004-02-28' }, jones).code, 'WSVRC004', 'a typo and another date');
  t.equal(
    check({ familyName: 'Jomes', dateOfBirth: '2004-02-30' }, jones).code,
    'WSVRC004',
    'a typo and an unreal date',
  );
  t.equal(
    check({ familyName: 'Jomes', gender: '?' }, { ...jones, gender: 'U' }).code,
    'WSVRC004',
    'a typo and an unknown code',
  );
});

t.test('the register name length decides whether a typo is allowed', async (t) => {
  const smith: RegisterEntry = { ...REGISTERED, familyName: 'Smith' };
  t.equal(check({ familyName: 'Smth' }, smith).code, 'WSVRC003', 'dropping a letter of a five-letter name');
  const smth: RegisterEntry = { ...REGISTERED, familyName: 'Smth' };
  t.equal(check({ familyName: 'Smith' }, smth).code, 'WSVRC004', 'adding a letter to a four-letter name');
  const accented: RegisterEntry = { ...REGISTERED, familyName: "D'Souza" };
  t.equal(
    check({ familyName: 'Dsouzq' }, accented).code,
    'WSVRC003',
    'length counted after normalisation: dsouza has six',
  );
  const short: RegisterEntry = { ...REGISTERED, familyName: "O'Kea" };
  t.equal(check({ familyName: 'Okee' }, short).code, 'WSVRC004', 'okea has four after normalisation');
});

// ---------------------------------------------------------------------------------------
// Linked (merged) ULNs

const MASTER: RegisterEntry = {
  uln: ULN_C,
  givenName: 'Rhys',
  familyName: 'Ap Rhys',
  previousFamilyName: 'Evans',
  dateOfBirth: '1999-07-14',
  gender: 'M',
  postcode: 'CF10 3AT',
};
const RETIRED: RegisterEntry = {
  uln: ULN_B,
  givenName: 'Rees',
  familyName: 'Aprhys',
  dateOfBirth: '1999-07-15',
  gender: 'M',
  postcode: 'SA1 1AA',
  linkedTo: ULN_C,
};

t.test('WSVRC002: a merged ULN with the master record details', async (t) => {
  const a = verifyLearner(detailsOf(MASTER, { uln: ULN_B }), registerOf(MASTER, RETIRED));
  t.same(a, {
    code: 'WSVRC002',
    outcome: 'linked-match',
    uln: ULN_B,
    masterUln: ULN_C,
    mismatches: [],
    flags: [],
    similarities: [],
    invalid: [],
    message:
      'This ULN has been merged into another learner record, and the details match that record. Use the master ULN given in this answer.',
  });
  const master = verifyLearner(detailsOf(MASTER), registerOf(MASTER, RETIRED));
  t.equal(master.code, 'WSVRC001', 'the master ULN itself is an ordinary match');
  t.equal(master.masterUln, undefined);
});

t.test('a merged ULN is compared with the master, not with its own old details', async (t) => {
  const a = verifyLearner(detailsOf(RETIRED), registerOf(MASTER, RETIRED));
  t.equal(a.code, 'WSVRC004');
  t.equal(a.masterUln, ULN_C);
  t.same(a.mismatches, ['givenName', 'dateOfBirth', 'postcode']);
  t.match(
    a.message,
    /^This ULN has been merged into another learner record; the details were compared with that record\. /,
  );

  const similar = verifyLearner(detailsOf(MASTER, { uln: ULN_B, familyName: 'Evans' }), registerOf(MASTER, RETIRED));
  t.equal(similar.code, 'WSVRC003', 'a similar match with the master is still a similar match');
  t.equal(similar.masterUln, ULN_C);
  t.same(similar.similarities, ['previous-family-name']);
  t.match(similar.message, /^This ULN has been merged/);
});

t.test('merge links are followed to the end of the chain', async (t) => {
  const middle: RegisterEntry = { ...RETIRED, uln: ULN_D, linkedTo: ULN_C };
  const first: RegisterEntry = { ...RETIRED, uln: ULN_E, linkedTo: ` ${ULN_D} ` };
  const a = verifyLearner(detailsOf(MASTER, { uln: ULN_E }), registerOf(MASTER, middle, first));
  t.equal(a.code, 'WSVRC002');
  t.equal(a.masterUln, ULN_C);

  // Exactly MAX_LINK_DEPTH links are followed; one more is refused.
  const chain = (links: number): RegisterEntry[] => {
    const ulns = MORE_ULNS.slice(0, links + 1);
    return ulns.map((uln, i) => (i === links ? { ...MASTER, uln } : { ...RETIRED, uln, linkedTo: ulns[i + 1] }));
  };
  const longest = chain(MAX_LINK_DEPTH);
  const ok = verifyLearner(detailsOf(MASTER, { uln: longest[0].uln }), registerOf(...longest));
  t.equal(ok.code, 'WSVRC002');
  t.equal(ok.masterUln, longest[MAX_LINK_DEPTH].uln);
  const tooLong = chain(MAX_LINK_DEPTH + 1);
  const refused = verifyLearner(detailsOf(MASTER, { uln: tooLong[0].uln }), registerOf(...tooLong));
  t.equal(refused.code, 'WSVRC005');
  t.equal(refused.linkProblem, 'link-too-long');
});

t.test('an empty link is no link', async (t) => {
  t.equal(check({}, { ...REGISTERED, linkedTo: '' }).code, 'WSVRC001');
  t.equal(check({}, { ...REGISTERED, linkedTo: null }).code, 'WSVRC001');
  t.equal(check({}, { ...REGISTERED, linkedTo: '  ' }).code, 'WSVRC001');
});

t.test('a merge link that leads nowhere is answered as not found, without a master ULN', async (t) => {
  const missing = verifyLearner(detailsOf(MASTER, { uln: ULN_B }), registerOf(RETIRED));
  t.equal(missing.code, 'WSVRC005');
  t.equal(missing.outcome, 'not-found');
  t.equal(missing.linkProblem, 'master-not-found');
  t.equal(missing.masterUln, undefined);
  t.match(missing.message, /merged into another learner record that cannot be found/);

  const self = verifyLearner(detailsOf(RETIRED), registerOf({ ...RETIRED, linkedTo: ULN_B }));
  t.equal(self.code, 'WSVRC005');
  t.equal(self.linkProblem, 'link-loop');

  const loopA: RegisterEntry = { ...RETIRED, uln: ULN_B, linkedTo: ULN_D };
  const loopB: RegisterEntry = { ...RETIRED, uln: ULN_D, linkedTo: ULN_B };
  const loop = verifyLearner(detailsOf(loopA), registerOf(loopA, loopB));
  t.equal(loop.code, 'WSVRC005');
  t.equal(loop.linkProblem, 'link-loop');
});

// ---------------------------------------------------------------------------------------
// Generated learners and properties

const LEARNERS = generateLearners({ seed: 1101, count: 3000 });
const BY_ULN = new Map(LEARNERS.map((l) => [l.uln, l]));
const LOOKUP = (uln: string): RegisterEntry | undefined => BY_ULN.get(uln);
/** The record a learner's details are checked against: its master when it was merged. */
const currentOf = (l: GeneratedLearner): GeneratedLearner => (l.linkedTo ? BY_ULN.get(l.linkedTo)! : l);

t.test('every generated learner verifies with its current details', async (t) => {
  let linked = 0;
  for (const l of LEARNERS) {
    const a = verifyLearner(detailsOf(currentOf(l), { uln: l.uln }), LOOKUP);
    if (l.linkedTo) {
      linked++;
      if (a.code !== 'WSVRC002' || a.masterUln !== l.linkedTo) t.fail(`${l.uln}: ${a.code}`);
    } else if (a.code !== 'WSVRC001') {
      t.fail(`${l.uln}: ${a.code}`);
    }
  }
  t.ok(linked > 0, 'some generated learners are linked');
});

const SEPARATORS = [' ', '-', "'", '’', '‘', '\u2010', ' - '];
const MARKS = ['\u0300', '\u0301', '\u0302', '\u0308', '\u0327', '\u030a'];

/** Changes a name only in ways normalisation ignores, driven by `choices`. */
function disguise(name: string, choices: number[]): string {
  let k = 0;
  const next = (): number => choices[k++ % choices.length];
  let out = '';
  for (const ch of name.normalize('NFC')) {
    if (/[\s\-'’]/u.test(ch)) {
      // Drop, keep or replace an existing separator.
      const c = next() % 3;
      if (c === 1) out += ch;
      else if (c === 2) out += SEPARATORS[next() % SEPARATORS.length];
      continue;
    }
    let piece = ch;
    const kase = next() % 3;
    if (kase === 1) piece = piece.toUpperCase();
    else if (kase === 2) piece = piece.toLowerCase();
    if (next() % 3 === 0) piece = piece.normalize('NFD').replace(/\p{M}/gu, '');
    if (/\p{L}/u.test(piece) && next() % 4 === 0) piece += MARKS[next() % MARKS.length];
    if (next() % 5 === 0) piece += SEPARATORS[next() % SEPARATORS.length];
    out += piece;
  }
  if (next() % 4 === 0) out = SEPARATORS[next() % SEPARATORS.length] + out;
  return out;
}

function disguisePostcode(postcode: string | undefined, choices: number[]): string | undefined {
  if (postcode === undefined || choices[0] % 5 === 0) return undefined;
  const squashed = postcode.replace(/ /g, '');
  const spaced = choices[1] % 2 === 0 ? squashed : ` ${postcode}  `;
  return choices[2] % 2 === 0 ? spaced.toLowerCase() : spaced;
}

const SEED = 20261101;

t.test('property: normalisation-only changes to a registered learner always match', async (t) => {
  fc.assert(
    fc.property(fc.nat(LEARNERS.length - 1), fc.array(fc.nat(), { minLength: 8, maxLength: 40 }), (i, choices) => {
      const l = LEARNERS[i];
      const current = currentOf(l);
      const submitted: SubmittedDetails = {
        uln: l.uln,
        givenName: disguise(current.givenName, choices),
        familyName: disguise(current.familyName, [...choices].reverse()),
        dateOfBirth: current.dateOfBirth,
        gender: choices[0] % 2 === 0 ? current.gender.toLowerCase() : current.gender,
        postcode: disguisePostcode(current.postcode, choices),
      };
      const a = verifyLearner(submitted, LOOKUP);
      return l.linkedTo ? a.code === 'WSVRC002' && a.masterUln === l.linkedTo : a.code === 'WSVRC001';
    }),
    { seed: SEED, numRuns: 1000 },
  );
  t.pass('checked');
});

function shiftDate(iso: string, days: number): string {
  const ms =
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

t.test('property: another date of birth never gives a match or a similar match', async (t) => {
  const offset = fc.integer({ min: -30000, max: 30000 }).filter((d) => d !== 0);
  fc.assert(
    fc.property(
      fc.nat(LEARNERS.length - 1),
      offset,
      fc.nat(3),
      fc.array(fc.nat(), { minLength: 8, maxLength: 20 }),
      (i, days, kind, choices) => {
        const l = LEARNERS[i];
        const current = currentOf(l);
        let givenName = disguise(current.givenName, choices);
        let familyName = current.familyName;
        // Optionally add a difference that on its own would be a similar match.
        if (kind === 1) [givenName, familyName] = [familyName, givenName];
        else if (kind === 2 && current.previousFamilyName) familyName = current.previousFamilyName;
        else if (kind === 3) familyName = `${familyName}x`;
        const a = verifyLearner(
          {
            uln: l.uln,
            givenName,
            familyName,
            dateOfBirth: shiftDate(current.dateOfBirth, days),
            gender: current.gender,
            postcode: current.postcode,
          },
          LOOKUP,
        );
        return (
          a.code === 'WSVRC004' &&
          a.mismatches.includes('dateOfBirth') &&
          a.flags.includes('VRF3') &&
          a.similarities.length === 0
        );
      },
    ),
    { seed: SEED + 1, numRuns: 1000 },
  );
  t.pass('checked');
});

// ---------------------------------------------------------------------------------------
// Privacy of the message

/** Every kind of answer for one learner's details. */
function scenarios(l: GeneratedLearner): SubmittedDetails[] {
  const current = currentOf(l);
  const base = detailsOf(current, { uln: l.uln });
  return [
    base,
    { ...base, givenName: base.familyName, familyName: base.givenName },
    { ...base, familyName: `${base.familyName}q` },
    { ...base, familyName: current.previousFamilyName ?? 'Zanzibar' },
    { ...base, givenName: `${base.givenName}zz` },
    { ...base, dateOfBirth: shiftDate(base.dateOfBirth, 1) },
    { ...base, dateOfBirth: `${base.dateOfBirth.slice(0, 8)}32` },
    { ...base, gender: base.gender === 'F' ? 'M' : 'F' },
    { ...base, gender: 'nonsense' },
    { ...base, postcode: 'ZZ9 9ZZ' },
    { ...base, givenName: '' },
    { ...base, uln: TEMPORARY_ULN },
    { ...base, uln: ULN_A },
    {
      ...base,
      givenName: 'Quentin',
      familyName: 'Zebedee-Xavier',
      dateOfBirth: '1987-06-05',
      gender: 'X',
      postcode: 'QQ1 1QQ',
    },
  ];
}

function leaks(message: string, submitted: SubmittedDetails): string | null {
  const values = [submitted.givenName, submitted.familyName, submitted.dateOfBirth, submitted.postcode ?? ''];
  for (const v of values) {
    if (v.trim().length >= 3 && message.includes(v.trim())) return v;
    const n = normaliseName(v);
    if (n.length >= 5 && normaliseName(message).includes(n)) return v;
  }
  const pc = normalisePostcode(submitted.postcode);
  if (pc.length >= 3 && normalisePostcode(message).includes(pc)) return submitted.postcode ?? null;
  return null;
}

t.test('the message never repeats names, dates of birth, postcodes or ULNs', async (t) => {
  const seen = new Set<string>();
  let checked = 0;
  for (const l of LEARNERS.slice(0, 600)) {
    for (const s of scenarios(l)) {
      const a = verifyLearner(s, LOOKUP);
      seen.add(a.outcome);
      checked++;
      const leak = leaks(a.message, s);
      if (leak !== null) t.fail(`message ${JSON.stringify(a.message)} repeats ${JSON.stringify(leak)}`);
      if (s.uln !== TEMPORARY_ULN && a.message.includes(s.uln)) t.fail(`message repeats the ULN ${s.uln}`);
      if (a.masterUln !== undefined && a.message.includes(a.masterUln)) t.fail(`message repeats the master ULN`);
    }
  }
  // And the register's own details, for a merged ULN compared with its master.
  const a = verifyLearner(detailsOf(RETIRED), registerOf(MASTER, RETIRED));
  t.equal(leaks(a.message, detailsOf(MASTER)), null);
  t.same([...seen].sort(), ['invalid-uln', 'linked-match', 'match', 'no-match', 'not-found', 'similar-match']);
  t.ok(checked > 5000);
});
