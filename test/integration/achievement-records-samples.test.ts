import t from 'tap';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { setupApp } from '../helpers/app.js';
import { loadSample } from '../helpers/fixtures.js';
import { loadLearnerFile } from '../../src/learners/register/load.js';
import { readItems, type BatchKind } from '../../src/achievements/batches/file.js';
import { applyChunk, newBatchState } from '../../src/achievements/records.js';
import { ROW_ERRORS } from '../../src/achievements/validate.js';
import type { ChunkOutcome, NumberedRecord, Submitter } from '../../src/achievements/rows.js';
import type { Graph } from '../../src/platform/neo4j.js';

const SAMPLES = path.join(PROJECT_ROOT, 'samples', 'achievements');
const SUBMITTER: Submitter = { aoUkprn: '10000001', nation: 'GB-ENG', subject: 'samples-test' };
const AT = new Date('2025-06-12T12:00:00Z');

async function records(name: string, kind: BatchKind): Promise<NumberedRecord[]> {
  const out: NumberedRecord[] = [];
  for await (const item of readItems(path.join(SAMPLES, name), kind)) {
    if (item.problem) throw new Error(`${name} row ${item.row}: ${item.problem.message}`);
    out.push({ row: item.row, record: item.record });
  }
  return out;
}

async function run(
  graph: Graph,
  name: string,
  kind: BatchKind,
  validateOnly: boolean,
  batchId: string,
): Promise<ChunkOutcome> {
  return applyChunk(
    graph,
    SUBMITTER,
    await records(name, kind),
    { validateOnly, submittedAt: AT, batchId },
    newBatchState(),
  );
}

t.test('the sample files load alike as CSV and XML, and errors has one row per code', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await loadLearnerFile(graph, path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv'));

  const csvCheck = await run(graph, 'valid.csv', 'csv', true, 'check-csv');
  const xmlCheck = await run(graph, 'valid.xml', 'xml', true, 'check-xml');
  t.same(
    csvCheck,
    { accepted: 9, late: 5, unchanged: 0, rejected: [] },
    'every valid row accepted; the May and April awards are late',
  );
  t.same(xmlCheck, csvCheck, 'XML gives the same');

  t.same(await run(graph, 'valid.csv', 'csv', false, 'load-csv'), csvCheck);
  t.same(
    await run(graph, 'valid.xml', 'xml', false, 'load-xml'),
    { accepted: 0, late: 0, unchanged: 9, rejected: [] },
    'the same records again change nothing',
  );

  const csvErrors = await run(graph, 'errors.csv', 'csv', true, 'errors-csv');
  const xmlErrors = await run(graph, 'errors.xml', 'xml', true, 'errors-xml');
  t.same(xmlErrors, csvErrors, 'XML errors are the CSV errors');
  t.equal(csvErrors.accepted, 0);
  t.equal(csvErrors.unchanged, 1, 'row 3 repeats v-002 unchanged so that row 4 can show E003');
  t.same(
    csvErrors.rejected.map((p) => p.code).sort(),
    ROW_ERRORS.map((e) => e.code),
    'each code exactly once',
  );
  const byCode = new Map(csvErrors.rejected.map((p) => [p.code, p]));
  t.equal(byCode.get('E003')?.row, 4);
  t.match(byCode.get('E009')?.message, /5102304517/, 'the master ULN is named');
  t.notMatch(JSON.stringify(csvErrors.rejected), /Maisie|Pemberton|Jenkins|Llwyd|2007-03-1[45]/, 'no personal details');
});
