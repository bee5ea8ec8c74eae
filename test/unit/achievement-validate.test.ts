import t from 'tap';
import {
  ROW_ERRORS,
  validateRow,
  type RowContext,
  type StoredRecord,
  type RowDecision,
} from '../../src/achievements/validate.js';
import { RECORD_FIELDS, type SubmittedRecord } from '../../src/achievements/rows.js';
import type { RegisterEntry } from '../../src/learners/verify.js';
import type { LearnerCredit, Qualification, Unit } from '../../src/catalogue/model.js';
import type { QualificationRules } from '../../src/catalogue/repository.js';

const ADA = '1234567805';
const MERGED = '1234567813';
const UNITS: Unit[] = [
  { urn: 'H/601/4101', title: 'Food hygiene', level: '2', credit: 1 },
  { urn: 'K/601/4102', title: 'Food safety hazards', level: '2', credit: 1 },
];
const AWARD: Qualification = {
  qan: '600/1101/4',
  title: 'Award in Food Safety',
  level: '2',
  aoUkprn: '10034567',
  operationalStart: '2011-09-01',
  totalCredits: 2,
  groups: [{ id: 'A', title: 'Mandatory', mandatory: true, units: ['H/601/4101', 'K/601/4102'] }],
  barred: [],
  equivalences: [],
  exemptions: [],
};
const RULES: QualificationRules = {
  qualification: AWARD,
  units: new Map(UNITS.map((u) => [u.urn, u])),
  globalEquivalences: [],
};
const REGISTER: RegisterEntry[] = [
  {
    uln: ADA,
    givenName: 'Ada',
    familyName: 'Lovelace',
    previousFamilyName: 'Byron',
    dateOfBirth: '2004-12-10',
    gender: 'F',
  },
  { uln: MERGED, givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '2004-12-10', gender: 'F', linkedTo: ADA },
];

function stored(recordId: string, extra: Partial<StoredRecord> = {}): StoredRecord {
  return {
    recordId,
    uln: ADA,
    kind: 'unit',
    urn: 'H/601/4101',
    qan: null,
    credit: 1,
    level: '2',
    awardDate: '2025-06-02',
    grade: null,
    providerUkprn: null,
    language: null,
    status: 'active',
    version: 1,
    late: false,
    batchId: null,
    batchRow: null,
    ...extra,
  };
}

function context(
  extra: {
    existing?: StoredRecord[];
    credits?: LearnerCredit[];
    earlier?: Record<string, number>;
    batchId?: string;
  } = {},
): RowContext {
  const existing = new Map((extra.existing ?? []).map((r) => [r.recordId, r]));
  return {
    aoUkprn: '10000001',
    today: '2025-06-05',
    batchId: extra.batchId,
    register: (uln) => REGISTER.find((r) => r.uln === uln),
    unit: (urn) => UNITS.find((u) => u.urn === urn),
    qualification: (qan) => (qan === AWARD.qan ? RULES : undefined),
    existing: (id) => existing.get(id),
    earlierRow: (id, row) =>
      extra.earlier?.[id] !== undefined && extra.earlier[id] !== row ? extra.earlier[id] : undefined,
    credits: () => extra.credits ?? [],
  };
}

const GOOD: SubmittedRecord = {
  record_id: 'r1',
  action: 'ADD',
  uln: ADA,
  given_name: 'Ada',
  family_name: 'Lovelace',
  date_of_birth: '2004-12-10',
  gender: 'F',
  urn: 'H/601/4101',
  credit: '1',
  level: '2',
  award_date: '2025-06-02',
};

function decide(record: SubmittedRecord, ctx = context(), row = 7): RowDecision {
  return validateRow({ row, record }, ctx);
}

