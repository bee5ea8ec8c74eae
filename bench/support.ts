/**
 * What every benchmark script shares: settings for a development database (bench scripts
 * empty the graph), an API listening on a free port, and how figures are printed.
 */
import { buildApp, type App } from '../src/app.js';
import { loadConfig, LOCAL_NEO4J_URI, type Config } from '../src/config.js';

/** The environment's settings, with the local Neo4j, quiet logs, any free port and a queue prefix of the bench's own. */
export function benchConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NEO4J_URI: process.env.NEO4J_URI ?? LOCAL_NEO4J_URI,
    LOG_LEVEL: 'warn',
    PORT: '0',
    QUEUE_PREFIX: 'bench',
    ...overrides,
  });
}

/** The API listening on 127.0.0.1 at a free port, and its base URL. */
export async function listeningApp(config: Config): Promise<{ app: App; base: string }> {
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

export const secs = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;

/** The p-th percentile of sorted values (nearest rank); NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
