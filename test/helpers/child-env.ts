/**
 * The environment for a child process a test starts (the plr CLI, a worker).
 *
 * tap's process tracking wraps every spawn and puts its hooks back into the child, so the
 * child would record coverage too. The child runs through tsx, whose compiled output and
 * source maps differ from those of tap's TypeScript loader; c8 keeps one source map per
 * file, taken from whichever coverage file it reads last (their names are random), so a
 * child's map silently spoiled whole files' coverage and the totals swung from run to run
 * (81 % to 90 % of statements, once nearly nothing, on the same commit). Children record
 * no coverage.
 */
/** The data key file every test process shares. */
export const TEST_DATA_KEY_FILE = '.local/keys/test-data-key.json';

export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|NODE_V8_COVERAGE|_TAPJS_PROCESSINFO_)/.test(k)),
  );
  // The same data key as the test's own apps (test/helpers/config.ts): what a child seals, the test opens.
  return { ...inherited, _TAPJS_PROCESSINFO_COVERAGE_: '0', DATA_KEY_FILE: TEST_DATA_KEY_FILE, ...extra };
}
