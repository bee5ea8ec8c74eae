/**
 * The analysts' console's worker thread: it plans, checks and runs an analyst's query on
 * a driver of its own, and hands back at most the answer's limits in plain JSON. Answers
 * are decoded here, not on the API's event loop, so a huge value (one row holding a list
 * of millions) costs this thread's time and memory only: its heap is capped
 * (runner.ts), and running out of it ends the thread, which the runner answers as "too
 * large" and replaces. See docs/analytics.md.
 */
import { parentPort, workerData } from 'node:worker_threads';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { checkPlan, checkRows, plannedNames } from './console.js';
import { planQuery, runQuery } from './repository.js';
import type { WorkerAnswer, WorkerQuery, WorkerSettings } from './runner.js';

const settings = workerData as WorkerSettings;
const driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
  // Plain numbers decode faster and smaller than Integer objects; answers are JSON numbers anyway.
  disableLosslessIntegers: true,
  connectionAcquisitionTimeout: 10_000,
  connectionTimeout: 5_000,
  maxConnectionPoolSize: 8,
  logging: { level: 'error', logger: () => undefined },
});

async function answer(q: WorkerQuery): Promise<WorkerAnswer> {
  try {
    const facts = await planQuery(driver, settings.database, q.text, q.timeoutMs);
    const labels = facts.plan ? plannedNames(facts.plan) : [];
    const refusal = checkPlan(facts, settings.database);
    if (refusal) return { id: q.id, ok: false, kind: 'refused', refusal, labels };
    const raw = await runQuery(driver, settings.database, q.text, q, (row) => checkRows([row]));
    if ('refusal' in raw) return { id: q.id, ok: false, kind: 'refused', refusal: raw.refusal, labels };
    if ('tooLarge' in raw) return { id: q.id, ok: false, kind: 'too-large', message: raw.tooLarge, labels };
    return {
      id: q.id,
      ok: true,
      columns: raw.columns,
      rows: raw.rows,
      truncated: raw.truncated,
      labels,
    };
  } catch (err) {
    if (err instanceof Neo4jError)
      return { id: q.id, ok: false, kind: 'neo4j', code: err.code, message: err.message, labels: [] };
    return { id: q.id, ok: false, kind: 'failed', message: (err as Error).message, labels: [] };
  }
}

parentPort!.on('message', (q: WorkerQuery | 'close') => {
  if (q === 'close') {
    void driver.close().finally(() => process.exit(0));
    return;
  }
  void answer(q).then((a) => parentPort!.postMessage(a));
});
