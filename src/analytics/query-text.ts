/**
 * The first wall of the analysts' console: the query text is read token by token and
 * every name in it that could reach data is held against the analytics schema
 * (schema.ts). What is not on the list, or not understood, is refused: a property key
 * after a dot or in a map, a label or relationship type after a colon, a function or a
 * procedure. Dynamic access (computed subscripts, parameters, `properties()`, `keys()`,
 * `.*`, dynamic labels, label expressions) is refused outright. Pure; no I/O.
 *
 * Because the rule is an allow-list, a difference between this reading and Neo4j's can
 * only refuse a harmless query, never let a hidden key through: a hidden key is refused
 * wherever it appears as a key, and the characters outside strings, comments and
 * back-quoted names are limited to printable ASCII, where Cypher's lexical rules are simple.
 */
import type { Refusal, RefusalKind } from './console.js';
import { allowedKeys, allowedNames, ANALYTICS_FUNCTIONS, ANALYTICS_PROCEDURES } from './schema.js';

export type TokenKind = 'name' | 'quoted' | 'string' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** The name (back-quotes removed), the punctuation, or the raw literal. */
  text: string;
  at: number;
}

const refuse = (kind: RefusalKind, name: string, reason: string): Refusal => ({ kind, name, reason });

const PUNCT3 = ['<->'];
const PUNCT2 = ['..', '::', '<>', '<=', '>=', '=~', '+=', '->', '<-', '||'];

