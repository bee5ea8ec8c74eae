/**
 * The `plr` command. Each command's options are parsed strictly (node:util parseArgs): an
 * unknown or mistyped flag is a usage error before anything is read or sent.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino from 'pino';
import { loadConfig, ConfigError, PROJECT_ROOT, LOCAL_NEO4J_URI, type Config } from './config.js';
import { loggerOptions } from './platform/logging.js';
import { createGraph } from './platform/neo4j.js';
import { migrate } from './operations/migrate.js';
import { runServer, stopOnSignals } from './server.js';
import { runCatalogueLoad } from './catalogue/load.js';
import { runPathwayLoad } from './pathways/data-load.js';
import { runLearnerLoad } from './learners/register/load.js';
import { seedDemo, type SeedReport } from './operations/seed.js';
import { isRole, ROLES } from './platform/auth.js';
import { KeyRing } from './identity/keys.js';
import { backup, BackupError, restore } from './operations/backup.js';
import { createRedis } from './platform/redis.js';
import { JobQueue } from '../importers/queue.js';
import { IMPORT_EXIT, runHttpImport, runImport } from './achievements/batches/import-command.js';

interface CommandSpec {
  /** The synopsis, after `plr `. */
  synopsis: string;
  /** What it does, for `plr --help` and `plr COMMAND --help`. */
  does: string;
  options: ParseArgsConfig['options'];
  /** Positionals after the command's name: [fewest, most]. */
  positionals: [number, number];
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Every command, its options and arguments: parsed strictly, so a mistyped flag stops it. */
export const COMMANDS: Record<string, CommandSpec> = {
  start: {
    synopsis: 'start',
    does: 'run everything locally: Neo4j (when NEO4J_URI is not set), migrations, the demo data (SEED_DEMO), the API and a worker in one process; prints the URL',
    options: {},
    positionals: [0, 0],
  },
  serve: { synopsis: 'serve', does: 'the API only (migrates first)', options: {}, positionals: [0, 0] },
  worker: { synopsis: 'worker', does: 'a background worker only', options: {}, positionals: [0, 0] },
  migrate: {
    synopsis: 'migrate',
    does: 'apply the graph schema (constraints and indexes) and list it',
    options: {},
    positionals: [0, 0],
  },
  catalogue: {
    synopsis: 'catalogue load FILE',
    does: 'check a catalogue file (docs/catalogue-format.md) and load it; with any problem nothing is stored and every problem is printed',
    options: {},
    positionals: [2, 2],
  },
  pathways: {
    synopsis: 'pathways load FILE',
    does: 'check a pathway data file (docs/pathway-data-format.md: providers and offers, occupations, funding rules) and load it; with any problem nothing is stored and every problem is printed',
    options: {},
    positionals: [2, 2],
  },
  learners: {
    synopsis: 'learners load FILE',
    does: 'check a learner file (docs/learner-files.md) and load it into the register; with any problem nothing is stored and every problem is printed',
    options: {},
    positionals: [2, 2],
  },
  import: {
    synopsis: 'import FILE (--ao UKPRN | --url URL --token TOKEN) [--validate-only] [--batch-id ID]',
    does: "send an achievement file (CSV or XML, docs/interface-files.md) as a batch: with --ao, on the service's machine for that awarding organisation; with --url and --token, through the HTTP API as the token's AO, as an AO's own system would. A running worker loads it; shows progress and prints the summary. Exit 0: every row accepted; 3: completed with rejected rows; 1: refused or failed",
    options: {
      ao: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'validate-only': { type: 'boolean' },
      'batch-id': { type: 'string' },
    },
    positionals: [1, 1],
  },
  seed: {
    synopsis: 'seed',
    does: 'load the demo data (sample catalogue, sample learners, generated learners and credits)',
    options: {},
    positionals: [0, 0],
  },
  backup: {
    synopsis: 'backup DIR',
    does: "back up the project's own Neo4j (stopped for the dump: Community has no online backup), the signing and personal-data keys and unfinished batches' files into a new folder DIR, with a manifest of counts and checksums; prints the downtime",
    options: {},
    positionals: [1, 1],
  },
  restore: {
    synopsis: 'restore DIR',
    does: 'restore a folder made by plr backup: checks the dump against its manifest first, replaces the database, puts back keys that are missing (a different key in place is refused), and compares the restored counts with the manifest',
    options: {},
    positionals: [1, 1],
  },
  token: {
    synopsis: 'token ROLE [--uln ULN] [--org UKPRN] [--minutes N]',
    does: `print a signed access token for local use (roles: ${ROLES.join(', ')})`,
    options: { uln: { type: 'string' }, org: { type: 'string' }, minutes: { type: 'string' } },
    positionals: [1, 1],
  },
};