/** One example row for every code, with the context it needs. */
const EXAMPLES: Record<string, { record: SubmittedRecord; ctx?: RowContext; field?: string; message?: RegExp }> = {
  E001: { record: { ...GOOD, record_id: 'has space' }, field: 'record_id' },
  E002: { record: { ...GOOD, action: 'DELETE' }, field: 'action' },
  E003: { record: GOOD, ctx: context({ earlier: { r1: 3 } }), message: /row 3/ },
  E004: { record: { ...GOOD, uln: '1234567806' }, field: 'uln', message: /check digit/ },
  E005: { record: { ...GOOD, uln: '9999999999' }, field: 'uln' },
  E006: { record: { ...GOOD, uln: '1234567821' }, field: 'uln', message: /WSVRC005/ },
  E007: {
    record: { ...GOOD, date_of_birth: '2004-12-11', gender: 'M' },
    field: 'date_of_birth',
    message: /VRF3, VRF4/,
  },
  E008: { record: { ...GOOD, family_name: 'Byron' }, field: 'family_name', message: /VRF8/ },
  E009: { record: { ...GOOD, uln: MERGED }, field: 'uln', message: new RegExp(ADA) },
  E010: { record: { ...GOOD, qan: '600/1101/4' } },
  E011: { record: { ...GOOD, urn: 'H6014101' }, field: 'urn' },
  E012: { record: { ...GOOD, urn: '', qan: '60/1101/4' }, field: 'qan' },
  E013: { record: { ...GOOD, urn: 'Z/999/9999' }, field: 'urn' },
  E014: { record: { ...GOOD, urn: '', qan: '600/9999/9' }, field: 'qan' },
  E015: { record: { ...GOOD, credit: '3' }, field: 'credit', message: /carries 1/ },
  E016: { record: { ...GOOD, level: '3' }, field: 'level' },
  E017: { record: { ...GOOD, award_date: '2025-02-30' }, field: 'award_date' },
  E018: { record: { ...GOOD, award_date: '2025-06-06' }, field: 'award_date' },
  E019: { record: { ...GOOD, award_date: '2004-12-09' }, field: 'award_date' },
  E020: { record: { ...GOOD, grade: 'Distinction<script>' }, field: 'grade' },
  E021: { record: { ...GOOD, provider_ukprn: '20000000' }, field: 'provider_ukprn' },
  E022: { record: { ...GOOD, language: 'English' }, field: 'language' },
  E023: { record: { ...GOOD, action: 'AMEND' }, field: 'record_id' },
  E024: {
    record: { ...GOOD, grade: 'Merit' },
    ctx: context({ existing: [stored('r1')] }),
    field: 'record_id',
    message: /AMEND/,
  },
  E025: {
    record: { ...GOOD, action: 'AMEND', urn: 'K/601/4102' },
    ctx: context({ existing: [stored('r1')] }),
    field: 'urn',
  },
  E026: {
    record: { ...GOOD, urn: '', qan: '600/1101/4', credit: '2' },
    ctx: context({
      credits: [{ id: 'c1', urn: 'H/601/4101', credit: 1, level: '2', awardDate: '2025-01-01', status: 'active' }],
    }),
    field: 'qan',
    message: /K\/601\/4102|mandatory/i,
  },
};

t.test('every row error code has an example that gets exactly that code', async (t) => {
  t.same(
    Object.keys(EXAMPLES).sort(),
    ROW_ERRORS.map((e) => e.code),
    'one example per code, no more',
  );
  for (const [code, ex] of Object.entries(EXAMPLES)) {
    const d = decide(ex.record, ex.ctx);
    if (d.kind !== 'rejected') {
      t.fail(`${code}: expected a rejection, got ${d.kind}`);
      continue;
    }
    t.equal(d.problem.code, code, `${code}: ${d.problem.message}`);
    t.equal(d.problem.row, 7);
    if (ex.field) t.equal(d.problem.field, ex.field, `${code} names the field`);
    if (ex.message) t.match(d.problem.message, ex.message, `${code} explains itself`);
    t.notMatch(d.problem.message, /Lovelace|Byron|2004-12-1[01]|\bAda\b/, `${code} repeats no personal detail`);
  }
});

t.test('codes are unique, numbered in order, and name real fields', async (t) => {
  ROW_ERRORS.forEach((e, i) => t.equal(e.code, `E${String(i + 1).padStart(3, '0')}`));
  for (const e of ROW_ERRORS) if ('field' in e) t.ok((RECORD_FIELDS as readonly string[]).includes(e.field), e.code);
});

