/**
 * The HTTP entry point: migrate, then serve the API and, when asked, a worker in the
 * same process; stop both gracefully on SIGINT or SIGTERM.
 */
import type { Worker } from 'bullmq';
import pino from 'pino';
import type { Config } from './config.js';
import { buildApp, type App } from './app.js';
import { createGraph } from './platform/neo4j.js';
import { loggerOptions } from './platform/logging.js';
import { migrate } from './operations/migrate.js';
import { startWorker } from '../importers/worker.js';
import { MaintenanceGate } from './operations/maintenance-gate.js';
import { startMetricsListener } from './operations/metrics.js';

export interface Running {
  app?: App;
  worker?: Worker;
  url?: string;
  stop(): Promise<void>;
}

/** Stop cleanly on the first SIGINT/SIGTERM; a second one exits at once. */
export function stopOnSignals(running: Running, log: pino.Logger): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping: finishing requests and jobs in progress');
    running.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: (err as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

export async function runServer(
  config: Config,
  opts: { api: boolean; worker: boolean; onMigrated?: (app: App | undefined) => Promise<void> },
): Promise<Running> {
  const log = pino(loggerOptions(config.logLevel, undefined, config.logFormat));
  const graph = createGraph(config);
  await graph.waitUntilReady();
  const report = await migrate(graph);
  log.info({ migrations: report.applied.length }, 'schema migrations applied');

  // One gate per process: the API refuses changes and the worker pauses on the same windows.
  const gate = new MaintenanceGate(graph, config.maintenanceRefreshMs);
  await gate.start();
  let app: App | undefined;
  let url: string | undefined;
  let metrics: { close(): Promise<void> } | undefined;
  if (opts.api) {
    app = await buildApp(config, { graph }, { gate });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = config.port === 0 ? `http://${config.host}:${port}` : config.publicUrl;
    if (config.metricsPort > 0) {
      metrics = await startMetricsListener(app.serviceMetrics.registry, config.metricsHost, config.metricsPort);
      log.info({ host: config.metricsHost, port: config.metricsPort }, 'metrics listening');
    }
  }
  if (opts.onMigrated) await opts.onMigrated(app);
  const worker = opts.worker ? startWorker({ config, graph, logger: log, gate }) : undefined;
  if (worker) {
    await worker.waitUntilReady();
    log.info({ concurrency: config.workerConcurrency }, 'worker started');
  }

  return {
    app,
    worker,
    url,
    async stop() {
      // Stop taking new work first, then let what is in progress finish.
      await Promise.all([app?.close(), worker?.close(), metrics?.close()]);
      gate.stop();
      await graph.close();
    },
  };
}
