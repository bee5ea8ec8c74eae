import t from 'tap';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CATALOGUE_ERROR_CODES,
  type CatalogueError,
  type CatalogueErrorCode,
  type ParseCatalogueOptions,
  groupReach,
  isIsoDate,
  parseCatalogue,
  serializeCatalogue,
} from '../../src/catalogue/catalogue-file.js';
import { qualificationSize } from '../../src/catalogue/model.js';

const samplePath = fileURLToPath(new URL('../../catalogue/sample-catalogue.json', import.meta.url));
const sampleText = readFileSync(samplePath, 'utf8');

type Json = any;

const QAN = '500/0001/1';
const A = 'A/100/0001';
const B = 'B/100/0002';
const C = 'C/100/0003';
const D = 'D/100/0004';

/** A small valid file: total 10 from a mandatory 3-credit unit and an optional group of 11. */
function base(): Json {
  return {
    formatVersion: 1,
    units: [
      { urn: A, title: 'Unit one', level: '2', credit: 3 },
      { urn: B, title: 'Unit two', level: '2', credit: 4 },
      { urn: C, title: 'Unit three', level: '3', credit: 5 },
      { urn: D, title: 'Unit four', level: '3', credit: 2 },
    ],
    qualifications: [
      {
        qan: QAN,
        title: 'Level 2 Certificate in Testing',
        level: '2',
        aoUkprn: '10000001',
        operationalStart: '2012-01-01',
        operationalEnd: '2015-12-31',
        totalCredits: 10,
        groups: [
          { id: 'M', title: 'Mandatory', mandatory: true, units: [A] },
          { id: 'O', title: 'Options', mandatory: false, minCredits: 4, units: [B, C, D] },
        ],
        barred: [],
        equivalences: [],
        exemptions: [],
      },
    ],
    equivalences: [],
  };
}

function errorsOf(input: unknown, options?: ParseCatalogueOptions): CatalogueError[] {
  const r = parseCatalogue(input, options);
  if (r.ok) return [];
  return r.errors;
}

t.test('the sample catalogue is valid and exercises every feature', async (t) => {
  const r = parseCatalogue(sampleText);
  if (!r.ok) t.fail(JSON.stringify(r.errors, null, 2));
  t.ok(r.ok);
  if (!r.ok) return;
  const c = r.catalogue;
  t.equal(c.units.length, 30);
  t.equal(c.qualifications.length, 6);

  const qualsOfUnit = new Map<string, Set<string>>();
  let unitInTwoGroups = false;
  for (const q of c.qualifications) {
    const seen = new Set<string>();
    for (const g of q.groups) {
      for (const u of g.units) {
        if (seen.has(u)) unitInTwoGroups = true;
        seen.add(u);
        if (!qualsOfUnit.has(u)) qualsOfUnit.set(u, new Set());
        qualsOfUnit.get(u)!.add(q.qan);
      }
    }
  }
  t.ok(
    [...qualsOfUnit.values()].some((s) => s.size >= 2),
    'a unit is shared by two qualifications',
  );
  t.ok(unitInTwoGroups, 'a unit sits in two groups of one qualification');
  const groups = c.qualifications.flatMap((q) => q.groups);
  t.ok(
    groups.some((g) => g.mandatory),
    'a mandatory group',
  );
  t.ok(
    groups.some((g) => !g.mandatory && g.minCredits !== undefined),
    'an optional group with a credit minimum',
  );
  t.ok(
    groups.some((g) => g.maxCredits !== undefined),
    'a credit maximum',
  );
  t.ok(
    groups.some((g) => g.minUnits !== undefined && g.maxUnits !== undefined),
    'unit bounds',
  );
  t.ok(
    c.qualifications.some((q) => q.barred.length > 0),
    'a barred set',
  );
  t.ok(c.equivalences.length > 0, 'a global equivalence');
  t.ok(
    c.qualifications.some((q) => q.equivalences.length > 0),
    'a per-qualification equivalence',
  );
  t.ok(
    c.qualifications.some((q) => q.exemptions.length > 0),
    'an exemption',
  );
  t.ok(
    c.qualifications.some((q) => q.minCreditsAtLevel !== undefined),
    'a level minimum',
  );
  t.ok(
    c.qualifications.some((q) => q.validityYears !== undefined),
    'a validity period',
  );
  const sizes = new Set(c.qualifications.map((q) => qualificationSize(q.totalCredits)));
  t.same([...sizes].sort(), ['Award', 'Certificate', 'Diploma']);
  for (const q of c.qualifications) {
    t.ok(q.title.includes(qualificationSize(q.totalCredits)), `${q.qan} title agrees with its size`);
  }
});

