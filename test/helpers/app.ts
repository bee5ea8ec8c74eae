import type { Test } from 'tap';
import { buildApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Role } from '../../src/platform/auth.js';
import { migrate } from '../../src/operations/migrate.js';
import { testConfig } from './config.js';
import type { Graph } from '../../src/platform/neo4j.js';

/** Tests share Neo4j Community's one database: each file starts from an empty graph. */
export async function cleanGraph(graph: Graph): Promise<void> {
  await graph.autoCommit('testing/clean-graph');
}

/**
 * An app on the real Neo4j and Redis with an empty, migrated graph; closed when the
 * test ends, with its BullMQ keys removed.
 */
export async function setupApp(t: Test, overrides: Record<string, string> = {}): Promise<{ app: App; config: Config }> {
  const config = testConfig(overrides);
  const app = await buildApp(config);
  t.teardown(async () => {
    await app.deps.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await app.close();
  });
  await app.ready();
  await app.deps.graph.waitUntilReady(60_000);
  await cleanGraph(app.deps.graph);
  await migrate(app.deps.graph);
  return { app, config };
}

/** Example identities for each role of SPEC section 6. */
export const PRINCIPALS: Record<Role, { subject: string; organisation?: string; uln?: string }> = {
  learner: { subject: 'user-learner', uln: '9276308686' },
  'ao-user': { subject: 'user-ao', organisation: '10000001' },
  'ao-admin': { subject: 'user-ao-admin', organisation: '10000001' },
  'provider-user': { subject: 'user-provider', organisation: '10000002' },
  'provider-admin': { subject: 'user-provider-admin', organisation: '10000002' },
  'careers-adviser': { subject: 'user-adviser', organisation: '10000003' },
  analyst: { subject: 'user-analyst', organisation: '10000004' },
  operator: { subject: 'user-operator', organisation: '10000005' },
};

/** A signed token for one role, as the service would issue it. */
export async function tokenFor(
  app: App,
  role: Role,
  extra: { expiresIn?: number; subject?: string; organisation?: string; uln?: string } = {},
): Promise<string> {
  const who = PRINCIPALS[role];
  return app.deps.tokens.issue({ ...who, ...extra, roles: [role] });
}

export async function bearer(app: App, role: Role): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await tokenFor(app, role)}` };
}

/** An error answer's body without its requestId (which differs on every request). */
export function errorBody(res: { json(): unknown }): Record<string, unknown> {
  const body = { ...(res.json() as Record<string, unknown>) };
  delete body.requestId;
  return body;
}
