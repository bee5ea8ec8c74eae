/**
 * Runs last (tap runs files in path order, and test/zz… sorts after test/unit/): every log line the test run's apps wrote
 * (test/helpers/config.ts sends them to .local/test-logs/) is scanned for the personal
 * values the tests and the sample files use. Issue 15 part 6.
 */
import t from 'tap';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { TEST_LOG_DIR } from './helpers/config.js';

/** Files under a folder, recursively. */
function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : [],
  );
}

/** The personal values the tests and samples use: names, postcodes and emails written as such. */
export function personalValues(): Set<string> {
  const values = new Set<string>();
  const field = /\b(givenName|familyName|previousFamilyName|postcode|email)\s*:\s*'([^'$\\]{4,60})'/g;
  const representative = /representative:\s*\{\s*name:\s*'([^'$\\]{4,60})'/g;
  const email = /[A-Za-z0-9._%+-]+@(?:secret\.)?example\.(?:org|com)/g;
  for (const file of files(path.join(PROJECT_ROOT, 'test'), '.ts')) {
    if (file.endsWith('zz-log-scan.test.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(field)) values.add(m[2]);
    for (const m of text.matchAll(representative)) values.add(m[1]);
    for (const m of text.matchAll(email)) values.add(m[0]);
  }
  const [header, ...rows] = readFileSync(path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv'), 'utf8')
    .trim()
    .split('\n');
  const cols = header.split(',');
  for (const row of rows) {
    const cells = row.split(',');
    for (const c of ['given_name', 'family_name', 'postcode', 'email']) {
      const v = cells[cols.indexOf(c)]?.trim();
      if (v && v.length >= 4) values.add(v);
    }
  }
  return values;
}

/** The values found in the text, as whole words. */
export function found(text: string, values: Iterable<string>): string[] {
  const out: string[] = [];
  for (const v of values) {
    const at = text.indexOf(v);
    if (at < 0) continue;
    const re = new RegExp(`(?<![A-Za-z0-9])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`);
    if (re.test(text)) out.push(v);
  }
  return out;
}

t.test('the scanner finds a planted value, as a whole word only', async (t) => {
  t.same(found('{"msg":"hello Perdita"}', ['Perdita']), ['Perdita']);
  t.same(found('{"msg":"Perditas"}', ['Perdita']), []);
  t.ok(personalValues().size > 50, 'many personal values are known from the tests and samples');
});

t.test("the whole test run's logs hold none of the personal values the tests used", async (t) => {
  let logs: string[] = [];
  try {
    logs = readdirSync(TEST_LOG_DIR).filter((f) => f.endsWith('.log'));
  } catch {
    logs = [];
  }
  t.ok(logs.length > 0, `logs were captured (${logs.length} files)`);
  const values = personalValues();
  let lines = 0;
  const leaks: string[] = [];
  for (const f of logs) {
    const text = readFileSync(path.join(TEST_LOG_DIR, f), 'utf8');
    lines += text.split('\n').length - 1;
    for (const v of found(text, values)) leaks.push(`${v} (in ${f})`);
  }
  t.comment(`${lines} log lines scanned for ${values.size} values`);
  t.same(leaks, [], 'no personal value in any log line');
  // The next run starts from nothing.
  rmSync(TEST_LOG_DIR, { recursive: true, force: true });
});
