import { ConfigError, resolveConfig, withEnvironment } from './config.js';
import { parseCliArgs, UsageError, USAGE } from './cli/args.js';
import { adoptCommand, applyCommand, forgetCommand, planCommand, validateCommand, type Output } from './cli/commands.js';
import { runDemo, scriptsTheStateNames } from './demo.js';
import { emulatorOptionsFromArgs, runEmulatorCli } from './emulator/server.js';
import { InvalidRepositoryError } from './repo/problem.js';
import { problemsJson } from './report/json.js';

declare const CAR_SYNC_VERSION: string | undefined;

/** SIGINT/SIGTERM stop apply gracefully: no new calls, calls in flight finish, the state is saved. */
function stopOnSignal(io: Output): AbortSignal {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(1);
    io.err(`car-sync: ${signal} received; finishing the calls in flight and saving the state (send it again to quit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stop.signal;
}

async function main(argv: string[]): Promise<number> {
  const io: Output = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
  let args;
  try {
    args = parseCliArgs(argv);
    if (args === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (args === 'version') {
      io.out(typeof CAR_SYNC_VERSION === 'string' ? CAR_SYNC_VERSION : 'dev');
      return 0;
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`car-sync: ${err.message}\n\n${USAGE}`);
    return 2;
  }

  try {
    const config = resolveConfig(withEnvironment(args.options, process.env), process.cwd());
    switch (args.command) {
      case 'validate':
        return await validateCommand(config, io);
      case 'plan':
        return await planCommand(config, args.json, io);
      case 'apply':
        return await applyCommand(config, args.json, io, stopOnSignal(io));
      case 'adopt':
        return await adoptCommand(config, args.positionals[0]!, args.positionals[1]!, io);
      case 'forget':
        return await forgetCommand(config, args.positionals[0]!, io);
      case 'emulator': {
        let options;
        try {
          options = emulatorOptionsFromArgs(args.emulator);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        // With --root, the emulated tenant already holds the scripts that repository's state file names.
        if (args.options.root) options.existingScripts = await scriptsTheStateNames(config);
        await runEmulatorCli(options, (line) => io.out(line));
        return 0;
      }
      case 'demo':
        return await runDemo(io);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`car-sync: ${err.message}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      // The CLI calls the state-file input --state (design.md); --state-file is accepted too.
      io.err(`car-sync: --${err.option === 'state-file' ? 'state' : err.option}: ${err.problem}`);
      return 2;
    }
    if (err instanceof InvalidRepositoryError) {
      if (args.json) io.out(JSON.stringify(problemsJson(err.problems), null, 2));
      io.err(err.message);
      io.err(`car-sync: ${err.problems.length} problem(s) found; nothing was sent to CAR.`);
      return 1;
    }
    io.err(`car-sync: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`car-sync: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
