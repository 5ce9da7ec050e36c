// Entry point: builds the commander program, runs one command, and is the single place that
// turns errors into messages and exit codes. Nothing else calls process.exit.
import { Command, CommanderError } from 'commander';
import { ClusterError, ExitCode, InternalError, UsageError } from '../errors.js';
import { makeStyle } from '../output/style.js';
import { commands } from './commands/index.js';
import type { Registration } from './commands/define.js';
import { processSurroundings, type Surroundings } from './context.js';
import { hoistGlobalFlags } from './flags.js';
import { VERSION } from './version.js';

/**
 * Runs the CLI with the given arguments (without node and script) in the given surroundings (the
 * process's own by default; tests pass in-memory streams) and returns the exit code.
 */
export async function main(argv: string[], surroundings: Surroundings = processSurroundings()): Promise<number> {
  let code: number = ExitCode.Ok;
  const reg = {
    surroundings,
    setCode: (c: number) => {
      code = c;
    },
  };
  // Global flags before the subcommand (`kubectl job -n prod why x`) go after it, as kubectl allows.
  const args = argv[0] === COMPLETE_COMMAND ? argv : hoistGlobalFlags(argv);
  // A run of one subcommand registers only that one (each registration builds its options and
  // help); help, completion and anything unrecognised get the whole program.
  const only = commands.find(([name]) => name === args[0]);
  const program =
    only && !args.includes('--help') && !args.includes('-h') ? buildProgram(reg, [only]) : buildProgram(reg);
  if (args[0] === COMPLETE_COMMAND) {
    // kubectl's plugin completion (bin/kubectl_complete-job): hidden, never an error.
    const { complete } = await import('./completion.js');
    return complete(program, args.slice(1), surroundings.streams.out, surroundings.env);
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    return reportError(e, surroundings);
  }
  return code;
}

/** The hidden first argument that switches to shell completion (as cobra's `__complete`). */
export const COMPLETE_COMMAND = '__complete';

/** The commander program with every subcommand registered; `reg.setCode` receives a command's exit code. */
export function buildProgram(
  reg: Registration = { setCode: () => {}, surroundings: processSurroundings() },
  registered: typeof commands = commands,
): Command {
  const { out, err } = reg.surroundings.streams;
  const program = new Command('kubectl job')
    .usage('<command> [flags]')
    .description(
      "Explain and operate Kubernetes Jobs and CronJobs by re-running the controllers' decision logic locally.",
    )
    .version(VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'help for kubectl job')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, subcommandTerm: (c) => c.name() + (c.usage() ? ` ${c.usage()}` : '') })
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) })
    .exitOverride();
  for (const [, register] of registered) register(program, reg);
  program.addHelpText(
    'after',
    `
Examples:
  kubectl job why cronjob/backup -n prod      # why did (or didn't) it run?
  kubectl job why job/train-x7k2 -o json      # why did this Job fail? (stable JSON verdict)
  kubectl job next backup --count 5           # the next five runs, as the controller computes them
  kubectl job misses backup --since 7d        # every scheduled time in the last week and its fate
  kubectl job trigger --from cronjob/backup   # run it now
  kubectl job unsuspend backup                # resume, after saying what will happen at once
  kubectl job logs job/train-x7k2 --all-attempts
  kubectl job clean --succeeded --older-than 7d -n prod
`,
  );
  return program;
}

function reportError(e: unknown, { streams, env }: Surroundings): number {
  const err = streams.err;
  const style = makeStyle(err, 'auto', env);
  const say = (msg: string, hint?: string) => {
    err.write(`${style.tone('bad', 'error:')} ${msg}\n`);
    if (hint) err.write(`${style.dim(`hint: ${hint}`)}\n`);
  };
  if (e instanceof CommanderError) {
    // commander has already printed its message (or help/version on stdout)
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return ExitCode.Ok;
    return ExitCode.Usage;
  }
  if (e instanceof UsageError) {
    say(e.message, e.hint);
    return ExitCode.Usage;
  }
  if (e instanceof ClusterError) {
    say(e.message, e.hint);
    return e.exitCode;
  }
  const error = e as Error;
  if (error?.name === 'CronNextLoopError') {
    // robfig/cron's Next() loops forever for some day-restricted schedules across a skipped
    // calendar day (e.g. Pacific/Apia, 2011-12-30): the real controller would hang on it too.
    say(
      `this schedule cannot be evaluated: ${error.message}`,
      'kube-controller-manager hangs on it in the same way; change the schedule or .spec.timeZone',
    );
    return ExitCode.ProblemFound;
  }
  if (e instanceof InternalError || !(e instanceof Error)) {
    say(
      `internal error: ${error?.message ?? String(e)} — this is a bug in kubectl-job; please report it with the command you ran`,
    );
  } else {
    say(
      `unexpected failure: ${error.message} — this is a bug in kubectl-job; please report it with the command you ran`,
    );
  }
  if (env.KUBECTL_JOB_DEBUG) err.write(`${error?.stack ?? ''}\n`);
  return ExitCode.Internal;
}
