import t from 'tap';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { childEnv } from '../helpers/child-env.js';

// The fault harness's short run (bench/faults.ts --short): one trial of each kind (workers
// killed, Neo4j restarted, Redis killed) on a small batch, on a Neo4j and a Redis of its
// own, and the 120 MB cell. It starts a second Neo4j, so it is given time of its own.
t.setTimeout(900_000);

t.test('the fault harness, one trial of each kind: every batch completes with exact counts', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'faults.ts'), '--short'], {
    env: childEnv(),
    cwd: PROJECT_ROOT,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = out.trim().split('\n').at(-1) ?? '';
  t.equal(code, 0, out.slice(-4_000));
  const summary = JSON.parse(last) as {
    summary: Record<string, { run: number; exact: number }>;
    bigCell: { ok: boolean };
  };
  for (const kind of ['kill', 'neo4j', 'redis'])
    t.same(summary.summary[kind], { ...summary.summary[kind], run: 1, exact: 1 }, `${kind}: exact`);
  t.equal(summary.bigCell.ok, true, 'the 120 MB cell refused, the worker alive');
});
