/**
 * The catalogue file (JSON) and its validation. Pure: no I/O, never throws on bad input.
 *
 * `parseCatalogue` takes either the JSON text or the value JSON.parse produced and returns
 * either a checked `Catalogue` or every problem found (up to MAX_ERRORS), each with a path
 * such as `qualifications[3].groups[1].units[4]`, a stable code and a message that names
 * the qualification (QAN), group id or unit (URN) concerned. docs/catalogue-format.md is
 * the reference for the format, its limits and its codes.
 */
import {
  type Catalogue,
  type Equivalence,
  type Exemption,
  type Level,
  type Qualification,
  type RuleGroup,
  type Unit,
  isLevel,
  levelRank,
  LEVELS,
  QAN_PATTERN,
  UKPRN_PATTERN,
  URN_PATTERN,
} from './model.js';

export const CATALOGUE_FORMAT_VERSION = 1;

/** Limits that keep a hostile or mistaken file from using unbounded time or memory. */
export const CATALOGUE_LIMITS = {
  /** Length of the JSON text when parseCatalogue is given a string. */
  maxTextLength: 200 * 1024 * 1024,
  maxUnits: 100_000,
  maxQualifications: 50_000,
  maxGlobalEquivalences: 100_000,
  maxGroupsPerQualification: 50,
  maxUnitsPerGroup: 200,
  /** Unit references in all groups of all qualifications together. */
  maxGroupEntries: 2_000_000,
  maxBarredSetsPerQualification: 200,
  maxUnitsPerBarredSet: 50,
  maxEquivalencesPerQualification: 1_000,
  maxExemptionsPerQualification: 100,
  maxTitleLength: 500,
  maxGroupIdLength: 40,
  maxDescriptionLength: 10_000,
  /** Unit credit value: whole number, 1 credit = 10 hours. */
  minUnitCredit: 1,
  maxUnitCredit: 999,
  /** Total credits of a qualification, and the ceiling for any group bound. */
  maxTotalCredits: 9_999,
  maxExemptionCredits: 999,
  maxValidityYears: 100,
  minYear: 1900,
  maxYear: 2999,
  /** Errors reported at most; the last one is `too-many-errors` when checking stopped. */
  maxErrors: 1_000,
} as const;

export const CATALOGUE_ERROR_CODES = [
  // the file as a whole
  'invalid-json',
  'too-large',
  'unsupported-version',
  'too-many-errors',
  // shapes and types
  'wrong-type',
  'missing-field',
  'unknown-field',
  'derived-field',
  'too-many',
  'empty-text',
  'too-long',
  // identifiers and scalar values
  'bad-urn',
  'bad-qan',
  'bad-ukprn',
  'bad-level',
  'bad-date',
  'dates-out-of-order',
  'bad-credit',
  'bad-total-credits',
  'bad-bound',
  'bad-level-minimum-credits',
  'bad-exemption-credits',
  'bad-validity-years',
  // uniqueness
  'duplicate-urn',
  'duplicate-qan',
  'duplicate-group',
  'duplicate-unit-in-group',
  'duplicate-unit-in-barred-set',
  'duplicate-equivalence',
  'duplicate-exemption',
  // references
  'unknown-unit',
  'unknown-group',
  // rules of combination
  'no-groups',
  'empty-group',
  'mandatory-with-bounds',
  'min-above-max',
  'group-min-unreachable',
  'total-unreachable',
  'level-minimum-above-total',
  'level-minimum-unreachable',
  'barred-too-small',
  'barred-mandatory-conflict',
  'self-equivalence',
] as const;

export type CatalogueErrorCode = (typeof CATALOGUE_ERROR_CODES)[number];

export interface CatalogueError {
  /** Where in the file, e.g. `qualifications[3].groups[1].units[4]`; "" is the whole file. */
  path: string;
  code: CatalogueErrorCode;
  message: string;
}

export type ParseCatalogueResult = { ok: true; catalogue: Catalogue } | { ok: false; errors: CatalogueError[] };

export type CatalogueLimits = { -readonly [K in keyof typeof CATALOGUE_LIMITS]: number };

export interface ParseCatalogueOptions {
  /** Override some limits (tests use small ones); the rest keep their defaults. */
  limits?: Partial<CatalogueLimits>;
}

const L = CATALOGUE_LIMITS;

/** Thrown inside this module only, to stop checking once the error list is full. */
class StopChecking {}
const STOP = new StopChecking();

class ErrorList {
  readonly items: CatalogueError[] = [];

  constructor(private readonly maxErrors: number) {}

  add(path: string, code: CatalogueErrorCode, message: string): void {
    if (this.items.length >= this.maxErrors - 1) {
      this.items.push({
        path,
        code: 'too-many-errors',
        message: `more than ${this.maxErrors - 1} problems found; checking stopped here`,
      });
      throw STOP;
    }
    this.items.push({ path, code, message });
  }