t.test('text and parsed value give the same result; serialize round-trips', async (t) => {
  const fromText = parseCatalogue(sampleText);
  const fromValue = parseCatalogue(JSON.parse(sampleText));
  t.same(fromText, fromValue);
  if (!fromText.ok) return t.fail('sample should parse');
  const again = parseCatalogue(JSON.parse(JSON.stringify(serializeCatalogue(fromText.catalogue))));
  t.ok(again.ok);
  if (again.ok) t.same(again.catalogue, fromText.catalogue);
});

t.test('the minimal base file is valid', async (t) => {
  const r = parseCatalogue(base());
  t.same(r.ok ? [] : r.errors, []);
  t.ok(r.ok);
});

interface Case {
  code: CatalogueErrorCode;
  name: string;
  /** Builds the bad input (defaults start from base()). */
  input: () => unknown;
  path: string;
  /** Strings the message must contain (the QAN, group id, URN concerned). */
  mentions: string[];
  options?: ParseCatalogueOptions;
}

function mutate(f: (c: Json) => void): () => Json {
  return () => {
    const c = base();
    f(c);
    return c;
  };
}

const q0 = 'qualifications[0]';

const CASES: Case[] = [
  {
    code: 'invalid-json',
    name: 'text that is not JSON',
    input: () => '{"units": [',
    path: '',
    mentions: ['not valid JSON'],
  },
  {
    code: 'too-large',
    name: 'text longer than the limit',
    input: () => JSON.stringify(base()),
    path: '',
    mentions: ['characters'],
    options: { limits: { maxTextLength: 100 } },
  },
  {
    code: 'unsupported-version',
    name: 'format version 2',
    input: mutate((c) => {
      c.formatVersion = 2;
    }),
    path: 'formatVersion',
    mentions: ['2'],
  },
  {
    code: 'too-many-errors',
    name: 'more problems than the cap',
    input: mutate((c) => {
      for (const u of c.units) u.credit = 0;
    }),
    path: 'units[2].credit',
    mentions: ['checking stopped'],
    options: { limits: { maxErrors: 3 } },
  },
  { code: 'wrong-type', name: 'root is an array', input: () => [], path: '', mentions: ['an array'] },
  {
    code: 'wrong-type',
    name: 'credit as a string',
    input: mutate((c) => {
      c.units[0].credit = '3';
    }),
    path: 'units[0].credit',
    mentions: [A, 'credit'],
  },
  {
    code: 'wrong-type',
    name: 'title as a number',
    input: mutate((c) => {
      c.units[0].title = 5;
    }),
    path: 'units[0].title',
    mentions: [A, 'the number 5'],
  },
  {
    code: 'wrong-type',
    name: 'QAN as a number',
    input: mutate((c) => {
      c.qualifications[0].qan = 5011855;
    }),
    path: `${q0}.qan`,
    mentions: ['qualifications[0]', '5011855'],
  },
  {
    code: 'wrong-type',
    name: 'date as a number',
    input: mutate((c) => {
      c.qualifications[0].operationalStart = 20120101;
    }),
    path: `${q0}.operationalStart`,
    mentions: [QAN, '20120101'],
  },
  {
    code: 'wrong-type',
    name: 'mandatory as a string',
    input: mutate((c) => {
      c.qualifications[0].groups[0].mandatory = 'yes';
    }),
    path: `${q0}.groups[0].mandatory`,
    mentions: [QAN, 'group "M"', '"yes"'],
  },
  {
    code: 'missing-field',
    name: 'group without mandatory',
    input: mutate((c) => {
      delete c.qualifications[0].groups[1].mandatory;
    }),
    path: `${q0}.groups[1].mandatory`,
    mentions: [QAN, 'group "O"'],
  },
  {
    code: 'missing-field',
    name: 'qualification without a title',
    input: mutate((c) => {
      delete c.qualifications[0].title;
    }),
    path: `${q0}.title`,
    mentions: [QAN, 'title'],
  },
  {
    code: 'missing-field',
    name: 'no units list',
    input: mutate((c) => {
      delete c.units;
    }),
    path: 'units',
    mentions: ['units'],
  },
  {
    code: 'unknown-field',
    name: 'unit with a typo field',
    input: mutate((c) => {
      c.units[1].credits = 4;
    }),
    path: 'units[1].credits',
    mentions: [B, 'credits'],
  },
  {
    code: 'derived-field',
    name: 'qualification storing its size',
    input: mutate((c) => {
      c.qualifications[0].size = 'Certificate';
    }),
    path: `${q0}.size`,
    mentions: [QAN, 'size', 'derived'],
  },
  {
    code: 'too-many',
    name: 'group longer than the limit',
    input: base,
    path: `${q0}.groups[1].units`,
    mentions: [QAN, 'group "O"'],
    options: { limits: { maxUnitsPerGroup: 2 } },
  },
  {
    code: 'too-many',
    name: 'more units than the limit',
    input: base,
    path: 'units',
    mentions: ['4'],
    options: { limits: { maxUnits: 3 } },
  },
  {
    code: 'too-many',
    name: 'more unit references than the whole-file limit',
    input: base,
    path: `${q0}.groups[1].units`,
    mentions: [QAN, 'group "O"'],
    options: { limits: { maxGroupEntries: 3 } },
  },
  {
    code: 'too-many',
    name: 'barred set longer than the limit',
    input: mutate((c) => {
      c.qualifications[0].barred = [[B, C, D]];
    }),
    path: `${q0}.barred[0]`,
    mentions: [QAN, 'barred set 0'],
    options: { limits: { maxUnitsPerBarredSet: 2 } },
  },
  {
    code: 'empty-text',
    name: 'blank unit title',
    input: mutate((c) => {
      c.units[2].title = '   ';
    }),
    path: 'units[2].title',
    mentions: [C, 'title'],
  },
  {
    code: 'too-long',
    name: 'very long qualification title',
    input: mutate((c) => {
      c.qualifications[0].title = 'x'.repeat(501);
    }),
    path: `${q0}.title`,
    mentions: [QAN, '501'],
  },
  {
    code: 'bad-urn',
    name: 'malformed URN on a unit',
    input: mutate((c) => {
      c.units.push({ urn: 'J/61/2480', title: 'x', level: '1', credit: 1 });
    }),
    path: 'units[4].urn',
    mentions: ['J/61/2480'],
  },
  {
    code: 'bad-urn',
    name: 'malformed URN in a group',
    input: mutate((c) => {
      c.qualifications[0].groups[1].units.push('b/100/0002');
    }),
    path: `${q0}.groups[1].units[3]`,
    mentions: [QAN, 'group "O"', 'b/100/0002'],
  },
  {
    code: 'bad-qan',
    name: 'malformed QAN',
    input: mutate((c) => {
      c.qualifications[0].qan = '5000/001/1';
    }),
    path: `${q0}.qan`,
    mentions: ['5000/001/1', 'qualifications[0]'],
  },
  {
    code: 'bad-ukprn',
    name: 'UKPRN not starting with 1',
    input: mutate((c) => {
      c.qualifications[0].aoUkprn = '20000001';
    }),
    path: `${q0}.aoUkprn`,
    mentions: [QAN, '20000001'],
  },
  {
    code: 'bad-level',
    name: 'unit at level 9',
    input: mutate((c) => {
      c.units[3].level = '9';
    }),
    path: 'units[3].level',
    mentions: [D, '"9"'],
  },
  {
    code: 'bad-date',
    name: '30 February',
    input: mutate((c) => {
      c.qualifications[0].operationalStart = '2013-02-30';
    }),
    path: `${q0}.operationalStart`,
    mentions: [QAN, '2013-02-30'],
  },
  {
    code: 'dates-out-of-order',
    name: 'end before start',
    input: mutate((c) => {
      c.qualifications[0].operationalEnd = '2011-12-31';
    }),
    path: `${q0}.operationalEnd`,
    mentions: [QAN, '2011-12-31', '2012-01-01'],
  },
  {
    code: 'bad-credit',
    name: 'zero credit',
    input: mutate((c) => {
      c.units[0].credit = 0;
    }),
    path: 'units[0].credit',
    mentions: [A, '0'],
  },
  {
    code: 'bad-credit',
    name: 'fractional credit',
    input: mutate((c) => {
      c.units[0].credit = 2.5;
    }),
    path: 'units[0].credit',
    mentions: [A, '2.5'],
  },
  {
    code: 'bad-credit',
    name: 'credit above 999',
    input: mutate((c) => {
      c.units[0].credit = 1000;
    }),
    path: 'units[0].credit',
    mentions: [A, '1000'],
  },
  {
    code: 'bad-total-credits',
    name: 'zero total',
    input: mutate((c) => {
      c.qualifications[0].totalCredits = 0;
    }),
    path: `${q0}.totalCredits`,
    mentions: [QAN],
  },
  {
    code: 'bad-bound',
    name: 'negative minimum',
    input: mutate((c) => {
      c.qualifications[0].groups[1].minCredits = -1;
    }),
    path: `${q0}.groups[1].minCredits`,
    mentions: [QAN, 'group "O"', '-1'],
  },
  {
    code: 'bad-level-minimum-credits',
    name: 'level minimum of zero credits',
    input: mutate((c) => {
      c.qualifications[0].minCreditsAtLevel = { level: '2', credits: 0 };
    }),
    path: `${q0}.minCreditsAtLevel.credits`,
    mentions: [QAN],
  },
  {
    code: 'bad-exemption-credits',
    name: 'exemption worth nothing',
    input: mutate((c) => {
      c.qualifications[0].exemptions = [{ name: 'Old certificate', group: 'O', credits: 0 }];
    }),
    path: `${q0}.exemptions[0].credits`,
    mentions: [QAN, 'exemption 0'],
  },
  {
    code: 'bad-validity-years',
    name: 'validity of 1.5 years',
    input: mutate((c) => {
      c.qualifications[0].validityYears = 1.5;
    }),
    path: `${q0}.validityYears`,
    mentions: [QAN, '1.5'],
  },
  {
    code: 'duplicate-urn',
    name: 'same URN twice',
    input: mutate((c) => {
      c.units.push({ ...c.units[0], title: 'Again' });
    }),
    path: 'units[4].urn',
    mentions: [A, 'units[0]'],
  },
  {
    code: 'duplicate-qan',
    name: 'same QAN twice',
    input: mutate((c) => {
      c.qualifications.push(structuredClone(c.qualifications[0]));
    }),
    path: 'qualifications[1].qan',
    mentions: [QAN, 'qualifications[0]'],
  },
  {
    code: 'duplicate-group',
    name: 'two groups called M',
    input: mutate((c) => {
      c.qualifications[0].groups[1].id = 'M';
    }),
    path: `${q0}.groups[1].id`,
    mentions: [QAN, '"M"'],
  },
  {
    code: 'duplicate-unit-in-group',
    name: 'unit listed twice in a group',
    input: mutate((c) => {
      c.qualifications[0].groups[1].units = [B, C, B];
    }),
    path: `${q0}.groups[1].units[2]`,
    mentions: [QAN, 'group "O"', B],
  },
  {
    code: 'duplicate-unit-in-barred-set',
    name: 'unit listed twice in a barred set',
    input: mutate((c) => {
      c.qualifications[0].barred = [[B, C, B]];
    }),
    path: `${q0}.barred[0][2]`,
    mentions: [QAN, B],
  },
  {
    code: 'duplicate-equivalence',
    name: 'same equivalence twice',
    input: mutate((c) => {
      c.equivalences = [
        { from: B, to: C },
        { from: B, to: C },
      ];
    }),
    path: 'equivalences[1]',
    mentions: [B, C],
  },
  {
    code: 'duplicate-exemption',
    name: 'same exemption twice',
    input: mutate((c) => {
      c.qualifications[0].exemptions = [
        { name: 'Old certificate', group: 'O', credits: 2 },
        { name: 'Old certificate', group: 'O', credits: 3 },
      ];
    }),
    path: `${q0}.exemptions[1].name`,
    mentions: [QAN, 'Old certificate'],
  },
  {
    code: 'unknown-unit',
    name: 'group naming a unit not in the catalogue',
    input: mutate((c) => {
      c.qualifications[0].groups[1].units.push('Z/999/9999');
    }),
    path: `${q0}.groups[1].units[3]`,
    mentions: [QAN, 'group "O"', 'Z/999/9999'],
  },
  {
    code: 'unknown-unit',
    name: 'barred set naming an unknown unit',
    input: mutate((c) => {
      c.qualifications[0].barred = [[B, 'Z/999/9999']];
    }),
    path: `${q0}.barred[0][1]`,
    mentions: [QAN, 'Z/999/9999'],
  },
  {
    code: 'unknown-unit',
    name: 'equivalence from an unknown unit',
    input: mutate((c) => {
      c.qualifications[0].equivalences = [{ from: 'Z/999/9999', to: B }];
    }),
    path: `${q0}.equivalences[0].from`,
    mentions: [QAN, 'Z/999/9999'],
  },
  {
    code: 'unknown-unit',
    name: 'global equivalence to an unknown unit',
    input: mutate((c) => {
      c.equivalences = [{ from: B, to: 'Z/999/9999' }];
    }),
    path: 'equivalences[0].to',
    mentions: ['Z/999/9999'],
  },
  {
    code: 'unknown-group',
    name: 'exemption naming a missing group',
    input: mutate((c) => {
      c.qualifications[0].exemptions = [{ name: 'Old certificate', group: 'X', credits: 2 }];
    }),
    path: `${q0}.exemptions[0].group`,
    mentions: [QAN, '"X"'],
  },
  {
    code: 'no-groups',
    name: 'qualification without groups',
    input: mutate((c) => {
      c.qualifications[0].groups = [];
    }),
    path: `${q0}.groups`,
    mentions: [QAN],
  },
  {
    code: 'empty-group',
    name: 'group without units',
    input: mutate((c) => {
      c.qualifications[0].groups[1].units = [];
    }),
    path: `${q0}.groups[1].units`,
    mentions: [QAN, 'group "O"'],
  },
  {
    code: 'mandatory-with-bounds',
    name: 'mandatory group with a minimum',
    input: mutate((c) => {
      c.qualifications[0].groups[0].minCredits = 2;
    }),
    path: `${q0}.groups[0]`,
    mentions: [QAN, 'group "M"', 'minCredits'],
  },
  {
    code: 'min-above-max',
    name: 'minimum credits above maximum',
    input: mutate((c) => {
      Object.assign(c.qualifications[0].groups[1], { minCredits: 5, maxCredits: 4 });
    }),
    path: `${q0}.groups[1]`,
    mentions: [QAN, 'group "O"', '5', '4'],
  },
  {
    code: 'min-above-max',
    name: 'minimum units above maximum',
    input: mutate((c) => {
      Object.assign(c.qualifications[0].groups[1], { minUnits: 3, maxUnits: 2 });
    }),
    path: `${q0}.groups[1]`,
    mentions: [QAN, 'group "O"', 'minUnits'],
  },
  {
    code: 'group-min-unreachable',
    name: 'minimum credits above the units on offer',
    input: mutate((c) => {
      c.qualifications[0].groups[1].minCredits = 12;
    }),
    path: `${q0}.groups[1].minCredits`,
    mentions: [QAN, 'group "O"', '12', '11'],
  },
  {
    code: 'group-min-unreachable',
    name: 'minimum credits beyond what maxUnits allows',
    input: mutate((c) => {
      Object.assign(c.qualifications[0].groups[1], { minCredits: 6, maxUnits: 1 });
    }),
    path: `${q0}.groups[1].minCredits`,
    mentions: [QAN, 'group "O"', '6', '1 units'],
  },
  {
    code: 'group-min-unreachable',
    name: 'more units asked for than listed',
    input: mutate((c) => {
      c.qualifications[0].groups[1].minUnits = 4;
    }),
    path: `${q0}.groups[1].minUnits`,
    mentions: [QAN, 'group "O"', '4', '3'],
  },
  {
    code: 'total-unreachable',
    name: 'total above every unit together',
    input: mutate((c) => {
      c.qualifications[0].totalCredits = 15;
    }),
    path: `${q0}.totalCredits`,
    mentions: [QAN, '15', '14'],
  },
  {
    code: 'total-unreachable',
    name: 'total above what group caps allow',
    input: mutate((c) => {
      c.qualifications[0].groups[1].maxCredits = 5;
    }),
    path: `${q0}.totalCredits`,
    mentions: [QAN, '10', '8'],
  },
  {
    code: 'total-unreachable',
    name: 'unit in two groups counted once',
    input: mutate((c) => {
      // Groups sum to 3 + 11 + 5 = 19, but the distinct units carry only 14.
      c.qualifications[0].groups.push({ id: 'P', title: 'More', mandatory: false, units: [C] });
      c.qualifications[0].totalCredits = 15;
    }),
    path: `${q0}.totalCredits`,
    mentions: [QAN, '15', '14'],
  },
  {
    code: 'level-minimum-above-total',
    name: 'level minimum above the total',
    input: mutate((c) => {
      c.qualifications[0].minCreditsAtLevel = { level: '2', credits: 11 };
    }),
    path: `${q0}.minCreditsAtLevel.credits`,
    mentions: [QAN, '11', '10'],
  },
  {
    code: 'level-minimum-unreachable',
    name: 'too few credits at level 3',
    input: mutate((c) => {
      c.qualifications[0].minCreditsAtLevel = { level: '3', credits: 8 };
    }),
    path: `${q0}.minCreditsAtLevel.credits`,
    mentions: [QAN, '8', '7'],
  },
  {
    code: 'bad-level',
    name: 'level minimum at a bad level',
    input: mutate((c) => {
      c.qualifications[0].minCreditsAtLevel = { level: 'E4', credits: 2 };
    }),
    path: `${q0}.minCreditsAtLevel.level`,
    mentions: [QAN, 'E4'],
  },
  {
    code: 'barred-too-small',
    name: 'barred set of one',
    input: mutate((c) => {
      c.qualifications[0].barred = [[B]];
    }),
    path: `${q0}.barred[0]`,
    mentions: [QAN, 'barred set 0'],
  },
  {
    code: 'barred-mandatory-conflict',
    name: 'two mandatory units barred together',
    input: mutate((c) => {
      c.qualifications[0].groups[0].units = [A, D];
      c.qualifications[0].barred = [[A, D]];
    }),
    path: `${q0}.barred[0]`,
    mentions: [QAN, A, D],
  },
  {
    code: 'self-equivalence',
    name: 'unit equivalent to itself',
    input: mutate((c) => {
      c.qualifications[0].equivalences = [{ from: B, to: B }];
    }),
    path: `${q0}.equivalences[0]`,
    mentions: [QAN, B],
  },
];

