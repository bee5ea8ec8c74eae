/**
 * Request timing and /metrics (issue 14 part 1).
 *
 * Every route declares its charter service (`config.ocf`, src/platform/ocf.ts); GraphQL
 * requests take the services of the Query and Mutation fields they ask for
 * (GRAPHQL_FIELD_OCF). A hook times each request from entry (Fastify's onRequest) to exit
 * (onResponse) and records it twice, both in memory only:
 * - into prom-client's histogram `plr_http_request_duration_seconds` (labels ocf, route,
 *   method, status_class), scraped at GET /metrics (operator token) or on METRICS_PORT;
 * - into the TimingAggregator, flushed to the graph every TIMING_FLUSH_SECONDS and when the
 *   app closes, for the monthly service-level report.
 * The other figures (dependencies, queue, batches) are measured when /metrics is read.
 */
import http from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isOcf, type OcfDeclaration } from '../platform/ocf.js';
import { pingRedis } from '../platform/redis.js';
import { TimingAggregator } from './timing.js';
import { batchMetrics, storeTimings } from './repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by GraphQL: the services of the fields a request asked for. */
    ocfServices?: OcfDeclaration[];
  }
  interface FastifyInstance {
    serviceMetrics: ServiceMetrics;
  }
}

/** Optional figures other features provide (the stuck-batch count). */
export interface ExtraGauge {
  name: string;
  help: string;
  read(): Promise<number>;
}

export interface ServiceMetrics {
  registry: Registry;
  timings: TimingAggregator;
  /** Store what is in memory now; returns the number of hour slices stored. */
  flush(): Promise<number>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export const requestTiming = fp(
  async (app: FastifyInstance, opts: { flushSeconds: number; extraGauges?: ExtraGauge[] }) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'plr' });
    collectDefaultMetrics({ register: registry, prefix: 'plr_' });
    const timings = new TimingAggregator();

    const duration = new Histogram({
      name: 'plr_http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its answer, by charter service',
      labelNames: ['ocf', 'route', 'method', 'status_class'],
      buckets: BUCKETS,
      registers: [registry],
    });
    const flushFailures = new Counter({
      name: 'plr_timing_flush_failures_total',
      help: 'Flushes of response-time figures to the graph that failed (kept in memory and retried)',
      registers: [registry],
    });
    new Gauge({
      name: 'plr_timing_unflushed_slices',
      help: 'Hour-and-service slices of response times held in memory, not yet in the graph',
      registers: [registry],
      collect() {
        this.set(timings.size);
      },
    });
    const up = new Gauge({
      name: 'plr_dependency_up',
      help: 'Whether a dependency answered within 2 s when /metrics was read (1) or not (0)',
      labelNames: ['dependency'],
      registers: [registry],
      async collect() {
        const check = async (name: string, work: () => Promise<void>) => {
          const started = performance.now();
          try {
            await work();
            this.set({ dependency: name }, 1);
          } catch {
            this.set({ dependency: name }, 0);
          }
          latency.set({ dependency: name }, (performance.now() - started) / 1000);
        };
        await Promise.all([
          check('neo4j', () => app.deps.graph.ping(2_000)),
          check('redis', () => pingRedis(app.deps.redisCheck, 2_000)),
        ]);
      },
    });
    const latency = new Gauge({
      name: 'plr_dependency_latency_seconds',
      help: 'How long the dependency took to answer when /metrics was read',
      labelNames: ['dependency'],
      registers: [registry],
    });
    void up;
    new Gauge({
      name: 'plr_queue_jobs',
      help: 'Background jobs in the queue by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = await app.deps.jobs.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    const batchRate = new Gauge({
      name: 'plr_batch_rows_per_second',
      help: 'Rows per second of the achievement batches loading now, summed',
      registers: [registry],
    });
    const overdue = new Gauge({
      name: 'plr_batches_overdue',
      help: 'Achievement batches received more than 48 hours ago and not finished',
      registers: [registry],
    });
    new Gauge({
      name: 'plr_batches',
      help: 'Achievement batches by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        let rate = 0;
        let late = 0;
        for (const row of await batchMetrics(app.deps.graph)) {
          this.set({ status: row.status }, row.batches);
          rate += row.rowsPerSecond;
          late += row.overdue;
        }
        batchRate.set(rate);
        overdue.set(late);
      },
    });
    for (const g of opts.extraGauges ?? []) {
      new Gauge({
        name: g.name,
        help: g.help,
        registers: [registry],
        async collect() {
          this.set(await g.read());
        },
      });
    }

    let flushing: Promise<number> | undefined;
    const flush = async (): Promise<number> => {
      if (flushing) await flushing.catch(() => undefined);
      const slices = timings.take();
      if (slices.length === 0) return 0;
      flushing = storeTimings(app.deps.graph, slices);
      try {
        return await flushing;
      } catch (err) {
        timings.restore(slices);
        flushFailures.inc();
        app.log.warn({ err: (err as Error).message, slices: slices.length }, 'response-time figures not stored yet');
        return 0;
      } finally {
        flushing = undefined;
      }
    };
    const timer = setInterval(() => void flush(), opts.flushSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await flush();
    });

    app.decorate('serviceMetrics', { registry, timings, flush });

    // Every route says which charter service it belongs to, as it says who may call it. The
    // API docs (swagger's own routes) are none; the GraphQL transport takes its fields' services.
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/docs') || route.url === '/graphql' || route.url === '/graphiql') return;
      // A route without an access rule is the guard's to refuse, with its own message.
      if (!route.config?.access) return;
      const declared = route.config?.ocf;
      if (declared !== 'none' && !isOcf(declared)) {
        throw new Error(
          `route ${String(route.method)} ${route.url} declares no charter service (config.ocf: 'OCF01'..'OCF11' or 'none'; src/platform/ocf.ts)`,
        );
      }
    });

    app.addHook('onResponse', async (request: FastifyRequest, reply) => {
      const ms = reply.elapsedTime;
      const route = request.routeOptions.url ?? '(unmatched)';
      const declared = request.ocfServices ?? [request.routeOptions.config?.ocf ?? 'none'];
      const status = reply.statusCode;
      const at = Date.now();
      for (const ocf of new Set(declared)) {
        duration.observe({ ocf, route, method: request.method, status_class: statusClass(status) }, ms / 1000);
        if (isOcf(ocf)) timings.record(ocf, ms * 1000, at, status >= 500);
      }
    });
  },
  { name: 'plr-request-timing' },
);

/** A listener of its own that answers GET /metrics without a token; bind it where only the scraper reaches. */
export function startMetricsListener(
  registry: Registry,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