  get count(): number {
    return this.items.length;
  }
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Per-unit facts the rule checks need; null where the unit's own entry was bad. */
interface UnitFacts {
  index: number;
  credit: number | null;
  level: Level | null;
}

/** A checker for one file. Methods record problems and return undefined for bad values. */
class Checker {
  readonly errors: ErrorList;
  readonly units = new Map<string, UnitFacts>();
  /** False when the file's unit list could not be read: unit references are then not looked up. */
  unitsReadable = true;
  groupEntries = 0;

  constructor(readonly lim: CatalogueLimits) {
    this.errors = new ErrorList(Math.max(1, lim.maxErrors));
  }

  /** Object-ness plus unknown and derived keys. Returns the object or undefined. */
  object(
    value: unknown,
    path: string,
    who: string,
    allowed: readonly string[],
    derived: Readonly<Record<string, string>> = {},
  ): Obj | undefined {
    if (!isObj(value)) {
      this.errors.add(path, 'wrong-type', `${who}: expected an object, found ${describe(value)}`);
      return undefined;
    }
    for (const rawKey of Object.keys(value)) {
      if (allowed.includes(rawKey)) continue;
      const why = Object.prototype.hasOwnProperty.call(derived, rawKey) ? derived[rawKey] : undefined;
      // A hostile file may use enormous keys; never copy more than a little of one.
      const key = rawKey.length > 60 ? `${rawKey.slice(0, 60)}...` : rawKey;
      if (why !== undefined) {
        this.errors.add(at(path, key), 'derived-field', `${who}: "${key}" must not be stored; ${why}`);
      } else {
        this.errors.add(
          at(path, key),
          'unknown-field',
          `${who}: unknown field "${key}" (allowed: ${allowed.join(', ')})`,
        );
      }
    }
    return value;
  }

  /** An array no longer than max. Missing is reported only when required. */
  array(obj: Obj, key: string, path: string, who: string, max: number, required: boolean): unknown[] | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      if (required) this.errors.add(p, 'missing-field', `${who}: "${key}" is required (an array)`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.errors.add(p, 'wrong-type', `${who}: "${key}" must be an array, found ${describe(value)}`);
      return undefined;
    }
    if (value.length > max) {
      this.errors.add(p, 'too-many', `${who}: "${key}" has ${value.length} entries; at most ${max} are allowed`);
      return undefined;
    }
    return value as unknown[];
  }

  /** A non-blank string of at most maxLength characters. */
  text(obj: Obj, key: string, path: string, who: string, maxLength: number, required = true): string | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      if (required) this.errors.add(p, 'missing-field', `${who}: "${key}" is required (a string)`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.errors.add(p, 'wrong-type', `${who}: "${key}" must be a string, found ${describe(value)}`);
      return undefined;
    }
    if (value.trim() === '') {
      this.errors.add(p, 'empty-text', `${who}: "${key}" must not be empty or blank`);
      return undefined;
    }
    if (value.length > maxLength) {
      this.errors.add(p, 'too-long', `${who}: "${key}" is ${value.length} characters long; at most ${maxLength}`);
      return undefined;
    }
    return value;
  }

  /** A string matching a pattern; `code` names the failure. */
  pattern(
    obj: Obj,
    key: string,
    path: string,
    who: string,
    re: RegExp,
    code: CatalogueErrorCode,
    shape: string,
    required = true,
  ): string | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      if (required) this.errors.add(p, 'missing-field', `${who}: "${key}" is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.errors.add(p, 'wrong-type', `${who}: "${key}" must be a string, found ${describe(value)}`);
      return undefined;
    }
    if (!re.test(value)) {
      this.errors.add(p, code, `${who}: "${key}" is ${describe(value)}, which is not ${shape}`);
      return undefined;
    }
    return value;
  }

  /** A whole number in [min, max]; `code` names an out-of-range or fractional value. */
  integer(
    obj: Obj,
    key: string,
    path: string,
    who: string,
    min: number,
    max: number,
    code: CatalogueErrorCode,
    required: boolean,
  ): number | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      if (required) this.errors.add(p, 'missing-field', `${who}: "${key}" is required (a whole number)`);
      return undefined;
    }
    if (typeof value !== 'number') {
      this.errors.add(p, 'wrong-type', `${who}: "${key}" must be a number, found ${describe(value)}`);
      return undefined;
    }
    if (!Number.isInteger(value) || value < min || value > max) {
      this.errors.add(p, code, `${who}: "${key}" is ${value}; it must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  level(obj: Obj, key: string, path: string, who: string): Level | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      this.errors.add(p, 'missing-field', `${who}: "${key}" is required (one of ${LEVELS.join(', ')})`);
      return undefined;
    }
    if (!isLevel(value)) {
      this.errors.add(p, 'bad-level', `${who}: "${key}" is ${describe(value)}; expected one of ${LEVELS.join(', ')}`);
      return undefined;
    }
    return value;
  }

  date(obj: Obj, key: string, path: string, who: string, required: boolean): string | undefined {
    const value = obj[key];
    const p = at(path, key);
    if (value === undefined) {
      if (required) this.errors.add(p, 'missing-field', `${who}: "${key}" is required (YYYY-MM-DD)`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.errors.add(p, 'wrong-type', `${who}: "${key}" must be a string, found ${describe(value)}`);
      return undefined;
    }
    if (!isIsoDate(value)) {
      this.errors.add(
        p,
        'bad-date',
        `${who}: "${key}" is ${describe(value)}, which is not a calendar date YYYY-MM-DD in ${L.minYear}-${L.maxYear}`,
      );
      return undefined;
    }
    return value;
  }

  /**
   * A URN held directly in an array (group units, barred sets, equivalence ends): shape,
   * then whether the catalogue has that unit.
   */
  unitRef(value: unknown, path: string, who: string): string | undefined {
    if (typeof value !== 'string') {
      this.errors.add(path, 'wrong-type', `${who}: a unit reference must be a URN string, found ${describe(value)}`);
      return undefined;
    }
    if (!URN_PATTERN.test(value)) {
      this.errors.add(path, 'bad-urn', `${who}: ${describe(value)} is not a URN like J/617/2480`);
      return undefined;
    }
    if (!this.units.has(value)) {
      if (!this.unitsReadable) return undefined;
      this.errors.add(path, 'unknown-unit', `${who}: unit ${value} is not among the catalogue's units`);
      return undefined;
    }
    return value;
  }
}

