/**
 * Every setting of the service, read from the environment once and validated.
 * A bad value stops the start with a message that names the variable and what is wrong.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  host: string;
  port: number;
  /** Where people reach the service; used in printed URLs, links and token issuer. */
  publicUrl: string;
  logLevel: LogLevel;
  /** Where the API and workers log: a file (appended to), or standard output when unset. */
  logFile: string | undefined;
  /** pretty: readable lines (pino-pretty), for a person at a terminal; json: one JSON object a line, for machines. */
  logFormat: 'pretty' | 'json';
  /** Absent: `plr start` runs the project's own Neo4j and uses bolt://127.0.0.1:7687. */
  neo4jUri: string | undefined;
  neo4jUser: string;
  neo4jPassword: string;
  neo4jDatabase: string;
  redisUrl: string;
  /** BullMQ key prefix; tests give each file its own. */
  queuePrefix: string;
  workerConcurrency: number;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenSeconds: number;
  /** A private signing key as a JWK (JSON) or PKCS#8 PEM; when absent, signingKeyFile is used. */
  signingKey: string | undefined;
  /** Generated on first use when missing; git-ignored. */
  signingKeyFile: string;
  /** The personal-data key (32 bytes, base64); when absent, dataKeyFile is used. */
  dataKey: string | undefined;
  /** The personal-data key ring, generated on first use when missing; must be in every backup. */
  dataKeyFile: string;
  /** Uploads, reports and other files the service keeps. */
  dataDir: string;
  /** Whether `plr start` loads the demo data. */
  seedDemo: boolean;
  /** Where mail goes: smtp://host:port (or smtps://); unset: mail is written to the log as "not sent". */
  smtpUrl: string | undefined;
  /** The sender of every message. */
  mailFrom: string;
  /** Time limit of one analyst query, ms. */
  analyticsTimeoutMs: number;
  /** Most rows in an analyst query's answer. */
  analyticsMaxRows: number;
  /** Most bytes (as JSON) in an analyst query's answer. */
  analyticsMaxBytes: number;
  /** Longest list (or map) anywhere in an analyst query's answer. */
  analyticsMaxList: number;
  /** Whose X-Forwarded-For to believe for the client's address: false (none), true (any), a hop count, or addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  /** Request limits on sign-in, token and public routes (src/platform/rate-limits.ts). */
  rateLimits: RateLimits;
  /** Largest achievement batch file accepted, bytes. */
  batchMaxBytes: number;
  /** Rows validated and written in one transaction of a batch. */
  batchChunkRows: number;
  /** How long a worker holds a job before another may take it over (a dead worker's job is retried after this). */
  workerLockMs: number;
  /** How long a batch run keeps retrying a chunk through Neo4j or Redis errors that pass (a restart), seconds. */
  batchRetrySeconds: number;
  /** How often the batch watchdog looks for batches whose job is gone or failed, ms. */
  batchWatchdogMs: number;
  /** How many times the watchdog takes up a batch whose job failed before it fails the batch. */
  batchWatchdogResumes: number;
  /** A batch not finished and without progress for this long is shown (and counted) as stuck, seconds. */
  batchStuckSeconds: number;
  /** Runs that start from the same checkpoint (a worker dying at one place each time) before the batch fails. */
  batchRunsWithoutProgress: number;
  /** Longest field (cell, XML element text) of a batch file, characters. */
  batchMaxFieldChars: number;
  /** Longest row (CSV record, XML <record>) of a batch file, characters. */
  batchMaxRowChars: number;
  /** How often each process adds its response-time figures to the graph, seconds. */
  timingFlushSeconds: number;
  /** A listener of its own for GET /metrics without a token (0: none). */
  metricsPort: number;
  metricsHost: string;
  /** How long before a planned window starts it is announced, hours (unless the operator says). */
  maintenanceNoticeHours: number;
  /** How often each process reads the maintenance windows, ms. */
  maintenanceRefreshMs: number;
  /** What the availability probe asks: readiness of the API (which checks Neo4j and Redis). */
  probeUrl: string;
  /** Seconds between probes (0: no probe is scheduled). */
  probeIntervalSeconds: number;
  /** Consecutive failed probes that open an unplanned outage. */
  probeFailures: number;
  /** NODE_ENV=production: no demo accounts are made. */
  production: boolean;
  /** A portal session ends after this long without a request, seconds. */
  portalIdleSeconds: number;
  /** A portal session ends this long after it began, whatever happens, seconds. */
  portalMaxSeconds: number;
}

/** At most `max` requests in `windowSeconds`. */
export interface Limit {
  max: number;
  windowSeconds: number;
}