t.test('each rule has a minimal bad file that breaks it', async (t) => {
  for (const k of CASES) {
    const errors = errorsOf(k.input(), k.options);
    const hit = errors.find((e) => e.code === k.code && e.path === k.path);
    if (!hit) {
      t.fail(`${k.code} (${k.name}): expected at ${k.path}`, { found: errors });
      continue;
    }
    for (const m of k.mentions)
      t.ok(hit.message.includes(m), `${k.code} (${k.name}): message "${hit.message}" mentions ${m}`);
  }
});

t.test('every documented code has at least one case', async (t) => {
  const covered = new Set(CASES.map((k) => k.code));
  t.same(
    CATALOGUE_ERROR_CODES.filter((c) => !covered.has(c)),
    [],
  );
});

t.test('every error code is in the documentation', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/catalogue-format.md', import.meta.url)), 'utf8');
  for (const code of CATALOGUE_ERROR_CODES) t.ok(doc.includes(`\`${code}\``), `docs mention ${code}`);
});

t.test('single-problem cases produce no unrelated noise', async (t) => {
  // A broken unit reference must not also produce reachability errors from guesswork.
  const unknown = errorsOf(
    mutate((c) => {
      c.qualifications[0].groups[1].units.push('Z/999/9999');
    })(),
  );
  t.same(
    unknown.map((e) => e.code),
    ['unknown-unit'],
  );
  // A missing unit list does not turn every reference into an unknown unit.
  const noUnits = errorsOf(
    mutate((c) => {
      delete c.units;
    })(),
  );
  t.same(
    noUnits.map((e) => e.code),
    ['missing-field'],
  );
  // A unit whose credit is bad is still known by URN.
  const badCredit = errorsOf(
    mutate((c) => {
      c.units[1].credit = -4;
    })(),
  );
  t.same(
    badCredit.map((e) => e.code),
    ['bad-credit'],
  );
  // A unit with a bad level leaves the level minimum unjudged rather than wrongly judged.
  const badLevel = errorsOf(
    mutate((c) => {
      c.units[2].level = 'L3';
      c.qualifications[0].minCreditsAtLevel = { level: '3', credits: 9 };
    })(),
  );
  t.same(
    badLevel.map((e) => e.code),
    ['bad-level'],
  );
  // An exemption with no name and a wrong group reports both.
  const badExemption = errorsOf(
    mutate((c) => {
      c.qualifications[0].exemptions = [{ group: 'Z', credits: 1 }];
    })(),
  );
  t.same(
    badExemption.map((e) => e.code),
    ['missing-field', 'unknown-group'],
  );
});

