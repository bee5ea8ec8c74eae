/**
 * The `plr` command: start, serve, worker, migrate.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig, ConfigError, PROJECT_ROOT, LOCAL_NEO4J_URI, type Config } from './config.js';
import { loggerOptions } from './platform/logging.js';
import { createGraph } from './platform/neo4j.js';
import { migrate } from './operations/migrate.js';
import { runServer, stopOnSignals } from './server.js';
import { runCatalogueLoad } from './catalogue/load.js';
import { runLearnerLoad } from './learners/register/load.js';
import { seedDemo, type SeedReport } from './operations/seed.js';
import { isRole, ROLES } from './platform/auth.js';
import { KeyRing } from './identity/keys.js';
import { createRedis } from './platform/redis.js';
import { JobQueue } from '../importers/queue.js';
import { runImport } from './achievements/batches/import-command.js';

const USAGE = `plr <command> [options]

Commands:
  start      run everything locally: Neo4j (when NEO4J_URI is not set), migrations,
             the API and a worker in one process; prints the URL
  serve      the API only (migrates first)
  worker     a background worker only
  migrate    apply the graph schema (constraints and indexes) and list it
  catalogue load FILE
             check a catalogue file (docs/catalogue-format.md) and load it; with any
             problem nothing is stored and every problem is printed
  learners load FILE
             check a learner file (docs/learner-files.md) and load it into the register;
             with any problem nothing is stored and every problem is printed
  import FILE --ao UKPRN [--validate-only] [--batch-id ID]
             send an achievement file (CSV or XML, docs/interface-files.md) as a batch of
             that awarding organisation; a running worker loads it; shows progress and
             prints the summary (exit 1 when the file is refused or the batch fails)
  seed       load the demo data (sample catalogue, generated learners and credits)
  token ROLE [--uln ULN] [--org UKPRN] [--minutes N]
             print a signed access token for local use (roles: ${ROLES.join(', ')})

Settings come from the environment; see README.md.`;

function runScript(script: string, arg?: string): void {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', script), ...(arg ? [arg] : [])], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`scripts/${script} ${arg ?? ''} failed (exit ${result.status})`);
}

/** With no NEO4J_URI, start the project's own Neo4j; make sure Redis answers. */
function ensureLocalServices(config: Config): Config {
  runScript('redis.sh');
  if (config.neo4jUri) return config;
  runScript('neo4j.sh', 'start');
  return { ...config, neo4jUri: LOCAL_NEO4J_URI };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      uln: { type: 'string' },
      org: { type: 'string' },
      minutes: { type: 'string' },
      ao: { type: 'string' },
      'validate-only': { type: 'boolean' },
      'batch-id': { type: 'string' },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const log = pino(loggerOptions(config.logLevel));

  switch (command) {
    case 'start': {
      config = ensureLocalServices(config);
      let seeded: SeedReport | undefined;
      const running = await runServer(config, {
        api: true,
        worker: true,
        onMigrated: async (app) => {
          if (config.seedDemo && app) seeded = await seedDemo(app.deps.graph);
        },
      });
      stopOnSignals(running, log);
      const lines = [
        '',
        `Personal Learning Record service is running at ${running.url}`,
        `  API docs: ${running.url}/docs`,
        `  GraphQL:  ${running.url}/graphql`,
        `  Health:   ${running.url}/health/ready`,
      ];
      if (seeded) {
        lines.push(
          `Demo data: ${seeded.qualifications} qualifications, ${seeded.units} units, ${seeded.learners} learners, ${seeded.credits} credits.`,
        );
        lines.push(`  Try: ${running.url}/qualifications/600%2F3302%2F3/rules`);
        if (seeded.examples[0])
          lines.push(`  A learner to look at: ULN ${seeded.examples[0].uln} (token: bin/plr token careers-adviser)`);
      }
      lines.push('Press Ctrl+C to stop.');
      console.log(lines.join('\n'));
      return -1;
    }
    case 'serve': {
      const running = await runServer(config, { api: true, worker: false });
      stopOnSignals(running, log);
      log.info({ url: running.url }, 'API listening');
      return -1;
    }
    case 'worker': {
      const running = await runServer(config, { api: false, worker: true });
      stopOnSignals(running, log);
      return -1;
    }
    case 'migrate': {
      const graph = createGraph(config);
      try {
        await graph.waitUntilReady(30_000);
        const report = await migrate(graph);
        console.log(`applied ${report.applied.length} schema migrations:`);
        for (const ix of report.indexes) {
          console.log(
            `  ${ix.name.padEnd(28)} ${ix.type.padEnd(8)} ${ix.labelsOrTypes.join(',')}(${ix.properties.join(',')})${ix.fromConstraint ? ' unique' : ''}`,
          );
        }
      } finally {
        await graph.close();
      }
      return 0;
    }
    case 'catalogue': {
      const [sub, file] = positionals.slice(1);
      if (sub !== 'load' || !file) {
        console.error('usage: plr catalogue load FILE');
        return 2;
      }
      const graph = createGraph(config);
      try {
        await graph.waitUntilReady(30_000);
        await migrate(graph);
        return await runCatalogueLoad(graph, file);
      } finally {
        await graph.close();
      }
    }
    case 'learners': {
      const [sub, file] = positionals.slice(1);
      if (sub !== 'load' || !file) {
        console.error('usage: plr learners load FILE');
        return 2;
      }
      const graph = createGraph(config);
      try {
        await graph.waitUntilReady(30_000);
        await migrate(graph);
        return await runLearnerLoad(graph, file);
      } finally {
        await graph.close();
      }
    }
    case 'import': {
      const file = positionals[1];
      if (!file || typeof values.ao !== 'string') {
        console.error('usage: plr import FILE --ao UKPRN [--validate-only] [--batch-id ID]');
        return 2;
      }
      const graph = createGraph(config);
      const redis = createRedis(config, 'queue');
      const jobs = new JobQueue(redis, config.queuePrefix);
      try {
        await graph.waitUntilReady(30_000);
        await migrate(graph);
        return await runImport(
          { graph, config, jobs },
          {
            file,
            ao: values.ao,
            validateOnly: values['validate-only'] === true,
            batchId: typeof values['batch-id'] === 'string' ? values['batch-id'] : undefined,
          },
          { stdout: process.stdout, stderr: process.stderr },
        );
      } finally {
        await jobs.close();
        await redis.quit().catch(() => redis.disconnect());
        await graph.close();
      }
    }
    case 'seed': {
      const graph = createGraph(config);
      try {
        await graph.waitUntilReady(30_000);
        await migrate(graph);
        const r = await seedDemo(graph);
        console.log(
          `demo data: ${r.qualifications} qualifications, ${r.units} units, ${r.learners} learners, ${r.credits} credits`,
        );
        for (const e of r.examples) console.log(`  learner ${e.uln}: ${e.credits} credits`);
      } finally {
        await graph.close();
      }
      return 0;
    }
    case 'token': {
      const role = positionals[1];
      if (!isRole(role)) {
        console.error(
          `usage: plr token ROLE [--uln ULN] [--org UKPRN] [--minutes N]; ROLE is one of ${ROLES.join(', ')}`,
        );
        return 2;
      }
      const minutes = values.minutes === undefined ? config.accessTokenSeconds / 60 : Number(values.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
        console.error('--minutes must be a number from 1 to 1440');
        return 2;
      }
      const tokens = await KeyRing.create(config);
      console.log(
        await tokens.issue({
          subject: `cli-${role}`,
          roles: [role],
          uln: typeof values.uln === 'string' ? values.uln : undefined,
          organisation: typeof values.org === 'string' ? values.org : undefined,
          expiresIn: Math.round(minutes * 60),
        }),
      );
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: Error) => {
    console.error(`plr: ${err.message}`);
    process.exit(1);
  },
);
