/**
 * Writes the access-control matrix (src/platform/access-matrix.ts) into
 * docs/access-control.md, between its access-matrix markers. With --check, changes
 * nothing and exits 1 when the document is out of step.
 *
 *   npx tsx scripts/access-matrix-doc.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { withMatrix } from '../src/platform/access-matrix.js';

const file = path.join(PROJECT_ROOT, 'docs', 'access-control.md');
const doc = readFileSync(file, 'utf8');
const next = withMatrix(doc);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error(
      'docs/access-control.md is out of step with src/platform/access-matrix.ts: run npx tsx scripts/access-matrix-doc.ts',
    );
    process.exit(1);
  }
  console.log('docs/access-control.md is in step');
} else if (next === doc) {
  console.log('docs/access-control.md: unchanged');
} else {
  writeFileSync(file, next);
  console.log('docs/access-control.md: matrix rewritten');
}