t.test('many problems are all reported, each at its own path', async (t) => {
  const bad = mutate((c) => {
    c.units[0].level = 'nine';
    c.units[1].credit = 'four';
    c.units.push({ urn: C, title: 'Copy', level: '2', credit: 1 });
    const q = c.qualifications[0];
    q.aoUkprn = '123';
    q.operationalStart = '2012-13-01';
    q.groups[0].maxUnits = 1;
    q.groups[1].units.push('Q/000/0000');
    q.barred = [[C]];
    q.validityYears = 0;
    q.exemptions = [{ name: 'Old', group: 'nope', credits: 1 }];
    c.qualifications.push({ ...structuredClone(q), qan: 'bad' });
  })();
  const errors = errorsOf(bad);
  const codes = new Set(errors.map((e) => e.code));
  for (const code of [
    'bad-level',
    'wrong-type',
    'duplicate-urn',
    'bad-ukprn',
    'bad-date',
    'mandatory-with-bounds',
    'unknown-unit',
    'barred-too-small',
    'bad-validity-years',
    'unknown-group',
    'bad-qan',
  ] as const) {
    t.ok(codes.has(code), `reports ${code}`);
  }
  // 3 unit problems, 7 in the first qualification and the same 7 plus a bad QAN in its copy.
  t.equal(errors.length, 18, 'one error per problem, none lost and none repeated');
  t.ok(
    errors.some((e) => e.path.startsWith('qualifications[1]')),
    'reaches the second qualification',
  );
  t.ok(
    errors.some((e) => e.message.includes('qualification at qualifications[1]')),
    'names a qualification without a good QAN by position',
  );
});

