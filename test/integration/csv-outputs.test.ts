/**
 * Every CSV the service answers with goes through the one writer (src/platform/csv.ts):
 * a cell a spreadsheet would run as a formula comes back with a leading apostrophe. The
 * list of CSV routes is read from the OpenAPI document, so a new CSV route fails here
 * until it is exercised too.
 */
import t from 'tap';
import pino from 'pino';
import { parse } from 'csv-parse/sync';
import { setupApp, tokenFor } from '../helpers/app.js';
import { loadSample, upsertLearners, learner } from '../helpers/fixtures.js';
import { listen, toCsv, unitRows, upload, waitForBatch, batchLearners } from '../helpers/batches.js';
import { startWorker } from '../../importers/worker.js';
import { validUlns } from '../helpers/ulns.js';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const DANGEROUS = ['=HYPERLINK("http://x.invalid","y")', '+SUM(1,2)', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];

/** The cells of a CSV answer that a spreadsheet would run: none may be left. */
function formulaCells(csv: string): string[] {
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  return rows.flat().filter((c) => FORMULA_START.test(c));
}

t.test('every CSV output escapes cells starting with = + - @ tab CR', async (t) => {
  const { app, config } = await setupApp(t, { BATCH_CHUNK_ROWS: '50' });
  const graph = app.deps.graph;
  const covered = new Set<string>();

  await t.test('the CSV routes of the OpenAPI document are the ones tested here', async (t) => {
    const doc = app.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, any> }>> };
    const csvRoutes: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        if (op.responses?.['200']?.content?.['text/csv']) csvRoutes.push(`${method.toUpperCase()} ${p}`);
    t.same(csvRoutes.sort(), ['GET /achievements/batches/{id}/report.csv', 'POST /learners/verify/batch']);
    for (const r of csvRoutes) covered.add(r);
  });

  await t.test('POST /learners/verify/batch echoes the input escaped', async (t) => {
    const [uln] = validUlns(481516234, 1);
    await upsertLearners(graph, [learner(uln)]);
    const lines = ['uln,given_name,family_name,date_of_birth,gender,postcode'];
    for (const d of DANGEROUS)
      lines.push(`${uln},"${d.replace(/"/g, '""')}",Lovelace,2004-12-10,F,"${d.replace(/"/g, '""')}"`);
    const res = await app.inject({
      method: 'POST',
      url: '/learners/verify/batch',
      payload: lines.join('\r\n'),
      headers: { authorization: `Bearer ${await tokenFor(app, 'ao-admin')}`, 'content-type': 'text/csv' },
    });
    t.equal(res.statusCode, 200);
    t.same(formulaCells(res.body), [], 'no cell starts a formula');
    const answer = parse(res.body, { relax_column_count: true }) as string[][];
    t.same(
      answer.slice(1).map((l) => l[2]),
      DANGEROUS.map((d) => `'${d}`),
      'each given name comes back with an apostrophe in front',
    );
    covered.delete('POST /learners/verify/batch');
  });

  await t.test('GET /achievements/batches/{id}/report.csv escapes what it echoes', async (t) => {
    const worker = startWorker({ config, graph, logger: pino({ level: 'silent' }) });
    t.teardown(() => worker.close());
    const base = await listen(app);
    const catalogue = await loadSample(graph);
    const learners = batchLearners(2);
    await upsertLearners(graph, learners);
    // Rejected rows whose record_id is echoed into the report as it was sent (trimmed, so no tab or CR).
    const ids = DANGEROUS.slice(0, 4);
    const rows = unitRows(catalogue, learners, ids.length).map((r, i) => ({ ...r, record_id: ids[i] }));
    const token = await tokenFor(app, 'ao-user');
    const sent = await upload(base, toCsv(rows), { token, validateOnly: true });
    t.equal(sent.status, 202);
    const done = await waitForBatch(app, token, sent.body.id);
    t.equal(done.counts.rejected, ids.length, 'every row rejected');
    const res = await app.inject({
      url: `/achievements/batches/${sent.body.id}/report.csv`,
      headers: { authorization: `Bearer ${token}` },
    });
    t.equal(res.statusCode, 200);
    t.same(formulaCells(res.body), [], 'no cell starts a formula');
    const report = parse(res.body, { relax_column_count: true }) as string[][];
    t.same(
      report
        .slice(1)
        .map((l) => l[1])
        .sort(),
      ids.map((d) => `'${d}`).sort(),
      'each record id comes back with an apostrophe in front',
    );
    covered.delete('GET /achievements/batches/{id}/report.csv');
  });

  t.same([...covered], [], 'every CSV route was exercised');
});
