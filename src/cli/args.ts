import { parseArgs } from 'node:util';
import type { RawOptions } from '../config.js';

export const COMMANDS = ['validate', 'plan', 'apply', 'adopt', 'forget', 'emulator', 'demo'] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `Usage: car-sync <command> [options]

Commands:
  validate            check every meta.yaml, defaults.yaml, script and the state file
  plan [--json]       show what a sync would do (no network)
  apply [--json]      create and update scripts in CAR, record ids in the state file
  adopt PATH ID       record that the script at PATH exists in CAR as ID
  forget PATH         drop PATH from the state file (an unresolved create that never happened)
  emulator            run the built-in CAR emulator on loopback (options below)
  demo                sync a copy of the bundled example against the emulator, twice

Repository options:
  --root DIR          repository root (default: the current directory)
  --scripts-dir DIR   folder of scripts, relative to the root (default: scripts)
  --state FILE        state file, relative to the root (default: .car/state.json)

CAR options (apply):
  --platform NAME     US1 US2 US3 US4 EU1 EU2 EU3 IN1 CA1 AE1 UK1 AU1 KSA1   [CAR_PLATFORM]
  --base-url URL      gateway URL instead of a platform (private cloud)       [CAR_BASE_URL]
  --token JWT         a bearer token                                          [CAR_TOKEN]
  --username U        exchanged with --password for a token at /auth          [CAR_USERNAME]
  --password P                                                                [CAR_PASSWORD]
  --concurrency N     calls in flight at most (default 2)                     [CAR_CONCURRENCY]
  --max-writes N      stop after N create/update calls; the next run goes on
  --force             update every managed script, even unchanged ones
  --timeout SECONDS   per-call timeout (default 60)

Output:
  --json              the plan (and results) as JSON on stdout

Emulator options (with --root, CAR already holds the scripts that repository's state file names):
  --port N  --latency MS  --rate-limit CALLS/SECONDS  --rate-limit-status 409|429
  --concurrency-limit N  --fail-rate F  --lost-answer-rate F  --seed N
  --user NAME:PASSWORD[:SCOPE1,SCOPE2] (repeatable)  --accept-token T1,T2
  --token-ttl SECONDS  --first-id N  --max-scripts N

Exit codes: 0 success, 1 validation or sync failure, 2 usage error.`;

export class UsageError extends Error {}

export interface ParsedArgs {
  command: Command;
  positionals: string[];
  options: RawOptions;
  json: boolean;
  /** Options only the emulator reads. */
  emulator: Record<string, string | undefined>;
}

export function parseCliArgs(argv: string[]): ParsedArgs | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        'scripts-dir': { type: 'string' },
        state: { type: 'string' },
        'state-file': { type: 'string' },
        platform: { type: 'string' },
        'base-url': { type: 'string' },
        token: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        concurrency: { type: 'string' },
        'max-writes': { type: 'string' },
        force: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        port: { type: 'string' },
        latency: { type: 'string' },
        'rate-limit': { type: 'string' },
        'concurrency-limit': { type: 'string' },
        'fail-rate': { type: 'string' },
        'lost-answer-rate': { type: 'string' },
        seed: { type: 'string' },
        user: { type: 'string', multiple: true },
        'rate-limit-status': { type: 'string' },
        'accept-token': { type: 'string' },
        'token-ttl': { type: 'string' },
        'first-id': { type: 'string' },
        'max-scripts': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError('no command given');
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command "${command}"; expected one of ${COMMANDS.join(', ')}`);
  }
  const expected: Partial<Record<Command, number>> = { adopt: 2, forget: 1 };
  if (rest.length !== (expected[command as Command] ?? 0)) {
    throw new UsageError(`"${command}" takes ${expected[command as Command] ?? 'no'} argument(s), got ${rest.length}`);
  }
  const options: RawOptions = {
    root: values.root,
    'scripts-dir': values['scripts-dir'],
    'state-file': values.state ?? values['state-file'],
    platform: values.platform,
    'base-url': values['base-url'],
    token: values.token,
    username: values.username,
    password: values.password,
    concurrency: values.concurrency,
    'max-writes': values['max-writes'],
    force: values.force ? 'true' : undefined,
    timeout: values.timeout,
  };
  return {
    command: command as Command,
    positionals: rest,
    options,
    json: values.json ?? false,
    emulator: {
      port: values.port,
      latency: values.latency,
      'rate-limit': values['rate-limit'],
      'concurrency-limit': values['concurrency-limit'],
      'fail-rate': values['fail-rate'],
      'lost-answer-rate': values['lost-answer-rate'],
      seed: values.seed,
      user: values.user?.join('\n'),
      'rate-limit-status': values['rate-limit-status'],
      'accept-token': values['accept-token'],
      'token-ttl': values['token-ttl'],
      'first-id': values['first-id'],
      'max-scripts': values['max-scripts'],
    },
  };
}
