/**
 * Issue 14 parts 3, 4 and 6: maintenance windows refuse changes and pause workers, the
 * probe opens and closes unplanned outages, lost service extends submission deadlines, and
 * the service desk's clock runs in service hours.
 */
import http from 'node:http';
import t, { type Test } from 'tap';
import pino from 'pino';
import { bearer, setupApp, tokenFor } from '../helpers/app.js';
import { learner, loadSample, upsertLearners } from '../helpers/fixtures.js';
import { startSmtp } from '../helpers/smtp.js';
import { batchLearners, listen, toCsv, unitRows, upload } from '../helpers/batches.js';
import { createUser, upsertOrganisation } from '../../src/identity/repository.js';
import { runBatch } from '../../src/achievements/batches/run.js';
import { getBatch } from '../../src/achievements/batches/repository.js';
import { createWindow } from '../../src/operations/repository.js';
import { sendWindowNotice } from '../../src/operations/service.js';
import { submissionDeadline } from '../../src/achievements/deadline.js';
import { runProbe } from '../../importers/jobs/operations.js';
import type { App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { JobContext } from '../../importers/registry.js';

const AO = '10000001';
const ADA = '1234567805';
const ada = { uln: ADA, given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '2004-12-10', gender: 'F' };
const messages = { messageEn: 'Upgrading the database', messageCy: "Uwchraddio'r gronfa ddata" };
const silent = pino({ level: 'silent' });

async function schedule(app: App, body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/operations/maintenance',
    headers: await bearer(app, 'operator'),
    payload: { ...messages, ...body },
  });
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

t.test('a window refuses a write with 503 and Retry-After, serves reads, shows on /service-status', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ADA)]);
  const made = await schedule(app, { kind: 'emergency', start: minutes(-1), end: minutes(30) });
  t.equal(made.statusCode, 201, made.body);
  const window = made.json();

  const status = (await app.inject({ url: '/service-status' })).json();
  t.equal(status.status, 'maintenance');
  t.same(status.current.message, { en: messages.messageEn, cy: messages.messageCy });

  const ao = { authorization: `Bearer ${await tokenFor(app, 'ao-user')}` };
  const award = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const record = {
    record_id: 'mw/1',
    action: 'ADD',
    ...ada,
    urn: 'H/601/4101',
    credit: '1',
    level: '2',
    award_date: award,
  };
  const refused = await app.inject({ method: 'POST', url: '/achievements', headers: ao, payload: record });
  t.equal(refused.statusCode, 503);
  t.equal(refused.json().code, 'MAINTENANCE');
  t.equal(refused.json().message, messages.messageEn);
  t.equal(refused.json().details.messageCy, messages.messageCy);
  const retry = Number(refused.headers['retry-after']);
  t.ok(retry > 29 * 60 && retry <= 30 * 60, `Retry-After is the window's end (${retry} s)`);

  t.equal((await app.inject({ url: '/qualifications' })).statusCode, 200, 'reads go on');
  const query = await app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ qualifications { total } }' },
  });
  t.equal(query.statusCode, 200, 'GraphQL queries go on');
  const mutation = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: ao,
    payload: { query: 'mutation { withdrawAchievement(recordId: "mw/1") { result } }' },
  });
  t.equal(mutation.statusCode, 503, 'GraphQL mutations are refused');

  const ended = await app.inject({
    method: 'POST',
    url: `/operations/maintenance/${window.id}/end`,
    headers: await bearer(app, 'operator'),
  });
  t.equal(ended.statusCode, 200, 'the operator can end the window during it');
  const after = await app.inject({ method: 'POST', url: '/achievements', headers: ao, payload: record });
  t.equal(after.statusCode, 201, after.body);
  t.equal((await app.inject({ url: '/service-status' })).json().status, 'available');
});

