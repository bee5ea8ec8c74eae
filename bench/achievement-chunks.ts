/**
 * OCF 01: how fast achievement rows are checked and written, chunk by chunk, without the
 * file reading and the queue (bench/README.md lists the end-to-end batch benchmark). Loads
 * the sample catalogue and registers learners, then sends unit-credit ADD rows through
 * planChunk (reads + validation) and writeChunk (UNWIND writes), timing each part.
 *
 *   NEO4J_URI=bolt://127.0.0.1:7687 npx tsx bench/achievement-chunks.ts [--rows 50000] [--chunk 5000] [--learners 20000]
 *
 * It empties the graph first (the test clean-up query): a development database only.
 */
import { parseArgs } from 'node:util';
import { createGraph } from '../src/platform/neo4j.js';
import { migrate } from '../src/operations/migrate.js';
import { parseCatalogue } from '../src/catalogue/catalogue-file.js';
import { loadCatalogue } from '../src/catalogue/repository.js';
import { SAMPLE_CATALOGUE } from '../src/operations/seed.js';
import { upsertLearners } from '../src/learners/repository.js';
import { ulnCheckDigit } from '../src/learners/uln.js';
import { newBatchState, planChunk, writeChunk } from '../src/achievements/records.js';
import type { NumberedRecord, Submitter } from '../src/achievements/rows.js';
import { readFileSync } from 'node:fs';
import { benchConfig } from './support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    chunk: { type: 'string', default: '5000' },
    learners: { type: 'string', default: '20000' },
  },
});
const ROWS = Number(values.rows);
const CHUNK = Number(values.chunk);
const LEARNERS = Number(values.learners);

const config = benchConfig();
const graph = createGraph(config);
try {
  await graph.autoCommit('testing/clean-graph');
  await migrate(graph);
  const parsed = parseCatalogue(readFileSync(SAMPLE_CATALOGUE, 'utf8'));
  if (!parsed.ok) throw new Error('sample catalogue does not validate');
  const units = parsed.catalogue.units;
  await loadCatalogue(graph, parsed.catalogue);

  const ulns: string[] = [];
  for (let p = 500_000_000; ulns.length < LEARNERS; p++) {
    const c = ulnCheckDigit(String(p));
    if (c !== null && c < 10) ulns.push(`${p}${c}`);
  }
  for (let i = 0; i < ulns.length; i += 5_000) {
    await upsertLearners(
      graph,
      ulns
        .slice(i, i + 5_000)
        .map((uln) => ({ uln, givenName: 'Sam', familyName: 'Bench', dateOfBirth: '2000-01-01', gender: 'U' })),
    );
  }

  const submitter: Submitter = { aoUkprn: '10000001', nation: 'GB-ENG', subject: 'bench' };
  const options = { validateOnly: false, submittedAt: new Date(), batchId: 'bench-1' };
  const state = newBatchState();
  let planMs = 0;
  let writeMs = 0;
  let accepted = 0;
  const start = performance.now();
  for (let first = 0; first < ROWS; first += CHUNK) {
    const rows: NumberedRecord[] = [];
    for (let i = first; i < Math.min(first + CHUNK, ROWS); i++) {
      const u = units[i % units.length];
      rows.push({
        row: i + 1,
        record: {
          record_id: `b-${i}`,
          action: 'ADD',
          uln: ulns[i % ulns.length],
          given_name: 'Sam',
          family_name: 'Bench',
          date_of_birth: '2000-01-01',
          gender: 'U',
          urn: u.urn,
          award_date: '2025-06-02',
          credit: String(u.credit),
          level: u.level,
        },
      });
    }
    let t = performance.now();
    const plan = await planChunk(graph, submitter, rows, options, state);
    planMs += performance.now() - t;
    t = performance.now();
    const outcome = await graph.writeTx((tx) => writeChunk(tx, plan));
    writeMs += performance.now() - t;
    accepted += outcome.accepted;
    if (outcome.rejected.length > 0)
      throw new Error(`unexpected rejection: ${outcome.rejected[0].code} ${outcome.rejected[0].message}`);
  }
  const totalMs = performance.now() - start;
  const rate = (ms: number) => Math.round((ROWS / ms) * 1000);
  console.log(
    JSON.stringify({
      rows: ROWS,
      chunk: CHUNK,
      learners: LEARNERS,
      accepted,
      seconds: +(totalMs / 1000).toFixed(2),
      rowsPerSecond: rate(totalMs),
      planRowsPerSecond: rate(planMs),
      writeRowsPerSecond: rate(writeMs),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await graph.close();
}