/** Tokens of a query, or a refusal for a character the console does not read. */
export function tokenize(text: string): Token[] | Refusal {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return refuse('syntax', 'comment', 'Invalid input: a comment is not closed');
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return refuse('syntax', 'string', 'Invalid input: a string is not closed');
      out.push({ kind: 'string', text: text.slice(i, j + 1), at: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= text.length) return refuse('syntax', 'name', 'Invalid input: a back-quoted name is not closed');
        if (text[j] === '`') {
          if (text[j + 1] === '`') {
            name += '`';
            j += 2;
            continue;
          }
          break;
        }
        name += text[j++];
      }
      out.push({ kind: 'quoted', text: name, at: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      out.push({ kind: 'name', text: text.slice(i, j), at: i });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9A-Fa-f_]+|0o[0-7_]+|[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?)/.exec(text.slice(i))!;
      if (/[A-Za-z_]/.test(text[i + m[0].length] ?? ''))
        return refuse('text', text.slice(i, i + m[0].length + 1), 'a number runs into a name');
      out.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === '$')
      return refuse(
        'text',
        '$',
        'parameters are not taken (and dynamic labels and keys are refused): write values into the query',
      );
    if (c === ';') return refuse('text', ';', 'one statement at a time');
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    if (PUNCT3.includes(three)) {
      out.push({ kind: 'punct', text: three, at: i });
      i += 3;
    } else if (PUNCT2.includes(two)) {
      out.push({ kind: 'punct', text: two, at: i });
      i += 2;
    } else if ('(){}[],.:|&!%*+-/^=<>?'.includes(c)) {
      out.push({ kind: 'punct', text: c, at: i });
      i++;
    } else {
      const shown =
        c.charCodeAt(0) < 0x20 || c.charCodeAt(0) > 0x7e ? `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
      return refuse(
        'text',
        shown,
        `the character ${shown} is not read outside strings, comments and back-quoted names; quote the name`,
      );
    }
  }
  return out;
}

const word = (t: Token | undefined) => (t?.kind === 'name' ? t.text.toUpperCase() : undefined);

/** Clauses and commands the console never runs, refused before Neo4j sees the text. */
const REFUSED_WORDS = new Set([
  'CREATE',
  'MERGE',
  'DELETE',
  'DETACH',
  'SET',
  'REMOVE',
  'FOREACH',
  'LOAD',
  'USING',
  'USE',
  'SHOW',
  'DROP',
  'ALTER',
  'GRANT',
  'DENY',
  'REVOKE',
  'TERMINATE',
  'EXPLAIN',
  'PROFILE',
  'CYPHER',
  'TRANSACTIONS',
  'FINISH',
  'INSERT',
  'ENABLE',
  'DISABLE',
  'RENAME',
]);

/** Words after which `[` opens a list or a comprehension rather than a subscript, and `(` no function call. */
const KEYWORDS = new Set([
  'MATCH',
  'OPTIONAL',
  'WHERE',
  'RETURN',
  'WITH',
  'UNWIND',
  'AS',
  'IN',
  'AND',
  'OR',
  'XOR',
  'NOT',
  'DISTINCT',
  'ORDER',
  'BY',
  'SKIP',
  'OFFSET',
  'LIMIT',
  'ASC',
  'ASCENDING',
  'DESC',
  'DESCENDING',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'UNION',
  'ALL',
  'CALL',
  'YIELD',
  'EXISTS',
  'COUNT',
  'COLLECT',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'STARTS',
  'ENDS',
  'CONTAINS',
  'SHORTEST',
  'ANY',
  'PATH',
  'PATHS',
  'REPEATABLE',
  'DIFFERENT',
  'ELEMENTS',
  'NODES',
  'RELATIONSHIPS',
]);

/** Tokens after which a value has ended, so `[` reads a subscript and `.` a property. */
function endsValue(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'quoted' || t.kind === 'string' || t.kind === 'number') return true;
  if (t.kind === 'name')
    return !KEYWORDS.has(t.text.toUpperCase()) || ['NULL', 'TRUE', 'FALSE', 'END'].includes(t.text.toUpperCase());
  return t.text === ')' || t.text === ']' || t.text === '}';
}

const isName = (t: Token | undefined) => t?.kind === 'name' || t?.kind === 'quoted';

/** Tokens before `{` that make it a map of values (whose keys are free) rather than a pattern's property map. */
function opensValueMap(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.kind === 'punct') return [',', '=', '[', '+', ':', '<>', '<', '>', '<=', '>='].includes(prev.text);
  const w = word(prev);
  return (
    w !== undefined &&
    ['RETURN', 'WITH', 'THEN', 'ELSE', 'UNWIND', 'IN', 'DISTINCT', 'AND', 'OR', 'WHEN', 'NOT', 'AS', 'BY'].includes(w)
  );
}

/** Whether `{` after `prev` opens a subquery body (`EXISTS {`, `COUNT {`, `COLLECT {`, `CALL {`, `CALL (x) {`). */
function opensSubquery(tokens: Token[], at: number): boolean {
  const w = word(tokens[at - 1]);
  if (w && ['EXISTS', 'COUNT', 'COLLECT', 'CALL'].includes(w)) return true;
  if (tokens[at - 1]?.text === ')') {
    // CALL (a, b) { ... }
    let depth = 0;
    for (let j = at - 1; j >= 0; j--) {
      if (tokens[j].text === ')') depth++;
      else if (tokens[j].text === '(' && --depth === 0) return word(tokens[j - 1]) === 'CALL';
    }
  }
  return false;
}

interface Brace {
  open: string;
  /** For `{`: 'value' map (keys free), 'pattern' map or projection (keys checked), or a 'subquery' body. */
  kind?: 'value' | 'pattern' | 'subquery';
}

/** A subscript after a value at tokens[i] (a "["): only a literal integer index or a slice with literal bounds. */
function subscriptRefusal(tokens: Token[], i: number): Refusal | undefined {
  const prev = tokens[i - 1];
  let k = i + 1;
  const int = () => {
    if (tokens[k]?.text === '-') k++;
    if (tokens[k]?.kind === 'number' && /^[0-9_]+$/.test(tokens[k].text)) {
      k++;
      return true;
    }
    return false;
  };
  int();
  if (tokens[k]?.text === '..') {
    k++;
    int();
  } else if (k === i + 1) {
    return refuse(
      'subscript',
      `${prev.text}[…]`,
      'a computed subscript may read a property by a computed name; use a literal index, a slice or n.key',
    );
  }
  if (tokens[k]?.text !== ']')
    return refuse(
      'subscript',
      `${prev.text}[…]`,
      'a computed subscript may read a property by a computed name; use a literal index, a slice or n.key',
    );
  return undefined;
}

/** A colon at tokens[i] that is not a map key: one label or relationship type of the schema, named in full. */
function labelRefusal(tokens: Token[], i: number, names: ReadonlySet<string>): Refusal | undefined {
  const next = tokens[i + 1];
  if (!isName(next))
    return refuse(
      'label',
      next?.text ?? 'end',
      'a colon must be followed by a label or relationship type named in full (dynamic labels are refused)',
    );
  if (!names.has(next.text))
    return refuse(
      'label',
      next.text,
      `the label or relationship type ${next.text} is not in the analytics schema (docs/analytics.md)`,
    );
  const after = tokens[i + 2];
  if (after && ['|', '&', '!', '%'].includes(after.text))
    return refuse('label', after.text, 'label expressions (|, &, !, %) are refused: name one label, or n:A:B');
  return undefined;
}

/**
 * The allow-list check of a query's text. Answers the first refusal found, or undefined.
 */
export function checkQueryText(text: string): Refusal | undefined {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return tokens;
  const keys = allowedKeys();
  const names = allowedNames();
  const functions = new Set<string>(ANALYTICS_FUNCTIONS);
  const procedures = new Set<string>(ANALYTICS_PROCEDURES);
  const stack: Brace[] = [];

  const key = (t: Token | undefined, how: string): Refusal | undefined => {
    if (!isName(t)) return refuse('property', t?.text ?? 'end', `${how} must be followed by a property name`);
    if (!keys.has(t!.text))
      return refuse(
        'property',
        t!.text,
        `the property ${t!.text} is not in the analytics schema (docs/analytics.md); only listed properties can be read, filtered, sorted or grouped on`,
      );
    return undefined;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const w = word(t);

    if (w && REFUSED_WORDS.has(w))
      return refuse('text', w, `${w} is refused: the console runs one read-only query on the graph`);

    if (w === 'IS') {
      const n1 = word(next);
      if (n1 === 'NULL') continue;
      if (n1 === 'NOT' && word(tokens[i + 2]) === 'NULL') continue;
      return refuse('label', 'IS', 'only IS NULL and IS NOT NULL are read after IS; write labels as n:Label');
    }

    if (isName(t)) {
      // A function or procedure name: name(.name)* followed by "(", or after CALL.
      let j = i;
      const parts = [t.text];
      while (tokens[j + 1]?.text === '.' && isName(tokens[j + 2])) {
        parts.push(tokens[j + 2].text);
        j += 2;
      }
      const afterChain = tokens[j + 1];
      const qualified = parts.join('.').toLowerCase();
      const calledProcedure = word(prev) === 'CALL';
      if (calledProcedure) {
        if (!procedures.has(qualified))
          return refuse(
            'procedure',
            parts.join('.'),
            `the procedure ${parts.join('.')} is not one the console allows (allowed: db.labels, db.relationshipTypes, db.propertyKeys)`,
          );
        i = j;
        continue;
      }
      const isKeyword = t.kind === 'name' && parts.length === 1 && KEYWORDS.has(t.text.toUpperCase());
      const afterDot = prev?.text === '.';
      if (afterChain?.text === '(' && !isKeyword && !afterDot && prev?.text !== ':') {
        if (!functions.has(qualified))
          return refuse(
            'function',
            `${parts.join('.')}()`,
            ['properties', 'keys'].includes(qualified)
              ? `${qualified}() hands over every property or key of a node at once; name the properties you need`
              : `the function ${parts.join('.')}() is not one the console allows`,
          );
        i = j;
        continue;
      }
    }

    if (t.kind !== 'punct') continue;
    switch (t.text) {
      case '.': {
        if (next?.text === '*')
          return refuse(
            'projection',
            '.*',
            'a map projection of all properties ({.*}) is refused; name the properties you need',
          );
        const inProjection = stack.at(-1)?.kind === 'pattern' && (prev?.text === '{' || prev?.text === ',');
        if (!endsValue(prev) && !inProjection) return refuse('text', '.', 'a dot must follow a value');
        const bad = key(next, 'a dot');
        if (bad) return bad;
        i++;
        break;
      }
      case ':': {
        const top = stack.at(-1);
        const mapKey =
          top?.open === '{' &&
          top.kind !== 'subquery' &&
          isName(prev) &&
          (tokens[i - 2]?.text === '{' || tokens[i - 2]?.text === ',');
        if (mapKey) {
          if (top.kind === 'pattern') {
            const bad = key(prev, 'a pattern map');
            if (bad) return bad;
          }
          break;
        }
        const bad = labelRefusal(tokens, i, names);
        if (bad) return bad;
        i++;
        break;
      }
      case '!':
      case '&':
        if (prev?.text === ':' || next?.text === ':' || prev?.text === '(' || prev?.text === '[')
          return refuse('label', t.text, 'label expressions (|, &, !, %) are refused');
        if (t.text !== '!' || next?.text !== '=') return refuse('text', t.text, `${t.text} is not read here`);
        break;
      case '::':
        return refuse('text', '::', 'type predicates (::) are refused');
      case '[': {
        if (endsValue(prev)) {
          const bad = subscriptRefusal(tokens, i);
          if (bad) return bad;
        }
        stack.push({ open: '[' });
        break;
      }
      case '(':
        stack.push({ open: '(' });
        break;
      case '{':
        stack.push({
          open: '{',
          kind: opensSubquery(tokens, i) ? 'subquery' : opensValueMap(prev) ? 'value' : 'pattern',
        });
        break;
      case ')':
      case ']':
      case '}': {
        const open = stack.pop();
        const want = { ')': '(', ']': '[', '}': '{' }[t.text];
        if (open?.open !== want) return refuse('syntax', t.text, `Invalid input: an unmatched ${t.text}`);
        break;
      }
      default:
        break;
    }
  }
  if (stack.length > 0) return refuse('syntax', stack.at(-1)!.open, `Invalid input: an unclosed ${stack.at(-1)!.open}`);
  return undefined;
}

/**
 * The query as logged: literals replaced by `?`, comments dropped, and every name that
 * is not a keyword, a function or a schema name replaced by `v1`, `v2`... (an analyst may
 * type a learner's name as a variable or an alias). Nothing typed as a value reaches the log.
 */
export function stripForLog(text: string): string {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return `(not read: ${tokens.reason})`;
  const known = new Set<string>([...allowedKeys(), ...allowedNames()]);
  const functions = new Set<string>([...ANALYTICS_FUNCTIONS, ...ANALYTICS_PROCEDURES.flatMap((p) => p.split('.'))]);
  const renamed = new Map<string, string>();
  const nameOf = (t: Token): string => {
    if (known.has(t.text)) return t.kind === 'quoted' ? `\`${t.text}\`` : t.text;
    if (
      t.kind === 'name' &&
      (KEYWORDS.has(t.text.toUpperCase()) ||
        REFUSED_WORDS.has(t.text.toUpperCase()) ||
        functions.has(t.text.toLowerCase()))
    )
      return t.text;
    if (!renamed.has(t.text)) renamed.set(t.text, `v${renamed.size + 1}`);
    return renamed.get(t.text)!;
  };
  return tokens
    .map((t) => (t.kind === 'string' || t.kind === 'number' ? '?' : t.kind === 'punct' ? t.text : nameOf(t)))
    .join(' ')
    .slice(0, 4_000);
}
