// kubectl job completion: prints the kubectl_complete-job executable that kubectl (>= 1.26) runs to
// complete `kubectl job ...` (src/cli/completion.ts answers it). krew installs only kubectl-job
// on PATH, so this is how krew users add the completion file next to it.
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { defineCommand, type RawInput, type Registration } from './define.js';

/** bin/kubectl_complete-job, byte for byte (a test keeps the two equal). */
export const COMPLETION_SCRIPT = `#!/bin/sh
# Shell completion for \`kubectl job\` (kubectl >= 1.26): for \`kubectl job ...<TAB>\` kubectl runs
# kubectl_complete-job from PATH with the words typed after \`kubectl job\`. This runs the
# kubectl-job beside this file (symlinks followed), else the one on PATH, in completion mode.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
exe=$(dirname "$self")/kubectl-job
[ -x "$exe" ] || exe=$(command -v kubectl-job) || exit 0
exec "$exe" __complete "$@"
`;

/** `completion` takes no options: it prints one script. */
export type CompletionOptions = Record<string, never>;

/** Registers `completion`. */
export function registerCompletion(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'completion',
    summary: 'print the kubectl_complete-job script that gives `kubectl job` shell completion (kubectl 1.26+)',
    setup: (cmd) =>
      cmd
        .description(`Prints the kubectl_complete-job executable. kubectl 1.26 and newer run it from PATH to complete
\`kubectl job ...\` (subcommands, flags, -o values, and CronJob/Job names from the cluster selected by the
-n/--context/--kubeconfig typed so far). Put it on PATH next to kubectl-job and make it executable; it
works wherever kubectl's own completion is loaded (bash, zsh, fish; not on Windows).`)
        .addHelpText(
          'after',
          `
Examples:
  # installed with krew: put it beside the plugin
  kubectl job completion > "\${KREW_ROOT:-$HOME/.krew}/bin/kubectl_complete-job"
  chmod +x "\${KREW_ROOT:-$HOME/.krew}/bin/kubectl_complete-job"

  # then, in a shell with kubectl completion loaded (e.g. source <(kubectl completion bash)):
  kubectl job why cronjob/<TAB>`,
        ),
    parse: parseCompletion,
    run: runCompletion,
  });
}

/** `completion`'s input (pure): there is nothing to give it (commander refuses operands, as none is declared). */
export function parseCompletion(_input: RawInput<object>): CompletionOptions {
  return {};
}

/** Prints the script on stdout. */
export async function runCompletion(ctx: RunContext, _o: CompletionOptions): Promise<number> {
  ctx.out.write(COMPLETION_SCRIPT);
  return 0;
}