t.test('a planned window in core hours needs a reason; AO users are emailed', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const { app } = await setupApp(t, { SMTP_URL: smtp.url });
  // Next Tuesday 10:00 UTC: core hours whatever the season.
  const tuesday = new Date();
  tuesday.setUTCDate(tuesday.getUTCDate() + ((9 - tuesday.getUTCDay()) % 7 || 7));
  tuesday.setUTCHours(10, 0, 0, 0);
  const slot = {
    kind: 'planned',
    start: tuesday.toISOString(),
    end: new Date(tuesday.getTime() + 3_600_000).toISOString(),
  };
  const refused = await schedule(app, slot);
  t.equal(refused.statusCode, 400);
  t.match(refused.json().details, [{ field: 'reason' }]);
  const agreed = await schedule(app, { ...slot, reason: 'agreed with the AOs at the March board' });
  t.equal(agreed.statusCode, 201, agreed.body);
  t.equal(agreed.json().inCoreHours, true);

  await upsertOrganisation(app.deps.graph, { ukprn: AO, name: 'Test Awards', nation: 'GB-ENG', kind: 'ao' });
  await createUser(app.deps.graph, {
    id: 'user-ao-mw',
    email: 'centre@ao.example',
    roles: ['ao-user'],
    ukprn: AO,
    createdBy: 'test',
    now: new Date().toISOString(),
    setupTokenHash: 'x',
    setupTokenExpiresAt: new Date().toISOString(),
  });
  const before = smtp.messages.length;
  const notice = await sendWindowNotice({ graph: app.deps.graph, mailer: app.deps.mailer }, agreed.json().id);
  t.equal(notice.sent, 1);
  const [mail] = (await smtp.waitFor(before + 1)).slice(before);
  t.match(mail.text, messages.messageEn);
  t.match(mail.text, messages.messageCy);
  t.equal(
    (await sendWindowNotice({ graph: app.deps.graph, mailer: app.deps.mailer }, agreed.json().id)).sent,
    0,
    'once',
  );
});

t.test('a worker finishes its chunk, pauses during a window, then resumes to exact counts', async (t) => {
  const { app, config } = await setupApp(t, { BATCH_CHUNK_ROWS: '4' });
  const catalogue = await loadSample(app.deps.graph);
  const people = batchLearners(6);
  await upsertLearners(app.deps.graph, people);
  const base = await listen(app);
  const sent = await upload(base, toCsv(unitRows(catalogue, people, 12)), { token: await tokenFor(app, 'ao-user') });
  t.equal(sent.status, 202);
  const gate = app.maintenance;
  let chunks = 0;
  let pausedAt: number | null = null;
  let windowId = '';
  const run = runBatch(sent.body.id, {
    graph: app.deps.graph,
    config,
    mailer: app.deps.mailer,
    finalAttempt: true,
    progress: async () => undefined,
    log: silent,
    betweenChunks: async () => {
      chunks += 1;
      if (chunks === 2) {
        // A window begins after the first chunk has been committed.
        const made = await schedule(app, { kind: 'emergency', start: minutes(-1), end: minutes(10) });
        windowId = made.json().id;
        await gate.refresh();
      }
      await gate.untilOpen(() => {
        pausedAt = chunks;
      });
    },
  });
  // While paused: the checkpoint is at the chunk boundary and stays there.
  for (let i = 0; i < 200 && pausedAt === null; i++) await new Promise((r) => setTimeout(r, 25));
  t.equal(pausedAt, 2, 'paused before the second chunk');
  const held = await getBatch(app.deps.graph, sent.body.id);
  t.equal(held?.processed, 4, 'the first chunk is committed, nothing more');
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await getBatch(app.deps.graph, sent.body.id))?.processed, 4, 'nothing is written while paused');
  await app.inject({
    method: 'POST',
    url: `/operations/maintenance/${windowId}/end`,
    headers: await bearer(app, 'operator'),
  });
  const result = await run;
  t.equal(result.outcome, 'completed');
  const done = await getBatch(app.deps.graph, sent.body.id);
  t.same([done?.processed, done?.accepted, done?.rejected], [12, 12, 0], 'resumed to exact counts');
});

