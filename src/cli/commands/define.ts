// Declares a subcommand. Each command is two functions, as kubectl's Complete/Validate and Run:
// `parse` turns what commander read (operands, flags, the arguments after `--`) into the command's
// options, pure and without IO (it throws UsageError; tests call it directly), and `run` acts on
// the options with a RunContext built from the injected surroundings.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { addGlobalFlags, splitContexts, type GlobalFlags } from '../flags.js';
import { makeContext, type RunContext, type Surroundings } from '../context.js';

/** What commander read for one command. `dashArgs`: the arguments after a `--` (undefined without one). */
export interface RawInput<R> {
  args: string[];
  opts: R & GlobalFlags;
  dashArgs?: string[];
}

/** How a command is registered: where its exit code goes, and the surroundings it runs in. */
export interface Registration {
  setCode: (code: number) => void;
  surroundings: Surroundings;
}

/** One command. */
export interface CommandSpec<R, O> {
  name: string;
  summary: string;
  /** Adds the command's arguments, flags and help text. */
  setup: (cmd: Command) => Command;
  /** Pure: the options from what was typed; throws UsageError. */
  parse: (input: RawInput<R>) => O;
  /** Global flags the options change (e.g. `-f FILE` reads a file as the snapshot). */
  globals?: (options: O) => Partial<GlobalFlags>;
  /** Acts; returns the exit code. */
  run: (ctx: RunContext, options: O) => Promise<number>;
  /** --context may name several contexts (why --all); other commands read one cluster and refuse that. */
  severalContexts?: boolean;
}

/** The global flags after the pure checks every command shares (--context split into contexts). */
export function parseGlobals<R>(name: string, opts: R & GlobalFlags, severalContexts = false): R & GlobalFlags {
  const out = { ...opts, ...splitContexts(opts.context) };
  if (!severalContexts && out.contexts!.length > 1) {
    throw new UsageError(
      `--context names ${out.contexts!.length} contexts (${out.contexts!.join(', ')}): ${name} reads one cluster`,
      'only `kubectl job why --all` audits several contexts',
    );
  }
  return out;
}

/** Registers a subcommand. */
export function defineCommand<R extends object, O>(
  program: Command,
  reg: Registration,
  spec: CommandSpec<R, O>,
): Command {
  const cmd = spec.setup(program.command(spec.name).summary(spec.summary).description(spec.summary));
  addGlobalFlags(cmd);
  // The arguments after a `--`: commander hands the command its own argv (after its name) through
  // the public parseOptions, and drops the `--` itself from the operands.
  let dashArgs: string[] | undefined;
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (argv: string[]) => {
    const dash = argv.indexOf('--');
    dashArgs = dash >= 0 ? argv.slice(dash + 1) : undefined;
    return parseOptions(argv);
  };
  cmd.action(async (...all: unknown[]) => {
    const self = all[all.length - 1] as Command;
    const opts = parseGlobals(spec.name, self.optsWithGlobals() as R & GlobalFlags, spec.severalContexts);
    const args = (self.processedArgs as unknown[]).flatMap((a) =>
      a === undefined ? [] : Array.isArray(a) ? a : [a],
    ) as string[];
    const options = spec.parse({ args, opts, dashArgs });
    const ctx = makeContext({ ...opts, ...spec.globals?.(options) }, reg.surroundings);
    try {
      reg.setCode(await spec.run(ctx, options));
    } finally {
      await ctx.closeSource();
    }
  });
  return cmd;
}