t.test('the error list stops at the cap', async (t) => {
  const c = base();
  for (let i = 0; i < 1500; i++) c.units.push({ urn: `bad-${i}`, title: 'x', level: '1', credit: 1 });
  const errors = errorsOf(c);
  t.equal(errors.length, 1000);
  t.equal(errors.at(-1)!.code, 'too-many-errors');
  t.equal(errors.filter((e) => e.code === 'too-many-errors').length, 1);
});

t.test('count limits refuse a list before reading it', async (t) => {
  const c = base();
  c.qualifications = new Array(51).fill(0);
  const errors = errorsOf(c, { limits: { maxQualifications: 50 } });
  t.same(
    errors.map((e) => [e.code, e.path]),
    [['too-many', 'qualifications']],
  );
});

t.test('odd top-level inputs give errors, not exceptions', async (t) => {
  for (const input of [undefined, null, 0, 'null', '[]', '"x"', true, [], {}, { units: 'x', qualifications: {} }]) {
    const r = parseCatalogue(input);
    t.notOk(r.ok, `refuses ${JSON.stringify(input)}`);
    if (!r.ok) t.ok(r.errors.length > 0);
  }
});

t.test('never throws on arbitrary values', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const r = parseCatalogue(value);
      return r.ok === false && r.errors.length > 0;
    }),
    { numRuns: 300 },
  );
  t.pass('300 random JSON values refused without throwing');
});