/** A readiness endpoint the test can make fail. */
async function fakeReady(t: Test): Promise<{ url: string; set(ok: boolean): void }> {
  let ok = true;
  const server = http.createServer((_req, res) => {
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ message: ok ? 'ok' : 'not ready: Neo4j is not answering' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/health/ready`,
    set: (v) => (ok = v),
  };
}

function probeContext(app: App, config: Config): JobContext {
  return {
    graph: app.deps.graph,
    config,
    workerName: 'test',
    progress: async () => undefined,
    mailer: app.deps.mailer,
    redis: app.deps.redis,
    jobs: app.deps.jobs,
    untilOpen: async () => undefined,
    finalAttempt: true,
    log: silent,
  };
}

async function outages(app: App) {
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7);
  const res = await app.inject({
    url: `/operations/service-levels?month=${month}`,
    headers: await bearer(app, 'operator'),
  });
  return res.json().availability.outages as { kind: string; end: string | null; source: string }[];
}

t.test('consecutive failed probes open an unplanned outage; the first success closes it', async (t) => {
  const ready = await fakeReady(t);
  const { app, config } = await setupApp(t, { PROBE_FAILURES: '2' });
  const ctx = probeContext(app, { ...config, probeUrl: ready.url });
  t.match(await runProbe({}, ctx), { ok: true, action: null });
  ready.set(false);
  t.match(await runProbe({}, ctx), { ok: false, action: null, failures: 1 }, 'one failure is not an outage');
  t.same(await outages(app), []);
  t.match(await runProbe({}, ctx), { ok: false, action: 'open' });
  t.match(await outages(app), [{ kind: 'unplanned', end: null, source: 'probe' }], 'open while it lasts');
  t.match(await runProbe({}, ctx), { ok: false, action: null }, 'still the same outage');
  ready.set(true);
  t.match(await runProbe({}, ctx), { ok: true, action: 'close' });
  const [closed] = await outages(app);
  t.ok(closed.end, 'closed by the first success');
  t.equal((await outages(app)).length, 1, 'one outage, not one per failure');
});

t.test(
  'a deadline extended by lost service: the record is not late; planned maintenance does not extend',
  async (t) => {
    const { app } = await setupApp(t);
    await loadSample(app.deps.graph);
    await upsertLearners(app.deps.graph, [learner(ADA)]);
    const now = Date.now();
    // Emergency maintenance over the last 70 hours (ended now).
    const lost = { start: new Date(now - 70 * 3_600_000), end: new Date(now) };
    let award: string | null = null;
    for (let d = 30; d >= 1 && !award; d--) {
      const date = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
      if (
        submissionDeadline(date).getTime() <= now &&
        submissionDeadline(date, 'GB-ENG', [lost]).getTime() > now + 3_600_000
      )
        award = date;
    }
    t.ok(award, 'an award date whose deadline the downtime moves past now');
    const made = await schedule(app, { kind: 'emergency', start: lost.start.toISOString(), end: minutes(30) });
    t.equal(made.statusCode, 201, made.body);
    await app.inject({
      method: 'POST',
      url: `/operations/maintenance/${made.json().id}/end`,
      headers: await bearer(app, 'operator'),
    });
    const ao = { authorization: `Bearer ${await tokenFor(app, 'ao-user')}` };
    const record = (id: string) => ({
      record_id: id,
      action: 'ADD',
      ...ada,
      urn: 'H/601/4101',
      credit: '1',
      level: '2',
      award_date: award!,
    });
    const extended = await app.inject({ method: 'POST', url: '/achievements', headers: ao, payload: record('dl/1') });
    t.equal(extended.statusCode, 201, extended.body);
    t.equal(extended.json().late, false, 'emergency maintenance extends the deadline');

    // The same downtime as planned maintenance instead: announced ahead, it extends nothing.
    await app.deps.graph.autoCommit('testing/clean-graph');
    await loadSample(app.deps.graph);
    await upsertLearners(app.deps.graph, [learner(ADA)]);
    await createWindow(app.deps.graph, {
      id: 'mw-planned-past',
      kind: 'planned',
      start: lost.start,
      end: lost.end,
      announceFrom: lost.start,
      ...messages,
      reason: null,
      inCoreHours: false,
      now: lost.start,
      createdBy: 'test',
    });
    const planned = await app.inject({ method: 'POST', url: '/achievements', headers: ao, payload: record('dl/2') });
    t.equal(planned.statusCode, 201, planned.body);
    t.equal(planned.json().late, true, 'planned maintenance does not');
  },
);

t.test('the service desk clock: a call over a weekend and a bank holiday', async (t) => {
  const { app } = await setupApp(t);
  const headers = await bearer(app, 'operator');
  // Friday 1 May 2026, 19:00 London (BST); Monday 4 May is the Early May bank holiday.
  const call = await app.inject({
    method: 'POST',
    url: '/operations/desk-calls',
    headers,
    payload: { receivedAt: '2026-05-01T18:00:00Z', channel: 'telephone', summary: 'Batch report will not open' },
  });
  t.equal(call.statusCode, 201, call.body);
  const id = call.json().id;
  const early = await app.inject({
    method: 'POST',
    url: `/operations/desk-calls/${id}/resolution`,
    headers,
    payload: { resolution: 'x' },
  });
  t.equal(early.statusCode, 409, 'a call is categorised before it is resolved');
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: `/operations/desk-calls/${id}/category`,
        headers,
        payload: { category: '2' },
      })
    ).statusCode,
    200,
  );
  // Tuesday 5 May, 09:00 London: Friday 19-20 (1 h), Saturday 08-20 (12 h), Sunday and the
  // bank holiday closed, Tuesday 08-09 (1 h).
  const resolved = await app.inject({
    method: 'POST',
    url: `/operations/desk-calls/${id}/resolution`,
    headers,
    payload: { resolution: 'Sent the report again', resolvedAt: '2026-05-05T08:00:00Z' },
  });
  t.equal(resolved.statusCode, 200, resolved.body);
  t.equal(resolved.json().serviceHours, 14);
  const report = await app.inject({ url: '/operations/service-levels?month=2026-05', headers });
  t.match(report.json().desk, [
    { category: '1', resolved: 0 },
    { category: '2', received: 1, resolved: 1, meanServiceHours: 14 },
  ]);
});

t.test('the desk log refuses what it cannot record, naming the field', async (t) => {
  const { app } = await setupApp(t);
  const headers = await bearer(app, 'operator');
  const post = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/operations/desk-calls', headers, payload });
  const base = { receivedAt: '2026-05-01T18:00:00Z', channel: 'telephone', summary: 'x' };
  t.match((await post({ ...base, receivedAt: '2099-01-01T00:00:00Z' })).json(), {
    code: 'VALIDATION',
    details: [{ field: 'receivedAt' }],
  });
  t.match((await post({ ...base, receivedAt: 'yesterday' })).json(), { details: [{ field: 'receivedAt' }] });
  t.match((await post({ ...base, summary: '   ' })).json(), { details: [{ field: 'summary' }] });
  t.equal((await post({ ...base, category: '5' })).statusCode, 400);
  const missing = await app.inject({
    method: 'PUT',
    url: '/operations/desk-calls/call-x/category',
    headers,
    payload: { category: '1' },
  });
  t.equal(missing.statusCode, 404);
  const call = (await post({ ...base, category: 'DC' })).json();
  const before = await app.inject({
    method: 'POST',
    url: `/operations/desk-calls/${call.id}/resolution`,
    headers,
    payload: { resolution: 'done', resolvedAt: '2026-04-01T00:00:00Z' },
  });
  t.match(before.json(), { details: [{ field: 'resolvedAt' }] });
  const done = await app.inject({
    method: 'POST',
    url: `/operations/desk-calls/${call.id}/resolution`,
    headers,
    payload: { resolution: 'done' },
  });
  t.equal(done.statusCode, 200);
  const again = await app.inject({
    method: 'POST',
    url: `/operations/desk-calls/${call.id}/resolution`,
    headers,
    payload: { resolution: 'done' },
  });
  t.equal(again.statusCode, 409);
  const listed = await app.inject({ url: '/operations/desk-calls?status=resolved', headers });
  t.equal(listed.json().calls.length, 1);
  const windows = await app.inject({ url: '/operations/maintenance', headers });
  t.same(windows.json().windows, []);
  t.equal((await app.inject({ method: 'POST', url: '/operations/maintenance/mw-x/end', headers })).statusCode, 404);
});