/** Exit codes of every command (README.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejectedRows: IMPORT_EXIT.rejectedRows } as const;

const EXIT_CODES = `Exit codes: 0 done; 1 failed (a file refused, a batch failed, a server not reached);
  2 a usage or settings error (nothing was done); 3 an import completed with rejected rows.`;

function wrap(text: string, indent: string, width = 88): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function usage(): string {
  const commands = Object.values(COMMANDS)
    .map((c) => `  ${c.synopsis}\n${wrap(c.does, '      ')}`)
    .join('\n');
  return `plr <command> [options]     plr <command> --help     plr --version

Commands:
${commands}

${EXIT_CODES}
Settings come from the environment; see README.md.`;
}

function commandHelp(name: string): string {
  const c = COMMANDS[name];
  return `usage: plr ${c.synopsis}\n\n${wrap(c.does, '')}\n\n${EXIT_CODES}`;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return `plr ${pkg.version}`;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

type Parsed = { positionals: string[]; values: Record<string, string | boolean | undefined> };

/**
 * The command line, checked before anything is read or sent: an unknown command or flag,
 * a missing value or a wrong number of arguments is a usage error (exit 2).
 */
export function parseCommandLine(
  argv: string[],
):
  | { kind: 'help' | 'version'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'run'; command: string; args: Parsed } {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'error', text: usage() };
  if (command === '--help' || command === '-h' || command === 'help') return { kind: 'help', text: usage() };
  if (command === '--version' || command === '-V') return { kind: 'version', text: version() };
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) return { kind: 'error', text: `unknown command "${command}"\n\n${usage()}` };
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...spec.options, ...HELP }, allowPositionals: true, strict: true });
  } catch (err) {
    return {
      kind: 'error',
      text: `plr ${command}: ${(err as Error).message.split(/\. To specify|\n/)[0]}\nusage: plr ${spec.synopsis}`,
    };
  }
  if (parsed.values.help) return { kind: 'help', text: commandHelp(command) };
  const n = parsed.positionals.length;
  if (n < spec.positionals[0] || n > spec.positionals[1]) return { kind: 'error', text: `usage: plr ${spec.synopsis}` };
  return { kind: 'run', command, args: parsed };
}

function runScript(script: string, arg?: string): void {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', script), ...(arg ? [arg] : [])], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`scripts/${script} ${arg ?? ''} failed (exit ${result.status})`);
}

/**
 * With no NEO4J_URI, start the project's own Neo4j; make sure Redis answers. The same
 * script runs before `npm test`, so the tests find the servers `npm start` would.
 */
function ensureLocalServices(config: Config): Config {
  runScript('services.sh');
  return config.neo4jUri ? config : { ...config, neo4jUri: LOCAL_NEO4J_URI };
}

