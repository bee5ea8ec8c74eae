/**
 * Redis connections. BullMQ needs maxRetriesPerRequest: null on the connections its
 * workers block on; the readiness check uses a connection that fails fast instead.
 */
import { Redis } from 'ioredis';
import type { Config } from '../config.js';

export function createRedis(config: Config, purpose: 'queue' | 'check' = 'queue'): Redis {
  const client = new Redis(config.redisUrl, {
    lazyConnect: purpose === 'check',
    maxRetriesPerRequest: purpose === 'queue' ? null : 1,
    enableOfflineQueue: purpose === 'queue',
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  });
  // The readiness check reports a lost connection itself; without a listener ioredis would
  // print every reconnect failure to stderr.
  if (purpose === 'check') client.on('error', () => undefined);
  return client;
}

/** PING within the time limit; throws with a short reason otherwise. */
export async function pingRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    if (redis.status === 'wait') await Promise.race([redis.connect(), timeout]);
    const answer = await Promise.race([redis.ping(), timeout]);
    if (answer !== 'PONG') throw new Error(`unexpected answer ${String(answer)}`);
  } finally {
    clearTimeout(timer);
  }
}