t.test('never throws when parts of a valid file are replaced by arbitrary values', async (t) => {
  const slots: ((c: Json, v: unknown) => void)[] = [
    (c, v) => {
      c.units[1] = v;
    },
    (c, v) => {
      c.units[2].credit = v;
    },
    (c, v) => {
      c.qualifications[0] = v;
    },
    (c, v) => {
      c.qualifications[0].groups = v;
    },
    (c, v) => {
      c.qualifications[0].groups[1] = v;
    },
    (c, v) => {
      c.qualifications[0].groups[1].units = v;
    },
    (c, v) => {
      c.qualifications[0].groups[1].maxUnits = v;
    },
    (c, v) => {
      c.qualifications[0].barred = v;
    },
    (c, v) => {
      c.qualifications[0].equivalences = v;
    },
    (c, v) => {
      c.qualifications[0].exemptions = v;
    },
    (c, v) => {
      c.qualifications[0].minCreditsAtLevel = v;
    },
    (c, v) => {
      c.equivalences = v;
    },
  ];
  let refused = 0;
  fc.assert(
    fc.property(fc.nat(slots.length - 1), fc.jsonValue(), (slot, value) => {
      const c = base();
      slots[slot](c, value);
      const r = parseCatalogue(c);
      if (!r.ok) {
        refused++;
        return r.errors.every(
          (e) => typeof e.path === 'string' && CATALOGUE_ERROR_CODES.includes(e.code) && e.message.length > 0,
        );
      }
      // Accepted only when the replacement happened to be valid: then it round-trips.
      const again = parseCatalogue(JSON.parse(JSON.stringify(serializeCatalogue(r.catalogue))));
      return again.ok;
    }),
    { numRuns: 500 },
  );
  t.ok(refused > 0, `${refused} of 500 mutated files refused`);
});

