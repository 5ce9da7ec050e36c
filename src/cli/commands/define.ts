// Declares a subcommand with the global flags and runs it inside a RunContext.
import type { Command } from 'commander';
import { addGlobalFlags, type GlobalFlags } from '../flags.js';
import { makeContext, type RunContext } from '../context.js';

/** A command body: returns the exit code. */
export type CommandBody<O> = (ctx: RunContext, args: string[], opts: O) => Promise<number>;

/** Registers a subcommand; `setup` adds its own arguments and flags. */
export function defineCommand<O extends object>(
  program: Command,
  setCode: (code: number) => void,
  name: string,
  summary: string,
  setup: (cmd: Command) => Command,
  body: CommandBody<O>,
): Command {
  const cmd = setup(program.command(name).summary(summary).description(summary));
  addGlobalFlags(cmd);
  cmd.action(async (...all: unknown[]) => {
    const self = all[all.length - 1] as Command;
    const opts = self.optsWithGlobals() as O & GlobalFlags;
    const args = (self.processedArgs as unknown[]).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a])) as string[];
    const ctx = makeContext(opts);
    try {
      setCode(await body(ctx, args, opts));
    } finally {
      await ctx.closeSource();
    }
  });
  return cmd;
}
