import { randomBytes } from 'node:crypto';
import { loadConfig, LOCAL_NEO4J_URI, type Config } from '../../src/config.js';

/**
 * Settings for a test: the real local Neo4j and Redis (or NEO4J_URI / REDIS_URL when set),
 * a BullMQ prefix of its own, no log noise, a port the OS picks.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NEO4J_URI: process.env.NEO4J_URI ?? LOCAL_NEO4J_URI,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    SIGNING_KEY_FILE: '.local/keys/test-signing-key.json',
    DATA_KEY_FILE: '.local/keys/test-data-key.json',
    DATA_DIR: '.local/test-data',
    ...overrides,
  });
}