export function isIsoDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < L.minYear || year > L.maxYear || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * What an optional or mandatory group can contribute, from its units' credits alone
 * (barred sets, equivalences and exemptions are not considered):
 * - `maxCountable`: the most credit the group can count: for a mandatory group the sum of
 *   its units; otherwise the best `maxUnits` units, capped at `maxCredits`;
 * - `bestCredits`: the most credit its units can reach within `maxUnits` (before the
 *   credit cap), which a credit minimum must not exceed.
 */
export function groupReach(
  group: Pick<RuleGroup, 'mandatory' | 'maxCredits' | 'maxUnits'>,
  credits: readonly number[],
): { bestCredits: number; maxCountable: number } {
  if (group.mandatory) {
    let sum = 0;
    for (const c of credits) sum += c;
    return { bestCredits: sum, maxCountable: sum };
  }
  const sorted = [...credits].sort((a, b) => b - a);
  const take = Math.min(sorted.length, group.maxUnits ?? sorted.length);
  let best = 0;
  for (let i = 0; i < take; i++) best += sorted[i];
  const countable = group.maxCredits === undefined ? best : Math.min(best, group.maxCredits);
  return { bestCredits: best, maxCountable: countable };
}

const ROOT_KEYS = ['formatVersion', 'description', 'units', 'qualifications', 'equivalences'] as const;
const UNIT_KEYS = ['urn', 'title', 'level', 'credit'] as const;
const QUALIFICATION_KEYS = [
  'qan',
  'title',
  'level',
  'aoUkprn',
  'operationalStart',
  'operationalEnd',
  'totalCredits',
  'minCreditsAtLevel',
  'groups',
  'barred',
  'equivalences',
  'exemptions',
  'validityYears',
] as const;
const QUALIFICATION_DERIVED = {
  size: 'the size (Award, Certificate, Diploma) is derived from totalCredits',
} as const;
const GROUP_KEYS = ['id', 'title', 'mandatory', 'minCredits', 'maxCredits', 'minUnits', 'maxUnits', 'units'] as const;
const BOUND_KEYS = ['minCredits', 'maxCredits', 'minUnits', 'maxUnits'] as const;
const LEVEL_MINIMUM_KEYS = ['level', 'credits'] as const;
const EQUIVALENCE_KEYS = ['from', 'to'] as const;
const EXEMPTION_KEYS = ['name', 'group', 'credits'] as const;

/**
 * Check a catalogue file. `input` is the JSON text or the already-parsed value. Returns
 * the catalogue (fresh objects holding only the known fields) or all problems found.
 */
export function parseCatalogue(input: unknown, options: ParseCatalogueOptions = {}): ParseCatalogueResult {
  const checker = new Checker({ ...CATALOGUE_LIMITS, ...options.limits });
  let catalogue: Catalogue | undefined;
  try {
    let json = input;
    if (typeof input === 'string') {
      if (input.length > checker.lim.maxTextLength) {
        checker.errors.add(
          '',
          'too-large',
          `the file is ${input.length} characters long; at most ${checker.lim.maxTextLength}`,
        );
        throw STOP;
      }
      try {
        json = JSON.parse(input);
      } catch (err) {
        checker.errors.add('', 'invalid-json', `the file is not valid JSON: ${(err as Error).message}`);
        throw STOP;
      }
    }
    catalogue = checkRoot(checker, json);
  } catch (err) {
    // Anything other than STOP is a bug in this module, not a problem with the input.
    /* c8 ignore next */
    if (err !== STOP) throw err;
  }
  if (checker.errors.count > 0 || catalogue === undefined) {
    return { ok: false, errors: checker.errors.items };
  }
  return { ok: true, catalogue };
}