t.test('good rows: add, identical re-add, amend, withdraw', async (t) => {
  const add = decide(GOOD);
  t.equal(add.kind, 'add');
  if (add.kind === 'add')
    t.same(add.content, {
      uln: ADA,
      kind: 'unit',
      urn: 'H/601/4101',
      qan: null,
      credit: 1,
      level: '2',
      awardDate: '2025-06-02',
      grade: null,
      providerUkprn: null,
      language: null,
    });
  const lenient = decide({
    ...GOOD,
    action: ' add ',
    urn: 'h/601/4101',
    language: 'CY',
    given_name: '  ADA ',
    gender: 'female',
  });
  t.equal(lenient.kind, 'add', 'case and spacing do not matter');
  if (lenient.kind === 'add') t.equal(lenient.content.language, 'cy');

  const withStored = context({ existing: [stored('r1')] });
  t.equal(decide(GOOD, withStored).kind, 'unchanged', 'a second identical ADD is a no-op');
  const amend = decide({ ...GOOD, action: 'AMEND', grade: 'Pass' }, withStored);
  t.equal(amend.kind, 'amend');
  t.equal(
    decide({ ...GOOD, action: 'AMEND' }, withStored).kind,
    'unchanged',
    'an AMEND to what is stored changes nothing',
  );
  t.equal(
    decide({ record_id: 'r1', action: 'WITHDRAW' }, withStored).kind,
    'withdraw',
    'WITHDRAW needs only the record id',
  );
  t.equal(
    decide({ record_id: 'r1', action: 'WITHDRAW', uln: '1234567821' }, withStored).kind,
    'rejected',
    "but a ULN given must be the record's",
  );
  const withdrawn = context({ existing: [stored('r1', { status: 'withdrawn' })] });
  t.equal(decide({ record_id: 'r1', action: 'WITHDRAW' }, withdrawn).kind, 'unchanged');
  t.equal(decide({ ...GOOD, action: 'AMEND' }, withdrawn).kind, 'amend', 'AMEND reinstates a withdrawn record');
  const readd = decide(GOOD, withdrawn);
  t.equal(readd.kind === 'rejected' && readd.problem.code, 'E024', 'ADD over a withdrawn record says to use AMEND');
});

t.test('a qualification award', async (t) => {
  const both: LearnerCredit[] = [
    { id: 'c1', urn: 'H/601/4101', credit: 1, level: '2', awardDate: '2025-01-01', status: 'active' },
    { id: 'c2', urn: 'K/601/4102', credit: 1, level: '2', awardDate: '2025-05-01', status: 'active' },
  ];
  const award = { ...GOOD, urn: '', qan: '6001101 4'.replace(' ', ''), credit: '', award_date: '2025-06-01' };
  const ok = decide(award, context({ credits: both }));
  t.equal(ok.kind, 'add', 'QAN without slashes, credit left out');
  if (ok.kind === 'add')
    t.same([ok.content.kind, ok.content.qan, ok.content.credit], ['qualification', '600/1101/4', 2]);
  const early = decide({ ...award, award_date: '2025-04-30' }, context({ credits: both }));
  t.equal(
    early.kind === 'rejected' && early.problem.code,
    'E026',
    'a credit awarded after the award date does not count',
  );
  const withdrawn = decide(award, context({ credits: [both[0], { ...both[1], status: 'withdrawn' }] }));
  t.equal(withdrawn.kind === 'rejected' && withdrawn.problem.code, 'E026', 'a withdrawn credit does not count');
  const wrongCredit = decide({ ...award, credit: '3' }, context({ credits: both }));
  t.equal(wrongCredit.kind === 'rejected' && wrongCredit.problem.code, 'E015');
});

t.test('a replayed row of the same batch is recognised, another row of it is a duplicate', async (t) => {
  const mine = stored('r1', { batchId: 'b1', batchRow: 7 });
  t.equal(decide(GOOD, context({ existing: [mine], batchId: 'b1' })).kind, 'replayed');
  const dup = decide(GOOD, context({ existing: [mine], batchId: 'b1' }), 9);
  t.equal(dup.kind === 'rejected' && dup.problem.code, 'E003');
  t.equal(
    decide(GOOD, context({ existing: [mine], batchId: 'b2' })).kind,
    'unchanged',
    'another batch sees an ordinary stored record',
  );
});

t.test('never throws on junk', async (t) => {
  const junk: unknown[] = [
    {},
    { record_id: 'x' },
    { record_id: 'x', action: 'ADD' },
    { record_id: 'x', action: 'ADD', uln: ADA },
    null,
  ];
  for (const record of junk) {
    const d = validateRow({ row: 1, record: record as SubmittedRecord }, context());
    t.equal(d.kind, 'rejected');
  }
});
