import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TEST_DATA_KEY_FILE } from './child-env.js';
import { loadConfig, LOCAL_NEO4J_URI, PROJECT_ROOT, type Config } from '../../src/config.js';

/** Where the test run's logs go. */
export const TEST_LOG_DIR = path.join(PROJECT_ROOT, '.local', 'test-logs');

/**
 * Settings for a test: the real local Neo4j and Redis (or NEO4J_URI / REDIS_URL when set),
 * a BullMQ prefix of its own, no log noise, a port the OS picks.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NEO4J_URI: process.env.NEO4J_URI ?? LOCAL_NEO4J_URI,
    // Every app a test builds logs at info to a file of the run, scanned for personal values
    // once all other tests have run (test/zz-log-scan.test.ts).
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    LOG_FILE: path.join(TEST_LOG_DIR, `${process.pid}.log`),
    PORT: '0',
    QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    SIGNING_KEY_FILE: '.local/keys/test-signing-key.json',
    DATA_KEY_FILE: TEST_DATA_KEY_FILE,
    DATA_DIR: '.local/test-data',
    // Tests that want the probe run it themselves.
    PROBE_INTERVAL_SECONDS: '0',
    MAINTENANCE_REFRESH_MS: '100',
    ...overrides,
  });
}