function checkRoot(ch: Checker, json: unknown): Catalogue | undefined {
  const root = ch.object(json, '', 'catalogue', ROOT_KEYS);
  if (!root) return undefined;

  if (root.formatVersion !== undefined && root.formatVersion !== CATALOGUE_FORMAT_VERSION) {
    ch.errors.add(
      'formatVersion',
      'unsupported-version',
      `catalogue: formatVersion is ${describe(root.formatVersion)}; this service reads version ${CATALOGUE_FORMAT_VERSION}`,
    );
  }
  if (root.description !== undefined) ch.text(root, 'description', '', 'catalogue', ch.lim.maxDescriptionLength, false);

  const units = checkUnits(ch, root);
  const equivalencesRaw = ch.array(root, 'equivalences', '', 'catalogue', ch.lim.maxGlobalEquivalences, false);
  const equivalences = equivalencesRaw ? checkEquivalences(ch, equivalencesRaw, 'equivalences', 'catalogue') : [];
  const qualifications = checkQualifications(ch, root);
  return { units, qualifications, equivalences };
}

function checkUnits(ch: Checker, root: Obj): Unit[] {
  const out: Unit[] = [];
  const raw = ch.array(root, 'units', '', 'catalogue', ch.lim.maxUnits, true);
  if (!raw) {
    // A list that is far too long is refused outright; one that is missing or not a list
    // would turn every unit reference into a further error, so references are not looked up.
    if (Array.isArray(root.units)) throw STOP;
    ch.unitsReadable = false;
    return out;
  }
  for (let i = 0; i < raw.length; i++) {
    const path = `units[${i}]`;
    const entry = raw[i];
    const rawUrn = isObj(entry) ? entry.urn : undefined;
    const who = typeof rawUrn === 'string' && URN_PATTERN.test(rawUrn) ? `unit ${rawUrn}` : `unit at units[${i}]`;
    const obj = ch.object(entry, path, who, UNIT_KEYS);
    if (!obj) continue;
    const urn = ch.pattern(obj, 'urn', path, who, URN_PATTERN, 'bad-urn', 'a URN like J/617/2480');
    const title = ch.text(obj, 'title', path, who, ch.lim.maxTitleLength);
    const level = ch.level(obj, 'level', path, who);
    const credit = ch.integer(obj, 'credit', path, who, ch.lim.minUnitCredit, ch.lim.maxUnitCredit, 'bad-credit', true);
    if (urn === undefined) continue;
    const first = ch.units.get(urn);
    if (first) {
      ch.errors.add(at(path, 'urn'), 'duplicate-urn', `unit ${urn} appears twice (first at units[${first.index}])`);
      continue;
    }
    ch.units.set(urn, { index: i, credit: credit ?? null, level: level ?? null });
    if (title !== undefined && level !== undefined && credit !== undefined) {
      out.push({ urn, title, level, credit });
    }
  }
  return out;
}

