import t from 'tap';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { setupApp, tokenFor } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { loadSample, upsertLearners } from '../helpers/fixtures.js';
import { startSmtp } from '../helpers/smtp.js';
import { batchLearners, listen, toCsv, toXml, unitRows, upload, waitForBatch } from '../helpers/batches.js';
import { startWorker } from '../../importers/worker.js';
import { createUser, upsertOrganisation } from '../../src/identity/repository.js';
import { RECORD_FIELDS } from '../../src/achievements/rows.js';
import { listBatches } from '../../src/achievements/batches/repository.js';
import { batchesDir } from '../../src/achievements/batches/service.js';

t.test('achievement batches through the API and a worker', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app, config } = await setupApp(t, { SMTP_URL: smtp.url, BATCH_MAX_BYTES: '200000', BATCH_CHUNK_ROWS: '7' });
  const worker = startWorker({ config, graph: app.deps.graph, logger: pino({ level: 'silent' }) });
  t.teardown(() => worker.close());
  const base = await listen(app);
  const catalogue = await loadSample(app.deps.graph);
  const learners = batchLearners(12);
  await upsertLearners(app.deps.graph, learners);
  const graph = app.deps.graph;
  const ao = await tokenFor(app, 'ao-user');
  const otherAo = await tokenFor(app, 'ao-user', { subject: 'someone-else', organisation: '10000009' });
  const operator = await tokenFor(app, 'operator');
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const report = async (id: string, token = ao) => {
    const res = await app.inject({ url: `/achievements/batches/${id}/report.csv`, headers: auth(token) });
    return { status: res.statusCode, type: res.headers['content-type'], lines: res.body.trim().split(/\r\n/) };
  };

  const rows = unitRows(catalogue, learners, 30);
  // Three rows that validation must refuse, for the report.
  rows[4] = { ...rows[4], urn: 'Z/999/9999' };
  rows[11] = { ...rows[11], credit: '99' };
  rows[20] = { ...rows[20], uln: '1234567890' };

  await t.test('bad files are refused with a clear error and nothing is kept', async (t) => {
    const dir = batchesDir(config);
    const filesBefore = existsSync(dir) ? readdirSync(dir).sort() : [];
    const cases: [string, string | Buffer, number, string][] = [
      ['empty', '', 400, 'BATCH_EMPTY'],
      ['blank', '\n \n', 400, 'BATCH_EMPTY'],
      ['header only', `${RECORD_FIELDS.join(',')}\n`, 400, 'BATCH_EMPTY'],
      ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]), 415, 'BATCH_NOT_CSV_OR_XML'],
      ['json', '{"records": []}', 415, 'BATCH_NOT_CSV_OR_XML'],
      ['csv with an unclosed quote', `${toCsv(rows.slice(0, 3))}"R9,ADD,`, 400, 'BATCH_TRUNCATED'],
      ['xml cut short', toXml(rows.slice(0, 3)).slice(0, -40), 400, 'BATCH_TRUNCATED'],
      ['wrong csv header', toCsv(rows.slice(0, 3)).replace('family_name', 'surname'), 400, 'BATCH_WRONG_HEADER'],
      ['wrong xml root', toXml(rows.slice(0, 3)).replace(/achievements>/g, 'credits>'), 400, 'BATCH_WRONG_HEADER'],
      ['xml not well-formed', toXml(rows.slice(0, 3)).replace('<record>', '<record'), 400, 'BATCH_NOT_READABLE'],
      ['too large', toCsv(unitRows(catalogue, learners, 2_500)), 413, 'BATCH_TOO_LARGE'],
    ];
    for (const [name, content, status, code] of cases) {
      const res = await upload(base, content, { token: ao });
      t.equal(res.status, status, `${name}: HTTP ${status}`);
      t.equal(res.body.code, code, `${name}: ${code}`);
      t.ok(typeof res.body.message === 'string' && res.body.message.length > 20, `${name}: says what is wrong`);
      t.notMatch(res.body.message, /Ada|Lovelace|\d{4}-\d{2}-\d{2}/, `${name}: no personal details in the message`);
    }
    t.same(await listBatches(graph, null, 100), [], 'no batch was recorded');
    t.same(existsSync(dir) ? readdirSync(dir).sort() : [], filesBefore, 'no file was kept');

    const notMultipart = await app.inject({
      method: 'POST',
      url: '/achievements/batches',
      headers: { ...auth(ao), 'content-type': 'text/csv' },
      payload: toCsv(rows),
    });
    t.equal(notMultipart.statusCode, 415);
    t.match(notMultipart.json().message, /multipart\/form-data/);
  });

  let csvBatch: Record<string, any>;
  await t.test('a CSV batch loads unit credits, reports the rejected rows and mails the submitter', async (t) => {
    await upsertOrganisation(graph, { ukprn: '10000001', name: 'Test Awards', nation: 'GB-WLS', kind: 'ao' });
    t.ok(
      await createUser(graph, {
        id: 'user-ao',
        email: 'importer@ao.example',
        roles: ['ao-user'],
        ukprn: '10000001',
        createdBy: 'test',
        now: new Date().toISOString(),
        setupTokenHash: 'x',
        setupTokenExpiresAt: new Date().toISOString(),
      }),
      'a user with an email',
    );
    const sent = await upload(base, toCsv(rows), { token: ao, fileName: 'june.csv' });
    t.equal(sent.status, 202);
    t.equal(sent.body.status, 'received');
    t.equal(sent.body.kind, 'csv');
    t.equal(sent.body.rows, 30);
    t.match(sent.body.statusUrl, new RegExp(`/achievements/batches/${sent.body.id}$`));
    csvBatch = await waitForBatch(app, ao, sent.body.id);
    t.equal(csvBatch.status, 'completed', csvBatch.failure ?? '');
    t.same(
      csvBatch.counts,
      { accepted: 27, rejected: 3, unchanged: 0, late: 27 },
      'award dates long past: accepted and late',
    );
    t.equal(csvBatch.progress.processed, 30);
    t.equal(csvBatch.duration.targetSeconds, 48 * 3600);
    t.equal(csvBatch.duration.withinTarget, true);
    t.ok(csvBatch.startedAt && csvBatch.finishedAt);

    const r = await report(sent.body.id);
    t.equal(r.status, 200);
    t.match(r.type, /text\/csv/);
    t.equal(r.lines[0], 'row,record_id,field,code,message');
    t.same(
      r.lines.slice(1).map((l) => l.split(',').slice(0, 4).join(',')),
      ['5,R000005,urn,E013', '12,R000012,credit,E015', '21,R000021,uln,E004'],
    );

    const [mail] = await smtp.waitFor(1);
    t.same(mail.to, ['importer@ao.example']);
    t.match(mail.subject, new RegExp(`${sent.body.id}: completed`));
    t.match(mail.text, /Accepted: 27/);
    t.match(mail.text, /Rejected: 3/);
    t.match(mail.text, new RegExp(`${config.publicUrl}/achievements/batches/${sent.body.id}/report.csv`));
    for (const l of learners) t.notOk(mail.text.includes(l.familyName), 'no learner names in the email');
    let noted = null;
    for (let i = 0; i < 50 && noted === null; i++) {
      noted = (await waitForBatch(app, ao, sent.body.id)).mail;
      if (noted === null) await new Promise((r) => setTimeout(r, 100));
    }
    t.equal(noted, 'sent', 'the batch says the email went');
  });

  await t.test('the same rows as XML give the same outcome', async (t) => {
    // Record ids of their own, so the XML rows are new records like the CSV's were.
    const xmlRows = rows.map((r) => ({ ...r, record_id: r.record_id!.replace('R', 'X') }));
    const sent = await upload(base, toXml(xmlRows), { token: ao, fileName: 'june.xml' });
    t.equal(sent.status, 202);
    t.equal(sent.body.kind, 'xml', 'detected from the content');
    const done = await waitForBatch(app, ao, sent.body.id);
    t.same(done.counts, csvBatch.counts);
    const csvLines = (await report(csvBatch.id)).lines.slice(1).map((l) => l.replace(/R0/, 'X0'));
    t.same((await report(sent.body.id)).lines.slice(1), csvLines, 'the same report, row for row');
  });

  await t.test('sending a batch again changes nothing', async (t) => {
    const again = await upload(base, toCsv(rows), { token: ao });
    t.equal(again.status, 202, 'without a batch id: a new batch');
    const done = await waitForBatch(app, ao, again.body.id);
    t.same(done.counts, { accepted: 0, rejected: 3, unchanged: 27, late: 0 }, 'every row comes back unchanged');

    const first = await upload(base, toCsv(rows.slice(0, 5)), { token: ao, batchId: 'june-1', validateOnly: true });
    t.equal(first.status, 202);
    t.equal(first.body.id, '10000001-june-1');
    const replay = await upload(base, toCsv(rows.slice(0, 5)), {
      token: ao,
      idempotencyKey: 'june-1',
      validateOnly: true,
    });
    t.equal(replay.status, 200, 'the same id and file: the first batch answers');
    t.equal(replay.body.id, first.body.id);
    const conflict = await upload(base, toCsv(rows.slice(0, 6)), { token: ao, batchId: 'june-1', validateOnly: true });
    t.equal(conflict.status, 409);
    t.equal(conflict.body.code, 'IDEMPOTENCY_CONFLICT');
    const mismatch = await upload(base, toCsv(rows.slice(0, 5)), { token: ao, batchId: 'a', idempotencyKey: 'b' });
    t.equal(mismatch.status, 400);
    const otherOrg = await upload(base, toCsv(rows.slice(0, 5)), {
      token: otherAo,
      batchId: 'june-1',
      validateOnly: true,
    });
    t.equal(otherOrg.status, 202, "another AO's key of the same name is its own batch");
    t.equal(otherOrg.body.id, '10000009-june-1');
    await waitForBatch(app, ao, first.body.id);
    await waitForBatch(app, otherAo, otherOrg.body.id);
  });

  await t.test('validate-only reports and stores nothing', async (t) => {
    const fresh = unitRows(catalogue, learners, 10, 'V');
    fresh[3] = { ...fresh[3], level: '7' };
    const before = await app.inject({ url: '/achievements/batches?limit=200', headers: auth(ao) });
    const sent = await upload(base, toCsv(fresh), { token: ao, validateOnly: true });
    t.equal(sent.status, 202);
    t.equal(sent.body.validateOnly, true);
    const done = await waitForBatch(app, ao, sent.body.id);
    t.same(done.counts, { accepted: 9, rejected: 1, unchanged: 0, late: 9 });
    t.same(
      (await report(sent.body.id)).lines.slice(1).map((l) => l.split(',').slice(0, 4).join(',')),
      ['4,V000004,level,E016'],
    );
    // Nothing stored: the same rows loaded for real are all new.
    const real = await upload(base, toCsv(fresh), { token: ao });
    const loaded = await waitForBatch(app, ao, real.body.id);
    t.same(
      loaded.counts,
      { accepted: 9, rejected: 1, unchanged: 0, late: 9 },
      'not unchanged: validate-only had stored nothing',
    );
    t.equal(
      (await app.inject({ url: '/achievements/batches?limit=200', headers: auth(ao) })).json().batches.length,
      before.json().batches.length + 2,
    );
  });

  await t.test('a malformed row does not stop the rest', async (t) => {
    const fresh = unitRows(catalogue, learners, 12, 'M');
    const csv = toCsv(fresh).split('\r\n');
    csv[3] = csv[3].split(',').slice(0, 9).join(','); // row 3: nine fields of fifteen
    const sent = await upload(base, csv.join('\r\n'), { token: ao });
    const done = await waitForBatch(app, ao, sent.body.id);
    t.equal(done.status, 'completed');
    t.same(done.counts, { accepted: 11, rejected: 1, unchanged: 0, late: 11 });
    t.match((await report(sent.body.id)).lines[1], /^3,,,ROW_FIELD_COUNT,row 3 has 9 fields/);

    const xml = toXml(unitRows(catalogue, learners, 4, 'N')).replace('<grade>Pass</grade>', '<colour>blue</colour>');
    const x = await waitForBatch(app, ao, (await upload(base, xml, { token: ao })).body.id);
    t.same(x.counts, { accepted: 3, rejected: 1, unchanged: 0, late: 3 });
    t.match((await report(x.id)).lines[1], /^1,N000001,,ROW_UNKNOWN_FIELD,/);
  });

  await t.test('who may see which batch', async (t) => {
    const mine = await app.inject({ url: '/achievements/batches', headers: auth(ao) });
    t.ok(mine.json().batches.every((b: { aoUkprn: string }) => b.aoUkprn === '10000001'));
    t.equal(
      (await app.inject({ url: `/achievements/batches/${csvBatch.id}`, headers: auth(otherAo) })).statusCode,
      404,
      "another AO's batch is not found",
    );
    t.equal((await report(csvBatch.id, otherAo)).status, 404);
    t.equal(
      (await app.inject({ url: `/achievements/batches/${csvBatch.id}`, headers: auth(operator) })).statusCode,
      200,
      'the operator sees it',
    );
    const all = (await app.inject({ url: '/achievements/batches?limit=200', headers: auth(operator) })).json().batches;
    t.ok(
      all.some((b: { aoUkprn: string }) => b.aoUkprn === '10000009'),
      'the operator sees every AO',
    );
    t.equal(
      (await app.inject({ url: '/achievements/batches', headers: auth(await tokenFor(app, 'learner')) })).statusCode,
      403,
    );
    t.equal(
      (await upload(base, toCsv(rows), { token: operator })).status,
      403,
      'the operator does not upload as an AO (plr import --ao does)',
    );

    const gql = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: auth(ao),
      payload: {
        query: `{ achievementBatch(id: "${csvBatch.id}") { status counts { accepted rejected unchanged late } duration { targetSeconds withinTarget } reportUrl } achievementBatches(limit: 2) { id } }`,
      },
    });
    const data = gql.json().data;
    t.same(data.achievementBatch.counts, csvBatch.counts);
    t.equal(data.achievementBatch.status, 'completed');
    t.equal(data.achievementBatches.length, 2);
    const hidden = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: auth(otherAo),
      payload: { query: `{ achievementBatch(id: "${csvBatch.id}") { id } }` },
    });
    t.equal(hidden.json().errors[0].extensions.code, 'BATCH_NOT_FOUND');
  });

  t.ok(path.isAbsolute(batchesDir(config)));
  void testConfig;
});
