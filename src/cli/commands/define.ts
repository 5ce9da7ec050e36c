// Declares a subcommand with the global flags and runs it inside a RunContext.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { addGlobalFlags, splitContexts, type GlobalFlags } from '../flags.js';
import { makeContext, type RunContext } from '../context.js';

/** A command body: returns the exit code. `dashArgs` are the arguments after a `--` (undefined without one). */
export type CommandBody<O> = (ctx: RunContext, args: string[], opts: O, dashArgs?: string[]) => Promise<number>;

/** What a command accepts besides its own flags. */
export interface CommandTraits {
  /** --context may name several contexts (why --all); other commands read one cluster and refuse that. */
  severalContexts?: boolean;
}

/** Registers a subcommand; `setup` adds its own arguments and flags. */
export function defineCommand<O extends object>(
  program: Command,
  setCode: (code: number) => void,
  name: string,
  summary: string,
  setup: (cmd: Command) => Command,
  body: CommandBody<O>,
  traits: CommandTraits = {},
): Command {
  const cmd = setup(program.command(name).summary(summary).description(summary));
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
    const opts = self.optsWithGlobals() as O & GlobalFlags;
    Object.assign(opts, splitContexts(opts.context));
    if (!traits.severalContexts && opts.contexts!.length > 1) {
      throw new UsageError(
        `--context names ${opts.contexts!.length} contexts (${opts.contexts!.join(', ')}): ${name} reads one cluster`,
        'only `kubectl job why --all` audits several contexts',
      );
    }
    const args = (self.processedArgs as unknown[]).flatMap((a) =>
      a === undefined ? [] : Array.isArray(a) ? a : [a],
    ) as string[];
    const ctx = makeContext(opts);
    try {
      setCode(await body(ctx, args, opts, dashArgs));
    } finally {
      await ctx.closeSource();
    }
  });
  return cmd;
}