function checkEquivalences(ch: Checker, raw: unknown[], basePath: string, owner: string): Equivalence[] {
  const out: Equivalence[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < raw.length; i++) {
    const path = `${basePath}[${i}]`;
    const who = `${owner}, equivalence ${i}`;
    const obj = ch.object(raw[i], path, who, EQUIVALENCE_KEYS);
    if (!obj) continue;
    let from: string | undefined;
    let to: string | undefined;
    if (obj.from === undefined) ch.errors.add(at(path, 'from'), 'missing-field', `${who}: "from" is required (a URN)`);
    else from = ch.unitRef(obj.from, at(path, 'from'), who);
    if (obj.to === undefined) ch.errors.add(at(path, 'to'), 'missing-field', `${who}: "to" is required (a URN)`);
    else to = ch.unitRef(obj.to, at(path, 'to'), who);
    if (from === undefined || to === undefined) continue;
    if (from === to) {
      ch.errors.add(path, 'self-equivalence', `${owner}: unit ${from} is declared equivalent to itself`);
      continue;
    }
    const key = `${from}>${to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ch.errors.add(
        path,
        'duplicate-equivalence',
        `${owner}: equivalence ${from} counts as ${to} is declared twice (first at ${basePath}[${first}])`,
      );
      continue;
    }
    seen.set(key, i);
    out.push({ from, to });
  }
  return out;
}

function checkQualifications(ch: Checker, root: Obj): Qualification[] {
  const out: Qualification[] = [];
  const raw = ch.array(root, 'qualifications', '', 'catalogue', ch.lim.maxQualifications, true);
  if (!raw) {
    if (Array.isArray(root.qualifications)) throw STOP;
    return out;
  }
  const seenQan = new Map<string, number>();
  for (let i = 0; i < raw.length; i++) {
    const q = checkQualification(ch, raw[i], i, seenQan);
    if (q) out.push(q);
  }
  return out;
}

/** A group as far as it could be read, plus what the cross-group checks need. */
interface GroupInfo {
  group: RuleGroup | undefined;
  id: string | undefined;
  mandatory: boolean | undefined;
  /** Distinct known URNs in the group. */
  urns: string[];
  /** True when every unit reference and every unit's credit is known and good. */
  certain: boolean;
  maxCountable: number;
}

function checkQualification(
  ch: Checker,
  entry: unknown,
  i: number,
  seenQan: Map<string, number>,
): Qualification | undefined {
  const path = `qualifications[${i}]`;
  const rawQan = isObj(entry) ? entry.qan : undefined;
  const who =
    typeof rawQan === 'string' && QAN_PATTERN.test(rawQan)
      ? `qualification ${rawQan}`
      : `qualification at qualifications[${i}]`;
  const obj = ch.object(entry, path, who, QUALIFICATION_KEYS, QUALIFICATION_DERIVED);
  if (!obj) return undefined;
  const errorsBefore = ch.errors.count;

  const qan = ch.pattern(obj, 'qan', path, who, QAN_PATTERN, 'bad-qan', 'a QAN like 501/1855/9');
  if (qan !== undefined) {
    const first = seenQan.get(qan);
    if (first !== undefined) {
      ch.errors.add(
        at(path, 'qan'),
        'duplicate-qan',
        `qualification ${qan} appears twice (first at qualifications[${first}])`,
      );
    } else {
      seenQan.set(qan, i);
    }
  }
  const title = ch.text(obj, 'title', path, who, ch.lim.maxTitleLength);
  const level = ch.level(obj, 'level', path, who);
  const aoUkprn = ch.pattern(
    obj,
    'aoUkprn',
    path,
    who,
    UKPRN_PATTERN,
    'bad-ukprn',
    'a UKPRN (8 digits starting with 1)',
  );
  const start = ch.date(obj, 'operationalStart', path, who, true);
  const end = ch.date(obj, 'operationalEnd', path, who, false);
  if (start !== undefined && end !== undefined && start > end) {
    ch.errors.add(
      at(path, 'operationalEnd'),
      'dates-out-of-order',
      `${who}: operationalEnd ${end} is before operationalStart ${start}`,
    );
  }
  const totalCredits = ch.integer(obj, 'totalCredits', path, who, 1, ch.lim.maxTotalCredits, 'bad-total-credits', true);

  // Groups.
  const groupsRaw = ch.array(obj, 'groups', path, who, ch.lim.maxGroupsPerQualification, true);
  const infos: GroupInfo[] = [];
  const groupIds = new Map<string, number>();
  if (groupsRaw) {
    if (groupsRaw.length === 0) {
      ch.errors.add(at(path, 'groups'), 'no-groups', `${who}: a rule of combination needs at least one group`);
    }
    for (let g = 0; g < groupsRaw.length; g++) {
      infos.push(checkGroup(ch, groupsRaw[g], at(path, 'groups') + `[${g}]`, who, g, groupIds));
    }
  }
  const groupsReadable = groupsRaw !== undefined;
  const allCertain = groupsReadable && infos.every((x) => x.certain);

  // Distinct units of the whole qualification.
  const qualUnits = new Set<string>();
  const mandatoryUnits = new Set<string>();
  for (const info of infos) {
    for (const urn of info.urns) {
      qualUnits.add(urn);
      if (info.mandatory === true) mandatoryUnits.add(urn);
    }
  }

  if (totalCredits !== undefined && allCertain && infos.length > 0) {
    let sumOfGroups = 0;
    for (const info of infos) sumOfGroups += info.maxCountable;
    let distinct = 0;
    for (const urn of qualUnits) distinct += ch.units.get(urn)!.credit!;
    const reach = Math.min(sumOfGroups, distinct);
    if (totalCredits > reach) {
      ch.errors.add(
        at(path, 'totalCredits'),
        'total-unreachable',
        `${who}: needs ${totalCredits} credits but its groups can count at most ${reach} ` +
          `(${sumOfGroups} by group caps, ${distinct} from its distinct units)`,
      );
    }
  }

  const minCreditsAtLevel = checkLevelMinimum(ch, obj, path, who, totalCredits, allCertain, qualUnits);

  const barred = checkBarred(ch, obj, path, who, mandatoryUnits);

  // Equivalences for this qualification.
  const eqRaw = ch.array(obj, 'equivalences', path, who, ch.lim.maxEquivalencesPerQualification, false);
  const equivalences = eqRaw ? checkEquivalences(ch, eqRaw, at(path, 'equivalences'), who) : [];

  const exemptions = checkExemptions(ch, obj, path, who, groupsReadable ? groupIds : undefined);

  const validityYears = ch.integer(
    obj,
    'validityYears',
    path,
    who,
    1,
    ch.lim.maxValidityYears,
    'bad-validity-years',
    false,
  );

  if (ch.errors.count > errorsBefore) return undefined;
  const groups = infos.map((x) => x.group!);
  const q: Qualification = {
    qan: qan!,
    title: title!,
    level: level!,
    aoUkprn: aoUkprn!,
    operationalStart: start!,
    totalCredits: totalCredits!,
    groups,
    barred,
    equivalences,
    exemptions,
  };
  if (end !== undefined) q.operationalEnd = end;
  if (minCreditsAtLevel !== undefined) q.minCreditsAtLevel = minCreditsAtLevel;
  if (validityYears !== undefined) q.validityYears = validityYears;
  return q;
}

/** A qualification's level minimum: its shape, and whether its total and its units can meet it. */
function checkLevelMinimum(
  ch: Checker,
  obj: Obj,
  path: string,
  who: string,
  totalCredits: number | undefined,
  allCertain: boolean,
  qualUnits: ReadonlySet<string>,
): Qualification['minCreditsAtLevel'] {
  let minCreditsAtLevel: Qualification['minCreditsAtLevel'];
  if (obj.minCreditsAtLevel !== undefined) {
    const mp = at(path, 'minCreditsAtLevel');
    const mwho = `${who}, level minimum`;
    const m = ch.object(obj.minCreditsAtLevel, mp, mwho, LEVEL_MINIMUM_KEYS);
    if (m) {
      const mLevel = ch.level(m, 'level', mp, mwho);
      const mCredits = ch.integer(m, 'credits', mp, mwho, 1, ch.lim.maxTotalCredits, 'bad-level-minimum-credits', true);
      if (mCredits !== undefined && totalCredits !== undefined && mCredits > totalCredits) {
        ch.errors.add(
          at(mp, 'credits'),
          'level-minimum-above-total',
          `${who}: its level minimum asks for ${mCredits} credits, more than its total of ${totalCredits}`,
        );
      } else if (mLevel !== undefined && mCredits !== undefined && allCertain) {
        const rank = levelRank(mLevel);
        let available = 0;
        let levelsKnown = true;
        for (const urn of qualUnits) {
          const facts = ch.units.get(urn)!;
          if (facts.level === null) levelsKnown = false;
          else if (levelRank(facts.level) >= rank) available += facts.credit!;
        }
        if (levelsKnown && available < mCredits) {
          ch.errors.add(
            at(mp, 'credits'),
            'level-minimum-unreachable',
            `${who}: asks for ${mCredits} credits at level ${mLevel} or above, but its units at that level ` +
              `or above carry only ${available}`,
          );
        }
      }
      if (mLevel !== undefined && mCredits !== undefined) minCreditsAtLevel = { level: mLevel, credits: mCredits };
    }
  }
  return minCreditsAtLevel;
}

/** A qualification's barred sets: each of 2 or more distinct known units, not two of them mandatory. */
function checkBarred(
  ch: Checker,
  obj: Obj,
  path: string,
  who: string,
  mandatoryUnits: ReadonlySet<string>,
): string[][] {
  const barred: string[][] = [];
  const barredRaw = ch.array(obj, 'barred', path, who, ch.lim.maxBarredSetsPerQualification, false);
  if (barredRaw) {
    for (let b = 0; b < barredRaw.length; b++) {
      const bp = at(path, 'barred') + `[${b}]`;
      const bwho = `${who}, barred set ${b}`;
      const set = barredRaw[b];
      if (!Array.isArray(set)) {
        ch.errors.add(bp, 'wrong-type', `${bwho}: expected an array of URNs, found ${describe(set)}`);
        continue;
      }
      if (set.length > ch.lim.maxUnitsPerBarredSet) {
        ch.errors.add(bp, 'too-many', `${bwho}: has ${set.length} units; at most ${ch.lim.maxUnitsPerBarredSet}`);
        continue;
      }
      if (set.length < 2) {
        ch.errors.add(bp, 'barred-too-small', `${bwho}: a barred set needs at least 2 units, found ${set.length}`);
        continue;
      }
      const members: string[] = [];
      let good = true;
      for (let k = 0; k < set.length; k++) {
        const urn = ch.unitRef(set[k], `${bp}[${k}]`, bwho);
        if (urn === undefined) {
          good = false;
          continue;
        }
        if (members.includes(urn)) {
          ch.errors.add(`${bp}[${k}]`, 'duplicate-unit-in-barred-set', `${bwho}: unit ${urn} is listed twice`);
          good = false;
          continue;
        }
        members.push(urn);
      }
      const inMandatory = members.filter((u) => mandatoryUnits.has(u));
      if (inMandatory.length >= 2) {
        ch.errors.add(
          bp,
          'barred-mandatory-conflict',
          `${bwho}: units ${inMandatory.join(', ')} are all required by mandatory groups, yet at most one may count`,
        );
        good = false;
      }
      if (good) barred.push(members);
    }
  }
  return barred;
}

/** A qualification's exemptions: named once each, towards one of its groups (when its groups could be read). */
function checkExemptions(
  ch: Checker,
  obj: Obj,
  path: string,
  who: string,
  groupIds: ReadonlyMap<string, number> | undefined,
): Exemption[] {
  const exemptions: Exemption[] = [];
  const exRaw = ch.array(obj, 'exemptions', path, who, ch.lim.maxExemptionsPerQualification, false);
  if (exRaw) {
    const names = new Map<string, number>();
    for (let e = 0; e < exRaw.length; e++) {
      const ep = at(path, 'exemptions') + `[${e}]`;
      const ewho = `${who}, exemption ${e}`;
      const ex = ch.object(exRaw[e], ep, ewho, EXEMPTION_KEYS);
      if (!ex) continue;
      const name = ch.text(ex, 'name', ep, ewho, ch.lim.maxTitleLength);
      const group = ch.text(ex, 'group', ep, ewho, ch.lim.maxGroupIdLength);
      const credits = ch.integer(ex, 'credits', ep, ewho, 1, ch.lim.maxExemptionCredits, 'bad-exemption-credits', true);
      if (group !== undefined && groupIds !== undefined && !groupIds.has(group)) {
        ch.errors.add(
          at(ep, 'group'),
          'unknown-group',
          `${who}: exemption ${JSON.stringify(name ?? '')} names group "${group}", which this qualification does not have`,
        );
        continue;
      }
      if (name !== undefined) {
        const first = names.get(name);
        if (first !== undefined) {
          ch.errors.add(
            at(ep, 'name'),
            'duplicate-exemption',
            `${who}: exemption ${JSON.stringify(name)} is listed twice (first at exemptions[${first}])`,
          );
          continue;
        }
        names.set(name, e);
      }
      if (name !== undefined && group !== undefined && credits !== undefined) exemptions.push({ name, group, credits });
    }
  }
  return exemptions;
}

function checkGroup(
  ch: Checker,
  entry: unknown,
  path: string,
  qualWho: string,
  g: number,
  groupIds: Map<string, number>,
): GroupInfo {
  const info: GroupInfo = {
    group: undefined,
    id: undefined,
    mandatory: undefined,
    urns: [],
    certain: false,
    maxCountable: 0,
  };
  const rawId = isObj(entry) ? entry.id : undefined;
  const who =
    typeof rawId === 'string' && rawId.trim() !== '' && rawId.length <= ch.lim.maxGroupIdLength
      ? `${qualWho}, group "${rawId}"`
      : `${qualWho}, group ${g}`;
  const obj = ch.object(entry, path, who, GROUP_KEYS);
  if (!obj) return info;
  const errorsBefore = ch.errors.count;

  const id = ch.text(obj, 'id', path, who, ch.lim.maxGroupIdLength);
  if (id !== undefined) {
    const first = groupIds.get(id);
    if (first !== undefined) {
      ch.errors.add(
        at(path, 'id'),
        'duplicate-group',
        `${qualWho}: group id "${id}" is used twice (first at groups[${first}])`,
      );
    } else {
      groupIds.set(id, g);
    }
    info.id = id;
  }
  const title = ch.text(obj, 'title', path, who, ch.lim.maxTitleLength);
  let mandatory: boolean | undefined;
  if (obj.mandatory === undefined) {
    ch.errors.add(at(path, 'mandatory'), 'missing-field', `${who}: "mandatory" is required (true or false)`);
  } else if (typeof obj.mandatory !== 'boolean') {
    ch.errors.add(
      at(path, 'mandatory'),
      'wrong-type',
      `${who}: "mandatory" must be true or false, found ${describe(obj.mandatory)}`,
    );
  } else {
    mandatory = obj.mandatory;
  }
  info.mandatory = mandatory;

  const minCredits = ch.integer(obj, 'minCredits', path, who, 0, ch.lim.maxTotalCredits, 'bad-bound', false);
  const maxCredits = ch.integer(obj, 'maxCredits', path, who, 1, ch.lim.maxTotalCredits, 'bad-bound', false);
  const minUnits = ch.integer(obj, 'minUnits', path, who, 0, ch.lim.maxUnitsPerGroup, 'bad-bound', false);
  const maxUnits = ch.integer(obj, 'maxUnits', path, who, 1, ch.lim.maxUnitsPerGroup, 'bad-bound', false);

  let boundsGood = true;
  if (mandatory === true) {
    const present = BOUND_KEYS.filter((k) => obj[k] !== undefined);
    if (present.length > 0) {
      ch.errors.add(
        path,
        'mandatory-with-bounds',
        `${who}: a mandatory group needs every unit, so it must not also have ${present.join(', ')}`,
      );
      boundsGood = false;
    }
  }
  if (minCredits !== undefined && maxCredits !== undefined && minCredits > maxCredits) {
    ch.errors.add(path, 'min-above-max', `${who}: minCredits ${minCredits} is above maxCredits ${maxCredits}`);
    boundsGood = false;
  }
  if (minUnits !== undefined && maxUnits !== undefined && minUnits > maxUnits) {
    ch.errors.add(path, 'min-above-max', `${who}: minUnits ${minUnits} is above maxUnits ${maxUnits}`);
    boundsGood = false;
  }

  // Units.
  const unitsRaw = ch.array(obj, 'units', path, who, ch.lim.maxUnitsPerGroup, true);
  let unitsGood = unitsRaw !== undefined;
  if (unitsRaw) {
    ch.groupEntries += unitsRaw.length;
    if (ch.groupEntries > ch.lim.maxGroupEntries) {
      ch.errors.add(
        at(path, 'units'),
        'too-many',
        `${who}: the catalogue's groups list more than ${ch.lim.maxGroupEntries} unit references in all; checking stopped`,
      );
      throw STOP;
    }
    if (unitsRaw.length === 0) {
      ch.errors.add(at(path, 'units'), 'empty-group', `${who}: a group needs at least one unit`);
      unitsGood = false;
    }
    const inGroup = new Set<string>();
    for (let k = 0; k < unitsRaw.length; k++) {
      const up = at(path, 'units') + `[${k}]`;
      const urn = ch.unitRef(unitsRaw[k], up, who);
      if (urn === undefined) {
        unitsGood = false;
        continue;
      }
      if (inGroup.has(urn)) {
        ch.errors.add(up, 'duplicate-unit-in-group', `${who}: unit ${urn} is listed twice in this group`);
        unitsGood = false;
        continue;
      }
      inGroup.add(urn);
      info.urns.push(urn);
    }
  }

  // Reachability of this group's own minimums, from the credits of its units.
  const credits: number[] = [];
  let creditsKnown = unitsGood;
  for (const urn of info.urns) {
    const c = ch.units.get(urn)!.credit;
    if (c === null) creditsKnown = false;
    else credits.push(c);
  }
  if (creditsKnown && mandatory !== undefined && boundsGood) {
    const reach = groupReach({ mandatory, maxCredits, maxUnits }, credits);
    if (!mandatory) {
      if (minUnits !== undefined && minUnits > credits.length) {
        ch.errors.add(
          at(path, 'minUnits'),
          'group-min-unreachable',
          `${who}: needs at least ${minUnits} units but lists only ${credits.length}`,
        );
      }
      if (minCredits !== undefined && minCredits > reach.bestCredits) {
        const capNote =
          maxUnits !== undefined && maxUnits < credits.length ? ` within its limit of ${maxUnits} units` : '';
        ch.errors.add(
          at(path, 'minCredits'),
          'group-min-unreachable',
          `${who}: needs at least ${minCredits} credits but its units can give at most ${reach.bestCredits}${capNote}`,
        );
      }
    }
    info.maxCountable = reach.maxCountable;
    info.certain = ch.errors.count === errorsBefore;
  }

  if (ch.errors.count === errorsBefore) {
    const group: RuleGroup = { id: id!, title: title!, mandatory: mandatory!, units: info.urns };
    if (minCredits !== undefined) group.minCredits = minCredits;
    if (maxCredits !== undefined) group.maxCredits = maxCredits;
    if (minUnits !== undefined) group.minUnits = minUnits;
    if (maxUnits !== undefined) group.maxUnits = maxUnits;
    info.group = group;
  }
  return info;
}

