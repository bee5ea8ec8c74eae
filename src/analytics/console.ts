/**
 * The analysts' console, pure part: the checks made on a query's plan (from EXPLAIN)
 * before it runs, the check made on its answer before it leaves, and the conversion of
 * answer values to plain JSON. No I/O here; see docs/analytics.md for the rule and why
 * it holds.
 */
import {
  isDate,
  isDateTime,
  isDuration,
  isInt,
  isLocalDateTime,
  isLocalTime,
  isNode,
  isPath,
  isPathSegment,
  isRelationship,
  isTime,
  isUnboundRelationship,
} from 'neo4j-driver';
import { PERSONAL_DETAIL_KEYS } from '../platform/logging.js';
import { allowedNames } from './schema.js';

/** The parts of a driver plan node the checks read. */
export interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  identifiers: string[];
  children: PlanNode[];
}

/**
 * A second net under the text's allow-list (query-text.ts), on the plan Neo4j will run:
 * labels outside the schema, and keys known to hold personal details, free text or
 * secrets, refused wherever the plan names them.
 */
export const PERSONAL_LABELS = [
  'PersonalDetails',
  'Representative',
  'AnalyticsQuery',
  'User',
  'ApiClient',
  'RefreshToken',
] as const;

/** Relationship types that lead only to nodes outside the schema. */
export const PERSONAL_RELATIONSHIPS = [
  'HAS_DETAILS',
  'FILED_BY_REPRESENTATIVE',
  'MEMBER_OF',
  'HAS_REFRESH_TOKEN',
] as const;

/**
 * Property keys that hold personal details, free text people write, secrets or their
 * hashes, and the console's own log. `name` is not among them: organisation names are
 * not personal (SPEC 6), and the one personal `name` (a representative's) is sealed.
 */
export const PERSONAL_KEYS = [
  ...PERSONAL_DETAIL_KEYS,
  'relationship',
  'reason',
  'resolution',
  'note',
  'queryText',
  'strippedText',
  'sealedText',
  'sealed',
  'passwordHash',
  'setupTokenHash',
  'secretHash',
  'hash',
  'emailIndex',
  'fileName',
  'file',
  'message',
  'failure',
  'mail',
  'idempotencyKey',
] as const;

/** Functions that hand over every property (or every key) of whatever they are given. */
export const WHOLE_ENTITY_FUNCTIONS = ['properties', 'keys'] as const;

/** Read-only procedures that tell nothing about any one node. */
export const ALLOWED_PROCEDURES = ['db.labels', 'db.relationshipTypes', 'db.propertyKeys'] as const;

/**
 * Operators that write, load files, commit on their own, or administer: refused whatever
 * the query type says. Matched as a prefix of the operator name.
 */
const REFUSED_OPERATOR_PREFIXES = [
  'Create',
  'Merge',
  'Delete',
  'DetachDelete',
  'Set',
  'Remove',
  'Foreach',
  'TransactionForeach',
  'TransactionApply',
  'LoadCSV',
  'LockNodes',
  'LockingMerge',
  'EmptyResult',
  'Show',
  'Terminate',
  'Drop',
  'Alter',
  'Grant',
  'Deny',
  'Revoke',
  'Rename',
  'Enable',
  'Disable',
  'Start',
  'Stop',
  'AdministrationCommand',
  'SystemProcedureCall',
  'AssertSame',
  'DoNothingIfExists',
  'Wait',
  'Log',
];

/** Plan arguments that are settings of the planner, not parts of the query. */
const META_ARGUMENTS = new Set([
  'planner',
  'planner-impl',
  'planner-version',
  'runtime',
  'runtime-impl',
  'runtime-version',
  'version',
  'EstimatedRows',
  'Id',
  'string-representation',
  'GlobalMemory',
  'Memory',
]);

export type RefusalKind =
  | 'label'
  | 'relationship'
  | 'property'
  | 'function'
  | 'projection'
  | 'subscript'
  | 'operator'
  | 'procedure'
  | 'query-type'
  | 'database'
  | 'plan'
  | 'text'
  | 'syntax'
  | 'value';

export interface Refusal {
  kind: RefusalKind;
  /** The label, key, operator, procedure... that was refused. */
  name: string;
  /** A sentence for the analyst, naming what was refused and why. */
  reason: string;
}

export interface PlanFacts {
  plan: PlanNode | null | false | undefined;
  /** summary.queryType: 'r', 'rw', 'w' or 's'. */
  queryType: string | undefined;
  /** summary.database.name, where the query would run. */
  database: string | undefined;
}

function operatorName(op: PlanNode): { name: string; database: string | undefined } {
  const at = op.operatorType.indexOf('@');
  return at < 0
    ? { name: op.operatorType, database: undefined }
    : { name: op.operatorType.slice(0, at), database: op.operatorType.slice(at + 1) };
}

function* walk(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.children ?? []) yield* walk(child);
}

