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

const USAGE = `plr <command> [options]

Commands:
  start      run everything locally: Neo4j (when NEO4J_URI is not set), migrations,
             the API and a worker in one process; prints the URL
  serve      the API only (migrates first)
  worker     a background worker only
  migrate    apply the graph schema (constraints and indexes) and list it

Settings come from the environment; see README.md.`;

function runScript(script: string, arg?: string): void {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', script), ...(arg ? [arg] : [])], { stdio: 'inherit' });
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
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
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
      const running = await runServer(config, { api: true, worker: true });
      stopOnSignals(running, log);
      console.log(`\nPersonal Learning Record service is running at ${running.url}\n  API docs: ${running.url}/docs\n  GraphQL:  ${running.url}/graphql\n  Health:   ${running.url}/health/ready\nPress Ctrl+C to stop.`);
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
          console.log(`  ${ix.name.padEnd(28)} ${ix.type.padEnd(8)} ${ix.labelsOrTypes.join(',')}(${ix.properties.join(',')})${ix.fromConstraint ? ' unique' : ''}`);
        }
      } finally {
        await graph.close();
      }
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