t.test('the parsed catalogue holds fresh objects with only the known fields', async (t) => {
  const input = base();
  const r = parseCatalogue(input);
  if (!r.ok) return t.fail('base should parse');
  r.catalogue.units[0].title = 'changed';
  t.equal(input.units[0].title, 'Unit one', 'input untouched');
  t.same(Object.keys(r.catalogue.qualifications[0].groups[0]).sort(), ['id', 'mandatory', 'title', 'units']);
  t.equal(r.catalogue.qualifications[0].operationalEnd, '2015-12-31');
  t.equal(r.catalogue.qualifications[0].validityYears, undefined);
});

t.test('optional lists may be left out', async (t) => {
  const c = base();
  delete c.equivalences;
  delete c.formatVersion;
  delete c.qualifications[0].barred;
  delete c.qualifications[0].equivalences;
  delete c.qualifications[0].exemptions;
  delete c.qualifications[0].operationalEnd;
  const r = parseCatalogue(c);
  t.ok(r.ok);
  if (r.ok) {
    t.same(r.catalogue.equivalences, []);
    t.same(r.catalogue.qualifications[0].barred, []);
    t.equal(r.catalogue.qualifications[0].operationalEnd, undefined);
  }
});

t.test('helpers', async (t) => {
  t.ok(isIsoDate('2024-02-29'));
  t.notOk(isIsoDate('2023-02-29'));
  t.notOk(isIsoDate('2023-2-01'));
  t.notOk(isIsoDate('1899-12-31'));
  t.same(groupReach({ mandatory: true }, [3, 4]), { bestCredits: 7, maxCountable: 7 });
  t.same(groupReach({ mandatory: false, maxUnits: 2 }, [1, 5, 3, 4]), { bestCredits: 9, maxCountable: 9 });
  t.same(groupReach({ mandatory: false, maxUnits: 2, maxCredits: 6 }, [1, 5, 3, 4]), {
    bestCredits: 9,
    maxCountable: 6,
  });
});

t.test('huge keys and values are not copied into messages', async (t) => {
  const c = base();
  const big = 'k'.repeat(100_000);
  c.units[0][big] = 1;
  c.units[1].urn = big;
  c.qualifications[0].groups[1].id = big;
  const errors = errorsOf(c);
  t.ok(errors.length >= 3, `${errors.length} errors`);
  for (const e of errors) t.ok(e.message.length + e.path.length < 1000, `${e.code} stays short`);
});
