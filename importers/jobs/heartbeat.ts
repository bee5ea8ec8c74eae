import os from 'node:os';
import type { JobContext } from '../context.js';
import type { JobPayloads } from '../payloads.js';

export async function recordHeartbeat(data: JobPayloads['operations.heartbeat'], ctx: JobContext) {
  const [row] = await ctx.graph.write('operations/record-worker-heartbeat', {
    name: data.worker ?? ctx.workerName,
    at: data.at,
    pid: process.pid,
    host: os.hostname(),
  });
  return row;
}
