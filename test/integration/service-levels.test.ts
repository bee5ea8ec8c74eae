/**
 * Issue 14 parts 1, 2 and 7: requests timed per charter service, figures that add up
 * across processes and flushes, the monthly report, /metrics, X-Request-Id.
 */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { bearer, setupApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { newHistogram } from '../../src/operations/timing.js';
import { startMetricsListener } from '../../src/operations/metrics.js';
import { monthBounds } from '../../src/operations/service-levels.js';
import { loadSample } from '../helpers/fixtures.js';

/** A seeded generator, so the month of timings is the same every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('a month of timings from two app instances gives one exact count, mean and p95', async (t) => {
  const { app: first } = await setupApp(t);
  const second = await buildApp(testConfig());
  t.teardown(() => second.close());
  await second.ready();

  // March 2026 in London: the clocks change on the 29th, so the month is 743 hours long.
  const { from, to } = monthBounds('2026-03');
  const next = random(14);
  const all = newHistogram();
  let count = 0;
  let sumMicros = 0;
  const values: number[] = [];
  const instances = [first, second];
  for (let i = 0; i < 6_000; i++) {
    const at = from.getTime() + Math.floor(next() * (to.getTime() - from.getTime()));
    // Mostly quick answers, a long tail up to 8 s: integer milliseconds, so the mean is exact.
    const millis = next() < 0.9 ? 20 + Math.floor(next() * 400) : 500 + Math.floor(next() * 7_500);
    instances[i % 2].serviceMetrics.timings.record('OCF04', millis * 1000, at);
    all.recordValue(millis * 1000);
    values.push(millis);
    count += 1;
    sumMicros += millis * 1000;
    // Each instance flushes now and then, as its timer would: hours are added to, not replaced.
    if (i % 1_000 === 999) await instances[((i / 1000) % 2) | 0].serviceMetrics.flush();
  }
  // Outside the month: must not count.
  second.serviceMetrics.timings.record('OCF04', 9_000_000, to.getTime() + 1_000);
  first.serviceMetrics.timings.record('OCF04', 9_000_000, from.getTime() - 1_000);
  await first.serviceMetrics.flush();
  await second.serviceMetrics.flush();

  const res = await first.inject({
    url: '/operations/service-levels?month=2026-03',
    headers: await bearer(first, 'operator'),
  });
  t.equal(res.statusCode, 200, res.body);
  const line = res.json().services.find((s: { ocf: string }) => s.ocf === 'OCF04');
  t.equal(line.count, count, 'every request once');
  t.equal(line.meanMs, sumMicros / count / 1000, 'the mean is exact');
  t.equal(line.p95Ms, all.getValueAtPercentile(95) / 1000, 'the p95 is that of one histogram of every value');
  // Against the values themselves (nearest rank), to the histogram's resolution of 0.1 %.
  const truth = values.sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1];
  t.ok(Math.abs(line.p95Ms - truth) / truth <= 0.001, `p95 ${line.p95Ms} ms against ${truth} ms`);
  t.equal(line.targetSeconds, 5);
  t.equal(line.met, line.meanMs <= 5000);
});

t.test('a real request is timed against the service its GraphQL field declares', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ qualifications { total } }' } });
  t.equal(res.statusCode, 200);
  await app.serviceMetrics.flush();
  const now = new Date();
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
    .format(now)
    .slice(0, 7);
  const report = await app.inject({
    url: `/operations/service-levels?month=${month}`,
    headers: await bearer(app, 'operator'),
  });
  t.equal(report.statusCode, 200);
  const lines = report.json().services as { ocf: string; count: number }[];
  t.equal(lines.find((s) => s.ocf === 'OCF04')?.count, 1, 'the qualification list is OCF 04');
});

t.test(
  'a REST request is timed against the service its route declares; a route without one does not start',
  async (t) => {
    const { app } = await setupApp(t);
    await loadSample(app.deps.graph);
    t.equal((await app.inject({ url: '/qualifications' })).statusCode, 200);
    const day = app.serviceMetrics.timings.take();
    t.match(day, [{ ocf: 'OCF04', count: 1 }], 'GET /qualifications declares OCF 04');
    const bare = await buildApp(testConfig());
    t.teardown(() => bare.close());
    t.throws(
      () => bare.get('/undeclared', { config: { access: { public: true } } }, async () => 'x'),
      /GET \/undeclared declares no charter service/,
    );
  },
);

t.test('/metrics: request durations by charter service, route and status class, for the operator', async (t) => {
  const { app } = await setupApp(t);
  await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ qualifications { total } }' } });
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 401, 'not public');
  const res = await app.inject({ url: '/metrics', headers: await bearer(app, 'operator') });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/plain/);
  t.match(
    res.body,
    /plr_http_request_duration_seconds_count\{[^}]*ocf="OCF04",route="\/graphql",method="POST",status_class="2xx"[^}]*\} 1/,
  );
  t.match(res.body, /plr_dependency_up\{[^}]*dependency="neo4j"[^}]*\} 1/);
  t.match(res.body, /plr_queue_jobs\{[^}]*state="waiting"/);
  t.match(res.body, /plr_process_resident_memory_bytes/);
});

t.test('every answer carries X-Request-Id, and an error body names it', async (t) => {
  const { app } = await setupApp(t);
  const ok = await app.inject({ url: '/health/live' });
  t.match(ok.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  const missing = await app.inject({ url: '/no/such/thing' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().requestId, missing.headers['x-request-id']);
  const refused = await app.inject({ url: '/operations/service-levels?month=2026-03' });
  t.equal(refused.statusCode, 401);
  t.equal(refused.json().requestId, refused.headers['x-request-id']);
  const given = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'proxy-1234abcd' } });
  t.equal(given.headers['x-request-id'], 'proxy-1234abcd', "a caller's plain id is kept");
  const odd = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'x\ninjected' } });
  t.not(odd.headers['x-request-id'], 'x\ninjected', 'anything else is replaced');
});

t.test('the report refuses a bad month and prints as a PDF', async (t) => {
  const { app } = await setupApp(t);
  const headers = await bearer(app, 'operator');
  const bad = await app.inject({ url: '/operations/service-levels?month=2026-13', headers });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'VALIDATION');
  const pdf = await app.inject({ url: '/operations/service-levels.pdf?month=2026-03', headers });
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.headers['content-type'], 'application/pdf');
  t.match(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
});

t.test('METRICS_PORT: the same figures on a listener of its own, without a token', async (t) => {
  const { app } = await setupApp(t);
  const listener = await startMetricsListener(app.serviceMetrics.registry, '127.0.0.1', 0);
  t.teardown(() => listener.close());
  const res = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
  t.equal(res.status, 200);
  t.match(await res.text(), /plr_queue_jobs/);
  t.equal((await fetch(`http://127.0.0.1:${listener.port}/other`)).status, 404);
});