/**
 * A catalogue as a plain object ready for JSON.stringify, in the file format
 * parseCatalogue reads (optional fields left out when absent).
 */
export function serializeCatalogue(c: Catalogue): object {
  return {
    formatVersion: CATALOGUE_FORMAT_VERSION,
    units: c.units.map((u) => ({ urn: u.urn, title: u.title, level: u.level, credit: u.credit })),
    qualifications: c.qualifications.map((q) => {
      const out: Record<string, unknown> = {
        qan: q.qan,
        title: q.title,
        level: q.level,
        aoUkprn: q.aoUkprn,
        operationalStart: q.operationalStart,
      };
      if (q.operationalEnd !== undefined) out.operationalEnd = q.operationalEnd;
      out.totalCredits = q.totalCredits;
      if (q.minCreditsAtLevel !== undefined) {
        out.minCreditsAtLevel = { level: q.minCreditsAtLevel.level, credits: q.minCreditsAtLevel.credits };
      }
      out.groups = q.groups.map((g) => {
        const go: Record<string, unknown> = { id: g.id, title: g.title, mandatory: g.mandatory };
        for (const k of BOUND_KEYS) if (g[k] !== undefined) go[k] = g[k];
        go.units = [...g.units];
        return go;
      });
      out.barred = q.barred.map((set) => [...set]);
      out.equivalences = q.equivalences.map((e) => ({ from: e.from, to: e.to }));
      out.exemptions = q.exemptions.map((e) => ({ name: e.name, group: e.group, credits: e.credits }));
      if (q.validityYears !== undefined) out.validityYears = q.validityYears;
      return out;
    }),
    equivalences: c.equivalences.map((e) => ({ from: e.from, to: e.to })),
  };
}