/** Every piece of query-derived text in one operator: its non-meta arguments and its identifiers. */
function textsOf(op: PlanNode): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(op.arguments ?? {})) {
    if (META_ARGUMENTS.has(key)) continue;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  out.push(...(op.identifiers ?? []));
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A word of the plan text, matched ignoring case (a case variant of a key is another key
 * to Neo4j, but refusing it costs nothing and closes any doubt).
 */
function findWord(text: string, words: readonly string[]): string | undefined {
  for (const w of words) {
    if (new RegExp(`(?<![A-Za-z0-9_])${escapeRe(w)}(?![A-Za-z0-9_])`, 'i').test(text)) return w;
  }
  return undefined;
}

/** Text with back-quoted names (column aliases repeat the raw query) blanked out. */
function withoutQuotedNames(text: string): string {
  return text.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length));
}

/**
 * Subscripts `x[...]` in plan text. A literal (or auto-parameterised) integer index and a
 * slice are list operations; anything else may be a property read by a computed key
 * (`n['given' + 'Name']`, `n[k]`), which the plan cannot tell from a list index.
 */
export function computedSubscript(text: string): string | undefined {
  const t = withoutQuotedNames(text);
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== '[') continue;
    let j = i - 1;
    while (j >= 0 && t[j] === ' ') j--;
    if (j < 0 || !/[A-Za-z0-9_)\]]/.test(t[j])) continue;
    const before = /([A-Za-z0-9_]+)$/.exec(t.slice(0, j + 1));
    if (before && before[1] === 'cache') continue; // the planner's notation for a cached property
    let depth = 0;
    let k = i;
    for (; k < t.length; k++) {
      if (t[k] === '[') depth++;
      else if (t[k] === ']' && --depth === 0) break;
    }
    const inside = t.slice(i + 1, k);
    if (/^\s*(-?\d+|\$autoint_\d+)\s*$/.test(inside)) continue;
    if (isSlice(inside)) continue;
    return `${t.slice(Math.max(0, j - 20), j + 1).trim()}[${inside}]`;
  }
  return undefined;
}

