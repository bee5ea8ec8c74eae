/**
 * Operations jobs: the availability probe (repeatable) and the planned-maintenance email.
 */
import { randomUUID } from 'node:crypto';
import type { JobContext } from '../context.js';
import type { JobPayloads } from '../payloads.js';
import { INITIAL_PROBE, nextProbe, type ProbeState } from '../../src/operations/probe.js';
import { closeOutage, listWindows, openOutage } from '../../src/operations/repository.js';
import { activeWindow } from '../../src/operations/maintenance.js';
import { sendWindowNotice } from '../../src/operations/service.js';

export async function runMaintenanceNotice(data: JobPayloads['operations.maintenance-notice'], ctx: JobContext) {
  return sendWindowNotice({ graph: ctx.graph, mailer: ctx.mailer }, data.windowId);
}

/** Ask the readiness endpoint; ok, or why not. */
async function probeOnce(url: string, timeoutMs: number): Promise<{ ok: boolean; reason?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) return { ok: true };
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    return { ok: false, reason: `${res.status}: ${body.message ?? 'not ready'}`.slice(0, 200) };
  } catch (err) {
    return { ok: false, reason: `no answer: ${(err as Error).message}`.slice(0, 200) };
  }
}

/**
 * One probe: readiness of the API (it checks Neo4j and Redis itself). The probe's memory
 * (failures so far, the outage it opened) is kept in Redis, which must be up for the job
 * to run at all, so that an outage of the graph is still recorded once the graph is back.
 */
export async function runProbe(_data: JobPayloads['operations.probe'], ctx: JobContext) {
  const key = `${ctx.config.queuePrefix}:operations:probe`;
  const raw = await ctx.redis.get(key);
  const state = raw ? (JSON.parse(raw) as ProbeState) : INITIAL_PROBE;
  const now = new Date();
  const seen = await probeOnce(ctx.config.probeUrl, 5_000);
  const inWindow = await listWindows(ctx.graph, { from: now, limit: 20 }).then(
    (w) => activeWindow(w, now) !== null,
    () => false,
  );
  const { state: next, action } = nextProbe(
    state,
    { ...seen, at: now.toISOString(), inWindow },
    ctx.config.probeFailures,
    () => `outage-${randomUUID()}`,
  );
  let saved = next;
  if (action?.kind === 'open') {
    try {
      await openOutage(ctx.graph, { id: action.id, start: action.start, end: null, reason: action.reason });
      saved = { ...next, outageStored: true };
      ctx.log.warn({ outage: action.id, since: action.start }, 'unplanned outage opened by the availability probe');
    } catch {
      saved = { ...next, outageStored: false };
    }
  } else if (action?.kind === 'close') {
    try {
      if (action.stored) await closeOutage(ctx.graph, action.id, action.end);
      else await openOutage(ctx.graph, { id: action.id, start: action.start, end: action.end, reason: action.reason });
      ctx.log.info({ outage: action.id, until: action.end }, 'unplanned outage closed by the availability probe');
    } catch {
      // The graph is still not taking writes: keep the outage open in the probe's memory.
      saved = state;
    }
  }
  await ctx.redis.set(key, JSON.stringify(saved));
  return { ok: seen.ok, action: action?.kind ?? null, failures: saved.failures };
}