export interface RateLimits {
  enabled: boolean;
  /** POST /auth/login from one client address. */
  signInPerIp: Limit;
  /** POST /auth/login for one account (the email, hashed), from anywhere. */
  signInPerAccount: Limit;
  /** Refresh, client-credentials, logout and set-password from one client address. */
  tokenPerIp: Limit;
  /** Every other route open without a token (and /graphql) from one client address. */
  publicPerIp: Limit;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Readers of settings from `env`: each returns the value (or the fallback) and adds a line to
 * `problems` for a value it cannot take.
 */
function readers(env: Env, problems: string[]) {
  const text = (name: string, fallback: string): string => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    return v;
  };
  const optional = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9]+$/.test(raw.trim())) {
      problems.push(`${name}=${JSON.stringify(raw)} is not a whole number`);
      return fallback;
    }
    const n = Number(raw);
    if (n < min || n > max) {
      problems.push(`${name}=${raw} is out of range (${min} to ${max})`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)} is not true or false`);
    return fallback;
  };
  const url = (name: string, fallback: string | undefined, schemes: string[]): string | undefined => {
    const raw = optional(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!schemes.includes(u.protocol.replace(/:$/, ''))) {
        problems.push(`${name}=${JSON.stringify(raw)} must use ${schemes.join(' or ')}`);
      }
    } catch {
      problems.push(`${name}=${JSON.stringify(raw)} is not a URL`);
    }
    return raw;
  };

  /** `COUNT/SECONDS`, e.g. `20/60`: at most COUNT requests in SECONDS. */
  const limit = (name: string, fallback: Limit): Limit => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(raw);
    if (!m) {
      problems.push(`${name}=${JSON.stringify(raw)} must be COUNT/SECONDS, e.g. 20/60`);
      return fallback;
    }
    const [max, windowSeconds] = [Number(m[1]), Number(m[2])];
    if (max < 1 || max > 1_000_000 || windowSeconds < 1 || windowSeconds > 86_400) {
      problems.push(`${name}=${raw} is out of range (COUNT 1 to 1000000, SECONDS 1 to 86400)`);
      return fallback;
    }
    return { max, windowSeconds };
  };
  return { text, optional, int, bool, url, limit };
}

/** TRUST_PROXY: false, true, a hop count or a list of addresses and CIDRs. */
function readTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^[1-9][0-9]?$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (list.length > 0 && list.every((a) => /^[0-9A-Fa-f:.]+(\/[0-9]{1,3})?$/.test(a))) return list;
  problems.push(
    `TRUST_PROXY=${JSON.stringify(raw)} must be false, true, a hop count (1 to 99) or comma-separated addresses/CIDRs`,
  );
  return false;
}

/** Read and check every setting; throws ConfigError listing every bad value at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const { text, optional, int, bool, url, limit } = readers(env, problems);

  const host = text('HOST', '127.0.0.1');
  const port = int('PORT', 3000, 0, 65535);
  const publicUrl = (
    url('PUBLIC_URL', `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, ['http', 'https']) as string
  ).replace(/\/$/, '');

  const logLevel = text('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const logFormatRaw = optional('LOG_FORMAT') ?? 'auto';
  if (!['auto', 'pretty', 'json'].includes(logFormatRaw)) {
    problems.push(`LOG_FORMAT=${JSON.stringify(logFormatRaw)} must be auto, pretty or json`);
  }
  // auto: readable at a terminal, JSON when the output goes to a file, a pipe or a collector, and always in production.
  const logFormat: 'pretty' | 'json' =
    logFormatRaw === 'pretty' ||
    (logFormatRaw === 'auto' && process.stdout.isTTY === true && env.NODE_ENV !== 'production')
      ? 'pretty'
      : 'json';

  const queuePrefix = text('QUEUE_PREFIX', 'plr');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(queuePrefix)) {
    problems.push(`QUEUE_PREFIX=${JSON.stringify(queuePrefix)} may hold only letters, digits, _ . - (at most 64)`);
  }

  const trustProxy = readTrustProxy(optional('TRUST_PROXY'), problems);

  const signingKey = optional('SIGNING_KEY');
  if (signingKey !== undefined && !signingKey.trim().startsWith('{') && !signingKey.includes('BEGIN PRIVATE KEY')) {
    problems.push('SIGNING_KEY must be a private JWK (JSON) or a PKCS#8 PEM private key');
  }

  const config: Config = {
    host,
    port,
    publicUrl,
    logLevel,
    logFile: optional('LOG_FILE'),
    logFormat,
    neo4jUri: url('NEO4J_URI', undefined, ['bolt', 'neo4j', 'bolt+s', 'neo4j+s', 'bolt+ssc', 'neo4j+ssc']),
    neo4jUser: text('NEO4J_USER', 'neo4j'),
    neo4jPassword: text('NEO4J_PASSWORD', 'neo4j'),
    neo4jDatabase: text('NEO4J_DATABASE', 'neo4j'),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']) as string,
    queuePrefix,
    workerConcurrency: int('WORKER_CONCURRENCY', 2, 1, 64),
    jwtIssuer: text('JWT_ISSUER', publicUrl),
    jwtAudience: text('JWT_AUDIENCE', 'plr-api'),
    accessTokenSeconds: int('ACCESS_TOKEN_SECONDS', 900, 30, 86400),
    signingKey,
    signingKeyFile: path.resolve(PROJECT_ROOT, text('SIGNING_KEY_FILE', '.local/keys/signing-key.json')),
    dataKey: optional('DATA_KEY'),
    dataKeyFile: path.resolve(PROJECT_ROOT, text('DATA_KEY_FILE', '.local/keys/data-key.json')),
    dataDir: path.resolve(PROJECT_ROOT, text('DATA_DIR', '.local/data')),
    seedDemo: bool('SEED_DEMO', true),
    smtpUrl: url('SMTP_URL', undefined, ['smtp', 'smtps']),
    mailFrom: text('MAIL_FROM', 'Personal Learning Record service <no-reply@plr.invalid>'),
    analyticsTimeoutMs: int('ANALYTICS_TIMEOUT_MS', 10_000, 100, 600_000),
    analyticsMaxRows: int('ANALYTICS_MAX_ROWS', 1_000, 1, 100_000),
    analyticsMaxBytes: int('ANALYTICS_MAX_BYTES', 4 * 1024 * 1024, 1_024, 256 * 1024 * 1024),
    analyticsMaxList: int('ANALYTICS_MAX_LIST', 10_000, 1, 10_000_000),
    trustProxy,
    rateLimits: {
      enabled: bool('RATE_LIMIT_ENABLED', true),
      signInPerIp: limit('RATE_LIMIT_SIGNIN_IP', { max: 60, windowSeconds: 60 }),
      signInPerAccount: limit('RATE_LIMIT_SIGNIN_ACCOUNT', { max: 20, windowSeconds: 900 }),
      tokenPerIp: limit('RATE_LIMIT_TOKEN_IP', { max: 120, windowSeconds: 60 }),
      publicPerIp: limit('RATE_LIMIT_PUBLIC_IP', { max: 300, windowSeconds: 60 }),
    },
    batchMaxBytes: int('BATCH_MAX_BYTES', 400 * 1024 * 1024, 1_024, 20 * 1024 * 1024 * 1024),
    batchChunkRows: int('BATCH_CHUNK_ROWS', 2_000, 1, 50_000),
    workerLockMs: int('WORKER_LOCK_MS', 30_000, 1_000, 600_000),
    batchRetrySeconds: int('BATCH_RETRY_SECONDS', 300, 1, 86_400),
    batchWatchdogMs: int('BATCH_WATCHDOG_MS', 30_000, 1_000, 3_600_000),
    batchWatchdogResumes: int('BATCH_WATCHDOG_RESUMES', 3, 0, 100),
    batchStuckSeconds: int('BATCH_STUCK_SECONDS', 900, 10, 7 * 86_400),
    batchRunsWithoutProgress: int('BATCH_RUNS_WITHOUT_PROGRESS', 8, 2, 1_000),
    batchMaxFieldChars: int('BATCH_MAX_FIELD_CHARS', 1_000, 16, 1_048_576),
    batchMaxRowChars: int('BATCH_MAX_ROW_CHARS', 16_384, 256, 16_777_216),
    timingFlushSeconds: int('TIMING_FLUSH_SECONDS', 60, 1, 3_600),
    metricsPort: int('METRICS_PORT', 0, 0, 65535),
    metricsHost: text('METRICS_HOST', '127.0.0.1'),
    maintenanceNoticeHours: int('MAINTENANCE_NOTICE_HOURS', 72, 0, 24 * 60),
    maintenanceRefreshMs: int('MAINTENANCE_REFRESH_MS', 2_000, 50, 60_000),
    probeUrl: url('PROBE_URL', `${publicUrl}/health/ready`, ['http', 'https']) as string,
    probeIntervalSeconds: int('PROBE_INTERVAL_SECONDS', 60, 0, 3_600),
    probeFailures: int('PROBE_FAILURES', 3, 1, 100),
    production: env.NODE_ENV === 'production',
    portalIdleSeconds: int('PORTAL_IDLE_SECONDS', 30 * 60, 5, 24 * 3600),
    portalMaxSeconds: int('PORTAL_MAX_SECONDS', 12 * 3600, 60, 7 * 86_400),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** The local server `plr start` runs when NEO4J_URI is not set. */
export const LOCAL_NEO4J_URI = 'bolt://127.0.0.1:7687';
