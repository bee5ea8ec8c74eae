/**
 * The plr command line, in process: parsed strictly per command, help and version, exit
 * codes; and an unknown flag stops a command before it sends anything.
 */
import t from 'tap';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { COMMANDS, EXIT, main, parseCommandLine } from '../../src/cli.js';

function io() {
  const sink = () => {
    const s = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          s.text += chunk.toString();
          done();
        },
      }),
      { text: '' },
    );
    return s;
  };
  return { stdout: sink(), stderr: sink() };
}

t.test('--help on every command exits 0 with that command’s usage', async (t) => {
  for (const name of Object.keys(COMMANDS)) {
    const out = io();
    t.equal(await main([name, '--help'], out), EXIT.ok, `plr ${name} --help exits 0`);
    t.match(out.stdout.text, `usage: plr ${COMMANDS[name].synopsis}`, `plr ${name} --help says how`);
    t.match(out.stdout.text, /Exit codes: 0 done/, `plr ${name} --help lists the exit codes`);
  }
  const out = io();
  t.equal(await main(['--help'], out), EXIT.ok, 'plr --help exits 0');
  for (const name of Object.keys(COMMANDS)) t.match(out.stdout.text, `  ${COMMANDS[name].synopsis}`);
  t.equal(await main(['-h'], io()), EXIT.ok);
});

t.test('--version prints the package version', async (t) => {
  const out = io();
  t.equal(await main(['--version'], out), EXIT.ok);
  t.match(out.stdout.text, /^plr \d+\.\d+\.\d+\n$/);
});

t.test('usage errors exit 2 and say what is wrong', async (t) => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['migrate', '--force'], /plr migrate: Unknown option '--force'/],
    [['token', 'learner', '--minute', '5'], /Unknown option '--minute'/],
    [['token', 'learner', '--uln'], /--uln <value>' argument missing/],
    [['token'], /usage: plr token ROLE/],
    [['learners', 'load'], /usage: plr learners load FILE/],
    [['catalogue', 'load', 'a.json', 'b.json'], /usage: plr catalogue load FILE/],
    [['import', 'x.csv'], /give --ao UKPRN .* or --url URL and --token TOKEN/],
    [['import', 'x.csv', '--url', 'http://127.0.0.1:9'], /or --url URL and --token TOKEN/],
    [['import', 'x.csv', '--ao', '10000001', '--url', 'http://x', '--token', 't'], /not both/],
    [['import', 'x.csv', '--url', 'ftp://x', '--token', 't'], /--url must be the service's http/],
  ];
  for (const [argv, said] of cases) {
    const out = io();
    t.equal(await main(argv, out), EXIT.usage, `plr ${argv.join(' ')}: exit 2`);
    t.match(out.stderr.text, said, `plr ${argv.join(' ')}: says why`);
  }
  const bare = io();
  t.equal(await main([], bare), EXIT.usage, 'a bare plr is a usage error');
  t.match(bare.stdout.text, /Commands:/, 'that prints the usage');
});

t.test('an unknown flag stops plr import before anything is sent', async (t) => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const out = io();
  const code = await main(
    ['import', 'samples/achievements/valid.csv', '--url', url, '--token', 't', '--valdate-only'],
    out,
  );
  t.equal(code, EXIT.usage);
  t.match(out.stderr.text, /Unknown option '--valdate-only'/);
  t.equal(requests, 0, 'nothing reached the server');
  t.equal(parseCommandLine(['import', 'f', '--ao', '10000001', '--valdate-only']).kind, 'error', 'nor the graph');
});