function isSlice(inside: string): boolean {
  let depth = 0;
  for (let i = 0; i < inside.length - 1; i++) {
    const c = inside[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (depth === 0 && c === '.' && inside[i + 1] === '.') return true;
  }
  return false;
}

/** The procedure a ProcedureCall operator calls, from its details ("db.labels() :: (...)"). */
function procedureOf(details: string): string {
  const m = /^\s*([A-Za-z0-9_.`]+)\s*\(/.exec(details);
  return m ? m[1].replace(/`/g, '') : details.trim().split(/\s/)[0];
}

const refuse = (kind: RefusalKind, name: string, reason: string): Refusal => ({ kind, name, reason });

/** Labels and relationship types a plan text names (`n:Label`, `[r:TYPE]`, `INDEX n:Label(key)`). */
function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<=[A-Za-z0-9_`([]):(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)/g)) {
    out.push(m[1].startsWith('`') ? m[1].slice(1, -1).replace(/``/g, '`') : m[1]);
  }
  return out;
}

/** Every label and relationship type a plan names, for the query log. */
export function plannedNames(plan: PlanNode): string[] {
  const names = new Set<string>();
  for (const op of walk(plan)) for (const text of textsOf(op)) for (const n of namesIn(text)) names.add(n);
  return [...names].sort();
}

/**
 * Check a plan. Answers the first refusal found, or undefined when the query may run.
 * Every rule reads the plan only; see docs/analytics.md for the list and its reasons.
 */
export function checkPlan(facts: PlanFacts, expectedDatabase: string): Refusal | undefined {
  if (facts.queryType !== 'r') {
    const what =
      facts.queryType === 's'
        ? 'a schema or administration command'
        : facts.queryType === undefined
          ? 'a statement of unknown type'
          : 'a statement that writes';
    return refuse(
      'query-type',
      facts.queryType ?? 'unknown',
      `the console runs read-only queries; this is ${what} (query type "${facts.queryType ?? '?'}")`,
    );
  }
  if (facts.database !== undefined && facts.database !== expectedDatabase) {
    return refuse(
      'database',
      facts.database,
      `the console reads the "${expectedDatabase}" database only, not "${facts.database}"`,
    );
  }
  if (!facts.plan) return refuse('plan', 'no plan', 'Neo4j gave no plan for this statement, so it cannot be checked');
  const schemaNames = allowedNames();

  for (const op of walk(facts.plan)) {
    const { name, database } = operatorName(op);
    if (database !== undefined && database !== expectedDatabase) {
      return refuse(
        'database',
        database,
        `the console reads the "${expectedDatabase}" database only, not "${database}"`,
      );
    }
    const bad = REFUSED_OPERATOR_PREFIXES.find((p) => name.startsWith(p));
    if (bad)
      return refuse(
        'operator',
        name,
        `the plan uses the operator ${name}: writes, file loads, transactions of its own and administration are refused`,
      );
    const details = typeof op.arguments?.Details === 'string' ? op.arguments.Details : '';
    if (name.startsWith('ProcedureCall') || name.startsWith('ProcedureCallRowProcessing')) {
      const proc = procedureOf(details);
      if (!(ALLOWED_PROCEDURES as readonly string[]).includes(proc)) {
        return refuse(
          'procedure',
          proc,
          `the procedure ${proc} is not one the console allows (allowed: ${ALLOWED_PROCEDURES.join(', ')})`,
        );
      }
    }
    for (const text of textsOf(op)) {
      const outside = namesIn(text).find((n) => !schemaNames.has(n));
      if (outside)
        return refuse(
          'label',
          outside,
          `the plan reads ${outside}, which is not in the analytics schema (docs/analytics.md)`,
        );
      const label = findWord(text, PERSONAL_LABELS);
      if (label) return refuse('label', label, `the query touches the label ${label}, which holds personal details`);
      const rel = findWord(text, PERSONAL_RELATIONSHIPS);
      if (rel) return refuse('relationship', rel, `the query follows ${rel}, which leads to personal details`);
      const key = findWord(text, PERSONAL_KEYS);
      if (key)
        return refuse('property', key, `the query reads the property ${key}, which holds or may hold personal details`);
      const fn = WHOLE_ENTITY_FUNCTIONS.find((f) => new RegExp(`(?<![A-Za-z0-9_.])${f}\\s*\\(`, 'i').test(text));
      if (fn)
        return refuse(
          'function',
          `${fn}()`,
          `${fn}() hands over every property or key of a node at once; name the properties you need`,
        );
      if (/\.\s*\*/.test(withoutQuotedNames(text)) || /\{\s*\.\s*\*/.test(text)) {
        return refuse(
          'projection',
          '.*',
          'a map projection of all properties ({.*}) is refused; name the properties you need',
        );
      }
      const sub = computedSubscript(text);
      if (sub)
        return refuse(
          'subscript',
          sub,
          `a computed subscript (${sub}) may read a property by a computed name; use a literal index, a slice or n.key`,
        );
    }
  }
  return undefined;
}

/**
 * A first, textual layer, before Neo4j sees the query. It is not what keeps personal
 * details safe (the plan check is); it only refuses early what is never allowed.
 */
export function checkText(text: string): Refusal | undefined {
  if (/\bLOAD\s+CSV\b/i.test(text))
    return refuse('text', 'LOAD CSV', 'LOAD CSV is refused: the console reads the graph only');
  if (/\bUSING\s+PERIODIC\s+COMMIT\b/i.test(text))
    return refuse('text', 'PERIODIC COMMIT', 'periodic commit is refused');
  if (/\bIN\s+(\d+\s+CONCURRENT\s+)?TRANSACTIONS\b/i.test(text))
    return refuse(
      'text',
      'IN TRANSACTIONS',
      'CALL { } IN TRANSACTIONS is refused: the console runs in one read transaction',
    );
  if (/^\s*(EXPLAIN|PROFILE)\b/i.test(text))
    return refuse('text', 'EXPLAIN/PROFILE', 'send the query without EXPLAIN or PROFILE');
  return undefined;
}

/** Whether a value from the driver is, or holds, a node, relationship or path. */
export function holdsEntity(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isNode(value) || isRelationship(value) || isUnboundRelationship(value) || isPath(value) || isPathSegment(value))
    return true;
  if (Array.isArray(value)) return value.some(holdsEntity);
  if (
    isInt(value) ||
    isDate(value) ||
    isDateTime(value) ||
    isLocalDateTime(value) ||
    isTime(value) ||
    isLocalTime(value) ||
    isDuration(value)
  )
    return false;
  return Object.values(value).some(holdsEntity);
}

/** The answer-side rule: no node, relationship or path leaves the console, whatever its labels. */
export function checkRows(rows: unknown[][]): Refusal | undefined {
  for (const row of rows) {
    if (row.some(holdsEntity)) {
      return refuse(
        'value',
        'node, relationship or path',
        'the answer holds whole nodes, relationships or paths; return their properties by name instead (e.g. n.uln)',
      );
    }
  }
  return undefined;
}

/** A driver value as plain JSON: integers to numbers, temporal values to ISO strings. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (
    isDate(value) ||
    isDateTime(value) ||
    isLocalDateTime(value) ||
    isTime(value) ||
    isLocalTime(value) ||
    isDuration(value)
  )
    return String(value);
  if (Array.isArray(value)) return value.map(toJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
  return out;
}

/**
 * The query text as logged and stored: string literals masked, because an analyst may type
 * a name into a refused query and the log must not keep it.
 */
export function maskLiterals(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "'…'");
}

/**
 * Neo4j's message for a statement that does not compile, as the analyst wrote it: without
 * the EXPLAIN the console put in front, with the position moved back to match.
 */
export function syntaxMessage(message: string, prefix: string): string {
  const shift = prefix.length;
  return message
    .replace(
      /\(line 1, column (\d+) \(offset: (\d+)\)\)/,
      (_, col: string, off: string) =>
        `(line 1, column ${Math.max(1, Number(col) - shift)} (offset: ${Math.max(0, Number(off) - shift)}))`,
    )
    .replace(new RegExp(`"${escapeRe(prefix)}`), '"')
    .replace(/\n( *)\^/, (_, spaces: string) => `\n${spaces.slice(Math.min(shift, spaces.length))}^`)
    .trim();
}