/** Runs one command; resolves to its exit code, or -1 for a command that keeps running. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind !== 'run') {
    // A bare `plr` prints the usage as help would, but fails as a usage error.
    (line.kind === 'error' && argv.length > 0 ? io.stderr : io.stdout).write(`${line.text}\n`);
    return line.kind === 'error' ? EXIT.usage : EXIT.ok;
  }
  const { command } = line;
  const { positionals: args, values } = line.args;
  const positionals = [command, ...args];
  const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  if (command === 'import') {
    const through = values.url !== undefined || values.token !== undefined;
    if (
      through
        ? values.url === undefined || values.token === undefined || values.ao !== undefined
        : values.ao === undefined
    ) {
      io.stderr.write(
        `plr import: give --ao UKPRN (on the service's machine) or --url URL and --token TOKEN (through the API), not both\nusage: plr ${COMMANDS.import.synopsis}\n`,
      );
      return EXIT.usage;
    }
    if (through)
      return runHttpImport(
        {
          file: args[0],
          url: text(values.url)!,
          token: text(values.token)!,
          validateOnly: values['validate-only'] === true,
          batchId: text(values['batch-id']),
        },
        io,
      );
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const log = pino(loggerOptions(config.logLevel, undefined, config.logFormat));
  const out = (t: string) => io.stdout.write(`${t}\n`);
  const err = (t: string) => io.stderr.write(`${t}\n`);

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
          `Demo data: ${seeded.qualifications} qualifications, ${seeded.units} units, ${seeded.learners} learners with ${seeded.credits} credits, ${seeded.sampleLearners} sample learners.`,
        );
        lines.push(`  Try: ${running.url}/qualifications/600%2F3302%2F3/rules`);
        if (seeded.examples[0])
          lines.push(`  A learner to look at: ULN ${seeded.examples[0].uln} (token: bin/plr token careers-adviser)`);
      }
      lines.push('Press Ctrl+C to stop.');
      out(lines.join('\n'));
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
        out(`applied ${report.applied.length} schema migrations:`);
        for (const ix of report.indexes) {
          out(
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
        err('usage: plr catalogue load FILE');
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
    case 'pathways': {
      const [sub, file] = positionals.slice(1);
      if (sub !== 'load' || !file) {
        err('usage: plr pathways load FILE');
        return 2;
      }
      const graph = createGraph(config);
      try {
        await graph.waitUntilReady(30_000);
        await migrate(graph);
        return await runPathwayLoad(graph, file);
      } finally {
        await graph.close();
      }
    }
    case 'learners': {
      const [sub, file] = positionals.slice(1);
      if (sub !== 'load' || !file) {
        err('usage: plr learners load FILE');
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
      const file = args[0];
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
            ao: text(values.ao)!,
            validateOnly: values['validate-only'] === true,
            batchId: text(values['batch-id']),
          },
          io,
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
        out(
          `demo data: ${r.qualifications} qualifications, ${r.units} units, ${r.learners} learners, ${r.credits} credits, ${r.sampleLearners} sample learners`,
        );
        for (const e of r.examples) out(`  learner ${e.uln}: ${e.credits} credits`);
      } finally {
        await graph.close();
      }
      return 0;
    }
    case 'backup': {
      try {
        const m = await backup(config, path.resolve(positionals[1]));
        const nodes = Object.values(m.counts.labels).reduce((a, b) => a + b, 0);
        const rels = Object.values(m.counts.types).reduce((a, b) => a + b, 0);
        out(
          `backup in ${positionals[1]}: ${m.dump.bytes} bytes of dump (sha256 ${m.dump.sha256.slice(0, 12)}), ${nodes} labelled nodes, ${rels} relationships, keys ${Object.keys(m.keys).join(', ') || 'none'}, ${m.batchFiles} batch files; the database was down ${m.downtimeSeconds.toFixed(1)} s`,
        );
        return 0;
      } catch (e) {
        if (!(e instanceof BackupError)) throw e;
        err(`plr backup: ${e.message}`);
        return 1;
      }
    }
    case 'restore': {
      try {
        const r = await restore(config, path.resolve(positionals[1]));
        out(
          `restored ${positionals[1]} (taken ${r.manifest.takenAt}) in ${r.seconds.toFixed(1)} s: every label's and type's count matches the manifest; keys put back: ${r.keysRestored.join(', ') || 'none (they were in place)'}`,
        );
        return 0;
      } catch (e) {
        if (!(e instanceof BackupError)) throw e;
        err(`plr restore: ${e.message}`);
        return 1;
      }
    }
    case 'token': {
      const role = positionals[1];
      if (!isRole(role)) {
        err(`usage: plr token ROLE [--uln ULN] [--org UKPRN] [--minutes N]; ROLE is one of ${ROLES.join(', ')}`);
        return 2;
      }
      const minutes = values.minutes === undefined ? config.accessTokenSeconds / 60 : Number(values.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
        err('--minutes must be a number from 1 to 1440');
        return 2;
      }
      const tokens = await KeyRing.create(config);
      out(
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
      throw new Error(`command ${command} has no handler`);
  }
}

// Run when started as the program (bin/plr, npm start), not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: Error) => {
      console.error(`plr: ${err.message}`);
      process.exit(EXIT.failed);
    },
  );
